"""The two writes a clerk makes: record progress (update) and tick a milestone off (done).

Each runs under the workspace lock: load, check, append, validate, replace, commit. A refusal
writes nothing; a failed commit leaves the recorded change on disk and says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from minsheng_cli.errors import GitError, UsageError
from minsheng_cli.i18n import _
from minsheng_cli.ledger.model import PERCENT_KEY, Item, Milestone, format_amount
from minsheng_cli.ledger.refs import resolve_item, resolve_milestone
from minsheng_cli.store.atomic import workspace_lock
from minsheng_cli.store.load import load_for_ref
from minsheng_cli.write.audit import (
    ITEM_TRAILER,
    REPORTER_TRAILER,
    commit,
    has_changes,
    in_work_tree,
)
from minsheng_cli.write.record import Update, check_tick, check_update, write_record

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
    root: Path, ref: str, update: Update, today: date, *, make_commit: bool = True
) -> Outcome:
    with workspace_lock(root):
        ledger = load_for_ref(root, ref)
        item = resolve_item(ledger, ref)
        checked = check_update(item, update, ledger.workspace, today)
        pending = _commit_pending(root, item.file, make_commit)
        write_record(item.file, checked.fields, ledger.workspace)
        summary = update_message(item, checked.fields, update.day)
        outcome = Outcome(item, summary, checked.fields, checked.warnings, pending=pending)
        _commit(root, outcome, update.by, update.note, make_commit)
    return outcome


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
) -> Outcome:
    with workspace_lock(root):
        ledger = load_for_ref(root, ref)
        item = resolve_item(ledger, ref)
        milestone = resolve_milestone(item, milestone_ref, to_tick=True)
        period = _period_for(milestone.kind.value, period, day)
        if undo and not note:
            raise UsageError(_("taking a tick back needs --note saying why"))
        check_tick(item, milestone, day, undo, period, ledger.workspace, today)
        fields: dict[str, Any] = {"date": day, "item": item.number}
        if by:
            fields["by"] = by
        fields["undone" if undo else "done"] = milestone.text
        fields.update(tick_identity(item, milestone))
        if period is not None:
            fields["period"] = period
        if evidence:
            fields["evidence"] = evidence
        if note:
            fields["note"] = note
        pending = _commit_pending(root, item.file, make_commit)
        write_record(item.file, fields, ledger.workspace)
        month = f" {period}月" if period else ""
        verb = "undo" if undo else "done"
        summary = (
            f"{verb} {item.ref}#{milestone.number} {milestone.text}{month} ({day.isoformat()})"
        )
        outcome = Outcome(item, summary, fields, pending=pending)
        _commit(root, outcome, by, "\n".join(x for x in (evidence, note) if x), make_commit)
    return outcome


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


def _commit_pending(root: Path, file: Path, make_commit: bool) -> str | None:
    """Commit what the file already holds that git has not seen, in a commit of its own.

    Otherwise the next record's commit would carry it, and `log` would credit an earlier
    --no-commit record or a hand edit to the wrong report.
    """
    if not make_commit or not in_work_tree(root) or not has_changes(root, file):
        return None
    relative = file.resolve().relative_to(root.resolve()).as_posix()
    message = f"pending changes to {relative}, committed before the next record"
    try:
        return commit(root, [file], message, {})
    except GitError:
        return None  # the record's own commit will fail the same way and say why


def _commit(root: Path, outcome: Outcome, by: str, body: str, make_commit: bool) -> None:
    if not make_commit:
        return
    if not in_work_tree(root):
        outcome.audit_off = True
        return
    message = outcome.summary + (f"\n\n{body}" if body else "")
    trailers = {ITEM_TRAILER: outcome.item.ref, REPORTER_TRAILER: by}
    try:
        outcome.commit = commit(root, [outcome.item.file], message, trailers)
    except GitError as error:
        outcome.audit_problem = error.message
