"""The JSON contract for scripts (documented in the README): plain data from a Snapshot."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from minsheng_cli.core.evaluate import ItemStatus, Measure, MilestoneStatus, Snapshot
from minsheng_cli.ledger.model import Attachment, Item

if TYPE_CHECKING:
    from minsheng_cli.core.escalation import Escalation

SCHEMA_VERSION = 1


def number(value: float) -> int | float:
    return int(value) if value == int(value) else round(value, 6)


def milestone_json(status: MilestoneStatus) -> dict[str, Any]:
    item, milestone = status.item, status.milestone
    return {
        "project": item.project,
        "name": item.project_name,
        "item": item.ref,
        "unit": item.unit,
        "partners": list(item.partners),
        "leader": item.leader,
        "milestone": milestone.number,
        "track": milestone.track,
        "deadline": milestone.deadline,
        "period": status.period,
        "due": status.due.isoformat() if status.due else None,
        "text": milestone.text,
        "targets": {k: number(v) for k, v in milestone.targets.items()},
        "recorded": {k: number(v) for k, v in status.recorded.items()},
        "state": status.state.value,
        "met_on": status.met_on.isoformat() if status.met_on else None,
        "days_late": status.days_late,
        "implied": milestone.implied,
    }


def measure_json(measure: Measure) -> dict[str, Any]:
    return {
        "name": measure.name,
        "unit": measure.unit,
        "target": number(measure.total),
        "actual": number(measure.actual),
        "expected": round(measure.expected, 2),
        "behind": round(measure.behind, 2),
        "behind_days": measure.behind_days,
    }


def item_json(status: ItemStatus) -> dict[str, Any]:
    item = status.item
    upcoming = status.next_due
    return {
        "project": item.project,
        "name": item.project_name,
        "item": item.ref,
        "content": item.content,
        "unit": item.unit,
        "partners": list(item.partners),
        "leader": item.leader,
        "note": item.note,
        "progress": round(status.progress, 4),
        "light": status.light.value,
        "behind_plan": status.behind_plan,
        "last_report": last_report(status),
        "next": milestone_json(upcoming) if upcoming else None,
        "measures": [measure_json(m) for m in status.measures],
        "states": {
            state: sum(1 for m in status.milestones if m.state.value == state)
            for state in ("met", "met_late", "overdue", "due_soon", "pending")
        },
    }


def last_report(status: ItemStatus) -> str | None:
    """最近报送: the date of the item's last record known by the as-of date."""
    last = max((r.date for r in status.records if not r.only_attaches), default=None)
    return last.isoformat() if last else None


def item_detail_json(status: ItemStatus) -> dict[str, Any]:
    detail = item_json(status)
    detail["indicators"] = [indicator_json(status.item, name) for name in _names(status.item)]
    detail["milestones"] = [milestone_json(m) for m in status.milestones]
    detail["records"] = [
        {
            "date": r.date.isoformat(),
            "by": r.by,
            "values": {k: number(v) for k, v in r.values.items()},
            "correct": r.correct,
            "done": r.done,
            "undone": r.undone,
            "attach_to": r.attach_to,
            "period": r.period,
            "note": r.note,
            "evidence": r.evidence,
            "attachments": [attachment_json(a) for a in r.attachments],
        }
        for r in status.records
    ]
    return detail


def attachment_json(attachment: Attachment) -> dict[str, Any]:
    """A file attached to a record: its original name, size in bytes, SHA-256 and where it is
    stored (relative to the workspace)."""
    return {
        "name": attachment.name,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "path": attachment.path,
    }


def _names(item: Item) -> Iterable[str]:
    return (i.name for i in item.indicators)


def indicator_json(item: Item, name: str) -> dict[str, Any]:
    indicator = item.indicator(name)
    assert indicator is not None
    return {
        "name": indicator.name,
        "target": number(indicator.target),
        "unit": indicator.unit,
        "kind": indicator.kind,
    }


def snapshot_header(snapshot: Snapshot) -> dict[str, Any]:
    workspace = snapshot.ledger.workspace
    return {
        "title": workspace.title,
        "document": workspace.document,
        "year": workspace.year,
        "as_of": snapshot.as_of.isoformat(),
    }


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def array_chunks(items: Iterable[Any], *, ascii_only: bool = False) -> Iterator[str]:
    """A JSON array with one element per line, written as the elements are made.

    At 100,000 milestones the whole array as one string (and the list of dicts behind it) took
    over 600 MB; one element at a time it is the size of one element. Each element is one line
    (a milestone greps as a whole) and is encoded by json's C encoder, which ``indent`` would
    swap for the pure-Python one: that was three quarters of `list --json` at 10,000.
    ``ascii_only``: every other character as a \\u escape (for a stream that lacks some).
    """
    first = True
    for item in items:
        yield ("[\n  " if first else ",\n  ") + json.dumps(item, ensure_ascii=ascii_only)
        first = False
    yield "[]" if first else "\n]"


def escalation_json(escalation: Escalation | None) -> dict[str, Any] | None:
    """overdue --json: the month-ends the item slipped at running, and its level; else null."""
    if escalation is None:
        return None
    return {"months": list(escalation.months), "level": escalation.level.value}
