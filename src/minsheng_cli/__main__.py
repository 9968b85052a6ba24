"""Console entry point: `minsheng` and `python -m minsheng_cli`.

The speed workarounds live here, each with the figure it buys; the package itself runs the same
without them (tests call the app directly).
"""

from __future__ import annotations

import gc
import os
import sys
from typing import NoReturn

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


def main() -> None:
    from minsheng_cli.cli.common import fit_streams
    from minsheng_cli.i18n import set_language

    fit_streams()  # before anything is written: a cp936 or ASCII console never fails

    set_language(language_from_argv(sys.argv[1:]))
    # One short process that builds a large, acyclic graph of ledger objects: the cycle
    # collector only walks it again and again (a fifth of check's time at 100,000 milestones).
    gc.disable()
    # Typer converts every registered command on each start, and each command module imports
    # its own helpers: the clerk runs one command at a time, so only that one is registered and
    # only its module imported. Help, no arguments and typos get every command, as before.
    from minsheng_cli.cli.app import with_commands

    app = with_commands(requested_command(sys.argv[1:]))
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
