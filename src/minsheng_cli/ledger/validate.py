"""Parsed YAML → validated plain data, with pydantic's errors mapped back to file lines.

The only module that imports pydantic (with ``schema``), and it is itself imported only on a
cache miss (``store.files``); its output is plain dicts and lists
(JSON-safe, dates as ISO strings, each item, milestone and record carrying its ``line``), so that it
can be cached and so that commands that hit the cache never pay pydantic's import.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, get_args

from pydantic import BaseModel, ValidationError

from minsheng_cli.errors import Problem
from minsheng_cli.i18n import _
from minsheng_cli.ledger.schema import ProjectFile, WorkspaceFile
from minsheng_cli.ledger.yamltext import Document, Path_
from minsheng_cli.text import format_amount

PlainData = dict[str, Any]


def _in_data(loc: Path_, document: Document) -> Path_:
    """The part of an error's location that exists in the file.

    A union (``deadline: str | date``) reports one error per branch, located under branch names
    ("str", "date") that are not keys of the file; the field itself is what the clerk must fix.
    """
    for end in range(len(loc), 0, -1):
        if loc[:end] in document.lines:
            return loc[:end]
    return ()


def allowed_keys(model: Any, loc: Path_) -> list[str]:
    """The keys the file may have where ``loc`` points: follows the models down the path."""
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        if field is None:
            break
        inner = _model_in(field.annotation)
        if inner is None:
            break
        model = inner
    return list(model.model_fields)


def _model_in(annotation: Any) -> Any:
    """The pydantic model inside list[X] or X | None, if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in get_args(annotation):
        found = _model_in(argument)
        if found is not None:
            return found
    return None


def _describe(kind: str, loc: Path_, message: str, model: Any, context: Any = None) -> str:
    field = next((str(part) for part in reversed(loc) if isinstance(part, str)), "")
    if kind == "missing":
        return _("“{field}” is missing; add it").format(field=field)
    if kind == "extra_forbidden":
        known = ", ".join(allowed_keys(model, loc[:-1]))
        return _("unknown key “{field}”; the keys allowed here: {known}").format(
            field=field, known=known
        )
    message = _in_words(kind, context or {}) or message.removeprefix("Value error, ")
    if field:
        return _("“{field}”: {message}").format(field=field, message=message)
    return message


def _in_words(kind: str, context: dict[str, Any]) -> str | None:
    """pydantic's usual complaints in the clerk's language (its own text is English only)."""
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("should be a whole number")
    if kind in ("float_parsing", "float_type"):
        return _("should be a number")
    if kind == "finite_number":
        return _("should be a finite number")
    if kind in ("string_type", "string_too_short"):
        return _("should be text") if kind == "string_type" else _("should not be empty")
    if kind in ("bool_parsing", "bool_type"):
        return _("should be true or false")
    if kind in ("list_type", "tuple_type"):
        return _("should be a list (“- ” lines, or [a, b])")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return _("should be a mapping (lines of key: value)")
    bounds = {
        "greater_than_equal": (_("should be {limit} or more"), "ge"),
        "greater_than": (_("should be more than {limit}"), "gt"),
        "less_than_equal": (_("should be {limit} or less"), "le"),
        "less_than": (_("should be less than {limit}"), "lt"),
    }
    if kind in bounds and bounds[kind][1] in context:
        text, key = bounds[kind]
        limit = context[key]
        return text.format(limit=format_amount(limit) if isinstance(limit, int | float) else limit)
    return None


def _colon_hint(kind: str, place: Path_, document: Document) -> str | None:
    """Text that YAML read as a mapping because of a half-width colon (``deadline:`` with
    ``4月: 完成招标`` indented under it): say to quote it, or to write the full-width “：”."""
    value: Any = document.data
    for part in place:
        try:
            value = value[part]
        except (KeyError, IndexError, TypeError):
            return None
    if kind != "string_type" or not isinstance(value, dict) or len(value) != 1 or not place:
        return None
    ((key, after),) = value.items()
    written = f"{key}: {after}" if after is not None else f"{key}:"
    return _(
        "“{field}”: “{text}” reads as a key and a value because of the “:” after “{key}”;"
        ' put it in quotes ({field}: "{text}") or write the full-width “：”'
    ).format(field=place[-1], text=written, key=key)


def _problems(file: Path, document: Document, exc: Any, model: Any) -> list[Problem]:
    """One problem per place in the file: a union's several branch errors become one."""
    by_place: dict[Path_, Problem] = {}
    for error in exc.errors(include_url=False):
        loc: Path_ = tuple(part for part in error["loc"] if isinstance(part, (str, int)))
        place = loc if error["type"] == "missing" else _in_data(loc, document)
        if place in by_place:
            continue
        message = _colon_hint(error["type"], place, document) or _describe(
            error["type"], place, str(error["msg"]), model, error.get("ctx")
        )
        by_place[place] = Problem(file, document.line_of(place), message)
    return sorted(by_place.values(), key=lambda p: p.line or 0)


def validate_workspace(file: Path, document: Document) -> PlainData | list[Problem]:
    if not isinstance(document.data, dict):
        return [Problem(file, 1, _("minsheng.yaml must be a mapping of keys (year:, title:, …)"))]
    try:
        model = WorkspaceFile.model_validate(document.data)
    except ValidationError as exc:
        return _problems(file, document, exc, WorkspaceFile)
    data: PlainData = model.model_dump(mode="json")
    data["lines"] = {key: document.line_of((key,)) for key in data}
    return data


def validate_project(file: Path, document: Document) -> PlainData | list[Problem]:
    """Validate one task file; return its plain data with lines, or every problem in it."""
    if not isinstance(document.data, dict):
        return [Problem(file, 1, _("a task file must be a mapping with id:, name: and items:"))]
    try:
        model = ProjectFile.model_validate(document.data)
    except ValidationError as exc:
        return _problems(file, document, exc, ProjectFile)
    return _with_lines(model.model_dump(mode="json", exclude_defaults=True), document)


def _with_lines(data: PlainData, document: Document) -> PlainData:
    data["line"] = document.line_of(("id",))
    for i, item in enumerate(data["items"]):
        item["line"] = document.line_of(("items", i))
        for j, milestone in enumerate(item.get("milestones", [])):
            milestone["line"] = document.line_of(("items", i, "milestones", j))
        for t, track in enumerate(item.get("tracks", [])):
            for j, milestone in enumerate(track.get("milestones", [])):
                milestone["line"] = document.line_of(("items", i, "tracks", t, "milestones", j))
    for r, record in enumerate(data.get("records", [])):
        record["line"] = document.line_of(("records", r))
    if ("records",) in document.flow:
        data["records_flow_line"] = document.line_of(("records",))
    return data
