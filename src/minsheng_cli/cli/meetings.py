"""The commands of the monthly dispatch meeting: meeting, meetings, changes, unreported.

Meetings are points in git's history (tags); `changes` reads two of them without checking
anything out; `unreported` (催报) needs only the ledger.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from minsheng_cli import clock
from minsheng_cli.cli.common import print_json, print_json_value, say, workspace
from minsheng_cli.cli.options import JsonOption, MonthOption, UnitOption, clean_text
from minsheng_cli.errors import EXIT_PROBLEMS, LedgerProblems, UsageError
from minsheng_cli.i18n import _, ngettext

if TYPE_CHECKING:
    from minsheng_cli.core.changes import Changes, RecordChange
    from minsheng_cli.core.evaluate import MilestoneStatus
    from minsheng_cli.core.unreported import Unreported
    from minsheng_cli.ledger.model import Item, Ledger, Record
    from minsheng_cli.write.history import Change, Point

commands = typer.Typer()


@commands.command(
    help=_("Mark a dispatch meeting: a git tag meeting-YYYY-MM-DD on the current commit.")
)
def meeting(
    ctx: typer.Context,
    day: Annotated[
        str | None, typer.Option("--date", help=_("The meeting's day (default: today)."))
    ] = None,
    note: Annotated[str, typer.Option("--note", help=_("What the meeting decided."))] = "",
    by: Annotated[
        str, typer.Option("--by", help=_("Who marks it (default: git's user name)."))
    ] = "",
    replace: Annotated[
        bool,
        typer.Option("--replace", help=_("Move the day's meeting tag to the current commit.")),
    ] = False,
) -> None:
    from minsheng_cli.core.asof import parse_day
    from minsheng_cli.write.history import mark_meeting

    when = parse_day(day) if day is not None else clock.today()
    marked = mark_meeting(
        workspace(ctx).root(),
        when,
        clean_text(note, "--note"),
        clean_text(by, "--by", one_line=True),
        replace=replace,
    )
    say(_("marked {tag} on commit {commit}").format(tag=marked.tag, commit=marked.commit[:7]))


@commands.command(help=_("The dispatch meetings marked in git, oldest first."))
def meetings(ctx: typer.Context, as_json: JsonOption = False) -> None:
    from minsheng_cli.write.history import meetings as all_meetings

    found = all_meetings(workspace(ctx).root())
    if as_json:
        print_json(
            {
                "tag": m.tag,
                "date": m.day.isoformat(),
                "commit": m.commit,
                "note": m.note,
                "by": m.by,
            }
            for m in found
        )
        return
    if not found:
        say(_("no meeting is marked yet; `minsheng meeting` marks one"))
        return
    for m in found:
        note = " ".join(m.note.split())
        say(f"{m.tag}  {m.commit[:7]}  {m.by}  {note}".rstrip())


@commands.command(
    help=_("What changed between two meetings (default: since the last one, up to now).")
)
def changes(
    ctx: typer.Context,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help=_("From this meeting, date or git revision (default: the last meeting)."),
            metavar="MEETING|DATE|REV",
        ),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(
            "--until",
            help=_("Up to this meeting, date or git revision (default: the last commit)."),
            metavar="MEETING|DATE|REV",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    from minsheng_cli.core.changes import changes as diff
    from minsheng_cli.core.evaluate import evaluate
    from minsheng_cli.write.history import changes_between, head_point

    root = workspace(ctx).root()
    start = _since_point(root, since)
    end = _point(root, until) if until is not None else head_point(root, clock.today())
    ledgers = _readable_ledgers(root, [start, end])
    before_ledger = ledgers[0] or _empty_like(ledgers[1])
    after_ledger = ledgers[1] or _empty_like(before_ledger)
    if before_ledger is None or after_ledger is None:
        raise UsageError(_("neither point's ledger can be read"))
    before = evaluate(before_ledger, start.day)
    after = evaluate(after_ledger, end.day, day_over=until is not None)
    found = diff(before, after)
    commits = changes_between(root, start.commit, end.commit)
    if as_json:
        print_json_value(_changes_json(root, start, end, found, commits))
        return
    _print_changes(root, start, end, found, commits)


def _point(root: Path, text: str) -> Point:
    from minsheng_cli.write.history import resolve_point

    return resolve_point(root, text)


def _since_point(root: Path, since: str | None) -> Point:
    from minsheng_cli.write.history import Point, last_meeting

    if since is not None:
        return _point(root, since)
    last = last_meeting(root)
    if last is None:
        raise UsageError(
            _("no meeting is marked yet: give --since DATE, or mark one with `minsheng meeting`")
        )
    return Point(last.commit, last.tag, last.day, last.tag)


def _readable_ledgers(root: Path, points: list[Point]) -> list[Ledger | None]:
    """The ledger as committed at each point, all read together; what cannot be read is said,
    and left out (None: not even its minsheng.yaml)."""
    from minsheng_cli.cli.common import ledgers_at

    try:
        results = ledgers_at(root, [point.commit for point in points])
    except LedgerProblems:  # a minsheng.yaml that cannot be read: each point on its own
        return [_readable_ledger(root, point) for point in points]
    for point, result in zip(points, results, strict=True):
        if result.errors:
            _say_unreadable(point, result.errors[0].render(root), len(result.errors))
    return [result.ledger for result in results]


def _readable_ledger(root: Path, point: Point) -> Ledger | None:
    from minsheng_cli.cli.common import ledgers_at

    try:
        result = ledgers_at(root, [point.commit])[0]
    except LedgerProblems as broken:
        _say_unreadable(point, broken.problems[0].render(root), len(broken.problems))
        return None
    if result.errors:
        _say_unreadable(point, result.errors[0].render(root), len(result.errors))
    return result.ledger


def _say_unreadable(point: Point, first: str, count: int) -> None:
    say(
        ngettext(
            "warning: the ledger as committed in {commit} ({label}) has {count} problem, its"
            " file is left out: {first}",
            "warning: the ledger as committed in {commit} ({label}) has {count} problems, their"
            " files are left out: {first}",
            count,
        ).format(commit=point.commit[:7], label=point.label, count=count, first=first),
        err=True,
    )


def _empty_like(ledger: Ledger | None) -> Ledger | None:
    return None if ledger is None else ledger._replace(projects=())


def _recorded_in(
    root: Path, start: Point, end: Point, records: tuple[RecordChange, ...], commits: list[Change]
) -> dict[int, Change]:
    """Each record's commit: the one that added its first line to its file (git blame from
    ``start`` to ``end``), so every record of a form's commit names that commit."""
    from minsheng_cli.write.audit import relative
    from minsheng_cli.write.history import line_commits

    blamed: dict[str, dict[int, str]] = {}
    matched: dict[int, Change] = {}
    for index, added in enumerate(records):
        line = added.record.line
        if line is None:
            continue
        path = relative(root, added.item.file)
        if path not in blamed:
            blamed[path] = line_commits(root, start.commit, end.commit, path)
        full = blamed[path].get(line)
        change = next((c for c in commits if full and full.startswith(c.commit)), None)
        if change is not None:
            matched[index] = change
    return matched


