"""The whole-ledger snapshot (.minsheng-cache/ledger-*.json): only ever a faster way to the same
ledger. A hit must show exactly what a fresh load shows; any change to any file, a copied
workspace and any damage to the entry must miss; a ledger with errors is never stored."""

from __future__ import annotations

import json
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from benchmarks.generate import generate_ledger
from hypothesis import given, settings
from hypothesis import strategies as st

from minsheng_cli.ledger import build
from minsheng_cli.ledger.model import Ledger
from minsheng_cli.store import snapshot as ledger_cache
from minsheng_cli.store.cache import read_entry, write_entry
from minsheng_cli.store.codec import pack, unpack
from minsheng_cli.store.files import WORKSPACE_FILE, load_sources, read_source, task_files
from minsheng_cli.store.load import load_ledger
from tests.conftest import copy_ledger, run_cli
from tests.halfyear import apply_half_year
from tests.test_ledger_codec import assert_identical

CACHE = ".minsheng-cache"
LEDGER_VIEWS: tuple[tuple[str, ...], ...] = (
    ("status", "--month", "6"),
    ("status", "--json", "--month", "6"),
    ("overdue", "--month", "6"),
    ("list", "--json", "--month", "9"),
    ("show", "3", "--json", "--month", "9"),
)
"""The views that load the whole ledger with load_ledger (through the snapshot)."""
VIEWS = (*LEDGER_VIEWS, ("check",))
"""And check, which builds every file to list every warning, snapshot or not."""
Outputs = dict[tuple[str, ...], tuple[int, str, str]]


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Path]]:
    """The task files built into projects (a snapshot miss) since the test began, in order."""
    seen: list[Path] = []
    real = build.build_project

    def spy(data: Any, file: Path, workspace: Any) -> Any:
        seen.append(file)
        return real(data, file, workspace)

    monkeypatch.setattr(build, "build_project", spy)
    yield seen


def outputs(
    root: Path, views: tuple[tuple[str, ...], ...] = VIEWS, lang: str | None = None, **env: str
) -> Outputs:
    """Every view's exit code, stdout and stderr."""
    prefix = ["--lang", lang] if lang else []
    found = {}
    for args in views:
        result = run_cli(root, [*prefix, *args], **env)
        found[args] = (result.exit_code, result.stdout, result.stderr)
    return found


def fresh(
    root: Path, views: tuple[tuple[str, ...], ...] = VIEWS, lang: str | None = None
) -> Outputs:
    return outputs(root, views, lang, MINSHENG_NO_CACHE="1")


def uncached(root: Path, monkeypatch: pytest.MonkeyPatch) -> Ledger:
    with monkeypatch.context() as patch:
        patch.setenv("MINSHENG_NO_CACHE", "1")
        return load_ledger(root)


def snapshots(root: Path) -> list[Path]:
    folder = root / CACHE
    return sorted(folder.glob("ledger-*.json")) if folder.is_dir() else []


def warm(root: Path) -> Path:
    """Fill the snapshot (status loads the whole ledger); its entry."""
    assert run_cli(root, ["status", "--month", "6"]).exit_code == 0
    (entry,) = snapshots(root)
    return entry


def task(root: Path, prefix: str) -> Path:
    (found,) = (root / "tasks").glob(f"{prefix}-*.yaml")
    return found


