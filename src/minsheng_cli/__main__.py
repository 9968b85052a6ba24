"""Console entry point: `minsheng` and `python -m minsheng_cli`."""

from __future__ import annotations

import sys


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
    from minsheng_cli.cli import run

    run()


if __name__ == "__main__":
    main()
