"""Hostile command lines: whatever the clerk types, the answer is 0, 1 or 2 with a message, never
a traceback or exit 70, and a refused write changes nothing."""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import GIT_IDENTITY, copy_ledger, git
from tests.hostile.argv import DATES, MONTHS, NUMBERS, command_line
from tests.hostile.harness import (
    SEED,
    Findings,
    Run,
    case_count,
    invoke,
    problems,
    torture,
)
from tests.hostile.shell import shell_command

SUBPROCESS_SECONDS = 60


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The bundled ledger in a git repository, as the current folder (relative paths land here)."""
    for key, value in GIT_IDENTITY.items():
        monkeypatch.setenv(key, value)
    root = copy_ledger(tmp_path / "ledger")
    git(root, "init", "--quiet")
    (root / ".gitignore").write_text(".minsheng-cache/\n.minsheng.lock\n", encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", "台账初始版本")
    monkeypatch.chdir(root)
    return root


def task_bytes(root: Path) -> dict[str, bytes]:
    """The files in tasks/ (`init tasks` can put a folder or a repository there)."""
    return {p.name: p.read_bytes() for p in sorted((root / "tasks").iterdir()) if p.is_file()}


def back_to(root: Path, commit: str) -> None:
    """Every case starts from the same workspace, so that a failure reproduces alone."""
    git(root, "reset", "--quiet", "--hard", commit)
    git(root, "clean", "-ffdq")


def misbehaviour(args: list[str], run: Run, before: dict[str, bytes], root: Path) -> list[str]:
    """What is wrong with one run, beyond the rules every run follows."""
    command = next((a for a in args if a in ("report", "export")), "")
    found = problems(run, binary_stdout=bool(command))
    said = re.sub(r"^(error: |错误：)", "", run.stderr.strip())
    if run.code not in (0, None) and not said and not ("overdue" in args and run.code == 1):
        found.append(f"exit {run.code} with no message")
    if run.code == 2 and (root / "tasks").is_dir() and task_bytes(root) != before:
        found.append("a refused command changed a task file")
    return found


def test_fuzzed_command_lines_end_in_0_1_or_2_with_a_message(scratch: Path) -> None:
    findings = Findings()
    first = git(scratch, "rev-parse", "HEAD").strip()
    rng = random.Random(SEED)
    for number in range(case_count(quick=200, thorough=5_000)):
        args = command_line(rng)
        back_to(scratch, first)
        before = task_bytes(scratch)
        case = f"{shell_command(args)}   # MINSHENG_FUZZ_SEED={SEED} case {number}"
        run = invoke(None, args, case)
        findings.add(case, misbehaviour(args, run, before, scratch))
    findings.settle()


def console_script() -> list[str]:
    script = Path(sys.executable).with_name("minsheng")
    return [str(script)] if script.exists() else [sys.executable, "-m", "minsheng_cli"]


def run_process(root: Path, args: list[bytes]) -> subprocess.CompletedProcess[bytes]:
    """The console script as a clerk's terminal runs it: a UTF-8 locale such as zh_CN.UTF-8 gives
    Python strict UTF-8 output (CI's C.UTF-8 would make it lenient, and hide a crash)."""
    env = {**os.environ, **GIT_IDENTITY, "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8:strict"}
    env.pop("MINSHENG_DEBUG", None)
    return subprocess.run(
        [*console_script(), *args],
        cwd=root,
        env=env,
        capture_output=True,
        timeout=SUBPROCESS_SECONDS,
        check=False,
    )


BYTES_ARGV: list[tuple[list[bytes], str | None]] = [
    ([b"--lang"], None),
    ([b"--lang", b"\xff", b"status"], None),
    ([b"--lang=\xff\xfe", b"check"], None),
    ([b"-C", b"\xff\xfe", b"check"], None),
    ([b"\xff"], None),
    ([b"show", b"\xe4\xb8"], None),
    ([b"update", b"3.3", b"--note", b"\xff", b"--date", b"2023-06-30", b"--no-commit"], None),
    ([b"update", b"3.3", b"-p", b"5", b"--by", b"\xc0\x80", b"--date", b"2023-06-30"], None),
    ([b"update", b"3.3", b"-p", b"nan", b"--date", b"2023-06-30", b"--no-commit"], None),
    ([b"-C", b"x" * 300, b"status"], None),
    ([b"list", b"--state", b"\xed\xa0\x80"], None),
    ([b"init", b"\xff\xfe"], None),
    ([b"export", b"-o", b"\xff.csv"], None),
]


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(
            args,
            marks=[pytest.mark.xfail(strict=False, reason=known)] if known else [],
            id=b" ".join(args)[:40].decode("utf-8", "backslashreplace"),
        )
        for args, known in BYTES_ARGV
    ],
)
def test_the_console_script_takes_bytes_that_are_not_utf8(scratch: Path, args: list[bytes]) -> None:
    """Only a real process gets argv that is not UTF-8 (a GBK terminal, a broken paste)."""
    done = run_process(scratch, args)
    out = done.stdout.decode("utf-8", "replace")
    err = done.stderr.decode("utf-8", "replace")
    run = Run(repr(args), done.returncode, out, err)
    assert problems(run) == [], err
    assert done.returncode in (0, 1, 2)


NUMBER_LIKE = st.one_of(
    st.floats().map(repr),
    st.floats().map(str),
    st.integers().map(str),
    st.sampled_from(NUMBERS + DATES + MONTHS),
    st.dates().map(date.isoformat),
    st.text(max_size=10),
).filter(lambda text: "\x00" not in text)  # no argv can hold a NUL
PARSED = [
    ["update", "3.3", "--percent", "{}", "--date", "2023-06-30", "--no-commit"],
    ["update", "9.1", "--set", "法律援助案件={}", "--date", "2023-06-30", "--no-commit"],
    ["update", "3.3", "--percent", "1", "--date", "{}", "--no-commit"],
    ["done", "7.1", "1", "--period", "{}", "--date", "2023-12-31", "--no-commit"],
    ["status", "--as-of", "{}"],
    ["list", "--month", "{}"],
    ["report", "--quarter", "{}", "-o", "out.md"],
]


@pytest.mark.parametrize("template", PARSED, ids=[" ".join(t[:3]) for t in PARSED])
def test_a_number_date_or_month_is_taken_or_refused(
    ledger_dir: Path, monkeypatch: pytest.MonkeyPatch, template: list[str]
) -> None:
    """Whatever text stands where a number, a date or a month goes: exit 0 or 2, a refused write
    changes nothing."""
    monkeypatch.chdir(ledger_dir)
    findings = Findings()

    @settings(
        max_examples=case_count(quick=20, thorough=500),
        derandomize=not torture(),
        database=None,
        deadline=None,
    )
    @given(NUMBER_LIKE)
    def one_value(text: str) -> None:
        args = [part.replace("{}", text) for part in template]
        before = task_bytes(ledger_dir)
        (ledger_dir / "out.md").unlink(missing_ok=True)
        run = invoke(ledger_dir, args, shell_command(args))
        found = misbehaviour(args, run, before, ledger_dir)
        if run.code == 1:
            found.append("exit 1 for a value on the command line")
        fresh = findings.add(shell_command(args), found)
        assert not fresh, f"{fresh}: {shell_command(args)}\n{run.stderr[-1000:]}"

    one_value()
    findings.settle()
