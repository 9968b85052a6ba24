"""`status`, `list` and `show` as a clerk sees them: rows, filters, lights and their footer,
wide-character alignment, the JSON contract, escaping, plain output, language and exit codes."""

from __future__ import annotations

import gettext
import io
import json
import os
import re
import select
import subprocess
import sys
from collections import Counter
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len

from minsheng_cli.__main__ import end_now
from minsheng_cli.i18n import DOMAIN, LOCALE_DIR
from tests.conftest import run_cli
from tests.plaintext import AMBIGUOUS_DRAWING, RULE, PlainTable, fits, in_ascii, parse_table

ZH = gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=["zh_CN"], fallback=True)
STATES = {"met", "met_late", "overdue", "due_soon", "pending"}
ROW = re.compile(r"^\s*(\d+\.\d+)(#\d+)?\s")  # a pipe's rows start at once, Rich's indented
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
BUNDLED_ITEMS = [
    "1.1",
    "2.1",
    "3.1",
    "3.2",
    "3.3",
    "4.1",
    "5.1",
    "5.2",
    "6.1",
    "7.1",
    "7.2",
    "8.1",
    "9.1",
    "10.1",
]
TICK_10_1 = "进一步推行“互联网+工程审批”，推行联合验收、联合审图、区域评估、告知承诺等制度"


def ok(args: Sequence[str], ledger: Path, **env: str) -> str:
    """stdout of a command that must succeed quietly."""
    result = run_cli(ledger, args, **env)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return result.stdout


def json_of(ledger: Path, *args: str) -> Any:
    return json.loads(ok([*args, "--json"], ledger))


def row_refs(output: str) -> list[str]:
    return [
        m.group(1) + (m.group(2) or "") for line in output.splitlines() if (m := ROW.match(line))
    ]


def footer_counts(output: str, labels: dict[str, str]) -> dict[str, int]:
    """The footer's count per light/state, read with the labels of the output's language."""
    footer = [ln for ln in output.rstrip("\n").splitlines() if not ln.startswith("⚠ ")][-1]
    counts = {}
    for key, label in labels.items():
        found = re.search(rf"(?:^|\s){re.escape(label)} (\d+)", footer)
        assert found is not None, (label, footer)
        counts[key] = int(found.group(1))
    return counts


EN_LIGHTS = {"green": "green", "yellow": "yellow", "red": "red", "done": "✓"}
ZH_LIGHTS = {"green": ZH.gettext("green"), "yellow": ZH.gettext("yellow"), "red": ZH.gettext("red")}
ZH_LIGHTS["done"] = "✓"
EN_STATES = {
    "met": "met",
    "met_late": "met late",
    "overdue": "overdue",
    "due_soon": "due soon",
    "pending": "pending",
}
ZH_STATES = {key: ZH.gettext(label) for key, label in EN_STATES.items()}
TERMINAL = {"FORCE_COLOR": "1"}
"""Rich then draws for a terminal (NO_COLOR, set for every test, keeps it free of colour)."""


def add_records(ledger: Path) -> None:
    """Progress as units would report it by 25 June: 2.1 on track, 9.1 done, 10.1 due soon, and a
    late tick on 3.2."""
    appended = {
        "02-*.yaml": [
            "{date: 2023-02-25, item: 1, by: 住建局, done: 完成项目前期各项工作}",
            "{date: 2023-03-18, item: 1, by: 住建局, done: 开工建设}",
            "{date: 2023-04-15, item: 1, by: 住建局, percent: 100}",
        ],
        "03-*.yaml": ["{date: 2023-03-05, item: 2, by: 交通局, done: 完成初步设计编制及评审工作}"],
        "09-*.yaml": ["{date: 2023-03-20, item: 1, by: 司法局, set: {法律援助案件: 240}}"],
        "10-*.yaml": [
            f"{{date: 2023-04-28, item: 1, by: 审批局, done: {TICK_10_1}}}",
            "{date: 2023-06-20, item: 1, by: 审批局, set: {审批时限压减: 19}}",
        ],
    }
    for pattern, records in appended.items():
        (file,) = (ledger / "tasks").glob(pattern)
        lines = "".join(f"  - {record}\n" for record in records)
        file.write_text(file.read_text(encoding="utf-8") + "records:\n" + lines, encoding="utf-8")


@pytest.fixture
def reported(ledger_dir: Path) -> Path:
    add_records(ledger_dir)
    return ledger_dir


# --- status ---------------------------------------------------------------------------------------


def test_status_has_one_row_per_item_and_counts_lights(ledger_dir: Path) -> None:
    out = ok(["--lang", "en", "status", "--as-of", "2023-06-30"], ledger_dir)

    assert out.splitlines()[0].split() == [
        "泾源县2023年民生实事任务清单",
        "status",
        "as",
        "of",
        "2023-06-30",
    ]
    assert row_refs(out) == BUNDLED_ITEMS
    # nothing is reported in the bundled ledger: every item has an overdue milestone by June
    assert footer_counts(out, EN_LIGHTS) == {"green": 0, "yellow": 0, "red": 14, "done": 0}
    first = next(line for line in out.splitlines() if ROW.match(line))
    assert first.split()[:4] == ["1.1", "冬季清洁取暖工程", "住房和城乡建设局", "王继讲"]
    assert "1月底 完成可行性研究报告" in first
    assert "2023-01-31" in first
    assert "..........   0%" in first  # the full 10-cell bar, in ASCII through a pipe
    assert first.split()[-1] == "red"


def test_month_6_means_30_june(ledger_dir: Path) -> None:
    by_month = ok(["status", "--month", "6"], ledger_dir)
    by_date = ok(["status", "--as-of", "2023-06-30"], ledger_dir)

    assert by_month == by_date
    assert "2023-06-30" in by_month.splitlines()[0]
    assert "2023-02-28" in ok(["status", "-m", "2"], ledger_dir).splitlines()[0]


def test_status_lights_with_progress_reported(reported: Path) -> None:
    out = ok(["--lang", "en", "status", "--as-of", "2023-06-25"], reported)

    lights = {line.split()[0]: line.split()[-1] for line in out.splitlines() if ROW.match(line)}
    assert lights["2.1"] == "green"  # all percent targets met, 竣工验收 due 7月底
    assert lights["9.1"] == "✓"  # 240 cases reported in March
    assert lights["10.1"] == "yellow"  # 6月底 target due in 5 days, on plan
    assert {ref for ref, light in lights.items() if light == "red"} == set(BUNDLED_ITEMS) - {
        "2.1",
        "9.1",
        "10.1",
    }
    assert footer_counts(out, EN_LIGHTS) == {"green": 1, "yellow": 1, "red": 11, "done": 1}
    row_9 = next(line for line in out.splitlines() if line.split()[:1] == ["9.1"])
    assert "100%" in row_9
    row_10 = next(line for line in out.splitlines() if line.split()[:1] == ["10.1"])
    assert " 38%" in row_10
    assert "2023-06-30" in row_10


