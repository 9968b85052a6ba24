"""`minsheng update`: what it appends, what it refuses (with the file untouched), how it writes."""

from __future__ import annotations

import errno
import json
import os
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from minsheng_cli.errors import UsageError
from minsheng_cli.i18n import set_language
from minsheng_cli.ledger.refs import resolve_item
from minsheng_cli.store.load import load_ledger
from minsheng_cli.write.record import Update, check_update
from tests.conftest import copy_ledger, git, run_cli
from tests.writes import assert_refused, flat, ok, task_bytes

TOILETS = "tasks/03-农村人居环境提升工程.yaml"
LEGAL_AID = "tasks/09-法律援助质量提升工程.yaml"


# --- what is appended ----------------------------------------------------------------------------


def test_update_appends_one_record_line_and_says_what_it_recorded(ledger_dir: Path) -> None:
    file = ledger_dir / TOILETS
    before = file.read_bytes()
    out = ok(ledger_dir, "update", "3.1", "--set", "户厕改造=900", "--date", "2023-07-28")
    assert out.splitlines()[0] == "recorded: update 3.1 户厕改造 900/1310 (2023-07-28)"
    first = file.read_bytes()
    assert first == before + (
        "records:\n  - {date: 2023-07-28, item: 1, set: {户厕改造: 900}}\n".encode()
    )
    ok(
        ledger_dir,
        *("update", "3.1", "--set", "户厕改造=1000", "--set", "示范村=15"),
        *("--date", "2023-07-31", "--by", "农业农村局", "--note", "镇上报"),
    )
    assert file.read_bytes() == first + (
        "  - {date: 2023-07-31, item: 1, by: 农业农村局, set: {户厕改造: 1000, 示范村: 15},"
        " note: 镇上报}\n".encode()
    )


def test_percent_and_fractional_values_are_written_as_a_clerk_writes_them(
    ledger_dir: Path,
) -> None:
    out = ok(ledger_dir, "update", "2.1", "--percent", "32.5", "--date", "2023-04-28")
    # the record's subject names the work percentage as the ledger does, in every UI language
    assert out.splitlines()[0] == "recorded: update 2.1 工程进度 32.5% (2023-04-28)"
    ok(ledger_dir, "update", "6.1", "--set", "农村劳动力转移就业=0.8", "--date", "2023-03-31")
    assert (
        (ledger_dir / "tasks/02-城市基础设施补短板工程.yaml")
        .read_text(encoding="utf-8")
        .endswith("  - {date: 2023-04-28, item: 1, percent: 32.5}\n")
    )
    assert (
        (ledger_dir / "tasks/06-群众就业稳岗提升工程.yaml")
        .read_text(encoding="utf-8")
        .endswith("  - {date: 2023-03-31, item: 1, set: {农村劳动力转移就业: 0.8}}\n")
    )


def test_the_record_is_the_same_in_chinese(ledger_dir: Path, tmp_path: Path) -> None:
    other = copy_ledger(tmp_path / "zh")
    args = ["update", "9.1", "--set", "法律援助案件=18", "--date", "2023-01-31", "--no-commit"]
    assert run_cli(ledger_dir, ["--lang", "en", *args]).exit_code == 0
    chinese = run_cli(other, args)
    assert chinese.exit_code == 0
    assert "9.1 法律援助案件 18/240 (2023-01-31)" in chinese.stdout
    assert task_bytes(other) == task_bytes(ledger_dir)


def test_yaml_quoting_is_left_to_yaml_and_reads_back_exactly(ledger_dir: Path) -> None:
    by, note = "[县司法局]", "镇上报: 第3批 #2号, 含'补录'"
    ok(
        ledger_dir,
        *("update", "9.1", "--set", "法律援助案件=18", "--date", "2023-01-31"),
        *("--by", by, "--note", note),
    )
    result = run_cli(ledger_dir, ["show", "9.1", "--as-of", "2023-12-31", "--json"])
    record = json.loads(result.stdout)[0]["records"][0]
    assert (record["by"], record["note"], record["values"]) == (by, note, {"法律援助案件": 18})


