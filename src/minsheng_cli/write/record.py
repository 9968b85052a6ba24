"""Recording progress: the checks an update must pass, and the append-only writer.

A record is one line added at the end of its 实事's file, under a top-level ``records:`` list, so
a file's diff shows only the new line: comments, key order, quoting, BOM and CRLF stay as the
person left them. The new text is parsed and validated before it replaces the old file.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from minsheng_cli.core.evaluate import (
    Clock,
    Light,
    State,
    evaluate_item,
    evaluate_milestones,
    tick_date,
    value_timeline,
)
from minsheng_cli.errors import LedgerProblems, UsageError, WriteRefused
from minsheng_cli.i18n import _
from minsheng_cli.ledger import yamltext
from minsheng_cli.ledger.build import build_project
from minsheng_cli.ledger.deadlines import DeadlineError, DueKind, parse_deadline
from minsheng_cli.ledger.model import (
    PERCENT_KEY,
    Attachment,
    Item,
    Ledger,
    Milestone,
    Project,
    Record,
    Workspace,
    measure_name,
)
from minsheng_cli.store.atomic import write_atomic
from minsheng_cli.store.load import read_project_data
from minsheng_cli.text import format_amount

RECORDS_KEY = "records"
DEFAULT_INDENT = "  "


@dataclass(frozen=True, slots=True)
class Update:
    """What the clerk asked to record, before it is checked."""

    day: date
    values: Mapping[str, float]
    by: str = ""
    note: str = ""
    correct: bool = False
    confirmed: bool = False
    """--yes: the clerk has checked a value far above its target (see IMPLAUSIBLE_SHARE)."""


class ValueRefused(UsageError):
    """A value refused by one of the rules of values; ``message`` words it for the command line,
    ``rule`` and ``facts`` let a form (write.batch) word it for the unit and the clerk."""

    def __init__(self, message: str, rule: str, **facts: str) -> None:
        super().__init__(message)
        self.rule = rule
        self.facts = facts


IMPLAUSIBLE_SHARE = 1.5
"""A value above 150% of its target is more likely a slip (an extra 0, the year's figure
for the month's) than a real overachievement: it is recorded only with --yes."""


@dataclass(slots=True)
class Checked:
    fields: dict[str, Any]
    warnings: list[str] = field(default_factory=list)


def check_update(item: Item, update: Update, workspace: Workspace, today: date) -> Checked:
    """Refuse what cannot be true; warn about what is surprising (超额完成). Pure."""
    _check_day(update.day, workspace, today, item)
    if not update.values:
        raise UsageError(_("nothing to record: give --percent P or --set INDICATOR=VALUE"))
    if update.correct and not update.note:
        raise UsageError(_("a correction needs --note saying why the earlier number was wrong"))
    warnings: list[str] = []
    for name, value in update.values.items():
        warnings += _check_value(item, name, value, update)
    fields: dict[str, Any] = {"date": update.day, "item": item.number}
    if update.by:
        fields["by"] = update.by
    numbers = {k: _plain_number(v) for k, v in update.values.items() if k != PERCENT_KEY}
    if numbers:
        fields["set"] = numbers
    if PERCENT_KEY in update.values:
        fields["percent"] = _plain_number(update.values[PERCENT_KEY])
    if update.correct:
        fields["correct"] = True
    if update.note:
        fields["note"] = update.note
    return Checked(fields, warnings)


def repeated_record(item: Item, update: Update) -> Record | None:
    """An earlier record of ``item`` that says the same: same day, reporter and values. Pure."""
    for record in item.records:
        if record.done is not None or record.undone is not None:
            continue
        if (record.date, record.by, record.correct) != (update.day, update.by, update.correct):
            continue
        if dict(record.values) == dict(update.values):
            return record
    return None


def _plain_number(value: float) -> int | float:
    return int(value) if value == int(value) else value


def check_evidence_only(item: Item, update: Update, workspace: Workspace, today: date) -> Checked:
    """`update REF --attach FILE` with no values: a record of the item's evidence alone. Files
    may come after 31 December for an item complete by then (a late certificate). Pure."""
    _check_day(update.day, workspace, today, item, evidence_only=True)
    if update.correct:
        raise UsageError(_("nothing to record: give --percent P or --set INDICATOR=VALUE"))
    fields: dict[str, Any] = {"date": update.day, "item": item.number}
    if update.by:
        fields["by"] = update.by
    if update.note:
        fields["note"] = update.note
    return Checked(fields)


def check_attach_to(
    item: Item,
    milestone: Milestone,
    day: date,
    period: int | None,
    workspace: Workspace,
    today: date,
) -> None:
    """`done REF N --attach FILE` on a milestone already ticked off: files added to it. Pure."""
    _check_day(day, workspace, today, item, evidence_only=True)
    _check_period(item, milestone, period)


def repeated_attachments(
    item: Item, attachments: Sequence[Attachment], milestone: Milestone | None, period: int | None
) -> Record | None:
    """An earlier record that already carries every one of these files, for ``milestone`` (its
    tick, or files added to it) or, with None, for the item (any record of it). Pure."""
    wanted = {a.sha256 for a in attachments}
    for record in item.records:
        if milestone is not None and not (
            record.period == period and (record.ticks(milestone) or record.attaches(milestone))
        ):
            continue
        if wanted <= {a.sha256 for a in record.attachments}:
            return record
    return None


def _check_day(
    day: date, workspace: Workspace, today: date, item: Item, *, evidence_only: bool = False
) -> None:
    if workspace.year_end < day <= workspace.records_until:
        if not evidence_only:
            _check_late(item, day, workspace)
    elif day > workspace.records_until:
        raise UsageError(
            _(
                "the date {day} is after {until}, the last day work past the year may be"
                " recorded (late_until: in minsheng.yaml)"
            ).format(day=day.isoformat(), until=workspace.records_until.isoformat())
        )
    elif day.year != workspace.year:
        raise UsageError(
            _(
                "the date {day} is outside the ledger's year {year}; give the day it happened"
                " with --date, e.g. --date {year}-06-30"
            ).format(day=day.isoformat(), year=workspace.year)
        )
    if day > today:
        raise UsageError(
            _("the date {day} is in the future (today is {today})").format(
                day=day.isoformat(), today=today.isoformat()
            )
        )


def _check_late(item: Item, day: date, workspace: Workspace) -> None:
    """Past 31 December only an item not complete by then takes more progress (a late finish)."""
    year_end = Clock(workspace.year_end, workspace.year, workspace.warning_days)
    if evaluate_item(Ledger(workspace, ()), item, year_end).light is Light.DONE:
        raise UsageError(
            _(
                "{ref} was complete by 31 December; a record dated {day} belongs to no open work"
                " of {year}"
            ).format(ref=item.ref, day=day.isoformat(), year=workspace.year)
        )


def _check_value(item: Item, name: str, value: float, update: Update) -> list[str]:
    if name == PERCENT_KEY:
        if not 0 <= value <= 100:
            raise ValueRefused(
                _("--percent must be between 0 and 100, not {value}").format(
                    value=format_amount(value)
                ),
                "percent",
                name=measure_name(name),
                value=format_amount(value),
            )
        total, unit = 100.0, "%"
    elif item.records_investment(name):
        total, unit = item.investment or 0.0, item.investment_unit
    else:
        indicator = item.indicator(name)
        if indicator is None:
            known = "、".join(i.name for i in item.indicators) or _("(none)")
            raise UsageError(
                _("{ref} has no indicator “{name}”; its indicators: {known}").format(
                    ref=item.ref, name=name, known=known
                )
            )
        total, unit = indicator.target, indicator.unit
    if value < 0:
        raise UsageError(
            _("{name} cannot be negative ({value})").format(
                name=measure_name(name), value=format_amount(value)
            )
        )
    _check_against_history(item, name, value, update)
    if total > 0 and value > IMPLAUSIBLE_SHARE * total and not update.confirmed:
        facts = {
            "name": measure_name(name),
            "value": format_amount(value),
            "unit": unit,
            "share": format_amount(round(value / total * 100)),
            "total": format_amount(total),
        }
        raise ValueRefused(
            _(
                "{name} {value}{unit} is {share}% of the target {total}{unit}, more than 150%;"
                " nothing was recorded. Check the number; if it is right, run the command again"
                " with --yes"
            ).format(**facts),
            "implausible",
            **facts,
        )
    if value > total:
        return [
            _("{name} {value}{unit} exceeds the target {total}{unit} (超额完成)").format(
                name=measure_name(name),
                value=format_amount(value),
                unit=unit,
                total=format_amount(total),
            )
        ]
    return []


def _check_against_history(item: Item, name: str, value: float, update: Update) -> None:
    """Values are cumulative: a lower number than the last report of it, or a higher one than the
    next, needs --correct and a note. A rate is a level, not a count: a lower report is news, not
    a correction."""
    if item.is_rate(name):
        return
    # only the records that report this measure: a later record of other indicators carries
    # this one's value forward in the item's timeline, but says nothing about it
    timeline = value_timeline(r for r in item.records if name in r.values)
    before = [values[name] for day, values in timeline if day <= update.day]
    after = [(day, values[name]) for day, values in timeline if day > update.day]
    shown = {"name": measure_name(name), "value": format_amount(value)}
    if before and value < before[-1] and not update.correct:
        last = format_amount(before[-1])
        raise ValueRefused(
            _(
                "{name} {value} is below the last recorded {last}; values are cumulative."
                " If the earlier number was wrong, add --correct --note WHY"
            ).format(last=last, **shown),
            "below",
            last=last,
            **shown,
        )
    if after and value > after[0][1] and not update.correct:
        later = {"later": format_amount(after[0][1]), "day": after[0][0].isoformat()}
        raise ValueRefused(
            _(
                "{name} {value} is above the {later} already recorded for {day}; values are"
                " cumulative. Check --date (the day of this report), or if {later} was wrong,"
                " record the right number with --correct --note WHY"
            ).format(**later, **shown),
            "above",
            **later,
            **shown,
        )


def check_tick(
    item: Item,
    milestone: Milestone,
    day: date,
    undo: bool,
    period: int | None,
    workspace: Workspace,
    today: date,
) -> None:
    """done/undone: only milestones without numeric targets, never twice in a row."""
    _check_day(day, workspace, today, item)
    _check_period(item, milestone, period)
    if period is not None and not undo and day.year == workspace.year and period > day.month:
        raise UsageError(
            _(
                "{month}月 is still to come on {day}: a month is ticked off once it is done"
                " (check --period, or give the day it was done with --date)"
            ).format(month=period, day=day.isoformat())
        )
    ticked = tick_date(milestone, item.records, period)
    if undo and ticked is not None and day < ticked:
        raise UsageError(
            _(
                "{ref}#{number} was ticked off on {ticked}; a tick cannot be taken back before it"
                " was made ({day})"
            ).format(
                ref=item.ref,
                number=milestone.number,
                ticked=ticked.isoformat(),
                day=day.isoformat(),
            )
        )
    if undo and ticked is None:
        raise UsageError(
            _("{ref}#{number} is not ticked off; nothing to take back").format(
                ref=item.ref, number=milestone.number
            )
        )
    if not undo and ticked is not None:
        which = f"{item.ref}#{milestone.number}" + (f"（{period}月）" if period else "")
        raise UsageError(
            _("{ref} was already ticked off on {day}").format(ref=which, day=ticked.isoformat())
        )
    last = max(
        (r.date for r in item.records if r.period == period and r.ticks(milestone) is not None),
        default=None,
    )
    if last is not None and day < last:
        # ticks are read in date order: one dated before the last tick or take-back changes nothing
        raise UsageError(
            _(
                "{ref}#{number} was last ticked or taken back on {last}; date this record"
                " on or after it"
            ).format(ref=item.ref, number=milestone.number, last=last.isoformat())
        )


def _check_period(item: Item, milestone: Milestone, period: int | None) -> None:
    """Only a milestone without numeric targets is ticked; only a monthly duty has months."""
    if milestone.targets:
        raise UsageError(
            _(
                "{ref}#{number} ({text}) is met when its numbers are reached, not by a tick;"
                " record them with `minsheng update`"
            ).format(ref=item.ref, number=milestone.number, text=milestone.text)
        )
    if period is not None and not 1 <= period <= 12:
        raise UsageError(_("--period must be 1–12, not {month}").format(month=period))
    if period is not None and milestone.kind.value != "monthly":
        raise UsageError(
            _("--period is for monthly duties (逐月); {ref}#{number} has one due date").format(
                ref=item.ref, number=milestone.number
            )
        )


def record_text(fields: Mapping[str, Any]) -> str:
    """One record as a single flow-style YAML line; PyYAML does the quoting."""
    dumped = yaml.safe_dump(
        dict(fields), default_flow_style=True, allow_unicode=True, sort_keys=False, width=10**6
    )
    return dumped.strip()


def appended(raw: bytes, fields: Mapping[str, Any], file: str) -> bytes:
    """The file's bytes with one record added at the end, in the file's own line endings."""
    newline = b"\r\n" if b"\r\n" in raw else b"\n"
    text = yamltext.decode(raw)
    indent = _records_indent(text, file)
    head = raw if raw.endswith(b"\n") or not raw else raw + newline
    if indent is None:
        head += b"records:" + newline
        indent = DEFAULT_INDENT
    line = f"{indent}- {record_text(fields)}".encode().replace(b"\n", newline)  # a long note
    return head + line + newline


def _records_indent(text: str, file: str) -> str | None:
    """The indentation of the existing records list, or None if the file has none yet."""
    node = yamltext.compose(text)
    if not isinstance(node, yaml.MappingNode) or not node.value:
        raise WriteRefused(_("{file} is not a task file (no top-level keys)").format(file=file))
    keys = [k.value for k, _v in node.value]
    if RECORDS_KEY not in keys:
        return None
    key_node, value_node = node.value[keys.index(RECORDS_KEY)]
    if keys[-1] != RECORDS_KEY:
        raise WriteRefused(
            _(
                "{file}:{line}: records: must be the file's last key so that new records can be"
                " appended; move it to the end"
            ).format(file=file, line=key_node.start_mark.line + 1)
        )
    if isinstance(value_node, yaml.ScalarNode) and value_node.value == "":
        return DEFAULT_INDENT
    if not isinstance(value_node, yaml.SequenceNode) or value_node.flow_style:
        raise WriteRefused(
            _(
                "{file}:{line}: records: must be a block list; write “records:” alone on its"
                " line (not “records: []”)"
            ).format(file=file, line=key_node.start_mark.line + 1)
        )
    if not value_node.value:
        return DEFAULT_INDENT
    return " " * value_node.start_mark.column


def write_record(file: Path, fields: Mapping[str, Any], workspace: Workspace) -> None:
    """Append one record; validate the whole new file first, so a refusal writes nothing.

    The caller holds the workspace lock.
    """
    shown = (
        file.relative_to(workspace.root).as_posix()
        if file.is_relative_to(workspace.root)
        else str(file)
    )
    if not os.access(file, os.W_OK):  # a rename would replace it all the same
        raise WriteRefused(
            _(
                "{file} is read-only; make it writable if it should take records"
                " (nothing was recorded)"
            ).format(file=shown)
        )
    raw = file.read_bytes()
    new = appended(raw, fields, shown)
    data = read_project_data(file, new)
    problems = data if isinstance(data, list) else build_project(data, file, workspace)[1]
    errors = [p for p in problems if not p.warning]
    if errors:
        raise LedgerProblems(errors, workspace.root)
    try:
        write_atomic(file, new)
    except OSError as exc:
        raise WriteRefused(
            _("could not write {file} ({error}); it is unchanged and nothing was recorded").format(
                file=shown, error=exc.strerror or exc
            )
        ) from exc


@dataclass(frozen=True, slots=True)
class Reschedule:
    """A deadline or targets moved by approval, as the clerk asked to record it."""

    day: date
    to: str | None
    targets: Mapping[str, float]
    approval: str
    by: str = ""
    note: str = ""


def check_reschedule(
    item: Item, milestone: Milestone, change: Reschedule, workspace: Workspace, today: date
) -> list[str]:
    """Refuse a change without approval, to nothing, to an unreadable deadline or to a target the
    milestone does not have; warn when the milestone was already overdue on the day. Pure."""
    _check_day(change.day, workspace, today, item)
    if not change.approval:
        raise UsageError(
            _("a reschedule needs --approval: who approved the change, and where (会议纪要, 文号)")
        )
    if change.to is None and not change.targets:
        raise UsageError(_("nothing to change: give --to DEADLINE or --target NAME=VALUE"))
    if milestone.kind is DueKind.MONTHLY:
        raise UsageError(_("a monthly duty (逐月) cannot be rescheduled"))
    if change.to is not None:
        _check_new_deadline(change.to, workspace)
    for name in change.targets:
        if name not in milestone.targets:
            known = "、".join(measure_name(n) for n in milestone.targets) or "—"
            raise UsageError(
                _("“{name}” is not a target of {ref}#{number}; its targets: {known}").format(
                    name=measure_name(name), ref=item.ref, number=milestone.number, known=known
                )
            )
    return _overdue_when_approved(item, milestone, change.day, workspace)


def _check_new_deadline(written: str, workspace: Workspace) -> None:
    try:
        due = parse_deadline(written, workspace.year, workspace.rules)
    except DeadlineError as exc:
        raise UsageError(
            _("--to: {problem}; write it as the notice does (9月底, 年底) or as {example}").format(
                problem=exc, example=f"{workspace.year}-09-30"
            )
        ) from None
    if due.date is None:
        raise UsageError(
            _("“{deadline}” is not a date; move it to a dated deadline (9月底)").format(
                deadline=written
            )
        )


def _overdue_when_approved(
    item: Item, milestone: Milestone, day: date, workspace: Workspace
) -> list[str]:
    """Refuse a milestone already met by the day of the approval; warn when it was overdue (the
    days it was late stay on record)."""
    project = Project(item.project, item.project_name, (item,), item.file)
    statuses = evaluate_milestones(Ledger(workspace, (project,)), day - timedelta(days=1))
    found = next(s for s in statuses.milestones if s.milestone.number == milestone.number)
    where = {"ref": item.ref, "number": milestone.number}
    if found.state.is_met and found.met_on is not None:
        raise UsageError(
            _("{ref}#{number} was met on {met}; there is nothing to reschedule").format(
                met=found.met_on.isoformat(), **where
            )
        )
    if found.state is not State.OVERDUE or found.due is None:
        return []
    return [
        _(
            "{ref}#{number} was already {days} days overdue ({deadline}); the adjustment keeps"
            " those days on record"
        ).format(days=(day - found.due).days, deadline=found.milestone.deadline, **where)
    ]