def test_behind_plan_alone_turns_an_item_yellow(reported: Path) -> None:
    # 10.1 as of 15 May: its April tick is in, nothing is due for 46 days, but the plan
    # (20% by 30 June, from zero on 1 January) is far ahead of the nothing reported
    (item,) = json_of(reported, "status", "--as-of", "2023-05-15", "--unit", "审批")

    assert item["light"] == "yellow"
    assert item["behind_plan"] is True
    assert item["states"] == {"met": 1, "met_late": 0, "overdue": 0, "due_soon": 0, "pending": 3}
    (measure,) = item["measures"]
    assert measure["actual"] == 0
    assert measure["behind_days"] == 135


def test_status_footer_in_chinese(reported: Path) -> None:
    out = ok(["status", "--as-of", "2023-06-25"], reported)

    assert footer_counts(out, ZH_LIGHTS) == {"green": 1, "yellow": 1, "red": 11, "done": 1}
    assert ZH.gettext("green") != "green"
    assert " green " not in out


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--unit", "住房"], ["1.1", "2.1"]),
        (["--unit", "人力资源和社会保障局"], ["6.1", "7.2"]),
        (["--leader", "任伟"], ["3.1"]),
        (["--leader", "李静"], ["4.1", "6.1", "7.1", "7.2", "8.1"]),
        (["--unit", "人力资源", "--leader", "李静"], ["6.1", "7.2"]),
        (["-u", "水务局", "-l", "王继讲"], ["3.3"]),
        (["--unit", "水务局", "--leader", "李静"], []),
    ],
)
def test_status_filters(ledger_dir: Path, options: list[str], expected: list[str]) -> None:
    out = ok(["--lang", "en", "status", "--month", "6", *options], ledger_dir)

    assert row_refs(out) == expected
    assert footer_counts(out, EN_LIGHTS) == {
        "green": 0,
        "yellow": 0,
        "red": len(expected),
        "done": 0,
    }
    items = json_of(ledger_dir, "status", "--month", "6", *options)
    assert [i["item"] for i in items] == expected


@pytest.mark.parametrize("command", [["status"], ["list"], ["overdue"], ["agenda"]])
def test_a_filter_that_matches_no_item_is_a_slip_not_an_empty_answer(
    ledger_dir: Path, command: list[str]
) -> None:
    """`overdue --leader 王计讲` (a typo) must not read as "nothing is overdue"."""
    result = run_cli(ledger_dir, ["--lang", "en", *command, "--month", "6", "--leader", "王计讲"])

    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.strip() == (
        "error: --leader “王计讲” matches no item; the ledger has: 王继讲、任伟、李静、张怀彪"
    )
    # 住建局 is 住房和城乡建设局's 简称 now; 交通局 is no unit of this ledger
    unit = run_cli(ledger_dir, ["--lang", "en", *command, "-m", "6", "--unit", "交通局"])
    assert unit.exit_code == 2 and "住房和城乡建设局、农业农村局" in unit.stderr


TABLE_COMMANDS = [["status"], ["list"], ["list", "--unit", "卫生"]]


def deadline_words(milestone: dict[str, Any], lang: str) -> str:
    """The deadline as the tables write it: a monthly duty's month, an implied year-end."""
    words = ZH.gettext if lang == "zh" else str
    if milestone["period"] is not None:
        pattern = words("{deadline} ({month}月)")
        return pattern.format(deadline=milestone["deadline"], month=milestone["period"])
    if milestone["implied"]:
        return words("{deadline} (当年完成)").format(deadline=milestone["deadline"])
    return str(milestone["deadline"])


def check_status_rows(table: PlainTable, items: list[dict[str, Any]], lang: str) -> None:
    """Every cell of every row of a pipe's status table, against the same command's JSON."""
    lights = ZH_LIGHTS if lang == "zh" else EN_LIGHTS
    assert [row[0] for row in table.rows] == [item["item"] for item in items]
    for row, item in zip(table.rows, items, strict=True):
        ref, name, unit, leader, progress, upcoming, due, light = row
        assert [ref, name, unit, leader] == [item[k] for k in ("item", "name", "unit", "leader")]
        filled = round(item["progress"] * 10)  # the full 10-cell bar, whatever COLUMNS, in ASCII
        assert progress == "#" * filled + "." * (10 - filled) + f" {item['progress'] * 100:3.0f}%"
        following = item["next"]
        if following is None:
            assert (upcoming, due) == ("-", "-")
        else:
            words = f"{deadline_words(following, lang)} {following['text']}"
            assert fits(upcoming, words, 30), (upcoming, words)  # 下一节点 is cut at its 30
            assert due == following["due"]
        assert light == lights[item["light"]]


def check_list_rows(table: PlainTable, milestones: list[dict[str, Any]], lang: str) -> None:
    states = ZH_STATES if lang == "zh" else EN_STATES
    assert [row[0] for row in table.rows] == [f"{m['item']}#{m['milestone']}" for m in milestones]
    for row, milestone in zip(table.rows, milestones, strict=True):
        _ref, name, unit, deadline, due, text, state = row
        assert [name, unit, due] == [milestone[k] for k in ("name", "unit", "due")]
        assert deadline == deadline_words(milestone, lang)
        assert text == in_ascii(milestone["text"])  # whole, however long
        assert state == states[milestone["state"]]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("command", TABLE_COMMANDS)
def test_a_pipes_columns_line_up(reported: Path, lang: str, command: list[str]) -> None:
    """Through a pipe every column starts at the same display offset in every row, two spaces
    after the one before; no line is indented or ends in spaces; every cell says what the JSON
    says (cut with "..." only in status's 下一节点, the one column cut on a terminal too)."""
    args = ["--lang", lang, *command, "--as-of", "2023-06-25"]
    out = ok(args, reported)
    table = parse_table(out)
    data = json_of(reported, *args)

    assert len(table.rows) >= 14
    assert table.breaks == []
    assert table.title.split()[0] == "泾源县2023年民生实事任务清单"
    # columns are left-aligned: each non-empty cell begins right at its column's start (the
    # status light is centred)
    centred = len(table.header) - 1 if command == ["status"] else None
    for pieces in table.raw:
        assert all(
            not piece.startswith(" ")
            for i, piece in enumerate(pieces)
            if piece.strip() and i != centred
        ), pieces
    if command == ["status"]:
        check_status_rows(table, data, lang)
    else:
        check_list_rows(table, data, lang)
    # and the table is really wide-character text, not just padded ASCII
    assert any(cell_len(line) > len(line) for line in table.lines)


