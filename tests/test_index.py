"""The index that lets `update` and `done` read only the file they write."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from minsheng_cli.store.cache import CACHE_DIR
from minsheng_cli.store.index import INDEX_FILE, file_for_ref
from minsheng_cli.store.load import load_for_ref, read_project_data
from tests.conftest import run_cli


def find(root: Path, ref: str) -> str | None:
    file = file_for_ref(root, ref, read_project_data)
    return None if file is None else file.name


@pytest.mark.parametrize(
    ("ref", "name"),
    [
        ("3", "03-农村人居环境提升工程.yaml"),
        ("3.2", "03-农村人居环境提升工程.yaml"),
        ("户厕", "03-农村人居环境提升工程.yaml"),
        ("司法局", "09-法律援助质量提升工程.yaml"),
        ("10.1", "10-政务惠企便民服务提升工程.yaml"),
    ],
)
def test_a_reference_that_one_file_can_hold_picks_that_file(
    ledger_dir: Path, ref: str, name: str
) -> None:
    assert find(ledger_dir, ref) == name


@pytest.mark.parametrize("ref", ["工程", "人力资源", "99", "", "火箭"])
def test_an_ambiguous_or_unknown_reference_takes_the_whole_ledger(
    ledger_dir: Path, ref: str
) -> None:
    assert find(ledger_dir, ref) is None


def test_an_edited_file_is_seen_even_within_the_same_second(ledger_dir: Path) -> None:
    assert find(ledger_dir, "9") == "09-法律援助质量提升工程.yaml"
    task = ledger_dir / "tasks" / "09-法律援助质量提升工程.yaml"
    before = task.stat()
    task.write_text(
        task.read_text(encoding="utf-8").replace("id: 9\n", "id: 19\n"), encoding="utf-8"
    )
    os.utime(task, ns=(before.st_atime_ns, before.st_mtime_ns))  # same mtime, one byte longer

    assert find(ledger_dir, "19") == "09-法律援助质量提升工程.yaml"
    assert find(ledger_dir, "9") is None


def test_a_corrupt_index_is_rebuilt(ledger_dir: Path) -> None:
    assert find(ledger_dir, "户厕") is not None
    index = ledger_dir / CACHE_DIR / INDEX_FILE
    index.write_bytes(b"\x00not json")
    assert find(ledger_dir, "户厕") == "03-农村人居环境提升工程.yaml"
    assert index.read_bytes().startswith(b"{")


def test_update_reads_only_its_own_file(ledger_dir: Path) -> None:
    ledger = load_for_ref(ledger_dir, "3.1")
    assert [p.id for p in ledger.projects] == [3]
    assert len(load_for_ref(ledger_dir, "工程").projects) == 10


def test_a_broken_file_anywhere_still_stops_an_update(ledger_dir: Path) -> None:
    """The index cannot vouch for a file it cannot read (it might hold the same 序号)."""
    broken = ledger_dir / "tasks" / "04-办学条件改善工程.yaml"
    broken.write_text(broken.read_text(encoding="utf-8") + "oops: [\n", encoding="utf-8")
    before = (ledger_dir / "tasks" / "09-法律援助质量提升工程.yaml").read_bytes()

    result = run_cli(
        ledger_dir,
        ["update", "9.1", "--set", "法律援助案件=10", "--date", "2023-02-01", "--no-commit"],
    )

    assert result.exit_code == 1
    assert "tasks/04-办学条件改善工程.yaml:" in result.stderr
    assert (ledger_dir / "tasks" / "09-法律援助质量提升工程.yaml").read_bytes() == before
