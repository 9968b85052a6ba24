"""What the rollup's views show of each member, as plain data: pure functions of a member's
ledger and the day asked, computed exactly as the county's own `status` and `overdue` compute
them (core.evaluate, core.asof, core.escalation, the bulletin's summary), so a county and its
rollup never disagree.

A member's computed view holds only JSON values, so ``rollup.rows`` can cache it per commit and
day asked: a warm `rollup status` reads one small entry per member and evaluates nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from minsheng_cli.core.evaluate import Light, Snapshot, State, by_leader_then_unit
from minsheng_cli.i18n import _
from minsheng_cli.ledger.model import Ledger

LIGHT_ORDER = (Light.GREEN, Light.YELLOW, Light.RED, Light.DONE)


class Request(NamedTuple):
    """The day a view asks about, as the command line gave it: --as-of (absolute), --month N
    (month N of each member's own year), or neither (today, a day still running)."""

    as_of: date | None
    month: int | None
    today: date

    def key(self) -> str:
        if self.as_of is not None:
            return f"as-of:{self.as_of.isoformat()}"
        if self.month is not None:
            return f"month:{self.month}"
        return f"today:{self.today.isoformat()}"

    def day_for(self, year: int) -> tuple[date, bool]:
        """The day a member of ``year`` is read at, and whether that day is over (as asked_day)."""
        from minsheng_cli.ledger.deadlines import month_end

        if self.as_of is not None:
            return self.as_of, True
        if self.month is not None:
            return month_end(year, self.month), True
        return self.today, False


class Computed(NamedTuple):
    """A member's ledger as the views show it on one day (JSON values only: it is cached)."""

    title: str
    year: int
    as_of: str
    lights: dict[str, int]
    """Items per light (green yellow red done)."""
    states: dict[str, int]
    """Milestones per state (met met_late overdue due_soon pending)."""
    items: int
    milestones: int
    completion: float
    """The mean of the items' progress, as the bulletin's 总体完成率."""
    last_report: str | None
    """The day of the latest record dated by ``as_of``; None: nothing reported yet."""
    overdue: list[dict[str, Any]]
    """Each overdue milestone, by 责任领导 then 责任单位, with the cells `overdue` prints."""
    escalations: list[str]
    """The 连续N月滞后 / 约谈 lines `status` and `overdue` print under their tables."""


def compute(ledger: Ledger, request: Request) -> Computed:
    """The member's summary row and overdue list on the day ``request`` names for its year."""
    from minsheng_cli.core.evaluate import evaluate

    day, day_over = request.day_for(ledger.year)
    return computed_of(evaluate(ledger, day, day_over=day_over))


def computed_of(snapshot: Snapshot) -> Computed:
    """The member's view from its evaluated ledger."""
    from minsheng_cli.paperwork.outline import summarise

    ledger, day = snapshot.ledger, snapshot.as_of
    summary = summarise(snapshot.items)
    return Computed(
        title=ledger.workspace.title,
        year=ledger.year,
        as_of=day.isoformat(),
        lights={light.name.lower(): summary.lights[light] for light in LIGHT_ORDER},
        states={state.value: summary.states[state] for state in State},
        items=summary.items,
        milestones=summary.milestones,
        completion=summary.completion,
        last_report=last_report(ledger, day),
        overdue=overdue_rows(snapshot),
        escalations=escalation_texts(snapshot),
    )


def last_report(ledger: Ledger, day: date) -> str | None:
    dates = [
        r.date
        for item in ledger.items
        for r in item.records
        if r.date <= day and not r.only_attaches
    ]
    return max(dates).isoformat() if dates else None


OVERDUE_KEYS = frozenset(
    ("leader", "unit", "ref", "project", "milestone", "deadline", "due", "days_late")
) | {"required", "recorded", "short_by"}
"""What each cached overdue row must hold (the tables read every one of them)."""


def overdue_rows(snapshot: Snapshot) -> list[dict[str, Any]]:
    """What the county's own `overdue` lists, as its table's cells in plain text."""
    from minsheng_cli.render.sheet import plain_text
    from minsheng_cli.render.tables import overdue_cells

    late = by_leader_then_unit(m for m in snapshot.milestones if m.state is State.OVERDUE)
    rows = []
    for status in late:
        number, deadline, due, _days, text, required, recorded, short = map(
            plain_text, overdue_cells(status, compact=False)
        )
        rows.append(
            {
                "leader": status.item.leader,
                "unit": status.item.unit,
                "ref": number,
                "project": status.item.project_name,
                "milestone": text,
                "deadline": deadline,
                "due": due,
                "days_late": status.days_late,
                "required": required,
                "recorded": recorded,
                "short_by": short,
            }
        )
    return rows


def escalation_texts(snapshot: Snapshot) -> list[str]:
    from minsheng_cli.render.sheet import plain_text
    from minsheng_cli.render.tables import escalation_lines

    refs = {item.ref for item in snapshot.ledger.items}
    return [plain_text(line) for line in escalation_lines(snapshot, refs)]


def computed_json(computed: Computed) -> dict[str, Any]:
    return computed._asdict()


def computed_from(data: Any) -> Computed | None:
    """A cached view back, or None when the entry is not one (it is untrusted input)."""
    if not isinstance(data, dict) or set(data) != set(Computed._fields):
        return None
    computed = Computed(**data)
    kinds: tuple[type | tuple[type, ...], ...] = (
        str,
        int,
        str,
        dict,
        dict,
        int,
        int,
        (int, float),
        (str, type(None)),
        list,
        list,
    )
    if not all(isinstance(v, k) for v, k in zip(computed, kinds, strict=True)):
        return None
    if set(computed.lights) != {light.name.lower() for light in LIGHT_ORDER}:
        return None
    if set(computed.states) != {state.value for state in State}:
        return None
    counts = (*computed.lights.values(), *computed.states.values())
    if not all(isinstance(n, int) for n in counts):
        return None
    if not all(isinstance(row, dict) and set(row) >= OVERDUE_KEYS for row in computed.overdue):
        return None
    if not all(isinstance(line, str) for line in computed.escalations):
        return None
    return computed


class MemberView(NamedTuple):
    """One member in a view: its name, what the state says of it, and its computed view (None
    when it was never read or could not be read; ``problem`` then says why)."""

    name: str
    commit: str | None
    stale_reason: str | None
    stale_since: str | None
    computed: Computed | None
    problem: str | None = None
    read_at: str | None = None
    """When the commit shown was first read (ISO date-time, UTC, as the state keeps it)."""

    @property
    def stale(self) -> bool:
        return self.stale_reason is not None

    @property
    def overdue_count(self) -> int:
        return self.computed.states[State.OVERDUE.value] if self.computed else 0


def member_label(level: str) -> str:
    """What the views call a member, by rollup.yaml's level: 县区 in a 市's rollup; in a 省's,
    whose members may be 市州 or 县区, 地区."""
    return _("Region") if level == "省" else _("Member")


def member_json(view: MemberView) -> dict[str, Any]:
    """A member's row for `rollup status --json` (keys only ever added)."""
    computed = view.computed
    row: dict[str, Any] = {
        "member": view.name,
        "commit": view.commit,
        "stale": view.stale,
        "stale_reason": view.stale_reason,
        "stale_since": view.stale_since,
        "problem": view.problem,
    }
    if computed is None:
        return (
            row
            | dict.fromkeys(
                ("year", "as_of", "lights", "states", "items", "milestones", "completion"), None
            )
            | {"overdue": 0, "last_report": None}
        )
    return row | {
        "year": computed.year,
        "as_of": computed.as_of,
        "lights": computed.lights,
        "states": computed.states,
        "items": computed.items,
        "milestones": computed.milestones,
        "completion": round(computed.completion, 4),
        "overdue": view.overdue_count,
        "last_report": computed.last_report,
    }


def overdue_json(views: list[MemberView]) -> list[dict[str, Any]]:
    """Every member's overdue milestones, by member, then leader and unit."""
    return [{"member": v.name, **row} for v in views if v.computed for row in v.computed.overdue]


def read_days(views: list[MemberView]) -> set[str]:
    """The days the members were read at: one unless their years differ and --month was given,
    or today is asked of ledgers of other years."""
    return {v.computed.as_of for v in views if v.computed}
