"""What every hostile run must look like, how many runs, and which failures are already known.

A run is well behaved when it ends with 0, 1 or 2 within its time, prints no Python traceback, no
"internal error" (exit 70, a bug) and no character that could drive the clerk's terminal. A
failure that issue 16 names, and that is being fixed on another branch, is *known*: the test
lists it and ends as xfail; any other failure fails the test with a one-line reproducer.
"""

from __future__ import annotations

import os
import re
import signal
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

import pytest

from tests.conftest import run_cli

SEED = int(os.environ.get("MINSHENG_FUZZ_SEED", "16"))
"""The fixed seed of `make test`; set MINSHENG_FUZZ_SEED to explore other cases."""

IN_PROCESS_SECONDS = 20
"""A command run in-process that takes longer than this is a hang."""


def torture() -> bool:
    return bool(os.environ.get("MINSHENG_TORTURE"))


def case_count(quick: int, thorough: int) -> int:
    """``quick`` cases in `make test`; under `make torture` MINSHENG_TORTURE's number (if it is one
    above 1), else ``thorough``."""
    raw = os.environ.get("MINSHENG_TORTURE", "")
    if not raw:
        return quick
    return int(raw) if raw.isdigit() and int(raw) > 1 else thorough


@dataclass(frozen=True)
class Run:
    """One command as the clerk would have seen it; ``code`` None: it hung and was stopped."""

    case: str
    """How to reproduce it, on one line."""
    code: int | None
    stdout: str
    stderr: str


class Hung(BaseException):
    """Raised in the main thread when an in-process command overruns its time (a BaseException,
    so that the CLI's own `except Exception` does not turn it into an exit 70)."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    def alarm(_signum: int, _frame: FrameType | None) -> None:
        raise Hung

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def invoke(root: Path | None, args: Sequence[str], case: str, **env: str) -> Run:
    """``minsheng [-C root] ARGS`` in-process; an exception that escapes is the traceback the
    clerk would have seen."""
    try:
        with time_limit(IN_PROCESS_SECONDS):
            result = run_cli(root, args, **env)
    except Hung:
        return Run(case, None, "", "")
    except Exception:
        return Run(case, 1, "", traceback.format_exc())
    return Run(case, result.exit_code, result.stdout, result.stderr)


TRACEBACK = "Traceback (most recent call last)"
INTERNAL = re.compile(
    r"(?:internal error: |内部错误：)(\w+)[:：] ?(.*?)(?: \(MINSHENG_DEBUG|（设置|$)"
)
TERMINAL_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
"""Embeddings, overrides and isolates: text that displays in another order than it reads."""


def problems(run: Run, *, binary_stdout: bool = False) -> list[str]:
    """What is wrong with ``run``, each as a short signature (empty: well behaved)."""
    if run.code is None:
        return ["hang"]
    found = []
    text = run.stderr if binary_stdout else run.stdout + run.stderr
    if TRACEBACK in text:
        last = [line for line in run.stderr.splitlines() if line.strip()][-1:]
        found.append(f"traceback: {' '.join(last)[:100]}")
    internal = INTERNAL.search(run.stderr)
    if internal:
        found.append(f"exit 70: {internal[1]}: {generic(internal[2])}")
    elif run.code not in (0, 1, 2) and not found:
        found.append(f"exit {run.code}")
    if TERMINAL_CONTROLS.search(text.replace("\r\n", "\n")):
        found.append("a control character reaches the terminal")
    if BIDI_CONTROLS.search(text):
        found.append("a bidirectional override reaches the terminal")
    return found


def generic(message: str) -> str:
    """An error message without the numbers and quoted names that vary from case to case."""
    message = re.sub(r"'[^']*'", "'…'", message)
    return re.sub(r"\d+", "N", message)[:90]


@dataclass(frozen=True)
class Known:
    """A failure already reported: one issue 16 names (being fixed on another branch), or one these
    tests found that the issue does not name (``item`` 0, reported with the hardening work)."""

    item: int
    what: str
    matches: Callable[[str, str], bool]
    """(the run's case, one problem signature) → is it this issue?"""


def _percent_not_finite(case: str, problem: str) -> bool:
    return ("--percent" in case or "-p " in case) and (
        "NaN" in problem or "OverflowError" in problem or "infinity" in problem
    )


def _explicit_tag(case: str, problem: str) -> bool:
    return "!!" in case or "!<" in case


def _long_or_odd_path(case: str, problem: str) -> bool:
    return any(
        sign in problem for sign in ("Errno N", "NotADirectoryError", "FileNotFoundError")
    ) and ("-C" in case or "init" in case or "-o" in case or "--output" in case)


def _bidi(case: str, problem: str) -> bool:
    return problem == "a bidirectional override reaches the terminal"


def _deep_nesting(case: str, problem: str) -> bool:
    return "RecursionError" in problem and "nested" in case


def _init_bytes(case: str, problem: str) -> bool:
    return "UnicodeEncodeError" in problem and " init " in case


def _document_end(case: str, problem: str) -> bool:
    return problem.startswith("check passes but") and "..." in case


def _leftover(what: str) -> Callable[[str, str], bool]:
    return lambda case, problem: problem.endswith(what)


KNOWN_ISSUES: tuple[Known, ...] = ()
"""Failures known and not yet fixed, each with its issue item: none at present. While one is
listed, the test that meets it ends as xfail naming it instead of failing."""


def known_issue(case: str, problem: str) -> Known | None:
    return next((k for k in KNOWN_ISSUES if k.matches(case, problem)), None)


@dataclass
class Findings:
    """Every failure of a batch, one reproducer per distinct signature."""

    new: dict[str, str] = field(default_factory=dict)
    known: dict[str, tuple[Known, str]] = field(default_factory=dict)
    count: int = 0

    def add(self, case: str, found: Sequence[str]) -> list[str]:
        """Record ``found`` for ``case``; the problems that are new (not known to issue 16)."""
        fresh = []
        for problem in found:
            self.count += 1
            known = known_issue(case, problem)
            if known is None:
                self.new.setdefault(problem, case)
                fresh.append(problem)
            else:
                self.known.setdefault(problem, (known, case))
        return fresh

    def settle(self) -> None:
        """Fail on anything new; xfail (listing them) if only known failures turned up."""
        if self.new:
            lines = [f"{problem}\n    reproduce: {case}" for problem, case in self.new.items()]
            pytest.fail(f"{len(self.new)} new failure(s):\n" + "\n".join(lines), pytrace=False)
        if self.known:
            lines = [f"{label(k)}: {p} ← {case}" for p, (k, case) in self.known.items()]
            pytest.xfail("known failures, fixed on other branches:\n" + "\n".join(lines))


def label(known: Known) -> str:
    return f"issue 16 item {known.item}" if known.item else "new (not in issue 16)"
