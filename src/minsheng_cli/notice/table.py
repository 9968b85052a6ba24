"""What every reader gives: the notice's running text and its tables as grids of plain text.

A grid has its merged cells resolved (a merged cell's text in every position it covers), so the
columns module never needs to know which format a table came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from minsheng_cli.text import CONTROL_CHARACTERS


def clean(text: str) -> str:
    """Text from a file with its control characters (ESC, NUL, form feeds) removed; tabs and
    newlines kept, non-breaking and full-width spaces made plain ones."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    text = text.replace("\u3000", " ").replace("\u200b", "").replace("\ufeff", "")
    return CONTROL_CHARACTERS.sub("", text)


@dataclass(slots=True)
class Grid:
    """One table: rows of cell texts, merged cells resolved. ``wrapped``: a cell's line breaks
    may fall inside a sentence (a PDF's layout), so lines are joined unless a clause starts."""

    number: int
    rows: list[list[str]]
    wrapped: bool = False

    @property
    def width(self) -> int:
        return max((len(row) for row in self.rows), default=0)


@dataclass(slots=True)
class Notice:
    """A notice as read: where it came from, its text outside tables, and its tables in order."""

    source: Path
    lines: list[str] = field(default_factory=list)
    grids: list[Grid] = field(default_factory=list)

    def add_grid(self, rows: list[list[str]], wrapped: bool = False) -> None:
        cleaned = [[clean(cell) for cell in row] for row in rows]
        if any(any(cell.strip() for cell in row) for row in cleaned):
            self.grids.append(Grid(len(self.grids) + 1, cleaned, wrapped))

    def add_line(self, line: str) -> None:
        text = clean(line).strip()
        if text:
            self.lines.append(text)
