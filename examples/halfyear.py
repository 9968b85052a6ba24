"""Half a year of a county office's reports, as `minsheng` commands: the demo and the tests' data.

Most units report on time, some late; one overstates and corrects; one ticks a milestone and takes
the tick back; a monthly payment is missed in May. ``python -m examples.halfyear DIR`` copies the
bundled 2023 ledger into DIR and records all of it, so that ``minsheng -C DIR status --month 6``
shows a ledger in mid-year. A DIR that already holds something is kept as it is (what the clerk
recorded there, and its history); ``--reset`` (``make demo-reset``) replaces its ledger.
tests/halfyear.py holds the facts this script must produce, worked out by hand.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _done(
    ref: str,
    milestone: str,
    day: str,
    by: str,
    *,
    period: int | None = None,
    evidence: str = "",
) -> tuple[str, ...]:
    args = ["done", ref, milestone, "--date", day, "--by", by]
    if period is not None:
        args += ["--period", str(period)]
    if evidence:
        args += ["--evidence", evidence]
    return tuple(args)


def _undo(ref: str, milestone: str, day: str, by: str, note: str) -> tuple[str, ...]:
    return ("done", ref, milestone, "--undo", "--date", day, "--by", by, "--note", note)


def _update(ref: str, day: str, by: str, *values: str, note: str = "") -> tuple[str, ...]:
    args = ["update", ref, "--date", day, "--by", by]
    for value in values:
        if value.startswith("percent="):
            args += ["--percent", value.removeprefix("percent=")]
        else:
            args += ["--set", value]
    if note:
        args += ["--note", note]
    return tuple(args)


def _correct(ref: str, day: str, by: str, value: str, note: str) -> tuple[str, ...]:
    return (*_update(ref, day, by, value, note=note), "--correct")


JOBS_Q1 = (
    "技能培训=120",
    "创业担保贷款=210",
    "城镇新增就业=55",
    "培育创业实体=20",
    "创造新岗位=22",
    "创业带动就业=60",
    "农村劳动力转移就业=0.8",
)
JOBS_H1 = (  # everything reached by 6月底 except 农村劳动力转移就业 (1.9 of 2 万人次)
    "技能培训=210",
    "创业担保贷款=520",
    "城镇新增就业=110",
    "培育创业实体=50",
    "创造新岗位=55",
    "创业带动就业=230",
    "农村劳动力转移就业=1.9",
)

STEPS: tuple[tuple[str, ...], ...] = (
    # 1月
    _done("7.2", "1", "2023-01-18", "人社局"),
    _done("1.1", "1", "2023-01-20", "住建局", evidence="初设批复"),
    _done("3.1", "1", "2023-01-30", "农业农村局"),
    _done("3.1", "6", "2023-01-30", "农业农村局"),
    _done("4.1", "1", "2023-01-31", "教体局"),
    _done("7.2", "按时兑付", "2023-01-31", "人社局", period=1),
    _update("9.1", "2023-01-31", "司法局", "法律援助案件=18"),
    # 2月
    _done("7.1", "1", "2023-02-08", "残联"),
    _done("1.1", "2", "2023-02-25", "住建局"),
    _done("2.1", "1", "2023-02-27", "住建局"),
    _done("3.3", "1", "2023-02-28", "水务局"),
    _done("7.2", "按时兑付", "2023-02-28", "人社局", period=2),
    _update("9.1", "2023-02-28", "司法局", "法律援助案件=35"),
    # 3月
    _done("4.1", "2", "2023-03-06", "教体局"),  # due 2-28: met late by 6 days
    _done("2.1", "2", "2023-03-15", "住建局"),
    _done("5.1", "1", "2023-03-20", "卫健局"),
    _update("9.1", "2023-03-20", "司法局", "法律援助案件=70"),  # overstated; corrected in April
    _done("3.1", "2", "2023-03-25", "农业农村局"),
    _done("3.1", "7", "2023-03-25", "农业农村局"),
    _done("1.1", "3", "2023-03-28", "住建局"),
    _done("5.1", "9", "2023-03-29", "卫健局"),
    _done("3.3", "2", "2023-03-30", "水务局"),
    _done("4.1", "3", "2023-03-31", "教体局"),
    _done("5.2", "1", "2023-03-31", "医保局"),
    _update("5.1", "2023-03-31", "卫健局", "产前筛查=150"),  # 200 due 3-31: short
    _update("6.1", "2023-03-31", "人社局", *JOBS_Q1),
    _done("7.2", "按时兑付", "2023-03-31", "人社局", period=3),
    # 4月 (3.1's two 4月初 开工建设, #3 示范村 and #8 户厕, are never ticked: the office never
    # reported them; test_done.py ticks them one at a time, each record naming its track)
    _done("7.1", "2", "2023-04-03", "残联"),  # due 3-10: late by 24 days
    _done("3.2", "1", "2023-04-05", "交通局"),  # due 2-28: late by 36 days
    _done("4.1", "4", "2023-04-06", "教体局"),
    _correct("9.1", "2023-04-10", "司法局", "法律援助案件=50", "3月重复统计20件，更正"),
    _done("3.2", "2", "2023-04-12", "交通局"),
    _done("3.3", "3", "2023-04-14", "水务局"),
    _done("3.2", "3", "2023-04-15", "交通局"),
    _update("1.1", "2023-04-20", "住建局", "分散供热设施改造=600", "生物质热源改造=100"),
    _update("5.1", "2023-04-20", "卫健局", "产前筛查=210"),
    _update("2.1", "2023-04-28", "住建局", "percent=35"),
    _done("7.2", "按时兑付", "2023-04-28", "人社局", period=4),
    # 5月 (no payment for May: 7.2#2 period 5 is never ticked)
    _update("9.1", "2023-05-15", "司法局", "法律援助案件=95"),
    _update("1.1", "2023-05-20", "住建局", "分散供热设施改造=954", "生物质热源改造=250"),
    _done("8.1", "1", "2023-05-26", "文旅局"),
    _update("2.1", "2023-05-30", "住建局", "percent=60"),
    _done("1.1", "5", "2023-05-31", "住建局"),  # 5月初 = 5-10: late by 21 days
    # 6月
    _update("10.1", "2023-06-15", "审批局", "审批时限压减=22"),
    _done("5.2", "2", "2023-06-20", "医保局"),
    _update("3.3", "2023-06-20", "水务局", "percent=45"),
    _undo("5.2", "2", "2023-06-25", "医保局", "落实材料不全，退回补充"),
    _update("5.1", "2023-06-25", "卫健局", "产前筛查=260"),
    _update("3.2", "2023-06-26", "交通局", "percent=40"),
    _update("9.1", "2023-06-28", "司法局", "法律援助案件=120"),
    _done("5.1", "10", "2023-06-29", "卫健局"),
    _update("2.1", "2023-06-30", "住建局", "percent=85"),
    _update("5.1", "2023-06-30", "卫健局", "适龄妇女两癌筛查=1200"),
    _update("6.1", "2023-06-30", "人社局", *JOBS_H1),
    _update("7.1", "2023-06-30", "残联", "percent=50"),
    _done("7.2", "按时兑付", "2023-06-30", "人社局", period=6),
)


def copy_bundled_ledger(destination: Path) -> None:
    """minsheng.yaml and tasks/ of this repository into ``destination``, replacing its ledger."""
    destination.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "minsheng.yaml", destination / "minsheng.yaml")
    shutil.rmtree(destination / "tasks", ignore_errors=True)
    shutil.copytree(REPO / "tasks", destination / "tasks")


USAGE = "usage: python -m examples.halfyear DIR [--reset]"


def main(argv: list[str]) -> int:
    """Record the half-year in a fresh copy of the ledger, through the real command line; an
    existing DIR is kept unless ``--reset`` is given."""
    from typer.testing import CliRunner

    from minsheng_cli.cli.app import app

    reset = "--reset" in argv
    folders = [arg for arg in argv if arg != "--reset"]
    if len(folders) != 1 or len(argv) - len(folders) > 1:
        print(USAGE, file=sys.stderr)
        return 2
    root = Path(folders[0])
    if not reset and root.exists() and any(root.iterdir()):
        print(
            f"{root} exists: kept as it is (its records and history); to rebuild it from the"
            " bundled ledger, run `make demo-reset` (or DEMO_RESET=1 make demo)",
            file=sys.stderr,
        )
        return 0
    copy_bundled_ledger(root)
    runner = CliRunner()
    for step in STEPS:
        result = runner.invoke(app, ["-C", str(root), *step, "--no-commit"])
        if result.exit_code != 0:
            print(f"step {' '.join(step)} failed:\n{result.output}", file=sys.stderr)
            return 1
    keep_history(root)
    print(f"{len(STEPS)} reports recorded in {root}")
    return 0


def keep_history(root: Path) -> None:
    """The demo as a repository of its own, the half-year its first commit, so that `update`,
    `done` and `log` there work as in a real workspace (inside this clone, whose .gitignore
    leaves .demo/ out, they could not commit)."""
    from minsheng_cli.write.workspace_init import GITIGNORE

    if shutil.which("git") is None:
        return
    shutil.rmtree(root / ".git", ignore_errors=True)
    (root / ".gitignore").write_text(GITIGNORE, encoding="utf-8", newline="\n")
    demo = ["-c", "user.name=minsheng demo", "-c", "user.email=demo@minsheng.invalid"]
    for args in (
        ["init", "--quiet"],
        ["add", "-A"],
        [*demo, "commit", "--quiet", "-m", "半年报送（示例）"],
    ):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
