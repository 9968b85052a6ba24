"""`check` on a YAML slip (issue 12): the line that holds it, in the clerk's language, with what
to type instead — above all for what a Chinese input method types (全角 ：，“”［］｛｝), tabs and
control characters."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import copy_ledger, run_cli

TASK = """\
# 1 示例实事
id: 1
name: 示例实事
items:
  - content: 完成示例改造100户。
    leader: 某某
    unit: 某某局
    milestones:
      - {deadline: 3月底, text: 完成招投标工作}
"""
WHERE = "tasks/01-示例实事.yaml"
SYNTAX = "YAML 语法错误："


def check(tmp_path: Path, text: str, *options: str) -> str:
    """``check``'s first line of complaint about the one task file holding ``text``."""
    root = copy_ledger(tmp_path / f"ledger{len(list(tmp_path.iterdir()))}")
    shutil.rmtree(root / "tasks")
    (root / "tasks").mkdir()
    (root / "tasks" / "01-示例实事.yaml").write_text(text, encoding="utf-8")
    result = run_cli(root, [*options, "check"])
    assert result.exit_code == 1, result.output
    return result.stderr.splitlines()[0]


def test_the_sample_file_itself_is_clean(tmp_path: Path) -> None:
    root = copy_ledger(tmp_path / "ledger")
    shutil.rmtree(root / "tasks")
    (root / "tasks").mkdir()
    (root / "tasks" / "01-示例实事.yaml").write_text(TASK, encoding="utf-8")
    assert run_cli(root, ["check"]).exit_code == 0


def test_a_full_width_colon_names_its_own_line_and_the_half_width_colon(tmp_path: Path) -> None:
    """PyYAML reports the line after (8: could not find expected ':'); the slip is on line 7."""
    text = TASK.replace("    unit: 某某局", "    unit：住房和城乡建设局")
    assert check(tmp_path, text) == (
        f"{WHERE}:7: {SYNTAX}“unit：住房和城乡建设局”用了全角冒号“：”；"
        "YAML 要用半角冒号，后面加一个空格：unit: 住房和城乡建设局"
    )
    assert check(tmp_path, text, "--lang", "en") == (
        f"{WHERE}:7: YAML syntax error: “unit：住房和城乡建设局” has the full-width colon “：”;"
        " YAML needs the half-width colon with a space after it: unit: 住房和城乡建设局"
    )


@pytest.mark.parametrize(
    ("slip", "fixed", "mark"),
    [
        ("{deadline: 3月底， text", "{deadline: 3月底, text", "，"),
        (
            "- {deadline: 3月底, text: 完成招投标工作}",
            "- ｛deadline: 3月底, text: 完成招投标工作｝\n    x: 1",
            "｛",
        ),
    ],
)
def test_full_width_punctuation_is_named_with_its_half_width_mark(
    tmp_path: Path, slip: str, fixed: str, mark: str
) -> None:
    text = TASK.replace(fixed, slip) if mark == "，" else TASK.replace(slip, fixed)
    half = {"，": ",", "｛": "{"}[mark]
    assert check(tmp_path, text) == (
        f"{WHERE}:9: {SYNTAX}全角的“{mark}”不是 YAML 的标点；请改用半角的“{half}”"
    )


def test_a_tab_names_its_line_and_says_to_indent_with_spaces(tmp_path: Path) -> None:
    text = TASK.replace("    leader: 某某", "\tleader: 某某")
    assert check(tmp_path, text) == (
        f"{WHERE}:6: {SYNTAX}有制表符（Tab）；YAML 只能用空格缩进：请把制表符换成空格"
    )


def test_a_control_character_is_named_with_its_line(tmp_path: Path) -> None:
    text = TASK.replace("完成招投标工作", "完成招投标\x1b工作")
    assert check(tmp_path, text) == (
        f"{WHERE}:9: 文件中有控制字符 ESC U+001B，台账文件中不能有；"
        "请删除（常随从其他程序复制的文字带入）"
    )


def test_a_quote_never_closed_names_the_line_it_opens_on(tmp_path: Path) -> None:
    text = TASK.replace("    leader: 某某", '    leader: "某某')
    assert check(tmp_path, text) == (
        f"{WHERE}:6: {SYNTAX}文件在引号内结束：这一行开始的引号没有结束；请补上后引号"
    )


def test_a_line_out_of_step_says_the_indentation_does_not_line_up(tmp_path: Path) -> None:
    text = TASK.replace("    unit: 某某局", "   unit: 某某局")
    assert check(tmp_path, text) == (
        f"{WHERE}:7: {SYNTAX}缩进与上面的行（自第5行起）对不齐："
        "同一列表或映射的各项要从同一列开始，用空格缩进"
    )


def test_a_colon_inside_a_value_says_to_quote_it(tmp_path: Path) -> None:
    text = TASK + "      - deadline: 4月: 完成招标\n"
    assert check(tmp_path, text) == (
        f'{WHERE}:10: {SYNTAX}这里不能有“: ”：值中含有“: ”的，要加引号，如 "4月: 完成招标"，'
        "或改用全角的“：”"
    )


def test_a_bracket_not_closed(tmp_path: Path) -> None:
    text = TASK.replace("完成招投标工作}", "完成招投标工作")
    assert check(tmp_path, text) == (
        f"{WHERE}:10: {SYNTAX}[ … ] 或 {{ … }} 没有闭合，或其中各项没有用半角逗号分隔"
    )


def test_a_value_that_cannot_start_a_token_says_to_quote_it(tmp_path: Path) -> None:
    text = TASK.replace("    leader: 某某", "    leader: @某某")
    assert check(tmp_path, text) == (
        f"{WHERE}:6: {SYNTAX}值不能以这个字符开头（如 @ 或 `）；请给值加引号"
    )