def test_a_pipe_keeps_long_milestone_text_whole(reported: Path) -> None:
    """A clerk saving the list to a file keeps every word (it used to be cut at 40 cells)."""
    out = ok(["list", "--as-of", "2023-06-25", "--unit", "住房"], reported)
    table = parse_table(out)

    first = table.rows[0]
    assert first[0] == "1.1#1"
    assert first[5] == "完成可行性研究报告、初步设计、施工图审核等前期工作"  # 50 cells
    assert max(cell_len(row[5]) for row in table.rows) == 50  # the column as wide as it
    # the state column starts right after the widest milestone and its gap
    line = table.lines[0]
    milestone_at = cell_len(line[: line.index(first[5])])
    assert cell_len(line[: line.rindex(first[6])]) == milestone_at + 50 + 2
    assert "..." not in out and "…" not in out


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("command", TABLE_COMMANDS)
def test_every_table_row_has_the_same_display_width(
    reported: Path, lang: str, command: list[str]
) -> None:
    """On a terminal Rich draws the table: every line padded to the same display width."""
    out = ok(["--lang", lang, *command, "--as-of", "2023-06-25"], reported, **TERMINAL)
    assert "\x1b" not in out  # NO_COLOR: a terminal, but no colour
    lines = [line for line in out.rstrip("\n").splitlines() if "⚠" not in line]  # 连续N月滞后
    table = lines[:-1]  # the footer is a line of its own
    rows = [line for line in table if ROW.match(line)]
    assert len(rows) >= 14
    assert all(line.startswith(" ") for line in rows)  # Rich's box indents every row

    assert len({cell_len(line) for line in table}) == 1
    # the due-date column starts at the same cell in every row that has one
    starts = {
        cell_len(line[: m.start()]) for line in rows if (m := re.search(r"2023-\d\d-\d\d", line))
    }
    assert len(starts) == 1
    # and the table is really wide-character text, not just padded ASCII
    assert any(cell_len(line) > len(line) for line in rows)


NUMBER = re.compile(r"\d[\d.]*")


@pytest.mark.parametrize("width", [80, 100])
def test_rows_still_line_up_in_a_narrower_window(reported: Path, width: int) -> None:
    """Under 120 columns the columns stack: each row two lines (实事名称 over 责任单位, the
    deadline over the next milestone), headers whole, every number as the ledger writes it."""
    out = ok(["status", "--as-of", "2023-06-25"], reported, **TERMINAL, COLUMNS=str(width))
    table = [line for line in out.rstrip("\n").splitlines() if "⚠" not in line][:-1]

    assert {cell_len(line) for line in table} == {width}
    assert row_refs(out) == BUNDLED_ITEMS
    header = next(line for line in table if "序号" in line).split()
    assert header == ["序号", "实事名称／责任单位", "责任领导", "进度", "下一节点", "状态灯"]
    starts = [i for i, line in enumerate(table) if ROW.match(line)]
    ends = [*starts[1:], len(table) - 1]  # the light footer's blank line closes the last row
    assert all(end - start <= 2 for start, end in zip(starts, ends, strict=True))
    rows = {table[i].split()[0]: (table[i], table[i + 1]) for i in starts}
    assert rows["1.1"][0].split()[1:3] == ["冬季清洁取暖工程", "王继讲"]
    assert rows["1.1"][1].split()[0] == "住房和城乡建设局"
    assert rows["10.1"][0].split()[-2:] == ["06-30", ZH.gettext("yellow")]
    # no bar, no year; every number on the terminal is one the pipe writes whole
    assert not re.search(
        r"[█░]|2023-\d\d-\d\d", "\n".join(line for pair in rows.values() for line in pair)
    )
    piped = set(NUMBER.findall(ok(["status", "--as-of", "2023-06-25"], reported)))
    shown = {n for pair in rows.values() for n in NUMBER.findall(" ".join(pair)[6:])}
    assert shown - {"04", "05", "06", "07", "09", "10", "30", "31"} <= piped


@pytest.mark.parametrize("width", ["80", "100", "119"])
def test_a_pipe_gets_the_full_layout_whatever_columns_says(reported: Path, width: str) -> None:
    """The narrow layout is for a terminal; a pipe has no width to fit."""
    wide = ok(["status", "--as-of", "2023-06-25"], reported)
    narrow = ok(["status", "--as-of", "2023-06-25"], reported, COLUMNS=width)

    assert narrow == wide
    table = parse_table(narrow)
    assert [row[0] for row in table.rows] == BUNDLED_ITEMS
    assert max(cell_len(line) for line in table.lines) > int(width)
    rows = {row[0]: row for row in table.rows}
    assert rows["2.1"][4] == "########## 100%"
    assert rows["1.1"][4] == "..........   0%"
    assert rows["10.1"][6:] == ["2023-06-30", ZH.gettext("yellow")]
    assert rows["1.1"][1:3] == ["冬季清洁取暖工程", "住房和城乡建设局"]  # one line, not folded


def test_a_pipe_writes_bars_and_dashes_in_ascii(ledger_dir: Path) -> None:
    """Notepad and WPS draw █ ░ ─ — … one cell or two as the font likes, and the columns after
    them shift; a pipe writes "#", ".", "-" instead, a terminal keeps Rich's drawing."""
    appended = {
        "02-*.yaml": "{date: 2023-05-20, item: 1, by: 住建局, percent: 85}",
        "09-*.yaml": "{date: 2023-03-20, item: 1, by: 司法局, set: {法律援助案件: 240}}",
    }
    for pattern, record in appended.items():
        (file,) = (ledger_dir / "tasks").glob(pattern)
        text = file.read_text(encoding="utf-8")
        file.write_text(f"{text}records:\n  - {record}\n", encoding="utf-8")
    args = ["status", "--as-of", "2023-06-25"]
    out = ok(args, ledger_dir)
    table = parse_table(out)
    rows = {row[0]: row for row in table.rows}

    assert rows["2.1"][4] == "########..  85%"  # 8.5 cells of 10, rounded half to even
    assert rows["1.1"][4] == "..........   0%"
    assert rows["9.1"][4:8] == ["########## 100%", "-", "-", "✓"]  # done: no next milestone
    lines = out.split("\n")
    assert lines[3] == "-" * max(cell_len(line) for line in [lines[2], *table.lines])
    assert not set(out) & set(AMBIGUOUS_DRAWING)

    terminal = ok(args, ledger_dir, **TERMINAL)
    row_21 = next(line for line in terminal.splitlines() if line.split()[:1] == ["2.1"])
    assert "████████░░  85%" in row_21
    row_91 = next(line for line in terminal.splitlines() if line.split()[:1] == ["9.1"])
    assert row_91.split()[-3:] == ["—", "—", "✓"]


# --- list -----------------------------------------------------------------------------------------


