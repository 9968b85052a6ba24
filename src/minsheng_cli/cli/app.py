"""The command line: parse arguments, call the core, render. Nothing here computes."""

from __future__ import annotations

import gc
import os
import sys
import unicodedata
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple, NoReturn

import typer
from typer.core import TyperGroup

from minsheng_cli.cli.options import (
    AsOfOption,
    DirectoryOption,
    JsonOption,
    LangOption,
    LeaderOption,
    MonthOption,
    UnitOption,
    clean_text,
    month_value,
    percent_value,
)
from minsheng_cli.errors import EXIT_USAGE, LedgerProblems, MinshengError, Problem
from minsheng_cli.i18n import _, ngettext, set_language

if TYPE_CHECKING:
    from rich.console import Console

    from minsheng_cli.core.evaluate import Milestones, MilestoneStatus, Snapshot
    from minsheng_cli.ledger.model import Item, Ledger
    from minsheng_cli.render.sheet import Parts

EXIT_INTERNAL = 70
PIPE_WIDTH = 160
PLAIN_WIDTH = 10_000
"""Plain text for a pipe has no width to fit: the full layout, nothing cut off."""


def console(stderr: bool = False) -> Console:
    """Rich decides colour from the stream and NO_COLOR; a pipe gets plain, wide text."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    wide = None if stream.isatty() or os.environ.get("COLUMNS") else PIPE_WIDTH
    plain = "NO_COLOR" in os.environ  # no-color.org: any value, even empty, turns colour off
    return Console(
        file=stream,
        highlight=False,
        markup=False,
        emoji=False,
        width=wide,
        soft_wrap=stderr,  # an error or warning stays one line, however long
        color_system=None if plain else "auto",
    )


def say(message: str, *, err: bool = False) -> None:
    """One line for the clerk (standard error with ``err``): plain text, as it is, without Rich.

    A message is not a table: it needs no layout, and a long one is left for the terminal to
    wrap (and stays one line in a log). Control characters are shown as �.
    """
    from minsheng_cli.ledger.model import without_controls

    typer.echo(without_controls(message), err=err)


def report_error(error: MinshengError) -> None:
    if isinstance(error, LedgerProblems):
        for problem in error.problems:
            say(problem.render(error.root), err=True)
        say(
            ngettext(
                "{count} problem in the ledger; fix it, then run `minsheng check`",
                "{count} problems in the ledger; fix them, then run `minsheng check`",
                len(error.problems),
            ).format(count=len(error.problems)),
            err=True,
        )
        return
    say(_("error: {message}").format(message=error.message), err=True)


class MinshengGroup(TyperGroup):
    """Turns the project's own errors into one line and an exit code; a traceback means a bug."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except MinshengError as error:
            report_error(error)
            raise typer.Exit(error.exit_code) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            # the reader went away (`minsheng list | head`): stop quietly, as the docs advise
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(1) from None
        except Exception as error:
            if os.environ.get("MINSHENG_DEBUG") == "1":
                raise
            if _is_click_error(error):
                explained = explained_usage_error(error, ctx.invoked_subcommand or "")
                if explained is None:
                    raise
                usage_exit(explained)
            say(
                _("internal error: {kind}: {error} (MINSHENG_DEBUG=1 shows the traceback)").format(
                    kind=type(error).__name__, error=error
                ),
                err=True,
            )
            raise typer.Exit(EXIT_INTERNAL) from None


GLOBAL_OPTIONS = ("-C", "--directory", "--lang", "--version")


