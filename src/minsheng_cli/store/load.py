"""The store's front door: the ledger for a command, through the caches that make it fast.

Every command loads through here: ``load_ledger`` (the whole-ledger snapshot when nothing
changed), ``load_for_ref`` (only the file that holds a reference, found by the index), ``load``
(every file, every problem: `check`), and ``resolve_root``. The files themselves are read by
``store.files``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from minsheng_cli.ledger.model import Ledger
from minsheng_cli.store.files import (
    TASKS_DIR,
    WORKSPACE_FILE,
    LoadResult,
    cache_enabled,
    find_root,
    ledger_of,
    load,
    read_cached,
    read_project_data,
    resolve_root,
    task_files,
)

__all__ = [
    "TASKS_DIR",
    "WORKSPACE_FILE",
    "LoadResult",
    "find_root",
    "load",
    "load_for_ref",
    "load_ledger",
    "read_project_data",
    "resolve_root",
    "task_files",
]


def load_ledger(root: Path, files: Sequence[Path] | None = None) -> Ledger:
    """The ledger, or LedgerProblems listing every error (warnings do not stop a command).

    The whole ledger comes from its snapshot when no file has changed since it was built.
    """
    if files is None and cache_enabled():
        from minsheng_cli.store.snapshot import cached_ledger  # its codec: not for `check`

        return cached_ledger(root)
    return ledger_of(load(root, files), root)


def load_for_ref(root: Path, ref: str) -> Ledger:
    """Enough of the ledger to act on ``ref``: only its file, when the index can tell which one.

    Recording one number must not read a province's thousands of files. Whenever the index is
    not sure (unknown, ambiguous, or a file it cannot read), the whole ledger is loaded, so that
    every message about the reference is the same as with a full load. Nor when the file it
    picked does not hold the reference after all (the index is a cache: stale, or forged).
    """
    from minsheng_cli.store.index import file_for_ref, forget, holds_ref  # only update and done

    file = file_for_ref(root, ref, lambda f: read_cached(root, f, read_project_data))
    if file is not None:
        ledger = load_ledger(root, [file])
        if holds_ref(ledger.projects, ref):
            return ledger
        forget(root)
    return load_ledger(root)
