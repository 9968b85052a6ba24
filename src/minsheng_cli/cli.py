"""The command line: parse arguments, call the core, render. Nothing here computes."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from minsheng_cli.errors import EXIT_USAGE, LedgerProblems, MinshengError
from minsheng_cli.i18n import _, set_language

if TYPE_CHECKING:
    from rich.console import Console

    from minsheng_cli.evaluate import MilestoneStatus, Snapshot
    from minsheng_cli.ledger import Ledger

EXIT_INTERNAL = 70
PIPE_WIDTH = 160


def console(stderr: bool = False) -> Console:
    """Rich decides colour from the stream and NO_COLOR; a pipe gets plain, wide text."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    wide = None if stream.isatty() or os.environ.get("COLUMNS") else PIPE_WIDTH
    return Console(file=stream, highlight=False, width=wide, soft_wrap=False)


def report_error(error: MinshengError) -> None:
    err = console(stderr=True)
    if isinstance(error, LedgerProblems):
        for problem in error.problems:
            err.print(problem.render(error.root), markup=False)
        err.print(
            _("{count} problem(s) in the ledger; fix them, then run `minsheng check`").format(
                count=len(error.problems)
            ),
            markup=False,
        )
        return
    err.print(_("error: {message}").format(message=error.message), markup=False)


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
        except Exception as error:
            if os.environ.get("MINSHENG_DEBUG") == "1" or _is_click_error(error):
                raise
            console(stderr=True).print(
                _("internal error: {kind}: {error} (MINSHENG_DEBUG=1 shows the traceback)").format(
                    kind=type(error).__name__, error=error
                ),
                markup=False,
            )
            raise typer.Exit(EXIT_INTERNAL) from None


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


@dataclass
class Context:
    directory: Path | None

    def root(self) -> Path:
        from minsheng_cli.load import resolve_root

        return resolve_root(self.directory)

    def ledger(self) -> Ledger:
        from minsheng_cli.load import load_ledger

        return load_ledger(self.root())


def workspace(ctx: typer.Context) -> Context:
    found: Context = ctx.ensure_object(Context) if ctx.obj else Context(None)
    return found


DirectoryOption = Annotated[
    Path | None,
    typer.Option(
        "-C",
        "--directory",
        help=_("The ledger workspace (the folder with minsheng.yaml); default: found upward."),
        file_okay=False,
    ),
]
LangOption = Annotated[
    str | None,
    typer.Option("--lang", envvar="MINSHENG_LANG", help=_("Language of messages: zh or en.")),
]
AsOfOption = Annotated[
    str | None, typer.Option("--as-of", help=_("Evaluate as of this date (YYYY-MM-DD)."))
]
MonthOption = Annotated[
    int | None,
    typer.Option(
        "--month", "-m", help=_("Evaluate as of the last day of month N of the ledger's year.")
    ),
]
UnitOption = Annotated[
    str | None,
    typer.Option("--unit", "-u", help=_("Only items of this 责任单位 (part of its name).")),
]
LeaderOption = Annotated[
    str | None, typer.Option("--leader", "-l", help=_("Only items of this 责任领导."))
]
JsonOption = Annotated[
    bool, typer.Option("--json", help=_("Print JSON (see the README's contract)."))
]


@app.callback()
def main_options(
    ctx: typer.Context, directory: DirectoryOption = None, lang: LangOption = None
) -> None:
    set_language(lang)
    ctx.obj = Context(directory)


def snapshot_for(ctx: typer.Context, as_of: str | None, month: int | None) -> Snapshot:
    from minsheng_cli.asof import as_of_date
    from minsheng_cli.evaluate import evaluate

    ledger = workspace(ctx).ledger()
    return evaluate(ledger, as_of_date(ledger.year, as_of, month, date.today()))


def matches(value: str, wanted: str | None) -> bool:
    return wanted is None or wanted.strip() in value


def print_json(data: Any) -> None:
    from minsheng_cli.render_json import dumps

    typer.echo(dumps(data))


