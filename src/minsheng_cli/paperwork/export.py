"""The 台账 as a table: Excel (openpyxl), CSV (UTF-8 with a BOM, CRLF) or JSON.

One row per milestone (one per month of a monthly duty) with the notice's columns, the due date,
the state and the latest progress. A cell that begins with = + - @, a tab or a carriage return is
always text, never a formula: a string cell in Excel, a leading ' in CSV (OWASP's advice).
openpyxl is imported only when an Excel file is asked for.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import date
from typing import Any, NamedTuple

from minsheng_cli.core.evaluate import MilestoneStatus, Snapshot, State, value_timeline
from minsheng_cli.core.units import units_label
from minsheng_cli.i18n import _
from minsheng_cli.ledger.model import INVESTMENT_KEY, Attachment, Item, Record
from minsheng_cli.paperwork.outline import (
    ExportRow,
    UnitSummary,
    export_rows,
    latest_text,
    milestone_text,
    text_width,
    unit_summaries,
)
from minsheng_cli.render.json import attachment_json, number, snapshot_header
from minsheng_cli.render.labels import amounts_text, deadline_label, state_label
from minsheng_cli.render.tables import adjustment_text

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_COLUMN_WIDTH = 60
MIN_COLUMN_WIDTH = 6
STATE_FILLS = {
    State.MET: "C8E6C9",
    State.MET_LATE: "B2DFDB",
    State.OVERDUE: "FFCDD2",
    State.DUE_SOON: "FFF59D",
    State.PENDING: "EEEEEE",
}
HEADER_FILL = "D9D9D9"
LINE_HEIGHT_POINTS = 15.0

Cell = str | int | float | date | None


class Column(NamedTuple):
    header: str
    number_format: str | None = None


class Extras(NamedTuple):
    """The columns only some lists need: 实施点位 and 计划投资/完成投资 (as of ``as_of``)."""

    sites: bool = False
    money: bool = False
    as_of: date = date.max
    evidence: bool = False
    """佐证材料: the files attached to the records behind 最近进度 (when any row has one)."""


NO_EXTRAS = Extras()


def extras_of(rows: Sequence[ExportRow], as_of: date) -> Extras:
    items = {row.item.ref: row.item for row in rows}.values()
    money = any(item.investment is not None for item in items)
    evidence = any(row.evidence for row in rows)
    return Extras(any(item.sites for item in items), money, as_of, evidence)


def spent(item: Item, as_of: date) -> float | None:
    """完成投资: the last value recorded by ``as_of`` (corrections applied), if any."""
    values = [v for day, v in value_timeline(item.records) if day <= as_of]
    return values[-1].get(INVESTMENT_KEY) if values else None


def _plain(value: float | None) -> int | float | None:
    return None if value is None else number(value)


def ledger_columns(extras: Extras = NO_EXTRAS) -> tuple[Column, ...]:
    """The notice's columns (序号 … 备注), then 到期日, 状态, 逾期天数, 最近进度 and its date
    (for a met milestone, the values it was met with and the day it was met)."""
    return (
        Column(_("No.")),
        Column(_("Item")),
        Column(_("Project")),
        Column(_("Content of the 实事")),
        Column(_("Milestone No.")),
        Column(_("Deadline")),
        Column(_("Milestone")),
        Column(_("Leader")),
        Column(_("Unit")),
        Column(_("Note")),
        Column(_("Due"), "yyyy-mm-dd"),
        Column(_("State")),
        Column(_("Days late")),
        Column(_("Latest progress")),
        Column(_("Reported on"), "yyyy-mm-dd"),
        Column(_("Adjusted")),
        *((Column(_("Sites")),) if extras.sites else ()),
        *((Column(_("Planned investment")), Column(_("Investment spent"))) if extras.money else ()),
        *((Column(_("Evidence")),) if extras.evidence else ()),
    )


STATE_COLUMN = 11
"""The index of 状态 in ``ledger_columns``: the cell that is coloured."""


def ledger_cells(row: ExportRow, extras: Extras = NO_EXTRAS) -> tuple[Cell, ...]:
    status, item = row.status, row.item
    sites: tuple[Cell, ...] = ("、".join(item.sites),) if extras.sites else ()
    done = spent(item, extras.as_of)
    money: tuple[Cell, ...] = (_plain(item.investment), _plain(done)) if extras.money else ()
    evidence: tuple[Cell, ...] = (attachments_text(row.evidence),) if extras.evidence else ()
    return (
        item.project,
        item.ref,
        item.project_name,
        item.content,
        status.milestone.number,
        deadline_label(status),
        milestone_text(status),
        item.leader,
        units_label(item),
        item.note,
        status.due,
        state_label(status.state),
        row.days_late,
        latest_text(row),
        row.progress[1],
        adjustment_text(status),
        *sites,
        *money,
        *evidence,
    )


def attachments_text(attachments: Sequence[Attachment]) -> str:
    """验收证书.pdf（evidence/3f/3f…9a.pdf）: each file's name and where it is stored."""
    return "；".join(f"{a.name}（{a.path}）" for a in attachments)