def test_list_json_contract(ledger_dir: Path) -> None:
    rows = json_of(ledger_dir, "list", "--month", "6")

    assert isinstance(rows, list)
    # 85 written or implied milestones, and the monthly duty as 12 rows, one per month
    assert len(rows) == 85 + 12
    as_of = date(2023, 6, 30)
    for row in rows:
        assert type(row["project"]) is int
        assert row["item"] == f"{row['project']}.{row['item'].split('.')[1]}"
        assert re.fullmatch(r"\d+\.\d+", row["item"])
        for key in ("name", "unit", "leader", "deadline", "text"):
            assert isinstance(row[key], str)
            assert row[key]
        due = date.fromisoformat(row["due"])
        assert due.year == 2023
        assert isinstance(row["targets"], dict)
        for name, value in row["targets"].items():
            assert isinstance(name, str)
            assert type(value) in (int, float)
        assert row["state"] in STATES
        # nothing is reported in the bundled ledger: the state follows from the date alone, and
        # --month 6 is 6-30 through its end, so what falls due on 6-30 is overdue too
        expected = (
            "overdue" if due <= as_of else "due_soon" if (due - as_of).days <= 10 else "pending"
        )
        assert row["state"] == expected, row
        assert row["days_late"] == (max(0, (as_of - due).days) if due <= as_of else 0)
    # 42 due before 6-30 and 12 due on it; nothing falls due from 7-01 to 7-10
    assert Counter(r["state"] for r in rows) == {"overdue": 42 + 12, "pending": 43}


def test_list_json_rows_carry_the_ledger_words_and_numbers(ledger_dir: Path) -> None:
    rows = json_of(ledger_dir, "list", "--as-of", "2023-06-30")

    def find(item: str, text: str) -> dict[str, Any]:
        (row,) = [r for r in rows if r["item"] == item and r["text"] == text]
        return dict(row)

    start = find("3.2", "开工建设")
    assert {k: start[k] for k in ("project", "name", "item", "unit", "leader")} == {
        "project": 3,
        "name": "农村人居环境提升工程",
        "item": "3.2",
        "unit": "交通运输局",
        "leader": "王继讲",
    }
    assert (start["deadline"], start["due"], start["targets"], start["state"]) == (
        "4月初",
        "2023-04-10",
        {},
        "overdue",
    )
    toilets = find("3.1", "完成农村户厕改造900座")
    assert toilets["targets"] == {"户厕改造": 900}
    assert type(toilets["targets"]["户厕改造"]) is int
    assert (toilets["deadline"], toilets["due"], toilets["state"]) == (
        "7月底",
        "2023-07-31",
        "pending",
    )
    jobs = find(
        "6.1", next(r["text"] for r in rows if r["item"] == "6.1" and r["deadline"] == "3月底")
    )
    assert jobs["targets"]["农村劳动力转移就业"] == 0.8
    assert jobs["targets"]["创业担保贷款"] == 200
    tender = find("8.1", "完成招投标等前期工作")
    assert (tender["deadline"], tender["due"]) == ("5月底前", "2023-05-31")
    percent = find("2.1", "完成工程量的30%")
    assert percent["targets"] == {"percent": 30}
    monthly = [r for r in rows if r["item"] == "7.2" and r["deadline"] == "逐月"]
    assert [r["due"] for r in monthly] == [
        f"2023-{m:02d}-{d}"
        for m, d in zip(range(1, 13), [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], strict=True)
    ]
    implied = [r for r in rows if r["item"] == "5.1" and r["deadline"] == "年底"]
    assert len(implied) == 6
    assert {r["due"] for r in implied} == {"2023-12-31"}
    assert find("5.1", "产前筛查率达到80%")["targets"] == {"产前筛查率": 80}


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--month", "6", "--state", "due_soon"], 0),  # 6-30 is over: its 12 are overdue
        (["--month", "6", "--state", "overdue"], 42 + 12),
        (["--as-of", "2023-06-29", "--state", "due_soon"], 12),
        (["--as-of", "2023-06-29", "--state", "overdue"], 42),
        (["--month", "6", "--state", "met"], 0),
        (["--as-of", "2023-06-25", "--due-month", "7"], 5),
        (["--as-of", "2023-06-25", "--due-month", "12"], 9 + 1 + 1 + 1 + 1),
        (["--as-of", "2023-06-25", "--unit", "人力资源"], 3 + 13),
        (["--as-of", "2023-06-25", "--leader", "任伟"], 10),
        (["--as-of", "2023-06-25", "--unit", "卫生", "--state", "due_soon"], 3),
    ],
)
def test_list_filters_count(ledger_dir: Path, options: list[str], expected: int) -> None:
    assert len(json_of(ledger_dir, "list", *options)) == expected
    out = ok(["--lang", "en", "list", *options], ledger_dir)
    assert len(row_refs(out)) == expected
    assert sum(footer_counts(out, EN_STATES).values()) == expected


def test_list_due_month_rows(ledger_dir: Path) -> None:
    out = ok(["--lang", "en", "list", "--as-of", "2023-06-25", "--due-month", "7"], ledger_dir)

    assert row_refs(out) == ["2.1#6", "3.1#4", "3.1#9", "4.1#5", "7.2#2"]
    monthly = next(line for line in out.splitlines() if line.split()[:1] == ["7.2#2"])
    assert "逐月 (7月)" in monthly
    assert "2023-07-31" in monthly
    assert footer_counts(out, EN_STATES) == {
        "met": 0,
        "met_late": 0,
        "overdue": 0,
        "due_soon": 0,
        "pending": 5,
    }


def test_list_states_with_progress_reported(reported: Path) -> None:
    met = json_of(reported, "list", "--as-of", "2023-06-25", "--state", "met")
    late = json_of(reported, "list", "--as-of", "2023-06-25", "--state", "met_late")

    assert sorted(f"{r['item']}#{r['milestone']}" for r in met) == sorted(
        [*(f"2.1#{n}" for n in range(1, 6)), "10.1#1", *(f"9.1#{n}" for n in range(1, 5))]
    )
    assert {r["state"] for r in met} == {"met"}
    (tick,) = late
    assert (tick["item"], tick["deadline"], tick["due"]) == ("3.2", "2月底", "2023-02-28")
    assert (tick["met_on"], tick["days_late"], tick["state"]) == ("2023-03-05", 5, "met_late")
    out = ok(["--lang", "en", "list", "--as-of", "2023-06-25", "--state", "met_late"], reported)
    assert row_refs(out) == ["3.2#1"]
    assert footer_counts(out, EN_STATES) == {
        "met": 0,
        "met_late": 1,
        "overdue": 0,
        "due_soon": 0,
        "pending": 0,
    }


def test_state_as_of_the_due_day_is_overdue_by_its_end(ledger_dir: Path) -> None:
    def state(day: str) -> tuple[str, int]:
        rows = json_of(ledger_dir, "list", "--as-of", day, "--unit", "司法局")
        return next((r["state"], r["days_late"]) for r in rows if r["deadline"] == "3月底")

    assert state("2023-03-20") == ("pending", 0)
    assert state("2023-03-21") == ("due_soon", 0)
    assert state("2023-03-30") == ("due_soon", 0)
    assert state("2023-03-31") == ("overdue", 0)  # a date the clerk names is read through its end
    assert state("2023-04-01") == ("overdue", 1)


