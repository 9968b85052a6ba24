"""Columns by their headers, whatever their order: which column is 序号, 实事名称, 完成时限….

A header repeated at the top of every page is skipped; a table without a header that follows a
recognised one with as many columns continues it (a table broken across pages); a column whose
header is not known is kept, its text going to the item's note under its header.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from minsheng_cli.errors import UsageError
from minsheng_cli.i18n import _
from minsheng_cli.notice.table import Grid

HEADERS: dict[str, tuple[str, ...]] = {
    "number": ("序号", "编号"),
    "name": ("实事名称", "项目名称", "实事项目", "民生实事", "名称"),
    "content": (
        "实事内容",
        "主要内容",
        "指标任务",
        "工作举措及实施计划",
        "建设内容",
        "目标任务",
        "工作任务",
        "具体内容",
    ),
    "deadline": ("完成时限", "时间节点", "进度要求", "实施计划", "完成时间", "时间安排"),
    "leader": ("责任领导", "包抓领导", "分管领导", "牵头领导"),
    "unit": ("责任单位", "牵头单位", "责任部门", "牵头部门"),
    "partners": ("配合单位", "协办单位", "配合部门"),
    "note": ("备注",),
}
FIELD_OF = {word: name for name, words in HEADERS.items() for word in words}
MIN_HEADERS = 3


def squeeze(text: str) -> str:
    """A cell without any whitespace: "任  伟" → "任伟", "残疾人\\n联合会" → "残疾人联合会"."""
    return re.sub(r"\s+", "", text)


def field_of(cell: str) -> str | None:
    return FIELD_OF.get(squeeze(cell))


def header_run(cells: Sequence[str]) -> tuple[int, int]:
    """Where the first header row starts in a flat list of cells and how many cells it has
    ((0, 0) if none): the first run of at least three header names."""
    index = 0
    while index < len(cells):
        end = index
        while end < len(cells) and field_of(cells[end]) is not None:
            end += 1
        if end - index >= MIN_HEADERS:
            return index, end - index
        index = end + 1
    return 0, 0


@dataclass(frozen=True, slots=True)
class Columns:
    """A header row read: each column's field, or its header text when the field is unknown."""

    fields: dict[int, str]
    extra: dict[int, str]
    width: int
    names: dict[str, str]
    """Each field's header as the table writes it (for the report: 完成时限, 时间节点…)."""


@dataclass(slots=True)
class Row:
    """One data row: where it is (table, row from 1) and its cells by field."""

    table: int
    row: int
    cells: dict[str, str]
    extra: list[tuple[str, str]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)

    def get(self, name: str) -> str:
        return self.cells.get(name, "")


def columns_of(row: list[str]) -> Columns | None:
    fields: dict[int, str] = {}
    extra: dict[int, str] = {}
    for index, cell in enumerate(row):
        found = field_of(cell)
        if found is not None and found not in fields.values():
            fields[index] = found
        elif squeeze(cell):
            extra[index] = squeeze(cell)
    known = set(fields.values())
    if len(known) < MIN_HEADERS or "deadline" not in known or not known & {"name", "content"}:
        return None
    names = {name: squeeze(row[index]) for index, name in fields.items()}
    return Columns(fields, extra, len(row), names)


def data_rows(grids: Sequence[Grid]) -> list[Row]:
    """Every data row of every table of the 任务清单 kind, in order; UsageError if none."""
    columns: Columns | None = None
    rows: list[Row] = []
    for grid in grids:
        own_header = False
        for number, cells in enumerate(grid.rows, start=1):
            found = columns_of(cells)
            if found is not None:
                columns, own_header = found, True
                continue
            if columns is None or (not own_header and grid.width != columns.width):
                continue
            row = row_of(grid.number, number, cells, columns)
            if row is not None:
                rows.append(row)
    if columns is None:
        raise UsageError(
            _(
                "no table of the 任务清单 kind: none has the headers 序号, 实事名称 or 实事内容,"
                " and 完成时限 (or their synonyms)"
            )
        )
    return rows


def captions(grids: Sequence[Grid]) -> list[str]:
    """The text above each table's header inside the table (a title row merged across it):
    where a sheet or a web page keeps the list's title."""
    found: list[str] = []
    for grid in grids:
        for cells in grid.rows:
            if columns_of(cells) is not None:
                break
            found += [text for c in cells if (text := c.strip()) and text not in found]
    return found


def row_of(table: int, number: int, cells: list[str], columns: Columns) -> Row | None:
    texts = [cell.strip() for cell in cells]
    if not any(texts) or (len(set(texts)) == 1 and len(texts) > 1):  # empty, or a title across
        return None
    row = Row(table, number, {}, headers=columns.names)
    for index, text in enumerate(texts):
        if index in columns.fields:
            row.cells[columns.fields[index]] = text
        elif index in columns.extra and text:
            row.extra.append((columns.extra[index], text))
    return row
