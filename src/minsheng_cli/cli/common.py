"""What every command shares: the workspace, the day asked about, and how output is printed."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import typer

from minsheng_cli import clock
from minsheng_cli.errors import Problem, UsageError
from minsheng_cli.i18n import _, ngettext
from minsheng_cli.text import without_controls

if TYPE_CHECKING:
    from rich.console import Console

    from minsheng_cli.core.evaluate import Milestones, Snapshot
    from minsheng_cli.ledger.model import Item, Ledger
    from minsheng_cli.render.sheet import Parts

PIPE_WIDTH = 160


PLAIN_WIDTH = 10_000
"""Plain text for a pipe has no width to fit: the full layout, nothing cut off."""


def console(stderr: bool = False) -> Console:
    """Rich decides colour from the stream and NO_COLOR; a pipe gets plain, wide text."""
    from rich.console import Console  # only a terminal or a stderr progress bar needs Rich

    stream = sys.stderr if stderr else sys.stdout
    wide = None if stream.isatty() or os.environ.get("COLUMNS") else PIPE_WIDTH
    plain = "NO_COLOR" in os.environ  # no-color.org: any value, even empty, turns colour off
    return Console(
        file=stream,
        highlight=False,
        markup=False,
        emoji=False,
        width=wide,
        soft_wrap=stderr,  # an error or warning stays one line, however long
        color_system=None if plain else "auto",
    )


def say(message: str, *, err: bool = False) -> None:
    """One line for the clerk (standard error with ``err``): plain text, as it is, without Rich.

    A message is not a table: it needs no layout, and a long one is left for the terminal to
    wrap (and stays one line in a log). Control characters are shown as �.
    """

    typer.echo(without_controls(message), err=err)


class Context(NamedTuple):
    """The workspace -C named, or None: found from the current folder."""

    directory: Path | None

    def root(self) -> Path:
        from minsheng_cli.store.load import resolve_root  # not for --help or --version

        return resolve_root(self.directory)

    def ledger(self) -> Ledger:
        from minsheng_cli.store.load import load_ledger  # not for --help or --version

        return load_ledger(self.root())


def workspace(ctx: typer.Context) -> Context:
    """The workspace the global options named (set by the callback before any command runs)."""
    return ctx.obj if isinstance(ctx.obj, Context) else Context(None)


def snapshot_for(
    ctx: typer.Context, as_of: str | None, month: int | None, ledger: Ledger | None = None
) -> Snapshot:
    from minsheng_cli.core.asof import snapshot_as_of  # evaluation: only the read commands

    ledger, today = ledger_today(ctx, as_of, month, ledger)
    return snapshot_as_of(ledger, as_of, month, today)


def milestones_for(
    ctx: typer.Context,
    as_of: str | None,
    month: int | None,
    ledger: Ledger | None = None,
    *,
    only_due: bool = False,
) -> Milestones:
    """Only the milestones (list, overdue): half the work of a whole snapshot."""
    from minsheng_cli.core.asof import milestones_as_of  # evaluation: only the read commands

    ledger, today = ledger_today(ctx, as_of, month, ledger)
    return milestones_as_of(ledger, as_of, month, today, only_due=only_due)


def ledger_today(
    ctx: typer.Context, as_of: str | None, month: int | None, ledger: Ledger | None = None
) -> tuple[Ledger, date]:
    """The workspace's ledger (``ledger``, if already loaded) and today; a note when no date was
    asked and today is outside the ledger's year (so that an empty overdue list in 2026 does
    not read as "all done")."""
    ledger = workspace(ctx).ledger() if ledger is None else ledger
    today = clock.today()
    if as_of is None and month is None and today.year != ledger.year:
        say(
            _(
                "note: today ({today}) is outside the ledger's year {year}; add --month N or"
                " --as-of DATE to see the year as it stood then"
            ).format(today=today.isoformat(), year=ledger.year),
            err=True,
        )
    return ledger, today


def filtered_ledger(ctx: typer.Context, unit: str | None, leader: str | None) -> Ledger:
    """The workspace's ledger, once --unit and --leader are known to name something in it
    (a slip is said before anything else)."""
    ledger = workspace(ctx).ledger()
    known_filters(ledger, unit, leader)
    return ledger


def known_filters(ledger: Ledger, unit: str | None, leader: str | None) -> None:
    """A --unit or --leader that matches no item of the ledger is a slip, not an empty answer
    (an empty overdue list would read as good news): say so, and list the names there are."""
    from minsheng_cli.core.units import names_unit

    aliases = ledger.workspace.aliases
    for option, wanted, names in (
        ("--unit", unit, [item.unit for item in ledger.items]),
        ("--leader", leader, [item.leader for item in ledger.items]),
    ):
        if wanted is None:
            continue
        if option == "--unit":
            found = any(names_unit(wanted, name, aliases) for name in names)
        else:
            found = any(wanted.strip() in name for name in names)
        if not found:
            raise UsageError(
                _("{option} “{value}” matches no item; the ledger has: {names}").format(
                    option=option, value=wanted, names="、".join(dict.fromkeys(names))
                )
            )


def of_unit_and_leader(
    item: Item, unit: str | None, leader: str | None, aliases: Mapping[str, str] | None = None
) -> bool:
    """--unit and --leader match part of a name (--unit 农业 finds 农业农村局); --unit also a
    unit's 简称 (人社 finds 人力资源和社会保障局) or an alias from minsheng.yaml."""
    from minsheng_cli.core.units import names_unit

    return (unit is None or names_unit(unit, item.unit, aliases)) and (
        leader is None or leader.strip() in item.leader
    )


def print_json(items: Iterable[Any]) -> None:
    """A JSON array on standard output, written as its elements are made."""
    from minsheng_cli.render.json import array_chunks  # only with --json

    for chunk in array_chunks(items):
        sys.stdout.write(chunk)
    sys.stdout.write("\n")


def stdout_is_terminal() -> bool:
    """As Rich decides (TTY_COMPATIBLE, then FORCE_COLOR, then the stream), without its console."""
    compatible = os.environ.get("TTY_COMPATIBLE", "")
    if compatible in ("0", "1"):
        return compatible == "1"
    return bool(os.environ.get("FORCE_COLOR")) or sys.stdout.isatty()


def terminal_width() -> int | None:
    """The terminal's width, or None when output goes to a pipe or a file."""
    return console().width if stdout_is_terminal() else None


def print_parts(parts: Parts) -> None:
    """Rich draws it for a terminal; a pipe or a file gets the same tables as aligned plain text."""
    if stdout_is_terminal():
        from minsheng_cli.render.terminal import to_rich  # Rich's layout: only on a terminal

        terminal = console()
        terminal.print(*to_rich(parts, terminal.width))
        return
    from minsheng_cli.render.plain import to_plain  # only through a pipe

    typer.echo(to_plain(parts))


def print_problems(problems: list[Problem], root: Path, errors: int) -> None:
    for problem in problems:
        line = problem.render(root)
        shown = _("warning: {message}").format(message=line) if problem.warning else line
        say(shown, err=True)
    if errors:
        say(
            ngettext("{count} problem found", "{count} problems found", errors).format(
                count=errors
            ),
            err=True,
        )
