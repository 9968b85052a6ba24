"""The ledger from bytes that are not the files on disk: the workspace as a past commit held it.

The same validation and building as ``store.files``, but past the caches: their entries are
kept per file on disk, and a past version must neither be served as nor replace today's.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from minsheng_cli.errors import LedgerProblems, Problem
from minsheng_cli.i18n import _
from minsheng_cli.ledger.model import Ledger, Project
from minsheng_cli.store.files import (
    WORKSPACE_FILE,
    LoadResult,
    cache_enabled,
    read_project_data,
    read_workspace_data,
    workspace_from_data,
)

HEX = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
"""A full commit id (SHA-1 or SHA-256): the only names the cache's entries are given."""


def load_blobs(
    root: Path, workspace_raw: bytes | None, sources: Iterable[tuple[Path, bytes | None]]
) -> LoadResult:
    """As ``store.files.load_sources``, from bytes only (None: the file was not there), without
    the caches; LedgerProblems if minsheng.yaml itself is missing or broken."""
    from minsheng_cli.ledger.build import build_project, check_across_projects

    if workspace_raw is None:
        missing = Problem(root / WORKSPACE_FILE, None, _("the file is not in this commit"))
        raise LedgerProblems([missing], root)
    data = read_workspace_data(root / WORKSPACE_FILE, workspace_raw)
    if isinstance(data, list):
        raise LedgerProblems(data, root)
    workspace, problems = workspace_from_data(root, data)
    projects: list[Project] = []
    for file, raw in sources:
        if raw is None:
            problems.append(Problem(file, None, _("the file is not in this commit")))
            continue
        read = read_project_data(file, raw)
        if isinstance(read, list):
            problems.extend(read)
            continue
        project, found = build_project(read, file, workspace)
        projects.append(project)
        problems.extend(found)
    problems.extend(check_across_projects(projects))
    projects.sort(key=lambda p: p.id)
    problems.sort(key=lambda p: (str(p.file), p.line or 0))
    return LoadResult(Ledger(workspace, tuple(projects)), problems)


def commit_entry(root: Path, commit: str) -> tuple[Path, str]:
    """Where the ledger of ``commit`` is cached, and its key: a commit never changes, so the
    commit's id, the code and the workspace's folder are all the key needs."""
    from minsheng_cli.store.cache import CACHE_DIR, new_hash
    from minsheng_cli.store.snapshot import ledger_fingerprint

    digest = new_hash(f"{commit}\0{ledger_fingerprint()}\0".encode(), 20)
    digest.update(os.fsencode(root.resolve()))
    return root / CACHE_DIR / f"commit-{commit}.json", "commit:" + digest.hexdigest()


def cached_commit_ledger(root: Path, commit: str, files: Sequence[Path]) -> Ledger | None:
    """The ledger of ``commit`` (whose task files are ``files``) as cached, if it is, and
    MINSHENG_NO_CACHE=1 is not set."""
    if not cache_enabled() or not HEX.fullmatch(commit):
        return None
    from minsheng_cli.store.snapshot import lookup_snapshot

    entry, key = commit_entry(root, commit)
    return lookup_snapshot(entry, key, root, {file.name: file for file in files})


def store_commit_ledger(root: Path, commit: str, files: Sequence[Path], result: LoadResult) -> None:
    """Cache the ledger of ``commit`` if it loaded without errors (only a cache: a folder that
    cannot be written costs speed)."""
    if result.errors or not cache_enabled() or not HEX.fullmatch(commit):
        return
    from minsheng_cli.store.snapshot import store_snapshot

    entry, key = commit_entry(root, commit)
    store_snapshot(entry, key, result.ledger, {file.name: file for file in files})
