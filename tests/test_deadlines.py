"""Deadline words → due dates: the documented table, the rules a workspace may override, and
properties over every month, numeral style and random garbage (hypothesis)."""

from __future__ import annotations

import calendar
import gettext
import itertools
import json
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minsheng_cli import i18n
from minsheng_cli.i18n import set_language
from minsheng_cli.ledger.deadlines import (
    DEFAULT_RULES,
    LAST_DAY,
    DeadlineError,
    DeadlineRules,
    Due,
    DueKind,
    parse_deadline,
)
from tests.conftest import run_cli

YEAR = 2023

MONTHS = st.integers(min_value=1, max_value=12)
YEARS = st.integers(min_value=2000, max_value=2100)
# the day each word of "X月<word>" ends on; None: the month's last day
MONTH_WORDS: dict[str, int | None] = {
    "上旬": 10,
    "中旬": 20,
    "下旬": None,
    "初": 10,
    "中": 15,
    "底": None,
    "末": None,
}
CN_DIGITS = "一二三四五六七八九"


def chinese(number: int) -> str:
    """1–31 as a clerk writes it in Chinese: 一, 十, 十二, 二十, 三十一."""
    if number < 10:
        return CN_DIGITS[number - 1]
    tens, ones = divmod(number, 10)
    return ("" if tens == 1 else CN_DIGITS[tens - 1]) + "十" + (CN_DIGITS[ones - 1] if ones else "")


def last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def due(words: str, year: int = YEAR, rules: DeadlineRules | None = None) -> date:
    parsed = parse_deadline(words, year, rules)
    assert parsed.kind is DueKind.DATE
    assert parsed.date is not None
    return parsed.date


# --- the documented readings --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("3月上旬", date(2023, 3, 10)),
        ("3月中旬", date(2023, 3, 20)),
        ("3月下旬", date(2023, 3, 31)),
        ("4月初", date(2023, 4, 10)),
        ("4月中", date(2023, 4, 15)),
        ("4月底", date(2023, 4, 30)),
        ("4月末", date(2023, 4, 30)),
        ("2月底", date(2023, 2, 28)),
        ("2月下旬", date(2023, 2, 28)),
        ("5月底前", date(2023, 5, 31)),
        ("5月底以前", date(2023, 5, 31)),
        ("5月底之前", date(2023, 5, 31)),
        ("5月份", date(2023, 5, 31)),
        ("年底", date(2023, 12, 31)),
        ("年底前", date(2023, 12, 31)),
        ("年内", date(2023, 12, 31)),
        ("上半年", date(2023, 6, 30)),
        ("下半年", date(2023, 12, 31)),
        ("一季度", date(2023, 3, 31)),
        ("第二季度", date(2023, 6, 30)),
        ("3季度末", date(2023, 9, 30)),
        ("3-4月", date(2023, 4, 30)),
        ("6至8月底", date(2023, 8, 31)),
        ("10月15日", date(2023, 10, 15)),
        ("10月15号", date(2023, 10, 15)),
        ("十二月三十一日", date(2023, 12, 31)),
        ("两月底", date(2023, 2, 28)),
        ("2023年5月底", date(2023, 5, 31)),
        ("2023-05-31", date(2023, 5, 31)),
        (" 3月 中旬， ", date(2023, 3, 20)),
    ],
)
def test_documented_words(words: str, expected: date) -> None:
    assert parse_deadline(words, YEAR) == Due.on(expected)


def test_leap_year_month_end() -> None:
    assert due("2月底", 2024) == date(2024, 2, 29)
    assert due("2月下旬", 2024) == date(2024, 2, 29)


@pytest.mark.parametrize(
    ("words", "kind"),
    [("逐月", DueKind.MONTHLY), ("每月", DueKind.MONTHLY), ("长期坚持", DueKind.ONGOING)],
)
def test_recurring_and_ongoing_words_have_no_single_date(words: str, kind: DueKind) -> None:
    assert parse_deadline(words, YEAR) == Due(kind)


@pytest.mark.parametrize(
    ("words", "shown"),
    [
        ("3月前后", "3月前后"),
        ("截至6月9日", "截至6月9日"),
        ("前", "前"),
        ("第五季度", "第五季度"),
        ("5月左右", "5月左右"),
    ],
)
def test_unknown_word_is_an_error_naming_it(words: str, shown: str) -> None:
    set_language("en")
    with pytest.raises(DeadlineError) as raised:
        parse_deadline(words, YEAR)
    assert str(raised.value) == f"unknown deadline word “{shown}”"


