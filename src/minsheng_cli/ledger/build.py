"""Validated plain data → domain objects, and the checks that need more than one field.

Deadline words, date order, cumulative targets, references from records to items, indicators and
milestones, and duplicate 序号 across files. Every problem carries its file and line.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from minsheng_cli.errors import Problem
from minsheng_cli.i18n import _
from minsheng_cli.ledger.deadlines import (
    DeadlineCell,
    DeadlineError,
    Due,
    DueKind,
    UnclearDeadline,
    parse_deadline,
    split_deadline_cell,
)
from minsheng_cli.ledger.model import (
    PERCENT_KEY,
    Attachment,
    Indicator,
    Item,
    Milestone,
    Project,
    Record,
    Track,
    Workspace,
    measure_name,
)
from minsheng_cli.text import format_amount

YEAR_END_WORDS = "年底"


class _Collector:
    def __init__(self, file: Path) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def error(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(self.file, line, message))

    def warn(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(self.file, line, message, warning=True))


def build_project(
    data: Mapping[str, Any], file: Path, workspace: Workspace
) -> tuple[Project, list[Problem]]:
    found = _Collector(file)
    records = [_record(r) for r in data.get("records", [])]
    by_item: dict[int, list[Record]] = defaultdict(list)
    for record in records:
        by_item[record.item].append(record)
    items = tuple(
        _item(raw, number, data, file, workspace, tuple(by_item.get(number, ())), found)
        for number, raw in enumerate(data["items"], start=1)
    )
    for record in records:
        if record.item > len(items):
            found.error(
                record.line,
                _("the record names item {item}, but this 实事 has {count} items").format(
                    item=record.item, count=len(items)
                ),
            )
        if workspace.year_end < record.date <= workspace.records_until:
            continue  # late work on an item not yet complete (`update` checks which)
        if record.date > workspace.records_until:
            found.error(
                record.line,
                _(
                    "the record is dated {day}, after {until}, the last day work past the year"
                    " may be recorded (late_until: in minsheng.yaml)"
                ).format(day=record.date.isoformat(), until=workspace.records_until.isoformat()),
            )
        elif record.date.year != workspace.year:
            found.error(
                record.line,
                _("the record is dated {day}, outside the ledger's year {year}").format(
                    day=record.date.isoformat(), year=workspace.year
                ),
            )
    if data.get("records_flow_line"):
        found.warn(
            data["records_flow_line"],
            _(
                "records: is written as a flow list ([…]); `update` and `done` can only append to"
                " “records:” written alone on its line with one “- ” per record"
            ),
        )
    project = Project(data["id"], data["name"], items, file, data.get("line"))
    return project, found.problems


def given(raw: Mapping[str, Any], kind: type[tuple[Any, ...]]) -> dict[str, Any]:
    """The fields of ``kind`` that ``raw`` gives (validated data leaves defaults out): the rest
    take the defaults ``ledger.model`` defines, the format's only ones."""
    fields: tuple[str, ...] = getattr(kind, "_fields")  # noqa: B009 - any NamedTuple class
    return {field: raw[field] for field in fields if field in raw}


def _record(raw: Mapping[str, Any]) -> Record:
    values = dict(raw.get("set", {}))
    if raw.get("percent") is not None:
        values[PERCENT_KEY] = raw["percent"]
    fields = given(raw, Record) | {"date": date.fromisoformat(raw["date"]), "values": values}
    fields["targets"] = dict(raw.get("targets", {}))
    if raw.get("deadline") is not None:
        fields["deadline"] = str(raw["deadline"])
    if raw.get("to") is not None:
        fields["to"] = str(raw["to"])
    if "attachments" in raw:
        fields["attachments"] = tuple(
            Attachment(**given(a, Attachment)) for a in raw["attachments"]
        )
    return Record(**fields)


