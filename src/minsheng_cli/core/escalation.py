"""Who keeps slipping: items behind 序时 or overdue at consecutive month-ends. Pure functions.

Each month-end up to the as-of day is judged on the records dated by then, so the answer for a
past day is the one that day would have given (连续N月滞后, and 约谈 after more).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import NamedTuple

from minsheng_cli.core.evaluate import ItemStatus, State, evaluate
from minsheng_cli.ledger.deadlines import month_end
from minsheng_cli.ledger.model import Ledger

LAGGING_MONTHS = 2
INTERVIEW_MONTHS = 3


class Level(StrEnum):
    LAGGING = "lagging"
    """连续N月滞后: flagged in the status and the bulletin."""
    INTERVIEW = "interview"
    """约谈: on the list of items whose units a leader talks to."""


class Escalation(NamedTuple):
    item: str
    months: tuple[int, ...]
    level: Level


def slipping(status: ItemStatus) -> bool:
    """Behind 序时 by more than the tolerance, or a milestone overdue."""
    return status.behind_plan or any(m.state is State.OVERDUE for m in status.milestones)


def escalations(
    ledger: Ledger,
    as_of: date,
    *,
    lagging: int = LAGGING_MONTHS,
    interview: int = INTERVIEW_MONTHS,
) -> list[Escalation]:
    """The items slipping at each of the last ``lagging`` (or more) month-ends by ``as_of``,
    with those months; ``interview`` or more puts an item on the 约谈 list."""
    ends = [m for m in range(1, 13) if month_end(ledger.year, m) <= as_of]
    runs: dict[str, list[int]] = {}
    for month in ends:
        for status in evaluate(ledger, month_end(ledger.year, month)).items:
            run = runs.setdefault(status.item.ref, [])
            if not slipping(status):
                run.clear()
            elif not run or run[-1] == month - 1:
                run.append(month)
    found = []
    for item in ledger.items:
        run = runs.get(item.ref, [])
        if ends and run and run[-1] == ends[-1] and len(run) >= lagging:
            level = Level.INTERVIEW if len(run) >= interview else Level.LAGGING
            found.append(Escalation(item.ref, tuple(run), level))
    return found
