"""`minsheng doctor [--fix]`: what a crash, a killed git or a broken machine left behind."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import git, run_cli

LEGAL_AID = "tasks/09-法律援助质量提升工程.yaml"
SCHOOLS = "tasks/04-办学条件改善工程.yaml"


def en(root: Path, *args: str) -> Any:
    return run_cli(root, ["--lang", "en", *args])


def flat(text: str) -> str:
    return " ".join(text.split())


def test_a_sound_workspace_is_all_ok(git_ledger: Path) -> None:
    result = en(git_ledger, "doctor")
    assert result.exit_code == 0, result.stdout
    assert result.stdout.splitlines() == [
        "ok: git is installed and the workspace is in a git repository",
        "ok: git knows who makes the commits",
        "ok: no git lock left behind (index.lock, HEAD.lock, a branch's lock)",
        "ok: every record on disk is committed",
        "ok: no temporary files left by a write that was stopped",
        "ok: the cache (.minsheng-cache) is sound",
    ]
    chinese = run_cli(git_ledger, ["doctor"])
    assert chinese.exit_code == 0
    assert chinese.stdout.splitlines()[0] == "正常：已安装 git，工作区在 git 仓库中"


def crash_leftovers(root: Path) -> tuple[Path, Path]:
    """What kill -9 trials left: records saved but not committed, a temporary file beside a task
    file, git's index.lock, and a damaged cache entry. The lock and the temporary file."""
    for step in (
        ("update", "9.1", "--set", "法律援助案件=18", "--date", "2023-01-31", "--by", "司法局"),
        ("update", "9.1", "--set", "法律援助案件=30", "--date", "2023-02-28", "--by", "律师协会"),
        ("done", "4.1", "1", "--date", "2023-01-20", "--by", "教育局", "--evidence", "批复"),
    ):
        assert en(root, *step, "--no-commit").exit_code == 0
    temporary = root / "tasks" / ".09-法律援助质量提升工程.yaml.k2x9_a1b.tmp"
    temporary.write_bytes(b"id: 9\n")
    lock = root / ".git" / "index.lock"
    lock.touch()
    assert en(root, "status").exit_code == 0  # fills the cache
    entry = next(p for p in (root / ".minsheng-cache").iterdir() if p.name != "index.json")
    entry.write_bytes(entry.read_bytes()[:-5] + b"xxxxx")
    return lock, temporary


def test_doctor_names_each_leftover_and_what_fix_would_do(git_ledger: Path) -> None:
    lock, temporary = crash_leftovers(git_ledger)
    before = {p: p.read_bytes() for p in sorted((git_ledger / "tasks").iterdir())}
    result = en(git_ledger, "doctor")
    assert result.exit_code == 1
    lines = [flat(line) for line in result.stdout.splitlines()]
    assert lines[2] == (
        f"problem: {lock} was left by a git that was stopped; git cannot commit while it is"
        " there (`minsheng doctor --fix` removes it)"
    )
    assert lines[3:6] == [
        f"problem: 1 record saved in {SCHOOLS} is not committed (`minsheng doctor --fix`"
        " commits them, each with its item and reporter)",
        f"problem: 2 records saved in {LEGAL_AID} are not committed (`minsheng doctor --fix`"
        " commits them, each with its item and reporter)",
        f"problem: temporary files left by a write that was stopped: tasks/{temporary.name}"
        " (`minsheng doctor --fix` removes them (the records they held are whole in their"
        " files, or were not made))",
    ]
    assert lines[6].startswith("problem: the cache is damaged: .minsheng-cache/")
    assert lines[6].endswith(
        "its checksum does not match (`minsheng doctor --fix` deletes .minsheng-cache (only a"
        " cache: it is built again from the files))"
    )
    assert lock.exists()
    assert {p: p.read_bytes() for p in sorted((git_ledger / "tasks").iterdir())} == before


