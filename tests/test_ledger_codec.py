"""The snapshot's codec: any ledger a load can build reads back identical, types and all, and no
stored value, however damaged or forged, makes decoding do anything but refuse (hypothesis)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any, cast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minsheng_cli.ledger.deadlines import DeadlineRules, DueKind
from minsheng_cli.ledger.model import (
    NO_AMOUNTS,
    Attachment,
    Indicator,
    Item,
    Ledger,
    Milestone,
    Project,
    Record,
    Track,
    Workspace,
)
from minsheng_cli.store.codec import NotEncodable, Undecodable, decode, encode, pack, unpack

ROOT = Path("/srv/台账/2023")


def differences(a: Any, b: Any, where: str = "ledger") -> list[str]:
    """Where ``a`` and ``b`` differ in value or in type (1 and 1.0, a dict and a mappingproxy,
    a list and a tuple all differ here), field by field."""
    if type(a) is not type(b):
        return [f"{where}: {type(a).__name__} {a!r:.60} vs {type(b).__name__} {b!r:.60}"]
    if isinstance(a, tuple):
        if len(a) != len(b):
            return [f"{where}: {len(a)} vs {len(b)} elements"]
        names = getattr(a, "_fields", None) or [str(i) for i in range(len(a))]
        return [
            d
            for n, x, y in zip(names, a, b, strict=True)
            for d in differences(x, y, f"{where}.{n}")
        ]
    if isinstance(a, Mapping):
        if list(a) != list(b):
            return [f"{where}: keys {list(a)} vs {list(b)}"]
        return [d for k in a for d in differences(a[k], b[k], f"{where}[{k!r}]")]
    return [] if a == b else [f"{where}: {a!r:.60} vs {b!r:.60}"]


def assert_identical(a: Any, b: Any) -> None:
    found = differences(a, b)
    assert not found, "\n".join(found[:10])


def round_trip(ledger: Ledger, files: Mapping[str, Path]) -> Ledger:
    """Through the bytes the cache stores, as it stores them."""
    body = json.dumps(encode(ledger, files), ensure_ascii=False, separators=(",", ":"))
    return decode(json.loads(body.encode("utf-8")), ledger.workspace.root, files)


TEXT = st.text(st.characters(codec="utf-8"), max_size=8)
"""Any text a YAML file can hold: every character but lone surrogates."""
MAYBE_TEXT = st.none() | TEXT
DAYS = st.dates(date(2023, 1, 1), date(2023, 12, 31))
NUMBERS = st.integers(0, 10**6)
LINES = st.none() | st.integers(1, 10**7)
AMOUNT = st.floats(allow_nan=False) | st.integers(-(10**9), 10**9)
AMOUNTS = st.dictionaries(TEXT, AMOUNT, max_size=3)
FILE_NAMES = st.text(
    st.characters(codec="utf-8", exclude_characters="/\0"), min_size=1, max_size=6
).map(lambda name: f"{name}.yaml")

MILESTONES = st.builds(
    Milestone, NUMBERS, TEXT, st.sampled_from(DueKind), st.none() | DAYS, TEXT, AMOUNTS,
    MAYBE_TEXT, st.booleans(), LINES,
)  # fmt: skip
ATTACHMENTS = st.builds(
    Attachment, TEXT, st.text("0123456789abcdef", min_size=64, max_size=64), NUMBERS
)
RECORDS = st.builds(
    Record, DAYS, NUMBERS, TEXT, TEXT, AMOUNTS, st.booleans(), MAYBE_TEXT, MAYBE_TEXT,
    st.none() | st.integers(1, 12), TEXT, LINES, MAYBE_TEXT, MAYBE_TEXT,
    MAYBE_TEXT, MAYBE_TEXT, AMOUNTS, TEXT, st.lists(ATTACHMENTS, max_size=2).map(tuple),
    MAYBE_TEXT,
)  # fmt: skip
INDICATORS = st.builds(Indicator, TEXT, AMOUNT, TEXT, st.sampled_from(["count", "rate"]))
TRACKS = st.builds(Track, TEXT, TEXT)
RULES = st.just(DeadlineRules()) | st.builds(
    DeadlineRules.with_overrides,
    st.dictionaries(st.sampled_from(["上旬", "中旬", "月底"]), st.integers(1, 31), max_size=2),
)


def children(kind: st.SearchStrategy[Any]) -> st.SearchStrategy[tuple[Any, ...]]:
    return st.lists(kind, max_size=3).map(tuple)


@st.composite
def an_item(draw: st.DrawFn, project_id: int, project_name: str, number: int, file: Path) -> Item:
    content, leader, unit, note = draw(st.tuples(TEXT, TEXT, TEXT, TEXT))
    return Item(
        project_id, project_name, number, content, leader, unit, note,
        draw(children(INDICATORS)), draw(children(MILESTONES)), draw(children(TRACKS)),
        draw(children(RECORDS)), file, draw(LINES), draw(children(TEXT)),
        draw(st.none() | AMOUNT), draw(TEXT), draw(children(TEXT)),
    )  # fmt: skip


@st.composite
def ledgers(draw: st.DrawFn) -> tuple[Ledger, dict[str, Path]]:
    """A ledger as a full load builds one, and the task files it was built from."""
    names = draw(st.lists(FILE_NAMES, unique=True, max_size=4))
    files = {name: ROOT / "tasks" / name for name in names}
    projects = []
    for name in names:
        project_id, project_name, file = draw(NUMBERS), draw(TEXT), files[name]
        items = tuple(
            draw(an_item(project_id, project_name, number, file))
            for number in range(1, draw(st.integers(0, 3)) + 1)
        )
        projects.append(Project(project_id, project_name, items, file, draw(LINES)))
    workspace = Workspace(
        ROOT, draw(st.integers(2000, 2100)), draw(TEXT), draw(TEXT), draw(TEXT),
        draw(st.none() | DAYS), draw(NUMBERS), draw(NUMBERS), draw(RULES),
        evidence_limit_mb=draw(st.floats(0.5, 1024)),
    )  # fmt: skip
    return Ledger(workspace, tuple(projects)), files


@given(ledgers())
@settings(max_examples=100)
def test_any_ledger_reads_back_identical(made: tuple[Ledger, dict[str, Path]]) -> None:
    ledger, files = made
    back = round_trip(ledger, files)
    assert_identical(back, ledger)
    for project in back.projects:
        assert project.file is files[project.file.name]
        assert all(item.file is project.file for item in project.items)


def test_empty_amounts_read_back_as_what_was_built() -> None:
    """build makes a dict for every milestone's targets, empty or not."""
    milestone = Milestone(1, "年底", DueKind.DATE, date(2023, 12, 31), "完成", {}, None, False, 3)
    file = ROOT / "tasks" / "01.yaml"
    item = Item(1, "实事", 1, "内容", "", "", "", (), (milestone,), (), (), file, 2)
    workspace = Workspace(ROOT, 2023, "清单", rules=DeadlineRules.with_overrides({}))
    ledger = Ledger(workspace, (Project(1, "实事", (item,), file, 1),))
    back = round_trip(ledger, {"01.yaml": file})
    assert_identical(back, ledger)
    assert type(back.projects[0].items[0].milestones[0].targets) is dict