def test_a_value_above_the_target_is_accepted_with_a_warning(ledger_dir: Path) -> None:
    result = run_cli(
        ledger_dir,
        ["--lang", "en", "update", "9.1", "--set", "法律援助案件=260", "--date", "2023-12-20"],
    )
    assert result.exit_code == 0
    assert "warning: 法律援助案件 260件 exceeds the target 240件 (超额完成)" in flat(result.stderr)
    assert (
        (ledger_dir / LEGAL_AID)
        .read_text(encoding="utf-8")
        .endswith("  - {date: 2023-12-20, item: 1, set: {法律援助案件: 260}}\n")
    )
    chinese = run_cli(ledger_dir, ["update", "2.1", "--percent", "100", "--date", "2023-06-30"])
    assert chinese.exit_code == 0
    assert "超额完成" not in chinese.stderr  # exactly 100% is not above the target


def test_a_value_above_150_percent_of_its_target_needs_yes(ledger_dir: Path) -> None:
    """509 for 240 (212%): an extra digit, more likely than a real overachievement."""
    before = task_bytes(ledger_dir)
    slip = ["update", "9.1", "--set", "法律援助案件=509", "--date", "2023-12-20"]
    refused = run_cli(ledger_dir, slip)
    assert (refused.exit_code, refused.stdout) == (2, "")
    assert flat(refused.stderr) == (
        "错误：法律援助案件 509件，为目标240件的212%，超过150%；未登记。"
        "请核对数字，确认无误的加 --yes 再运行一次"
    )
    english = run_cli(ledger_dir, ["--lang", "en", *slip])
    assert "is 212% of the target 240件, more than 150%; nothing was recorded" in flat(
        english.stderr
    )
    assert task_bytes(ledger_dir) == before
    # 150% exactly is only 超额完成; --yes records what was checked, with the warning
    assert run_cli(ledger_dir, [*slip[:3], "法律援助案件=360", *slip[4:]]).exit_code == 0
    confirmed = run_cli(ledger_dir, [*slip, "--yes"])
    assert confirmed.exit_code == 0
    assert "超额完成" in confirmed.stderr
    assert (
        (ledger_dir / LEGAL_AID)
        .read_text(encoding="utf-8")
        .endswith("  - {date: 2023-12-20, item: 1, set: {法律援助案件: 509}}\n")
    )


def test_a_correction_with_a_note_lowers_an_earlier_value(ledger_dir: Path) -> None:
    ok(ledger_dir, "update", "9.1", "--set", "法律援助案件=70", "--date", "2023-03-20")
    out = ok(
        ledger_dir,
        *("update", "9.1", "--set", "法律援助案件=50", "--date", "2023-04-10"),
        *("--correct", "--note", "3月重复统计20件"),
    )
    assert out.splitlines()[0] == "recorded: correct 9.1 法律援助案件 50/240 (2023-04-10)"
    assert (
        (ledger_dir / LEGAL_AID)
        .read_text(encoding="utf-8")
        .endswith(
            "  - {date: 2023-04-10, item: 1, set: {法律援助案件: 50}, correct: true,"
            " note: 3月重复统计20件}\n"
        )
    )


# --- refusals: message, exit 2, every task file byte for byte unchanged --------------------------

