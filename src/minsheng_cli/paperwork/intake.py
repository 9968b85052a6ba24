"""Reading a filled form back: an .xlsx as Excel or WPS saved it, or a CSV saved from it.

``read_grid`` turns the file into cells by (row, column), whatever its kind; ``read_form`` reads
the form's identity (core.formid) and every filled row into the records they stand for
(write.batch), or the problems, each one line naming the file and the cell. A formula is never
evaluated: its value as the spreadsheet last saved it is read, and one saved without a value is
refused. A file that is neither a zip (xlsx) nor text is an encrypted (password-protected) or
old-format Office file, or damaged.
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any, NamedTuple

from minsheng_cli.core.asof import parse_day
from minsheng_cli.core.formid import (
    FORMAT,
    LABEL_COLUMNS,
    TICK,
    BadIdentity,
    Identity,
    RowKey,
    content_hash,
    decode,
    form_id,
    label_digest,
)
from minsheng_cli.errors import UsageError
from minsheng_cli.i18n import _
from minsheng_cli.ledger.deadlines import month_end
from minsheng_cli.ledger.model import PERCENT_KEY
from minsheng_cli.paperwork.forms import (
    CODE_COLUMN,
    COLUMNS,
    DATE_COLUMN,
    DONE_COLUMN,
    EVIDENCE_COLUMN,
    HEADER_ROW,
    MONTH_CELL,
    NOTE_COLUMN,
    PERSON_CELL,
    SHEET,
    TITLE_CELL,
    VALUE_COLUMN,
    head_labels,
)
from minsheng_cli.text import CONTROL_CHARACTERS, format_amount
from minsheng_cli.write.batch import FormBatch, FormTick, FormValue

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""An encrypted .xlsx (a password to open) and an old .xls are both OLE compound files."""
YES, NO = "是", "否"
_MONTH_DAY = re.compile(r"^(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?$")
CODE = 16
"""Column P, the form's identity and row keys, as a number."""


class Unreadable(Exception):
    """The file is not a form that can be read; the message is the one line to show."""


class Cell(NamedTuple):
    value: Any
    formula: bool = False
    """A formula saved without a value: nothing to read, and never evaluated."""
    percent: bool = False
    """The spreadsheet shows it as a percentage (55% is stored as 0.55)."""


class Grid(NamedTuple):
    name: str
    sheet: str | None
    cells: dict[tuple[int, int], Cell]

    def at(self, reference: str) -> str:
        """Where a cell is, as messages name it: 表.xlsx!填报表!K12 (a CSV: 表.csv!K12)."""
        return f"{self.name}!{self.sheet}!{reference}" if self.sheet else f"{self.name}!{reference}"

    def get(self, reference: str) -> Cell:
        letters = reference.rstrip("0123456789")
        row = int(reference[len(letters) :])
        column = 0
        for letter in letters:
            column = column * 26 + ord(letter) - ord("A") + 1
        return self.cells.get((row, column), Cell(None))


def read_grid(path: Path) -> Grid:
    """The file's cells: an .xlsx by openpyxl, anything else that is text as CSV."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise Unreadable(
            _("{file}: cannot be read ({error})").format(file=path.name, error=exc.strerror or exc)
        ) from exc
    if data.startswith(OLE_MAGIC):
        if path.suffix.lower() in OLE_OTHERS:
            raise Unreadable(_not_a_workbook(path.name, OLE_OTHERS[path.suffix.lower()]))
        raise Unreadable(
            _(
                "{file}: damaged or password-protected (or an old .xls): save it in Excel or WPS"
                " as .xlsx without a password, then take it in again"
            ).format(file=path.name)
        )
    if data.startswith(ZIP_MAGIC):
        _check_workbook(path.name, data)
        return _xlsx_grid(path.name, data)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raise Unreadable(
            _("{file}: damaged (not an Excel file inside); ask the unit to send it again").format(
                file=path.name
            )
        )
    return _csv_grid(path.name, data)


def _kinds() -> dict[str, str]:
    """What a zip that is not a workbook is, by the part that names its kind."""
    return {
        "word/document.xml": _("this is a Word document"),
        "ppt/presentation.xml": _("this is a PowerPoint presentation"),
    }


OLE_OTHERS = {".doc": "word/document.xml", ".ppt": "ppt/presentation.xml"}
"""An old Word or PowerPoint file (an OLE file, as an old .xls is), told by its name."""


def _check_workbook(name: str, data: bytes) -> None:
    """A zip that is an Excel workbook: a .docx, .pptx or any other zip is not a form."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise Unreadable(_damaged(name)) from None
    if "xl/workbook.xml" in parts:
        return
    part = next((p for p in _kinds() if p in parts), "")
    raise Unreadable(_not_a_workbook(name, part))


