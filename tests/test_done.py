"""`minsheng done`: ticking a milestone off (销号), monthly duties, and taking a tick back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_cli
from tests.writes import assert_refused, flat, ok, task_bytes

SCHOOL = "tasks/04-办学条件改善工程.yaml"
TOILETS = "tasks/03-农村人居环境提升工程.yaml"
PENSIONS = "tasks/07-基本民生保障提升工程.yaml"
PROJECT_APPROVAL = "完成项目立项、设计、审批等工作"  # 4.1#1, 1月底


def states(root: Path, ref: str, as_of: str) -> dict[tuple[int, int | None], Any]:
    result = run_cli(root, ["show", ref, "--as-of", as_of, "--json"])
    assert result.exit_code == 0, result.stderr
    return {
        (m["milestone"], m["period"]): (m["state"], m["met_on"], m["days_late"])
        for m in json.loads(result.stdout)[0]["milestones"]
    }


def test_done_ticks_off_a_milestone_without_numbers(ledger_dir: Path) -> None:
    file = ledger_dir / SCHOOL
    before = file.read_bytes()
    out = ok(
        ledger_dir,
        *("done", "4.1", "1", "--date", "2023-01-20", "--by", "教体局"),
        *("--evidence", "立项批复文件"),
    )
    assert out.splitlines()[0] == f"recorded: done 4.1#1 {PROJECT_APPROVAL} (2023-01-20)"
    assert (
        file.read_bytes()
        == before
        + (
            "records:\n  - {date: 2023-01-20, item: 1, by: 教体局, done: "
            f"{PROJECT_APPROVAL}, evidence: 立项批复文件}}\n"
        ).encode()
    )
    assert states(ledger_dir, "4.1", "2023-01-19")[(1, None)] == ("pending", None, 0)
    assert states(ledger_dir, "4.1", "2023-02-01")[(1, None)] == ("met", "2023-01-20", 0)


def test_a_milestone_can_be_named_by_part_of_its_text(ledger_dir: Path) -> None:
    out = ok(ledger_dir, "done", "4.1", "验收", "--date", "2023-08-30")
    assert out.splitlines()[0] == "recorded: done 4.1#6 完成项目验收并交付使用 (2023-08-30)"


def test_a_late_tick_is_met_late(ledger_dir: Path) -> None:
    ok(ledger_dir, "done", "4.1", "1", "--date", "2023-02-03")
    assert states(ledger_dir, "4.1", "2023-02-02")[(1, None)] == ("overdue", None, 2)
    assert states(ledger_dir, "4.1", "2023-02-03")[(1, None)] == ("met_late", "2023-02-03", 3)


def test_a_monthly_duty_is_ticked_month_by_month(ledger_dir: Path) -> None:
    file = ledger_dir / PENSIONS
    before = file.read_bytes()
    out = ok(ledger_dir, "done", "7.2", "按时兑付", "--period", "3", "--date", "2023-03-31")
    assert out.splitlines()[0] == "recorded: done 7.2#2 按时兑付 3月 (2023-03-31)"
    out = ok(ledger_dir, "done", "7.2", "2", "--date", "2023-04-25")  # period: the date's month
    assert out.splitlines()[0] == "recorded: done 7.2#2 按时兑付 4月 (2023-04-25)"
    ok(ledger_dir, "done", "7.2", "按时兑付", "--period", "2", "--date", "2023-04-26")
    assert (
        file.read_bytes()
        == before
        + (
            "records:\n"
            "  - {date: 2023-03-31, item: 2, done: 按时兑付, period: 3}\n"
            "  - {date: 2023-04-25, item: 2, done: 按时兑付, period: 4}\n"
            "  - {date: 2023-04-26, item: 2, done: 按时兑付, period: 2}\n"
        ).encode()
    )
    found = states(ledger_dir, "7.2", "2023-05-01")
    assert found[(2, 1)] == ("overdue", None, 90)
    assert found[(2, 2)] == ("met_late", "2023-04-26", 57)
    assert found[(2, 3)] == ("met", "2023-03-31", 0)
    assert found[(2, 4)] == ("met", "2023-04-25", 0)
    assert found[(2, 5)] == ("pending", None, 0)


# --- refusals ------------------------------------------------------------------------------------

TICKED = ("done", "4.1", "1", "--date", "2023-01-20")
PAID_MARCH = ("done", "7.2", "按时兑付", "--period", "3", "--date", "2023-03-31")


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        pytest.param(
            (),
            ("done", "9.1", "1", "--date", "2023-03-31"),
            "9.1#1 (完成法律援助60件) is met when its numbers are reached, not by a tick;"
            " record them with `minsheng update`",
            id="numeric-target",
        ),
        pytest.param(
            (),
            ("done", "2.1", "3", "--date", "2023-04-30"),
            "2.1#3 (完成工程量的30%) is met when its numbers are reached, not by a tick;"
            " record them with `minsheng update`",
            id="percent-target",
        ),
        pytest.param(
            TICKED,
            ("done", "4.1", "1", "--date", "2023-01-25"),
            "4.1#1 was already ticked off on 2023-01-20",
            id="second-tick",
        ),
        pytest.param(
            PAID_MARCH,
            ("done", "7.2", "按时兑付", "--period", "3", "--date", "2023-04-02"),
            "7.2#2（3月） was already ticked off on 2023-03-31",
            id="second-tick-of-a-month",
        ),
        pytest.param(
            (),
            ("done", "7.2", "按时兑付", "--period", "9", "--date", "2023-06-06"),
            "9月 is still to come on 2023-06-06: a month is ticked off once it is done"
            " (check --period, or give the day it was done with --date)",
            id="a-month-to-come",
        ),
        pytest.param(
            TICKED,
            ("done", "4.1", "1", "--undo", "--date", "2023-02-01"),
            "taking a tick back needs --note saying why",
            id="undo-without-note",
        ),
        pytest.param(
            (),
            ("done", "4.1", "1", "--undo", "--note", "误报", "--date", "2023-02-01"),
            "4.1#1 is not ticked off; nothing to take back",
            id="undo-of-nothing",
        ),
        pytest.param(
            (),
            ("done", "4.1", "1", "--date", "2024-04-05"),
            "the date 2024-04-05 is after 2024-03-31, the last day work past the year may be"
            " recorded (late_until: in minsheng.yaml)",
            id="date-after-the-late-limit",
        ),
        pytest.param(
            (),
            ("done", "4.1", "9", "--date", "2023-01-20"),
            "4.1 has milestones 1–6; there is no 9",
            id="no-such-milestone",
        ),
        pytest.param(
            (),
            ("done", "3.1", "开工", "--date", "2023-04-08"),
            "“开工” matches several milestones of 3.1: 3 打造人居环境示范村 4月初 开工建设;"
            " 8 农村户厕改造 4月初 开工建设",
            id="ambiguous-text",
        ),
        pytest.param(
            (),
            ("done", "3.1", "开工建设", "--date", "2023-04-08"),
            "“开工建设” matches several milestones of 3.1: 3 打造人居环境示范村 4月初 开工建设;"
            " 8 农村户厕改造 4月初 开工建设",
            id="ambiguous-exact-text",
        ),
        pytest.param(
            TICKED,
            ("done", "4.1", "1", "--undo", "--note", "误报", "--date", "2023-01-19"),
            "4.1#1 was ticked off on 2023-01-20; a tick cannot be taken back before it was made"
            " (2023-01-19)",
            id="undo-before-the-tick",
        ),
        pytest.param(
            (),
            ("done", "4.1", "1", "--period", "3", "--date", "2023-01-20"),
            "--period is for monthly duties (逐月); 4.1#1 has one due date",
            id="period-on-a-dated-milestone",
        ),
    ],
)
def test_done_refusals(
    ledger_dir: Path, setup: tuple[str, ...], args: tuple[str, ...], message: str
) -> None:
    assert_refused(ledger_dir, setup, args, message)


def test_a_period_outside_1_to_12_is_a_usage_error(ledger_dir: Path) -> None:
    before = task_bytes(ledger_dir)
    result = run_cli(ledger_dir, ["done", "7.2", "2", "--period", "13", "--date", "2023-03-31"])
    assert result.exit_code == 2
    assert "--period" in result.stderr
    assert task_bytes(ledger_dir) == before


def test_a_tick_in_the_future_is_refused(ledger_dir: Path) -> None:
    from datetime import date, timedelta

    today = date.today()
    tomorrow = today + timedelta(days=1)
    if tomorrow.year != today.year:
        pytest.skip("on 31 December no later day is inside this year's ledger")
    config = ledger_dir / "minsheng.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("year: 2023", f"year: {today.year}"),
        encoding="utf-8",
    )
    before = task_bytes(ledger_dir)
    args = ["done", "4.1", "1", "--date", tomorrow.isoformat(), "--no-commit"]
    result = run_cli(ledger_dir, ["--lang", "en", *args])
    assert result.exit_code == 2
    assert flat(result.stderr) == (
        f"error: the date {tomorrow.isoformat()} is in the future (today is {today.isoformat()})"
    )
    assert task_bytes(ledger_dir) == before


# --- taking a tick back ---------------------------------------------------------------------------


def test_undo_is_an_appended_record_never_a_deletion(ledger_dir: Path) -> None:
    file = ledger_dir / SCHOOL
    before = file.read_bytes()
    ok(ledger_dir, "done", "4.1", "1", "--date", "2023-01-20")
    ticked = file.read_bytes()
    out = ok(
        ledger_dir, "done", "4.1", "1", "--undo", "--note", "批复尚未下达", "--date", "2023-01-25"
    )
    assert out.splitlines()[0] == f"recorded: undo 4.1#1 {PROJECT_APPROVAL} (2023-01-25)"
    undone = file.read_bytes()
    assert (
        undone
        == ticked
        + (
            f"  - {{date: 2023-01-25, item: 1, undone: {PROJECT_APPROVAL}, note: 批复尚未下达}}\n"
        ).encode()
    )
    assert undone.startswith(before)
    assert states(ledger_dir, "4.1", "2023-01-24")[(1, None)] == ("met", "2023-01-20", 0)
    assert states(ledger_dir, "4.1", "2023-01-25")[(1, None)] == ("due_soon", None, 0)
    assert states(ledger_dir, "4.1", "2023-02-01")[(1, None)] == ("overdue", None, 1)
    ok(ledger_dir, "done", "4.1", "1", "--date", "2023-02-06")  # ticked again, for real this time
    assert file.read_bytes().startswith(undone)
    assert states(ledger_dir, "4.1", "2023-02-28")[(1, None)] == ("met_late", "2023-02-06", 6)
    result = run_cli(ledger_dir, ["show", "4.1", "--as-of", "2023-12-31", "--json"])
    records = json.loads(result.stdout)[0]["records"]
    assert [(r["date"], r["done"], r["undone"]) for r in records] == [
        ("2023-01-20", PROJECT_APPROVAL, None),
        ("2023-01-25", None, PROJECT_APPROVAL),
        ("2023-02-06", PROJECT_APPROVAL, None),
    ]


def test_an_accepted_undo_always_takes_the_tick_back(ledger_dir: Path) -> None:
    """An undo dated before its tick would have no effect (the later tick wins): it is refused."""
    ok(ledger_dir, "done", "4.1", "1", "--date", "2023-03-05")
    before = task_bytes(ledger_dir)
    undo = ["done", "4.1", "1", "--undo", "--note", "误报", "--date", "2023-03-01", "--no-commit"]
    result = run_cli(ledger_dir, ["--lang", "en", *undo])
    assert (result.exit_code, result.stdout) == (2, "")
    assert flat(result.stderr) == (
        "error: 4.1#1 was ticked off on 2023-03-05; a tick cannot be taken back before it was"
        " made (2023-03-01)"
    )
    assert task_bytes(ledger_dir) == before
    assert states(ledger_dir, "4.1", "2023-12-31")[(1, None)] == ("met_late", "2023-03-05", 33)
    # on the day of the tick, or later, the undo is accepted and takes the tick back
    ok(ledger_dir, "done", "4.1", "1", "--undo", "--note", "误报", "--date", "2023-03-05")
    assert states(ledger_dir, "4.1", "2023-12-31")[(1, None)] == ("overdue", None, 334)


def test_milestones_with_the_same_text_are_ticked_separately(ledger_dir: Path) -> None:
    """3.1's two tracks both have 4月初 开工建设 (#3 and #8): each tick names its track."""
    file = ledger_dir / TOILETS
    before = file.read_bytes()
    out = ok(ledger_dir, "done", "3.1", "3", "--date", "2023-04-08")
    assert out.splitlines()[0] == "recorded: done 3.1#3 开工建设 (2023-04-08)"
    record = "  - {date: 2023-04-08, item: 1, done: 开工建设, track: 打造人居环境示范村}\n"
    assert file.read_bytes() == before + f"records:\n{record}".encode()
    found = states(ledger_dir, "3.1", "2023-04-30")
    assert found[(3, None)] == ("met", "2023-04-08", 0)
    assert found[(8, None)] == ("overdue", None, 20)
    ok(ledger_dir, "done", "3.1", "8", "--date", "2023-05-02")
    assert file.read_text(encoding="utf-8").endswith(
        "  - {date: 2023-05-02, item: 1, done: 开工建设, track: 农村户厕改造}\n"
    )
    found = states(ledger_dir, "3.1", "2023-05-31")
    assert found[(3, None)] == ("met", "2023-04-08", 0)
    assert found[(8, None)] == ("met_late", "2023-05-02", 22)
    ok(ledger_dir, "done", "3.1", "3", "--undo", "--note", "未实际开工", "--date", "2023-05-03")
    assert file.read_text(encoding="utf-8").endswith(
        "  - {date: 2023-05-03, item: 1, undone: 开工建设, track: 打造人居环境示范村,"
        " note: 未实际开工}\n"
    )
    found = states(ledger_dir, "3.1", "2023-05-31")
    assert found[(3, None)] == ("overdue", None, 51)
    assert found[(8, None)] == ("met_late", "2023-05-02", 22)
    assert run_cli(ledger_dir, ["check"]).exit_code == 0


