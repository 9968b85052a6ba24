"""Cutting a text short to a number of cells without cutting a number: "完成法律援助180件" cut
to 14 cells reads "完成法律援助…", never "完成法律援助18…" (which reads as 18)."""

from __future__ import annotations

import re

from rich.cells import cell_len, set_cell_size

NUMBER = re.compile(r"\d[\d.,%-]*")
"""A number as the ledger writes one: digits, a decimal point or thousands separator, a %.
(The full-width ， is never a thousands separator: 200人，发放 ends the number at 200.)"""


def cut_to(text: str, cells: int, ellipsis: str = "…") -> str:
    """``text`` in at most ``cells`` cells: whole if it fits, else cut with ``ellipsis`` before
    the number the cut would fall in (and before the spaces ahead of it)."""
    if cell_len(text) <= cells:
        return text
    room = cells - cell_len(ellipsis)
    if room < 0:
        return set_cell_size(text[: 2 * cells], cells)
    head = set_cell_size(text[: 2 * room], room).rstrip()
    kept = len(head)
    for number in NUMBER.finditer(text):
        if number.start() < kept < number.end():
            head = text[: number.start()]
            break
    return head.rstrip() + ellipsis


TOKEN = re.compile(r"[0-9A-Za-z][0-9A-Za-z.,%+\-_/:]*|\s+|.", re.DOTALL)
"""What a line may not break inside: a number or Latin word; any other character stands alone."""
CLOSING = frozenset("，。、；：！？）》」』”’,.;:!?)%")
"""Punctuation that never starts a line: it stays with what it closes."""


def folded(text: str, cells: int) -> str:
    """``text`` in lines of at most ``cells`` cells, broken between Chinese characters or at
    spaces, never inside a number or word (unless it alone is too long for a line)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines += _folded_line(paragraph, max(1, cells))
    return "\n".join(lines)


def _folded_line(text: str, cells: int) -> list[str]:
    tokens = [t.group() for t in TOKEN.finditer(text)]
    joined: list[str] = []
    for token in tokens:  # closing punctuation sticks to the token before it
        if joined and token in CLOSING:
            joined[-1] += token
        else:
            joined.append(token)
    lines: list[str] = []
    line = ""
    for token in joined:
        if cell_len(line + token) <= cells:
            line += token
            continue
        if line.strip():
            lines.append(line.rstrip())
        line = "" if token.isspace() else token
        while cell_len(line) > cells:  # a word longer than a line: by characters
            head = set_cell_size(line, cells).rstrip()
            head = head or line[0]
            lines.append(head)
            line = line[len(head) :]
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines
