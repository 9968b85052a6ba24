"""填报表: one Excel form per unit and month, filled in Excel or WPS and taken back by `intake`.

``plan_forms`` decides what each form holds (a pure function of the ledger, the month and the
day); ``form_bytes`` lays one out with openpyxl (imported only here, only for this command).

The sheet: a title, the unit, month and period, a cell for 报送人, the instructions in Chinese,
then one row per measure the unit reports (each indicator, 工程进度, 完成投资) and one per open
milestone it ticks off. What the ledger knows is locked and grey; the cells to fill are white,
unlocked and validated. Column P, hidden and locked, carries the form's identity (core.formid)
in its first three cells and each row's key beside the row, so a CSV saved from the sheet
(LibreOffice and WPS save only the first sheet, hidden columns included) still carries it.
"""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any, NamedTuple

from minsheng_cli.core.evaluate import ItemStatus, MilestoneStatus, Snapshot, State, evaluate
from minsheng_cli.core.formid import (
    FORMAT,
    TICK,
    VALUE,
    Identity,
    RowKey,
    checksum,
    encode,
    form_id,
    shown_digest,
    text_digest,
)
from minsheng_cli.core.units import names_unit, unit_names
from minsheng_cli.ledger.deadlines import month_end
from minsheng_cli.ledger.model import INVESTMENT_KEY, PERCENT_KEY, Ledger
from minsheng_cli.render.labels import planned_amount

SHEET = "填报表"
HEADER_ROW = 9
FIRST_ROW = 10
PERSON_CELL = "C3"
TITLE_CELL, MONTH_CELL = "A1", "E2"
CODE_COLUMN = "P"
"""The hidden column: P1 the format, P2 the checksum, P3 the identity's code, P{row} the keys."""
COUNT, PERCENT, TICKED = "count", "percent", "tick"
COLUMNS = (
    ("序号", 7),
    ("实事及子项", 30),
    ("填报事项", 22),
    ("计量单位", 6),
    ("目标/时限", 10),
    ("上次填报", 9),
    ("上次填报日期", 11),
    ("到期日", 11),
    ("状态", 9),
    ("序时进度", 9),
    ("本月累计完成", 11),
    ("是否完成", 8),
    ("日期", 11),
    ("佐证材料", 18),
    ("备注", 16),
)
VALUE_COLUMN, DONE_COLUMN, DATE_COLUMN, EVIDENCE_COLUMN, NOTE_COLUMN = "K", "L", "M", "N", "O"
STATE_WORDS = {
    State.MET: "已完成",
    State.MET_LATE: "逾期完成",
    State.OVERDUE: "逾期",
    State.DUE_SOON: "即将到期",
    State.PENDING: "未到期",
}
UNSAFE_IN_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


class FormRow(NamedTuple):
    key: RowKey
    ref: str
    content: str
    """The item's text, on its first row only (the rows below it are the same item's)."""
    what: str
    unit: str
    target: float | str
    last: float | None
    last_day: date | None
    due: date | None
    state: str
    planned: float | None
    fill: str
    """COUNT, PERCENT (0–100) or TICKED (是/否)."""


class FormPlan(NamedTuple):
    identity: Identity
    title: str
    office: str
    start: date
    end: date
    rows: tuple[FormRow, ...]

    @property
    def unit(self) -> str:
        return self.identity.unit

    @property
    def file_name(self) -> str:
        unit = UNSAFE_IN_NAMES.sub("_", self.unit)
        return f"{unit}-{self.identity.year}年{self.identity.month}月填报表.xlsx"


def form_units(ledger: Ledger, wanted: list[str]) -> list[str]:
    """The units the forms are for, in the order the ledger first names them (leads and
    partners); only those some ``--unit`` names, if any is given."""
    units = dict.fromkeys(name for item in ledger.items for name in unit_names(item))
    aliases = ledger.workspace.aliases
    return [u for u in units if not wanted or any(names_unit(w, u, aliases) for w in wanted)]


def plan_forms(
    ledger: Ledger,
    month: int,
    today: date,
    units: list[str],
    root: str = "",
    commit: str = "",
) -> list[FormPlan]:
    """One form per unit that has something open in ``month``: what it holds, as of the month's
    end (or today, if the month is still running); 序时进度 always for the month's end, read
    through its end, as `show --month N` and the month's report give it."""
    year = ledger.year
    start, end = date(year, month, 1), month_end(year, month)
    snapshot = evaluate(ledger, min(end, today))
    planned = _planned_at(ledger, end) if today < end else _planned_of(snapshot)
    plans = []
    for unit in units:
        rows: list[FormRow] = []
        for status in snapshot.items:
            if unit in unit_names(status.item) and _open(status, month):
                rows += _rows(status, month, FIRST_ROW + len(rows), planned[status.item.ref])
        if not rows:
            continue
        ws = ledger.workspace
        keys = tuple(row.key for row in rows)
        identity = Identity(ws.title, year, root, month, unit, commit, keys)
        plans.append(FormPlan(identity, ws.title, ws.office, start, end, tuple(rows)))
    return plans


