"""The date a command asks about: --as-of DATE, --month N (that month's last day), or today."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from minsheng_cli.deadlines import month_end
from minsheng_cli.errors import UsageError
from minsheng_cli.i18n import _

if TYPE_CHECKING:
    from minsheng_cli.evaluate import Snapshot
    from minsheng_cli.ledger import Ledger


def parse_day(text: str) -> date:
    """An ISO date (2023-06-30); anything else is a usage error that shows the form."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise UsageError(
            _("“{text}” is not a date; write it as YYYY-MM-DD, e.g. 2023-06-30").format(text=text)
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


def snapshot_as_of(ledger: Ledger, as_of: str | None, month: int | None, today: date) -> Snapshot:
    """The ledger evaluated for what the command line asked: a date the clerk names is read
    through its end (截至6月30日); without one, today is still running."""
    from minsheng_cli.evaluate import evaluate

    day = as_of_date(ledger.year, as_of, month, today)
    return evaluate(ledger, day, day_over=as_of is not None or month is not None)
