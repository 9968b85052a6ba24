"""Helpers for the tests of commands that write (update, done): run one, and check a refusal."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_cli


def flat(text: str) -> str:
    """Console output with line wrapping undone."""
    return " ".join(text.split())


def task_bytes(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "tasks").iterdir())}


def ok(root: Path, *args: str) -> str:
    """Run a command that must succeed (in English, without a commit); its standard output."""
    result = run_cli(root, ["--lang", "en", *args, "--no-commit"])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def assert_refused(root: Path, setup: tuple[str, ...], args: tuple[str, ...], message: str) -> None:
    """After ``setup``, ``args`` exits 2 with ``message`` (in both languages) and writes nothing."""
    if setup:
        ok(root, *setup)
    before = task_bytes(root)
    english = run_cli(root, ["--lang", "en", *args, "--no-commit"])
    assert (english.exit_code, english.stdout) == (2, "")
    assert flat(english.stderr) == f"error: {message}"
    chinese = run_cli(root, [*args, "--no-commit"])
    assert chinese.exit_code == 2
    assert chinese.stderr.strip()
    assert task_bytes(root) == before