def _not_a_workbook(name: str, part: str) -> str:
    kind = _kinds().get(part) or _("a zip archive, not an Excel workbook")
    return _(
        "{file}: not a form made by `minsheng forms` ({kind}); only those forms can be taken in"
    ).format(file=name, kind=kind)


def _damaged(name: str) -> str:
    return _("{file}: damaged (Excel cannot open it as a workbook); ask for it again").format(
        file=name
    )


def get_column_letter(column: int) -> str:
    """1 → A, 16 → P, 27 → AA."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _xlsx_grid(name: str, data: bytes) -> Grid:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), data_only=False)
    except Exception as exc:  # openpyxl raises anything on a damaged file; it is the file's fault
        raise Unreadable(_damaged(name)) from exc
    sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
    cached: Any = None
    cells: dict[tuple[int, int], Cell] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is None:
                continue
            percent = "%" in str(cell.number_format)
            if cell.data_type != "f":
                cells[(cell.row, cell.column)] = Cell(cell.value, percent=percent)
                continue
            if cached is None:
                cached = load_workbook(io.BytesIO(data), data_only=True)[sheet.title]
            value = cached.cell(cell.row, cell.column).value
            cells[(cell.row, cell.column)] = Cell(value, value is None, percent)
    return Grid(name, sheet.title, cells)


def _csv_grid(name: str, data: bytes) -> Grid:
    """A CSV as LibreOffice saves it (UTF-8), or as Excel and WPS do on Chinese Windows (GBK)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        # Saved in a charset that is neither (LibreOffice's Western Europe, say): the form's code
        # is ASCII and still reads; its Chinese is garbled, which _check_csv_text says.
        text = data.decode("utf-8", errors="replace")
    if "\0" in text:
        raise Unreadable(_form_not_ours(name))
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    cells: dict[tuple[int, int], Cell] = {}
    try:
        for row, values in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
            for column, value in enumerate(values, start=1):
                if value.strip():
                    cells[(row, column)] = Cell(value)
    except csv.Error as exc:
        raise Unreadable(_form_not_ours(name)) from exc
    return Grid(name, None, cells)


def _form_not_ours(where: str) -> str:
    return _(
        "{where}: not a form made by `minsheng forms` (no form code in its hidden column P);"
        " only those forms can be taken in"
    ).format(where=where)


class Read(NamedTuple):
    batch: FormBatch | None
    problems: list[str]


def read_form(path: Path, today: date, *, dry_run: bool = False) -> Read:
    """The form's identity and filled rows with the problems of the rows (each
    `file!sheet!cell: …`), checked against the ledger later (write.batch) so that every problem
    of the form is listed; or, for a file that is not a whole form, its problems alone.
    ``dry_run``: nothing will be recorded, and the warnings say what would be."""
    try:
        grid = read_grid(path)
        identity = _identity(grid)
        _check_csv_text(grid)
    except Unreadable as exc:
        return Read(None, [str(exc)])
    problems: list[str] = []
    _check_shape(grid, identity, problems)
    if not problems:
        _check_labels(grid, identity, problems)
    if problems:
        return Read(None, problems)
    reader = _RowReader(grid, identity, today, problems)
    values, ticks = reader.rows()
    person = reader.text(PERSON_CELL)
    hashed = content_hash(form_id(identity), [*reader.filled, ["person", person]])
    batch = FormBatch(
        path.name,
        grid.at(TITLE_CELL),
        grid.at(MONTH_CELL),
        identity,
        hashed,
        person,
        tuple(values),
        tuple(ticks),
        () if person else (_blank_person(grid, dry_run),),
        tuple(problems),
    )
    return Read(batch, [])


def _blank_person(grid: Grid, dry_run: bool) -> str:
    if dry_run:
        return _(
            "{where}: 报送人 is blank; it would be recorded as reported by the unit alone (ask"
            " the unit who reported it)"
        ).format(where=grid.at(PERSON_CELL))
    return _(
        "{where}: 报送人 is blank; recorded as reported by the unit alone (ask the unit who"
        " reported it)"
    ).format(where=grid.at(PERSON_CELL))