class EvidenceRow(NamedTuple):
    """One attached file of the 佐证材料 list: the record it came with, and the file."""

    item: Item
    record: Record
    attachment: Attachment


def evidence_rows(snapshot: Snapshot) -> list[EvidenceRow]:
    """Every file attached to a record dated by the as-of date, in ledger order, then by date."""
    return [
        EvidenceRow(status.item, record, attachment)
        for status in snapshot.items
        for record in sorted(status.records, key=lambda r: r.date)
        for attachment in record.attachments
    ]


def evidence_what(row: EvidenceRow) -> str:
    """What the record says: the milestone it ticks (#n text) or the values it reports."""
    item, record = row.item, row.record
    named = item.milestone_of(record)
    if named is not None:
        month = f"（{record.period}月）" if record.period else ""
        verb = _("ticked: {text}") if record.done else _("tick taken back: {text}")
        if record.attach_to is not None:
            verb = _("files added: {text}")
        return verb.format(text=f"#{named.number} {named.text}{month}")
    if not record.values:
        return _("files of the item")
    return amounts_text(record.values, item)


def evidence_columns() -> tuple[Column, ...]:
    return (
        Column(_("Item")),
        Column(_("What")),
        Column(_("Date"), "yyyy-mm-dd"),
        Column(_("File")),
        Column(_("Stored as")),
        Column(_("SHA-256")),
        Column(_("Size (bytes)")),
    )


def evidence_cells(row: EvidenceRow) -> tuple[Cell, ...]:
    attachment = row.attachment
    return (
        row.item.ref,
        evidence_what(row),
        row.record.date,
        attachment.name,
        attachment.path,
        attachment.sha256,
        attachment.size,
    )


def evidence_json(row: EvidenceRow) -> dict[str, Any]:
    """One attached file in `export --format json`'s ``evidence`` list."""
    named = row.item.milestone_of(row.record)
    return {
        "item": row.item.ref,
        "milestone": None if named is None else named.number,
        "date": row.record.date.isoformat(),
        **attachment_json(row.attachment),
    }


def unit_columns(partners: bool) -> tuple[Column, ...]:
    """The per-unit sheet's columns; 配合事项 only where some item has partners."""
    return (
        Column(_("Unit")),
        Column(_("Lead items") if partners else _("Items")),
        *((Column(_("Partner items")),) if partners else ()),
        *(Column(state_label(state)) for state in State),
        Column(_("Total")),
        Column(_("Overall completion"), "0.0%"),
    )


def unit_cells(summary: UnitSummary, partners: bool) -> tuple[Cell, ...]:
    states = tuple(summary.states[state] for state in State)
    shared = (summary.partner_items,) if partners else ()
    completion = round(summary.completion, 4)
    return (summary.unit, summary.items, *shared, *states, sum(states), completion)


