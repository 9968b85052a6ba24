"""Damaged task files: the bundled files with bytes flipped, lines edited, explicit YAML tags,
deep nesting, other encodings and truncation, as a clerk's editor or a bad copy could leave them.

Each mutation takes a seeded ``random.Random`` and a file's bytes and returns the new bytes with a
short description of what it did (for the reproducer).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

Mutation = Callable[[random.Random, bytes], tuple[bytes, str]]

TAGGED_VALUES = (
    "!!bool maybe",
    "!!timestamp xx",
    '!!int ""',
    "!!int +",
    "!!float _",
    "!!int 0x",
    "!!float .",
    "!!null x",
    "!!binary ===",
    "!!set {a, b}",
    "!!omap [a]",
    "!!pairs [1]",
    "!!str",
    "!!merge x",
    "!!value x",
    "!!python/object/apply:os.system [true]",
    "!<tag:yaml.org,2002:int> x",
    "!local x",
    "!!timestamp 2023-02-30",
    "!!int 1_0_",
)

HOSTILE_SCALARS = (
    "nan",
    ".nan",
    ".inf",
    "-.inf",
    "1e400",
    "-1e400",
    "99999999999999999999999999999",
    "-1",
    "0",
    "~",
    "null",
    "[]",
    "{}",
    '""',
    "yes",
    "2023-02-30",
    "2023-13-01",
    "0x1F",
    "0o17",
    "1_000",
    "'\u202e反转'",
    '"\\e[5m闪烁"',
    '"\\0"',
    '"\\x85"',
    "&a x",
    "*nowhere",
    "<<: {a: 1}",
    "|",
    ">-",
    "- x",
    "? x",
    "%YAML 1.1",
    "x: y: z",
    "'unclosed",
    '"unclosed',
    "{",
    "[",
    "@x",
    "`x",
    "#",
)

VALUE = re.compile(rb"(?<=: )[^\n{},]+?(?=[,}\n]|\r\n|$)")


def pick_line(rng: random.Random, lines: list[bytes]) -> int:
    return rng.randrange(len(lines)) if lines else 0


def flip_bytes(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    changed = bytearray(data)
    offsets = sorted(rng.randrange(len(changed)) for _ in range(rng.randint(1, 3)))
    for offset in offsets:
        changed[offset] ^= 1 << rng.randrange(8)
    return bytes(changed), f"bits flipped at bytes {offsets}"


def edit_line(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    lines = data.splitlines(keepends=True)
    at = pick_line(rng, lines)
    how = rng.choice(("delete", "duplicate", "swap", "indent", "dedent", "blank", "tab"))
    if how == "delete":
        del lines[at : at + 1]
    elif how == "duplicate":
        lines[at:at] = lines[at : at + 1]
    elif how == "swap":
        other = pick_line(rng, lines)
        lines[at], lines[other] = lines[other], lines[at]
        how = f"swap with line {other + 1}"
    elif how == "indent":
        lines[at] = b"  " + lines[at]
    elif how == "dedent":
        lines[at] = lines[at].removeprefix(b"  ")
    elif how == "blank":
        lines[at] = b"\n"
    else:
        lines[at] = lines[at].replace(b"  ", b"\t", 1)
    return b"".join(lines), f"line {at + 1}: {how}"


def replace_value(rng: random.Random, data: bytes, values: tuple[str, ...]) -> tuple[bytes, str]:
    spots = list(VALUE.finditer(data))
    if not spots:
        return data, "no value to replace"
    spot = rng.choice(spots)
    value = rng.choice(values)
    line = data.count(b"\n", 0, spot.start()) + 1
    changed = data[: spot.start()] + value.encode("utf-8") + data[spot.end() :]
    return changed, f"line {line}: value {spot[0].decode('utf-8', 'replace')!r} → {value!r}"


def explicit_tag(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    return replace_value(rng, data, TAGGED_VALUES)


def hostile_scalar(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    return replace_value(rng, data, HOSTILE_SCALARS)


def deep_nesting(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    depth = rng.choice((50, 500, 5_000, 50_000))
    shape = rng.choice(("[", "{a: "))
    close = "]" if shape == "[" else "}"
    nested = shape * depth + "1" + close * depth
    if rng.random() < 0.3:
        nested = shape * depth  # never closed
    return replace_value(rng, data, (nested,))[0], f"a value nested {depth} deep in {shape!r}"


def other_encoding(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    text = data.decode("utf-8", "replace")
    how = rng.choice(
        (
            "gbk",
            "gb18030",
            "big5",
            "utf-16",
            "utf-16-le",
            "utf-16-be",
            "utf-32",
            "utf-8-sig",
            "bom twice",
            "latin-1 mojibake",
            "crlf",
            "cr",
            "nul bytes",
        )
    )
    if how == "bom twice":
        return b"\xef\xbb\xbf\xef\xbb\xbf" + data, how
    if how == "latin-1 mojibake":
        return data.decode("latin-1").encode("utf-8"), how
    if how == "crlf":
        return data.replace(b"\n", b"\r\n"), how
    if how == "cr":
        return data.replace(b"\n", b"\r"), how
    if how == "nul bytes":
        at = rng.randrange(len(data))
        return data[:at] + b"\x00" + data[at:], f"NUL at byte {at}"
    return text.encode(how, "replace"), f"re-encoded as {how}"


def truncate(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    at = rng.randrange(len(data) + 1)
    return data[:at], f"truncated to {at} bytes"


def yaml_structure(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    """Whole-document oddities: markers, a second document, aliases, duplicate or merge keys."""
    how = rng.choice(
        (
            "end marker",
            "second document",
            "directive",
            "alias bomb",
            "duplicate key",
            "merge key",
            "records not a list",
            "record line broken",
            "empty",
            "bom only",
            "long line",
        )
    )
    tail = {
        "end marker": b"...\n",
        "second document": b"---\nid: 99\n",
        "duplicate key": b"id: 42\n",
        "merge key": b"<<: {id: 5}\n",
        "records not a list": b"records: 7\n",
        "record line broken": b"records:\n  - {date: 2023-06-30, item: 1, percent: 5\n",
        "long line": b"# " + b"x" * rng.choice((10_000, 1_000_000)) + b"\n",
    }
    if how in tail:
        return data.rstrip(b"\n") + b"\n" + tail[how], how
    if how == "directive":
        return b"%YAML 1.1\n---\n" + data, how
    if how == "alias bomb":
        bomb = b'a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]\n'
        for level in range(1, 9):
            refs = ",".join([f"*a{level - 1}"] * 10).encode()
            bomb += f"a{level}: &a{level} [".encode() + refs + b"]\n"
        return data + bomb, how
    if how == "empty":
        return b"", how
    return b"\xef\xbb\xbf", how


MUTATIONS: tuple[Mutation, ...] = (
    flip_bytes,
    edit_line,
    explicit_tag,
    hostile_scalar,
    deep_nesting,
    other_encoding,
    truncate,
    yaml_structure,
)


def mutate(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    """One to three mutations in a row (an earlier one may have left nothing to work on)."""
    steps = []
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        if not data:
            break
        data, what = rng.choice(MUTATIONS)(rng, data)
        steps.append(what)
    return data, "; ".join(steps)
