"""The domain objects every command works on: a frozen, plain-Python view of the workspace.

Built by ``store`` from validated files; knows nothing of YAML, pydantic, Typer or Rich. The
defaults here are the format's: ``schema`` and ``build`` take theirs from these classes, and the
snapshot codec reads each field's stored form off its type.

No ``from __future__ import annotations`` here: the annotations are evaluated once, as the
classes are made, so reading them back (store.codec, store.shape) compiles nothing. As strings,
some 120 of them were compiled on every command (about 6 ms).
"""

import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

from minsheng_cli.i18n import _
from minsheng_cli.ledger.deadlines import DeadlineRules, DueKind

PERCENT_KEY = "percent"
"""The key a work percentage is recorded under, beside the indicators' names."""
NO_AMOUNTS: Mapping[str, float] = MappingProxyType({})
INVESTMENT_KEY = "完成投资"
"""The name an item's spending is recorded under (update --set 完成投资=…)."""


def measure_name(name: str) -> str:
    """What the clerk calls a recorded measure: an indicator's name, or 工程进度 for the work."""
    return _("work done") if name == PERCENT_KEY else name


class Workspace(NamedTuple):
    """minsheng.yaml: the year's notice and the rules that read its deadlines."""

    root: Path
    year: int
    title: str
    document: str = ""
    office: str = ""
    issued: date | None = None
    warning_days: int = 10
    tolerance_days: int = 15
    rules: DeadlineRules = DeadlineRules()
    lagging_months: int = 2
    """Month-ends running an item must slip to be flagged 连续N月滞后."""
    interview_months: int = 3
    """Month-ends running that put it on the 约谈 list."""
    aliases: Mapping[str, str] = MappingProxyType({})
    """--unit 残联 names 残疾人联合会: short names beyond the usual 简称 (core.units)."""
    late_until: date | None = None
    """The last day progress past 31 December may be recorded for items not yet complete."""
    evidence_limit_mb: float = 20.0
    """The largest file `--attach` stores, in MB (1024 × 1024 bytes)."""

    @property
    def year_start(self) -> date:
        return date(self.year, 1, 1)

    @property
    def records_until(self) -> date:
        """late_until, or by default 31 March of the next year."""
        return self.late_until or date(self.year + 1, 3, 31)

    @property
    def year_end(self) -> date:
        return date(self.year, 12, 31)


COUNT = "count"
RATE = "rate"


class Indicator(NamedTuple):
    """A quantified target of an item: 1310 座 户厕改造.

    A count (the default) is cumulative: it only grows, and 序时 runs from 0 on 1 January. A rate
    (筛查率达到95%, 千人口托位3.88) is a level: it may go down as well as up, and a milestone is
    met by the latest value reported by its due date.
    """

    name: str
    target: float
    unit: str = ""
    kind: str = COUNT

    @property
    def is_rate(self) -> bool:
        return self.kind == RATE


class Milestone(NamedTuple):
    """A dated step of an item, as the notice writes it ("3月中旬，开工建设")."""

    number: int
    deadline: str
    kind: DueKind
    due: date | None
    text: str
    targets: Mapping[str, float] = NO_AMOUNTS
    track: str | None = None
    implied: bool = False
    line: int | None = None

    @property
    def needs_tick(self) -> bool:
        """A milestone with no numeric target is met by being ticked off (销号)."""
        return not self.targets


EVIDENCE_DIR = "evidence"
"""The workspace's folder of attached files, each stored once by its content's SHA-256."""
_STORED_SUFFIX = re.compile(r"\.[a-z0-9]{1,16}")


class Attachment(NamedTuple):
    """A file attached to a record (--attach): the name it had, its content's hash, its size."""

    name: str
    """The original file name (its last part), as the clerk's machine spelled it."""
    sha256: str
    size: int
    """In bytes."""

    @property
    def path(self) -> str:
        """Where it is stored, relative to the workspace: evidence/3f/3f…9a.pdf. Made from the
        hash and the name's extension (lowercased, letters and digits only), never from text a
        file could set, so a record cannot point outside the evidence folder."""
        suffix = self.name[self.name.rfind(".") :].lower() if "." in self.name else ""
        if not _STORED_SUFFIX.fullmatch(suffix):
            suffix = ""
        return f"{EVIDENCE_DIR}/{self.sha256[:2]}/{self.sha256}{suffix}"


