"""Which task file holds 实事 3, or the item whose name contains 户厕: without reading them all.

An index in the cache folder lists, for each task file, its size and modification time and the
few names a reference can match (序号, 实事名称, each item's content and unit). Entries whose file
changed are rebuilt from the file itself (through the validated-file cache). The index only ever
picks a file: the file is then loaded and the reference resolved again on its real content.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from minsheng_cli.errors import Problem
from minsheng_cli.ledger.model import Project
from minsheng_cli.store.atomic import write_atomic
from minsheng_cli.store.cache import CACHE_DIR, code_fingerprint, read_regular
from minsheng_cli.store.files import TASKS_DIR

INDEX_FILE = "index.json"
INDEX_LIMIT = 256 << 20
"""The largest index read: a province's 10,000 task files make a few megabytes."""
_ENTRY_KEYS = {"size", "mtime_ns", "id", "name", "items"}
_NUMBERED = re.compile(r"^(\d+)(?:\.\d+)?$")
Reader = Callable[[Path], dict[str, Any] | list[Problem]]
Entry = dict[str, Any]


def file_for_ref(root: Path, ref: str, read: Reader) -> Path | None:
    """The one task file ``ref`` can name, or None when that takes the whole ledger to say."""
    entries = current_index(root, read)
    if entries is None:
        return None
    text = ref.strip()
    numbered = _NUMBERED.match(text)
    if numbered:
        wanted = int(numbered.group(1))
        found = [name for name, e in entries.items() if e["id"] == wanted]
    else:
        found = [name for name, e in entries.items() if text and _mentions(e, text)]
    return root / TASKS_DIR / found[0] if len(found) == 1 else None


def holds_ref(projects: Iterable[Project], ref: str) -> bool:
    """Whether ``projects`` (loaded from the file the index picked) really hold what ``ref``
    names, as ``file_for_ref`` matched it: the index may be stale or forged."""
    text = ref.strip()
    numbered = _NUMBERED.match(text)
    if numbered:
        return any(project.id == int(numbered.group(1)) for project in projects)
    return any(
        text in project.name or any(text in i.content or text in i.unit for i in project.items)
        for project in projects
    )


def forget(root: Path) -> None:
    """Drop the index (it pointed at the wrong file): the next look-up rebuilds every entry."""
    with contextlib.suppress(OSError):  # a read-only workspace: only slower
        _path(root).unlink(missing_ok=True)


def _mentions(entry: Entry, fragment: str) -> bool:
    if fragment in entry["name"]:
        return True
    return any(fragment in content or fragment in unit for content, unit in entry["items"])


def current_index(root: Path, read: Reader) -> dict[str, Entry] | None:
    """Every task file's entry, rebuilt where the file changed; None if a file has problems."""
    folder = root / TASKS_DIR
    stored = _load(root)
    fresh: dict[str, Entry] = {}
    changed = False
    try:  # regular files only, as the full load lists them: a named pipe would hang the read
        listing = [e for e in os.scandir(folder) if e.name.endswith((".yaml", ".yml"))]
        listing = [e for e in listing if e.is_file()]
        stats = [e.stat() for e in listing]
    except OSError:
        return None
    for item, stat in zip(listing, stats, strict=True):
        entry = stored.get(item.name)
        if entry is None or (entry["size"], entry["mtime_ns"]) != (stat.st_size, stat.st_mtime_ns):
            entry = _entry(read(Path(item.path)), stat.st_size, stat.st_mtime_ns)
            if entry is None:
                return None
            changed = True
        fresh[item.name] = entry
    if changed or fresh.keys() != stored.keys():
        _save(root, fresh)
    return fresh


def _entry(data: dict[str, Any] | list[Problem], size: int, mtime_ns: int) -> Entry | None:
    """A file's entry from its validated data; None if it has problems, or if the data (from
    the per-file cache, untrusted) is not the shape validation gives."""
    if isinstance(data, list):
        return None
    try:
        items = [[item["content"], item.get("unit", "")] for item in data["items"]]
        entry = {
            "size": size,
            "mtime_ns": mtime_ns,
            "id": data["id"],
            "name": data["name"],
            "items": items,
        }
    except (LookupError, TypeError, AttributeError):
        return None
    return entry if _is_entry(entry) else None


def _is_entry(entry: Any) -> bool:
    """Whether ``entry`` is what ``_entry`` makes: the index is untrusted input too."""
    return (
        isinstance(entry, dict)
        and entry.keys() == _ENTRY_KEYS
        and all(type(entry[key]) is int for key in ("size", "mtime_ns", "id"))
        and type(entry["name"]) is str
        and type(entry["items"]) is list
        and all(
            type(item) is list and len(item) == 2 and all(type(text) is str for text in item)
            for item in entry["items"]
        )
    )


def _path(root: Path) -> Path:
    return root / CACHE_DIR / INDEX_FILE


def _load(root: Path) -> dict[str, Entry]:
    """The stored entries that have the right shape (the others are rebuilt from their files);
    nothing if the index is not a regular file of at most INDEX_LIMIT bytes of the right JSON."""
    raw = read_regular(_path(root), INDEX_LIMIT)
    try:
        stored = json.loads(raw) if raw is not None else None
    except (ValueError, RecursionError):
        return {}
    if not isinstance(stored, dict) or stored.get("code") != code_fingerprint():
        return {}
    files = stored.get("files")
    if not isinstance(files, dict):
        return {}
    return {name: entry for name, entry in files.items() if _is_entry(entry)}


def _save(root: Path, entries: dict[str, Entry]) -> None:
    try:
        _path(root).parent.mkdir(exist_ok=True)
        payload = {"code": code_fingerprint(), "files": entries}
        write_atomic(_path(root), json.dumps(payload, ensure_ascii=False).encode("utf-8"))
    except OSError:
        pass  # only slower
