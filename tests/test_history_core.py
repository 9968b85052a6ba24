"""core.changes and core.unreported: pure functions of ledgers, tested without git."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from minsheng_cli.core.changes import changes
from minsheng_cli.core.evaluate import Light, evaluate
from minsheng_cli.core.unreported import unreported
from minsheng_cli.ledger.model import Ledger, Record
from minsheng_cli.store.blobs import load_blobs
from minsheng_cli.store.files import load
from tests.conftest import REPO


@pytest.fixture(scope="module")
def bundled() -> Ledger:
    result = load(REPO)
    assert not result.errors
    return result.ledger


def with_records(ledger: Ledger, ref: str, *records: Record) -> Ledger:
    """``ledger`` with ``records`` appended to item ``ref``."""
    projects = []
    for project in ledger.projects:
        items = tuple(
            item._replace(records=(*item.records, *records)) if item.ref == ref else item
            for item in project.items
        )
        projects.append(project._replace(items=items))
    return ledger._replace(projects=tuple(projects))


LEGAL_AID_70 = Record(date(2023, 3, 20), 1, by="司法局", values={"法律援助案件": 70})


def test_a_record_that_meets_a_milestone_is_added_and_met(bundled: Ledger) -> None:
    after = with_records(bundled, "9.1", LEGAL_AID_70)
    found = changes(evaluate(bundled, date(2023, 3, 5)), evaluate(after, date(2023, 4, 5)))
    assert [(c.item.ref, c.record) for c in found.added] == [("9.1", LEGAL_AID_70)]
    assert found.removed == ()
    assert [(m.item.ref, m.milestone.number) for m in found.newly_met] == [("9.1", 1)]
    assert ("9.1", 1) not in {(m.item.ref, m.milestone.number) for m in found.newly_overdue}
    assert found.corrections == ()


def test_time_alone_makes_milestones_overdue_and_lights_change(bundled: Ledger) -> None:
    found = changes(evaluate(bundled, date(2023, 3, 5)), evaluate(bundled, date(2023, 4, 5)))
    assert found.added == found.removed == ()
    assert found.newly_met == ()
    overdue = {(m.item.ref, m.milestone.number) for m in found.newly_overdue}
    assert ("9.1", 1) in overdue  # 60 cases by 3月底, nothing recorded
    lights = {c.item.ref: (c.before, c.after) for c in found.lights}
    assert lights["9.1"][1] is Light.RED


def test_a_record_moved_within_its_file_is_not_a_change(bundled: Ledger) -> None:
    before = with_records(bundled, "9.1", LEGAL_AID_70._replace(line=40))
    after = with_records(bundled, "9.1", LEGAL_AID_70._replace(line=52))
    day = date(2023, 4, 5)
    assert changes(evaluate(before, day), evaluate(after, day)).empty


def test_a_correction_and_a_vanished_record(bundled: Ledger) -> None:
    corrected = Record(date(2023, 4, 10), 1, values={"法律援助案件": 50}, correct=True, note="重复")
    before = with_records(bundled, "9.1", LEGAL_AID_70)
    after = with_records(bundled, "9.1", corrected)
    found = changes(evaluate(before, date(2023, 4, 5)), evaluate(after, date(2023, 5, 5)))
    assert [c.record for c in found.corrections] == [corrected]
    assert [c.record for c in found.removed] == [LEGAL_AID_70]


def test_an_item_only_one_side_has_gives_no_record_changes(bundled: Ledger) -> None:
    without_9 = bundled._replace(projects=tuple(p for p in bundled.projects if p.id != 9))
    after = with_records(bundled, "9.1", LEGAL_AID_70)
    day = date(2023, 4, 5)
    assert changes(evaluate(without_9, day), evaluate(after, day)).added == ()


def test_unreported_lists_open_numeric_items_without_a_record_in_the_period(
    bundled: Ledger,
) -> None:
    reported = with_records(bundled, "9.1", LEGAL_AID_70)
    march = unreported(reported, date(2023, 3, 1), date(2023, 3, 31))
    refs = [u.item.ref for u in march]
    assert "9.1" not in refs
    assert "5.1" in refs  # 卫健局: screenings to count, nothing recorded
    assert "4.1" not in refs  # tick-off milestones only: nothing to report as a number
    april = {u.item.ref: u for u in unreported(reported, date(2023, 4, 1), date(2023, 4, 30))}
    assert april["9.1"].last_report == date(2023, 3, 20)
    assert april["9.1"].open_milestones == (2, 3, 4)
    units = [u.item.unit for u in march]
    assert units == sorted(units, key=units.index)  # each unit's items together


def test_an_item_whose_numbers_are_all_reached_owes_no_report(bundled: Ledger) -> None:
    done = Record(date(2023, 3, 20), 1, values={"法律援助案件": 240})
    late_year = unreported(with_records(bundled, "9.1", done), date(2023, 5, 1), date(2023, 5, 31))
    assert "9.1" not in [u.item.ref for u in late_year]


def test_blobs_load_without_the_files_on_disk(tmp_path: Path) -> None:
    workspace = (REPO / "minsheng.yaml").read_bytes()
    task = REPO / "tasks" / "09-法律援助质量提升工程.yaml"
    broken = tmp_path / "tasks" / "10-x.yaml"
    result = load_blobs(tmp_path, workspace, [(task, task.read_bytes()), (broken, b"items: [")])
    assert [p.id for p in result.ledger.projects] == [9]
    assert [p.file for p in result.errors] == [broken]


@pytest.fixture(scope="module")
def half_year(tmp_path_factory: pytest.TempPathFactory) -> Ledger:
    from tests.conftest import copy_ledger
    from tests.halfyear import apply_half_year

    root = copy_ledger(tmp_path_factory.mktemp("half") / "ledger")
    apply_half_year(root)
    return load(root).ledger


def test_items_overdue_month_after_month_are_escalated(half_year: Ledger) -> None:
    from minsheng_cli.core.escalation import Level, escalations

    found = {e.item: e for e in escalations(half_year, date(2023, 6, 30))}
    # 3.1#3 (4月初 开工建设) never ticked: overdue at the end of April to June
    assert found["3.1"].months[-3:] == (4, 5, 6)
    assert found["3.1"].level is Level.INTERVIEW
    # 10.1: nothing reported before 06-15, behind 序时 from January; 4月底 never ticked
    assert found["10.1"].months == (1, 2, 3, 4, 5, 6)
    # 9.1 was overdue at the end of April only (the correction), met by May 15
    assert "9.1" not in found
    as_it_stood = {e.item: e for e in escalations(half_year, date(2023, 2, 28))}
    assert as_it_stood["10.1"] == found["10.1"]._replace(months=(1, 2), level=Level.LAGGING)
    assert escalations(half_year, date(2023, 1, 30)) == []


def escalations_by_evaluating_every_month_end(ledger: Ledger, as_of: date) -> list[Any]:
    """The plain reading of the rule: the whole ledger evaluated at each month-end."""
    from minsheng_cli.core.escalation import Escalation, Level, slipping
    from minsheng_cli.core.evaluate import evaluate
    from minsheng_cli.ledger.deadlines import month_end

    ends = [m for m in range(1, 13) if month_end(ledger.year, m) <= as_of]
    runs: dict[str, list[int]] = {}
    for month in ends:
        for status in evaluate(ledger, month_end(ledger.year, month)).items:
            run = runs.setdefault(status.item.ref, [])
            run[:] = [*run, month] if slipping(status) else []
    found = []
    for item in ledger.items:
        run = runs.get(item.ref, [])
        if len(run) >= 2:
            found.append(
                Escalation(
                    item.ref, tuple(run), Level.INTERVIEW if len(run) >= 3 else Level.LAGGING
                )
            )
    return found


@pytest.mark.parametrize("day", [date(2023, m, 28) for m in range(1, 13)] + [date(2023, 6, 30)])
def test_escalations_are_what_evaluating_every_month_end_gives(
    half_year: Ledger, day: date
) -> None:
    from minsheng_cli.core.escalation import escalations

    assert escalations(half_year, day) == escalations_by_evaluating_every_month_end(half_year, day)


@pytest.mark.parametrize("day", [date(2023, m, 28) for m in range(1, 13)] + [date(2023, 6, 30)])
def test_escalations_from_a_commands_own_statuses_are_the_same(
    half_year: Ledger, day: date
) -> None:
    """status, overdue and the bulletin hand over the statuses they evaluated as of the day,
    whole or only those due by then, instead of evaluating every item a second time."""
    from minsheng_cli.core.escalation import escalations
    from minsheng_cli.core.evaluate import evaluate, evaluate_milestones

    expected = escalations_by_evaluating_every_month_end(half_year, day)
    whole = evaluate(half_year, day, day_over=True).milestones
    due = evaluate_milestones(half_year, day, day_over=True, due_by=day).milestones
    assert escalations(half_year, day, judged=whole) == expected
    assert escalations(half_year, day, judged=due) == expected
