"""Words for states, lights and measures in the user's language (gettext msgids are English)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from minsheng_cli.core.evaluate import Light, MilestoneStatus, State
from minsheng_cli.i18n import _, ngettext
from minsheng_cli.ledger.model import PERCENT_KEY, Item, measure_name
from minsheng_cli.text import format_amount


def state_label(state: State) -> str:
    return {
        State.MET: _("met"),
        State.MET_LATE: _("met late"),
        State.OVERDUE: _("overdue"),
        State.DUE_SOON: _("due soon"),
        State.PENDING: _("pending"),
    }[state]


def light_label(light: Light) -> str:
    return {
        Light.GREEN: _("green"),
        Light.YELLOW: _("yellow"),
        Light.RED: _("red"),
        Light.DONE: "✓",
    }[light]


def deadline_label(status: MilestoneStatus) -> str:
    """The deadline as written; a month of a monthly duty says which month."""
    if status.period is not None:
        return _("{deadline} ({month}月)").format(
            deadline=status.milestone.deadline, month=status.period
        )
    if status.milestone.implied:
        return _("{deadline} (当年完成)").format(deadline=status.milestone.deadline)
    return status.milestone.deadline


def units_of(item: Item) -> dict[str, str]:
    units = {indicator.name: indicator.unit for indicator in item.indicators}
    units[PERCENT_KEY] = "%"
    return units


def amounts_text(values: Mapping[str, float], item: Item) -> str:
    """{"户厕改造": 900} → "户厕改造 900座"; the work percentage as "工程进度 40%"."""
    units = units_of(item)
    return "，".join(
        f"{measure_name(name)} {format_amount(value)}{units.get(name, '')}"
        for name, value in values.items()
    )


def required_text(status: MilestoneStatus) -> str:
    """What the milestone requires: its targets, or a tick-off."""
    if status.milestone.needs_tick:
        return _("tick off (销号)")
    return amounts_text(status.milestone.targets, status.item)


def recorded_text(status: MilestoneStatus) -> str:
    if status.milestone.needs_tick:
        return _("ticked off") if status.state.is_met else _("not ticked")
    if not status.recorded:
        return _("nothing recorded")
    return amounts_text(status.recorded, status.item)


def shortfalls(status: MilestoneStatus) -> list[tuple[str, str, str]]:
    """The targets that fell short, each as (required, recorded, short by): "农村劳动力转移就业
    2万人次", "1.9万人次", "0.1万人次"; the targets that were met are left out."""
    units = units_of(status.item)
    short = []
    for name, target in status.milestone.targets.items():
        got = status.recorded.get(name)
        if got is not None and got >= target:
            continue
        unit = units.get(name, "")
        short.append(
            (
                f"{measure_name(name)} {format_amount(target)}{unit}",
                _("nothing recorded") if got is None else f"{format_amount(got)}{unit}",
                f"{format_amount(round(target - (got or 0), 6))}{unit}",
            )
        )
    return short


def iso(day: date | None) -> str:
    return day.isoformat() if day else "—"


def planned_amount(value: float, total: float) -> str:
    """A planned (序时) amount to its target's precision: 13个 of 15, not 12.8个; 1.47 of 2.2."""
    shown = format_amount(total)
    decimals = len(shown.partition(".")[2])
    return format_amount(round(value, decimals))


def labelled(label: str) -> str:
    """“进度：” in Chinese, “Progress: ” in English."""
    return _("{label}: ").format(label=label)


CHINESE_ORDINALS = "一二三四五六七八九十"


def numbered_track(position: int, heading: str) -> str:
    """“（二）农村户厕改造”, as the notice numbers its sub-tracks (position counts from 1)."""
    if 1 <= position <= len(CHINESE_ORDINALS):
        return f"（{CHINESE_ORDINALS[position - 1]}）{heading}"
    return f"（{position}）{heading}"


def lateness(status: MilestoneStatus) -> str:
    """“逾期12天”, or, for a milestone due on the as-of day itself, that it was not met that day."""
    if status.days_late == 0:
        return _("not met by its due day")
    return ngettext("{days} day late", "{days} days late", status.days_late).format(
        days=status.days_late
    )