def _planned_at(ledger: Ledger, end: date) -> dict[str, dict[str, float]]:
    """Each item's 序时进度 by measure, for the month's last day read through its end."""
    return _planned_of(evaluate(ledger, end, day_over=True))


def _planned_of(snapshot: Snapshot) -> dict[str, dict[str, float]]:
    return {s.item.ref: {m.name: m.expected for m in s.measures} for s in snapshot.items}


def _open(status: ItemStatus, month: int) -> bool:
    return any(
        not m.state.is_met and (m.period is None or m.period <= month) for m in status.milestones
    )


def _rows(status: ItemStatus, month: int, first: int, planned: dict[str, float]) -> list[FormRow]:
    item = status.item
    digest = text_digest(item.project_name, item.content)
    last = _last_values(status)
    names: list[tuple[str, str, float, str]] = [
        (i.name, i.unit, i.target, COUNT if not i.is_rate or i.unit != "%" else PERCENT)
        for i in item.indicators
    ]
    if item.uses_percent or not item.indicators:
        names.append((PERCENT_KEY, "%", 100.0, PERCENT))
    if item.investment is not None:
        names.append((INVESTMENT_KEY, item.investment_unit, item.investment, COUNT))
    rows: list[FormRow] = []
    for name, unit, target, fill in names:
        due = _next_open(status, name)
        key = RowKey(first + len(rows), item.ref, digest, VALUE, name)
        what = "工程进度" if name == PERCENT_KEY else name
        value, day = last.get(name, (None, None))
        rows.append(
            FormRow(
                key,
                item.ref,
                "" if rows else item.content,
                what,
                unit,
                target,
                value,
                day,
                due.due if due else None,
                STATE_WORDS[due.state] if due else "",
                planned.get(name),
                fill,
            )
        )
    for milestone in _ticks_open(status, month):
        m = milestone.milestone
        key = RowKey(
            first + len(rows), item.ref, digest, TICK, m.text, m.number, milestone.period or 0
        )
        what = (f"{m.track}：" if m.track else "") + m.text
        what += f"（{milestone.period}月）" if milestone.period else ""
        rows.append(
            FormRow(
                key,
                f"{item.ref}#{m.number}",
                "" if rows else item.content,
                what,
                "",
                m.deadline,
                None,
                milestone.met_on,
                milestone.due,
                STATE_WORDS[milestone.state],
                None,
                TICKED,
            )
        )
    return [_shown(row) for row in rows]


def _shown(row: FormRow) -> FormRow:
    """The row with its label cells' digest in its key (core.formid.RowKey.shown)."""
    shown = shown_digest(row.content, row.what, row.unit, row.target)
    return row._replace(key=row.key._replace(shown=shown))


def _last_values(status: ItemStatus) -> dict[str, tuple[float, date]]:
    """Each measure's last recorded value and the day of its report."""
    last: dict[str, tuple[float, date]] = {}
    for record in sorted(status.records, key=lambda r: r.date):
        for name, value in record.values.items():
            last[name] = (value, record.date)
    return last


def _next_open(status: ItemStatus, name: str) -> MilestoneStatus | None:
    waiting = [
        m
        for m in status.milestones
        if name in m.milestone.targets and not m.state.is_met and m.due is not None
    ]
    return min(waiting, key=lambda m: m.due or date.max, default=None)


def _ticks_open(status: ItemStatus, month: int) -> list[MilestoneStatus]:
    """The milestones to tick off: each open one, and every month of a monthly duty (逐月) still
    open up to the form's month (May's payment missed stays on June's and July's forms)."""
    return [
        m
        for m in status.milestones
        if m.milestone.needs_tick and not m.state.is_met and (m.period is None or m.period <= month)
    ]


# --- the workbook ------------------------------------------------------------------------------


