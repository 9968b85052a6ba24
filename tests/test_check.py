"""`minsheng check`: the bundled ledger is clean, and every kind of bad input in
tests/fixtures/bad/ is reported as `file:line: sentence`, all at once, exit 1, never a traceback."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import NamedTuple

import pytest

from minsheng_cli.ledger import yamltext
from minsheng_cli.ledger.deadlines import DueKind
from minsheng_cli.store.load import load_ledger
from tests.conftest import run_cli

BAD = Path(__file__).parent / "fixtures" / "bad"
ITEM_KEYS = (
    "the keys allowed here: content, leader, unit, partners, investment, sites, note, indicators,"
    " milestones, tracks"
)
WRITE_AS = "write it as the notice does (3月中旬, 5月底前, 年底) or as 2023-05-31"


class Expected(NamedTuple):
    line: int
    message: str  # the English sentence (--lang en)
    needle: str  # the part of it that is the clerk's own data, the same in every language


BAD_INPUT: dict[str, list[Expected]] = {
    "yaml_syntax.yaml": [
        Expected(
            10,
            "YAML syntax error: a “: ” where a value was expected: a value holding “: ” must be"
            ' in quotes, as in "4月: 完成招标", or written with the full-width “：”',
            "YAML",
        )
    ],
    "unknown_key.yaml": [Expected(6, "unknown key “leadr”; " + ITEM_KEYS, "leadr")],
    "missing_key.yaml": [Expected(5, "“content” is missing; add it", "content")],
    "wrong_type.yaml": [
        Expected(
            10,
            "“target”: should be a number",
            "target",
        )
    ],
    "impossible_date.yaml": [
        Expected(
            11,
            "“2023-02-30” is not a real date; write a day that exists, as YYYY-MM-DD",
            "2023-02-30",
        )
    ],
    "duplicate_key.yaml": [
        Expected(8, "duplicate key “unit” (first at line 7); keep one of them", "unit")
    ],
    "unknown_deadline.yaml": [
        Expected(9, f"unknown deadline word “3月前后”; {WRITE_AS}", "3月前后"),
        Expected(10, f"unknown deadline word “截至6月9日”; {WRITE_AS}", "截至6月9日"),
    ],
    "bad_numeral.yaml": [
        Expected(9, f"not a number: 一二; {WRITE_AS}", "一二"),
        Expected(10, f"not a number: 十十; {WRITE_AS}", "十十"),
    ],
    "out_of_order.yaml": [
        Expected(
            11,
            "milestones out of date order: “3月中旬” (2023-03-20) comes after “5月底”"
            " (2023-05-31); put them in the order they fall due",
            "2023-03-20",
        )
    ],
    "decreasing_target.yaml": [
        Expected(
            13,
            "cumulative targets must not decrease: 法律援助案件 80 here, but 120 by 6月底",
            "法律援助案件 80",
        )
    ],
    "target_exceeds_total.yaml": [
        Expected(12, "the target 户厕改造 1500 exceeds the indicator's total 1310", "1310")
    ],
    "unknown_indicator.yaml": [
        Expected(
            12,
            "the target “厕所改造” is not an indicator of this item (indicators: 户厕改造、示范村)",
            "厕所改造",
        )
    ],
    "gbk.yaml": [
        Expected(
            3,
            "the file is not UTF-8 (perhaps GBK from a Windows editor);"
            " save it as UTF-8 and run again",
            "UTF-8",
        )
    ],
    "python_tag.yaml": [
        Expected(
            3,
            "the YAML tag !!python/object/apply:os.system is not allowed in a ledger;"
            " remove the tag",
            "python/object/apply:os.system",
        )
    ],
    "alias_bomb.yaml": [
        Expected(4, "the file expands to too many values (alias bomb?)", "alias_bomb.yaml")
    ],
    "python_tag_mapping.yaml": [
        Expected(
            5,
            "the YAML tag !!python/object:builtins.dict is not allowed in a ledger; remove the tag",
            "python/object:builtins.dict",
        )
    ],
}


def add_bad(ledger: Path, *names: str) -> None:
    for name in names:
        shutil.copy2(BAD / name, ledger / "tasks" / name)


def summary_count(line: str) -> int:
    """The number in the closing line (发现2个问题 / 2 problems found)."""
    numbers = re.findall(r"\d+", line)
    assert len(numbers) == 1, line
    return int(numbers[0])


def assert_no_traceback(output: str) -> None:
    assert "Traceback" not in output
    assert "internal error" not in output


def test_every_bad_input_kind_has_its_fixture_file() -> None:
    on_disk = {p.name for p in BAD.iterdir()}
    assert set(BAD_INPUT) | {"duplicate_id.yaml", "wrong_deadline_type.yaml"} == on_disk


# --- the bundled ledger ---------------------------------------------------------------------------


def test_bundled_ledger_is_clean(ledger_dir: Path) -> None:
    result = run_cli(ledger_dir, ["--lang", "en", "check"])

    assert result.exit_code == 0
    assert result.stdout == "ok: 10 实事, 14 items, 86 milestones, no problems\n"
    assert result.stderr == ""


def test_bundled_ledger_is_clean_in_chinese(ledger_dir: Path) -> None:
    result = run_cli(ledger_dir, ["check"])

    assert result.exit_code == 0
    assert result.stderr == ""
    numbers = [int(n) for n in re.findall(r"\d+", result.stdout)]
    assert numbers == [10, 14, 86]
    assert "ok:" not in result.stdout
    assert "实事" in result.stdout


def test_bundled_milestones_are_79_dated_1_monthly_and_6_implied(ledger_dir: Path) -> None:
    ledger = load_ledger(ledger_dir)
    milestones = [(item, m) for item in ledger.items for m in item.milestones]

    written = [m for _, m in milestones if not m.implied]
    dated = [m for m in written if m.kind is DueKind.DATE]
    monthly = [
        (item.ref, m.deadline, m.text) for item, m in milestones if m.kind is DueKind.MONTHLY
    ]
    implied = [(item.ref, m.deadline, m.due, m.text) for item, m in milestones if m.implied]

    assert (len(ledger.projects), len(ledger.items)) == (10, 14)
    assert len(dated) == 79
    assert all(m.due is not None and m.due.year == 2023 for m in dated)
    assert monthly == [("7.2", "逐月", "按时兑付")]
    # 5.1's indicators without a dated milestone fall due at year end (当年完成)
    assert [(ref, deadline, str(day)) for ref, deadline, day, _ in implied] == [
        ("5.1", "年底", "2023-12-31")
    ] * 6
    assert [text for *_, text in implied] == [
        "产前筛查率达到80%",
        "完成新生儿遗传病筛查350人",
        "新生儿遗传病筛查率达到95%",
        "完成新生儿听力筛查350人",
        "新生儿听力筛查率达到90%",
        "新生儿耳聋基因筛查率达到90%",
    ]
    assert len(milestones) == 79 + 1 + 6 == 86


def test_check_finds_the_workspace_from_a_subfolder(
    ledger_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ledger_dir / "tasks")
    result = run_cli(None, ["--lang", "en", "check"])

    assert result.exit_code == 0
    assert result.stdout == "ok: 10 实事, 14 items, 86 milestones, no problems\n"


# --- each kind of bad input -----------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(BAD_INPUT))
def test_bad_input_is_reported_at_its_line(ledger_dir: Path, name: str) -> None:
    add_bad(ledger_dir, name)

    result = run_cli(ledger_dir, ["--lang", "en", "check"])

    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[:-1] == [f"tasks/{name}:{e.line}: {e.message}" for e in BAD_INPUT[name]]
    assert re.fullmatch(r"\d+ problems? found", lines[-1])
    assert summary_count(lines[-1]) == len(BAD_INPUT[name])
    assert_no_traceback(result.output)


@pytest.mark.parametrize("name", sorted(BAD_INPUT))
def test_bad_input_is_reported_at_its_line_in_chinese(ledger_dir: Path, name: str) -> None:
    add_bad(ledger_dir, name)

    result = run_cli(ledger_dir, ["check"])

    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == len(BAD_INPUT[name]) + 1
    for line, expected in zip(lines, BAD_INPUT[name], strict=False):
        assert line.startswith(f"tasks/{name}:{expected.line}: ")
        assert expected.needle in line
    assert summary_count(lines[-1]) == len(BAD_INPUT[name])
    assert_no_traceback(result.output)


def test_duplicate_project_number_names_both_files(ledger_dir: Path) -> None:
    add_bad(ledger_dir, "duplicate_id.yaml")

    result = run_cli(ledger_dir, ["--lang", "en", "check"])

    assert result.exit_code == 1
    message = (
        "序号 3 is used by more than one file (03-农村人居环境提升工程.yaml, duplicate_id.yaml);"
        " give each 实事 its own"
    )
    assert result.stderr.splitlines()[:-1] == [
        f"tasks/03-农村人居环境提升工程.yaml:2: {message}",
        f"tasks/duplicate_id.yaml:2: {message}",
    ]
    assert summary_count(result.stderr.splitlines()[-1]) == 2


def test_python_tags_run_nothing(
    ledger_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    monkeypatch.setattr(os, "system", calls.append)
    monkeypatch.chdir(tmp_path)
    add_bad(ledger_dir, "python_tag.yaml", "python_tag_mapping.yaml")

    result = run_cli(ledger_dir, ["--lang", "en", "check"])

    assert result.exit_code == 1
    assert calls == []
    assert not (tmp_path / "minsheng-pwned").exists()
    assert not (ledger_dir / "minsheng-pwned").exists()
    assert "tasks/python_tag.yaml:3: the YAML tag !!python/" in result.stderr
    assert "tasks/python_tag_mapping.yaml:5: the YAML tag !!python/" in result.stderr


@pytest.mark.parametrize(
    "text",
    [
        "a: !!python/object/apply:os.system ['true']\n",
        "a: !!python/name:os.system\n",
        "a: !!python/object:builtins.dict {b: 1}\n",
        "a: !!python/object/new:builtins.list [[1]]\n",
        "- !!set {x, y}\n",
    ],
)
def test_strict_yaml_refuses_tags(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(os, "system", calls.append)
    with pytest.raises(yamltext.YamlProblem) as raised:
        yamltext.parse(text)
    assert raised.value.line == 1
    assert calls == []


def test_gbk_file_says_not_utf8_without_traceback(ledger_dir: Path) -> None:
    add_bad(ledger_dir, "gbk.yaml")

    result = run_cli(ledger_dir, ["status", "--as-of", "2023-06-30"])

    assert result.exit_code == 1
    assert result.stdout == ""
    first = result.stderr.splitlines()[0]
    assert first.startswith("tasks/gbk.yaml:3: ")
    assert "UTF-8" in first
    assert "GBK" in first
    assert_no_traceback(result.output)


def test_bom_and_crlf_load_clean_and_read_the_same(ledger_dir: Path) -> None:
    before = run_cli(ledger_dir, ["show", "3", "--as-of", "2023-06-30", "--json"])
    assert before.exit_code == 0
    for file in (ledger_dir / "minsheng.yaml", *sorted((ledger_dir / "tasks").glob("03-*.yaml"))):
        text = file.read_text(encoding="utf-8")
        file.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    raw = (ledger_dir / "minsheng.yaml").read_bytes()
    assert raw.startswith("\ufeff# 泾源县".encode())
    assert raw.count(b"\r\n") == raw.count(b"\n") > 5

    check = run_cli(ledger_dir, ["--lang", "en", "check"])
    after = run_cli(ledger_dir, ["show", "3", "--as-of", "2023-06-30", "--json"])

    assert check.exit_code == 0
    assert check.stdout == "ok: 10 实事, 14 items, 86 milestones, no problems\n"
    assert check.stderr == ""
    assert after.exit_code == 0
    assert json.loads(after.stdout) == json.loads(before.stdout)


def test_every_problem_of_several_files_in_one_run(ledger_dir: Path) -> None:
    add_bad(
        ledger_dir,
        "yaml_syntax.yaml",
        "unknown_key.yaml",
        "unknown_deadline.yaml",
        "out_of_order.yaml",
        "gbk.yaml",
        "duplicate_id.yaml",
    )

    result = run_cli(ledger_dir, ["--lang", "en", "check"])

    assert result.exit_code == 1
    located = [line.split(": ", 1)[0] for line in result.stderr.splitlines()[:-1]]
    assert located == [
        "tasks/03-农村人居环境提升工程.yaml:2",
        "tasks/duplicate_id.yaml:2",
        "tasks/gbk.yaml:3",
        "tasks/out_of_order.yaml:11",
        "tasks/unknown_deadline.yaml:9",
        "tasks/unknown_deadline.yaml:10",
        "tasks/unknown_key.yaml:6",
        "tasks/yaml_syntax.yaml:10",
    ]
    assert summary_count(result.stderr.splitlines()[-1]) == 8
    assert_no_traceback(result.output)


def test_schema_errors_in_one_file_are_all_reported(ledger_dir: Path) -> None:
    (ledger_dir / "tasks" / "11-多处错误.yaml").write_text(
        "id: 11\n"
        "name: 多处错误测试工程\n"
        "items:\n"
        "  - content: 实施农村环境综合整治。\n"
        "    leadr: 任伟\n"
        "    indicators:\n"
        "      - {name: 户厕改造, target: 很多, unit: 座}\n"
        "    milestones:\n"
        "      - {deadline: 3月底, text: 开工建设, percent: 120}\n"
        "      - {deadline: 4月底, text: 完工, text: 竣工}\n",
        encoding="utf-8",
    )

    result = run_cli(ledger_dir, ["--lang", "en", "check"])

    assert result.exit_code == 1
    assert result.stderr.splitlines()[:-1] == [  # a duplicate key no longer hides the rest
        "tasks/11-多处错误.yaml:5: unknown key “leadr”; " + ITEM_KEYS,
        "tasks/11-多处错误.yaml:7: “target”: should be a number",
        "tasks/11-多处错误.yaml:9: “percent”: should be 100 or less",
        "tasks/11-多处错误.yaml:10: duplicate key “text” (first at line 10); keep one of them",
    ]


@pytest.mark.parametrize(
    "deadline",
    [
        pytest.param("", id="empty"),
        pytest.param(" 20230331", id="integer"),  # not read as 20230331 seconds after 1970
        pytest.param(" [3月底]", id="list"),
    ],
)
def test_wrong_typed_deadline_names_the_deadline(ledger_dir: Path, deadline: str) -> None:
    """pydantic reports each branch of ``str | date``; the clerk sees one problem, under the key."""
    add_bad(ledger_dir, "wrong_deadline_type.yaml")
    file = ledger_dir / "tasks" / "wrong_deadline_type.yaml"
    text = file.read_text(encoding="utf-8")
    assert text.count("- deadline:\n") == 1
    file.write_text(text.replace("- deadline:\n", f"- deadline:{deadline}\n"), encoding="utf-8")

    result = run_cli(ledger_dir, ["--lang", "en", "check"])

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "tasks/wrong_deadline_type.yaml:9: “deadline”: should be text",
        "1 problem found",
    ]


def test_wrong_typed_deadline_is_still_located_and_refused(ledger_dir: Path) -> None:
    """In either language: the right file and line, exit 1, no traceback."""
    add_bad(ledger_dir, "wrong_deadline_type.yaml")

    result = run_cli(ledger_dir, ["--lang", "en", "check"])

    assert result.exit_code == 1
    problems = result.stderr.splitlines()[:-1]
    assert problems
    assert all(p.startswith("tasks/wrong_deadline_type.yaml:9: ") for p in problems)
    assert_no_traceback(result.output)
    chinese = run_cli(ledger_dir, ["check"])
    assert chinese.exit_code == 1
    (problem, summary) = chinese.stderr.splitlines()
    assert problem.startswith("tasks/wrong_deadline_type.yaml:9: ")
    assert "deadline" in problem
    assert summary_count(summary) == 1


def test_problem_messages_print_the_clerks_text_literally(ledger_dir: Path) -> None:
    (ledger_dir / "tasks" / "11-标记.yaml").write_text(
        "id: 11\n"
        "name: 标记测试工程\n"
        "items:\n"
        "  - content: 实施农村环境综合整治。\n"
        "    milestones:\n"
        '      - {deadline: ":bell:[bold]3月", text: 开工建设}\n',
        encoding="utf-8",
    )

    result = run_cli(ledger_dir, ["--lang", "en", "check"])

    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"tasks/11-标记.yaml:6: unknown deadline word “:bell:[bold]3月”; {WRITE_AS}"
    )


def test_a_tick_of_a_text_in_two_tracks_must_name_its_track(ledger_dir: Path) -> None:
    """3.1 has 4月初 开工建设 under 打造人居环境示范村 (#3) and 农村户厕改造 (#8)."""
    (file,) = (ledger_dir / "tasks").glob("03-*.yaml")
    original = file.read_text(encoding="utf-8")
    lines = len(original.splitlines())
    file.write_text(
        original + "records:\n"
        "  - {date: 2023-04-08, item: 1, done: 开工建设}\n"
        "  - {date: 2023-04-09, item: 1, done: 开工建设, track: 农村户厕改造}\n"
        "  - {date: 2023-04-10, item: 1, done: 开工建设, track: 户厕}\n"
        "  - {date: 2023-04-11, item: 2, done: 开工建设, track: 农村户厕改造}\n",
        encoding="utf-8",
    )

    result = run_cli(ledger_dir, ["--lang", "en", "check"])

    assert result.exit_code == 1
    assert result.stdout == ""
    name = file.name
    assert result.stderr.splitlines() == [
        f"tasks/{name}:{lines + 2}: “开工建设” names more than one milestone of 3.1"
        " (打造人居环境示范村 4月初、农村户厕改造 4月初); add track: or deadline: to the record",
        # a track that is not a heading of the item, or not of this item, ticks nothing
        f"tasks/{name}:{lines + 4}: the record ticks “开工建设”, which is not a milestone of 3.1",
        f"tasks/{name}:{lines + 5}: the record ticks “开工建设”, which is not a milestone of 3.2",
        "3 problems found",
    ]


# --- warnings, the workspace file and the other commands ------------------------------------------


def test_an_ambiguous_word_is_a_warning_that_does_not_fail_check(ledger_dir: Path) -> None:
    (ledger_dir / "tasks" / "11-警告.yaml").write_text(
        "id: 11\n"
        "name: 警告测试工程\n"
        "items:\n"
        "  - content: 实施农村环境综合整治。\n"
        "    milestones:\n"
        "      - {deadline: 5月前, text: 完成招投标}\n",
        encoding="utf-8",
    )

    result = run_cli(ledger_dir, ["--lang", "en", "check"])

    assert result.exit_code == 0
    assert result.stdout == "ok: 11 实事, 15 items, 87 milestones, no problems\n"
    assert result.stderr.startswith("warning: tasks/11-警告.yaml:6: “5月前” ")
    assert len(result.stderr.splitlines()) == 1


def test_duplicate_key_in_the_workspace_file(ledger_dir: Path) -> None:
    workspace = ledger_dir / "minsheng.yaml"
    workspace.write_text(
        workspace.read_text(encoding="utf-8") + "title: 另一个标题\n", encoding="utf-8"
    )
    lines = workspace.read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(lines, 1) if line.startswith("title:"))

    result = run_cli(ledger_dir, ["--lang", "en", "check"])

    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"minsheng.yaml:{len(lines)}: duplicate key “title” (first at line {first});"
        " keep one of them"
    )
    assert_no_traceback(result.output)


