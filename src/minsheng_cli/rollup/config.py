"""rollup.yaml: the rollup's title, level and member ledgers (name, git URL or path, branch)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from minsheng_cli.errors import UsageError
from minsheng_cli.i18n import _

ROLLUP_FILE = "rollup.yaml"
STATE_FILE = "rollup-state.json"
"""What the last sync read of each member (committed in the rollup's own repository)."""
WORK_DIR = ".minsheng-rollup"
"""Mirrors of the members' repositories and the rollup's caches; ignored by git."""

MemberName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]


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


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MemberModel(_Strict):
    name: MemberName
    url: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
    branch: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)] = "main"


class RollupFile(_Strict):
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
    level: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)] = "市"
    members: list[MemberModel] = Field(default_factory=list)


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
