"""The date a command evaluates: a named date is read through its end, today is still running."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from minsheng_cli.core.asof import as_of_date, snapshot_as_of
from minsheng_cli.core.evaluate import State
from minsheng_cli.errors import UsageError
from minsheng_cli.store.load import load_ledger


def states_due_on(root: Path, day: date, as_of: str | None, month: int | None) -> set[State]:
    snapshot = snapshot_as_of(load_ledger(root), as_of, month, today=day)
    return {m.state for m in snapshot.milestones if m.due == day and not m.state.is_met}


def test_today_is_still_running_so_what_falls_due_today_is_due_soon(ledger_dir: Path) -> None:
    assert states_due_on(ledger_dir, date(2023, 3, 31), None, None) == {State.DUE_SOON}


@pytest.mark.parametrize(("as_of", "month"), [("2023-03-31", None), (None, 3)])
def test_a_named_date_is_read_through_its_end(
    ledger_dir: Path, as_of: str | None, month: int | None
) -> None:
    assert states_due_on(ledger_dir, date(2023, 3, 31), as_of, month) == {State.OVERDUE}


def test_month_means_its_last_day_of_the_ledgers_year() -> None:
    assert as_of_date(2023, None, 2, today=date(2026, 11, 29)) == date(2023, 2, 28)
    assert as_of_date(2024, None, 2, today=date(2026, 11, 29)) == date(2024, 2, 29)


@pytest.mark.parametrize(
    ("as_of", "month", "message"),
    [
        ("2023-06-30", 6, "give either --as-of or --month, not both"),
        ("6/30", None, "“6/30” is not a date; write it as YYYY-MM-DD, e.g. 2023-06-30"),
        (None, 13, "--month must be 1–12, not 13"),
    ],
)
def test_impossible_dates_are_usage_errors(
    as_of: str | None, month: int | None, message: str
) -> None:
    from minsheng_cli.i18n import set_language

    set_language("en")
    with pytest.raises(UsageError) as caught:
        as_of_date(2023, as_of, month, today=date(2023, 1, 1))
    assert caught.value.message == message
    assert caught.value.exit_code == 2


@pytest.mark.parametrize(
    "text", ["2023-07-20", "2023/7/20", "2023.07.20", "2023年7月20日", "２０２３年７月２０日"]
)
def test_a_date_is_read_as_a_clerk_types_it(text: str) -> None:
    from minsheng_cli.core.asof import parse_day

    assert parse_day(text) == date(2023, 7, 20)


@pytest.mark.parametrize(
    ("text", "month"), [("7", 7), ("07", 7), ("7月", 7), ("七月", 7), ("十二月", 12)]
)
def test_a_month_is_read_as_a_clerk_types_it(text: str, month: int) -> None:
    from minsheng_cli.core.asof import parse_month

    assert parse_month(text) == month


def test_the_clerks_way_of_typing_works_on_the_command_line(ledger_dir: Path) -> None:
    from tests.conftest import run_cli

    result = run_cli(
        ledger_dir,
        ["update", "3.2", "--percent", "55％", "--date", "2023年7月1日", "--no-commit"],
    )
    assert result.exit_code == 0, result.stderr
    result = run_cli(
        ledger_dir,
        ["update", "9.1", "--set", "法律援助案件＝１５０", "--date", "2023/7/2", "--no-commit"],
    )
    assert result.exit_code == 0, result.stderr
    (legal_aid,) = (ledger_dir / "tasks").glob("09-*.yaml")
    assert legal_aid.read_text(encoding="utf-8").endswith(
        "  - {date: 2023-07-02, item: 1, set: {法律援助案件: 150}}\n"
    )
    listed = run_cli(ledger_dir, ["list", "--state", "逾期", "--month", "6月", "--json"])
    assert listed.exit_code == 0, listed.stderr
    assert {m["state"] for m in json.loads(listed.stdout)} == {"overdue"}
    ticked = run_cli(ledger_dir, ["done", "3.2#1", "--date", "2023-02-20", "--no-commit"])
    assert ticked.exit_code == 0, ticked.stderr
    assert "done 3.2#1 完成初步设计编制及评审工作" in ticked.stdout
