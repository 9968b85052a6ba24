"""A scripted first half of 2023 on the bundled ledger, and the facts it should produce.

``apply_half_year(root)`` runs real ``minsheng update`` / ``minsheng done`` invocations (through
``conftest.run_cli``, each with ``--no-commit`` and a fixed ``--date``) against a ledger copy. The
script is written like a county office's six months: most units report on time, some late, one
overstates and corrects, one ticks and takes the tick back, a monthly payment is missed in May.

The facts below were worked out by hand from the script and the bundled ledger's deadlines
(月底 = the month's last day, 月初 = the 10th, 中旬 = the 20th), not by running the code. A date
the clerk names (``--month N``, ``--as-of D``) is read through the end of that day: a milestone
due on it and not met by then is overdue, 0 days late.
A key is (item, milestone number, period); period is the month for the monthly duty 7.2#2.
"""

from __future__ import annotations

from pathlib import Path

from examples.halfyear import STEPS

from tests.conftest import run_cli

Key = tuple[str, int, int | None]


def apply_half_year(root: Path) -> None:
    """Run every step against the workspace at ``root``; stop at the first one that fails."""
    for step in STEPS:
        result = run_cli(root, ["--lang", "en", *step, "--no-commit"])
        if result.exit_code != 0:
            raise AssertionError(
                f"step {step} exited {result.exit_code}:\n{result.stdout}\n{result.stderr}"
            )


RECORDS_PER_FILE = {
    "01-冬季清洁取暖工程.yaml": 6,
    "02-城市基础设施补短板工程.yaml": 5,
    "03-农村人居环境提升工程.yaml": 12,
    "04-办学条件改善工程.yaml": 4,
    "05-医疗健康保障提升工程.yaml": 10,
    "06-群众就业稳岗提升工程.yaml": 2,
    "07-基本民生保障提升工程.yaml": 9,
    "08-群众文体生活提升工程.yaml": 1,
    "09-法律援助质量提升工程.yaml": 6,
    "10-政务惠企便民服务提升工程.yaml": 1,
}
"""How many records each task file holds afterwards (the bundled files hold none)."""

OVERDUE: dict[int, dict[Key, int]] = {
    # as of 3-31 through its end: a 3月底 milestone not met by then is overdue, 0 days late
    3: {
        ("3.2", 1, None): 31,  # 2月底 初步设计, ticked only on 4-05
        ("3.2", 2, None): 0,  # 3月底 招投标, ticked only on 4-12
        ("5.1", 5, None): 0,  # 产前筛查 200 by 3月底, 150 recorded on 3-31
        ("7.1", 2, None): 21,  # 3月初 (3-10) 启动康复训练, ticked only on 4-03
        # 9.1#1 (60 by 3月底) is met: the 70 of 3-20 stands until the correction of 4-10
    },
    4: {
        ("1.1", 4, None): 0,  # 954 and 250 by 4月底, 600 and 100 recorded on 4-20
        ("3.1", 3, None): 20,  # 4月初 开工建设 (示范村), never ticked
        ("3.1", 8, None): 20,  # 4月初 开工建设 (户厕), never ticked
        ("9.1", 1, None): 30,  # 60 by 3月底: the 4-10 correction took the 70 back to 50
        ("10.1", 1, None): 0,  # 4月底, never ticked
        # 2.1#3 (30% by 4月底) is met: 35% on 4-28
    },
    6: {
        ("2.1", 5, None): 0,  # 100% by 6月底, 85% recorded
        ("3.1", 3, None): 81,
        ("3.1", 8, None): 81,
        ("3.2", 4, None): 0,  # 50% by 6月底, 40% recorded
        ("5.2", 2, None): 0,  # ticked 6-20, tick taken back 6-25
        ("6.1", 2, None): 0,  # 农村劳动力转移就业 1.9 of 2
        ("7.2", 2, 5): 30,  # May's payment, never ticked
        ("8.1", 4, None): 41,  # 5月中旬 (5-20), never ticked
        ("10.1", 1, None): 61,  # 4月底, never ticked
        # the other 6月底 milestones are met: 3.3#4 45% ≥ 40%, 5.1#2 1200 ≥ 1140, 5.1#6 260 ≥ 240,
        # 5.1#10 ticked 6-29, 7.1#3 50%, 7.2 June paid 6-30, 9.1#2 120, 10.1#2 22 ≥ 20
    },
    # as of 9-30, with nothing recorded after June
    9: {
        ("2.1", 5, None): 92,  # 100% by 6月底, 85% recorded
        ("2.1", 6, None): 61,
        ("3.1", 3, None): 173,
        ("3.1", 4, None): 61,  # 示范村 15 by 7月底, nothing recorded
        ("3.1", 5, None): 0,  # 9月底 梳理总结, never ticked
        ("3.1", 8, None): 173,
        ("3.1", 9, None): 61,  # 户厕改造 900 by 7月底, nothing recorded
        ("3.1", 10, None): 0,  # 户厕改造 1310 by 9月底
        ("3.2", 4, None): 92,  # 50% by 6月底, 40% recorded
        ("3.3", 5, None): 0,  # 90% by 9月底, 45% recorded
        ("4.1", 5, None): 61,
        ("4.1", 6, None): 30,
        ("5.1", 3, None): 0,  # 两癌筛查 2660 by 9月底, 1200 recorded
        ("5.1", 7, None): 0,  # 产前筛查 560 by 9月底, 260 recorded
        ("5.1", 11, None): 0,  # 60% of the hospital works by 9月底, nothing recorded
        ("5.2", 2, None): 92,  # ticked 6-20, tick taken back 6-25
        ("5.2", 3, None): 0,  # 9月底, never ticked
        ("6.1", 2, None): 92,  # 农村劳动力转移就业 1.9 of 2
        ("6.1", 3, None): 0,  # 9月底 targets, the June figures recorded
        ("7.1", 4, None): 0,  # 70% by 9月底, 50% recorded
        ("7.2", 2, 5): 122,
        ("7.2", 2, 7): 61,
        ("7.2", 2, 8): 30,
        ("7.2", 2, 9): 0,
        ("8.1", 2, None): 20,  # 9月初 (9-10)
        ("8.1", 4, None): 133,
        ("8.1", 6, None): 30,
        ("9.1", 3, None): 0,  # 180 by 9月底, 120 recorded
        ("10.1", 1, None): 153,
        ("10.1", 3, None): 0,  # 30 by 9月底, 22 recorded
    },
}
"""``overdue --month N`` (as of the month's last day, through its end): every (item, milestone,
period) due by then and not met by then, with its days late."""

