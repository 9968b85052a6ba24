"""The two writes a clerk makes: record progress (update) and tick a milestone off (done).

Each runs under the workspace lock: load, check, append, validate, replace, commit. A refusal
writes nothing; a failed commit leaves the recorded change on disk and says so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from minsheng_cli.core.evaluate import tick_date
from minsheng_cli.errors import GitError, UsageError
from minsheng_cli.i18n import _
from minsheng_cli.ledger.model import PERCENT_KEY, Item, Milestone, Record, Workspace
from minsheng_cli.ledger.refs import resolve_item, resolve_milestone
from minsheng_cli.store.atomic import clear_leftovers, workspace_lock
from minsheng_cli.store.load import TASKS_DIR, load_for_ref
from minsheng_cli.text import format_amount
from minsheng_cli.write.audit import (
    ITEM_TRAILER,
    REPORTER_TRAILER,
    GitKilled,
    commit,
    commit_content,
    committed_text,
    has_changes,
    in_work_tree,
    ready_to_commit,
    refresh_index,
    relative,
    saved_but,
)
from minsheng_cli.write.evidence import (
    Attach,
    Evidence,
    attachment_fields,
    clear_evidence_leftovers,
    discard,
    evidence_trailers,
    read_evidence,
    record_attachments,
    store_evidence,
)
from minsheng_cli.write.intent import recover
from minsheng_cli.write.record import (
    Reschedule,
    Update,
    check_attach_to,
    check_evidence_only,
    check_reschedule,
    check_tick,
    check_update,
    repeated_attachments,
    repeated_record,
    write_record,
)

WORK_DONE = "工程进度"
"""The commit subject names the work percentage in the ledger's language, whatever the UI's."""


@dataclass(slots=True)
class Outcome:
    """What was written, what git made of it, and anything the clerk should know."""

    item: Item
    summary: str
    fields: Mapping[str, Any]
    warnings: list[str] = field(default_factory=list)
    commit: str | None = None
    audit_problem: str | None = None
    audit_off: bool = False
    pending: str | None = None
    """The commit that first saved changes the file already had (a --no-commit record, an edit)."""
    evidence: list[Path] = field(default_factory=list)
    """The stored files the record names (evidence/…), committed with it."""


def update_message(item: Item, fields: Mapping[str, Any], day: date) -> str:
    """`update 3.2 户厕改造 900/1310 (2023-07-28)`: the commit subject and the echo to the clerk."""
    parts = []
    for name, value in fields.get("set", {}).items():
        indicator = item.indicator(name)
        total = f"/{format_amount(indicator.target)}" if indicator else ""
        parts.append(f"{name} {format_amount(value)}{total}")
    if PERCENT_KEY in fields:
        parts.append(f"{WORK_DONE} {format_amount(fields[PERCENT_KEY])}%")
    verb = "correct" if fields.get("correct") else "update"
    return f"{verb} {item.ref} {', '.join(parts)} ({day.isoformat()})"


def record_update(
    root: Path,
    ref: str,
    update: Update,
    today: date,
    *,
    make_commit: bool = True,
    attach: Sequence[Attach] = (),
) -> Outcome:
    with workspace_lock(root):
        clear_leftovers((root, root / TASKS_DIR))
        restored = [m for m in [recover(root)] if m]
        clear_evidence_leftovers(root)
        ledger = load_for_ref(root, ref)
        item = resolve_item(ledger, ref)
        evidence_only = bool(attach) and not update.values
        if evidence_only:
            checked = check_evidence_only(item, update, ledger.workspace, today)
        else:
            checked = check_update(item, update, ledger.workspace, today)
        evidence = read_evidence(attach, ledger.workspace)
        if evidence:
            checked.fields["attachments"] = attachment_fields(evidence)
        pending, failed = commit_pending(root, item.file, ledger.items, make_commit)
        if evidence_only:
            summary = attach_message(item, None, update.day, None)
            earlier = repeated_attachments(item, [e.attachment for e in evidence], None, None)
        else:
            summary = update_message(item, checked.fields, update.day)
            earlier = repeated_record(item, update)
        _refuse_repeat(root, item, earlier, summary, pending, make_commit)
        stored = _write_with_evidence(root, item.file, checked.fields, ledger.workspace, evidence)
        outcome = Outcome(item, summary, checked.fields, checked.warnings, pending=pending)
        outcome.warnings[:0] = restored
        outcome.evidence = stored
        _commit(root, outcome, update.by, update.note, make_commit, failed)
    return outcome


def _write_with_evidence(
    root: Path,
    file: Path,
    fields: Mapping[str, Any],
    workspace: Workspace,
    evidence: Sequence[Evidence],
) -> list[Path]:
    """Store the attached files, then append the record that names them; a refused record takes
    back the files this call stored. The stored files the record names, to commit with it."""
    written = store_evidence(root, evidence)
    try:
        write_record(file, fields, workspace)
    except BaseException:
        discard(written)
        raise
    return [root / e.attachment.path for e in evidence]


def record_tick(
    root: Path,
    ref: str,
    milestone_ref: str,
    day: date,
    today: date,
    *,
    undo: bool = False,
    period: int | None = None,
    by: str = "",
    note: str = "",
    evidence: str = "",
    make_commit: bool = True,
    attach: Sequence[Attach] = (),
) -> Outcome:
    with workspace_lock(root):
        clear_leftovers((root, root / TASKS_DIR))
        restored = [m for m in [recover(root)] if m]
        clear_evidence_leftovers(root)
        ledger = load_for_ref(root, ref)
        item = resolve_item(ledger, ref)
        milestone = resolve_milestone(item, milestone_ref, to_tick=True)
        period = _period_for(milestone.kind.value, period, day)
        if undo and not note:
            raise UsageError(_("taking a tick back needs --note saying why"))
        # files for a milestone already ticked off are added to it, as a record of their own
        adds_files = (
            bool(attach) and not undo and tick_date(milestone, item.records, period) is not None
        )
        if adds_files:
            check_attach_to(item, milestone, day, period, ledger.workspace, today)
        else:
            check_tick(item, milestone, day, undo, period, ledger.workspace, today)
        fields: dict[str, Any] = {"date": day, "item": item.number}
        if by:
            fields["by"] = by
        fields["attach_to" if adds_files else "undone" if undo else "done"] = milestone.text
        fields.update(tick_identity(item, milestone))
        if period is not None:
            fields["period"] = period
        if evidence:
            fields["evidence"] = evidence
        if note:
            fields["note"] = note
        files = read_evidence(attach, ledger.workspace)
        if files:
            fields["attachments"] = attachment_fields(files)
        pending, failed = commit_pending(root, item.file, ledger.items, make_commit)
        if adds_files:
            summary = attach_message(item, milestone, day, period)
            attached = [f.attachment for f in files]
            earlier = repeated_attachments(item, attached, milestone, period)
            _refuse_repeat(root, item, earlier, summary, pending, make_commit)
        else:
            summary = tick_message(item, milestone, day, period, undo)
        stored = _write_with_evidence(root, item.file, fields, ledger.workspace, files)
        outcome = Outcome(item, summary, fields, pending=pending, evidence=stored)
        outcome.warnings[:0] = restored
        _commit(root, outcome, by, tick_body(fields), make_commit, failed)
    return outcome


def record_reschedule(
    root: Path,
    ref: str,
    milestone_ref: str,
    change: Reschedule,
    today: date,
    *,
    make_commit: bool = True,
) -> Outcome:
    """Record a deadline or targets moved by approval: the task file's milestone stays as the
    notice wrote it, and the record says from which day the new one holds."""
    with workspace_lock(root):
        clear_leftovers((root, root / TASKS_DIR))
        restored = [m for m in [recover(root)] if m]
        ledger = load_for_ref(root, ref)
        item = resolve_item(ledger, ref)
        milestone = resolve_milestone(item, milestone_ref)
        warnings = check_reschedule(item, milestone, change, ledger.workspace, today)
        fields: dict[str, Any] = {"date": change.day, "item": item.number}
        if change.by:
            fields["by"] = change.by
        fields["reschedule"] = milestone.text
        fields.update(tick_identity(item, milestone))
        if change.to is not None:
            fields["to"] = change.to
        if change.targets:
            fields["targets"] = {n: _plain(v) for n, v in change.targets.items()}
        fields["approval"] = change.approval
        if change.note:
            fields["note"] = change.note
        pending, failed = commit_pending(root, item.file, ledger.items, make_commit)
        write_record(item.file, fields, ledger.workspace)
        summary = reschedule_message(item, milestone, fields)
        outcome = Outcome(item, summary, fields, warnings, pending=pending)
        outcome.warnings[:0] = restored
        _commit(root, outcome, change.by, reschedule_body(fields), make_commit, failed)
    return outcome


def _plain(value: float) -> int | float:
    return int(value) if value == int(value) else value


def reschedule_message(item: Item, milestone: Milestone, fields: Mapping[str, Any]) -> str:
    """`reschedule 3.2#2 完成施工图设计 3月底 → 9月底 (2023-07-01)`: the subject and the echo."""
    moves = []
    if fields.get("to") is not None:
        moves.append(f"{milestone.deadline} → {fields['to']}")
    for name, value in fields.get("targets", {}).items():
        before = format_amount(milestone.targets.get(name, 0))
        named = WORK_DONE if name == PERCENT_KEY else name
        moves.append(f"{named} {before} → {format_amount(value)}")
    day: date = fields["date"]
    return (
        f"reschedule {item.ref}#{milestone.number} {milestone.text} {', '.join(moves)}"
        f" ({day.isoformat()})"
    )


def reschedule_body(fields: Mapping[str, Any]) -> str:
    return "\n".join(str(fields[key]) for key in ("approval", "note") if fields.get(key))


def tick_message(
    item: Item, milestone: Milestone, day: date, period: int | None, undo: bool
) -> str:
    """`done 7.2#2 按时兑付 3月 (2023-03-31)`: the commit subject and the echo to the clerk."""
    month = f" {period}月" if period else ""
    verb = "undo" if undo else "done"
    return f"{verb} {item.ref}#{milestone.number} {milestone.text}{month} ({day.isoformat()})"


def attach_message(item: Item, milestone: Milestone | None, day: date, period: int | None) -> str:
    """`attach 3.1#1 开工建设 (2023-07-28)`, `attach 3.2 (2023-07-28)`: files added afterwards."""
    named = f"#{milestone.number} {milestone.text}" if milestone is not None else ""
    month = f" {period}月" if period else ""
    return f"attach {item.ref}{named}{month} ({day.isoformat()})"


def tick_body(fields: Mapping[str, Any]) -> str:
    return "\n".join(str(fields[key]) for key in ("evidence", "note") if fields.get(key))


def tick_identity(item: Item, milestone: Milestone) -> dict[str, str]:
    """What a tick must add to the milestone's text to name it alone: its track, its deadline."""
    same_text = [m for m in item.milestones if m.text == milestone.text]
    extra: dict[str, str] = {}
    if len(same_text) > 1 and milestone.track is not None:
        extra["track"] = milestone.track
        same_text = [m for m in same_text if m.track == milestone.track]
    if len(same_text) > 1:
        extra["deadline"] = milestone.deadline
    return extra


