"""Milestone states as of a date, 序时进度 and lights: the pure rules, then the same on the CLI."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minsheng_cli.core.evaluate import (
    Clock,
    ItemStatus,
    Light,
    MilestoneStatus,
    State,
    by_leader_then_unit,
    days_behind,
    evaluate,
    evaluate_item,
    expected_at,
    reached_on,
    state_of,
    tick_date,
    value_timeline,
)
from minsheng_cli.ledger.deadlines import DueKind
from minsheng_cli.ledger.model import Indicator, Item, Ledger, Milestone, Project, Record, Workspace
from tests.conftest import run_cli

Y = 2023
YEAR_START, YEAR_END = date(Y, 1, 1), date(Y, 12, 31)


def d(text: str) -> date:
    return date.fromisoformat(text)


# --- state_of: a table, then the rules as properties ---------------------------------------------

DUE = d("2023-03-31")


@pytest.mark.parametrize(
    ("met_on", "as_of", "warning", "day_over", "expected"),
    [
        (None, "2023-03-01", 10, True, State.PENDING),  # 30 days ahead
        (None, "2023-03-20", 10, True, State.PENDING),  # 11 days ahead: outside the window
        (None, "2023-03-21", 10, True, State.DUE_SOON),  # 10 days ahead: the window's first day
        (None, "2023-03-30", 10, True, State.DUE_SOON),  # the day before
        # "as of 3-31" (--as-of, --month) is through the end of the day: not met by then is late
        (None, "2023-03-31", 10, True, State.OVERDUE),
        (None, "2023-03-31", 0, True, State.OVERDUE),
        # today, a day still running: what falls due today is not late yet
        (None, "2023-03-31", 10, False, State.DUE_SOON),
        (None, "2023-03-31", 0, False, State.DUE_SOON),  # no warning window: only the day itself
        (None, "2023-03-30", 10, False, State.DUE_SOON),
        (None, "2023-03-20", 10, False, State.PENDING),
        (None, "2023-04-01", 10, True, State.OVERDUE),  # the day after, either way
        (None, "2023-04-01", 10, False, State.OVERDUE),
        (None, "2023-03-30", 0, True, State.PENDING),
        (None, "2023-03-30", 0, False, State.PENDING),
        ("2023-03-01", "2023-03-01", 10, True, State.MET),
        ("2023-03-31", "2023-03-31", 10, True, State.MET),  # met on the due day is on time
        ("2023-03-31", "2023-03-31", 10, False, State.MET),
        ("2023-03-31", "2023-12-31", 10, True, State.MET),
        ("2023-04-01", "2023-04-01", 10, True, State.MET_LATE),
        ("2023-04-01", "2023-04-01", 10, False, State.MET_LATE),
        ("2023-06-30", "2023-12-31", 10, True, State.MET_LATE),
    ],
)
def test_state_table(
    met_on: str | None, as_of: str, warning: int, day_over: bool, expected: State
) -> None:
    met = d(met_on) if met_on else None
    assert state_of(DUE, met, d(as_of), warning, day_over=day_over) is expected


def test_by_default_the_as_of_day_is_over() -> None:
    assert state_of(DUE, None, DUE, 10) is State.OVERDUE
    assert state_of(DUE, None, DUE, 10, day_over=False) is State.DUE_SOON


def test_a_milestone_without_a_date_is_pending_until_met() -> None:
    assert state_of(None, None, YEAR_END, 10) is State.PENDING
    assert state_of(None, d("2023-05-01"), YEAR_END, 10) is State.MET


days_2023 = st.dates(min_value=date(Y, 1, 1), max_value=date(Y, 12, 31))
warnings_ = st.integers(min_value=0, max_value=60)


@given(due=days_2023, met_on=days_2023, as_of=days_2023, warning=warnings_, day_over=st.booleans())
def test_met_on_or_before_due_is_met_else_met_late(
    due: date, met_on: date, as_of: date, warning: int, day_over: bool
) -> None:
    state = state_of(due, met_on, as_of, warning, day_over=day_over)
    assert state is (State.MET if met_on <= due else State.MET_LATE)


@given(due=days_2023, as_of=days_2023, warning=warnings_, day_over=st.booleans())
def test_unmet_after_due_is_overdue_and_within_window_due_soon(
    due: date, as_of: date, warning: int, day_over: bool
) -> None:
    state = state_of(due, None, as_of, warning, day_over=day_over)
    if as_of > due or (day_over and as_of == due):
        assert state is State.OVERDUE
    elif due - as_of <= timedelta(days=warning):
        assert state is State.DUE_SOON
    else:
        assert state is State.PENDING


RANK = {State.PENDING: 0, State.DUE_SOON: 1, State.OVERDUE: 2}


@given(due=days_2023, first=days_2023, second=days_2023, warning=warnings_, day_over=st.booleans())
def test_an_unmet_milestone_only_gets_worse_as_time_passes(
    due: date, first: date, second: date, warning: int, day_over: bool
) -> None:
    early, late = sorted((first, second))
    assert (
        RANK[state_of(due, None, early, warning, day_over=day_over)]
        <= RANK[state_of(due, None, late, warning, day_over=day_over)]
    )


@given(due=days_2023, as_of=days_2023, warning=warnings_)
def test_a_day_that_is_over_differs_only_on_the_due_day(
    due: date, as_of: date, warning: int
) -> None:
    over = state_of(due, None, as_of, warning, day_over=True)
    running = state_of(due, None, as_of, warning, day_over=False)
    if as_of == due:
        assert (over, running) == (State.OVERDUE, State.DUE_SOON)
    else:
        assert over is running


# --- a synthetic item, evaluated as of any date ---------------------------------------------------

WORKSPACE = Workspace(root=Path("/nonexistent"), year=Y, title="测试台账")
LEDGER = Ledger(workspace=WORKSPACE, projects=())


def clock(as_of: str | date, *, day_over: bool = True) -> Clock:
    """As of a day named by the clerk (through its end), or, with day_over=False, today."""
    day = as_of if isinstance(as_of, date) else d(as_of)
    return Clock(day, Y, WORKSPACE.warning_days, day_over)


TICK = "完成招投标工作"
MONTHLY = "按时兑付"
MILESTONES = (
    Milestone(number=1, deadline="3月底", kind=DueKind.DATE, due=d("2023-03-31"), text=TICK),
    Milestone(
        number=2,
        deadline="3月底",
        kind=DueKind.DATE,
        due=d("2023-03-31"),
        text="完成60件",
        targets={"案件": 60.0},
    ),
    Milestone(
        number=3,
        deadline="6月底",
        kind=DueKind.DATE,
        due=d("2023-06-30"),
        text="完成120件",
        targets={"案件": 120.0},
    ),
    Milestone(number=4, deadline="逐月", kind=DueKind.MONTHLY, due=None, text=MONTHLY),
)


def item_with(records: Sequence[Record]) -> Item:
    return Item(
        project=9,
        project_name="测试实事",
        number=1,
        content="办理案件120件",
        leader="某领导",
        unit="某局",
        note="",
        indicators=(Indicator(name="案件", target=120.0, unit="件"),),
        milestones=MILESTONES,
        tracks=(),
        records=tuple(records),
        file=Path("/nonexistent/tasks/09.yaml"),
    )


def value(day: str, amount: float, *, correct: bool = False) -> Record:
    note = "更正" if correct else ""
    return Record(date=d(day), item=1, values={"案件": amount}, correct=correct, note=note)


def tick(day: str, text: str = TICK, *, period: int | None = None, undo: bool = False) -> Record:
    if undo:
        return Record(date=d(day), item=1, undone=text, period=period, note="撤销")
    return Record(date=d(day), item=1, done=text, period=period)


def states(status: ItemStatus) -> dict[tuple[int, int | None], tuple[State, date | None, int]]:
    return {
        (m.milestone.number, m.period): (m.state, m.met_on, m.days_late) for m in status.milestones
    }


def test_dated_cases_before_on_and_after_the_due_date() -> None:
    item = item_with([tick("2023-03-31"), value("2023-03-31", 60)])
    before = states(evaluate_item(LEDGER, item, clock("2023-03-30")))
    on = states(evaluate_item(LEDGER, item, clock("2023-03-31")))
    after = states(evaluate_item(LEDGER, item, clock("2023-04-15")))
    assert before[(1, None)] == (State.DUE_SOON, None, 0)  # the records of the 31st don't count
    assert before[(2, None)] == (State.DUE_SOON, None, 0)
    assert on[(1, None)] == (State.MET, d("2023-03-31"), 0)
    assert on[(2, None)] == (State.MET, d("2023-03-31"), 0)
    assert after[(1, None)] == (State.MET, d("2023-03-31"), 0)
    assert after[(3, None)] == (State.PENDING, None, 0)


def test_unmet_on_the_due_day_is_overdue_once_the_day_is_over() -> None:
    item = item_with([value("2023-03-31", 59)])
    over = states(evaluate_item(LEDGER, item, clock("2023-03-31")))
    running = states(evaluate_item(LEDGER, item, clock("2023-03-31", day_over=False)))
    assert over[(1, None)] == (State.OVERDUE, None, 0)
    assert over[(2, None)] == (State.OVERDUE, None, 0)  # 59 of 60 by the end of 3-31
    assert over[(4, 3)] == (State.OVERDUE, None, 0)  # March's payment
    assert running[(1, None)] == (State.DUE_SOON, None, 0)
    assert running[(2, None)] == (State.DUE_SOON, None, 0)
    assert running[(4, 3)] == (State.DUE_SOON, None, 0)
    assert over[(4, 2)] == running[(4, 2)] == (State.OVERDUE, None, 31)  # February's, either way
    assert over[(3, None)] == running[(3, None)] == (State.PENDING, None, 0)


def test_late_completion_counts_days_late_from_due_to_met() -> None:
    item = item_with([value("2023-03-20", 40), value("2023-04-12", 65), tick("2023-04-05")])
    as_of_april_1 = states(evaluate_item(LEDGER, item, clock("2023-04-01")))
    assert as_of_april_1[(1, None)] == (State.OVERDUE, None, 1)
    assert as_of_april_1[(2, None)] == (State.OVERDUE, None, 1)
    as_of_may = states(evaluate_item(LEDGER, item, clock("2023-05-01")))
    assert as_of_may[(1, None)] == (State.MET_LATE, d("2023-04-05"), 5)
    assert as_of_may[(2, None)] == (State.MET_LATE, d("2023-04-12"), 12)


def test_items_sharing_a_due_date_keep_their_own_states_in_one_evaluation() -> None:
    """evaluate judges each (due date, day met) pair once per call and shares the verdict among
    the items: each item still gets the state of its own records, each call that of its clock."""
    on_time = item_with([tick("2023-03-31")])
    late = item_with([tick("2023-04-02")])._replace(number=2)
    never = item_with([])._replace(number=3)
    project = Project(9, "测试实事", (on_time, late, never), on_time.file)
    ledger = LEDGER._replace(projects=(project,))

    def first_milestone(
        as_of: str, *, day_over: bool = True
    ) -> list[tuple[State, date | None, int]]:
        snapshot = evaluate(ledger, d(as_of), day_over=day_over)
        assert snapshot.items == tuple(
            evaluate_item(ledger, item, clock(as_of, day_over=day_over)) for item in ledger.items
        )
        return [states(status)[(1, None)] for status in snapshot.items]

    assert first_milestone("2023-04-10") == [
        (State.MET, d("2023-03-31"), 0),
        (State.MET_LATE, d("2023-04-02"), 2),
        (State.OVERDUE, None, 10),
    ]
    assert first_milestone("2023-03-31") == [
        (State.MET, d("2023-03-31"), 0),
        (State.OVERDUE, None, 0),
        (State.OVERDUE, None, 0),
    ]
    assert first_milestone("2023-03-31", day_over=False) == [
        (State.MET, d("2023-03-31"), 0),
        (State.DUE_SOON, None, 0),
        (State.DUE_SOON, None, 0),
    ]


def test_a_correction_takes_back_a_milestone_met_by_the_overstated_value() -> None:
    item = item_with(
        [value("2023-03-20", 70), value("2023-04-10", 50, correct=True), value("2023-05-15", 95)]
    )
    assert states(evaluate_item(LEDGER, item, clock("2023-03-31")))[(2, None)] == (
        State.MET,
        d("2023-03-20"),
        0,
    )
    corrected = evaluate_item(LEDGER, item, clock("2023-04-10"))
    assert states(corrected)[(2, None)] == (State.OVERDUE, None, 10)
    assert corrected.values == {"案件": 50}
    assert states(evaluate_item(LEDGER, item, clock("2023-06-01")))[(2, None)] == (
        State.MET_LATE,
        d("2023-05-15"),
        45,
    )


def test_each_month_of_a_recurring_duty_is_met_or_not_on_its_own() -> None:
    item = item_with(
        [
            tick("2023-01-31", MONTHLY, period=1),
            tick("2023-03-05", MONTHLY, period=2),  # February paid late
            tick("2023-03-31", MONTHLY, period=3),
            tick("2023-04-02", MONTHLY, period=5),  # May paid early
        ]
    )
    found = states(evaluate_item(LEDGER, item, clock("2023-06-10")))
    monthly = {period: found[(4, period)] for period in range(1, 13)}
    assert monthly[1] == (State.MET, d("2023-01-31"), 0)
    assert monthly[2] == (State.MET_LATE, d("2023-03-05"), 5)
    assert monthly[3] == (State.MET, d("2023-03-31"), 0)
    assert monthly[4] == (State.OVERDUE, None, 41)  # April's payment: due 4-30
    assert monthly[5] == (State.MET, d("2023-04-02"), 0)
    assert monthly[6] == (State.PENDING, None, 0)  # due 6-30, 20 days ahead
    assert all(monthly[m] == (State.PENDING, None, 0) for m in range(7, 13))
    assert len(found) == 3 + 12


def test_records_dated_after_the_as_of_date_do_not_count() -> None:
    item = item_with([value("2023-02-01", 30), value("2023-06-01", 120), tick("2023-06-01")])
    status = evaluate_item(LEDGER, item, clock("2023-05-31"))
    assert status.values == {"案件": 30}
    assert states(status)[(1, None)] == (State.OVERDUE, None, 61)
    assert states(status)[(3, None)] == (State.PENDING, None, 0)


def test_a_tick_taken_back_is_no_longer_met_and_can_be_ticked_again() -> None:
    records = [tick("2023-03-01"), tick("2023-03-10", undo=True), tick("2023-04-02")]
    milestone = MILESTONES[0]
    assert tick_date(milestone, records[:1], None) == d("2023-03-01")
    assert tick_date(milestone, records[:2], None) is None
    assert tick_date(milestone, records, None) == d("2023-04-02")


def test_value_timeline_merges_a_day_and_caps_earlier_values_at_a_correction() -> None:
    timeline = value_timeline(
        [
            value("2023-02-01", 30),
            value("2023-03-20", 70),
            value("2023-03-20", 72),
            value("2023-04-10", 50, correct=True),
        ]
    )
    assert timeline == [
        (d("2023-02-01"), {"案件": 30}),
        (d("2023-03-20"), {"案件": 50}),
        (d("2023-04-10"), {"案件": 50}),
    ]
    assert reached_on({"案件": 50}, timeline) == d("2023-03-20")
    assert reached_on({"案件": 60}, timeline) is None


# --- the property: later records never change the past ------------------------------------------

record_strategy = st.one_of(
    st.builds(
        lambda day, amount, correct: Record(
            date=day, item=1, values={"案件": amount}, correct=correct, note="n" if correct else ""
        ),
        days_2023,
        st.integers(min_value=0, max_value=150).map(float),
        st.booleans(),
    ),
    st.builds(
        lambda day, undo: Record(
            date=day, item=1, done=None if undo else TICK, undone=TICK if undo else None
        ),
        days_2023,
        st.booleans(),
    ),
    st.builds(
        lambda day, period, undo: Record(
            date=day,
            item=1,
            done=None if undo else MONTHLY,
            undone=MONTHLY if undo else None,
            period=period,
        ),
        days_2023,
        st.integers(min_value=1, max_value=12),
        st.booleans(),
    ),
)


def observable(status: ItemStatus) -> tuple[Any, ...]:
    """Everything a report shows about an item as of a date."""
    return (
        [
            (m.milestone.number, m.period, m.due, m.state, m.met_on, m.days_late, dict(m.recorded))
            for m in status.milestones
        ],
        dict(status.values),
        [(m.name, m.actual, m.expected, m.behind_days) for m in status.measures],
        status.progress,
        status.light,
        status.behind_plan,
    )


@given(records=st.lists(record_strategy, max_size=12), as_of=days_2023, day_over=st.booleans())
def test_records_after_the_as_of_date_never_change_the_state(
    records: list[Record], as_of: date, day_over: bool
) -> None:
    known = [r for r in records if r.date <= as_of]
    when = clock(as_of, day_over=day_over)
    everything = evaluate_item(LEDGER, item_with(records), when)
    assert observable(everything) == observable(evaluate_item(LEDGER, item_with(known), when))
    for status in everything.milestones:
        assert status.met_on is None or status.met_on <= as_of
        if status.state is State.OVERDUE:
            assert status.due is not None
            # a day that is over makes its own due milestones overdue, 0 days late
            assert status.days_late == (as_of - status.due).days >= (0 if day_over else 1)
        elif status.state is State.MET_LATE:
            assert status.due is not None and status.met_on is not None
            assert status.days_late == (status.met_on - status.due).days > 0
        else:
            assert status.days_late == 0


# --- 序时进度 -------------------------------------------------------------------------------------

LEGAL_AID_PLAN = [
    (d("2022-12-31"), 0.0),
    (d("2023-03-31"), 60.0),
    (d("2023-06-30"), 120.0),
    (d("2023-09-30"), 180.0),
    (d("2023-12-31"), 240.0),
]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2023-02-14", 60 * 45 / 90),  # 45 of the 90 days from 12-31 to 3-31
        ("2023-03-31", 60.0),
        ("2023-05-15", 60 + 60 * 45 / 91),  # 45 of the 91 days from 3-31 to 6-30
        ("2023-06-30", 120.0),
        ("2023-12-31", 240.0),
        ("2024-02-01", 240.0),  # flat after the last milestone
        ("2022-12-01", 0.0),
    ],
)
def test_expected_at_between_and_on_milestones(day: str, expected: float) -> None:
    assert expected_at(LEGAL_AID_PLAN, d(day)) == pytest.approx(expected)


def test_days_behind_is_how_long_ago_the_plan_stood_where_the_item_stands() -> None:
    # 30 cases was the plan on 2-14; on 3-31 that is 45 days behind
    assert days_behind(LEGAL_AID_PLAN, 30.0, d("2023-03-31")) == 45
    assert days_behind(LEGAL_AID_PLAN, 60.0, d("2023-03-31")) == 0
    assert days_behind(LEGAL_AID_PLAN, 200.0, d("2023-05-15")) == 0  # ahead of plan


@st.composite
def plans(draw: st.DrawFn) -> list[tuple[date, float]]:
    offsets = draw(st.lists(st.integers(1, 364), min_size=1, max_size=6, unique=True))
    steps = draw(
        st.lists(st.integers(0, 500), min_size=len(offsets), max_size=len(offsets)).map(
            lambda xs: [float(x) for x in xs]
        )
    )
    plan = [(YEAR_START - timedelta(days=1), 0.0)]
    total = 0.0
    for offset, step in zip(sorted(offsets), steps, strict=True):
        total += step
        plan.append((YEAR_START + timedelta(days=offset), total))
    return plan


@given(plan=plans(), first=days_2023, second=days_2023)
def test_expected_at_is_monotone_and_hits_every_target_on_its_due_date(
    plan: list[tuple[date, float]], first: date, second: date
) -> None:
    early, late = sorted((first, second))
    assert expected_at(plan, early) <= expected_at(plan, late) + 1e-9
    assert 0.0 <= expected_at(plan, early) <= plan[-1][1]
    for due, target in plan[1:]:
        assert expected_at(plan, due) == pytest.approx(target)


@given(plan=plans(), as_of=days_2023, actual=st.floats(0, 3000))
def test_days_behind_is_zero_exactly_when_on_plan(
    plan: list[tuple[date, float]], as_of: date, actual: float
) -> None:
    behind = days_behind(plan, actual, as_of)
    assert behind >= 0
    if actual >= expected_at(plan, as_of):
        assert behind == 0


def test_expected_at_on_a_shared_due_date_is_the_higher_target() -> None:
    plan = [(d("2022-12-31"), 0.0), (d("2023-06-30"), 100.0), (d("2023-06-30"), 120.0)]
    assert expected_at(plan, d("2023-06-30")) == 120.0
    # the day before is still on the line from 0 to the first point (100 over 181 days)
    assert expected_at(plan, d("2023-06-29")) == pytest.approx(100 * 180 / 181)
    assert expected_at(plan, d("2023-07-15")) == 120.0  # flat after the last


# --- the same rules through the CLI, on a copy of the bundled ledger -----------------------------


def show(root: Path, ref: str, as_of: str) -> dict[str, Any]:
    result = run_cli(root, ["show", ref, "--as-of", as_of, "--json"])
    assert result.exit_code == 0, result.stderr
    detail: dict[str, Any] = json.loads(result.stdout)[0]
    return detail


def milestone_states(root: Path, ref: str, as_of: str) -> dict[tuple[int, int | None], Any]:
    return {
        (m["milestone"], m["period"]): (m["state"], m["met_on"], m["days_late"])
        for m in show(root, ref, as_of)["milestones"]
    }


def cli(root: Path, *args: str) -> None:
    result = run_cli(root, [*args, "--no-commit"])
    assert result.exit_code == 0, result.stderr


def test_cli_tick_before_on_and_after_the_due_date(ledger_dir: Path) -> None:
    cli(ledger_dir, "done", "4.1", "1", "--date", "2023-01-31")  # 1月底
    cli(ledger_dir, "done", "4.1", "2", "--date", "2023-03-06")  # 2月底, late
    assert milestone_states(ledger_dir, "4.1", "2023-01-30")[(1, None)] == ("due_soon", None, 0)
    assert milestone_states(ledger_dir, "4.1", "2023-01-31")[(1, None)] == (
        "met",
        "2023-01-31",
        0,
    )
    # --as-of names a day: read through its end, 2月底 unticked on 2-28 is overdue, 0 days late
    assert milestone_states(ledger_dir, "4.1", "2023-02-28")[(2, None)] == ("overdue", None, 0)
    march_first = milestone_states(ledger_dir, "4.1", "2023-03-01")
    assert march_first[(2, None)] == ("overdue", None, 1)
    assert march_first[(3, None)] == ("pending", None, 0)  # 3月底: 30 days ahead
    assert milestone_states(ledger_dir, "4.1", "2023-03-06")[(2, None)] == (
        "met_late",
        "2023-03-06",
        6,
    )


def test_cli_correction_unmeets_a_milestone_from_the_correction_on(ledger_dir: Path) -> None:
    cli(ledger_dir, "update", "9.1", "--set", "法律援助案件=70", "--date", "2023-03-20")
    cli(
        ledger_dir,
        *("update", "9.1", "--set", "法律援助案件=50", "--date", "2023-04-10"),
        *("--correct", "--note", "重复统计"),
    )
    assert milestone_states(ledger_dir, "9.1", "2023-03-31")[(1, None)] == (
        "met",
        "2023-03-20",
        0,
    )
    after = show(ledger_dir, "9.1", "2023-04-10")
    assert after["milestones"][0]["state"] == "overdue"
    assert after["milestones"][0]["days_late"] == 10
    assert after["milestones"][0]["recorded"] == {"法律援助案件": 50}
    assert after["light"] == "red"


def test_cli_monthly_duty_one_state_per_month(ledger_dir: Path) -> None:
    cli(ledger_dir, "done", "7.2", "按时兑付", "--period", "3", "--date", "2023-03-31")
    cli(ledger_dir, "done", "7.2", "按时兑付", "--date", "2023-04-20")  # period from the date
    found = milestone_states(ledger_dir, "7.2", "2023-05-05")
    assert [found[(2, month)][0] for month in range(1, 13)] == [
        "overdue",
        "overdue",
        "met",
        "met",
        "pending",
        *["pending"] * 7,
    ]
    assert found[(2, 1)] == ("overdue", None, 94)
    assert found[(2, 4)] == ("met", "2023-04-20", 0)


def test_cli_expected_progress_between_milestones(ledger_dir: Path) -> None:
    cli(ledger_dir, "update", "9.1", "--set", "法律援助案件=60", "--date", "2023-03-31")
    measure = show(ledger_dir, "9.1", "2023-05-15")["measures"][0]
    assert measure == {
        "name": "法律援助案件",
        "unit": "件",
        "target": 240,
        "actual": 60,
        "expected": round(60 + 60 * 45 / 91, 2),  # 89.67
        "behind": round(60 * 45 / 91, 2),
        "behind_days": 45,  # the plan stood at 60 on 3-31
    }


def test_cli_an_item_behind_plan_lights_yellow_before_any_milestone_is_missed(
    ledger_dir: Path,
) -> None:
    on_time = show(ledger_dir, "9.1", "2023-01-15")  # 15 days behind: within tolerance_days 15
    assert (on_time["light"], on_time["behind_plan"]) == ("green", False)
    behind = show(ledger_dir, "9.1", "2023-01-16")
    assert (behind["light"], behind["behind_plan"]) == ("yellow", True)
    assert behind["measures"][0]["behind_days"] == 16
    assert {m["state"] for m in behind["milestones"]} == {"pending"}


def test_cli_tolerance_comes_from_the_workspace(ledger_dir: Path) -> None:
    config = ledger_dir / "minsheng.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("tolerance_days: 15", "tolerance_days: 30"),
        encoding="utf-8",
    )
    assert show(ledger_dir, "9.1", "2023-01-16")["light"] == "green"
    assert show(ledger_dir, "9.1", "2023-01-31")["light"] == "yellow"


def test_cli_records_after_the_as_of_date_do_not_count(ledger_dir: Path) -> None:
    cli(ledger_dir, "update", "9.1", "--set", "法律援助案件=70", "--date", "2023-04-02")
    early = show(ledger_dir, "9.1", "2023-04-01")
    assert early["milestones"][0]["state"] == "overdue"
    assert early["milestones"][0]["recorded"] == {}
    assert early["measures"][0]["actual"] == 0
    assert show(ledger_dir, "9.1", "2023-04-02")["milestones"][0]["state"] == "met_late"


MONTH_ENDS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def test_monthly_duty_stays_in_the_ledgers_year_when_viewed_later(ledger_dir: Path) -> None:
    result = run_cli(ledger_dir, ["overdue", "--as-of", "2024-01-10", "--json"])
    assert result.exit_code == 1
    monthly = [m for m in json.loads(result.stdout) if m["item"] == "7.2" and m["milestone"] == 2]
    assert [m["due"] for m in monthly] == [
        f"2023-{month:02d}-{day}" for month, day in zip(range(1, 13), MONTH_ENDS, strict=True)
    ]
    assert [m["period"] for m in monthly] == list(range(1, 13))
    assert monthly[-1]["days_late"] == 10  # December's, due 2023-12-31


def test_monthly_duty_due_dates_come_from_the_clocks_year_not_the_as_of_date() -> None:
    item = item_with([])
    later = states(evaluate_item(LEDGER, item, clock("2024-01-10")))
    assert later[(4, 12)] == (State.OVERDUE, None, 10)
    assert later[(4, 1)] == (State.OVERDUE, None, 344)
    viewed = evaluate_item(LEDGER, item, clock("2024-01-10"))
    dues = [m.due for m in viewed.milestones if m.milestone.number == 4]
    assert dues == [
        date(Y, month, day) for month, day in zip(range(1, 13), MONTH_ENDS, strict=True)
    ]


def test_every_item_is_green_on_new_years_day(ledger_dir: Path) -> None:
    result = run_cli(ledger_dir, ["status", "--as-of", "2023-01-01", "--json"])
    assert result.exit_code == 0
    lights = {row["item"]: row["light"] for row in json.loads(result.stdout)}
    assert set(lights.values()) == {Light.GREEN.value}
    assert len(lights) == 14


LEADERS, UNITS = ("王", "李", "任"), ("住建局", "卫健局", "教育局")


@given(
    st.dictionaries(
        st.tuples(st.integers(1, 4), st.integers(1, 3)),  # 序号 and item
        st.tuples(st.sampled_from(LEADERS), st.sampled_from(UNITS)),
        min_size=1,
    ),
    st.lists(
        st.tuples(
            st.integers(0, 99), st.integers(1, 3), st.none() | st.dates(YEAR_START, YEAR_END)
        ),
        max_size=12,
    ),
)
def test_dispatch_order_is_leader_then_unit_as_first_named_then_due_date(
    people: dict[tuple[int, int], tuple[str, str]],
    milestones: list[tuple[int, int, date | None]],
) -> None:
    """The meeting's order: each leader, then each of their units, as the list (序号 order) first
    names them; within a unit by due date (undated last), ties in the list's order."""
    items = [
        Item(p, f"实事{p}", i, "", leader, unit, "", (), (), (), (), Path("t.yaml"))
        for (p, i), (leader, unit) in people.items()
    ]
    statuses = [
        MilestoneStatus(
            items[which % len(items)],
            Milestone(number, "6月底", DueKind.DATE, due, "开工"),
            due,
            None,
            State.OVERDUE,
            None,
            0,
            {},
        )
        for which, number, due in milestones
    ]
    in_list_order = sorted(
        statuses, key=lambda s: (s.item.project, s.item.number, s.milestone.number)
    )
    leaders = list(dict.fromkeys(s.item.leader for s in in_list_order))
    units = list(dict.fromkeys((s.item.leader, s.item.unit) for s in in_list_order))

    ordered = by_leader_then_unit(reversed(statuses))

    assert sorted(map(id, ordered)) == sorted(map(id, statuses))
    keys = [
        (
            leaders.index(s.item.leader),
            units.index((s.item.leader, s.item.unit)),
            s.due or date.max,
            (s.item.project, s.item.number, s.milestone.number),
        )
        for s in ordered
    ]
    assert keys == sorted(keys)
