"""The ledger as of a date: milestone states, 序时进度 and each item's light. Pure functions.

Only records dated on or before the as-of date count, so every answer can be recomputed for any
past day (`--as-of`), exactly as it stood then.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, timedelta
from enum import StrEnum
from operator import attrgetter
from typing import NamedTuple

from minsheng_cli.ledger.deadlines import (
    DeadlineError,
    DeadlineRules,
    DueKind,
    month_end,
    parse_deadline,
)
from minsheng_cli.ledger.model import PERCENT_KEY, Item, Ledger, Milestone, Record

EPSILON = 1e-9


class State(StrEnum):
    MET = "met"
    MET_LATE = "met_late"
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    PENDING = "pending"

    @property
    def is_met(self) -> bool:
        return self in MET_STATES


MET_STATES = frozenset((State.MET, State.MET_LATE))
LATE_STATES = frozenset((State.MET_LATE, State.OVERDUE))
"""The states past the due date: met late (days from due to met) or overdue (to the as-of day)."""


class Light(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    DONE = "done"


class MilestoneStatus(NamedTuple):
    """One milestone (or one month of a monthly duty) as of the snapshot's date."""

    item: Item
    milestone: Milestone
    due: date | None
    period: int | None
    state: State
    met_on: date | None
    days_late: int
    recorded: Mapping[str, float]
    adjustment: Adjustment | None = None
    """The approved change in force (``milestone`` is then the milestone as adjusted)."""


class Adjustment(NamedTuple):
    """A milestone's deadline or targets moved by approval (a reschedule record)."""

    original: Milestone
    """The milestone as the task file gives it (原定)."""
    record: Record
    """The latest reschedule dated by the as-of day: its date, approval and who recorded it."""
    due_before: date | None
    """The due date the record moved it from (the original's, unless moved before)."""
    late_before: int = 0
    """Days it was already overdue when the change was approved (0: it was not)."""


class Measure(NamedTuple):
    """One number an item is measured by: recorded against 序时 (where it should be by now)."""

    name: str
    unit: str
    total: float
    actual: float
    expected: float
    behind_days: int

    @property
    def behind(self) -> float:
        return max(0.0, self.expected - self.actual)


class ItemStatus(NamedTuple):
    item: Item
    milestones: tuple[MilestoneStatus, ...]
    values: Mapping[str, float]
    measures: tuple[Measure, ...]
    progress: float
    light: Light
    behind_plan: bool
    records: tuple[Record, ...] = ()
    """The item's records dated on or before the as-of date: what was known then."""

    @property
    def next_due(self) -> MilestoneStatus | None:
        open_ = [m for m in self.milestones if not m.state.is_met and m.due is not None]
        return min(open_, key=lambda m: m.due or date.max, default=None)


class Snapshot(NamedTuple):
    ledger: Ledger
    as_of: date
    items: tuple[ItemStatus, ...]

    @property
    def milestones(self) -> tuple[MilestoneStatus, ...]:
        """Every item's milestone statuses, in ledger order: built on each access, so keep it."""
        return tuple(itertools.chain.from_iterable(item.milestones for item in self.items))


class Clock(NamedTuple):
    """When the ledger is read: the as-of day, and whether that day is over.

    "截至6月30日" (``--as-of``, ``--month``) means through the end of that day, so a milestone due
    on it and not met is overdue; "now" (no date given) is a day still running, so what falls due
    today is only due soon.
    """

    as_of: date
    year: int
    warning_days: int
    day_over: bool = True
    rules: DeadlineRules = DeadlineRules()


def evaluate(ledger: Ledger, as_of: date, *, day_over: bool = True) -> Snapshot:
    """Every item's state as of ``as_of``: a pure function of the ledger and the date."""
    workspace = ledger.workspace
    clock = Clock(as_of, workspace.year, workspace.warning_days, day_over, workspace.rules)
    verdict = verdicts(clock)
    items = [evaluate_item(ledger, item, clock, verdict) for item in ledger.items]
    return Snapshot(ledger, as_of, tuple(items))


