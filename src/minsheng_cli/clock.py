"""The one door for today: every command asks here, never ``date.today()`` itself.

``MINSHENG_TODAY`` (an ISO date) stands in for the clock: tests use it, and so can a clerk who
replays a past meeting (``MINSHENG_TODAY=2023-07-05 minsheng status``).
"""

from __future__ import annotations

import os
from datetime import date

from minsheng_cli.errors import UsageError
from minsheng_cli.i18n import _

TODAY_VARIABLE = "MINSHENG_TODAY"


def today() -> date:
    """Today's date, or the day ``MINSHENG_TODAY`` names."""
    named = os.environ.get(TODAY_VARIABLE, "").strip()
    if not named:
        return date.today()
    try:
        return date.fromisoformat(named)
    except ValueError:
        raise UsageError(
            _("{variable}=“{value}” is not a date; write it as YYYY-MM-DD, or unset it").format(
                variable=TODAY_VARIABLE, value=named
            )
        ) from None
