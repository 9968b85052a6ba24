"""A PDF notice with a text layer (pdfplumber): each page's tables, a merged cell's covered
positions empty (so a 实事 carried down is one more item of it), lines joined inside a cell
unless a clause starts. A scanned PDF, without text, is refused: OCR is out of scope."""

from __future__ import annotations

from pathlib import Path

import pdfplumber

from minsheng_cli.errors import UsageError
from minsheng_cli.i18n import _
from minsheng_cli.notice.table import Notice


def read_pdf(path: Path) -> Notice:
    notice = Notice(path)
    try:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                for line in (page.extract_text() or "").split("\n"):
                    notice.add_line(line)
                for table in page.extract_tables():
                    rows = [[cell or "" for cell in row] for row in table]
                    notice.add_grid(rows, wrapped=True)
    except UsageError:
        raise
    except Exception as error:  # pdfminer raises its own kinds for damaged or encrypted files
        raise UsageError(
            _("{file} cannot be read as a PDF ({kind}); is it damaged or encrypted?").format(
                file=path, kind=type(error).__name__
            )
        ) from None
    if not notice.lines and not notice.grids:
        raise UsageError(
            _("{file} has no text layer (a scan); OCR is not done: ask for the Word file").format(
                file=path
            )
        )
    return notice
