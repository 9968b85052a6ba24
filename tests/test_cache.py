"""The cache of validated files (.minsheng-cache/): only ever a faster way to the same answer."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from benchmarks.generate import generate_ledger

from minsheng_cli.ledger import validate
from minsheng_cli.store.load import load
from tests.conftest import run_cli

CACHE = ".minsheng-cache"
VIEWS: tuple[tuple[str, ...], ...] = (
    ("status", "--json", "--month", "6"),
    ("list", "--json", "--month", "6"),
    ("list", "--json"),
    ("show", "3", "--json", "--month", "9"),
    ("check",),
)


@pytest.fixture
def validations(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Path]]:
    """The task files validated (a cache miss) since the test began, in order."""
    seen: list[Path] = []
    real = validate.validate_project

    def spy(file: Path, document: Any) -> Any:
        seen.append(file)
        return real(file, document)

    monkeypatch.setattr(validate, "validate_project", spy)
    yield seen


def outputs(root: Path, **env: str) -> dict[tuple[str, ...], tuple[int, str, str]]:
    """Every view's exit code, stdout and stderr."""
    found = {}
    for args in VIEWS:
        result = run_cli(root, list(args), **env)
        found[args] = (result.exit_code, result.stdout, result.stderr)
    return found


def fresh(root: Path) -> dict[tuple[str, ...], tuple[int, str, str]]:
    return outputs(root, MINSHENG_NO_CACHE="1")


def warm(root: Path) -> None:
    assert run_cli(root, ["check"]).exit_code == 0
    assert entries(root), "the cache was not filled"


def entries(root: Path) -> list[Path]:
    folder = root / CACHE
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def task(root: Path, prefix: str) -> Path:
    (found,) = (root / "tasks").glob(f"{prefix}-*.yaml")
    return found


