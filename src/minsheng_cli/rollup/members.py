"""A member county's ledger as one of its commits holds it, read from the rollup's mirror.

Read through git's objects (never checked out) with the same validation and building as the
county's own `minsheng check`. A commit never changes, so its built ledger is cached under the
commit's id alone (with the code that builds ledgers): the entry also names the commit's task
files, so a warm read runs no git at all — at 3,000 members, two git processes per member were
most of a view's time.
"""

from __future__ import annotations

import json
from pathlib import Path

from minsheng_cli.store.files import LoadResult

FILES_FORMAT = 1
FILE_LIMIT = 8 << 20
"""The most bytes a member's minsheng.yaml or task file may have: a real 实事's file is tens of
KB (a generated one of ten items, a few hundred); a larger one is a mistake, read whole it would
cost the sync seconds and hundreds of MB."""


def member_at(mirror: Path, commit: str, cache: Path | None = None) -> LoadResult:
    """The ledger of ``commit`` in the bare repository ``mirror``, with its problems; cached in
    the folder ``cache`` (the rollup's cache_dir), else in the mirror's own cache folder.

    LedgerProblems if the commit has no minsheng.yaml or a broken one, or a ledger file larger
    than FILE_LIMIT (never read: the county's repository is not ours to trust); GitError if git
    cannot read the commit.
    """
    folder = cache if cache is not None else mirror / ".minsheng-cache"
    cached = cached_member(mirror, commit, folder)
    if cached is not None:
        return cached
    from minsheng_cli.write.history import ledger_tree, read_blobs, task_paths

    listing = ledger_tree(mirror, commit, FILE_LIMIT)
    files = task_paths(mirror, listing)
    (workspace_raw, sources), *_rest = read_blobs(mirror, [listing])
    from minsheng_cli.store.blobs import load_blobs

    result = load_blobs(mirror, workspace_raw, sources)
    store_member(mirror, commit, folder, files, result)
    return result


def _entries(mirror: Path, commit: str, folder: Path) -> tuple[Path, Path, str]:
    """The ledger's entry, the entry naming its task files, and their key: the commit, the code
    and the mirror (a ledger's paths are the mirror's)."""
    from minsheng_cli.store.blobs import commit_entry

    _own, key = commit_entry(mirror, commit)
    return folder / f"ledger-{commit}.json", folder / f"files-{commit}.json", key


def cached_member(mirror: Path, commit: str, folder: Path) -> LoadResult | None:
    """The cached ledger of ``commit``, without git; None on a miss or a damaged entry."""
    from minsheng_cli.store.blobs import HEX
    from minsheng_cli.store.files import cache_enabled

    if not cache_enabled() or not HEX.fullmatch(commit):
        return None
    from minsheng_cli.store.cache import read_entry
    from minsheng_cli.store.snapshot import lookup_snapshot

    ledger_entry, files_entry, key = _entries(mirror, commit, folder)
    body = read_entry(files_entry, key)
    if body is None:
        return None
    try:
        listed = json.loads(body)
        names = listed["files"] if listed.get("format") == FILES_FORMAT else None
    except (ValueError, AttributeError, TypeError, KeyError):
        return None
    if not isinstance(names, list) or not all(isinstance(n, str) and "/" not in n for n in names):
        return None
    files = {name: mirror / "tasks" / name for name in names}
    ledger = lookup_snapshot(ledger_entry, key, mirror, files)
    return None if ledger is None else LoadResult(ledger, [])


def store_member(
    mirror: Path, commit: str, folder: Path, files: list[Path], result: LoadResult
) -> None:
    """Cache a ledger that loaded without errors (only a cache: an unwritable folder costs
    speed)."""
    from minsheng_cli.store.blobs import HEX
    from minsheng_cli.store.files import cache_enabled

    if result.errors or not cache_enabled() or not HEX.fullmatch(commit):
        return
    from minsheng_cli.store.cache import write_entry
    from minsheng_cli.store.snapshot import store_snapshot

    ledger_entry, files_entry, key = _entries(mirror, commit, folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    store_snapshot(ledger_entry, key, result.ledger, {file.name: file for file in files})
    listed = {"format": FILES_FORMAT, "files": [file.name for file in files]}
    write_entry(files_entry, key, json.dumps(listed, ensure_ascii=False).encode("utf-8"))
