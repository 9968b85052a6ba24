"""`minsheng import FILE [DIR]`: the county's notice made a checked ledger in one command.

The reading, the splitting and the checks are ``notice``'s, imported when the command runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from minsheng_cli.cli.common import print_json_value, say, workspace
from minsheng_cli.errors import GitError
from minsheng_cli.i18n import _

if TYPE_CHECKING:
    from minsheng_cli.notice.report import Flag, ImportReport

commands = typer.Typer()


@commands.command(
    "import",
    # the whole help is one "word" to Click in Chinese (no spaces): without a short one the
    # command list shows only "..."
    short_help=_("Make a workspace from the county's notice: a task file per 实事, committed."),
    help=_(
        "Make a workspace from the county's notice (.docx, .html, .xlsx, .pdf, .txt, .doc):"
        " one task file per 实事, checked, with its first commit; print what needs the clerk."
    ),
)
def import_command(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(help=_("The notice: Word, web page, Excel, PDF or text."))
    ],
    directory: Annotated[
        Path | None,
        typer.Argument(
            help=_("The folder for the new workspace; default: the notice's name, here.")
        ),
    ] = None,
    year: Annotated[
        int | None,
        typer.Option("--year", help=_("The ledger's year; default the year the notice names.")),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help=_("Replace an existing workspace (or, with --into, its same files).")
        ),
    ] = False,
    into: Annotated[
        bool,
        typer.Option(
            "--into", help=_("Add the 实事 to an existing workspace, leaving its other files.")
        ),
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help=_("Print the import report as JSON."))
    ] = False,
) -> None:
    from minsheng_cli.notice.run import import_notice

    if directory is None:
        directory = workspace(ctx).root() if into else Path.cwd() / file.stem
    report = import_notice(file, directory, year, force, into)
    if as_json:
        print_json_value(report.as_json(), indent=1)
    else:
        print_report(report)
    if report.note:
        raise GitError(report.note)


def print_report(report: ImportReport) -> None:
    say(
        _(
            "imported {file} into {folder}: {projects} 实事, {items} items,"
            " {milestones} milestones, {indicators} indicators"
        ).format(
            file=report.source,
            folder=report.directory,
            projects=report.projects,
            items=report.items,
            milestones=report.milestones,
            indicators=report.indicators,
        )
    )
    if report.flags:
        say(_("{count} cells need the clerk:").format(count=len(report.flags)))
        for flag in report.flags:
            say("  " + flag_line(flag))
    else:
        say(_("no cell needs the clerk"))
    if report.commit:
        say(_("committed {commit}").format(commit=report.commit))


def flag_line(flag: Flag) -> str:
    return _("{file} table {table} row {row} {column}: “{text}” — {action}").format(
        file=flag.file,
        table=flag.table,
        row=flag.row,
        column=flag.column,
        text=flag.text,
        action=flag.action,
    )
