"""Inputs that once ended in exit 70 (a bug): each now gets a clear line and an honest exit code.

From issue 16's hostile testing: odd numbers on the command line, YAML tags, broken lock files,
damaged caches, named pipes, long paths, and invisible text-direction characters.
"""

from __future__ import annotations

import contextlib
import errno
import json
import math
import os
import threading
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minsheng_cli.core.asof import parse_percent
from minsheng_cli.errors import UsageError
from minsheng_cli.ledger import yamltext
from minsheng_cli.store.cache import CACHE_DIR, _checksum, content_key, entry_path
from minsheng_cli.store.index import INDEX_FILE
from minsheng_cli.store.snapshot import snapshot_path
from minsheng_cli.text import format_amount, without_controls
from tests.conftest import run_cli

PROJECT_2 = "tasks/02-城市基础设施补短板工程.yaml"
PROJECT_3 = "tasks/03-农村人居环境提升工程.yaml"  # items 3.2 (roads) and 3.3 (water)
PROJECT_4 = "tasks/04-办学条件改善工程.yaml"
LONG_NAME = "a" * 300


def en(root: Path | None, *args: str) -> tuple[int, str, str]:
    result = run_cli(root, ["--lang", "en", *args])
    return result.exit_code, result.stdout, result.stderr


def update(root: Path, ref: str, *more: str) -> tuple[int, str, str]:
    return en(root, "update", ref, "--date", "2023-07-01", "--no-commit", *more)


def update_3_3(root: Path, *more: str) -> tuple[int, str, str]:
    return update(root, "3.3", *more)


def snapshot_of_files(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "tasks").iterdir())}


# 1. --percent that is not a finite number


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e400", "NaN%", "－ｉｎｆ"])
def test_a_percent_that_is_not_a_finite_number_is_refused(ledger_dir: Path, value: str) -> None:
    before = snapshot_of_files(ledger_dir)
    code, _out, err = update_3_3(ledger_dir, "--percent", value)
    assert code == 2
    assert f"“{value}” is not a percentage; write a number from 0 to 100, e.g. 55" in err
    assert snapshot_of_files(ledger_dir) == before


def test_a_percent_that_is_not_a_finite_number_is_refused_in_chinese(ledger_dir: Path) -> None:
    result = run_cli(
        ledger_dir, ["update", "3.3", "--date", "2023-07-01", "--no-commit", "--percent", "nan"]
    )
    assert result.exit_code == 2
    assert result.stderr == "错误：“nan”不是百分比；请写0到100之间的数，如 55\n"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (float("nan"), "nan"),
        (float("inf"), "inf"),
        (float("-inf"), "-inf"),
        (1e300, "1e+300"),
        (1310.0, "1310"),
        (2.25, "2.25"),
        (-3.0, "-3"),
    ],
)
def test_any_float_can_be_shown(value: float, shown: str) -> None:
    assert format_amount(value) == shown


@given(st.text(max_size=12) | st.floats().map(str))
def test_a_percent_is_a_finite_number_or_a_usage_error(text: str) -> None:
    try:
        value = parse_percent(text)
    except UsageError:
        return
    assert math.isfinite(value)
    assert format_amount(value)


@given(st.floats())
def test_format_amount_never_raises(value: float) -> None:
    assert format_amount(value)


# 2. explicit YAML tags


YAML_PIECES = st.sampled_from(
    [
        "!!bool ",
        "!!int ",
        "!!float ",
        "!!timestamp ",
        "!!str ",
        "! ",
        "!x ",
        "!!set ",
        "...",
        "---",
        "&a ",
        "*a",
        "- ",
        ": ",
        "{",
        "}",
        "[",
        "]",
        "\n",
        "  ",
        "#",
        "'",
        '"',
        "x",
        "1",
        "+",
        "_",
        "2023-02-30",
        ".inf",
        "maybe",
        "<<: ",
        "|",
        ">",
    ]
)


@given(st.lists(YAML_PIECES, max_size=12).map("".join))
def test_any_yaml_text_parses_or_is_a_problem_at_a_line(text: str) -> None:
    try:
        yamltext.parse(text)
    except yamltext.YamlProblem as problem:
        assert problem.line is None or 1 <= problem.line <= text.count("\n") + 2


