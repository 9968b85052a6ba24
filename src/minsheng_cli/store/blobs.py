"""The ledger from bytes that are not the files on disk: the workspace as a past commit held it.

The same validation and building as ``store.files``, but past the caches: their entries are
kept per file on disk, and a past version must neither be served as nor replace today's.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from minsheng_cli.errors import LedgerProblems, Problem
from minsheng_cli.i18n import _
from minsheng_cli.ledger.model import Ledger, Project
from minsheng_cli.store.files import (
    WORKSPACE_FILE,
    LoadResult,
    read_project_data,
    read_workspace_data,
    workspace_from_data,
)


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
