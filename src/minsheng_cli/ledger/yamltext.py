"""Strict, safe YAML: text → plain data plus the line of every key and list entry.

Only YAML's safe constructors run (nothing in a file can run code); duplicate keys, which PyYAML
would silently let the last one win, are errors; aliases are bounded so a small file cannot expand
into a huge one. The C parser is used where libyaml is installed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from minsheng_cli.i18n import _

try:
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader  # type: ignore[assignment]

Path_ = tuple[str | int, ...]
MAX_NODES = 200_000
"""More nodes than any real ledger file has: a bound against alias bombs."""
TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


class YamlProblem(ValueError):
    """A YAML file that is not valid, or not strict enough for a ledger; carries its line."""

    def __init__(
        self, line: int | None, message: str, more: list[tuple[int, str]] | None = None
    ) -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.more = more or []
        """Further problems of the same pass (every duplicate key, not just the first)."""

    def all(self) -> list[tuple[int | None, str]]:
        return [(self.line, self.message), *self.more]


@dataclass(slots=True)
class Document:
    """A parsed file: its data, the line of every path in it, and where the top keys stand."""

    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    flow: set[Path_] = field(default_factory=set)
    """Paths of lists written in flow style ([a, b]): `update` cannot append to those."""
    duplicates: list[tuple[int, str]] = field(default_factory=list)
    """Every duplicate key, as (line, message): an error, reported with the file's other
    problems (the data keeps each key's first value, so the rest can still be checked)."""

    def line_of(self, path: Path_) -> int | None:
        """The line of the deepest part of ``path`` that the file has."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return None


def decode(raw: bytes) -> str:
    """UTF-8 with or without a BOM, CRLF or LF; anything else is an error that says so."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlProblem(
            line,
            _(
                "the file is not UTF-8 (perhaps GBK from a Windows editor);"
                " save it as UTF-8 and run again"
            ),
        ) from exc
    return text


def compose(text: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=SafeLoader)
    except yaml.MarkedYAMLError as exc:
        line, problem = syntax_problem(text, exc)
        raise YamlProblem(line, _("YAML syntax error: {problem}").format(problem=problem)) from exc
    except yaml.reader.ReaderError as exc:
        raise YamlProblem(_line_holding(text, exc), control_problem(exc.character)) from exc
    except yaml.YAMLError as exc:
        raise YamlProblem(None, _("YAML error: {problem}").format(problem=exc)) from exc
    except RecursionError:  # brackets nested by the thousand: PyYAML's composer recurses
        raise YamlProblem(None, _too_deep()) from None


FULL_WIDTH = {"：": ":", "，": ",", "“": '"', "”": '"', "［": "[", "］": "]", "｛": "{", "｝": "}"}
"""What a Chinese input method types where YAML needs the half-width mark."""
KEY_WITH_FULL_COLON = re.compile(r"^\s*(?:-\s+)?[^\s:：#\"'][^:#\"'\n]*?：")
"""A key followed by the full-width colon (unit：住房和城乡建设局), with no ": " before it."""
OPENS_WITH_FULL_WIDTH = re.compile(r"(?:^\s*|:\s+|-\s+)([“［｛])")
"""A value that starts with a full-width quote or bracket where YAML expects its own."""
CONTROL_NAMES = {0: "NUL", 7: "BEL", 8: "BS", 0x0B: "VT", 0x0C: "FF", 0x1B: "ESC", 0x7F: "DEL"}


def syntax_problem(text: str, exc: yaml.MarkedYAMLError) -> tuple[int | None, str]:
    """The line and the clerk's words for PyYAML's complaint: the line holding a full-width
    mark or a tab where PyYAML, reading on, names a later one; else its problem, translated."""
    mark, context = exc.problem_mark, exc.context_mark
    if mark is None:
        return None, exc.problem or exc.context or str(exc)
    lines = text.split("\n")
    first = context.line if context is not None and context.line <= mark.line else mark.line
    suspects = range(first, min(mark.line, len(lines) - 1) + 1)
    for index in suspects:
        if KEY_WITH_FULL_COLON.match(lines[index]):
            return index + 1, _full_colon(lines[index])
    for index in {first, mark.line} & set(suspects):
        opened = OPENS_WITH_FULL_WIDTH.search(lines[index])
        if opened:
            return index + 1, _full_width(opened.group(1))
        if "，" in lines[index] and ("{" in lines[index] or "[" in lines[index]):
            return index + 1, _full_width("，")
    for index in suspects:
        if "\t" in lines[index]:
            return index + 1, _(
                "a tab character; YAML indents with spaces only: replace the tab with spaces"
            )
    return _translated(exc.problem or "", mark.line + 1, context)


def _full_colon(line: str) -> str:
    fixed = line.strip().replace("：", ": ", 1)
    return _(
        "“{text}” has the full-width colon “：”; YAML needs the half-width colon with a space"
        " after it: {fixed}"
    ).format(text=line.strip(), fixed=fixed)


def _full_width(mark: str) -> str:
    return _(
        "the full-width “{mark}” is not YAML's punctuation; type the half-width “{half}” instead"
    ).format(mark=mark, half=FULL_WIDTH[mark])


