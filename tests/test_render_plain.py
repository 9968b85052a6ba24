"""render_plain on its own: sheets (tables and lines) as plain aligned text for a pipe or a file."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from minsheng_cli.render.plain import display_widths, to_plain
from minsheng_cli.render.sheet import Cell, Column, Sheet, Span
from minsheng_cli.render.tables import progress_bar
from tests.plaintext import AMBIGUOUS_DRAWING, cut_at, fits, in_ascii, parse_table

LONG = "完成可行性研究报告、初步设计、施工图审核等前期工作"  # 25 wide characters: 50 cells


class Draft:
    """A sheet written as the tests think of one: columns, then rows, then sections."""

    def __init__(self, title: str | None) -> None:
        self.title = title
        self.columns: list[Column] = []
        self.rows: list[tuple[Cell, ...]] = []
        self.section_ends: set[int] = set()

    def add_column(self, header: str, **options: Any) -> None:
        self.columns.append(Column(header, **options))

    def add_row(self, *cells: Cell, end_section: bool = False) -> None:
        self.rows.append(cells)
        if end_section:
            self.section_ends.add(len(self.rows) - 1)

    def sheet(self) -> Sheet:
        return Sheet(self.title, tuple(self.columns), self.rows, frozenset(self.section_ends))


def table(*headers: str, title: str | None = "标题", **column: Any) -> Draft:
    made = Draft(title)
    for header in headers:
        made.add_column(header, **column)
    return made


def shown(*parts: Draft | Cell) -> str:
    """What a pipe gets for these parts, in order."""
    return to_plain(tuple(part.sheet() if isinstance(part, Draft) else part for part in parts))


def test_title_blank_line_header_rule_rows_blank_line() -> None:
    made = table("序号", "名称")
    made.add_row("1.1", "冬季清洁取暖工程")
    made.add_row("10.1", "政务")

    assert shown(made).split("\n") == [
        "标题",
        "",
        "序号  名称",
        "----------------------",
        "1.1   冬季清洁取暖工程",
        "10.1  政务",
        "",  # every table ends in a blank line
    ]


def test_without_a_title_the_header_comes_first() -> None:
    made = table("a", "b", title=None)
    made.add_row("x", "y")

    assert shown(made) == "a  b\n----\nx  y\n"


def test_wide_characters_line_up_by_display_width() -> None:
    made = table("No.", "Unit", "Leader")
    made.add_row("1.1", "住房和城乡建设局", "王继讲")
    made.add_row("9.1", "司法局", "张怀彪")
    made.add_row("3.3", "water", "任伟")
    lines = shown(made).split("\n")

    # 住房和城乡建设局 is 8 characters but 16 cells: the column is 16 wide, not 8
    assert lines[2:] == [
        "No.  Unit" + " " * 14 + "Leader",
        "-" * (3 + 2 + 16 + 2 + 6),
        "1.1  住房和城乡建设局  王继讲",
        "9.1  司法局" + " " * 12 + "张怀彪",
        "3.3  water" + " " * 13 + "任伟",
        "",
    ]
    leaders = zip(lines[4:7], ("王继讲", "张怀彪", "任伟"), strict=True)
    assert {cell_len(line[: line.index(leader)]) for line, leader in leaders} == {3 + 2 + 16 + 2}
    assert len(lines[4]) < cell_len(lines[4])  # padded by cells, not by characters


def test_right_and_centre_justified_columns() -> None:
    made = table("名称", title=None)
    made.add_column("天数", justify="right")
    made.add_column("灯", justify="center")
    made.add_column("备注")
    made.add_row("甲", "150", "红", "a")
    made.add_row("乙乙乙", "0", "✓", "b")
    made.add_row("丙", "61", "黄", "")

    assert shown(made).split("\n") == [
        "名称    天数  灯  备注",
        "-" * (6 + 2 + 4 + 2 + 2 + 2 + 4),
        "甲" + " " * 7 + "150  红  a",
        "乙乙乙" + " " * 5 + "0  ✓   b",  # one cell in two: the odd space goes after
        "丙" + " " * 8 + "61  黄",  # an empty last cell leaves no trailing spaces
        "",
    ]


def test_no_column_is_cut_however_long_its_text() -> None:
    """A clerk saving `overdue > 6月逾期.txt` needs every word: no 40-cell cap any more, in a
    middle column or the last; the columns after a long cell move right to make room."""
    made = table("#", "节点内容", "应完成")
    made.add_row("1", LONG, LONG)
    exactly = "一二三四五六七八九十" * 2  # 40 cells, the old cap
    made.add_row("2", exactly + "零", "x")
    lines = shown(made).split("\n")

    assert lines[4] == f"1  {LONG}  {LONG}"
    assert lines[5] == f"2  {exactly}零" + " " * (50 - 42) + "  x"
    assert cell_len(lines[4]) == 1 + 2 + 50 + 2 + 50  # the middle column is 50 wide: its widest
    assert "…" not in "\n".join(lines) and "..." not in "\n".join(lines)


def test_long_ascii_is_kept_whole() -> None:
    made = table("a", "b")
    made.add_row("x" * 41, "y" * 100)
    made.add_row("z" * 40, "w")

    assert shown(made).split("\n")[4:] == ["x" * 41 + "  " + "y" * 100, "z" * 40 + "   w", ""]


def test_an_ellipsis_column_is_cut_at_its_own_max_width() -> None:
    made = table("序号", title=None)
    made.add_column("下一节点", no_wrap=True, overflow="ellipsis", max_width=12)
    made.add_column("到期日")
    made.add_row("1.1", "1月底 完成可行性研究报告", "2023-01-31")
    made.add_row("9.1", "3月底 完成", "2023-03-31")
    made.add_row("7.1", "abcdefghijkl", "2023-02-10")
    made.add_row("8.1", "abcdefghijklm", "2023-05-20")
    rows = shown(made).split("\n")

    # 12 cells: 9 of text and "..." (3 cells, ASCII); 1月底 完 is 8 cells, 成 would take the
    # 9th and 10th
    assert rows == [
        "序号  下一节点      到期日",
        "-" * (4 + 2 + 12 + 2 + 10),
        "1.1   1月底 完...   2023-01-31",
        "9.1   3月底 完成    2023-03-31",
        "7.1   abcdefghijkl  2023-02-10",  # 12 cells exactly: not cut
        "8.1   abcdefghi...  2023-05-20",  # 13: cut to 9 and "..."
        "",
    ]
    assert max(cell_len(row.split("  ")[1].strip()) for row in rows[2:-1]) == 12


def test_a_cut_drops_the_spaces_before_its_dots() -> None:
    made = table("a", title=None)
    made.add_column("b", no_wrap=True, overflow="ellipsis", max_width=11)
    made.add_row("1", "5月中旬 启动全县")  # 8 cells of text: 5月中旬 is 7, the 8th a space

    assert shown(made).split("\n")[2] == "1  5月中旬..."  # not "5月中旬 ..."


def test_an_ellipsis_column_is_cut_even_when_it_is_the_last() -> None:
    made = table("a", title=None)
    made.add_column("b", no_wrap=True, overflow="ellipsis", max_width=5)
    made.add_row("1", "民生实事台账")

    assert shown(made).split("\n")[-2:] == ["1  民...", ""]


def test_a_max_width_alone_does_not_cut() -> None:
    """Rich folds a max_width column onto more lines; a pipe has one line a row and keeps the
    whole cell (status's 实事名称 and 责任单位 keep their whole names)."""
    made = table("序号", title=None)
    made.add_column("实事名称", max_width=6, overflow="fold")
    made.add_column("灯")
    made.add_row("10.1", "政务惠企便民服务提升工程", "红")

    assert shown(made).split("\n")[-2:] == ["10.1  政务惠企便民服务提升工程  红", ""]


def test_a_blank_line_after_a_section_and_one_after_the_table() -> None:
    made = table("领导", "序号")
    made.add_row("王继讲", "2.1#5")
    made.add_row("", "3.2#4", end_section=True)
    made.add_row("任伟", "3.1#3", end_section=True)
    made.add_row("李静", "7.2#2", end_section=True)

    assert shown(made).split("\n")[2:] == [
        "领导    序号",
        "-" * 13,
        "王继讲  2.1#5",
        "        3.2#4",
        "",
        "任伟    3.1#3",
        "",
        "李静    7.2#2",
        "",  # the last section's end is the table's: one blank line, not two
    ]


def test_tables_one_after_another_are_kept_apart_by_one_blank_line() -> None:
    """show prints an item's tables one after another; a text after a table starts after the
    blank line, a table after a text right under it (its title is its heading)."""
    first = table("指标", "目标", title="指标完成情况")
    first.add_row("示范村", "15个")
    second = table("#", "节点内容", title="时间节点")
    second.add_row("1", "开工建设")

    assert shown("进度：░░░░░░░░░░   0%", first, second, "3.2 下一项") == (
        "进度：..........   0%\n"
        "指标完成情况\n\n指标    目标\n------------\n示范村  15个\n\n"
        "时间节点\n\n#  节点内容\n-----------\n1  开工建设\n\n"
        "3.2 下一项"
    )


def test_styled_lines_around_a_table() -> None:
    made = table("a", "b", title=None)
    made.add_row("1", "2")
    heading = (Span("泾源县  status  ", "bold"), Span("as of 2023-06-30", "dim"))
    footer = Span("Items: green 0  red 1  ", "green")
    text = shown(heading, made, footer)

    assert text.split("\n") == [
        "泾源县  status  as of 2023-06-30",
        "a  b",
        "----",
        "1  2",
        "",
        "Items: green 0  red 1",
    ]
    assert "\x1b" not in text


def test_a_line_may_be_plain_one_styled_run_or_several() -> None:
    made = table("a", "b", title=None)
    made.add_row(Span("1", "bold"), (Span("2", "green"), Span("3")))

    assert shown("头", made, Span("尾", "dim")) == "头\na  b\n-----\n1  23\n\n尾"
    assert shown((Span("头"),), made, (Span("尾"),)) == shown("头", made, "尾")


def test_a_text_of_several_lines_keeps_them_without_trailing_spaces() -> None:
    header = "3.1 农村人居环境提升工程  红\n任务内容：改造 \n\n进度：░░░░░   0%  \n"

    assert shown(header).split("\n") == [
        "3.1 农村人居环境提升工程  红",
        "任务内容：改造",  # its trailing space gone, as the line's own
        "",  # a blank line inside a text is kept
        "进度：.....   0%",
    ]


def test_a_cell_of_several_lines_is_joined_with_spaces() -> None:
    made = table("#", "内容", "状态")
    made.add_row("1", Span("完成招投标\n开工建设", "bold"), "逾期")
    made.add_row("2", "a\nb\nc", "x")

    assert shown(made).split("\n")[4:] == [
        "1  完成招投标 开工建设  逾期",
        "2  a b c" + " " * (19 - 5 + 2) + "x",
        "",
    ]


def test_a_track_row_and_markup_as_text() -> None:
    """show's track rows fill one cell of seven; ledger text in [brackets] is not markup."""
    made = table("#", "完成时限", "节点内容")
    made.add_row("", Span("（一）打造人居环境示范村", "bold"), "")
    made.add_row("1", "1月底", Span("[red]x[/red]"))

    assert shown(made).split("\n")[2:] == [
        "#  完成时限" + " " * (24 - 8 + 2) + "节点内容",
        "-" * (1 + 2 + 24 + 2 + 12),
        "   （一）打造人居环境示范村",
        "1  1月底" + " " * (24 - 5 + 2) + "[red]x[/red]",
        "",
    ]


# --- ASCII for the drawing characters -------------------------------------------------------------


@pytest.mark.parametrize(
    ("drawn", "written"),
    [("█", "#"), ("░", "."), ("─", "-")],
)
def test_each_ambiguous_drawing_character_is_written_in_ascii(drawn: str, written: str) -> None:
    """Title, header, cell and text line alike; the column is as wide as the ASCII."""
    made = table(f"h{drawn}", "b", title=f"标题{drawn}")
    made.add_row(f"甲{drawn}乙", "x")
    made.add_row("1", "y")
    text = shown(made, f"进度：{drawn}\n尾{drawn}")

    width = 4 + len(written)
    assert text.split("\n") == [
        f"标题{written}",
        "",
        f"h{written}".ljust(width) + "  b",
        "-" * (width + 3),
        f"甲{written}乙  x",
        "1".ljust(width) + "  y",
        "",
        f"进度：{written}",
        f"尾{written}",
    ]
    assert not set(text) & set(AMBIGUOUS_DRAWING)


@pytest.mark.parametrize(
    ("share", "bar"),
    [
        (0.85, "########..  85%"),
        (0.0, "..........   0%"),
        (1.0, "########## 100%"),
        (0.38, "####......  38%"),
    ],
)
def test_a_progress_bar_through_a_pipe(share: float, bar: str) -> None:
    made = table("序号", "进度", title=None)
    made.add_row("2.1", progress_bar(share))

    assert shown(made).split("\n")[2] == f"2.1   {bar}"
    assert shown((Span("进度："), *progress_bar(share))) == f"进度：{bar}"


def test_the_ledgers_own_words_are_written_as_they_are() -> None:
    """A 破折号 or 省略号 in the ledger is not a drawing: it is kept, and measured as it is."""
    made = table("序号", title=None)
    made.add_column("下一节点", no_wrap=True, overflow="ellipsis", max_width=12)
    made.add_row("5.2", "宣传……制定")  # 6 + 2 = 8 cells (… counts one): kept
    made.add_row("7.1", "完成宣传——制定工作方案")  # 22 cells: cut to 9, then "..."
    made.add_row("9.1", "—")  # a cell of only — is the tables' own "nothing": written -

    assert shown(made).split("\n")[2:] == [
        "5.2   宣传……制定",
        "7.1   完成宣传—...",
        "9.1   -",
        "",
    ]


@pytest.mark.parametrize("cap", [1, 2])
def test_a_cap_narrower_than_the_ellipsis_still_fits(cap: int) -> None:
    made = table("n", title=None)
    made.add_column("t", no_wrap=True, overflow="ellipsis", max_width=cap)
    made.add_row("1", "abcdefg")
    cell = shown(made).split("\n")[2].split("  ", 1)[1]
    assert cell_len(cell) <= cap


# --- any table ------------------------------------------------------------------------------------

WORD = st.text(
    alphabet=st.sampled_from("abcXYZ0189-./%#民生实事台账住房城乡建设局（一），、✓█░─—…"),
    min_size=1,
    max_size=30,
)
CELL = st.one_of(st.just(""), st.lists(WORD, min_size=1, max_size=3).map(" ".join))


@settings(max_examples=150, deadline=None)
@given(
    cells=st.integers(min_value=2, max_value=5).flatmap(
        lambda n: st.lists(st.lists(CELL, min_size=n, max_size=n), min_size=1, max_size=8)
    ),
    cap=st.integers(min_value=3, max_value=30),
    sections=st.lists(st.booleans(), min_size=8, max_size=8),
)
def test_any_table_lines_up_and_never_splits_a_wide_character(
    cells: list[list[str]], cap: int, sections: list[bool]
) -> None:
    assume(all(any(row) for row in cells))  # a row of nothing would print as a blank line
    width = len(cells[0])
    made = table(*(f"H{i}" for i in range(width - 1)), title=None)
    made.add_column("E", no_wrap=True, overflow="ellipsis", max_width=cap)
    for row, section in zip(cells, sections, strict=False):
        made.add_row(*row, end_section=section)
    text = shown("T", made, "F")
    parsed = parse_table("T\n\n" + text.split("\n", 1)[1])  # the title line, as a table's

    assert parsed.header == [*(f"H{i}" for i in range(width - 1)), "E"]
    assert len(parsed.rows) == len(cells)
    assert parsed.breaks == [i + 1 for i, s in enumerate(sections[: len(cells) - 1]) if s]
    assert parsed.after == ["F"]
    for cut, written in zip(parsed.rows, cells, strict=True):
        *whole, capped = zip(cut, written, strict=True)
        assert [cell for cell, _ in whole] == [in_ascii(full) for _, full in whole]  # never cut
        assert fits(*capped, cap), (capped, cap)
        assert cell_len(capped[0]) <= cap
    for pieces in parsed.raw:  # left-justified: every non-empty cell starts at its column
        assert all(not piece.startswith(" ") for piece in pieces if piece.strip())


def test_the_parsing_helper_notices_a_column_out_of_line() -> None:
    """tests/plaintext.py is what the command tests trust; it must fail on a misaligned row."""
    good = "T\n\na    b\n------\nxx   y\nz    w\n\nF\n"
    parsed = parse_table(good)
    assert (parsed.rows, parsed.after) == ([["xx", "y"], ["z", "w"]], ["F"])
    assert parse_table("T\n\na  b\n----\n-\n1  -\n\n", footer_lines=0).rows == [
        ["-", ""],
        ["1", "-"],
    ]
    for bad in (
        "T\n\na    b\n------\nxxx  y\nz     w\n\nF",  # w a cell to the right
        "T\n\na    b\n------\nxx   y\n民生实 w\n\nF",  # a wide character across the column start
        "T\n\na    b\n------\nxx   y \nz    w\n\nF",  # a trailing space
        "T\n\na    b\n------\nxx   y\nz    w\nF",  # no blank line after the table
        "T\n\na    b\n------\nxx   y\nz    w\n\n\nF",  # two
        "T\n\na    b\n------\nxx   y\nz    █\n\nF",  # a drawing character a font may draw wide
    ):
        try:
            parse_table(bad)
        except AssertionError:
            continue
        raise AssertionError(f"not noticed: {bad!r}")
    assert cut_at("民生ab", [0, 4]) == ["民生", "ab"]


TEXTS = st.lists(
    st.text(alphabet=st.characters(codec="utf-8"), max_size=20)
    | st.text(alphabet="中文民生ab1 \t\x1b\u200d\ufe0f❤️—…①█", max_size=12),
    max_size=8,
)


@given(TEXTS)
def test_display_widths_are_rich_cell_len(texts: list[str]) -> None:
    """The shortcuts measure exactly as Rich does: tabs, controls, joiners, emoji included."""
    assert display_widths(texts) == {text: cell_len(text) for text in texts}
