"""Git as the audit trail: one commit per update/done, read back by `log`; `init`."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len

from tests.conftest import GIT_IDENTITY, copy_ledger, git, run_cli
from tests.plaintext import parse_table

TOILETS = "tasks/03-农村人居环境提升工程.yaml"
LEGAL_AID = "tasks/09-法律援助质量提升工程.yaml"
HEATING = "tasks/01-冬季清洁取暖工程.yaml"
CLERK = "测试文书 <clerk@example.org>"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def flat(text: str) -> str:
    return " ".join(text.split())


def en(root: Path | None, *args: str) -> Any:
    return run_cli(root, ["--lang", "en", *args])


def commit_count(root: Path) -> int:
    return int(git(root, "rev-list", "--count", "HEAD"))


def head_files(root: Path) -> list[str]:
    return git(root, "show", "--name-only", "--format=", "HEAD").split()


def head_message(root: Path) -> str:
    return git(root, "log", "-1", "--format=%B")


def test_an_update_makes_one_commit_of_exactly_its_file(git_ledger: Path) -> None:
    result = en(
        git_ledger,
        *("update", "3.1", "--set", "户厕改造=900", "--date", "2023-07-28"),
        *("--by", "农业农村局", "--note", "7月报"),
    )
    assert result.exit_code == 0, result.stderr
    head = git(git_ledger, "rev-parse", "--short", "HEAD").strip()
    assert result.stdout.splitlines() == [
        "recorded: update 3.1 户厕改造 900/1310 (2023-07-28)",
        f"committed {head}",
    ]
    assert result.stderr == ""
    assert commit_count(git_ledger) == 2
    assert head_files(git_ledger) == [TOILETS]
    assert head_message(git_ledger) == (
        "update 3.1 户厕改造 900/1310 (2023-07-28)\n\n    7月报\n\n"
        "Minsheng-Item: 3.1\nReported-by: 农业农村局\n\n"
    )
    assert git(git_ledger, "log", "-1", "--format=%an <%ae>|%cn <%ce>").strip() == (
        f"{CLERK}|{CLERK}"
    )
    assert git(git_ledger, "status", "--porcelain") == ""  # the lock and cache are ignored


def test_the_commit_subject_is_the_same_in_chinese(git_ledger: Path) -> None:
    run = ["update", "9.1", "--set", "法律援助案件=18", "--date", "2023-01-31", "--by", "司法局"]
    result = run_cli(git_ledger, run)
    assert result.exit_code == 0
    assert head_message(git_ledger) == (
        "update 9.1 法律援助案件 18/240 (2023-01-31)\n\nMinsheng-Item: 9.1\nReported-by: 司法局\n\n"
    )
    assert git(git_ledger, "rev-parse", "--short", "HEAD").strip() in result.stdout


def test_without_by_there_is_no_reporter_trailer(git_ledger: Path) -> None:
    assert en(git_ledger, "update", "2.1", "--percent", "30", "--date", "2023-04-28").exit_code == 0
    # the work percentage is named in the ledger's language whatever the UI's, so `log` reads alike
    assert head_message(git_ledger) == (
        "update 2.1 工程进度 30% (2023-04-28)\n\nMinsheng-Item: 2.1\n\n"
    )


def test_the_work_percentage_subject_is_the_same_in_every_language(git_ledger: Path) -> None:
    english = en(git_ledger, "update", "2.1", "--percent", "30", "--date", "2023-04-28")
    assert english.exit_code == 0
    assert english.stdout.splitlines()[0] == "recorded: update 2.1 工程进度 30% (2023-04-28)"
    run = ["update", "2.1", "--percent", "60", "--date", "2023-05-30", "--by", "住建局"]
    assert run_cli(git_ledger, run).exit_code == 0
    assert git(git_ledger, "log", "-2", "--format=%s").splitlines() == [
        "update 2.1 工程进度 60% (2023-05-30)",
        "update 2.1 工程进度 30% (2023-04-28)",
    ]


def test_a_correction_and_ticks_are_committed_with_their_own_subjects(git_ledger: Path) -> None:
    steps = [
        ("update", "9.1", "--set", "法律援助案件=70", "--date", "2023-03-20"),
        (
            *("update", "9.1", "--set", "法律援助案件=50", "--date", "2023-04-10"),
            *("--correct", "--note", "重复统计", "--by", "司法局"),
        ),
        (
            *("done", "7.2", "按时兑付", "--period", "3", "--date", "2023-03-31"),
            *("--by", "人社局", "--evidence", "兑付清单"),
        ),
        ("done", "4.1", "1", "--date", "2023-01-20"),
        ("done", "4.1", "1", "--undo", "--note", "批复未下达", "--date", "2023-01-25"),
    ]
    messages = []
    for step in steps:
        assert en(git_ledger, *step).exit_code == 0
        messages.append(head_message(git_ledger))
    assert messages[1] == (
        "correct 9.1 法律援助案件 50/240 (2023-04-10)\n\n    重复统计\n\n"
        "Minsheng-Item: 9.1\nReported-by: 司法局\n\n"
    )
    assert messages[2] == (
        "done 7.2#2 按时兑付 3月 (2023-03-31)\n\n    兑付清单\n\n"
        "Minsheng-Item: 7.2\nReported-by: 人社局\n\n"
    )
    assert messages[4] == (
        "undo 4.1#1 完成项目立项、设计、审批等工作 (2023-01-25)\n\n    批复未下达\n\n"
        "Minsheng-Item: 4.1\n\n"
    )
    assert commit_count(git_ledger) == 1 + len(steps)
    assert head_files(git_ledger) == ["tasks/04-办学条件改善工程.yaml"]


def test_staged_and_unstaged_changes_elsewhere_are_not_swept_in(git_ledger: Path) -> None:
    config = git_ledger / "minsheng.yaml"
    original_config = config.read_text(encoding="utf-8")
    config.write_text(original_config + "# 待审定\n", encoding="utf-8")
    git(git_ledger, "add", "minsheng.yaml")
    heating = git_ledger / HEATING
    heating.write_text(heating.read_text(encoding="utf-8") + "# 草稿\n", encoding="utf-8")
    run = ["update", "9.1", "--set", "法律援助案件=18", "--date", "2023-01-31"]
    assert run_cli(git_ledger, run).exit_code == 0
    assert head_files(git_ledger) == [LEGAL_AID]
    assert git(git_ledger, "show", "HEAD:minsheng.yaml") == original_config
    assert git(git_ledger, "diff", "--cached", "--name-only") == "minsheng.yaml\n"
    assert git(git_ledger, "diff", "--name-only") == f"{HEATING}\n"


def test_no_commit_makes_none(git_ledger: Path) -> None:
    run = ["update", "9.1", "--set", "法律援助案件=18", "--date", "2023-01-31", "--no-commit"]
    result = en(git_ledger, *run)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["recorded: update 9.1 法律援助案件 18/240 (2023-01-31)"]
    assert result.stderr == ""
    assert commit_count(git_ledger) == 1
    assert git(git_ledger, "status", "--porcelain") == f" M {LEGAL_AID}\n"


def test_outside_a_repository_the_command_works_and_says_no_audit_trail_is_kept(
    ledger_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(ledger_dir.parent))
    file = ledger_dir / LEGAL_AID
    before = file.read_bytes()
    result = en(ledger_dir, "update", "9.1", "--set", "法律援助案件=18", "--date", "2023-01-31")
    assert result.exit_code == 0
    assert flat(result.stderr) == (
        "note: this workspace is not in a git repository, so no audit trail is kept"
        " (`minsheng init DIR` creates a workspace with one)"
    )
    assert file.read_bytes() == before + (
        "records:\n  - {date: 2023-01-31, item: 1, set: {法律援助案件: 18}}\n".encode()
    )
    chinese = run_cli(ledger_dir, ["done", "4.1", "1", "--date", "2023-01-20"])
    assert chinese.exit_code == 0
    assert chinese.stderr.strip()
    assert not (ledger_dir / ".git").exists()


@pytest.fixture
def no_git_identity(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """git with no name or e-mail anywhere; useConfigOnly stops it guessing one from the host."""
    for variable in (*GIT_IDENTITY, "EMAIL"):
        monkeypatch.delenv(variable, raising=False)
    home = tmp_path / "empty-home"
    home.mkdir()
    global_config = tmp_path / "global.gitconfig"
    global_config.write_text("[user]\n\tuseConfigOnly = true\n", encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(global_config))


def test_without_a_git_identity_the_record_stays_and_the_error_says_what_to_do(
    git_ledger: Path, no_git_identity: None
) -> None:
    file = git_ledger / LEGAL_AID
    before = file.read_bytes()
    result = en(git_ledger, "update", "9.1", "--set", "法律援助案件=18", "--date", "2023-01-31")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == ["recorded: update 9.1 法律援助案件 18/240 (2023-01-31)"]
    assert flat(result.stderr) == (
        f"error: the change is saved in {LEGAL_AID}, but git could not commit it:"
        ' git does not know who you are: run git config user.name "Your Name" and'
        ' git config user.email "you@example.org"'
    )
    assert file.read_bytes().startswith(before)
    assert file.read_bytes().endswith("{法律援助案件: 18}}\n".encode())
    assert commit_count(git_ledger) == 1
    chinese = run_cli(git_ledger, ["done", "4.1", "1", "--date", "2023-01-20"])
    assert chinese.exit_code == 1
    assert "tasks/04-办学条件改善工程.yaml" in chinese.stderr
    assert commit_count(git_ledger) == 1


def test_a_failed_commit_is_reported_and_the_record_stays(git_ledger: Path) -> None:
    hook = git_ledger / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 审计钩子拒绝提交 >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(hook.stat().st_mode | stat.S_IXUSR)
    result = en(git_ledger, "update", "9.1", "--set", "法律援助案件=18", "--date", "2023-01-31")
    assert result.exit_code == 1
    assert flat(result.stderr) == (
        f"error: the change is saved in {LEGAL_AID}, but git could not commit it: 审计钩子拒绝提交"
    )
    assert (git_ledger / LEGAL_AID).read_text(encoding="utf-8").endswith("{法律援助案件: 18}}\n")
    assert commit_count(git_ledger) == 1


# --- log -----------------------------------------------------------------------------------------


def recorded_history(root: Path) -> tuple[str, str, str]:
    """Two recorded changes on top of the initial commit; their short hashes, newest first."""
    for step in (
        ("update", "3.1", "--set", "户厕改造=900", "--date", "2023-07-28", "--by", "农业农村局"),
        ("update", "9.1", "--set", "法律援助案件=18", "--date", "2023-01-31", "--by", "司法局"),
    ):
        assert run_cli(root, step).exit_code == 0
    newest, toilets, first = git(root, "log", "--format=%h").split()
    return newest, toilets, first


def test_log_reads_the_history_back(git_ledger: Path) -> None:
    newest, toilets, first = recorded_history(git_ledger)
    result = en(git_ledger, "log", "--json")
    assert result.exit_code == 0
    entries = json.loads(result.stdout)
    shown = [
        (e["commit"], e["author"], e["reported_by"], e["items"], e["subject"], e["files"])
        for e in entries[:2]
    ]
    assert shown[0] == (
        *(newest, "测试文书", "司法局", ["9.1"]),
        *("update 9.1 法律援助案件 18/240 (2023-01-31)", [LEGAL_AID]),
    )
    assert shown[1] == (
        *(toilets, "测试文书", "农业农村局", ["3.1"]),
        *("update 3.1 户厕改造 900/1310 (2023-07-28)", [TOILETS]),
    )
    assert (entries[2]["commit"], entries[2]["subject"], entries[2]["items"]) == (
        first,
        "台账初始版本",
        [],
    )
    assert len(entries) == 3
    assert all("note" in e for e in entries)

    # on a terminal Rich shows the whole subject
    text = run_cli(git_ledger, ["--lang", "en", "log"], FORCE_COLOR="1").stdout
    row = next(line for line in text.splitlines() if toilets in line)
    for cell in ("测试文书", "农业农村局", "update 3.1 户厕改造 900/1310 (2023-07-28)"):
        assert cell in row
    # and so does a pipe, however long (What is no longer cut at 40 cells)
    out = en(git_ledger, "log").stdout
    table = parse_table(out, footer_lines=0)
    assert table.title == "History"
    assert table.header == ["When", "Who", "Reported by", "What", "Note", "Commit"]
    assert [row[1:4] + row[-1:] for row in table.rows] == [
        ["测试文书", "司法局", "update 9.1 法律援助案件 18/240 (2023-01-31)", newest],
        ["测试文书", "农业农村局", "update 3.1 户厕改造 900/1310 (2023-07-28)", toilets],
        ["测试文书", "", "台账初始版本", first],
    ]
    assert out.endswith(f"{first}\n\n")  # the blank line after the table ends the output
    assert run_cli(git_ledger, ["log"]).exit_code == 0


def test_log_of_one_item_shows_its_commits_and_manual_edits_of_its_file(git_ledger: Path) -> None:
    newest, toilets, first = recorded_history(git_ledger)

    def commits(*args: str) -> list[str]:
        result = run_cli(git_ledger, ["log", *args, "--json"])
        assert result.exit_code == 0
        return [entry["commit"] for entry in json.loads(result.stdout)]

    assert commits("3.1") == [toilets, first]
    assert commits("9") == [newest, first]
    assert commits("3.2") == [first]  # the initial commit touched its file; 3.1's did not count
    assert commits("4.1") == [first]


def test_log_outside_a_repository_is_a_usage_error(
    ledger_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(ledger_dir.parent))
    result = en(ledger_dir, "log")
    assert (result.exit_code, result.stdout) == (2, "")
    assert flat(result.stderr) == (
        "error: this workspace is not in a git repository, so there is no history"
    )


# --- init ----------------------------------------------------------------------------------------


@pytest.fixture
def identity(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable, value in GIT_IDENTITY.items():
        monkeypatch.setenv(variable, value)


def test_init_creates_a_workspace_with_a_repository_and_a_first_commit(
    tmp_path: Path, identity: None
) -> None:
    folder = tmp_path / "新台账"
    result = en(None, "init", str(folder), "--year", "2023")
    assert result.exit_code == 0, result.stderr
    head = git(folder, "rev-parse", "--short", "HEAD").strip()
    assert result.stdout.splitlines() == [f"created {folder}", f"committed {head}"]
    files = [".gitignore", "minsheng.yaml", "tasks/01-示例实事.yaml"]
    assert git(folder, "ls-files").split() == files
    ignored = (folder / ".gitignore").read_text(encoding="utf-8")
    assert ignored == ".minsheng-cache/\n.minsheng.lock\n.minsheng-intake.json\n"
    assert "year: 2023\n" in (folder / "minsheng.yaml").read_text(encoding="utf-8")
    assert git(folder, "log", "--format=%s|%an <%ae>").splitlines() == [
        f"init 2023年民生实事任务清单|{CLERK}"
    ]
    assert en(folder, "check").exit_code == 0
    update = en(folder, "update", "1", "--set", "示例改造=10", "--date", "2023-02-01")
    assert update.exit_code == 0
    assert commit_count(folder) == 2
    assert git(folder, "status", "--porcelain") == ""


def test_init_inside_another_repository_makes_its_own(tmp_path: Path, identity: None) -> None:
    """A folder inside someone else's repository (a home folder kept in git, the tool's own
    clone) gets its own repository: the ledger's audit trail never lands in theirs."""
    outer = tmp_path / "home"
    outer.mkdir()
    git(outer, "init", "--quiet")
    git(outer, "commit", "--quiet", "--allow-empty", "-m", "their history")
    folder = outer / "台账" / "2024"

    assert en(None, "init", str(folder), "--year", "2024").exit_code == 0

    assert git(outer, "log", "--format=%s").splitlines() == ["their history"]
    assert git(folder, "rev-parse", "--show-toplevel").strip() == str(folder.resolve())
    assert git(folder, "log", "--format=%s").splitlines() == ["init 2024年民生实事任务清单"]


