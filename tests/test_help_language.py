"""--help in the interface's language, Click's own words too (issue 12): no "Usage",
"Options" or "Show this message and exit." around the Chinese."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from minsheng_cli.i18n import set_language
from tests.conftest import run_cli

CLICK_WORDS = ("Usage:", "Options:", "Commands:", "Arguments:", "Show this message", "env var")


def help_of(*args: str) -> str:
    """--help through CliRunner, which names the program "root"."""
    result = run_cli(None, [*args, "--help"])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_programs_help_is_chinese_throughout() -> None:
    out = help_of()
    assert out.startswith("用法：root [OPTIONS] COMMAND [ARGS]...")
    assert "\n选项：\n" in out and "\n命令：\n" in out
    assert "显示本帮助并退出。" in out
    assert "[环境变量：MINSHENG_LANG]" in out
    assert not [word for word in CLICK_WORDS if word in out]


@pytest.mark.parametrize("command", ["status", "show", "update", "overdue", "agenda"])
def test_a_commands_help_is_chinese_throughout(command: str) -> None:
    out = help_of(command)
    assert out.startswith(f"用法：root {command} [OPTIONS]")
    assert "\n选项：\n" in out
    assert "  --help" in out and "显示本帮助并退出。" in out
    assert not [word for word in CLICK_WORDS if word in out]


def test_an_argument_is_listed_under_chinese_words() -> None:
    out = help_of("show")
    assert "\n参数：\n" in out
    assert "[必填]" in out


def program_help(*args: str) -> str:
    """--help from the program itself, which reads --lang before its commands are defined."""
    env = {k: v for k, v in os.environ.items() if k not in ("MINSHENG_LANG", "LANG", "LC_ALL")}
    result = subprocess.run(
        [sys.executable, "-m", "minsheng_cli", *args, "--help"],
        capture_output=True,
        env=env,
        timeout=60,
        check=True,
    )
    return result.stdout.decode("utf-8")


def test_the_program_says_usage_in_chinese_by_default_and_in_english_with_lang_en() -> None:
    chinese = program_help("status")
    assert chinese.startswith("用法：python -m minsheng_cli status [OPTIONS]")
    assert "显示本帮助并退出。" in chinese
    assert not [word for word in CLICK_WORDS if word in chinese]
    top = program_help("--lang", "en")
    assert top.startswith("Usage: python -m minsheng_cli [OPTIONS] COMMAND [ARGS]...")
    assert "\nOptions:\n" in top and "\nCommands:\n" in top
    status = program_help("--lang", "en", "status")
    assert status.startswith("Usage: python -m minsheng_cli status [OPTIONS]")
    assert "Show this message and exit." in status
    assert "用法" not in status + top and "选项" not in status + top


def test_a_command_name_with_a_typo_is_said_in_the_clerks_language() -> None:
    typo = run_cli(None, ["statu"])
    assert (typo.exit_code, typo.stdout) == (2, "")
    assert typo.stderr.strip() == "错误：“statu”不是 minsheng 的命令；是否要用 status？"
    set_language("en")  # as the console script does from --lang before Click runs
    unknown = run_cli(None, ["frobnicate"])
    assert unknown.exit_code == 2
    assert unknown.stderr.strip() == (
        "error: “frobnicate” is not a minsheng command; see `minsheng --help`"
    )


@pytest.mark.parametrize("group", [(), ("rollup",)])
def test_every_command_in_the_list_says_something(group: tuple[str, ...]) -> None:
    """Click shortens a command's help to its first words; a Chinese help has no spaces, so
    without a short help of its own a command showed only "..." (import did)."""
    out = help_of(*group)
    listed = out.split("命令：\n", 1)[1].splitlines()
    for line in listed:
        name, _gap, said = line.strip().partition(" ")
        assert said.strip() and said.strip() != "...", f"{name}: {line!r}"