@pytest.mark.parametrize(
    "tagged",
    [
        "!!bool maybe",
        "!!timestamp xx",
        '!!int ""',
        "!!int +",
        "!!float _",
        "!!str 12",
        "! 12",
        "!!binary aGVsbG8=",
        "!custom text",
    ],
)
def test_an_explicit_yaml_tag_is_a_problem_at_its_line(ledger_dir: Path, tagged: str) -> None:
    task = ledger_dir / PROJECT_4
    lines = task.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines, 1) if line.startswith("name:"))
    lines[number - 1] = f"name: {tagged}\n"
    task.write_text("".join(lines), encoding="utf-8")
    before = snapshot_of_files(ledger_dir)

    code, _out, err = en(ledger_dir, "check")
    assert code == 1
    assert f"{PROJECT_4}:{number}: the YAML tag " in err
    assert "remove the tag" in err
    # an update of another project's item says the same, and writes nothing
    code, _out, err = update_3_3(ledger_dir, "--percent", "50")
    assert code == 1
    assert f"{PROJECT_4}:{number}: the YAML tag " in err
    assert snapshot_of_files(ledger_dir) == before


def test_an_explicit_tag_on_a_key_is_a_problem_too(ledger_dir: Path) -> None:
    task = ledger_dir / PROJECT_4
    text = task.read_text(encoding="utf-8").replace("\nname:", "\n!!str name:", 1)
    task.write_text(text, encoding="utf-8")
    code, _out, err = en(ledger_dir, "check")
    assert code == 1
    assert "the YAML tag !!str is not allowed in a ledger; remove the tag" in err


def test_quoted_and_plain_values_without_tags_still_load(ledger_dir: Path) -> None:
    task = ledger_dir / PROJECT_4
    text = task.read_text(encoding="utf-8").replace(
        "text: 完成项目验收并交付使用", "text: '2023-01-01'"
    )
    task.write_text(text, encoding="utf-8")
    assert en(ledger_dir, "check")[0] == 0


# 7. the lock file


def test_a_lock_file_that_is_a_folder_is_refused_clearly(ledger_dir: Path) -> None:
    (ledger_dir / ".minsheng.lock").mkdir()
    before = snapshot_of_files(ledger_dir)
    code, _out, err = update_3_3(ledger_dir, "--percent", "50")
    assert code == 1
    assert err.startswith("error: cannot lock the workspace: .minsheng.lock is a folder;")
    assert "nothing was recorded" in err
    assert snapshot_of_files(ledger_dir) == before


