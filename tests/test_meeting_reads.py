"""What the meeting reads (issue 12), below the layouts: cutting and folding text without
breaking a number, the units' 简称 and aliases, log's note, show's records by date with a tick's
track."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from minsheng_cli.core.units import abbreviations, names_unit
from minsheng_cli.render.cut import NUMBER, cut_to, folded
from tests.conftest import run_cli

CHINESE = st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF)
PIECE = st.one_of(
    st.text(CHINESE, min_size=1, max_size=6),
    st.integers(min_value=0, max_value=10**6).map(str),
    st.decimals(min_value=0, max_value=1000, places=1, allow_nan=False).map(str),
    st.integers(min_value=0, max_value=100).map(lambda n: f"{n}%"),
    st.sampled_from(["，", "、", " ", "（", "）", "个", "万人次"]),
)
TEXT = st.lists(PIECE, min_size=1, max_size=12).map("".join)


def numbers(text: str) -> list[str]:
    return NUMBER.findall(text)


# --- cut_to and folded ----------------------------------------------------------------------------


def test_a_cut_falls_before_a_number_never_inside_it() -> None:
    assert cut_to("9月底 完成法律援助180件", 20) == "9月底 完成法律援助…"
    assert cut_to("完成筛查1140人", 12) == "完成筛查…"
    assert cut_to("完成筛查1140人", 40) == "完成筛查1140人"


@given(text=TEXT, cells=st.integers(min_value=2, max_value=40))
def test_cut_to_fits_and_keeps_every_number_it_shows_whole(text: str, cells: int) -> None:
    cut = cut_to(text, cells)
    assert cell_len(cut) <= cells
    if cut == text:
        return
    assert cut.endswith("…")
    kept = cut[:-1]
    assert text.startswith(kept)
    # the number the cut shows last is the whole number the text holds there
    shown = numbers(kept)
    assert shown == numbers(text)[: len(shown)]


@given(text=TEXT, cells=st.integers(min_value=8, max_value=40))
def test_folded_lines_fit_give_the_text_back_and_never_split_a_number(
    text: str, cells: int
) -> None:
    lines = folded(text, cells).split("\n")
    assert all(cell_len(line) <= cells for line in lines)
    # joined, the lines are the text (a fold at a space drops only that space)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    # every number is on one line: the lines' numbers are the text's
    if all(cell_len(n) <= cells for n in numbers(text)):
        assert [n for line in lines for n in numbers(line)] == [
            n for part in text.split(" ") for n in numbers(part)
        ]


def test_folded_breaks_between_chinese_characters_and_keeps_punctuation_with_its_word() -> None:
    text = "完成城乡劳动力职业技能培训200人，发放创业担保贷款500万元"
    assert folded(text, 16).split("\n") == [
        "完成城乡劳动力职",
        "业技能培训200",
        "人，发放创业担保",
        "贷款500万元",
    ]


# --- units: 简称 and aliases ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("unit", "short"),
    [
        ("人力资源和社会保障局", "人社"),
        ("住房和城乡建设局", "住建"),
        ("卫生健康局", "卫健"),
        ("教育体育局", "教体"),
        ("医疗保障局", "医保"),
        ("交通运输局", "交运"),
    ],
)
def test_the_usual_short_name_of_a_unit(unit: str, short: str) -> None:
    assert short in abbreviations(unit)
    assert names_unit(short, unit)
    assert names_unit(short + "局", unit)  # 人社局, 住建局: with the kind of body


def test_a_short_name_names_no_other_unit() -> None:
    assert not names_unit("人社", "住房和城乡建设局")
    assert not names_unit("住建", "人力资源和社会保障局")
    assert not names_unit("交通局", "农业农村局")


def test_an_alias_names_what_the_rule_does_not_give() -> None:
    assert not names_unit("残联", "残疾人联合会")
    assert names_unit("残联", "残疾人联合会", {"残联": "残疾人联合会"})


def test_status_takes_a_short_name_and_an_alias(ledger_dir: Path) -> None:
    def items(*args: str) -> list[str]:
        result = run_cli(ledger_dir, ["status", "--month", "6", "--json", *args])
        assert result.exit_code == 0, result.output
        return [entry["item"] for entry in json.loads(result.stdout)]

    assert items("--unit", "人社") == ["6.1", "7.2"]
    assert items("--unit", "住建局") == ["1.1", "2.1"]
    assert items("--unit", "卫健") == ["5.1"]
    config = ledger_dir / "minsheng.yaml"
    config.write_text(
        config.read_text(encoding="utf-8") + "aliases:\n  残联: 残疾人联合会\n", encoding="utf-8"
    )
    assert items("--unit", "残联") == ["7.1"]


# --- log's note -----------------------------------------------------------------------------------


def test_log_json_carries_the_note_given_to_update(git_ledger: Path) -> None:
    update = ["update", "9.1", "--set", "法律援助案件=60", "--date", "2023-07-31"]
    assert run_cli(git_ledger, [*update, "--by", "司法局", "--note", "7月报"]).exit_code == 0
    entries = json.loads(run_cli(git_ledger, ["log", "--json"]).stdout)
    assert entries[0]["items"] == ["9.1"]
    assert entries[0]["note"] == "7月报"
    assert entries[-1]["note"] == ""  # the initial commit: no note
    table = run_cli(git_ledger, ["log"]).stdout
    assert re.search(r"法律援助案件 60/240 \(2023-07-31\)\s+7月报", table)


# --- show: records by date, a tick's track --------------------------------------------------------


def test_show_lists_records_by_date_and_names_a_ticks_track(ledger_dir: Path) -> None:
    for step in (
        ["update", "3.1", "--set", "户厕改造=900", "--date", "2023-07-28", "--by", "农业农村局"],
        ["done", "3.1", "3", "--date", "2023-07-03", "--by", "农业农村局"],
        ["done", "3.1", "8", "--date", "2023-07-03", "--by", "农业农村局"],
    ):
        assert run_cli(ledger_dir, [*step, "--no-commit"]).exit_code == 0, step
    out = run_cli(ledger_dir, ["show", "3.1", "--month", "7"]).stdout
    records = out[out.index("登记记录") :].splitlines()
    dated = [line.split()[0] for line in records if re.match(r"\s*2023-", line)]
    assert dated == ["2023-07-03", "2023-07-03", "2023-07-28"]
    assert "已销号：开工建设（打造人居环境示范村）" in out
    assert "已销号：开工建设（农村户厕改造）" in out
