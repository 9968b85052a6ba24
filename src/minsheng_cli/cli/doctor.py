"""`minsheng doctor [--fix]`: check the workspace and its repository, repair what is safe.

The checks and repairs are ``write.doctor``'s, imported when the command runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from minsheng_cli.cli.common import say, workspace
from minsheng_cli.errors import EXIT_PROBLEMS
from minsheng_cli.i18n import _

if TYPE_CHECKING:
    from minsheng_cli.write.doctor import Finding

commands = typer.Typer()
FixOption = Annotated[
    bool,
    typer.Option(
        "--fix",
        help=_(
            "Repair what is safe to repair: commit saved records, remove a stale git lock,"
            " temporary files and a damaged cache."
        ),
    ),
]


@commands.command(
    help=_(
        "Check the workspace and its git repository (a stale git lock, leftover temporary"
        " files, records not committed, a damaged cache, git and its identity);"
        " --fix repairs what is safe to repair."
    )
)
def doctor(ctx: typer.Context, fix: FixOption = False) -> None:
    from minsheng_cli.write.doctor import examine, problems_remain

    findings = examine(workspace(ctx).root(), fix)
    for finding in findings:
        say(finding_line(finding))
    if problems_remain(findings):
        raise typer.Exit(EXIT_PROBLEMS)


def finding_line(finding: Finding) -> str:
    """One line per finding: ok, a note, a problem (and what --fix would do), or what was fixed."""
    from minsheng_cli.write.doctor import Status

    if finding.status is Status.OK:
        return _("ok: {message}").format(message=finding.message)
    if finding.status is Status.NOTE:
        return _("note: {message}").format(message=finding.message)
    if finding.status is Status.FIXED:
        return _("fixed: {message}").format(message=finding.message)
    if finding.fix:
        return _("problem: {message} (`minsheng doctor --fix` {fix})").format(
            message=finding.message, fix=finding.fix
        )
    return _("problem: {message}").format(message=finding.message)
