"""Command lines written so that a reader can paste them into bash to reproduce a case."""

from __future__ import annotations

import shlex
from collections.abc import Sequence

LONG = 80


def shell_word(arg: str) -> str:
    if len(arg) > LONG and len(set(arg)) == 1:
        return f'"$(printf {shlex.quote(arg[0] + "%.0s")} {{1..{len(arg)}}})"'
    if len(arg) > LONG:
        return shell_word(arg[:LONG]) + f"…(+{len(arg) - LONG} chars)"
    if arg.isprintable() and not _has_format(arg):
        return shlex.quote(arg)
    escaped = arg.encode("unicode_escape", "backslashreplace").decode("ascii")
    return "$'" + escaped.replace("'", "\\'") + "'"


def _has_format(arg: str) -> bool:
    """Invisible characters (bidi overrides, zero widths) that shlex would pass as they are."""
    import unicodedata

    return any(unicodedata.category(c) in ("Cf", "Cs", "Co", "Cn") for c in arg)


def shell_command(args: Sequence[str]) -> str:
    return " ".join(["minsheng", *(shell_word(a) for a in args)])
