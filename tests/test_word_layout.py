"""The Word bulletin as it lays out (issue 12): narrow columns never wrap, the long texts take the
room, a label never sits alone at a page's foot, the title's lines are balanced.

Widths are read back with python-docx and compared with what a text needs on one line at the
table's 10.5 pt: a Chinese character 1 em, a digit or Latin letter up to 0.64 em (DejaVu Serif,
the widest common fallback for Times New Roman), a hyphen 0.34 em, and Word's cell margins.
"""

from __future__ import annotations

import unicodedata
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_cli
from tests.test_report import half_year_ledger

EM_CM = 10.5 * 2.54 / 72
CELL_MARGINS_CM = 0.38
TEXT_BLOCK_CM = 21 - 2.8 - 2.6
STACKED = "完成时限\n到期日"
NARROW_HEADERS = ("序号", STACKED, "逾期天数", "责任领导", "状态")


def one_line_cm(text: str, em: float = EM_CM) -> float:
    """The cm a text needs on one line of a cell (its longest line), margins included (generous
    for Latin)."""
    if "\n" in text:
        return max(one_line_cm(line, em) for line in text.split("\n"))
    ems = 0.0
    for ch in text:
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            ems += 1.0
        elif ch in "-.":
            ems += 0.34
        else:
            ems += 0.64
    return ems * em + CELL_MARGINS_CM


@pytest.fixture(scope="module")
def july_docx(tmp_path_factory: pytest.TempPathFactory) -> Any:
    import docx

    folder = tmp_path_factory.mktemp("word")
    root = half_year_ledger(folder / "ledger")
    output = folder / "july.docx"
    result = run_cli(root, ["report", "--month", "7", "-f", "docx", "-o", str(output)])
    assert result.exit_code == 0, result.output
    return docx.Document(str(output))


def columns_of(table: Any) -> dict[str, tuple[float, list[str]]]:
    """Header → (the column's width in cm, its cells' texts)."""
    headers = [cell.text for cell in table.rows[0].cells]
    result = {}
    for index, (header, column) in enumerate(zip(headers, table.columns, strict=True)):
        texts = [row.cells[index].text for row in table.rows]
        result[header] = (column.width.cm, texts)
    return result


def test_narrow_columns_fit_their_longest_cell_on_one_line(july_docx: Any) -> None:
    """到期日 "2023-07-31", 完成时限 "7月底" and "逐月（8月）" (the one above the other, in one
    column), 状态 "未到期", the header 逾期天数: each on one line, in every table."""
    seen: set[str] = set()
    for table in july_docx.tables:
        for header, (width, texts) in columns_of(table).items():
            if header not in NARROW_HEADERS:
                continue
            longest = max(texts, key=one_line_cm)
            assert width >= one_line_cm(longest), (header, longest, width)
            seen.update(line for text in texts for line in text.split("\n"))
    assert {"逐月（8月）", "7月底", "未到期", "2023-07-31", "逾期天数", "10.1#1"} <= seen


def test_the_long_texts_take_the_rest_of_the_room(july_docx: Any) -> None:
    for table in july_docx.tables:
        columns = columns_of(table)
        assert sum(width for width, _ in columns.values()) == pytest.approx(TEXT_BLOCK_CM, 0.01)
        if "节点内容" in columns:
            widest = max(columns, key=lambda h: columns[h][0])
            assert widest == "节点内容" or widest in ("应完成", "实际完成"), widest
            for header in NARROW_HEADERS:  # no narrow column wider than it needs, by far
                if header in columns:
                    width, texts = columns[header]
                    assert width <= max(map(one_line_cm, texts)) + 0.6, header


def test_the_title_lines_are_balanced(july_docx: Any) -> None:
    title = july_docx.paragraphs[0]
    lines = title.text.split("\n")
    assert "".join(lines) == "泾源县2023年民生实事任务清单推进情况月通报"
    assert lines == ["泾源县2023年民生实事任务清单", "推进情况月通报"]
    title_em = 22 * 2.54 / 72
    for line in lines:
        assert one_line_cm(line, title_em) - CELL_MARGINS_CM <= TEXT_BLOCK_CM


def test_a_label_keeps_with_its_lines(july_docx: Any) -> None:
    """本期计划： with lines under it never sits alone at a page's foot; nor does a heading."""
    paragraphs = july_docx.paragraphs
    labels = [
        p
        for p, following in pairwise(paragraphs)
        if p.text.endswith("：") and following.text.startswith("（1）")
    ]
    assert any(p.text.endswith("本期计划：") for p in labels)
    for paragraph in labels:
        assert paragraph.paragraph_format.keep_with_next, paragraph.text
    for paragraph in paragraphs:
        style = paragraph.style.name if paragraph.style else ""
        if style.startswith("Heading"):
            keep = paragraph.paragraph_format.keep_with_next
            if keep is None and paragraph.style is not None:
                keep = paragraph.style.paragraph_format.keep_with_next
            assert keep, paragraph.text


def test_a_title_that_fits_stays_on_one_line(tmp_path: Path) -> None:
    from minsheng_cli.paperwork.word import title_lines

    assert title_lines("短标题：月通报", "短标题", 15.6) == ["短标题：月通报"]
    lines = title_lines("某" * 30, "", 15.6)
    assert len(lines) == 2
    assert abs(len(lines[0]) - len(lines[1])) <= 1
