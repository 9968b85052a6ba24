"""Text copied out of a document: cells one per paragraph, tab-indented (as the seed is);
rows with cells separated by `|`; or tab-separated rows (a copy out of Excel or WPS)."""

from __future__ import annotations

import csv
from pathlib import Path

from minsheng_cli.errors import UsageError
from minsheng_cli.i18n import _
from minsheng_cli.notice.columns import header_run
from minsheng_cli.notice.table import Notice, clean

MIN_CELL_LINES = 5
"""A text is one cell per paragraph when at least this many lines start with a tab."""


def decode(raw: bytes, path: Path) -> str:
    """UTF-8 (with or without a BOM), UTF-16 with a BOM, or GBK/GB18030 as Windows saves it."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UsageError(
        _("{file} is neither UTF-8 nor GBK text; save it as UTF-8 or .docx").format(file=path)
    )


def read_text(path: Path, raw: bytes) -> Notice:
    lines = clean(decode(raw, path)).split("\n")
    notice = Notice(path)
    if sum(1 for line in lines if line.startswith("\t")) >= MIN_CELL_LINES:
        read_cell_paragraphs(lines, notice)
    else:
        read_rows(lines, notice)
    return notice


def read_cell_paragraphs(lines: list[str], notice: Notice) -> None:
    """A tab starts a cell; the lines after it, blank ones included, continue it. The header
    row (its cells all header names) gives the number of cells in a row."""
    cells: list[str] = []
    current: list[str] | None = None
    for line in lines:
        if line.startswith("\t"):
            if current is not None:
                cells.append("\n".join(current).strip("\n"))
            current = [line.lstrip("\t")]
        elif current is None:
            notice.add_line(line)
        else:
            current.append(line)
    if current is not None:
        cells.append("\n".join(current).strip("\n"))
    start, width = header_run(cells)
    if width == 0:
        notice.add_grid([[cell] for cell in cells])
        return
    for cell in cells[:start]:
        notice.add_line(cell)
    body = cells[start:]
    rows = [body[i : i + width] for i in range(0, len(body), width)]
    notice.add_grid([row + [""] * (width - len(row)) for row in rows])


def read_rows(lines: list[str], notice: Notice) -> None:
    """Blocks of `|`-separated or tab-separated lines are tables; other lines are the notice."""
    block: list[str] = []
    kind = ""
    for line in [*lines, ""]:
        line_kind = "|" if line.count("|") >= 2 else "\t" if line.count("\t") >= 2 else ""
        if line_kind and (line_kind == kind or not block):
            block.append(line)
            kind = line_kind
            continue
        if block:
            notice.add_grid(split_rows(block, kind))
            block, kind = [], ""
        if line_kind:
            block, kind = [line], line_kind
        else:
            notice.add_line(line)


def split_rows(block: list[str], kind: str) -> list[list[str]]:
    if kind == "\t":
        return [list(row) for row in csv.reader(block, delimiter="\t")]
    rows = []
    for line in block:
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if all(set(cell) <= set("-: ") for cell in cells):  # a Markdown rule |---|---|
            continue
        rows.append(cells)
    return rows
