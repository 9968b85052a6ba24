"""The read commands on a terminal 80 and 120 columns wide (issue 12): every line fits, no
header is split, narrow columns never fold, a heading is never folded into a column, `status`
takes at most two lines a row at 80 columns, and every number reads as the ledger writes it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.cells import cell_len

from tests.conftest import copy_ledger, run_cli
from tests.halfyear import apply_half_year

NUMBER = re.compile(r"\d[\d.]*")
ROW = re.compile(r"^\s+\d+\.\d+(#\d+)?\s")
LAYOUTS = {
    # command: the header's cells, each whole, at 80 and at 120 columns
    ("status", "--month", "7"): {
        80: ["序号", "实事名称／责任单位", "责任领导", "进度", "下一节点", "状态灯"],
        120: ["序号", "实事名称", "责任单位", "责任领导", "进度", "下一节点", "到期日", "状态灯"],
    },
    ("list", "--month", "6"): {
        80: ["序号", "责任单位", "完成时限", "到期日", "节点内容", "状态"],
        120: ["序号", "实事名称", "责任单位", "完成时限", "到期日", "节点内容", "状态"],
    },
    ("overdue", "--month", "6"): {
        80: ["序号", "到期日", "逾期天数", "节点内容", "应完成", "实际完成", "差额"],
        120: ["序号", "到期日", "逾期天数", "节点内容", "应完成", "实际完成", "差额"],
    },
    ("agenda", "--month", "8"): {
        80: ["序号", "完成时限", "到期日", "节点内容", "状态"],
        120: ["序号", "完成时限", "到期日", "节点内容", "状态"],
    },
    ("show", "3.1", "--month", "7"): {
        80: ["#", "完成时限", "到期日", "节点内容", "目标", "状态", "完成日期"],
        120: ["#", "完成时限", "到期日", "节点内容", "目标", "状态", "完成日期"],
    },
}
CASES = [(command, width) for command in LAYOUTS for width in (80, 120)]


@pytest.fixture(scope="module")
def half_year(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_ledger(tmp_path_factory.mktemp("layouts") / "ledger")
    apply_half_year(root)
    return root


def on_terminal(root: Path, command: tuple[str, ...], width: int) -> list[str]:
    """What a terminal ``width`` columns wide shows (FORCE_COLOR: Rich draws; NO_COLOR: plain)."""
    result = run_cli(root, list(command), FORCE_COLOR="1", COLUMNS=str(width))
    assert result.exit_code in (0, 1), result.output
    assert "\x1b" not in result.stdout
    return result.stdout.splitlines()


@pytest.mark.parametrize(
    ("command", "width"),
    CASES,
    ids=lambda c: " ".join(map(str, c)) if isinstance(c, tuple) else str(c),
)
def test_every_line_fits_and_every_header_is_whole(
    half_year: Path, command: tuple[str, ...], width: int
) -> None:
    lines = on_terminal(half_year, command, width)
    assert max(cell_len(line.rstrip()) for line in lines) <= width
    expected = LAYOUTS[command][width]
    header = next(line for line in lines if line.split()[:1] == expected[:1])
    assert header.split() == expected


@pytest.mark.parametrize(
    ("command", "width"),
    CASES,
    ids=lambda c: " ".join(map(str, c)) if isinstance(c, tuple) else str(c),
)
def test_every_number_on_the_terminal_is_one_the_ledger_writes_whole(
    half_year: Path, command: tuple[str, ...], width: int
) -> None:
    """A number folded or cut (180 shown as 18…, or 2/00) would be a number the pipe, which
    never folds nor cuts a number, does not print."""
    shown = {n for line in on_terminal(half_year, command, width) for n in NUMBER.findall(line)}
    piped = run_cli(half_year, list(command)).stdout
    assert shown <= set(NUMBER.findall(piped))


@pytest.mark.parametrize("width", [80, 120])
def test_status_takes_at_most_two_lines_a_row(half_year: Path, width: int) -> None:
    lines = on_terminal(half_year, ("status", "--month", "7"), width)
    starts = [i for i, line in enumerate(lines) if ROW.match(line)]
    assert len(starts) == 14
    footer = next(i for i, line in enumerate(lines) if line.startswith("子项："))
    ends = [*starts[1:], footer - 1]  # a blank line closes the table
    most = 2 if width == 80 else 1  # 80: stacked, two lines; 120: a row a line
    assert max(end - start for start, end in zip(starts, ends, strict=True)) == most


@pytest.mark.parametrize("width", [80, 120])
def test_narrow_columns_never_fold(half_year: Path, width: int) -> None:
    """序号, dates and states stay on their row's first line: a line after a row never starts
    with the rest of one."""
    for command in (("list", "--month", "6"), ("agenda", "--month", "8")):
        lines = on_terminal(half_year, command, width)
        rows = [line for line in lines if ROW.match(line)]
        assert rows
        assert all(re.search(r"\d\d-\d\d", row) for row in rows)
        assert not [line for line in lines if re.match(r"^\s+\d+#\d+\s", line)]


@pytest.mark.parametrize("command", [("overdue", "--month", "6"), ("agenda", "--month", "8")])
def test_at_80_columns_leader_and_unit_are_lines_of_their_own(
    half_year: Path, command: tuple[str, ...]
) -> None:
    lines = [line.strip() for line in on_terminal(half_year, command, 80)]
    for heading in (
        "责任领导：王继讲",
        "住房和城乡建设局",
        "责任领导：李静",
        "人力资源和社会保障局",
    ):
        assert heading in lines
    leaders = [line for line in lines if line.startswith("责任领导：")]
    assert leaders == ["责任领导：王继讲", "责任领导：任伟", "责任领导：李静"][: len(leaders)]


def test_show_at_80_columns_puts_a_track_on_a_line_of_its_own(half_year: Path) -> None:
    lines = [line.strip() for line in on_terminal(half_year, ("show", "3.1", "--month", "7"), 80)]
    assert "（一）打造人居环境示范村" in lines
    assert "（二）农村户厕改造" in lines
    row = next(line for line in lines if line.startswith("9 "))
    assert row.split()[:4] == ["9", "7月底", "07-31", "完成农村户厕改造900座"]


@pytest.mark.parametrize("width", [80, 120])
def test_every_layout_of_status_names_the_items_slipping_month_after_month(
    half_year: Path, width: int
) -> None:
    """The stacked layout of 80 columns lost the 连续N月滞后 lines the wider ones print."""
    text = "".join(on_terminal(half_year, ("status", "--month", "7"), width)).replace(" ", "")
    assert "⚠6.1群众就业稳岗提升工程：连续4月滞后（4–7月），列入约谈" in text


@pytest.mark.parametrize("width", [80, 120])
def test_the_lines_under_a_table_stand_each_on_its_own_line(half_year: Path, width: int) -> None:
    """The lights' footer and each 连续N月滞后 line: one line each, as through a pipe (Rich
    would join consecutive texts into one paragraph)."""
    drawn = on_terminal(half_year, ("status", "--month", "6"), width)
    piped = run_cli(half_year, ["status", "--month", "6"]).stdout.splitlines()
    under = [line for line in piped if line.startswith(("子项：", "⚠"))]
    assert len(under) >= 3  # the footer and at least two items slipping month after month
    for line in under:
        assert line in [row.rstrip() for row in drawn] or cell_len(line) > width
    assert sum(row.startswith("⚠") for row in drawn) == sum(r.startswith("⚠") for r in under)


@pytest.fixture(scope="module")
def rollup(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import GIT_IDENTITY
    from tests.test_rollup_views import build_rollup

    with pytest.MonkeyPatch.context() as patch:
        for key, value in GIT_IDENTITY.items():
            patch.setenv(key, value)
        return build_rollup(tmp_path_factory.mktemp("rollup"))


ROLLUP_HEADERS = {
    80: ["县区", "截至", "绿", "黄", "红", "✓", "已完成", "逾期", "完成率", "标记"],
    120: [
        "县区",
        "截至",
        "绿",
        "黄",
        "红",
        "✓",
        "时间节点",
        "已完成",
        "临期",
        "逾期",
        "完成率",
        "最近报送",
        "标记",
    ],
}


@pytest.mark.parametrize("width", [80, 120])
def test_rollup_status_keeps_every_header_and_flag_whole(rollup: Path, width: int) -> None:
    """Five members, one stale, one never read, one unreadable: the 标记 column was squeezed
    until 标/记 split and 从未读取 ran down a character a line; other columns give way."""
    lines = on_terminal(rollup, ("rollup", "status", "--month", "6"), width)
    assert max(cell_len(line.rstrip()) for line in lines) <= width
    header = next(line for line in lines if line.split()[:1] == ["县区"])
    assert header.split() == ROLLUP_HEADERS[width]
    first = lines.index(header) + 2  # under the rule
    rows = lines[first : next(i for i in range(first, len(lines)) if not lines[i].strip())]
    assert [row.split()[0] for row in rows] == ["泾源县", "隆德县", "西吉县", "彭阳县", "原州区"]
    flags = {row.split()[0]: " ".join(row.split()[-2:]) for row in rows}
    assert flags["西吉县"] == "⚠ 未更新"
    assert flags["彭阳县"].endswith(" 从未读取")
    assert flags["原州区"] == "✗ 读取失败"
