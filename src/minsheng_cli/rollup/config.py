"""rollup.yaml: the rollup's title, level and member ledgers (name, git URL or path, branch)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeGuard

if TYPE_CHECKING:
    from minsheng_cli.ledger.yamltext import Document

from minsheng_cli.errors import MinshengError, UsageError, WriteRefused
from minsheng_cli.i18n import _

ROLLUP_FILE = "rollup.yaml"
STATE_FILE = "rollup-state.json"
"""What the last sync read of each member (committed in the rollup's own repository)."""
WORK_DIR = ".minsheng-rollup"
"""Mirrors of the members' repositories and the rollup's caches; ignored by git."""


class Member(NamedTuple):
    """A county's ledger: its name in the rollup, where git fetches it from, which branch."""

    name: str
    url: str
    branch: str = "main"


class RollupConfig(NamedTuple):
    title: str
    level: str = "市"
    members: tuple[Member, ...] = ()

    def member(self, name: str) -> Member | None:
        return next((m for m in self.members if m.name == name), None)


def __getattr__(name: str) -> Any:
    """The pydantic models of rollup.yaml (``RollupFile``, ``MemberModel``, ``MemberName``),
    imported only when asked for: pydantic costs about 0.1 s to import, and only reading
    rollup.yaml needs it, not a view that reads the state."""
    if name in ("RollupFile", "MemberModel", "MemberName"):
        from minsheng_cli.rollup import schema

        return getattr(schema, name)
    raise AttributeError(name)


def find_rollup_root(start: Path) -> Path:
    """The folder holding rollup.yaml: ``start`` or the nearest one above it."""
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / ROLLUP_FILE).is_file():
            return folder
    raise UsageError(
        _(
            "no {file} here or above {folder}: run `minsheng rollup init DIR --title T` first,"
            " or give -C DIR"
        ).format(file=ROLLUP_FILE, folder=start)
    )


def mirror_dir(root: Path, name: str) -> Path:
    """The bare mirror of member ``name`` (named by a hash: any county name is a safe folder)."""
    import hashlib

    key = hashlib.sha256(name.encode("utf-8")).hexdigest()[:16]
    return root / WORK_DIR / "mirrors" / f"{key}.git"


def cache_dir(root: Path) -> Path:
    """Where the rollup keeps what it computed of each member's commit."""
    return root / WORK_DIR / "cache"


class RollupFileProblem(MinshengError):
    """rollup.yaml cannot be read or is not valid: one line naming the file and line (exit 1)."""


class Loaded(NamedTuple):
    """rollup.yaml as read: the configuration, and what was left out of it (a member named
    twice), each a line for `sync`'s summary."""

    config: RollupConfig
    problems: tuple[str, ...] = ()
    written: tuple[Member, ...] = ()
    """Every member entry as the file lists it, one named twice included: what `add` and
    `remove` write back, so that they change only the entry they are about."""


CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def member_name_problem(name: str) -> str | None:
    """Why ``name`` cannot name a member, or None: any text a county is called, one line,
    not starting with “-” (it would read as an option)."""
    if not name.strip():
        return _("a member's name should not be empty")
    if CONTROL.search(name):
        return _("a member's name should be one line of text, without control characters")
    if name.strip().startswith("-"):
        return _("a member's name should not start with “-”")
    if len(name.strip()) > MEMBER_NAME_LIMIT:
        return _("a member's name should be at most {count} characters").format(
            count=MEMBER_NAME_LIMIT
        )
    return None


MEMBER_NAME_LIMIT = 80


