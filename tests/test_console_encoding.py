"""Any console encoding: on Chinese Windows a redirected stdout is written in the ANSI code page
(cp936), and some consoles are plain ASCII. Every command runs in a real process with
PYTHONIOENCODING set to each, through a pipe and once through a pseudo-terminal: it never fails
on a character the stream cannot carry, the status light ✓ reads √, --json stays JSON, and files
written with -o stay UTF-8."""

from __future__ import annotations

import codecs
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import GIT_IDENTITY, git

ENCODINGS = ("gbk", "cp936", "ascii")

COMMANDS: tuple[tuple[str, ...], ...] = (
    ("--help",),
    ("--version",),
    ("check",),
    ("status", "--month", "7"),
    ("status", "--help"),
    ("list", "--month", "6"),
    ("show", "3", "-m", "6"),
    ("overdue", "--month", "6"),
    ("agenda", "--month", "7"),
    ("log",),
    ("report", "--month", "6"),
    ("report", "--month", "6", "-f", "html"),
    ("export", "-f", "json", "-m", "6"),
    ("doctor",),
    ("meetings",),
    ("changes", "--since", "HEAD~1"),
    ("unreported", "--month", "7"),
    ("import", "--help"),
    ("update", "--help"),
    ("show", "no-such-item"),
    ("status", "--month", "13"),
)

