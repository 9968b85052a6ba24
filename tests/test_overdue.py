"""`overdue` and `agenda` on the bundled ledger after a scripted half-year (tests/halfyear.py)."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from minsheng_cli.core.evaluate import State, evaluate, evaluate_milestones
from minsheng_cli.store.load import load_ledger
from tests.conftest import copy_ledger, run_cli
from tests.halfyear import (
    AGENDA_JULY,
    AGENDA_SEPTEMBER,
    MET_LATE_BY_JUNE,
    OVERDUE,
    RECORDS_PER_FILE,
    Key,
    apply_half_year,
)
from tests.plaintext import in_ascii, parse_table

ROW = re.compile(r"(\d+\.\d+#\d+)\s.*?(\d{4}-\d{2}-\d{2})\s+(\d+)\s")


@pytest.fixture(scope="module")
def half_year(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One ledger with the half-year applied, shared by the read-only tests of this module."""
    root = copy_ledger(tmp_path_factory.mktemp("halfyear") / "ledger")
    apply_half_year(root)
    return root


@pytest.fixture
def own_half_year(half_year: Path, tmp_path: Path) -> Path:
    """A private copy, for a test that records more."""
    return Path(shutil.copytree(half_year, tmp_path / "ledger"))


def key(milestone: dict[str, Any]) -> Key:
    return (milestone["item"], milestone["milestone"], milestone["period"])


def overdue_json(root: Path, *args: str) -> tuple[int, list[dict[str, Any]]]:
    result = run_cli(root, ["overdue", *args, "--json"])
    assert result.stderr == ""
    milestones: list[dict[str, Any]] = json.loads(result.stdout)
    return result.exit_code, milestones


def test_the_script_wrote_one_record_per_step(half_year: Path) -> None:
    counts = {
        file.name: sum(
            1 for line in file.read_text(encoding="utf-8").splitlines() if line.startswith("  - {")
        )
        for file in sorted((half_year / "tasks").iterdir())
    }
    assert counts == RECORDS_PER_FILE
    assert run_cli(half_year, ["check"]).exit_code == 0


@pytest.mark.parametrize("month", [3, 4, 6, 9])
def test_overdue_lists_after_the_half_year(half_year: Path, month: int) -> None:
    code, late = overdue_json(half_year, "--month", str(month))
    assert code == 1
    assert {key(m): m["days_late"] for m in late} == OVERDUE[month]
    assert len(late) == len(OVERDUE[month])
    assert {m["state"] for m in late} == {"overdue"}
    english = run_cli(half_year, ["--lang", "en", "overdue", "--month", str(month), "--json"])
    assert json.loads(english.stdout) == late


def test_overdue_says_what_was_required_and_what_was_recorded(half_year: Path) -> None:
    _code, late = overdue_json(half_year, "--month", "9")
    by_key = {key(m): m for m in late}
    assert (by_key["2.1", 5, None]["targets"], by_key["2.1", 5, None]["recorded"]) == (
        {"percent": 100},
        {"percent": 85},
    )
    jobs = by_key["6.1", 2, None]
    assert jobs["targets"]["农村劳动力转移就业"] == 2
    assert jobs["recorded"]["农村劳动力转移就业"] == 1.9
    assert jobs["recorded"]["技能培训"] == 210
    assert (by_key["3.1", 9, None]["targets"], by_key["3.1", 9, None]["recorded"]) == (
        {"户厕改造": 900},
        {},
    )
    assert (by_key["5.2", 2, None]["targets"], by_key["5.2", 2, None]["recorded"]) == ({}, {})
    assert by_key["7.2", 2, 5]["due"] == "2023-05-31"

    text = run_cli(half_year, ["--lang", "en", "overdue", "--month", "9"]).stdout
    line = {ref: next(x for x in text.splitlines() if ref in x) for ref in ("2.1#5", "3.1#9")}
    assert re.search(r"\bwork done 100%\s+85%\s+15%", line["2.1#5"])
    assert re.search(r"\b户厕改造 900座\s+nothing recorded\s+900座", line["3.1#9"])
    line["5.2#2"] = next(x for x in text.splitlines() if "5.2#2" in x)
    assert re.search(r"\btick off \(销号\)\s+not ticked", line["5.2#2"])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_overdue_text_is_grouped_by_leader_then_unit_with_days_late(
    half_year: Path, lang: str
) -> None:
    result = run_cli(half_year, ["--lang", lang, "overdue", "--month", "6"])
    assert result.exit_code == 1
    text = result.stdout
    rows = [match.groups() for match in map(ROW.search, text.splitlines()) if match]
    # leaders, then units, in the order the list first names them (序号 order), then by due date
    assert rows == [
        ("2.1#5", "2023-06-30", "0"),  # due on the day the report is as of: overdue, 0 days
        ("3.2#4", "2023-06-30", "0"),
        ("5.2#2", "2023-06-30", "0"),
        ("10.1#1", "2023-04-30", "61"),
        ("3.1#3", "2023-04-10", "81"),
        ("3.1#8", "2023-04-10", "81"),
        ("7.2#2", "2023-05-31", "30"),
        ("6.1#2", "2023-06-30", "0"),
        ("8.1#4", "2023-05-20", "41"),
    ]
    order = ["王继讲", "住房和城乡建设局", "交通运输局", "医疗保障局", "审批服务管理局"]
    order += ["任伟", "农业农村局", "李静", "人力资源和社会保障局", "文化旅游广电局"]
    positions = [text.index(name) for name in order]
    assert positions == sorted(positions)
    assert text.count("李静") == 1  # each leader is named once
    assert text.count("人力资源和社会保障局") == 1  # and each unit once under its leader
    if lang == "en":
        assert "9 overdue milestones" in text


