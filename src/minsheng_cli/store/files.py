"""Find the workspace, read every file, and build the Ledger, reporting all problems at once.

The low level of the store: ``store.load`` is its front door, which picks the caches.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple, TypeVar

from minsheng_cli.errors import LedgerProblems, Problem, UsageError
from minsheng_cli.i18n import _
from minsheng_cli.ledger.deadlines import LAST_DAY, DeadlineError, DeadlineRules
from minsheng_cli.ledger.model import Ledger, Project, Workspace
from minsheng_cli.store.shape import conforms

WORKSPACE_FILE = "minsheng.yaml"
TASKS_DIR = "tasks"


class LoadResult(NamedTuple):
    """What loading found: the ledger (possibly partial) and every problem, errors and warnings."""

    ledger: Ledger
    problems: list[Problem]

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
    try:
        found = (directory / WORKSPACE_FILE).is_file()
        root = directory.resolve()
    except OSError as exc:  # a name too long for the system, a loop of links
        raise UsageError(
            _("cannot use {folder} as the workspace ({error})").format(
                folder=directory, error=exc.strerror or exc
            )
        ) from exc
    if not found:
        raise UsageError(
            _("{folder} is not a ledger workspace: it has no minsheng.yaml").format(
                folder=directory
            )
        )
    return root


def task_files(root: Path) -> list[Path]:
    """tasks/*.yaml and *.yml in Path order (by name, as the system compares names).

    Listed with scandir, which knows a file from a folder without a stat per entry, and sorted by
    name rather than by comparing Paths: a tenth of the time for a province's thousands of files.
    """
    folder = root / TASKS_DIR
    if not folder.is_dir():
        return []
    with os.scandir(folder) as entries:
        files = [folder / e.name for e in entries if e.is_file()]
    tasks = [p for p in files if p.suffix in (".yaml", ".yml")]
    return sorted(tasks, key=lambda p: os.path.normcase(p.name))


def read_source(file: Path) -> tuple[Path, bytes | None]:
    """A file and its bytes, read once (None: it cannot be read; loading it will say why)."""
    try:
        with file.open("rb", buffering=0) as handle:  # one read of the whole file, no buffer
            return file, handle.readall()
    except OSError:
        return file, None


CACHE_DAMAGE = (LookupError, TypeError, ValueError, AttributeError, ArithmeticError, RecursionError)
"""What building from a cache entry that holds the wrong data can raise (the cache is untrusted
input: anyone who can write the folder can put any JSON there under a right checksum)."""


def load_workspace(root: Path, raw: bytes | None = None) -> tuple[Workspace, list[Problem]]:
    """minsheng.yaml (``raw``: its bytes, if already read), or LedgerProblems if it is broken."""
    file = root / WORKSPACE_FILE
    built = _built_trusting_no_cache(
        root,
        file,
        raw,
        read_workspace_data,
        lambda data: workspace_from_data(root, data),
        Workspace,
    )
    if isinstance(built, list):
        raise LedgerProblems(built, root)
    return built


def project_from(
    root: Path, file: Path, raw: bytes | None, workspace: Workspace
) -> tuple[Project | None, list[Problem]]:
    """One task file's project (None if the file has errors) and its problems; built from the
    cache where it can be, from the file itself when the cache holds anything else."""
    from minsheng_cli.ledger.build import build_project  # a snapshot hit never builds

    built = _built_trusting_no_cache(
        root,
        file,
        raw,
        read_project_data,
        lambda data: build_project(data, file, workspace),
        Project,
    )
    return (None, built) if isinstance(built, list) else built


Built = TypeVar("Built", tuple[Workspace, list[Problem]], tuple[Project, list[Problem]])


def _built_trusting_no_cache(
    root: Path,
    file: Path,
    raw: bytes | None,
    read: Callable[[Path, bytes | None], dict[str, Any] | list[Problem]],
    build: Callable[[dict[str, Any]], Built],
    kind: type[tuple[Any, ...]],
) -> Built | list[Problem]:
    """``build`` of the file's validated data, or the file's problems. Data from the cache is
    untrusted: if building from it fails, or builds anything but a ``kind`` of the model's exact
    types all the way down, the file itself is read and its cache entry replaced."""
    data = read_cached(root, file, read, raw)
    if not isinstance(data, list):
        try:
            built = build(data)
            if conforms([built[0]], kind):
                return built
        except CACHE_DAMAGE:
            pass  # read the file itself
        data = read_cached(root, file, read, raw, stored=False)
    return data if isinstance(data, list) else build(data)


def read_workspace_data(file: Path, raw: bytes | None = None) -> dict[str, Any] | list[Problem]:
    """minsheng.yaml → validated plain data, or its problems."""
    from minsheng_cli.ledger.validate import validate_workspace  # pydantic: only on a cache miss

    return _read_validated(file, raw, validate_workspace)


EVIDENCE_LIMIT_MB: float = Workspace._field_defaults["evidence_limit_mb"]


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
        aliases=MappingProxyType(dict(data.get("aliases", {}))),
        late_until=date.fromisoformat(data["late_until"]) if data.get("late_until") else None,
        evidence_limit_mb=float(data.get("evidence_limit_mb", EVIDENCE_LIMIT_MB)),
        **data.get("escalation", {}),
    )
    return workspace, problems


def read_project_data(file: Path, raw: bytes | None = None) -> dict[str, Any] | list[Problem]:
    """One task file → validated plain data, or its problems."""
    from minsheng_cli.ledger.validate import validate_project  # pydantic: only on a cache miss

    return _read_validated(file, raw, validate_project)


def _read_validated(
    file: Path, raw: bytes | None, validate: Callable[[Path, Any], dict[str, Any] | list[Problem]]
) -> dict[str, Any] | list[Problem]:
    from minsheng_cli.ledger import yamltext  # PyYAML: only on a cache miss

    try:
        raw = file.read_bytes() if raw is None else raw
        document = yamltext.parse(yamltext.decode(raw))
    except yamltext.YamlProblem as exc:
        return [Problem(file, line, message) for line, message in exc.all()]
    except OSError as exc:
        return [Problem(file, None, _("cannot read the file: {error}").format(error=exc))]
    checked = validate(file, document)
    if not document.duplicates:
        return checked
    duplicates = [Problem(file, line, message) for line, message in document.duplicates]
    return sorted([*duplicates, *(checked if isinstance(checked, list) else [])], key=_by_line)


def _by_line(problem: Problem) -> int:
    return problem.line or 0


def cache_enabled() -> bool:
    """The caches in .minsheng-cache/ are used (and filled) unless MINSHENG_NO_CACHE=1."""
    return os.environ.get("MINSHENG_NO_CACHE") != "1"


def read_cached(
    root: Path,
    file: Path,
    read: Callable[[Path, bytes | None], dict[str, Any] | list[Problem]],
    raw: bytes | None = None,
    *,
    stored: bool = True,
) -> dict[str, Any] | list[Problem]:
    """Through the cache of validated files, unless MINSHENG_NO_CACHE=1 (``stored=False``: the
    cache's entry is not to be used, only replaced)."""
    if not cache_enabled():
        return read(file, raw)
    from minsheng_cli.store.cache import cached_data  # not with MINSHENG_NO_CACHE=1

    return cached_data(root, file, read, raw, stored=stored)


def load(root: Path, files: Sequence[Path] | None = None) -> LoadResult:
    """Read the workspace (or only ``files`` of it); problems in task files are collected."""
    listed = task_files(root) if files is None else files
    return load_sources(root, None, ((file, None) for file in listed))


def load_sources(
    root: Path, workspace_raw: bytes | None, sources: Iterable[tuple[Path, bytes | None]]
) -> LoadResult:
    """As ``load``, from task files whose bytes may have been read already (None: read them here).

    The whole-ledger cache hashes the bytes it then loads, so a file changing meanwhile can never
    be stored under its old content's key.
    """
    from minsheng_cli.ledger.build import check_across_projects  # a snapshot hit never builds

    workspace, problems = load_workspace(root, workspace_raw)
    projects: list[Project] = []
    for file, raw in sources:
        project, found = project_from(root, file, raw, workspace)
        if project is not None:
            projects.append(project)
        problems.extend(found)
    problems.extend(check_across_projects(projects))
    projects.sort(key=lambda p: p.id)
    return LoadResult(Ledger(workspace, tuple(projects)), _in_file_order(problems))


def _in_file_order(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (str(p.file), p.line or 0))


def ledger_of(result: LoadResult, root: Path) -> Ledger:
    """The loaded ledger, or LedgerProblems listing every error the load found."""
    if result.errors:
        raise LedgerProblems(result.errors, root)
    return result.ledger