def _identity(grid: Grid) -> Identity:
    if str(grid.get(f"{CODE_COLUMN}1").value or "").strip() != FORMAT:
        _code_elsewhere(grid)
        raise Unreadable(_form_not_ours(grid.at(f"{CODE_COLUMN}1")))
    try:
        return decode(
            str(grid.get(f"{CODE_COLUMN}3").value or ""),
            str(grid.get(f"{CODE_COLUMN}2").value or ""),
        )
    except BadIdentity:
        raise Unreadable(
            _(
                "{where}: the form's code was changed or damaged (it does not match its"
                " checksum); fill a fresh copy of the form made by `minsheng forms`"
            ).format(where=grid.at(f"{CODE_COLUMN}3"))
        ) from None


def _code_elsewhere(grid: Grid) -> None:
    """A form whose code is in another column than P: columns were inserted or deleted."""
    for (row, column), cell in sorted(grid.cells.items()):
        if row <= 3 and column != CODE and str(cell.value or "").strip() == FORMAT:
            letter = get_column_letter(column)
            raise Unreadable(
                _(
                    "{where}: columns were inserted or deleted (the form's code is in column"
                    " {column}, not P); fill in the original form, without changing its columns"
                ).format(where=grid.at(f"{letter}{row}"), column=letter)
            )


def _check_csv_text(grid: Grid) -> None:
    """A CSV whose code reads but whose Chinese does not (saved in a charset that has no
    Chinese, so 序号 came out as ?? or as mojibake): say how to save it, not "not a form"."""
    if grid.sheet is not None:
        return
    header = [
        str(grid.get(f"{get_column_letter(i)}{HEADER_ROW}").value or "").strip()
        for i in range(1, len(COLUMNS) + 1)
    ]
    if header != [name for name, _width in COLUMNS]:
        raise Unreadable(
            _(
                "{file}: the CSV's Chinese is garbled (it was saved in a character set without"
                " Chinese); send the .xlsx, or save the CSV again as UTF-8 (LibreOffice: 文本 CSV,"
                " 字符集 Unicode (UTF-8); Excel: CSV UTF-8) or GBK"
            ).format(file=grid.name)
        )


def _check_shape(grid: Grid, identity: Identity, problems: list[str]) -> None:
    """Every row where the form put it: its key beside it, its reference in column A."""
    for key in identity.rows:
        shown = str(grid.get(f"{CODE_COLUMN}{key.row}").value or "").strip()
        ref = str(grid.get(f"A{key.row}").value or "").strip()
        wanted = key.item if key.kind != TICK else f"{key.item}#{key.milestone}"
        if shown != key.key or ref != wanted:
            problems.append(
                _(
                    "{where}: rows were added, removed or moved (row {row} should be {ref});"
                    " fill a fresh copy of the form, without changing its rows"
                ).format(where=grid.at(f"A{key.row}"), row=key.row, ref=wanted)
            )
            return


