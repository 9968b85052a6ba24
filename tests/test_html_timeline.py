"""The HTML timeline reads on its own (issue 12): a mark never hides another on the same day (the
overdue one is drawn last, on top, and the marks of one day are spread apart), each row is named
by its 序号 and 责任单位, and the legend explains every mark, ✓ included."""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise
from pathlib import Path

import pytest

from minsheng_cli.paperwork.html import LAYOUT
from tests.conftest import run_cli
from tests.test_report import cli_json, half_year_ledger

PRIORITY = ("pending", "due_soon", "met", "met_late", "overdue")


@pytest.fixture(scope="module")
def half_year(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return half_year_ledger(tmp_path_factory.mktemp("half_year") / "ledger")


def bulletin(root: Path, folder: Path, month: int) -> str:
    output = folder / f"bulletin-{month}.html"
    result = run_cli(root, ["report", "--month", str(month), "-o", str(output)])
    assert result.exit_code == 0, result.output
    return output.read_text(encoding="utf-8")


def rows_of(html: str) -> dict[str, list[tuple[float, float, str]]]:
    """Item → its marks (cx, cy, state) in the order they are drawn."""
    import re

    rows: dict[str, list[tuple[float, float, str]]] = {}
    for ref, body in re.findall(r'<g class="item-row" data-item="([^"]+)">(.*?)</g>', html):
        rows[ref] = [
            (float(cx), float(cy), state)
            for state, cx, cy in re.findall(
                r'<circle class="ms [^"]*" data-state="([^"]+)" cx="([^"]+)" cy="([^"]+)"', body
            )
        ]
    return rows


def test_an_overdue_mark_is_never_under_a_met_one(half_year: Path, tmp_path: Path) -> None:
    """5.1 on 3-31: 产前筛查 (#5) overdue between two milestones met that day."""
    html = bulletin(half_year, tmp_path, 3)
    marks = rows_of(html)["5.1"]
    same_day = [m for m in marks if m[0] == max(m[0] for m in marks if m[2] == "overdue")]
    assert sorted(state for _, _, state in same_day) == ["met", "met", "overdue"]
    assert same_day[-1][2] == "overdue", "drawn last: on top"
    for day_marks in by_day(marks).values():
        states = [state for _, _, state in day_marks]
        assert states == sorted(states, key=PRIORITY.index), "the most urgent on top"
        heights = sorted(cy for _, cy, _ in day_marks)
        gaps = [b - a for a, b in pairwise(heights)]
        if len(day_marks) <= 3:
            assert all(gap >= LAYOUT.mark_radius for gap in gaps), heights


def by_day(marks: list[tuple[float, float, str]]) -> dict[float, list[tuple[float, float, str]]]:
    days: dict[float, list[tuple[float, float, str]]] = defaultdict(list)
    for mark in marks:
        days[mark[0]].append(mark)
    return days


def test_each_row_is_named_by_its_number_and_unit(half_year: Path, tmp_path: Path) -> None:
    import re

    html = bulletin(half_year, tmp_path, 7)
    labels = dict(
        re.findall(r'data-item="([^"]+)">.*?<text class="row-label"[^>]*>([^<]+)<title>', html)
    )
    items = cli_json(half_year, "status", "--month", "7")
    assert labels["3.1"] == "3.1 农业农村局"
    assert labels["3.2"] == "3.2 交通运输局"
    assert labels["3.3"] == "3.3 水务局"
    assert len(set(labels.values())) == len(items), "no two rows read alike"


def test_the_legend_explains_the_lights_and_the_tick(half_year: Path, tmp_path: Path) -> None:
    html = bulletin(half_year, tmp_path, 7)
    legend = html[html.index("<figcaption>") : html.index("</figcaption>")]
    for word in ("已完成", "逾期完成", "逾期", "临期", "未到期", "绿", "黄", "红", "✓"):
        assert f"</svg>{word}</span>" in legend, word
