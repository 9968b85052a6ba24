"""Deadlines and targets moved by approval: `minsheng reschedule` records the change; the task
file's milestone stays as the notice wrote it, and the new one holds from the record's date on."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import git, run_cli

APPROVAL = "县政府常务会议纪要〔2023〕5号"
FILE_3 = "tasks/03-农村人居环境提升工程.yaml"


def overdue_refs(root: Path, *when: str) -> list[str]:
    result = run_cli(root, ["overdue", "--json", *when])
    assert result.exit_code in (0, 1), result.stderr
    return [f"{m['item']}#{m['milestone']}" for m in json.loads(result.stdout)]


def milestone(root: Path, ref: str, number: int, *when: str) -> dict[str, Any]:
    result = run_cli(root, ["list", "--json", *when])
    found: dict[str, Any] = next(
        m for m in json.loads(result.stdout) if m["item"] == ref and m["milestone"] == number
    )
    return found


def light(root: Path, ref: str, *when: str) -> str:
    result = run_cli(root, ["status", "--json", *when])
    return str(next(s["light"] for s in json.loads(result.stdout) if s["item"] == ref))


def reschedule(root: Path, *args: str, today: str) -> Any:
    return run_cli(root, ["reschedule", *args], MINSHENG_TODAY=today)


def test_a_deadline_moved_before_it_falls_due(git_ledger: Path) -> None:
    before = (git_ledger / FILE_3).read_text(encoding="utf-8")
    assert "3.2#1" in overdue_refs(git_ledger, "--month", "3")
    result = reschedule(
        git_ledger, "3.2#1", "--to", "4月底", "--approval", APPROVAL, "--date", "2023-02-20",
        "--by", "交通局", today="2023-02-21",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert "3.2#1 完成初步设计编制及评审工作 2月底 → 4月底 (2023-02-20)" in result.stdout
    after = (git_ledger / FILE_3).read_text(encoding="utf-8")
    assert after.startswith(before)  # the milestone as the notice wrote it stays
    assert after.endswith(
        "reschedule: 完成初步设计编制及评审工作, to: 4月底,"
        " approval: 县政府常务会议纪要〔2023〕5号}\n"
    )
    assert "Minsheng-Item: 3.2" in git(git_ledger, "log", "-1", "--format=%B")

    assert "3.2#1" not in overdue_refs(git_ledger, "--month", "3")
    assert milestone(git_ledger, "3.2", 1, "--month", "3")["due"] == "2023-04-30"
    assert milestone(git_ledger, "3.2", 1, "--as-of", "2023-02-19")["due"] == "2023-02-28"
    late = milestone(git_ledger, "3.2", 1, "--month", "5")
    assert (late["state"], late["deadline"], late["days_late"]) == ("overdue", "4月底", 31)
    shown = run_cli(git_ledger, ["show", "3.2", "--month", "3"]).stdout
    assert (
        "调整：#1 原定2月底（2023-02-28），调整为4月底（2023-04-30）；"
        "依据：县政府常务会议纪要〔2023〕5号（2023-02-20）"
    ) in shown.splitlines()
    assert "调整：完成初步设计编制及评审工作；依据：县政府常务会议纪要〔2023〕5号" in shown


def test_a_deadline_moved_after_it_was_overdue_keeps_the_days_it_was_late(
    git_ledger: Path,
) -> None:
    start = git(git_ledger, "rev-parse", "HEAD").strip()
    assert light(git_ledger, "3.2", "--as-of", "2023-03-15") == "red"
    result = reschedule(
        git_ledger, "3.2", "1", "--to", "5月底", "--approval", APPROVAL, "--date", "2023-03-10",
        today="2023-03-12",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ("警告：3.2#1 调整时已逾期10天（原定2月底），逾期天数予以保留\n")
    assert "3.2#1" in overdue_refs(git_ledger, "--as-of", "2023-03-09")  # as it stood then
    assert "3.2#1" not in overdue_refs(git_ledger, "--as-of", "2023-03-15")
    assert light(git_ledger, "3.2", "--as-of", "2023-03-15") != "red"
    shown = run_cli(git_ledger, ["show", "3.2", "--month", "4"]).stdout
    assert (
        "调整：#1 原定2月底（2023-02-28），调整为5月底（2023-05-31）；"
        "依据：县政府常务会议纪要〔2023〕5号（2023-03-10），调整时已逾期10天"
    ) in shown.splitlines()

    changes = run_cli(
        git_ledger, ["changes", "--since", start, "--json"], MINSHENG_TODAY="2023-03-12"
    )
    moved = json.loads(changes.stdout)["reschedules"]
    assert [(m["item"], m["to"], m["approval"]) for m in moved] == [("3.2", "5月底", APPROVAL)]
    text = run_cli(git_ledger, ["changes", "--since", start], MINSHENG_TODAY="2023-03-12").stdout
    assert "经批准调整的时限和目标 (1):" in text
    assert (
        "  3.2 调整“完成初步设计编制及评审工作”→ 5月底；"
        "依据：县政府常务会议纪要〔2023〕5号 (2023-03-10)" in text
    )


def test_a_target_lowered_by_approval(git_ledger: Path) -> None:
    for day, percent in (("2023-06-26", "40"),):
        run_cli(
            git_ledger, ["update", "3.2", "--percent", percent, "--date", day], MINSHENG_TODAY=day
        )
    assert "3.2#4" in overdue_refs(git_ledger, "--as-of", "2023-07-02")
    result = reschedule(
        git_ledger, "3.2#4", "--target", "工程进度=40", "--approval", APPROVAL,
        "--date", "2023-07-03", today="2023-07-03",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "工程进度 50 → 40" in result.stdout
    met = milestone(git_ledger, "3.2", 4, "--as-of", "2023-07-05")
    assert (met["targets"], met["state"]) == ({"percent": 40}, "met")
    assert "3.2#4" in overdue_refs(git_ledger, "--as-of", "2023-07-02")


def test_a_reschedule_is_refused_without_approval(git_ledger: Path) -> None:
    before = (git_ledger / FILE_3).read_bytes()
    result = reschedule(git_ledger, "3.2#1", "--to", "4月底", today="2023-02-20")
    assert result.exit_code == 2
    assert result.stderr == (
        "错误：调整须经批准：请用 --approval 写明批准单位及依据（会议纪要、文号）\n"
    )
    unreadable = reschedule(
        git_ledger, "3.2#1", "--to", "下个月", "--approval", APPROVAL, today="2023-02-20"
    )
    assert unreadable.exit_code == 2 and unreadable.stderr.startswith("错误：--to：")
    assert (git_ledger / FILE_3).read_bytes() == before


def test_check_names_a_reschedule_without_approval_or_of_no_milestone(ledger_dir: Path) -> None:
    file = ledger_dir / FILE_3
    text = file.read_text(encoding="utf-8").rstrip("\n")
    record = "{date: 2023-03-01, item: 2, reschedule: 不存在的节点, to: 4月底"
    file.write_text(f"{text}\nrecords:\n  - {record}}}\n", encoding="utf-8")
    result = run_cli(ledger_dir, ["check"])
    assert result.exit_code == 1
    assert ":59: “records”：调整须写明 approval:（批准单位及依据）" in result.stderr
    file.write_text(f"{text}\nrecords:\n  - {record}, approval: 纪要}}\n", encoding="utf-8")
    result = run_cli(ledger_dir, ["check"])
    assert result.exit_code == 1
    assert (
        ":59: 该记录调整的“不存在的节点”不是3.2的某一个节点；"
        "请按 `minsheng show 3.2` 显示的写法填写"
    ) in result.stderr


def test_the_bulletin_and_the_export_show_the_original_and_the_adjustment(
    git_ledger: Path, tmp_path: Path
) -> None:
    ok = reschedule(
        git_ledger, "3.2#1", "--to", "5月底", "--approval", APPROVAL, "--date", "2023-03-10",
        today="2023-03-12",
    )  # fmt: skip
    assert ok.exit_code == 0, ok.stderr
    out = tmp_path / "4月.md"
    report = run_cli(git_ledger, ["report", "--month", "4", "-f", "md", "-o", str(out)])
    assert report.exit_code == 0, report.stderr
    assert (
        "- **调整**：#1 原定2月底（2023-02-28），调整为5月底（2023-05-31）；"
        "依据：县政府常务会议纪要〔2023〕5号（2023-03-10），调整时已逾期10天"
    ) in out.read_text(encoding="utf-8").splitlines()
    exported = run_cli(git_ledger, ["export", "-f", "json", "--month", "4"])
    rows = json.loads(exported.stdout)["rows"]
    row = next(r for r in rows if r["item"] == "3.2" and r["milestone"] == 1)
    assert (row["deadline"], row["due"]) == ("5月底", "2023-05-31")
    assert row["adjustment"] == {
        "original_deadline": "2月底",
        "original_due": "2023-02-28",
        "original_targets": {},
        "approval": APPROVAL,
        "date": "2023-03-10",
        "days_late_when_approved": 10,
    }