def test_without_a_date_today_is_still_running(
    ledger_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MINSHENG_TODAY", "2023-03-31")  # the commands' "no date given"

    def state(*args: str) -> tuple[str, int]:
        rows = json_of(ledger_dir, "list", *args, "--unit", "司法局")
        return next((r["state"], r["days_late"]) for r in rows if r["deadline"] == "3月底")

    assert state() == ("due_soon", 0)  # today is 3-31: 3月底 is due today, not late yet
    assert state("--as-of", "2023-03-31") == ("overdue", 0)
    assert state("--month", "3") == ("overdue", 0)
    today = run_cli(ledger_dir, ["overdue", "--unit", "司法局", "--json"])
    assert (today.exit_code, json.loads(today.stdout)) == (0, [])
    named = run_cli(ledger_dir, ["overdue", "--month", "3", "--unit", "司法局", "--json"])
    assert named.exit_code == 1
    assert [(m["item"], m["milestone"], m["days_late"]) for m in json.loads(named.stdout)] == [
        ("9.1", 1, 0)
    ]


# --- show -----------------------------------------------------------------------------------------


def test_show_a_project_shows_each_of_its_items(ledger_dir: Path) -> None:
    out = ok(["--lang", "en", "show", "3", "--as-of", "2023-06-30"], ledger_dir)

    headers = [line.split()[:2] for line in out.splitlines() if re.match(r"^\d+\.\d+ ", line)]
    assert headers == [
        ["3.1", "农村人居环境提升工程"],
        ["3.2", "农村人居环境提升工程"],
        ["3.3", "农村人居环境提升工程"],
    ]
    for unit in ("农业农村局", "交通运输局", "水务局"):
        assert unit in out


@pytest.mark.parametrize("terminal", [False, True], ids=["pipe", "terminal"])
def test_show_one_item(ledger_dir: Path, terminal: bool) -> None:
    env = TERMINAL if terminal else {}
    out = ok(["--lang", "en", "show", "3.2", "--as-of", "2023-06-30"], ledger_dir, **env)

    assert out.splitlines()[0].split() == ["3.2", "农村人居环境提升工程", "red"]
    assert "交通运输局" in out
    assert "农业农村局" not in out
    assert "实施农村公路质量提升工程，完成农村公路修复性养护125公里。" in out
    rows = {
        line.split()[0]: line.split() for line in out.splitlines() if re.match(r"^\s*\d+ ", line)
    }
    assert list(rows) == ["1", "2", "3", "4", "5", "6"]
    assert rows["4"][:4] == ["4", "6月底", "2023-06-30", "完成工程总量50%"]
    assert rows["4"][-1] == "overdue"  # as of 6-30 through its end, 50% not reached
    assert rows["5"][-1] == "pending"
    assert rows["6"][:4] == ["6", "11月底", "2023-11-30", "竣工验收、结算审计"]
    assert "125公里" in out


def test_show_by_name_fragment(ledger_dir: Path) -> None:
    out = ok(["--lang", "en", "show", "户厕", "--as-of", "2023-06-30"], ledger_dir)

    assert out.splitlines()[0].split()[:2] == ["3.1", "农村人居环境提升工程"]
    assert "1310座" in out
    assert "打造人居环境示范村" in out
    assert out == ok(["--lang", "en", "show", "3.1", "--as-of", "2023-06-30"], ledger_dir)


def test_show_of_a_project_keeps_its_items_and_tables_apart(ledger_dir: Path) -> None:
    """Through a pipe each table of `show 3` ends in one blank line: the next table's title,
    and the next item's heading, never run on from the last row."""
    out = ok(["show", "3", "--month", "6"], ledger_dir)
    lines = out.removesuffix("\n").split("\n")

    headings = [i for i, line in enumerate(lines) if re.match(r"^3\.\d ", line)]
    assert [lines[i].split()[0] for i in headings] == ["3.1", "3.2", "3.3"]
    assert headings[0] == 0
    rules = [i for i, line in enumerate(lines) if line and set(line) == {RULE}]
    assert len(rules) == 6  # 指标完成情况 and 时间节点 of each item
    ends = [rules[k] + lines[rules[k] :].index("") for k in range(len(rules))]
    titles = [lines[i - 3] for i in rules]
    assert titles == [ZH.gettext("Indicators"), ZH.gettext("Milestones")] * 3
    for rule_at, end in zip(rules, ends, strict=True):
        table = parse_table("\n".join(lines[rule_at - 3 : end + 1]) + "\n", footer_lines=0)
        assert table.rows and all(table.header)
    # what comes after each table's blank line: the next table's title, or the next item
    after = [lines[end + 1] if end + 1 < len(lines) else None for end in ends]
    assert after == [titles[1], lines[headings[1]], titles[3], lines[headings[2]], titles[5], None]
    # the item's own lines run into its first table's title, as on a terminal
    assert [lines[rules[k] - 4] for k in (0, 2, 4)] == ["进度：..........   0%"] * 3
    assert out.endswith("\n\n") and not out.endswith("\n\n\n")
    # the indicators nothing was recorded for show "-", not an em dash
    indicators = parse_table("\n".join(lines[rules[0] - 3 : ends[0] + 1]) + "\n", footer_lines=0)
    assert indicators.rows[0][:4] == ["示范村", "15个", "-", "13个"]


def test_show_strips_the_trailing_spaces_of_each_line_of_a_content(ledger_dir: Path) -> None:
    """A 任务内容 typed over two lines with a space before the break: the line keeps its words,
    not the space (it used to keep it through a pipe)."""
    (file,) = (ledger_dir / "tasks").glob("03-*.yaml")
    one_line = "content: 实施农村公路质量提升工程，完成农村公路修复性养护125公里。"
    content = "实施农村公路质量提升工程， \n完成农村公路修复性养护125公里。"
    text = file.read_text(encoding="utf-8")
    assert text.count(one_line) == 1
    file.write_text(
        text.replace(one_line, f"content: {json.dumps(content, ensure_ascii=False)}"),
        encoding="utf-8",
    )
    out = ok(["show", "3.2", "--month", "6"], ledger_dir)

    lines = out.split("\n")
    assert lines[1:3] == ["任务内容：实施农村公路质量提升工程，", "完成农村公路修复性养护125公里。"]
    assert all(line == line.rstrip() for line in lines)
    (item,) = json_of(ledger_dir, "show", "3.2", "--month", "6")
    assert item["content"] == content  # the JSON keeps the space


def test_show_json_carries_the_numbers(reported: Path) -> None:
    (item,) = json_of(reported, "show", "3.2", "--as-of", "2023-06-30")

    assert (item["item"], item["unit"], item["light"]) == ("3.2", "交通运输局", "red")
    assert item["indicators"] == [
        {"name": "农村公路修复性养护", "target": 125, "unit": "公里", "kind": "count"}
    ]
    assert [(m["deadline"], m["due"], m["state"]) for m in item["milestones"]] == [
        ("2月底", "2023-02-28", "met_late"),
        ("3月底", "2023-03-31", "overdue"),
        ("4月初", "2023-04-10", "overdue"),
        ("6月底", "2023-06-30", "overdue"),
        ("10月底", "2023-10-31", "pending"),
        ("11月底", "2023-11-30", "pending"),
    ]
    (record,) = item["records"]
    assert (record["date"], record["by"], record["done"]) == (
        "2023-03-05",
        "交通局",
        "完成初步设计编制及评审工作",
    )

    (done,) = json_of(reported, "show", "9", "--as-of", "2023-06-30")
    assert (done["light"], done["progress"], done["next"]) == ("done", 1.0, None)
    assert done["measures"][0]["target"] == 240
    assert done["measures"][0]["actual"] == 240

    project = json_of(reported, "show", "3", "--as-of", "2023-06-30")
    assert [i["item"] for i in project] == ["3.1", "3.2", "3.3"]


def test_status_json_carries_the_numbers(reported: Path) -> None:
    items = {i["item"]: i for i in json_of(reported, "status", "--as-of", "2023-06-25")}

    assert list(items) == BUNDLED_ITEMS
    assert (items["2.1"]["light"], items["2.1"]["progress"]) == ("green", 1.0)
    assert items["2.1"]["next"]["text"] == "竣工验收"
    assert items["2.1"]["next"]["due"] == "2023-07-31"
    assert (items["10.1"]["light"], items["10.1"]["progress"]) == ("yellow", 0.38)
    assert items["10.1"]["measures"] == [
        {
            "name": "审批时限压减",
            "unit": "%",
            "target": 50,
            "actual": 19,
            "expected": 19.45,
            "behind": 0.45,
            "behind_days": 5,
        }
    ]
    assert items["9.1"]["light"] == "done"
    assert Counter(i["light"] for i in items.values()) == {
        "red": 11,
        "green": 1,
        "yellow": 1,
        "done": 1,
    }


# --- escaping, plain output, language -------------------------------------------------------------


def test_markup_in_the_ledger_prints_literally(ledger_dir: Path) -> None:
    (file,) = (ledger_dir / "tasks").glob("01-*.yaml")
    text = file.read_text(encoding="utf-8")
    text = text.replace("name: 冬季清洁取暖工程", 'name: "[red]x:bell:"')
    text = text.replace("unit: 住房和城乡建设局", 'unit: "[bold]住建[/bold]"')
    text = text.replace("text: 开工建设}", 'text: "开工建设[/]"}')
    file.write_text(text, encoding="utf-8")

    status = ok(["status", "--as-of", "2023-06-30"], ledger_dir)
    show = ok(["show", "1", "--as-of", "2023-06-30"], ledger_dir)
    listing = ok(["list", "--as-of", "2023-06-30", "--unit", "住建"], ledger_dir)

    row = next(line for line in status.splitlines() if line.split()[:1] == ["1.1"])
    assert row.split()[1:3] == ["[red]x:bell:", "[bold]住建[/bold]"]
    assert show.splitlines()[0].split()[:2] == ["1.1", "[red]x:bell:"]
    assert "[bold]住建[/bold]" in show
    assert "开工建设[/]" in show
    assert "开工建设[/]" in listing
    assert "[red]x:bell:" in listing


def plain_env() -> dict[str, str]:
    drop = {"NO_COLOR", "COLUMNS", "LINES", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"}
    return {k: v for k, v in os.environ.items() if k not in drop}


def piped(ledger: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[bytes]:
    """The command with its stdout on a real pipe, no NO_COLOR, COLUMNS or FORCE_COLOR (but
    ``extra``)."""
    return subprocess.run(
        [sys.executable, "-m", "minsheng_cli", "-C", str(ledger), *args],
        capture_output=True,
        env={**plain_env(), **extra},
        timeout=60,
        check=False,
    )


def test_output_to_a_pipe_is_plain(ledger_dir: Path) -> None:
    result = piped(ledger_dir, "status", "--month", "6")

    out = result.stdout.decode("utf-8")
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in out
    assert row_refs(out) == BUNDLED_ITEMS
    lines = out.rstrip("\n").split("\n")
    assert lines[0].startswith("泾源县2023年民生实事任务清单")
    assert not [line for line in lines if line.startswith(" ")]  # no Rich box indentation
    assert not [line for line in lines if line != line.rstrip()]  # no trailing spaces
    assert not [line for line in lines if set(line) & set("│┃┏━┡╇└┘")]  # no box drawn
    table = parse_table(out)
    assert [row[0] for row in table.rows] == BUNDLED_ITEMS
    assert {row[-1] for row in table.rows} == {ZH.gettext("red")}


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["list", "--month", "6"], 0),
        (["show", "3", "--month", "6"], 0),
        (["overdue", "--month", "6"], 1),
        (["agenda", "--month", "7"], 0),
    ],
)
def test_every_table_to_a_pipe_is_plain(ledger_dir: Path, args: list[str], code: int) -> None:
    result = piped(ledger_dir, *args)

    out = result.stdout.decode("utf-8")
    assert result.returncode == code, result.stderr
    assert result.stderr == b""
    assert "\x1b" not in out
    assert "泾源县2023年民生实事任务清单" in out or out.startswith("3.1 农村人居环境提升工程")
    lines = out.rstrip("\n").split("\n")
    assert not [line for line in lines if line != line.rstrip()]
    assert not [line for line in lines if set(line) & set("│┃┏━┡╇└┘")]
    assert "<rich." not in out and "object at 0x" not in out  # tables, not their repr
    rules = [line for line in lines if line and set(line) == {RULE}]
    if args[0] == "show":
        assert len(rules) == 6  # 3 items: indicators and milestones each
        # nothing is indented but a track's heading, over the milestone texts (whose column is
        # wide anyway: the deadline column stays as narrow as its words)
        indented = [line for line in lines if line.startswith(" ")]
        assert [line.lstrip()[:3] for line in indented] == ["（一）", "（二）"]
        header = next(line for line in lines if line.startswith("#   "))
        assert {cell_len(line[: line.index("（")]) for line in indented} == {
            cell_len(header[: header.index(ZH.gettext("Milestone"))])
        }
        assert header.index(ZH.gettext("Due")) < 20
    else:
        table = parse_table(out)  # one table, its columns lined up
        # overdue and agenda name each leader once, on the first row of their group
        assert all(row[0] or args[0] in ("overdue", "agenda") for row in table.rows)
        assert len(table.rows) == {"list": 97, "overdue": 54, "agenda": 59}[args[0]]


