"""A git hook's environment names a repository (GIT_DIR, GIT_INDEX_FILE, …): minsheng's own git
children must not follow it, so a command on one ledger or rollup never writes into another."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import GIT_IDENTITY, copy_ledger, git, run_cli


def repository(folder: Path) -> Path:
    copy_ledger(folder)
    git(folder, "init", "--quiet", "--initial-branch=main")
    (folder / ".gitignore").write_text(".minsheng-cache/\n.minsheng.lock\n", encoding="utf-8")
    git(folder, "add", "-A")
    git(folder, "commit", "--quiet", "-m", "清单")
    return folder


@pytest.fixture(autouse=True)
def identity(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in GIT_IDENTITY.items():
        monkeypatch.setenv(key, value)


def test_an_update_under_a_hooks_git_dir_commits_in_its_own_workspace(tmp_path: Path) -> None:
    ours = repository(tmp_path / "ours")
    other = repository(tmp_path / "other")
    before = git(other, "rev-parse", "HEAD").strip()
    result = run_cli(
        ours,
        ["update", "3.2", "--percent", "40", "--date", "2023-05-10", "--by", "交通运输局"],
        GIT_DIR=str(other / ".git"),
        GIT_INDEX_FILE=str(other / ".git" / "index"),
        MINSHENG_TODAY="2023-05-31",
    )
    assert result.exit_code == 0, result.output
    assert git(other, "rev-parse", "HEAD").strip() == before
    assert git(other, "status", "--porcelain").strip() == ""
    assert "update 3.2" in git(ours, "log", "-1", "--format=%s")


def test_a_rollup_sync_under_a_hooks_git_dir_writes_nothing_into_that_repository(
    tmp_path: Path,
) -> None:
    county = repository(tmp_path / "county")
    city = tmp_path / "city"
    assert run_cli(None, ["rollup", "init", str(city), "--title", "某市"]).exit_code == 0
    assert run_cli(city, ["rollup", "add", "甲县", str(county)]).exit_code == 0
    refs_before = git(county, "for-each-ref")
    head_before = git(county, "rev-parse", "HEAD").strip()
    result = run_cli(city, ["rollup", "sync"], GIT_DIR=str(county / ".git"))
    assert result.exit_code == 0, result.output
    assert git(county, "for-each-ref") == refs_before  # no refs/minsheng/* in the county
    assert git(county, "rev-parse", "HEAD").strip() == head_before
    assert git(county, "status", "--porcelain").strip() == ""
    assert "rollup sync" in git(city, "log", "-1", "--format=%s")