def replace_once(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    file.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(params=["bundled", "generated"])
def ledger(request: pytest.FixtureRequest, ledger_dir: Path, tmp_path: Path) -> Path:
    """The bundled ledger (no records) and a generated one (records, ticks, tracks)."""
    if request.param == "bundled":
        return ledger_dir
    root = tmp_path / "generated"
    generate_ledger(root, 300, seed=3)
    return root


def test_a_hit_answers_as_a_fresh_load(ledger: Path, validations: list[Path]) -> None:
    expected = fresh(ledger)
    assert validations, "MINSHENG_NO_CACHE=1 still read the cache"
    warm(ledger)
    validations.clear()
    assert outputs(ledger) == expected
    assert validations == [], "a warm cache still validated files"


def test_load_with_and_without_the_cache(
    ledger: Path, validations: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MINSHENG_NO_CACHE", "1")
    uncached = load(ledger)
    monkeypatch.delenv("MINSHENG_NO_CACHE")
    filling = load(ledger)
    validations.clear()
    hit = load(ledger)
    assert validations == []
    for result in (filling, hit):
        assert result.ledger == uncached.ledger
        assert result.problems == uncached.problems
    # the objects are equal field by field, down to lines, floats and dates
    assert [i.milestones for i in hit.ledger.items] == [i.milestones for i in uncached.ledger.items]
    assert [i.records for i in hit.ledger.items] == [i.records for i in uncached.ledger.items]


def test_an_edited_file_is_seen(ledger_dir: Path, validations: list[Path]) -> None:
    warm(ledger_dir)
    file = task(ledger_dir, "03")
    replace_once(file, "完成农村户厕改造900座", "完成农村户厕改造950座")
    replace_once(file, "targets: {户厕改造: 900}", "targets: {户厕改造: 950}")
    validations.clear()
    seen = outputs(ledger_dir)
    assert validations == [file], "only the edited file should be read again"
    assert seen == fresh(ledger_dir)
    assert "完成农村户厕改造950座" in seen[("list", "--json")][1]


def test_an_appended_record_is_seen(ledger_dir: Path) -> None:
    warm(ledger_dir)
    before = outputs(ledger_dir)
    with task(ledger_dir, "09").open("a", encoding="utf-8") as handle:
        handle.write("records:\n  - {date: 2023-06-20, item: 1, set: {法律援助案件: 130}}\n")
    after = outputs(ledger_dir)
    assert after != before
    assert after == fresh(ledger_dir)
    rows = json.loads(after[("list", "--json", "--month", "6")][1])
    states = {r["milestone"]: r["state"] for r in rows if r["item"] == "9.1"}
    assert states == {1: "met_late", 2: "met", 3: "pending", 4: "pending"}


def test_same_size_same_second_same_mtime_is_seen(
    ledger_dir: Path, validations: list[Path]
) -> None:
    """The cache is keyed by content: size and mtime cannot hide a change."""
    warm(ledger_dir)
    file = task(ledger_dir, "03")
    before = file.stat()
    raw = file.read_bytes()
    old, new = "targets: {户厕改造: 900}".encode(), "targets: {户厕改造: 901}".encode()
    assert raw.count(old) == 1 and len(old) == len(new)
    file.write_bytes(raw.replace(old, new))
    os.utime(file, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = file.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    validations.clear()
    seen = outputs(ledger_dir)
    assert validations == [file]
    assert seen == fresh(ledger_dir)
    rows = json.loads(seen[("list", "--json")][1])
    assert any(r["item"] == "3.1" and r["targets"] == {"户厕改造": 901} for r in rows)


def test_a_deleted_task_file_disappears(ledger: Path) -> None:
    warm(ledger)
    count = len(list((ledger / "tasks").glob("*.yaml")))
    task(ledger, "02").unlink()
    seen = outputs(ledger)
    assert seen == fresh(ledger)
    rows = json.loads(seen[("list", "--json")][1])
    assert rows and all(r["project"] != 2 for r in rows)
    assert f"{count - 1}项" in seen[("check",)][1]


def test_a_file_restored_to_old_bytes_answers_as_before(ledger_dir: Path) -> None:
    warm(ledger_dir)
    expected = outputs(ledger_dir)
    file = task(ledger_dir, "05")
    raw = file.read_bytes()
    replace_once(file, "完成筛查1140人", "完成筛查1150人")
    assert outputs(ledger_dir) != expected
    file.write_bytes(raw)
    assert outputs(ledger_dir) == expected


Corruption = Callable[[list[Path]], None]
"""Damages every entry of a filled cache, knowing nothing of the entries' format."""


def garbage(entries: list[Path]) -> None:
    for entry in entries:
        entry.write_bytes(os.urandom(64) + b"\xff\xfe\x00")


def truncated(entries: list[Path]) -> None:
    for entry in entries:
        raw = entry.read_bytes()
        entry.write_bytes(raw[: len(raw) // 2])


def truncated_near_the_end(entries: list[Path]) -> None:
    for entry in entries:
        entry.write_bytes(entry.read_bytes()[:-2])


def empty(entries: list[Path]) -> None:
    for entry in entries:
        entry.write_bytes(b"")


def json_of_another_shape(entries: list[Path]) -> None:
    shapes = ["[1, 2, 3]", '"text"', "null", '{"key": "", "data": {"unexpected": true}}', "{}"]
    for number, entry in enumerate(entries):
        entry.write_text(shapes[number % len(shapes)], encoding="utf-8")


def swapped(entries: list[Path]) -> None:
    """Each entry holds another file's entry: well-formed, but for other bytes."""
    contents = [entry.read_bytes() for entry in entries]
    for entry, raw in zip(entries, contents[1:] + contents[:1], strict=True):
        entry.write_bytes(raw)


_NUMBER = re.compile(rb'"(id|year|target|item|line)": ?(\d)')


def a_number_changed(entries: list[Path]) -> None:
    """One digit of the stored data changed (a hand edit, a flipped bit): the structure is right
    and only a checksum, or a check of the data against the file, can tell."""
    for entry in entries:
        raw = entry.read_bytes()
        found = _NUMBER.search(raw)
        assert found is not None, raw[:200]
        digit = found.start(2)
        changed = b"7" if raw[digit : digit + 1] != b"7" else b"3"
        entry.write_bytes(raw[:digit] + changed + raw[digit + 1 :])


CORRUPTIONS: dict[str, Corruption] = {
    "garbage": garbage,
    "truncated": truncated,
    "truncated_near_the_end": truncated_near_the_end,
    "empty": empty,
    "json_of_another_shape": json_of_another_shape,
    "swapped": swapped,
    "a_number_changed": a_number_changed,
}


@pytest.mark.parametrize("corrupt", CORRUPTIONS.values(), ids=CORRUPTIONS.keys())
def test_a_corrupt_entry_is_ignored_and_rebuilt(
    ledger_dir: Path, validations: list[Path], corrupt: Corruption
) -> None:
    expected = fresh(ledger_dir)
    warm(ledger_dir)
    corrupt(entries(ledger_dir))
    validations.clear()
    assert outputs(ledger_dir) == expected
    assert validations, "a corrupt entry was used"
    validations.clear()
    assert outputs(ledger_dir) == expected
    assert validations == [], "the corrupt entries were not rebuilt"


def test_deleting_the_cache_changes_nothing(ledger: Path, validations: list[Path]) -> None:
    warm(ledger)
    expected = outputs(ledger)
    shutil.rmtree(ledger / CACHE)
    validations.clear()
    assert outputs(ledger) == expected
    assert validations, "nothing was read again"
    assert entries(ledger), "the cache was not rebuilt"


def test_no_cache_writes_no_cache(ledger_dir: Path) -> None:
    fresh(ledger_dir)
    assert not (ledger_dir / CACHE).exists()


def test_a_read_only_cache_folder_still_works(ledger: Path) -> None:
    expected = fresh(ledger)
    folder = ledger / CACHE
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running as root: folder permissions are not enforced")
        assert outputs(ledger) == expected
        assert outputs(ledger) == expected
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(stat.S_IRWXU)


def test_a_read_only_filled_cache_still_answers(ledger_dir: Path) -> None:
    warm(ledger_dir)
    expected = fresh(ledger_dir)
    folder = ledger_dir / CACHE
    for entry in entries(ledger_dir):
        entry.chmod(stat.S_IRUSR)
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        replace_once(task(ledger_dir, "09"), "完成法律援助60件", "完成法律援助61件")
        assert outputs(ledger_dir) == fresh(ledger_dir) != expected
    finally:
        folder.chmod(stat.S_IRWXU)


def test_a_cache_that_cannot_be_a_folder_still_works(ledger: Path) -> None:
    """Unwritable even for root: a plain file stands where the folder would be."""
    expected = fresh(ledger)
    (ledger / CACHE).write_bytes(b"not a folder")
    assert outputs(ledger) == expected
    assert (ledger / CACHE).read_bytes() == b"not a folder"


def test_an_update_through_a_warm_cache(ledger_dir: Path) -> None:
    warm(ledger_dir)
    result = run_cli(
        ledger_dir,
        ["update", "3.1", "--set", "户厕改造=900", "--date", "2023-07-28", "--no-commit"],
    )
    assert result.exit_code == 0, result.stderr
    assert outputs(ledger_dir) == fresh(ledger_dir)
    rows = json.loads(outputs(ledger_dir)[("list", "--json")][1])
    assert any(r["item"] == "3.1" and r["recorded"] == {"户厕改造": 900} for r in rows)
