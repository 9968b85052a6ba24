"""The commands that write: update (a unit's report) and done (销号), each a git commit.

Each command imports the work it does when it runs: the console script registers only the
command it was given, so `status` never loads git's, Word's or pydantic's code.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from minsheng_cli import clock
from minsheng_cli.cli.common import say, say_record_commit, workspace
from minsheng_cli.cli.options import clean_text, month_value, percent_value
from minsheng_cli.errors import GitError, UsageError
from minsheng_cli.i18n import _
from minsheng_cli.text import DIRECTION_MARKS, without_controls

if TYPE_CHECKING:
    from minsheng_cli.write.evidence import Attach

commands = typer.Typer()


def parse_assignments(pairs: list[str]) -> dict[str, float]:
    """--set 户厕改造=900 --set 示范村=10 → {"户厕改造": 900.0, "示范村": 10.0}."""
    values: dict[str, float] = {}
    for pair in pairs:
        # a Chinese input method types ＝ and full-width digits; the name is kept as written
        name, sep, raw = pair.replace("＝", "=").partition("=")
        name = clean_text(name, "--set", one_line=True)
        if name in values:
            raise UsageError(
                _("--set names {name} twice; give each indicator once").format(name=name)
            )
        raw = unicodedata.normalize("NFKC", raw)
        try:
            if not sep or not name:
                raise ValueError(pair)
            values[name] = float(raw.strip())
        except ValueError:
            raise UsageError(
                _("--set takes INDICATOR=VALUE (e.g. 户厕改造=900), not “{pair}”").format(pair=pair)
            ) from None
        if values[name] != values[name] or values[name] in (float("inf"), float("-inf")):
            raise UsageError(_("--set needs a finite number, not “{pair}”").format(pair=pair))
    return values


def attachment_name(path: Path) -> str:
    """The name an attached file is kept under: its last part as given, control characters and
    bytes that are not UTF-8 shown as �; a text-direction mark (which makes “exe.txt” of
    “txt.exe”) is refused, as in every other text option."""
    name = path.name
    if DIRECTION_MARKS.search(name):
        raise UsageError(
            _(
                "--attach {file}: the name holds an invisible text-direction mark; rename the"
                " file (nothing was recorded)"
            ).format(file=without_controls(str(path)))
        )
    name = without_controls(name).replace("\t", "\ufffd").replace("\n", "\ufffd").strip()
    if not name:
        raise UsageError(_("--attach needs a file, not “{file}”").format(file=str(path)))
    return name


def attachments(paths: list[Path] | None) -> list[Attach]:
    """--attach FILE …: each file with the name it is kept under."""
    from minsheng_cli.write.evidence import Attach

    return [Attach(path, attachment_name(path)) for path in paths or ()]


AttachOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--attach",
        metavar="FILE",
        help=_(
            "A file that shows it (photo, scanned certificate, PDF), stored under evidence/ and"
            " committed with the record; may be repeated."
        ),
    ),
]


def item_and_milestone(ref: str, milestone: str | None, missing: str) -> tuple[str, str]:
    """The item and the milestone, named apart (3.1 7) or together (3.1#7); ``missing``, the
    usage error when neither names a milestone."""
    from minsheng_cli.ledger.refs import split_milestone

    item, in_ref = split_milestone(ref)
    named = milestone or in_ref
    if named is None:
        raise UsageError(missing)
    return item, named


def record_day(day: str | None) -> date:
    from minsheng_cli.core.asof import parse_day

    return parse_day(day) if day is not None else clock.today()


def report_outcome(outcome: Any) -> None:
    from minsheng_cli.ledger.model import Attachment

    say(_("recorded: {summary}").format(summary=outcome.summary))
    for fields in outcome.fields.get("attachments", ()):
        attached = Attachment(**fields)
        say(_("attached: {name} ({path})").format(name=attached.name, path=attached.path))
    for warning in outcome.warnings:
        say(_("warning: {message}").format(message=warning), err=True)
    if outcome.pending:
        say(
            _(
                "note: the file had changes git had not seen (an edit, or a record made with"
                " --no-commit); they were committed first, as {commit}"
            ).format(commit=outcome.pending),
            err=True,
        )
    say_record_commit(outcome.commit, outcome.audit_off)
    if outcome.audit_problem:
        raise GitError(outcome.audit_problem)


ByOption = Annotated[str, typer.Option("--by", help=_("Who reported it (unit, person)."))]


NoteOption = Annotated[str, typer.Option("--note", help=_("A note kept with the record."))]


DateOption = Annotated[
    str | None,
    typer.Option("--date", help=_("The day it was reported (YYYY-MM-DD); default today.")),
]


MilestoneArgument = Annotated[
    str | None,
    typer.Argument(
        help=_("The milestone: its number in `show`, or part of its text (or write 3.1#7).")
    ),
]
NoCommitOption = Annotated[
    bool, typer.Option("--no-commit", help=_("Write the record but make no git commit."))
]


@commands.command(
    help=_("Record what a unit reported: cumulative values or the share of work done.")
)
def update(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help=_("The item: 3.2, or part of its name."))],
    percent: Annotated[
        float | None,
        typer.Option(
            "--percent",
            "-p",
            help=_("Share of the work done so far, in percent (0–100)."),
            parser=percent_value,
            metavar="P",
        ),
    ] = None,
    assignments: Annotated[
        list[str] | None,
        typer.Option("--set", help=_("INDICATOR=VALUE, cumulative; may be repeated.")),
    ] = None,
    day: DateOption = None,
    by: ByOption = "",
    note: NoteOption = "",
    correct: Annotated[
        bool,
        typer.Option(
            "--correct",
            help=_("Correct an earlier number that was too high (needs --note saying why)."),
        ),
    ] = False,
    yes: Annotated[
        bool,
        typer.Option(
            "--yes",
            "-y",
            help=_("Record a value above 150% of its target (checked: not a slip)."),
        ),
    ] = False,
    attach: AttachOption = None,
    no_commit: NoCommitOption = False,
) -> None:
    from minsheng_cli.ledger.model import PERCENT_KEY
    from minsheng_cli.write.actions import record_update
    from minsheng_cli.write.record import Update

    values = parse_assignments(assignments or [])
    if percent is not None:
        values[PERCENT_KEY] = percent
    change = Update(
        record_day(day),
        values,
        clean_text(by, "--by", one_line=True),
        clean_text(note, "--note"),
        correct,
        confirmed=yes,
    )
    files = attachments(attach)
    root = workspace(ctx).root()
    outcome = record_update(
        root, ref, change, clock.today(), make_commit=not no_commit, attach=files
    )
    report_outcome(outcome)


@commands.command(
    help=_("Tick a milestone off (销号); --undo takes a tick back, as a record of its own.")
)
def done(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help=_("The item: 3.2, or part of its name."))],
    milestone: MilestoneArgument = None,
    day: DateOption = None,
    evidence: Annotated[
        str, typer.Option("--evidence", help=_("What shows it is done (document, photo, report)."))
    ] = "",
    by: ByOption = "",
    note: NoteOption = "",
    period: Annotated[
        int | None,
        typer.Option(
            "--period",
            parser=month_value("--period"),
            metavar="M",
            help=_(
                "For a monthly (逐月) milestone: the month being ticked off"
                " (default: the month of --date)."
            ),
        ),
    ] = None,
    undo: Annotated[
        bool,
        typer.Option(
            "--undo", help=_("Undo a tick-off (kept as a record of its own; needs --note).")
        ),
    ] = False,
    attach: AttachOption = None,
    no_commit: NoCommitOption = False,
) -> None:
    from minsheng_cli.write.actions import record_tick

    ref, milestone = item_and_milestone(
        ref,
        milestone,
        _("name the milestone: `minsheng done 3.1 7` or `minsheng done 3.1#7`"),
    )

    files = attachments(attach)
    root = workspace(ctx).root()
    outcome = record_tick(
        root,
        ref,
        milestone,
        record_day(day),
        clock.today(),
        undo=undo,
        period=period,
        by=clean_text(by, "--by", one_line=True),
        note=clean_text(note, "--note"),
        evidence=clean_text(evidence, "--evidence"),
        make_commit=not no_commit,
        attach=files,
    )
    report_outcome(outcome)


@commands.command(
    help=_(
        "Record a deadline or targets moved by approval (the task file's milestone stays as"
        " written): the new one holds from --date on."
    )
)
def reschedule(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help=_("The item: 3.2, or part of its name."))],
    milestone: MilestoneArgument = None,
    to: Annotated[
        str | None,
        typer.Option(
            "--to",
            help=_("The new deadline, as the notice writes one (9月底)."),
            metavar="DEADLINE",
        ),
    ] = None,
    targets: Annotated[
        list[str] | None,
        typer.Option(
            "--target", help=_("NAME=VALUE: a target moved by approval; may be repeated.")
        ),
    ] = None,
    approval: Annotated[
        str,
        typer.Option(
            "--approval",
            help=_("Who approved the change, and where (会议纪要, 文号)."),
            metavar="TEXT",
        ),
    ] = "",
    day: Annotated[
        str | None,
        typer.Option("--date", help=_("The day it was approved (YYYY-MM-DD); default today.")),
    ] = None,
    by: ByOption = "",
    note: NoteOption = "",
    no_commit: NoCommitOption = False,
) -> None:
    from minsheng_cli.ledger.model import PERCENT_KEY
    from minsheng_cli.write.actions import record_reschedule
    from minsheng_cli.write.record import Reschedule

    ref, milestone = item_and_milestone(
        ref,
        milestone,
        _("name the milestone: `minsheng reschedule 3.2 2 …` or `minsheng reschedule 3.2#2 …`"),
    )
    percent_names = {PERCENT_KEY, "工程进度", _("work done")}
    moved = {
        PERCENT_KEY if name in percent_names else name: value
        for name, value in parse_assignments(targets or []).items()
    }
    change = Reschedule(
        record_day(day),
        clean_text(to, "--to", one_line=True) if to is not None else None,
        moved,
        clean_text(approval, "--approval", one_line=True),
        clean_text(by, "--by", one_line=True),
        clean_text(note, "--note"),
    )
    root = workspace(ctx).root()
    outcome = record_reschedule(
        root, ref, milestone, change, clock.today(), make_commit=not no_commit
    )
    report_outcome(outcome)
