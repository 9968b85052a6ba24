"""Reading back the plain tables a pipe gets (render_plain): cut each row at the display offsets
where the header's columns start, checking on the way that the columns really line up."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len

from minsheng_cli.render.cut import NUMBER

GAP = "  "
RULE = "-"
ELLIPSIS = "..."
AMBIGUOUS_DRAWING = "█░─"
"""Drawing characters Chinese fonts draw one or two cells wide: a pipe never prints them."""
ASCII = str.maketrans({"█": "#", "░": ".", "─": "-"})


def in_ascii(text: str) -> str:
    """``text`` as a pipe prints it in a table cell: the tables' drawing characters in ASCII,
    and a cell of only — (the tables' "nothing") as -."""
    written = text.translate(ASCII)
    return "-" if written == "—" else written


def cut_at(line: str, starts: Sequence[int]) -> list[str]:
    """``line`` cut at the display offsets ``starts`` (the first is 0) into raw pieces, padding
    kept. A wide character may not straddle a cut: that would mean the columns do not line up."""
    assert starts and starts[0] == 0, starts
    pieces = [""] * len(starts)
    offset = 0
    column = 0
    for char in line:
        while column + 1 < len(starts) and offset >= starts[column + 1]:
            column += 1
        width = cell_len(char)
        if column + 1 < len(starts):
            assert offset + width <= starts[column + 1], (line, offset, char)
        pieces[column] += char
        offset += width
    return pieces


def column_starts(header: str) -> list[int]:
    """Display offsets where the header's words begin after a gap (headers have no double space)."""
    starts = [0]
    offset = 0
    spaces = 0
    for char in header:
        if char != " " and spaces >= len(GAP) and offset > 0:
            starts.append(offset)
        spaces = spaces + 1 if char == " " else 0
        offset += cell_len(char)
    return starts


def is_rule(line: str) -> bool:
    return bool(line) and set(line) == {RULE}


@dataclass
class PlainTable:
    title: str
    header: list[str]
    rows: list[list[str]]
    """Each row's cells, stripped; an empty cell is ""."""
    raw: list[list[str]]
    """Each row's pieces as printed, padding and gap included."""
    lines: list[str]
    """The row lines as printed, in order."""
    breaks: list[int]
    """After how many rows a blank line comes (a section ends)."""
    after: list[str]
    """The lines after the table and the blank line that ends it (the footer)."""


ESCALATION = "⚠ "
"""How a line under status's and overdue's footer starts: 连续N月滞后 (core/escalation)."""


def parse_table(text: str, footer_lines: int = 1) -> PlainTable:
    """The one table in ``text`` (as printed, one final newline or none): title, blank line,
    header, rule, rows, the blank line that ends every table; then ``footer_lines`` lines of its
    own. Asserts what must hold of every such table: no trailing spaces, no leading indentation,
    the rule as wide as the table, each column starting at the same display offset with a
    two-space gap before it, no wide character cut in half, no ambiguous-width drawing character."""
    lines = text.removesuffix("\n").split("\n")
    while len(lines) > 1 and lines[-1].startswith(ESCALATION):
        lines.pop()  # status and overdue: the items slipping month after month, under the footer
    assert all(line == line.rstrip() for line in lines), [ln for ln in lines if ln != ln.rstrip()]
    assert not set(text) & set(AMBIGUOUS_DRAWING), set(text) & set(AMBIGUOUS_DRAWING)
    # the first line of dashes: a row of a lone "-" cell comes after it
    rule_at = next(i for i, line in enumerate(lines) if is_rule(line))
    assert rule_at >= 3, lines[:rule_at]
    title, blank, header_line = lines[rule_at - 3 : rule_at]
    assert blank == ""
    assert not header_line.startswith(" ")
    rule = lines[rule_at]
    end = len(lines) - footer_lines
    assert end > rule_at + 1 and lines[end - 1] == "", f"no blank line after the table: {lines}"
    body = lines[rule_at + 1 : end - 1]
    starts = column_starts(header_line)
    header = [piece.strip() for piece in cut_at(header_line, starts)]
    assert all(header), header

    rows: list[list[str]] = []
    raw: list[list[str]] = []
    kept: list[str] = []
    breaks: list[int] = []
    for line in body:
        if line == "":
            assert rows and (not breaks or breaks[-1] != len(rows)), "two blank lines in a row"
            breaks.append(len(rows))
            continue
        assert cell_len(line) <= cell_len(rule), line
        pieces = cut_at(line, starts)
        for index in range(1, len(starts)):
            if cell_len(line) > starts[index]:
                # the column before ends in a gap: nothing of it runs into this one
                assert pieces[index - 1].endswith(GAP), (line, index, pieces)
        raw.append(pieces)
        rows.append([piece.strip() for piece in pieces])
        kept.append(line)
    assert rows, "a table without rows"
    assert not breaks or breaks[-1] < len(rows), "two blank lines after the last row"
    # the rule is exactly as wide as the widest line of the table
    assert cell_len(rule) == max(cell_len(line) for line in [header_line, *kept])
    return PlainTable(title, header, rows, raw, kept, breaks, lines[end:])


def fits(shown: str, full: str, cap: int) -> bool:
    """``shown`` is ``full`` as a pipe prints it, or that cut with "..." to at most ``cap``
    display cells, keeping as much as fits: the next character (after any spaces the cut
    dropped) would not have."""
    full = in_ascii(full)
    if cell_len(full) <= cap:
        return shown == full
    if not shown.endswith(ELLIPSIS):
        return False
    kept = shown.removesuffix(ELLIPSIS)
    if not full.startswith(kept) or cell_len(shown) > cap:
        return False
    rest = full[len(kept) :]
    spaces = len(rest) - len(rest.lstrip(" "))
    following = rest[spaces:][:1]
    if cell_len(kept) + spaces + cell_len(following) > cap - len(ELLIPSIS):
        return True
    # or cut before a number the cut would have fallen in: "完成法律援助..." for "…180件"
    number = NUMBER.match(rest[spaces:])
    room = cap - len(ELLIPSIS)
    return number is not None and cell_len(kept) + spaces + len(number.group()) > room
