"""What a command prints, drawn by Rich for a terminal: tables fitted to its width, in colour.

Imported only when standard output is a terminal; a pipe gets render_plain. Every piece of text
goes in as ``Text`` (never as markup), and control characters are shown as �, so neither a
project named "[red]x" nor an escape sequence in a git subject can drive the terminal.

How a table fits the width, whatever the command: a column that may not wrap (序号, dates,
states, numbers) keeps the width of its widest cell, so it never folds; a header is never split
(a column is at least as wide as its header); when the table is wider than the terminal, the
columns that may wrap (the ledger's texts) share what is left, in their ratios (1 each unless
said), and fold their text between words or characters.
"""

from __future__ import annotations

from rich import box
from rich.cells import cell_len
from rich.console import RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from minsheng_cli.render.cut import folded
from minsheng_cli.render.sheet import (
    Cell,
    Column,
    Parts,
    Sheet,
    Span,
    plain_text,
    spans,
)
from minsheng_cli.text import without_controls

EDGE = 1
"""The cells SIMPLE_HEAD draws at each end of a row."""
BETWEEN = 3
"""What each column adds to its text: a cell of padding on each side and a separator."""


def to_rich(parts: Parts, width: int = 200) -> list[RenderableType]:
    drawn: list[RenderableType] = []
    for part in parts:
        drawn += rich_tables(part, width) if isinstance(part, Sheet) else [rich_text(part)]
    return drawn


def rich_text(cell: Cell) -> Text:
    text = Text()
    for span in spans(cell):
        text.append(without_controls(span.text), style=span.style)
    return text


def cell_width(cell: Cell) -> int:
    """The cells the widest line of ``cell`` takes."""
    return max(cell_len(line) for line in plain_text(cell).split("\n"))


def natural_widths(sheet: Sheet) -> list[int]:
    """Each column as wide as its widest cell (a capped one no wider than its cap)."""
    widths = []
    for index, column in enumerate(sheet.columns):
        width = max([cell_width(column.header), *(cell_width(row[index]) for row in sheet.rows)])
        widths.append(min(width, column.cap) if column.cap else width)
    return widths


def table_width(widths: list[int]) -> int:
    """What a row of columns this wide takes on the terminal, padding and edges included."""
    return sum(widths) + BETWEEN * len(widths) - 1 + 2 * EDGE


def rich_table(sheet: Sheet, width: int = 200) -> Table:
    """The sheet as one Rich table (its headings, if any, are left out: see rich_tables)."""
    natural = natural_widths(sheet)
    fitted = fitted_widths(sheet, natural, width)
    table = _empty_table(sheet, natural, fitted, expand=sheet.expand and fitted is None)
    for index, row in enumerate(sheet.rows):
        cells = row if fitted is None else _folded_row(sheet.columns, row, fitted)
        table.add_row(*(rich_text(cell) for cell in cells), end_section=index in sheet.section_ends)
    return table


def rich_tables(sheet: Sheet, width: int = 200) -> list[RenderableType]:
    """The sheet as Rich draws it: one table, or, when it has headings, a table per run of rows
    with its headings on lines of their own between them, every column as wide in each table
    (the tables after the first without the blank edges above and below them)."""
    if not sheet.headings:
        return [rich_table(sheet, width)]
    natural = natural_widths(sheet)
    widths = fitted_widths(sheet, natural, width) or natural
    headings: dict[int, list[Cell]] = {}
    for before, heading in sheet.headings:
        headings.setdefault(before, []).append(heading)
    drawn: list[RenderableType] = []
    table = _empty_table(sheet, natural, widths, expand=False, all_fixed=True)
    for index, row in enumerate(sheet.rows):
        if index in headings:
            drawn.append(table if index == 0 else Padding(table, (0, EDGE), expand=False))
            lines = [Text(" " * EDGE) + rich_text(heading) for heading in headings[index]]
            if index - 1 in sheet.section_ends:
                lines.insert(0, Text(""))
            drawn.append(Text("\n").join(lines))
            table = _empty_table(sheet, natural, widths, expand=False, all_fixed=True, first=False)
        table.add_row(*(rich_text(cell) for cell in _folded_row(sheet.columns, row, widths)))
    return [*drawn, table if not drawn else Padding(table, (0, EDGE), expand=False)]


