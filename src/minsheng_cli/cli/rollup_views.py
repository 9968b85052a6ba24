"""`minsheng rollup status|overdue|report|export`: every member county in one view.

Each member is read at the commit rollup-state.json names, under its own ledger's year and rules;
``--member NAME`` gives that county's own single-ledger view instead. The views are computed in
``rollup.views`` and cached per commit in ``rollup.rows``; this module parses and prints.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from minsheng_cli.cli.common import (
    PLAIN_WIDTH,
    print_json,
    print_overdue,
    print_parts,
    print_status,
    say,
    terminal_width,
)
from minsheng_cli.cli.options import (
    AsOfOption,
    ForceOption,
    JsonOption,
    MonthOption,
    OutputOption,
    QuarterOption,
    ReportFormatOption,
    ReportMonthOption,
)
from minsheng_cli.cli.rollup_common import rollup_root
from minsheng_cli.errors import EXIT_PROBLEMS, MinshengError, UsageError
from minsheng_cli.i18n import _

if TYPE_CHECKING:
    from minsheng_cli.ledger.model import Ledger
    from minsheng_cli.rollup.config import RollupConfig
    from minsheng_cli.rollup.views import MemberView, Request

commands = typer.Typer()

MemberOption = Annotated[
    str | None,
    typer.Option(
        "--member", help=_("Only this member county: its own ledger's view, as the county sees it.")
    ),
]


def request_of(as_of: str | None, month: int | None) -> Request:
    from minsheng_cli import clock
    from minsheng_cli.core.asof import parse_day
    from minsheng_cli.rollup.views import Request

    if as_of is not None and month is not None:
        raise UsageError(_("give either --as-of or --month, not both"))
    if month is not None and not 1 <= month <= 12:
        raise UsageError(_("--month must be 1–12, not {month}").format(month=month))
    return Request(parse_day(as_of) if as_of is not None else None, month, clock.today())


def rollup_and_views(
    ctx: typer.Context, as_of: str | None, month: int | None
) -> tuple[RollupConfig, list[MemberView]]:
    from minsheng_cli.rollup.config import read_config
    from minsheng_cli.rollup.rows import member_views

    request = request_of(as_of, month)
    root = rollup_root(ctx)
    config = read_config(root).config
    views = member_views(root, config.members, request)
    note_other_years(request, {v.computed.year for v in views if v.computed})
    return config, views


def note_other_years(request: Request, years: set[int]) -> None:
    """When today is asked (no --as-of, no --month) of ledgers of other years, the county's own
    note, naming those years: so that an empty overdue list, or 逾期 1344 days, is not misread."""
    if request.as_of is not None or request.month is not None:
        return
    others = sorted(years - {request.today.year})
    if others:
        say(
            _(
                "note: today ({today}) is outside the ledger's year {year}; add --month N or"
                " --as-of DATE to see the year as it stood then"
            ).format(today=request.today.isoformat(), year="、".join(map(str, others))),
            err=True,
        )


def member_ledger(ctx: typer.Context, name: str) -> tuple[Ledger, MemberView]:
    """--member NAME: that member's ledger at the commit the state names, and its view row."""
    from minsheng_cli.rollup.config import read_config
    from minsheng_cli.rollup.rows import member_ledger as ledger_at
    from minsheng_cli.rollup.state import MemberState, read_state
    from minsheng_cli.rollup.views import MemberView

    root = rollup_root(ctx)
    config = read_config(root).config
    if config.member(name) is None:
        names = "、".join(m.name for m in config.members[:10])
        raise UsageError(
            _("no member “{name}” in this rollup; its members: {names}").format(
                name=name, names=names or "—"
            )
        )
    state = read_state(root).get(name, MemberState())
    if state.commit is None:  # not a usage error: the command was right, the data is missing
        if state.stale_reason:
            raise MinshengError(
                _("{member} has never been read: {reason}").format(
                    member=name, reason=state.stale_reason
                )
            )
        raise MinshengError(
            _("{member} has never been read: run `minsheng rollup sync` first").format(member=name)
        )
    view = MemberView(
        name, state.commit, state.stale_reason, state.stale_since, None, read_at=state.read_at
    )
    return ledger_at(root, name, state.commit), view


def say_stale(view: MemberView) -> None:
    from minsheng_cli.rollup.tables import moment

    if view.stale:
        say(
            "⚠ "
            + _("{member}: stale since {since}: {reason}").format(
                member=view.name, since=moment(view.stale_since), reason=view.stale_reason
            ),
            err=True,
        )


