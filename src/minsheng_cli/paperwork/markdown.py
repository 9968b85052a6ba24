"""The bulletin or report as Markdown (GitHub-flavoured tables). Ledger text is escaped, never
read as Markdown: a 实事 named ``*x*`` or ``a|b`` prints as written."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from minsheng_cli.paperwork.outline import (
    Block,
    Chart,
    Field,
    Heading,
    Paragraph,
    Report,
    Table,
    report_outline,
)

_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")
_BLOCK_START = re.compile(r"^(\s*)(?:([+\-=#>])|(\d+)([.)]))")


def escape(text: str) -> str:
    """Backslash the characters that mean something inline (emphasis, links, code, HTML, table
    pipes, entities); a line break becomes a space."""
    return _INLINE.sub(r"\\\1", " ".join(text.splitlines()))


def escape_paragraph(text: str) -> str:
    """As ``escape``, and a list or setext marker at the start of the paragraph too."""
    return _BLOCK_START.sub(_escape_marker, escape(text))


def _escape_marker(match: re.Match[str]) -> str:
    indent, sign, digits, dot = match.groups()
    return f"{indent}\\{sign}" if sign else f"{indent}{digits}\\{dot}"


def report_markdown(report: Report) -> str:
    return outline_markdown(report_outline(report))


def outline_markdown(blocks: Iterable[Block]) -> str:
    """Blocks apart by a blank line; the fields of one item as one tight list."""
    text = ""
    previous: Block | None = None
    for block in blocks:
        if isinstance(block, Chart):
            continue
        if previous is not None:
            text += "\n" if isinstance(block, Field) and isinstance(previous, Field) else "\n\n"
        text += block_markdown(block)
        previous = block
    return text + "\n"


def block_markdown(block: Heading | Paragraph | Field | Table) -> str:
    if isinstance(block, Heading):
        return "#" * (block.level + 1) + " " + escape(block.text).replace("#", "\\#")
    if isinstance(block, Paragraph):
        return escape_paragraph(block.text)
    if isinstance(block, Field):
        return field_markdown(block)
    return table_markdown(block)


def field_markdown(field: Field) -> str:
    label = f"**{escape(field.label)}**："
    if len(field.lines) == 1:
        return f"- {label}{escape(field.lines[0])}"
    return "\n".join([f"- {label}", *(f"  - {escape(line)}" for line in field.lines)])


def table_markdown(table: Table) -> str:
    lines = [
        table_row(table.headers),
        "|" + "|".join("---" for _ in table.headers) + "|",
        *(table_row(row) for row in table.rows),
    ]
    return "\n".join(lines)


def table_row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(escape(cell) for cell in cells) + " |"