def _item(
    raw: Mapping[str, Any],
    number: int,
    project: Mapping[str, Any],
    file: Path,
    workspace: Workspace,
    records: tuple[Record, ...],
    found: _Collector,
) -> Item:
    indicators = tuple(Indicator(**given(i, Indicator)) for i in raw.get("indicators", []))
    _check_indicator_names(indicators, raw.get("line"), found)
    groups: list[tuple[str | None, list[Mapping[str, Any]]]] = [(None, raw.get("milestones", []))]
    tracks = tuple(Track(**given(t, Track)) for t in raw.get("tracks", []))
    groups += [(t["heading"], t.get("milestones", [])) for t in raw.get("tracks", [])]
    milestones: list[Milestone] = []
    running: dict[str, float] = {}
    for heading, group in groups:
        built = [
            _milestone(m, len(milestones) + k, heading, workspace, found, running)
            for k, m in enumerate(group, start=1)
        ]
        _check_order(built, found)
        milestones.extend(built)
    _check_targets(milestones, indicators, found)
    _check_twins(milestones, found)
    milestones.extend(_implied_milestones(milestones, indicators, len(milestones), workspace))
    item = Item(
        project=project["id"],
        project_name=project["name"],
        number=number,
        content=raw["content"],
        leader=raw.get("leader", ""),
        unit=raw.get("unit", ""),
        partners=_partners(raw, found),
        **_investment(raw.get("investment")),
        sites=tuple(raw.get("sites", [])),
        note=raw.get("note", ""),
        indicators=indicators,
        milestones=tuple(milestones),
        tracks=tracks,
        records=records,
        file=file,
        line=raw.get("line"),
    )
    _check_records(item, found)
    _check_reschedules(item, workspace, found)
    return item


def _partners(raw: Mapping[str, Any], found: _Collector) -> tuple[str, ...]:
    """配合单位, each once and none the lead unit itself."""
    partners = tuple(raw.get("partners", []))
    for name in partners:
        if name == raw.get("unit") or partners.count(name) > 1:
            found.error(
                raw.get("line"),
                _(
                    "the unit “{unit}” is named twice among unit: and partners:; name it once"
                ).format(unit=name),
            )
            return tuple(dict.fromkeys(p for p in partners if p != raw.get("unit")))
    return partners


def _investment(raw: Mapping[str, Any] | None) -> dict[str, Any]:
    """计划投资 and its unit, as the item's fields (none given: the model's defaults)."""
    if raw is None:
        return {}
    return {
        "investment": raw["planned"],
        **({"investment_unit": raw["unit"]} if "unit" in raw else {}),
    }


def _check_twins(milestones: list[Milestone], found: _Collector) -> None:
    """Two milestones with the same track, deadline and text could not be told apart by a tick."""
    seen: set[tuple[str | None, str, str]] = set()
    for milestone in milestones:
        identity = (milestone.track, milestone.deadline, milestone.text)
        if identity in seen:
            found.error(
                milestone.line,
                _(
                    "this milestone repeats another's deadline and text ({deadline} {text});"
                    " merge them or tell them apart"
                ).format(deadline=milestone.deadline, text=milestone.text),
            )
        seen.add(identity)


def _check_indicator_names(
    indicators: tuple[Indicator, ...], line: int | None, found: _Collector
) -> None:
    seen: set[str] = set()
    for indicator in indicators:
        if indicator.name == PERCENT_KEY:
            found.error(line, _("“percent” is reserved for work percentages; rename the indicator"))
        if indicator.name in seen:
            found.error(
                line, _("the indicator “{name}” is listed twice").format(name=indicator.name)
            )
        seen.add(indicator.name)


def _milestone(
    raw: Mapping[str, Any],
    number: int,
    track: str | None,
    workspace: Workspace,
    found: _Collector,
    running: dict[str, float],
) -> Milestone:
    """A milestone; a deadline cell that carries the action ("5月底前动工") gives the text and
    the work percentage the milestone does not give itself. ``running``: each indicator's
    cumulative target so far in the item, which an increment (add:) adds to."""
    line = raw.get("line")
    targets = dict(raw.get("targets", {}))
    for name, increment in raw.get("add", {}).items():
        targets[name] = running.get(name, 0.0) + increment
    running.update(targets)
    if raw.get("percent") is not None:
        targets[PERCENT_KEY] = raw["percent"]
    cell, parsed = _deadline_cell(str(raw["deadline"]), line, workspace, found)
    text = raw.get("text") or cell.rest
    if not text:
        found.error(line, _("“{field}” is missing; add it").format(field="text"))
    if cell.percent is not None and PERCENT_KEY not in targets:
        targets[PERCENT_KEY] = cell.percent
    kind, due = (parsed.kind, parsed.date) if parsed else (DueKind.ONGOING, None)
    if kind is DueKind.MONTHLY and targets:
        found.error(line, _("a monthly duty (逐月) cannot have cumulative targets"))
    return Milestone(number, cell.deadline, kind, due, text, targets, track, False, line)


