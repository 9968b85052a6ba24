"""The time column's clauses (milestones) and the content's quantities (indicators), read by
themselves: what is certain is taken, nothing is dropped, nothing is guessed."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from minsheng_cli.ledger.deadlines import parse_deadline
from minsheng_cli.notice.indicators import Indicator, indicators_of, targets_of
from minsheng_cli.notice.milestones import read_time_cell, split_clause
from minsheng_cli.notice.report import Flag, Place

PLACE = Place("n.txt", 1, 2, "完成时限")


def test_a_clause_is_split_at_its_deadline() -> None:
    assert split_clause("3月中旬，开工建设", 2023) == ("3月中旬", "开工建设", False)
    assert split_clause("逐月按时兑付", 2023) == ("逐月", "按时兑付", False)
    assert split_clause("5月底，前完成招投标等前期工作", 2023) == (
        "5月底前",
        "完成招投标等前期工作",
        True,
    )
    assert split_clause("新生儿听力筛查350人", 2023) is None


def test_tracks_their_text_and_a_time_not_understood() -> None:
    flags: list[Flag] = []
    cell = "（一）示范村\n1月底，编制方案\n（二）说明\n本项为说明文字。\n下月中旬，完成验收"
    tracks = read_time_cell(cell, 2023, PLACE, flags, wrapped=False)
    assert [(t.heading, t.text) for t in tracks] == [("示范村", ""), ("说明", "本项为说明文字。")]
    assert [(m.deadline, m.text) for t in tracks for m in t.milestones] == [
        ("1月底", "编制方案"),
        (None, "下月中旬，完成验收"),
    ]
    assert [f.text for f in flags] == ["下月中旬，完成验收"]


def test_wrapped_lines_are_joined_until_a_clause_starts() -> None:
    cell = "3月底，完成项目\n招投标工作；\n6月底，开工"
    tracks = read_time_cell(cell, 2023, PLACE, [], wrapped=True)
    assert [m.text for m in tracks[0].milestones] == ["完成项目招投标工作", "开工"]


def test_only_certain_quantities_become_indicators() -> None:
    found, doubts = indicators_of("完成农村户厕改造1310座，对全县约250户农户进行改造。")
    assert found == [Indicator("农村户厕改造", 1310, "座")]
    assert doubts == ["对全县约250户农户进行改造"]


def test_targets_and_work_share() -> None:
    indicators = [Indicator("农村户厕改造", 1310, "座")]
    assert targets_of("完成农村户厕改造900座", indicators).targets == {"农村户厕改造": 900}
    assert targets_of("完成工程量的30%", indicators).percent == 30
    assert targets_of("完成15个示范村建设", indicators).doubts == ["完成15个示范村建设"]


CLAUSE = st.sampled_from(
    [
        "3月底，开工建设",
        "逐月按时兑付",
        "（一）分项",
        "下月中旬，验收",
        "完成筛查1140人",
        "说明文字",
    ]
)


@given(st.lists(CLAUSE, max_size=8), st.sampled_from(["\n", "；", "\n\n"]))
def test_nothing_is_dropped_and_every_deadline_parses(parts: list[str], joiner: str) -> None:
    flags: list[Flag] = []
    tracks = read_time_cell(joiner.join(parts), 2023, PLACE, flags, wrapped=False)
    kept = "".join(
        (t.heading or "") + t.text + "".join((m.deadline or "") + m.text for m in t.milestones)
        for t in tracks
    )
    for part in parts:
        core = part.replace("（一）", "").replace("，", "")
        assert core[-2:] in kept
    for track in tracks:
        for milestone in track.milestones:
            if milestone.deadline is not None:
                parse_deadline(milestone.deadline, 2023)
