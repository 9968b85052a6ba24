"""What a command prints, before it is drawn: styled text and tables as plain data.

render_text builds these from a Snapshot. For a terminal, render_rich turns them into Rich tables
and texts; for a pipe or a file, render_plain writes them as aligned plain text without importing
Rich's layout engine at all (at a province's 10,000 milestones, building Rich objects only to
flatten them again cost more than the whole evaluation). Ledger text goes in as data, never as
markup, so a project named "[red]x" prints literally on either path.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, NamedTuple, TypeAlias


class Span(NamedTuple):
    """A run of text in one style ("" for none): Rich's style words, such as "bold red"."""

    text: str
    style: str = ""


Line: TypeAlias = tuple[Span, ...]
"""Text in several styles, such as a progress bar: filled green, empty dim, then the share."""

Cell: TypeAlias = str | Span | Line
"""What a table cell or a line of output holds: unstyled text, one styled run, or several."""

Justify: TypeAlias = Literal["left", "right", "center"]
Overflow: TypeAlias = Literal["fold", "ellipsis"]


class Column(NamedTuple):
    """A table column as Rich lays it out on a terminal; a pipe uses only header, justify and a
    cap (``no_wrap`` with ``overflow="ellipsis"`` and ``max_width``: cut short there too)."""

    header: str
    justify: Justify = "left"
    no_wrap: bool = False
    overflow: Overflow = "ellipsis"
    """What a terminal does with a cell too long for the column: Rich's default, cut with …
    (only when the column may not wrap); "fold" wraps it onto more lines."""
    min_width: int | None = None
    max_width: int | None = None
    ratio: int | None = None

    @property
    def cap(self) -> int | None:
        """The width a cell is cut to, with an ellipsis, wherever it is drawn."""
        if self.no_wrap and self.overflow == "ellipsis" and self.max_width:
            return self.max_width
        return None


class Sheet(NamedTuple):
    """A table: title, columns, rows of cells, the rows after which a section ends, and the
    headings that stand on a line of their own, across the whole table, before a row."""

    title: Cell | None
    columns: tuple[Column, ...]
    rows: Sequence[tuple[Cell, ...]]
    section_ends: frozenset[int] = frozenset()
    expand: bool = False
    headings: tuple[tuple[int, Cell], ...] = ()
    """(row index, heading) in row order: a heading is never a cell, so no column folds it."""


Part: TypeAlias = Sheet | Cell
Parts: TypeAlias = tuple[Part, ...]
"""What a command prints, in order: tables and lines of text."""


def plain_text(cell: Cell) -> str:
    """The cell's text without its styles."""
    if isinstance(cell, str):
        return cell
    if isinstance(cell, Span):
        return cell.text
    return "".join(span.text for span in cell)


def spans(cell: Cell) -> Line:
    """The cell as styled runs, whatever form it was given in."""
    if isinstance(cell, str):
        return (Span(cell),)
    if isinstance(cell, Span):
        return (cell,)
    return cell
