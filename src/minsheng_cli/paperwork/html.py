"""The bulletin or report as one self-contained HTML file: inline CSS, inline SVG, nothing fetched.

The timeline draws a row per item with its milestones as marks coloured by state along the year
and a vertical line at the as-of date; progress bars are SVG too. Every piece of ledger text goes
through ``html.escape``, so nothing in the ledger is read as markup.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from functools import partial
from html import escape
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote

from minsheng_cli.core.evaluate import ItemStatus, Light, MilestoneStatus, Snapshot, State
from minsheng_cli.i18n import _, current_language
from minsheng_cli.paperwork.outline import (
    Block,
    Chart,
    Field,
    Heading,
    Paragraph,
    Report,
    Table,
    long_date,
    milestone_text,
    percent_text,
    report_outline,
    report_title,
)
from minsheng_cli.render.labels import deadline_label, iso, light_label, state_label

STATE_COLOURS = {
    State.MET: "#2e7d32",
    State.MET_LATE: "#00897b",
    State.OVERDUE: "#c62828",
    State.DUE_SOON: "#f9a825",
    State.PENDING: "#9e9e9e",
}
LIGHT_COLOURS = {
    Light.GREEN: "#2e7d32",
    Light.YELLOW: "#f9a825",
    Light.RED: "#c62828",
    Light.DONE: "#1565c0",
}
AS_OF_COLOUR = "#6a1b9a"


class Layout(NamedTuple):
    """The timeline's geometry in SVG user units."""

    label_width: int = 230
    plot_width: int = 720
    undated_width: int = 50
    top: int = 34
    row_height: int = 24
    bottom: int = 12
    mark_radius: float = 5.5

    @property
    def x0(self) -> int:
        return self.label_width

    @property
    def x1(self) -> int:
        return self.label_width + self.plot_width

    @property
    def width(self) -> int:
        return self.x1 + self.undated_width

    def height(self, rows: int) -> int:
        return self.top + rows * self.row_height + self.bottom

    def row_y(self, index: int) -> float:
        return self.top + index * self.row_height + self.row_height / 2


LAYOUT = Layout()

CSS = """
@page { size: A4; margin: 2cm 1.8cm; }
* { box-sizing: border-box; }
body { margin: 0; background: #f4f4f2; color: #1b1b1b;
  font-family: "FangSong", "仿宋", "Noto Serif CJK SC", "Source Han Serif SC", "SimSun",
  "WenQuanYi Micro Hei", serif; font-size: 16px; line-height: 1.6; }
main { max-width: 1060px; margin: 24px auto; background: #fff; padding: 36px 48px;
  box-shadow: 0 1px 4px rgba(0,0,0,.12); }
h1, h2, h3, h4, .label, th { font-family: "SimHei", "黑体", "Noto Sans CJK SC",
  "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif; }
h1.title { text-align: center; font-size: 28px; color: #b71c1c; margin: 8px 0 4px;
  font-weight: bold; }
h2 { font-size: 21px; margin: 28px 0 8px; border-bottom: 2px solid #b71c1c; }
h3 { font-size: 18px; margin: 20px 0 6px; }
h4 { font-size: 16px; margin: 14px 0 4px; color: #333; }
p { margin: 6px 0; }
p.center { text-align: center; color: #444; }
p.center span.part { white-space: nowrap; }
.field { margin: 2px 0 2px 1em; }
.field ul { margin: 0 0 0 1.2em; padding: 0; }
.label { font-weight: bold; }
table { border-collapse: collapse; margin: 8px 0 12px; width: 100%; font-size: 14px; }
th, td { border: 1px solid #999; padding: 3px 6px; vertical-align: top; text-align: left; }
th { background: #eceff1; }
table.lights td, table.states td, table.lights th, table.states th { text-align: center; }
svg.bar { vertical-align: middle; margin-right: 6px; }
figure.timeline { margin: 12px 0; overflow-x: auto; }
figure.timeline figcaption { font-size: 14px; color: #444; }
svg.timeline text { font-size: 12px; fill: #333; }
svg.timeline .row-label { font-family: "SimHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei",
  sans-serif; }
.legend { display: inline-block; margin-right: 14px; font-size: 14px; }
.legend svg { vertical-align: middle; margin-right: 4px; }
"""