def explained_usage_error(error: Exception, command: str) -> str | None:
    """The command line's two common slips in the clerk's language (Click says them in
    English): an option the command does not have, above all a global one written after the
    command name, and a required option left out. None: let Click say it."""
    from typer._click.exceptions import MissingParameter, NoSuchOption

    see_help = _("see `minsheng {command} --help`").format(command=command)
    if isinstance(error, NoSuchOption):
        option = error.option_name
        if option in GLOBAL_OPTIONS:
            return _(
                "{option} goes before the command's name, as for every command:"
                " minsheng {option} … {command}"
            ).format(option=option, command=command)
        if error.possibilities:
            see_help = _("did you mean {options}?").format(
                options=", ".join(sorted(error.possibilities))
            )
        return _("`{command}` has no option {option}; {help}").format(
            command=command, option=option, help=see_help
        )
    if isinstance(error, MissingParameter) and error.param is not None:
        names = "/".join(getattr(error.param, "opts", []) or [str(error.param.name)])
        return _("`{command}` needs {option}; {help}").format(
            command=command, option=names, help=see_help
        )
    return None


def _is_click_error(error: Exception) -> bool:
    return type(error).__module__.startswith(("typer._click", "click"))


app = typer.Typer(
    cls=MinshengGroup,
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help=_("minsheng: the ledger of the year's 民生实事 (public-livelihood projects)."),
)


class Context(NamedTuple):
    """The workspace -C named, or None: found from the current folder."""

    directory: Path | None

    def root(self) -> Path:
        from minsheng_cli.store.load import resolve_root

        return resolve_root(self.directory)

    def ledger(self) -> Ledger:
        from minsheng_cli.store.load import load_ledger

        return load_ledger(self.root())


def workspace(ctx: typer.Context) -> Context:
    """The workspace the global options named (set by the callback before any command runs)."""
    return ctx.obj if isinstance(ctx.obj, Context) else Context(None)


def show_version(value: bool) -> None:
    if value:
        from minsheng_cli import __version__

        typer.echo(f"minsheng {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    directory: DirectoryOption = None,
    lang: LangOption = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=show_version, is_eager=True, help=_("Print the version.")
        ),
    ] = False,
) -> None:
    set_language(lang)
    ctx.obj = Context(directory)


def snapshot_for(
    ctx: typer.Context, as_of: str | None, month: int | None, ledger: Ledger | None = None
) -> Snapshot:
    from minsheng_cli.core.asof import snapshot_as_of

    ledger, today = ledger_today(ctx, as_of, month, ledger)
    return snapshot_as_of(ledger, as_of, month, today)


def milestones_for(
    ctx: typer.Context,
    as_of: str | None,
    month: int | None,
    ledger: Ledger | None = None,
    *,
    only_due: bool = False,
) -> Milestones:
    """Only the milestones (list, overdue): half the work of a whole snapshot."""
    from minsheng_cli.core.asof import milestones_as_of

    ledger, today = ledger_today(ctx, as_of, month, ledger)
    return milestones_as_of(ledger, as_of, month, today, only_due=only_due)


def ledger_today(
    ctx: typer.Context, as_of: str | None, month: int | None, ledger: Ledger | None = None
) -> tuple[Ledger, date]:
    """The workspace's ledger (``ledger``, if already loaded) and today; a note when no date was
    asked and today is outside the ledger's year (so that an empty overdue list in 2026 does
    not read as "all done")."""
    ledger = workspace(ctx).ledger() if ledger is None else ledger
    today = date.today()
    if as_of is None and month is None and today.year != ledger.year:
        say(
            _(
                "note: today ({today}) is outside the ledger's year {year}; add --month N or"
                " --as-of DATE to see the year as it stood then"
            ).format(today=today.isoformat(), year=ledger.year),
            err=True,
        )
    return ledger, today


def filtered_ledger(ctx: typer.Context, unit: str | None, leader: str | None) -> Ledger:
    """The workspace's ledger, once --unit and --leader are known to name something in it
    (a slip is said before anything else)."""
    ledger = workspace(ctx).ledger()
    known_filters(ledger, unit, leader)
    return ledger


def known_filters(ledger: Ledger, unit: str | None, leader: str | None) -> None:
    """A --unit or --leader that matches no item of the ledger is a slip, not an empty answer
    (an empty overdue list would read as good news): say so, and list the names there are."""
    for option, wanted, names in (
        ("--unit", unit, [item.unit for item in ledger.items]),
        ("--leader", leader, [item.leader for item in ledger.items]),
    ):
        if wanted is not None and not any(wanted.strip() in name for name in names):
            usage_exit(
                _("{option} “{value}” matches no item; the ledger has: {names}").format(
                    option=option, value=wanted, names="、".join(dict.fromkeys(names))
                )
            )