def export_content(snapshot: Snapshot, fmt: str, data_version: str = "") -> str | bytes:
    """The 台账 in ``fmt``; ``data_version`` (数据版本: the commit it was made from) goes in the
    JSON's header and the workbook's properties and page header (a CSV has no header)."""
    rows = export_rows(snapshot)
    if fmt == "xlsx":
        return workbook_bytes(snapshot, rows, data_version)
    if fmt == "csv":
        return csv_bytes(rows, snapshot.as_of)
    if fmt == "json":
        return json_text(snapshot, rows, data_version)
    raise ValueError(fmt)


# --- JSON --------------------------------------------------------------------------------------


def row_json(row: ExportRow, as_of: date) -> dict[str, Any]:
    """One milestone of the 台账; the keys are part of the README's JSON contract."""
    status, item, milestone = row.status, row.item, row.status.milestone
    return {
        "project": item.project,
        "item": item.ref,
        "name": item.project_name,
        "content": item.content,
        "milestone": milestone.number,
        "track": milestone.track,
        "deadline": milestone.deadline,
        "period": status.period,
        "text": milestone.text,
        "leader": item.leader,
        "unit": item.unit,
        "partners": list(item.partners),
        "sites": list(item.sites),
        "investment": investment_json(item, as_of),
        "note": item.note,
        "due": status.due.isoformat() if status.due else None,
        "state": status.state.value,
        "met_on": status.met_on.isoformat() if status.met_on else None,
        "days_late": status.days_late,
        "implied": milestone.implied,
        "latest": {name: number(value) for name, value in row.latest.items()},
        "latest_date": row.latest_date.isoformat() if row.latest_date else None,
        "adjustment": adjustment_json(status),
        "evidence": [attachment_json(a) for a in row.evidence],
    }


def investment_json(item: Item, as_of: date) -> dict[str, Any] | None:
    """计划投资 and 完成投资 (the last recorded by the as-of date), or null."""
    if item.investment is None:
        return None
    done = spent(item, as_of)
    return {
        "planned": number(item.investment),
        "unit": item.investment_unit,
        "spent": None if done is None else number(done),
    }


def adjustment_json(status: MilestoneStatus) -> dict[str, Any] | None:
    """原定 and 调整: the deadline and targets as the notice set them, and the approval."""
    adjustment = status.adjustment
    if adjustment is None:
        return None
    original, record = adjustment.original, adjustment.record
    return {
        "original_deadline": original.deadline,
        "original_due": original.due.isoformat() if original.due else None,
        "original_targets": {name: number(value) for name, value in original.targets.items()},
        "approval": record.approval,
        "date": record.date.isoformat(),
        "days_late_when_approved": adjustment.late_before,
    }