def test_a_unique_text_is_ticked_without_a_track(ledger_dir: Path) -> None:
    """Only a text repeated in two tracks needs track: in the record."""
    file = ledger_dir / TOILETS
    before = file.read_bytes()
    ok(ledger_dir, "done", "3.1", "完成项目招投标工作", "--date", "2023-03-25")
    record = "  - {date: 2023-03-25, item: 1, done: 完成项目招投标工作}\n"
    assert file.read_bytes() == before + f"records:\n{record}".encode()
    assert states(ledger_dir, "3.1", "2023-03-31")[(7, None)] == ("met", "2023-03-25", 0)


REPEATED_MEETING = """\
id: 11
name: 调度会
items:
  - content: 每季度召开推进会。
    leader: 李静
    unit: 县政府督查室
    milestones:
      - {deadline: 3月底, text: 召开推进会}
      - {deadline: 9月底, text: 召开推进会}
"""


def test_a_text_repeated_at_two_dates_is_ticked_by_its_deadline(ledger_dir: Path) -> None:
    """Same track (none), same text, two dates: the record names the deadline too."""
    task = ledger_dir / "tasks" / "11-调度会.yaml"
    task.write_text(REPEATED_MEETING, encoding="utf-8")

    first = run_cli(ledger_dir, ["done", "11.1", "2", "--date", "2023-03-20", "--no-commit"])
    second = run_cli(ledger_dir, ["done", "11.1", "1", "--date", "2023-03-21", "--no-commit"])

    assert (first.exit_code, second.exit_code) == (0, 0)
    assert task.read_text(encoding="utf-8").endswith(
        "records:\n"
        "  - {date: 2023-03-20, item: 1, done: 召开推进会, deadline: 9月底}\n"
        "  - {date: 2023-03-21, item: 1, done: 召开推进会, deadline: 3月底}\n"
    )
    listed = run_cli(ledger_dir, ["list", "--unit", "督查室", "--as-of", "2023-03-31", "--json"])
    states = [(m["milestone"], m["state"], m["met_on"]) for m in json.loads(listed.stdout)]
    assert states == [(1, "met", "2023-03-21"), (2, "met", "2023-03-20")]


