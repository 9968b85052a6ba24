"""Lists shaped unlike Jingyuan's (issue 10): a lead unit with partners (配合单位), no 责任领导,
rates, … — the fixture ledger in tests/fixtures/shapes/ checked, shown, reported and exported."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import GIT_IDENTITY, git, run_cli

SHAPES = Path(__file__).parent / "fixtures" / "shapes"
TODAY = "2024-07-15"


@pytest.fixture
def shapes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MINSHENG_TODAY", TODAY)
    return Path(shutil.copytree(SHAPES, tmp_path / "shapes"))


def output(root: Path, *args: str, code: int = 0) -> str:
    result = run_cli(root, args)
    assert result.exit_code == code, result.output
    return result.stdout


def as_json(root: Path, *args: str) -> Any:
    result = run_cli(root, [*args, "--json"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def add_item(root: Path, text: str) -> None:
    """Append an item (YAML lines at the items' indentation) to the first task file."""
    file = root / "tasks" / "01-城乡供水.yaml"
    body = file.read_text(encoding="utf-8")
    body = body.replace("records:\n", text + "records:\n", 1)
    file.write_text(body, encoding="utf-8")


def test_the_shapes_ledger_checks_clean(shapes: Path) -> None:
    assert "未发现问题" in output(shapes, "check")


# --- several units ------------------------------------------------------------------------------


def test_status_names_the_lead_unit_and_its_partners(shapes: Path) -> None:
    rows = output(shapes, "status").splitlines()
    row = next(line for line in rows if line.startswith("1.1 "))
    assert "县水务局（配合：县住建局、县财政局）" in row


def test_unit_matches_a_partner_and_the_row_says_it_is_one(shapes: Path) -> None:
    milestones = as_json(shapes, "list", "--unit", "财政")
    assert {m["item"] for m in milestones} == {"1.1"}
    assert {(m["unit"], tuple(m["partners"])) for m in milestones} == {
        ("县水务局", ("县住建局", "县财政局"))
    }
    table = output(shapes, "list", "--unit", "住建")
    assert "1.1#1" in table and "1.2#1" in table  # a partner in 1.1, the lead in 1.2
    assert "县水务局（配合：县住建局、县财政局）" in table


def test_a_partner_alone_is_a_known_unit(shapes: Path) -> None:
    assert "1.1" in output(shapes, "status", "--unit", "县财政局")


def test_overdue_groups_under_the_lead_and_names_the_partners(shapes: Path) -> None:
    table = output(shapes, "overdue", code=1)
    row = next(line for line in table.splitlines() if "1.1#2" in line)
    assert "县水务局" in row and "配合：县住建局、县财政局" in row
    assert "县水务局、" not in table


def test_export_counts_lead_and_partner_items_apart(shapes: Path, tmp_path: Path) -> None:
    import openpyxl

    path = tmp_path / "台账.xlsx"
    output(shapes, "export", "-o", str(path))
    sheet = openpyxl.load_workbook(path).worksheets[1]
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][:3] == ["责任单位", "牵头子项数", "配合子项数"]
    assert [row[:3] for row in values[1:]] == [
        ["县水务局", 1, 0],
        ["县住建局", 1, 1],
        ["县财政局", 0, 1],
        ["县卫生健康局", 2, 0],
        ["县教育局", 0, 1],
    ]


def test_a_partner_that_is_the_lead_is_refused(shapes: Path) -> None:
    add_item(shapes, "  - {content: 重复, unit: 县水务局, partners: [县水务局]}\n")
    result = run_cli(shapes, ["check"])
    assert result.exit_code == 1
    assert "单位“县水务局”在 unit: 和 partners: 中重复出现" in result.output


def test_partners_survive_the_cache(shapes: Path) -> None:
    first = output(shapes, "status")
    assert (shapes / ".minsheng-cache").exists()
    assert output(shapes, "status") == first


# --- no 责任领导 ----------------------------------------------------------------------------------


def test_overdue_without_leaders_is_grouped_by_unit_with_no_leader_column(shapes: Path) -> None:
    table = output(shapes, "overdue", code=1)
    header = next(line for line in table.splitlines() if "序号" in line)
    assert header.split()[:2] == ["责任单位", "序号"]
    assert "责任领导" not in table


