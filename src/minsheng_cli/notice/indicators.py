"""Quantities in 实事内容 made indicators ("改造农户分散供热设施954户" → 954 户), and a
milestone's numbers matched to them ("完成农村户厕改造900座" → 900 of 户厕改造; "完成工程量的30%"
→ 30% of the work).

Only a clause that is exactly a name, a number and a unit is certain. Anything else with a
number in it (a number before its noun, two numbers, a rate "每人每月") is kept as a comment for
the clerk to confirm, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

UNITS = (
    "万人次", "万元", "万人", "人次", "场次", "公里", "千米", "平方米", "立方米", "亩", "户",
    "座", "个", "人", "件", "处", "所", "名", "家", "套", "台", "辆", "条", "间", "栋", "场",
    "次", "吨", "米", "张", "份", "项", "%",
)  # fmt: skip
_UNIT = "|".join(re.escape(unit) for unit in UNITS)
QUANTITY = re.compile(rf"\d+(?:\.\d+)?\s*(?:{_UNIT})")
CERTAIN = re.compile(
    rf"^(?P<name>\D+?)(?P<number>\d+(?:\.\d+)?)(?P<unit>{_UNIT})(?:以上|以内|左右|任务)?$"
)
WORK_SHARE = re.compile(r"(?:工程量|工程总量|工作量|任务|进度)的?(\d+(?:\.\d+)?)%$")
CLAUSE = re.compile(r"[，,；;。、]")
VERBS = (
    "全面完成", "累计完成", "完成", "开展", "实施", "办理", "实现", "打造", "提供", "新建",
    "建成", "为全县", "全县",
)  # fmt: skip
MIN_NAME = 2


@dataclass(frozen=True, slots=True)
class Indicator:
    name: str
    target: float
    unit: str


@dataclass(slots=True)
class Targets:
    """What a milestone's text states: indicator targets, a work percentage, and doubts."""

    targets: dict[str, float] = field(default_factory=dict)
    percent: float | None = None
    doubts: list[str] = field(default_factory=list)


def pieces(text: str) -> list[str]:
    return [p.strip() for p in CLAUSE.split(text.replace("％", "%")) if p.strip()]


def bare_name(name: str) -> str:
    """The indicator's name without its verb: "完成农村户厕改造" → "农村户厕改造"."""
    name = name.strip(' “”"')
    for verb in VERBS:
        if name.startswith(verb) and len(name) - len(verb) >= MIN_NAME:
            return name[len(verb) :]
    return name


def number(text: str) -> float:
    value = float(text)
    return int(value) if value.is_integer() else value


def certain(piece: str) -> tuple[str, float, str] | None:
    found = CERTAIN.match(piece)
    if found is None or "每" in found["name"]:
        return None
    name = bare_name(found["name"])
    if len(name) < MIN_NAME or QUANTITY.search(name):
        return None
    return name, number(found["number"]), found["unit"]


def indicators_of(content: str) -> tuple[list[Indicator], list[str]]:
    """The certain indicators of an item's content, and the clauses with numbers left to the
    clerk."""
    found: list[Indicator] = []
    doubts: list[str] = []
    for piece in pieces(content):
        read = certain(piece)
        if read is not None and read[0] not in {i.name for i in found}:
            found.append(Indicator(*read))
        elif QUANTITY.search(piece):
            doubts.append(piece)
    return found, doubts


def same(a: str, b: str) -> bool:
    return a == b or a in b or b in a


def targets_of(text: str, indicators: list[Indicator]) -> Targets:
    """The milestone's targets: each "name number unit" matched to exactly one indicator of the
    unit and a name that is the same or contains it; a share of the whole work as percent."""
    result = Targets()
    for piece in pieces(text):
        if not QUANTITY.search(piece):
            continue
        read = certain(piece)
        matches = (
            []
            if read is None
            else [i for i in indicators if i.unit == read[2] and same(i.name, read[0])]
        )
        share = WORK_SHARE.search(piece)
        if read is not None and len(matches) == 1 and matches[0].name not in result.targets:
            result.targets[matches[0].name] = read[1]
        elif (
            share is not None and not matches and result.percent is None and float(share[1]) <= 100
        ):
            result.percent = number(share.group(1))
        else:
            result.doubts.append(piece)
    return result