def json_text(snapshot: Snapshot, rows: Sequence[ExportRow], data_version: str = "") -> str:
    data = {
        **snapshot_header(snapshot),
        "data_version": data_version or None,
        "rows": [row_json(row, snapshot.as_of) for row in rows],
        "evidence": [evidence_json(row) for row in evidence_rows(snapshot)],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# --- CSV ---------------------------------------------------------------------------------------


def defuse(text: str) -> str:
    """A cell that a spreadsheet would read as a formula gets a leading ' (OWASP)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return defuse(value)
    return str(value)


def csv_bytes(rows: Sequence[ExportRow], as_of: date = date.max) -> bytes:
    """UTF-8 with a BOM and CRLF line ends, so that Excel and WPS open it as Chinese text."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    extras = extras_of(rows, as_of)
    writer.writerow([defuse(column.header) for column in ledger_columns(extras)])
    for row in rows:
        writer.writerow([csv_text(value) for value in ledger_cells(row, extras)])
    return buffer.getvalue().encode("utf-8-sig")


# --- Excel -------------------------------------------------------------------------------------


def cell_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def workbook_bytes(snapshot: Snapshot, rows: Sequence[ExportRow], data_version: str = "") -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    ledger_sheet = workbook.active
    ledger_sheet.title = _("Ledger")
    extras = extras_of(rows, snapshot.as_of)
    cells = [ledger_cells(row, extras) for row in rows]
    fill_sheet(ledger_sheet, ledger_columns(extras), cells)
    colour_states(ledger_sheet, rows)
    unit_sheet = workbook.create_sheet(_("By unit"))
    partners = any(item.partners for item in snapshot.ledger.items)
    units = [unit_cells(s, partners) for s in unit_summaries(snapshot)]
    fill_sheet(unit_sheet, unit_columns(partners), units)
    evidence = evidence_rows(snapshot)
    if evidence:
        evidence_sheet = workbook.create_sheet(_("Evidence"))
        fill_sheet(evidence_sheet, evidence_columns(), [evidence_cells(row) for row in evidence])
    describe(workbook, snapshot, data_version)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def fill_sheet(sheet: Any, columns: Sequence[Column], rows: Sequence[Sequence[Cell]]) -> None:
    """Header, rows, a frozen header row, a filter, widths that fit, long text wrapped."""
    from openpyxl.styles import Alignment, Font, PatternFill

    for index, column in enumerate(columns, start=1):
        put(sheet.cell(row=1, column=index), column.header)
        sheet.cell(row=1, column=index).font = Font(bold=True)
        sheet.cell(row=1, column=index).fill = PatternFill("solid", fgColor=HEADER_FILL)
    for row_index, values in enumerate(rows, start=2):
        for column_index, value in enumerate(values, start=1):
            cell = sheet.cell(row=row_index, column=column_index)
            put(cell, value)
            if columns[column_index - 1].number_format and value is not None:
                cell.number_format = columns[column_index - 1].number_format
    widths = column_widths(columns, rows)
    wrapped = [index for index, width in enumerate(widths) if width >= MAX_COLUMN_WIDTH]
    top, wrap = Alignment(vertical="top"), Alignment(vertical="top", wrap_text=True)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width
    for row_index, values in enumerate(rows, start=2):
        for index in range(len(columns)):
            alignment = wrap if index in wrapped else top
            sheet.cell(row=row_index, column=index + 1).alignment = alignment
        lines = max((line_count(values[i], widths[i]) for i in wrapped), default=1)
        if lines > 1:
            sheet.row_dimensions[row_index].height = lines * LINE_HEIGHT_POINTS
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def put(cell: Any, value: Cell) -> None:
    """Every text is a string cell: openpyxl would take "=…" for a formula; Excel never sees one."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True


def line_count(value: Cell, width: int) -> int:
    """How many lines a wrapped cell needs (Excel and WPS do not grow a row by themselves)."""
    return max(1, -(-text_width(cell_text(value)) // max(1, width - 2)))


def column_widths(columns: Sequence[Column], rows: Sequence[Sequence[Cell]]) -> list[int]:
    widths = [text_width(column.header) for column in columns]
    for values in rows:
        for index, value in enumerate(values):
            widths[index] = max(widths[index], text_width(cell_text(value)))
    return [max(MIN_COLUMN_WIDTH, min(MAX_COLUMN_WIDTH, width + 2)) for width in widths]


def colour_states(sheet: Any, rows: Sequence[ExportRow]) -> None:
    from openpyxl.styles import PatternFill

    fills = {state: PatternFill("solid", fgColor=colour) for state, colour in STATE_FILLS.items()}
    for row_index, row in enumerate(rows, start=2):
        sheet.cell(row=row_index, column=STATE_COLUMN + 1).fill = fills[row.status.state]


def describe(workbook: Any, snapshot: Snapshot, data_version: str = "") -> None:
    """The title and as-of date (and 数据版本) in the file's properties and in every printed
    page's header."""
    workspace = snapshot.ledger.workspace
    as_of = _("as of {date}").format(date=snapshot.as_of.isoformat())
    if data_version:
        as_of += " " + _("data version: {version}").format(version=data_version)
    workbook.properties.title = workspace.title
    workbook.properties.subject = as_of
    for sheet in workbook.worksheets:
        sheet.oddHeader.center.text = f"{workspace.title} {as_of}".replace("&", "&&")
        sheet.oddFooter.center.text = "&P / &N"
