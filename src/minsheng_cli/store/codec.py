"""The built Ledger as plain JSON values and back: what the whole-ledger cache stores.

Column-wise, so that reading 100,000 milestones back is a few C loops per field rather than a
Python call per object. Each type is one table (every milestone of the ledger in one), stored as
one column per field in field order. How each field is stored is read off the field's type
in ``ledger.model`` (``table_of``), so the model is the one definition of the format:

- text is an index into one list of distinct strings, a date an index into one list of day
  ordinals (index 0 is None in both), a milestone's kind its index in ``KINDS``, a task file
  the index of its name;
- a sequence of children (an item's milestones) is a count: its children are the next so many
  rows of the child's table;
- a column of indexes or counts is one packed string (``pack``), which JSON reads far faster
  than as many numbers; amounts stay JSON objects, other numbers and flags stay as they are;
- an item's project, project name and file are its project's, and the workspace's root is
  given to ``decode``, so they are not stored.

Decoding gives back exactly what ``build`` made: the same types (dicts for amounts, tuples for
sequences, ``DueKind``, ``date`` or None) and one Path per task file, shared by the project and
its items as a fresh load shares it. The workspace root and the task files' paths are not stored:
``decode`` is given them, so an entry can only ever name a file that is in the workspace now.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from itertools import accumulate, chain, repeat
from operator import itemgetter
from pathlib import Path
from types import MappingProxyType, NoneType, UnionType
from typing import Any, NamedTuple, cast, get_args, get_origin, get_type_hints

from minsheng_cli.ledger import model
from minsheng_cli.ledger.deadlines import DEFAULT_RULES, DeadlineRules, DueKind
from minsheng_cli.ledger.model import Item, Ledger, Project, Workspace

PLAIN = "plain"
"""A number, a flag or None, stored as it is."""
AMOUNTS = "amounts"
NAMES = "names"
"""A mapping of text to text (the workspace's aliases), stored as a JSON object."""
"""A mapping of names to amounts, stored as a JSON object, read back as a dict."""
TEXT = "text"
"""A str or None, stored as its index in the entry's list of distinct texts."""
DAY = "day"
"""A date or None, stored as its index in the entry's list of day ordinals."""
KIND = "kind"
"""A DueKind, stored as its index in ``KINDS``."""
FILE = "file"
"""A task file, stored as its name; read back as the workspace's Path of that name."""
TEXTS = "texts"
"""A tuple of texts (an item's partners), stored as a JSON list of its texts."""
RULES = "rules"
"""The workspace's deadline rules: None for the defaults, else the mapping of word to day."""
KINDS: tuple[DueKind, ...] = tuple(DueKind)
_KIND_INDEX = {kind: index for index, kind in enumerate(KINDS)}
_NUMBERS = frozenset((int, float))
_SCALARS = frozenset((int, float, bool, type(None)))
"""What JSON reads back as exactly the same value and type."""


class Parent(NamedTuple):
    """A field that is the parent's ``field``: checked when encoding, not stored."""

    field: str


class Table(NamedTuple):
    """How one NamedTuple type is stored: its table's name and one form per field, in order."""

    name: str
    kind: type[tuple[Any, ...]]
    forms: tuple[str | Parent | Table, ...]
    """A Table form is a sequence of that table's rows (stored as their count)."""

    @property
    def fields(self) -> tuple[str, ...]:
        fields: tuple[str, ...] = cast(Any, self.kind)._fields
        return fields

    @property
    def parents(self) -> tuple[Parent, ...]:
        """The fields this table's rows take from their parent's."""
        return tuple(form for form in self.forms if isinstance(form, Parent))

    @property
    def stored_forms(self) -> tuple[str | Table, ...]:
        """The forms of the fields that have a column (all but the Parent ones)."""
        return tuple(form for form in self.forms if not isinstance(form, Parent))

    @property
    def width(self) -> int:
        """How many columns the table stores."""
        return len(self.stored_forms)


ITEM_FROM_PROJECT = {"project": "id", "project_name": "name", "file": "file"}
"""An item's fields that are its project's: checked when encoding, not stored."""
WORKSPACE_GIVEN = {"root": "root"}
"""The workspace's root is not stored: ``decode`` is given it."""


def table_of(kind: type[tuple[Any, ...]], parents: Mapping[str, str] | None = None) -> Table:
    """How ``kind`` is stored, read off its type annotations: the model in ``ledger.model`` is
    the one definition of every field, and a field added there is stored without a line here."""
    hints = get_type_hints(kind, globalns=vars(model), localns={})
    fields: tuple[str, ...] = cast(Any, kind)._fields
    forms = tuple(
        Parent(parents[field]) if parents and field in parents else form_of(kind, field, hints)
        for field in fields
    )
    return Table(kind.__name__.lower() + "s", kind, forms)


def form_of(kind: type, field: str, hints: Mapping[str, Any]) -> str | Table:
    hint = hints[field]
    if get_origin(hint) is tuple:  # tuple[Child, ...]: the child's table
        child = get_args(hint)[0]
        if child is str:
            return TEXTS
        return table_of(child, ITEM_FROM_PROJECT if child is Item else None)
    if get_origin(hint) is Mapping:
        return NAMES if get_args(hint)[1] is str else AMOUNTS
    kinds = set(get_args(hint) if isinstance(hint, UnionType) else (hint,)) - {NoneType}
    for form, types in FORM_TYPES:
        if kinds <= types:
            return form
    raise TypeError(f"{kind.__name__}.{field}: no stored form for {hint}")


FORM_TYPES: tuple[tuple[str, set[type]], ...] = (
    (TEXT, {str}),
    (DAY, {date}),
    (KIND, {DueKind}),
    (FILE, {Path}),
    (RULES, {DeadlineRules}),
    (PLAIN, {int, float, bool}),
)
PROJECTS = table_of(Project)
WORKSPACE = table_of(Workspace, WORKSPACE_GIVEN)


class Undecodable(ValueError):
    """The value is not one ``encode`` makes (for the workspace's task files as they are now)."""


class NotEncodable(ValueError):
    """The ledger is not one a full load builds (a project from a file that is not one of the
    workspace's task files, an item filed under another project), so it has no stored form."""


# Encoding: every table at once, column by column, as decoding does.


class _Encoder:
    """Gathers each table's columns; text and dates become indexes once all of them are known."""

    def __init__(self, files: Mapping[str, Path]) -> None:
        self.files = files
        self.texts: dict[str | None, None] = {None: None}
        """Every distinct text, in the order first met (None first, as index 0)."""
        self.days: dict[date | None, None] = {None: None}
        self.columns: dict[str, list[tuple[str | Table, list[Any]]]] = {}

    def table(
        self, table: Table, objects: Sequence[tuple[Any, ...]], parent: Mapping[str, list[Any]]
    ) -> None:
        """``objects``, every row of ``table``; ``parent``: the parent's fields, one per row."""
        _require(set(map(type, objects)) <= {table.kind}, f"the {table.name} hold something else")
        fields = {f: list(map(itemgetter(i), objects)) for i, f in enumerate(table.fields)}
        stored: list[tuple[str | Table, list[Any]]] = []
        for field, form in zip(table.fields, table.forms, strict=True):
            column = fields[field]
            if isinstance(form, Parent):
                _require(column == parent[form.field], f"{table.name} of another parent")
            elif isinstance(form, Table):
                counts = list(map(len, column))
                spread = {p.field: _spread(fields[p.field], counts) for p in form.parents}
                self.table(form, list(chain.from_iterable(column)), spread)
                stored.append((form, counts))
            else:
                stored.append((form, self.checked(form, column)))
        self.columns[table.name] = stored

    def checked(self, form: str, column: list[Any]) -> list[Any]:
        """``column`` if it reads back the same in ``form``; NotEncodable otherwise."""
        types = set(map(type, column))
        if form == TEXT:
            _require(types <= {str, type(None)}, "text that is not text")
            self.texts.update(dict.fromkeys(column))
        elif form == DAY:
            _require(types <= {date, type(None)}, "dates that are not dates")
            self.days.update(dict.fromkeys(column))
        elif form == KIND:
            _require(types <= {DueKind}, "a kind that is not a DueKind")
            return list(map(_KIND_INDEX.__getitem__, column))
        elif form == AMOUNTS:  # dicts (a mappingproxy would read back as one) of text to numbers
            _require(types <= {dict}, "amounts that are not dicts")
            names = set(map(type, chain.from_iterable(column)))
            amounts = set(map(type, chain.from_iterable(map(dict.values, column))))
            _require(names <= {str} and amounts <= _NUMBERS, "amounts that are not amounts")
        elif form == NAMES:
            _require(all(isinstance(n, Mapping) for n in column), "names that are not mappings")
            pairs = [(k, v) for names in column for k, v in names.items()]
            _require(all(isinstance(x, str) for pair in pairs for x in pair), "names not text")
            return [dict(names) for names in column]
        elif form == TEXTS:
            _require(types <= {tuple}, "texts that are not tuples")
            words = set(map(type, chain.from_iterable(column)))
            _require(words <= {str}, "texts that are not text")
            return [list(texts) for texts in column]
        elif form == RULES:
            _require(types <= {DeadlineRules}, "rules that are not DeadlineRules")
            return [None if r.days is DEFAULT_RULES else dict(r.days) for r in column]
        elif form == FILE:
            for file in column:
                _require(self.files.get(file.name) == file, f"{file} is not a task file now")
            column = [file.name for file in column]
            self.texts.update(dict.fromkeys(column))
        else:
            _require(types <= _SCALARS, "values that JSON would change")
        return column

    def tables(self, texts: Mapping[Any, int], days: Mapping[Any, int]) -> dict[str, list[Any]]:
        """Every table's columns as stored, given where each text and date is in its list."""
        indexes: dict[str | Table, Mapping[Any, int]] = {TEXT: texts, FILE: texts, DAY: days}
        return {
            name: [self.stored(form, column, indexes.get(form)) for form, column in columns]
            for name, columns in self.columns.items()
        }

    @staticmethod
    def stored(form: str | Table, column: list[Any], index: Mapping[Any, int] | None) -> Any:
        if form in (PLAIN, AMOUNTS, RULES, NAMES, TEXTS):
            return column
        return pack(column if index is None else list(map(index.__getitem__, column)))


def _positions(values: Iterable[Any]) -> dict[Any, int]:
    return {value: index for index, value in enumerate(values)}


def _require(condition: bool, what: str) -> None:
    if not condition:
        raise NotEncodable(f"the ledger holds {what}")


def encode(ledger: Ledger, files: Mapping[str, Path]) -> dict[str, Any]:
    """``ledger`` as JSON values; NotEncodable unless its projects come from ``files`` (by name)
    and every value reads back as the same value of the same type."""
    encoder = _Encoder(files)
    encoder.table(WORKSPACE, [ledger.workspace], {"root": [ledger.workspace.root]})
    encoder.table(PROJECTS, ledger.projects, {})
    tables = encoder.tables(_positions(encoder.texts), _positions(encoder.days))
    return {
        "texts": list(encoder.texts),
        "days": [0 if day is None else day.toordinal() for day in encoder.days],
        **tables,
    }


# Decoding: a table's own columns, then its children's tables, then its rows.


class _Decoder:
    def __init__(self, value: Mapping[str, Any], files: Mapping[str, Path]) -> None:
        texts = value["texts"]
        if texts[0] is not None or not set(map(type, texts[1:])) <= {str}:
            raise TypeError("the text list holds something else")
        self.value = value
        self.files = files
        self.texts: list[str | None] = texts
        self.days: list[date | None] = [None, *map(date.fromordinal, value["days"][1:])]

    def rows(self, table: Table, parent: Mapping[str, list[Any]]) -> tuple[Any, ...]:
        """Every row of ``table``; ``parent``: the parent's fields, spread to one per row."""
        stored = self.value[table.name]
        if len(stored) != table.width:
            raise ValueError(f"the {table.name} table has {len(stored)} columns")
        columns = iter(stored)
        fields: dict[str, Any] = {}
        for field, form in zip(table.fields, table.forms, strict=True):
            if isinstance(form, Parent):
                fields[field] = parent[form.field]
            else:
                fields[field] = self.column(form, next(columns))
        for field, form in zip(table.fields, table.forms, strict=True):
            if isinstance(form, Table):
                fields[field] = self.children(form, fields, fields[field])
        rows = zip(*fields.values(), strict=True)
        return tuple(map(tuple.__new__, repeat(table.kind), rows))  # no Python call per row

    def children(
        self, table: Table, parents: dict[str, Any], counts: Sequence[int]
    ) -> list[tuple[Any, ...]]:
        """Each parent's run of ``table``'s rows, ``counts[i]`` for the i-th parent."""
        spread = {}
        for form in table.forms:
            if isinstance(form, Parent):
                parents[form.field] = column = list(parents[form.field])  # read twice
                spread[form.field] = _spread(column, counts)
        return _split(self.rows(table, spread), counts)

    def column(self, form: str | Table, stored: Any) -> Any:
        """A stored column as its values (for a Table form: its counts)."""
        if form in (PLAIN, AMOUNTS):
            return stored
        if form == NAMES:
            return [MappingProxyType(dict(names)) for names in stored]
        if form == TEXTS:
            return [tuple(texts) for texts in stored]
        if form == RULES:
            return [DeadlineRules() if r is None else DeadlineRules(dict(r)) for r in stored]
        column = unpack(stored)
        if form == TEXT:
            return map(self.texts.__getitem__, column)
        if form == DAY:
            return map(self.days.__getitem__, column)
        if form == KIND:
            return map(KINDS.__getitem__, column)
        if form == FILE:
            return [self.files[cast(str, self.texts[i])] for i in column]
        return column


def decode(value: Any, root: Path, files: Mapping[str, Path]) -> Ledger:
    """The Ledger ``encode`` was given, in the workspace at ``root`` whose task files by name are
    ``files``; Undecodable if ``value`` is anything else."""
    try:
        decoder = _Decoder(value, files)
        (workspace,) = decoder.rows(WORKSPACE, {"root": [root]})
        return Ledger(workspace, decoder.rows(PROJECTS, {}))
    except (ValueError, TypeError, LookupError, ArithmeticError) as exc:
        raise Undecodable(f"not an encoded ledger: {exc}") from exc


def _split(children: tuple[Any, ...], counts: Sequence[int]) -> list[tuple[Any, ...]]:
    """``children`` cut into consecutive runs of ``counts`` (which must add up to all of them)."""
    ends = list(accumulate(counts))
    if (ends[-1] if ends else 0) != len(children):
        raise ValueError("the counts do not match the rows")
    return list(map(children.__getitem__, map(slice, [0, *ends[:-1]], ends)))


def _spread(column: Iterable[Any], counts: Sequence[int]) -> list[Any]:
    """Each value of ``column`` repeated its count's times: a parent's field for each child."""
    return list(chain.from_iterable(map(repeat, column, counts)))


def pack(column: list[int]) -> str:
    """Indexes and counts (whole numbers from 0) as one string: the struct code of the narrowest
    unsigned width that holds them all, then their little-endian bytes in hex ("B0a0b" is 10, 11).
    """
    largest = max(column, default=0)
    for code, limit in _WIDTHS:
        if largest < limit:
            return code + struct.pack(f"<{len(column)}{code}", *column).hex()
    raise NotEncodable(f"{largest} is too large for a column")


def unpack(text: str) -> tuple[int, ...]:
    """The numbers ``pack`` made ``text`` of; ValueError if it is not such a string."""
    code, data = text[:1], bytes.fromhex(text[1:])
    size = _SIZES.get(code)
    if size is None or len(data) % size:
        raise ValueError("not a packed column")
    return struct.unpack(f"<{len(data) // size}{code}", data)


_WIDTHS = (("B", 1 << 8), ("H", 1 << 16), ("I", 1 << 32), ("Q", 1 << 64))
_SIZES = {"B": 1, "H": 2, "I": 4, "Q": 8}