@pytest.mark.parametrize(
    ("words", "message"),
    [
        ("", "the deadline is empty"),
        ("13月底", "there is no month 13"),
        ("0月", "there is no month 0"),
        ("2月30日", "there is no 2月30日 in 2023"),
        ("2023-02-29", "not a real date: 2023-02-29"),
        ("2022-12-31", "the date 2022-12-31 is outside the ledger's year 2023"),
        ("2022年12月底", "the deadline names 2022, but the ledger is for 2023"),
        ("6-3月", "the span 6-3月 runs backwards"),
        # once a crash (UnboundLocalError, KeyError) instead of an error a clerk can read
        ("一二月底", "not a number: 一二"),
        ("十十月底", "not a number: 十十"),
        ("十二十月", "not a number: 十二十"),
    ],
)
def test_impossible_deadlines_say_why(words: str, message: str) -> None:
    set_language("en")
    with pytest.raises(DeadlineError) as raised:
        parse_deadline(words, YEAR)
    assert str(raised.value) == message


def test_bare_month_before_is_read_as_its_end_with_a_warning() -> None:
    set_language("en")
    parsed = parse_deadline("5月前", YEAR)
    assert parsed.date == date(2023, 5, 31)
    assert parsed.warning is not None
    assert parsed.warning.startswith("“5月前” ")
    assert "by the end" in parsed.warning or "by its end" in parsed.warning
    assert parse_deadline("5月底前", YEAR).warning is None
    assert parse_deadline("5月", YEAR).warning is None


class MarkedCatalog(gettext.NullTranslations):
    """A stand-in catalog that marks every message, whatever the real catalog holds."""

    def gettext(self, message: str) -> str:
        return "〔译〕" + message


def test_warning_follows_a_language_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Parsing is cached per process; a warning must still come in the current language."""
    set_language("en")
    english = parse_deadline("11月前", 2077).warning
    assert english is not None
    assert english.startswith("“11月前” ")

    monkeypatch.setattr(i18n, "_translation", MarkedCatalog())
    monkeypatch.setattr(i18n, "_current", "zh_CN")
    assert parse_deadline("11月前", 2077).warning == "〔译〕" + english


# --- properties ---------------------------------------------------------------------------------


@given(year=YEARS, month=MONTHS, word=st.sampled_from(sorted(MONTH_WORDS)))
def test_every_month_word_falls_in_its_month(year: int, month: int, word: str) -> None:
    day = due(f"{month}月{word}", year)
    assert (day.year, day.month) == (year, month)
    expected = MONTH_WORDS[word]
    assert day == (last_day(year, month) if expected is None else date(year, month, expected))


@given(year=YEARS, month=MONTHS)
def test_dekads_and_month_parts_are_in_order(year: int, month: int) -> None:
    assert due(f"{month}月上旬", year) <= due(f"{month}月中旬", year) <= due(f"{month}月下旬", year)
    assert due(f"{month}月初", year) <= due(f"{month}月中", year) <= due(f"{month}月底", year)
    assert due(f"{month}月底", year) == due(f"{month}月末", year) == due(f"{month}月下旬", year)


@given(
    year=YEARS,
    month=MONTHS,
    word=st.sampled_from(sorted(MONTH_WORDS)),
    before=st.sampled_from(["前", "以前", "之前"]),
)
def test_trailing_before_means_the_same_day(year: int, month: int, word: str, before: str) -> None:
    words = f"{month}月{word}"
    assert parse_deadline(words + before, year) == parse_deadline(words, year)


@given(year=YEARS, month=MONTHS, word=st.sampled_from(["", *sorted(MONTH_WORDS)]))
def test_chinese_month_numerals_equal_arabic(year: int, month: int, word: str) -> None:
    assert due(f"{chinese(month)}月{word}", year) == due(f"{month}月{word}", year)


@given(day=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_chinese_dates_equal_arabic_and_iso(day: date) -> None:
    for words in (
        f"{chinese(day.month)}月{chinese(day.day)}日",
        f"{day.month}月{day.day}日",
        f"{day.month}月{day.day}号",
        f"{day.year}年{day.month}月{day.day}日",
    ):
        assert due(words, day.year) == day


@given(day=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_iso_dates_round_trip(day: date) -> None:
    assert due(day.isoformat(), day.year) == day


@given(
    day=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)),
    year=YEARS,
)
def test_iso_dates_before_the_year_are_refused_and_after_it_kept(day: date, year: int) -> None:
    if day.year < year:
        with pytest.raises(DeadlineError):
            parse_deadline(day.isoformat(), year)
    else:
        assert due(day.isoformat(), year) == day


DEADLINE_TOKENS = (
    *"0123456789０１２３一二两三四五六七八九十〇",
    *("月", "日", "号", "年", "月份", "季度", "第", "上旬", "中旬", "下旬", "初", "中", "底", "末"),
    *("前", "以前", "之前", "上半年", "下半年", "年底", "逐月", "长期坚持", "2023年", "2023-"),
    *("-", "—", "~", "至", "到", " ", "，", "。", "：", "/", "x"),
)
GARBAGE = st.lists(st.sampled_from(DEADLINE_TOKENS), max_size=8).map("".join)


def assert_date_in_year_or_deadline_error(words: str, year: int) -> None:
    """A date in the ledger's year, or in a later year the words name ("2025年6月底")."""
    try:
        parsed = parse_deadline(words, year)
    except DeadlineError:
        return
    if parsed.kind is DueKind.DATE:
        assert parsed.date is not None
        assert parsed.date.year == year or (
            parsed.date.year > year
            and str(parsed.date.year) in unicodedata.normalize("NFKC", words)
        )
    else:
        assert parsed.date is None