class Milestones(NamedTuple):
    """The ledger's milestones as of a date, without the items' measures, progress and lights:
    all that `list` and `overdue` show, for half the work of a whole Snapshot."""

    ledger: Ledger
    as_of: date
    milestones: tuple[MilestoneStatus, ...]


def evaluate_milestones(
    ledger: Ledger, as_of: date, *, day_over: bool = True, due_by: date | None = None
) -> Milestones:
    """Every milestone's status as of ``as_of``, exactly as ``evaluate`` gives it; with
    ``due_by``, only those due on or before it (all that can be overdue by then)."""
    workspace = ledger.workspace
    clock = Clock(as_of, workspace.year, workspace.warning_days, day_over, workspace.rules)
    verdict = verdicts(clock)
    statuses: list[MilestoneStatus] = []
    for item in ledger.items:
        known = [r for r in item.records if r.date <= as_of]
        in_order = sorted(known, key=by_date)
        statuses += item_milestone_statuses(item, in_order, clock, verdict, due_by)[0]
    return Milestones(ledger, as_of, tuple(statuses))


def item_milestone_statuses(
    item: Item,
    known_in_order: Sequence[Record],
    clock: Clock,
    verdict: Verdict,
    due_by: date | None = None,
) -> tuple[list[MilestoneStatus], Timeline]:
    """The item's milestone statuses from its records known by then (in date order), and the
    value timeline they were judged on."""
    timeline = value_timeline(known_in_order)
    ticks = ticks_by_text(known_in_order)
    moved = adjustments(item, known_in_order, clock)
    return milestone_statuses(item, timeline, ticks, clock, verdict, due_by, moved), timeline


Moved = Mapping[int, tuple[Milestone, Adjustment]]
"""Milestone number → the milestone as adjusted by approval, and the adjustment."""


def adjustments(item: Item, known_in_order: Sequence[Record], clock: Clock) -> Moved:
    """The item's milestones moved by the reschedules known by then, each applied in date order
    on top of the last (the due date as of a day is the latest approved one dated by that day)."""
    moved: dict[int, tuple[Milestone, Adjustment]] = {}
    for record in known_in_order:
        if record.reschedule is None:
            continue
        for milestone in item.milestones:
            if milestone.kind is not DueKind.MONTHLY and record.moves(milestone):
                current = moved[milestone.number][0] if milestone.number in moved else milestone
                adjustment = Adjustment(milestone, record, current.due)
                moved[milestone.number] = (adjusted(current, record, clock), adjustment)
    return moved


def adjusted(milestone: Milestone, record: Record, clock: Clock) -> Milestone:
    """``milestone`` with the record's new deadline and targets (a bad one is `check`'s to say)."""
    deadline, due = milestone.deadline, milestone.due
    if record.to is not None:
        try:
            parsed = parse_deadline(record.to, clock.year, clock.rules)
        except DeadlineError:
            parsed = None
        if parsed is not None and parsed.date is not None:
            deadline, due = record.to, parsed.date
    targets = {**milestone.targets}
    targets.update((n, v) for n, v in record.targets.items() if n in targets)
    return milestone._replace(deadline=deadline, due=due, targets=targets)


def evaluate_item(
    ledger: Ledger, item: Item, clock: Clock, verdict: Verdict | None = None
) -> ItemStatus:
    """One item as of the clock; ``verdict`` is ``verdicts(clock)``, shared by all of a ledger's
    items so that each due date is judged once."""
    workspace = ledger.workspace
    known = [r for r in item.records if r.date <= clock.as_of]
    if verdict is None:
        verdict = verdicts(clock)
    milestones, timeline = item_milestone_statuses(item, sorted(known, key=by_date), clock, verdict)
    values = timeline[-1][1] if timeline else {}
    statuses = tuple(milestones)
    planned = item
    if any(m.adjustment for m in statuses):  # 序时 runs to the adjusted deadlines and targets
        current = {m.milestone.number: m.milestone for m in statuses if m.adjustment}
        planned = item._replace(milestones=tuple(current.get(m.number, m) for m in item.milestones))
    measures = tuple(item_measures(planned, values, clock.as_of, workspace.year_start))
    behind = any(m.behind_days > workspace.tolerance_days for m in measures)
    progress = progress_of(measures, statuses)
    light = light_of(statuses, behind)
    return ItemStatus(item, statuses, values, measures, progress, light, behind, tuple(known))


