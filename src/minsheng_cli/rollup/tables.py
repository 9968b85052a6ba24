"""What `rollup status` and `rollup overdue` print, as plain tables and lines (render.sheet), for
Rich to draw on a terminal or render.plain to write to a pipe. Built from the members' cached
views, never from a ledger; member names and ledger text are data, never markup."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from minsheng_cli.core.evaluate import Light, State
from minsheng_cli.i18n import _, ngettext
from minsheng_cli.render.labels import labelled, light_label, state_label
from minsheng_cli.render.sheet import Cell, Column, Line, Parts, Sheet, Span
from minsheng_cli.render.tables import (
    LIGHT_STYLE,
    NOTHING,
    OVERDUE_COMPACT_BELOW,
    overdue_columns,
)
from minsheng_cli.rollup.views import LIGHT_ORDER, MemberView, read_days

WIDE_FROM = 120
"""At this width and more every column of `rollup status` stands on its own."""


def title_line(title: str, what: str, views: Sequence[MemberView]) -> Line:
    days = sorted(read_days(list(views)))
    if len(days) == 1:
        when = _("as of {date}").format(date=days[0])
    elif days:
        when = _("as of each member's own day (column {column})").format(column=_("As of"))
    else:
        when = ""
    return (Span(title, "bold"), Span(f"  {what}  ", "bold"), Span(when, "dim"))


def flag_cell(view: MemberView) -> Cell:
    if view.computed is None and view.commit is None:
        return Span(_("never read"), "yellow")
    if view.computed is None:
        return Span("✗ " + _("unreadable"), "bold red")
    if view.stale:
        return Span("⚠ " + _("stale"), "bold yellow")
    return ""


def status_sheet(title: str, views: Sequence[MemberView], width: int) -> Parts:
    """One row per member: items per light, milestones met and overdue, completion, last report,
    the commit read and a flag (stale, never read, unreadable); under it the totals and why each
    flagged member is flagged."""
    wide = width >= WIDE_FROM
    several_days = len(read_days(list(views))) > 1
    columns = [Column(_("Member"), no_wrap=True)]
    if wide:
        columns.append(Column(_("Year"), no_wrap=True))
    if several_days:
        columns.append(Column(_("As of"), no_wrap=True))
    columns += [Column(light_label(light), justify="right", no_wrap=True) for light in LIGHT_ORDER]
    if wide:
        columns += [
            Column(header, justify="right", no_wrap=True)
            for header in (_("Milestones"), _("Met"), state_label(State.DUE_SOON))
        ]
    else:
        columns.append(Column(_("Met"), justify="right", no_wrap=True))
    columns += [
        Column(state_label(State.OVERDUE), justify="right", no_wrap=True),
        Column(_("Completion"), justify="right", no_wrap=True),
        Column(_("Last report"), no_wrap=True),
    ]
    if wide:
        columns.append(Column(_("Commit"), no_wrap=True))
    columns.append(Column(_("Flag"), min_width=4, overflow="fold"))
    rows = [status_cells(view, wide, several_days) for view in views]
    sheet = Sheet(title_line(title, _("status of the members"), views), tuple(columns), rows)
    return (sheet, totals_line(views), *flag_lines(views))


def status_cells(view: MemberView, wide: bool, several_days: bool) -> tuple[Cell, ...]:
    computed = view.computed
    name: Cell = view.name
    commit = (view.commit or "")[:7] or NOTHING
    if computed is None:
        blanks = 4 + (3 if wide else 1) + 3
        return (
            name,
            *((NOTHING,) if wide else ()),
            *((NOTHING,) if several_days else ()),
            *(NOTHING,) * blanks,
            *((commit,) if wide else ()),
            flag_cell(view),
        )
    states = computed.states
    met = states[State.MET.value] + states[State.MET_LATE.value]
    overdue = states[State.OVERDUE.value]
    lights = tuple(
        Span(str(computed.lights[light.name.lower()]), LIGHT_STYLE[light] if n else "")
        for light, n in ((light, computed.lights[light.name.lower()]) for light in LIGHT_ORDER)
    )
    counts: tuple[Cell, ...] = (
        (str(computed.milestones), str(met), str(states[State.DUE_SOON.value]))
        if wide
        else (f"{met}/{computed.milestones}",)
    )
    last = computed.last_report or NOTHING
    return (
        name,
        *((str(computed.year),) if wide else ()),
        *((computed.as_of if wide else computed.as_of[2:],) if several_days else ()),
        *lights,
        *counts,
        Span(str(overdue), "bold red") if overdue else "0",
        f"{computed.completion * 100:.1f}%",
        last if wide or last == NOTHING else last[5:],
        *((commit,) if wide else ()),
        flag_cell(view),
    )


def totals_line(views: Sequence[MemberView]) -> Line:
    lights = light_counts(views)
    overdue = sum(v.overdue_count for v in views)
    members = ngettext("{count} member", "{count} members", len(views)).format(count=len(views))
    return (
        Span(members + "  " + _("Items:") + " "),
        *(Span(f"{light_label(light)} {lights[light]}  ", LIGHT_STYLE[light]) for light in lights),
        Span(
            ngettext("{count} overdue milestone", "{count} overdue milestones", overdue).format(
                count=overdue
            ),
            "bold red" if overdue else "",
        ),
    )


def flag_lines(views: Sequence[MemberView]) -> list[Line]:
    """Why each flagged member is flagged: stale (since when, why), never read, unreadable."""
    lines: list[Line] = []
    for view in views:
        if view.stale:
            text = "⚠ " + _("{member}: stale since {since}: {reason}").format(
                member=view.name, since=moment(view.stale_since), reason=view.stale_reason
            )
            if view.commit:
                text += _(" (shown as of commit {commit})").format(commit=view.commit[:7])
            lines.append((Span(text, "yellow"),))
        if view.computed is None:
            text = _("{member}: {problem}").format(member=view.name, problem=view.problem)
            lines.append((Span(("" if view.commit is None else "✗ ") + text, "bold red"),))
    return lines


def moment(stamp: str | None) -> str:
    """An ISO date-time (UTC) as a reader reads it: 2026-12-01 08:30 UTC."""
    if not stamp:
        return NOTHING
    return stamp[:16].replace("T", " ") + (" UTC" if len(stamp) > 10 else "")


def overdue_sheet(title: str, views: Sequence[MemberView], width: int) -> Parts:
    """Every member's overdue milestones in one table: a heading per member, then (as the
    county's own `overdue`) by 责任领导 and 责任单位, in columns of their own from 150 cells,
    else as headings over their rows."""
    compact = width < OVERDUE_COMPACT_BELOW
    rows: list[tuple[Cell, ...]] = []
    headings: list[tuple[int, Cell]] = []
    ends: set[int] = set()
    count = members = 0
    for view in views:
        late = view.computed.overdue if view.computed else []
        if not late:
            continue
        members += 1
        count += len(late)
        headings.append((len(rows), member_heading(view, len(late))))
        rows.extend(grouped(late, compact, headings, len(rows)))
        ends.add(len(rows) - 1)
    title_cells = title_line(title, _("overdue milestones"), views)
    notes = [*escalation_lines(views), *flag_lines(views)]
    if not rows:
        return (title_cells, Span(_("Nothing is overdue."), "green"), *notes)
    total = ngettext("{count} overdue milestone", "{count} overdue milestones", count).format(
        count=count
    ) + ngettext(" in {count} member", " in {count} members", members).format(count=members)
    sheet = Sheet(
        title_cells, overdue_columns(compact), rows, frozenset(ends), False, tuple(headings)
    )
    return (sheet, Span(total, "bold red"), *notes)


def member_heading(view: MemberView, late: int) -> Span:
    computed = view.computed
    as_of = _("as of {date}").format(date=computed.as_of) if computed else ""
    stale = "  ⚠ " + _("stale") if view.stale else ""
    return Span(f"【{view.name}】 {late}  {as_of}{stale}", "bold underline")


def grouped(
    late: Sequence[dict[str, Any]], compact: bool, headings: list[tuple[int, Cell]], start: int
) -> list[tuple[Cell, ...]]:
    """A member's rows, each leader and unit named once (the rows come grouped)."""
    rows: list[tuple[Cell, ...]] = []
    leader = unit = None
    for row in late:
        new_leader = row["leader"] != leader
        new_unit = new_leader or row["unit"] != unit
        leader, unit = row["leader"], row["unit"]
        if compact:
            if new_leader:
                headings.append(
                    (start + len(rows), Span(labelled(_("Leader")) + (leader or NOTHING), "bold"))
                )
            if new_unit:
                headings.append((start + len(rows), Span(unit or NOTHING, "bold")))
            named: tuple[Cell, ...] = ()
        else:
            named = (
                Span(leader or NOTHING, "bold") if new_leader else "",
                (unit or NOTHING) if new_unit else "",
            )
        due = str(row["due"])
        rows.append(
            (
                *named,
                str(row["ref"]),
                *(() if compact else (str(row["deadline"]),)),
                due[5:] if compact and len(due) == 10 else due,
                Span(str(row["days_late"]), "bold red"),
                str(row["milestone"]),
                str(row["required"]),
                str(row["recorded"]),
                str(row["short_by"]),
            )
        )
    return rows


def escalation_lines(views: Sequence[MemberView]) -> list[Line]:
    return [
        (Span(f"{view.name}  {line}", "bold red" if "约谈" in line else "yellow"),)
        for view in views
        if view.computed
        for line in view.computed.escalations
    ]


def light_counts(views: Sequence[MemberView]) -> dict[Light, int]:
    read = [v.computed for v in views if v.computed is not None]
    return {light: sum(c.lights[light.name.lower()] for c in read) for light in LIGHT_ORDER}
