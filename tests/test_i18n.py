"""The Chinese catalog: complete, consistent with the code's messages, compiled and in use."""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from minsheng_cli.i18n import DOMAIN, LOCALE_DIR, _, set_language
from tests.conftest import REPO, run_cli  # the ledger_dir fixture comes from conftest.py

SOURCE_DIR = REPO / "src" / "minsheng_cli"
PO_FILE = SOURCE_DIR / "locale" / "zh_CN" / "LC_MESSAGES" / f"{DOMAIN}.po"
MO_FILE = LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / f"{DOMAIN}.mo"
"""The compiled catalog the package loads (the same folder as PO_FILE in an editable install)."""
HOW_TO_FIX = (
    f"run `make catalogs-update`, translate the new or changed entries in"
    f" {PO_FILE.relative_to(REPO)}, then `make catalogs`"
)
KEYWORDS = {"_": None, "ngettext": (1, 2)}

ZH_HEADERS = ["序号", "实事名称", "责任单位", "责任领导", "进度", "下一节点", "到期日", "状态灯"]
EN_HEADERS = ["No.", "Project", "Unit", "Leader", "Progress", "Next milestone", "Due", "Light"]


def source_messages() -> dict[str, tuple[str, ...]]:
    """Every message id in the code, as ``pybabel extract -k _ -k ngettext`` sees it.

    Keyed by the singular id; the value holds every form (singular and plural) for ngettext.
    """
    found: dict[str, tuple[str, ...]] = {}
    for _file, _line, message, _comments, _context in extract_from_dir(
        SOURCE_DIR, keywords=KEYWORDS
    ):
        forms = (message,) if isinstance(message, str) else tuple(m for m in message if m)
        if forms and forms[0]:
            found[forms[0]] = forms
    return found


def read_catalog() -> Catalog:
    with PO_FILE.open("rb") as po_file:
        return read_po(po_file, locale="zh_CN")


def placeholders(texts: Iterable[str]) -> set[str]:
    """The replacement fields of str.format, written back as ``{name!conversion:spec}``.

    ``{{`` and ``}}`` are literal braces, not fields; a malformed string yields a marker that
    matches nothing, so it is reported as a mismatch.
    """
    fields: set[str] = set()
    for text in texts:
        try:
            parsed = list(string.Formatter().parse(text))
        except ValueError as error:
            fields.add(f"<malformed: {error}>")
            continue
        for _literal, name, spec, conversion in parsed:
            if name is None:
                continue
            converted = f"!{conversion}" if conversion else ""
            formatted = f":{spec}" if spec else ""
            fields.add(f"{{{name}{converted}{formatted}}}")
    return fields


def translations(string_or_forms: str | Iterable[str] | None) -> tuple[str, ...]:
    if string_or_forms is None:
        return ()
    if isinstance(string_or_forms, str):
        return (string_or_forms,)
    return tuple(string_or_forms)


def test_the_source_has_messages_to_translate() -> None:
    messages = source_messages()
    assert len(messages) > 100
    assert "overdue" in messages
    assert "error: {message}" in messages


def test_every_message_is_translated_with_the_same_placeholders() -> None:
    catalog = read_catalog()
    missing: list[str] = []
    fuzzy: list[str] = []
    mismatched: list[str] = []
    for msgid, forms in sorted(source_messages().items()):
        entry = catalog.get(msgid)
        strings = translations(entry.string) if entry is not None else ()
        if entry is None or not strings or not all(s.strip() for s in strings):
            missing.append(msgid)
            continue
        if entry.fuzzy:
            fuzzy.append(msgid)
        expected, found = placeholders(forms), placeholders(strings)
        if expected != found:
            mismatched.append(
                f"{msgid!r} → {strings[0]!r}: msgid has {sorted(expected)}, msgstr has"
                f" {sorted(found)}"
            )
    problems = [
        *(f"  not translated: {msgid!r}" for msgid in missing),
        *(f"  marked fuzzy (not used until checked and unmarked): {msgid!r}" for msgid in fuzzy),
        *(f"  placeholders differ: {line}" for line in mismatched),
    ]
    assert not problems, (
        f"{len(problems)} message(s) of src/minsheng_cli need work in the zh_CN catalog;"
        f" {HOW_TO_FIX}"
        " (every {placeholder} of the English must appear in the Chinese, unchanged):\n"
        + "\n".join(problems)
    )


def test_the_catalog_header_names_chinese_and_utf8() -> None:
    text = PO_FILE.read_text(encoding="utf-8")
    assert '"Language: zh_CN\\n"' in text
    assert re.search(r'"Content-Type: text/plain; charset=utf-8\\n"', text, re.IGNORECASE)


def _forms(string: object) -> object:
    """A plural message's forms may come back as a list or a tuple; compare them as a tuple."""
    return tuple(string) if isinstance(string, (list, tuple)) else string


def test_the_compiled_catalog_is_up_to_date_with_the_po() -> None:
    assert MO_FILE.is_file(), f"{MO_FILE} is missing: run `make catalogs`"
    with MO_FILE.open("rb") as mo_file:
        compiled = read_mo(mo_file)
    stale: list[str] = []
    for message in read_catalog():
        if not message.id or not message.string or message.fuzzy:
            continue
        built = compiled.get(message.id)
        if built is None or _forms(built.string) != _forms(message.string):
            stale.append(str(message.id))
    assert not stale, (
        f"{MO_FILE.name} is older than {PO_FILE.name}: run `make catalogs`."
        f" {len(stale)} stale, e.g. {stale[:5]}"
    )


def test_the_compiled_catalog_is_in_use() -> None:
    set_language("zh")
    assert _("overdue") == "逾期", "the zh_CN catalog is not loaded: run `make catalogs`"
    assert _("error: {message}").format(message="x") == "错误：x"
    set_language("en")
    assert _("overdue") == "overdue"
    set_language("zh_CN")
    assert _("overdue") == "逾期"


def header_line(output: str, first: str) -> list[str]:
    """The column headers of the status table: the line starting with the first header."""
    for line in output.splitlines():
        if line.strip().startswith(first):
            return re.split(r"\s{2,}", line.strip())
    raise AssertionError(f"no header line starting with {first!r} in:\n{output}")


def test_status_prints_chinese_headers_by_default(ledger_dir: Path) -> None:
    result = run_cli(ledger_dir, ["status", "--month", "6"])
    assert result.exit_code == 0, result.output
    assert header_line(result.stdout, ZH_HEADERS[0]) == ZH_HEADERS
    assert "截至2023-06-30" in result.stdout
    assert "Next milestone" not in result.stdout


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["--lang", "en", "status", "--month", "6"], {}),
        (["status", "--month", "6"], {"MINSHENG_LANG": "en"}),
    ],
    ids=["--lang en", "MINSHENG_LANG=en"],
)
def test_status_prints_english_headers_when_asked(
    ledger_dir: Path, args: list[str], env: dict[str, str]
) -> None:
    result = run_cli(ledger_dir, args, **env)
    assert result.exit_code == 0, result.output
    assert header_line(result.stdout, EN_HEADERS[0]) == EN_HEADERS
    assert "as of 2023-06-30" in result.stdout
    assert "下一节点" not in result.stdout