def test_nothing_overdue_exits_0(ledger_dir: Path) -> None:
    assert overdue_json(ledger_dir, "--as-of", "2023-01-15") == (0, [])
    english = run_cli(ledger_dir, ["--lang", "en", "overdue", "--as-of", "2023-01-15"])
    assert english.exit_code == 0
    assert "Nothing is overdue." in english.stdout
    assert run_cli(ledger_dir, ["overdue", "--as-of", "2023-01-15"]).exit_code == 0


# every milestone of the bundled ledger due on 3-31 (3月底): none is met, nothing being recorded
DUE_MARCH_31: set[Key] = {
    ("1.1", 3, None),
    ("3.1", 2, None),
    ("3.1", 7, None),
    ("3.2", 2, None),
    ("3.3", 2, None),
    ("4.1", 3, None),
    ("5.1", 1, None),
    ("5.1", 5, None),
    ("5.1", 9, None),
    ("5.2", 1, None),
    ("6.1", 1, None),
    ("7.2", 2, 3),
    ("9.1", 1, None),
}


def test_overdue_on_the_bundled_ledger_reads_the_named_day_through_its_end(
    ledger_dir: Path,
) -> None:
    """`--month 3` is as of 3-31 through its end: a 3月底 milestone not met by then is overdue,
    0 days late; on 4-01 it is 1 day late."""
    code, march = overdue_json(ledger_dir, "--month", "3")
    assert code == 1
    assert all(m["due"] <= "2023-03-31" for m in march)
    late = {key(m): m["days_late"] for m in march}
    assert late[("2.1", 2, None)] == 11  # 3月中旬 = 3-20
    month_end = {k: days for k, days in late.items() if k in DUE_MARCH_31}
    assert month_end == dict.fromkeys(DUE_MARCH_31, 0)
    assert {key(m) for m in march if m["due"] == "2023-03-31"} == DUE_MARCH_31
    assert overdue_json(ledger_dir, "--as-of", "2023-03-31") == (code, march)
    _code, april_first = overdue_json(ledger_dir, "--as-of", "2023-04-01")
    month_end = {key(m): m["days_late"] for m in april_first if m["due"] == "2023-03-31"}
    assert month_end == dict.fromkeys(DUE_MARCH_31, 1)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--leader", "李静"), {("6.1", 2, None): 0, ("7.2", 2, 5): 30, ("8.1", 4, None): 41}),
        (("--unit", "审批"), {("10.1", 1, None): 61}),
        (("--leader", "王继讲", "--unit", "农业"), {}),
        (("--leader", "张怀彪"), {}),
    ],
)
def test_overdue_filters_by_leader_and_unit(
    half_year: Path, args: tuple[str, ...], expected: dict[Key, int]
) -> None:
    code, late = overdue_json(half_year, "--month", "6", *args)
    assert {key(m): m["days_late"] for m in late} == expected
    assert code == (1 if expected else 0)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--month", "13"), "--month: there is no month 13"),
        (("--month", "3", "--as-of", "2023-03-31"), "give either --as-of or --month, not both"),
        (
            ("--as-of", "2023-3-31st"),
            "“2023-3-31st” is not a date; write it as YYYY-MM-DD, e.g. 2023-06-30",
        ),
    ],
)
def test_overdue_usage_errors_exit_2(ledger_dir: Path, args: tuple[str, ...], message: str) -> None:
    result = run_cli(ledger_dir, ["--lang", "en", "overdue", *args])
    assert (result.exit_code, result.stdout) == (2, "")
    assert " ".join(result.stderr.split()) == f"error: {message}"
    assert run_cli(ledger_dir, ["overdue", *args, "--json"]).exit_code == 2