@given(words=GARBAGE, year=YEARS)
def test_garbage_near_real_words_parses_in_the_year_or_is_a_deadline_error(
    words: str, year: int
) -> None:
    assert_date_in_year_or_deadline_error(words, year)


@given(words=st.text(max_size=30), year=YEARS)
def test_any_text_parses_in_the_year_or_is_a_deadline_error(words: str, year: int) -> None:
    assert_date_in_year_or_deadline_error(words, year)


NUMERALS = st.text(alphabet="0123456789一二两三四五六七八九十〇", min_size=1, max_size=3)
FORMS = ("{a}月", "{a}月底前", "{a}月中旬", "{a}月{b}日", "{a}-{b}月", "{a}至{b}月底", "第{a}季度")


@given(a=NUMERALS, b=NUMERALS, form=st.sampled_from(FORMS), year=YEARS)
def test_any_numerals_in_real_forms_parse_in_the_year_or_are_deadline_errors(
    a: str, b: str, form: str, year: int
) -> None:
    assert_date_in_year_or_deadline_error(form.format(a=a, b=b), year)


NUMERAL_PARTS = (
    ("", "1", "十", "十二", "三十", "二十一", "两", "〇", "9", "十十", "一二"),
    ("月", "月份", "-3月", "至十月", "季度", "月十", "月三十二日", "月二十九"),
    ("", "底", "上旬", "初", "前", "日", "十日", "号前"),
)


@pytest.mark.parametrize("year", [2023, 2024])
def test_numeral_combinations_parse_in_the_year_or_are_deadline_errors(year: int) -> None:
    for parts in itertools.product(*NUMERAL_PARTS):
        assert_date_in_year_or_deadline_error("".join(parts), year)


# --- the workspace's rules ------------------------------------------------------------------------


@given(
    year=YEARS,
    month=MONTHS,
    word=st.sampled_from(sorted(DEFAULT_RULES)),
    day=st.integers(min_value=1, max_value=LAST_DAY),
)
def test_an_overridden_rule_ends_on_its_day_clamped_to_the_month(
    year: int, month: int, word: str, day: int
) -> None:
    rules = DeadlineRules.with_overrides({word: day})
    expected = date(year, month, min(day, last_day(year, month).day))
    written = f"{month}{word}" if word.startswith("月") else f"{month}月{word}"
    assert due(written, year, rules) == expected
    # the other words keep their defaults
    for other, default_day in DEFAULT_RULES.items():
        if other != word:
            assert rules.days[other] == default_day


def test_unknown_rule_word_is_refused() -> None:
    set_language("en")
    with pytest.raises(DeadlineError) as raised:
        DeadlineRules.with_overrides({"月头": 5})
    assert str(raised.value) == (
        "unknown word in deadline_rules: 月头 (known: 上旬, 中旬, 下旬, 月初, 月中, 月底, 月末)"
    )


