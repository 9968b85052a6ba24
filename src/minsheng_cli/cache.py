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
FORMAT = 2
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


def _checksum(body: bytes) -> bytes:
    return hashlib.blake2b(body, digest_size=16).hexdigest().encode()


def _lookup(entry: Path, key: str) -> dict[str, Any] | None:
    """An entry is three parts: the key line, a checksum line, and the data as JSON.

    Anything else (a truncated write, stray bytes, hand edits, an older format) is a miss.
    """
    try:
        stored_key, checksum, body = entry.read_bytes().split(b"\n", 2)
        if stored_key != key.encode() or checksum != _checksum(body):
            return None
        data = json.loads(body)
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _store(entry: Path, key: str, data: dict[str, Any]) -> None:
    try:
        entry.parent.mkdir(exist_ok=True)
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        write_atomic(entry, key.encode() + b"\n" + _checksum(body) + b"\n" + body)
    except OSError:
        pass  # a read-only workspace still works, only slower
