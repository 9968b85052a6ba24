"""`minsheng init`: a new workspace with its git repository."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from minsheng_cli import clock
from minsheng_cli.cli.common import say
from minsheng_cli.errors import GitError
from minsheng_cli.i18n import _

commands = typer.Typer()


@commands.command(help=_("Create a new ledger workspace with its git repository."))
def init(
    directory: Annotated[Path, typer.Argument(help=_("The folder for the new workspace."))],
    year: Annotated[
        int | None, typer.Option("--year", help=_("The ledger's year; default this year."))
    ] = None,
    title: Annotated[str, typer.Option("--title", help=_("The list's title."))] = "",
) -> None:
    from minsheng_cli.write.workspace_init import create_workspace

    created = create_workspace(directory, year or clock.today().year, title)
    say(_("created {folder}").format(folder=created.root))
    if created.commit:
        say(_("committed {commit}").format(commit=created.commit))
    elif created.note:
        raise GitError(created.note)
