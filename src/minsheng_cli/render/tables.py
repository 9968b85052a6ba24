"""What the read commands print, built from a Snapshot as tables and lines of styled text
(sheet), for Rich to draw on a terminal or render_plain to write to a pipe. Ledger text is data,
never markup, so a project named "[red]x" prints literally."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from minsheng_cli.core.evaluate import (
    ItemStatus,
    Light,
    Measure,
    Milestones,
    MilestoneStatus,
    Snapshot,
    State,
    grouped_by_leader_then_unit,
)
from minsheng_cli.core.investment import investment_text
from minsheng_cli.core.units import partners_text, units_label
from minsheng_cli.i18n import _, ngettext
from minsheng_cli.ledger.model import PERCENT_KEY, Indicator, Item, Record, measure_name
from minsheng_cli.render.labels import (
    amounts_text,
    deadline_label,
    iso,
    labelled,
    light_label,
    numbered_track,
    planned_amount,
    recorded_text,
    required_text,
    state_label,
    units_of,
)
from minsheng_cli.render.sheet import Cell, Column, Line, Parts, Sheet, Span
from minsheng_cli.text import format_amount

LIGHT_STYLE = {
    Light.GREEN: "bold green",
    Light.YELLOW: "bold yellow",
    Light.RED: "bold red",
    Light.DONE: "bold cyan",
}
STATE_STYLE = {
    State.MET: "green",
    State.MET_LATE: "cyan",
    State.OVERDUE: "bold red",
    State.DUE_SOON: "yellow",
    State.PENDING: "",
}
BAR_CELLS = 10

if TYPE_CHECKING:
    from minsheng_cli.write.audit import Entry

NOTHING = "—"
"""A cell with nothing to say (render_plain writes it as -)."""


def progress_bar(share: float, cells: int = BAR_CELLS) -> Line:
    filled = round(max(0.0, min(1.0, share)) * cells)
    return (
        Span("█" * filled, "green"),
        Span("░" * (cells - filled), "dim"),
        Span(f" {share * 100:3.0f}%"),
    )


def light_text(light: Light) -> Span:
    return Span(light_label(light), LIGHT_STYLE[light])


def state_text(state: State) -> Span:
    return Span(state_label(state), STATE_STYLE[state])


def heading(snapshot: Snapshot | Milestones, what: str) -> Line:
    return (
        Span(snapshot.ledger.workspace.title, "bold"),
        Span(f"  {what}  ", "bold"),
        Span(_("as of {date}").format(date=snapshot.as_of.isoformat()), "dim"),
    )


COMPACT_BELOW = 120
"""Console width under which status draws a short bar and dates without the (ledger's) year."""


def status_table(snapshot: Snapshot, items: Sequence[ItemStatus], width: int = 200) -> Parts:
    compact = width < COMPACT_BELOW
    bar_cells = BAR_CELLS // 2 if compact else BAR_CELLS
    # what the fixed columns take: 序号, 领导 (3 wide chars), bar + " 100%", date, light, padding
    fixed = 5 + 6 + bar_cells + 5 + (5 if compact else 10) + 4 + 2 * 8
    spare = max(24, width - fixed)
    columns = (
        Column(_("No."), no_wrap=True, min_width=4),
        Column(_("Project"), max_width=min(22, spare // 4), min_width=6, overflow="fold"),
        Column(_("Unit"), max_width=min(20, spare // 4), min_width=6, overflow="fold"),
        Column(_("Leader"), no_wrap=True),
        Column(_("Progress"), no_wrap=True),
        Column(
            _("Next milestone"), max_width=min(30, spare // 3), no_wrap=True, overflow="ellipsis"
        ),
        Column(_("Due"), no_wrap=True),
        Column(_("Light"), no_wrap=True, justify="center"),
    )
    rows = []
    for status in items:
        item = status.item
        upcoming = status.next_due
        due = iso(upcoming.due) if upcoming else NOTHING
        rows.append(
            (
                item.ref,
                item.project_name,
                units_label(item),
                item.leader,
                progress_bar(status.progress, bar_cells),
                f"{deadline_label(upcoming)} {upcoming.milestone.text}" if upcoming else NOTHING,
                due[5:] if compact and upcoming else due,
                light_text(status.light),
            )
        )
    return (Sheet(heading(snapshot, _("status")), columns, rows), light_footer(items))


def light_footer(items: Iterable[ItemStatus]) -> Line:
    counts = dict.fromkeys(Light, 0)
    for status in items:
        counts[status.light] += 1
    return (
        Span(_("Items:") + " "),
        *(
            Span(f"{light_label(light)} {counts[light]}  ", LIGHT_STYLE[light])
            for light in (Light.GREEN, Light.YELLOW, Light.RED, Light.DONE)
        ),
    )


def milestone_table(
    snapshot: Snapshot | Milestones, statuses: Sequence[MilestoneStatus], what: str
) -> Parts:
    columns = (
        Column(_("No."), no_wrap=True),
        Column(_("Project"), max_width=12),
        Column(_("Unit"), max_width=20),
        Column(_("Deadline"), no_wrap=True),
        Column(_("Due"), no_wrap=True),
        Column(_("Milestone"), max_width=34),
        Column(_("State"), no_wrap=True),
    )
    rows = [
        (
            f"{status.item.ref}#{status.milestone.number}",
            status.item.project_name,
            units_label(status.item),
            deadline_label(status),
            iso(status.due),
            status.milestone.text,
            state_text(status.state),
        )
        for status in statuses
    ]
    return (Sheet(heading(snapshot, what), columns, rows), state_footer(statuses))


def state_footer(statuses: Iterable[MilestoneStatus]) -> Line:
    counts = dict.fromkeys(State, 0)
    for status in statuses:
        counts[status.state] += 1
    return (
        Span(_("Milestones:") + " "),
        *(Span(f"{state_label(state)} {counts[state]}  ", STATE_STYLE[state]) for state in State),
    )


def item_detail(status: ItemStatus) -> Parts:
    item = status.item
    parts: list[Sheet | Line] = [item_header(item, status)]
    if status.measures or item.indicators or PERCENT_KEY in status.values:
        parts.append(measure_table(status))
    parts.append(item_milestones(status))
    if status.records:
        parts.append(record_table(item, status.records))
    return tuple(parts)


def item_header(item: Item, status: ItemStatus) -> Line:
    spans = [
        Span(f"{item.ref} {item.project_name}", "bold"),
        Span("  "),
        light_text(status.light),
        Span("\n"),
    ]
    rows = [
        (_("Content"), item.content),
        (_("Leader"), item.leader),
        (_("Unit"), units_label(item)),
        (_("Sites"), "、".join(item.sites)),
        (_("Investment"), investment_text(item, status.values)),
        (_("Note"), item.note),
    ]
    rows += [
        (_("Track"), numbered_track(n, t.heading) + (f" {t.text}" if t.text else ""))
        for n, t in enumerate(item.tracks, start=1)
    ]
    for label, value in rows:
        if value:
            spans += [Span(labelled(label), "dim"), Span(f"{value}\n")]
    spans.append(Span(labelled(_("Progress")), "dim"))
    spans += progress_bar(status.progress)
    return tuple(spans)


def measure_table(status: ItemStatus) -> Sheet:
    columns = tuple(
        Column(header, no_wrap=True)
        for header in (_("Indicator"), _("Target"), _("Recorded"), _("Planned by now"), _("Behind"))
    )
    measured = {m.name: m for m in status.measures}
    rows: list[tuple[Cell, ...]] = []
    for indicator in status.item.indicators:
        measure = measured.get(indicator.name)
        recorded = status.values.get(indicator.name)
        rows.append(
            (
                indicator.name,
                f"{format_amount(indicator.target)}{indicator.unit}",
                f"{format_amount(recorded)}{indicator.unit}" if recorded is not None else NOTHING,
                f"{planned_amount(measure.expected, indicator.target)}{indicator.unit}"
                if measure
                else NOTHING,
                behind_text(measure, indicator.unit)
                if measure
                else short_text(indicator, recorded),
            )
        )
    percent = measured.get("percent")
    if percent is not None:
        rows.append(
            (
                measure_name("percent"),
                "100%",
                f"{format_amount(percent.actual)}%",
                f"{planned_amount(percent.expected, 100)}%",
                behind_text(percent, "%"),
            )
        )
    elif "percent" in status.values:  # a work share reported beside the quantities, unplanned
        share = f"{format_amount(status.values['percent'])}%"
        rows.append((measure_name("percent"), "100%", share, NOTHING, ""))
    return Sheet(_("Indicators"), columns, rows)


def short_text(indicator: Indicator, recorded: float | None) -> str:
    """A rate below its target: 差5个百分点 (a % rate's gap is in percentage points)."""
    if not indicator.is_rate or recorded is None or recorded >= indicator.target:
        return ""
    gap = format_amount(round(indicator.target - recorded, 6))
    if indicator.unit == "%":
        return _("{amount} percentage points short").format(amount=gap)
    return _("{amount}{unit} short").format(amount=gap, unit=indicator.unit)


def behind_text(measure: Measure, unit: str) -> Span:
    if measure.behind_days <= 0:
        return Span(_("on plan"), "green")
    return Span(
        ngettext(
            "{amount}{unit} behind, about {days} day",
            "{amount}{unit} behind, about {days} days",
            measure.behind_days,
        ).format(
            amount=planned_amount(measure.behind, measure.total),
            unit=unit,
            days=measure.behind_days,
        ),
        "yellow",
    )


def item_milestones(status: ItemStatus) -> Sheet:
    headers = ("#", _("Deadline"), _("Due"), _("Milestone"), _("Target"), _("State"), _("Met on"))
    wrapped = (_("Milestone"), _("Target"))
    columns = tuple(Column(header, no_wrap=header not in wrapped) for header in headers)
    rows: list[tuple[Cell, ...]] = []
    current_track: str | None = None
    for milestone_status in status.milestones:
        milestone = milestone_status.milestone
        if milestone.track and milestone.track != current_track:
            position = [t.heading for t in status.item.tracks].index(milestone.track) + 1
            track = Span(numbered_track(position, milestone.track), "bold")
            rows.append(("", "", "", track, "", "", ""))  # over the texts: the column is wide
            current_track = milestone.track
        rows.append(
            (
                str(milestone.number),
                deadline_label(milestone_status),
                iso(milestone_status.due),
                milestone.text,
                amounts_text(milestone.targets, status.item),
                state_text(milestone_status.state),
                iso(milestone_status.met_on) if milestone_status.met_on else "",
            )
        )
    return Sheet(_("Milestones"), columns, rows)


def record_table(item: Item, records: Sequence[Record]) -> Sheet:
    columns = tuple(
        Column(header) for header in (_("Date"), _("Reported by"), _("What"), _("Note"))
    )
    rows: list[tuple[Cell, ...]] = []
    for record in records:
        if record.done or record.undone:
            what = (_("ticked: {text}") if record.done else _("tick taken back: {text}")).format(
                text=record.done or record.undone
            )
            if record.period:
                what += f"（{record.period}月）"
        else:
            units = units_of(item)
            what = "，".join(
                f"{measure_name(k)} {format_amount(v)}{units.get(k, '')}"
                for k, v in record.values.items()
            )
            if record.correct:
                what = _("correction: {what}").format(what=what)
        note = "；".join(x for x in (record.note, record.evidence) if x)
        rows.append((record.date.isoformat(), record.by, what, note))
    return Sheet(_("Records"), columns, rows)


OVERDUE_COMPACT_BELOW = 150
"""Nine columns need about 150; below that the leader and unit head their rows instead."""


def overdue_report(
    snapshot: Snapshot | Milestones, statuses: Sequence[MilestoneStatus], width: int = 200
) -> Parts:
    """One table for the dispatch meeting, grouped by 责任领导 then 责任单位 (each named once).

    On a narrow terminal the leader and unit head their rows instead of taking two columns.
    """
    title = heading(snapshot, _("overdue milestones"))
    if not statuses:
        return (title, Span(_("Nothing is overdue."), "green"))
    compact = width < OVERDUE_COMPACT_BELOW
    leaders = any(status.item.leader for status in statuses)  # else grouped by unit alone
    rows: list[tuple[Cell, ...]] = []
    section_ends: set[int] = set()
    for leader, units in grouped_by_leader_then_unit(statuses).items():
        for unit_index, (unit, late) in enumerate(units.items()):
            if compact:
                named_leader = leader if unit_index == 0 and leaders else None
                rows += _unit_heading_rows(named_leader, unit)
            for row_index, status in enumerate(late):
                named: tuple[Cell, ...] = ()
                if not compact:
                    first = unit_index == 0 and row_index == 0
                    named = (
                        Span(leader or NOTHING if first else "", "bold"),
                        _first(unit, row_index),
                    )[0 if leaders else 1 :]
                rows.append((*named, *overdue_cells(status, compact)))
            if not leaders:
                section_ends.add(len(rows) - 1)
        section_ends.add(len(rows) - 1)
    total = Span(
        ngettext("{count} overdue milestone", "{count} overdue milestones", len(statuses)).format(
            count=len(statuses)
        ),
        "bold red",
    )
    sheet = Sheet(
        title, overdue_columns(compact, leaders), rows, frozenset(section_ends), expand=compact
    )
    return (sheet, total)


def _first(unit: str, row_index: int) -> str:
    return (unit or NOTHING) if row_index == 0 else ""


def _unit_heading_rows(leader: str | None, unit: str) -> list[tuple[Cell, ...]]:
    """On a narrow terminal: the leader (before their first unit) and the unit head the rows."""
    blank = ("", "", "")
    rows: list[tuple[Cell, ...]] = []
    if leader is not None:
        rows.append((*blank, Span(labelled(_("Leader")) + (leader or NOTHING), "bold"), "", ""))
    rows.append((*blank, Span(unit or NOTHING, "bold"), "", ""))
    return rows


def overdue_columns(compact: bool, leaders: bool = True) -> tuple[Column, ...]:
    lead = () if compact else (_("Leader"), _("Unit"))[0 if leaders else 1 :]
    deadline = () if compact else (_("Deadline"),)
    fixed = tuple(
        Column(header, no_wrap=True)
        for header in (*lead, _("No."), *deadline, _("Due"), _("Days late"))
    )
    texts = (
        Column(_("Milestone"), ratio=3 if compact else None, overflow="fold"),
        *(
            Column(
                header,
                ratio=1 if compact else None,
                max_width=None if compact else 24,
                overflow="fold",
            )
            for header in (_("Required"), _("Recorded"))
        ),
    )
    return fixed + texts


def overdue_cells(status: MilestoneStatus, compact: bool) -> tuple[Cell, ...]:
    """No., deadline (not when compact), due date (without the year when compact), days late,
    and what the milestone asks against what was recorded."""
    item, milestone, due = status.item, status.milestone, iso(status.due)
    number = f"{item.project}.{item.number}#{milestone.number}"
    days_late = Span(str(status.days_late), "bold red")
    text = "\n".join(filter(None, (milestone.text, partners_text(item))))
    asked = (text, required_text(status), recorded_text(status))
    if compact:
        return (number, due[5:] if status.due else due, days_late, *asked)
    return (number, deadline_label(status), due, days_late, *asked)


def history_table(entries: Sequence[Entry]) -> Parts:
    if not entries:
        return (_("No recorded changes yet."),)
    wrapped = _("What")
    columns = tuple(
        Column(header, no_wrap=header != wrapped)
        for header in (_("When"), _("Who"), _("Reported by"), _("What"), _("Commit"))
    )
    rows = [
        (entry.when, entry.author, entry.reporter, entry.subject, entry.commit) for entry in entries
    ]
    return (Sheet(_("History"), columns, rows),)
