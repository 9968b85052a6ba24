"""Hostile command lines: the real commands and options with values a tired clerk, a pasted cell
or a script could give. Half the values are good ones, so that a case reaches past the first check.
Never a NUL: no argv can hold one.
"""

from __future__ import annotations

import random

NUMBERS = (
    "nan", "NaN", "-nan", "inf", "-inf", "Infinity", "1e400", "-1e400", "1e308", "1e-400",
    "9" * 400, "-0", "0x10", "1_000", "１２", "٣", "50%", "", " ", "+", "-", ".", "1e", "0.1e1",
    "100.0000001", "-5", "101", "5,5", "五",
)  # fmt: skip
DATES = (
    "2023-02-29", "2024-02-29", "2023-13-01", "2023-00-10", "0000-01-01", "0001-01-01",
    "9999-12-31", "10000-01-01", "2023-6-3", "2023/06/30", "20230630", "2023-06-31",
    "2023-06-30T00:00", "2023年6月30日", "", "today", "-1", "2023-W26", "1e400",
    "２０２３-０６-３０", "2023-06-30\n", "1970-01-01", "2023-1-1e3",
)  # fmt: skip
MONTHS = (
    "0", "13", "-1", "6月", "六月", "１２", "6.5", "1e400", "9" * 30, "", "nan", "12月底",
    "quarter", "+6", " 6 ", "0x6", "٦",
)  # fmt: skip
TEXTS = (
    "", " ", "\x1b[31m红", "\u202e反转", "\u200f", "\u2066x\u2069", "a" * 5000, "\n", "\t", "\r",
    "中文" * 300, "--note", "-", "{}", "[", "!!bool maybe", "'", '"', "%s", "{0}", "{name}",
    "Minsheng-Item: 9.1", "Reported-by: 县长", "7月报\n\nMinsheng-Item: 9.1\nReported-by: 县长",
    "$(id)", "..", "/", "\\", "\udcff", "\x85", "\u2028", "🙂", "e\u0301",
)  # fmt: skip
REFS = (
    "1", "3.2", "3.2#2", "99", "0", "-1", "3.", ".2", "3.2.1", "3.0", "1e400", "nan", "实",
    "工程", "", "#", "3.2#", "3.2#" + "9" * 30, "3.2#-1", "３.２", "3,2", "9.1", "2.1", "1.1#1",
    "3.2 ", "..",
)  # fmt: skip
PATHS = (
    "x" * 300, "名" * 100, "x" * 255, "a/" * 150 + "x", "", ".", "..", "nope",
    "tasks/03-农村人居环境提升工程.yaml", "minsheng.yaml", "tasks", "/proc", "/dev/null",
    "/nonexistent/x", "\u202e", "-", "-x", "out.md", "out.html", "out.docx", "out.xlsx", "out.csv",
    "out.json", "out", "out/",
)  # fmt: skip
"""Relative paths land in the scratch workspace the test runs in; the absolute ones are places
no command may write to, or cannot."""
OUTPUTS = (*PATHS, "/dev/null", "/proc/minsheng.csv")

GOOD = {
    "number": ("1", "50", "100", "0"),
    "date": ("2023-06-30", "2023-01-31", "2023-12-31"),
    "month": ("6", "1", "12", "6月"),
    "text": ("水务局", "7月报", "任伟"),
    "ref": ("3.2", "3.3", "9.1", "3", "1.1"),
    "milestone": ("1", "2", "3.2#2", "开工"),
    "set": ("法律援助案件=5", "户厕改造=900", "示范村=3"),
    "dir": (".",),
    "new-dir": ("fresh", "fresh/inner"),
    "output": ("out.md", "out.csv", "out.xlsx"),
    "year": ("2023", "2024"),
    "quarter": ("1", "2", "4"),
    "state": ("overdue", "met", "逾期"),
    "format": ("md", "html", "docx", "csv", "json", "xlsx"),
    "lang": ("zh", "en"),
}
HOSTILE = {
    "number": NUMBERS,
    "date": DATES,
    "month": MONTHS,
    "text": TEXTS,
    "ref": REFS,
    "milestone": REFS,
    "set": (*tuple(f"法律援助案件={n}" for n in NUMBERS), "=", "法律援助案件", "=5", "x=1=2"),
    "dir": PATHS,
    "new-dir": PATHS,
    "output": OUTPUTS,
    "year": (*NUMBERS, "1999", "2101", "0"),
    "quarter": (*NUMBERS, "0", "5"),
    "state": TEXTS,
    "format": ("", "pdf", "MD", "docx ", "../x"),
    "lang": ("", "fr", "zh_CN.UTF-8", "EN", "\x1b"),
}

