"""`minsheng import`: read the notice, make the workspace's files, check them as `check` does in
a folder of their own, and only then write them and make the first commit."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from minsheng_cli.errors import LedgerProblems, Problem, UsageError
from minsheng_cli.i18n import _
from minsheng_cli.notice.columns import captions, data_rows
from minsheng_cli.notice.plan import Project, projects_of
from minsheng_cli.notice.readers.detect import read_notice
from minsheng_cli.notice.report import ImportReport
from minsheng_cli.notice.workspace import file_name, metadata_of, project_yaml, workspace_yaml
from minsheng_cli.store.load import TASKS_DIR, WORKSPACE_FILE, load
from minsheng_cli.write.workspace_init import GITIGNORE, commit_new_files


def import_notice(
    file: Path, directory: Path, year: int | None, force: bool, into: bool
) -> ImportReport:
    root = directory.resolve()
    refuse_existing(root, force, into)
    notice = read_notice(file)
    report = ImportReport(file.name, str(root))
    grids = notice.grids
    rows = data_rows(grids)
    notice.lines += captions(grids)
    existing = existing_year(root) if into else None
    meta = metadata_of(notice, year or existing)
    wrapped = any(grid.wrapped for grid in grids)
    projects = projects_of(rows, meta.year, file.name, report.flags, wrapped)
    if not projects:
        raise UsageError(_("{file}: the table has headers but no 实事 in it").format(file=file))
    files = {f"{TASKS_DIR}/{file_name(p)}": project_yaml(p) for p in projects}
    if into:
        clash = sorted(name for name in files if (root / name).exists())
        if clash and not force:
            raise UsageError(
                _("{files} already exist in {folder}; --force replaces them").format(
                    files=", ".join(clash), folder=root
                )
            )
    else:
        files[WORKSPACE_FILE] = workspace_yaml(meta, file.name)
        files[".gitignore"] = GITIGNORE
    check_in_staging(root, files, into)
    count(report, projects)
    report.files = sorted(files)
    write_files(root, files, force and not into)
    created = commit_new_files(root, sorted(files), f"import {meta.title}")
    report.commit, report.note = created.commit, created.note
    return report


def refuse_existing(root: Path, force: bool, into: bool) -> None:
    has_workspace = (root / WORKSPACE_FILE).exists()
    if into and not has_workspace:
        raise UsageError(
            _("{folder} is not a ledger workspace; --into needs one").format(folder=root)
        )
    if not into and has_workspace and not force:
        raise UsageError(
            _(
                "{folder} is already a ledger workspace; --force replaces it, --into adds to it"
            ).format(folder=root)
        )


def existing_year(root: Path) -> int | None:
    from minsheng_cli.store.files import load_workspace

    workspace, _problems = load_workspace(root)
    return workspace.year


def check_in_staging(root: Path, files: dict[str, str], into: bool) -> None:
    """The files loaded as `check` loads them, in a folder of their own: nothing is written
    to the workspace unless the ledger they make loads."""
    with tempfile.TemporaryDirectory(prefix="minsheng-import-") as folder:
        staging = Path(folder)
        (staging / TASKS_DIR).mkdir()
        if into:
            shutil.copy2(root / WORKSPACE_FILE, staging / WORKSPACE_FILE)
            for task in (root / TASKS_DIR).glob("*.yaml"):
                shutil.copy2(task, staging / TASKS_DIR / task.name)
        for name, text in files.items():
            (staging / name).write_text(text, encoding="utf-8", newline="\n")
        errors = load(staging).errors
        if errors:
            raise LedgerProblems(
                [
                    Problem(
                        None if p.file is None else root / p.file.relative_to(staging),
                        p.line,
                        p.message,
                    )
                    for p in errors
                ],
                root,
            )


def write_files(root: Path, files: dict[str, str], replace: bool) -> None:
    (root / TASKS_DIR).mkdir(parents=True, exist_ok=True)
    if replace:
        for old in (root / TASKS_DIR).glob("*.yaml"):
            old.unlink()
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8", newline="\n")


def count(report: ImportReport, projects: list[Project]) -> None:
    items = [item for project in projects for item in project.items]
    report.projects, report.items = len(projects), len(items)
    report.indicators = sum(len(item.indicators) for item in items)
    report.milestones = sum(
        1
        for item in items
        for track in item.tracks
        for milestone in track.milestones
        if milestone.deadline is not None
    )
