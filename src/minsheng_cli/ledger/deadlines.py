"""Deadline words as Chinese work plans write them ("3月中旬", "5月底前", "一季度") → due dates.

Pure functions of the words, the ledger's year and the workspace's rules. An unknown word is an
error, never a guess. The default readings and their sources are in the README ("时限用语").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from functools import lru_cache
from types import MappingProxyType
from typing import NamedTuple

from dateutil.relativedelta import relativedelta

from minsheng_cli.i18n import _, current_language

LAST_DAY = 31
"""A rule's day for "the month's last day"; clamped to the month's length."""

DEFAULT_RULES: Mapping[str, int] = MappingProxyType(
    {
        "上旬": 10,
        "中旬": 20,
        "下旬": LAST_DAY,
        "月初": 10,
        "月中": 15,
        "月底": LAST_DAY,
        "月末": LAST_DAY,
    }
)
RULE_WORDS = tuple(DEFAULT_RULES)

_CN_DIGITS = {
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_QUARTER_ENDS = {1: 3, 2: 6, 3: 9, 4: 12}
_YEAR_END_WORDS = ("年底", "年末", "全年", "当年", "年内")
_MONTHLY_WORDS = ("逐月", "每月", "按月")
_ONGOING_WORDS = ("长期坚持", "持续", "长期")

_NUM = r"(\d{1,2}|[一二两三四五六七八九十]{1,3})"
_MONTH_WORD = rf"^{_NUM}月(份)?(上旬|中旬|下旬|上中旬|中下旬|初|中|底|末)?$"
_MONTH_SPAN = rf"^{_NUM}[-—–~至到]{_NUM}月(份)?(底|末)?$"
_MONTH_DAY = rf"^{_NUM}月{_NUM}[日号]$"
_QUARTER = r"^第?([1-4一二三四])季度(末|底)?$"
_ISO = r"^(\d{4})-(\d{2})-(\d{2})$"
_YEAR_PREFIX = r"^(\d{4})年"
"""Patterns as text: ``re`` compiles each the first time a deadline needs it (and keeps it), so a
command that reads a cached ledger, which parses no deadline, does not compile them at all."""


class DueKind(StrEnum):
    DATE = "date"
    MONTHLY = "monthly"
    ONGOING = "ongoing"


class Due(NamedTuple):
    """What a deadline word means: one date, a date each month, or no date at all."""

    kind: DueKind
    date: dt.date | None = None
    warning: str | None = None

    @classmethod
    def on(cls, day: dt.date, warning: str | None = None) -> Due:
        return cls(DueKind.DATE, day, warning)


class DeadlineError(ValueError):
    """The words are not a deadline this ledger knows how to read."""


class DeadlineRules(NamedTuple):
    """The day of the month each relative word ends on; a workspace may override any of them."""

    days: Mapping[str, int] = DEFAULT_RULES

    @classmethod
    def with_overrides(cls, overrides: Mapping[str, int]) -> DeadlineRules:
        unknown = sorted(set(overrides) - set(DEFAULT_RULES))
        if unknown:
            raise DeadlineError(
                _("unknown word in deadline_rules: {words} (known: {known})").format(
                    words=", ".join(unknown), known=", ".join(RULE_WORDS)
                )
            )
        return cls({**DEFAULT_RULES, **overrides})

    def day_in(self, year: int, month: int, word: str) -> date:
        return clamp_day(year, month, self.days[word])


def month_end(year: int, month: int) -> date:
    """The last day of a month (28–31), the day 月底 and 下旬 end on."""
    return date(year, month, 1) + relativedelta(day=31)


def clamp_day(year: int, month: int, day: int) -> date:
    return min(date(year, month, 1) + relativedelta(day=day), month_end(year, month))


def _number(text: str) -> int:
    """1–2 digit Arabic or Chinese numerals up to 三十一: "12", "十二", "二十"."""
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if "十" in text:
        tens, _sep, ones = text.partition("十")
        if tens in ("", *_CN_DIGITS) and ones in ("", *_CN_DIGITS):
            return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    elif len(text) == 1:
        return _CN_DIGITS[text]
    raise DeadlineError(_("not a number: {text}").format(text=text))


def month_number(text: str) -> int:
    """A month as a clerk types it: 7, 07, 7月, 七月, 十二月; DeadlineError otherwise."""
    bare = text.strip().removesuffix("份").removesuffix("月")
    if not re.fullmatch(_NUM, bare):
        raise DeadlineError(_("“{text}” is not a month (1–12)").format(text=text))
    return _month(bare)


def _month(text: str) -> int:
    month = _number(text)
    if not 1 <= month <= 12:
        raise DeadlineError(_("there is no month {month}").format(month=month))
    return month


def _strip_before(words: str) -> tuple[str, bool]:
    """Drop a trailing 前/以前/之前 ("5月底前"); report whether there was one."""
    for suffix in ("以前", "之前", "前"):
        if words.endswith(suffix) and len(words) > len(suffix):
            return words[: -len(suffix)], True
    return words, False


def parse_deadline(words: str, year: int, rules: DeadlineRules | None = None) -> Due:
    """Read a deadline as written in the ledger's year; raise DeadlineError if it is unknown."""
    rules = rules or DeadlineRules()
    return _parse_cached(words, year, tuple(sorted(rules.days.items())), current_language())


@lru_cache(maxsize=4096)
def _parse_cached(
    words: str, year: int, rule_items: tuple[tuple[str, int], ...], language: str
) -> Due:
    """A ledger repeats a few dozen words thousands of times: each is read once per process
    (and per language, since a warning is a translated sentence)."""
    rules = DeadlineRules(dict(rule_items))
    text = re.sub(r"\s+", "", words).rstrip("，,。；;：:")
    if not text:
        raise DeadlineError(_("the deadline is empty"))
    bare, had_before = _strip_before(text)  # 2023-06-30前, 2023年底前: 前 first
    iso = re.match(_ISO, bare)
    if iso:
        return Due.on(_iso_date(iso, year))
    prefix = re.match(_YEAR_PREFIX, bare)
    if prefix:
        if int(prefix.group(1)) != year:
            raise DeadlineError(
                _("the deadline names {named}, but the ledger is for {year}").format(
                    named=prefix.group(1), year=year
                )
            )
        bare = bare[prefix.end() :]
        if bare in ("底", "末", "内"):  # 2023年底, 2023年末, 2023年内
            bare = "年" + bare
    return _parse_bare(bare, year, rules, text if had_before else None)


def _iso_date(match: re.Match[str], year: int) -> date:
    try:
        day = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError as exc:
        raise DeadlineError(_("not a real date: {text}").format(text=match.group(0))) from exc
    if day.year != year:
        raise DeadlineError(
            _("the date {day} is outside the ledger's year {year}").format(
                day=day.isoformat(), year=year
            )
        )
    return day


def _parse_bare(text: str, year: int, rules: DeadlineRules, written: str | None) -> Due:
    if text in _YEAR_END_WORDS:
        return Due.on(date(year, 12, 31))
    if text in _MONTHLY_WORDS:
        return Due(DueKind.MONTHLY)
    if text in _ONGOING_WORDS:
        return Due(DueKind.ONGOING)
    if text == "上半年":
        return Due.on(date(year, 6, 30))
    if text == "下半年":
        return Due.on(date(year, 12, 31))
    quarter = re.match(_QUARTER, text)
    if quarter:
        q = _number(quarter.group(1))
        return Due.on(month_end(year, _QUARTER_ENDS[q]))
    return _parse_month_forms(text, year, rules, written)


def _parse_month_forms(text: str, year: int, rules: DeadlineRules, written: str | None) -> Due:
    """``written`` is the whole wording when it ended in 前 (quoted back in a warning)."""
    found = re.match(_MONTH_WORD, text)
    if found:
        month = _month(found.group(1))
        word = found.group(3)
        if word is None:
            warning = None
            if written is not None:
                warning = _(
                    "“{text}” could mean before {month}月 starts or by its end;"
                    " read as by the end of {month}月"
                ).format(text=written, month=month)
            return Due.on(month_end(year, month), warning)
        # a two-旬 span (7月中下旬) is due when its later 旬 ends
        rule = "下旬" if word == "中下旬" else "中旬" if word == "上中旬" else word
        rule = rule if rule.endswith("旬") else "月" + rule
        return Due.on(rules.day_in(year, month, rule))
    span = re.match(_MONTH_SPAN, text)
    if span:
        first, last = _month(span.group(1)), _month(span.group(2))
        if first > last:
            raise DeadlineError(_("the span {text} runs backwards").format(text=text))
        return Due.on(month_end(year, last))
    day_match = re.match(_MONTH_DAY, text)
    if day_match:
        month, day = _month(day_match.group(1)), _number(day_match.group(2))
        try:
            return Due.on(date(year, month, day))
        except ValueError as exc:
            raise DeadlineError(
                _("there is no {month}月{day}日 in {year}").format(month=month, day=day, year=year)
            ) from exc
    raise DeadlineError(_("unknown deadline word “{text}”").format(text=text))
