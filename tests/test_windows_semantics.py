"""The write path as Windows has it, simulated where Windows is not at hand (the CI workflow runs
the whole suite on windows-latest where a runner exists).

- No module that only POSIX has (fcntl, pwd, grp, termios, resource) on any command's path.
- A file that WPS or Excel holds open cannot be replaced: os.replace raises PermissionError.
- Names with Chinese characters and spaces, task files with CRLF line endings.
- git is found as git.exe (shutil.which reads PATHEXT), and GIT_CEILING_DIRECTORIES is split
  on ; (os.pathsep) since a Windows path holds a colon.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from minsheng_cli.store import atomic
from minsheng_cli.store.atomic import write_atomic
from minsheng_cli.write import audit
from tests.conftest import REPO, copy_ledger, git, run_cli

LEGAL_AID = "tasks/09-法律援助质量提升工程.yaml"
POSIX_ONLY = ("fcntl", "pwd", "grp", "termios", "resource")


def held_open(monkeypatch: pytest.MonkeyPatch, target: Path, times: int = 1_000) -> list[int]:
    """os.replace onto ``target`` fails as on Windows while another program has it open (the
    first ``times`` tries); the list counts the tries."""
    real = os.replace
    tries: list[int] = []

    def replace(source: str | os.PathLike[str], destination: str | os.PathLike[str]) -> None:
        if Path(destination).resolve() == target.resolve():
            tries.append(1)
            if len(tries) <= times:
                raise PermissionError(errno.EACCES, "Access is denied", str(destination))
        real(source, destination)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(atomic, "REPLACE_PAUSES", (0.0,) * len(atomic.REPLACE_PAUSES))
    return tries


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_a_file_held_open_is_refused_with_its_name_and_nothing_is_lost(
    git_ledger: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = git_ledger / LEGAL_AID
    before = file.read_bytes()
    head = git(git_ledger, "rev-parse", "HEAD")
    tries = held_open(monkeypatch, file)

    result = run_cli(
        git_ledger, ["update", "9.1", "--set", "法律援助案件=60", "--date", "2023-03-20"]
    )

    assert result.exit_code == 1
    assert result.stdout == ""
    said = " ".join(result.stderr.split())
    assert "tasks/09-法律援助质量提升工程.yaml" in said
    assert "WPS" in said and "Excel" in said and "未登记" in said
    assert "Traceback" not in result.stderr
    assert len(tries) == len(atomic.REPLACE_PAUSES) + 1  # tried again before refusing
    assert file.read_bytes() == before
    assert leftovers(file.parent) == []
    assert git(git_ledger, "rev-parse", "HEAD") == head


def test_a_file_held_open_for_a_moment_is_written_on_a_later_try(
    git_ledger: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = git_ledger / LEGAL_AID
    tries = held_open(monkeypatch, file, times=2)

    result = run_cli(
        git_ledger, ["update", "9.1", "--set", "法律援助案件=60", "--date", "2023-03-20"]
    )

    assert result.exit_code == 0, result.stderr
    assert len(tries) == 3
    assert "{法律援助案件: 60}" in file.read_text(encoding="utf-8")
    assert leftovers(file.parent) == []
    assert "tasks/09" in git(git_ledger, "show", "--stat", "--format=", "HEAD")


def test_write_atomic_keeps_the_original_when_the_replace_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "月报 六月.docx"
    target.write_bytes(b"old")
    held_open(monkeypatch, target)

    with pytest.raises(PermissionError) as refused:
        write_atomic(target, b"new")

    assert "WPS" in str(refused.value.strerror)
    assert target.read_bytes() == b"old"
    assert leftovers(tmp_path) == []


def test_a_report_onto_a_document_open_in_wps_says_so(
    ledger_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = tmp_path / "六月 通报.md"
    report.write_text("旧的通报\n", encoding="utf-8")
    held_open(monkeypatch, report)

    result = run_cli(ledger_dir, ["report", "--month", "6", "-o", str(report), "--force"])

    assert result.exit_code == 1
    assert str(report) in result.stderr and "WPS" in result.stderr
    assert report.read_text(encoding="utf-8") == "旧的通报\n"
    assert leftovers(tmp_path) == []


def test_a_crlf_task_file_keeps_crlf_with_a_note_of_several_lines(ledger_dir: Path) -> None:
    file = ledger_dir / LEGAL_AID
    file.write_bytes(file.read_bytes().replace(b"\n", b"\r\n"))

    result = run_cli(
        ledger_dir,
        [
            "update",
            "9.1",
            "--set",
            "法律援助案件=60",
            "--date",
            "2023-03-20",
            "--no-commit",
            "--note",
            "第一行\n第二行",
        ],
    )

    assert result.exit_code == 0, result.stderr
    written = file.read_bytes()
    assert written.count(b"\n") == written.count(b"\r\n")
    assert run_cli(ledger_dir, ["check"]).exit_code == 0
    shown = json.loads(run_cli(ledger_dir, ["show", "9.1", "-m", "3", "--json"]).stdout)
    assert shown[0]["records"][-1]["note"] == "第一行\n第二行"


def windows_git(monkeypatch: pytest.MonkeyPatch, folder: Path) -> Path:
    """git as Windows finds it: git.exe, in a folder whose name has spaces and Chinese, the only
    git on PATH (a bare "git" would not be found)."""
    real = shutil.which("git")
    assert real is not None
    folder.mkdir(parents=True)
    program = folder / "git.exe"
    program.symlink_to(real)
    monkeypatch.setenv("PATH", str(folder))
    monkeypatch.setattr(
        shutil, "which", lambda name, *a, **k: str(program) if name == "git" else None
    )
    return program


@pytest.mark.skipif(sys.platform == "win32", reason="on Windows git.exe is found for real")
def test_git_is_run_as_which_found_it_in_a_path_with_spaces_and_chinese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_ledger(tmp_path / "民生 台账" / "2023 年")
    git(root, "init", "--quiet")
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", "台账初始版本")
    for key, value in {"GIT_AUTHOR_NAME": "文书", "GIT_AUTHOR_EMAIL": "c@example.org"}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("GIT_COMMITTER_NAME", "文书")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "c@example.org")
    windows_git(monkeypatch, tmp_path / "Program Files" / "Git 工具" / "cmd")

    result = run_cli(root, ["update", "9.1", "--set", "法律援助案件=60", "--date", "2023-03-20"])
    log = run_cli(root, ["log"])
    doctor = run_cli(root, ["doctor"])
    changes = run_cli(root, ["changes", "--since", "HEAD~1"])

    assert result.exit_code == 0, result.stderr
    assert changes.exit_code == 0, changes.stderr
    assert "法律援助案件 60/240" in log.stdout
    assert doctor.exit_code == 0, doctor.stdout + doctor.stderr
    assert not (root / ".minsheng.lock").is_dir()


def test_git_ceiling_directories_are_split_as_the_system_splits_paths(
    ledger_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "pathsep", ";")  # as on Windows, where C:\\… holds a colon
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", f"/nowhere;{ledger_dir.parent}")
    (ledger_dir.parent / ".git").mkdir(exist_ok=True)

    assert audit.repository_above(ledger_dir) is None


BLOCKED_RUN = textwrap.dedent(
    """
    import importlib, pkgutil, sys
    # What the program's dependencies load on any system first: they pick their own way on
    # each platform (filelock takes msvcrt on Windows). Only minsheng's own code is watched.
    import filelock, rich.console, typer, yaml, pydantic, docx, openpyxl, dateutil
    for name in {blocked!r}:
        sys.modules[name] = None  # `import fcntl` now fails, as on Windows
    import minsheng_cli
    for module in pkgutil.walk_packages(minsheng_cli.__path__, "minsheng_cli."):
        importlib.import_module(module.name)
    from typer.testing import CliRunner
    from minsheng_cli.cli.app import app
    root = sys.argv[1]
    for args in {commands!r}:
        result = CliRunner().invoke(app, ["-C", root, *args])
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        assert result.exit_code in (0, 1), (args, result.exit_code, result.output)
    print("ok")
    """
)

COMMANDS = (
    ["check"],
    ["status", "--month", "6"],
    ["list", "--month", "6", "--json"],
    ["show", "9.1", "-m", "6"],
    ["overdue", "--month", "6"],
    ["agenda", "--month", "7"],
    ["update", "9.1", "--set", "法律援助案件=60", "--date", "2023-03-20"],
    ["done", "5.2", "1", "--date", "2023-03-20"],
    ["done", "5.2", "1", "--undo", "--note", "撤销", "--date", "2023-03-21"],
    ["log"],
    ["meeting", "--date", "2023-07-01"],
    ["meetings"],
    ["changes", "--since", "HEAD~1"],
    ["unreported", "--month", "7"],
    ["doctor"],
    ["report", "--month", "6"],
    ["export", "-f", "csv", "-m", "6"],
)


def test_no_command_needs_a_module_only_posix_has(git_ledger: Path) -> None:
    script = BLOCKED_RUN.format(blocked=POSIX_ONLY, commands=COMMANDS)

    result = subprocess.run(
        [sys.executable, "-c", script, str(git_ledger)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=REPO,
        env={**os.environ, "MINSHENG_TODAY": "2023-07-15"},
        timeout=300,
        check=False,
    )

    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().endswith("ok")
    assert len(git(git_ledger, "log", "--format=%h").split()) == 4


def test_no_module_of_the_program_imports_one_only_posix_has() -> None:
    """The same, read from the source: also an import that no test reaches."""
    found = [
        f"{path.relative_to(REPO)}:{number}"
        for path in (REPO / "src" / "minsheng_cli").rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if any(
            line.strip().startswith((f"import {name}", f"from {name} import"))
            for name in POSIX_ONLY
        )
    ]
    assert found == []


def test_the_cache_is_read_without_an_os_flag_only_posix_has(
    ledger_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = run_cli(ledger_dir, ["status", "--month", "6"])
    monkeypatch.delattr(os, "O_NONBLOCK", raising=False)  # Windows' os has no O_NONBLOCK

    again = run_cli(ledger_dir, ["status", "--month", "6"])  # from the cache this time

    assert again.exit_code == 0, again.stderr
    assert again.stdout == first.stdout


def test_init_on_a_machine_without_git_says_to_install_git_for_windows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "no git here"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))

    result = run_cli(None, ["init", str(tmp_path / "台账 2024"), "--year", "2024"])

    assert result.exit_code == 1
    said = " ".join(result.stderr.split())
    assert said.startswith("错误：未安装 git")
    assert "Git for Windows" in said and "仓库中" not in said  # there is no repository yet
    assert (tmp_path / "台账 2024" / "minsheng.yaml").is_file()


def test_init_and_doctor_without_a_git_identity_say_how_to_set_it_in_chinese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for variable in ("AUTHOR", "COMMITTER"):
        for part in ("NAME", "EMAIL"):
            monkeypatch.delenv(f"GIT_{variable}_{part}", raising=False)
    global_config = tmp_path / "global.gitconfig"
    global_config.write_text("[user]\n\tuseConfigOnly = true\n", encoding="utf-8")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(global_config))
    folder = tmp_path / "台账"

    made = run_cli(None, ["init", str(folder), "--year", "2024"])
    doctor = run_cli(folder, ["doctor"])

    for said in (made.stderr, doctor.stdout):
        assert 'git config user.name "您的姓名"' in said and "git config user.email" in said