Verdict = Callable[[date | None, date | None], tuple[State, int]]
"""A milestone's state and days late, from its due date and the day it was met (if it was)."""


def verdicts(clock: Clock) -> Verdict:
    """The clock's verdict on any milestone, remembered: a ledger's many milestones fall due on
    few distinct days (and are met on few), so each pair is judged once per evaluation."""

    @functools.cache
    def verdict(due: date | None, met_on: date | None) -> tuple[State, int]:
        state = state_of(due, met_on, clock.as_of, clock.warning_days, day_over=clock.day_over)
        if due is None or state not in LATE_STATES:
            return state, 0
        return state, ((clock.as_of if met_on is None else met_on) - due).days

    return verdict


by_date = attrgetter("date")
"""The sort key of records: their date (the sort is stable: one day's records keep their order)."""


Timeline = Sequence[tuple[date, Mapping[str, float]]]


def ticks_by_text(records: Iterable[Record]) -> dict[str, list[Record]]:
    """The ticks and untick records of an item, by the milestone text they name, in date order."""
    by_text: dict[str, list[Record]] = {}
    for record in sorted(records, key=by_date):
        named = record.done or record.undone
        if named is not None:
            by_text.setdefault(named, []).append(record)
    return by_text


def value_timeline(records: Iterable[Record]) -> list[tuple[date, dict[str, float]]]:
    """The cumulative values after each reporting day, corrections applied.

    Values are cumulative, so each report replaces the last one for its indicators. A correction
    says earlier reports overstated: it caps every earlier value of its indicators at the new one.
    """
    ordered = sorted([r for r in records if r.values], key=by_date)
    reports: list[tuple[date, dict[str, float]]] = []
    for record in ordered:
        if record.correct:
            for _, earlier in reports:
                for name, value in record.values.items():
                    if name in earlier:
                        earlier[name] = min(earlier[name], value)
        reports.append((record.date, dict(record.values)))
    timeline: list[tuple[date, dict[str, float]]] = []
    current: dict[str, float] = {}
    for day, reported in reports:
        current = {**current, **reported}
        if timeline and timeline[-1][0] == day:
            timeline[-1] = (day, current)
        else:
            timeline.append((day, current))
    return timeline


def milestone_statuses(
    item: Item,
    timeline: Timeline,
    ticks: Mapping[str, Sequence[Record]],
    clock: Clock,
    verdict: Verdict,
    due_by: date | None = None,
    moved: Moved | None = None,
) -> list[MilestoneStatus]:
    """Each milestone's status, a monthly duty's one per month, in the item's order; with
    ``due_by``, only those due on or before it; ``moved``: the milestones adjusted by approval."""
    latest = timeline[-1][1] if timeline else {}
    monthly = DueKind.MONTHLY  # once: an enum's attributes are slow to look up on Python 3.11
    statuses = []
    for milestone in item.milestones:
        if milestone.kind is monthly:
            each_month = ticks.get(milestone.text, ())
            months = monthly_statuses(item, milestone, each_month, clock.year, verdict)
            statuses += months if due_by is None else [m for m in months if _due_by(m, due_by)]
            continue
        current, adjustment = (
            moved[milestone.number] if moved and milestone.number in moved else (milestone, None)
        )
        if due_by is not None and not _due_by(current, due_by):
            continue
        if current.targets:
            met_on = targets_met_on(item, current, timeline) if timeline else None
            recorded = {n: latest[n] for n in current.targets if n in latest} if latest else {}
        else:
            ticked = ticks.get(milestone.text)
            met_on = tick_date(milestone, ticked, None) if ticked else None
            recorded = {}
        due = current.due
        state, days_late = verdict(due, met_on)
        if adjustment is not None:
            adjustment = adjustment._replace(late_before=late_when_approved(adjustment, met_on))
        statuses.append(
            MilestoneStatus(
                item, current, due, None, state, met_on, days_late, recorded, adjustment
            )
        )
    return statuses


