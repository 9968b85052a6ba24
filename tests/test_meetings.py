"""The ledger remembers the meetings: a scripted 2023 in a git repository of its own.

The half-year demo's reports (examples/halfyear.py) are committed one by one on the days they
arrived (most on the day they are dated, two late), dispatch meetings are marked on the 5th of
each month from February to August, 司法局 reports every month until June and then stops, July
and August bring a few more reports, a hand edit and a commit that broke a file for a day.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from examples.halfyear import STEPS
from typer.testing import Result

from tests.conftest import GIT_IDENTITY, copy_ledger, git, run_cli

LATE = {
    ("update", "5.1", "2023-03-31"): "2023-04-06",  # after the meeting of 04-05
    ("update", "7.1", "2023-06-30"): "2023-07-08",  # after the meeting of 07-05
}
"""Reports that arrived after their date: (command, item, dated) → the day they were committed."""

LATER_STEPS: tuple[tuple[str, ...], ...] = (
    ("update", "2.1", "--percent", "95", "--date", "2023-07-20", "--by", "住建局"),
    ("update", "3.2", "--percent", "60", "--date", "2023-07-25", "--by", "交通局"),
    ("update", "6.1", "--set", "农村劳动力转移就业=2", "--date", "2023-07-28", "--by", "人社局"),
    ("update", "2.1", "--percent", "100", "--date", "2023-08-10", "--by", "住建局"),
)
"""July and August: 司法局 (9.1) has stopped reporting."""

MEETING_DAYS = [date(2023, month, 5) for month in range(2, 9)]
FILE_8 = "tasks/08-群众文体生活提升工程.yaml"
FILE_10 = "tasks/10-政务惠企便民服务提升工程.yaml"


class Year(NamedTuple):
    root: Path
    status_on_meeting_day: str
    """What `status --month 6` printed on the commit of the meeting of 07-05."""
    broken: str
    """The commit whose tasks/10 did not parse."""


def stamped(day: str, time: str = "18:00:00") -> dict[str, str]:
    moment = f"{day}T{time}"
    return {
        **GIT_IDENTITY,
        "GIT_AUTHOR_DATE": moment,
        "GIT_COMMITTER_DATE": moment,
        "MINSHENG_TODAY": day,
        "NO_COLOR": "1",
        "COLUMNS": "200",
    }


def ok(result: Result) -> Result:
    assert result.exit_code == 0, result.stdout + result.stderr
    return result


def dated(step: Sequence[str]) -> str:
    return step[list(step).index("--date") + 1]


def hand_commit(root: Path, day: str, subject: str) -> str:
    env = stamped(day, "12:00:00")
    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    try:
        git(root, "commit", "--quiet", "--allow-empty", "-am", subject)
        return git(root, "rev-parse", "HEAD").strip()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def script() -> list[tuple[str, Any]]:
    """Every event of the year as (day it happened, what), in order."""
    events: list[tuple[str, Any]] = []
    for step in (*STEPS, *LATER_STEPS):
        day = dated(step)
        events.append((LATE.get((step[0], step[1], day), day), step))
    events += [(day.isoformat(), "meeting") for day in MEETING_DAYS]
    events += [("2023-07-12", "break"), ("2023-07-13", "repair"), ("2023-07-15", "hand edit")]
    events.sort(key=lambda event: event[0])  # stable: a meeting on the 5th after that day's steps
    return events


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Year]:
    root = copy_ledger(tmp_path_factory.mktemp("year") / "ledger")
    git(root, "init", "--quiet")
    (root / ".gitignore").write_text(".minsheng-cache/\n.minsheng.lock\n", encoding="utf-8")
    git(root, "add", "-A")
    hand_commit(root, "2023-01-01", "台账初始版本")
    on_meeting_day = broken = ""
    for day, event in script():
        if event == "meeting":
            ok(
                run_cli(
                    root, ["meeting", "--note", f"{day} 调度会", "--by", "督查室"], **stamped(day)
                )
            )
            if day == "2023-07-05":
                on_meeting_day = ok(run_cli(root, ["status", "--month", "6"])).stdout
        elif event == "break":
            with (root / FILE_10).open("a", encoding="utf-8") as handle:
                handle.write("items: [\n")
            broken = hand_commit(root, day, "误改")
        elif event == "repair":
            git(root, "checkout", "HEAD~1", "--", FILE_10)
            hand_commit(root, day, "改回")
        elif event == "hand edit":
            text = (root / FILE_8).read_text(encoding="utf-8")
            (root / FILE_8).write_text(text.replace("leader: 李静", "leader: 李静同志"), "utf-8")
            hand_commit(root, day, "责任领导改称")
        else:
            ok(run_cli(root, ["--lang", "en", *event], **stamped(day)))
    yield Year(root, on_meeting_day, broken)


def changes_json(root: Path, *args: str, today: str = "2023-08-20") -> dict[str, Any]:
    result = ok(run_cli(root, ["changes", *args, "--json"], MINSHENG_TODAY=today))
    found: dict[str, Any] = json.loads(result.stdout)
    return found


def milestone_keys(entries: list[dict[str, Any]]) -> set[tuple[str, int, int | None]]:
    return {(m["item"], m["milestone"], m["period"]) for m in entries}


def test_the_meetings_are_tags_with_their_note_and_who_marked_them(year: Year) -> None:
    listed = json.loads(ok(run_cli(year.root, ["meetings", "--json"])).stdout)
    assert [m["tag"] for m in listed] == [f"meeting-{d.isoformat()}" for d in MEETING_DAYS]
    assert {m["by"] for m in listed} == {"督查室"}
    assert listed[0]["note"] == "2023-02-05 调度会"
    tagged = git(year.root, "rev-list", "-1", "meeting-2023-07-05").strip()
    assert listed[5]["commit"] == tagged
    assert git(year.root, "log", "-1", "--format=%cs", tagged).strip() == "2023-06-30"
    shown = ok(run_cli(year.root, ["meetings"])).stdout.splitlines()
    assert shown[0] == f"meeting-2023-02-05  {listed[0]['commit'][:7]}  督查室  2023-02-05 调度会"


def test_between_two_meetings_the_records_come_with_when_and_by_whom(year: Year) -> None:
    found = changes_json(
        year.root, "--since", "meeting-2023-06-05", "--until", "meeting-2023-07-05"
    )
    records = sorted((r["recorded"], r["item"], r["date"], r["by"]) for r in found["records"])
    assert records == [
        ("2023-06-15 18:00", "10.1", "2023-06-15", "审批局"),
        ("2023-06-20 18:00", "3.3", "2023-06-20", "水务局"),
        ("2023-06-20 18:00", "5.2", "2023-06-20", "医保局"),
        ("2023-06-25 18:00", "5.1", "2023-06-25", "卫健局"),
        ("2023-06-25 18:00", "5.2", "2023-06-25", "医保局"),
        ("2023-06-26 18:00", "3.2", "2023-06-26", "交通局"),
        ("2023-06-28 18:00", "9.1", "2023-06-28", "司法局"),
        ("2023-06-29 18:00", "5.1", "2023-06-29", "卫健局"),
        ("2023-06-30 18:00", "2.1", "2023-06-30", "住建局"),
        ("2023-06-30 18:00", "5.1", "2023-06-30", "卫健局"),
        ("2023-06-30 18:00", "6.1", "2023-06-30", "人社局"),
        ("2023-06-30 18:00", "7.2", "2023-06-30", "人社局"),
        # 7.1's report dated 06-30 arrived on 07-08: not before this meeting
    ]
    assert [(c["item"], c["date"], c["note"]) for c in found["corrections"]] == [
        ("5.2", "2023-06-25", "落实材料不全，退回补充")  # the tick of 06-20 taken back
    ]
    assert found["corrections"][0]["undone"] is not None
    # the 6月底 milestones not met by the meeting of 07-05, as it saw the ledger
    assert milestone_keys(found["newly_overdue"]) == {
        ("2.1", 5, None),
        ("3.2", 4, None),
        ("5.2", 2, None),
        ("6.1", 2, None),
        ("7.1", 3, None),  # its report came three days after the meeting
    }
    assert ("9.1", 2, None) in milestone_keys(found["newly_met"])
    assert found["hand_edits"] == []
    assert found["since"]["label"] == "meeting-2023-06-05"


def test_a_late_report_and_the_hand_edits_show_after_the_meeting_they_missed(
    year: Year,
) -> None:
    found = changes_json(year.root, "--since", "meeting-2023-07-05", "--until", "2023-08-05")
    late = [r for r in found["records"] if r["item"] == "7.1"]
    assert [(r["date"], r["recorded"], r["by"]) for r in late] == [
        ("2023-06-30", "2023-07-08 18:00", "残联")
    ]
    assert ("7.1", 3, None) in milestone_keys(found["newly_met"])
    assert [(e["subject"], e["files"]) for e in found["hand_edits"]] == [
        ("误改", [FILE_10]),
        ("改回", [FILE_10]),
        ("责任领导改称", [FILE_8]),
    ]
    lights = {c["item"]: (c["before"], c["after"]) for c in found["lights"]}
    assert lights["7.1"][0] == "red"


def test_by_default_changes_are_since_the_last_meeting(year: Year) -> None:
    result = ok(run_cli(year.root, ["changes"], MINSHENG_TODAY="2023-08-20"))
    lines = result.stdout.splitlines()
    assert lines[0].startswith("自 meeting-2023-08-05 (2023-08-05, ")
    assert lines[1] == "新增报送 (1):"
    assert lines[2].startswith(
        "  2.1 工程进度 100% (2023-08-10, 住建局, 2023-08-10 18:00 由 测试文书 登记，"
    )


def test_a_commit_that_could_not_be_read_is_named_and_the_rest_is_compared(year: Year) -> None:
    result = ok(
        run_cli(year.root, ["changes", "--since", year.broken], MINSHENG_TODAY="2023-08-20")
    )
    assert f"提交 {year.broken[:7]}" in result.stderr
    assert "tasks/10-政务惠企便民服务提升工程.yaml" in result.stderr
    assert "新增报送 (4):" in result.stdout


def test_status_as_recorded_at_a_meeting_is_what_the_meeting_saw(year: Year) -> None:
    at_meeting = run_cli(
        year.root, ["status", "--as-recorded", "meeting-2023-07-05", "--month", "6"]
    )
    assert at_meeting.exit_code == 0, at_meeting.stderr
    assert at_meeting.stdout == year.status_on_meeting_day
    now = ok(run_cli(year.root, ["status", "--month", "6"])).stdout
    assert now != year.status_on_meeting_day  # 7.1's late report is known now
    by_date = run_cli(year.root, ["status", "--as-recorded", "2023年7月5日", "--month", "6"])
    assert by_date.stdout == year.status_on_meeting_day
    by_day = run_cli(year.root, ["status", "--as-recorded", "2023-07-04", "--month", "6"])
    assert by_day.stdout == year.status_on_meeting_day  # the last commit by then: 06-30's


def test_as_recorded_on_the_other_read_commands(year: Year) -> None:
    def late_7_1(*args: str) -> list[str]:
        result = run_cli(year.root, ["overdue", "--month", "6", "--json", *args])
        return [m["item"] + "#" + str(m["milestone"]) for m in json.loads(result.stdout)]

    assert "7.1#3" in late_7_1("--as-recorded", "meeting-2023-07-05")
    assert "7.1#3" not in late_7_1()
    shown = run_cli(year.root, ["show", "7.1", "--json", "--as-recorded", "meeting-2023-07-05"])
    assert [r["date"] for r in json.loads(shown.stdout)[0]["records"]][-1] == "2023-04-03"
    listed = run_cli(year.root, ["list", "--as-recorded", "meeting-2023-02-05", "--json"])
    assert listed.exit_code == 0
    report = run_cli(year.root, ["report", "--month", "6", "--as-recorded", "meeting-2023-07-05"])
    assert report.exit_code == 0, report.stderr
    export = run_cli(
        year.root, ["export", "-f", "json", "--month", "6", "--as-recorded", "meeting-2023-07-05"]
    )
    assert export.exit_code == 0, export.stderr


def test_as_recorded_names_what_it_cannot_find(year: Year) -> None:
    result = run_cli(year.root, ["status", "--as-recorded", "第三次会议"])
    assert result.exit_code == 2
    assert result.stderr == (
        "错误：“第三次会议”不是调度会、日期或 git 版本；`minsheng meetings` 可列出调度会\n"
    )
    early = run_cli(year.root, ["status", "--as-recorded", "2022-12-31"])
    assert early.stderr == "错误：2022-12-31 及以前没有任何提交\n"


def unreported_items(root: Path, month: int) -> dict[str, str | None]:
    result = run_cli(root, ["unreported", "--month", str(month), "--json"])
    assert result.exit_code in (0, 1), result.stderr
    found = json.loads(result.stdout)
    assert result.exit_code == (1 if found else 0)
    return {entry["item"]: entry["last_report"] for entry in found}


def test_the_legal_aid_office_reports_every_month_until_it_stops(year: Year) -> None:
    for month in range(1, 7):
        assert "9.1" not in unreported_items(year.root, month), month
    assert unreported_items(year.root, 7)["9.1"] == "2023-06-28"
    assert unreported_items(year.root, 8)["9.1"] == "2023-06-28"


def test_unreported_in_july(year: Year) -> None:
    july = unreported_items(year.root, 7)
    assert "2.1" not in july  # 95% on 07-20
    assert "3.2" not in july  # 60% on 07-25
    assert "6.1" not in july
    assert july["3.1"] == "2023-03-25"  # 农业农村局 ticked its milestones, never a number since
    assert july["7.1"] == "2023-06-30"
    text = run_cli(year.root, ["unreported", "--month", "7"]).stdout.splitlines()
    assert text[-1] == f"{len(july)}个子项未报送（7月）"
    assert "司法局:" in text


def test_unreported_since_the_last_meeting(year: Year) -> None:
    result = run_cli(
        year.root, ["unreported", "--since-meeting", "--json"], MINSHENG_TODAY="2023-08-20"
    )
    found = {entry["item"] for entry in json.loads(result.stdout)}
    assert "2.1" not in found  # 100% on 08-10
    assert "3.2" in found
    assert result.exit_code == 1


def test_a_second_meeting_the_same_day_is_refused_unless_replaced(git_ledger: Path) -> None:
    env = {"MINSHENG_TODAY": "2023-07-05"}
    ok(run_cli(git_ledger, ["meeting"], **env))
    again = run_cli(git_ledger, ["meeting", "--note", "补开"], **env)
    assert again.exit_code == 2
    assert again.stderr == "错误：meeting-2023-07-05 已标记过；如要移到当前提交，请加 --replace\n"
    ok(run_cli(git_ledger, ["meeting", "--note", "补开", "--replace"], **env))
    listed = json.loads(ok(run_cli(git_ledger, ["meetings", "--json"])).stdout)
    assert [(m["tag"], m["note"], m["by"]) for m in listed] == [
        ("meeting-2023-07-05", "补开", "测试文书")
    ]


def test_a_meeting_is_refused_without_git(ledger_dir: Path) -> None:
    result = run_cli(ledger_dir, ["meeting", "--date", "2023-07-05"])
    assert result.exit_code == 2
    assert result.stderr.startswith("错误：此工作区不在 git 仓库中")


def test_a_meeting_is_refused_while_reports_are_not_committed(git_ledger: Path) -> None:
    run = ["update", "9.1", "--set", "法律援助案件=18", "--date", "2023-01-31", "--no-commit"]
    ok(run_cli(git_ledger, run))
    result = run_cli(git_ledger, ["meeting", "--date", "2023-02-05"])
    assert result.exit_code == 2
    assert "minsheng doctor --fix" in result.stderr
    assert git(git_ledger, "tag") == ""


def test_changes_without_a_meeting_asks_for_since(git_ledger: Path) -> None:
    result = run_cli(git_ledger, ["changes"])
    assert result.exit_code == 2
    assert "--since" in result.stderr


def test_status_json_gives_each_items_last_report(year: Year) -> None:
    items = json.loads(ok(run_cli(year.root, ["status", "--month", "7", "--json"])).stdout)
    last = {item["item"]: item["last_report"] for item in items}
    assert last["9.1"] == "2023-06-28"
    assert last["2.1"] == "2023-07-20"
    june = json.loads(ok(run_cli(year.root, ["status", "--month", "5", "--json"])).stdout)
    assert {item["item"]: item["last_report"] for item in june}["10.1"] is None


def escalation_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("⚠")]


def test_an_item_that_slips_three_months_running_is_flagged_then_interviewed(year: Year) -> None:
    june = escalation_lines(ok(run_cli(year.root, ["status", "--month", "6"])).stdout)
    assert "⚠ 6.1 群众就业稳岗提升工程：连续3月滞后（4–6月），列入约谈" in june
    assert "⚠ 7.2 基本民生保障提升工程：连续2月滞后（5–6月）" in june
    assert "9.1" not in "".join(june)  # overdue at the end of April only
    may = escalation_lines(ok(run_cli(year.root, ["status", "--month", "5"])).stdout)
    assert "⚠ 6.1 群众就业稳岗提升工程：连续2月滞后（4–5月）" in may
    april = escalation_lines(ok(run_cli(year.root, ["status", "--as-of", "2023-05-20"])).stdout)
    assert not any(line.startswith("⚠ 6.1") for line in april)  # one month-end only
    as_seen = run_cli(year.root, ["status", "--as-recorded", "meeting-2023-06-05", "--month", "5"])
    assert escalation_lines(as_seen.stdout) == may


def test_overdue_gives_each_items_escalation(year: Year) -> None:
    result = run_cli(year.root, ["overdue", "--month", "6", "--json"])
    assert result.exit_code == 1
    by_item = {m["item"]: m["escalation"] for m in json.loads(result.stdout)}
    assert by_item["6.1"] == {"months": [4, 5, 6], "level": "interview"}
    assert by_item["7.2"] == {"months": [5, 6], "level": "lagging"}
    text = run_cli(year.root, ["overdue", "--month", "6"]).stdout
    assert "⚠ 7.2 基本民生保障提升工程：连续2月滞后（5–6月）" in escalation_lines(text)


def test_the_bulletin_lists_the_interviews(year: Year, tmp_path: Path) -> None:
    out = tmp_path / "6月.md"
    ok(run_cli(year.root, ["report", "--month", "6", "-f", "md", "-o", str(out)]))
    text = out.read_text(encoding="utf-8")
    interviews = text[text.index("### 约谈") :].split("\n\n")[1].splitlines()
    assert "| 李静 | 人力资源和社会保障局 | 6.1 | 连续3月滞后（4–6月） |" in interviews
    assert not any("| 7.2 |" in row for row in interviews)
    assert "- **连续滞后**：连续2月滞后（5–6月）" in text


def test_the_workspace_sets_how_many_months(ledger_dir: Path) -> None:
    from tests.halfyear import apply_half_year

    apply_half_year(ledger_dir)
    settings = ledger_dir / "minsheng.yaml"
    plain = settings.read_text(encoding="utf-8")
    settings.write_text(plain + "escalation: {lagging_months: 3, interview_months: 6}\n", "utf-8")
    lines = escalation_lines(run_cli(ledger_dir, ["status", "--month", "6"]).stdout)
    assert "⚠ 6.1 群众就业稳岗提升工程：连续3月滞后（4–6月）" in lines
    assert not any(line.startswith("⚠ 7.2") for line in lines)
    settings.write_text(plain + "escalation: {lagging_months: 4, interview_months: 3}\n", "utf-8")
    result = run_cli(ledger_dir, ["check"])
    assert result.exit_code == 1
    assert "interview_months 不能少于 lagging_months" in result.stdout + result.stderr


def test_a_bulletin_and_an_export_state_the_commit_they_were_made_from(
    year: Year, tmp_path: Path
) -> None:
    seen = git(year.root, "rev-parse", "--short=7", "meeting-2023-07-05^{commit}").strip()
    out = tmp_path / "6月.md"
    args = ["report", "--month", "6", "--as-recorded", "meeting-2023-07-05", "-f", "md"]
    ok(run_cli(year.root, [*args, "-o", str(out)]))
    assert f"数据版本：{seen} (meeting-2023-07-05)" in out.read_text(encoding="utf-8")
    exported = ok(run_cli(year.root, ["export", "-f", "json", "--month", "6"]))
    head = git(year.root, "rev-parse", "--short=7", "HEAD").strip()
    assert json.loads(exported.stdout)["data_version"] == head


def test_every_record_of_a_commit_that_added_several_for_one_item_names_that_commit(
    git_ledger: Path,
) -> None:
    """A form's commit adds two records to 2.1 (one trailer names the item once); a later
    update adds a third: each record names the commit that added it."""
    start = git(git_ledger, "rev-parse", "HEAD").strip()
    file = git_ledger / "tasks/02-城市基础设施补短板工程.yaml"
    with file.open("a", encoding="utf-8") as handle:
        handle.write(
            "records:\n"
            "  - {date: 2023-05-31, item: 1, by: 住建局, percent: 60}\n"
            "  - {date: 2023-05-31, item: 1, by: 住建局, done: 开工建设}\n"
        )
    git(git_ledger, "commit", "--quiet", "-am", "intake 住建局 2023年5月\n\nMinsheng-Item: 2.1\n")
    form = git(git_ledger, "rev-parse", "--short", "HEAD").strip()
    run = ["update", "2.1", "--percent", "70", "--date", "2023-06-10", "--by", "住建局"]
    ok(run_cli(git_ledger, run, MINSHENG_TODAY="2023-06-10"))
    later = git(git_ledger, "rev-parse", "--short", "HEAD").strip()
    found = changes_json(git_ledger, "--since", start, today="2023-06-10")
    assert [(r["date"], r["done"], r["commit"]) for r in found["records"]] == [
        ("2023-05-31", None, form),
        ("2023-05-31", "开工建设", form),
        ("2023-06-10", None, later),
    ]


def test_a_meeting_dated_before_records_already_committed_is_refused(git_ledger: Path) -> None:
    run = ["update", "2.1", "--percent", "60", "--date", "2023-05-31", "--by", "住建局"]
    ok(run_cli(git_ledger, run, MINSHENG_TODAY="2023-06-02"))
    early = run_cli(git_ledger, ["meeting", "--date", "2023-05-05"], MINSHENG_TODAY="2023-06-02")
    assert early.exit_code == 2
    assert early.stderr.startswith(
        "错误：台账中已有2023-05-05之后的记录（最晚的是2.1，2023-05-31）"
    )
    assert "git tag --annotate meeting-2023-05-05 提交号" in early.stderr
    assert git(git_ledger, "tag") == ""
    ok(run_cli(git_ledger, ["meeting", "--date", "2023-05-31"], MINSHENG_TODAY="2023-06-02"))
    assert git(git_ledger, "tag").split() == ["meeting-2023-05-31"]