def print_rich(renderable: Any) -> None:
    console().print(renderable)


def usage_exit(message: str) -> NoReturn:
    console(stderr=True).print(_("error: {message}").format(message=message), markup=False)
    raise typer.Exit(EXIT_USAGE)


@app.command()
def check(ctx: typer.Context) -> None:
    """Load and validate every file; list every problem as file:line: what to do."""
    from minsheng_cli.load import load

    root = workspace(ctx).root()
    result = load(root)
    out = console()
    for problem in result.problems:
        prefix = _("warning: ") if problem.warning else ""
        console(stderr=True).print(prefix + problem.render(root), markup=False)
    ledger = result.ledger
    if result.errors:
        console(stderr=True).print(
            _("{count} problem(s) found").format(count=len(result.errors)), markup=False
        )
        raise typer.Exit(1)
    milestones = sum(len(i.milestones) for i in ledger.items)
    out.print(
        _("ok: {projects} 实事, {items} items, {milestones} milestones, no problems").format(
            projects=len(ledger.projects), items=len(ledger.items), milestones=milestones
        ),
        markup=False,
    )


@app.command()
def status(
    ctx: typer.Context,
    as_of: AsOfOption = None,
    month: MonthOption = None,
    unit: UnitOption = None,
    leader: LeaderOption = None,
    as_json: JsonOption = False,
) -> None:
    """One row per item: progress, next milestone and a light (绿 黄 红 ✓)."""
    snapshot = snapshot_for(ctx, as_of, month)
    items = [
        s for s in snapshot.items if matches(s.item.unit, unit) and matches(s.item.leader, leader)
    ]
    if as_json:
        from minsheng_cli.render_json import item_json

        print_json([item_json(s) for s in items])
        return
    from minsheng_cli.render_text import status_table

    print_rich(status_table(snapshot, items))


@app.command("list")
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
        typer.Option("--due-month", help=_("Only milestones due in month N."), min=1, max=12),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """One row per milestone, with its due date and state."""
    from minsheng_cli.evaluate import State

    wanted_state = None
    if state is not None:
        try:
            wanted_state = State(state)
        except ValueError:
            usage_exit(
                _("unknown state “{state}”; use one of: {states}").format(
                    state=state, states=", ".join(s.value for s in State)
                )
            )
    snapshot = snapshot_for(ctx, as_of, month)
    statuses = [
        m
        for m in snapshot.milestones
        if matches(m.item.unit, unit)
        and matches(m.item.leader, leader)
        and (wanted_state is None or m.state is wanted_state)
        and (due_month is None or (m.due is not None and m.due.month == due_month))
    ]
    emit_milestones(snapshot, statuses, as_json, _("milestones"))


def emit_milestones(
    snapshot: Snapshot, statuses: list[MilestoneStatus], as_json: bool, what: str
) -> None:
    if as_json:
        from minsheng_cli.render_json import milestone_json

        print_json([milestone_json(m) for m in statuses])
        return
    from minsheng_cli.render_text import milestone_table

    print_rich(milestone_table(snapshot, statuses, what))


@app.command()
def show(
    ctx: typer.Context,
    ref: Annotated[
        str, typer.Argument(help=_("3 (a 实事), 3.2 (its second item), or part of a name."))
    ],
    as_of: AsOfOption = None,
    month: MonthOption = None,
    as_json: JsonOption = False,
) -> None:
    """One 实事 or item in full: content, indicators, milestones and records."""
    from minsheng_cli.refs import resolve

    snapshot = snapshot_for(ctx, as_of, month)
    target = resolve(snapshot.ledger, ref)
    wanted = {item.ref for item in target.items}
    statuses = [s for s in snapshot.items if s.item.ref in wanted]
    if as_json:
        from minsheng_cli.render_json import item_detail_json

        print_json([item_detail_json(s) for s in statuses])
        return
    from minsheng_cli.render_text import item_detail

    for item_status in statuses:
        print_rich(item_detail(item_status))


def run() -> None:
    """The console script: language first (help texts are translated), then the app."""
    app()