def _translated(problem: str, line: int, context: yaml.Mark | None) -> tuple[int, str]:
    since = context.line + 1 if context is not None else line
    if "could not find expected ':'" in problem:
        return since, _(
            "a key without its colon: write the key, a half-width colon and a space, then the"
            " value (unit: 住房和城乡建设局)"
        )
    if "mapping values are not allowed" in problem:
        return line, _(
            "a “: ” where a value was expected: a value holding “: ” must be in quotes, as in"
            ' "4月: 完成招标", or written with the full-width “：”'
        )
    if "unexpected end of stream" in problem:
        return since, _(
            "the file ends inside a quoted text: the quote opened on this line is never closed;"
            " add the closing quote"
        )
    if (
        "expected <block end>" in problem
        or "did not find expected key" in problem
        or ("did not find expected '-' indicator" in problem)
    ):
        return line, _(
            "the indentation does not line up with the lines above it (from line {since}): the"
            " entries of one list or mapping start in the same column, indented with spaces"
        ).format(since=since)
    if "did not find expected ',' or" in problem or "expected ',' or" in problem:
        return line, _(
            "a [ … ] or { … } that is not closed, or whose entries are not separated by"
            " half-width commas"
        )
    if "cannot start any token" in problem:
        return line, _(
            "a character that cannot start a value (such as @ or `); put the value in quotes"
        )
    return line, problem


def _line_holding(text: str, exc: yaml.reader.ReaderError) -> int:
    """The line of the character PyYAML refused (libyaml counts its position in bytes)."""
    character = exc.character if isinstance(exc.character, str) else chr(exc.character)
    found = text.find(character)
    return text[: found if found >= 0 else exc.position].count("\n") + 1


def control_problem(character: str | int) -> str:
    """A control character in the file: which one, and what to do."""
    code = character if isinstance(character, int) else ord(character)
    name = CONTROL_NAMES.get(code, "")
    return _(
        "the file holds the control character {name}U+{code}, which a ledger file may not"
        " contain; delete it (it often comes with text copied from another program)"
    ).format(name=f"{name} " if name else "", code=f"{code:04X}")


MAX_DEPTH = 64
"""The deepest a value may be nested: the format needs 8 (items, tracks, milestones, targets)."""


def _too_deep() -> str:
    return _("values are nested more than {depth} deep; a ledger file needs far fewer").format(
        depth=MAX_DEPTH
    )


def parse(text: str) -> Document:
    """Parse one YAML document strictly into plain data and a line map."""
    node = compose(text)
    document = Document(None)
    if node is None:
        return document
    refuse_tags(text)
    refuse_document_end(text)
    builder = _Builder(document)
    document.data = builder.build(node, ())
    document.duplicates = builder.duplicates
    return document


class _Builder:
    def __init__(self, document: Document) -> None:
        self.document = document
        self.constructor = yaml.SafeLoader("")
        self.visited = 0
        self.duplicates: list[tuple[int, str]] = []

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.visited += 1
        if self.visited > MAX_NODES:
            raise YamlProblem(
                node.start_mark.line + 1, _("the file expands to too many values (alias bomb?)")
            )
        if len(path) > MAX_DEPTH:
            raise YamlProblem(node.start_mark.line + 1, _too_deep())
        self.document.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.flow_style:
                self.document.flow.add(path)
            return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        first_line: dict[Any, int] = {}
        for key_node, value_node in _merged_pairs(node):
            key = self._scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            line = key_node.start_mark.line + 1
            if key is None or isinstance(key, (list, dict)):
                raise YamlProblem(line, _("a key must be a plain value, not a list or mapping"))
            if key in first_line:
                message = _("duplicate key “{key}” (first at line {first}); keep one of them")
                self.duplicates.append((line, message.format(key=key, first=first_line[key])))
                continue
            first_line[key] = line
            self.document.lines[(*path, key)] = line
            result[key] = self.build(value_node, (*path, key))
        return result

    def _scalar(self, node: yaml.Node) -> Any:
        try:
            return self.constructor.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as exc:
            raise YamlProblem(
                node.start_mark.line + 1,
                _("unsupported YAML value: {problem}").format(problem=exc.problem),
            ) from exc
        except Exception as exc:  # 2023-02-30 reads as a date that cannot be; and any other
            if node.tag == TIMESTAMP_TAG:  # value PyYAML's constructors cannot make
                message = _("“{value}” is not a real date; write a day that exists, as YYYY-MM-DD")
            else:
                message = _("“{value}” cannot be read as a value; write it in quotes if it is text")
            raise YamlProblem(node.start_mark.line + 1, message.format(value=node.value)) from exc


def refuse_tags(text: str) -> None:
    """YamlProblem at the first explicit tag (``!!bool``, ``!custom``, the bare ``!``): nothing
    in a ledger needs one, and PyYAML's constructors fail on mistyped values (``!!bool maybe``)
    with errors that say nothing of the file. ``text`` has been composed without error."""
    if "!" not in text:  # no tag without one: the usual file is not parsed twice
        return
    for event in yaml.parse(text, Loader=SafeLoader):
        tag = getattr(event, "tag", None)
        if tag is not None:
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            mark = event.start_mark
            raise YamlProblem(
                mark.line + 1 if mark is not None else None,
                _("the YAML tag {tag} is not allowed in a ledger; remove the tag").format(
                    tag=shown
                ),
            )


_DOCUMENT_END = re.compile(r"^\.\.\.(?=[ \t\r\n]|$)", re.MULTILINE)
"""YAML's document end marker: “...” at the start of a line (nowhere else can it start one)."""


def refuse_document_end(text: str) -> None:
    """YamlProblem at a “...” line: `update` appends records at the end of the file, after the
    marker, where they would be a second document."""
    found = _DOCUMENT_END.search(text)
    if found is not None:
        raise YamlProblem(
            text.count("\n", 0, found.start()) + 1,
            _(
                "“...” ends the YAML document here, and records are appended at the end of the"
                " file; delete this line"
            ),
        )


def _merged_pairs(node: yaml.MappingNode) -> Iterator[tuple[yaml.Node, yaml.Node]]:
    for key_node, value_node in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise YamlProblem(
                key_node.start_mark.line + 1, _("merge keys (<<) are not allowed in a ledger")
            )
        yield key_node, value_node
