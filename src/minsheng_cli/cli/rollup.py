"""`minsheng rollup …`: the group of a rollup's commands (workspace and sync; the views).

The commands are defined in ``rollup_sync`` and ``rollup_views``; this module gathers them into
the one `rollup` group the root app registers.
"""

from __future__ import annotations

import typer

from minsheng_cli.cli import rollup_sync, rollup_views
from minsheng_cli.i18n import _

commands = typer.Typer()

group = typer.Typer(
    no_args_is_help=True,
    rich_markup_mode=None,
    help=_(
        "A prefecture's or province's rollup of county ledgers, each fetched with git:"
        " one view of every county's status, overdue list and bulletin."
    ),
)
group.registered_commands = [
    *rollup_sync.commands.registered_commands,
    *rollup_views.commands.registered_commands,
]
commands.add_typer(group, name="rollup")