def with_rules(ledger: Path, rules: str) -> None:
    workspace = ledger / "minsheng.yaml"
    workspace.write_text(workspace.read_text(encoding="utf-8") + rules, encoding="utf-8")


def dues(ledger: Path) -> dict[tuple[str, str], str]:
    result = run_cli(ledger, ["list", "--as-of", "2023-06-30", "--json"])
    assert result.exit_code == 0, result.stderr
    return {(row["item"], row["deadline"]): row["due"] for row in json.loads(result.stdout)}


def test_workspace_rules_change_the_due_dates(ledger_dir: Path) -> None:
    before = dues(ledger_dir)
    assert before[("3.2", "4月初")] == "2023-04-10"
    assert before[("2.1", "3月中旬")] == "2023-03-20"
    assert before[("1.1", "5月初")] == "2023-05-10"

    with_rules(ledger_dir, "deadline_rules:\n  月初: 5\n  中旬: 15\n  下旬: last\n")
    after = dues(ledger_dir)
    assert after[("3.2", "4月初")] == "2023-04-05"
    assert after[("7.1", "2月初")] == "2023-02-05"
    assert after[("1.1", "5月初")] == "2023-05-05"
    assert after[("2.1", "3月中旬")] == "2023-03-15"
    # exactly the 月初 and 中旬 milestones moved; 下旬: last is the default, 月底 is untouched
    changed = {key for key in before if before[key] != after[key]}
    assert changed == {key for key in before if key[1].endswith(("初", "中旬"))}
    assert after[("3.1", "7月底")] == before[("3.1", "7月底")] == "2023-07-31"


def test_unknown_rule_word_in_the_workspace_is_reported_at_its_line(ledger_dir: Path) -> None:
    with_rules(ledger_dir, "deadline_rules:\n  月头: 5\n")
    lines = (ledger_dir / "minsheng.yaml").read_text(encoding="utf-8").splitlines()
    line = lines.index("deadline_rules:") + 1

    result = run_cli(ledger_dir, ["--lang", "en", "check"])

    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"minsheng.yaml:{line}: unknown word in deadline_rules: 月头"
        " (known: 上旬, 中旬, 下旬, 月初, 月中, 月底, 月末)"
    )
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("words", "due"),
    [
        ("7月中下旬", date(2023, 7, 31)),
        ("6月上中旬", date(2023, 6, 20)),
        ("2023年底", date(2023, 12, 31)),
        ("2023年末", date(2023, 12, 31)),
    ],
)
def test_two_xun_spans_and_a_year_end_with_the_year_named(words: str, due: date) -> None:
    assert parse_deadline(words, 2023).date == due


# --- the wording of other counties' lists (issue 10) ---------------------------------------------

LEDGER = 2024


def en_error(words: str, year: int = LEDGER) -> str:
    set_language("en")
    with pytest.raises(DeadlineError) as raised:
        parse_deadline(words, year)
    return str(raised.value)


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("力争10月底前", date(2024, 10, 31)),
        ("预计9月", date(2024, 9, 30)),
        ("计划6月底", date(2024, 6, 30)),
        ("计划于6月底前", date(2024, 6, 30)),
        ("确保年底", date(2024, 12, 31)),
        ("争取上半年", date(2024, 6, 30)),
        ("今年8月", date(2024, 8, 31)),
        ("今年底", date(2024, 12, 31)),
        ("力争今年10月底前", date(2024, 10, 31)),
    ],
)
def test_hedges_and_this_year_frame_the_date_without_changing_it(
    words: str, expected: date
) -> None:
    assert due(words, LEDGER) == expected


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("2024年", date(2024, 12, 31)),
        ("2024年度", date(2024, 12, 31)),
        ("2024", date(2024, 12, 31)),
        ("当年内", date(2024, 12, 31)),
        ("2024年当年内", date(2024, 12, 31)),
        ("今年", date(2024, 12, 31)),
        ("年中", date(2024, 6, 30)),
        ("年中前", date(2024, 6, 30)),
        ("前三季度", date(2024, 9, 30)),
        ("前两季度", date(2024, 6, 30)),
    ],
)
def test_year_forms_are_due_at_their_end(words: str, expected: date) -> None:
    assert due(words, LEDGER) == expected


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("2025年6月底", date(2025, 6, 30)),
        ("2025年", date(2025, 12, 31)),
        ("2025年度", date(2025, 12, 31)),
        ("2025年一季度", date(2025, 3, 31)),
        ("2025-03-01", date(2025, 3, 1)),
        ("2025", date(2025, 12, 31)),
    ],
)
def test_a_later_year_named_explicitly_is_kept_with_its_date(words: str, expected: date) -> None:
    assert due(words, LEDGER) == expected