def _period_for(kind: str, period: int | None, day: date) -> int | None:
    """A monthly duty is ticked month by month; by default, the month of the tick's date."""
    if kind != "monthly":
        return period  # None, or a mistake that check_tick refuses
    return period if period is not None else day.month


def _refuse_repeat(
    root: Path,
    item: Item,
    earlier: Record | None,
    summary: str,
    pending: str | None,
    make_commit: bool,
) -> None:
    """The same report again (the usual retry after "saved but not committed") adds nothing."""
    if earlier is None:
        return
    where = (
        f"{relative(root, item.file)}:{earlier.line}" if earlier.line else relative(root, item.file)
    )
    if pending is not None:
        message = _(
            "the same record ({summary}) was already saved in {where} but not committed; it is"
            " now committed, as {commit}. Nothing new was recorded"
        ).format(summary=summary, where=where, commit=pending)
    elif make_commit and _uncommitted(root, item.file):
        message = _(
            "the same record ({summary}) is already saved in {where}, but not committed;"
            " nothing new was recorded. Run `minsheng doctor --fix` to commit it"
        ).format(summary=summary, where=where)
    else:
        message = _(
            "the same record ({summary}) is already in {where}; nothing new was recorded"
        ).format(summary=summary, where=where)
    raise UsageError(message)


