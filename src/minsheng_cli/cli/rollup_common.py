"""What every `minsheng rollup` command shares: finding the rollup workspace."""

from __future__ import annotations

from pathlib import Path

import typer

from minsheng_cli.cli.common import workspace


def rollup_root(ctx: typer.Context) -> Path:
    """The rollup workspace: -C DIR if given (it must hold rollup.yaml), else the folder holding
    rollup.yaml at or above the current one."""
    from minsheng_cli.rollup.config import ROLLUP_FILE, find_rollup_root

    directory = workspace(ctx).directory
    if directory is None:
        return find_rollup_root(Path.cwd())
    if not (directory / ROLLUP_FILE).is_file():
        from minsheng_cli.errors import UsageError
        from minsheng_cli.i18n import _

        raise UsageError(
            _("{folder} is not a rollup workspace: it has no {file}").format(
                folder=directory, file=ROLLUP_FILE
            )
        )
    return directory.resolve()