@commands.command(
    help=_(
        "One row per member county: items per light, milestones met and overdue, completion,"
        " last report, the commit read; exit 1 if any member is stale."
    )
)
def status(
    ctx: typer.Context,
    as_of: AsOfOption = None,
    month: MonthOption = None,
    member: MemberOption = None,
    as_json: JsonOption = False,
) -> None:
    if member is not None:
        from minsheng_cli.core.asof import snapshot_as_of

        ledger, view = member_ledger(ctx, member)
        request = request_of(as_of, month)
        snapshot = snapshot_as_of(ledger, as_of, month, request.today)
        print_status(snapshot, snapshot.items, as_json=as_json)
        say_stale(view)
        if view.stale:
            raise typer.Exit(EXIT_PROBLEMS)
        return
    config, views = rollup_and_views(ctx, as_of, month)
    if as_json:
        from minsheng_cli.rollup.views import member_json

        print_json(member_json(v) for v in views)
    else:
        from minsheng_cli.rollup.tables import status_sheet

        width = terminal_width() or PLAIN_WIDTH
        print_parts(status_sheet(config.title, views, width, config.level))
    if any(v.stale or v.computed is None for v in views):
        raise typer.Exit(EXIT_PROBLEMS)


@commands.command(
    help=_(
        "What is late in every member county, by county, then 责任领导 and 责任单位:"
        " exit 1 if anything is."
    )
)
def overdue(
    ctx: typer.Context,
    as_of: AsOfOption = None,
    month: MonthOption = None,
    member: MemberOption = None,
    as_json: JsonOption = False,
) -> None:
    if member is not None:
        member_overdue(ctx, member, as_of, month, as_json)
        return
    config, views = rollup_and_views(ctx, as_of, month)
    if as_json:
        from minsheng_cli.rollup.views import overdue_json

        print_json(overdue_json(views))
    else:
        from minsheng_cli.rollup.tables import overdue_sheet

        print_parts(overdue_sheet(config.title, views, terminal_width() or PLAIN_WIDTH))
    if any(v.overdue_count for v in views):
        raise typer.Exit(EXIT_PROBLEMS)


def member_overdue(
    ctx: typer.Context, member: str, as_of: str | None, month: int | None, as_json: bool
) -> None:
    """The county's own `overdue`, from its ledger in the rollup."""
    from minsheng_cli.core.asof import milestones_as_of
    from minsheng_cli.core.evaluate import State

    ledger, view = member_ledger(ctx, member)
    request = request_of(as_of, month)
    snapshot = milestones_as_of(ledger, as_of, month, request.today, only_due=True)
    late = [m for m in snapshot.milestones if m.state is State.OVERDUE]
    print_overdue(snapshot, late, as_json=as_json)
    say_stale(view)
    if late:
        raise typer.Exit(EXIT_PROBLEMS)


@commands.command(
    help=_(
        "The bulletin across member counties (--month N or --quarter Q of each county's own"
        " year): a summary of every county, then each county's own bulletin."
    )
)
def report(
    ctx: typer.Context,
    month: ReportMonthOption = None,
    quarter: QuarterOption = None,
    member: MemberOption = None,
    fmt: ReportFormatOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    from minsheng_cli.cli.paperwork import REPORT_FORMATS, check_output, choose_format, deliver
    from minsheng_cli.paperwork.outline import period_request

    kind, number = period_request(month, quarter)
    chosen = choose_format(fmt, output, REPORT_FORMATS) or "md"
    check_output(output, chosen, force)
    if member is not None:
        from minsheng_cli.cli.paperwork import render_report
        from minsheng_cli.rollup.paper import member_report

        ledger, view = member_ledger(ctx, member)
        deliver(render_report(member_report(ledger, view, kind, number), chosen), output)
        return
    from minsheng_cli.rollup.paper import rollup_report, rollup_report_content

    root = rollup_root(ctx)
    paper = rollup_report(root, kind, number)
    deliver(rollup_report_content(paper, chosen), output)


@commands.command(
    help=_(
        "Every member county's 台账 in one Excel file (a summary sheet and a sheet per county)"
        " or JSON, each county as of its own day."
    )
)
def export(
    ctx: typer.Context,
    fmt: Annotated[
        str | None,
        typer.Option("--format", "-f", help=_("xlsx or json (default: from -o FILE).")),
    ] = None,
    as_of: AsOfOption = None,
    month: MonthOption = None,
    member: MemberOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    from minsheng_cli.cli.paperwork import check_output, choose_format, deliver

    allowed = ("xlsx", "csv", "json") if member is not None else ("xlsx", "json")
    chosen = choose_format(fmt, output, allowed)
    if chosen is None:
        raise UsageError(
            _("give --format ({formats}) or -o FILE").format(formats=", ".join(allowed))
        )
    check_output(output, chosen, force)
    request = request_of(as_of, month)
    if member is not None:
        from minsheng_cli.core.asof import snapshot_as_of
        from minsheng_cli.paperwork.export import export_content

        ledger, view = member_ledger(ctx, member)
        snapshot = snapshot_as_of(ledger, as_of, month, request.today)
        version = (view.commit or "")[:7]
        deliver(export_content(snapshot, chosen, version), output)
        return
    from minsheng_cli.rollup.config import read_config
    from minsheng_cli.rollup.paper import member_snapshots, rollup_export

    root = rollup_root(ctx)
    members = member_snapshots(root, request)
    note_other_years(request, {s.ledger.year for _view, s in members if s is not None})
    config = read_config(root).config
    deliver(rollup_export(config.title, members, chosen, config.level), output)
