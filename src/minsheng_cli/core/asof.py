"""The date a command asks about: --as-of DATE, --month N (that month's last day), or today."""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date
from typing import TYPE_CHECKING

from minsheng_cli.errors import UsageError
from minsheng_cli.i18n import _
from minsheng_cli.ledger.deadlines import DeadlineError, month_end, month_number

if TYPE_CHECKING:
    from minsheng_cli.core.evaluate import Milestones, Snapshot
    from minsheng_cli.ledger.model import Ledger


_DAY = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?$")


def parse_day(text: str) -> date:
    """A date as a clerk types it: 2023-06-30, 2023/6/30, 2023.6.30 or 2023年6月30日."""
    found = _DAY.match(unicodedata.normalize("NFKC", text).strip())
    try:
        if found is None:
            raise ValueError(text)
        return date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
    except ValueError as exc:
        raise UsageError(
            _("“{text}” is not a date; write it as YYYY-MM-DD, e.g. 2023-06-30").format(text=text)
        ) from exc


def parse_month(text: str) -> int:
    """--month 7, 7月 or 七月."""
    try:
        return month_number(unicodedata.normalize("NFKC", text))
    except DeadlineError as exc:
        raise UsageError(str(exc)) from exc


def parse_percent(text: str) -> float:
    """--percent 55, 55% or ５５％; a finite number (nan, inf and 1e400 are not percentages)."""
    bare = unicodedata.normalize("NFKC", text).strip().removesuffix("%").strip()
    try:
        value = float(bare)
        if not math.isfinite(value):
            raise ValueError(bare)
        return value
    except ValueError as exc:
        raise UsageError(
            _("“{text}” is not a percentage; write a number from 0 to 100, e.g. 55").format(
                text=text
            )
        ) from exc


def as_of_date(year: int, as_of: str | None, month: int | None, today: date) -> date:
    if as_of is not None and month is not None:
        raise UsageError(_("give either --as-of or --month, not both"))
    if month is not None:
        if not 1 <= month <= 12:
            raise UsageError(_("--month must be 1–12, not {month}").format(month=month))
        return month_end(year, month)
    if as_of is not None:
        return parse_day(as_of)
    return today


def asked_day(
    ledger: Ledger, as_of: str | None, month: int | None, today: date
) -> tuple[date, bool]:
    """The day the command line asked about, and whether it is over: a date the clerk names is
    read through its end (截至6月30日); without one, today is still running."""
    day = as_of_date(ledger.year, as_of, month, today)
    return day, as_of is not None or month is not None


def snapshot_as_of(ledger: Ledger, as_of: str | None, month: int | None, today: date) -> Snapshot:
    """The ledger evaluated for the day the command line asked about."""
    from minsheng_cli.core.evaluate import evaluate

    day, day_over = asked_day(ledger, as_of, month, today)
    return evaluate(ledger, day, day_over=day_over)


def milestones_as_of(
    ledger: Ledger, as_of: str | None, month: int | None, today: date, *, only_due: bool = False
) -> Milestones:
    """Only the milestones, as ``snapshot_as_of`` would judge them; ``only_due``: only those
    due by that day (`overdue` needs no others)."""
    from minsheng_cli.core.evaluate import evaluate_milestones

    day, day_over = asked_day(ledger, as_of, month, today)
    return evaluate_milestones(ledger, day, day_over=day_over, due_by=day if only_due else None)