def of_unit_and_leader(item: Item, unit: str | None, leader: str | None) -> bool:
    """--unit and --leader match part of a name (--unit 农业 finds 农业农村局)."""
    return (unit is None or unit.strip() in item.unit) and (
        leader is None or leader.strip() in item.leader
    )


def print_json(items: Iterable[Any]) -> None:
    """A JSON array on standard output, written as its elements are made."""
    from minsheng_cli.render.json import array_chunks

    for chunk in array_chunks(items):
        sys.stdout.write(chunk)
    sys.stdout.write("\n")


def stdout_is_terminal() -> bool:
    """As Rich decides (TTY_COMPATIBLE, then FORCE_COLOR, then the stream), without its console."""
    compatible = os.environ.get("TTY_COMPATIBLE", "")
    if compatible in ("0", "1"):
        return compatible == "1"
    return bool(os.environ.get("FORCE_COLOR")) or sys.stdout.isatty()


def terminal_width() -> int | None:
    """The terminal's width, or None when output goes to a pipe or a file."""
    return console().width if stdout_is_terminal() else None


def print_parts(parts: Parts) -> None:
    """Rich draws it for a terminal; a pipe or a file gets the same tables as aligned plain text."""
    if stdout_is_terminal():
        from minsheng_cli.render.terminal import to_rich

        console().print(*to_rich(parts))
        return
    from minsheng_cli.render.plain import to_plain

    typer.echo(to_plain(parts))


def usage_exit(message: str) -> NoReturn:
    say(_("error: {message}").format(message=message), err=True)
    raise typer.Exit(EXIT_USAGE)


def print_problems(problems: list[Problem], root: Path, errors: int) -> None:
    for problem in problems:
        line = problem.render(root)
        shown = _("warning: {message}").format(message=line) if problem.warning else line
        say(shown, err=True)
    if errors:
        say(
            ngettext("{count} problem found", "{count} problems found", errors).format(
                count=errors
            ),
            err=True,
        )


@app.command(help=_("Load and validate every file; list every problem as file:line: what to do."))
def check(ctx: typer.Context) -> None:
    from minsheng_cli.store.load import load

    root = workspace(ctx).root()
    try:
        result = load(root)
    except LedgerProblems as broken:  # minsheng.yaml itself: task files wait until it is fixed
        print_problems(broken.problems, root, len(broken.problems))
        raise typer.Exit(1) from None
    print_problems(result.problems, root, len(result.errors))
    if result.errors:
        raise typer.Exit(1)
    ledger = result.ledger
    milestones = sum(len(i.milestones) for i in ledger.items)
    say(
        _("ok: {projects} 实事, {items} items, {milestones} milestones, no problems").format(
            projects=len(ledger.projects), items=len(ledger.items), milestones=milestones
        )
    )


@app.command(help=_("One row per item: progress, next milestone and a light (绿 黄 红 ✓)."))
def status(
    ctx: typer.Context,
    as_of: AsOfOption = None,
    month: MonthOption = None,
    unit: UnitOption = None,
    leader: LeaderOption = None,
    as_json: JsonOption = False,
) -> None:
    ledger = filtered_ledger(ctx, unit, leader)
    snapshot = snapshot_for(ctx, as_of, month, ledger)
    items = [s for s in snapshot.items if of_unit_and_leader(s.item, unit, leader)]
    if as_json:
        from minsheng_cli.render.json import item_json

        print_json(item_json(s) for s in items)
        return
    from minsheng_cli.render.tables import status_table

    print_parts(status_table(snapshot, items, terminal_width() or PLAIN_WIDTH))