def test_a_read_only_workspace_is_refused_clearly(
    ledger_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = os.open

    def read_only(path: str | bytes | os.PathLike[str], flags: int, *args: int) -> int:
        if str(path).endswith(".minsheng.lock") and flags & os.O_CREAT:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", read_only)
    before = snapshot_of_files(ledger_dir)
    code, _out, err = update_3_3(ledger_dir, "--percent", "50")
    assert code == 1
    assert err == (
        "error: cannot lock the workspace: cannot create .minsheng.lock (Read-only file system);"
        " nothing was recorded\n"
    )
    assert snapshot_of_files(ledger_dir) == before


# 8. damaged caches


def index_entries(root: Path) -> dict[str, dict[str, object]]:
    files: dict[str, dict[str, object]] = json.loads((root / CACHE_DIR / INDEX_FILE).read_bytes())[
        "files"
    ]
    return files


def write_index(root: Path, files: dict[str, dict[str, object]]) -> None:
    index = root / CACHE_DIR / INDEX_FILE
    payload = json.loads(index.read_bytes())
    payload["files"] = files
    index.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")


def warm(root: Path) -> None:
    """Every cache filled and current: the index, each file's entry, the snapshot."""
    assert update_3_3(root, "--percent", "45")[0] == 0
    assert update_3_3(root, "--percent", "101")[0] == 2  # refreshes the index, writes nothing
    assert en(root, "check")[0] == 0
    assert en(root, "list")[0] == 0


@pytest.mark.parametrize("damage", ["no size", "a list", "a string id", "no items", "not a dict"])
def test_a_damaged_index_entry_is_rebuilt_from_the_file(ledger_dir: Path, damage: str) -> None:
    warm(ledger_dir)
    files = index_entries(ledger_dir)
    name = Path(PROJECT_3).name
    entry: dict[str, object] = dict(files[name])
    if damage == "no size":
        del entry["size"]
    elif damage == "a string id":
        entry["id"] = "3"
    elif damage == "no items":
        entry["items"] = [[1, 2, 3]]
    files[name] = entry
    if damage == "a list":
        files[name] = list(entry.values())  # type: ignore[assignment]
    if damage == "not a dict":
        write_index(ledger_dir, files)
        (ledger_dir / CACHE_DIR / INDEX_FILE).write_text('{"code": 1, "files": []}')
    else:
        write_index(ledger_dir, files)

    code, out, err = update_3_3(ledger_dir, "--percent", "50")
    assert (code, err) == (0, "")
    assert out.startswith("recorded: update 3.3")


def test_swapped_ids_in_the_index_still_find_the_item(ledger_dir: Path) -> None:
    warm(ledger_dir)
    files = index_entries(ledger_dir)
    two, three = Path(PROJECT_2).name, Path(PROJECT_3).name
    files[two]["id"], files[three]["id"] = files[three]["id"], files[two]["id"]
    write_index(ledger_dir, files)

    for ref, task in (("2.1", PROJECT_2), ("3.3", PROJECT_3)):
        code, out, err = update(ledger_dir, ref, "--percent", "50")
        assert (code, err) == (0, "")
        assert out.startswith(f"recorded: update {ref}")
        assert "percent: 50" in (ledger_dir / task).read_text(encoding="utf-8")
    # and the index is right again, for the files the updates did not touch as well
    files = index_entries(ledger_dir)
    assert {name[:2]: entry["id"] for name, entry in files.items()} == {
        f"{n:02}": n for n in range(1, 11)
    }


def forge_file_entry(root: Path, task: str, body: bytes) -> None:
    file = root / task
    key = content_key(file.read_bytes())
    entry_path(root, file).write_bytes(key.encode() + b"\n" + _checksum(body) + b"\n" + body)


@pytest.mark.parametrize(
    "body", [b"{}", b"[" * 100_000, b'{"id": "x", "name": 3, "items": {}}', b"null"]
)
def test_a_forged_file_entry_falls_back_to_the_file(ledger_dir: Path, body: bytes) -> None:
    warm(ledger_dir)
    for task in (PROJECT_3, "minsheng.yaml"):
        forge_file_entry(ledger_dir, task, body)
    for snapshot in (ledger_dir / CACHE_DIR).glob("ledger-*.json"):
        snapshot.unlink()

    assert en(ledger_dir, "check")[:1] == (0,)
    code, out, err = update_3_3(ledger_dir, "--percent", "50")
    assert (code, err) == (0, "")
    code, out, _err = en(ledger_dir, "show", "3.3", "--month", "7")
    assert code == 0
    assert "50%" in out


def run_with_timeout(root: Path, *args: str) -> tuple[int, str, str]:
    """The command, or a failure if it has not finished in 20 s (a hang)."""
    found: list[tuple[int, str, str]] = []
    worker = threading.Thread(target=lambda: found.append(en(root, *args)), daemon=True)
    worker.start()
    worker.join(20)
    assert found, f"{args} hung"
    return found[0]


@pytest.mark.parametrize("what", ["index", "snapshot", "file entry"])
def test_a_named_pipe_in_the_cache_does_not_hang_a_command(ledger_dir: Path, what: str) -> None:
    warm(ledger_dir)
    if what == "index":
        pipe = ledger_dir / CACHE_DIR / INDEX_FILE
    elif what == "snapshot":
        pipe = snapshot_path(ledger_dir)
    else:
        pipe = entry_path(ledger_dir, ledger_dir / PROJECT_3)
    pipe.unlink()
    os.mkfifo(pipe)
    try:
        assert run_with_timeout(ledger_dir, "list")[0] == 0
        assert run_with_timeout(ledger_dir, "status")[0] == 0
        code, _out, err = run_with_timeout(
            ledger_dir, "update", "3.3", "--percent", "50", "--date", "2023-07-01", "--no-commit"
        )
        assert (code, err) == (0, "")
    finally:
        with contextlib.suppress(OSError):  # release a reader still blocked in its thread
            os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))