def _check_labels(grid: Grid, identity: Identity, problems: list[str]) -> None:
    """The locked text as the form showed it: its head (the unit, the month) as the identity
    says, each row's label cells as their digests in the identity (a form made before those
    were kept has none to compare)."""
    for reference, text in head_labels(identity).items():
        if " ".join(str(grid.get(reference).value or "").split()) != text:
            problems.append(
                _(
                    "{where}: the locked text was changed (it should read “{text}”); fill in the"
                    " original form"
                ).format(where=grid.at(reference), text=text)
            )
    for key in identity.rows:
        for index, letter in enumerate(LABEL_COLUMNS[: len(key.shown) // 4]):
            reference = f"{letter}{key.row}"
            if label_digest(grid.get(reference).value) != key.shown[4 * index : 4 * index + 4]:
                problems.append(
                    _(
                        "{where}: the {column} does not match the ledger (locked text in the form"
                        " was changed); fill in the original form"
                    ).format(where=grid.at(reference), column=_label_name(letter, key))
                )


def _label_name(letter: str, key: RowKey) -> str:
    tick = key.kind == TICK
    return {
        "B": "实事及子项",
        "C": "节点内容" if tick else "填报事项",
        "D": "计量单位",
        "E": "时限" if tick else "目标",
    }[letter]


class _RowReader:
    """The filled cells of each row, read as the records they stand for."""

    def __init__(self, grid: Grid, identity: Identity, today: date, problems: list[str]) -> None:
        self.grid = grid
        self.identity = identity
        self.start = date(identity.year, identity.month, 1)
        self.end = month_end(identity.year, identity.month)
        self.default_day = max(self.start, min(self.end, today))
        self.problems = problems
        self.filled: list[list[str]] = []

    def rows(self) -> tuple[list[FormValue], list[FormTick]]:
        values: list[FormValue] = []
        ticks: list[FormTick] = []
        for key in self.identity.rows:
            self._misfilled(key)
            if key.kind == TICK:
                tick = self._tick(key)
                if tick is not None:
                    ticks.append(tick)
            else:
                value = self._value(key)
                if value is not None:
                    values.append(value)
        return values, ticks

    def _misfilled(self, key: RowKey) -> None:
        """A cell filled where the row's kind takes nothing, which would otherwise be ignored: a
        figure in a milestone's row, 是否完成 in a figure's, a date or 佐证材料 beside nothing."""
        row = key.row
        filled = {
            c: self.grid.get(f"{c}{row}").value not in (None, "")
            for c in (VALUE_COLUMN, DONE_COLUMN, DATE_COLUMN, EVIDENCE_COLUMN)
        }
        if key.kind == TICK:
            wrong, done = VALUE_COLUMN, self.text(f"{DONE_COLUMN}{row}") == YES
            message = _("this row is a milestone and takes no figure; choose 是 in {cell} if done")
        else:
            wrong, done = DONE_COLUMN, filled[VALUE_COLUMN]
            message = _("this row is a figure and takes no 是 or 否; type the figure in {cell}")
        column = DONE_COLUMN if key.kind == TICK else VALUE_COLUMN
        if filled[wrong]:
            self._misplaced(f"{wrong}{row}", message.format(cell=f"{column}{row}"))
        for extra in (DATE_COLUMN, EVIDENCE_COLUMN):
            if filled[extra] and not done:
                unused = (
                    _(
                        "{cell} is not 是: choose 是 in {cell} if the milestone is done,"
                        " or clear this"
                    )
                    if key.kind == TICK
                    else _("{cell} has no figure: type the figure in {cell}, or clear this")
                )
                self._misplaced(f"{extra}{row}", unused.format(cell=f"{column}{row}"))

    def _misplaced(self, reference: str, message: str) -> None:
        self.problems.append(
            _("{where}: {problem}").format(where=self.grid.at(reference), problem=message)
        )

    def _value(self, key: RowKey) -> FormValue | None:
        where = f"{VALUE_COLUMN}{key.row}"
        number = self.number(where, percent=key.name == PERCENT_KEY)
        if number is None:
            return None
        day, given = self.day(f"{DATE_COLUMN}{key.row}")
        note = self._notes(key)
        self.filled.append([key.key, format_amount(number), given, note])
        if day is None:
            return None
        return FormValue(self.grid.at(where), key, number, day, note)

    def _notes(self, key: RowKey) -> str:
        evidence = self.text(f"{EVIDENCE_COLUMN}{key.row}")
        note = self.text(f"{NOTE_COLUMN}{key.row}")
        return "；".join(t for t in (note, evidence and f"佐证：{evidence}") if t)

    def _tick(self, key: RowKey) -> FormTick | None:
        where = f"{DONE_COLUMN}{key.row}"
        answer = unicodedata.normalize("NFKC", self.text(where)).strip()
        if answer in ("", NO):
            return None
        if answer != YES:
            self.problems.append(
                _("{where}: “{text}” is not 是 or 否; choose 是 if the milestone is done").format(
                    where=self.grid.at(where), text=answer
                )
            )
            return None
        day, given = self.day(f"{DATE_COLUMN}{key.row}", done=True)
        evidence = self.text(f"{EVIDENCE_COLUMN}{key.row}")
        note = self.text(f"{NOTE_COLUMN}{key.row}")
        self.filled.append([key.key, YES, given, evidence, note])
        if day is None:  # a date that is not one, or outside the month: said once, by day()
            return None
        if not given:
            self.problems.append(
                _("{where}: 是 needs the day it was done, in {cell} (a date up to {end})").format(
                    where=self.grid.at(where),
                    cell=f"{DATE_COLUMN}{key.row}",
                    end=self.end.isoformat(),
                )
            )
            return None
        return FormTick(self.grid.at(where), key, day, evidence, note)

    def text(self, reference: str) -> str:
        cell = self.grid.get(reference)
        if cell.formula:
            self._no_cached(reference)
            return ""
        value = cell.value
        if value is None:
            return ""
        if isinstance(value, datetime | date):
            return value.isoformat()[:10]
        text = str(value).strip()
        if CONTROL_CHARACTERS.search(text):
            self.problems.append(
                _("{where}: the text holds a control character; remove it").format(
                    where=self.grid.at(reference)
                )
            )
            return ""
        return " ".join(text.split())

    def number(self, reference: str, *, percent: bool) -> float | None:
        cell = self.grid.get(reference)
        where = self.grid.at(reference)
        if cell.formula:
            self._no_cached(reference)
            return None
        value = cell.value
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        found = _as_number(value, percent and cell.percent)
        if found is None:
            self.problems.append(
                _(
                    "{where}: “{text}” is not a number; type the cumulative figure alone"
                    " (e.g. 900), units and words in 备注"
                ).format(where=where, text=str(value).strip())
            )
        return found

    def day(self, reference: str, *, done: bool = False) -> tuple[date | None, str]:
        """The cell's date (the default day when blank), and the date as given ("" if blank).
        A figure's date is in the form's month; a milestone's (``done``) any day of the year up
        to the month's end: one done in an earlier month and never ticked off is ticked here."""
        cell = self.grid.get(reference)
        if cell.formula:
            self._no_cached(reference)
            return None, ""
        if cell.value is None or str(cell.value).strip() == "":
            return self.default_day, ""
        found = _as_date(cell.value, self.identity.year)
        where = self.grid.at(reference)
        if found is None:
            self.problems.append(
                _("{where}: “{text}” is not a date; write it as {example}").format(
                    where=where, text=str(cell.value).strip(), example=self.end.isoformat()
                )
            )
            return None, ""
        if done and not date(self.identity.year, 1, 1) <= found <= self.end:
            self.problems.append(
                _(
                    "{where}: {day} is outside {start} to {end}; a milestone done after the"
                    " form's month goes in that month's form"
                ).format(
                    where=where,
                    day=found.isoformat(),
                    start=date(self.identity.year, 1, 1).isoformat(),
                    end=self.end.isoformat(),
                )
            )
            return None, ""
        if not done and not self.start <= found <= self.end:
            self.problems.append(
                _(
                    "{where}: {day} is outside the form's month ({start} to {end}); what happened"
                    " in another month goes in that month's form"
                ).format(
                    where=where,
                    day=found.isoformat(),
                    start=self.start.isoformat(),
                    end=self.end.isoformat(),
                )
            )
            return None, ""
        return found, found.isoformat()

    def _no_cached(self, reference: str) -> None:
        self.problems.append(
            _(
                "{where}: a formula with no saved value (minsheng never calculates formulas);"
                " type the number itself, or open and save the file in Excel or WPS"
            ).format(where=self.grid.at(reference))
        )


def _as_number(value: Any, shown_as_percent: bool) -> float | None:
    """A cell's number: a number cell (55% shown is 0.55 stored), or text such as “1,200” or
    “55%”; None for anything else (a date, TRUE, words)."""
    if isinstance(value, bool | datetime | date):
        return None
    if isinstance(value, int | float):
        number = float(value) * (100 if shown_as_percent else 1)
    else:
        bare = unicodedata.normalize("NFKC", str(value)).strip().replace(",", "")
        bare = bare.removesuffix("%").strip()
        try:
            number = float(bare)
        except ValueError:
            return None
    return number if math.isfinite(number) else None


def _as_date(value: Any, year: int) -> date | None:
    """A cell's date: a date cell, an Excel day number, or text as the CLI reads dates
    (2023-06-28, 2023/6/28, 2023年6月28日) or without the year (6月28日, 6/28)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_excel(float(value))
    text = unicodedata.normalize("NFKC", str(value)).strip()
    text = text.split(" ")[0] if re.match(r"^\d{4}-\d{2}-\d{2} \d", text) else text
    try:
        return parse_day(text)
    except UsageError:
        pass
    found = _MONTH_DAY.match(text)
    if found is None:
        return None
    return _safe_date(year, int(found.group(1)), int(found.group(2)))


def _from_excel(number: float) -> date | None:
    if not 1 <= number < 2958466:
        return None
    from openpyxl.utils.datetime import from_excel

    converted: Callable[[float], Any] = from_excel
    found = converted(number)
    return found.date() if isinstance(found, datetime) else None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