MET_LATE_BY_JUNE: dict[Key, tuple[str, int]] = {
    ("1.1", 4, None): ("2023-05-20", 20),
    ("1.1", 5, None): ("2023-05-31", 21),
    ("3.2", 1, None): ("2023-04-05", 36),
    ("3.2", 2, None): ("2023-04-12", 12),
    ("3.2", 3, None): ("2023-04-15", 5),
    ("4.1", 2, None): ("2023-03-06", 6),
    ("5.1", 5, None): ("2023-04-20", 20),
    ("7.1", 2, None): ("2023-04-03", 24),
    ("9.1", 1, None): ("2023-05-15", 45),
}
"""As of 6-30, every milestone met late: the day it was met and how late."""

AGENDA_JULY: tuple[Key, ...] = (
    # open from before: OVERDUE[6], by due date
    ("3.1", 3, None),
    ("3.1", 8, None),
    ("10.1", 1, None),
    ("8.1", 4, None),
    ("7.2", 2, 5),
    ("2.1", 5, None),
    ("3.2", 4, None),
    ("5.2", 2, None),
    ("6.1", 2, None),
    # due in July and not yet met
    ("2.1", 6, None),
    ("3.1", 4, None),
    ("3.1", 9, None),
    ("4.1", 5, None),
    ("7.2", 2, 7),
)
"""``agenda --month 7`` (as of 6-30, through its end): still open, then due in July, each part by
(due, 实事, item, milestone). The four 6月底 milestones are open from before, overdue 0 days."""

AGENDA_SEPTEMBER: tuple[Key, ...] = (
    # open from before (as of 8-31, through its end), by due date, then 实事, item, milestone
    ("3.1", 3, None),  # 4-10
    ("3.1", 8, None),
    ("10.1", 1, None),  # 4-30
    ("8.1", 4, None),  # 5-20
    ("7.2", 2, 5),  # 5-31
    ("2.1", 5, None),  # 6-30
    ("3.2", 4, None),
    ("5.2", 2, None),
    ("6.1", 2, None),
    ("2.1", 6, None),  # 7-31
    ("3.1", 4, None),
    ("3.1", 9, None),
    ("4.1", 5, None),
    ("7.2", 2, 7),
    ("4.1", 6, None),  # 8-31
    ("7.2", 2, 8),
    ("8.1", 6, None),
    # due in September and not yet met
    ("8.1", 2, None),  # 9月初 (9-10)
    ("3.1", 5, None),  # 9-30: 3.1 before 10.1
    ("3.1", 10, None),
    ("3.3", 5, None),
    ("5.1", 3, None),
    ("5.1", 7, None),
    ("5.1", 11, None),
    ("5.2", 3, None),
    ("6.1", 3, None),
    ("7.1", 4, None),
    ("7.2", 2, 9),
    ("9.1", 3, None),
    ("10.1", 3, None),
)
"""``agenda --month 9`` (as of 8-31, through its end), with nothing recorded after June."""
