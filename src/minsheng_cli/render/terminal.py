"""What a command prints, drawn by Rich for a terminal: tables fitted to its width, in colour.

Imported only when standard output is a terminal; a pipe gets render_plain. Every piece of text
goes in as ``Text`` (never as markup), and control characters are shown as �, so neither a
project named "[red]x" nor an escape sequence in a git subject can drive the terminal.
"""

from __future__ import annotations

from rich import box
from rich.table import Table
from rich.text import Text

from minsheng_cli.render.sheet import Cell, Part, Parts, Sheet, spans
from minsheng_cli.text import without_controls


def to_rich(parts: Parts) -> list[Table | Text]:
    return [_renderable(part) for part in parts]


def _renderable(part: Part) -> Table | Text:
    return rich_table(part) if isinstance(part, Sheet) else rich_text(part)


def rich_text(cell: Cell) -> Text:
    text = Text()
    for span in spans(cell):
        text.append(without_controls(span.text), style=span.style)
    return text


def rich_table(sheet: Sheet) -> Table:
    table = Table(
        box=box.SIMPLE_HEAD,
        title=None if sheet.title is None else rich_text(sheet.title),
        title_justify="left",
        expand=sheet.expand,
    )
    for column in sheet.columns:
        table.add_column(
            rich_text(column.header),
            justify=column.justify,
            no_wrap=column.no_wrap,
            overflow=column.overflow,
            min_width=column.min_width,
            max_width=column.max_width,
            ratio=column.ratio,
        )
    for index, row in enumerate(sheet.rows):
        table.add_row(*(rich_text(cell) for cell in row), end_section=index in sheet.section_ends)
    return table
