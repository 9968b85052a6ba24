"""The benchmark's synthetic ledgers: valid, exactly N dated milestones, the same bytes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from benchmarks.generate import COUNTIES, LARGE, generate_ledger, main

from tests.conftest import run_cli


def milestones_json(root: Path) -> list[dict[str, Any]]:
    result = run_cli(root, ["list", "--json"])
    assert result.exit_code == 0, result.stderr
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    return rows


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("size", [100, 1000])
def test_generated_ledger_passes_check(tmp_path: Path, size: int) -> None:
    made = generate_ledger(tmp_path, size)
    result = run_cli(tmp_path, ["check"])
    assert result.exit_code == 0, result.stdout + result.stderr
    assert f"节点{size}个" in result.stdout
    assert result.stderr == "", "the generated ledger has warnings"
    assert made.milestones == size
    assert made.files == len(list((tmp_path / "tasks").glob("*.yaml")))


@pytest.mark.parametrize("size", [100, 1000])
def test_exactly_n_dated_milestones(tmp_path: Path, size: int) -> None:
    generate_ledger(tmp_path, size)
    rows = milestones_json(tmp_path)
    assert len(rows) == size
    assert all(row["due"] is not None and row["due"].startswith("2023-") for row in rows)
    assert not any(row["implied"] for row in rows), "an indicator no milestone targets"
    assert all(row["period"] is None for row in rows)


@pytest.mark.parametrize("size", [1, 4, 5, 8, 11, 12, 13, 37])
def test_odd_sizes_are_exact(tmp_path: Path, size: int) -> None:
    generate_ledger(tmp_path, size, seed=size)
    assert len(milestones_json(tmp_path)) == size
    assert run_cli(tmp_path, ["check"]).exit_code == 0


def test_shape_of_the_seed(tmp_path: Path) -> None:
    """Deadline words, tick-only and percent milestones, cumulative targets, records and ticks."""
    made = generate_ledger(tmp_path, 1000)
    rows = milestones_json(tmp_path)
    words = {row["deadline"] for row in rows}
    assert {"1月底", "3月中旬", "4月初", "6月底", "9月底", "12月底"} <= words
    ticked = [row for row in rows if not row["targets"]]
    percent = [row for row in rows if "percent" in row["targets"]]
    counted = [row for row in rows if row["targets"] and "percent" not in row["targets"]]
    assert ticked and percent and counted
    states = {row["state"] for row in rows}
    assert {"met", "overdue"} <= states
    assert any(row["met_on"] and not row["targets"] for row in rows), "no done: tick was counted"
    by_item: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_item.setdefault(row["item"], []).append(row)
    for item_rows in by_item.values():
        dues = [row["due"] for row in item_rows if row["track"] is None]
        assert dues == sorted(dues)
        reached: dict[str, float] = {}
        for row in sorted(item_rows, key=lambda r: (r["due"], r["milestone"])):
            for name, value in row["targets"].items():
                assert value > reached.get(name, 0)
                reached[name] = value
    assert 1 <= made.items / made.files <= 3
    text = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "tasks").glob("*.yaml"))
    assert "records:" in text and "done: " in text and "set: {" in text


def test_records_are_cumulative(tmp_path: Path) -> None:
    generate_ledger(tmp_path, 1000)
    result = run_cli(tmp_path, ["show", "1", "--json"])
    assert result.exit_code == 0, result.stderr
    for item in json.loads(result.stdout):
        last: dict[str, float] = {}
        for record in sorted(item["records"], key=lambda r: r["date"]):
            assert record["date"].startswith("2023-")
            for name, value in record["values"].items():
                assert value >= last.get(name, 0)
                last[name] = value


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    generate_ledger(tmp_path / "a", 1000, seed=7)
    generate_ledger(tmp_path / "b", 1000, seed=7)
    generate_ledger(tmp_path / "c", 1000, seed=8)
    first = tree_bytes(tmp_path / "a")
    assert first == tree_bytes(tmp_path / "b")
    assert first != tree_bytes(tmp_path / "c")


def test_update_spec_is_accepted(tmp_path: Path) -> None:
    made = generate_ledger(tmp_path, 100)
    before = made.update.file.read_bytes()
    result = run_cli(tmp_path, ["update", made.update.ref, *made.update.args, "--no-commit"])
    assert result.exit_code == 0, result.stdout + result.stderr
    after = made.update.file.read_bytes()
    assert after.startswith(before) and after.count(b"\n") == before.count(b"\n") + 1


def test_large_ledgers_have_many_items_per_file(tmp_path: Path) -> None:
    made = generate_ledger(tmp_path, LARGE)
    assert made.items / made.files >= 8
    names = sorted(p.name for p in (tmp_path / "tasks").glob("*.yaml"))
    assert names[0].startswith("001-")
    assert all(any(county in name for county in COUNTIES) for name in names)


def test_refuses_to_overwrite(tmp_path: Path) -> None:
    generate_ledger(tmp_path, 10)
    with pytest.raises(FileExistsError):
        generate_ledger(tmp_path, 10)


def test_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path), "50"]) == 0
    assert "50 milestones" in capsys.readouterr().out
    assert main([str(tmp_path), "50"]) == 2
    assert main([str(tmp_path), "60", "--force"]) == 0
    assert len(milestones_json(tmp_path)) == 60
