"""`minsheng doctor [--fix]`: check the workspace and its repository, repair what is safe.

Registered on the main app by ``register``; the work is imported when the command runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from minsheng_cli.i18n import _

if TYPE_CHECKING:
    from minsheng_cli.write.doctor import Finding

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


def doctor(ctx: typer.Context, fix: FixOption = False) -> None:
    from minsheng_cli.cli.app import say, workspace
    from minsheng_cli.write.doctor import examine, problems_remain

    findings = examine(workspace(ctx).root(), fix)
    for finding in findings:
        say(finding_line(finding))
    if problems_remain(findings):
        raise typer.Exit(1)


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


def register(app: typer.Typer) -> None:
    """Add `doctor` to the main app."""
    app.command(
        help=_(
            "Check the workspace and its git repository (a stale git lock, leftover temporary"
            " files, records not committed, a damaged cache, git and its identity);"
            " --fix repairs what is safe to repair."
        )
    )(doctor)
