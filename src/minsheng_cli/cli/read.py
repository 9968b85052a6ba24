"""The commands that read the ledger: check, status, list, show, overdue, agenda, log.

Each command imports the work it does when it runs: the console script registers only the
command it was given, so `status` never loads git's, Word's or pydantic's code.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from minsheng_cli.cli.common import (
    PLAIN_WIDTH,
    filtered_ledger,
    milestones_for,
    of_site,
    of_unit_and_leader,
    print_json,
    print_overdue,
    print_parts,
    print_problems,
    print_status,
    say,
    snapshot_for,
    terminal_width,
    workspace,
)
from minsheng_cli.cli.options import (
    AsOfOption,
    AsRecordedOption,
    JsonOption,
    LeaderOption,
    MonthOption,
    SiteOption,
    UnitOption,
    month_value,
)
from minsheng_cli.errors import EXIT_PROBLEMS, LedgerProblems, UsageError
from minsheng_cli.i18n import _

if TYPE_CHECKING:
    from minsheng_cli.core.evaluate import Milestones, MilestoneStatus, Snapshot


commands = typer.Typer()


@commands.command(
    help=_("Load and validate every file; list every problem as file:line: what to do.")
)
def check(ctx: typer.Context) -> None:
    from minsheng_cli.store.load import load

    root = workspace(ctx).root()
    try:
        result = load(root)
    except LedgerProblems as broken:  # minsheng.yaml itself: task files wait until it is fixed
        print_problems(broken.problems, root, len(broken.problems))
        raise typer.Exit(EXIT_PROBLEMS) from None
    print_problems(result.problems, root, len(result.errors))
    if result.errors:
        raise typer.Exit(EXIT_PROBLEMS)
    ledger = result.ledger
    milestones = sum(len(i.milestones) for i in ledger.items)
    say(
        _("ok: {projects} 实事, {items} items, {milestones} milestones, no problems").format(
            projects=len(ledger.projects), items=len(ledger.items), milestones=milestones
        )
    )


@commands.command(help=_("One row per item: progress, next milestone and a light (绿 黄 红 ✓)."))
def status(
    ctx: typer.Context,
    as_of: AsOfOption = None,
    month: MonthOption = None,
    as_recorded: AsRecordedOption = None,
    unit: UnitOption = None,
    leader: LeaderOption = None,
    site: SiteOption = None,
    as_json: JsonOption = False,
) -> None:
    ledger = filtered_ledger(ctx, unit, leader, site)
    snapshot = snapshot_for(ctx, as_of, month, ledger)
    items = [
        s
        for s in snapshot.items
        if of_unit_and_leader(s.item, unit, leader, ledger.workspace.aliases)
        and of_site(s.item, site)
    ]
    print_status(snapshot, items, as_json=as_json)


@commands.command("list", help=_("One row per milestone, with its due date and state."))
def list_milestones(
    ctx: typer.Context,
    as_of: AsOfOption = None,
    month: MonthOption = None,
    as_recorded: AsRecordedOption = None,
    unit: UnitOption = None,
    leader: LeaderOption = None,
    site: SiteOption = None,
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
            raise UsageError(
                _("unknown state “{state}”; use one of: {states}").format(
                    state=state,
                    states=", ".join(f"{s.value} ({state_label(s)})" for s in State),
                )
            )
    ledger = filtered_ledger(ctx, unit, leader, site)
    snapshot = milestones_for(ctx, as_of, month, ledger)
    statuses = [
        m
        for m in snapshot.milestones
        if of_unit_and_leader(m.item, unit, leader, ledger.workspace.aliases)
        and of_site(m.item, site)
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

    print_parts(milestone_table(snapshot, statuses, what, terminal_width() or PLAIN_WIDTH))


@commands.command(help=_("One 实事 or item in full: content, indicators, milestones and records."))
def show(
    ctx: typer.Context,
    ref: Annotated[
        str, typer.Argument(help=_("3 (a 实事), 3.2 (its second item), or part of a name."))
    ],
    as_of: AsOfOption = None,
    month: MonthOption = None,
    as_recorded: AsRecordedOption = None,
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

    width = terminal_width() or PLAIN_WIDTH
    for item_status in statuses:
        print_parts(item_detail(item_status, width))


@commands.command(help=_("What is late, grouped by 责任领导 and 责任单位: exit 1 if anything is."))
def overdue(
    ctx: typer.Context,
    as_of: AsOfOption = None,
    month: MonthOption = None,
    as_recorded: AsRecordedOption = None,
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
        if m.state is State.OVERDUE
        and of_unit_and_leader(m.item, unit, leader, ledger.workspace.aliases)
    ]
    print_overdue(snapshot, late, as_json=as_json)
    if late:
        raise typer.Exit(EXIT_PROBLEMS)


@commands.command(
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
    keep = [
        m
        for m in plan.milestones
        if of_unit_and_leader(m.item, unit, leader, ledger.workspace.aliases)
    ]
    if as_json:
        from minsheng_cli.render.json import milestone_json

        print_json(milestone_json(m) for m in keep)
        return
    from minsheng_cli.render.tables import agenda_table

    title = _("agenda for {month}月").format(month=month)
    print_parts(agenda_table(plan.snapshot, keep, title, terminal_width() or PLAIN_WIDTH))


@commands.command(help=_("The recorded history, from git: when, who, what changed, which commit."))
def log(
    ctx: typer.Context,
    ref: Annotated[str | None, typer.Argument(help=_("Only this 实事 or item."))] = None,
    as_json: JsonOption = False,
) -> None:
    from minsheng_cli.write.audit import history, in_work_tree

    context = workspace(ctx)
    root = context.root()
    if not in_work_tree(root):
        raise UsageError(_("this workspace is not in a git repository, so there is no history"))
    entries = history(root)
    if ref is not None:
        from minsheng_cli.ledger.refs import resolve

        target = resolve(context.ledger(), ref)
        wanted = {i.ref for i in target.items}
        names = {i.file.name for i in target.items}
        entries = [
            e._replace(records=e.records_of(wanted))
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
                    "note": e.note,
                    "records": list(e.records),
                    "form": e.form or None,
                    "form_file": e.form_file or None,
                }
                for e in entries
            ]
        )
        return
    from minsheng_cli.render.tables import history_table

    print_parts(history_table(entries))
