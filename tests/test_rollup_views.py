"""`minsheng rollup status|overdue|report|export`: every member county in one view.

The rollup is built here by hand (members as real git repositories, bare mirrors, rollup.yaml and
rollup-state.json), so these tests do not depend on `rollup sync`.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from minsheng_cli.rollup.config import mirror_dir
from minsheng_cli.rollup.state import MemberState, write_state
from tests.conftest import GIT_IDENTITY, copy_ledger, git, run_cli

FRESH = "泾源县"
OTHER_YEAR = "隆德县"
STALE = "西吉县"
NEVER = "彭阳县"
BROKEN = "原州区"


def commit_member(folder: Path) -> str:
    git(folder, "init", "--quiet", "-b", "main")
    git(folder, "add", "-A")
    git(folder, "commit", "--quiet", "-m", "台账")
    return git(folder, "rev-parse", "HEAD").strip()


def mirror(root: Path, name: str, folder: Path) -> None:
    target = mirror_dir(root, name)
    target.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["git", "clone", "--quiet", "--bare", str(folder), str(target)],
        check=True,
        capture_output=True,
    )


def build_rollup(base: Path) -> Path:
    """泾源县 (2023, one milestone met), 隆德县 (the same list for 2024, 月初 read as the 5th),
    西吉县 (stale since a fetch failed), 彭阳县 (never read) and 原州区 (its commit is gone)."""
    root = base / "rollup"
    root.mkdir()
    states: dict[str, MemberState] = {}
    fresh = copy_ledger(base / FRESH)
    done = run_cli(
        fresh, ["done", "3.1#1", "--date", "2023-03-20", "--evidence", "开工报告", "--no-commit"]
    )
    assert done.exit_code == 0, done.stderr
    states[FRESH] = MemberState(commit_member(fresh), "2026-12-01T08:00:00+00:00")
    other = copy_ledger(base / OTHER_YEAR)
    text = (other / "minsheng.yaml").read_text(encoding="utf-8")
    text = text.replace("year: 2023", "year: 2024").replace("2023年", "2024年")
    text = text.replace("# deadline_rules:", "deadline_rules:").replace("#   月初: 10", "  月初: 5")
    text = text.replace("#   月中: 15", "  月中: 15")
    (other / "minsheng.yaml").write_text(text, encoding="utf-8")
    states[OTHER_YEAR] = MemberState(commit_member(other), "2026-12-01T08:00:00+00:00")
    stale = copy_ledger(base / STALE)
    states[STALE] = MemberState(
        commit_member(stale),
        "2026-11-01T08:00:00+00:00",
        "git fetch failed: could not resolve host",
        "2026-11-20T06:30:00+00:00",
    )
    for name, folder in ((FRESH, fresh), (OTHER_YEAR, other), (STALE, stale)):
        mirror(root, name, folder)
    mirror(root, BROKEN, fresh)
    states[BROKEN] = MemberState("0" * 40, "2026-12-01T08:00:00+00:00")
    members = "".join(
        f"  - name: {name}\n    url: /nowhere/{index}\n"
        for index, name in enumerate((FRESH, OTHER_YEAR, STALE, NEVER, BROKEN))
    )
    (root / "rollup.yaml").write_text(f"title: 固原市民生实事\nmembers:\n{members}", "utf-8")
    write_state(root, states)
    return root


@pytest.fixture(scope="module")
def rollup(tmp_path_factory: pytest.TempPathFactory) -> Path:
    with pytest.MonkeyPatch.context() as patch:
        for key, value in GIT_IDENTITY.items():
            patch.setenv(key, value)
        return build_rollup(tmp_path_factory.mktemp("rollup"))


@pytest.fixture
def beijing_time() -> Iterator[None]:
    """The machine's clock in Beijing time, as on the offices' machines."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TZ", "Asia/Shanghai")
        time.tzset()
        yield
    time.tzset()


def status_json(rollup: Path, *args: str) -> dict[str, dict[str, object]]:
    result = run_cli(rollup, ["rollup", "status", "--json", *args])
    assert result.exit_code == 1, result.stderr  # a member is stale
    return {row["member"]: row for row in json.loads(result.stdout)}