def instructions(plan: FormPlan) -> list[str]:
    end = plan.end.isoformat()
    office = plan.office or "县政府办公室"
    return [
        "填表说明：白色单元格为填报项；灰色单元格为台账已有信息，已锁定。请勿增删行、列，"
        "请勿改动表格结构和P列（隐藏的表单标识）。",
        "1. “本月累计完成”填截至本月底（或填报当日）的累计数，不是本月新增数，只填数字；"
        "工程进度填0—100之间的数字（55表示55%）。不变的可留空。",
        f"2. 节点已完成的，“是否完成”选“是”，“日期”填完成日期（{plan.start.year}-01-01至{end}"
        "之间，以前月份完成而未报的也填在本表），“佐证材料”写明开工报告、验收报告、照片等；"
        "未完成的留空或选“否”。",
        f"3. 数值行的“日期”为数据截至日期（本月内），可不填（默认{end}，本月未结束时为报送当日）。"
        "本月累计数低于上次填报的，本表不能登记：请在“备注”写明原因，并告知"
        f"{office}，由其核实更正。",
        f"4. 在“报送人”栏填写姓名后，保存为 .xlsx 文件，报送至{office}。如另存为 CSV 文件，"
        "须选 UTF-8 编码（Excel：“CSV UTF-8（逗号分隔）”；WPS、LibreOffice：文本 CSV，"
        "字符集 Unicode (UTF-8)），否则中文会成乱码。",
    ]


def head_labels(identity: Identity) -> dict[str, str]:
    """The locked cells of the form's head, by cell: its title, unit, month and period."""
    start, end = date(identity.year, identity.month, 1), month_end(identity.year, identity.month)
    return {
        TITLE_CELL: f"{identity.title} · {identity.month}月进度填报表",
        "A2": f"报送单位：{identity.unit}",
        MONTH_CELL: f"填报月份：{identity.year}年{identity.month}月",
        "I2": f"填报期间：{start.isoformat()}至{end.isoformat()}",
    }


def form_bytes(plan: FormPlan) -> bytes:
    """The form as an .xlsx: laid out, locked where known, validated where filled, for A4."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    _head(sheet, plan)
    for row in plan.rows:
        _row(sheet, row)
    _identity(sheet, plan)
    _validations(sheet, plan)
    _page(sheet, plan)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _styles() -> dict[str, Any]:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="808080")
    return {
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "grey": PatternFill("solid", fgColor="F2F2F2"),
        "off": PatternFill("solid", fgColor="D9D9D9"),
        "header": PatternFill("solid", fgColor="DDEBF7"),
        "bold": Font(bold=True),
        "title": Font(bold=True, size=14),
        "wrap": Alignment(wrap_text=True, vertical="center"),
        "centre": Alignment(horizontal="center", vertical="center", wrap_text=True),
    }


def put(cell: Any, value: Any) -> None:
    """A text cell is always text: openpyxl would take "=…" for a formula."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    elif isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"