def record_text(change: RecordChange) -> str:
    from minsheng_cli.render.labels import amounts_text

    record: Record = change.record
    parts = []
    if record.values:
        parts.append(amounts_text(record.values, change.item))
    if record.done is not None:
        parts.append(_("ticked off {milestone}").format(milestone=record.done))
    if record.undone is not None:
        parts.append(_("tick taken back: {milestone}").format(milestone=record.undone))
    if record.reschedule is not None:
        parts.append(reschedule_text(record, change.item))
    if record.attach_to is not None:
        parts.append(_("files added: {text}").format(text=record.attach_to))
    elif record.only_attaches:
        parts.append(_("files of the item"))
    if record.period is not None:
        parts.append(f"{record.period}月")
    if record.correct:
        parts.append(_("correction"))
    return "，".join(parts)


def reschedule_text(record: Record, item: Item) -> str:
    from minsheng_cli.render.labels import amounts_text

    moved = [f"→ {record.to}"] if record.to is not None else []
    if record.targets:
        moved.append("→ " + amounts_text(record.targets, item))
    return _("adjusted {milestone} {moved}; approved by {approval}").format(
        milestone=record.reschedule, moved=" ".join(moved), approval=record.approval
    )


def milestone_text(status: MilestoneStatus) -> str:
    from minsheng_cli.render.labels import deadline_label

    milestone = status.milestone
    return f"{status.item.ref}#{milestone.number} {deadline_label(status)} {milestone.text}"