def report_html(report: Report, links_from: Path | None = None) -> str:
    """The bulletin as one HTML file; ``links_from``: the folder it is written to (default: the
    current one), from which each attached file is linked by a relative address."""
    base = Path.cwd() if links_from is None else links_from
    root = report.snapshot.ledger.workspace.root
    body = "\n".join(
        block_html(block, report, partial(file_href, root, base))
        for block in report_outline(report)
    )
    return html_document(report_title(report), body)


def html_document(title_text: str, body: str) -> str:
    """A self-contained page around ``body`` (HTML already escaped)."""
    title = escape(title_text)
    lang = "en" if current_language() == "en" else "zh-CN"
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n<style>{CSS}</style>\n</head>\n"
        f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


def block_html(
    block: Block, report: Report | None, href: Callable[[str], str] = lambda path: path
) -> str:
    """A block as HTML; a chart needs the ``report`` it draws (without one it is left out);
    ``href``: the address of an attached file from where the page is written."""
    if isinstance(block, Heading):
        if block.level == 0:
            return f'<h1 class="title">{escape(block.text)}</h1>'
        tag = f"h{block.level + 1}"
        return f"<{tag}>{escape(block.text)}</{tag}>"
    if isinstance(block, Paragraph):
        if block.centered:  # a line of parts (依据…　截至…　数据版本…): it breaks between them only
            parts = "　".join(
                f'<span class="part">{escape(p)}</span>' for p in block.text.split("　")
            )
            return f'<p class="center">{parts}</p>'
        return f"<p>{escape(block.text)}</p>"
    if isinstance(block, Field):
        return field_html(block, href)
    if isinstance(block, Table):
        return table_html(block)
    return "" if report is None else chart_html(block, report)


def field_html(field: Field, href: Callable[[str], str] = lambda path: path) -> str:
    label = f'<span class="label">{escape(field.label)}：</span>'
    bar = progress_bar(field.share) if field.share is not None else ""
    lines = [escape(line) for line in field.lines]
    if field.links:
        css = " evidence"
        lines = [
            f'<a href="{escape(href(link))}">{line}</a>'
            for line, link in zip(lines, field.links, strict=True)
        ]
    else:
        css = ""
    if len(lines) == 1:
        return f'<div class="field{css}">{label}{bar}{lines[0]}</div>'
    items = "".join(f"<li>{line}</li>" for line in lines)
    return f'<div class="field{css}">{label}{bar}<ul>{items}</ul></div>'


def file_href(root: Path, base: Path, path: str) -> str:
    """The address of ``path`` (relative to the workspace ``root``) from the folder ``base``: a
    relative URL, percent-encoded; a file: URL where there is no relative way (another drive)."""
    target = (root / path).resolve()
    try:
        relative = os.path.relpath(target, base.resolve())
    except ValueError:  # Windows: another drive
        return target.as_uri()
    return quote(Path(relative).as_posix(), safe="/")


def progress_bar(share: float, width: int = 160, height: int = 12) -> str:
    clamped = max(0.0, min(1.0, share))
    filled = round(clamped * width, 1)
    colour = "#2e7d32" if clamped >= 1 else "#1565c0"
    return (
        f'<svg class="bar" width="{width}" height="{height}" viewBox="0 0 {width} {height}"'
        f' role="img" data-share="{clamped:.4f}"><title>{percent_text(share)}</title>'
        f'<rect width="{width}" height="{height}" rx="3" fill="#e0e0e0"/>'
        f'<rect class="bar-fill" width="{filled}" height="{height}" rx="3" fill="{colour}"/>'
        "</svg>"
    )


