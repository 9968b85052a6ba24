"""Which units an item names: its lead (牵头单位) and its partners (配合单位); --unit's match."""

from __future__ import annotations

from enum import Enum

from minsheng_cli.i18n import _
from minsheng_cli.ledger.model import Item


class Role(Enum):
    LEAD = "lead"
    PARTNER = "partner"


def unit_role(item: Item, wanted: str) -> Role | None:
    """--unit matches part of a name (--unit 农业 finds 农业农村局): the lead's, or a partner's."""
    wanted = wanted.strip()
    if wanted in item.unit:
        return Role.LEAD
    if any(wanted in partner for partner in item.partners):
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
