"""What `rollup status` and `rollup overdue` print, as plain tables and lines (render.sheet), for
Rich to draw on a terminal or render.plain to write to a pipe. Built from the members' cached
views, never from a ledger; member names and ledger text are data, never markup."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.cells import cell_len

from minsheng_cli.core.evaluate import Light, State
from minsheng_cli.i18n import _, ngettext
from minsheng_cli.render.labels import labelled, light_label, state_label
from minsheng_cli.render.sheet import Cell, Column, Line, Parts, Sheet, Span, plain_text
from minsheng_cli.render.tables import (
    LIGHT_STYLE,
    NOTHING,
    OVERDUE_COMPACT_BELOW,
    overdue_columns,
)
from minsheng_cli.rollup.state import local_time
from minsheng_cli.rollup.views import (
    LIGHT_ORDER,
    MemberView,
    member_label,
    read_days,
)

STATUS_LAYOUTS: tuple[tuple[str, ...], ...] = (
    (
        "year",
        "as_of",
        "lights",
        "milestones",
        "met",
        "due_soon",
        "overdue",
        "completion",
        "last",
        "commit",
    ),
    ("as_of", "lights", "milestones", "met", "due_soon", "overdue", "completion", "last", "commit"),
    ("as_of", "lights", "milestones", "met", "due_soon", "overdue", "completion", "last"),
    ("as_of_short", "lights", "met_of", "overdue", "completion", "last_short"),
    ("as_of_short", "lights", "met_of", "overdue", "completion"),
    ("as_of_short", "lights", "met_of", "overdue"),
)
"""The columns of `rollup status` between 县区 and 标记, widest first: the first whose rows fit
the terminal is drawn (a pipe gets the first). The member's name and its flag are never dropped,
folded nor cut; the others go in this order: the year, the commit, 临期 and the milestones'
total (已完成 becomes met/total), dates lose their year, then the last report and completion."""


def title_line(
    title: str, what: str, views: Sequence[MemberView], by_heading: bool = False
) -> Line:
    """The title, what is shown and the day read; when the members were read on different days,
    where each one's day is: the 截至 column, or (``by_heading``) each member's heading."""
    days = sorted(read_days(list(views)))
    if len(days) == 1:
        when = _("as of {date}").format(date=days[0])
    elif days and by_heading:
        when = _("as of each member's own day (in its heading)")
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


def status_sheet(title: str, views: Sequence[MemberView], width: int, level: str = "市") -> Parts:
    """One row per member: items per light, milestones met and overdue, completion, last report,
    the commit read and a flag (stale, never read, unreadable), in the widest layout of
    STATUS_LAYOUTS that fits ``width``; under it the totals and why each flagged member is
    flagged."""
    several_days = len(read_days(list(views))) > 1
    headers = status_headers(level)
    values = [status_values(view) for view in views]
    chosen: list[str] = []
    for layout in STATUS_LAYOUTS:
        chosen = ["member", *expanded(layout, several_days), "flag"]
        widths = [
            max([cell_len(headers[key].header), *(cell_len(plain_text(v[key])) for v in values)])
            for key in chosen
        ]
        if sum(widths) + 3 * len(widths) + 1 <= width:
            break
    columns = tuple(headers[key] for key in chosen)
    rows = [tuple(row[key] for key in chosen) for row in values]
    sheet = Sheet(title_line(title, _("status of the members"), views), columns, rows)
    return (sheet, totals_line(views), *flag_lines(views))


def expanded(layout: tuple[str, ...], several_days: bool) -> list[str]:
    """The layout's column keys: "lights" as a column per light, the day read only when the
    members were read on different days."""
    keys: list[str] = []
    for key in layout:
        if key == "lights":
            keys += [f"light:{light.name.lower()}" for light in LIGHT_ORDER]
        elif not key.startswith("as_of") or several_days:
            keys.append(key)
    return keys


def status_headers(level: str = "市") -> dict[str, Column]:
    found: dict[str, Column] = {
        "member": Column(member_label(level), no_wrap=True),
        "year": Column(_("Year"), no_wrap=True),
        "as_of": Column(_("As of"), no_wrap=True),
        "as_of_short": Column(_("As of"), no_wrap=True),
        "milestones": Column(_("Milestones"), "right", no_wrap=True),
        "met": Column(_("Met"), "right", no_wrap=True),
        "met_of": Column(_("Met"), "right", no_wrap=True),
        "due_soon": Column(state_label(State.DUE_SOON), "right", no_wrap=True),
        "overdue": Column(state_label(State.OVERDUE), "right", no_wrap=True),
        "completion": Column(_("Completion"), "right", no_wrap=True),
        "last": Column(_("Last report"), no_wrap=True),
        "last_short": Column(_("Last report"), no_wrap=True),
        "commit": Column(_("Commit"), no_wrap=True),
        "flag": Column(_("Flag"), no_wrap=True),
    }
    for light in LIGHT_ORDER:
        found[f"light:{light.name.lower()}"] = Column(light_label(light), "right", no_wrap=True)
    return found


def status_values(view: MemberView) -> dict[str, Cell]:
    """Every cell a layout may show for the member, by column key."""
    computed = view.computed
    commit = (view.commit or "")[:7] or NOTHING
    values: dict[str, Cell] = {"member": view.name, "commit": commit, "flag": flag_cell(view)}
    if computed is None:
        return {key: values.get(key, NOTHING) for key in status_headers()}
    states = computed.states
    met = states[State.MET.value] + states[State.MET_LATE.value]
    overdue = states[State.OVERDUE.value]
    last = computed.last_report or NOTHING
    for light in LIGHT_ORDER:
        count = computed.lights[light.name.lower()]
        values[f"light:{light.name.lower()}"] = Span(
            str(count), LIGHT_STYLE[light] if count else ""
        )
    return values | {
        "year": str(computed.year),
        "as_of": computed.as_of,
        "as_of_short": computed.as_of[2:],
        "milestones": str(computed.milestones),
        "met": str(met),
        "met_of": f"{met}/{computed.milestones}",
        "due_soon": str(states[State.DUE_SOON.value]),
        "overdue": Span(str(overdue), "bold red") if overdue else "0",
        "completion": f"{computed.completion * 100:.1f}%",
        "last": last,
        "last_short": last if last == NOTHING else last[5:],
    }


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
        if view.stale and view.commit is not None:  # never read: the reason is its problem
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
    """A moment the state keeps (ISO, UTC) in the machine's local time, as its reader lives it:
    2026-12-04T23:25:00Z reads 2026-12-05 07:25 in Beijing."""
    local = local_time(stamp)
    if local is None:
        return stamp or NOTHING
    return local.strftime("%Y-%m-%d %H:%M")


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
    title_cells = title_line(title, _("overdue milestones"), views, by_heading=True)
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
    count = ngettext("{count} overdue", "{count} overdue", late).format(count=late)
    return Span(f"【{view.name}】{count}  {as_of}{stale}", "bold underline")


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