def test_status_reads_each_member_in_its_own_year(rollup: Path) -> None:
    rows = status_json(rollup, "--month", "6")
    assert rows[FRESH]["as_of"] == "2023-06-30"
    assert rows[OTHER_YEAR]["as_of"] == "2024-06-30"
    assert rows[FRESH]["year"] == 2023 and rows[OTHER_YEAR]["year"] == 2024
    assert rows[FRESH]["last_report"] == "2023-03-20"
    assert rows[OTHER_YEAR]["last_report"] is None
    # one milestone more met in 泾源县 than in the same list unreported
    met = {
        name: rows[name]["states"]["met"] + rows[name]["states"]["met_late"]  # type: ignore[index]
        for name in (FRESH, OTHER_YEAR)
    }
    assert met[FRESH] == met[OTHER_YEAR] + 1
    assert rows[FRESH]["milestones"] == 97  # as `list` counts them: a monthly duty per month
    # what the county's own status says on that day
    own = run_cli(rollup.parent / FRESH, ["status", "--month", "6", "--json"])
    lights: dict[str, int] = {}
    for item in json.loads(own.stdout):
        lights[item["light"]] = lights.get(item["light"], 0) + 1
    counted = rows[FRESH]["lights"]
    assert isinstance(counted, dict)
    assert {k: v for k, v in counted.items() if v} == lights


def test_as_of_is_one_day_for_every_member(rollup: Path) -> None:
    rows = status_json(rollup, "--as-of", "2023-12-31")
    assert rows[FRESH]["as_of"] == rows[OTHER_YEAR]["as_of"] == "2023-12-31"
    assert rows[OTHER_YEAR]["overdue"] == 0  # nothing of 2024 is due yet
    assert rows[FRESH]["overdue"] > 0  # type: ignore[operator]


def test_deadline_rules_of_each_member(rollup: Path) -> None:
    """隆德县 reads 月初 as the 5th: a milestone due 4月初 is due on 5 April, not the 10th."""
    for name, day in ((FRESH, "2023-04-10"), (OTHER_YEAR, "2024-04-05")):
        result = run_cli(rollup, ["rollup", "overdue", "--member", name, "--month", "4", "--json"])
        dues = {row["due"] for row in json.loads(result.stdout)}
        assert day in dues, (name, dues)


def test_stale_never_read_and_broken_members(rollup: Path) -> None:
    rows = status_json(rollup, "--month", "6")
    assert rows[STALE]["stale"] is True
    assert rows[STALE]["stale_since"] == "2026-11-20T06:30:00+00:00"
    assert rows[STALE]["milestones"] == 97  # shown as of its last good commit
    assert rows[NEVER]["commit"] is None and rows[NEVER]["milestones"] is None
    assert rows[BROKEN]["problem"]
    result = run_cli(rollup, ["rollup", "status", "--month", "6"])
    assert result.exit_code == 1
    out = result.stdout
    assert re.search(r"西吉县：2026-11-2\d \d\d:\d\d起未能更新：git fetch failed: could not", out)
    assert re.search(r"彭阳县\s.*从未读取", out)
    assert "Traceback" not in out + result.stderr


def test_status_table_counts(rollup: Path) -> None:
    result = run_cli(rollup, ["rollup", "status", "--month", "6"])
    rows = status_json(rollup, "--month", "6")
    line = next(line for line in result.stdout.splitlines() if line.startswith(FRESH))
    lights = rows[FRESH]["lights"]
    assert isinstance(lights, dict)
    numbers = [lights[k] for k in ("green", "yellow", "red", "done")]
    assert " ".join(map(str, numbers)) in re.sub(r"\s+", " ", line)
    assert "2023-06-30" in line and "2024-06-30" in result.stdout  # days differ: a column


def test_overdue_by_county_then_leader(rollup: Path) -> None:
    result = run_cli(rollup, ["rollup", "overdue", "--month", "6"])
    assert result.exit_code == 1
    rows = json.loads(run_cli(rollup, ["rollup", "overdue", "--month", "6", "--json"]).stdout)
    own = json.loads(run_cli(rollup.parent / FRESH, ["overdue", "--month", "6", "--json"]).stdout)
    fresh = [r for r in rows if r["member"] == FRESH]
    assert len(fresh) == len(own) > 0
    assert sum(r["days_late"] for r in fresh) == sum(o["days_late"] for o in own)
    assert "【泾源县】" in result.stdout and "【隆德县】" in result.stdout
    assert "【彭阳县】" not in result.stdout
    title = result.stdout.splitlines()[0]  # no 截至 column here: each county's heading has it
    assert "截至" not in re.sub(r"截至日期", "", title) and "见各县区标题" in title


