"""Console entry point: `minsheng` and `python -m minsheng_cli`.

The speed workarounds live here, each with the figure it buys; the package itself runs the same
without them (tests call the app directly).
"""

from __future__ import annotations

import gc
import os
import sys
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    import typer

GLOBAL_OPTIONS_WITH_VALUE = ("-C", "--directory", "--lang")


def language_from_argv(argv: list[str]) -> str | None:
    """--lang en / --lang=en, read before the commands are defined so that --help is translated."""
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
    return None


def requested_command(argv: list[str]) -> str | None:
    """The subcommand named on the command line, skipping the global options before it."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in GLOBAL_OPTIONS_WITH_VALUE:
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def only_requested(app: typer.Typer, argv: list[str]) -> None:
    """Typer converts every registered command on each start; the clerk runs one at a time.

    When the command line names a known command, register only that one (about 10 ms saved on
    every run). Help, no arguments and typos keep the full list, so they read as before.
    """
    wanted = requested_command(argv)
    from minsheng_cli.cli.app import command_name

    named = {command_name(c): c for c in app.registered_commands}
    if wanted in named:
        app.registered_commands = [named[wanted]]


def main() -> None:
    from minsheng_cli.cli.common import fit_streams
    from minsheng_cli.i18n import set_language

    fit_streams()  # before anything is written: a cp936 or ASCII console never fails

    set_language(language_from_argv(sys.argv[1:]))
    # One short process that builds a large, acyclic graph of ledger objects: the cycle
    # collector only walks it again and again (a fifth of check's time at 100,000 milestones).
    gc.disable()
    from minsheng_cli.cli.app import app

    only_requested(app, sys.argv[1:])
    try:
        app()
    except SystemExit as done:
        end_now(done.code)
    end_now(0)


def end_now(code: object) -> NoReturn:
    """Leave with ``code`` as soon as the output is out, without freeing the ledger's objects
    one by one: the system takes the whole process back at once. (Tearing down 10,000
    milestones' objects took 14 ms of a 170 ms `overdue`; 100,000, ten times that.) Everything
    that must happen has happened by now: files are written and renamed, locks released,
    commits made."""
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)  # as Python itself prints sys.exit("message")
        code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # the reader left (`minsheng list | head`): nothing more to say
        code = code or 1
    os._exit(code or 0)


if __name__ == "__main__":
    main()
