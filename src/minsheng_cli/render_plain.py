"""The same tables as plain, aligned text for a pipe or a file, without Rich's layout engine.

Rich measures and wraps every cell to fit a terminal; a pipe has no width to fit, and at a
province's 100,000 milestones that layout took 14 s of a 16 s `status`. Here each column is as
wide as its widest cell (display width from Rich's own ``cell_len``, so Chinese lines up), nothing
is cut off, and no line carries trailing spaces, so the output greps and diffs cleanly.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from rich.cells import cell_len, set_cell_size
from rich.table import Column, Table
from rich.text import Text

if TYPE_CHECKING:
    from rich.console import RenderableType

GAP = "  "
LONGEST_CELL = 40
"""Display cells a column may take before its text is cut with "…" (JSON and export keep all)."""


def to_plain(renderable: RenderableType | Sequence[RenderableType]) -> str:
    """Tables and Texts (a tuple of them, as render_text returns, or a Group) as plain text."""
    return "\n".join(_lines(renderable))


def _lines(renderable: RenderableType | Sequence[RenderableType]) -> Iterator[str]:
    console = sys.modules.get("rich.console")  # a Group exists only if its module was imported
    if isinstance(renderable, tuple | list):
        for child in renderable:
            yield from _lines(child)
    elif console is not None and isinstance(renderable, console.Group):
        yield from _lines(list(renderable.renderables))
    elif isinstance(renderable, Table):
        yield from table_lines(renderable)
    else:
        yield from cell_text(renderable).rstrip().split("\n")


def cell_text(renderable: object) -> str:
    if renderable is None:
        return ""
    if isinstance(renderable, Text):
        return renderable.plain
    return str(renderable)


def table_lines(table: Table) -> Iterator[str]:
    if table.title is not None:
        yield cell_text(table.title).rstrip()
        yield ""
    headers = [cell_text(column.header) for column in table.columns]
    last = len(table.columns) - 1
    columns = [
        [_fitted(_one_line(cell), _cap(column, index == last)) for cell in column.cells]
        for index, column in enumerate(table.columns)
    ]
    widths = [
        max([cell_len(header), *(cell_len(value) for value in values)])
        for header, values in zip(headers, columns, strict=True)
    ]
    justify = [column.justify for column in table.columns]
    yield _row(headers, widths, justify)
    yield "─" * (sum(widths) + len(GAP) * (len(widths) - 1))
    for index, row in enumerate(zip(*columns, strict=True)):
        yield _row(row, widths, justify)
        if table.rows[index].end_section and index < len(table.rows) - 1:
            yield ""


def _cap(column: Column, last: bool) -> int | None:
    """How wide a column may grow: its own cap if it is drawn to be cut short (one line, with an
    ellipsis); LONGEST_CELL for any other but the last, which needs no padding and shows all."""
    if column.no_wrap and column.overflow == "ellipsis" and column.max_width:
        return column.max_width
    return None if last else LONGEST_CELL


def _fitted(text: str, cap: int | None) -> str:
    if cap is None or cell_len(text) <= cap:
        return text
    return set_cell_size(text, cap - 1).rstrip() + "…"


def _one_line(cell: RenderableType) -> str:
    return " ".join(cell_text(cell).split("\n"))


def _row(cells: Sequence[str], widths: Sequence[int], justify: Sequence[str]) -> str:
    padded = []
    for text, width, how in zip(cells, widths, justify, strict=True):
        space = width - cell_len(text)
        if how == "right":
            padded.append(" " * space + text)
        elif how == "center":
            padded.append(" " * (space // 2) + text + " " * (space - space // 2))
        else:
            padded.append(text + " " * space)
    return GAP.join(padded).rstrip()