def _uncommitted(root: Path, file: Path) -> bool:
    try:
        return in_work_tree(root) and has_changes(root, file)
    except GitError:
        return True


def commit_pending(
    root: Path, file: Path, items: Sequence[Item], make_commit: bool
) -> tuple[str | None, GitError | None]:
    """Commit what the file already holds that git has not seen, before the new record.

    Otherwise the next record's commit would carry it, and `log` would credit an earlier
    record or a hand edit to the wrong report. Records saved but not committed (a --no-commit
    record, a crash) get their own commits with their trailers; anything else one commit.
    A failure here stops nothing: it is returned, for the record's own commit to report.
    """
    if not make_commit:
        return None, None
    try:
        if not in_work_tree(root) or not has_changes(root, file):
            return None, None
        recovered = commit_saved_records(root, file, items)
        if recovered:
            return ", ".join(recovered), None
        message = f"pending changes to {relative(root, file)}, committed before the next record"
        return commit(root, [file], message, {}), None
    except GitError as error:
        return None, error


class SavedRecord(NamedTuple):
    """A record line appended to a file since its last commit."""

    end: int
    """Where its line ends in the file's bytes: the file as it was once this record was saved."""
    fields: dict[str, Any]


def saved_records(committed: bytes, current: bytes) -> list[SavedRecord] | None:
    """The records appended to ``committed`` to make ``current``; None if that is not all."""
    if current == committed or not current.startswith(committed):
        return None
    offset = len(committed)
    records: list[SavedRecord] = []
    for line in current[offset:].splitlines(keepends=True):
        offset += len(line)
        text = line.decode("utf-8", "replace").strip()
        if text in ("", "records:"):
            continue
        fields = _record_fields(text)
        if fields is None:
            return None
        records.append(SavedRecord(offset, fields))
    return records or None