def test_records_after_june_change_september_but_not_june(own_half_year: Path) -> None:
    _code, june_before = overdue_json(own_half_year, "--month", "6")
    for args in (
        ("done", "10.1", "1", "--date", "2023-07-05"),
        ("update", "6.1", "--set", "农村劳动力转移就业=2.1", "--date", "2023-07-10"),
    ):
        assert run_cli(own_half_year, [*args, "--no-commit"]).exit_code == 0
    _code, june_after = overdue_json(own_half_year, "--month", "6")
    assert june_after == june_before
    _code, september = overdue_json(own_half_year, "--month", "9")
    expected = dict(OVERDUE[9])
    del expected["10.1", 1, None]
    del expected["6.1", 2, None]
    assert {key(m): m["days_late"] for m in september} == expected
    _code, late = run_list(own_half_year, "--state", "met_late", "--month", "9")
    met_late = {key(m): (m["met_on"], m["days_late"]) for m in late}
    assert met_late["10.1", 1, None] == ("2023-07-05", 66)
    assert met_late["6.1", 2, None] == ("2023-07-10", 10)


def run_list(root: Path, *args: str) -> tuple[int, list[dict[str, Any]]]:
    result = run_cli(root, ["list", *args, "--json"])
    milestones: list[dict[str, Any]] = json.loads(result.stdout)
    return result.exit_code, milestones


def test_milestones_met_late_by_june(half_year: Path) -> None:
    code, late = run_list(half_year, "--state", "met_late", "--month", "6")
    assert code == 0
    assert {key(m): (m["met_on"], m["days_late"]) for m in late} == MET_LATE_BY_JUNE


# --- agenda --------------------------------------------------------------------------------------


def agenda_json(root: Path, *args: str) -> list[dict[str, Any]]:
    result = run_cli(root, ["agenda", *args, "--json"])
    assert result.exit_code == 0, result.stderr
    milestones: list[dict[str, Any]] = json.loads(result.stdout)
    return milestones


def test_agenda_is_what_is_still_open_then_what_falls_due_in_the_month(half_year: Path) -> None:
    agenda = agenda_json(half_year, "--month", "7")
    assert tuple(key(m) for m in agenda) == AGENDA_JULY
    assert all(m["due"] < "2023-07-01" for m in agenda[:9])
    assert all(m["due"] == "2023-07-31" for m in agenda[9:])
    # as of the meeting (6-30, through its end): what was due by then and is not met is overdue,
    # the 6月底 milestones 0 days late; July's are 31 days ahead, outside the warning window
    assert [(m["state"], m["days_late"]) for m in agenda[:9]] == [
        ("overdue", OVERDUE[6][key(m)]) for m in agenda[:9]
    ]
    assert {key(m) for m in agenda if m["due"] == "2023-06-30"} == {
        ("2.1", 5, None),
        ("3.2", 4, None),
        ("5.2", 2, None),
        ("6.1", 2, None),
    }
    assert {m["days_late"] for m in agenda if m["due"] == "2023-06-30"} == {0}
    assert {m["state"] for m in agenda[9:]} == {"pending"}
    text = run_cli(half_year, ["--lang", "en", "agenda", "--month", "7"]).stdout
    assert "agenda for 7月" in text
    refs = [found.group(0) for found in re.finditer(r"\d+\.\d+#\d+", text)]
    # the table is grouped by leader then unit, like overdue; the JSON keeps the due order
    assert sorted(refs) == sorted(f"{ref}#{number}" for ref, number, _period in AGENDA_JULY)
    assert refs.index("2.1#5") < refs.index("3.1#3") < refs.index("6.1#2")  # 王继讲, 任伟, 李静


