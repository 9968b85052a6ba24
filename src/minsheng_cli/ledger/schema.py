"""The ledger's file format as pydantic models: what a workspace and a task file may contain.

Used only to validate what was read; the rest of the code works on the plain domain objects of
``ledger``. Unknown keys are errors (a typo must not be silently ignored).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)
from pydantic import (
    Strict as StrictType,
)

from minsheng_cli.i18n import _
from minsheng_cli.ledger.model import Indicator, Item, Record, Track, Workspace
from minsheng_cli.text import CONTROL_CHARACTERS, DIRECTION_MARKS


def no_controls(value: str) -> str:
    """Ledger text may hold tabs and newlines but no control character (ESC would reach the
    clerk's terminal, and Excel refuses them), nor an invisible text-direction mark."""
    mark = DIRECTION_MARKS.search(value)
    if mark is not None:
        raise ValueError(
            _("contains an invisible text-direction mark ({code}); delete it").format(
                code=f"U+{ord(mark.group()):04X}"
            )
        )
    if CONTROL_CHARACTERS.search(value):
        raise ValueError(_("contains a control character (such as ESC); delete it"))
    return value


Text = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(no_controls)]
Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(no_controls)
]
Amount = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Percent = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]


RECORD_DEFAULTS = Record._field_defaults
"""A record's defaults are the domain's (``ledger.model``): `build` leans on them too."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Months = Annotated[int, Field(ge=1, le=12)]


class EscalationModel(Strict):
    """How many month-ends running an item must slip to be flagged, and to be on the 约谈 list."""

    lagging_months: Months = Workspace._field_defaults["lagging_months"]
    interview_months: Months = Workspace._field_defaults["interview_months"]

    @model_validator(mode="after")
    def interview_after_lagging(self) -> Self:
        if self.interview_months < self.lagging_months:
            raise ValueError(_("interview_months cannot be fewer than lagging_months"))
        return self


class WorkspaceFile(Strict):
    """minsheng.yaml: the year's notice and the workspace's rules."""

    year: Annotated[int, Field(ge=2000, le=2100)]
    title: Name
    document: Text = ""
    office: Text = ""
    issued: dt.date | None = None
    warning_days: Annotated[int, Field(ge=0, le=366)] = Workspace._field_defaults["warning_days"]
    tolerance_days: Annotated[int, Field(ge=0, le=366)] = Workspace._field_defaults[
        "tolerance_days"
    ]
    deadline_rules: dict[str, Annotated[int, Field(ge=1, le=31)] | Literal["last"]] = {}
    escalation: EscalationModel = EscalationModel()
    aliases: dict[Name, Name] = {}
    """Short names a clerk types for a unit (残联: 残疾人联合会), beyond the usual 简称."""
    late_until: dt.date | None = None
    evidence_limit_mb: Annotated[float, Field(gt=0, le=1024, allow_inf_nan=False)] = (
        Workspace._field_defaults["evidence_limit_mb"]
    )

    @model_validator(mode="after")
    def late_after_the_year(self) -> Self:
        if self.late_until is not None and self.late_until.year <= self.year:
            raise ValueError(
                _("late_until: must fall after the ledger's year {year}, e.g. {example}").format(
                    year=self.year, example=f"{self.year + 1}-03-31"
                )
            )
        return self


class IndicatorModel(Strict):
    name: Name
    target: Annotated[float, Field(gt=0, allow_inf_nan=False)]
    unit: Text = Indicator._field_defaults["unit"]
    kind: Literal["count", "rate"] = Indicator._field_defaults["kind"]


def year_as_text(value: object) -> object:
    """A bare year (YAML reads ``deadline: 2024`` as a number) is the deadline "2024"; any other
    number stays a number, refused as not text (20230331 must not become a date)."""
    if type(value) is int and 2000 <= value <= 2100:
        return str(value)
    return value


class MilestoneModel(Strict):
    deadline: Annotated[
        str | Annotated[dt.date, StrictType()],  # an int must not become 1970-01-01
        BeforeValidator(year_as_text),
    ]
    text: Name | None = None  # None: the deadline cell carries it ("5月底前动工")
    targets: dict[Name, Amount] = {}
    add: dict[Name, Amount] = {}  # this milestone's increments (新增100个), made cumulative
    percent: Percent | None = None

    @model_validator(mode="after")
    def target_or_increment(self) -> Self:
        both = sorted(set(self.targets) & set(self.add))
        if both:
            raise ValueError(
                _("“{name}” is given both as a target and as an increment (add:); keep one").format(
                    name="、".join(both)
                )
            )
        return self


class TrackModel(Strict):
    heading: Name
    text: Text = Track._field_defaults["text"]
    milestones: list[MilestoneModel] = []


class InvestmentModel(Strict):
    """计划投资: the money planned for the item (年度投资/总投资)."""

    planned: Annotated[float, Field(gt=0, allow_inf_nan=False)]
    unit: Name = Item._field_defaults["investment_unit"]


class ItemModel(Strict):
    content: Name
    leader: Text = ""
    unit: Text = ""
    partners: list[Name] = []
    investment: InvestmentModel | None = None
    sites: list[Name] = []
    note: Text = ""
    indicators: list[IndicatorModel] = []
    milestones: list[MilestoneModel] = []
    tracks: list[TrackModel] = []

    @model_validator(mode="after")
    def milestones_or_tracks(self) -> Self:
        if self.milestones and self.tracks:
            raise ValueError(
                "an item lists its milestones either directly or under tracks, not both"
            )
        return self


def plain_file_name(value: str) -> str:
    """An attachment's name is a file's name alone: no folder (nothing to climb out with)."""
    if "/" in value or "\\" in value or value in (".", ".."):
        raise ValueError(_("an attachment's name is a file name alone, without a folder"))
    return value


class AttachmentModel(Strict):
    """A file attached to a record: its original name, its SHA-256 (lowercase hex), its size."""

    name: Annotated[Name, AfterValidator(plain_file_name)]
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    size: Annotated[int, StrictType(), Field(ge=0)]


class RecordModel(Strict):
    """One line of progress appended by `update` or `done`."""

    date: dt.date
    item: Annotated[int, Field(ge=1)]
    by: Text = RECORD_DEFAULTS["by"]
    note: Text = RECORD_DEFAULTS["note"]
    set: dict[Name, Amount] = {}
    percent: Percent | None = None
    correct: bool = RECORD_DEFAULTS["correct"]
    done: Name | None = RECORD_DEFAULTS["done"]
    undone: Name | None = RECORD_DEFAULTS["undone"]
    period: Annotated[int, Field(ge=1, le=12)] | None = RECORD_DEFAULTS["period"]
    track: Name | None = RECORD_DEFAULTS["track"]
    deadline: str | Annotated[dt.date, StrictType()] | None = RECORD_DEFAULTS["deadline"]
    evidence: Text = RECORD_DEFAULTS["evidence"]
    reschedule: Name | None = RECORD_DEFAULTS["reschedule"]
    to: str | Annotated[dt.date, StrictType()] | None = RECORD_DEFAULTS["to"]
    targets: dict[Name, Amount] = {}
    approval: Text = RECORD_DEFAULTS["approval"]
    attachments: list[AttachmentModel] = []
    attach_to: Name | None = RECORD_DEFAULTS["attach_to"]

    @model_validator(mode="after")
    def one_kind(self) -> Self:
        kinds = [bool(self.set) or self.percent is not None, self.done is not None]
        kinds += [self.undone is not None, self.reschedule is not None]
        kinds += [self.attach_to is not None]
        if sum(kinds) > 1 or (sum(kinds) == 0 and not self.attachments):
            raise ValueError(
                _(
                    "a record either sets values, or has done:, undone:, reschedule: or"
                    " attach_to: (exactly one), or has only attachments:"
                )
            )
        if self.attach_to is not None and not self.attachments:
            raise ValueError(_("attach_to: needs attachments: (the files it adds)"))
        if self.reschedule is None and (self.to is not None or self.targets or self.approval):
            raise ValueError(_("to:, targets: and approval: belong to a reschedule: record"))
        if self.reschedule is not None and not self.approval:
            raise ValueError(_("a reschedule needs approval: (who approved it, and where)"))
        if self.reschedule is not None and self.to is None and not self.targets:
            raise ValueError(_("a reschedule needs to: (the new deadline) or targets:"))
        if self.correct and not self.note:
            raise ValueError(_("a correction needs a note saying why"))
        return self


class ProjectFile(Strict):
    """tasks/NN-名称.yaml: one 实事 with its items and its progress records."""

    id: Annotated[int, Field(ge=1)]
    name: Name
    items: Annotated[list[ItemModel], Field(min_length=1)]
    records: list[RecordModel] = []

    @field_validator("records", mode="before")
    @classmethod
    def empty_records(cls, value: object) -> object:
        """A bare “records:” line (what a clerk leaves after deleting the last record) is empty."""
        return [] if value is None else value
