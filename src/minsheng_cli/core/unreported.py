"""催报: the items that owe a report for a period. Pure functions.

An item owes one when a milestone with a number to reach (an indicator's, or the work's
percentage) is still open at the period's end and no record of the item is dated in the period.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from minsheng_cli.core.evaluate import evaluate_milestones
from minsheng_cli.ledger.model import Item, Ledger


class Unreported(NamedTuple):
    item: Item
    last_report: date | None
    open_milestones: tuple[int, ...]


def unreported(ledger: Ledger, start: date, end: date) -> list[Unreported]:
    """The items with an open numeric milestone at ``end`` and no record dated from ``start``
    through ``end``, grouped by 责任单位 in the order the ledger first names them."""
    statuses = evaluate_milestones(ledger, end).milestones
    open_by_item: dict[str, list[int]] = {}
    for status in statuses:
        if status.milestone.targets and not status.state.is_met:
            numbers = open_by_item.setdefault(status.item.ref, [])
            if status.milestone.number not in numbers:
                numbers.append(status.milestone.number)
    found = []
    for item in ledger.items:
        open_numbers = open_by_item.get(item.ref)
        if not open_numbers:
            continue
        dates = [r.date for r in item.records if r.date <= end and not r.only_attaches]
        if any(start <= day for day in dates):
            continue
        found.append(Unreported(item, max(dates, default=None), tuple(open_numbers)))
    units = list(dict.fromkeys(entry.item.unit for entry in found))
    return sorted(found, key=lambda entry: units.index(entry.item.unit))