@app.command("list", help=_("One row per milestone, with its due date and state."))
def list_milestones(
    ctx: typer.Context,
    as_of: AsOfOption = None,
    month: MonthOption = None,
    unit: UnitOption = None,
    leader: LeaderOption = None,
    state: Annotated[
        str | None,
        typer.Option(
            "--state",
            "-s",
            help=_("Only milestones in this state: met, met_late, overdue, due_soon, pending."),
        ),
    ] = None,
    due_month: Annotated[
        int | None,
        typer.Option(
            "--due-month",
            help=_("Only milestones due in month N (6 or 6月)."),
            parser=month_value("--due-month"),
            metavar="N",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    from minsheng_cli.core.evaluate import State

    wanted_state = None
    if state is not None:
        from minsheng_cli.render.labels import state_label

        # the JSON value (overdue) or the word the tables print (逾期)
        named = {s.value: s for s in State} | {state_label(s): s for s in State}
        wanted_state = named.get(state.strip())
        if wanted_state is None:
            usage_exit(
                _("unknown state “{state}”; use one of: {states}").format(
                    state=state,
                    states=", ".join(f"{s.value} ({state_label(s)})" for s in State),
                )
            )
    ledger = filtered_ledger(ctx, unit, leader)
    snapshot = milestones_for(ctx, as_of, month, ledger)
    statuses = [
        m
        for m in snapshot.milestones
        if of_unit_and_leader(m.item, unit, leader)
        and (wanted_state is None or m.state is wanted_state)
        and (due_month is None or (m.due is not None and m.due.month == due_month))
    ]
    emit_milestones(snapshot, statuses, as_json, _("milestone list"))


def emit_milestones(
    snapshot: Snapshot | Milestones, statuses: list[MilestoneStatus], as_json: bool, what: str
) -> None:
    if as_json:
        from minsheng_cli.render.json import milestone_json

        print_json(milestone_json(m) for m in statuses)
        return
    from minsheng_cli.render.tables import milestone_table

    print_parts(milestone_table(snapshot, statuses, what))


@app.command(help=_("One 实事 or item in full: content, indicators, milestones and records."))
def show(
    ctx: typer.Context,
    ref: Annotated[
        str, typer.Argument(help=_("3 (a 实事), 3.2 (its second item), or part of a name."))
    ],
    as_of: AsOfOption = None,
    month: MonthOption = None,
    as_json: JsonOption = False,
) -> None:
    from minsheng_cli.ledger.refs import resolve

    ledger = workspace(ctx).ledger()
    target = resolve(ledger, ref)  # a wrong reference is said before anything else
    snapshot = snapshot_for(ctx, as_of, month, ledger)
    wanted = {item.ref for item in target.items}
    statuses = [s for s in snapshot.items if s.item.ref in wanted]
    if as_json:
        from minsheng_cli.render.json import item_detail_json

        print_json(item_detail_json(s) for s in statuses)
        return
    from minsheng_cli.render.tables import item_detail

    for item_status in statuses:
        print_parts(item_detail(item_status))


def parse_assignments(pairs: list[str]) -> dict[str, float]:
    """--set 户厕改造=900 --set 示范村=10 → {"户厕改造": 900.0, "示范村": 10.0}."""
    values: dict[str, float] = {}
    for pair in pairs:
        # a Chinese input method types ＝ and full-width digits; the name is kept as written
        name, sep, raw = pair.replace("＝", "=").partition("=")
        name = clean_text(name, "--set", one_line=True)
        if name in values:
            usage_exit(_("--set names {name} twice; give each indicator once").format(name=name))
        raw = unicodedata.normalize("NFKC", raw)
        try:
            if not sep or not name:
                raise ValueError(pair)
            values[name] = float(raw.strip())
        except ValueError:
            usage_exit(
                _("--set takes INDICATOR=VALUE (e.g. 户厕改造=900), not “{pair}”").format(pair=pair)
            )
        if values[name] != values[name] or values[name] in (float("inf"), float("-inf")):
            usage_exit(_("--set needs a finite number, not “{pair}”").format(pair=pair))
    return values


def record_day(day: str | None) -> date:
    from minsheng_cli.core.asof import parse_day

    return parse_day(day) if day is not None else date.today()


def report_outcome(outcome: Any) -> None:
    say(_("recorded: {summary}").format(summary=outcome.summary))
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
    if outcome.commit:
        say(_("committed {commit}").format(commit=outcome.commit))
    elif outcome.audit_off:
        say(
            _(
                "note: this workspace is not in a git repository, so no audit trail is kept"
                " (`minsheng init DIR` creates a workspace with one)"
            ),
            err=True,
        )
    if outcome.audit_problem:
        say(_("error: {message}").format(message=outcome.audit_problem), err=True)
        raise typer.Exit(1)


ByOption = Annotated[str, typer.Option("--by", help=_("Who reported it (unit, person)."))]
NoteOption = Annotated[str, typer.Option("--note", help=_("A note kept with the record."))]
DateOption = Annotated[
    str | None,
    typer.Option("--date", help=_("The day it was reported (YYYY-MM-DD); default today.")),
]
NoCommitOption = Annotated[
    bool, typer.Option("--no-commit", help=_("Write the record but make no git commit."))
]


@app.command(help=_("Record what a unit reported: cumulative values or the share of work done."))
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
    )
    root = workspace(ctx).root()
    report_outcome(record_update(root, ref, change, date.today(), make_commit=not no_commit))


@app.command(
    help=_("Tick a milestone off (销号); --undo takes a tick back, as a record of its own.")
)
def done(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help=_("The item: 3.2, or part of its name."))],
    milestone: Annotated[
        str | None,
        typer.Argument(
            help=_("The milestone: its number in `show`, or part of its text (or write 3.1#7).")
        ),
    ] = None,
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
    no_commit: NoCommitOption = False,
) -> None:
    from minsheng_cli.ledger.refs import split_milestone
    from minsheng_cli.write.actions import record_tick

    ref, in_ref = split_milestone(ref)
    milestone = milestone or in_ref
    if milestone is None:
        usage_exit(_("name the milestone: `minsheng done 3.1 7` or `minsheng done 3.1#7`"))

    root = workspace(ctx).root()
    outcome = record_tick(
        root,
        ref,
        milestone,
        record_day(day),
        date.today(),
        undo=undo,
        period=period,
        by=clean_text(by, "--by", one_line=True),
        note=clean_text(note, "--note"),
        evidence=clean_text(evidence, "--evidence"),
        make_commit=not no_commit,
    )
    report_outcome(outcome)