@pytest.mark.parametrize(
    "args",
    [["status"], ["list", "--month", "6"], ["show", "3", "-m", "6"], ["overdue", "--month", "6"]],
)
def test_a_pipe_is_written_without_rich_layout_yaml_or_pydantic(
    ledger_dir: Path, args: list[str]
) -> None:
    """What keeps a read command instant: once the cache is warm, a pipe never imports Rich's
    console or tables (only rich.cells, to measure Chinese), nor YAML or pydantic."""
    piped(ledger_dir, *args)  # fills the cache
    result = piped(ledger_dir, *args, PYTHONPROFILEIMPORTTIME="1")

    imported = {
        line.rsplit("|", 1)[1].strip()
        for line in result.stderr.decode("utf-8").splitlines()
        if line.startswith("import time:")
    }
    assert "minsheng_cli.render.plain" in imported and "rich.cells" in imported
    heavy = {
        "rich.console",
        "rich.table",
        "rich.text",
        "pydantic",
        "yaml",
        "minsheng_cli.ledger.schema",
    }
    assert heavy.isdisjoint(imported), heavy & imported


class GoneReader(io.StringIO):
    """Standard output whose reader has left (`minsheng list | head -1`)."""

    def flush(self) -> None:
        raise BrokenPipeError(32, "Broken pipe")


