"""The paperwork the notice orders: 一月一通报 (monthly bulletin), 一季度一报告 (quarterly report)
and the 台账 export. Pure: a period → its as-of date, a Snapshot → the report's data and the
export's rows. Rendering (Markdown, HTML, Word, xlsx/csv/json) is elsewhere.

The numbers are the ones ``status`` and ``overdue`` give for the same date, because they are read
from the same Snapshot: nothing here re-evaluates a milestone.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from enum import StrEnum
from typing import NamedTuple

from minsheng_cli.core.escalation import Escalation, Level, escalated
from minsheng_cli.core.evaluate import (
    LATE_STATES,
    ItemStatus,
    Light,
    Measure,
    MilestoneStatus,
    Snapshot,
    State,
    by_date,
    by_leader_then_unit,
    value_timeline,
)
from minsheng_cli.core.investment import investment_text
from minsheng_cli.core.units import partners_text, units_label
from minsheng_cli.errors import UsageError
from minsheng_cli.i18n import _, ngettext
from minsheng_cli.ledger.deadlines import month_end
from minsheng_cli.ledger.model import Attachment, Item, Record, measure_name
from minsheng_cli.render.labels import (
    amounts_text,
    deadline_label,
    iso,
    lateness,
    light_label,
    planned_amount,
    recorded_text,
    required_text,
    state_label,
)
from minsheng_cli.render.tables import adjustment_text
from minsheng_cli.text import file_size, format_amount

MONTHS_PER_QUARTER = 3


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"


class Period(NamedTuple):
    """A reporting period of the ledger's year: month 1–12 or quarter 1–4."""

    kind: PeriodKind
    year: int
    number: int
    start: date
    end: date

    def contains(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end


def period_request(month: int | None, quarter: int | None) -> tuple[PeriodKind, int]:
    """--month N or --quarter Q, exactly one and in range; checked before any work is done."""
    if (month is None) == (quarter is None):
        raise UsageError(_("give either --month N or --quarter Q (one of them)"))
    if month is not None:
        if not 1 <= month <= 12:
            raise UsageError(_("--month must be 1–12, not {month}").format(month=month))
        return PeriodKind.MONTH, month
    assert quarter is not None
    if not 1 <= quarter <= 4:
        raise UsageError(_("--quarter must be 1–4, not {quarter}").format(quarter=quarter))
    return PeriodKind.QUARTER, quarter


def period_of(year: int, kind: PeriodKind, number: int) -> Period:
    """Month 1–12 or quarter 1–4 of ``year``: its first and last day (the as-of date)."""
    if kind is PeriodKind.MONTH:
        return Period(kind, year, number, date(year, number, 1), month_end(year, number))
    first = (number - 1) * MONTHS_PER_QUARTER + 1
    last = first + MONTHS_PER_QUARTER - 1
    return Period(kind, year, number, date(year, first, 1), month_end(year, last))


def next_period(period: Period) -> Period | None:
    """The period after this one within the ledger's year; None after December or Q4."""
    last = 12 if period.kind is PeriodKind.MONTH else 4
    if period.number >= last:
        return None
    return period_of(period.year, period.kind, period.number + 1)


def period_label(period: Period) -> str:
    """2023年6月 / 2023年第二季度."""
    if period.kind is PeriodKind.MONTH:
        return _("month {month} of {year}").format(month=period.number, year=period.year)
    names = {
        1: _("first quarter of {year}"),
        2: _("second quarter of {year}"),
        3: _("third quarter of {year}"),
        4: _("fourth quarter of {year}"),
    }
    return names[period.number].format(year=period.year)


def report_kind_label(period: Period) -> str:
    """月通报 / 季度报告: what the document is called."""
    if period.kind is PeriodKind.MONTH:
        return _("monthly bulletin")
    return _("quarterly report")


def long_date(day: date) -> str:
    """2023年6月30日."""
    return _("{month}/{day}/{year}").format(year=day.year, month=day.month, day=day.day)


def percent_text(share: float) -> str:
    """0.4567 → "45.7%": one decimal, as a bulletin writes a rate."""
    return f"{share * 100:.1f}%"


class Summary(NamedTuple):
    """The report's first paragraph: lights per item, states per milestone, completion."""

    lights: Mapping[Light, int]
    states: Mapping[State, int]
    items: int
    milestones: int
    completion: float
    """The mean of the items' progress (each 0–1), as ``status`` shows it."""
    behind_plan: int = 0
    """Items behind 序时 by more than the workspace's tolerance (滞后序时)."""

    @property
    def met(self) -> int:
        return self.states[State.MET] + self.states[State.MET_LATE]


class ItemReport(NamedTuple):
    """One item over the period: what was planned, achieved and late, and what was reported."""

    status: ItemStatus
    planned: tuple[MilestoneStatus, ...]
    """Milestones due within the period (their state as of its last day)."""
    achieved: tuple[MilestoneStatus, ...]
    """Milestones met within the period, whenever they were due."""
    late: tuple[MilestoneStatus, ...]
    """Milestones overdue on the period's last day."""
    reported: Mapping[str, float]
    """Indicators reported within the period → their cumulative value at its end."""
    evidence: tuple[tuple[date, str, Attachment], ...] = ()
    """Files attached to the records dated within the period, with each record's date and the
    milestone they belong to (its text; empty for a report of values or the item's files)."""

    @property
    def item(self) -> Item:
        return self.status.item


class ProjectReport(NamedTuple):
    id: int
    name: str
    items: tuple[ItemReport, ...]


class LeaderGroup(NamedTuple):
    """The overdue milestones of one 责任领导, by 责任单位 then due date."""

    leader: str
    milestones: tuple[MilestoneStatus, ...]


class Report(NamedTuple):
    snapshot: Snapshot
    period: Period
    summary: Summary
    projects: tuple[ProjectReport, ...]
    overdue: tuple[LeaderGroup, ...]
    next_period: Period | None
    due_next: tuple[MilestoneStatus, ...]
    """Milestones falling due in the next period and not met by this one's end."""
    escalated: Mapping[str, Escalation] = {}
    data_version: str = ""
    """数据版本: the commit (and meeting) the bulletin was made from; empty without git."""
    """The items slipping at consecutive month-ends by the period's end (连续N月滞后, 约谈)."""

    @property
    def overdue_count(self) -> int:
        return sum(len(group.milestones) for group in self.overdue)


def build_report(snapshot: Snapshot, period: Period) -> Report:
    """The bulletin or report for ``period`` from a Snapshot taken on its last day."""
    if snapshot.as_of != period.end:
        raise ValueError(f"snapshot of {snapshot.as_of} for a period ending {period.end}")
    following = next_period(period)
    return Report(
        snapshot=snapshot,
        period=period,
        summary=summarise(snapshot.items),
        projects=project_reports(snapshot, period),
        overdue=overdue_by_leader(snapshot.milestones),
        next_period=following,
        due_next=due_within(snapshot.milestones, following) if following else (),
        escalated=escalated(snapshot.ledger, snapshot.as_of, snapshot.milestones),
    )


def summarise(items: Sequence[ItemStatus]) -> Summary:
    lights = dict.fromkeys(Light, 0)
    states = dict.fromkeys(State, 0)
    milestones = 0
    for status in items:
        lights[status.light] += 1
        for milestone in status.milestones:
            states[milestone.state] += 1
            milestones += 1
    completion = sum(s.progress for s in items) / len(items) if items else 0.0
    behind = sum(1 for s in items if s.behind_plan)
    return Summary(lights, states, len(items), milestones, completion, behind)


def project_reports(snapshot: Snapshot, period: Period) -> tuple[ProjectReport, ...]:
    by_ref = {status.item.ref: status for status in snapshot.items}
    return tuple(
        ProjectReport(
            project.id,
            project.name,
            tuple(item_report(by_ref[item.ref], period) for item in project.items),
        )
        for project in snapshot.ledger.projects
    )


def item_report(status: ItemStatus, period: Period) -> ItemReport:
    milestones = status.milestones
    return ItemReport(
        status=status,
        planned=tuple(m for m in milestones if period.contains(m.due)),
        achieved=tuple(m for m in milestones if m.state.is_met and period.contains(m.met_on)),
        late=tuple(m for m in milestones if m.state is State.OVERDUE),
        reported=reported_in(status, period),
        evidence=tuple(
            (record.date, evidence_for(status.item, record), attachment)
            for record in sorted(status.records, key=lambda r: r.date)
            if period.contains(record.date)
            for attachment in record.attachments
        ),
    )


def evidence_for(item: Item, record: Record) -> str:
    """The milestone a record's files show (开工建设, 按时兑付（3月）); empty for the item's."""
    milestone = item.milestone_of(record)
    if milestone is None:
        return ""
    return milestone.text + (f"（{record.period}月）" if record.period else "")


def reported_in(status: ItemStatus, period: Period) -> dict[str, float]:
    names: list[str] = []
    for record in status.item.records:
        if period.contains(record.date):
            names += [name for name in record.values if name not in names]
    return {name: status.values[name] for name in names if name in status.values}


def overdue_by_leader(milestones: Iterable[MilestoneStatus]) -> tuple[LeaderGroup, ...]:
    """Every overdue milestone, grouped by 责任领导 (as ``overdue`` groups them)."""
    late = by_leader_then_unit(m for m in milestones if m.state is State.OVERDUE)
    groups: dict[str, list[MilestoneStatus]] = {}
    for status in late:
        groups.setdefault(status.item.leader, []).append(status)
    return tuple(LeaderGroup(leader, tuple(rows)) for leader, rows in groups.items())


def due_within(
    milestones: Iterable[MilestoneStatus], period: Period
) -> tuple[MilestoneStatus, ...]:
    due = (m for m in milestones if period.contains(m.due) and not m.state.is_met)
    return tuple(sorted(due, key=lambda m: (m.due or date.max, m.item.project, m.item.number)))


# --- words shared by the renderers ------------------------------------------------------------


# --- the 台账 export ---------------------------------------------------------------------------


class ExportRow(NamedTuple):
    """One milestone of the 台账 (one month of a monthly duty), with its latest progress."""

    status: MilestoneStatus
    latest: Mapping[str, float]
    """The recorded values of the indicators it targets, as of the as-of date."""
    latest_date: date | None
    """The day those values were last reported, or the day it was ticked off."""
    met_with: Mapping[str, float] = {}
    """For a milestone met by its numbers: the values it was met with, on the day it was met."""
    evidence: tuple[Attachment, ...] = ()
    """The files attached to the records behind 最近进度: the tick, or the report of that day."""

    @property
    def item(self) -> Item:
        return self.status.item

    @property
    def days_late(self) -> int | None:
        """逾期天数: for a milestone overdue or met late; None for one that is not late."""
        return self.status.days_late if self.status.state in LATE_STATES else None

    @property
    def progress(self) -> tuple[Mapping[str, float], date | None]:
        """最近进度 and its date: the values a met milestone was met with, on the day it was met;
        otherwise the latest values."""
        if self.met_with:
            return self.met_with, self.status.met_on
        return self.latest, self.latest_date


def export_rows(snapshot: Snapshot) -> tuple[ExportRow, ...]:
    return tuple(
        export_row(milestone, snapshot.as_of)
        for item in snapshot.items
        for milestone in item.milestones
    )


def export_row(status: MilestoneStatus, as_of: date) -> ExportRow:
    if status.milestone.needs_tick:
        evidence = row_evidence(status, status.met_on) + files_added(status, as_of)
        return ExportRow(status, {}, status.met_on, evidence=evidence)
    names = set(status.milestone.targets)
    reports = [
        r.date for r in status.item.records if r.date <= as_of and names.intersection(r.values)
    ]
    row = ExportRow(
        status, dict(status.recorded), max(reports, default=None), values_met_with(status, as_of)
    )
    return row._replace(evidence=row_evidence(status, row.progress[1]))


def row_evidence(status: MilestoneStatus, day: date | None) -> tuple[Attachment, ...]:
    """The files attached to the records of ``day`` behind a row's 最近进度: the tick of the
    milestone (of its month, for a monthly duty), or the reports of the values it targets."""
    if day is None:
        return ()
    milestone, names = status.milestone, set(status.milestone.targets)
    return tuple(
        attachment
        for record in status.item.records
        if record.date == day
        and (
            record.ticks(milestone) is True and record.period == status.period
            if milestone.needs_tick
            else bool(names.intersection(record.values))
        )
        for attachment in record.attachments
    )


def files_added(status: MilestoneStatus, as_of: date) -> tuple[Attachment, ...]:
    """The files added to a milestone after its tick (attach_to:), dated by ``as_of``."""
    milestone = status.milestone
    return tuple(
        attachment
        for record in sorted(status.item.records, key=by_date)
        if record.date <= as_of and record.attaches(milestone) and record.period == status.period
        for attachment in record.attachments
    )


def values_met_with(status: MilestoneStatus, as_of: date) -> dict[str, float]:
    """The values of the milestone's targets on the day it was met (corrections known by
    ``as_of`` applied, as evaluate applies them); empty when it is not met."""
    met_on = status.met_on
    if met_on is None or not status.milestone.targets:
        return {}
    known = sorted((r for r in status.item.records if r.date <= as_of), key=by_date)
    values: Mapping[str, float] = {}
    for day, reported in value_timeline(known):
        if day > met_on:
            break
        values = reported
    return {name: values[name] for name in status.milestone.targets if name in values}


def latest_text(row: ExportRow) -> str:
    """最近进度 as a clerk writes it: the recorded values (those it was met with, when it was
    met), or whether it was ticked off."""
    if row.status.milestone.needs_tick:
        return _("ticked off") if row.status.state.is_met else _("not ticked")
    values, _day = row.progress
    return amounts_text(values, row.item) if values else _("nothing recorded")


class UnitSummary(NamedTuple):
    """One 责任单位 on the export's second sheet: its lead items (states and completion are
    theirs) and, apart, the items it works on as a partner (配合)."""

    unit: str
    items: int
    states: Mapping[State, int]
    completion: float
    partner_items: int = 0


def unit_summaries(snapshot: Snapshot) -> tuple[UnitSummary, ...]:
    """Each 责任单位 in order of first appearance (as lead or partner): lead items, milestones
    per state, completion, partner items."""
    grouped: dict[str, list[ItemStatus]] = {}
    partnered: dict[str, int] = {}
    for status in snapshot.items:
        grouped.setdefault(status.item.unit, []).append(status)
        for partner in status.item.partners:
            grouped.setdefault(partner, [])
            partnered[partner] = partnered.get(partner, 0) + 1
    result = []
    for unit, items in grouped.items():
        summary = summarise(items)
        result.append(
            UnitSummary(
                unit, summary.items, summary.states, summary.completion, partnered.get(unit, 0)
            )
        )
    return tuple(result)


# --- the report as an outline: headings, paragraphs, fields and tables of plain text ----------
# Markdown, HTML and Word render the same outline, so the three carry the same words and numbers.


class Heading(NamedTuple):
    level: int
    """0 is the document's title; 1 a section (一、), 2 a 实事 or a leader, 3 an item."""
    text: str


class Paragraph(NamedTuple):
    text: str
    centered: bool = False


class Field(NamedTuple):
    """A labelled value (任务内容：…); several lines become a list; ``share`` draws a bar."""

    label: str
    lines: tuple[str, ...]
    share: float | None = None
    links: tuple[str, ...] = ()
    """For each line, a file it names, relative to the workspace (where a format can link)."""


def text_width(text: str) -> int:
    """How wide a text sets in a document or a spreadsheet, in half-widths: a Chinese (wide)
    character counts as two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


class Table(NamedTuple):
    name: str
    """What the table holds (lights, states, overdue, due-next): a class in HTML, for tests."""
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


class Chart(NamedTuple):
    """Where a format that can draw puts a chart (the HTML timeline); others skip it."""

    name: str


Block = Heading | Paragraph | Field | Table | Chart


def report_title(report: Report) -> str:
    workspace = report.snapshot.ledger.workspace
    return _("{title}: {kind}").format(title=workspace.title, kind=report_kind_label(report.period))


def report_outline(report: Report) -> list[Block]:
    return [
        *header_blocks(report),
        *summary_blocks(report),
        *project_blocks(report),
        *overdue_blocks(report),
        *interview_blocks(report),
        *due_next_blocks(report),
    ]


def header_blocks(report: Report) -> list[Block]:
    workspace = report.snapshot.ledger.workspace
    # the notice the list was issued by, not this bulletin's own number (it has none)
    basis = (
        [_("under {document}").format(document=workspace.document)] if workspace.document else []
    )
    as_of = _("as of {date}").format(date=long_date(report.snapshot.as_of))
    version = (
        [_("data version: {version}").format(version=report.data_version)]
        if report.data_version
        else []
    )
    return [
        Heading(0, report_title(report)),
        Paragraph(f"（{period_label(report.period)}）", centered=True),
        Paragraph("　".join([*basis, as_of, *version]), centered=True),
    ]


LIGHT_ORDER = (Light.GREEN, Light.YELLOW, Light.RED, Light.DONE)


def summary_blocks(report: Report) -> list[Block]:
    summary = report.summary
    lights = tuple(summary.lights[light] for light in LIGHT_ORDER)
    states = tuple(summary.states[state] for state in State)
    overview = _(
        "{projects} 实事 with {items} items; of {milestones} milestones {met} are met and"
        " {overdue} overdue; overall completion {completion}."
    ).format(
        projects=len(report.projects),
        items=summary.items,
        milestones=summary.milestones,
        met=summary.met,
        overdue=summary.states[State.OVERDUE],
        completion=percent_text(summary.completion),
    )
    behind = ngettext(
        "{count} item is behind 序时 (by more than {days} days).",
        "{count} items are behind 序时 (by more than {days} days).",
        summary.behind_plan,
    ).format(count=summary.behind_plan, days=report.snapshot.ledger.workspace.tolerance_days)
    return [
        Heading(1, _("1. Overview")),
        Paragraph(_("{overview} {behind}").format(overview=overview, behind=behind)),
        Table(
            "lights",
            (_("Light"), *(light_label(light) for light in LIGHT_ORDER), _("Total")),
            ((_("Items"), *map(str, lights), str(summary.items)),),
        ),
        Table(
            "states",
            (_("State"), *(state_label(state) for state in State), _("Total")),
            ((_("Milestones"), *map(str, states), str(summary.milestones)),),
        ),
        Field(_("Overall completion"), (percent_text(summary.completion),), summary.completion),
        Chart("timeline"),
    ]


def project_blocks(report: Report) -> list[Block]:
    blocks: list[Block] = [Heading(1, _("2. Progress of each 实事"))]
    for project in report.projects:
        blocks.append(Heading(2, f"{project.id}. {project.name}"))
        for item in project.items:
            blocks += item_blocks(item, report.snapshot, report.escalated.get(item.item.ref))
    return blocks


def item_blocks(
    report: ItemReport, snapshot: Snapshot, escalation: Escalation | None = None
) -> list[Block]:
    item, status = report.item, report.status
    unit = units_label(item)
    heading = (
        _("{ref} {unit} (leader: {leader})").format(ref=item.ref, unit=unit, leader=item.leader)
        if item.leader
        else f"{item.ref} {unit}"
    )
    progress = _("{progress}, light {light}").format(
        progress=percent_text(status.progress), light=light_label(status.light)
    )
    achieved = [achieved_line(m) for m in report.achieved]
    if report.reported:
        achieved.append(
            _("reported: {amounts}").format(amounts=amounts_text(report.reported, item))
        )
    plan = [measure_line(m) for m in status.measures] if status.light is not Light.DONE else []
    tolerance = snapshot.ledger.workspace.tolerance_days
    adjusted = tuple(adjustment_text(m) for m in status.milestones if m.adjustment)
    return [
        Heading(3, heading),
        Field(_("Content"), (item.content,)),
        *([Field(_("Sites"), ("、".join(item.sites),))] if item.sites else []),
        *(
            [Field(_("Investment"), (investment_text(item, status.values),))]
            if item.investment is not None
            else []
        ),
        Field(_("Progress"), (progress,), status.progress),
        *([Field(_("Against 序时"), tuple(plan))] if plan else []),
        Field(_("Why this light"), (light_reason(status, snapshot.as_of, tolerance),)),
        *([Field(_("Slipping"), (escalation.flag,))] if escalation else []),
        *([Field(_("Adjusted"), adjusted)] if adjusted else []),
        Field(_("Planned in the period"), lines_or_none(planned_line(m) for m in report.planned)),
        Field(_("Achieved in the period"), lines_or_none(achieved)),
        Field(_("Late"), lines_or_none(late_line(m) for m in report.late)),
        *([evidence_field(report.evidence)] if report.evidence else []),
    ]


def evidence_field(evidence: Sequence[tuple[date, str, Attachment]]) -> Field:
    """佐证材料: each file attached in the period, by its record's date, after the milestone it
    belongs to (“2023-08-01 开工建设：验收证书.pdf（48 KB）”); HTML links each."""
    lines = tuple(
        f"{day.isoformat()} {for_ + '：' if for_ else ''}{a.name}（{file_size(a.size)}）"
        for day, for_, a in evidence
    )
    return Field(_("Evidence"), lines, links=tuple(a.path for _day, _for, a in evidence))


def lines_or_none(lines: Iterable[str]) -> tuple[str, ...]:
    return tuple(lines) or (_("(none)"),)


def milestone_text(status: MilestoneStatus) -> str:
    """The milestone's text, with its sub-track when it has one (two tracks may both 开工建设)."""
    milestone = status.milestone
    return f"{milestone.text}（{milestone.track}）" if milestone.track else milestone.text


def planned_line(status: MilestoneStatus) -> str:
    return _("{deadline} ({due}) {text}: {state}").format(
        deadline=deadline_label(status),
        due=iso(status.due),
        text=milestone_text(status),
        state=state_text(status),
    )


def state_text(status: MilestoneStatus) -> str:
    """The state's label; 逾期完成 says by how many days (逾期完成（逾期10天）)."""
    if status.state is State.MET_LATE:
        return ngettext(
            "met late ({days} day late)", "met late ({days} days late)", status.days_late
        ).format(days=status.days_late)
    return state_label(status.state)


def achieved_line(status: MilestoneStatus) -> str:
    """“6月底 完成工程量的100%：2023-07-10完成”, or “…：2023-07-10逾期完成（逾期10天）”."""
    if status.state is State.MET_LATE:
        return ngettext(
            "{deadline} {text}: met late on {date} ({days} day late)",
            "{deadline} {text}: met late on {date} ({days} days late)",
            status.days_late,
        ).format(
            deadline=deadline_label(status),
            text=milestone_text(status),
            date=iso(status.met_on),
            days=status.days_late,
        )
    return _("{deadline} {text}: met on {date}").format(
        deadline=deadline_label(status), text=milestone_text(status), date=iso(status.met_on)
    )


# --- why an item has its light ------------------------------------------------------------------


def measure_line(measure: Measure) -> str:
    """“法律援助案件：完成120件，序时进度140件，滞后20件，约31天” (or 达到序时)."""
    return _("{name}: {actual}{unit} done, {expected}{unit} by 序时; {behind}").format(
        name=measure_name(measure.name),
        actual=format_amount(measure.actual),
        expected=plan_amount(measure.expected, measure.total),
        unit=measure.unit,
        behind=behind_text(measure),
    )


def behind_text(measure: Measure) -> str:
    if measure.behind_days <= 0:
        return _("on plan")
    return ngettext(
        "{amount}{unit} behind, about {days} day",
        "{amount}{unit} behind, about {days} days",
        measure.behind_days,
    ).format(
        amount=plan_amount(measure.behind, measure.total),
        unit=measure.unit,
        days=measure.behind_days,
    )


def plan_amount(value: float, total: float) -> str:
    """A 序时 amount to its target's precision (13个 of 15), but never a positive one shown as 0:
    0.39个 of 2 is 0.4个."""
    shown = planned_amount(value, total)
    if value > 0 and float(shown) == 0:
        return format_amount(float(f"{value:.1g}"))
    return shown


def light_reason(status: ItemStatus, as_of: date, tolerance_days: int) -> str:
    """One line on why the item has its light: 红 the most overdue milestone, 黄 the measure
    furthest behind 序时 or the milestone falling due, 绿 on plan and what is next, ✓ all met."""
    reason = {
        Light.RED: red_reason,
        Light.YELLOW: yellow_reason,
        Light.GREEN: green_reason,
        Light.DONE: done_reason,
    }[status.light](status, as_of, tolerance_days)
    return _("{light}: {reason}").format(light=light_name(status.light), reason=reason)


def light_name(light: Light) -> str:
    """红灯, 黄灯, 绿灯; ✓ as it is."""
    if light is Light.DONE:
        return light_label(light)
    return _("{light} light").format(light=light_label(light))


def red_reason(status: ItemStatus, as_of: date, tolerance_days: int) -> str:
    overdue = [m for m in status.milestones if m.state is State.OVERDUE]
    worst = max(overdue, key=lambda m: m.days_late)
    reason = _("{deadline} {text} {lateness}").format(
        deadline=deadline_label(worst), text=milestone_text(worst), lateness=lateness(worst)
    )
    if len(overdue) > 1:
        others = len(overdue) - 1
        reason += ngettext(
            ", and {count} more milestone overdue", ", and {count} more milestones overdue", others
        ).format(count=others)
    return reason


def yellow_reason(status: ItemStatus, as_of: date, tolerance_days: int) -> str:
    reasons = []
    behind = [m for m in status.measures if m.behind_days > 0]
    if status.behind_plan and behind:
        worst = max(behind, key=lambda m: m.behind_days)
        reasons.append(
            ngettext(
                "{name} {amount}{unit} behind 序时, about {days} day",
                "{name} {amount}{unit} behind 序时, about {days} days",
                worst.behind_days,
            ).format(
                name=measure_name(worst.name),
                amount=plan_amount(worst.behind, worst.total),
                unit=worst.unit,
                days=worst.behind_days,
            )
        )
    soon = [m for m in status.milestones if m.state is State.DUE_SOON]
    if soon:
        first = min(soon, key=lambda m: m.due or date.max)
        days = ((first.due or as_of) - as_of).days
        reasons.append(
            ngettext(
                "{deadline} {text} falls due in {days} day ({due})",
                "{deadline} {text} falls due in {days} days ({due})",
                days,
            ).format(
                deadline=deadline_label(first),
                text=milestone_text(first),
                days=days,
                due=iso(first.due),
            )
        )
    return _("; ").join(reasons)


def green_reason(status: ItemStatus, as_of: date, tolerance_days: int) -> str:
    if any(m.behind_days > 0 for m in status.measures):
        reason = _("behind 序时 by no more than {days} days, nothing overdue").format(
            days=tolerance_days
        )
    elif status.measures:
        reason = _("on plan, nothing overdue")
    else:
        reason = _("nothing overdue")
    upcoming = status.next_due
    if upcoming is None:
        return reason
    return _("{reason}; next: {deadline} {text} ({due})").format(
        reason=reason,
        deadline=deadline_label(upcoming),
        text=milestone_text(upcoming),
        due=iso(upcoming.due),
    )


def done_reason(status: ItemStatus, as_of: date, tolerance_days: int) -> str:
    count = len(status.milestones)
    late = sum(1 for m in status.milestones if m.state is State.MET_LATE)
    reason = ngettext(
        "the {count} milestone is met", "all {count} milestones are met", count
    ).format(count=count)
    if late:
        reason += _(", {count} of them late").format(count=late)
    return reason


def late_line(status: MilestoneStatus) -> str:
    return _("{deadline} ({due}) {text}: {lateness}").format(
        deadline=deadline_label(status),
        due=iso(status.due),
        text=milestone_text(status),
        lateness=lateness(status),
    )


def interview_blocks(report: Report) -> list[Block]:
    """约谈: the items slipping at enough month-ends running that a leader talks to the unit."""
    interviews = [e for e in report.escalated.values() if e.level is Level.INTERVIEW]
    if not interviews:
        return []
    items = {item.ref: item for item in report.snapshot.ledger.items}
    headers = (_("Leader"), _("Unit"), _("No."), _("Slipping"))
    rows = tuple((items[e.item].leader, items[e.item].unit, e.item, e.flag) for e in interviews)
    return [Heading(2, _("For an interview (约谈)")), Table("interviews", headers, rows)]


def overdue_blocks(report: Report) -> list[Block]:
    """The overdue milestones under each 责任领导, with their units; a ledger without leaders has
    them under each 责任单位 (the lead) instead, its partners named beside the milestone."""
    by_leader = any(group.leader for group in report.overdue)
    heading = _("3. Overdue, by leader") if by_leader else _("3. Overdue, by unit")
    blocks: list[Block] = [Heading(1, heading)]
    if not report.overdue:
        return [*blocks, Paragraph(_("Nothing is overdue."))]
    sections: dict[str, list[MilestoneStatus]] = {}
    for group in report.overdue:
        for status in group.milestones:
            key = group.leader if by_leader else status.item.unit
            sections.setdefault(key, []).append(status)
    headers = (
        *((_("Unit"),) if by_leader else ()),
        _("No."),
        _("Deadline"),
        _("Due"),
        _("Days late"),
        _("Milestone"),
        _("Required"),
        _("Recorded"),
    )
    for name, late in sections.items():
        title = _("{leader}: {count} overdue").format(leader=name or "—", count=len(late))
        rows = tuple((*((m.item.unit,) if by_leader else ()), *_overdue_cells(m)) for m in late)
        blocks += [Heading(2, title), Table("overdue", headers, rows)]
    return blocks


def _overdue_cells(status: MilestoneStatus) -> tuple[str, ...]:
    return (
        f"{status.item.ref}#{status.milestone.number}",
        deadline_label(status),
        iso(status.due),
        str(status.days_late),
        "；".join(filter(None, (milestone_text(status), partners_text(status.item)))),
        required_text(status),
        recorded_text(status),
    )


def due_next_blocks(report: Report) -> list[Block]:
    if report.next_period is None:
        return [
            Heading(1, _("4. Due in the next period")),
            Paragraph(_("This is the last period of the year.")),
        ]
    title = _("4. Due in the next period ({period})").format(
        period=period_label(report.next_period)
    )
    if not report.due_next:
        return [Heading(1, title), Paragraph(_("(none)"))]
    headers = (
        _("No."),
        _("Project"),
        _("Unit"),
        _("Leader"),
        _("Deadline"),
        _("Due"),
        _("Milestone"),
        _("State"),
    )
    rows = tuple(
        (
            f"{m.item.ref}#{m.milestone.number}",
            m.item.project_name,
            m.item.unit,
            m.item.leader,
            deadline_label(m),
            iso(m.due),
            milestone_text(m),
            state_label(m.state),
        )
        for m in report.due_next
    )
    return [Heading(1, title), Table("due-next", headers, rows)]