def test_two_milestones_that_cannot_be_told_apart_are_a_check_error(ledger_dir: Path) -> None:
    task = ledger_dir / "tasks" / "11-调度会.yaml"
    task.write_text(REPEATED_MEETING.replace("9月底", "3月底"), encoding="utf-8")

    result = run_cli(ledger_dir, ["--lang", "en", "check"])

    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "tasks/11-调度会.yaml:9: this milestone repeats another's deadline and text"
        " (3月底 召开推进会); merge them or tell them apart"
    )


def test_a_fragment_names_the_milestone_to_tick_not_the_one_measured_in_numbers(
    ledger_dir: Path,
) -> None:
    """8.1 has 启动全县广场文艺演出活动 (a tick) and 完成广场文艺演出10场次 (a number)."""
    out = ok(ledger_dir, "done", "8.1", "广场文艺演出", "--date", "2023-05-18")
    assert "done 8.1#4 启动全县广场文艺演出活动 (2023-05-18)" in out


def test_a_tick_for_a_month_still_to_come_can_be_taken_back(ledger_dir: Path) -> None:
    """Such a tick is refused now, but one may be in a file already (an earlier version, a hand
    edit): taking it back must not wait for that month to come."""
    file = ledger_dir / "tasks" / "07-基本民生保障提升工程.yaml"
    text = file.read_text(encoding="utf-8")
    assert "records:" not in text
    tick = "records:\n  - {date: 2023-06-05, item: 2, done: 按时兑付, period: 12}\n"
    file.write_text(text + tick, encoding="utf-8")
    assert states(ledger_dir, "7.2", "2023-06-30")[(2, 12)][0] == "met"

    ok(
        ledger_dir,
        "done",
        "7.2",
        "按时兑付",
        "--period",
        "12",
        "--undo",
        "--note",
        "误报",
        "--date",
        "2023-06-06",
    )

    assert states(ledger_dir, "7.2", "2023-06-30")[(2, 12)][0] == "pending"
