"""References a clerk can type: `3` (a 实事), `3.2` (its second item), or a fragment of a name."""

from __future__ import annotations

import re
from typing import NamedTuple

from minsheng_cli.errors import UsageError
from minsheng_cli.i18n import _
from minsheng_cli.ledger.model import Item, Ledger, Milestone, Project

_NUMBERED = re.compile(r"^(\d+)(?:\.(\d+))?$")
MAX_CANDIDATES = 12


class Target(NamedTuple):
    """What a reference resolved to: a whole 实事, or one item of it."""

    project: Project
    item: Item | None = None

    @property
    def items(self) -> tuple[Item, ...]:
        return (self.item,) if self.item else self.project.items


def split_milestone(ref: str) -> tuple[str, str | None]:
    """ "3.1#7", as every table prints a milestone, is item 3.1 and its milestone 7."""
    item, sep, milestone = ref.strip().partition("#")
    return item, (milestone.strip() or None) if sep else None


def resolve(ledger: Ledger, ref: str) -> Target:
    text = split_milestone(ref)[0]
    numbered = _NUMBERED.match(text)
    if numbered:
        return _by_number(ledger, int(numbered.group(1)), numbered.group(2))
    return _by_name(ledger, text)


def resolve_item(ledger: Ledger, ref: str) -> Item:
    """A reference that must name one item; a 实事 with a single item counts as that item."""
    target = resolve(ledger, ref)
    if len(target.items) == 1:
        return target.items[0]
    candidates = [f"{i.ref} {i.unit}：{i.content[:24]}" for i in target.items]
    raise UsageError(
        _("{ref} has {count} items; name one: {candidates}").format(
            ref=ref, count=len(candidates), candidates="; ".join(candidates)
        )
    )


def _by_number(ledger: Ledger, project_id: int, item_number: str | None) -> Target:
    project = next((p for p in ledger.projects if p.id == project_id), None)
    if project is None:
        known = ", ".join(str(p.id) for p in ledger.projects)
        raise UsageError(
            _("there is no 实事 {ref}; the ledger has {known}").format(ref=project_id, known=known)
        )
    if item_number is None:
        return Target(project)
    number = int(item_number)
    if not 1 <= number <= len(project.items):
        raise UsageError(
            _("实事 {id} has items {first}–{last}; there is no {ref}").format(
                id=project_id,
                first=f"{project_id}.1",
                last=f"{project_id}.{len(project.items)}",
                ref=f"{project_id}.{number}",
            )
        )
    return Target(project, project.items[number - 1])


def _by_name(ledger: Ledger, fragment: str) -> Target:
    if not fragment:
        raise UsageError(_("the reference is empty; give 3, 3.2 or part of a name"))
    projects = [p for p in ledger.projects if fragment in p.name]
    if len(projects) == 1:
        return Target(projects[0])
    items = [i for i in ledger.items if fragment in i.content or fragment in i.unit]
    if not projects and len(items) == 1:
        item = items[0]
        project = next(p for p in ledger.projects if p.id == item.project)
        return Target(project, item)
    candidates = [f"{p.id} {p.name}" for p in projects] + [
        f"{i.ref} {i.project_name}（{i.unit}）" for i in items
    ]
    if not candidates:
        every = [f"{p.id} {p.name}" for p in ledger.projects]
        raise UsageError(
            _("nothing matches “{ref}”; the ledger's 实事: {candidates}").format(
                ref=fragment, candidates=listing(every)
            )
        )
    raise UsageError(
        _("“{ref}” is ambiguous; it matches: {candidates}").format(
            ref=fragment, candidates=listing(candidates)
        )
    )


def listing(candidates: list[str]) -> str:
    """At most MAX_CANDIDATES, then how many more there are."""
    shown = "; ".join(candidates[:MAX_CANDIDATES])
    hidden = len(candidates) - MAX_CANDIDATES
    if hidden > 0:
        shown += _(" … and {count} more").format(count=hidden)
    return shown


def resolve_milestone(item: Item, ref: str, *, to_tick: bool = False) -> Milestone:
    """A milestone by its number in its item (as `show` lists them) or a fragment of its text.

    ``to_tick``: a fragment looks only among milestones met by a tick (`done 8.1 广场` means the
    one to tick off, not the one measured in 场次).
    """
    text = ref.strip()
    if text.isdigit():
        number = int(text)
        if 1 <= number <= len(item.milestones):
            return item.milestones[number - 1]
        raise UsageError(
            _("{ref} has milestones 1–{count}; there is no {number}").format(
                ref=item.ref, count=len(item.milestones), number=number
            )
        )
    pool = [m for m in item.milestones if m.needs_tick] if to_tick else list(item.milestones)
    matches = [m for m in pool if text and (text == m.text or text in m.text)]
    exact = [m for m in matches if m.text == text]
    if len(exact) == 1 or len(matches) == 1:
        return (exact or matches)[0]
    shown = "; ".join(milestone_line(m) for m in (matches or pool))
    if matches:
        raise UsageError(
            _("“{ref}” matches several milestones of {item}: {candidates}").format(
                ref=text, item=item.ref, candidates=shown
            )
        )
    raise UsageError(
        _("no milestone of {item} matches “{ref}”; its milestones: {candidates}").format(
            ref=text, item=item.ref, candidates=shown
        )
    )


def milestone_line(milestone: Milestone) -> str:
    """“8 农村户厕改造 4月初 开工建设”: number, track, deadline, text."""
    parts = (str(milestone.number), milestone.track or "", milestone.deadline, milestone.text)
    return " ".join(part for part in parts if part)