@app.command(help=_("What is late, grouped by 责任领导 and 责任单位: exit 1 if anything is."))
def overdue(
    ctx: typer.Context,
    as_of: AsOfOption = None,
    month: MonthOption = None,
    unit: UnitOption = None,
    leader: LeaderOption = None,
    as_json: JsonOption = False,
) -> None:
    from minsheng_cli.core.evaluate import State

    ledger = filtered_ledger(ctx, unit, leader)
    snapshot = milestones_for(ctx, as_of, month, ledger, only_due=True)
    late = [
        m
        for m in snapshot.milestones
        if m.state is State.OVERDUE and of_unit_and_leader(m.item, unit, leader)
    ]
    if as_json:
        from minsheng_cli.render.json import milestone_json

        print_json(milestone_json(m) for m in late)
    else:
        from minsheng_cli.render.tables import overdue_report

        print_parts(overdue_report(snapshot, late, terminal_width() or PLAIN_WIDTH))
    if late:
        raise typer.Exit(1)


@app.command(
    help=_("For the month's dispatch meeting: what falls due in month N, and what is still open.")
)
def agenda(
    ctx: typer.Context,
    month: Annotated[
        int,
        typer.Option(
            "--month",
            "-m",
            help=_("The month to plan for (1–12): what falls due in it and what is still open."),
            parser=month_value("--month"),
            metavar="N",
        ),
    ],
    as_of: AsOfOption = None,
    unit: UnitOption = None,
    leader: LeaderOption = None,
    as_json: JsonOption = False,
) -> None:
    from minsheng_cli.core.agenda import agenda_for
    from minsheng_cli.core.asof import parse_day

    ledger = filtered_ledger(ctx, unit, leader)
    plan = agenda_for(ledger, month, parse_day(as_of) if as_of else None)
    keep = [m for m in plan.milestones if of_unit_and_leader(m.item, unit, leader)]
    if as_json:
        from minsheng_cli.render.json import milestone_json

        print_json(milestone_json(m) for m in keep)
        return
    title = _("agenda for {month}月").format(month=month)
    emit_milestones(plan.snapshot, keep, False, title)