def _head(sheet: Any, plan: FormPlan) -> None:
    from openpyxl.styles import Protection

    style = _styles()
    identity = plan.identity
    labels = head_labels(identity)
    last = COLUMNS_LAST
    sheet.merge_cells(f"A1:{last}1")
    put(sheet["A1"], labels["A1"])
    sheet["A1"].font = style["title"]
    sheet["A1"].alignment = style["centre"]
    sheet.row_dimensions[1].height = 28
    for span, text in (
        ("A2:D2", labels["A2"]),
        ("E2:H2", labels["E2"]),
        ("I2:O2", labels["I2"]),
        ("A3:B3", "报送人（姓名）："),
        ("E3:O3", f"表单编号：{form_id(identity)}（收回时据此核对，请勿修改）"),
    ):
        sheet.merge_cells(span)
        corner = sheet[span.split(":")[0]]
        put(corner, text)
        corner.font = style["bold"]
    sheet.merge_cells("C3:D3")
    person = sheet[PERSON_CELL]
    person.protection = Protection(locked=False)
    person.border = style["border"]
    for offset, text in enumerate(instructions(plan)):
        row = 4 + offset
        sheet.merge_cells(f"A{row}:{last}{row}")
        put(sheet[f"A{row}"], text)
        sheet[f"A{row}"].alignment = style["wrap"]
        sheet.row_dimensions[row].height = 30
    for index, (name, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(HEADER_ROW, index)
        put(cell, name)
        cell.font = style["bold"]
        cell.fill = style["header"]
        cell.alignment = style["centre"]
        cell.border = style["border"]
        sheet.column_dimensions[cell.column_letter].width = width
    sheet.row_dimensions[HEADER_ROW].height = 30


COLUMNS_LAST = "O"


def _row(sheet: Any, row: FormRow) -> None:
    from openpyxl.styles import Protection

    style = _styles()
    number = row.key.row
    known: list[Any] = [
        row.ref,
        row.content,
        row.what,
        row.unit,
        row.target,
        row.last,
        row.last_day,
        row.due,
        row.state,
        _planned(row),
    ]
    for index, value in enumerate(known, start=1):
        cell = sheet.cell(number, index)
        put(cell, value)
        cell.fill = style["grey"]
    fill = (
        (VALUE_COLUMN, DATE_COLUMN, EVIDENCE_COLUMN, NOTE_COLUMN)
        if row.fill != TICKED
        else (DONE_COLUMN, DATE_COLUMN, EVIDENCE_COLUMN, NOTE_COLUMN)
    )
    for letter in "ABCDEFGHIJKLMNO":
        cell = sheet[f"{letter}{number}"]
        cell.border = style["border"]
        cell.alignment = style["centre"] if letter not in "BCNO" else style["wrap"]
        if letter in fill:
            cell.protection = Protection(locked=False)
            if letter == DATE_COLUMN:
                cell.number_format = "yyyy-mm-dd"
        elif letter in (VALUE_COLUMN, DONE_COLUMN):
            cell.fill = style["off"]
    put(sheet[f"{CODE_COLUMN}{number}"], row.key.key)
    lines = max(_lines(row.content, 30), _lines(row.what, 22), 1)
    sheet.row_dimensions[number].height = 15 * lines + 3


def _planned(row: FormRow) -> float | None:
    """序时进度 to the target's precision, as `status` shows it (368 of 700 人, 2.1 of 2.2)."""
    if row.planned is None:
        return None
    total = row.target if isinstance(row.target, float | int) else 100.0
    return float(planned_amount(row.planned, total))


def _lines(text: str, width: int) -> int:
    """How many lines ``text`` wraps to in a column ``width`` characters wide (a Chinese
    character counting two): Excel and LibreOffice do not grow a row for wrapped text that
    openpyxl wrote, so the height is set from this."""
    cells = sum(2 if ord(char) > 0x2E7F else 1 for char in text)
    return -(-cells // max(1, width - 2))


def _identity(sheet: Any, plan: FormPlan) -> None:
    put(sheet[f"{CODE_COLUMN}1"], FORMAT)
    put(sheet[f"{CODE_COLUMN}2"], checksum(plan.identity))
    put(sheet[f"{CODE_COLUMN}3"], encode(plan.identity))
    sheet.column_dimensions[CODE_COLUMN].hidden = True
    end = FIRST_ROW + len(plan.rows) + 1
    sheet.merge_cells(f"A{end}:{COLUMNS_LAST}{end}")
    put(
        sheet[f"A{end}"],
        f"表单编号 {form_id(plan.identity)} · {plan.identity.unit} · "
        f"{plan.identity.year}年{plan.identity.month}月 · 由 minsheng forms 生成，"
        "请勿增删行列；报送后由 minsheng intake 收回登记。",
    )


def _validations(sheet: Any, plan: FormPlan) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    def rule(kind: str, title: str, error: str, **options: Any) -> DataValidation:
        found = DataValidation(
            type=kind,
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=title,
            error=error,
            **options,
        )
        sheet.add_data_validation(found)
        return found

    counts = rule(
        "decimal",
        "请填数字",
        "请填不小于0的累计数（只填数字）。",
        operator="greaterThanOrEqual",
        formula1="0",
    )
    percents = rule(
        "decimal",
        "请填0—100",
        "请填0到100之间的数字，55表示55%。",
        operator="between",
        formula1="0",
        formula2="100",
    )
    done = rule("list", "请选择", "请选择“是”或“否”。", formula1='"是,否"')
    start, end = plan.start, plan.end
    days = rule(
        "date",
        "日期不在本月",
        f"请填{start.isoformat()}至{end.isoformat()}之间的日期。",
        operator="between",
        formula1=f"DATE({start.year},{start.month},{start.day})",
        formula2=f"DATE({end.year},{end.month},{end.day})",
    )
    year_start = date(start.year, 1, 1)
    done_days = rule(
        "date",
        "日期不在本年本月以前",
        f"请填{year_start.isoformat()}至{end.isoformat()}之间的完成日期。",
        operator="between",
        formula1=f"DATE({start.year},1,1)",
        formula2=f"DATE({end.year},{end.month},{end.day})",
    )
    for row in plan.rows:
        number = row.key.row
        target = {COUNT: counts, PERCENT: percents, TICKED: done}[row.fill]
        letter = DONE_COLUMN if row.fill == TICKED else VALUE_COLUMN
        target.add(f"{letter}{number}")
        (done_days if row.fill == TICKED else days).add(f"{DATE_COLUMN}{number}")


def _page(sheet: Any, plan: FormPlan) -> None:
    sheet.freeze_panes = f"D{FIRST_ROW}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.print_area = f"A1:{COLUMNS_LAST}{FIRST_ROW + len(plan.rows) + 1}"
    setup = sheet.page_setup
    setup.orientation = "landscape"
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.5
    sheet.print_options.horizontalCentered = True
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
