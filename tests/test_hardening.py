"""What a final review found: each case once broke, or lied, or let ledger text drive a terminal."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from rich.text import Text

from minsheng_cli.ledger.deadlines import parse_deadline
from minsheng_cli.render.plain import to_plain
from minsheng_cli.render.sheet import Column, Sheet, Span
from minsheng_cli.render.terminal import rich_table, rich_text
from tests.conftest import git, run_cli

PROJECT_3 = "tasks/03-农村人居环境提升工程.yaml"  # items 3.2 (roads) and 3.3 (water)


def en(root: Path, *args: str) -> tuple[int, str, str]:
    result = run_cli(root, ["--lang", "en", *args])
    return result.exit_code, result.stdout, result.stderr


def test_a_tick_dated_before_the_last_take_back_is_refused(ledger_dir: Path) -> None:
    assert en(ledger_dir, "done", "3.2", "2", "--date", "2023-04-12", "--no-commit")[0] == 0
    undo = ("done", "3.2", "2", "--undo", "--note", "错报", "--date", "2023-06-01", "--no-commit")
    assert en(ledger_dir, *undo)[0] == 0
    before = (ledger_dir / PROJECT_3).read_bytes()

    code, _out, err = en(ledger_dir, "done", "3.2", "2", "--date", "2023-04-01", "--no-commit")

    assert code == 2
    assert err == (
        "error: 3.2#2 was last ticked or taken back on 2023-06-01; date this record on or after"
        " it\n"
    )
    assert (ledger_dir / PROJECT_3).read_bytes() == before


def test_a_control_character_in_a_task_file_is_a_check_error(ledger_dir: Path) -> None:
    task = ledger_dir / "tasks" / "04-办学条件改善工程.yaml"
    text = task.read_text(encoding="utf-8").replace(
        "text: 完成项目验收并交付使用", 'text: "完成项目验收并交付使用\\e[5m"'
    )
    task.write_text(text, encoding="utf-8")
    code, _out, err = en(ledger_dir, "check")
    assert code == 1
    assert "tasks/04-办学条件改善工程.yaml:" in err
    assert "contains a control character (such as ESC); delete it" in err
    assert "\x1b" not in err


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        (
            "--note",
            "x\x1b]0;PWNED\x07",
            "--note: the text holds a control character or a line break",
        ),
        (
            "--by",
            "水务局\nMinsheng-Item: 1.1",
            "--by: the text holds a control character or a line break",
        ),
        ("--note", "bad\udcff", "--note: the text is not valid UTF-8; type it again"),
    ],
)
def test_text_options_that_could_drive_a_terminal_or_forge_a_trailer_are_refused(
    ledger_dir: Path, option: str, value: str, message: str
) -> None:
    before = (ledger_dir / PROJECT_3).read_bytes()
    code, _out, err = en(
        ledger_dir,
        "update",
        "3.3",
        "--percent",
        "61",
        "--date",
        "2023-07-01",
        option,
        value,
        "--no-commit",
    )
    assert code == 2
    assert message in err
    assert (ledger_dir / PROJECT_3).read_bytes() == before


def test_control_characters_from_git_or_anywhere_never_reach_the_output() -> None:
    subject = "update 3.1 \x1b[2J户厕 \x9b31m"
    safe = "update 3.1 \ufffd[2J户厕 \ufffd31m"
    sheet = Sheet("History", (Column("What"),), [(Span(subject, "bold"),)])

    assert to_plain((subject,)) == safe
    assert to_plain((sheet,)).split("\n")[4] == safe
    on_terminal = [rich_text(subject), *rich_table(sheet).columns[0].cells]
    assert [text.plain for text in on_terminal if isinstance(text, Text)] == [safe, safe]


def test_a_failing_git_add_still_says_the_record_is_saved(git_ledger: Path) -> None:
    (git_ledger / ".git" / "index.lock").write_text("", encoding="utf-8")
    code, out, err = en(git_ledger, "update", "3.3", "--percent", "50", "--date", "2023-07-01")
    assert code == 1
    assert out.startswith("recorded: update 3.3 工程进度 50% (2023-07-01)")
    assert err.startswith(
        f"error: the change is saved in {PROJECT_3}, but git could not commit it:"
    )
    assert "percent: 50" in (git_ledger / PROJECT_3).read_text(encoding="utf-8")


def test_init_quotes_the_title_and_refuses_an_impossible_year(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.conftest import GIT_IDENTITY

    for key, value in GIT_IDENTITY.items():
        monkeypatch.setenv(key, value)
    made = tmp_path / "w1"
    result = run_cli(
        None, ["init", str(made), "--year", "2024", "--title", "某县民生实事: 清单 #1"]
    )
    assert result.exit_code == 0, result.stderr
    assert run_cli(made, ["check"]).exit_code == 0
    status = run_cli(made, ["status", "--month", "1", "--json"])
    assert status.exit_code == 0
    assert git(made, "log", "--format=%s").strip() == "init 某县民生实事: 清单 #1"

    refused = run_cli(None, ["--lang", "en", "init", str(tmp_path / "w2"), "--year", "1999"])
    assert refused.exit_code == 2
    assert refused.stderr == "error: --year must be between 2000 and 2100, not 1999\n"
    assert not (tmp_path / "w2").exists()


@pytest.mark.parametrize(
    ("words", "due"),
    [
        ("2023年底前", date(2023, 12, 31)),
        ("2023年内", date(2023, 12, 31)),
        ("2023-06-30前", date(2023, 6, 30)),
        ("2023年6月底前", date(2023, 6, 30)),
    ],
)
def test_before_is_read_first_whatever_precedes_it(words: str, due: date) -> None:
    assert parse_deadline(words, 2023).date == due


def test_show_as_of_a_date_lists_only_what_was_recorded_by_then(ledger_dir: Path) -> None:
    for day, share in (("2023-03-20", "10"), ("2023-06-20", "40"), ("2023-07-20", "60")):
        assert (
            en(ledger_dir, "update", "3.3", "--percent", share, "--date", day, "--no-commit")[0]
            == 0
        )
    shown = run_cli(ledger_dir, ["show", "3.3", "--month", "6", "--json"])
    records = json.loads(shown.stdout)[0]["records"]
    assert [r["date"] for r in records] == ["2023-03-20", "2023-06-20"]
    text = run_cli(ledger_dir, ["show", "3.3", "--month", "6"]).stdout
    assert "2023-06-20" in text and "2023-07-20" not in text


def test_a_report_that_cannot_be_written_is_an_error_not_a_crash(ledger_dir: Path) -> None:
    code, _out, err = en(
        ledger_dir, "export", "--month", "6", "-o", str(ledger_dir / "no" / "x.csv")
    )
    assert code == 2
    assert "does not exist" in err
    code, _out, err = en(ledger_dir, "export", "--month", "6", "-o", "/proc/minsheng.csv")
    assert code == 1
    assert err.startswith("error: could not write /proc/minsheng.csv (")


@pytest.mark.parametrize(
    ("args", "english"),
    [
        (
            ["status", "--lang", "en"],
            "--lang goes before the command's name, as for every command: minsheng --lang … status",
        ),
        (["agenda"], "`agenda` needs --month/-m; see `minsheng agenda --help`"),
        (["overdue", "--foo"], "`overdue` has no option --foo; see `minsheng overdue --help`"),
    ],
)
def test_command_line_slips_are_explained_in_the_clerks_language(
    ledger_dir: Path, args: list[str], english: str
) -> None:
    """Click says these in English whatever the language; a global option written after the
    command's name (`status --lang en`) is the usual slip, and the message says where it goes."""
    result = run_cli(ledger_dir, args, MINSHENG_LANG="en")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.strip() == f"error: {english}"
    chinese = run_cli(ledger_dir, args)
    assert (chinese.exit_code, chinese.stdout) == (2, "")
    assert chinese.stderr.startswith("错误：") and args[-1] in chinese.stderr
    assert "Usage:" not in chinese.stderr


@pytest.mark.parametrize(
    "args", [["show", "11"], ["overdue", "--leader", "无此人"], ["status", "--unit", "无此局"]]
)
def test_a_slip_is_said_alone_without_the_year_note(ledger_dir: Path, args: list[str]) -> None:
    """No date given, today outside 2023: the note about the year would only bury the error."""
    result = run_cli(ledger_dir, args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("错误：")


def test_a_commit_message_carries_no_control_character_or_direction_mark() -> None:
    """A form's file name reaches a trailer (Form-File:), a member's reason a rollup's subject:
    ESC, U+202E and the like are shown as �, never written into the history."""
    from minsheng_cli.write.audit import commit_message

    message = commit_message(
        "intake 司法局\x1b[31m",
        "备注\u202e第一行\n第二行\x07",
        {"Form-File": "bad\x1b[31m\u202eRED.xlsx", "Reported-by": "司法局"},
    )
    assert "\x1b" not in message and "\u202e" not in message and "\x07" not in message
    assert "Form-File: bad\ufffd[31m\ufffdRED.xlsx" in message
    assert "    备注\ufffd第一行\n    第二行\ufffd" in message
    assert message.startswith("intake 司法局\ufffd[31m\n\n")
