"""What changed between two states of the ledger, each evaluated on its own day. Pure functions.

The records added in between (corrections and undos among them), the records that vanished (a
hand edit), the milestones met and those that fell overdue, and the items whose light changed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import NamedTuple

from minsheng_cli.core.evaluate import Light, MilestoneStatus, Snapshot, State
from minsheng_cli.ledger.model import Item, Record

MilestoneKey = tuple[str, int, int | None]


class RecordChange(NamedTuple):
    item: Item
    record: Record

    @property
    def is_correction(self) -> bool:
        """A correction (--correct) or an undo (done --undo)."""
        return self.record.correct or self.record.undone is not None


class LightChange(NamedTuple):
    item: Item
    before: Light
    after: Light


class Changes(NamedTuple):
    added: tuple[RecordChange, ...]
    removed: tuple[RecordChange, ...]
    newly_met: tuple[MilestoneStatus, ...]
    newly_overdue: tuple[MilestoneStatus, ...]
    lights: tuple[LightChange, ...]

    @property
    def corrections(self) -> tuple[RecordChange, ...]:
        return tuple(change for change in self.added if change.is_correction)

    @property
    def empty(self) -> bool:
        return not any(self)


def changes(before: Snapshot, after: Snapshot) -> Changes:
    """From ``before`` (the earlier ledger on its day) to ``after`` (the later one on its)."""
    added, removed = record_changes(before, after)
    earlier = {key_of(m): m for m in before.milestones}
    newly_met = []
    newly_overdue = []
    for status in after.milestones:
        old = earlier.get(key_of(status))
        if old is None:
            continue
        if status.state.is_met and not old.state.is_met:
            newly_met.append(status)
        if status.state is State.OVERDUE and old.state is not State.OVERDUE:
            newly_overdue.append(status)
    return Changes(
        added, removed, tuple(newly_met), tuple(newly_overdue), light_changes(before, after)
    )


def key_of(status: MilestoneStatus) -> MilestoneKey:
    return (status.item.ref, status.milestone.number, status.period)


def record_changes(
    before: Snapshot, after: Snapshot
) -> tuple[tuple[RecordChange, ...], tuple[RecordChange, ...]]:
    """The records only ``after`` holds, and those only ``before`` held, item by item, in the
    files' order (a record is the same wherever it stands in its file). Only the items both
    hold are compared: an item one side lacks came or went with its file (a hand edit, or a
    file that could not be read), not by a record."""
    old = {item.ref: item for item in before.ledger.items}
    added: list[RecordChange] = []
    removed: list[RecordChange] = []
    for item in after.ledger.items:
        earlier = old.get(item.ref)
        if earlier is not None:
            added += _only_in(item, item.records, earlier.records)
            removed += _only_in(earlier, earlier.records, item.records)
    return tuple(added), tuple(removed)


def _only_in(item: Item, records: Iterable[Record], others: Iterable[Record]) -> list[RecordChange]:
    left = Counter(_bare(r) for r in others)
    found = []
    for record in records:
        bare = _bare(record)
        if left[bare] > 0:
            left[bare] -= 1
        else:
            found.append(RecordChange(item, record))
    return found


def _bare(record: Record) -> tuple[object, ...]:
    """A record without its line in the file: the same record wherever it stands."""
    fields = (v for k, v in zip(record._fields, record, strict=True) if k not in UNKEYED)
    return (*fields, tuple(sorted(record.values.items())))


UNKEYED = ("line", "values")


def light_changes(before: Snapshot, after: Snapshot) -> tuple[LightChange, ...]:
    lights = {status.item.ref: status.light for status in before.items}
    found = []
    for status in after.items:
        old = lights.get(status.item.ref)
        if old is not None and old is not status.light:
            found.append(LightChange(status.item, old, status.light))
    return tuple(found)