EARLIER = ("update", "9.1", "--set", "法律援助案件=70", "--date", "2023-03-20")


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        pytest.param(
            (),
            ("update", "2.1", "--percent", "101", "--date", "2023-05-01"),
            "--percent must be between 0 and 100, not 101",
            id="percent-above-100",
        ),
        pytest.param(
            (),
            ("update", "2.1", "--percent", "-5", "--date", "2023-05-01"),
            "--percent must be between 0 and 100, not -5",
            id="percent-below-0",
        ),
        pytest.param(
            (),
            ("update", "9.1", "--set", "法律援助案件=-1", "--date", "2023-05-01"),
            "法律援助案件 cannot be negative (-1)",
            id="negative-value",
        ),
        pytest.param(
            (),
            ("update", "9.1", "--set", "援助案件=10", "--date", "2023-05-01"),
            "9.1 has no indicator “援助案件”; its indicators: 法律援助案件",
            id="unknown-indicator",
        ),
        pytest.param(
            (),
            ("update", "9.1", "--set", "法律援助案件=10", "--date", "2024-04-01"),
            "the date 2024-04-01 is after 2024-03-31, the last day work past the year may be"
            " recorded (late_until: in minsheng.yaml)",
            id="date-after-the-late-limit",
        ),
        pytest.param(
            (),
            ("update", "9.1", "--set", "法律援助案件=10", "--date", "2022-12-31"),
            "the date 2022-12-31 is outside the ledger's year 2023; give the day it happened with"
            " --date, e.g. --date 2023-06-30",
            id="date-before-the-year",
        ),
        pytest.param(
            EARLIER,
            ("update", "9.1", "--set", "法律援助案件=50", "--date", "2023-04-10"),
            "法律援助案件 50 is below the last recorded 70; values are cumulative."
            " If the earlier number was wrong, add --correct --note WHY",
            id="below-last-without-correct",
        ),
        pytest.param(
            EARLIER,
            ("update", "9.1", "--set", "法律援助案件=80", "--date", "2023-03-01"),
            "法律援助案件 80 is above the 70 already recorded for 2023-03-20; values are"
            " cumulative. Check --date (the day of this report), or if 70 was wrong, record the"
            " right number with --correct --note WHY",
            id="backdated-above-a-later-value",
        ),
        pytest.param(
            EARLIER,
            ("update", "9.1", "--set", "法律援助案件=50", "--date", "2023-04-10", "--correct"),
            "a correction needs --note saying why the earlier number was wrong",
            id="correct-without-note",
        ),
        pytest.param(
            (),
            ("update", "9.1", "--date", "2023-05-01"),
            "nothing to record: give --percent P or --set INDICATOR=VALUE",
            id="nothing-to-record",
        ),
        pytest.param(
            (),
            ("update", "9.1", "--set", "法律援助案件", "--date", "2023-05-01"),
            "--set takes INDICATOR=VALUE (e.g. 户厕改造=900), not “法律援助案件”",
            id="set-without-value",
        ),
        pytest.param(
            (),
            ("update", "9.1", "--set", "法律援助案件=inf", "--date", "2023-05-01"),
            "--set needs a finite number, not “法律援助案件=inf”",
            id="set-infinite",
        ),
        pytest.param(
            (),
            ("update", "9.1", "--set", "法律援助案件=10", "--date", "2023-02-30"),
            "“2023-02-30” is not a date; write it as YYYY-MM-DD, e.g. 2023-06-30",
            id="not-a-date",
        ),
        pytest.param(
            (),
            ("update", "3.1", "--set", "示范村=3", "--set", "示范村=4", "--date", "2023-07-01"),
            "--set names 示范村 twice; give each indicator once",
            id="one-indicator-twice",
        ),
    ],
)
def test_update_refusals(
    ledger_dir: Path, setup: tuple[str, ...], args: tuple[str, ...], message: str
) -> None:
    assert_refused(ledger_dir, setup, args, message)


def current_year_ledger(root: Path) -> Path:
    """The bundled ledger moved to this year, so that a date can be in the future."""
    config = root / "minsheng.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("year: 2023", f"year: {date.today().year}"),
        encoding="utf-8",
    )
    return root


def test_a_date_in_the_future_is_refused(ledger_dir: Path) -> None:
    today = date.today()
    tomorrow = today + timedelta(days=1)
    if tomorrow.year != today.year:
        pytest.skip("on 31 December no later day is inside this year's ledger")
    root = current_year_ledger(ledger_dir)
    before = task_bytes(root)
    args = ["update", "9.1", "--set", "法律援助案件=10", "--date", tomorrow.isoformat()]
    result = run_cli(root, ["--lang", "en", *args, "--no-commit"])
    assert result.exit_code == 2
    assert flat(result.stderr) == (
        f"error: the date {tomorrow.isoformat()} is in the future (today is {today.isoformat()})"
    )
    assert run_cli(root, [*args, "--no-commit"]).exit_code == 2
    assert task_bytes(root) == before