def test_a_workspace_its_repository_ignores_is_told_to_get_its_own(
    tmp_path: Path, identity: None
) -> None:
    """git's reason, not its advice on silencing advice: the record is kept, exit 1."""
    outer = tmp_path / "clone"
    outer.mkdir()
    git(outer, "init", "--quiet")
    (outer / ".gitignore").write_text(".demo/\n", encoding="utf-8")
    demo = copy_ledger(outer / ".demo")

    result = en(demo, "update", "3.3", "--percent", "50", "--date", "2023-07-01")

    assert result.exit_code == 1
    assert result.stdout.startswith("recorded: update 3.3")
    assert result.stderr.strip().endswith(
        "the repository around this folder ignores it (its .gitignore); give the workspace a"
        " repository of its own: run git init in it"
    )
    assert "hint:" not in result.stderr


def test_init_refuses_an_existing_workspace(tmp_path: Path, identity: None) -> None:
    folder = tmp_path / "ws"
    assert en(None, "init", str(folder), "--year", "2023", "--title", "某县民生实事").exit_code == 0
    before = {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
    again = en(None, "init", str(folder), "--year", "2024")
    assert (again.exit_code, again.stdout) == (2, "")
    assert flat(again.stderr) == f"error: {folder} is already a ledger workspace"
    assert {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()} == before
    assert git(folder, "log", "--format=%s").splitlines() == ["init 某县民生实事"]


def test_init_refuses_a_folder_inside_a_workspace(tmp_path: Path, identity: None) -> None:
    """`init tasks` run in a workspace would put a second ledger, and a repository, in tasks/."""
    folder = tmp_path / "ws"
    assert en(None, "init", str(folder), "--year", "2023").exit_code == 0
    inner = en(None, "init", str(folder / "tasks"), "--year", "2024")
    assert (inner.exit_code, inner.stdout) == (2, "")
    assert flat(inner.stderr) == (
        f"error: {folder / 'tasks'} is inside the ledger workspace {folder}; create the new"
        " workspace outside it"
    )
    assert not (folder / "tasks" / "minsheng.yaml").exists()
    assert not (folder / "tasks" / ".git").exists()


def test_init_without_a_git_identity_reports_it_and_exits_1(
    tmp_path: Path, no_git_identity: None
) -> None:
    folder = tmp_path / "ws"
    result = en(None, "init", str(folder), "--year", "2023")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [f"created {folder}"]
    assert flat(result.stderr) == (
        "error: the change is saved in minsheng.yaml, tasks/01-示例实事.yaml, .gitignore,"
        " but git could not commit it: git does not know who you are:"
        ' run git config user.name "Your Name" and git config user.email "you@example.org"'
    )
    # the workspace is there and usable; only the first commit is missing
    assert (folder / "minsheng.yaml").is_file()
    assert (folder / "tasks" / "01-示例实事.yaml").is_file()
    assert (folder / ".git").is_dir()
    assert en(folder, "check").exit_code == 0
    chinese = run_cli(None, ["init", str(tmp_path / "ws2"), "--year", "2023"])
    assert chinese.exit_code == 1
    assert chinese.stderr.startswith("错误：")
    assert "git config user.name" in chinese.stderr


def test_a_record_saved_but_not_committed_gets_its_own_commit_with_its_trailers(
    git_ledger: Path,
) -> None:
    """A --no-commit record (or one a crash left uncommitted) must not ride along in the next
    record's commit, nor lose its reporter: it is committed as it would have been."""
    quiet = en(
        git_ledger,
        *("update", "9.1", "--set", "法律援助案件=130", "--date", "2023-07-20"),
        *("--by", "司法局", "--note", "补报", "--no-commit"),
    )
    assert quiet.exit_code == 0, quiet.stderr
    assert commit_count(git_ledger) == 1

    result = en(git_ledger, "update", "9.1", "--set", "法律援助案件=140", "--date", "2023-07-25")

    assert result.exit_code == 0, result.stderr
    pending, record = git(git_ledger, "log", "-2", "--format=%h").split()[::-1]
    assert git(git_ledger, "log", "-1", "--format=%B", pending) == (
        "update 9.1 法律援助案件 130/240 (2023-07-20)\n\n    补报\n\n"
        "Minsheng-Item: 9.1\nReported-by: 司法局\n\n"
    )
    assert git(git_ledger, "log", "-1", "--format=%s", record) == (
        "update 9.1 法律援助案件 140/240 (2023-07-25)\n"
    )
    assert flat(result.stderr) == flat(
        "note: the file had changes git had not seen (an edit, or a record made with"
        f" --no-commit); they were committed first, as {pending}"
    )
    numstat = git(git_ledger, "show", "--numstat", "--format=", "HEAD").split()
    assert numstat[:2] == ["1", "0"]  # the record's commit adds its own line and nothing else
    assert "法律援助案件: 130" in git(git_ledger, "show", "HEAD~1")
    assert git(git_ledger, "status", "--porcelain") == ""
    entries = json.loads(en(git_ledger, "log", "9.1", "--json").stdout)
    assert [(e["commit"], e["reported_by"]) for e in entries[:2]] == [
        (record, ""),
        (pending, "司法局"),
    ]


def test_a_hand_edit_git_has_not_seen_gets_a_pending_commit_of_its_own(git_ledger: Path) -> None:
    file = git_ledger / LEGAL_AID
    file.write_text(file.read_text(encoding="utf-8") + "# 手工备注\n", encoding="utf-8")
    result = en(git_ledger, "update", "9.1", "--set", "法律援助案件=140", "--date", "2023-07-25")
    assert result.exit_code == 0, result.stderr
    shown = git(git_ledger, "log", "-2", "--format=%s|%(trailers:only,unfold,separator=;)")
    assert shown.splitlines()[::-1] == [
        f"pending changes to {LEGAL_AID}, committed before the next record|",
        "update 9.1 法律援助案件 140/240 (2023-07-25)|Minsheng-Item: 9.1",
    ]


# --- forged trailers -----------------------------------------------------------------------------


def parsed_trailers(root: Path, commit: str = "HEAD") -> str:
    """The trailers `git interpret-trailers` reads in a commit's message."""
    message = git(root, "log", "-1", "--format=%B", commit)
    result = subprocess.run(
        ["git", "interpret-trailers", "--parse"],
        input=message,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    return result.stdout


@pytest.mark.parametrize(
    "note",
    [
        "Minsheng-Item: 9.1",
        "7月报\n\nMinsheng-Item: 9.1\nReported-by: 县长",
        "7月报\n---\nMinsheng-Item: 9.1\nReported-by: 县长",
        "Reported-by: 县长\n\n\n",
    ],
)
def test_a_note_cannot_forge_the_trailers(git_ledger: Path, note: str) -> None:
    run = ["update", "2.1", "--percent", "30", "--date", "2023-04-28", "--by", "住建局"]
    result = run_cli(git_ledger, [*run, "--note", note])
    assert result.exit_code == 0, result.stderr
    head = git(git_ledger, "rev-parse", "--short", "HEAD").strip()

    entries = json.loads(en(git_ledger, "log", "--json").stdout)
    assert (entries[0]["commit"], entries[0]["items"], entries[0]["reported_by"]) == (
        head,
        ["2.1"],
        "住建局",
    )
    of_9_1 = json.loads(en(git_ledger, "log", "9.1", "--json").stdout)
    assert head not in [e["commit"] for e in of_9_1]
    assert parsed_trailers(git_ledger) == "Minsheng-Item: 2.1\nReported-by: 住建局\n"


def test_evidence_and_a_tick_note_cannot_forge_the_trailers(git_ledger: Path) -> None:
    result = en(
        git_ledger,
        *("done", "4.1", "1", "--date", "2023-01-20"),
        *("--evidence", "批复\n\nMinsheng-Item: 9.1", "--note", "Reported-by: 县长"),
    )
    assert result.exit_code == 0, result.stderr
    assert parsed_trailers(git_ledger) == "Minsheng-Item: 4.1\n"
    assert json.loads(en(git_ledger, "log", "--json").stdout)[0]["reported_by"] == ""


# --- git killed, locked, missing -----------------------------------------------------------------

REAL_GIT = shutil.which("git") or "git"


def killing_git(folder: Path, subcommand: str) -> Path:
    """A git that, asked to ``subcommand``, leaves index.lock and dies of SIGXFSZ, as real git
    does under `prlimit --fsize`."""
    folder.mkdir()
    script = folder / "git"
    script.write_text(
        "#!/bin/sh\n"
        f'case " $* " in *" {subcommand} "*)\n'
        f'  : > "$({REAL_GIT} rev-parse --absolute-git-dir)/index.lock"; kill -XFSZ $$;;\n'
        "esac\n"
        f'exec {REAL_GIT} "$@"\n',
        encoding="utf-8",
    )
    script.chmod(0o755)
    return folder


def test_a_git_killed_by_a_signal_is_reported_with_the_records_fate(
    git_ledger: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_folder = killing_git(tmp_path / "bin", "commit")
    monkeypatch.setenv("PATH", f"{bin_folder}{os.pathsep}{os.environ['PATH']}")
    result = en(git_ledger, "update", "9.1", "--set", "法律援助案件=18", "--date", "2023-01-31")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == ["recorded: update 9.1 法律援助案件 18/240 (2023-01-31)"]
    assert flat(result.stderr) == (
        f"error: the change is saved in {LEGAL_AID}, but git could not commit it:"
        " git was killed by signal SIGXFSZ (a resource limit, or the system stopped it);"
        " run `minsheng doctor` to see what is left to repair"
    )
    assert (git_ledger / LEGAL_AID).read_text(encoding="utf-8").endswith("{法律援助案件: 18}}\n")
    chinese = run_cli(git_ledger, ["done", "4.1", "1", "--date", "2023-01-20"])
    assert chinese.exit_code == 1
    assert chinese.stderr.startswith("错误：改动已保存到 tasks/04-办学条件改善工程.yaml")
    assert "minsheng doctor" in chinese.stderr
    assert commit_count(git_ledger) == 1


@pytest.mark.parametrize("left", ["index.lock", "HEAD.lock", "refs/heads/master.lock"])
def test_a_stale_git_lock_is_said_in_the_clerks_language_with_the_way_out(
    git_ledger: Path, left: str
) -> None:
    """A git killed in the middle of a commit leaves one of these; each stops every commit."""
    branch = git(git_ledger, "rev-parse", "--abbrev-ref", "HEAD").strip()
    lock = git_ledger / ".git" / left.replace("master", branch)
    lock.touch()
    result = en(git_ledger, "update", "9.1", "--set", "法律援助案件=18", "--date", "2023-01-31")
    assert result.exit_code == 1
    assert flat(result.stderr) == (
        f"error: the change is saved in {LEGAL_AID}, but git could not commit it:"
        f" git's repository is locked by {lock}, left by a git that was stopped (or a git still at"
        " work); when no git is running, `minsheng doctor --fix` removes it and commits what"
        " is saved"
    )
    chinese = run_cli(git_ledger, ["done", "4.1", "1", "--date", "2023-01-20"])
    assert chinese.exit_code == 1
    assert "remove the file manually" not in chinese.stderr
    assert flat(chinese.stderr) == (
        "错误：改动已保存到 tasks/04-办学条件改善工程.yaml，但 git 提交失败：git 仓库被"
        f" {lock} 锁定，这是中途终止的 git 留下的（或有 git 正在运行）；确认没有 git 在运行后，"
        "运行 `minsheng doctor --fix` 即可删除该锁并提交已保存的内容"
    )
    assert commit_count(git_ledger) == 1

    fixed = run_cli(git_ledger, ["doctor", "--fix"])
    assert fixed.exit_code == 0, fixed.stdout
    assert not lock.exists()
    assert commit_count(git_ledger) == 3
    assert git(git_ledger, "status", "--porcelain") == ""


def test_git_missing_inside_a_repository_is_an_error_and_the_record_stays(
    git_ledger: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "no-git"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    file = git_ledger / LEGAL_AID
    result = en(git_ledger, "update", "9.1", "--set", "法律援助案件=18", "--date", "2023-01-31")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == ["recorded: update 9.1 法律援助案件 18/240 (2023-01-31)"]
    assert flat(result.stderr) == (
        f"error: the change is saved in {LEGAL_AID}, but git could not commit it: this"
        " workspace is in a git repository, but git is not installed (not found on PATH);"
        " install git, then run `minsheng doctor`"
    )
    assert file.read_text(encoding="utf-8").endswith("{法律援助案件: 18}}\n")
    logged = en(git_ledger, "log")
    assert (logged.exit_code, logged.stdout) == (1, "")
    assert "install git" in logged.stderr
    chinese = run_cli(git_ledger, ["log"])
    assert chinese.exit_code == 1
    assert "请安装 git" in chinese.stderr


# --- the same record again -----------------------------------------------------------------------


def test_the_same_record_again_is_refused(git_ledger: Path) -> None:
    run = ("update", "9.1", "--set", "法律援助案件=18", "--date", "2023-01-31", "--by", "司法局")
    assert en(git_ledger, *run).exit_code == 0
    file = git_ledger / LEGAL_AID
    before = file.read_bytes()
    again = en(git_ledger, *run)
    assert (again.exit_code, again.stdout) == (2, "")
    assert flat(again.stderr) == (
        "error: the same record (update 9.1 法律援助案件 18/240 (2023-01-31)) is already in"
        f" {LEGAL_AID}:16; nothing new was recorded"
    )
    assert file.read_bytes() == before
    assert commit_count(git_ledger) == 2
    other_reporter = en(git_ledger, *run[:-1], "律师协会")
    assert other_reporter.exit_code == 0


def test_the_same_record_saved_but_not_committed_is_committed_not_repeated(
    git_ledger: Path,
) -> None:
    run = ("update", "9.1", "--set", "法律援助案件=18", "--date", "2023-01-31", "--by", "司法局")
    lock = git_ledger / ".git" / "index.lock"
    lock.touch()
    assert en(git_ledger, *run).exit_code == 1  # saved, not committed
    file = git_ledger / LEGAL_AID
    before = file.read_bytes()

    still_locked = en(git_ledger, *run)
    assert (still_locked.exit_code, still_locked.stdout) == (2, "")
    assert flat(still_locked.stderr) == (
        "error: the same record (update 9.1 法律援助案件 18/240 (2023-01-31)) is already saved"
        f" in {LEGAL_AID}:16, but not committed; nothing new was recorded. Run"
        " `minsheng doctor --fix` to commit it"
    )
    lock.unlink()
    retry = en(git_ledger, *run)
    head = git(git_ledger, "rev-parse", "--short", "HEAD").strip()
    assert (retry.exit_code, retry.stdout) == (2, "")
    assert flat(retry.stderr) == (
        "error: the same record (update 9.1 法律援助案件 18/240 (2023-01-31)) was already saved"
        f" in {LEGAL_AID}:16 but not committed; it is now committed, as {head}. Nothing new"
        " was recorded"
    )
    assert file.read_bytes() == before
    assert commit_count(git_ledger) == 2
    assert parsed_trailers(git_ledger) == "Minsheng-Item: 9.1\nReported-by: 司法局\n"


def test_log_shows_a_forms_records_a_line_each_and_where_they_came_from(git_ledger: Path) -> None:
    """A form of 住建局 records 1.1 and 2.1 in one commit: `log 2.1` gives 2.1's records a
    line each, the form's file and number, and leaves 备注 to the clerk's words."""
    from tests.test_forms import JULY, fill, make_forms

    form = fill(
        make_forms(git_ledger, 7, JULY)["住房和城乡建设局"],
        {
            "1.1|分散供热设施改造": {"K": 900},
            "2.1|percent": {"K": 100},
            "2.1#6": {"L": "是", "M": date(2023, 7, 25), "N": "验收单"},
        },
    )
    assert run_cli(git_ledger, ["intake", str(form)], **JULY).exit_code == 0
    number = git(git_ledger, "log", "-1", "--format=%(trailers:key=Minsheng-Form,valueonly)")
    entry = json.loads(run_cli(git_ledger, ["log", "2.1", "--json"]).stdout)[0]
    assert (entry["form"], entry["form_file"], entry["note"]) == (
        number.strip(),
        "已填-住房和城乡建设局-2023年7月填报表.xlsx",
        "",
    )
    assert entry["records"] == [
        "update 2.1 工程进度 100% (2023-07-31)",
        "done 2.1#6 竣工验收 (2023-07-25)",
    ]
    source = f"来源：已填-住房和城乡建设局-2023年7月填报表.xlsx（表单编号 {number.strip()}）"
    rows = parse_table(run_cli(git_ledger, ["log", "2.1"]).stdout, footer_lines=0).rows
    assert [row[3:5] for row in rows[:3]] == [
        ["update 2.1 工程进度 100% (2023-07-31)", ""],
        ["done 2.1#6 竣工验收 (2023-07-25)", ""],
        [source, ""],
    ]
    terminal = run_cli(git_ledger, ["log", "2.1"], FORCE_COLOR="1", COLUMNS="80").stdout
    lines = [line.rstrip() for line in ANSI.sub("", terminal).splitlines()]
    assert max(len(line) for line in lines) <= 80
    starts = {
        cell_len(line[: line.index(text)])
        for text in ("update 2.1", "done 2.1#6", "来源：")
        for line in lines
        if text in line
    }
    assert len(starts) == 1  # a line each, in 登记内容
