"""Twenty clerks at the same moment: real processes, one file, every update lands."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from minsheng_cli.ledger.refs import resolve_item
from minsheng_cli.store.load import load_ledger
from tests.conftest import git, run_cli

LEGAL_AID = "tasks/09-法律援助质量提升工程.yaml"
CLERKS = 20


def update_all_at_once(root: Path) -> list[subprocess.CompletedProcess[str]]:
    """20 `minsheng update 9.1` processes started together: day i of January, value i."""
    processes = [
        subprocess.Popen(
            [
                *(sys.executable, "-m", "minsheng_cli", "-C", str(root), "--lang", "en"),
                *("update", "9.1", "--set", f"法律援助案件={day}"),
                *("--date", f"2023-01-{day:02d}", "--by", f"文书{day}"),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env=os.environ.copy(),
        )
        for day in range(1, CLERKS + 1)
    ]
    finished = []
    for process in processes:
        stdout, stderr = process.communicate(timeout=120)
        finished.append(
            subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
        )
    return finished


def assert_all_landed(root: Path, finished: list[subprocess.CompletedProcess[str]]) -> None:
    assert [(p.returncode, p.stderr) for p in finished] == [(0, "")] * CLERKS
    text = (root / LEGAL_AID).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.startswith("  - {")]
    assert len(lines) == CLERKS
    assert text.count("records:") == 1
    assert run_cli(root, ["check"]).exit_code == 0
    records = resolve_item(load_ledger(root), "9.1").records
    assert sorted((r.date.day, r.values["法律援助案件"], r.by) for r in records) == [
        (day, day, f"文书{day}") for day in range(1, CLERKS + 1)
    ]
    shown = run_cli(root, ["show", "9.1", "--as-of", "2023-01-31", "--json"])
    assert json.loads(shown.stdout)[0]["measures"][0]["actual"] == CLERKS


def test_twenty_parallel_updates_of_one_file_all_land_and_all_commit(git_ledger: Path) -> None:
    """One run covers both: the lock (every record lands, the file stays valid) and git."""
    finished = update_all_at_once(git_ledger)
    assert_all_landed(git_ledger, finished)
    assert not list((git_ledger / "tasks").glob(".*.tmp"))
    assert all(p.stdout.splitlines()[1].startswith("committed ") for p in finished)
    assert git(git_ledger, "rev-list", "--count", "HEAD").strip() == str(CLERKS + 1)
    subjects = git(git_ledger, "log", "--format=%s", "HEAD~20..HEAD").splitlines()
    assert sorted(subjects) == sorted(
        f"update 9.1 法律援助案件 {day}/240 (2023-01-{day:02d})" for day in range(1, CLERKS + 1)
    )
    changed = git(git_ledger, "log", "--format=", "--numstat", "HEAD~20..HEAD").splitlines()
    assert sorted(line for line in changed if line) == sorted(
        [f"2\t0\t{LEGAL_AID}"] + [f"1\t0\t{LEGAL_AID}"] * (CLERKS - 1)
    )
    assert git(git_ledger, "status", "--porcelain") == ""