def replace_once(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    file.write_text(text.replace(old, new), encoding="utf-8")


def list_rows(seen: Outputs) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads(seen[("list", "--json", "--month", "9")][1])
    return rows


@pytest.fixture(scope="module")
def half_year_original(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_ledger(tmp_path_factory.mktemp("half_year") / "ledger")
    apply_half_year(root)
    shutil.rmtree(root / CACHE, ignore_errors=True)
    return root


@pytest.fixture(params=["bundled", "half_year", "generated"])
def ledger(request: pytest.FixtureRequest, ledger_dir: Path, tmp_path: Path) -> Path:
    """The bundled ledger (no records), half a year of every kind of record on it (values,
    corrections, ticks, a tick taken back, monthly periods, tracks), and a generated one."""
    if request.param == "bundled":
        return ledger_dir
    if request.param == "half_year":
        original: Path = request.getfixturevalue("half_year_original")
        return Path(shutil.copytree(original, tmp_path / "half_year"))
    root = tmp_path / "generated"
    generate_ledger(root, 400, seed=11)
    return root


# --- a hit is a fresh load ----------------------------------------------------------------------


def test_a_hit_is_the_fresh_ledger_types_and_all(
    ledger: Path, builds: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = uncached(ledger, monkeypatch)
    assert builds and snapshots(ledger) == [], "MINSHENG_NO_CACHE=1 used the snapshot"
    filled = load_ledger(ledger)
    assert snapshots(ledger), "a full load stored no snapshot"
    builds.clear()
    hit = load_ledger(ledger)
    assert builds == [], "a hit still built the ledger"
    assert_identical(filled, expected)
    assert_identical(hit, expected)
    assert hit.workspace.root == ledger
    for project in hit.projects:
        assert all(item.file is project.file for item in project.items)


def test_a_hit_shows_what_a_fresh_load_shows(ledger: Path, builds: list[Path]) -> None:
    expected = fresh(ledger)
    assert outputs(ledger) == expected
    builds.clear()
    assert outputs(ledger, LEDGER_VIEWS) == {v: expected[v] for v in LEDGER_VIEWS}
    assert builds == [], "the views rebuilt an unchanged ledger"
    assert outputs(ledger) == expected


def test_a_hit_in_another_language(ledger_dir: Path, builds: list[Path]) -> None:
    """The built ledger holds no translated words: one snapshot serves every language."""
    warm(ledger_dir)
    expected = fresh(ledger_dir, LEDGER_VIEWS, "en")
    builds.clear()
    assert outputs(ledger_dir, LEDGER_VIEWS, "en") == expected
    assert builds == []


@given(seed=st.integers(0, 10**6), milestones=st.integers(6, 300))
@settings(max_examples=6, deadline=None)
def test_generated_ledgers_read_back_identical(seed: int, milestones: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder).resolve()
        generate_ledger(root, milestones, seed=seed)
        os.environ["MINSHENG_NO_CACHE"] = "1"
        try:
            expected = load_ledger(root)
        finally:
            del os.environ["MINSHENG_NO_CACHE"]
        load_ledger(root)
        assert snapshots(root)
        assert_identical(load_ledger(root), expected)


# --- every change misses --------------------------------------------------------------------------


def edit(root: Path) -> None:
    file = task(root, "03")
    replace_once(file, "完成农村户厕改造900座", "完成农村户厕改造950座")
    replace_once(file, "targets: {户厕改造: 900}", "targets: {户厕改造: 950}")


def same_size_same_second(root: Path) -> None:
    """Size and modification time as they were: only the content can tell."""
    file = task(root, "03")
    before = file.stat()
    raw = file.read_bytes()
    old, new = "targets: {户厕改造: 900}".encode(), "targets: {户厕改造: 950}".encode()
    assert raw.count(old) == 1 and len(old) == len(new)
    file.write_bytes(raw.replace(old, new))
    os.utime(file, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = file.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)


def rewritten_later(root: Path) -> None:
    """Touched a minute later with new content, as an editor saving it would."""
    same_size_same_second(root)
    file = task(root, "03")
    later = file.stat().st_mtime_ns + 60 * 10**9
    os.utime(file, ns=(later, later))


def deleted(root: Path) -> None:
    task(root, "02").unlink()


def added(root: Path) -> None:
    text = task(root, "09").read_text(encoding="utf-8")
    text = text.replace("id: 9\n", "id: 11\n").replace("法律援助质量提升工程", "公共法律服务工程")
    (root / "tasks" / "11-公共法律服务工程.yaml").write_text(text, encoding="utf-8")


def renamed(root: Path) -> None:
    file = task(root, "02")
    file.rename(file.with_name("02-城市基础设施工程.yaml"))


def workspace_edited(root: Path) -> None:
    replace_once(root / WORKSPACE_FILE, "warning_days: 10", "warning_days: 40")


CHANGES: dict[str, Callable[[Path], None]] = {
    "edited": edit,
    "same_size_same_second": same_size_same_second,
    "rewritten_later": rewritten_later,
    "deleted": deleted,
    "added": added,
    "renamed": renamed,
    "minsheng.yaml_edited": workspace_edited,
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_every_change_misses(
    ledger_dir: Path,
    builds: list[Path],
    monkeypatch: pytest.MonkeyPatch,
    change: Callable[[Path], None],
) -> None:
    warm(ledger_dir)
    before = outputs(ledger_dir)
    change(ledger_dir)
    builds.clear()
    seen = outputs(ledger_dir)
    assert builds, "the changed ledger was served from the snapshot"
    assert seen == fresh(ledger_dir)
    if change is not renamed:  # no view names a file; test_a_renamed_file_is_where_update_writes
        assert seen != before
    assert_identical(load_ledger(ledger_dir), uncached(ledger_dir, monkeypatch))
    builds.clear()
    assert outputs(ledger_dir, LEDGER_VIEWS) == {v: seen[v] for v in LEDGER_VIEWS}
    assert builds == [], "the new snapshot was not stored"


def test_what_each_change_shows(ledger_dir: Path) -> None:
    """The user's side of the changes above, on one ledger, one after another."""
    warm(ledger_dir)
    edit(ledger_dir)
    rows = list_rows(outputs(ledger_dir))
    assert any(r["item"] == "3.1" and r["targets"] == {"户厕改造": 950} for r in rows)
    deleted(ledger_dir)
    assert all(r["project"] != 2 for r in list_rows(outputs(ledger_dir)))
    added(ledger_dir)
    assert any(r["project"] == 11 for r in list_rows(outputs(ledger_dir)))
    assert "10项" in outputs(ledger_dir)[("check",)][1]


def test_a_touched_but_unchanged_file_still_hits(ledger_dir: Path, builds: list[Path]) -> None:
    warm(ledger_dir)
    expected = outputs(ledger_dir)
    later = task(ledger_dir, "03").stat().st_mtime_ns + 60 * 10**9
    os.utime(task(ledger_dir, "03"), ns=(later, later))
    builds.clear()
    assert outputs(ledger_dir, LEDGER_VIEWS) == {v: expected[v] for v in LEDGER_VIEWS}
    assert builds == []


def test_a_renamed_file_is_where_update_writes(ledger_dir: Path) -> None:
    """“基础” names 实事 2 and item 7.2's content, so update loads the whole ledger to tell."""
    warm(ledger_dir)
    renamed(ledger_dir)
    result = run_cli(ledger_dir, ["update", "基础", "--percent", "40", "--date", "2023-05-20"])
    assert result.exit_code == 0, result.stderr
    assert "percent: 40" in task(ledger_dir, "02").read_text(encoding="utf-8")
    assert sorted(p.name for p in (ledger_dir / "tasks").glob("02-*")) == [
        "02-城市基础设施工程.yaml"
    ]


def test_a_file_edited_while_loading_is_never_stored_as_unchanged(
    ledger_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ledger is built from the bytes that were hashed: an edit landing between hashing and
    building is seen by the next command, not hidden behind a snapshot of the newer bytes."""

    def edited_meanwhile(*args: Any) -> Any:
        edit(ledger_dir)
        return load_sources(*args)

    monkeypatch.setattr("minsheng_cli.store.snapshot.load_sources", edited_meanwhile)
    first = load_ledger(ledger_dir)
    monkeypatch.setattr("minsheng_cli.store.snapshot.load_sources", load_sources)
    assert "完成农村户厕改造900座" in milestone_texts(first), "built from the newer bytes"
    assert_identical(load_ledger(ledger_dir), uncached(ledger_dir, monkeypatch))
    assert "完成农村户厕改造950座" in milestone_texts(load_ledger(ledger_dir))


def milestone_texts(ledger: Ledger) -> set[str]:
    return {m.text for item in ledger.items for m in item.milestones}


def test_a_task_file_whose_name_is_not_utf8(
    ledger_dir: Path, builds: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Linux allows any bytes in a name: Python shows them as lone surrogates, which UTF-8 text
    cannot hold. Both caches key and store such a file all the same."""
    name = os.fsdecode(b"09-\xff\xfe.yaml")
    try:
        task(ledger_dir, "09").rename(ledger_dir / "tasks" / name)
    except OSError:
        pytest.skip("this file system refuses names that are not UTF-8")
    expected = fresh(ledger_dir, LEDGER_VIEWS)
    assert expected[("status", "--month", "6")][0] == 0
    assert outputs(ledger_dir, LEDGER_VIEWS) == expected
    builds.clear()
    assert outputs(ledger_dir, LEDGER_VIEWS) == expected
    assert builds == []
    assert_identical(load_ledger(ledger_dir), uncached(ledger_dir, monkeypatch))


# --- a copied workspace ---------------------------------------------------------------------------


def test_a_copied_workspace_has_its_own_paths(
    ledger_dir: Path, tmp_path: Path, builds: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    warm(ledger_dir)
    copy = Path(shutil.copytree(ledger_dir, tmp_path / "copy"))
    assert (copy / CACHE).is_dir()
    builds.clear()
    ledger = load_ledger(copy)
    assert builds, "the copy was served the original's snapshot"
    assert_identical(ledger, uncached(copy, monkeypatch))
    assert all(item.file.is_relative_to(copy / "tasks") for item in ledger.items)


def test_an_entry_from_another_root_names_only_this_workspace_s_files(
    ledger_dir: Path, tmp_path: Path, builds: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even an entry stored under this root's key (a forger's) cannot hand out another
    workspace's paths: the entry holds file names, and decoding takes the paths from tasks/."""
    original = warm(ledger_dir)
    copy = Path(
        shutil.copytree(ledger_dir, tmp_path / "copy", ignore=shutil.ignore_patterns(CACHE))
    )
    body = read_entry(original, original.read_bytes().split(b"\n", 1)[0].decode())
    assert body is not None
    write_entry(ledger_cache.snapshot_path(copy), current_key(copy), body)
    builds.clear()
    ledger = load_ledger(copy)
    assert builds == [], "the forged entry was not even read"
    assert_identical(ledger, uncached(copy, monkeypatch))


def test_update_in_a_copy_writes_the_copy(ledger_dir: Path, tmp_path: Path) -> None:
    """“质量” names 实事 9 and item 3.2's content, so update loads the whole ledger to tell."""
    warm(ledger_dir)
    copy = Path(shutil.copytree(ledger_dir, tmp_path / "copy"))
    original_bytes = task(ledger_dir, "09").read_bytes()
    args = ["update", "质量", "--set", "法律援助案件=30", "--date", "2023-05-20", "--no-commit"]
    result = run_cli(copy, args)
    assert result.exit_code == 0, result.stderr
    assert task(ledger_dir, "09").read_bytes() == original_bytes
    assert "法律援助案件: 30" in task(copy, "09").read_text(encoding="utf-8")


def current_key(root: Path) -> str:
    workspace = read_source(root / WORKSPACE_FILE)
    key = ledger_cache.snapshot_key(root, [workspace, *map(read_source, task_files(root))])
    assert key is not None
    return key


# --- a damaged entry misses and is rebuilt --------------------------------------------------------


def forged(change: Callable[[Any], Any]) -> Callable[[Path], None]:
    """The entry's body replaced by ``change(body)``, under its own key with a right checksum:
    only the decoder can tell."""

    def damage(entry: Path) -> None:
        key = entry.read_bytes().split(b"\n", 1)[0].decode()
        body = read_entry(entry, key)
        assert body is not None
        value = change(json.loads(body))
        write_entry(entry, key, json.dumps(value, ensure_ascii=False).encode("utf-8"))

    return damage


def edited(mutate: Callable[[dict[str, Any]], object]) -> Callable[[Path], None]:
    """The body changed in place by ``mutate``, as ``forged``."""

    def change(value: dict[str, Any]) -> dict[str, Any]:
        mutate(value)
        return value

    return forged(change)


def raw(change: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def damage(entry: Path) -> None:
        entry.write_bytes(change(entry.read_bytes()))

    return damage


def a_digit_changed(data: bytes) -> bytes:
    """One digit of the body (a hand edit, a flipped bit): the checksum tells."""
    at = data.rindex(b"[1,")
    return data[: at + 1] + b"7" + data[at + 2 :]


def older_key(data: bytes) -> bytes:
    """An entry a previous version of the code wrote: another key line."""
    key, rest = data.split(b"\n", 1)
    return b"ledger:" + b"0" * (len(key) - 7) + b"\n" + rest


def file_outside_tasks(value: dict[str, Any]) -> None:
    value["texts"] = [
        t if t is None or not t.endswith(".yaml") else "../minsheng.yaml" for t in value["texts"]
    ]


def counts_off_by_one(value: dict[str, Any]) -> None:
    """One item claims one milestone more than it has: every later item's run would shift."""
    column = MILESTONES_OF_ITEMS
    counts = list(unpack(value["items"][column]))
    counts[0] += 1
    value["items"][column] = pack(counts)


MILESTONES_OF_ITEMS = 6
"""The items table's column of milestone counts (its Parent fields have none)."""


DAMAGE: dict[str, Callable[[Path], None]] = {
    "garbage": raw(lambda data: os.urandom(64) + b"\xff\xfe\x00"),
    "empty": raw(lambda data: b""),
    "truncated": raw(lambda data: data[: len(data) // 2]),
    "truncated_near_the_end": raw(lambda data: data[:-2]),
    "a_digit_changed": raw(a_digit_changed),
    "an_older_format": raw(older_key),
    "json_of_another_shape": forged(lambda value: [[1, "开工建设"], {"x": None}]),
    "the_per_file_format": forged(lambda value: {"id": 3, "name": "实事", "items": []}),
    "a_table_missing": edited(lambda value: value.pop("milestones")),
    "a_column_missing": edited(lambda value: value["records"].pop()),
    "counts_that_do_not_add_up": edited(counts_off_by_one),
    "text_past_the_end": edited(lambda value: value["tracks"].__setitem__(0, pack([10**6]))),
    "a_file_outside_tasks": edited(file_outside_tasks),
    "a_date_that_is_none": edited(lambda value: value["days"].append(-3)),
    "text_that_is_not_text": edited(lambda value: value["texts"].append(17)),
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_a_damaged_entry_is_ignored_and_rebuilt(
    ledger_dir: Path, builds: list[Path], damage: Callable[[Path], None]
) -> None:
    expected = fresh(ledger_dir)
    entry = warm(ledger_dir)
    damage(entry)
    builds.clear()
    assert outputs(ledger_dir) == expected
    assert builds, "a damaged entry was used"
    builds.clear()
    assert outputs(ledger_dir, LEDGER_VIEWS) == {v: expected[v] for v in LEDGER_VIEWS}
    assert builds == [], "the damaged entry was not rebuilt"


# --- an unwritable cache, MINSHENG_NO_CACHE, a broken ledger --------------------------------------


def test_no_cache_neither_reads_nor_writes_the_snapshot(ledger_dir: Path) -> None:
    truth = fresh(ledger_dir)
    assert not (ledger_dir / CACHE).exists()
    entry = warm(ledger_dir)
    # the title is the first text the entry stores (the workspace's row comes first)
    edited(lambda value: value["texts"].__setitem__(1, "伪造的清单"))(entry)
    assert (
        "伪造的清单" in outputs(ledger_dir)[("status", "--month", "6")][1]
    )  # what a forger can do
    assert fresh(ledger_dir) == truth


def test_a_cache_that_cannot_be_a_folder_still_works(ledger: Path) -> None:
    """Unwritable even for root: a plain file stands where the folder would be."""
    expected = fresh(ledger)
    (ledger / CACHE).write_bytes(b"not a folder")
    assert outputs(ledger) == expected
    assert outputs(ledger) == expected
    assert (ledger / CACHE).read_bytes() == b"not a folder"


def test_a_read_only_cache_folder_still_works(ledger_dir: Path) -> None:
    entry = warm(ledger_dir)
    folder = ledger_dir / CACHE
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running as root: folder permissions are not enforced")
        stored = entry.read_bytes()
        edit(ledger_dir)
        seen = outputs(ledger_dir)
        assert seen == fresh(ledger_dir)
        assert any(r["targets"] == {"户厕改造": 950} for r in list_rows(seen))
        assert entry.read_bytes() == stored
    finally:
        folder.chmod(stat.S_IRWXU)


def test_an_entry_that_cannot_be_written_only_costs_speed(
    ledger_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As when the disk is full: the command answers, and the next one simply misses again."""
    expected = fresh(ledger_dir)

    def full(path: Path, data: bytes) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("minsheng_cli.store.cache.write_atomic", full)
    assert outputs(ledger_dir) == expected
    assert snapshots(ledger_dir) == []


def broken(root: Path) -> None:
    """Two errors in two files: a deadline no one can read and a 序号 used twice."""
    replace_once(task(root, "04"), "deadline: 3月底", "deadline: 3月的某天")
    replace_once(task(root, "08"), "id: 8\n", "id: 7\n")


def test_a_ledger_with_errors_stores_nothing_and_reports_every_error(ledger_dir: Path) -> None:
    broken(ledger_dir)
    expected = fresh(ledger_dir)
    status = expected[("status", "--month", "6")]
    assert status[0] == 1
    assert "3月的某天" in status[2] and status[2].count("序号7被") == 2
    assert outputs(ledger_dir) == expected
    assert outputs(ledger_dir) == expected
    assert snapshots(ledger_dir) == []


def test_errors_after_a_snapshot_are_reported(ledger_dir: Path) -> None:
    warm(ledger_dir)
    broken(ledger_dir)
    seen = outputs(ledger_dir)
    assert seen[("status", "--month", "6")][0] == 1
    assert seen == fresh(ledger_dir)


def test_update_and_done_through_a_warm_snapshot(ledger_dir: Path) -> None:
    warm(ledger_dir)
    for args in (
        ["update", "3.1", "--set", "户厕改造=900", "--date", "2023-07-28"],
        ["done", "2.1", "开工建设", "--date", "2023-03-15"],
    ):
        result = run_cli(ledger_dir, [*args, "--no-commit"])
        assert result.exit_code == 0, result.stderr
    seen = outputs(ledger_dir)
    assert seen == fresh(ledger_dir)
    rows = list_rows(seen)
    assert any(r["item"] == "3.1" and r["recorded"] == {"户厕改造": 900} for r in rows)
    assert any(r["item"] == "2.1" and r["text"] == "开工建设" and r["state"] == "met" for r in rows)
