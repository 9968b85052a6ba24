"""A Word notice (.docx, python-docx): its paragraphs and its tables in document order, merged
cells resolved (python-docx gives a merged cell in every grid position it covers)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph

from minsheng_cli.errors import UsageError
from minsheng_cli.i18n import _
from minsheng_cli.notice.table import Notice

BROKEN = (zipfile.BadZipFile, KeyError, ValueError, OSError)


def read_docx(path: Path) -> Notice:
    try:
        document = docx.Document(str(path))
    except BROKEN as error:
        raise UsageError(_("{file} is damaged: {error}").format(file=path, error=error)) from None
    notice = Notice(path)
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            notice.add_line(Paragraph(child, document).text)
        elif tag == "tbl":
            table = Table(child, document)
            notice.add_grid([[cell.text for cell in row.cells] for row in table.rows])
    return notice
