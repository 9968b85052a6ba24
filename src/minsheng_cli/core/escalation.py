"""Who keeps slipping: items behind 序时 or overdue at consecutive month-ends. Pure functions.

Each month-end up to the as-of day is judged on the records dated by then, so the answer for a
past day is the one that day would have given (连续N月滞后, and 约谈 after more).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from enum import StrEnum
from typing import NamedTuple

from minsheng_cli.core.evaluate import (
    Clock,
    ItemStatus,
    MilestoneStatus,
    State,
    Verdict,
    by_date,
    evaluate_item,
    item_measures,
    item_milestone_statuses,
    value_timeline,
    verdicts,
)
from minsheng_cli.i18n import _
from minsheng_cli.ledger.deadlines import month_end
from minsheng_cli.ledger.model import Item, Ledger, Workspace

LAGGING_MONTHS: int = Workspace._field_defaults["lagging_months"]
INTERVIEW_MONTHS: int = Workspace._field_defaults["interview_months"]


class Level(StrEnum):
    LAGGING = "lagging"
    """连续N月滞后: flagged in the status and the bulletin."""
    INTERVIEW = "interview"
    """约谈: on the list of items whose units a leader talks to."""


class Escalation(NamedTuple):
    item: str
    months: tuple[int, ...]
    level: Level

    @property
    def months_text(self) -> str:
        """4–6月: the months run consecutively."""
        first, last = self.months[0], self.months[-1]
        if first == last:
            return _("M{month}").format(month=first)
        return _("months {first}–{last}").format(first=first, last=last)

    @property
    def flag(self) -> str:
        """连续3月滞后（4–6月）"""
        return _("behind {count} month-ends running ({months})").format(
            count=len(self.months), months=self.months_text
        )


def escalated(
    ledger: Ledger, as_of: date, judged: Sequence[MilestoneStatus] = ()
) -> dict[str, Escalation]:
    """The escalations as of ``as_of`` by item, with the workspace's thresholds. ``judged``: the
    milestone statuses a command already evaluated as of ``as_of`` (when and whether each was
    met does not depend on the day asked), so that they are not evaluated a second time."""
    workspace = ledger.workspace
    found = escalations(
        ledger,
        as_of,
        lagging=workspace.lagging_months,
        interview=workspace.interview_months,
        judged=judged,
    )
    return {e.item: e for e in found}


def slipping(status: ItemStatus) -> bool:
    """Behind 序时 by more than the tolerance, or a milestone overdue."""
    return status.behind_plan or any(m.state is State.OVERDUE for m in status.milestones)


def slipping_at(ledger: Ledger, item: Item, clock: Clock, verdict: Verdict) -> bool:
    """``slipping`` as of the clock, judging 序时 only when no milestone is overdue (the cheap
    half settles most of the items that slip)."""
    known = sorted((r for r in item.records if r.date <= clock.as_of), key=by_date)
    statuses, _timeline = item_milestone_statuses(item, known, clock, verdict)
    if any(m.state is State.OVERDUE for m in statuses):
        return True
    return slipping(evaluate_item(ledger, item, clock, verdict))


def slipping_months(
    ledger: Ledger,
    item: Item,
    ends: Sequence[int],
    last: Clock,
    verdict: Verdict,
    judged: Sequence[MilestoneStatus] | None = None,
) -> set[int] | None:
    """The month-ends at which ``item`` slipped, running back without a gap from the last of
    them (the only run that escalates), from one evaluation at the last of them; None
    when a record rewrote what an earlier month-end knew (a correction caps earlier values, an
    undo takes a tick back, a reschedule moves a due date), so that each must be judged apart.

    Otherwise what was known at a month-end is a prefix of what is known at the last: a
    milestone was met by then if it was met on or before it, and the values then are the last
    ones reported by then.
    """
    if any(r.correct or r.undone is not None or r.reschedule is not None for r in item.records):
        return None
    known = sorted((r for r in item.records if r.date <= last.as_of), key=by_date)
    if judged is None:
        statuses, timeline = item_milestone_statuses(item, known, last, verdict)
    else:
        statuses, timeline = list(judged), value_timeline(known)
    workspace = ledger.workspace
    found = set()
    for month in reversed(ends):  # only the run back from the last month-end counts
        day = month_end(ledger.year, month)
        if any(m.due is not None and m.due <= day and not met_by(m.met_on, day) for m in statuses):
            found.add(month)
            continue
        values = next((v for d, v in reversed(timeline) if d <= day), {})
        measures = item_measures(item, values, day, workspace.year_start)
        if not any(m.behind_days > workspace.tolerance_days for m in measures):
            break
        found.add(month)
    return found


def met_by(met_on: date | None, day: date) -> bool:
    return met_on is not None and met_on <= day


def trailing_run(months: set[int], ends: Sequence[int]) -> list[int]:
    """The months of ``months`` running back without a gap from the last month-end."""
    run: list[int] = []
    for month in reversed(ends):
        if month not in months:
            break
        run.insert(0, month)
    return run


def escalations(
    ledger: Ledger,
    as_of: date,
    *,
    lagging: int = LAGGING_MONTHS,
    interview: int = INTERVIEW_MONTHS,
    judged: Sequence[MilestoneStatus] = (),
) -> list[Escalation]:
    """The items slipping at each of the last ``lagging`` (or more) month-ends by ``as_of``,
    with those months; ``interview`` or more puts an item on the 约谈 list."""
    ends = [m for m in range(1, 13) if month_end(ledger.year, m) <= as_of]
    if not ends:
        return []
    runs: dict[str, list[int]] = {}
    last = month_end_clock(ledger, ends[-1])
    last_verdict = verdicts(last)
    by_item: dict[str, list[MilestoneStatus]] = {}
    for status in judged:
        by_item.setdefault(status.item.ref, []).append(status)
    candidates = []
    for item in ledger.items:
        months = slipping_months(
            ledger, item, ends, last, last_verdict, by_item.get(item.ref) if judged else None
        )
        if months is None:
            candidates.append(item)
        else:
            runs[item.ref] = trailing_run(months, ends)
    # the items whose history was rewritten (corrections, undos, reschedules): judged month by
    # month, backwards from the last month-end, as long as they keep slipping
    for month in reversed(ends):
        clock = month_end_clock(ledger, month)
        verdict = verdicts(clock)
        still = []
        for item in candidates:
            if slipping_at(ledger, item, clock, verdict):
                runs.setdefault(item.ref, []).insert(0, month)
                still.append(item)
        candidates = still
        if not candidates:
            break
    found = []
    for item in ledger.items:
        run = runs.get(item.ref, [])
        if len(run) >= lagging:
            level = Level.INTERVIEW if len(run) >= interview else Level.LAGGING
            found.append(Escalation(item.ref, tuple(run), level))
    return found


def month_end_clock(ledger: Ledger, month: int) -> Clock:
    """The clock of a month-end, read through its end (截至6月30日), as `--month` reads it."""
    workspace = ledger.workspace
    day = month_end(ledger.year, month)
    return Clock(day, workspace.year, workspace.warning_days, True, workspace.rules)
