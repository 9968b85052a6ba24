"""Find the workspace, read every file, and build the Ledger, reporting all problems at once."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from minsheng_cli import yamltext
from minsheng_cli.build import build_project, check_across_projects
from minsheng_cli.deadlines import LAST_DAY, DeadlineError, DeadlineRules
from minsheng_cli.errors import LedgerProblems, Problem, UsageError
from minsheng_cli.i18n import _
from minsheng_cli.ledger import Ledger, Project, Workspace

WORKSPACE_FILE = "minsheng.yaml"
TASKS_DIR = "tasks"


@dataclass(slots=True)
class LoadResult:
    """What loading found: the ledger (possibly partial) and every problem, errors and warnings."""

    ledger: Ledger
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.warning]


def find_root(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` holding minsheng.yaml."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / WORKSPACE_FILE).is_file():
            return folder
    raise UsageError(
        _(
            "no minsheng.yaml in {folder} or above: run inside a ledger workspace,"
            " give one with -C DIR, or create one with `minsheng init DIR`"
        ).format(folder=here)
    )


def resolve_root(directory: Path | None) -> Path:
    """-C DIR names the workspace itself; without it, walk up from the current folder."""
    if directory is None:
        return find_root()
    if not (directory / WORKSPACE_FILE).is_file():
        raise UsageError(
            _("{folder} is not a ledger workspace: it has no minsheng.yaml").format(
                folder=directory
            )
        )
    return directory.resolve()


def read_document(file: Path) -> yamltext.Document:
    return yamltext.parse(yamltext.decode(file.read_bytes()))


def task_files(root: Path) -> list[Path]:
    folder = root / TASKS_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def load_workspace(root: Path) -> tuple[Workspace, list[Problem]]:
    from minsheng_cli.validate import validate_workspace

    file = root / WORKSPACE_FILE
    try:
        document = read_document(file)
    except yamltext.YamlProblem as exc:
        raise LedgerProblems([Problem(file, exc.line, exc.message)], root) from exc
    data = validate_workspace(file, document)
    if isinstance(data, list):
        raise LedgerProblems(data, root)
    return workspace_from_data(root, data)


def workspace_from_data(root: Path, data: dict[str, Any]) -> tuple[Workspace, list[Problem]]:
    problems: list[Problem] = []
    overrides = {
        word: LAST_DAY if day == "last" else int(day)
        for word, day in data.get("deadline_rules", {}).items()
    }
    try:
        rules = DeadlineRules.with_overrides(overrides)
    except DeadlineError as exc:
        line = data.get("lines", {}).get("deadline_rules")
        problems.append(Problem(root / WORKSPACE_FILE, line, str(exc)))
        rules = DeadlineRules()
    issued = data.get("issued")
    workspace = Workspace(
        root=root,
        year=data["year"],
        title=data["title"],
        document=data.get("document", ""),
        office=data.get("office", ""),
        issued=date.fromisoformat(issued) if issued else None,
        warning_days=data.get("warning_days", 10),
        tolerance_days=data.get("tolerance_days", 15),
        rules=rules,
    )
    return workspace, problems


def read_project_data(file: Path, raw: bytes | None = None) -> dict[str, Any] | list[Problem]:
    """One task file → validated plain data, or its problems. Cached by ``cache``."""
    from minsheng_cli.validate import validate_project

    try:
        raw = file.read_bytes() if raw is None else raw
        document = yamltext.parse(yamltext.decode(raw))
    except yamltext.YamlProblem as exc:
        return [Problem(file, exc.line, exc.message)]
    except OSError as exc:
        return [Problem(file, None, _("cannot read the file: {error}").format(error=exc))]
    return validate_project(file, document)


def load(root: Path) -> LoadResult:
    """Read the whole workspace; never raises for problems in task files, it collects them."""
    workspace, problems = load_workspace(root)
    projects: list[Project] = []
    for file, data in _project_data(root):
        if isinstance(data, list):
            problems.extend(data)
            continue
        project, found = build_project(data, file, workspace)
        projects.append(project)
        problems.extend(found)
    problems.extend(check_across_projects(projects))
    projects.sort(key=lambda p: p.id)
    return LoadResult(Ledger(workspace, tuple(projects)), _in_file_order(problems))


def _project_data(root: Path) -> Iterable[tuple[Path, dict[str, Any] | list[Problem]]]:
    from minsheng_cli.cache import cached_project_data

    use_cache = os.environ.get("MINSHENG_NO_CACHE") != "1"
    for file in task_files(root):
        if use_cache:
            yield file, cached_project_data(root, file, read_project_data)
        else:
            yield file, read_project_data(file, None)


def _in_file_order(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (str(p.file), p.line or 0))


def load_ledger(root: Path) -> Ledger:
    """The ledger, or LedgerProblems listing every error (warnings do not stop a command)."""
    result = load(root)
    if result.errors:
        raise LedgerProblems(result.errors, root)
    return result.ledger
