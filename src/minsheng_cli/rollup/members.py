"""A member county's ledger as one of its commits holds it, read from the rollup's mirror.

Read through git's objects (never checked out) with the same validation and building as the
county's own `minsheng check`; a commit's ledger is cached, since a commit never changes.
"""

from __future__ import annotations

from pathlib import Path

from minsheng_cli.store.files import LoadResult


def member_at(mirror: Path, commit: str) -> LoadResult:
    """The ledger of ``commit`` in the bare repository ``mirror``, with its problems.

    LedgerProblems if the commit has no minsheng.yaml or a broken one; GitError if git cannot
    read the commit.
    """
    from minsheng_cli.store.blobs import cached_commit_ledger, load_blobs, store_commit_ledger
    from minsheng_cli.write.history import ledger_tree, read_blobs, task_paths

    listing = ledger_tree(mirror, commit)
    files = task_paths(mirror, listing)
    cached = cached_commit_ledger(mirror, commit, files)
    if cached is not None:
        return LoadResult(cached, [])
    (workspace_raw, sources), *_rest = read_blobs(mirror, [listing])
    result = load_blobs(mirror, workspace_raw, sources)
    store_commit_ledger(mirror, commit, files, result)
    return result
