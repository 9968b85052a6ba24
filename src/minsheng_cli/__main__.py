"""Console entry point: `minsheng` and `python -m minsheng_cli`."""

from __future__ import annotations

import os
import sys
from typing import NoReturn


def language_from_argv(argv: list[str]) -> str | None:
    """--lang en / --lang=en, read before the commands are defined so that --help is translated."""
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
    return None


def main() -> None:
    from minsheng_cli.i18n import set_language

    set_language(language_from_argv(sys.argv[1:]))
    from minsheng_cli.cli.app import run

    try:
        run()
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
