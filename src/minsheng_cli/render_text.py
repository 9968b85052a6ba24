"""Terminal output: Rich tables built from a Snapshot. Every piece of ledger text goes in as
``Text`` (never as markup), so a project named "[red]x" prints literally."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, TypeAlias

from rich import box
from rich.table import Table
from rich.text import Text

from minsheng_cli.evaluate import (
    ItemStatus,
    Light,
    Measure,
    MilestoneStatus,
    Snapshot,
    State,
    by_leader_then_unit,
)
from minsheng_cli.i18n import _, ngettext
from minsheng_cli.labels import (
    amounts_text,
    deadline_label,
    iso,
    labelled,
    light_label,
    measure_name,
    numbered_track,
    planned_amount,
    recorded_text,
    required_text,
    state_label,
    units_of,
)
from minsheng_cli.ledger import Item, Record, format_amount, without_controls

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
    from rich.console import RenderableType

    from minsheng_cli.audit import Entry

Parts: TypeAlias = "tuple[RenderableType, ...]"
"""What a command prints, in order. A tuple, not Rich's Group, so that a pipe, which is written
without Rich's console (render_plain), never imports it."""


def plain(text: object, style: str = "") -> Text:
    """A cell: never read as markup, and no control character reaches the terminal."""
    return Text(without_controls(str(text)), style=style)


def progress_bar(share: float, cells: int = BAR_CELLS) -> Text:
    filled = round(max(0.0, min(1.0, share)) * cells)
    bar = Text("█" * filled, style="green")
    bar.append("░" * (cells - filled), style="dim")
    bar.append(f" {share * 100:3.0f}%")
    return bar


def light_text(light: Light) -> Text:
    return plain(light_label(light), LIGHT_STYLE[light])


def state_text(state: State) -> Text:
    return plain(state_label(state), STATE_STYLE[state])


def heading(snapshot: Snapshot, what: str) -> Text:
    workspace = snapshot.ledger.workspace
    title = Text(workspace.title, style="bold")
    title.append(f"  {what}  ", style="")
    title.append(_("as of {date}").format(date=snapshot.as_of.isoformat()), style="dim")
    return title


COMPACT_BELOW = 120
"""Console width under which status draws a short bar and dates without the (ledger's) year."""


