"""A form's identity: which ledger, month and unit it was made for, and what each row stands for.

Pure functions, no I/O. The identity travels inside the form itself (a hidden column of the
sheet, so that a CSV saved from it carries it too) as canonical JSON in base64, with its sha256
beside it: a form whose identity was edited, or whose rows were moved, is recognised as such.
The checksum is not a seal against forgery (anyone can compute a sha256); it catches a form
edited out of shape, sent for another month or unit, or made from another ledger.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from typing import Any, NamedTuple

from minsheng_cli.text import format_amount

FORMAT = "minsheng-form/1"
"""The first cell of the hidden column: what marks a sheet as a form minsheng made."""
VALUE = "value"
TICK = "tick"


class RowKey(NamedTuple):
    """What one row of a form stands for: an item's measure (an indicator, the work's
    percentage, its spending) or a milestone to tick off (one month of a monthly duty)."""

    row: int
    item: str
    """The item's reference when the form was made (3.1)."""
    digest: str
    """A digest of the item's text: a form row whose item was renumbered since no longer fits."""
    kind: str
    """VALUE or TICK."""
    name: str
    """The measure's name (an indicator, ``percent``), or the milestone's text."""
    milestone: int = 0
    period: int = 0
    """The month of a monthly duty (逐月), else 0."""
    shown: str = ""
    """What the row's locked label cells (LABEL_COLUMNS) showed, four hex digits of a digest
    each: a label edited in the sheet (a target, a milestone's text) is caught cell by cell.
    Empty on a form made before it was kept."""

    @property
    def key(self) -> str:
        """The row's key as the sheet writes it beside the row (3.1|户厕改造, 3.1#7, 7.2#2@6)."""
        if self.kind == VALUE:
            return f"{self.item}|{self.name}"
        month = f"@{self.period}" if self.period else ""
        return f"{self.item}#{self.milestone}{month}"


class Identity(NamedTuple):
    """The workspace (its title and year, and the first commit of its history), the month, the
    unit, the commit of the ledger the form was made from, and its rows."""

    title: str
    year: int
    root: str
    month: int
    unit: str
    commit: str
    rows: tuple[RowKey, ...]


class BadIdentity(ValueError):
    """The code in the form cannot be read, or does not match its checksum."""


LABEL_COLUMNS = "BCDE"
"""The locked cells of a row whose text ``RowKey.shown`` keeps: the item, what is reported,
its unit, its target or deadline."""


def canonical(identity: Identity) -> bytes:
    """The identity as canonical JSON: sorted keys, no spaces, UTF-8 (a row's ``shown`` left
    out when empty, so a form made before it was kept reads as it did)."""
    data: dict[str, Any] = identity._asdict()
    data["rows"] = [_row_data(row) for row in identity.rows]
    data["format"] = FORMAT
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def checksum(identity: Identity) -> str:
    return hashlib.sha256(canonical(identity)).hexdigest()


def form_id(identity: Identity) -> str:
    """The form's short name in commit trailers and messages: its checksum's first 12 digits."""
    return checksum(identity)[:12]


def encode(identity: Identity) -> str:
    return base64.b64encode(canonical(identity)).decode("ascii")


def decode(code: str, expected: str) -> Identity:
    """The identity a form carries, if its code reads, every field has its type and range, and
    it matches its checksum; BadIdentity otherwise (a code edited by hand, or crafted)."""
    try:
        raw = base64.b64decode(code.strip(), validate=True)
        data = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError) as exc:
        raise BadIdentity(str(exc)) from None
    identity = _identity(data)
    if data.get("format") != FORMAT or checksum(identity) != expected.strip().lower():
        raise BadIdentity("checksum")
    return identity


FIRST_DATA_ROW = 10
"""The sheet's first row of items (paperwork.forms.FIRST_ROW): no row of a form is above it."""
LAST_ROW = 1_048_576
"""The last row a sheet can have (xlsx)."""
YEARS = range(1900, 2101)


def _identity(data: Any) -> Identity:
    if not isinstance(data, dict) or not isinstance(data.get("rows"), list):
        raise BadIdentity("shape")
    return Identity(
        _text(data, "title"),
        _number(data, "year", YEARS),
        _text(data, "root"),
        _number(data, "month", range(1, 13)),
        _text(data, "unit"),
        _text(data, "commit"),
        tuple(_row(row) for row in data["rows"]),
    )


def _row(data: Any) -> RowKey:
    if not isinstance(data, dict) or not set(data) <= set(RowKey._fields):
        raise BadIdentity("row")
    kind = _text(data, "kind")
    if kind not in (VALUE, TICK):
        raise BadIdentity("kind")
    return RowKey(
        _number(data, "row", range(FIRST_DATA_ROW, LAST_ROW + 1)),
        _text(data, "item"),
        _text(data, "digest"),
        kind,
        _text(data, "name"),
        _number(data, "milestone", range(0, LAST_ROW), 0),
        _number(data, "period", range(0, 13), 0),
        _text(data, "shown", ""),
    )


def _text(data: dict[str, Any], key: str, default: str | None = None) -> str:
    value = data.get(key, default)
    if not isinstance(value, str):
        raise BadIdentity(key)
    return value


def _number(data: dict[str, Any], key: str, allowed: range, default: int | None = None) -> int:
    value = data.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or value not in allowed:
        raise BadIdentity(key)
    return value


def _row_data(row: RowKey) -> dict[str, Any]:
    data: dict[str, Any] = row._asdict()
    if not row.shown:
        del data["shown"]
    return data


def label_text(value: Any) -> str:
    """A label cell's text as it reads from the sheet or a CSV saved from it: numbers as
    format_amount writes them (1310, "1,310" and 1310.0 alike), whitespace collapsed."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_amount(float(value))
    text = " ".join(str(value).split())
    try:
        return format_amount(float(text.replace(",", "")))
    except ValueError:
        return text


def label_digest(value: Any) -> str:
    """Four hex digits of sha256 over a label cell's text (one cell of ``RowKey.shown``)."""
    return hashlib.sha256(label_text(value).encode()).hexdigest()[:4]


def shown_digest(*cells: Any) -> str:
    """``RowKey.shown`` of a row whose label cells (LABEL_COLUMNS) hold ``cells``."""
    return "".join(label_digest(cell) for cell in cells)


def text_digest(*parts: str) -> str:
    """Eight hex digits of sha256 over ``parts``: enough to tell one item's text from another."""
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:8]


def content_hash(form: str, filled: list[list[str]]) -> str:
    """The hash of what was filled in a form: the same filling read from the xlsx or from a CSV
    saved from it hashes the same, so a form taken in twice is recognised either way."""
    text = json.dumps([form, filled], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]