def _empty_table(
    sheet: Sheet,
    natural: list[int],
    fitted: list[int] | None,
    expand: bool,
    all_fixed: bool = False,
    first: bool = True,
) -> Table:
    """The table's columns, without rows; the first with the title and header. Only the texts
    take a fitted width, unless ``all_fixed`` (the tables between headings must line up)."""
    table = Table(
        box=box.SIMPLE_HEAD,
        title=None if sheet.title is None or not first else rich_text(sheet.title),
        title_justify="left",
        expand=expand,
        show_header=first,
        show_edge=first,
    )
    for index, (column, widest) in enumerate(zip(sheet.columns, natural, strict=True)):
        fixed = None if fitted is None or (column.no_wrap and not all_fixed) else fitted[index]
        table.add_column(
            rich_text(column.header),
            justify=column.justify,
            no_wrap=column.no_wrap,  # a text folded to its width is not wrapped again
            overflow=column.overflow if column.no_wrap else "fold",
            min_width=_least_width(column, widest),
            max_width=column.max_width,
            ratio=column.ratio if fitted is None else None,
            width=fixed,
        )
    return table


def fitted_widths(sheet: Sheet, natural: list[int], width: int) -> list[int] | None:
    """When the table is wider than the terminal: the columns that may not wrap as wide as their
    widest cell, the others sharing what is left in their ratios (each at least its header and
    its ``min_width``, what that takes given up by the columns of the largest ratio).
    None when it fits as it is, or nothing may wrap."""
    texts = [i for i, column in enumerate(sheet.columns) if not column.no_wrap]
    if table_width(natural) <= width or not texts:
        return None
    fixed = sum(w for i, w in enumerate(natural) if i not in texts)
    room = width - table_width([fixed]) - BETWEEN * (len(natural) - 1)
    ratios = {i: sheet.columns[i].ratio or 1 for i in texts}
    floors = {i: _floor(sheet.columns[i], natural[i]) for i in texts}
    fitted = list(natural)
    total = sum(ratios.values())
    for i in texts:
        fitted[i] = max(floors[i], min(natural[i], room * ratios[i] // total))
    excess = sum(fitted[i] for i in texts) - room
    for i in sorted(texts, key=lambda i: -ratios[i]):  # floors raised: the widest share gives
        cut = max(0, min(excess, fitted[i] - floors[i]))
        fitted[i] -= cut
        excess -= cut
    spare = room - sum(fitted[i] for i in texts)
    for i in texts:  # what a column does not need goes to the ones that do, in order
        extra = max(0, min(spare, natural[i] - fitted[i]))
        fitted[i] += extra
        spare -= extra
    return fitted


def _folded_row(
    columns: tuple[Column, ...], row: tuple[Cell, ...], widths: list[int]
) -> list[Cell]:
    return [
        cell if column.no_wrap else _folded_cell(cell, width)
        for column, cell, width in zip(columns, row, widths, strict=True)
    ]


def _folded_cell(cell: Cell, width: int) -> Cell:
    """A text folded to the column's width; one run of a style keeps it."""
    if isinstance(cell, str):
        return folded(cell, width)
    if isinstance(cell, Span):
        return Span(folded(cell.text, width), cell.style)
    return cell if cell_width(cell) <= width else folded(plain_text(cell), width)


def _floor(column: Column, widest: int) -> int:
    """What a column that may wrap keeps when the table is fitted: its header whole, and its
    ``min_width`` where its cells need that much."""
    return max(cell_width(column.header), min(widest, column.min_width or 0))


def _least_width(column: Column, widest: int) -> int:
    """A column that may not wrap keeps its widest cell; any other keeps its header whole."""
    header = cell_width(column.header)
    if column.no_wrap and column.cap is None:
        return max(widest, column.min_width or 0)
    return max(header, column.min_width or 0)