def _point_text(point: Point) -> str:
    return f"{point.label} ({point.day.isoformat()}, {point.commit[:7]})"


def _print_changes(
    root: Path, start: Point, end: Point, found: Changes, commits: list[Change]
) -> None:
    from minsheng_cli.render.labels import light_label

    say(
        _("changes from {since} to {until}").format(
            since=_point_text(start), until=_point_text(end)
        )
    )
    matched = _recorded_in(root, start, end, found.added, commits)
    records = []
    for index, added in enumerate(found.added):
        line = f"{added.item.ref} {record_text(added)} ({added.record.date.isoformat()}"
        if added.record.by:
            line += f", {added.record.by}"
        commit = matched.get(index)
        if commit is not None:
            line += ", " + _("recorded {when} by {author}, {commit}").format(
                when=commit.when, author=commit.author, commit=commit.commit
            )
        records.append(line + ")")
    corrections = [
        f"{c.item.ref} {record_text(c)} ({c.record.date.isoformat()})" for c in found.corrections
    ]
    hand = [
        f"{c.commit} {c.when} {c.author}: {c.subject} ({', '.join(c.files)})"
        for c in commits
        if not c.is_record
    ]
    sections = (
        (_("records added"), records),
        (_("corrections and undos"), corrections),
        (
            _("deadlines and targets adjusted"),
            [
                f"{c.item.ref} {record_text(c)} ({c.record.date.isoformat()})"
                for c in found.reschedules
            ],
        ),
        (_("milestones newly met"), [milestone_text(m) for m in found.newly_met]),
        (_("milestones newly overdue"), [milestone_text(m) for m in found.newly_overdue]),
        (
            _("lights that changed"),
            [
                f"{c.item.ref} {c.item.content}: {light_label(c.before)} → {light_label(c.after)}"
                for c in found.lights
            ],
        ),
        (_("files edited by hand"), hand),
        (
            _("records gone"),
            [f"{c.item.ref} {record_text(c)} ({c.record.date.isoformat()})" for c in found.removed],
        ),
    )
    shown = False
    for title, lines in sections:
        if lines:
            shown = True
            say(f"{title} ({len(lines)}):")
            for line in lines:
                say(f"  {line}")
    if not shown:
        say(_("nothing changed"))


def _changes_json(
    root: Path, start: Point, end: Point, found: Changes, commits: list[Change]
) -> dict[str, Any]:
    matched = _recorded_in(root, start, end, found.added, commits)
    commit_of = {id(found.added[index]): commit for index, commit in matched.items()}

    def record_json(change: RecordChange, commit: Change | None = None) -> dict[str, Any]:
        record = change.record
        return {
            "item": change.item.ref,
            "date": record.date.isoformat(),
            "by": record.by,
            "values": dict(record.values),
            "done": record.done,
            "undone": record.undone,
            "period": record.period,
            "correct": record.correct,
            "reschedule": record.reschedule,
            "attach_to": record.attach_to,
            "to": record.to,
            "targets": dict(record.targets),
            "approval": record.approval,
            "note": record.note,
            "commit": commit.commit if commit else None,
            "recorded": commit.when if commit else None,
            "author": commit.author if commit else None,
        }

    def milestone_json(status: MilestoneStatus) -> dict[str, Any]:
        return {
            "item": status.item.ref,
            "milestone": status.milestone.number,
            "period": status.period,
            "text": status.milestone.text,
            "due": status.due.isoformat() if status.due else None,
            "state": status.state.value,
        }

    return {
        "since": _point_json(start),
        "until": _point_json(end),
        "records": [record_json(c, matched.get(i)) for i, c in enumerate(found.added)],
        "corrections": [record_json(c, commit_of.get(id(c))) for c in found.corrections],
        "reschedules": [record_json(c, commit_of.get(id(c))) for c in found.reschedules],
        "newly_met": [milestone_json(m) for m in found.newly_met],
        "newly_overdue": [milestone_json(m) for m in found.newly_overdue],
        "lights": [
            {"item": c.item.ref, "before": c.before.value, "after": c.after.value}
            for c in found.lights
        ],
        "hand_edits": [
            {
                "commit": c.commit,
                "when": c.when,
                "author": c.author,
                "subject": c.subject,
                "files": list(c.files),
            }
            for c in commits
            if not c.is_record
        ],
        "records_gone": [record_json(c) for c in found.removed],
    }


