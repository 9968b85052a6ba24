"""Shared fixtures: temporary copies of the bundled ledger (never the real tasks/), and the CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from minsheng_cli.cli.app import app
from minsheng_cli.i18n import set_language

REPO = Path(__file__).resolve().parent.parent
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "测试文书",
    "GIT_AUTHOR_EMAIL": "clerk@example.org",
    "GIT_COMMITTER_NAME": "测试文书",
    "GIT_COMMITTER_EMAIL": "clerk@example.org",
}


@pytest.fixture(autouse=True)
def chinese_by_default(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test starts in the default language with no colour and no cache surprises."""
    monkeypatch.delenv("MINSHENG_LANG", raising=False)
    monkeypatch.delenv("MINSHENG_DEBUG", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    set_language(None)
    yield
    set_language(None)


def copy_ledger(destination: Path) -> Path:
    """The bundled 2023 ledger (minsheng.yaml and tasks/) copied into ``destination``."""
    destination.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "minsheng.yaml", destination / "minsheng.yaml")
    shutil.copytree(REPO / "tasks", destination / "tasks")
    return destination


@pytest.fixture
def ledger_dir(tmp_path: Path) -> Path:
    return copy_ledger(tmp_path / "ledger")


def git(root: Path, *args: str) -> str:
    env = {**os.environ, **GIT_IDENTITY}
    result = subprocess.run(
        ["git", "-c", "core.quotepath=false", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    return result.stdout


@pytest.fixture
def git_ledger(ledger_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The ledger copy as a git repository with one commit, and a known git identity."""
    for key, value in GIT_IDENTITY.items():
        monkeypatch.setenv(key, value)
    git(ledger_dir, "init", "--quiet")
    (ledger_dir / ".gitignore").write_text(".minsheng-cache/\n.minsheng.lock\n", encoding="utf-8")
    git(ledger_dir, "add", "-A")
    git(ledger_dir, "commit", "--quiet", "-m", "台账初始版本")
    return ledger_dir


def run_cli(root: Path | None, args: Sequence[str], **env: str) -> Result:
    """``minsheng -C root ARGS`` through Typer's CliRunner, stdout and stderr kept apart."""
    runner = CliRunner(env=env or None)
    prefix = ["-C", str(root)] if root is not None else []
    return runner.invoke(app, [*prefix, *args], catch_exceptions=False)
