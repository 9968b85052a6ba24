"""The imported notice written as a workspace: minsheng.yaml from the notice's title, 文号,
office, date and year, and one tasks/NN-名称.yaml per 实事, laid out as the bundled files are
(flow mappings for indicators and milestones, the clerk's doubts as comments)."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from minsheng_cli.errors import UsageError
from minsheng_cli.i18n import _
from minsheng_cli.notice.indicators import QUANTITY, Indicator, number
from minsheng_cli.notice.milestones import Milestone, Track
from minsheng_cli.notice.plan import Item, Project
from minsheng_cli.notice.table import Notice

DOCUMENT = re.compile(r"[\u4e00-\u9fff]{1,10}[〔\[［(（]\d{4}[〕\]］)）]\d{1,4}号")
ISSUED = re.compile(r"^(\S{4})年(\S{1,2})月(\S{1,3})日$")
TITLE_ENDINGS = ("清单", "计划", "安排", "任务", "项目", "项目表", "分解表", "台账")
CN_DIGITS = dict(zip("〇零一二三四五六七八九", "0012345678 9".replace(" ", ""), strict=False))


@dataclass(frozen=True, slots=True)
class Meta:
    year: int
    title: str
    document: str
    office: str
    issued: dt.date | None


def arabic(text: str) -> str:
    """二〇二三 → 2023, 三十一 → 31, 十二 → 12; digits as they are."""
    if "十" in text:
        tens, _sep, ones = text.partition("十")
        return str(int(arabic(tens) or "1") * 10 + int(arabic(ones) or "0"))
    return "".join(CN_DIGITS.get(ch, ch) for ch in text)


def issued_of(lines: list[str]) -> tuple[dt.date | None, int]:
    """The notice's date (the line that is only a date) and its line's index (-1: none)."""
    for index, line in enumerate(lines):
        found = ISSUED.match(line.replace(" ", ""))
        if found:
            try:
                return dt.date(*(int(arabic(part)) for part in found.groups())), index
            except ValueError:
                continue
    return None, -1


def title_of(lines: list[str]) -> str:
    for line in reversed(lines):
        text = re.sub(r"^附件\d*[：:]?", "", line.replace(" ", ""))
        if "民生实事" in text and text.endswith(TITLE_ENDINGS) and not text.startswith("关于"):
            return text
    for line in lines:
        found = re.match(r"^关于印发(.+)的通知$", line.replace(" ", ""))
        if found:
            return found.group(1)
    return ""


def office_of(lines: list[str], issued_at: int) -> str:
    for line in lines[:3]:
        text = line.replace(" ", "")
        if text.endswith("文件") and len(text) <= 30:
            return text.removesuffix("文件")
    if issued_at > 0 and len(lines[issued_at - 1]) <= 30:
        return lines[issued_at - 1].replace(" ", "")
    return ""


def metadata_of(notice: Notice, year: int | None) -> Meta:
    lines = notice.lines
    issued, issued_at = issued_of(lines)
    title = title_of(lines)
    document = next((m.group(0) for line in lines if (m := DOCUMENT.search(line))), "")
    named = re.search(r"(20\d\d)年", title) or re.search(r"〔(20\d\d)〕", document)
    year = year or (int(named.group(1)) if named else issued.year if issued else None)
    if year is None:
        raise UsageError(_("the notice does not say its year; give it with --year"))
    title = title or f"{year}年民生实事任务清单"
    return Meta(year, title, document, office_of(lines, issued_at), issued)


PLAIN_UNSAFE = re.compile(r"[,\[\]{}#:\"'\\]|^[-?!&*|>%@`\s]|\s$")
NOT_TEXT = re.compile(
    r"^([-+]?[\d._:]+|true|false|yes|no|on|off|null|y|n|~|\d{4}-\d\d?-\d\d?.*)$", re.IGNORECASE
)


def scalar(text: str) -> str:
    """Text as a YAML value: plain where it reads back as the same text, else JSON-quoted."""
    if not text or PLAIN_UNSAFE.search(text) or NOT_TEXT.match(text):
        return json.dumps(text, ensure_ascii=False)
    return text


def amount(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


def one_line(text: str) -> str:
    return " ".join(text.split())


def workspace_yaml(meta: Meta, source: str) -> str:
    lines = [
        f"# {meta.title} — 工作区配置（minsheng import 据 {one_line(source)} 生成）",
        f"year: {meta.year}",
        f"title: {scalar(meta.title)}",
        f"document: {scalar(meta.document)}" + ("" if meta.document else "   # 文号"),
        f"office: {scalar(meta.office)}" + ("" if meta.office else "   # 印发机关"),
    ]
    if meta.issued:
        lines.append(f"issued: {meta.issued.isoformat()}")
    lines += [
        "warning_days: 10      # 到期前多少天亮黄灯",
        "tolerance_days: 15    # 序时进度滞后多少天亮黄灯",
        "# deadline_rules:     # 覆盖时限用语的默认解释（日）；last 表示当月最后一天",
        "#   月初: 10",
        "#   月中: 15",
    ]
    return "\n".join(lines) + "\n"


def file_name(project: Project) -> str:
    name = re.sub(r'[\s\\/:*?"<>|]+', "", project.name)[:40] or "实事"
    return f"{project.id:02d}-{name}.yaml"


def project_yaml(project: Project) -> str:
    lines = [
        f"# {project.id} {one_line(project.name)}",
        f"id: {project.id}",
        f"name: {scalar(project.name)}",
        "items:",
    ]
    for index, item in enumerate(project.items):
        if index:
            lines.append("  # 序号为空的行属于上一实事")
        lines += item_lines(item)
    return "\n".join(lines) + "\n"


def item_lines(item: Item) -> list[str]:
    lines = [f"  - content: {scalar(item.content)}"]
    for key, value in (("leader", item.leader), ("unit", item.unit), ("note", item.note)):
        if value:
            lines.append(f"    {key}: {scalar(value)}")
        if key == "unit" and item.partners:
            lines.append(f"    partners: [{', '.join(scalar(p) for p in item.partners)}]")
    lines += indicator_lines(item.indicators, item.doubts)
    direct = [t for t in item.tracks if t.heading is None]
    headed = [t for t in item.tracks if t.heading is not None]
    if headed:
        lines.append("    tracks:")
        for track in headed:
            lines += track_lines(track)
    else:
        milestones = direct[0].milestones if direct else []
        lines += milestone_lines(milestones, "    ")
    return lines


def indicator_lines(indicators: list[Indicator], doubts: list[str]) -> list[str]:
    if not indicators:
        lines = ["    indicators: []" + ("" if doubts else "   # 实事内容无量化指标")]
    else:
        lines = ["    indicators:"]
        lines += [f"      - {indicator_flow(i.name, i.target, i.unit)}" for i in indicators]
    for doubt in doubts:
        for found in QUANTITY.finditer(doubt):
            value, unit = split_quantity(found.group(0))
            lines.append(
                f"      # - {indicator_flow('待定', value, unit)}   # 待核：原文“{one_line(doubt)}”"
            )
    return lines


def indicator_flow(name: str, target: float, unit: str) -> str:
    return f"{{name: {scalar(name)}, target: {amount(target)}, unit: {scalar(unit)}}}"


def split_quantity(text: str) -> tuple[float, str]:
    found = re.match(r"(\d+(?:\.\d+)?)\s*(.*)", text)
    assert found is not None  # QUANTITY matched it
    return number(found.group(1)), found.group(2)


def track_lines(track: Track) -> list[str]:
    lines = [f"      - heading: {scalar(track.heading or '')}"]
    if track.text:
        lines.append(f"        text: {scalar(one_line(track.text))}")
    return lines + milestone_lines(track.milestones, "        ")


def milestone_lines(milestones: list[Milestone], indent: str) -> list[str]:
    if not any(m.deadline is not None for m in milestones):
        lines = [f"{indent}milestones: []"]
    else:
        lines = [f"{indent}milestones:"]
    for milestone in milestones:
        lines += [
            f"{indent}  # 待核：原文“{one_line(d)}”如是指标目标，加 targets: {{指标名: 数值}}"
            for d in milestone.doubts
        ]
        if milestone.deadline is None:
            lines.append(
                f"{indent}  # - {{deadline: 待定, text: {scalar(one_line(milestone.text))}}}"
                "   # 时限未能识别，请填写后去掉 #"
            )
        else:
            lines.append(f"{indent}  - {milestone_flow(milestone)}")
    return lines


def milestone_flow(milestone: Milestone) -> str:
    parts = [
        f"deadline: {scalar(milestone.deadline or '')}",
        f"text: {scalar(one_line(milestone.text))}",
    ]
    if milestone.targets:
        targets = ", ".join(f"{scalar(k)}: {amount(v)}" for k, v in milestone.targets.items())
        parts.append(f"targets: {{{targets}}}")
    if milestone.percent is not None:
        parts.append(f"percent: {amount(milestone.percent)}")
    return "{" + ", ".join(parts) + "}"
