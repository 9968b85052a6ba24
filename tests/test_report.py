"""`minsheng report`: the monthly bulletin and the quarterly report in Markdown, HTML and Word.

Each format is read back (text, html.parser, python-docx) and its numbers are compared with what
`status --json`, `overdue --json` and `agenda --json` say for the same date.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import re
from collections import Counter
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import copy_ledger, run_cli

LIGHT_WORDS = {"green": "绿", "yellow": "黄", "red": "红", "done": "✓"}
STATES = ("met", "met_late", "overdue", "due_soon", "pending")
LEDGER_TITLE = "泾源县2023年民生实事任务清单"


# --- helpers shared by test_export.py and test_html_chromium.py ---------------------------------


HALF_YEAR_SCRIPT = "tests.halfyear"
HAS_HALF_YEAR = importlib.util.find_spec(HALF_YEAR_SCRIPT) is not None


def half_year_ledger(folder: Path) -> Path:
    """A copy of the bundled ledger with the scripted half-year of progress (tests/halfyear.py)
    recorded, for realistic numbers; without that script, the bundled ledger as it is."""
    root = copy_ledger(folder)
    if HAS_HALF_YEAR:
        importlib.import_module(HALF_YEAR_SCRIPT).apply_half_year(root)
    return root


def cli_json(root: Path, *args: str) -> Any:
    """A read command's --json output (overdue exits 1 when something is late)."""
    result = run_cli(root, [*args, "--json"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def light_counts(items: list[dict[str, Any]]) -> dict[str, int]:
    counts = Counter(item["light"] for item in items)
    return {light: counts[light] for light in LIGHT_WORDS}


def state_counts(items: list[dict[str, Any]]) -> dict[str, int]:
    return {state: sum(item["states"][state] for item in items) for state in STATES}


def mean_progress(items: list[dict[str, Any]]) -> float:
    return sum(float(item["progress"]) for item in items) / len(items)


def percent(text: str) -> float:
    found = re.search(r"(\d+(?:\.\d+)?)%", text)
    assert found, text
    return float(found.group(1))


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def half_year(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return half_year_ledger(tmp_path_factory.mktemp("half_year") / "ledger")


def report(root: Path, *args: str) -> str:
    result = run_cli(root, ["report", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


# --- periods (pure) ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("month", "quarter", "start", "end", "label"),
    [
        (2, None, date(2023, 2, 1), date(2023, 2, 28), "2023年2月"),
        (12, None, date(2023, 12, 1), date(2023, 12, 31), "2023年12月"),
        (None, 1, date(2023, 1, 1), date(2023, 3, 31), "2023年第一季度"),
        (None, 2, date(2023, 4, 1), date(2023, 6, 30), "2023年第二季度"),
        (None, 3, date(2023, 7, 1), date(2023, 9, 30), "2023年第三季度"),
        (None, 4, date(2023, 10, 1), date(2023, 12, 31), "2023年第四季度"),
    ],
)
def test_a_period_ends_on_its_last_day(
    month: int | None, quarter: int | None, start: date, end: date, label: str
) -> None:
    from minsheng_cli.paperwork.outline import period_label, period_of, period_request

    period = period_of(2023, *period_request(month, quarter))
    assert (period.start, period.end) == (start, end)
    assert period_label(period) == label


def test_the_next_period_stays_in_the_year() -> None:
    from minsheng_cli.paperwork.outline import PeriodKind, next_period, period_of

    assert next_period(period_of(2023, PeriodKind.MONTH, 6)) == period_of(2023, PeriodKind.MONTH, 7)
    assert next_period(period_of(2023, PeriodKind.QUARTER, 3)) == period_of(
        2023, PeriodKind.QUARTER, 4
    )
    assert next_period(period_of(2023, PeriodKind.MONTH, 12)) is None
    assert next_period(period_of(2023, PeriodKind.QUARTER, 4)) is None


# --- Markdown ----------------------------------------------------------------------------------


def unescape(cell: str) -> str:
    return re.sub(r"\\(.)", r"\1", cell.strip())


def markdown_table(text: str, first_header: str) -> list[list[str]]:
    """The rows (header first) of every Markdown table whose first header is ``first_header``."""
    rows: list[list[str]] = []
    inside = False
    for line in text.splitlines():
        cells = [unescape(c) for c in line.strip().strip("|").split(" | ")]
        if line.startswith("| ") and cells[0] == first_header and not inside:
            inside = True
            rows.append(cells)
        elif inside and line.startswith("|"):
            if not line.startswith("|---"):
                rows.append(cells)
        else:
            inside = False
    return rows


def test_markdown_summary_equals_status_json(half_year: Path) -> None:
    text = report(half_year, "--month", "6")
    items = cli_json(half_year, "status", "--month", "6")
    lights = markdown_table(text, "状态灯")
    assert lights[0] == ["状态灯", "绿", "黄", "红", "✓", "合计"]
    expected_lights = light_counts(items)
    assert lights[1][1:] == [str(expected_lights[light]) for light in LIGHT_WORDS] + [
        str(len(items))
    ]
    states = markdown_table(text, "状态")
    assert states[0] == ["状态", "已完成", "逾期完成", "逾期", "临期", "未到期", "合计"]
    expected_states = state_counts(items)
    assert [int(n) for n in states[1][1:6]] == [expected_states[s] for s in STATES]
    assert int(states[1][6]) == sum(expected_states.values())
    overall = re.search(r"\*\*总体进度\*\*：(.*)", text)
    assert overall
    assert percent(overall.group(1)) == pytest.approx(mean_progress(items) * 100, abs=0.051)


def test_markdown_items_carry_the_progress_and_light_of_status(half_year: Path) -> None:
    text = report(half_year, "--month", "6")
    items = cli_json(half_year, "status", "--month", "6")
    progress = re.findall(r"\*\*进度\*\*：(\d+\.\d)%，状态灯(.)", text)
    assert len(progress) == len(items) == 14
    for (shown, light), item in zip(progress, items, strict=True):
        assert float(shown) == pytest.approx(item["progress"] * 100, abs=0.051)
        assert light == LIGHT_WORDS[item["light"]]
    for item in items:
        assert f"#### {item['item']} {item['unit']}（责任领导：{item['leader']}）" in text


def test_markdown_overdue_by_leader_equals_overdue_json(half_year: Path) -> None:
    text = report(half_year, "--month", "6")
    late = cli_json(half_year, "overdue", "--month", "6")
    assert late, "the half-year script leaves milestones overdue in June"
    per_leader = Counter(m["leader"] for m in late)
    shown = dict(re.findall(r"^### (.+)（逾期(\d+)项）$", text, re.MULTILINE))
    assert {leader: int(n) for leader, n in shown.items()} == dict(per_leader)
    rows = markdown_table(text, "责任单位")[1:]
    rows = [row for row in rows if row[0] != "责任单位"]
    refs = sorted(row[1] for row in rows)
    assert refs == sorted(f"{m['item']}#{m['milestone']}" for m in late)
    days = {f"{m['item']}#{m['milestone']}": m["days_late"] for m in late if m["period"] is None}
    for row in rows:
        if row[1] in days:
            assert int(row[4]) == days[row[1]]
    summary = re.search(r"逾期(\d+)个", text)
    assert summary
    assert int(summary.group(1)) == len(late)


def test_markdown_due_next_month_equals_the_agenda(half_year: Path) -> None:
    text = report(half_year, "--month", "6")
    agenda = cli_json(half_year, "agenda", "--month", "7")
    due_in_july = sorted(
        f"{m['item']}#{m['milestone']}" for m in agenda if m["due"].startswith("2023-07")
    )
    rows = markdown_table(text, "序号")[1:]
    assert "四、下期（2023年7月）到期事项" in text
    assert sorted(row[0] for row in rows) == due_in_july


def field_lines(text: str, label: str) -> list[str]:
    """Every line of a field (本期计划 …) over all items; （无） counts as none."""
    lines: list[str] = []
    current: str | None = None
    for line in text.splitlines():
        field = re.match(r"- \*\*(.+?)\*\*：(.*)", line)
        if field:
            current = field.group(1)
            if current == label and field.group(2):
                lines.append(field.group(2))
        elif current == label and line.startswith("  - "):
            lines.append(line[4:])
        else:
            current = None
    return [unescape(line) for line in lines if line != "（无）"]


def test_quarterly_report_covers_the_quarter(half_year: Path) -> None:
    text = report(half_year, "--quarter", "2")
    assert text.startswith(f"# {LEDGER_TITLE}推进情况季度报告\n")
    assert "（2023年第二季度）" in text
    assert "泾政办发〔2023〕4号　截至2023年6月30日" in text
    listed = cli_json(half_year, "list", "--as-of", "2023-06-30")

    def in_quarter(day: str | None) -> bool:
        return day is not None and "2023-04-01" <= day <= "2023-06-30"

    planned = [m for m in listed if in_quarter(m["due"])]
    assert len(field_lines(text, "本期计划")) == len(planned)
    achieved = [line for line in field_lines(text, "本期完成") if not line.startswith("报送：")]
    assert len(achieved) == sum(1 for m in listed if in_quarter(m["met_on"]))
    late = field_lines(text, "逾期未完成")
    assert len(late) == sum(1 for m in listed if m["state"] == "overdue")
    next_quarter = sorted(
        f"{m['item']}#{m['milestone']}"
        for m in listed
        if m["due"]
        and "2023-07-01" <= m["due"] <= "2023-09-30"
        and m["state"] not in ("met", "met_late")
    )
    assert "四、下期（2023年第三季度）到期事项" in text
    assert sorted(row[0] for row in markdown_table(text, "序号")[1:]) == next_quarter


def test_the_fourth_quarter_has_no_next_period(ledger_dir: Path) -> None:
    text = report(ledger_dir, "--quarter", "4")
    assert "截至2023年12月31日" in text
    assert "本期为年度最后一期。" in text


def test_english_report(half_year: Path) -> None:
    result = run_cli(half_year, ["--lang", "en", "report", "--month", "6"])
    assert result.exit_code == 0, result.output
    assert "monthly bulletin" in result.stdout
    assert "as of 6/30/2023" in result.stdout
    assert "## 1. Overview" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "--month N"),
        (["--month", "6", "--quarter", "2"], "--quarter"),
        (["--quarter", "5"], "--quarter"),
        (["--month", "13"], "--month"),
        (["--month", "6", "--format", "pdf"], "pdf"),
        (["--month", "6", "--format", "docx"], "-o FILE"),
    ],
)
def test_usage_errors_exit_2(ledger_dir: Path, args: list[str], message: str) -> None:
    result = run_cli(ledger_dir, ["report", *args])
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output


# --- files: format from the extension, --force -------------------------------------------------


@pytest.mark.parametrize(
    ("name", "start"),
    [("bulletin.md", b"# "), ("bulletin.html", b"<!DOCTYPE html>"), ("bulletin.docx", b"PK")],
)
def test_the_format_follows_the_extension(
    ledger_dir: Path, tmp_path: Path, name: str, start: bytes
) -> None:
    output = tmp_path / name
    result = run_cli(ledger_dir, ["report", "--month", "6", "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert output.read_bytes().startswith(start)
    assert result.stdout == ""
    assert not list(tmp_path.glob(".*.tmp")), "the temporary file is renamed, not left behind"


def test_format_and_extension_must_agree(ledger_dir: Path, tmp_path: Path) -> None:
    output = tmp_path / "bulletin.docx"
    result = run_cli(ledger_dir, ["report", "-m", "6", "-f", "html", "-o", str(output)])
    assert result.exit_code == 2
    assert not output.exists()
    unknown = run_cli(ledger_dir, ["report", "-m", "6", "-o", str(tmp_path / "bulletin.txt")])
    assert unknown.exit_code == 2
    assert "--format" in unknown.stderr
    chosen = run_cli(
        ledger_dir, ["report", "-m", "6", "-f", "md", "-o", str(tmp_path / "bulletin.txt")]
    )
    assert chosen.exit_code == 0, chosen.output
    assert (tmp_path / "bulletin.txt").read_text(encoding="utf-8").startswith("# ")


@pytest.mark.parametrize(
    ("command", "name", "fmt", "use"),
    [
        ("report", "bulletin.doc", "docx", ".docx"),
        ("report", "bulletin.DOC", None, ".docx"),
        ("export", "台账.xls", "xlsx", ".xlsx"),
        ("export", "台账.xls", None, ".xlsx"),
    ],
)
def test_an_old_office_name_is_refused(
    ledger_dir: Path, tmp_path: Path, command: str, name: str, fmt: str | None, use: str
) -> None:
    """-o x.doc wrote a .docx named .doc, which Word then opens as a broken file (issue 12)."""
    output = tmp_path / name
    args = [command, *(["-m", "6"] if command == "report" else []), "-o", str(output)]
    result = run_cli(ledger_dir, [*args, *(["-f", fmt] if fmt else [])])
    assert result.exit_code == 2, result.output
    assert not output.exists()
    assert f"“{name}”" in result.stderr
    assert use in result.stderr
    assert "Traceback" not in result.output


def test_an_existing_file_needs_force(ledger_dir: Path, tmp_path: Path) -> None:
    output = tmp_path / "bulletin.md"
    output.write_text("the clerk's own notes", encoding="utf-8")
    refused = run_cli(ledger_dir, ["report", "--month", "6", "-o", str(output)])
    assert refused.exit_code == 2
    assert "--force" in refused.stderr
    assert output.read_text(encoding="utf-8") == "the clerk's own notes"
    forced = run_cli(ledger_dir, ["report", "--month", "6", "-o", str(output), "--force"])
    assert forced.exit_code == 0, forced.output
    assert output.read_text(encoding="utf-8").startswith(f"# {LEDGER_TITLE}")


def test_a_new_file_is_readable_by_others(ledger_dir: Path, tmp_path: Path) -> None:
    import os

    output = tmp_path / "bulletin.md"
    mask = os.umask(0o022)
    try:
        assert run_cli(ledger_dir, ["report", "-m", "6", "-o", str(output)]).exit_code == 0
    finally:
        os.umask(mask)
    assert output.stat().st_mode & 0o777 == 0o644


# --- HTML, read back with html.parser ----------------------------------------------------------


class Page(HTMLParser):
    """What a test needs from the report's HTML: elements with their attributes, and text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.stack: list[str] = []
        self.texts: dict[str, list[str]] = {}
        self.cells: list[list[str]] = []
        self.tables: dict[str, list[list[str]]] = {}
        self._table: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        self.elements.append((tag, attributes))
        self.stack.append(tag)
        if tag == "table":
            self._table = attributes.get("class", "")
            self.tables.setdefault(self._table, [])
        elif tag == "tr" and self._table is not None:
            self.tables[self._table].append([])

    def handle_endtag(self, tag: str) -> None:
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()
        if tag == "table":
            self._table = None

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data: str) -> None:
        if not self.stack:
            return
        self.texts.setdefault(self.stack[-1], []).append(data)
        if self._table is not None and self.stack[-1] in ("td", "th"):
            self.tables[self._table][-1].append(data.strip())

    def having(self, tag: str, css: str) -> list[dict[str, str]]:
        return [a for t, a in self.elements if t == tag and css in a.get("class", "").split()]


def parse_html(text: str) -> Page:
    page = Page()
    page.feed(text)
    return page


def test_html_numbers_equal_status_json(half_year: Path, tmp_path: Path) -> None:
    output = tmp_path / "bulletin.html"
    assert run_cli(half_year, ["report", "-m", "6", "-o", str(output)]).exit_code == 0
    page = parse_html(output.read_text(encoding="utf-8"))
    items = cli_json(half_year, "status", "--month", "6")
    assert page.texts["title"][0] == f"{LEDGER_TITLE}推进情况月通报", "the page's <title>"
    assert "".join(page.texts["h1"]) == f"{LEDGER_TITLE}推进情况月通报"
    lights = light_counts(items)
    assert page.tables["lights"][1][1:5] == [str(lights[light]) for light in LIGHT_WORDS]
    states = state_counts(items)
    assert page.tables["states"][1][1:6] == [str(states[s]) for s in STATES]
    marks = Counter(a["data-state"] for a in page.having("circle", "ms"))
    assert dict(marks) == {s: n for s, n in states.items() if n}
    assert len(page.having("g", "item-row")) == len(items) == 14
    bars = page.having("svg", "bar")
    assert len(bars) == len(items) + 1, "one bar per item and one for the whole"
    assert float(bars[0]["data-share"]) == pytest.approx(mean_progress(items), abs=1e-4)
    late = cli_json(half_year, "overdue", "--month", "6")
    overdue_rows = [row for row in page.tables["overdue"] if row and row[0] != "责任单位"]
    assert len(overdue_rows) == len(late)


def test_html_is_self_contained(half_year: Path, tmp_path: Path) -> None:
    output = tmp_path / "bulletin.html"
    assert run_cli(half_year, ["report", "-q", "2", "-o", str(output)]).exit_code == 0
    text = output.read_text(encoding="utf-8")
    page = parse_html(text)
    tags = {tag for tag, _ in page.elements}
    assert not tags & {"script", "link", "img", "iframe", "object", "embed"}
    assert not [a for _, a in page.elements if "src" in a or "href" in a]
    assert "url(" not in text
    assert "@import" not in text
    assert re.findall(r"https?://[^\"' ]+", text) == ["http://www.w3.org/2000/svg"]


def test_html_as_of_line_sits_at_the_end_of_the_period(half_year: Path, tmp_path: Path) -> None:
    output = tmp_path / "bulletin.html"
    assert run_cli(half_year, ["report", "-q", "3", "-o", str(output)]).exit_code == 0
    page = parse_html(output.read_text(encoding="utf-8"))
    (line,) = page.having("line", "asof")
    assert line["data-date"] == "2023-09-30"
    (svg,) = page.having("svg", "timeline")
    x0, x1 = float(svg["data-x0"]), float(svg["data-x1"])
    elapsed = (date(2023, 9, 30) - date(2023, 1, 1)).days + 1
    assert float(line["x1"]) == pytest.approx(x0 + elapsed / 365 * (x1 - x0), abs=0.01)
    october = next(a for a in page.having("line", "month") if a["data-month"] == "10")
    assert float(line["x1"]) == pytest.approx(float(october["x1"]), abs=0.01)


def rename_project(root: Path, name: str) -> None:
    """Give 实事 1 a new name (quoted for YAML)."""
    path = next((root / "tasks").glob("01-*.yaml"))
    text = path.read_text(encoding="utf-8")
    quoted = json.dumps(name, ensure_ascii=False)
    path.write_text(text.replace("name: 冬季清洁取暖工程", f"name: {quoted}", 1), encoding="utf-8")


def test_ledger_text_is_never_markup(ledger_dir: Path, tmp_path: Path) -> None:
    hostile = "<script>alert(1)</script> *x* [a](http://e.org) | &amp;"
    rename_project(ledger_dir, hostile)
    output = tmp_path / "bulletin.html"
    assert run_cli(ledger_dir, ["report", "-m", "6", "-o", str(output)]).exit_code == 0
    text = output.read_text(encoding="utf-8")
    assert "<script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    page = parse_html(text)
    assert hostile in "".join(page.texts.get("h3", []))
    markdown = report(ledger_dir, "--month", "6")
    heading = next(line for line in markdown.splitlines() if line.startswith("### 1. "))
    assert heading == (r"### 1. \<script\>alert(1)\</script\> \*x\* \[a\](http://e.org) \| \&amp;")


# --- Word, read back with python-docx ----------------------------------------------------------


def docx_table(document: Any, first_header: str) -> list[list[str]]:
    rows: list[list[str]] = []
    for table in document.tables:
        cells = [[cell.text for cell in row.cells] for row in table.rows]
        if cells[0][0] == first_header:
            rows += cells if not rows else cells[1:]
    return rows


def east_asia_font(style: Any) -> str:
    from docx.oxml.ns import qn

    fonts = style.element.rPr.rFonts
    assert fonts.get(qn("w:asciiTheme")) is None, "a theme font would win over the name"
    return str(fonts.get(qn("w:eastAsia")))


def test_docx_numbers_headings_and_layout(half_year: Path, tmp_path: Path) -> None:
    import docx

    output = tmp_path / "bulletin.docx"
    assert run_cli(half_year, ["report", "-m", "6", "-o", str(output)]).exit_code == 0
    document = docx.Document(str(output))
    items = cli_json(half_year, "status", "--month", "6")
    late = cli_json(half_year, "overdue", "--month", "6")

    title = document.paragraphs[0]
    assert title.style is not None
    assert title.style.name == "Title"
    assert title.text == f"{LEDGER_TITLE}\n推进情况月通报", "two balanced lines"
    by_style = Counter(p.style.name if p.style else "" for p in document.paragraphs)
    assert by_style["Heading 1"] == 4
    assert by_style["Heading 2"] == 10 + len({m["leader"] for m in late})
    assert by_style["Heading 3"] == 14

    lights = light_counts(items)
    assert docx_table(document, "状态灯")[1][1:5] == [str(lights[x]) for x in LIGHT_WORDS]
    states = state_counts(items)
    assert docx_table(document, "状态")[1][1:6] == [str(states[s]) for s in STATES]
    overdue_rows = docx_table(document, "责任单位")[1:]
    assert sorted(row[1] for row in overdue_rows) == sorted(
        f"{m['item']}#{m['milestone']}" for m in late
    )

    section = document.sections[0]
    page = (section.page_width, section.page_height, section.top_margin, section.left_margin)
    assert [round(length.cm, 1) if length else None for length in page] == [21.0, 29.7, 3.7, 2.8]
    assert east_asia_font(document.styles["Normal"]) == "仿宋_GB2312"
    assert east_asia_font(document.styles["Title"]) == "方正小标宋简体"
    assert east_asia_font(document.styles["Heading 1"]) == "黑体"


def test_docx_font_table_names_the_fallbacks(ledger_dir: Path, tmp_path: Path) -> None:
    import zipfile

    output = tmp_path / "report.docx"
    assert run_cli(ledger_dir, ["report", "-q", "1", "-o", str(output)]).exit_code == 0
    with zipfile.ZipFile(output) as archive:
        fonts = archive.read("word/fontTable.xml").decode("utf-8")
    assert re.search(r'w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>', fonts)
    assert re.search(r'w:name="方正小标宋简体"><w:altName w:val="黑体"/>', fonts)


def test_docx_columns_are_sized_to_their_content(half_year: Path, tmp_path: Path) -> None:
    """Dates and references never wrap; the long texts take the room; the table fills the
    text block (A4 less the 公文 margins: 21 - 2.8 - 2.6 = 15.6 cm)."""
    import docx

    output = tmp_path / "bulletin.docx"
    assert run_cli(half_year, ["report", "-m", "6", "-o", str(output)]).exit_code == 0
    document = docx.Document(str(output))
    overdue = next(t for t in document.tables if t.rows[0].cells[0].text == "责任单位")
    headers = [cell.text for cell in overdue.rows[0].cells]
    widths = {h: column.width.cm for h, column in zip(headers, overdue.columns, strict=True)}

    assert sum(widths.values()) == pytest.approx(15.6, abs=0.01)
    em = 10.5 * 2.54 / 72  # cm: a Chinese character at 10.5 pt
    digit, hyphen = 0.64 * em, 0.34 * em  # in DejaVu Serif, the widest common fallback
    # "7月底" above "2023-06-30" in one column; and Word's cell margins
    assert widths["完成时限\n到期日"] > 8 * digit + 2 * hyphen + 0.38
    assert widths["序号"] > 5 * digit + hyphen + 0.38  # "10.1#1"
    assert max(widths, key=widths.__getitem__) == "节点内容"
    for row in overdue.rows:  # Word reads each cell's width, WPS the grid: both say the same
        assert [round(cell.width.cm, 2) for cell in row.cells] == [
            round(width, 2) for width in widths.values()
        ]
