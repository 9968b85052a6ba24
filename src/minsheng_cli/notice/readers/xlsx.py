"""An Excel notice (.xlsx, openpyxl): every sheet a table, merged ranges resolved (the top-left
cell's text in every cell of the range)."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import openpyxl

from minsheng_cli.errors import UsageError
from minsheng_cli.i18n import _
from minsheng_cli.notice.table import Notice


def text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y年%m月%d日")
    return str(value)


def read_xlsx(path: Path) -> Notice:
    try:
        book = openpyxl.load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise UsageError(_("{file} is damaged: {error}").format(file=path, error=error)) from None
    notice = Notice(path)
    for sheet in book.worksheets:
        rows = [[text_of(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        for merged in sheet.merged_cells.ranges:
            top = text_of(sheet.cell(merged.min_row, merged.min_col).value)
            for r in range(merged.min_row, merged.max_row + 1):
                for c in range(merged.min_col, merged.max_col + 1):
                    if r <= len(rows) and c <= len(rows[r - 1]):
                        rows[r - 1][c - 1] = top
        notice.add_grid(rows)
    return notice
