"""The notice's rows made 实事 and items: a row with a new 序号 (or a new name without one)
starts a 实事; a row with none, or the same 序号 again (a table continued on the next page),
is one more item of the 实事 above it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from minsheng_cli.i18n import _
from minsheng_cli.notice.columns import Row, squeeze
from minsheng_cli.notice.indicators import Indicator, indicators_of, targets_of
from minsheng_cli.notice.milestones import Track, read_time_cell
from minsheng_cli.notice.report import Flag, Place


@dataclass(slots=True)
class Item:
    content: str
    leader: str
    unit: str
    note: str
    indicators: list[Indicator]
    doubts: list[str]
    tracks: list[Track]
    partners: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Project:
    id: int
    name: str
    items: list[Item] = field(default_factory=list)


def joined(cell: str) -> str:
    """A cell's lines as one text (Chinese wraps anywhere, so no space is added)."""
    return "".join(line.strip() for line in cell.split("\n"))


def serial(cell: str) -> int | None:
    digits = re.fullmatch(r"\D*?(\d{1,3})\D*", squeeze(cell))
    return int(digits.group(1)) if digits else None


def projects_of(
    rows: list[Row], year: int, source: str, flags: list[Flag], wrapped: bool = False
) -> list[Project]:
    projects: list[Project] = []
    for row in rows:
        project = project_for(row, projects, source, flags)
        project.items.append(item_of(row, project, year, source, flags, wrapped))
    return projects


def place(row: Row, source: str, field_name: str) -> Place:
    return Place(source, row.table, row.row, row.headers.get(field_name, field_name))


def project_for(row: Row, projects: list[Project], source: str, flags: list[Flag]) -> Project:
    number, name = serial(row.get("number")), squeeze(row.get("name"))
    current = projects[-1] if projects else None
    if number is None and current is not None and name in ("", current.name):
        return current
    if number is not None:
        for known in projects:
            if known.id == number:
                return known
    if number is None:
        number = current.id + 1 if current else 1
        flags.append(
            place(row, source, "number").flag(
                name, _("no 序号: numbered {number}").format(number=number)
            )
        )
    if not name:
        name = _("project {number}").format(number=number)
        flags.append(
            place(row, source, "name").flag("", _("no 实事名称: named “{name}”").format(name=name))
        )
    projects.append(Project(number, name))
    return projects[-1]


def item_of(
    row: Row, project: Project, year: int, source: str, flags: list[Flag], wrapped: bool
) -> Item:
    content = joined(row.get("content"))
    if not content:
        content = project.name
        flags.append(place(row, source, "content").flag("", _("no 实事内容: the 实事's name used")))
    indicators, doubts = indicators_of(content)
    for doubt in doubts:
        flags.append(
            place(row, source, "content").flag(
                doubt, _("a quantity not certain: written as a comment under indicators")
            )
        )
    tracks = read_time_cell(
        row.get("deadline"), year, place(row, source, "deadline"), flags, wrapped
    )
    for track in tracks:
        for milestone in track.milestones:
            found = targets_of(milestone.text, indicators)
            milestone.targets, milestone.percent, milestone.doubts = (
                found.targets,
                found.percent,
                found.doubts,
            )
            for doubt in found.doubts:
                flags.append(
                    place(row, source, "deadline").flag(
                        doubt,
                        _(
                            "a number not matched to an indicator:"
                            " written as a comment above its milestone"
                        ),
                    )
                )
    lead, *partners = units_of(row.get("unit")) or [""]
    partners += [u for u in units_of(row.get("partners")) if u not in (lead, *partners)]
    return Item(
        content,
        squeeze(row.get("leader")),
        lead,
        note_of(row),
        indicators,
        doubts,
        tracks,
        partners,
    )


UNIT_SEPARATORS = re.compile(r"[、，,；;]+")


def units_of(cell: str) -> list[str]:
    """The units a cell names: "县水务局、县住建局" is two (the first the lead); a name broken
    across lines ("残疾人\\n联合会") is one."""
    return [unit for unit in UNIT_SEPARATORS.split(squeeze(cell)) if unit]


def note_of(row: Row) -> str:
    notes = [joined(row.get("note"))]
    notes.extend(f"{header}：{joined(text)}" for header, text in row.extra)
    return "；".join(note for note in notes if note)
