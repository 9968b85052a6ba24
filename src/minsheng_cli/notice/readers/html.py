"""The notice as a web page (.html): parsed with the standard library's HTML parser, never
fetched from or run (scripts and styles are skipped); tables with rowspan and colspan resolved;
the encoding as the page declares it (GBK or UTF-8)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from minsheng_cli.notice.table import Notice

BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article"}
SKIPPED = {"script", "style", "head", "title", "noscript", "template"}
CHARSET = re.compile(rb"""charset\s*=\s*["']?([\w-]+)""", re.IGNORECASE)


def decode(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace")
    declared = CHARSET.search(raw[:4096])
    encoding = declared.group(1).decode("ascii").lower() if declared else "utf-8"
    if encoding in ("gbk", "gb2312", "gb18030"):
        encoding = "gb18030"
    try:
        return raw.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return raw.decode("gb18030", errors="replace")


class Cell:
    def __init__(self, rowspan: int, colspan: int) -> None:
        self.rowspan, self.colspan, self.parts = rowspan, colspan, [""]


class TableBuilder:
    """Rows of cells with their spans, laid out on a grid when the table ends."""

    def __init__(self) -> None:
        self.rows: list[list[Cell]] = []

    def grid(self) -> list[list[str]]:
        taken: dict[tuple[int, int], str] = {}
        for r, row in enumerate(self.rows):
            c = 0
            for cell in row:
                while (r, c) in taken:
                    c += 1
                text = "\n".join(part.strip() for part in cell.parts if part.strip())
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        taken.setdefault((r + dr, c + dc), text)
                c += cell.colspan
        height = len(self.rows)
        width = max((c for _r, c in taken), default=-1) + 1
        return [[taken.get((r, c), "") for c in range(width)] for r in range(height)]


def span(attrs: list[tuple[str, str | None]], name: str) -> int:
    value = dict(attrs).get(name) or "1"
    return max(1, min(int(value), 1000)) if value.isdigit() else 1


class NoticeParser(HTMLParser):
    def __init__(self, notice: Notice) -> None:
        super().__init__(convert_charrefs=True)
        self.notice = notice
        self.tables: list[TableBuilder] = []
        self.cell: Cell | None = None
        self.skipping = 0
        self.line = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED:
            self.skipping += 1
        elif tag == "table":
            self.flush()
            self.tables.append(TableBuilder())
        elif tag == "tr" and self.tables:
            self.tables[-1].rows.append([])
        elif tag in ("td", "th") and self.tables:
            if not self.tables[-1].rows:
                self.tables[-1].rows.append([])
            self.cell = Cell(span(attrs, "rowspan"), span(attrs, "colspan"))
            self.tables[-1].rows[-1].append(self.cell)
        elif tag in BLOCKS:
            self.new_line()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.new_line()

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag == "table" and self.tables:
            self.cell = None
            self.notice.add_grid(self.tables.pop().grid())
        elif tag in ("td", "th"):
            self.cell = None
        elif tag in BLOCKS:
            self.new_line()

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        text = re.sub(r"[ \t\r\n]+", " ", data)
        if self.cell is not None:
            self.cell.parts[-1] += text
        elif not self.tables:
            self.line += text

    def new_line(self) -> None:
        if self.cell is not None:
            self.cell.parts.append("")
        elif not self.tables:
            self.flush()

    def flush(self) -> None:
        self.notice.add_line(self.line)
        self.line = ""


def read_html(path: Path, raw: bytes) -> Notice:
    notice = Notice(path)
    parser = NoticeParser(notice)
    parser.feed(decode(raw))
    parser.close()
    parser.flush()
    while parser.tables:
        notice.add_grid(parser.tables.pop(0).grid())
    return notice
