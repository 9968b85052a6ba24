"""A cache of validated task files, so a command that changes nothing skips YAML and pydantic.

Keyed by the file's content hash and the code that validates it: an edited file, even within the
same second and at the same size, misses. Only a cache: deleting ``.minsheng-cache/`` changes
nothing but speed, and an unreadable or corrupt entry is ignored and rebuilt.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from minsheng_cli import __version__
from minsheng_cli.atomic import write_atomic
from minsheng_cli.errors import Problem

CACHE_DIR = ".minsheng-cache"
FORMAT = 1
ProjectData = dict[str, Any] | list[Problem]


@cache
def code_fingerprint() -> str:
    """Changes whenever the code that turns a file into cached data changes."""
    here = Path(__file__).parent
    digest = hashlib.blake2b(f"{FORMAT}:{__version__}".encode(), digest_size=16)
    for module in ("schema.py", "validate.py", "yamltext.py"):
        digest.update((here / module).read_bytes())
    return digest.hexdigest()


def entry_path(root: Path, file: Path) -> Path:
    name = hashlib.blake2b(str(file.resolve()).encode(), digest_size=12).hexdigest()
    return root / CACHE_DIR / f"{name}.json"


def content_key(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=20).hexdigest() + ":" + code_fingerprint()


def cached_data(
    root: Path, file: Path, read: Callable[[Path, bytes | None], ProjectData]
) -> ProjectData:
    """``read(file, raw)``, or what it returned last time for exactly these bytes."""
    try:
        raw = file.read_bytes()
    except OSError:
        return read(file, None)
    key = content_key(raw)
    entry = entry_path(root, file)
    hit = _lookup(entry, key)
    if hit is not None:
        return hit
    data = read(file, raw)
    if not isinstance(data, list):
        _store(entry, key, data)
    return data


def _lookup(entry: Path, key: str) -> dict[str, Any] | None:
    try:
        stored = json.loads(entry.read_bytes())
        if stored["key"] == key and isinstance(stored["data"], dict):
            data: dict[str, Any] = stored["data"]
            return data
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return None


def _store(entry: Path, key: str, data: dict[str, Any]) -> None:
    try:
        entry.parent.mkdir(exist_ok=True)
        payload = json.dumps({"key": key, "data": data}, ensure_ascii=False)
        write_atomic(entry, payload.encode("utf-8"))
    except OSError:
        pass  # a read-only workspace still works, only slower