@app.command(help=_("The recorded history, from git: when, who, what changed, which commit."))
def log(
    ctx: typer.Context,
    ref: Annotated[str | None, typer.Argument(help=_("Only this 实事 or item."))] = None,
    as_json: JsonOption = False,
) -> None:
    from minsheng_cli.write.audit import history, in_work_tree

    context = workspace(ctx)
    root = context.root()
    if not in_work_tree(root):
        usage_exit(_("this workspace is not in a git repository, so there is no history"))
    entries = history(root)
    if ref is not None:
        from minsheng_cli.ledger.refs import resolve

        target = resolve(context.ledger(), ref)
        wanted = {i.ref for i in target.items}
        names = {i.file.name for i in target.items}
        entries = [
            e
            for e in entries
            if wanted & set(e.items)
            or (not e.items and any(Path(f).name in names for f in e.files))
        ]
    if as_json:
        print_json(
            [
                {
                    "commit": e.commit,
                    "author": e.author,
                    "date": e.when,
                    "subject": e.subject,
                    "items": list(e.items),
                    "reported_by": e.reporter,
                    "files": list(e.files),
                }
                for e in entries
            ]
        )
        return
    from minsheng_cli.render.tables import history_table

    print_parts(history_table(entries))


@app.command(help=_("Create a new ledger workspace with its git repository."))
def init(
    directory: Annotated[Path, typer.Argument(help=_("The folder for the new workspace."))],
    year: Annotated[
        int | None, typer.Option("--year", help=_("The ledger's year; default this year."))
    ] = None,
    title: Annotated[str, typer.Option("--title", help=_("The list's title."))] = "",
) -> None:
    from minsheng_cli.write.workspace_init import create_workspace

    created = create_workspace(directory, year or date.today().year, title)
    say(_("created {folder}").format(folder=created.root))
    if created.commit:
        say(_("committed {commit}").format(commit=created.commit))
    elif created.note:
        say(_("error: {message}").format(message=created.note), err=True)
        raise typer.Exit(1)


GLOBAL_OPTIONS_WITH_VALUE = ("-C", "--directory", "--lang")


def requested_command(argv: list[str]) -> str | None:
    """The subcommand named on the command line, skipping the global options before it."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in GLOBAL_OPTIONS_WITH_VALUE:
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def only_requested(argv: list[str]) -> None:
    """Typer converts every registered command on each start; the clerk runs one at a time.

    When the command line names a known command, register only that one (about 10 ms saved on
    every run). Help, no arguments and typos keep the full list, so they read as before.
    """
    wanted = requested_command(argv)
    names = {c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands}
    if wanted in names:
        app.registered_commands = [
            c
            for c in app.registered_commands
            if (c.name or (c.callback.__name__ if c.callback else "")) == wanted
        ]


def run() -> None:
    """The console script: language first (help texts are translated), then the app."""
    # One short process that builds a large, acyclic graph of ledger objects: the cycle
    # collector only walks it again and again (a fifth of check's time at 100,000 milestones).
    gc.disable()
    only_requested(sys.argv[1:])
    app()


from minsheng_cli.cli.doctor import register as _register_doctor  # noqa: E402
from minsheng_cli.cli.paperwork import register as _register_paperwork  # noqa: E402

_register_paperwork(app)
_register_doctor(app)
