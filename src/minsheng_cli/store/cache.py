"""A cache of validated task files, so a command that changes nothing skips YAML and pydantic.

Keyed by the file's content hash and the code that validates it: an edited file, even within the
same second and at the same size, misses. Only a cache: deleting ``.minsheng-cache/`` changes
nothing but speed, and an unreadable or corrupt entry is ignored and rebuilt.

Every entry (this one per file and ``ledger_cache``'s whole-ledger one) is three parts: the key
line, a checksum line, and the body.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from minsheng_cli import __version__
from minsheng_cli.errors import Problem
from minsheng_cli.store.atomic import write_atomic

try:  # BLAKE2 alone: `import hashlib` would load OpenSSL too, 2–3 ms of every command
    from _blake2 import blake2b
except ImportError:  # a Python built without it
    from hashlib import blake2b

CACHE_DIR = ".minsheng-cache"
FORMAT = 2
ENTRY_LIMIT = 64 << 20
"""The largest entry read for one task file: far beyond any real one (a task file of a few
thousand lines makes tens of kilobytes)."""
ProjectData = dict[str, Any] | list[Problem]
SHAPING_PACKAGES = ("ledger", "store")
"""The subpackages whose code decides what a file's cached data, or a built ledger, holds and how
it is stored; with the package's top-level modules (errors, text helpers), the cache key covers
them all, so no list of file names has to be kept by hand."""


def shaping_sources() -> list[Path]:
    """Every module of the packages that shape data, in a fixed order."""
    package = Path(__file__).parent.parent
    files = sorted(package.glob("*.py"))
    for name in SHAPING_PACKAGES:
        files += sorted((package / name).glob("*.py"))
    return files


def fingerprint(salt: str) -> str:
    """A hash of ``salt``, the version and the source of every module that shapes data."""
    digest = blake2b(f"{salt}:{__version__}".encode(), digest_size=16)
    for module in shaping_sources():
        digest.update(module.name.encode() + b"\0" + module.read_bytes())
    return digest.hexdigest()


@cache
def code_fingerprint() -> str:
    """Changes whenever the code that turns a file into cached data changes."""
    return fingerprint(str(FORMAT))


def entry_path(root: Path, file: Path) -> Path:
    name = blake2b(os.fsencode(file.resolve()), digest_size=12).hexdigest()
    return root / CACHE_DIR / f"{name}.json"


def new_hash(data: bytes, size: int) -> blake2b:
    """BLAKE2b of ``data`` with a ``size``-byte digest, to be fed more with ``update``."""
    return blake2b(data, digest_size=size)


def content_hash(raw: bytes) -> str:
    """What a file's entry, and the whole ledger's, know its bytes by."""
    return blake2b(raw, digest_size=20).hexdigest()


def content_key(raw: bytes) -> str:
    return content_hash(raw) + ":" + code_fingerprint()


def cached_data(
    root: Path,
    file: Path,
    read: Callable[[Path, bytes | None], ProjectData],
    raw: bytes | None = None,
    *,
    stored: bool = True,
) -> ProjectData:
    """``read(file, raw)``, or what it returned last time for exactly these bytes.

    ``raw`` is the file's content when the caller has read it already (None: read it here).
    ``stored=False``: read the file even if an entry exists, and replace the entry (the caller
    found what it held unusable).
    """
    if raw is None:
        try:
            raw = file.read_bytes()
        except OSError:
            return read(file, None)
    key = content_key(raw)
    entry = entry_path(root, file)
    hit = lookup_snapshot(entry, key) if stored else None
    if hit is not None:
        return hit
    data = read(file, raw)
    if not isinstance(data, list):
        store_snapshot(entry, key, data)
    return data


def lookup_snapshot(entry: Path, key: str) -> dict[str, Any] | None:
    body = read_entry(entry, key)
    if body is None:
        return None
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # not JSON, or nested deeper than Python recurses
        return None
    return data if isinstance(data, dict) else None


def store_snapshot(entry: Path, key: str, data: dict[str, Any]) -> None:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    write_entry(entry, key, body)


def _checksum(body: bytes) -> bytes:
    return blake2b(body, digest_size=16).hexdigest().encode()


def read_regular(path: Path, limit: int) -> bytes | None:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes, else None.

    Opened without blocking and checked before reading: a named pipe in the cache's place must
    not hang a command, nor a huge file fill its memory.
    """
    try:
        descriptor = os.open(
            path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
        )
    except OSError:
        return None
    with os.fdopen(descriptor, "rb", buffering=0) as handle:
        try:
            status = os.fstat(descriptor)
            if not stat.S_ISREG(status.st_mode) or status.st_size > limit:
                return None
            data = handle.read(limit + 1)
        except OSError:
            return None
    return data if data is not None and len(data) <= limit else None


def read_entry(entry: Path, key: str, limit: int = ENTRY_LIMIT) -> bytes | None:
    """The body stored in ``entry`` under exactly ``key``, or None.

    Anything but the three parts with the right key and checksum (a truncated write, stray bytes,
    hand edits, an older format, an unreadable file, something not a regular file, more than
    ``limit`` bytes) is a miss.
    """
    stored = read_regular(entry, limit)
    if stored is None:
        return None
    try:
        stored_key, checksum, body = stored.split(b"\n", 2)
    except ValueError:
        return None
    if stored_key != key.encode() or checksum != _checksum(body):
        return None
    return body


def write_entry(entry: Path, key: str, body: bytes) -> None:
    """Store ``body`` under ``key``, atomically; a cache that cannot be written is only slower."""
    try:
        entry.parent.mkdir(exist_ok=True)
        write_atomic(entry, key.encode() + b"\n" + _checksum(body) + b"\n" + body)
    except OSError:
        pass  # a read-only workspace still works, only slower


def entry_is_whole(raw: bytes) -> bool:
    """Whether ``raw`` is an entry as ``write_entry`` stores it (key, checksum, body), its body
    matching its checksum: what `minsheng doctor` asks of every entry, whatever its key."""
    parts = raw.split(b"\n", 2)
    return len(parts) == 3 and parts[1] == _checksum(parts[2])
