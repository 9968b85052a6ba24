"""Git as the audit trail: one commit per update/done, read back by `log`; `init`."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import GIT_IDENTITY, copy_ledger, git, run_cli
from tests.plaintext import parse_table

TOILETS = "tasks/03-农村人居环境提升工程.yaml"
LEGAL_AID = "tasks/09-法律援助质量提升工程.yaml"
HEATING = "tasks/01-冬季清洁取暖工程.yaml"
CLERK = "测试文书 <clerk@example.org>"


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

    # on a terminal Rich shows the whole subject
    text = run_cli(git_ledger, ["--lang", "en", "log"], FORCE_COLOR="1").stdout
    row = next(line for line in text.splitlines() if toilets in line)
    for cell in ("测试文书", "农业农村局", "update 3.1 户厕改造 900/1310 (2023-07-28)"):
        assert cell in row
    # and so does a pipe, however long (What is no longer cut at 40 cells)
    out = en(git_ledger, "log").stdout
    table = parse_table(out, footer_lines=0)
    assert table.title == "History"
    assert table.header == ["When", "Who", "Reported by", "What", "Commit"]
    assert [row[1:] for row in table.rows] == [
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
    assert ignored == ".minsheng-cache/\n.minsheng.lock\n"
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


def test_changes_git_has_not_seen_get_a_commit_of_their_own(git_ledger: Path) -> None:
    """A --no-commit record must not ride along in the next record's commit."""
    quiet = en(
        git_ledger,
        "update",
        "9.1",
        "--set",
        "法律援助案件=130",
        "--date",
        "2023-07-20",
        "--no-commit",
    )
    assert quiet.exit_code == 0, quiet.stderr
    assert commit_count(git_ledger) == 1

    result = en(git_ledger, "update", "9.1", "--set", "法律援助案件=140", "--date", "2023-07-25")

    assert result.exit_code == 0, result.stderr
    pending, record = git(git_ledger, "log", "-2", "--format=%h %s").splitlines()[::-1]
    assert pending.split(" ", 1)[1] == (
        f"pending changes to {LEGAL_AID}, committed before the next record"
    )
    assert record.split(" ", 1)[1] == "update 9.1 法律援助案件 140/240 (2023-07-25)"
    assert flat(result.stderr) == flat(
        "note: the file had changes git had not seen (an edit, or a record made with"
        f" --no-commit); they were committed first, as {pending.split()[0]}"
    )
    numstat = git(git_ledger, "show", "--numstat", "--format=", "HEAD").split()
    assert numstat[:2] == ["1", "0"]  # the record's commit adds its own line and nothing else
    assert "法律援助案件: 130" in git(git_ledger, "show", "HEAD~1")