def _point_json(point: Point) -> dict[str, Any]:
    return {"label": point.label, "commit": point.commit, "date": point.day.isoformat()}


@commands.command(
    help=_(
        "催报: per 责任单位, the items with open targets and no report in the month: exit 1 if any."
    )
)
def unreported(
    ctx: typer.Context,
    month: MonthOption = None,
    since_meeting: Annotated[
        bool,
        typer.Option(
            "--since-meeting", help=_("No report dated since the last meeting, not in a month.")
        ),
    ] = False,
    unit: UnitOption = None,
    as_json: JsonOption = False,
) -> None:
    from minsheng_cli.cli.common import filtered_ledger, of_unit_and_leader
    from minsheng_cli.core.unreported import unreported as owed

    ledger = filtered_ledger(ctx, unit, None)
    start, end, period = _report_period(ctx, ledger, month, since_meeting)
    aliases = ledger.workspace.aliases
    found = [u for u in owed(ledger, start, end) if of_unit_and_leader(u.item, unit, None, aliases)]
    if as_json:
        print_json(_unreported_json(u) for u in found)
    else:
        _print_unreported(found, period)
    if found:
        raise typer.Exit(EXIT_PROBLEMS)


def _report_period(
    ctx: typer.Context, ledger: Ledger, month: int | None, since_meeting: bool
) -> tuple[date, date, str]:
    """The period a report is owed for: month N, since the last meeting, or this month."""
    from minsheng_cli.ledger.deadlines import month_end

    today = clock.today()
    if since_meeting:
        if month is not None:
            raise UsageError(_("give either --month or --since-meeting, not both"))
        from minsheng_cli.write.history import last_meeting

        last = last_meeting(workspace(ctx).root())
        if last is None:
            raise UsageError(_("no meeting is marked yet; `minsheng meeting` marks one"))
        start = last.day + timedelta(days=1)
        return start, max(today, start), _("since {tag}").format(tag=last.tag)
    if month is None:
        if today.year != ledger.year:
            raise UsageError(
                _("today ({today}) is outside the ledger's year {year}; give --month N").format(
                    today=today.isoformat(), year=ledger.year
                )
            )
        month = today.month
    if not 1 <= month <= 12:
        raise UsageError(_("--month must be 1–12, not {month}").format(month=month))
    return date(ledger.year, month, 1), month_end(ledger.year, month), f"{month}月"


def _unreported_json(entry: Unreported) -> dict[str, Any]:
    item = entry.item
    return {
        "unit": item.unit,
        "leader": item.leader,
        "item": item.ref,
        "content": item.content,
        "last_report": entry.last_report.isoformat() if entry.last_report else None,
        "open_milestones": list(entry.open_milestones),
    }


def _print_unreported(found: list[Unreported], period: str) -> None:
    if not found:
        say(_("every item with open targets has reported ({period})").format(period=period))
        return
    unit = None
    for entry in found:
        if entry.item.unit != unit:
            unit = entry.item.unit
            say(f"{unit}:")
        last = entry.last_report.isoformat() if entry.last_report else _("never")
        say(
            "  "
            + _("{item} {content}: last report {last}").format(
                item=entry.item.ref, content=entry.item.content, last=last
            )
        )
    say(
        ngettext(
            "{count} item has not reported ({period})",
            "{count} items have not reported ({period})",
            len(found),
        ).format(count=len(found), period=period)
    )