def test_doctor_fix_repairs_and_commits_each_record_with_its_trailers(git_ledger: Path) -> None:
    lock, temporary = crash_leftovers(git_ledger)
    records = (git_ledger / LEGAL_AID).read_bytes()
    result = en(git_ledger, "doctor", "--fix")
    assert result.exit_code == 0, result.stdout
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == [
        "ok",
        "ok",
        "fixed",
        "fixed",
        "fixed",
        "fixed",
        "fixed",
    ]
    assert not lock.exists()
    assert not temporary.exists()
    assert "fixed: deleted the damaged cache .minsheng-cache" in result.stdout
    assert (git_ledger / LEGAL_AID).read_bytes() == records
    assert git(git_ledger, "status", "--porcelain") == ""
    entries = json.loads(en(git_ledger, "log", "--json").stdout)
    assert [(e["subject"], e["items"], e["reported_by"]) for e in entries[:3]] == [
        ("update 9.1 法律援助案件 30/240 (2023-02-28)", ["9.1"], "律师协会"),
        ("update 9.1 法律援助案件 18/240 (2023-01-31)", ["9.1"], "司法局"),
        ("done 4.1#1 完成项目立项、设计、审批等工作 (2023-01-20)", ["4.1"], "教育局"),
    ]
    assert "    批复" in git(git_ledger, "log", "-1", "--format=%B", entries[2]["commit"])
    again = en(git_ledger, "doctor")
    assert again.exit_code == 0
    assert all(line.startswith("ok: ") for line in again.stdout.splitlines())


def test_a_hand_edit_is_a_note_not_a_problem(git_ledger: Path) -> None:
    file = git_ledger / LEGAL_AID
    file.write_text(file.read_text(encoding="utf-8") + "# 待审定\n", encoding="utf-8")
    result = en(git_ledger, "doctor", "--fix")
    assert result.exit_code == 0
    assert flat(result.stdout).count("note: ") == 1
    assert (
        f"note: {LEGAL_AID} has changes that are not committed and are not records (an edit by"
        " hand?); commit them with git once they are final"
    ) in flat(result.stdout)
    assert git(git_ledger, "status", "--porcelain") == f" M {LEGAL_AID}\n"


def test_without_a_git_identity_doctor_says_so_and_commits_nothing(
    git_ledger: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert en(git_ledger, "update", "9.1", "--set", "法律援助案件=18", "--date", "2023-01-31",
              "--no-commit").exit_code == 0  # fmt: skip
    for variable in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME",
                     "GIT_COMMITTER_EMAIL", "EMAIL"):  # fmt: skip
        monkeypatch.delenv(variable, raising=False)
    global_config = tmp_path / "global.gitconfig"
    global_config.write_text("[user]\n\tuseConfigOnly = true\n", encoding="utf-8")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(global_config))
    result = en(git_ledger, "doctor", "--fix")
    assert result.exit_code == 1
    assert flat(result.stdout.splitlines()[1]) == (
        'problem: git does not know who you are: run git config user.name "Your Name" and'
        ' git config user.email "you@example.org"'
    )
    assert "problem: 1 record saved in" in result.stdout
    assert git(git_ledger, "rev-list", "--count", "HEAD").strip() == "1"


def test_outside_a_repository_doctor_notes_it(
    ledger_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(ledger_dir.parent))
    result = en(ledger_dir, "doctor")
    assert result.exit_code == 0
    assert flat(result.stdout.splitlines()[0]) == (
        "note: this workspace is not in a git repository, so no audit trail is kept"
        " (`minsheng init DIR` creates a workspace with one)"
    )


def test_git_missing_inside_a_repository_is_a_problem(
    git_ledger: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    result = en(git_ledger, "doctor", "--fix")
    assert result.exit_code == 1
    assert flat(result.stdout.splitlines()[0]) == (
        "problem: this workspace is in a git repository, but git is not installed (not found"
        " on PATH); install git, then run `minsheng doctor`"
    )


def test_a_cache_entry_that_is_not_a_file_is_damage(git_ledger: Path) -> None:
    cache = git_ledger / ".minsheng-cache"
    cache.mkdir()
    os.mkfifo(cache / "index.json")
    result = en(git_ledger, "doctor")
    assert result.exit_code == 1
    assert "problem: the cache is damaged: .minsheng-cache/index.json: not a regular file" in (
        result.stdout
    )
    assert en(git_ledger, "doctor", "--fix").exit_code == 0
    assert not cache.exists()
