"""The tables and lines a command prints, as plain aligned text for a pipe or a file.

Rich measures and wraps every cell to fit a terminal; a pipe has no width to fit, and at a
province's 100,000 milestones that layout took 14 s of a 16 s `status`. Here each column is as
wide as its widest cell (display width from Rich's own ``cell_len``, so Chinese lines up; only
``rich.cells`` is imported, not Rich's layout); no fact is cut off (only a column capped on a
terminal too, the next-milestone summary of `status`), and no line carries trailing spaces, so
the output greps and diffs cleanly. The bars and rules the tables draw (█ ░ ─, which Chinese
fonts may draw two cells wide) are written in ASCII, so the columns also line up in Notepad or
WPS; the ledger's own text is written as it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from rich.cells import cell_len, get_character_cell_size

from minsheng_cli.render.cut import cut_to
from minsheng_cli.render.sheet import Cell, Column, Part, Parts, Sheet, plain_text
from minsheng_cli.text import without_controls

GAP = "  "
RULE = "-"
ELLIPSIS = "..."
NOTHING = "-"
JOINERS = frozenset("\u200d\ufe0f")
"""Zero-width joiner and variation selector 16: Rich measures a text holding one as a whole."""
DRAWN = {"█": "#", "░": ".", "─": "-"}
"""Only what the tables draw themselves (bars, rules): the ledger's own words are never changed.
Each is one cell wide to Rich as its ASCII is, so they are replaced after the layout."""


def to_plain(parts: Parts) -> str:
    """What a command prints, its tables and lines in order, as text."""
    text = "\n".join(_lines(parts))
    for drawn, written in DRAWN.items():
        if drawn in text:  # str.replace and `in` scan at C speed: ten times a regex or translate
            text = text.replace(drawn, written)
    return text


def _lines(parts: Sequence[Part]) -> Iterator[str]:
    for part in parts:
        if isinstance(part, Sheet):
            yield from table_lines(part)
            yield ""
        else:
            yield from (
                line.rstrip() for line in without_controls(plain_text(part)).rstrip().split("\n")
            )


def table_lines(sheet: Sheet) -> Iterator[str]:
    """Title, header, rule, rows; laid out a column at a time, each as wide as its widest cell."""
    if sheet.title is not None:
        yield without_controls(plain_text(sheet.title)).rstrip()
        yield ""
    columns = [
        _laid_out(column, [row[index] for row in sheet.rows])
        for index, column in enumerate(sheet.columns)
    ]
    lines = [
        GAP.join(cells).rstrip() for cells in zip(*(cells for _, cells in columns), strict=True)
    ]
    yield lines[0]
    yield RULE * (sum(width for width, _ in columns) + len(GAP) * (len(columns) - 1))
    last = len(lines) - 2
    headings: dict[int, list[Cell]] = {}
    for row, heading in sheet.headings:
        headings.setdefault(row, []).append(heading)
    for index, line in enumerate(lines[1:]):
        for heading in headings.get(index, ()):
            yield without_controls(plain_text(heading)).rstrip()
        yield line
        if index in sheet.section_ends and index < last:
            yield ""


def _laid_out(column: Column, cells: Sequence[Cell]) -> tuple[int, list[str]]:
    """The column's width, and its header and cells padded to it."""
    texts = column_texts([column.header, *cells])
    if column.cap is not None:
        texts[1:] = [_fitted(text, column.cap) for text in texts[1:]]
    known = display_widths(texts)
    sizes = [known[text] for text in texts]
    width = max(sizes)
    if column.justify == "right":
        return width, [" " * (width - size) + text for text, size in zip(texts, sizes, strict=True)]
    if column.justify == "center":
        return width, [
            " " * ((width - size) // 2) + text + " " * (width - size - (width - size) // 2)
            for text, size in zip(texts, sizes, strict=True)
        ]
    return width, [text + " " * (width - size) for text, size in zip(texts, sizes, strict=True)]


def column_texts(cells: Sequence[Cell]) -> list[str]:
    """Each cell on one line: its lines joined with spaces, control characters shown as �; a
    cell of only — (the tables' "nothing") as -."""
    texts = [cell if isinstance(cell, str) else plain_text(cell) for cell in cells]
    if not "".join(texts).isprintable():  # rare: isprintable is False for a newline or a control
        texts = [without_controls(" ".join(text.split("\n"))) for text in texts]
    return [NOTHING if text == "—" else text for text in texts]


def display_widths(texts: Iterable[str]) -> dict[str, int]:
    """Each distinct text's width in cells, exactly as Rich's ``cell_len`` gives it.

    ``cell_len`` walks every character of every text in Python, and a province's table holds
    more distinct texts than its cache: here printable ASCII counts one cell a character, and
    any other text without a joiner or variation selector is the sum of its characters' sizes
    (Rich's own rule for it), each distinct character measured once by Rich.
    """
    widths: dict[str, int] = {}
    others: list[str] = []
    for text in set(texts):
        if text.isascii() and text.isprintable():
            widths[text] = len(text)
        elif JOINERS.isdisjoint(text):
            others.append(text)
        else:
            widths[text] = cell_len(text)
    sizes = {character: get_character_cell_size(character) for character in set("".join(others))}
    for text in others:
        widths[text] = sum(map(sizes.__getitem__, text))
    return widths


def _fitted(text: str, cap: int) -> str:
    if cell_len(text) <= cap:
        return text
    return cut_to(text[: 2 * cap], cap, ELLIPSIS)  # enough characters for ``cap`` cells