def read_config(root: Path) -> Loaded:
    """rollup.yaml of the workspace ``root``; RollupFileProblem (file:line) if it is not valid.

    A member named twice is not an error of the whole file: the first is kept, the later ones
    are left out and said in ``problems``, so the other members are read as usual.
    """
    from minsheng_cli.ledger.yamltext import YamlProblem, decode, parse

    path = root / ROLLUP_FILE
    try:
        document = parse(decode(path.read_bytes()))
    except OSError as exc:
        raise RollupFileProblem(
            _("cannot read {file}: {error}").format(file=path, error=exc.strerror or exc)
        ) from exc
    except YamlProblem as exc:
        raise RollupFileProblem(_located(path, exc.line, exc.message)) from exc
    if document.duplicates:
        line, message = document.duplicates[0]
        raise RollupFileProblem(_located(path, line, message))
    if not isinstance(document.data, dict):
        raise RollupFileProblem(
            _located(path, 1, _("rollup.yaml must be a mapping of keys (title:, members:, …)"))
        )
    read = plainly_valid(document.data)
    if read is None:
        read = _validated(path, document)
    title, level, entries = read
    members: list[Member] = []
    problems: list[str] = []
    written = tuple(Member(e.name, e.url, e.branch) for e in entries)
    for index, entry in enumerate(entries):
        at = document.line_of(("members", index))
        wrong = member_name_problem(entry.name)
        if wrong is not None:
            raise RollupFileProblem(_located(path, at, wrong))
        first = next((m for m in members if m.name == entry.name), None)
        if first is not None:
            problems.append(
                _located(
                    path,
                    at,
                    _(
                        "member “{name}” is named twice; this one ({url}) is left out until"
                        " one of them is renamed or removed"
                    ).format(name=entry.name, url=entry.url),
                )
            )
            continue
        members.append(Member(entry.name, entry.url, entry.branch))
    config = RollupConfig(title, level, tuple(members))
    return Loaded(config, tuple(problems), written)


Read = tuple[str, str, list[Member]]
"""rollup.yaml's title, level and members (the members as the file lists them, twice included)."""

MEMBER_KEYS = frozenset(Member._fields)


def plainly_valid(data: dict[str, Any]) -> Read | None:
    """rollup.yaml as its schema reads it, when it plainly conforms: no other keys, every value
    a non-empty string (what `rollup init` and `add` write). None: the schema (pydantic, whose
    import alone costs a view a fifth of its time) is to say what is wrong."""
    if not set(data) <= {"title", "level", "members"}:
        return None
    title, level, listed = data.get("title"), data.get("level", "市"), data.get("members", [])
    if not (_filled(title) and _filled(level) and isinstance(listed, list)):
        return None
    members = []
    for entry in listed:
        if not isinstance(entry, dict) or not set(entry) <= MEMBER_KEYS or "url" not in entry:
            return None
        name, url, branch = entry.get("name"), entry["url"], entry.get("branch", "main")
        if not (_filled(name) and _filled(url) and _filled(branch)):
            return None
        if len(name.strip()) > MEMBER_NAME_LIMIT:
            return None
        members.append(Member(name.strip(), url.strip(), branch.strip()))
    return title.strip(), level.strip(), members


def _filled(value: object) -> TypeGuard[str]:
    return isinstance(value, str) and bool(value.strip())


def _validated(path: Path, document: Document) -> Read:
    """rollup.yaml read by its schema; RollupFileProblem naming the line of the first problem."""
    from pydantic import ValidationError

    from minsheng_cli.ledger.validate import _problems
    from minsheng_cli.rollup.schema import RollupFile

    try:
        model = RollupFile.model_validate(document.data)
    except ValidationError as exc:
        problem = _problems(path, document, exc, RollupFile)[0]
        raise RollupFileProblem(_located(path, problem.line, problem.message)) from exc
    members = [Member(m.name, m.url, m.branch) for m in model.members]
    return model.title, model.level, members


def _located(path: Path, line: int | None, message: str) -> str:
    where = f"{path.name}:{line}" if line else path.name
    return f"{where}: {message}"


def config_text(config: RollupConfig) -> str:
    """rollup.yaml's text for ``config``: every value JSON-quoted (valid YAML whatever it holds,
    a “: ” or a “#” included)."""

    def quoted(value: str) -> str:
        return json.dumps(value, ensure_ascii=False)

    lines = [
        "# 民生实事汇总 — rollup workspace (minsheng rollup)",
        f"title: {quoted(config.title)}",
        f"level: {quoted(config.level)}",
    ]
    if not config.members:
        lines.append("members: []")
    else:
        lines.append("members:")
        for member in config.members:
            lines += [
                f"  - name: {quoted(member.name)}",
                f"    url: {quoted(member.url)}",
                f"    branch: {quoted(member.branch)}",
            ]
    return "\n".join(lines) + "\n"


def write_config(root: Path, config: RollupConfig) -> None:
    """Replace rollup.yaml atomically (the caller holds the rollup's lock)."""
    from minsheng_cli.store.atomic import write_atomic

    try:
        write_atomic(root / ROLLUP_FILE, config_text(config).encode("utf-8"))
    except OSError as exc:  # a full disk, a read-only folder, a file-size limit
        raise WriteRefused(
            _("could not write {file} ({error})").format(
                file=ROLLUP_FILE, error=exc.strerror or exc
            )
        ) from exc