def test_a_named_pipe_among_the_task_files_does_not_hang_update(ledger_dir: Path) -> None:
    warm(ledger_dir)
    os.mkfifo(ledger_dir / "tasks" / "99-pipe.yaml")
    code, _out, err = run_with_timeout(
        ledger_dir, "update", "3.3", "--percent", "50", "--date", "2023-07-01", "--no-commit"
    )
    assert (code, err) == (0, "")


# 9. long and odd paths


@pytest.mark.parametrize("command", [["check"], ["list"], ["status"], ["update", "3.3"]])
def test_a_folder_name_too_long_is_a_usage_error(tmp_path: Path, command: list[str]) -> None:
    code, _out, err = en(tmp_path / LONG_NAME, *command)
    assert code == 2
    assert err.startswith(f"error: cannot use {tmp_path / LONG_NAME} as the workspace (")
    assert "File name too long" in err


def test_a_report_file_name_too_long_is_a_usage_error(ledger_dir: Path, tmp_path: Path) -> None:
    output = tmp_path / f"{LONG_NAME}.md"
    code, _out, err = en(ledger_dir, "report", "--month", "6", "-o", str(output))
    assert code == 2
    assert err.startswith(f"error: cannot write to “{output}” (")
    assert "File name too long" in err


def test_init_on_a_regular_file_is_a_usage_error(tmp_path: Path) -> None:
    file = tmp_path / "notes.txt"
    file.write_text("keep me", encoding="utf-8")
    code, _out, err = en(None, "init", str(file), "--year", "2024")
    assert code == 2
    assert err == f"error: {file} is a file, not a folder; give a new or empty folder\n"
    assert file.read_text(encoding="utf-8") == "keep me"


def test_init_in_a_folder_name_too_long_is_a_usage_error(tmp_path: Path) -> None:
    code, _out, err = en(None, "init", str(tmp_path / LONG_NAME), "--year", "2024")
    assert code == 2
    assert err.startswith(f"error: cannot create a workspace in {tmp_path / LONG_NAME} (")


# 11. text-direction characters, and the YAML document end marker


@pytest.mark.parametrize("mark", ["\u202e", "\u202a", "\u2066", "\u2069", "\u200e", "\u200f"])
def test_a_text_direction_mark_in_a_task_file_is_a_check_error(ledger_dir: Path, mark: str) -> None:
    task = ledger_dir / PROJECT_4
    text = task.read_text(encoding="utf-8").replace(
        "text: 完成项目验收并交付使用", f"text: 完成项目{mark}验收并交付使用"
    )
    task.write_text(text, encoding="utf-8")
    code, _out, err = en(ledger_dir, "check")
    assert code == 1
    assert f"{PROJECT_4}:" in err
    assert f"contains an invisible text-direction mark (U+{ord(mark):04X}); delete it" in err
    assert mark not in err


def test_a_text_direction_mark_in_an_option_is_refused(ledger_dir: Path) -> None:
    before = snapshot_of_files(ledger_dir)
    code, _out, err = update_3_3(ledger_dir, "--percent", "50", "--note", "abc\u202edcba")
    assert code == 2
    assert "--note: the text holds a control character or a line break" in err
    assert snapshot_of_files(ledger_dir) == before


def test_text_direction_marks_never_reach_the_output() -> None:
    assert without_controls("a\u202eb\u2066c\u200fd") == "a\ufffdb\ufffdc\ufffdd"
    assert without_controls("户厕\u200d改造") == "户厕\u200d改造"  # a joiner is harmless


@pytest.mark.parametrize("ending", ["...\n", "...", "... # end\n", "...\n# the end\n"])
def test_a_document_end_marker_is_reported_where_it_stands(ledger_dir: Path, ending: str) -> None:
    task = ledger_dir / PROJECT_3
    text = task.read_text(encoding="utf-8")
    task.write_text(text + ending, encoding="utf-8")
    line = text.count("\n") + 1
    before = snapshot_of_files(ledger_dir)

    code, _out, err = en(ledger_dir, "check")
    assert code == 1
    assert f"{PROJECT_3}:{line}: “...” ends the YAML document here" in err
    code, _out, err = update_3_3(ledger_dir, "--percent", "50")
    assert code == 1
    assert f"{PROJECT_3}:{line}: “...” ends the YAML document here" in err
    assert snapshot_of_files(ledger_dir) == before