def test_the_report_without_leaders_says_no_empty_leader(shapes: Path, tmp_path: Path) -> None:
    path = tmp_path / "通报.md"
    output(shapes, "report", "--month", "6", "-o", str(path))
    text = path.read_text(encoding="utf-8")
    assert "责任领导：" not in text and "（）" not in text
    assert "#### 1.2 县住建局\n" in text
    assert "## 三、逾期事项（按责任单位）" in text
    assert "### 县水务局（逾期1项）" in text
    assert "完成管网60公里；配合：县住建局、县财政局" in text


@pytest.mark.parametrize("fmt", ["html", "docx"])
def test_html_and_word_reports_without_leaders(shapes: Path, tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"通报.{fmt}"
    output(shapes, "report", "--month", "6", "--format", fmt, "-o", str(path))
    if fmt == "html":
        text = path.read_text(encoding="utf-8")
    else:
        import docx

        text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert "责任领导：" not in text
    assert "逾期事项（按责任单位）" in text


# --- rates --------------------------------------------------------------------------------------


@pytest.fixture
def shapes_git(shapes: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for key, value in GIT_IDENTITY.items():
        monkeypatch.setenv(key, value)
    git(shapes, "init", "--quiet")
    git(shapes, "add", "-A")
    git(shapes, "commit", "--quiet", "-m", "台账初始版本")
    return shapes


def test_a_rate_has_no_straight_line_from_zero_and_its_gap_is_in_points(shapes: Path) -> None:
    rows = output(shapes, "show", "2.1").splitlines()
    rate = next(line for line in rows if line.startswith("产前筛查率 "))
    assert rate.split() == ["产前筛查率", "95%", "78%", "-", "差17个百分点"]
    count = next(line for line in rows if line.startswith("产前筛查 "))
    assert "滞后9人次" in count  # a count keeps its 序时
    shown = as_json(shapes, "show", "2.1")[0]
    assert [m["name"] for m in shown["measures"]] == ["产前筛查"]
    assert shown["indicators"][0]["kind"] == "rate"


def test_a_lower_rate_is_news_not_a_correction(shapes_git: Path) -> None:
    result = run_cli(shapes_git, ["update", "2.2", "--set", "千人口托位数=3.1", "--date", TODAY])
    assert result.exit_code == 0, result.output
    assert "千人口托位数: 3.1" in (shapes_git / "tasks" / "02-妇幼健康.yaml").read_text("utf-8")
    lowered = run_cli(shapes_git, ["update", "2.1", "--set", "产前筛查=500", "--date", TODAY])
    assert lowered.exit_code == 2  # a count still refuses a lower number
    assert "累计" in lowered.output


def test_a_rate_is_met_by_its_latest_value_by_the_due_date(shapes: Path) -> None:
    file = shapes / "tasks" / "02-妇幼健康.yaml"
    file.write_text(
        file.read_text(encoding="utf-8")
        + "  - {date: 2024-07-01, item: 2, set: {千人口托位数: 3.9}}\n"
        + "  - {date: 2024-07-10, item: 2, set: {千人口托位数: 3.5}}\n",
        encoding="utf-8",
    )
    listed = {m["item"]: m for m in as_json(shapes, "list", "--unit", "卫生")}
    assert listed["2.2"]["state"] == "pending"  # reached 3.88 on 1 July, fell below it since
    assert listed["2.2"]["recorded"] == {"千人口托位数": 3.5}
    later = {m["item"]: m for m in as_json(shapes, "list", "--as-of", "2024-07-05")}
    assert (later["2.2"]["state"], later["2.2"]["met_on"]) == ("met", "2024-07-01")


# --- partly targeted indicators -----------------------------------------------------------------

PARTLY_TARGETED = """\
  - content: 完成农村户用卫生厕所改造7400座。
    unit: 县农业农村局
    indicators:
      - {name: 户厕改造, target: 7400, unit: 座}
    milestones:
      - {deadline: 6月底, text: 完成改造1480座, targets: {户厕改造: 1480}}
"""


def test_an_indicator_whose_milestones_stop_short_falls_due_in_full_at_year_end(
    shapes: Path,
) -> None:
    add_item(shapes, PARTLY_TARGETED)
    file = shapes / "tasks" / "01-城乡供水.yaml"
    file.write_text(
        file.read_text(encoding="utf-8")
        + "  - {date: 2024-06-30, item: 3, set: {户厕改造: 1480}}\n",
        encoding="utf-8",
    )
    milestones = [m for m in as_json(shapes, "list", "--as-of", "2024-12-31") if m["item"] == "1.3"]
    assert [(m["deadline"], m["targets"], m["implied"], m["state"]) for m in milestones] == [
        ("6月底", {"户厕改造": 1480}, False, "met"),
        ("年底", {"户厕改造": 7400}, True, "overdue"),
    ]
    assert milestones[1]["text"] == "完成户厕改造7400座"
    (item,) = [i for i in as_json(shapes, "status", "--as-of", "2024-12-31") if i["item"] == "1.3"]
    assert item["light"] == "red"  # not ✓ at 20%


# --- work percentage beside the quantities ------------------------------------------------------


def test_a_work_percentage_is_recorded_for_an_item_measured_in_quantities(
    shapes_git: Path,
) -> None:
    args = ["update", "1.1", "--percent", "85", "--set", "供水管网=90", "--date", TODAY]
    result = run_cli(shapes_git, args)
    assert result.exit_code == 0, result.output
    task = (shapes_git / "tasks" / "01-城乡供水.yaml").read_text(encoding="utf-8")
    assert task.endswith("set: {供水管网: 90}, percent: 85}\n")
    rows = output(shapes_git, "show", "1.1").splitlines()
    assert next(line for line in rows if line.startswith("工程进度")).split() == [
        "工程进度",
        "100%",
        "85%",
        "-",
    ]
    assert any(line.startswith("供水管网") and "90公里" in line for line in rows)


# --- increments ---------------------------------------------------------------------------------

INCREMENTS = """\
  - content: 新增城区公共停车泊位500个。
    unit: 县住建局
    indicators:
      - {name: 停车泊位, target: 500, unit: 个}
    milestones:
      - {deadline: 3月底, text: 新增100个, add: {停车泊位: 100}}
      - {deadline: 6月底, text: 新增200个, add: {停车泊位: 200}}
      - {deadline: 9月底, text: 完成500个, targets: {停车泊位: 500}}
"""


def test_increments_become_cumulative_targets_and_are_shown_as_written(shapes: Path) -> None:
    add_item(shapes, INCREMENTS)
    assert "未发现问题" in output(shapes, "check")
    milestones = [m for m in as_json(shapes, "list") if m["item"] == "1.3"]
    assert [(m["text"], m["targets"]) for m in milestones] == [
        ("新增100个", {"停车泊位": 100}),
        ("新增200个", {"停车泊位": 300}),
        ("完成500个", {"停车泊位": 500}),
    ]


def test_a_target_and_an_increment_of_one_indicator_are_refused(shapes: Path) -> None:
    add_item(
        shapes,
        INCREMENTS.replace(
            "add: {停车泊位: 200}", "add: {停车泊位: 200}, targets: {停车泊位: 300}"
        ),
    )
    result = run_cli(shapes, ["check"])
    assert result.exit_code == 1
    assert "“停车泊位”同时写成目标（targets:）和增量（add:）；只保留一种" in result.output


# --- work past 31 December ----------------------------------------------------------------------

FINISHED = """\
  - content: 完成水源地保护标识设置。
    unit: 县水务局
    milestones:
      - {deadline: 3月底, text: 设置完成}
"""


def finished_item(root: Path) -> None:
    """1.3, complete by March; committed, so that `done` may write beside it."""
    add_item(root, FINISHED)
    file = root / "tasks" / "01-城乡供水.yaml"
    file.write_text(
        file.read_text(encoding="utf-8") + "  - {date: 2024-03-20, item: 3, done: 设置完成}\n",
        encoding="utf-8",
    )
    git(root, "commit", "--quiet", "-am", "1.3")


def test_a_late_finish_is_recorded_after_31_december(
    shapes_git: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MINSHENG_TODAY", "2025-02-10")
    result = run_cli(shapes_git, ["done", "1.2", "完成设计"])
    assert result.exit_code == 0, result.output
    updated = run_cli(shapes_git, ["update", "1.1", "--set", "供水管网=120"])
    assert updated.exit_code == 0, updated.output
    assert "未发现问题" in output(shapes_git, "check")
    states = {
        (m["item"], m["milestone"]): (m["state"], m["met_on"])
        for m in as_json(shapes_git, "list", "--as-of", "2025-02-10")
    }
    assert states[("1.2", 1)] == ("met_late", "2025-02-10")
    assert states[("1.1", 3)] == ("met_late", "2025-02-10")


def test_after_31_december_a_complete_item_and_a_day_past_the_limit_are_refused(
    shapes_git: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    finished_item(shapes_git)
    monkeypatch.setenv("MINSHENG_TODAY", "2025-05-10")
    done = run_cli(shapes_git, ["update", "1.3", "--percent", "100", "--date", "2025-01-10"])
    assert done.exit_code == 2
    assert "1.3已于12月31日前全部完成；2025-01-10的记录不属于2024年任何未完成的工作" in done.output
    late = run_cli(shapes_git, ["done", "1.2", "完成设计"])
    assert late.exit_code == 2
    assert "日期2025-05-10晚于可登记跨年工作的最后一天2025-03-31" in late.output


def test_late_until_moves_the_limit(shapes_git: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = shapes_git / "minsheng.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "late_until: 2025-06-30\n", "utf-8")
    git(shapes_git, "commit", "--quiet", "-am", "late_until")
    monkeypatch.setenv("MINSHENG_TODAY", "2025-05-10")
    result = run_cli(shapes_git, ["done", "1.2", "完成设计"])
    assert result.exit_code == 0, result.output
    config.write_text(
        config.read_text(encoding="utf-8").replace("2025-06-30", "2024-12-01"), encoding="utf-8"
    )
    refused = run_cli(shapes_git, ["check"])
    assert refused.exit_code == 1
    assert "late_until: 须在台账年度2024之后，例如 2025-03-31" in refused.output


# --- investment and sites -----------------------------------------------------------------------


def test_show_gives_the_sites_and_the_investment_planned_and_spent(shapes: Path) -> None:
    shown = output(shapes, "show", "1.1")
    assert "实施点位：泾河源镇、六盘山镇、黄花乡\n" in shown
    assert "投资：计划1200万元，已完成420万元\n" in shown


def test_site_finds_the_items_carried_out_there(shapes: Path) -> None:
    assert [i["item"] for i in as_json(shapes, "status", "--site", "六盘山")] == ["1.1"]
    assert {m["item"] for m in as_json(shapes, "list", "--site", "黄花")} == {"1.1"}
    slip = run_cli(shapes, ["list", "--site", "城关"])
    assert slip.exit_code == 2
    assert "--site “城关”没有对应的子项；台账中有：泾河源镇、六盘山镇、黄花乡" in slip.output


def test_investment_spent_is_recorded_like_an_indicator(shapes_git: Path) -> None:
    result = run_cli(shapes_git, ["update", "1.1", "--set", "完成投资=600", "--date", TODAY])
    assert result.exit_code == 0, result.output
    assert "投资：计划1200万元，已完成600万元\n" in output(shapes_git, "show", "1.1")
    refused = run_cli(shapes_git, ["update", "1.2", "--set", "完成投资=10", "--date", TODAY])
    assert refused.exit_code == 2  # 1.2 plans no investment


def test_export_and_report_carry_sites_and_investment(shapes: Path, tmp_path: Path) -> None:
    import openpyxl

    path = tmp_path / "台账.xlsx"
    output(shapes, "export", "-o", str(path))
    rows = [list(r) for r in openpyxl.load_workbook(path).worksheets[0].iter_rows(values_only=True)]
    assert rows[0][-3:] == ["实施点位", "计划投资", "完成投资"]
    assert rows[1][-3:] == ["泾河源镇、六盘山镇、黄花乡", 1200, 420]
    assert rows[-1][-3:] == [None, None, None]  # 2.2 plans no investment and names no site
    data = json.loads(output(shapes, "export", "--format", "json"))
    assert data["rows"][0]["investment"] == {"planned": 1200, "unit": "万元", "spent": 420}
    assert data["rows"][0]["sites"] == ["泾河源镇", "六盘山镇", "黄花乡"]
    report = tmp_path / "通报.md"
    output(shapes, "report", "--month", "6", "-o", str(report))
    text = report.read_text(encoding="utf-8")
    assert "泾河源镇、六盘山镇、黄花乡" in text and "计划1200万元，已完成420万元" in text