def table_html(table: Table) -> str:
    head = "".join(f"<th>{escape(cell)}</th>" for cell in table.headers)
    rows = "".join(
        "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in table.rows
    )
    return (
        f'<table class="{escape(table.name)}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def chart_html(chart: Chart, report: Report) -> str:
    if chart.name != "timeline":
        return ""
    caption = _("Milestones along the year; the vertical line is {date}.").format(
        date=long_date(report.snapshot.as_of)
    )
    return (
        f'<figure class="timeline">{timeline_svg(report.snapshot)}'
        f"<figcaption>{legend_html()}<br>{escape(caption)}</figcaption></figure>"
    )


def legend_html() -> str:
    """The milestones' colours by state, then the row's light at the left (绿 黄 红 ✓)."""
    marks = "".join(
        legend_entry("legend-mark", STATE_COLOURS[state], state_label(state)) for state in State
    )
    lights = "".join(
        legend_entry("legend-light", LIGHT_COLOURS[light], light_label(light)) for light in Light
    )
    title = f'<span class="legend">{escape(_("Light"))}：</span>'
    return f"{marks}<br>{title}{lights}"


def legend_entry(css: str, colour: str, label: str) -> str:
    return (
        f'<span class="legend"><svg width="12" height="12" viewBox="0 0 12 12">'
        f'<circle class="{css}" cx="6" cy="6" r="5" fill="{colour}"/>'
        f"</svg>{escape(label)}</span>"
    )


# --- the timeline ------------------------------------------------------------------------------


def day_x(day: date, year: int, layout: Layout = LAYOUT) -> float:
    """The x of the end of ``day``: 31 December ends at x1, the end of 6-30 is where July starts."""
    start = date(year, 1, 1)
    days = (date(year + 1, 1, 1) - start).days
    elapsed = min(max((day - start).days + 1, 0), days)
    return round(layout.x0 + elapsed / days * layout.plot_width, 2)


def month_x(year: int, month: int, layout: Layout = LAYOUT) -> float:
    """The x where month ``month`` begins (the end of the day before it)."""
    start = date(year, 1, 1)
    days = (date(year + 1, 1, 1) - start).days
    return round(layout.x0 + (date(year, month, 1) - start).days / days * layout.plot_width, 2)


def timeline_svg(snapshot: Snapshot, layout: Layout = LAYOUT) -> str:
    year = snapshot.ledger.year
    rows = snapshot.items
    height = layout.height(len(rows))
    parts = [
        f'<svg class="timeline" xmlns="http://www.w3.org/2000/svg" width="{layout.width}"'
        f' height="{height}" viewBox="0 0 {layout.width} {height}" role="img"'
        ' style="width: 100%; height: auto"'
        f' data-x0="{layout.x0}" data-x1="{layout.x1}" data-year="{year}">',
        *month_grid(year, len(rows), layout),
        *(item_row(status, index, year, layout) for index, status in enumerate(rows)),
        as_of_line(snapshot.as_of, year, len(rows), layout),
        "</svg>",
    ]
    return "\n".join(parts)


def month_grid(year: int, rows: int, layout: Layout) -> Iterable[str]:
    bottom = layout.top + rows * layout.row_height
    for month in range(1, 13):
        x = month_x(year, month, layout)
        end = month_x(year, month + 1, layout) if month < 12 else layout.x1
        label = _("M{month}").format(month=month)
        yield (
            f'<line class="month" data-month="{month}" x1="{x}" x2="{x}" y1="{layout.top - 6}"'
            f' y2="{bottom}" stroke="#cfd8dc" stroke-width="1"/>'
            f'<text x="{(x + end) / 2:.1f}" y="{layout.top - 10}" text-anchor="middle">'
            f"{escape(label)}</text>"
        )
    undated = _("no date")
    yield (
        f'<line class="year-end" x1="{layout.x1}" x2="{layout.x1}" y1="{layout.top - 6}"'
        f' y2="{bottom}" stroke="#90a4ae" stroke-width="1"/>'
        f'<text x="{layout.x1 + layout.undated_width / 2}" y="{layout.top - 10}"'
        f' text-anchor="middle">{escape(undated)}</text>'
    )


def item_row(status: ItemStatus, index: int, year: int, layout: Layout) -> str:
    y = layout.row_y(index)
    item = status.item
    band = "#f7f9fa" if index % 2 == 0 else "#ffffff"
    label = f"{item.ref} {item.unit}"
    tip = f"{item.ref} {item.project_name}：{item.unit}（{item.content}）"
    light = LIGHT_COLOURS[status.light]
    drawn = sorted(status.milestones, key=lambda m: DRAWING_ORDER[m.state])
    marks = "".join(
        milestone_mark(m, y + offset, year, layout)
        for m, offset in zip(drawn, stack_offsets(drawn, layout), strict=True)
    )
    return (
        f'<g class="item-row" data-item="{escape(item.ref)}">'
        f'<rect x="0" y="{y - layout.row_height / 2}" width="{layout.width}"'
        f' height="{layout.row_height}" fill="{band}"/>'
        f'<circle class="light" cx="8" cy="{y}" r="5" fill="{light}">'
        f"<title>{escape(light_label(status.light))}</title></circle>"
        f'<text class="row-label" x="18" y="{y + 4}">{escape(clip(label, 16))}'
        f"<title>{escape(tip)}</title></text>"
        f"{marks}</g>"
    )


DRAWING_ORDER = {
    State.PENDING: 0,
    State.DUE_SOON: 1,
    State.MET: 2,
    State.MET_LATE: 3,
    State.OVERDUE: 4,
}
"""Marks are drawn in this order, so that on a shared day the most urgent is on top."""


def stack_offsets(milestones: Sequence[MilestoneStatus], layout: Layout = LAYOUT) -> list[float]:
    """Marks on the same day of one row are spread up and down, a radius apart, so none hides
    another; within the row's band (many marks on one day overlap, the last drawn on top)."""
    step = layout.mark_radius
    limit = layout.row_height / 2 - layout.mark_radius / 2
    same_day: dict[date | None, int] = {}
    for status in milestones:
        same_day[status.due] = same_day.get(status.due, 0) + 1
    seen: dict[date | None, int] = {}
    offsets = []
    for status in milestones:
        count, index = same_day[status.due], seen.get(status.due, 0)
        seen[status.due] = index + 1
        offset = (index - (count - 1) / 2) * step
        offsets.append(max(-limit, min(limit, offset)))
    return offsets


def clip(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def milestone_mark(status: MilestoneStatus, y: float, year: int, layout: Layout) -> str:
    if status.due is None:
        x = layout.x1 + layout.undated_width / 2
    else:
        x = day_x(status.due, year, layout)
    where = f"{status.item.ref}#{status.milestone.number}"
    when = f"{deadline_label(status)}（{iso(status.due)}）"
    tip = f"{where} {when}{milestone_text(status)}：{state_label(status.state)}"
    return (
        f'<circle class="ms ms-{status.state.value}" data-state="{status.state.value}"'
        f' cx="{x}" cy="{y}" r="{layout.mark_radius}" fill="{STATE_COLOURS[status.state]}"'
        f' stroke="#ffffff" stroke-width="1"><title>{escape(tip)}</title></circle>'
    )


def as_of_line(as_of: date, year: int, rows: int, layout: Layout) -> str:
    x = day_x(as_of, year, layout)
    bottom = layout.top + rows * layout.row_height
    return (
        f'<line class="asof" data-date="{as_of.isoformat()}" x1="{x}" x2="{x}"'
        f' y1="{layout.top - 4}" y2="{bottom}" stroke="{AS_OF_COLOUR}" stroke-width="2"'
        f' stroke-dasharray="5 3"><title>{escape(long_date(as_of))}</title></line>'
    )