def _deadline_cell(
    written: str, line: int | None, workspace: Workspace, found: _Collector
) -> tuple[DeadlineCell, Due | None]:
    """The deadline as the time and the rest of its cell, and what the time means (None: an
    error, reported)."""
    alone = _time_alone(written, workspace)  # the common case: read once, not split
    if alone is not None:
        if alone.warning:
            found.warn(line, alone.warning)
        return DeadlineCell(written, "", None), alone
    try:
        cell = split_deadline_cell(written, workspace.year, workspace.rules)
        parsed = _parsed(cell.deadline, workspace)
    except UnclearDeadline as exc:  # it already says what to write
        found.error(line, str(exc))
        return DeadlineCell(written, "", None), None
    except DeadlineError as exc:
        found.error(
            line,
            _(
                "{problem}; write it as the notice does (3月中旬, 5月底前, 年底) or as {example}"
            ).format(problem=exc, example=f"{workspace.year}-05-31"),
        )
        return DeadlineCell(written, "", None), None
    if parsed.warning:
        found.warn(line, parsed.warning)
    return cell, parsed


def _parsed(deadline: str, workspace: Workspace) -> Due:
    return parse_deadline(deadline, workspace.year, workspace.rules)


def _time_alone(written: str, workspace: Workspace) -> Due | None:
    """What ``written`` means when it is a time and nothing else (None: it is not, or is wrong;
    the split then says which)."""
    if written != written.strip():
        return None
    try:
        return _parsed(written, workspace)
    except DeadlineError:
        return None


def _check_order(milestones: list[Milestone], found: _Collector) -> None:
    previous: Milestone | None = None
    for milestone in milestones:
        if milestone.due is None:
            continue
        if previous is not None and previous.due is not None and milestone.due < previous.due:
            found.error(
                milestone.line,
                _(
                    "milestones out of date order: “{this}” ({due}) comes after “{before}”"
                    " ({before_due}); put them in the order they fall due"
                ).format(
                    this=milestone.deadline,
                    due=milestone.due.isoformat(),
                    before=previous.deadline,
                    before_due=previous.due.isoformat(),
                ),
            )
        previous = milestone


def _check_targets(
    milestones: list[Milestone], indicators: tuple[Indicator, ...], found: _Collector
) -> None:
    totals = {i.name: i.target for i in indicators}
    totals[PERCENT_KEY] = 100.0
    reached: dict[str, tuple[float, Milestone]] = {}
    dated = sorted(
        (m for m in milestones if m.due is not None), key=lambda m: (m.due or date.min, m.number)
    )
    for milestone in dated:
        for name, value in milestone.targets.items():
            if name not in totals:
                known = "、".join(i.name for i in indicators) or _("(none)")
                found.error(
                    milestone.line,
                    _(
                        "the target “{name}” is not an indicator of this item (indicators: {known})"
                    ).format(name=name, known=known),
                )
                continue
            if value > totals[name]:
                found.error(
                    milestone.line,
                    _("the target {name} {value} exceeds the indicator's total {total}").format(
                        name=name, value=format_amount(value), total=format_amount(totals[name])
                    ),
                )
            earlier = reached.get(name)
            if earlier is not None and value < earlier[0]:
                found.error(
                    milestone.line,
                    _(
                        "cumulative targets must not decrease: {name} {value} here,"
                        " but {earlier} by {deadline}"
                    ).format(
                        name=name,
                        value=format_amount(value),
                        earlier=format_amount(earlier[0]),
                        deadline=earlier[1].deadline,
                    ),
                )
            reached[name] = (value, milestone)


def _implied_milestones(
    milestones: list[Milestone], indicators: tuple[Indicator, ...], count: int, workspace: Workspace
) -> list[Milestone]:
    """An indicator whose milestones stop short of its total (or that none targets) falls due
    in full at year end (当年完成), unless the item's work plan reaches 100% by a dated milestone,
    which completes every target of the item."""
    if any(m.targets.get(PERCENT_KEY) == 100 for m in milestones):
        return []
    reached: dict[str, float] = {}
    for milestone in milestones:
        for name, value in milestone.targets.items():
            reached[name] = max(value, reached.get(name, value))
    short = [i for i in indicators if reached.get(i.name, 0.0) < i.target]
    return [
        Milestone(
            number=count + k,
            deadline=YEAR_END_WORDS,
            kind=DueKind.DATE,
            due=workspace.year_end,
            text=_implied_text(indicator),
            targets={indicator.name: indicator.target},
            implied=True,
        )
        for k, indicator in enumerate(short, start=1)
    ]


def _implied_text(indicator: Indicator) -> str:
    """In the notice's own words: 完成新生儿听力筛查350人, 新生儿听力筛查率达到90%."""
    amount = format_amount(indicator.target) + indicator.unit
    if indicator.unit == "%":
        return f"{indicator.name}达到{amount}"
    return f"完成{indicator.name}{amount}"


