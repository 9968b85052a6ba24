"""What the read commands print, built from a Snapshot as tables and lines of styled text
(sheet), for Rich to draw on a terminal or render_plain to write to a pipe. Ledger text is data,
never markup, so a project named "[red]x" prints literally."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from rich.cells import cell_len

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
from minsheng_cli.render.cut import cut_to
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
    shortfalls,
    state_label,
    units_of,
)
from minsheng_cli.render.sheet import Cell, Column, Line, Parts, Sheet, Span
from minsheng_cli.text import file_size, format_amount

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
"""Console width under which dates lose the (ledger's) year and bars are half as long."""
NEXT_AT_LEAST = 16
"""The fewest cells the next milestone's text gets before status stacks its columns."""
NEXT_AT_MOST = 30
"""Through a pipe (no width to fit) the next milestone is cut at 30 cells, as "..."."""
PIPE_WIDTH = 1000
"""A width at least this is a pipe's, not a terminal's."""


def status_table(snapshot: Snapshot, items: Sequence[ItemStatus], width: int = 200) -> Parts:
    """One row per item, laid out for ``width`` in a fixed order of fallbacks:

    1. every column on its own, a 10-cell bar, dates in full, names and units on one line;
    2. under 120 columns, or when that leaves the next milestone fewer than 16 cells: a 5-cell
       bar and dates without the year (MM-DD);
    3. when even that leaves fewer than 16 cells: columns stack, so each row takes two lines —
       实事名称 over 责任单位, the deadline and due date over the next milestone's text, the
       progress as a share without its bar.

    The next milestone's text takes the room left and is cut with … before a number, never
    inside one. A pipe (``width`` = PLAIN_WIDTH) always gets layout 1.
    """
    names = [cell_len(s.item.project_name) for s in items] or [0]
    units = [cell_len(s.item.unit) for s in items] or [0]
    name_width = max(cell_len(_("Project")), *names)
    unit_width = max(cell_len(_("Unit")), *units)
    leader = max([cell_len(_("Leader")), *(cell_len(s.item.leader) for s in items)])
    light = cell_len(_("Light"))
    for compact in (False, True):
        if compact is False and width < COMPACT_BELOW:
            continue
        bar = max(cell_len(_("Progress")), (BAR_CELLS // 2 if compact else BAR_CELLS) + 5)
        due = max(cell_len(_("Due")), 5 if compact else 10)
        fixed = [max(4, cell_len(_("No."))), name_width, unit_width, leader, bar, due, light]
        room = width - (sum(fixed) + 3 * (len(fixed) + 1) + 1)
        if width >= PIPE_WIDTH:
            return _status_in_columns(snapshot, items, compact, None)
        if room >= NEXT_AT_LEAST:
            return _status_in_columns(snapshot, items, compact, room)
    stacked = [max(4, cell_len(_("No."))), max(name_width, unit_width), leader, 4, light]
    room = width - (sum(stacked) + 3 * (len(stacked) + 1) + 1)
    return _status_stacked(snapshot, items, max(room, NEXT_AT_LEAST))


def _next_text(status: ItemStatus) -> str:
    upcoming = status.next_due
    return f"{deadline_label(upcoming)} {upcoming.milestone.text}" if upcoming else NOTHING


def _status_in_columns(
    snapshot: Snapshot, items: Sequence[ItemStatus], compact: bool, next_cells: int | None
) -> Parts:
    """``next_cells``: the room the next milestone has on a terminal; None through a pipe."""
    bar_cells = BAR_CELLS // 2 if compact else BAR_CELLS
    columns = (
        Column(_("No."), no_wrap=True),
        Column(_("Project"), no_wrap=True),
        Column(_("Unit"), no_wrap=True),
        Column(_("Leader"), no_wrap=True),
        Column(_("Progress"), no_wrap=True),
        Column(
            _("Next milestone"),
            max_width=NEXT_AT_MOST if next_cells is None else None,
            no_wrap=True,
            overflow="ellipsis",
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
                _next_text(status)
                if next_cells is None
                else cut_to(_next_text(status), next_cells),
                due[5:] if compact and upcoming else due,
                light_text(status.light),
            )
        )
    sheet = Sheet(heading(snapshot, _("status")), columns, rows)
    return (sheet, light_footer(items), *escalation_lines(snapshot, {s.item.ref for s in items}))


def escalation_lines(snapshot: Snapshot | Milestones, refs: set[str]) -> list[Line]:
    """Under the table: each of ``refs`` slipping at consecutive month-ends (连续N月滞后, 约谈)."""
    from minsheng_cli.core.escalation import Level, escalated

    found = escalated(snapshot.ledger, snapshot.as_of, snapshot.milestones)
    lines: list[Line] = []
    for item in snapshot.ledger.items:
        escalation = found.get(item.ref)
        if escalation is None or item.ref not in refs:
            continue
        interview = escalation.level is Level.INTERVIEW
        text = "⚠ " + _("{ref} {name}: {flag}").format(
            ref=item.ref, name=item.project_name, flag=escalation.flag
        )
        if interview:
            text += _(", for an interview (约谈)")
        lines.append((Span(text, "bold red" if interview else "yellow"),))
    return lines


def _status_stacked(snapshot: Snapshot, items: Sequence[ItemStatus], next_cells: int) -> Parts:
    columns = (
        Column(_("No."), no_wrap=True),
        Column(f"{_('Project')}／{_('Unit')}", no_wrap=True),
        Column(_("Leader"), no_wrap=True),
        Column(_("Progress"), no_wrap=True, justify="right"),
        Column(_("Next milestone"), no_wrap=True),
        Column(_("Light"), no_wrap=True, justify="center"),
    )
    rows = []
    for status in items:
        item = status.item
        upcoming = status.next_due
        when = f"{deadline_label(upcoming)} {iso(upcoming.due)[5:]}" if upcoming else NOTHING
        text = cut_to(upcoming.milestone.text, next_cells) if upcoming else ""
        rows.append(
            (
                item.ref,
                (Span(item.project_name + "\n"), Span(units_label(item), "dim")),
                item.leader,
                f"{status.progress * 100:.0f}%",
                f"{when}\n{text}" if text else when,
                light_text(status.light),
            )
        )
    sheet = Sheet(heading(snapshot, _("status")), columns, rows)
    return (sheet, light_footer(items), *escalation_lines(snapshot, {s.item.ref for s in items}))


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
    snapshot: Snapshot | Milestones,
    statuses: Sequence[MilestoneStatus],
    what: str,
    width: int = PIPE_WIDTH,
) -> Parts:
    """One row per milestone. Under 120 columns (a terminal) 实事名称 is left out (序号 names
    the item, `show` gives it) and due dates lose the year; the texts fold in what is left."""
    narrow = width < COMPACT_BELOW
    name = () if narrow else (Column(_("Project")),)
    columns = (
        Column(_("No."), no_wrap=True),
        *name,
        Column(_("Unit")),
        Column(_("Deadline"), no_wrap=True),
        Column(_("Due"), no_wrap=True),
        Column(_("Milestone"), ratio=3),
        Column(_("State"), no_wrap=True),
    )
    rows = [
        (
            f"{status.item.ref}#{status.milestone.number}",
            *(() if narrow else (status.item.project_name,)),
            units_label(status.item),
            deadline_label(status),
            _short_due(status, narrow),
            status.milestone.text,
            state_text(status.state),
        )
        for status in statuses
    ]
    return (Sheet(heading(snapshot, what), columns, rows), state_footer(statuses))


def _short_due(status: MilestoneStatus, narrow: bool) -> str:
    """The due date, without its year on a narrow terminal (the title gives the year)."""
    due = iso(status.due)
    return due[5:] if narrow and status.due else due


def state_footer(statuses: Iterable[MilestoneStatus]) -> Line:
    counts = dict.fromkeys(State, 0)
    for status in statuses:
        counts[status.state] += 1
    return (
        Span(_("Milestones:") + " "),
        *(Span(f"{state_label(state)} {counts[state]}  ", STATE_STYLE[state]) for state in State),
    )


def item_detail(status: ItemStatus, width: int = PIPE_WIDTH) -> Parts:
    item = status.item
    parts: list[Sheet | Line] = [item_header(item, status)]
    if status.measures or item.indicators or PERCENT_KEY in status.values:
        parts.append(measure_table(status))
    parts.append(item_milestones(status, width))
    parts += [
        (Span(labelled(_("Adjusted")), "bold"), Span(adjustment_text(m)))
        for m in status.milestones
        if m.adjustment
    ]
    if status.records:
        parts.append(record_table(item, status.records))
    if any(r.attachments for r in status.records):
        parts.append(evidence_table(item, status.records))
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


def item_milestones(status: ItemStatus, width: int = PIPE_WIDTH) -> Sheet:
    """The item's milestones, under each track's heading. Through a pipe the heading sits over
    the texts (their column is wide); under 120 columns it is a line of its own, and the dates
    lose their year, so the texts have the room."""
    narrow = width < COMPACT_BELOW
    headers = ("#", _("Deadline"), _("Due"), _("Milestone"), _("Target"), _("State"), _("Met on"))
    wrapped = {_("Milestone"): 3, _("Target"): 1}
    columns = tuple(
        Column(header, no_wrap=header not in wrapped, ratio=wrapped.get(header))
        for header in headers
    )
    rows: list[tuple[Cell, ...]] = []
    headings: list[tuple[int, Cell]] = []
    current_track: str | None = None
    for milestone_status in status.milestones:
        milestone = milestone_status.milestone
        if milestone.track and milestone.track != current_track:
            position = [t.heading for t in status.item.tracks].index(milestone.track) + 1
            track = Span(numbered_track(position, milestone.track), "bold")
            if narrow:
                headings.append((len(rows), track))
            else:
                rows.append(("", "", "", track, "", "", ""))  # over the texts: the column is wide
            current_track = milestone.track
        met_on = iso(milestone_status.met_on) if milestone_status.met_on else ""
        rows.append(
            (
                str(milestone.number),
                deadline_label(milestone_status),
                _short_due(milestone_status, narrow),
                milestone.text,
                amounts_text(milestone.targets, status.item),
                state_text(milestone_status.state),
                met_on[5:] if narrow else met_on,
            )
        )
    return Sheet(_("Milestones"), columns, rows, headings=tuple(headings))


def adjustment_text(status: MilestoneStatus) -> str:
    """#4 原定6月底（2023-06-30），调整为8月底（2023-08-31）；依据：…（2023-07-03），逾期3天"""
    adjustment = status.adjustment
    if adjustment is None:
        return ""
    original, record = adjustment.original, adjustment.record
    moves = []
    if record.to is not None:
        moves.append(
            _("originally {was} ({was_due}), adjusted to {now} ({now_due})").format(
                was=original.deadline,
                was_due=iso(original.due),
                now=status.milestone.deadline,
                now_due=iso(status.due),
            )
        )
    for name in record.targets:
        was = amounts_text({name: original.targets.get(name, 0)}, status.item)
        now = amounts_text({name: status.milestone.targets.get(name, 0)}, status.item)
        moves.append(_("target {was} adjusted to {now}").format(was=was, now=now))
    text = _("#{number} {moves}; approved by {approval} ({date})").format(
        number=original.number,
        moves=_("; ").join(moves),
        approval=record.approval,
        date=record.date.isoformat(),
    )
    if adjustment.late_before:
        text += ngettext(
            ", {days} day overdue when approved",
            ", {days} days overdue when approved",
            adjustment.late_before,
        ).format(days=adjustment.late_before)
    return text


def record_table(item: Item, records: Sequence[Record]) -> Sheet:
    columns = (
        Column(_("Date"), no_wrap=True),
        Column(_("Reported by"), no_wrap=True),
        Column(_("What"), ratio=2),
        Column(_("Note")),
    )
    rows: list[tuple[Cell, ...]] = []
    for record in sorted(records, key=lambda r: r.date):  # by date, the file's order within one
        if record.done or record.undone:
            what = (_("ticked: {text}") if record.done else _("tick taken back: {text}")).format(
                text=record.done or record.undone
            )
            track = next(
                (m.track for m in item.milestones if record.ticks(m) is not None and m.track), None
            )
            if track:
                what += f"（{track}）"
            if record.period:
                what += f"（{record.period}月）"
        elif record.only_attaches:
            named = item.milestone_of(record)
            what = _("files added: {text}").format(text=named.text) if named else ""
            what = what or _("files of the item")
            if named and named.track:
                what += f"（{named.track}）"
            if record.period:
                what += f"（{record.period}月）"
        elif record.reschedule is not None:
            what = _("adjusted: {text}; approved by {approval}").format(
                text=record.reschedule, approval=record.approval
            )
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


def evidence_table(item: Item, records: Sequence[Record]) -> Sheet:
    """The files attached to the records (--attach), by the record's date: the milestone each
    belongs to (#n, of the tick or of files added to it later; none for the item's), the name
    each had, its size, and where it is stored in the workspace."""
    columns = (
        Column(_("Date"), no_wrap=True),
        Column(_("For"), no_wrap=True),
        Column(_("File")),
        Column(_("Size"), justify="right", no_wrap=True),
        Column(_("Stored as"), overflow="fold"),
    )
    rows: list[tuple[Cell, ...]] = [
        (
            record.date.isoformat(),
            evidence_of(item, record),
            attachment.name,
            file_size(attachment.size),
            attachment.path,
        )
        for record in sorted(records, key=lambda r: r.date)
        for attachment in record.attachments
    ]
    return Sheet(_("Evidence"), columns, rows)


def evidence_of(item: Item, record: Record) -> str:
    """#3, #7（3月）: the milestone a record's files belong to; “—” for a report or the item."""
    named = item.milestone_of(record)
    if named is None:
        return NOTHING
    return f"#{named.number}" + (f"（{record.period}月）" if record.period else "")


OVERDUE_COMPACT_BELOW = 150
"""Nine columns need about 150; below that the leader and unit head their rows instead."""


def overdue_report(
    snapshot: Snapshot | Milestones, statuses: Sequence[MilestoneStatus], width: int = 200
) -> Parts:
    """One table for the dispatch meeting, grouped by 责任领导 then 责任单位 (each named once).

    On a narrow terminal the leader and unit head their rows instead of taking two columns.
    """
    title = heading(snapshot, _("overdue milestones"))
    slipping = escalation_lines(snapshot, {i.ref for i in snapshot.ledger.items})
    if not statuses:
        return (title, Span(_("Nothing is overdue."), "green"), *slipping)
    compact = width < OVERDUE_COMPACT_BELOW
    leaders = any(status.item.leader for status in statuses)  # else grouped by unit alone
    grouped = grouped_rows(
        statuses, compact, lambda status: overdue_cells(status, compact), leaders=leaders
    )
    if compact:  # names fold in narrow columns: each target on a row of its own
        grouped = a_row_per_target(grouped)
    total = Span(
        ngettext("{count} overdue milestone", "{count} overdue milestones", len(statuses)).format(
            count=len(statuses)
        ),
        "bold red",
    )
    return (Sheet(title, overdue_columns(compact, leaders), *grouped), total, *slipping)


class Grouped(NamedTuple):
    rows: list[tuple[Cell, ...]]
    section_ends: frozenset[int]
    expand: bool
    headings: tuple[tuple[int, Cell], ...]


TARGET_COLUMNS = 3
"""The last columns of an overdue row: required, recorded, short by (a line per target)."""


def a_row_per_target(grouped: Grouped) -> Grouped:
    """A milestone short of several targets as a row per target (the first with the milestone,
    the others blank but for the target's three cells), so that each target's recorded and
    short-by amounts stay beside it however its name folds in a narrow column."""
    rows: list[tuple[Cell, ...]] = []
    starts: list[int] = []
    for row in grouped.rows:
        starts.append(len(rows))
        rows += _target_rows(row)
    starts.append(len(rows))

    def last_of(index: int) -> int:
        return starts[index + 1] - 1

    return Grouped(
        rows,
        frozenset(last_of(end) for end in grouped.section_ends),
        grouped.expand,
        tuple((starts[index], cell) for index, cell in grouped.headings),
    )


def _target_rows(row: tuple[Cell, ...]) -> list[tuple[Cell, ...]]:
    lead, targets = row[:-TARGET_COLUMNS], row[-TARGET_COLUMNS:]
    if not all(isinstance(cell, str) for cell in targets):
        return [row]
    lines = [str(cell).split("\n") for cell in targets]
    if len(lines[0]) < 2 or any(len(column) != len(lines[0]) for column in lines):
        return [row]
    blank = tuple("" for _cell in lead)
    return [
        (*(lead if index == 0 else blank), *(column[index] for column in lines))
        for index in range(len(lines[0]))
    ]


def grouped_rows(
    statuses: Sequence[MilestoneStatus],
    compact: bool,
    cells: Callable[[MilestoneStatus], tuple[Cell, ...]],
    *,
    leaders: bool = True,
) -> Grouped:
    """Rows grouped by 责任领导 then 责任单位, each named once: in two columns of their own, or
    (``compact``) as headings on lines of their own over their rows, a section per leader.
    A ledger without leaders (``leaders`` False) is grouped by unit alone, a section each."""
    rows: list[tuple[Cell, ...]] = []
    section_ends: set[int] = set()
    headings: list[tuple[int, Cell]] = []
    for leader, units in grouped_by_leader_then_unit(statuses).items():
        for unit_index, (unit, group) in enumerate(units.items()):
            if compact:
                if unit_index == 0 and leaders:
                    headings.append((len(rows), leader_heading(leader)))
                headings.append((len(rows), Span(unit or NOTHING, "bold")))
            for row_index, status in enumerate(group):
                named: tuple[Cell, ...] = ()
                if not compact:
                    first = unit_index == 0 and row_index == 0
                    named = (
                        Span(leader or NOTHING if first else "", "bold"),
                        _first(unit, row_index),
                    )[0 if leaders else 1 :]
                rows.append((*named, *cells(status)))
            if not leaders:
                section_ends.add(len(rows) - 1)
        section_ends.add(len(rows) - 1)
    return Grouped(rows, frozenset(section_ends), False, tuple(headings))


AGENDA_COMPACT_BELOW = 150
"""The leader, unit and project columns need about 150; below that leader and unit head rows."""


def agenda_table(
    snapshot: Snapshot | Milestones, statuses: Sequence[MilestoneStatus], what: str, width: int
) -> Parts:
    """The month's agenda for the dispatch meeting, grouped like `overdue`: by 责任领导, then
    责任单位, each group in due order. On a narrow terminal the leader and unit head their rows,
    实事名称 is left out and due dates lose the year."""
    compact = width < AGENDA_COMPACT_BELOW
    lead = () if compact else (Column(_("Leader"), no_wrap=True), Column(_("Unit"), no_wrap=True))
    name = () if compact else (Column(_("Project")),)
    columns = (
        *lead,
        Column(_("No."), no_wrap=True),
        *name,
        Column(_("Deadline"), no_wrap=True),
        Column(_("Due"), no_wrap=True),
        Column(_("Milestone"), ratio=3),
        Column(_("State"), no_wrap=True),
    )

    def cells(status: MilestoneStatus) -> tuple[Cell, ...]:
        return (
            f"{status.item.ref}#{status.milestone.number}",
            *(() if compact else (status.item.project_name,)),
            deadline_label(status),
            _short_due(status, compact),
            status.milestone.text,
            state_text(status.state),
        )

    sheet = Sheet(heading(snapshot, what), columns, *grouped_rows(statuses, compact, cells))
    return (sheet, state_footer(statuses))


def _first(unit: str, row_index: int) -> str:
    return (unit or NOTHING) if row_index == 0 else ""


def leader_heading(leader: str) -> Span:
    """On a narrow terminal the leader heads their units' rows: 责任领导：王继讲."""
    return Span(labelled(_("Leader")) + (leader or NOTHING), "bold")


def overdue_columns(compact: bool, leaders: bool = True) -> tuple[Column, ...]:
    lead = () if compact else (_("Leader"), _("Unit"))[0 if leaders else 1 :]
    deadline = () if compact else (_("Deadline"),)
    fixed = tuple(
        Column(header, no_wrap=True)
        for header in (*lead, _("No."), *deadline, _("Due"), _("Days late"))
    )
    texts = (
        # compact (80 columns): 3 to 2 of what is left, at least 9 cells for 应完成, so that
        # 工程进度 100% breaks at its space, not inside 工程进度, and 0.8万人次 stays whole
        Column(_("Milestone"), ratio=3 if compact else None, overflow="fold"),
        Column(
            _("Required"),
            ratio=2 if compact else None,
            min_width=9 if compact else None,
            overflow="fold",
        ),
        Column(_("Recorded"), no_wrap=True),
        Column(_("Short by"), no_wrap=True),
    )
    return fixed + texts


def overdue_cells(status: MilestoneStatus, compact: bool) -> tuple[Cell, ...]:
    """No., deadline (not when compact), due date (without the year when compact), days late,
    and what the milestone asks against what was recorded."""
    item, milestone, due = status.item, status.milestone, iso(status.due)
    number = f"{item.project}.{item.number}#{milestone.number}"
    days_late = Span(str(status.days_late), "bold red")
    text = "\n".join(filter(None, (milestone.text, partners_text(item))))
    asked = (text, *short_cells(status))
    if compact:
        return (number, due[5:] if status.due else due, days_late, *stacked(asked))
    return (number, deadline_label(status), due, days_late, *asked)


def stacked(asked: tuple[str, str, str, str]) -> tuple[str, str, str, str]:
    """For a narrow column: each target's name above its amount (农村劳动力转移就业 / 2万人次), so
    that no amount is torn from its unit when the name folds."""
    text, required, recorded, short = asked
    if short == NOTHING or "\n" in required:  # a tick; several targets: a line each, aligned
        return asked
    lines = (line.rpartition(" ") for line in required.split("\n"))
    return (text, "\n".join(f"{name}\n{amount}" for name, _space, amount in lines), recorded, short)


def short_cells(status: MilestoneStatus) -> tuple[str, str, str]:
    """Required, recorded and short by, for the targets that fell short only (one a line); a
    milestone to tick off says so."""
    short = shortfalls(status)
    if status.milestone.needs_tick or not short:
        return (required_text(status), recorded_text(status), NOTHING)
    return (
        "\n".join(a for a, _b, _c in short),
        "\n".join(b for _a, b, _c in short),
        "\n".join(c for _a, _b, c in short),
    )


def history_table(entries: Sequence[Entry]) -> Parts:
    """A row a commit; a form's commit takes a line for each record it made, and one under
    them naming the form (its file and number)."""
    if not entries:
        return (_("No recorded changes yet."),)
    columns = (
        Column(_("When"), min_width=10),  # the date on a line, the time under it when narrow
        Column(_("Who"), no_wrap=True),
        Column(_("Reported by"), min_width=10),
        Column(_("What"), ratio=4),
        Column(_("Note"), min_width=8, ratio=2),  # 6月报，乡镇已全部开工 on two lines
        Column(_("Commit"), no_wrap=True),
    )
    rows: list[tuple[Cell, ...]] = []
    for entry in entries:
        what: list[Cell] = [*(entry.records or (entry.subject,))]
        source = form_source(entry)
        if source:
            what.append(Span(source, "dim"))
        for index, line in enumerate(what):
            if index == 0:
                rows.append(
                    (entry.when, entry.author, entry.reporter, line, entry.note, entry.commit)
                )
            else:
                rows.append(("", "", "", line, "", ""))
    return (Sheet(_("History"), columns, rows),)


def form_source(entry: Entry) -> str:
    """来源：the form's file name and number, for a commit that took in a form; else empty."""
    if not (entry.form or entry.form_file):
        return ""
    return _("from {file} (form {number})").format(
        file=entry.form_file or "?", number=entry.form or "?"
    )