class Record(NamedTuple):
    """One progress report or tick, as appended to the project's file."""

    date: date
    item: int
    by: str = ""
    note: str = ""
    values: Mapping[str, float] = NO_AMOUNTS
    correct: bool = False
    done: str | None = None
    undone: str | None = None
    period: int | None = None
    evidence: str = ""
    line: int | None = None
    track: str | None = None
    deadline: str | None = None
    reschedule: str | None = None
    """The milestone (by text, as a tick names it) whose deadline or targets this record moves."""
    to: str | None = None
    """The deadline it is moved to, in the notice's words (9月底)."""
    targets: Mapping[str, float] = NO_AMOUNTS
    """The targets it is lowered (or raised) to, by indicator name or percent."""
    approval: str = ""
    """Who approved the change, and where (县政府常务会议纪要〔2023〕12号)."""
    attachments: tuple[Attachment, ...] = ()
    """Files attached as evidence (--attach), stored under evidence/ by content."""
    attach_to: str | None = None
    """The milestone (by text, as a tick names it) whose evidence this record adds to: files
    that came after the tick (done --attach on a milestone ticked off). Never a tick itself."""

    @property
    def only_attaches(self) -> bool:
        """A record that adds files and nothing else: to a milestone (attach_to:), or to the item
        (no values, no tick, no reschedule). It reports no progress and moves no state."""
        if self.attach_to is not None:
            return True
        return (
            not self.values
            and self.done is None
            and self.undone is None
            and (self.reschedule is None)
        )

    def names(self, milestone: Milestone) -> bool:
        """This record names ``milestone`` by its track and deadline where it gives them."""
        if self.track is not None and self.track != milestone.track:
            return False
        return self.deadline is None or self.deadline == milestone.deadline

    def attaches(self, milestone: Milestone) -> bool:
        """This record adds files to ``milestone`` (attach_to:, named as a tick names it)."""
        return self.attach_to == milestone.text and self.names(milestone)

    def moves(self, milestone: Milestone) -> bool:
        """This record reschedules ``milestone`` (named as a tick names it)."""
        return self.reschedule == milestone.text and self.names(milestone)

    def ticks(self, milestone: Milestone) -> bool | None:
        """True if this record ticks ``milestone`` off, False if it takes the tick back, else None.

        A tick names its milestone by text; by track too where the item repeats the text in two
        tracks (3.1 has 开工建设 under both 示范村 and 户厕), and by deadline where a track repeats
        it at two dates (召开推进会 in 3月底 and 9月底).
        """
        if not self.names(milestone):
            return None
        if self.done == milestone.text:
            return True
        if self.undone == milestone.text:
            return False
        return None


class Track(NamedTuple):
    heading: str
    text: str = ""


class Item(NamedTuple):
    """One row of the notice's table (子项): its own content, leader and responsible unit."""

    project: int
    project_name: str
    number: int
    content: str
    leader: str
    unit: str
    note: str
    indicators: tuple[Indicator, ...]
    milestones: tuple[Milestone, ...]
    tracks: tuple[Track, ...]
    records: tuple[Record, ...]
    file: Path
    line: int | None = None
    partners: tuple[str, ...] = ()
    """配合单位: the units that share the work; ``unit`` is the lead (牵头单位)."""
    investment: float | None = None
    """计划投资, in ``investment_unit``; what was spent is recorded as INVESTMENT_KEY."""
    investment_unit: str = "万元"
    sites: tuple[str, ...] = ()
    """实施点位/建设地点: the townships, schools … where the work is done."""

    @property
    def ref(self) -> str:
        return f"{self.project}.{self.number}"

    def indicator(self, name: str) -> Indicator | None:
        return next((i for i in self.indicators if i.name == name), None)

    def records_investment(self, name: str) -> bool:
        """Whether ``name`` is this item's 完成投资 (it has a planned investment to spend)."""
        return name == INVESTMENT_KEY and self.investment is not None

    def is_rate(self, name: str) -> bool:
        """Whether ``name`` is an indicator of kind rate (a level, not a cumulative count)."""
        indicator = self.indicator(name)
        return indicator is not None and indicator.is_rate

    def milestone_of(self, record: Record) -> Milestone | None:
        """The milestone a record's files belong to: the one it ticks, takes back or adds files
        to; None for a report of values or files of the item as a whole."""
        return next(
            (m for m in self.milestones if record.ticks(m) is not None or record.attaches(m)),
            None,
        )

    @property
    def uses_percent(self) -> bool:
        return any(PERCENT_KEY in m.targets for m in self.milestones)


class Project(NamedTuple):
    """One 实事: its 序号, name and items, from one file in tasks/."""

    id: int
    name: str
    items: tuple[Item, ...]
    file: Path
    line: int | None = None


class Ledger(NamedTuple):
    workspace: Workspace
    projects: tuple[Project, ...]

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for project in self.projects for item in project.items)

    @property
    def year(self) -> int:
        return self.workspace.year