@pytest.mark.parametrize(("code", "left"), [(0, 1), (2, 2), (None, 1)])
def test_a_reader_that_leaves_early_gets_a_quiet_exit(
    monkeypatch: pytest.MonkeyPatch, code: int | None, left: int
) -> None:
    """No traceback and no "Exception ignored" from Python's own exit: the process ends with
    a code that says the output was cut (or the error it already had)."""
    ended: list[int] = []
    monkeypatch.setattr(sys, "stdout", GoneReader())
    monkeypatch.setattr(os, "_exit", ended.append)
    end_now(code)  # returns only because _exit is patched
    assert ended == [left]


@pytest.mark.parametrize(("args", "code"), [(["check"], 0), (["overdue", "-m", "6"], 1)])
def test_exit_codes_and_all_the_output_reach_a_pipe(
    ledger_dir: Path, args: list[str], code: int
) -> None:
    """The process leaves without tearing its objects down, after the output is out."""
    result = piped(ledger_dir, *args)
    assert result.returncode == code
    out = result.stdout.decode("utf-8")
    footer = [line for line in out.splitlines() if not line.startswith("⚠")][-1]
    assert out.endswith("\n") and (code == 0 or footer == "逾期节点54个")


def test_runner_output_without_no_color_is_plain(
    ledger_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_COLOR")
    for args in (["status", "--month", "6"], ["list", "--month", "6"], ["show", "3", "-m", "6"]):
        assert "\x1b" not in ok(args, ledger_dir)


def run_in_terminal(args: list[str], env: dict[str, str]) -> str:
    """Run with stdout on a pseudo-terminal, as in a clerk's console window."""
    import pty

    master, slave = pty.openpty()
    chunks: list[bytes] = []
    with subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave, env=env) as process:
        os.close(slave)
        while True:
            ready, _, _ = select.select([master], [], [], 60)
            if not ready:
                process.kill()
                break
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the terminal closed: the process is done
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait(timeout=60)
    os.close(master)
    return b"".join(chunks).decode("utf-8")


def terminal_status(ledger: Path, **extra: str) -> str:
    env = {**plain_env(), "TERM": "xterm-256color", "COLUMNS": "200", **extra}
    args = [sys.executable, "-m", "minsheng_cli", "-C", str(ledger), "status", "--month", "6"]
    return run_in_terminal(args, env)


def sgr_codes(text: str) -> set[int]:
    codes: set[int] = set()
    for params in re.findall(r"\x1b\[([0-9;]*)m", text):
        codes.update(int(p) for p in params.split(";") if p)
    return codes


COLOUR_CODES = {*range(30, 39), *range(40, 49), *range(90, 98), *range(100, 108)}
terminal_only = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")


@terminal_only
def test_a_terminal_gets_colour(ledger_dir: Path) -> None:
    out = terminal_status(ledger_dir)

    assert sgr_codes(out) & COLOUR_CODES
    assert "泾源县2023年民生实事任务清单" in out


@terminal_only
def test_no_color_on_a_terminal_has_no_colour(ledger_dir: Path) -> None:
    out = terminal_status(ledger_dir, NO_COLOR="1")

    assert not sgr_codes(out) & COLOUR_CODES
    assert row_refs(ANSI.sub("", out).replace("\r\n", "\n")) == BUNDLED_ITEMS


@terminal_only
@pytest.mark.parametrize("value", ["1", "", "true"])
def test_no_color_on_a_terminal_is_plain_text(ledger_dir: Path, value: str) -> None:
    """NO_COLOR with any value, even empty (no-color.org), gives no escape codes at all."""
    out = terminal_status(ledger_dir, NO_COLOR=value)

    assert "泾源县2023年民生实事任务清单" in out
    assert "\x1b" not in out
    assert row_refs(out.replace("\r\n", "\n")) == BUNDLED_ITEMS


STATUS_JUNE = ["status", "--month", "6"]


def is_richs_layout(out: str) -> bool:
    """Rich's box: every row indented, a rule of "─", the bar in █ and ░."""
    rows = [line for line in out.splitlines() if ROW.match(line)]
    return (
        len(rows) == len(BUNDLED_ITEMS)
        and all(line.startswith(" ") for line in rows)
        and any(line.strip() and set(line.strip()) == {"─"} for line in out.splitlines())
        and "░░░░░░░░░░" in out
    )


@pytest.mark.parametrize(
    "env",
    [
        {"TTY_COMPATIBLE": "1"},
        {"TTY_COMPATIBLE": "1", "FORCE_COLOR": ""},
        {"TTY_COMPATIBLE": "", "FORCE_COLOR": "1"},  # only 0 and 1 mean anything: FORCE_COLOR
        {"TTY_COMPATIBLE": "yes", "FORCE_COLOR": "1"},
    ],
    ids=["1", "1-FORCE_COLOR-empty", "empty-FORCE_COLOR", "yes-FORCE_COLOR"],
)
def test_tty_compatible_1_draws_for_a_terminal_whatever_the_stream(
    ledger_dir: Path, env: dict[str, str]
) -> None:
    """TTY_COMPATIBLE=1 says the stream takes a terminal's output (Rich's own rule, before
    FORCE_COLOR): the Rich layout, here through CliRunner's pipe (NO_COLOR keeps colour off)."""
    out = ok(STATUS_JUNE, ledger_dir, **env)

    assert out == ok(STATUS_JUNE, ledger_dir, **TERMINAL)
    assert is_richs_layout(out)
    assert "\x1b" not in out