JSON_COMMANDS: tuple[tuple[str, ...], ...] = (
    ("status", "--month", "7", "--json"),
    ("list", "--month", "6", "--json"),
    ("show", "3", "-m", "6", "--json"),
    ("overdue", "--month", "6", "--json"),
    ("agenda", "--month", "7", "--json"),
    ("unreported", "--month", "7", "--json"),
    ("meetings", "--json"),
    ("changes", "--since", "HEAD~1", "--json"),
)


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled ledger in git, with one recorded update so that status shows a ✓ light and
    the log has a record (whose note holds characters no code page has)."""
    from tests.conftest import copy_ledger

    root = copy_ledger(tmp_path_factory.mktemp("encoding") / "台账 ledger")
    git(root, "init", "--quiet")
    (root / ".gitignore").write_text(".minsheng-cache/\n.minsheng.lock\n", encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", "台账初始版本")
    done = run(
        root, "utf-8", "update", "9.1", "--set", "法律援助案件=240", "--date", "2023-06-30",
        "--note", "✓ 完成 ☺",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr.decode("utf-8")
    return root


def environment(encoding: str) -> dict[str, str]:
    drop = {"NO_COLOR", "COLUMNS", "LINES", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"}
    env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("MINSHENG")}
    return {**env, **GIT_IDENTITY, "PYTHONIOENCODING": encoding, "MINSHENG_TODAY": "2023-07-15"}


def run(root: Path, encoding: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "minsheng_cli", "-C", str(root), *args],
        capture_output=True,
        env=environment(encoding),
        timeout=120,
        check=False,
    )


def run_in_terminal(args: list[str], env: dict[str, str]) -> bytes:
    """Everything the command writes, with stdout and stderr on one pseudo-terminal."""
    import pty
    import select

    master, slave = pty.openpty()
    chunks: list[bytes] = []
    with subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave, env=env) as process:
        os.close(slave)
        while select.select([master], [], [], 60)[0]:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the terminal closed: the process is done
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.kill()
        process.wait(timeout=60)
    os.close(master)
    return b"".join(chunks)


def assert_no_crash(result: subprocess.CompletedProcess[bytes], encoding: str) -> None:
    said = result.stderr.decode(encoding, errors="replace")
    assert result.returncode in (0, 1, 2), (result.args, said)
    assert "Traceback" not in said and "UnicodeEncodeError" not in said, said
    # every byte in the stream's own encoding (Click writes its own text, such as --help, to
    # an ASCII stream as UTF-8: PYTHONIOENCODING=ascii is no real console's setting)
    for written in (result.stdout, result.stderr):
        written.decode("utf-8" if encoding == "ascii" else encoding)


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_every_command_survives_the_console_encoding(ledger: Path, encoding: str) -> None:
    for args in COMMANDS:
        assert_no_crash(run(ledger, encoding, *args), encoding)


@pytest.mark.parametrize("encoding", ("gbk", "cp936"))
def test_status_shows_the_done_light_as_a_check_the_code_page_has(
    ledger: Path, encoding: str
) -> None:
    result = run(ledger, encoding, "status", "--month", "7")

    assert result.returncode == 0, result.stderr.decode(encoding, errors="replace")
    out = result.stdout.decode(encoding)
    assert "√ 1" in out and "泾源县" in out


def test_status_in_ascii_shows_the_done_light_as_v(ledger: Path) -> None:
    result = run(ledger, "ascii", "status", "--month", "7")

    assert result.returncode == 0
    assert " v 1" in result.stdout.decode("ascii")


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_json_to_a_narrow_pipe_is_json_with_every_character_kept(
    ledger: Path, encoding: str
) -> None:
    for args in JSON_COMMANDS:
        result = run(ledger, encoding, *args)
        assert_no_crash(result, encoding)
        assert json.loads(result.stdout.decode(encoding)) is not None
    shown = json.loads(run(ledger, encoding, "show", "9.1", "-m", "7", "--json").stdout)
    assert shown[0]["records"][-1]["note"] == "✓ 完成 ☺"  # escaped, not replaced


@pytest.mark.parametrize("encoding", ("gbk", "ascii"))
def test_files_written_with_output_stay_utf8(ledger: Path, tmp_path: Path, encoding: str) -> None:
    report = tmp_path / f"月报-{encoding}.md"
    table = tmp_path / f"台账-{encoding}.json"

    made = run(ledger, encoding, "report", "--month", "7", "-o", str(report))
    exported = run(ledger, encoding, "export", "-m", "7", "-o", str(table))

    assert_no_crash(made, encoding)
    assert_no_crash(exported, encoding)
    assert "✓" in report.read_text(encoding="utf-8")
    assert json.loads(table.read_text(encoding="utf-8"))["title"] == "泾源县2023年民生实事任务清单"


def test_the_log_is_written_in_the_code_page(ledger: Path) -> None:
    result = run(ledger, "gbk", "log")

    assert result.returncode == 0
    assert "法律援助案件 240/240" in result.stdout.decode("gbk")


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_csv_to_standard_output_stays_utf8_for_excel(ledger: Path, encoding: str) -> None:
    result = run(ledger, encoding, "export", "-f", "csv", "-m", "7")

    assert result.returncode == 0
    assert result.stdout.startswith(codecs.BOM_UTF8)
    assert "法律援助案件" in result.stdout.decode("utf-8-sig")


def test_an_error_message_in_a_narrow_console_is_one_line(ledger: Path) -> None:
    result = run(ledger, "ascii", "show", "no-such-item")

    assert result.returncode == 2
    assert result.stderr.count(b"\n") == 1


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_a_gbk_terminal_gets_the_table_drawn_in_what_it_can_show(ledger: Path) -> None:
    env = {**environment("gbk"), "TERM": "xterm-256color", "COLUMNS": "200", "NO_COLOR": "1"}
    args = [sys.executable, "-m", "minsheng_cli", "-C", str(ledger), "status", "--month", "7"]

    out = run_in_terminal(args, env).decode("gbk")

    assert "Traceback" not in out and "UnicodeEncodeError" not in out
    assert "√ 1" in out and "泾源县" in out
    assert "##########" in out  # the done item's bar, drawn in one kind of sign
    assert "█" not in out


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_forms_intake_and_the_rollup_survive_the_console_encoding(
    ledger: Path, tmp_path: Path, encoding: str
) -> None:
    """The commands of issues 14 and 15 in a GBK, cp936 or ASCII console: no crash, every
    byte in the stream's encoding."""
    forms = tmp_path / "填报表"
    city = tmp_path / "市"
    missing = tmp_path / "没有.pdf"
    for args in (
        ("forms", "--month", "7", "-o", str(forms)),
        ("intake", *(str(f) for f in sorted(forms.glob("*.xlsx"))[:2]), "--dry-run"),
        ("intake", str(tmp_path / "不存在.xlsx")),
        ("update", "9.1", "--percent", "50", "--attach", str(missing)),
        ("rollup", "--help"),
        ("rollup", "init", str(city), "--title", "某市 ☺"),
    ):
        assert_no_crash(run(ledger, encoding, *args), encoding)
    for args in (
        ("rollup", "add", "台账县 ✓", str(ledger)),
        ("rollup", "sync"),
        ("rollup", "status", "--month", "6"),
        ("rollup", "overdue", "--month", "6"),
        ("rollup", "list"),
        ("rollup", "snyc"),
    ):
        assert_no_crash(run(city, encoding, *args), encoding)