def late_when_approved(adjustment: Adjustment, met_on: date | None) -> int:
    """Days the milestone was overdue on the day its change was approved (0 if it was not)."""
    approved, due = adjustment.record.date, adjustment.due_before
    if due is None or approved <= due or (met_on is not None and met_on <= approved):
        return 0
    return (approved - due).days


def _due_by(dated: Milestone | MilestoneStatus, day: date) -> bool:
    return dated.due is not None and dated.due <= day


def monthly_statuses(
    item: Item, milestone: Milestone, ticks: Sequence[Record], year: int, verdict: Verdict
) -> list[MilestoneStatus]:
    """A monthly duty (逐月): one status per month of the ledger's year, each met by its tick."""
    statuses = []
    for month in range(1, 13):
        due = month_end(year, month)
        met_on = tick_date(milestone, ticks, month)
        state, days_late = verdict(due, met_on)
        statuses.append(MilestoneStatus(item, milestone, due, month, state, met_on, days_late, {}))
    return statuses


def state_of(
    due: date | None, met_on: date | None, as_of: date, warning_days: int, *, day_over: bool = True
) -> State:
    """The five states, from the due date, the day it was met (if it was) and the as-of date.

    With ``day_over`` (the default: "as of" a date means through its end), a milestone due on the
    as-of day and not met by then is overdue; on a day still running it is only due soon.
    """
    if met_on is not None:
        return State.MET if due is None or met_on <= due else State.MET_LATE
    if due is None:
        return State.PENDING
    if as_of > due or (day_over and as_of == due):
        return State.OVERDUE
    if (due - as_of).days <= warning_days:
        return State.DUE_SOON
    return State.PENDING


def reached_on(targets: Mapping[str, float], timeline: Timeline) -> date | None:
    """The first reporting day on which every target was reached."""
    for day, values in timeline:
        for name, target in targets.items():
            if not values.get(name, 0.0) >= target - EPSILON:  # not "<": a NaN is never reached
                break
        else:
            return day
    return None


def targets_met_on(item: Item, milestone: Milestone, timeline: Timeline) -> date | None:
    """When the milestone's targets were met: a count's the first day it reached them; a rate's
    (a level, which may fall again) the first day of the last run of reports that reached them
    by the due date, or, failing that, the first day after it that did (met late)."""
    if not any(item.is_rate(name) for name in milestone.targets):
        return reached_on(milestone.targets, timeline)
    due = milestone.due or date.max
    since: date | None = None
    for day, values in timeline:
        reached = all(values.get(n, 0.0) >= t - EPSILON for n, t in milestone.targets.items())
        if day <= due:
            since = (since or day) if reached else None
        elif since is None and reached:
            return day
    return since


def tick_date(milestone: Milestone, records: Sequence[Record], period: int | None) -> date | None:
    """When the milestone was ticked off (销号), if it still is: a later undone takes it back."""
    met_on: date | None = None
    for record in sorted(records, key=by_date):
        if record.period != period:
            continue
        ticked = record.ticks(milestone)
        if ticked is True:
            met_on = met_on or record.date
        elif ticked is False:
            met_on = None
    return met_on


def item_measures(
    item: Item, values: Mapping[str, float], as_of: date, year_start: date
) -> list[Measure]:
    """One measure per indicator a milestone targets, in the item's order, then percent."""
    plans = planned_points(item.milestones, year_start)
    if not plans:
        return []
    names = [i.name for i in item.indicators if i.name in plans and not i.is_rate]
    if PERCENT_KEY in plans:
        names.append(PERCENT_KEY)
    # the first indicator of each name, as Item.indicator finds it
    indicators = {i.name: i for i in reversed(item.indicators)}
    measures = []
    for name in names:
        indicator = indicators.get(name)
        total = indicator.target if indicator else 100.0
        unit = indicator.unit if indicator else "%"
        plan = plans[name]
        actual = values.get(name, 0.0)
        expected = expected_at(plan, as_of)
        behind = _days_behind(plan, actual, as_of, expected)
        measures.append(Measure(name, unit, total, actual, expected, behind))
    return measures