@pytest.mark.parametrize(
    ("words", "message"),
    [
        ("2023年6月底", "the deadline names 2023, but the ledger is for 2024"),
        ("2023年度", "the deadline names 2023, but the ledger is for 2024"),
        ("2023-12-31", "the date 2023-12-31 is outside the ledger's year 2024"),
        (
            "2025年逐月",
            "“2025年逐月” names 2025; only a date may fall after the ledger's year 2024",
        ),
        (
            "2025年前",
            "“2025年前” could mean before 2025 starts or by its end; write 2024年底 or 2025年底",
        ),
    ],
)
def test_an_earlier_year_or_an_unclear_one_is_refused(words: str, message: str) -> None:
    assert en_error(words) == message


@pytest.mark.parametrize("words", ["常态化", "常态化开展", "持续开展", "持续推进", "长期坚持"])
def test_ongoing_words_have_no_due_date(words: str) -> None:
    assert parse_deadline(words, LEDGER) == Due(DueKind.ONGOING)


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("4月至5月", date(2024, 5, 31)),
        ("4月-5月", date(2024, 5, 31)),
        ("4月到5月底", date(2024, 5, 31)),
        ("7、8月份", date(2024, 8, 31)),
        ("7、8、9月", date(2024, 9, 30)),
        ("十一、十二月", date(2024, 12, 31)),
        ("2月3號", date(2024, 2, 3)),
        ("2月3号", date(2024, 2, 3)),
        ("八月十號", date(2024, 8, 10)),
    ],
)
def test_spans_and_lists_of_months_are_due_at_the_end_of_the_last(
    words: str, expected: date
) -> None:
    assert due(words, LEDGER) == expected


def test_months_listed_out_of_order_are_refused() -> None:
    assert en_error("8、7月") == "the months of 8、7月 are not in order"


@pytest.mark.parametrize("words", ["4月：", "4月:", "4月 ：", "2024年4月："])
def test_a_colon_after_the_month_is_the_month(words: str) -> None:
    assert due(words, LEDGER) == date(2024, 4, 30)


RELATIVE = (
    "counts from a day the ledger does not know (when the notice was issued or the work began),"
    " so it has no single date; write the month it means, e.g. 7月中旬, or the date,"
    " e.g. 2024-07-20"
)


@pytest.mark.parametrize(
    ("words", "message"),
    [
        ("下月中旬", f"“下月中旬” {RELATIVE}"),
        ("本月底", f"“本月底” {RELATIVE}"),
        ("1个月内", f"“1个月内” {RELATIVE}"),
        ("30天内", f"“30天内” {RELATIVE}"),
        (
            "年初",
            "“年初”: 年初 (the start of the year) has no agreed end; write the month it means,"
            " e.g. 2月底 or 一季度",
        ),
        (
            "秋季",
            "“秋季”: a season has no agreed start or end; write the month it means, e.g. 10月底",
        ),
        (
            "春节前",
            "“春节前” names a holiday, not a date (春节 falls on a different day each year, and"
            " 节前 may mean before the holiday or by it); write the day it means, e.g. 2024-09-30",
        ),
        ("22日", "“22日” does not say which month; write the month too, e.g. 6月22日"),
        ("22号前", "“22号前” does not say which month; write the month too, e.g. 6月22号"),
        ("月底", "“月底” does not say which month; write the month too, e.g. 6月底"),
        ("中旬前", "“中旬前” does not say which month; write the month too, e.g. 6月中旬"),
    ],
)
def test_words_with_no_single_date_are_refused_saying_why_and_what_to_write(
    words: str, message: str
) -> None:
    assert en_error(words) == message


@pytest.mark.parametrize(
    ("words", "shown"),
    [
        ("2024年6月左右", "2024年6月左右"),
        ("力争5月左右", "力争5月左右"),
        (" 3月 前后 ", "3月 前后"),
    ],
)
def test_an_unknown_word_is_quoted_whole(words: str, shown: str) -> None:
    assert en_error(words) == f"unknown deadline word “{shown}”"