def test_agenda_for_january_on_the_bundled_ledger(ledger_dir: Path) -> None:
    agenda = agenda_json(ledger_dir, "--month", "1")
    assert [key(m) for m in agenda] == [
        ("1.1", 1, None),
        ("3.1", 1, None),
        ("3.1", 6, None),
        ("4.1", 1, None),
        ("7.2", 1, None),
        ("7.2", 2, 1),
    ]
    assert {m["due"] for m in agenda} == {"2023-01-31"}


def test_agenda_leaves_out_what_is_already_met(own_half_year: Path) -> None:
    done = ["done", "2.1", "6", "--date", "2023-06-28", "--no-commit"]
    assert run_cli(own_half_year, done).exit_code == 0
    agenda = agenda_json(own_half_year, "--month", "7")
    assert tuple(key(m) for m in agenda) == tuple(k for k in AGENDA_JULY if k != ("2.1", 6, None))


def test_agenda_month_must_be_1_to_12(ledger_dir: Path) -> None:
    assert run_cli(ledger_dir, ["agenda", "--month", "13"]).exit_code == 2
    assert run_cli(ledger_dir, ["agenda"]).exit_code == 2


def test_agenda_orders_items_by_number_within_a_day(half_year: Path) -> None:
    agenda = agenda_json(half_year, "--month", "9")
    due_last_day = [key(m) for m in agenda if m["due"] == "2023-09-30"]
    assert due_last_day[0] == ("3.1", 5, None)
    assert due_last_day[-1] == ("10.1", 3, None)
    assert tuple(key(m) for m in agenda) == AGENDA_SEPTEMBER
    assert {m["state"] for m in agenda if m["due"] < "2023-09-01"} == {"overdue"}
    assert {m["state"] for m in agenda if m["due"] >= "2023-09-01"} == {"due_soon", "pending"}
    assert {m["state"] for m in agenda if m["due"] == "2023-09-10"} == {"due_soon"}


def test_on_a_narrow_terminal_leader_and_unit_head_their_rows(half_year: Path) -> None:
    # FORCE_COLOR: Rich draws for a terminal (NO_COLOR keeps it colourless); a pipe ignores COLUMNS
    result = run_cli(half_year, ["overdue", "--month", "6"], FORCE_COLOR="1", COLUMNS="80")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert max(cell_len(line.rstrip()) for line in lines) <= 80
    text = "\n".join(line.strip() for line in lines)
    assert text.count("责任领导：王继讲") == 1
    assert text.index("责任领导：王继讲") < text.index("住房和城乡建设局") < text.index("2.1#5")
    assert "2.1#5    06-30    0" in text
    # each heading is a line of its own, never folded into a column
    for heading in (
        "责任领导：王继讲",
        "住房和城乡建设局",
        "责任领导：李静",
        "人力资源和社会保障局",
    ):
        assert heading in text.splitlines()
    # the milestone's text is not cut off: it folds in its column
    row = next(i for i, line in enumerate(lines) if "5.2#2" in line)
    folded = lines[row].split()[3] + lines[row + 1].strip() + lines[row + 2].strip()
    assert folded == "按照政策文件落实并长期坚持"
    # a target's amount is never torn from its unit: the name stands above it
    row = next(i for i, line in enumerate(lines) if "2.1#5" in line)
    assert lines[row].split()[4] == "工程进度" and lines[row + 1].split()[-1] == "100%"
    assert "\x1b" not in result.stdout


def test_on_a_wide_terminal_leader_and_unit_are_columns(half_year: Path) -> None:
    result = run_cli(half_year, ["overdue", "--month", "6"], FORCE_COLOR="1", COLUMNS="160")
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if "⚠" not in line]  # 连续N月滞后
    assert {cell_len(line) for line in lines[:-1]} == {160}  # Rich pads every line of the table
    assert "责任领导：" not in result.stdout
    row = next(line for line in lines if "2.1#5" in line)
    assert row.split()[:3] == ["王继讲", "住房和城乡建设局", "2.1#5"]


