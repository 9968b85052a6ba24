"""Nothing that parsed before the wider wording (issue 10) may change its date.

``fixtures/deadline_dates.json`` was recorded with the parser as it stood before: every deadline
of the bundled ``tasks/`` and the test fixtures, and every string in ``tests/*.py`` that parsed,
read in 2023 and in 2024, with the date (or ``monthly``/``ongoing``) it gave.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from minsheng_cli.ledger.deadlines import parse_deadline
from tests.conftest import run_cli

RECORDED: dict[str, dict[str, str]] = json.loads(
    (Path(__file__).parent / "fixtures" / "deadline_dates.json").read_text(encoding="utf-8")
)
CASES = [
    (int(year), words, due) for year, table in RECORDED.items() for words, due in table.items()
]


def test_the_record_holds_the_bundled_ledgers_words() -> None:
    assert len(RECORDED["2023"]) > 150
    assert {"3月中旬", "5月底前", "逐月", "长期坚持", "2023年6月底前"} <= set(RECORDED["2023"])


@pytest.mark.parametrize(("year", "words", "due"), CASES)
def test_a_deadline_that_parsed_keeps_its_date(year: int, words: str, due: str) -> None:
    parsed = parse_deadline(words, year)
    assert (parsed.date.isoformat() if parsed.date else parsed.kind.value) == due


MILESTONE_KEYS = ("item", "milestone", "track", "deadline", "period", "due", "text", "targets")


def test_the_bundled_ledgers_milestones_are_read_as_before(ledger_dir: Path) -> None:
    """``fixtures/bundled_milestones.json``: `list --json` of the bundled ledger, recorded before
    the wider wording, cut to what reading a deadline decides."""
    recorded = json.loads(
        (Path(__file__).parent / "fixtures" / "bundled_milestones.json").read_text(encoding="utf-8")
    )
    result = run_cli(ledger_dir, ["list", "--as-of", "2023-07-05", "--json"])
    assert result.exit_code == 0, result.stderr
    now = [
        {key: row[key] for key in (*MILESTONE_KEYS, "implied")} for row in json.loads(result.stdout)
    ]
    assert now == recorded