Spec = tuple[tuple[str, ...], tuple[tuple[str, str], ...], tuple[str, ...]]
"""(positional kinds, (option, kind) pairs, flags)."""

READ_FILTERS = (("--as-of", "date"), ("--month", "month"), ("-m", "month"))
WHO = (("--unit", "text"), ("-u", "text"), ("--leader", "text"), ("-l", "text"))
WRITE = (("--date", "date"), ("--by", "text"), ("--note", "text"))
COMMANDS: dict[str, Spec] = {
    "check": ((), (), ()),
    "status": ((), READ_FILTERS + WHO, ("--json",)),
    "list": (
        (),
        (*READ_FILTERS, *WHO, ("--state", "state"), ("-s", "state"), ("--due-month", "month")),
        ("--json",),
    ),
    "show": (("ref",), READ_FILTERS, ("--json",)),
    "overdue": ((), READ_FILTERS + WHO, ("--json",)),
    "agenda": ((), (("--month", "month"), ("--as-of", "date"), *WHO), ("--json",)),
    "update": (
        ("ref",),
        (("--percent", "number"), ("-p", "number"), ("--set", "set"), ("--set", "set"), *WRITE),
        ("--correct", "--no-commit", "--no-commit"),
    ),
    "done": (
        ("ref", "milestone"),
        (*WRITE, ("--evidence", "text"), ("--period", "month")),
        ("--undo", "--no-commit", "--no-commit"),
    ),
    "log": (("ref",), (), ("--json",)),
    "init": (("new-dir",), (("--year", "year"), ("--title", "text")), ()),
    "report": (
        (),
        (("--month", "month"), ("--quarter", "quarter"), ("--format", "format"), ("-o", "output")),
        ("--force",),
    ),
    "export": (
        (),
        (("--format", "format"), ("-f", "format"), *READ_FILTERS, ("-o", "output")),
        ("--force",),
    ),
}


PATH_KINDS = ("new-dir", "output")
WRITABLE_ABSOLUTE = ("/dev/null", "/proc/minsheng.csv")


def stays_inside(path: str) -> bool:
    """A path ``init`` or ``-o`` may be given: inside the scratch workspace, or a place that
    cannot be written (the tests run as root in CI: `init /` would write to the root folder)."""
    return (not path.startswith("/") or path in WRITABLE_ABSOLUTE) and ".." not in path


WEIGHT = {"update": 4, "done": 3}
"""The writes are where a crash costs most."""


def value(rng: random.Random, kind: str) -> str:
    """A good value half the time (so that a case gets past the first check), else a hostile one
    for its kind, hostile text, or random characters."""
    n = rng.randrange(10)
    if n < 5:
        return rng.choice(GOOD[kind])
    if n < 8:
        chosen = rng.choice(HOSTILE[kind])
    elif n < 9:
        chosen = rng.choice(TEXTS)
    else:
        chosen = random_text(rng)
    return chosen if kind not in PATH_KINDS or stays_inside(chosen) else rng.choice(GOOD[kind])


def random_text(rng: random.Random) -> str:
    """A few characters from anywhere in Unicode, controls included, and the lone surrogates
    Python makes of argv bytes that are not UTF-8 (U+DC80–U+DCFF; no other can reach argv)."""
    alphabet = (0x20, 0x7F), (1, 0x20), (0x80, 0xA0), (0x4E00, 0x9FFF), (0xDC80, 0xDD00)
    picks = [rng.choice(alphabet) for _ in range(rng.randint(0, 8))]
    return "".join(chr(rng.randrange(low, high)) for low, high in picks)


def command_line(rng: random.Random) -> list[str]:
    """[global options] COMMAND [positionals] [options]: options in any order, some repeated."""
    args: list[str] = []
    if rng.random() < 0.25:
        args += ["-C", value(rng, "dir")]
    if rng.random() < 0.3:
        args += ["--lang", value(rng, "lang")]
    names = sorted(COMMANDS)
    command = rng.choices(names, [WEIGHT.get(name, 1) for name in names])[0]
    positionals, options, flags = COMMANDS[command]
    args.append(command)
    args += [value(rng, kind) for kind in positionals if rng.random() < 0.9]
    for option, kind in rng.sample(options, min(len(options), rng.randint(0, 4))):
        args += [option, value(rng, kind)]
    args += rng.sample(flags, rng.randint(0, min(2, len(flags))))
    if rng.random() < 0.05:
        args.insert(rng.randint(0, len(args)), rng.choice(TEXTS + REFS))
    return args