# the half-year's overdue list as of 6-30, as the pipe shows it: leader and unit named once each
JUNE_BY_LEADER = [
    [
        ["王继讲", "住房和城乡建设局", "2.1#5", "6月底", "2023-06-30", "0"],
        ["", "交通运输局", "3.2#4", "6月底", "2023-06-30", "0"],
        ["", "医疗保障局", "5.2#2", "6月底", "2023-06-30", "0"],
        ["", "审批服务管理局", "10.1#1", "4月底", "2023-04-30", "61"],
    ],
    [
        ["任伟", "农业农村局", "3.1#3", "4月初", "2023-04-10", "81"],
        ["", "", "3.1#8", "4月初", "2023-04-10", "81"],
    ],
    [
        ["李静", "人力资源和社会保障局", "7.2#2", "逐月（5月）", "2023-05-31", "30"],
        ["", "", "6.1#2", "6月底", "2023-06-30", "0"],
        ["", "文化旅游广电局", "8.1#4", "5月中旬", "2023-05-20", "41"],
    ],
]


@pytest.mark.parametrize("columns", ["200", "80"])
def test_a_pipe_gets_overdue_as_columns_with_a_blank_line_after_each_leader(
    half_year: Path, columns: str
) -> None:
    """Through a pipe the full layout whatever COLUMNS says: leader and unit as columns, each
    named once, a blank line ending each leader's group and one after the table; every word of
    every cell, however long (a clerk saves this to a file for the dispatch meeting)."""
    result = run_cli(half_year, ["overdue", "--month", "6"], COLUMNS=columns)
    assert result.exit_code == 1
    table = parse_table(result.stdout)
    _code, late = overdue_json(half_year, "--month", "6")

    assert table.header[:6] == ["责任领导", "责任单位", "序号", "完成时限", "到期日", "逾期天数"]
    assert [row[:6] for row in table.rows] == [row for group in JUNE_BY_LEADER for row in group]
    sizes = [len(group) for group in JUNE_BY_LEADER]
    assert table.breaks == [sizes[0], sizes[0] + sizes[1]]
    assert table.after == ["逾期节点9个"]
    by_ref = {f"{m['item']}#{m['milestone']}": m for m in late}
    for row in table.rows:
        assert row[6] == in_ascii(by_ref[row[2]]["text"])  # the milestone, whole
    jobs = next(row for row in table.rows if row[2] == "6.1#2")
    # only the target that fell short: required, recorded, short by (issue 12)
    assert jobs[7:] == ["农村劳动力转移就业 2万人次", "1.9万人次", "0.1万人次"]
    assert "..." not in result.stdout and "…" not in result.stdout
    assert max(cell_len(line) for line in table.lines) > 80
    assert "责任领导：" not in result.stdout
    if columns == "80":
        assert result.stdout == run_cli(half_year, ["overdue", "--month", "6"]).stdout


@settings(max_examples=40, deadline=None)
@given(day=st.dates(date(2023, 1, 1), date(2023, 12, 31)), day_over=st.booleans())
def test_milestones_alone_are_judged_exactly_as_in_a_whole_snapshot(
    half_year: Path, day: date, day_over: bool
) -> None:
    """`list` and `overdue` evaluate only the milestones: the same statuses, to the field."""
    ledger = load_ledger(half_year)
    alone = evaluate_milestones(ledger, day, day_over=day_over)
    whole = evaluate(ledger, day, day_over=day_over)
    assert (alone.ledger, alone.as_of) == (whole.ledger, whole.as_of)
    assert alone.milestones == whole.milestones
    due = evaluate_milestones(ledger, day, day_over=day_over, due_by=day).milestones
    assert due == tuple(m for m in whole.milestones if m.due is not None and m.due <= day)
    assert [m for m in whole.milestones if m.state is State.OVERDUE] == [
        m for m in due if m.state is State.OVERDUE
    ]


def test_on_a_narrow_terminal_each_target_keeps_its_amounts_beside_it(ledger_dir: Path) -> None:
    """1.1#4 falls short of two targets: at 80 columns their names fold, and each target's
    recorded and short-by amounts stand on the line where its name begins."""
    result = run_cli(ledger_dir, ["overdue", "--month", "6"], FORCE_COLOR="1", COLUMNS="80")
    lines = result.stdout.splitlines()
    assert max(cell_len(line.rstrip()) for line in lines) <= 80
    row = next(i for i, line in enumerate(lines) if "1.1#4" in line)
    block = lines[row : row + 8]
    first = next(line for line in block if "分散供热" in line)
    second = next(line for line in block if "生物质" in line)
    assert first.split()[-1] == "954户" and "尚无报送" in first
    assert second.split()[-1] == "250户" and "尚无报送" in second
