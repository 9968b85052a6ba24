"""`minsheng rollup …`: the group of a rollup's commands (workspace and sync; the views).

The commands are defined in ``rollup_sync`` and ``rollup_views``; this module gathers them into
the one `rollup` group the root app registers.
"""

from __future__ import annotations

import typer

from minsheng_cli.cli import rollup_sync, rollup_views
from minsheng_cli.cli.app import MinshengGroup
from minsheng_cli.i18n import _

commands = typer.Typer()


class RollupGroup(MinshengGroup):
    """The root's handling of errors and --help words, and a typo said in the clerk's words."""

    command_prefix = "rollup "

    def see_help(self) -> str:
        return _("see `minsheng rollup --help`")

    def not_a_command(self, name: str, hint: str) -> str:
        return _("“{name}” is not a `minsheng rollup` command; {hint}").format(name=name, hint=hint)


group = typer.Typer(
    cls=RollupGroup,
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


@group.callback()
def collect_cycles() -> None:
    # The console script turns the cycle collector off: one ledger's objects live until the
    # process ends. A rollup builds one ledger per member in turn and keeps none of them, so
    # it turns the collector back on (3,000 members read cold: 1.9 GB without it).
    import gc

    gc.enable()
