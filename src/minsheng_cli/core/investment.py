"""An item's money: 计划投资 from the ledger, 完成投资 as recorded by `update --set 完成投资=…`."""

from __future__ import annotations

from collections.abc import Mapping

from minsheng_cli.i18n import _
from minsheng_cli.ledger.model import INVESTMENT_KEY, Item
from minsheng_cli.text import format_amount


def investment_text(item: Item, values: Mapping[str, float]) -> str:
    """计划1200万元，已完成800万元 — or nothing for an item with no planned investment."""
    if item.investment is None:
        return ""
    unit = item.investment_unit
    planned = _("planned {amount}").format(amount=format_amount(item.investment) + unit)
    spent = values.get(INVESTMENT_KEY)
    if spent is None:
        return planned
    done = _("{amount} spent").format(amount=format_amount(spent) + unit)
    return f"{planned}，{done}"
