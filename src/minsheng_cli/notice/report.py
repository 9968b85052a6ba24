"""The import report as data: what was found, and every cell that needed the clerk."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Flag:
    """A cell the clerk must look at: where it is, what it says, and what was done with it."""

    file: str
    table: int
    row: int
    column: str
    text: str
    action: str


@dataclass(frozen=True, slots=True)
class Place:
    """A cell's address in the notice, to flag it from wherever it is read."""

    file: str
    table: int
    row: int
    column: str

    def flag(self, text: str, action: str) -> Flag:
        return Flag(self.file, self.table, self.row, self.column, text, action)


@dataclass(slots=True)
class ImportReport:
    source: str
    directory: str
    projects: int = 0
    items: int = 0
    milestones: int = 0
    indicators: int = 0
    files: list[str] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    commit: str | None = None
    note: str | None = None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)
