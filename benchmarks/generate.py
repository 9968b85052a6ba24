"""Synthetic ledgers of the bundled one's shape, at any number of milestones, for benchmarks.

    python benchmarks/generate.py DIR N [--seed S] [--force]

writes DIR/minsheng.yaml (year 2023) and DIR/tasks/NN-名称.yaml: each file one 实事 with its
items, each item with indicators, milestones in date order (the notice's deadline words: 1月底,
3月中旬, 4月初, 6月底, …), tracks now and then, and progress records appended at the end as
`update` and `done` write them. Every indicator is targeted by a milestone (or the item's plan
reaches 100%), so the loader adds no implied year-end milestones: the ledger has exactly N
milestones, all dated. Deterministic: the same N and seed give the same bytes.

Below 10,000 milestones a file holds 1–3 items, like the bundled list; from 10,000 on it holds
8–12, so the folder looks like a province's many counties' lists side by side.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

YEAR = 2023
LARGE = 10_000
"""From this many milestones on, files hold ~10 items each instead of 1–3."""
SMALL_FILE_ITEMS = (1, 3)
LARGE_FILE_ITEMS = (8, 12)
MILESTONES_PER_ITEM = (5, 6, 6, 7)
LAST_RECORD_DAY = date(YEAR, 12, 20)
"""No generated record is later than this, so an update dated 12月31日 is always in order."""

DEADLINES: tuple[tuple[str, int, int], ...] = (
    ("1月中旬", 1, 20),
    ("1月底", 1, 31),
    ("2月初", 2, 10),
    ("2月底", 2, 28),
    ("3月初", 3, 10),
    ("3月中旬", 3, 20),
    ("3月底", 3, 31),
    ("4月初", 4, 10),
    ("4月中旬", 4, 20),
    ("4月底", 4, 30),
    ("5月初", 5, 10),
    ("5月中旬", 5, 20),
    ("5月底", 5, 31),
    ("6月中旬", 6, 20),
    ("6月底", 6, 30),
    ("7月中旬", 7, 20),
    ("7月底", 7, 31),
    ("8月中旬", 8, 20),
    ("8月底", 8, 31),
    ("9月初", 9, 10),
    ("9月底", 9, 30),
    ("10月初", 10, 10),
    ("10月中旬", 10, 20),
    ("10月底", 10, 31),
    ("11月中旬", 11, 20),
    ("11月底", 11, 30),
    ("12月初", 12, 10),
    ("12月中旬", 12, 20),
    ("12月底", 12, 31),
)
"""Deadline words with the day the loader reads them as (初 10, 中旬 20, 底 the last day)."""
ALIASES = {"5月底": "5月底前", "6月底": "上半年", "12月底": "年底"}
"""Other spellings of the same day that notices use; written now and then."""

UNITS = (
    "住房和城乡建设局",
    "交通运输局",
    "农业农村局",
    "水务局",
    "教育体育局",
    "卫生健康局",
    "医疗保障局",
    "人力资源和社会保障局",
    "残疾人联合会",
    "文化旅游广电局",
    "司法局",
    "审批服务管理局",
)
LEADERS = (
    "王继讲",
    "任伟",
    "李静",
    "张怀彪",
    "马建军",
    "杨晓东",
    "刘志强",
    "陈国华",
    "马玉兰",
    "杨建平",
    "周文斌",
    "韩晓梅",
    "海燕",
    "禹学军",
)
COUNTIES = (
    "兴庆区",
    "西夏区",
    "金凤区",
    "永宁县",
    "贺兰县",
    "灵武市",
    "大武口区",
    "惠农区",
    "平罗县",
    "利通区",
    "红寺堡区",
    "盐池县",
    "同心县",
    "青铜峡市",
    "原州区",
    "西吉县",
    "隆德县",
    "泾源县",
    "彭阳县",
    "沙坡头区",
    "中宁县",
    "海原县",
    "崆峒区",
    "泾川县",
    "灵台县",
    "崇信县",
    "华亭市",
    "庄浪县",
    "静宁县",
    "会宁县",
    "靖远县",
    "景泰县",
)

Indicator = tuple[str, str, int, int]
"""Name, unit, and the range its yearly target is drawn from."""


@dataclass(frozen=True, slots=True)
class Kind:
    """A kind of 实事: its name, who does it, how its items open, what they count."""

    name: str
    units: tuple[str, ...]
    themes: tuple[str, ...]
    indicators: tuple[Indicator, ...]


KINDS: tuple[Kind, ...] = (
    Kind(
        "冬季清洁取暖工程",
        ("住房和城乡建设局",),
        ("实施农村热源清洁化改造，采用空气源热泵、太阳能等方式", "实施农村生物质热源改造"),
        (
            ("分散供热设施改造", "户", 300, 1500),
            ("生物质热源改造", "户", 100, 400),
            ("空气源热泵安装", "台", 50, 600),
        ),
    ),
    Kind(
        "城市基础设施补短板工程",
        ("住房和城乡建设局", "交通运输局"),
        ("对城区道路路面、人行道、给排水检查井、路灯进行改造提升", "实施老旧小区改造"),
        (
            ("道路改造提升", "公里", 5, 25),
            ("雨污管网改造", "公里", 5, 40),
            ("老旧小区改造", "个", 5, 30),
            ("路灯更换", "盏", 100, 900),
        ),
    ),
    Kind(
        "农村人居环境提升工程",
        ("农业农村局", "交通运输局", "水务局"),
        ("实施农村环境综合整治", "实施农村公路质量提升工程", "实施城乡供水体系提升工程"),
        (
            ("户厕改造", "座", 300, 2000),
            ("示范村", "个", 5, 30),
            ("农村公路修复性养护", "公里", 30, 200),
            ("维修管道", "公里", 20, 120),
            ("各类阀件", "件", 500, 5000),
            ("维修水源地", "处", 5, 40),
        ),
    ),
    Kind(
        "办学条件改善工程",
        ("教育体育局",),
        ("实施改善普通高中办学条件项目", "实施义务教育薄弱环节改善与能力提升项目"),
        (
            ("校舍维修改造", "平方米", 1000, 20000),
            ("教学专用设备", "台套", 50, 800),
            ("塑胶跑道", "平方米", 2000, 9000),
        ),
    ),
    Kind(
        "医疗健康保障提升工程",
        ("卫生健康局", "医疗保障局"),
        ("为农村适龄妇女免费开展宫颈癌、乳腺癌筛查", "为孕妇和新生儿免费开展筛查"),
        (
            ("适龄妇女两癌筛查", "人", 1000, 6000),
            ("产前筛查", "人次", 300, 1500),
            ("新生儿遗传病筛查", "人", 150, 600),
            ("家庭医生签约服务", "人", 2000, 20000),
        ),
    ),
    Kind(
        "群众就业稳岗提升工程",
        ("人力资源和社会保障局",),
        ("开展城乡劳动力职业技能培训", "扶持重点群体就业创业"),
        (
            ("技能培训", "人", 300, 1500),
            ("创业担保贷款", "万元", 500, 3000),
            ("城镇新增就业", "人", 200, 1200),
            ("培育创业实体", "个", 50, 300),
            ("农村劳动力转移就业", "人次", 5000, 30000),
        ),
    ),
    Kind(
        "基本民生保障提升工程",
        ("残疾人联合会", "人力资源和社会保障局"),
        ("为符合条件的残疾儿童免费提供机构康复训练", "为城乡居民每人每月增加基础养老金"),
        (
            ("残疾儿童康复训练", "人", 10, 80),
            ("基础养老金发放", "人", 5000, 40000),
            ("困难重度残疾人家庭无障碍改造", "户", 50, 500),
        ),
    ),
    Kind(
        "群众文体生活提升工程",
        ("文化旅游广电局",),
        ("开展“送戏下乡”文化惠民演出", "提升村级综合文化服务中心"),
        (
            ("送戏下乡", "场次", 20, 120),
            ("广场文化演出", "场次", 5, 40),
            ("戏曲进乡村", "场次", 10, 80),
            ("文化示范点", "个", 5, 12),
        ),
    ),
    Kind(
        "法律援助质量提升工程",
        ("司法局",),
        ("为农民工、妇女、残疾人、老年人、未成年人等群体提供法律服务",),
        (("法律援助案件", "件", 100, 600), ("法律咨询服务", "人次", 500, 5000)),
    ),
    Kind(
        "政务惠企便民服务提升工程",
        ("审批服务管理局",),
        ("综合应用模拟审批、要素审查、告知承诺等创新模式，进一步优化流程、简化环节",),
        (
            ("审批时限压减", "%", 30, 60),
            ("事项网上可办", "项", 100, 800),
            ("企业开办一日办结", "户", 100, 900),
        ),
    ),
    Kind(
        "农村饮水安全巩固提升工程",
        ("水务局",),
        ("实施农村供水保障工程，巩固提升农村饮水安全水平",),
        (("饮水管网延伸", "公里", 10, 80), ("入户管道改造", "户", 200, 3000)),
    ),
    Kind(
        "城乡道路畅通工程",
        ("交通运输局",),
        ("实施农村公路新改建和危桥改造",),
        (("农村公路新改建", "公里", 10, 120), ("危桥改造", "座", 5, 15)),
    ),
)

PREP = (
    "完成项目立项、设计、审批等工作",
    "完成可行性研究报告、初步设计、施工图审核等前期工作",
    "对接落实项目资金，编制项目实施方案",
    "完成项目方案编制，对接落实任务",
    "完成控制价编制、控制价审核及招投标工作",
    "完成项目招投标工作",
    "完成工程施工合同签订与施工许可证书办理",
    "完成宣传方案制定，并对政策大力宣传",
    "开工建设",
    "启动实施工作",
)
"""Steps met by being ticked off (销号), in the order work plans put them."""
CLOSE = (
    "竣工验收",
    "完成项目验收并交付使用",
    "竣工验收、结算审计",
    "梳理总结好做法与典型，推动全域提升",
    "完成绩效评价并归档",
)
EVIDENCE = ("开工报告", "招投标文件", "会议纪要", "验收报告", "现场照片")
PERCENT_WORDING = ("完成工程量的{p}%", "完成工程建设任务的{p}%", "完成项目建设任务的{p}%")
PERCENT_PLANS: tuple[tuple[int, ...], ...] = (
    (30, 60, 100),
    (40, 90, 100),
    (50, 80, 100),
    (20, 60, 100),
)


@dataclass(frozen=True, slots=True)
class UpdateSpec:
    """One `minsheng update` the ledger accepts: its arguments after `update`, and its file."""

    ref: str
    args: tuple[str, ...]
    file: Path


@dataclass(frozen=True, slots=True)
class GeneratedLedger:
    root: Path
    milestones: int
    items: int
    files: int
    records: int
    update: UpdateSpec


@dataclass(slots=True)
class _Milestone:
    deadline: str
    due: date
    text: str
    targets: dict[str, int]
    percent: int | None = None

    @property
    def needs_tick(self) -> bool:
        return not self.targets and self.percent is None


_PLAIN_BAD = re.compile(r"[,\[\]{}:#'\"\n]|^[-?:,\[\]{}#&*!|>'\"%@`\s]|\s$")
_RESOLVES = re.compile(r"^[-+.\d:eE_]*$|^(?i:true|false|null|yes|no|on|off|~)$")


def scalar(text: str) -> str:
    """A flow-context YAML scalar: plain where that reads back as the same string, else quoted."""
    if not text or _PLAIN_BAD.search(text) or _RESOLVES.match(text):
        return json.dumps(text, ensure_ascii=False)
    return text


def _flow(fields: Sequence[tuple[str, str]]) -> str:
    return "{" + ", ".join(f"{key}: {value}" for key, value in fields) + "}"


def _target_steps(k: int) -> int:
    """How many of an item's (or track's) ``k`` milestones carry cumulative targets."""
    return min(3, max(1, k - 1))


def _amount_text(name: str, value: int, unit: str) -> str:
    return f"{name}达到{value}%" if unit == "%" else f"{name}{value}{unit}"


class _Writer:
    """Builds one workspace from a random generator; every choice goes through ``rng``."""

    def __init__(self, rng: random.Random, total: int) -> None:
        self.rng = rng
        self.total = total
        self.record_count = 0
        self.update: UpdateSpec | None = None

    def plan(self) -> list[list[int]]:
        """Milestones per item, grouped into files; exactly ``total`` milestones."""
        counts: list[int] = []
        remaining = self.total
        while remaining > 0:
            if remaining <= max(MILESTONES_PER_ITEM):
                k = remaining
            else:
                k = self.rng.choice(MILESTONES_PER_ITEM)
                if remaining - k < min(MILESTONES_PER_ITEM):
                    k = remaining - min(MILESTONES_PER_ITEM)
            counts.append(k)
            remaining -= k
        low, high = LARGE_FILE_ITEMS if self.total >= LARGE else SMALL_FILE_ITEMS
        files: list[list[int]] = []
        start = 0
        while start < len(counts):
            size = self.rng.randint(low, high)
            files.append(counts[start : start + size])
            start += size
        return files

    def deadlines(self, k: int) -> list[tuple[str, date]]:
        picked = sorted(self.rng.sample(range(len(DEADLINES)), k))
        words = []
        for index in picked:
            word, month, day = DEADLINES[index]
            if word in ALIASES and self.rng.random() < 0.15:
                word = ALIASES[word]
            words.append((word, date(YEAR, month, day)))
        return words

    def steps(
        self,
        k: int,
        prep: list[str],
        indicators: Sequence[tuple[str, str, int]],
        percent_wording: str | None,
        close: str | None,
    ) -> list[_Milestone]:
        """``k`` milestones: ticked steps first, then cumulative targets, maybe a closing tick."""
        counted = bool(indicators) or percent_wording is not None
        target_steps = _target_steps(k) if counted else 0
        ticks = k - target_steps - (1 if close else 0)
        words = self.deadlines(k)
        texts = prep[:ticks] + [""] * target_steps + ([close] if close else [])
        milestones = [_Milestone(w, d, t, {}) for (w, d), t in zip(words, texts, strict=True)]
        targeted = milestones[ticks : ticks + target_steps]
        if percent_wording is not None:
            plan = self.rng.choice(PERCENT_PLANS)[-target_steps:]
            for milestone, share in zip(targeted, plan, strict=True):
                milestone.percent = share
                milestone.text = percent_wording.format(p=share)
            return milestones
        shares = self._shares(target_steps)
        for step, milestone in enumerate(targeted):
            parts = []
            for name, unit, total in indicators:
                previous = targeted[step - 1].targets[name] if step else 0
                value = min(total, max(previous + 1, round(total * shares[step])))
                milestone.targets[name] = value
                parts.append(_amount_text(name, value, unit))
            last = step == target_steps - 1
            milestone.text = ("全面完成" if last else "完成") + "，".join(parts)
        return milestones

    def _shares(self, steps: int) -> list[float]:
        if steps == 1:
            return [1.0]
        if steps == 2:
            return [self.rng.uniform(0.4, 0.6), 1.0]
        return [self.rng.uniform(0.2, 0.35), self.rng.uniform(0.5, 0.7), 1.0]

    def item(
        self, kind: Kind, number: int, k: int, force_indicators: bool
    ) -> tuple[list[str], list[_Milestone], list[tuple[str, str, int]], str | None, str]:
        """One item's YAML lines, milestones and indicators, "percent" if its plan is in %, unit."""
        rng = self.rng
        unit = rng.choice(kind.units)
        mode = (
            "indicator"
            if force_indicators
            else rng.choices(("indicator", "percent", "tick"), weights=(60, 25, 15))[0]
        )
        picked: list[tuple[str, str, int]] = []
        if mode == "indicator":
            count = rng.randint(1, min(3, len(kind.indicators)))
        elif mode == "percent":
            count = rng.choice((0, 0, 1))
        else:
            count = 0
        for name, measure, low, high in rng.sample(kind.indicators, count):
            picked.append((name, measure, rng.randint(low, high)))
        prep = [PREP[i] for i in sorted(rng.sample(range(len(PREP)), min(k, len(PREP))))]
        close = rng.choice(CLOSE) if k >= 5 and rng.random() < 0.4 else None
        groups: list[tuple[str | None, list[_Milestone]]] = []
        if mode == "indicator" and len(picked) >= 2 and k >= 6 and rng.random() < 0.3:
            sizes = (k // 2, k - k // 2)
            ticks = [size - _target_steps(size) for size in sizes]
            shared = rng.sample(prep, sum(ticks))
            for track_indicators, size, share in (
                (picked[:1], sizes[0], shared[: ticks[0]]),
                (picked[1:], sizes[1], shared[ticks[0] :]),
            ):
                name, measure, total = track_indicators[0]
                ordered = sorted(share, key=PREP.index)
                steps = self.steps(size, ordered, track_indicators, None, None)
                groups.append((_amount_text(name, total, measure), steps))
        else:
            wording = rng.choice(PERCENT_WORDING) if mode == "percent" else None
            groups.append(
                (None, self.steps(k, prep, picked if wording is None else [], wording, close))
            )
        theme = rng.choice(kind.themes)
        amounts = "、".join(_amount_text(name, total, measure) for name, measure, total in picked)
        content = f"{theme}，完成{amounts}。" if amounts else f"{theme}，提升群众获得感、幸福感。"
        lines = []
        if number > 1 and rng.random() < 0.3:
            lines.append("  # 序号为空的行属于上一实事")
        lines += [
            f"  - content: {scalar(content)}",
            f"    leader: {rng.choice(LEADERS)}",
            f"    unit: {unit}",
        ]
        if picked:
            lines.append("    indicators:")
            lines += [
                "      - " + _flow([("name", scalar(n)), ("target", str(t)), ("unit", scalar(u))])
                for n, u, t in picked
            ]
        else:
            lines.append("    indicators: []   # 实事内容无量化指标")
        if groups[0][0] is None:
            lines.append("    milestones:")
            lines += ["      - " + _milestone_flow(m) for m in groups[0][1]]
        else:
            lines.append("    tracks:")
            for heading, milestones in groups:
                lines += [f"      - heading: {scalar(heading or '')}", "        milestones:"]
                lines += ["          - " + _milestone_flow(m) for m in milestones]
        every = [m for _, milestones in groups for m in milestones]
        return lines, every, picked, "percent" if mode == "percent" else None, unit

    def records(
        self,
        number: int,
        milestones: list[_Milestone],
        indicators: list[tuple[str, str, int]],
        percent: bool,
        unit: str,
    ) -> list[tuple[date, str]]:
        """A few reports: cumulative values that never go down, and ticks of ticked steps."""
        rng = self.rng
        pace = rng.uniform(0.35, 1.15)
        found: list[tuple[date, str]] = []
        by = ("by", scalar(unit))
        if indicators or percent:
            days = sorted(rng.sample(range(40, 340), rng.randint(1, 3)))
            reached: dict[str, int] = {}
            for offset in days:
                day = date(YEAR, 1, 1) + timedelta(days=offset)
                share = min(1.0, pace * 1.1 * offset / 365)
                head = [("date", day.isoformat()), ("item", str(number)), by]
                if percent:
                    value = max(reached.get("percent", 0), round(100 * share))
                    reached["percent"] = value
                    found.append((day, _flow([*head, ("percent", str(value))])))
                    continue
                values = []
                for name, _unit, total in indicators:
                    value = max(reached.get(name, 0), min(total, int(total * share)))
                    reached[name] = value
                    values.append((scalar(name), str(value)))
                found.append((day, _flow([*head, ("set", _flow(values))])))
        for milestone in milestones:
            if not milestone.needs_tick or rng.random() > min(0.9, pace * 0.8):
                break
            day = milestone.due + timedelta(days=rng.randint(-15, 30))
            day = min(max(day, date(YEAR, 1, 5)), LAST_RECORD_DAY)
            fields = [("date", day.isoformat()), ("item", str(number)), by]
            fields.append(("done", scalar(milestone.text)))
            if rng.random() < 0.3:
                fields.append(("evidence", rng.choice(EVIDENCE)))
            found.append((day, _flow(fields)))
        return found

    def project(self, path: Path, number: int, name: str, kind: Kind, counts: list[int]) -> str:
        lines = [f"# {number} {name}", f"id: {number}", f"name: {scalar(name)}", "items:"]
        records: list[tuple[date, str]] = []
        for item_number, k in enumerate(counts, start=1):
            first = self.update is None
            item_lines, milestones, indicators, percent, unit = self.item(
                kind, item_number, k, force_indicators=first
            )
            lines += item_lines
            records += self.records(item_number, milestones, indicators, percent is not None, unit)
            if first:
                indicator, _measure, total = indicators[0]
                self.update = UpdateSpec(
                    f"{number}.{item_number}",
                    ("--set", f"{indicator}={total}", "--date", f"{YEAR}-12-31", "--by", unit),
                    path,
                )
        if records:
            records.sort(key=lambda r: r[0])
            lines.append("records:")
            lines += [f"  - {text}" for _, text in records]
            self.record_count += len(records)
        return "\n".join(lines) + "\n"


def _milestone_flow(milestone: _Milestone) -> str:
    fields = [("deadline", scalar(milestone.deadline)), ("text", scalar(milestone.text))]
    if milestone.targets:
        fields.append(
            ("targets", _flow([(scalar(n), str(v)) for n, v in milestone.targets.items()]))
        )
    if milestone.percent is not None:
        fields.append(("percent", str(milestone.percent)))
    return _flow(fields)


def workspace_text(milestones: int, large: bool) -> str:
    where = "宁夏回族自治区各县（市、区）" if large else "泾源县"
    return "\n".join(
        [
            f"# {where}{YEAR}年民生实事 — 合成台账（{milestones}个节点，benchmarks/generate.py）",
            f"year: {YEAR}",
            f"title: {where}{YEAR}年民生实事任务清单",
            "document: 合成〔2023〕1号",
            f"office: {'自治区人民政府办公厅' if large else '泾源县人民政府办公室'}",
            f"issued: {YEAR}-01-31",
            "warning_days: 10      # 到期前多少天亮黄灯",
            "tolerance_days: 15    # 序时进度滞后多少天亮黄灯",
            "",
        ]
    )


def generate_ledger(root: Path, milestones: int, seed: int = 0) -> GeneratedLedger:
    """Write a workspace of exactly ``milestones`` dated milestones into ``root``."""
    if milestones < 1:
        raise ValueError("a ledger needs at least one milestone")
    tasks = root / "tasks"
    if tasks.is_dir() and any(tasks.iterdir()):
        raise FileExistsError(f"{tasks} is not empty")
    tasks.mkdir(parents=True, exist_ok=True)
    rng = random.Random(f"minsheng-bench:{seed}")
    writer = _Writer(rng, milestones)
    files = writer.plan()
    large = milestones >= LARGE
    width = max(2, len(str(len(files))))
    items = 0
    update: UpdateSpec | None = None
    for index, counts in enumerate(files):
        kind = KINDS[index % len(KINDS)]
        county_round, county = divmod(index // len(KINDS), len(COUNTIES))
        name = kind.name
        if large or index >= len(KINDS):
            name = COUNTIES[county] + name + (f"（{county_round + 1}期）" if county_round else "")
        number = index + 1
        path = tasks / f"{number:0{width}d}-{name}.yaml"
        text = writer.project(path, number, name, kind, counts)
        path.write_bytes(text.encode("utf-8"))
        items += len(counts)
        if update is None:
            update = writer.update
    (root / "minsheng.yaml").write_bytes(workspace_text(milestones, large).encode("utf-8"))
    assert update is not None
    return GeneratedLedger(root, milestones, items, len(files), writer.record_count, update)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("directory", type=Path, help="the workspace folder to write")
    parser.add_argument("milestones", type=int, help="how many milestones, e.g. 100000")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--force", action="store_true", help="replace tasks/ and the cache if they exist"
    )
    args = parser.parse_args(argv)
    root: Path = args.directory
    if args.force:
        shutil.rmtree(root / "tasks", ignore_errors=True)
        shutil.rmtree(root / ".minsheng-cache", ignore_errors=True)
    try:
        made = generate_ledger(root, args.milestones, args.seed)
    except (ValueError, FileExistsError) as exc:
        print(f"error: {exc} (use --force to replace it)", file=sys.stderr)
        return 2
    print(
        f"{made.root}: {made.milestones} milestones, {made.items} items, {made.files} files,"
        f" {made.records} records; try: minsheng -C {made.root} update {made.update.ref} "
        + " ".join(made.update.args)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
