"""Which unit a clerk means by what they type (part of its name, its usual 简称, or an alias),
and which units an item names: its lead (牵头单位) and its partners (配合单位).

The 简称 rule: leave off the kind of body (局, 委员会, 办公室, 中心 …), split the rest at 和
(or 与, 、) into parts — a name without one into words of two characters, each a part — and
take one character of each part, in order: the first character of one of its two-character
words. 人力资源+社会保障 → 人社 (or 人保), 住房+城乡建设 → 住建, 卫生+健康 → 卫健,
教育+体育 → 教体, 医疗+保障 → 医保, 交通+运输 → 交运. What the rule does not give (残联 for
残疾人联合会) goes in
minsheng.yaml's ``aliases:``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import Enum
from itertools import product

from minsheng_cli.i18n import _
from minsheng_cli.ledger.model import Item

KINDS = ("委员会", "办公室", "联合会", "中心", "局", "委", "办", "会", "所", "站", "院")
"""What a unit's name ends with to say what kind of body it is; a 简称 is of what comes before."""
JOINERS = re.compile("[和与、及]")


def abbreviations(unit: str) -> frozenset[str]:
    """The usual 简称 of a unit, without its kind: 人力资源和社会保障局 → 人社 (and 人保 …)."""
    name = without_kind(unit.strip())
    parts = [part for part in JOINERS.split(name) if part]
    if len(parts) == 1:
        parts = _words(name)
    choices = [{word[0] for word in _words(part)} for part in parts]
    return frozenset("".join(chosen) for chosen in product(*choices))


def _words(text: str) -> list[str]:
    return [text[i : i + 2] for i in range(0, len(text), 2)]


def without_kind(wanted: str) -> str:
    """人社局 → 人社: what a clerk types may end with the kind of body."""
    for kind in KINDS:
        if wanted.endswith(kind) and len(wanted) > len(kind):
            return wanted[: -len(kind)]
    return wanted


def names_unit(wanted: str, unit: str, aliases: Mapping[str, str] | None = None) -> bool:
    """Whether ``wanted`` names ``unit``: an alias of it, part of its name (农业 → 农业农村局),
    or its 简称, with or without the kind (人社, 人社局)."""
    wanted = wanted.strip()
    if not wanted:
        return True
    alias = (aliases or {}).get(wanted)
    if alias is not None:
        return alias.strip() in unit
    if wanted in unit:
        return True
    short = without_kind(wanted)
    return len(short) >= 2 and any(short in name for name in abbreviations(unit))


class Role(Enum):
    LEAD = "lead"
    PARTNER = "partner"


def unit_role(item: Item, wanted: str, aliases: Mapping[str, str] | None = None) -> Role | None:
    """Whether --unit names the item's lead unit or one of its partners (``names_unit``)."""
    if names_unit(wanted, item.unit, aliases):
        return Role.LEAD
    if any(names_unit(wanted, partner, aliases) for partner in item.partners):
        return Role.PARTNER
    return None


def unit_names(item: Item) -> tuple[str, ...]:
    """The lead unit, then its partners."""
    return (item.unit, *item.partners)


def partners_text(item: Item) -> str:
    """配合：县住建局、县财政局 — or nothing for an item with no partners."""
    if not item.partners:
        return ""
    return _("partners: {units}").format(units="、".join(item.partners))


def units_label(item: Item) -> str:
    """The unit as a row shows it: 县水务局（配合：县住建局）."""
    partners = partners_text(item)
    return f"{item.unit}（{partners}）" if partners else item.unit