@pytest.mark.parametrize(
    "args",
    [
        ["status", "--as-of", "2023-06-30"],
        ["list", "--month", "6"],
        ["show", "3", "--month", "6"],
        ["status", "--json", "--month", "6"],
    ],
)
def test_reading_commands_refuse_a_broken_ledger_with_every_problem(
    ledger_dir: Path, args: list[str]
) -> None:
    add_bad(ledger_dir, "unknown_deadline.yaml", "unknown_key.yaml")

    result = run_cli(ledger_dir, ["--lang", "en", *args])

    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert [line.split(": ", 1)[0] for line in lines[:-1]] == [
        "tasks/unknown_deadline.yaml:9",
        "tasks/unknown_deadline.yaml:10",
        "tasks/unknown_key.yaml:6",
    ]
    assert summary_count(lines[-1]) == 3
    assert_no_traceback(result.output)


def test_every_duplicate_key_of_a_file_is_reported_in_one_run(ledger_dir: Path) -> None:
    (ledger_dir / "tasks" / "11-重复.yaml").write_text(
        "id: 11\nname: 重复\nname: 又一个\nitems:\n"
        "  - content: c\n    leader: 甲\n    leader: 乙\n",
        encoding="utf-8",
    )
    result = run_cli(ledger_dir, ["--lang", "en", "check"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "tasks/11-重复.yaml:3: duplicate key “name” (first at line 2); keep one of them",
        "tasks/11-重复.yaml:7: duplicate key “leader” (first at line 6); keep one of them",
        "2 problems found",
    ]


def test_a_hand_written_tick_of_a_numeric_milestone_is_an_error(ledger_dir: Path) -> None:
    (file,) = (ledger_dir / "tasks").glob("09-*.yaml")
    lines = len(file.read_text(encoding="utf-8").splitlines())
    with file.open("a", encoding="utf-8") as handle:
        handle.write("records:\n  - {date: 2023-03-30, item: 1, done: 完成法律援助60件}\n")
    result = run_cli(ledger_dir, ["--lang", "en", "check"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"tasks/{file.name}:{lines + 2}: “完成法律援助60件” is met by its numbers, so a tick does"
        " not count; record the numbers with `minsheng update` and remove this record"
    )


def test_a_flow_style_records_list_is_a_warning_that_names_the_fix(ledger_dir: Path) -> None:
    (file,) = (ledger_dir / "tasks").glob("09-*.yaml")
    lines = len(file.read_text(encoding="utf-8").splitlines())
    with file.open("a", encoding="utf-8") as handle:
        handle.write("records: []  # 暂无\n")
    result = run_cli(ledger_dir, ["--lang", "en", "check"])
    assert result.exit_code == 0
    assert result.stderr == (
        f"warning: tasks/{file.name}:{lines + 1}: records: is written as a flow list ([…]);"
        " `update` and `done` can only append to “records:” written alone on its line with one"
        " “- ” per record\n"
    )


def test_a_fraction_where_a_whole_number_belongs_says_so(ledger_dir: Path) -> None:
    config = ledger_dir / "minsheng.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("warning_days: 10", "warning_days: 10.5"), encoding="utf-8")
    assert "warning_days: 10.5" in config.read_text(encoding="utf-8")

    result = run_cli(ledger_dir, ["--lang", "en", "check"])

    assert result.exit_code == 1
    assert re.search(
        r"minsheng\.yaml:\d+: “warning_days”: should be a whole number$", result.stderr, re.M
    )