def _check_reschedules(item: Item, workspace: Workspace, found: _Collector) -> None:
    """A reschedule names one dated milestone of the item, a deadline that parses, and targets
    the milestone has."""
    for record in item.records:
        if record.reschedule is None:
            continue
        named = [m for m in item.milestones if record.moves(m)]
        if len(named) != 1:
            found.error(
                record.line,
                _(
                    "the record reschedules “{text}”, which is not one milestone of {ref};"
                    " name it as `minsheng show {ref}` writes it"
                ).format(text=record.reschedule, ref=item.ref),
            )
            continue
        milestone = named[0]
        if milestone.kind is DueKind.MONTHLY:
            found.error(record.line, _("a monthly duty (逐月) cannot be rescheduled"))
        if record.to is not None:
            _check_new_deadline(record.to, record.line, workspace, found)
        for name in record.targets:
            if name not in milestone.targets:
                found.error(
                    record.line,
                    _("“{name}” is not a target of “{text}”").format(
                        name=measure_name(name), text=milestone.text
                    ),
                )


def _check_new_deadline(
    written: str, line: int | None, workspace: Workspace, found: _Collector
) -> None:
    try:
        due = parse_deadline(written, workspace.year, workspace.rules)
    except DeadlineError as exc:
        found.error(line, str(exc))
        return
    if due.date is None:
        found.error(
            line,
            _("“{deadline}” is not a date; move it to a dated deadline (9月底)").format(
                deadline=written
            ),
        )


def _check_records(item: Item, found: _Collector) -> None:
    for record in item.records:
        for name in record.values:
            if (
                name != PERCENT_KEY
                and item.indicator(name) is None
                and not item.records_investment(name)
            ):
                found.error(
                    record.line,
                    _("the record sets “{name}”, which is not an indicator of {ref}").format(
                        name=name, ref=item.ref
                    ),
                )
        if record.attach_to is not None:
            _check_attach_to(item, record, found)
        ticked = record.done or record.undone
        if ticked is None:
            continue
        named = [m for m in item.milestones if record.ticks(m) is not None]
        if not named:
            found.error(
                record.line,
                _("the record ticks “{text}”, which is not a milestone of {ref}").format(
                    text=ticked, ref=item.ref
                ),
            )
        elif len(named) > 1:
            where = "、".join(f"{m.track or ''} {m.deadline}".strip() for m in named)
            found.error(
                record.line,
                _(
                    "“{text}” names more than one milestone of {ref} ({where}); add track: or"
                    " deadline: to the record"
                ).format(text=ticked, ref=item.ref, where=where),
            )
        elif named[0].targets:
            found.error(
                record.line,
                _(
                    "“{text}” is met by its numbers, so a tick does not count; record the numbers"
                    " with `minsheng update` and remove this record"
                ).format(text=ticked),
            )
        elif named[0].kind is DueKind.MONTHLY and record.period is None:
            found.error(record.line, _("a tick of a monthly duty needs period: (1–12)"))


def _check_attach_to(item: Item, record: Record, found: _Collector) -> None:
    """Files added to a milestone name exactly one, as a tick does (a monthly duty's month too)."""
    named = [m for m in item.milestones if record.attaches(m)]
    if not named:
        found.error(
            record.line,
            _("the record adds files to “{text}”, which is not a milestone of {ref}").format(
                text=record.attach_to, ref=item.ref
            ),
        )
    elif len(named) > 1:
        where = "、".join(f"{m.track or ''} {m.deadline}".strip() for m in named)
        found.error(
            record.line,
            _(
                "“{text}” names more than one milestone of {ref} ({where}); add track: or"
                " deadline: to the record"
            ).format(text=record.attach_to, ref=item.ref, where=where),
        )
    elif named[0].kind is DueKind.MONTHLY and record.period is None:
        found.error(record.line, _("files added to a monthly duty name its month: period: (1–12)"))


def check_across_projects(projects: Iterable[Project]) -> list[Problem]:
    by_id: dict[int, list[Project]] = defaultdict(list)
    for project in projects:
        by_id[project.id].append(project)
    problems = []
    for number, same in by_id.items():
        if len(same) < 2:
            continue
        files = ", ".join(p.file.name for p in same)
        for project in same:
            problems.append(
                Problem(
                    project.file,
                    project.line,
                    _(
                        "序号 {id} is used by more than one file ({files}); give each 实事 its own"
                    ).format(id=number, files=files),
                )
            )
    return problems
