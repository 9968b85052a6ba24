"""Text as the clerk sees it: what is safe to print, and numbers as an office writes them.

Below every layer: the file format refuses control characters with these, and every renderer
and message prints through them.
"""

from __future__ import annotations

import math
import re

_DIRECTION_MARKS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
DIRECTION_MARKS = re.compile(f"[{_DIRECTION_MARKS}]")
"""Unicode's invisible bidirectional marks, embeddings, overrides and isolates: U+202E shows
“exe.txt” for “txt.exe”, and can make a report or a message read otherwise than it is."""
CONTROL_CHARACTERS = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{_DIRECTION_MARKS}]")
"""C0 and C1 controls but tab and newline (ESC and CSI could drive the clerk's terminal), and
the text-direction marks."""


UNPRINTABLE = re.compile(f"{CONTROL_CHARACTERS.pattern[:-1]}\\ud800-\\udfff]")
"""What is never printed as it is: the control characters, and the lone surrogates by which
Python carries bytes that are not UTF-8 in a file name or an argument (no terminal can show
them, and writing them to a UTF-8 stream raises)."""


def without_controls(text: str) -> str:
    """``text`` safe to print: every control character but tab and newline, every
    text-direction mark, and every byte that is not UTF-8, shown as �."""
    if text.isprintable():  # the common case, at C speed (False for any control, and newline)
        return text
    return UNPRINTABLE.sub("\ufffd", text)


EXACT_WHOLE_NUMBERS = 2.0**53
"""Beyond this a float is no longer every whole number: 1e300 is shown as 1e+300, not 301 digits."""


def format_amount(value: float) -> str:
    """1310.0 → "1310", 2.2 → "2.2": numbers as a clerk writes them; any float at all, even
    nan, inf or 1e300, is shown rather than raising."""
    if not math.isfinite(value) or abs(value) >= EXACT_WHOLE_NUMBERS:
        return f"{value:g}"
    if value == int(value):
        return str(int(value))
    return f"{value:.4f}".rstrip("0").rstrip(".")


def file_size(size: int) -> str:
    """2.4 MB, 310 KB, 14 B: a file's size as a clerk reads it (MB and KB of 1024)."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= scale:
            return f"{format_amount(round(size / scale, 1))} {unit}"
    return f"{size} B"
