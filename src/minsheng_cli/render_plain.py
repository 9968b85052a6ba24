"""The same tables as plain, aligned text for a pipe or a file, without Rich's layout engine.

Rich measures and wraps every cell to fit a terminal; a pipe has no width to fit, and at a
province's 100,000 milestones that layout took 14 s of a 16 s `status`. Here each column is as
wide as its widest cell (display width from Rich's own ``cell_len``, so Chinese lines up); no fact
is cut off (only the next-milestone summary of `status`, which is cut on a terminal too), and no
line carries trailing spaces, so the output greps and diffs cleanly. The bars and rules the tables
draw (█ ░ ─, which Chinese fonts may draw two cells wide) are written in ASCII, so the columns also
line up in Notepad or WPS; the ledger's own text is written as it is.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from rich.cells import cell_len, set_cell_size
from rich.table import Column, Table
from rich.text import Text

from minsheng_cli.ledger import without_controls

if TYPE_CHECKING:
    from rich.console import RenderableType

GAP = "  "
RULE = "-"
ELLIPSIS = "..."
NOTHING = "-"
ASCII_DRAWING = str.maketrans({"█": "#", "░": ".", "─": "-"})
"""Only what the tables draw themselves (bars, rules): the ledger's own words are never changed."""


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
        yield ""
    else:
        yield from (line.rstrip() for line in cell_text(renderable).rstrip().split("\n"))


def cell_text(renderable: object) -> str:
    if renderable is None:
        return ""
    text = renderable.plain if isinstance(renderable, Text) else str(renderable)
    return without_controls(text).translate(ASCII_DRAWING)


def table_lines(table: Table) -> Iterator[str]:
    if table.title is not None:
        yield cell_text(table.title).rstrip()
        yield ""
    headers = [cell_text(column.header) for column in table.columns]
    columns = [
        [_fitted(_one_line(cell), _cap(column)) for cell in column.cells]
        for column in table.columns
    ]
    widths = [
        max([cell_len(header), *(cell_len(value) for value in values)])
        for header, values in zip(headers, columns, strict=True)
    ]
    justify = [column.justify for column in table.columns]
    yield _row(headers, widths, justify)
    yield RULE * (sum(widths) + len(GAP) * (len(widths) - 1))
    for index, row in enumerate(zip(*columns, strict=True)):
        yield _row(row, widths, justify)
        if table.rows[index].end_section and index < len(table.rows) - 1:
            yield ""


def _cap(column: Column) -> int | None:
    """A column drawn to be cut short on a terminal too (one line, ellipsis) keeps its cap."""
    if column.no_wrap and column.overflow == "ellipsis" and column.max_width:
        return column.max_width
    return None


def _fitted(text: str, cap: int | None) -> str:
    if cap is None or cell_len(text) <= cap:
        return text
    if cap < len(ELLIPSIS):
        return set_cell_size(text, cap)
    return set_cell_size(text, cap - len(ELLIPSIS)).rstrip() + ELLIPSIS


def _one_line(cell: RenderableType) -> str:
    text = " ".join(cell_text(cell).split("\n"))
    return NOTHING if text == "—" else text  # a cell of only — is the tables' "nothing"


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
