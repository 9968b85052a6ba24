"""`minsheng export`: the 台账 as xlsx, csv and json, read back and compared with `list --json`
and `status --json` for the same date; formula injection; --force; the format from the name."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_cli
from tests.test_report import HAS_HALF_YEAR, STATES, cli_json, half_year_ledger, rename_project

HEADERS = [
    "序号",
    "子项",
    "实事名称",
    "实事内容",
    "节点序号",
    "完成时限",
    "节点内容",
    "责任领导",
    "责任单位",
    "备注",
    "到期日",
    "状态",
    "逾期天数",
    "最近进度",
    "进度日期",
    "调整",
]
STATE_WORDS = {
    "met": "已完成",
    "met_late": "逾期完成",
    "overdue": "逾期",
    "due_soon": "临期",
    "pending": "未到期",
}
UNIT_HEADERS = ["责任单位", "子项数", *STATE_WORDS.values(), "合计", "总体进度"]
HOSTILE = "=cmd|' /C calc'!A0"


@pytest.fixture(scope="module")
def half_year(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return half_year_ledger(tmp_path_factory.mktemp("half_year") / "ledger")


def export(root: Path, output: Path, *args: str) -> Path:
    result = run_cli(root, ["export", "-o", str(output), *args])
    assert result.exit_code == 0, result.output
    return output


def column(rows: list[list[Any]], header: str) -> list[Any]:
    index = HEADERS.index(header)
    return [row[index] for row in rows]


# --- xlsx --------------------------------------------------------------------------------------


def test_xlsx_rows_equal_list_json(half_year: Path, tmp_path: Path) -> None:
    import openpyxl

    path = export(half_year, tmp_path / "台账.xlsx", "--month", "6")
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.worksheets[0]
    assert sheet.title == "台账"
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == HEADERS
    rows = values[1:]
    listed = cli_json(half_year, "list", "--month", "6")
    assert len(rows) == len(listed) == 97
    assert column(rows, "子项") == [m["item"] for m in listed]
    assert column(rows, "节点序号") == [m["milestone"] for m in listed]
    assert column(rows, "状态") == [STATE_WORDS[m["state"]] for m in listed]
    dues = [d.date() if isinstance(d, datetime) else d for d in column(rows, "到期日")]
    assert dues == [date.fromisoformat(m["due"]) if m["due"] else None for m in listed]
    assert column(rows, "序号") == [m["project"] for m in listed]


def test_xlsx_layout(half_year: Path, tmp_path: Path) -> None:
    import openpyxl

    path = export(half_year, tmp_path / "台账.xlsx", "--month", "6")
    sheet = openpyxl.load_workbook(path).worksheets[0]
    assert sheet.freeze_panes == "A2"
    assert all(sheet.cell(row=1, column=c).font.bold for c in range(1, len(HEADERS) + 1))
    widths = {
        header: sheet.column_dimensions[sheet.cell(row=1, column=i).column_letter].width
        for i, header in enumerate(HEADERS, start=1)
    }
    assert all(width <= 60 for width in widths.values())
    assert widths["实事内容"] == 60, "the long content is capped and wrapped"
    assert sheet.cell(row=2, column=HEADERS.index("实事内容") + 1).alignment.wrap_text
    assert widths["责任单位"] >= 2 * len("住房和城乡建设局"), "Chinese counts double"
    assert widths["序号"] < 10
    state_column = HEADERS.index("状态") + 1
    fills: dict[str, set[str]] = {}
    for row in range(2, sheet.max_row + 1):
        cell = sheet.cell(row=row, column=state_column)
        fills.setdefault(str(cell.value), set()).add(str(cell.fill.fgColor.rgb))
    assert all(len(colours) == 1 for colours in fills.values()), "one colour per state"
    assert len({next(iter(c)) for c in fills.values()}) == len(fills), "a colour each"
    assert fills["逾期"] == {"00FFCDD2"}


@pytest.mark.skipif(not HAS_HALF_YEAR, reason="needs the scripted half-year (tests/halfyear.py)")
def test_xlsx_days_late_and_the_progress_a_milestone_was_met_with(
    half_year: Path, tmp_path: Path
) -> None:
    """逾期天数 for what is overdue or was met late; a met milestone's 最近进度 is the value it was
    met with, on the day it was met — not whatever was reported since (issue 12)."""
    import openpyxl

    path = export(half_year, tmp_path / "台账.xlsx", "--month", "6")
    values = [
        list(row) for row in openpyxl.load_workbook(path).worksheets[0].iter_rows(values_only=True)
    ]
    assert values[0] == HEADERS
    rows = {(row[1], row[4], row[5]): row for row in values[1:]}
    listed = cli_json(half_year, "list", "--month", "6")
    assert column(values[1:], "逾期天数") == [
        m["days_late"] if m["state"] in ("overdue", "met_late") else None for m in listed
    ]
    screening = rows[("5.1", 5, "3月底")]  # 200 by 3-31: 150 on 3-31, 210 on 4-20, 260 on 6-25
    assert column([screening], "状态") == ["逾期完成"]
    assert column([screening], "逾期天数") == [20]
    assert column([screening], "最近进度") == ["产前筛查 210人次"]
    reported = column([screening], "进度日期")[0]
    assert (reported.date() if isinstance(reported, datetime) else reported) == date(2023, 4, 20)
    roads = rows[("3.2", 4, "6月底")]  # 50% by 6月底; 40% on 6-26: overdue, still the latest
    assert column([roads], "逾期天数") == [0]
    assert column([roads], "最近进度") == ["工程进度 40%"]
    on_time = rows[("3.2", 1, "2月底")]  # ticked on 4-05, due 2-28
    assert column([on_time], "逾期天数") == [36]


def test_csv_has_the_days_late_column(half_year: Path) -> None:
    result = run_cli(half_year, ["export", "-f", "csv", "--month", "6"])
    header = next(csv.reader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert header == HEADERS


def test_xlsx_unit_sheet_equals_status_json(half_year: Path, tmp_path: Path) -> None:
    import openpyxl

    path = export(half_year, tmp_path / "台账.xlsx", "--as-of", "2023-06-30")
    sheet = openpyxl.load_workbook(path).worksheets[1]
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == UNIT_HEADERS
    assert sheet.freeze_panes == "A2"
    items = cli_json(half_year, "status", "--as-of", "2023-06-30")
    by_unit: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        by_unit.setdefault(item["unit"], []).append(item)
    assert [row[0] for row in values[1:]] == list(by_unit)
    for row in values[1:]:
        unit_items = by_unit[row[0]]
        assert row[1] == len(unit_items)
        states = [sum(i["states"][s] for i in unit_items) for s in STATES]
        assert row[2:7] == states
        assert row[7] == sum(states)
        completion = sum(i["progress"] for i in unit_items) / len(unit_items)
        assert row[8] == pytest.approx(completion, abs=1e-4)


def test_xlsx_keeps_a_formula_as_text(ledger_dir: Path, tmp_path: Path) -> None:
    import openpyxl

    rename_project(ledger_dir, HOSTILE)
    path = export(ledger_dir, tmp_path / "台账.xlsx", "--month", "6")
    sheet = openpyxl.load_workbook(path).worksheets[0]
    name_column = HEADERS.index("实事名称") + 1
    cells = [
        sheet.cell(row=r, column=name_column)
        for r in range(2, sheet.max_row + 1)
        if sheet.cell(row=r, column=1).value == 1
    ]
    assert cells
    for cell in cells:
        assert cell.value == HOSTILE
        assert cell.data_type == "s"
    with zipfile.ZipFile(path) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet_xml
    assert "<f " not in sheet_xml


# --- csv ---------------------------------------------------------------------------------------


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with a BOM, for Excel and WPS"
    assert b"\r\n" in data
    assert b"\n" not in data.replace(b"\r\n", b""), "every row ends in CRLF"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_rows_equal_list_json(half_year: Path, tmp_path: Path) -> None:
    path = export(half_year, tmp_path / "台账.csv", "--month", "6")
    rows = read_csv(path.read_bytes())
    assert rows[0] == HEADERS
    listed = cli_json(half_year, "list", "--month", "6")
    assert len(rows) - 1 == len(listed)
    assert column(rows[1:], "状态") == [STATE_WORDS[m["state"]] for m in listed]
    assert column(rows[1:], "到期日") == [m["due"] or "" for m in listed]
    counts = Counter(column(rows[1:], "状态"))
    items = cli_json(half_year, "status", "--month", "6")
    assert {STATE_WORDS[s]: counts[STATE_WORDS[s]] for s in STATES} == {
        STATE_WORDS[s]: sum(i["states"][s] for i in items) for s in STATES
    }


def test_csv_prefixes_a_formula(ledger_dir: Path, tmp_path: Path) -> None:
    rename_project(ledger_dir, HOSTILE)
    path = export(ledger_dir, tmp_path / "台账.csv", "--month", "6")
    rows = read_csv(path.read_bytes())
    names = {row[HEADERS.index("实事名称")] for row in rows[1:] if row[0] == "1"}
    assert names == {"'" + HOSTILE}


def test_csv_and_json_go_to_stdout(half_year: Path) -> None:
    result = run_cli(half_year, ["export", "--format", "csv", "--month", "6"])
    assert result.exit_code == 0, result.output
    assert read_csv(result.stdout_bytes)[0] == HEADERS
    as_json = run_cli(half_year, ["export", "--format", "json", "--month", "6"])
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.stdout)["as_of"] == "2023-06-30"


# --- json --------------------------------------------------------------------------------------

SHARED_KEYS = (
    "project",
    "name",
    "item",
    "unit",
    "partners",
    "leader",
    "milestone",
    "track",
    "deadline",
    "period",
    "due",
    "text",
    "state",
    "met_on",
    "days_late",
    "implied",
)


def test_json_rows_equal_list_json(half_year: Path, tmp_path: Path) -> None:
    path = export(half_year, tmp_path / "台账.json", "--as-of", "2023-05-15")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["title"] == "泾源县2023年民生实事任务清单"
    assert data["document"] == "泾政办发〔2023〕4号"
    assert data["as_of"] == "2023-05-15"
    listed = cli_json(half_year, "list", "--as-of", "2023-05-15")
    assert [{k: r[k] for k in SHARED_KEYS} for r in data["rows"]] == [
        {k: m[k] for k in SHARED_KEYS} for m in listed
    ]
    row_keys = set(data["rows"][0])
    assert row_keys == {
        *SHARED_KEYS,
        *("content", "note", "latest", "latest_date", "sites", "investment", "adjustment"),
        "evidence",
    }


@pytest.mark.skipif(not HAS_HALF_YEAR, reason="needs the scripted half-year (tests/halfyear.py)")
def test_json_latest_progress(half_year: Path, tmp_path: Path) -> None:
    path = export(half_year, tmp_path / "台账.json", "--month", "6")
    rows = json.loads(path.read_text(encoding="utf-8"))["rows"]
    by_key = {(r["item"], r["milestone"], r["period"]): r for r in rows}
    roads = by_key[("3.2", 4, None)]  # 50% by 6月底; 40% reported on 6-26
    assert roads["latest"] == {"percent": 40}
    assert roads["latest_date"] == "2023-06-26"
    tick = by_key[("3.2", 1, None)]  # ticked on 4-05
    assert tick["latest"] == {}
    assert tick["latest_date"] == tick["met_on"] == "2023-04-05"
    aid = by_key[("9.1", 1, None)]  # 60 by 3月底; 120 reported on 6-28
    assert aid["latest"] == {"法律援助案件": 120}
    assert aid["latest_date"] == "2023-06-28"


# --- options -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "check"),
    [
        ("out.xlsx", lambda data: data.startswith(b"PK")),
        ("out.csv", lambda data: data.startswith(b"\xef\xbb\xbf")),
        ("out.json", lambda data: json.loads(data)["rows"] != []),
    ],
)
def test_the_format_follows_the_extension(
    ledger_dir: Path, tmp_path: Path, name: str, check: Any
) -> None:
    path = export(ledger_dir, tmp_path / name, "--month", "3")
    assert check(path.read_bytes())


def test_an_existing_file_needs_force(ledger_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    path.write_bytes(b"last month's ledger")
    refused = run_cli(ledger_dir, ["export", "-o", str(path), "--month", "6"])
    assert refused.exit_code == 2
    assert "--force" in refused.stderr
    assert path.read_bytes() == b"last month's ledger"
    export(ledger_dir, path, "--month", "6", "--force")
    assert path.read_bytes().startswith(b"PK")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "--format"),
        (["--format", "xlsx"], "-o FILE"),
        (["--format", "xls"], "xls"),
        (["--format", "csv", "--month", "6", "--as-of", "2023-06-01"], "--as-of"),
        (["--format", "csv", "--as-of", "6月底"], "YYYY-MM-DD"),
        (["-o", "out.txt"], "--format"),
        (["--format", "json", "-o", "out.csv"], "out.csv"),
    ],
)
def test_usage_errors_exit_2(
    ledger_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    monkeypatch.chdir(folder)
    result = run_cli(ledger_dir, ["export", *args])
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert not list(folder.iterdir()), "nothing is written"