def status_table(snapshot: Snapshot, items: Sequence[ItemStatus], width: int = 200) -> Parts:
    compact = width < COMPACT_BELOW
    bar_cells = BAR_CELLS // 2 if compact else BAR_CELLS
    # what the fixed columns take: 序号, 领导 (3 wide chars), bar + " 100%", date, light, padding
    fixed = 5 + 6 + bar_cells + 5 + (5 if compact else 10) + 4 + 2 * 8
    spare = max(24, width - fixed)
    table = Table(box=box.SIMPLE_HEAD, title=heading(snapshot, _("status")), title_justify="left")
    table.add_column(_("No."), no_wrap=True, min_width=4)
    table.add_column(_("Project"), max_width=min(22, spare // 4), min_width=6, overflow="fold")
    table.add_column(_("Unit"), max_width=min(20, spare // 4), min_width=6, overflow="fold")
    table.add_column(_("Leader"), no_wrap=True)
    table.add_column(_("Progress"), no_wrap=True)
    table.add_column(
        _("Next milestone"), max_width=min(30, spare // 3), no_wrap=True, overflow="ellipsis"
    )
    table.add_column(_("Due"), no_wrap=True)
    table.add_column(_("Light"), no_wrap=True, justify="center")
    for status in items:
        item = status.item
        upcoming = status.next_due
        due = iso(upcoming.due) if upcoming else "—"
        table.add_row(
            plain(item.ref),
            plain(item.project_name),
            plain(item.unit),
            plain(item.leader),
            progress_bar(status.progress, bar_cells),
            plain(f"{deadline_label(upcoming)} {upcoming.milestone.text}" if upcoming else "—"),
            plain(due[5:] if compact and upcoming else due),
            light_text(status.light),
        )
    return (table, light_footer(items))


def light_footer(items: Iterable[ItemStatus]) -> Text:
    counts = dict.fromkeys(Light, 0)
    for status in items:
        counts[status.light] += 1
    footer = Text(_("Items:") + " ")
    for light in (Light.GREEN, Light.YELLOW, Light.RED, Light.DONE):
        footer.append(f"{light_label(light)} {counts[light]}  ", style=LIGHT_STYLE[light])
    return footer


def milestone_table(snapshot: Snapshot, statuses: Sequence[MilestoneStatus], what: str) -> Parts:
    table = Table(box=box.SIMPLE_HEAD, title=heading(snapshot, what), title_justify="left")
    table.add_column(_("No."), no_wrap=True)
    table.add_column(_("Project"), max_width=12)
    table.add_column(_("Unit"), max_width=20)
    table.add_column(_("Deadline"), no_wrap=True)
    table.add_column(_("Due"), no_wrap=True)
    table.add_column(_("Milestone"), max_width=34)
    table.add_column(_("State"), no_wrap=True)
    for status in statuses:
        item = status.item
        table.add_row(
            plain(f"{item.ref}#{status.milestone.number}"),
            plain(item.project_name),
            plain(item.unit),
            plain(deadline_label(status)),
            plain(iso(status.due)),
            plain(status.milestone.text),
            state_text(status.state),
        )
    return (table, state_footer(statuses))


def state_footer(statuses: Iterable[MilestoneStatus]) -> Text:
    counts = dict.fromkeys(State, 0)
    for status in statuses:
        counts[status.state] += 1
    footer = Text(_("Milestones:") + " ")
    for state in State:
        footer.append(f"{state_label(state)} {counts[state]}  ", style=STATE_STYLE[state])
    return footer


def item_detail(status: ItemStatus) -> Parts:
    item = status.item
    parts: list[RenderableType] = [item_header(item, status)]
    if status.measures or item.indicators:
        parts.append(measure_table(status))
    parts.append(item_milestones(status))
    if status.records:
        parts.append(record_table(item, status.records))
    return tuple(parts)


def item_header(item: Item, status: ItemStatus) -> Text:
    text = Text(f"{item.ref} {item.project_name}", style="bold")
    text.append("  ")
    text.append_text(light_text(status.light))
    text.append("\n")
    rows = [
        (_("Content"), item.content),
        (_("Leader"), item.leader),
        (_("Unit"), item.unit),
        (_("Note"), item.note),
    ]
    rows += [
        (_("Track"), numbered_track(n, t.heading) + (f" {t.text}" if t.text else ""))
        for n, t in enumerate(item.tracks, start=1)
    ]
    for label, value in rows:
        if value:
            text.append(labelled(label), style="dim")
            text.append(f"{value}\n")
    text.append(labelled(_("Progress")), style="dim")
    text.append_text(progress_bar(status.progress))
    return text


def measure_table(status: ItemStatus) -> Table:
    table = Table(box=box.SIMPLE_HEAD, title=_("Indicators"), title_justify="left")
    for column in (_("Indicator"), _("Target"), _("Recorded"), _("Planned by now"), _("Behind")):
        table.add_column(column, no_wrap=True)
    measured = {m.name: m for m in status.measures}
    for indicator in status.item.indicators:
        measure = measured.get(indicator.name)
        recorded = status.values.get(indicator.name)
        table.add_row(
            plain(indicator.name),
            plain(f"{format_amount(indicator.target)}{indicator.unit}"),
            plain(f"{format_amount(recorded)}{indicator.unit}" if recorded is not None else "—"),
            plain(
                f"{planned_amount(measure.expected, indicator.target)}{indicator.unit}"
                if measure
                else "—"
            ),
            behind_text(measure, indicator.unit) if measure else plain(""),
        )
    percent = measured.get("percent")
    if percent is not None:
        table.add_row(
            plain(measure_name("percent")),
            plain("100%"),
            plain(f"{format_amount(percent.actual)}%"),
            plain(f"{planned_amount(percent.expected, 100)}%"),
            behind_text(percent, "%"),
        )
    return table


def behind_text(measure: Measure, unit: str) -> Text:
    if measure.behind_days <= 0:
        return plain(_("on plan"), "green")
    return plain(
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


def item_milestones(status: ItemStatus) -> Table:
    table = Table(box=box.SIMPLE_HEAD, title=_("Milestones"), title_justify="left")
    for column in (
        "#",
        _("Deadline"),
        _("Due"),
        _("Milestone"),
        _("Target"),
        _("State"),
        _("Met on"),
    ):
        table.add_column(column, no_wrap=column not in (_("Milestone"), _("Target")))
    current_track: str | None = None
    for milestone_status in status.milestones:
        milestone = milestone_status.milestone
        if milestone.track and milestone.track != current_track:
            position = [t.heading for t in status.item.tracks].index(milestone.track) + 1
            table.add_row(plain(""), plain(numbered_track(position, milestone.track), "bold"))
            current_track = milestone.track
        table.add_row(
            plain(milestone.number),
            plain(deadline_label(milestone_status)),
            plain(iso(milestone_status.due)),
            plain(milestone.text),
            plain(amounts_text(milestone.targets, status.item)),
            state_text(milestone_status.state),
            plain(iso(milestone_status.met_on) if milestone_status.met_on else ""),
        )
    return table


def record_table(item: Item, records: Sequence[Record]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, title=_("Records"), title_justify="left")
    for column in (_("Date"), _("Reported by"), _("What"), _("Note")):
        table.add_column(column)
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
        table.add_row(plain(record.date.isoformat()), plain(record.by), plain(what), plain(note))
    return table


def grouped_by_leader(
    statuses: Sequence[MilestoneStatus],
) -> dict[str, dict[str, list[MilestoneStatus]]]:
    groups: dict[str, dict[str, list[MilestoneStatus]]] = {}
    for status in by_leader_then_unit(statuses):
        groups.setdefault(status.item.leader, {}).setdefault(status.item.unit, []).append(status)
    return groups


OVERDUE_COMPACT_BELOW = 150
"""Nine columns need about 150; below that the leader and unit head their rows instead."""


def overdue_report(
    snapshot: Snapshot, statuses: Sequence[MilestoneStatus], width: int = 200
) -> Parts:
    """One table for the dispatch meeting, grouped by 责任领导 then 责任单位 (each named once).

    On a narrow terminal the leader and unit head their rows instead of taking two columns.
    """
    title = heading(snapshot, _("overdue milestones"))
    if not statuses:
        return (title, plain(_("Nothing is overdue."), "green"))
    compact = width < OVERDUE_COMPACT_BELOW
    table = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left", expand=compact)
    lead = () if compact else (_("Leader"), _("Unit"))
    deadline = () if compact else (_("Deadline"),)
    for column in (*lead, _("No."), *deadline, _("Due"), _("Days late")):
        table.add_column(column, no_wrap=True)
    for column in (_("Milestone"), _("Required"), _("Recorded")):
        is_text = column == _("Milestone")
        ratio = (3 if is_text else 1) if compact else None
        table.add_column(
            column, ratio=ratio, overflow="fold", max_width=None if is_text or compact else 24
        )
    for leader, units in grouped_by_leader(statuses).items():
        unit_rows = list(units.items())
        for unit_index, (unit, rows) in enumerate(unit_rows):
            if compact:
                blank = [plain("")] * 3
                if unit_index == 0:
                    table.add_row(*blank, plain(labelled(_("Leader")) + (leader or "—"), "bold"))
                table.add_row(*blank, plain(unit or "—", "bold"))
            for row_index, status in enumerate(rows):
                last_of_leader = unit_index == len(unit_rows) - 1 and row_index == len(rows) - 1
                named = (
                    ()
                    if compact
                    else (
                        plain(leader or "—" if unit_index == 0 and row_index == 0 else "", "bold"),
                        plain((unit or "—") if row_index == 0 else ""),
                    )
                )
                table.add_row(*named, *overdue_cells(status, compact), end_section=last_of_leader)
    total = plain(
        ngettext("{count} overdue milestone", "{count} overdue milestones", len(statuses)).format(
            count=len(statuses)
        ),
        "bold red",
    )
    return (table, total)


def overdue_cells(status: MilestoneStatus, compact: bool) -> list[Text]:
    required, recorded = required_text(status), recorded_text(status)
    due = iso(status.due)
    return [
        plain(f"{status.item.ref}#{status.milestone.number}"),
        *(() if compact else (plain(deadline_label(status)),)),
        plain(due[5:] if compact and status.due else due),
        plain(status.days_late, "bold red"),
        plain(status.milestone.text),
        plain(required),
        plain(recorded),
    ]


def history_table(entries: Sequence[Entry]) -> Parts:
    if not entries:
        return (plain(_("No recorded changes yet.")),)
    table = Table(box=box.SIMPLE_HEAD, title=_("History"), title_justify="left")
    for column in (_("When"), _("Who"), _("Reported by"), _("What"), _("Commit")):
        table.add_column(column, no_wrap=column != _("What"))
    for entry in entries:
        table.add_row(
            plain(entry.when),
            plain(entry.author),
            plain(entry.reporter),
            plain(entry.subject),
            plain(entry.commit),
        )
    return (table,)