def _record_fields(text: str) -> dict[str, Any] | None:
    if not text.startswith("- {"):
        return None
    try:
        fields = yaml.safe_load(text[2:])
    except yaml.YAMLError:
        return None
    if not isinstance(fields, dict) or not isinstance(fields.get("date"), date):
        return None
    number = fields.get("item")
    return fields if isinstance(number, int) and not isinstance(number, bool) else None


def record_commit_message(item: Item, fields: Mapping[str, Any]) -> tuple[str, str] | None:
    """The subject and body a record's commit has (None: it names no milestone of ``item``)."""
    day: date = fields["date"]
    ticked = fields.get("done") or fields.get("undone") or fields.get("reschedule")
    ticked = ticked or fields.get("attach_to")
    period = fields.get("period")
    month = period if isinstance(period, int) else None
    if ticked is None and not fields.get("set") and fields.get("percent") is None:
        return attach_message(item, None, day, None), tick_body(fields)
    if ticked is None:
        return update_message(item, fields, day), str(fields.get("note") or "")
    milestone = next(
        (
            m
            for m in item.milestones
            if m.text == ticked
            and fields.get("track") in (None, m.track)
            and fields.get("deadline") in (None, m.deadline)
        ),
        None,
    )
    if milestone is None:
        return None
    if "reschedule" in fields:
        return reschedule_message(item, milestone, fields), reschedule_body(fields)
    if "attach_to" in fields:
        return attach_message(item, milestone, day, month), tick_body(fields)
    subject = tick_message(item, milestone, day, month, "undone" in fields)
    return subject, tick_body(fields)


def commit_saved_records(root: Path, file: Path, items: Sequence[Item]) -> list[str] | None:
    """Commit each record saved in ``file`` but not committed, as it would have been: its own
    subject, the clerk's note, its ``Minsheng-Item`` and ``Reported-by``. The short hashes, or
    None when the file's changes are not only appended records of its items.

    The caller holds the workspace lock.
    """
    committed = committed_text(root, file)
    current = file.read_bytes()
    records = None if committed is None else saved_records(committed, current)
    if records is None:
        return None
    own = {i.number: i for i in items if i.file.resolve() == file.resolve()}
    commits: list[tuple[bytes, str, str, dict[str, str], list[Path]]] = []
    for record in records:
        item = own.get(record.fields["item"])
        message = None if item is None else record_commit_message(item, record.fields)
        if item is None or message is None:
            return None
        by = str(record.fields.get("by") or "")
        attached = record_attachments(record.fields)
        trailers = {ITEM_TRAILER: item.ref, REPORTER_TRAILER: by, **evidence_trailers(attached)}
        stored = [root / a.path for a in attached if (root / a.path).is_file()]
        commits.append((current[: record.end], *message, trailers, stored))
    ready_to_commit(root)
    try:
        return [commit_content(root, file, *each) for each in commits]
    finally:
        refresh_index(root, file, *(path for each in commits for path in each[4]))


def _commit(
    root: Path,
    outcome: Outcome,
    by: str,
    body: str,
    make_commit: bool,
    earlier: GitError | None = None,
) -> None:
    """Commit the record; a failure is said with the record's fate (saved, not committed).

    A git killed earlier in the same command (its index.lock left behind) is the reason given.
    """
    if not make_commit:
        return
    saved = [relative(root, f) for f in (outcome.item.file, *outcome.evidence)]
    try:
        if not in_work_tree(root):
            outcome.audit_off = True
            return
    except GitError as error:
        outcome.audit_problem = saved_but(saved, error.message)
        return
    attached = record_attachments(outcome.fields)
    trailers = {ITEM_TRAILER: outcome.item.ref, REPORTER_TRAILER: by, **evidence_trailers(attached)}
    files = [outcome.item.file, *outcome.evidence]
    try:
        outcome.commit = commit(root, files, outcome.summary, trailers, body)
    except GitError as error:
        killed = earlier if isinstance(earlier, GitKilled) else None
        outcome.audit_problem = saved_but(saved, killed.message) if killed else error.message