def test_warm_views_run_no_git(rollup: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def read() -> list[dict[str, object]]:
        result = run_cli(rollup, ["rollup", "status", "--month", "7", "--json"])
        return [row for row in json.loads(result.stdout) if row["member"] != BROKEN]

    first = read()
    monkeypatch.setenv("PATH", "/nonexistent")  # git cannot be found: a warm read needs none
    assert read() == first
    # a new day asked is computed again from each member's cached snapshot, still without git
    other = run_cli(rollup, ["rollup", "overdue", "--month", "8", "--json"])
    assert other.exit_code == 1 and "泾源县" in other.stdout


def test_member_drills_into_one_county(rollup: Path) -> None:
    mine = run_cli(rollup, ["rollup", "status", "--member", FRESH, "--month", "6"])
    own = run_cli(rollup.parent / FRESH, ["status", "--month", "6"])
    assert mine.exit_code == 0
    assert mine.stdout.splitlines()[2:] == own.stdout.splitlines()[2:]
    stale = run_cli(rollup, ["rollup", "status", "--member", STALE, "--month", "6"])
    assert stale.exit_code == 1 and "未能更新" in stale.stderr
    unknown = run_cli(rollup, ["rollup", "status", "--member", "无此县"])
    assert unknown.exit_code == 2 and "无此县" in unknown.stderr
    for command in ("status", "overdue"):  # no data, not a usage error: exit 1, one line
        never = run_cli(rollup, ["rollup", command, "--member", NEVER])
        assert never.exit_code == 1, never.stderr
        assert never.stderr.strip() == "错误：彭阳县从未读取：请先运行 `minsheng rollup sync`"


def test_report_across_counties(rollup: Path) -> None:
    result = run_cli(rollup, ["rollup", "report", "--month", "6"])
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert text.startswith("# 固原市民生实事") and "月通报" in text.splitlines()[0]
    assert "（2023年6月、2024年6月）" in text
    assert "## 泾源县：泾源县2023年民生实事任务清单" in text
    assert "## 隆德县：泾源县2024年民生实事任务清单" in text
    assert "彭阳县：尚未取得该县台账" in text
    html = run_cli(rollup, ["rollup", "report", "--month", "6", "--format", "html"]).stdout
    assert html.count("<svg") >= 2  # each county's timeline


def test_export_workbook(rollup: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    target = tmp_path / "全市.xlsx"
    result = run_cli(rollup, ["rollup", "export", "--month", "6", "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    book = load_workbook(io.BytesIO(target.read_bytes()))
    assert book.sheetnames == ["汇总", FRESH, OTHER_YEAR, STALE, NEVER, BROKEN]
    summary = [[c.value for c in row] for row in book["汇总"].iter_rows()]
    assert summary[1][0] == FRESH and str(summary[1][1])[:10] == "2023-06-30"
    assert book[FRESH].max_row == 98  # the header and the 97 rows of `list`
    data = json.loads(run_cli(rollup, ["rollup", "export", "--format", "json"]).stdout)
    assert [m["member"] for m in data["members"]] == [FRESH, OTHER_YEAR, STALE, NEVER, BROKEN]


def test_export_summary_keeps_numbers_and_dates(rollup: Path, tmp_path: Path) -> None:
    """Every count was a text cell ('0', '1.4%', '2023-06-30'): Excel summed the column to 0."""
    from datetime import datetime

    from openpyxl import load_workbook

    target = tmp_path / "e.xlsx"
    assert run_cli(rollup, ["rollup", "export", "--month", "6", "-o", str(target)]).exit_code == 0
    summary = load_workbook(io.BytesIO(target.read_bytes()))["汇总"]
    headers = [c.value for c in summary[1]]
    fresh = dict(zip(headers, summary[2], strict=True))
    rows = json.loads(run_cli(rollup, ["rollup", "status", "--month", "6", "--json"]).stdout)
    own = next(row for row in rows if row["member"] == FRESH)
    assert fresh["红"].value == own["lights"]["red"] and fresh["红"].data_type == "n"
    assert fresh["时间节点"].value == 97 and fresh["逾期"].value == own["overdue"]
    assert fresh["完成率"].data_type == "n" and fresh["完成率"].number_format.endswith("%")
    assert fresh["完成率"].value == pytest.approx(own["completion"])
    assert fresh["截至"].value == datetime(2023, 6, 30) and fresh["截至"].is_date
    assert fresh["最近报送"].value == datetime(2023, 3, 20)
    never = {h: c.value for h, c in zip(headers, summary[5], strict=True)}
    assert never["县区"] == NEVER and never["红"] is None


def test_a_member_never_read_is_told_why_and_papers_name_no_command(
    rollup: Path, tmp_path: Path
) -> None:
    """The terminal says what to run; a bulletin (read by leaders) says only that the ledger is
    missing; after a first sync that failed, both give its reason, once, and no advice to run
    the sync that just failed."""
    from openpyxl import load_workbook

    from minsheng_cli.rollup.state import read_state

    shown = run_cli(rollup, ["rollup", "status", "--month", "6"]).stdout
    assert "彭阳县：从未读取（请运行 minsheng rollup sync）" in shown
    for fmt in ("md", "html"):
        paper = run_cli(rollup, ["rollup", "report", "--month", "6", "--format", fmt]).stdout
        assert "彭阳县：尚未取得该县台账" in paper and "rollup sync" not in paper, fmt
    target = tmp_path / "e.xlsx"
    assert run_cli(rollup, ["rollup", "export", "--month", "6", "-o", str(target)]).exit_code == 0
    summary = load_workbook(io.BytesIO(target.read_bytes()))["汇总"]
    cells = [str(c.value) for row in summary.iter_rows() for c in row if c.value]
    assert "彭阳县：尚未取得该县台账" in cells and not [c for c in cells if "rollup sync" in c]

    failed = tmp_path / "failed"
    shutil.copytree(rollup, failed)
    states = read_state(failed)
    reason = "git fetch failed: repository not found"
    states[NEVER] = MemberState(None, None, reason, "2026-12-01T08:00:00+00:00")
    write_state(failed, states)
    shown = run_cli(failed, ["rollup", "status", "--month", "6"]).stdout
    assert f"彭阳县：从未读取：{reason}" in shown
    assert shown.count(reason) == 1 and "rollup sync" not in shown
    paper = run_cli(failed, ["rollup", "report", "--month", "6"]).stdout
    assert "彭阳县：尚未取得该县台账\n" in paper  # git's words are the terminal's, not a paper's
    assert reason not in paper and "rollup sync" not in paper
    alone = run_cli(failed, ["rollup", "status", "--member", NEVER])
    assert alone.exit_code == 1 and alone.stderr.strip() == f"错误：彭阳县从未读取：{reason}"


def test_docx_overview_lies_across_the_page_with_headers_whole(
    rollup: Path, tmp_path: Path
) -> None:
    """13 columns on A4 upright wrapped the headers (县/区, 标/记): the overview's pages lie
    across, the counties' bulletins after it stand upright."""
    from docx import Document
    from docx.enum.section import WD_ORIENT

    from minsheng_cli.paperwork.word import set_width

    target = tmp_path / "r.docx"
    result = run_cli(rollup, ["rollup", "report", "--month", "6", "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    document = Document(str(target))
    orientations = [section.orientation for section in document.sections]
    assert orientations == [WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
    across = document.sections[0]
    assert (across.page_width or 0) > (across.page_height or 0)
    header = document.tables[0].rows[0].cells
    assert [cell.text for cell in header[:2]] == ["县区", "截至"]
    for cell in header:  # each header on one line of its column
        assert cell.width is not None and cell.width.cm >= set_width(cell.text) - 0.01, cell.text


def test_sheet_names_are_valid_and_unique() -> None:
    from minsheng_cli.rollup.paper import sheet_names

    names = sheet_names(["汇总", "a/b", "x" * 40, "x" * 40, "A", "a", ""])
    assert names[1] == "a_b"
    assert all(len(n) <= 31 for n in names)
    assert len({n.casefold() for n in names}) == len(names)


def test_papers_say_in_plain_words_and_local_days_why_a_county_is_behind(
    rollup: Path, tmp_path: Path, beijing_time: None
) -> None:
    """The bulletin and the workbook (read by leaders) printed git's English error, a file://
    URL and a UTC time whose day was not Beijing's: 23:25 UTC on 4 December is 07:25 on the 5th.
    Papers say in plain words since when and as of when; the terminal keeps git's reason, in
    local time."""
    from openpyxl import load_workbook

    from minsheng_cli.rollup.state import read_state

    behind = tmp_path / "behind"
    shutil.copytree(rollup, behind)
    states = read_state(behind)
    reason = "无法拉取 file:///tmp/x/西吉县.git ：“'/tmp/x' does not appear to be a git repository”"
    states[STALE] = states[STALE]._replace(
        stale_reason=reason, stale_since="2026-12-04T23:25:00Z", read_at="2026-11-30T17:00:00Z"
    )
    write_state(behind, states)
    today = {"MINSHENG_TODAY": "2026-12-04"}
    plain = "西吉县：未能取得该县最新台账（自12月5日起），以下为12月1日读取的数据"
    for fmt in ("md", "html"):
        paper = run_cli(behind, ["rollup", "report", "--month", "8", "--format", fmt], **today)
        assert paper.exit_code == 0, paper.stderr
        assert plain in paper.stdout, fmt
        for technical in ("UTC", "file://", "does not appear", "fatal"):
            assert technical not in paper.stdout, (fmt, technical)
        assert "原州区：该县台账无法读取" in paper.stdout
    target = tmp_path / "e.xlsx"
    result = run_cli(behind, ["rollup", "export", "--month", "8", "-o", str(target)], **today)
    assert result.exit_code == 0, result.stderr
    summary = load_workbook(io.BytesIO(target.read_bytes()))["汇总"]
    reasons = {row[0].value: row[-1].value for row in summary.iter_rows(min_row=2)}
    assert reasons[STALE] == plain
    shown = run_cli(behind, ["rollup", "status", "--month", "8"], **today).stdout
    assert f"西吉县：2026-12-05 07:25起未能更新：{reason}" in shown and "UTC" not in shown
    alone = run_cli(behind, ["rollup", "status", "--member", STALE, "--month", "8"], **today)
    assert "2026-12-05 07:25起未能更新" in alone.stderr and "UTC" not in alone.stderr


def test_export_of_today_notes_the_ledgers_years_as_the_county_does(
    rollup: Path, tmp_path: Path
) -> None:
    """`rollup export` without --month read today (2026) against 2023 and 2024 ledgers silently
    (逾期 1344 days); the county's `export` says so, and the rollup's views said it in other
    words (--as-of DATE beside --month N)."""
    today = {"MINSHENG_TODAY": "2026-12-04"}
    own = run_cli(rollup.parent / FRESH, ["export", "--format", "json"], **today)
    county = own.stderr.strip()
    assert county.startswith("提示：今天（2026-12-04）不在台账年度2023年内") and "日期" in county
    expected = county.replace("2023年", "2023、2024年")
    target = tmp_path / "e.xlsx"
    for args in (["export", "-o", str(target)], ["export", "--format", "json"], ["status"]):
        result = run_cli(rollup, ["rollup", *args], **today)
        assert expected in result.stderr.splitlines(), (args, result.stderr)
    asked = run_cli(rollup, ["rollup", "export", "--month", "8", "--format", "json"], **today)
    assert "提示" not in asked.stderr


def test_export_summary_adds_up_and_fits_its_columns(rollup: Path, tmp_path: Path) -> None:
    """The 汇总 sheet had no 合计 row though `rollup status` totals the lights and the overdue
    milestones, and its widths came from the stored values: 完成率 (0.0137…) 22 wide."""
    from openpyxl import load_workbook

    from minsheng_cli.paperwork.outline import text_width

    target = tmp_path / "e.xlsx"
    assert run_cli(rollup, ["rollup", "export", "--month", "6", "-o", str(target)]).exit_code == 0
    summary = load_workbook(io.BytesIO(target.read_bytes()))["汇总"]
    headers = [c.value for c in summary[1]]
    rows = json.loads(run_cli(rollup, ["rollup", "status", "--month", "6", "--json"]).stdout)
    total = dict(zip(headers, summary[summary.max_row], strict=True))
    assert total["县区"].value == "合计" and total["县区"].font.b
    read = [row for row in rows if row["lights"]]
    for header, key in (("红", "red"), ("绿", "green"), ("✓", "done")):
        assert total[header].value == sum(row["lights"][key] for row in read)
        assert total[header].data_type == "n" and total[header].font.b
    assert total["逾期"].value == sum(row["overdue"] for row in rows) > 0
    assert total["时间节点"].value == sum(row["milestones"] for row in read)
    items = sum(row["items"] for row in read)
    mean = sum(row["completion"] * row["items"] for row in read) / items
    assert total["完成率"].value == pytest.approx(mean, abs=1e-4)
    assert total["完成率"].number_format.endswith("%")
    assert summary.auto_filter.ref == f"A1:N{summary.max_row - 1}"  # a sort leaves 合计 last
    reasons = [str(c.value) for c in summary["N"][1:] if c.value]
    assert widths(summary)["原因"] >= min(60, max(map(text_width, reasons)))

    # a county some way along: its 完成率 is 1.4% on the sheet, and the column as wide
    from minsheng_cli.rollup.paper import rollup_workbook
    from minsheng_cli.rollup.views import Computed, MemberView

    computed = Computed(
        "t", 2023, "2023-06-30", dict.fromkeys(("green", "yellow", "red", "done"), 1),
        dict.fromkeys(("met", "met_late", "overdue", "due_soon", "pending"), 0),
        4, 0, 1 / 73, None, [], [],
    )  # fmt: skip
    book = load_workbook(
        io.BytesIO(
            rollup_workbook("t", [(MemberView(FRESH, "a" * 40, None, None, computed), None)])
        )
    )
    sheet = book["汇总"]
    assert sheet["J2"].value == pytest.approx(1 / 73) and sheet["J3"].value == pytest.approx(1 / 73)
    assert widths(sheet)["完成率"] <= 8  # 完成率 and 1.4%, not 0.0136986301369863


def widths(sheet: Any) -> dict[str, float]:
    return {c.value: sheet.column_dimensions[c.column_letter].width for c in sheet[1]}


def test_docx_subtitle_breaks_between_its_parts(rollup: Path, tmp_path: Path) -> None:
    """A county's 依据…　截至…　数据版本：… line was one line too long: Word broke it inside a word
    (数据版 / 本：aa5876c). It breaks between its parts, each line within the page."""
    from docx import Document

    from minsheng_cli.paperwork.word import body_cm, text_block_width

    target = tmp_path / "r.docx"
    assert run_cli(rollup, ["rollup", "report", "--month", "6", "-o", str(target)]).exit_code == 0
    subtitles = [p.text for p in Document(str(target)).paragraphs if "数据版本：" in p.text]
    assert len(subtitles) == 3  # 泾源县, 隆德县, 西吉县
    for text in subtitles:
        lines = text.split("\n")
        assert len(lines) == 2 and re.fullmatch(r"数据版本：[0-9a-f]{7}", lines[-1]), text
        assert all(body_cm(line) <= text_block_width() for line in lines), text


def test_a_provinces_rollup_names_its_members_regions(rollup: Path, tmp_path: Path) -> None:
    """rollup.yaml's level (市 or 省) was never used: a province's members (市州 or 县区) were
    headed 县区. At 省 they are 地区; at 市 still 县区."""
    from openpyxl import load_workbook

    province = tmp_path / "province"
    shutil.copytree(rollup, province)
    config = province / "rollup.yaml"
    config.write_text("level: 省\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    shown = run_cli(province, ["rollup", "status", "--month", "6"]).stdout
    assert re.search(r"^地区 ", shown, re.MULTILINE) and not re.search(r"^县区 ", shown, re.M)
    paper = run_cli(province, ["rollup", "report", "--month", "6"]).stdout
    assert "## 各地区概况" in paper and "| 地区 | 截至 |" in paper
    target = tmp_path / "e.xlsx"
    assert run_cli(province, ["rollup", "export", "--month", "6", "-o", str(target)]).exit_code == 0
    assert load_workbook(io.BytesIO(target.read_bytes()))["汇总"]["A1"].value == "地区"
    city = run_cli(rollup, ["rollup", "report", "--month", "6"]).stdout
    assert "## 各县区概况" in city and "| 县区 | 截至 |" in city


def test_a_cached_view_of_the_wrong_shape_is_computed_again(rollup: Path) -> None:
    """The cache is untrusted input: an entry whose key is right but whose counts are not the
    lights and states a view has is ignored and rewritten, never an internal error."""
    from minsheng_cli.rollup.rows import cached_view, store_view
    from minsheng_cli.rollup.state import read_state
    from minsheng_cli.rollup.views import Request

    first = run_cli(rollup, ["rollup", "status", "--month", "5", "--json"])
    commit = read_state(rollup)["泾源县"].commit
    assert commit is not None
    request = Request(None, 5, date(2026, 12, 4))
    good = cached_view(rollup, commit, request)
    assert good is not None
    store_view(rollup, commit, request, good._replace(lights={}))
    assert cached_view(rollup, commit, request) is None
    again = run_cli(rollup, ["rollup", "status", "--month", "5", "--json"])
    assert again.exit_code == first.exit_code and again.stdout == first.stdout