@pytest.mark.parametrize(
    "env",
    [
        {"TTY_COMPATIBLE": "0", "FORCE_COLOR": "1"},
        {"TTY_COMPATIBLE": "0"},
        {"TTY_COMPATIBLE": "2"},
        {"TTY_COMPATIBLE": "true"},
        {"TTY_COMPATIBLE": "", "FORCE_COLOR": ""},
    ],
    ids=["0-FORCE_COLOR", "0", "2", "true", "both-empty"],
)
def test_tty_compatible_0_gives_plain_text_even_with_force_color(
    ledger_dir: Path, env: dict[str, str]
) -> None:
    out = ok(STATUS_JUNE, ledger_dir, **env)

    assert out == ok(STATUS_JUNE, ledger_dir)
    assert not is_richs_layout(out)
    assert [row[0] for row in parse_table(out).rows] == BUNDLED_ITEMS


def test_tty_compatible_on_a_real_pipe(ledger_dir: Path) -> None:
    """Without NO_COLOR, TTY_COMPATIBLE=1 is a terminal with colour, as Rich takes it; =0 beats
    FORCE_COLOR and gives the plain text a pipe gets anyway."""
    drawn = piped(ledger_dir, *STATUS_JUNE, TTY_COMPATIBLE="1", TERM="xterm-256color")
    out = drawn.stdout.decode("utf-8")
    assert drawn.returncode == 0, drawn.stderr
    assert sgr_codes(out) & COLOUR_CODES
    assert is_richs_layout(ANSI.sub("", out))

    plain = piped(ledger_dir, *STATUS_JUNE, TTY_COMPATIBLE="0", FORCE_COLOR="1")
    assert plain.returncode == 0, plain.stderr
    assert plain.stdout == piped(ledger_dir, *STATUS_JUNE).stdout
    assert b"\x1b" not in plain.stdout
    parse_table(plain.stdout.decode("utf-8"))


@terminal_only
def test_tty_compatible_0_on_a_terminal_is_plain_text(ledger_dir: Path) -> None:
    """The console window of a program that cannot take escape codes says TTY_COMPATIBLE=0:
    the plain columns, as for a pipe, though stdout is a terminal and FORCE_COLOR is set."""
    out = terminal_status(ledger_dir, TTY_COMPATIBLE="0", FORCE_COLOR="1").replace("\r\n", "\n")

    assert "\x1b" not in out
    assert out == piped(ledger_dir, *STATUS_JUNE).stdout.decode("utf-8")
    assert [row[0] for row in parse_table(out).rows] == BUNDLED_ITEMS


def test_lang_en_and_minsheng_lang_switch_messages(ledger_dir: Path) -> None:
    english = "ok: 10 实事, 14 items, 86 milestones, no problems\n"
    chinese = (
        ZH.gettext(
            "ok: {projects} 实事, {items} items, {milestones} milestones, no problems"
        ).format(projects=10, items=14, milestones=86)
        + "\n"
    )
    assert chinese != english

    assert ok(["--lang", "en", "check"], ledger_dir) == english
    assert ok(["check"], ledger_dir, MINSHENG_LANG="en") == english
    assert ok(["check"], ledger_dir) == chinese
    assert ok(["--lang", "zh", "check"], ledger_dir, MINSHENG_LANG="en") == chinese
    assert ok(["--lang", "zh_CN", "check"], ledger_dir) == chinese


def test_table_headings_follow_the_language(ledger_dir: Path) -> None:
    english = ok(["--lang", "en", "status", "-m", "6"], ledger_dir)
    chinese = ok(["status", "-m", "6"], ledger_dir)
    by_env = ok(["status", "-m", "6"], ledger_dir, MINSHENG_LANG="en")

    heading_en = english.splitlines()[2].split()
    heading_zh = chinese.splitlines()[2].split()
    assert heading_en[:4] == ["No.", "Project", "Unit", "Leader"]
    assert heading_zh[:4] == [ZH.gettext(w) for w in ("No.", "Project", "Unit", "Leader")]
    assert heading_zh != heading_en
    assert by_env == english


def test_usage_error_message_follows_the_language(ledger_dir: Path) -> None:
    english = run_cli(ledger_dir, ["--lang", "en", "status", "--as-of", "30/6/2023"])
    chinese = run_cli(ledger_dir, ["status", "--as-of", "30/6/2023"])

    assert english.exit_code == chinese.exit_code == 2
    assert english.stderr == (
        "error: “30/6/2023” is not a date; write it as YYYY-MM-DD, e.g. 2023-06-30\n"
    )
    assert "30/6/2023" in chinese.stderr
    assert "YYYY-MM-DD" in chinese.stderr
    assert "is not a date" not in chinese.stderr


# --- exit codes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["status", "--as-of", "2023-06-30", "--month", "6"], "--month"),
        (["list", "--as-of", "2023-06-30", "-m", "6"], "--month"),
        (["status", "--as-of", "not-a-date"], "not-a-date"),
        (["show", "3", "--as-of", "2023-02-30"], "2023-02-30"),
        (["status", "--month", "13"], "13"),
        (["list", "--state", "late"], "late"),
        (["list", "--due-month", "13"], "--due-month"),
        (["stauts"], "stauts"),
        (["show"], "REF"),  # named as the README and --help name it
    ],
)
def test_usage_errors_exit_2(ledger_dir: Path, args: list[str], needle: str) -> None:
    result = run_cli(ledger_dir, args)

    assert result.exit_code == 2
    assert result.stdout == ""
    assert needle in result.stderr
    assert "Traceback" not in result.output


def test_directory_without_a_workspace_exits_2(tmp_path: Path) -> None:
    empty = tmp_path / "空文件夹"
    empty.mkdir()
    for args in (["check"], ["status"], ["list"], ["show", "3"]):
        result = run_cli(empty, ["--lang", "en", *args])
        assert result.exit_code == 2
        assert result.stdout == ""
        assert result.stderr == (
            f"error: {empty} is not a ledger workspace: it has no minsheng.yaml\n"
        )


def test_no_workspace_above_the_current_folder_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli(None, ["status"])

    assert result.exit_code == 2
    assert "minsheng.yaml" in result.stderr
    assert "minsheng init" in result.stderr
    assert "Traceback" not in result.output


def test_clean_commands_exit_0(ledger_dir: Path) -> None:
    for args in (
        ["check"],
        ["status", "-m", "6"],
        ["list", "-m", "6"],
        ["show", "3.2", "-m", "6"],
        ["status", "--json", "-m", "6"],
        ["list", "--json", "-m", "6"],
        ["show", "户厕", "--json", "-m", "6"],
    ):
        result = run_cli(ledger_dir, args)
        assert result.exit_code == 0, args
        assert result.stderr == ""
