"""Deadline words as Chinese work plans write them ("3月中旬", "5月底前", "一季度") → due dates.

Pure functions of the words, the ledger's year and the workspace's rules. An unknown word is an
error, never a guess. The default readings and their sources are in the README ("时限用语").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
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
_YEAR_END_WORDS = ("年底", "年末", "全年", "当年", "年内", "当年内")
_MONTHLY_WORDS = ("逐月", "每月", "按月")
_ONGOING_WORDS = ("长期坚持", "持续", "长期", "常态化", "常态化开展", "持续开展", "持续推进")

_NUM_TEXT = r"\d{1,2}|[一二两三四五六七八九十]{1,3}"
_NUM = rf"({_NUM_TEXT})"
_MONTH_WORD = rf"^{_NUM}月(份)?(上旬|中旬|下旬|上中旬|中下旬|初|中|底|末)?$"
_MONTH_SPAN = rf"^{_NUM}月?[-—–~至到]{_NUM}月(份)?(底|末)?$"
_MONTH_LIST = rf"^(?:(?:{_NUM_TEXT})月?[、,，])+(?:{_NUM_TEXT})月(份)?(底|末)?$"
_MONTH_DAY = rf"^{_NUM}月{_NUM}[日号號]$"
_QUARTER = r"^第?([1-4一二三四])季度(末|底)?$"
_FIRST_QUARTERS = r"^前([1-4一二两三四])个?季度(末|底)?$"
_ISO = r"^(\d{4})-(\d{2})-(\d{2})$"
_YEAR_PREFIX = r"^(?:(\d{4})年|今年)"
_BARE_YEAR = r"^\d{4}$"
_HEDGE = r"^(?:力争|争取|预计|计划|确保)(?:于|在)?"
_RELATIVE = (
    r"本月|当月|下月|下个月|次月|上月|本周|下周|本季|下季|次年|明年|今后|近期|尽快|"
    rf"(?:{_NUM_TEXT})(?:个月|周|星期|天|日|个工作日|工作日)(?:之内|以内|内)"
)
_FESTIVAL = r"春节|元旦|除夕|元宵|清明|端午|中秋|国庆|五一|劳动节|重阳|节前|节后|年前"
_SEASON = r"[春夏秋冬][季天]|汛期|汛前|^[春夏秋冬][末底]?$"
_NO_MONTH = rf"^(?:(?:{_NUM_TEXT})[日号號]|上旬|中旬|下旬|月初|月中|月底|月末)$"
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


@lru_cache(maxsize=512)
def month_end(year: int, month: int) -> date:
    """The last day of a month (28–31), the day 月底 and 下旬 end on. Cached: the escalation of
    every item asks for the same dozen month-ends again and again."""
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
    """Read a deadline as written in the ledger's year; raise DeadlineError if it is unknown.

    A date may fall in a later year only when the words name that year ("2025年6月底").
    """
    rules = rules or DeadlineRules()
    return _parse_cached(words, year, tuple(sorted(rules.days.items())), current_language())


class UnclearDeadline(DeadlineError):
    """The words name a time, but not one date; the message says why and what to write."""


class _NotAWord(Exception):
    """Raised inside the parser; the caller names the whole word the clerk wrote."""


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
    try:
        return _parse_text(text, year, rules)
    except _NotAWord:
        raise _why_not(words.strip(), text, year) from None


def _parse_text(text: str, year: int, rules: DeadlineRules) -> Due:
    """``text`` is the whole wording without spaces: hedges (力争), a year (2024年, 今年) and a
    trailing 前 are read around the word itself."""
    core = _strip_hedges(text)
    bare, had_before = _strip_before(core)  # 2023-06-30前, 2023年底前: 前 first
    iso = re.match(_ISO, bare)
    if iso:
        return Due.on(_iso_date(iso, year))
    if re.match(_BARE_YEAR, bare):  # YAML's 2024, read as the number it looks like
        bare += "年"
    named, rest = _year_named(bare, year)
    if rest != bare:  # a year is named: 2024年, 2024年度, 今年, 2023年底, 今年8月
        bare = _after_year(rest, named, text if had_before else None)
    due = _parse_bare(bare, named, rules, text if had_before else None)
    if named != year and due.kind is not DueKind.DATE:
        raise DeadlineError(
            _("“{text}” names {named}; only a date may fall after the ledger's year {year}").format(
                text=text, named=named, year=year
            )
        )
    return due


def _after_year(rest: str, named: int, before: str | None) -> str:
    """The word after a named year, with the year itself (2024年, 2024年度) read as its end."""
    if rest in ("底", "末", "内"):
        return "年" + rest
    if rest not in ("", "度"):
        return rest
    if before is not None:
        raise UnclearDeadline(
            _(
                "“{text}” could mean before {named} starts or by its end;"
                " write {previous}年底 or {named}年底"
            ).format(text=before, named=named, previous=named - 1)
        )
    return "年底"


def _strip_hedges(text: str) -> str:
    """力争10月底前, 预计于9月, 计划6月底, 确保年底: the word without the hedge before it."""
    while hedge := re.match(_HEDGE, text):
        if hedge.end() == len(text):
            break
        text = text[hedge.end() :]
    return text


def _year_named(text: str, year: int) -> tuple[int, str]:
    """The year a leading 2024年 or 今年 names (the ledger's year if none) and the rest."""
    prefix = re.match(_YEAR_PREFIX, text)
    if prefix is None:
        return year, text
    named = int(prefix.group(1)) if prefix.group(1) else year
    if named < year:
        raise DeadlineError(
            _("the deadline names {named}, but the ledger is for {year}").format(
                named=prefix.group(1), year=year
            )
        )
    return named, text[prefix.end() :]


def _iso_date(match: re.Match[str], year: int) -> date:
    try:
        day = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError as exc:
        raise DeadlineError(_("not a real date: {text}").format(text=match.group(0))) from exc
    if day.year < year:
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
    if text in ("上半年", "年中"):
        return Due.on(date(year, 6, 30))
    if text == "下半年":
        return Due.on(date(year, 12, 31))
    quarter = re.match(_QUARTER, text) or re.match(_FIRST_QUARTERS, text)
    if quarter:
        q = _number(quarter.group(1))
        return Due.on(month_end(year, _QUARTER_ENDS[q]))
    return _parse_month_forms(text, year, rules, written)


def _parse_month_forms(text: str, year: int, rules: DeadlineRules, written: str | None) -> Due:
    """``written`` is the whole wording when it ended in 前 (quoted back in a warning)."""
    found = re.match(_MONTH_WORD, text)
    if found:
        return _month_word(found, year, rules, written)
    span = re.match(_MONTH_SPAN, text)
    if span:
        first, last = _month(span.group(1)), _month(span.group(2))
        if first > last:
            raise DeadlineError(_("the span {text} runs backwards").format(text=text))
        return Due.on(month_end(year, last))
    if re.match(_MONTH_LIST, text):
        months = [_month(m) for m in re.findall(_NUM_TEXT, text)]
        if months != sorted(set(months)):
            raise DeadlineError(_("the months of {text} are not in order").format(text=text))
        return Due.on(month_end(year, months[-1]))
    day_match = re.match(_MONTH_DAY, text)
    if day_match:
        month, day = _month(day_match.group(1)), _number(day_match.group(2))
        try:
            return Due.on(date(year, month, day))
        except ValueError as exc:
            raise DeadlineError(
                _("there is no {month}月{day}日 in {year}").format(month=month, day=day, year=year)
            ) from exc
    raise _NotAWord


def _month_word(found: re.Match[str], year: int, rules: DeadlineRules, written: str | None) -> Due:
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


def _why_not(written: str, text: str, year: int) -> DeadlineError:
    """Why the words name no single date, and what to write instead; or that they are unknown."""
    core = _strip_before(_strip_hedges(text))[0]
    if re.search(_FESTIVAL, text):
        return UnclearDeadline(
            _(
                "“{text}” names a holiday, not a date (春节 falls on a different day each year,"
                " and 节前 may mean before the holiday or by it); write the day it means,"
                " e.g. {example}"
            ).format(text=written, example=f"{year}-09-30")
        )
    if re.search(_RELATIVE, text):
        return UnclearDeadline(
            _(
                "“{text}” counts from a day the ledger does not know (when the notice was issued"
                " or the work began), so it has no single date; write the month it means,"
                " e.g. 7月中旬, or the date, e.g. {example}"
            ).format(text=written, example=f"{year}-07-20")
        )
    if "年初" in text:
        return UnclearDeadline(
            _(
                "“{text}”: 年初 (the start of the year) has no agreed end;"
                " write the month it means, e.g. 2月底 or 一季度"
            ).format(text=written)
        )
    if re.search(_SEASON, core):
        return UnclearDeadline(
            _(
                "“{text}”: a season has no agreed start or end;"
                " write the month it means, e.g. 10月底"
            ).format(text=written)
        )
    if re.match(_NO_MONTH, core):
        example = "6" + core if core.startswith("月") else "6月" + core
        return UnclearDeadline(
            _("“{text}” does not say which month; write the month too, e.g. {example}").format(
                text=written, example=example
            )
        )
    return DeadlineError(_("unknown deadline word “{text}”").format(text=written))


class DeadlineCell(NamedTuple):
    """A 完成时限 cell read apart: the time, what is to happen by then, and the share of the whole
    work that names (``"8月份完成主体工程的70%"`` → ``("8月份", "完成主体工程的70%", 70.0)``)."""

    deadline: str
    rest: str
    percent: float | None


_SEPARATORS = "：:，,；; \t\u3000"
_CONTINUES_A_TIME = (
    r"^(?:[上中下]{1,2}旬|[上下]半|[前后以之起止至到左右旬底末份内日号號季度年的第间期半\-—–~、])"
)
"""What may follow a time and still be part of it (5月前后, 6月起, 3月的某天, 3月上半月)."""
_NUMERAL = r"^[\d０-９一二两三四五六七八九十〇]"
_NAMES_A_TIME = rf"(?:{_NUM_TEXT})月|季度|[上下]半年|年底|年末|年内|上旬|中旬|下旬|\d{{4}}年"
_AMOUNT = r"(\d+(?:\.\d+)?)\s*[%％]"
_WORK_SHARE = (
    rf"完成[^率%％，,；;。]*?{_AMOUNT}",  # 完成主体工程的70%, 完成60%任务
    rf"{_AMOUNT}的?(?:任务|工程量|工作量|工程|进度)",  # 60%任务
    rf"(?:工程量|工作量|任务量|任务|工程|进度)(?:的|达到|达)?{_AMOUNT}",  # 工程量的30%
)


class _Reading(NamedTuple):
    head: str
    rest: str
    due: Due
    problem: str | None  # why this reading cannot be taken: "carries on", "second time"


def split_deadline_cell(text: str, year: int, rules: DeadlineRules | None = None) -> DeadlineCell:
    """Read a 完成时限 cell that holds a time and what happens by then ("5月底前动工").

    The deadline is the longest leading part that `parse_deadline` reads (so 力争, 2025年 and
    every other accepted word work here too); the rest, without the separators after the time
    (“：”, “，”, spaces), is what happens. A cell that is only a time comes back whole with an
    empty rest. The split is refused (DeadlineError, naming the whole cell and what to write)
    rather than guessed when the rest carries on the time (5月前后…, 6月起…, 10月15前…), names a
    second time (5月开工、8月完工), or could be split two ways with different dates (6月初步完成:
    6月初 + 步完成, or 6月 + 初步完成).

    ``percent`` is the share of the whole work the rest names, when it names exactly one
    ("完成…70%", "60%任务", "工程量的30%"); a rate ("完成率95%", "覆盖率达到95%") is not one.
    """
    cell = text.strip()
    try:
        parse_deadline(cell, year, rules)
    except DeadlineError as whole:
        readings = list(_readings(cell, year, rules))
        good = [r for r in readings if r.problem is None]
        if good and all(r.due == good[0].due for r in good):
            return DeadlineCell(good[0].head, good[0].rest, work_percent(good[0].rest))
        raise _refusal(cell, good, readings) or whole from None
    return DeadlineCell(cell, "", None)


def _readings(cell: str, year: int, rules: DeadlineRules | None) -> Iterator[_Reading]:
    """Every way the cell starts with a time, longest time first; stops at a separator."""
    for end in range(len(cell) - 1, 0, -1):
        head, after = cell[:end], cell[end:]
        if head[-1] in _SEPARATORS:
            continue
        try:
            due = parse_deadline(head, year, rules)
        except DeadlineError:
            continue
        rest = after.lstrip(_SEPARATORS)
        separated = rest != after
        problem = None
        if not separated and (
            re.match(_CONTINUES_A_TIME, after)
            or (head.endswith("月") and re.match(_NUMERAL, after))
        ):
            problem = "carries on"
        elif re.search(_NAMES_A_TIME, rest):
            problem = "second time"
        if rest:
            yield _Reading(head, rest, due, problem)
        if separated:
            return


def _refusal(cell: str, good: list[_Reading], readings: list[_Reading]) -> DeadlineError | None:
    """Why a cell that starts with a time cannot be split; None: it does not start with one."""
    if len(good) > 1:
        first, second = good[0], good[1]
        return UnclearDeadline(
            _(
                "“{text}” reads two ways ({first} + {rest}, or {other} + {other_rest});"
                " put “：” after the deadline, or give the time alone and text: apart"
            ).format(
                text=cell,
                first=first.head,
                rest=first.rest,
                other=second.head,
                other_rest=second.rest,
            )
        )
    if any(r.problem == "second time" for r in readings):
        return UnclearDeadline(
            _("“{text}” holds more than one deadline; write one milestone for each").format(
                text=cell
            )
        )
    if readings and len(readings[-1].rest) > 2:
        return UnclearDeadline(
            _(
                "“{text}”: what follows {head} could be part of the time;"
                " give the time alone and text: apart, or put “：” after the deadline"
            ).format(text=cell, head=readings[-1].head)
        )
    return None


def _parses(words: str, year: int, rules: DeadlineRules | None) -> bool:
    try:
        parse_deadline(words, year, rules)
    except DeadlineError:
        return False
    return True


def work_percent(text: str) -> float | None:
    """The share of the whole work ``text`` names ("完成主体工程的70%" → 70), if exactly one."""
    shares = {float(m.group(1)) for pattern in _WORK_SHARE for m in re.finditer(pattern, text)}
    if len(shares) == 1:
        (share,) = shares
        if share <= 100:
            return share
    return None
