"""Which task file holds 实事 3, or the item whose name contains 户厕: without reading them all.

An index in the cache folder lists, for each task file, its size and modification time and the
few names a reference can match (序号, 实事名称, each item's content and unit). Entries whose file
changed are rebuilt from the file itself (through the validated-file cache). The index only ever
picks a file: the file is then loaded and the reference resolved again on its real content.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from minsheng_cli.errors import Problem
from minsheng_cli.store.atomic import write_atomic
from minsheng_cli.store.cache import CACHE_DIR, code_fingerprint
from minsheng_cli.store.files import TASKS_DIR

INDEX_FILE = "index.json"
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
    try:
        listing = [e for e in os.scandir(folder) if e.name.endswith((".yaml", ".yml"))]
    except OSError:
        return None
    for item in listing:
        stat = item.stat()
        entry = stored.get(item.name)
        if entry is None or (entry["size"], entry["mtime_ns"]) != (stat.st_size, stat.st_mtime_ns):
            data = read(Path(item.path))
            if isinstance(data, list):
                return None
            entry = _entry(data, stat.st_size, stat.st_mtime_ns)
            changed = True
        fresh[item.name] = entry
    if changed or fresh.keys() != stored.keys():
        _save(root, fresh)
    return fresh


def _entry(data: dict[str, Any], size: int, mtime_ns: int) -> Entry:
    items = [[item["content"], item.get("unit", "")] for item in data["items"]]
    return {
        "size": size,
        "mtime_ns": mtime_ns,
        "id": data["id"],
        "name": data["name"],
        "items": items,
    }


def _path(root: Path) -> Path:
    return root / CACHE_DIR / INDEX_FILE


def _load(root: Path) -> dict[str, Entry]:
    try:
        stored = json.loads(_path(root).read_bytes())
        if stored.get("code") == code_fingerprint() and isinstance(stored.get("files"), dict):
            files: dict[str, Entry] = stored["files"]
            return files
    except (OSError, ValueError, AttributeError):
        pass
    return {}


def _save(root: Path, entries: dict[str, Entry]) -> None:
    try:
        _path(root).parent.mkdir(exist_ok=True)
        payload = {"code": code_fingerprint(), "files": entries}
        write_atomic(_path(root), json.dumps(payload, ensure_ascii=False).encode("utf-8"))
    except OSError:
        pass  # only slower