def planned_points(
    milestones: Iterable[Milestone], year_start: date
) -> dict[str, list[tuple[date, float]]]:
    """The plan of each name a milestone targets, as (date, cumulative value) points, from zero on
    1 January; a milestone with no date targets its name but adds no point."""
    plans: dict[str, list[tuple[date, float]]] = {}
    for milestone in milestones:
        if not milestone.targets:
            continue
        for name, target in milestone.targets.items():
            points = plans.get(name)
            if points is None:
                points = plans[name] = []
            if milestone.due is not None:
                points.append((milestone.due, target))
    if plans:
        start = (year_start - timedelta(days=1), 0.0)
        for points in plans.values():
            points.sort()
            points.insert(0, start)
    return plans


def expected_at(plan: Sequence[tuple[date, float]], day: date) -> float:
    """序时进度: the planned value on ``day``, linear between milestones, flat after the last.

    On a date the plan names twice, the later (higher) point: the last segment holding ``day``.
    """
    for i in range(len(plan) - 1, 0, -1):
        (start, low), (end, high) = plan[i - 1], plan[i]
        if start <= day <= end:
            span = (end - start).days
            return high if span == 0 else low + (high - low) * (day - start).days / span
    return plan[-1][1] if day > plan[-1][0] else plan[0][1]


def days_behind(plan: Sequence[tuple[date, float]], actual: float, as_of: date) -> int:
    """How many days ago the plan stood where the item stands now (约滞后N天); 0 if not behind."""
    return _days_behind(plan, actual, as_of, expected_at(plan, as_of))


def _days_behind(
    plan: Sequence[tuple[date, float]], actual: float, as_of: date, expected: float
) -> int:
    """days_behind, given ``expected_at(plan, as_of)``."""
    if actual >= expected - EPSILON:
        return 0
    for (start, low), (end, high) in itertools.pairwise(plan):
        if low <= actual < high:
            fraction = (actual - low) / (high - low)
            planned_day = start + timedelta(days=fraction * (end - start).days)
            return max(0, (as_of - planned_day).days)
    return 0


def progress_of(measures: Sequence[Measure], statuses: Sequence[MilestoneStatus]) -> float:
    """0–1: the mean share of each measure's total, or the share of milestones met."""
    if measures:
        return sum(min(1.0, m.actual / m.total) for m in measures) / len(measures)
    if not statuses:
        return 0.0
    return sum(1 for s in statuses if s.state in MET_STATES) / len(statuses)


def light_of(statuses: Sequence[MilestoneStatus], behind_plan: bool) -> Light:
    states = {s.state for s in statuses}
    if statuses and states <= MET_STATES:
        return Light.DONE
    if State.OVERDUE in states:
        return Light.RED
    if State.DUE_SOON in states or behind_plan:
        return Light.YELLOW
    return Light.GREEN


def by_leader_then_unit(statuses: Iterable[MilestoneStatus]) -> list[MilestoneStatus]:
    """Grouped by 责任领导, then 责任单位, each in the order the list first names them (序号 order,
    as the notice does), then by due date: the order of a dispatch meeting's agenda."""
    return [
        status
        for units in grouped_by_leader_then_unit(statuses).values()
        for group in units.values()
        for status in group
    ]


def grouped_by_leader_then_unit(
    statuses: Iterable[MilestoneStatus],
) -> dict[str, dict[str, list[MilestoneStatus]]]:
    """责任领导 → 责任单位 → milestones, in by_leader_then_unit's order."""
    groups: dict[str, dict[str, list[MilestoneStatus]]] = {}
    for status in sorted(statuses, key=_ledger_order):
        item = status.item
        groups.setdefault(item.leader, {}).setdefault(item.unit, []).append(status)
    for units in groups.values():
        for group in units.values():
            group.sort(key=_due_or_last)  # stable: one due date keeps the list's order
    return groups


def _ledger_order(status: MilestoneStatus) -> tuple[int, int, int]:
    return (status.item.project, status.item.number, status.milestone.number)


def _due_or_last(status: MilestoneStatus) -> date:
    return status.due or date.max