def test_the_date_defaults_to_today(ledger_dir: Path) -> None:
    root = current_year_ledger(ledger_dir)
    ok(root, "update", "9.1", "--set", "法律援助案件=10")
    assert (
        (root / LEGAL_AID)
        .read_text(encoding="utf-8")
        .endswith(f"  - {{date: {date.today().isoformat()}, item: 1, set: {{法律援助案件: 10}}}}\n")
    )


def test_check_update_refuses_a_future_date_given_today(ledger_dir: Path) -> None:
    set_language("en")
    ledger = load_ledger(ledger_dir)
    item = resolve_item(ledger, "9.1")
    change = Update(day=date(2023, 6, 16), values={"法律援助案件": 10.0})
    with pytest.raises(UsageError, match=r"^the date 2023-06-16 is in the future"):
        check_update(item, change, ledger.workspace, today=date(2023, 6, 15))
    checked = check_update(item, change, ledger.workspace, today=date(2023, 6, 16))
    assert checked.fields == {"date": date(2023, 6, 16), "item": 1, "set": {"法律援助案件": 10}}
    assert checked.warnings == []


# --- writes that lose nothing and reformat nothing ------------------------------------------------


def test_the_diff_of_an_update_has_only_added_lines(git_ledger: Path) -> None:
    run = ["update", "3.1", "--set", "户厕改造=900", "--date", "2023-07-28"]
    assert run_cli(git_ledger, run).exit_code == 0
    assert git(git_ledger, "diff", "--numstat", "HEAD~1", "HEAD") == f"2\t0\t{TOILETS}\n"
    run = ["update", "3.1", "--set", "户厕改造=1000", "--date", "2023-08-15", "--no-commit"]
    assert run_cli(git_ledger, run).exit_code == 0
    assert git(git_ledger, "diff", "--numstat") == f"1\t0\t{TOILETS}\n"
    changed = [
        line
        for line in git(git_ledger, "diff", "--unified=0").splitlines()
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert changed == ["+  - {date: 2023-08-15, item: 1, set: {户厕改造: 1000}}"]


def test_comments_key_order_and_quoting_are_kept(ledger_dir: Path) -> None:
    file = ledger_dir / TOILETS
    before = file.read_text(encoding="utf-8")
    ok(ledger_dir, "update", "3.1", "--set", "户厕改造=900", "--date", "2023-07-28")
    after = file.read_text(encoding="utf-8")
    assert after.startswith(before)
    assert "          # 原文此处为半角逗号、分号，照录逗号\n" in after
    assert '{deadline: 1月底, text: "完成项目方案编制,对接落实任务"}' in after
    keys = [line.split(":")[0] for line in after.splitlines() if re.match(r"^[a-z]", line)]
    assert keys == ["id", "name", "items", "records"]


def test_bom_and_crlf_are_kept(ledger_dir: Path) -> None:
    file = ledger_dir / LEGAL_AID
    original = b"\xef\xbb\xbf" + file.read_bytes().replace(b"\n", b"\r\n")
    file.write_bytes(original)
    ok(ledger_dir, "update", "9.1", "--set", "法律援助案件=18", "--date", "2023-01-31")
    first = file.read_bytes()
    assert first == original + (
        "records:\r\n  - {date: 2023-01-31, item: 1, set: {法律援助案件: 18}}\r\n".encode()
    )
    ok(ledger_dir, "update", "9.1", "--set", "法律援助案件=35", "--date", "2023-02-28")
    second = file.read_bytes()
    assert second.startswith(first)
    assert second.endswith("{法律援助案件: 35}}\r\n".encode())
    assert second.count(b"\n") == second.count(b"\r\n")
    check = run_cli(ledger_dir, ["--lang", "en", "check"])
    assert check.exit_code == 0, check.stderr
    result = run_cli(ledger_dir, ["show", "9.1", "--as-of", "2023-03-01", "--json"])
    assert json.loads(result.stdout)[0]["measures"][0]["actual"] == 35


def test_a_file_without_a_final_newline_gets_one_before_the_record(ledger_dir: Path) -> None:
    file = ledger_dir / LEGAL_AID
    original = file.read_bytes().rstrip(b"\n")
    file.write_bytes(original)
    ok(ledger_dir, "update", "9.1", "--set", "法律援助案件=18", "--date", "2023-01-31")
    assert file.read_bytes() == original + (
        "\nrecords:\n  - {date: 2023-01-31, item: 1, set: {法律援助案件: 18}}\n".encode()
    )


def test_records_indented_differently_are_continued_in_their_own_indentation(
    ledger_dir: Path,
) -> None:
    file = ledger_dir / LEGAL_AID
    original = file.read_bytes() + b"records:\n- {date: 2023-01-31, item: 1, percent: 5}\n"
    file.write_bytes(original)
    ok(ledger_dir, "update", "9.1", "--set", "法律援助案件=18", "--date", "2023-02-01")
    assert file.read_bytes() == original + (
        "- {date: 2023-02-01, item: 1, set: {法律援助案件: 18}}\n".encode()
    )


def test_a_file_whose_records_key_is_not_last_is_refused_and_unchanged(ledger_dir: Path) -> None:
    file = ledger_dir / LEGAL_AID
    head, items, rest = file.read_text(encoding="utf-8").partition("items:")
    file.write_text(
        head + "records:\n  - {date: 2023-01-05, item: 1, set: {法律援助案件: 3}}\n" + items + rest,
        encoding="utf-8",
    )
    before = task_bytes(ledger_dir)
    args = ["update", "9.1", "--set", "法律援助案件=10", "--date", "2023-03-01", "--no-commit"]
    result = run_cli(ledger_dir, ["--lang", "en", *args])
    assert result.exit_code == 1
    # the file is named relative to the workspace, as check names it
    assert flat(result.stderr) == (
        f"error: {LEGAL_AID}:4: records: must be the file's last key so that new records can be"
        " appended; move it to the end"
    )
    chinese = run_cli(ledger_dir, args)
    assert chinese.exit_code == 1
    assert f"{LEGAL_AID}:4: records:" in chinese.stderr
    assert str(ledger_dir) not in chinese.stderr
    assert task_bytes(ledger_dir) == before


def test_a_flow_style_records_list_is_refused_and_unchanged(ledger_dir: Path) -> None:
    file = ledger_dir / LEGAL_AID
    file.write_bytes(file.read_bytes() + b"records: []\n")
    before = task_bytes(ledger_dir)
    args = ["update", "9.1", "--set", "法律援助案件=10", "--date", "2023-03-01", "--no-commit"]
    result = run_cli(ledger_dir, ["--lang", "en", *args])
    assert result.exit_code == 1
    assert flat(result.stderr) == (
        f"error: {LEGAL_AID}:15: records: must be a block list; write “records:” alone on its"
        " line (not “records: []”)"
    )
    assert run_cli(ledger_dir, args).exit_code == 1
    assert task_bytes(ledger_dir) == before


def test_a_bare_records_line_is_an_empty_list_and_is_appended_to(ledger_dir: Path) -> None:
    """What a clerk leaves after deleting the last record by hand."""
    file = ledger_dir / LEGAL_AID
    original = file.read_bytes() + b"records:\n"
    file.write_bytes(original)
    check = run_cli(ledger_dir, ["--lang", "en", "check"])
    assert (check.exit_code, check.stderr) == (0, "")
    assert check.stdout == "ok: 10 实事, 14 items, 86 milestones, no problems\n"
    result = run_cli(ledger_dir, ["show", "9.1", "--as-of", "2023-12-31", "--json"])
    assert json.loads(result.stdout)[0]["records"] == []
    ok(ledger_dir, "update", "9.1", "--set", "法律援助案件=18", "--date", "2023-01-31")
    assert file.read_bytes() == original + (
        "  - {date: 2023-01-31, item: 1, set: {法律援助案件: 18}}\n".encode()
    )


def _no_space(*_args: Any, **_kwargs: Any) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_a_failure_mid_write_leaves_the_old_file_whole(
    ledger_dir: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    ok(ledger_dir, "update", "9.1", "--set", "法律援助案件=18", "--date", "2023-01-31")
    before = task_bytes(ledger_dir)
    if failing == "fsync":
        monkeypatch.setattr(os, "fsync", _no_space)
    else:
        monkeypatch.setattr(Path, "replace", _no_space)
    args = ["update", "9.1", "--set", "法律援助案件=35", "--date", "2023-02-28", "--no-commit"]
    result = run_cli(ledger_dir, ["--lang", "en", *args])
    chinese = run_cli(ledger_dir, args)
    monkeypatch.undo()
    assert (result.exit_code, result.stdout) == (1, "")
    assert flat(result.stderr) == (
        f"error: could not write {LEGAL_AID} (No space left on device);"
        " it is unchanged and nothing was recorded"
    )
    assert (chinese.exit_code, chinese.stdout) == (1, "")
    assert LEGAL_AID in chinese.stderr
    assert "No space left on device" in chinese.stderr
    assert "Traceback" not in result.output + chinese.output
    assert task_bytes(ledger_dir) == before
    assert sorted(p.name for p in (ledger_dir / "tasks").iterdir()) == sorted(before)


def test_a_read_only_file_is_not_replaced(
    ledger_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The atomic rename would replace a file the clerk made read-only (to close a year, say):
    it is refused instead, nothing written. (os.access is what tells; root may write anyway.)"""
    before = task_bytes(ledger_dir)
    real_access = os.access
    monkeypatch.setattr(
        os,
        "access",
        lambda path, mode: (
            False if str(path).endswith("09-法律援助质量提升工程.yaml") else real_access(path, mode)
        ),
    )
    args = ["update", "9.1", "--set", "法律援助案件=18", "--date", "2023-01-31", "--no-commit"]
    result = run_cli(ledger_dir, ["--lang", "en", *args])
    monkeypatch.undo()
    assert (result.exit_code, result.stdout) == (1, "")
    assert flat(result.stderr) == (
        f"error: {LEGAL_AID} is read-only; make it writable if it should take records"
        " (nothing was recorded)"
    )
    assert task_bytes(ledger_dir) == before


def test_a_write_removes_the_temporary_files_a_killed_write_left(ledger_dir: Path) -> None:
    """Under the workspace lock no other write can be running: what a kill -9 left beside the
    task files is removed, the file being written and the others alike."""
    tasks = ledger_dir / "tasks"
    left = [
        tasks / ".09-法律援助质量提升工程.yaml.k2x9_a1b.tmp",
        tasks / ".03-农村人居环境提升工程.yaml.q0w9e8r7.tmp",
    ]
    for path in left:
        path.write_bytes(b"id: 9\n")
    kept = tasks / "草稿.tmp"  # not a name the program makes: the clerk's own
    kept.write_bytes(b"draft")
    args = ["update", "9.1", "--set", "法律援助案件=18", "--date", "2023-01-31", "--no-commit"]
    assert run_cli(ledger_dir, args).exit_code == 0
    assert [path.exists() for path in left] == [False, False]
    assert kept.read_bytes() == b"draft"


def test_a_later_record_of_other_indicators_does_not_cap_a_value(ledger_dir: Path) -> None:
    """Only a later record that sets the indicator bounds it, not the figures carried forward."""
    ok(ledger_dir, "update", "3.1", "--set", "户厕改造=950", "--date", "2023-07-28")
    ok(ledger_dir, "update", "3.1", "--set", "示范村=12", "--date", "2023-07-31")
    out = ok(ledger_dir, "update", "3.1", "--set", "户厕改造=1000", "--date", "2023-07-30")
    assert out.splitlines()[0] == "recorded: update 3.1 户厕改造 1000/1310 (2023-07-30)"
    ok(ledger_dir, "update", "3.1", "--set", "户厕改造=1100", "--date", "2023-08-03")
    ok(ledger_dir, "update", "3.1", "--set", "户厕改造=1050", "--date", "2023-07-31")
    above = run_cli(
        ledger_dir,
        ["--lang", "en", "update", "3.1", "--set", "户厕改造=1200", "--date", "2023-08-01"],
    )
    assert above.exit_code == 2
    assert "above the 1100 already recorded for 2023-08-03" in flat(above.stderr)