@given(ledgers(), st.data())
@settings(max_examples=60)
def test_a_ledger_from_files_that_are_not_the_workspace_s_is_not_stored(
    made: tuple[Ledger, dict[str, Path]], data: st.DataObject
) -> None:
    ledger, files = made
    if not ledger.projects:
        return
    gone = data.draw(st.sampled_from(sorted(p.file.name for p in ledger.projects)))
    elsewhere = {**files, gone: Path("/elsewhere/tasks") / gone}
    with pytest.raises(NotEncodable):
        encode(ledger, elsewhere)
    with pytest.raises(NotEncodable):
        encode(ledger, {name: file for name, file in files.items() if name != gone})


def one_item_ledger(**changes: Any) -> Ledger:
    file = ROOT / "tasks" / "01.yaml"
    fields = {
        "project": 1, "project_name": "实事", "number": 1, "content": "内容", "leader": "",
        "unit": "", "note": "", "indicators": (), "milestones": (), "tracks": (), "records": (),
        "file": file, "line": 2,
    }  # fmt: skip
    item = Item(**{**fields, **changes})
    return Ledger(Workspace(ROOT, 2023, "清单"), (Project(1, "实事", (item,), file, 1),))


@pytest.mark.parametrize(
    "changes",
    [
        {"project": 2},
        {"project_name": "另一实事"},
        {"file": ROOT / "tasks" / "02.yaml"},
        {"content": 7},
        {"line": (2,)},
        {"line": "2"},
        {"partners": ["县住建局"]},
        {"partners": ("县住建局", 3)},
        {"sites": ("六盘山镇", None)},
        {"investment": "1200"},
        {"indicators": (Indicator("户厕", cast(float, 1j), "座"),)},
        {"records": (Record(date(2023, 5, 1), 1, values=cast(Any, {1: 2.0})),)},
        {"records": (Record(date(2023, 5, 1), 1, values=NO_AMOUNTS),)},
        {"milestones": (Milestone(1, "年底", DueKind.DATE, cast(date, "2023-12-31"), "完成"),)},
        {"milestones": (Milestone(1, "年底", cast(DueKind, "date"), None, "完成"),)},
    ],
    ids=str,
)
def test_what_would_not_read_back_the_same_is_not_stored(changes: dict[str, Any]) -> None:
    ledger = one_item_ledger(**changes)
    files = {"01.yaml": ROOT / "tasks" / "01.yaml", "02.yaml": ROOT / "tasks" / "02.yaml"}
    with pytest.raises(NotEncodable):
        encode(ledger, files)


@given(st.lists(st.integers(0, 2**64 - 1), max_size=40))
def test_packed_columns_read_back(numbers: list[int]) -> None:
    assert unpack(pack(numbers)) == tuple(numbers)


@given(st.text(max_size=40))
def test_any_string_unpacks_to_numbers_or_refuses(text: str) -> None:
    try:
        numbers = unpack(text)
    except ValueError:
        return
    assert all(type(n) is int and n >= 0 for n in numbers)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=20,
)


@given(JSON)
def test_any_json_decodes_or_refuses(value: Any) -> None:
    with pytest.raises(Undecodable):
        decode(value, ROOT, {"01.yaml": ROOT / "tasks" / "01.yaml"})


@given(ledgers(), st.data())
@settings(max_examples=100)
def test_a_damaged_table_decodes_or_refuses(
    made: tuple[Ledger, dict[str, Path]], data: st.DataObject
) -> None:
    """Any one part of a real entry replaced by any JSON: refused, or some ledger (a forger can
    make wrong numbers), but never another exception, and never a file outside tasks/."""
    ledger, files = made
    value = encode(ledger, files)
    part = data.draw(st.sampled_from(sorted(value)))
    if isinstance(value[part], list) and value[part] and data.draw(st.booleans()):
        index = data.draw(st.integers(0, len(value[part]) - 1))
        value[part][index] = data.draw(JSON | st.text(alphabet="BHIQ0123456789abcdef", max_size=12))
    else:
        value[part] = data.draw(JSON)
    try:
        back = decode(value, ROOT, files)
    except Undecodable:
        return
    for project in back.projects:
        assert project.file in files.values()
