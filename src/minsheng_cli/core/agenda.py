"""The month ahead, for the dispatch meeting (一月一调度): what falls due, what is still open."""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

from minsheng_cli.core.evaluate import MilestoneStatus, Snapshot, evaluate
from minsheng_cli.ledger.deadlines import month_end
from minsheng_cli.ledger.model import Ledger


class Agenda(NamedTuple):
    month: int
    snapshot: Snapshot
    milestones: tuple[MilestoneStatus, ...]

    @property
    def as_of(self) -> date:
        return self.snapshot.as_of


def meeting_day(year: int, month: int) -> date:
    """The meeting plans month N on the eve of it: the last day before month N begins."""
    return date(year, month, 1) - timedelta(days=1)


def agenda_for(ledger: Ledger, month: int, as_of: date | None = None) -> Agenda:
    """Still open from before (overdue), then everything due in ``month`` and not yet met."""
    day = as_of or meeting_day(ledger.year, month)
    snapshot = evaluate(ledger, day)
    start, end = date(ledger.year, month, 1), month_end(ledger.year, month)
    open_before = [
        m for m in snapshot.milestones if m.due is not None and m.due < start and not m.state.is_met
    ]
    due_in_month = [
        m
        for m in snapshot.milestones
        if m.due is not None and start <= m.due <= end and not m.state.is_met
    ]
    ordered = sorted(open_before, key=_by_due) + sorted(due_in_month, key=_by_due)
    return Agenda(month, snapshot, tuple(ordered))


def _by_due(status: MilestoneStatus) -> tuple[date, int, int, int]:
    item = status.item
    return (status.due or date.max, item.project, item.number, status.milestone.number)
