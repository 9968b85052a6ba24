"""Whether objects built from cached data are what a fresh load builds: every field of every
NamedTuple of the model of the type its annotation names.

The caches in ``.minsheng-cache/`` are untrusted input: an entry whose checksum was recomputed
after an edit can hold any JSON. What is built from it is checked here before any command uses
it; a mismatch sends the caller back to the file itself. Column by column, as ``codec`` encodes
(a set of the types in each field, at C speed), so that checking 100,000 milestones costs little
beside building them.
"""

from __future__ import annotations

import types
from collections.abc import Iterable, Mapping
from datetime import date
from enum import Enum
from functools import cache
from itertools import chain
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple, Union, get_args, get_origin, get_type_hints

_MAPPINGS = frozenset((dict, types.MappingProxyType))
_NUMBERS = frozenset((int, float))


class Field(NamedTuple):
    """What one field may hold: these exact types; rows of ``rows`` (a tuple of them, or one
    when ``one``); text-to-number amounts (for a mapping)."""

    types: frozenset[type]
    rows: type[tuple[Any, ...]] | None = None
    amounts: bool = False
    one: bool = False
    texts: bool = False


def conforms(objects: Iterable[tuple[Any, ...]], kind: type[tuple[Any, ...]]) -> bool:
    """Whether every one of ``objects`` is exactly a ``kind``, all the way down."""
    rows = list(objects)
    if not set(map(type, rows)) <= {kind}:
        return False
    for index, field in enumerate(_fields(kind)):
        column = list(map(itemgetter(index), rows))
        if not set(map(type, column)) <= field.types:
            return False
        if field.rows is not None and not conforms(_children(column, field), field.rows):
            return False
        if field.amounts and not _amounts(column):
            return False
        if field.texts and not set(map(type, chain.from_iterable(column))) <= {str}:
            return False
    return True


def _children(column: list[Any], field: Field) -> Iterable[tuple[Any, ...]]:
    if field.one:
        return [row for row in column if row is not None]
    return chain.from_iterable(column)


def _amounts(column: list[Mapping[Any, Any]]) -> bool:
    names = set(map(type, chain.from_iterable(column)))
    amounts = set(map(type, chain.from_iterable(m.values() for m in column)))
    return names <= {str} and amounts <= _NUMBERS


@cache
def _fields(kind: type[tuple[Any, ...]]) -> tuple[Field, ...]:
    names: tuple[str, ...] = getattr(kind, "_fields")  # noqa: B009 - mypy knows no _fields
    hints = get_type_hints(kind)
    return tuple(_field(hints[name]) for name in names)


def _field(hint: Any) -> Field:
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        options = [_field(option) for option in get_args(hint)]
        rows = next((f.rows for f in options if f.rows is not None), None)
        allowed = frozenset(chain.from_iterable(f.types for f in options))
        return Field(allowed, rows, any(f.amounts for f in options), any(f.one for f in options))
    if origin is tuple and get_args(hint)[0] is str:
        return Field(frozenset((tuple,)), texts=True)
    if origin is tuple:
        return Field(frozenset((tuple,)), get_args(hint)[0])
    if origin in (Mapping, dict):
        return Field(_MAPPINGS, amounts=True)
    if hint is float:
        return Field(_NUMBERS)
    if hint is Path:
        return Field(frozenset((type(Path()),)))
    if hint is type(None) or hint in (int, str, bool, date):
        return Field(frozenset((hint,)))
    if isinstance(hint, type) and issubclass(hint, Enum):
        return Field(frozenset((hint,)))
    if isinstance(hint, type) and issubclass(hint, tuple) and hasattr(hint, "_fields"):
        return Field(frozenset((hint,)), hint, one=True)
    raise TypeError(f"no check for {hint!r}")
