"""A 完成时限 cell that holds a time and what happens by then ("5月底前动工"), read apart by
`split_deadline_cell`; and what the wider deadline wording of issue 10 does to a ledger."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from minsheng_cli.i18n import set_language
from minsheng_cli.ledger.deadlines import (
    DeadlineCell,
    DeadlineError,
    parse_deadline,
    split_deadline_cell,
    work_percent,
)
from tests.conftest import run_cli

YEAR = 2024
PIPES = "    indicators:\n      - {name: 管网, target: 12, unit: 公里}\n"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("5月底前动工", DeadlineCell("5月底前", "动工", None)),
        ("9月投入使用", DeadlineCell("9月", "投入使用", None)),
        ("8月份完成主体工程的70%", DeadlineCell("8月份", "完成主体工程的70%", 70.0)),
        ("三季度完成60%任务", DeadlineCell("三季度", "完成60%任务", 60.0)),
        ("10月底前全部完成", DeadlineCell("10月底前", "全部完成", None)),
        ("力争10月底前全部完成", DeadlineCell("力争10月底前", "全部完成", None)),
        ("4月：完成招标", DeadlineCell("4月", "完成招标", None)),
        ("6月底 完成验收", DeadlineCell("6月底", "完成验收", None)),
        ("年中完成工程量的30%", DeadlineCell("年中", "完成工程量的30%", 30.0)),
        ("2025年6月底前竣工", DeadlineCell("2025年6月底前", "竣工", None)),
        ("持续推进改造", DeadlineCell("持续推进", "改造", None)),
        ("年底前3个村完工", DeadlineCell("年底前", "3个村完工", None)),
        ("5月底前", DeadlineCell("5月底前", "", None)),
    ],
)
def test_a_cell_splits_into_its_time_the_rest_and_the_work_share(
    cell: str, expected: DeadlineCell
) -> None:
    assert split_deadline_cell(cell, YEAR) == expected


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        (
            "6月初步完成",
            "“6月初步完成” reads two ways (6月初 + 步完成, or 6月 + 初步完成);"
            " put “：” after the deadline, or give the time alone and text: apart",
        ),
        (
            "5月开工、8月完工",
            "“5月开工、8月完工” holds more than one deadline; write one milestone for each",
        ),
        (
            "6月起实施",
            "“6月起实施”: what follows 6月 could be part of the time;"
            " give the time alone and text: apart, or put “：” after the deadline",
        ),
        (
            "10月15前完成",
            "“10月15前完成”: what follows 10月 could be part of the time;"
            " give the time alone and text: apart, or put “：” after the deadline",
        ),
        (
            "3月的某天完成",
            "“3月的某天完成”: what follows 3月 could be part of the time;"
            " give the time alone and text: apart, or put “：” after the deadline",
        ),
        (
            "3月上半月完成",
            "“3月上半月完成”: what follows 3月 could be part of the time;"
            " give the time alone and text: apart, or put “：” after the deadline",
        ),
        ("3月前后", "unknown deadline word “3月前后”"),
        ("完成招标", "unknown deadline word “完成招标”"),
    ],
)
def test_a_cell_that_cannot_be_split_for_sure_is_refused_naming_it(cell: str, message: str) -> None:
    set_language("en")
    with pytest.raises(DeadlineError) as raised:
        split_deadline_cell(cell, YEAR)
    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("text", "percent"),
    [
        ("完成主体工程的70%", 70.0),
        ("完成60%任务", 60.0),
        ("完成总工程量的85％", 85.0),
        ("工程量的30%", 30.0),
        ("筛查率达到95%", None),
        ("完成率达到95%以上", None),
        ("完成60%任务，完成主体工程的70%", None),  # two shares: not a guess
        ("全部完成", None),
    ],
)
def test_only_a_share_of_the_whole_work_is_a_percentage(text: str, percent: float | None) -> None:
    assert work_percent(text) == percent


# --- properties ---------------------------------------------------------------------------------

TIMES = (
    *("3月中旬", "5月底前", "9月", "8月份", "10月15日", "10月15日前", "三季度", "第二季度"),
    *("前三季度", "上半年", "年中", "年底", "年底前", "全年", "当年内", "力争10月底前"),
    *("今年8月", "4月至5月", "7、8月份", "2024年", "2024年度", "2025年6月底", "常态化"),
    *("长期坚持", "逐月", "2024-06-30", "十二月底", "8月9號"),
)
VERBS = ("完成", "动工", "投入使用", "开工建设", "全部完成", "竣工验收", "启动", "建成", "实现")
NOUNS = st.text(alphabet="主体工程道路管网供水设施改造验收安装村户厕所学校", max_size=8)


@given(
    time=st.sampled_from(TIMES),
    verb=st.sampled_from(VERBS),
    noun=NOUNS,
    share=st.none() | st.integers(min_value=0, max_value=100),
    separator=st.sampled_from(["", "：", " ", "，"]),
)
def test_any_time_and_any_action_split_back_into_the_same_parts(
    time: str, verb: str, noun: str, share: int | None, separator: str
) -> None:
    rest = verb + noun + ("" if share is None else f"的{share}%")
    # "动工" + "程的0%" spells 工程的0%, a share of the work after all: not this property's case
    assume(verb.endswith("完成") or "工程" not in verb + noun)
    percent = None if share is None or not verb.endswith("完成") else float(share)
    assert split_deadline_cell(time + separator + rest, YEAR) == DeadlineCell(time, rest, percent)


@given(time=st.sampled_from(TIMES), verb=st.sampled_from(VERBS), noun=NOUNS)
def test_the_time_of_a_cell_means_what_it_means_alone(time: str, verb: str, noun: str) -> None:
    cell = split_deadline_cell(time + verb + noun, YEAR)
    assert parse_deadline(cell.deadline, YEAR) == parse_deadline(time, YEAR)


@given(cell=st.text(max_size=20) | st.sampled_from(TIMES).map(lambda t: t + "完成x"))
def test_any_text_splits_into_a_readable_time_and_its_rest_or_is_a_deadline_error(
    cell: str,
) -> None:
    try:
        split = split_deadline_cell(cell, YEAR)
    except DeadlineError:
        return
    parse_deadline(split.deadline, YEAR)
    assert cell.strip().startswith(split.deadline)
    assert cell.strip().endswith(split.rest)
    assert split.percent is None or 0 <= split.percent <= 100


# --- in a ledger ----------------------------------------------------------------------------------


def workspace(root: Path, milestones: str, year: int = YEAR, indicators: str = "") -> Path:
    """A one-item ledger of ``year`` whose milestones are the YAML lines given (line 7 is the
    first milestone when the item has no indicators)."""
    (root / "tasks").mkdir(parents=True)
    (root / "minsheng.yaml").write_text(
        f"year: {year}\ntitle: 某县{year}年民生实事\n", encoding="utf-8"
    )
    (root / "tasks" / "01-测试工程.yaml").write_text(
        "id: 1\nname: 测试工程\nitems:\n  - content: 建设县城污水处理厂。\n    unit: 住建局\n"
        + indicators
        + "    milestones:\n"
        + milestones,
        encoding="utf-8",
    )
    return root


def listed(root: Path) -> list[tuple[str, str | None, str, dict[str, float]]]:
    result = run_cli(root, ["list", "--as-of", f"{YEAR}-06-30", "--json"])
    assert result.exit_code == 0, result.stderr
    return [(m["deadline"], m["due"], m["text"], m["targets"]) for m in json.loads(result.stdout)]


def test_a_deadline_that_carries_the_action_gives_the_text_and_the_percentage(
    tmp_path: Path,
) -> None:
    root = workspace(
        tmp_path,
        "      - deadline: 5月底前动工\n"
        "      - deadline: 8月份完成主体工程的70%\n"
        "      - deadline: 三季度完成80%任务\n"
        "        text: 主体工程过半\n"
        "      - deadline: 10月底前全部完成\n"
        "        percent: 100\n"
        "        targets: {管网: 12}\n",
        indicators=PIPES,
    )
    assert run_cli(root, ["check"]).exit_code == 0
    assert listed(root) == [
        ("5月底前", "2024-05-31", "动工", {}),
        ("8月份", "2024-08-31", "完成主体工程的70%", {"percent": 70}),
        ("三季度", "2024-09-30", "主体工程过半", {"percent": 80}),
        ("10月底前", "2024-10-31", "全部完成", {"管网": 12, "percent": 100}),
    ]


def test_a_bare_year_and_a_later_year_are_due_at_their_dates(tmp_path: Path) -> None:
    root = workspace(
        tmp_path,
        "      - {deadline: 2024, text: 完成管网, targets: {管网: 6}}\n"
        "      - {deadline: 2025年6月底, text: 竣工验收, targets: {管网: 12}}\n",
        indicators=PIPES,
    )
    assert run_cli(root, ["check"]).exit_code == 0
    assert [row[:2] for row in listed(root)] == [
        ("2024", "2024-12-31"),
        ("2025年6月底", "2025-06-30"),
    ]


def test_a_milestone_with_neither_text_nor_action_says_text_is_missing(tmp_path: Path) -> None:
    root = workspace(tmp_path, "      - deadline: 5月底前\n")
    result = run_cli(root, ["--lang", "en", "check"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "tasks/01-测试工程.yaml:7: “text” is missing; add it"


@pytest.mark.parametrize(
    ("milestone", "message"),
    [
        (
            "      - {deadline: 3月前后, text: 开工}\n",
            "unknown deadline word “3月前后”; write it as the notice does"
            " (3月中旬, 5月底前, 年底) or as 2024-05-31",
        ),
        (
            "      - {deadline: 2024年前, text: 开工}\n",
            "“2024年前” could mean before 2024 starts or by its end; write 2023年底 or 2024年底",
        ),
        (
            "      - {deadline: 下月中旬, text: 开工}\n",
            "“下月中旬” counts from a day the ledger does not know (when the notice was issued or"
            " the work began), so it has no single date; write the month it means, e.g. 7月中旬,"
            " or the date, e.g. 2024-07-20",
        ),
        (
            "      - deadline:\n          4月: 完成招标\n",
            "“deadline”: “4月: 完成招标” reads as a key and a value because of the “:” after"
            ' “4月”; put it in quotes (deadline: "4月: 完成招标") or write the full-width “：”',
        ),
        (
            "      - deadline: 4月: 完成招标\n",
            "YAML syntax error: a “: ” where a value was expected: a value holding “: ” must be"
            ' in quotes, as in "4月: 完成招标", or written with the full-width “：”',
        ),
    ],
)
def test_a_refused_deadline_is_named_whole_with_what_to_write(
    tmp_path: Path, milestone: str, message: str
) -> None:
    root = workspace(tmp_path, milestone)
    result = run_cli(root, ["--lang", "en", "check"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"tasks/01-测试工程.yaml:7: {message}"
    chinese = run_cli(root, ["check"])
    assert chinese.exit_code == 1
    assert chinese.stderr.startswith("tasks/01-测试工程.yaml:7: ")
    assert "Traceback" not in result.output + chinese.output


def test_a_quoted_half_width_colon_is_read_as_time_and_action(tmp_path: Path) -> None:
    root = workspace(tmp_path, '      - deadline: "4月: 完成招标"\n      - deadline: 5月：开工\n')
    assert run_cli(root, ["check"]).exit_code == 0
    assert [row[:3] for row in listed(root)] == [
        ("4月", "2024-04-30", "完成招标"),
        ("5月", "2024-05-31", "开工"),
    ]


COMMANDS = (
    ["status", "--month", "12"],
    ["overdue", "--month", "12"],
    ["list", "--as-of", "2024-12-31"],
    ["list", "--month", "12", "--json"],
    ["show", "1.1", "--month", "12"],
    ["show", "1.1", "--month", "12", "--json"],
    ["report", "--month", "12"],
    ["agenda", "--month", "12"],
    ["export", "--format", "json", "--month", "12"],
    ["export", "--format", "csv", "--month", "12"],
)


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_due_date_past_31_december_breaks_no_command(tmp_path: Path, command: list[str]) -> None:
    root = workspace(
        tmp_path,
        "      - {deadline: 5月底前动工}\n"
        "      - {deadline: 2025年3月底, text: 竣工验收, targets: {管网: 12}}\n",
        indicators=PIPES,
    )
    result = run_cli(root, ["--lang", "en", *command])
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output and "bug" not in result.output


def test_xlsx_export_holds_a_due_date_past_31_december(tmp_path: Path) -> None:
    root = workspace(tmp_path / "ledger", "      - {deadline: 2025年3月底, text: 竣工验收}\n")
    result = run_cli(root, ["export", "-o", str(tmp_path / "台账.xlsx"), "--month", "12"])
    assert result.exit_code == 0, result.output
    rows = json.loads(run_cli(root, ["export", "--format", "json", "--month", "12"]).stdout)["rows"]
    assert [(r["deadline"], r["due"], r["state"]) for r in rows] == [
        ("2025年3月底", "2025-03-31", "pending")
    ]


def test_the_year_of_a_written_date_is_never_the_fixed_example(tmp_path: Path) -> None:
    root = workspace(tmp_path, "      - {deadline: 3月前后, text: 开工}\n", year=2031)
    result = run_cli(root, ["--lang", "en", "check"])
    assert "or as 2031-05-31" in result.stderr
    assert "2023" not in result.stderr
    assert date(2031, 5, 31).isoformat() in run_cli(root, ["check"]).stderr
