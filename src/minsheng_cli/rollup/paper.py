"""The rollup's paperwork: the bulletin across member counties and the Excel/JSON export.

Each county's part is its own bulletin or 台账, made by the single-ledger paperwork from its
ledger at the commit the state names, for the period or day of its own year; the rollup adds a
summary of every county in front (a table, a sheet). A county that cannot be read is a line in
the summary saying why; the others are unaffected.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from minsheng_cli.errors import MinshengError
from minsheng_cli.i18n import _
from minsheng_cli.paperwork.outline import (
    Block,
    Heading,
    Paragraph,
    PeriodKind,
    Report,
    Table,
    percent_text,
)
from minsheng_cli.rollup.config import read_config
from minsheng_cli.rollup.rows import member_ledger
from minsheng_cli.rollup.state import MemberState, read_state
from minsheng_cli.rollup.views import (
    LIGHT_ORDER,
    Computed,
    MemberView,
    Request,
    computed_of,
    member_json,
    member_label,
)

if TYPE_CHECKING:
    from minsheng_cli.core.evaluate import Snapshot
    from minsheng_cli.ledger.model import Ledger

SHEET_NAME_LIMIT = 31
"""Excel's longest sheet name."""
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def member_report(ledger: Ledger, view: MemberView, kind: PeriodKind, number: int) -> Report:
    """The county's own bulletin for the period of its year, stamped with the commit read."""
    from minsheng_cli.core.evaluate import evaluate
    from minsheng_cli.paperwork.outline import build_report, period_of

    period = period_of(ledger.year, kind, number)
    paper = build_report(evaluate(ledger, period.end), period)
    return paper._replace(data_version=(view.commit or "")[:7])


class RollupReport(NamedTuple):
    title: str
    members: list[tuple[MemberView, Report | None]]
    level: str = "市"


def member_states(root: Path) -> list[tuple[str, MemberState]]:
    states = read_state(root)
    return [(m.name, states.get(m.name, MemberState())) for m in read_config(root).config.members]


def unread(name: str, state: MemberState) -> MemberView:
    return MemberView(
        name, state.commit, state.stale_reason, state.stale_since, None, read_at=state.read_at
    )


def read_member(root: Path, name: str, state: MemberState) -> tuple[MemberView, Ledger | None]:
    """The member's ledger at its commit, or its view saying why it cannot be read."""
    view = unread(name, state)
    if state.commit is None:
        return view._replace(problem=_("its ledger has not been obtained yet")), None
    try:
        return view, member_ledger(root, name, state.commit)
    except MinshengError as exc:
        return view._replace(problem=exc.message.splitlines()[0]), None


def rollup_report(root: Path, kind: PeriodKind, number: int) -> RollupReport:
    members: list[tuple[MemberView, Report | None]] = []
    for name, state in member_states(root):
        view, ledger = read_member(root, name, state)
        if ledger is None:
            members.append((view, None))
            continue
        paper = member_report(ledger, view, kind, number)
        members.append((view._replace(computed=computed_of(paper.snapshot)), paper))
    config = read_config(root).config
    return RollupReport(config.title, members, config.level)


def rollup_outline(paper: RollupReport) -> list[tuple[Block, Report | None]]:
    """The summary of every county, then each county's own bulletin a level down; each block
    with the county's report it belongs to (the HTML timeline draws from it)."""
    from minsheng_cli.paperwork.outline import period_label, report_kind_label, report_outline

    reports = [r for _v, r in paper.members if r is not None]
    kind = report_kind_label(reports[0].period) if reports else ""
    periods = sorted({period_label(r.period) for r in reports})
    blocks: list[tuple[Block, Report | None]] = [
        (Heading(0, _("{title}: {kind}").format(title=paper.title, kind=kind)), None),
        (Paragraph("（" + "、".join(periods) + "）", centered=True), None),
        (Heading(1, overview_heading(paper.level)), None),
        (summary_table([v for v, _r in paper.members], paper.level), None),
    ]
    blocks += [(Paragraph(problem_text(v)), None) for v, _r in paper.members if problem_text(v)]
    for view, report in paper.members:
        if report is None:
            continue
        blocks += [(demoted(block, view.name), report) for block in report_outline(report)]
    return blocks


def demoted(block: Block, member: str) -> Block:
    """A county's block one heading level down, its title named by the member."""
    if not isinstance(block, Heading):
        return block
    text = f"{member}：{block.text}" if block.level == 0 else block.text
    return Heading(block.level + 1, text)


def overview_heading(level: str) -> str:
    return _("Overview of the regions") if level == "省" else _("Overview of the members")


def summary_headers(level: str = "市") -> tuple[str, ...]:
    from minsheng_cli.core.evaluate import State
    from minsheng_cli.render.labels import light_label, state_label

    return (
        member_label(level),
        _("As of"),
        *(light_label(light) for light in LIGHT_ORDER),
        _("Milestones"),
        _("Met"),
        state_label(State.OVERDUE),
        _("Completion"),
        _("Last report"),
        _("Data version"),
        _("Flag"),
    )


def summary_cells(view: MemberView) -> tuple[str, ...]:
    computed = view.computed
    version = (view.commit or "")[:7] or "—"
    if computed is None:
        return (view.name, *("—",) * 10, version, flag_text(view))
    return (
        view.name,
        computed.as_of,
        *(str(computed.lights[light.name.lower()]) for light in LIGHT_ORDER),
        str(computed.milestones),
        str(met_count(computed)),
        str(view.overdue_count),
        percent_text(computed.completion),
        computed.last_report or "—",
        version,
        flag_text(view),
    )


def met_count(computed: Computed) -> int:
    return computed.states["met"] + computed.states["met_late"]


def flag_text(view: MemberView) -> str:
    if view.computed is None:
        return _("never read") if view.commit is None else _("unreadable")
    return _("stale") if view.stale else ""


def problem_text(view: MemberView) -> str:
    """Why a member is flagged, as a sentence under the summary for the leaders who read the
    paper: plain words and local dates, never git's message, a URL or a command (the terminal's
    `rollup status` gives those); empty when it is not flagged."""
    if view.computed is None and view.commit is None:
        problem = _("its ledger has not been obtained yet")
    elif view.computed is None:
        problem = _("its ledger could not be read")
    elif view.stale:
        problem = stale_text(view)
    else:
        return ""
    return _("{member}: {problem}").format(member=view.name, problem=problem)


def stale_text(view: MemberView) -> str:
    """未能取得该县最新台账（自12月5日起），以下为12月1日读取的数据."""
    since, read = day_text(view.stale_since), day_text(view.read_at)
    if since and read:
        return _(
            "the county's latest ledger could not be obtained (since {since});"
            " below are the data read on {read}"
        ).format(since=since, read=read)
    if since:
        return _(
            "the county's latest ledger could not be obtained (since {since});"
            " below are the data read before"
        ).format(since=since)
    return _("the county's latest ledger could not be obtained; below are the data read before")


def day_text(stamp: str | None) -> str:
    """The local day of a moment the state keeps: 12月5日, with its year when not this year's."""
    from minsheng_cli import clock
    from minsheng_cli.rollup.views import local_time

    local = local_time(stamp)
    if local is None:
        return ""
    if local.year != clock.today().year:
        return _("{month}/{day}/{year}").format(month=local.month, day=local.day, year=local.year)
    return _("{month}/{day}").format(month=local.month, day=local.day)


def summary_table(views: list[MemberView], level: str = "市") -> Table:
    return Table("members", summary_headers(level), tuple(summary_cells(v) for v in views))


def rollup_report_content(paper: RollupReport, fmt: str) -> str | bytes:
    outline = rollup_outline(paper)
    title = outline[0][0].text if isinstance(outline[0][0], Heading) else paper.title
    if fmt == "html":
        from minsheng_cli.paperwork.html import block_html, html_document

        body = "\n".join(block_html(block, report) for block, report in outline)
        return html_document(title, body)
    blocks = [block for block, _report in outline]
    if fmt == "docx":
        from minsheng_cli.paperwork.word import outline_docx

        return outline_docx(blocks, title, paper.title, landscape=frozenset({"members"}))
    from minsheng_cli.paperwork.markdown import outline_markdown

    return outline_markdown(blocks)


# --- export ----------------------------------------------------------------------------------


def member_snapshots(root: Path, request: Request) -> list[tuple[MemberView, Snapshot | None]]:
    from minsheng_cli.core.evaluate import evaluate

    found: list[tuple[MemberView, Snapshot | None]] = []
    for name, state in member_states(root):
        view, ledger = read_member(root, name, state)
        if ledger is None:
            found.append((view, None))
            continue
        day, day_over = request.day_for(ledger.year)
        snapshot = evaluate(ledger, day, day_over=day_over)
        found.append((view._replace(computed=computed_of(snapshot)), snapshot))
    return found


def rollup_export(
    title: str, members: list[tuple[MemberView, Snapshot | None]], fmt: str, level: str = "市"
) -> str | bytes:
    if fmt == "xlsx":
        return rollup_workbook(title, members, level)
    return rollup_json(title, members)


def rollup_json(title: str, members: list[tuple[MemberView, Snapshot | None]]) -> str:
    import json

    from minsheng_cli.paperwork.export import row_json
    from minsheng_cli.paperwork.outline import export_rows

    data: dict[str, Any] = {"title": title, "members": []}
    for view, snapshot in members:
        rows = [] if snapshot is None else export_rows(snapshot)
        as_of = snapshot.as_of if snapshot is not None else None
        data["members"].append(
            {**member_json(view), "rows": [row_json(row, as_of) for row in rows if as_of]}
        )
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def sheet_names(names: list[str]) -> list[str]:
    """Each name as an Excel sheet may be named: no []:*?/\\, at most 31 characters, unique
    (case aside, as Excel compares them), never empty."""
    taken: set[str] = set()
    found = []
    for name in names:
        base = SHEET_NAME_FORBIDDEN.sub("_", name).strip("'") or "_"
        candidate, count = base[:SHEET_NAME_LIMIT], 1
        while candidate.casefold() in taken:
            count += 1
            suffix = f"({count})"
            candidate = base[: SHEET_NAME_LIMIT - len(suffix)] + suffix
        taken.add(candidate.casefold())
        found.append(candidate)
    return found


SUMMARY_FORMATS = {1: "yyyy-mm-dd", 9: "0.0%", 10: "yyyy-mm-dd"}
"""The summary sheet's number formats by column: 截至 and 最近报送 are dates, 完成率 a share."""


def summary_values(view: MemberView) -> tuple[str | int | float | date | None, ...]:
    """The summary's row as Excel keeps it: counts as numbers, dates as dates, 完成率 as a
    share (so a sum or a filter works), blank where a member could not be read."""
    computed = view.computed
    version = (view.commit or "")[:7] or None
    if computed is None:
        return (view.name, *(None,) * 10, version, flag_text(view), problem_text(view))
    last = computed.last_report
    return (
        view.name,
        date.fromisoformat(computed.as_of),
        *(computed.lights[light.name.lower()] for light in LIGHT_ORDER),
        computed.milestones,
        met_count(computed),
        view.overdue_count,
        computed.completion,
        date.fromisoformat(last) if last else None,
        version,
        flag_text(view),
        problem_text(view),
    )


def totals_values(views: list[MemberView]) -> tuple[str | int | float | None, ...]:
    """The summary's 合计 row, as numbers: items per light, milestones, met and overdue summed;
    完成率 the mean progress of every item read (each county weighted by its items)."""
    read = [v.computed for v in views if v.computed is not None]
    items = sum(c.items for c in read)
    completion = sum(c.completion * c.items for c in read) / items if items else None
    return (
        _("Total"),
        None,
        *(sum(c.lights[light.name.lower()] for c in read) for light in LIGHT_ORDER),
        sum(c.milestones for c in read),
        sum(met_count(c) for c in read),
        sum(v.overdue_count for v in views),
        completion,
        *(None,) * 4,
    )


def shown_text(value: str | int | float | date | None) -> str:
    """A summary cell as Excel shows it (a share as 45.7%, a date as 2023-06-30): what its
    column's width is made for."""
    if isinstance(value, float):
        return percent_text(value)
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


def add_totals(
    sheet: Any, columns: list[Any], values: tuple[str | int | float | None, ...]
) -> None:
    """The 合计 row under the members, bold, outside the filter (a sort leaves it last)."""
    from openpyxl.styles import Font

    from minsheng_cli.paperwork.export import put

    row = sheet.max_row + 1
    for index, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=index)
        put(cell, value)
        cell.font = Font(bold=True)
        if columns[index - 1].number_format and value is not None:
            cell.number_format = columns[index - 1].number_format


def fit_widths(sheet: Any, columns: list[Any], rows: list[tuple[Any, ...]]) -> None:
    """Each column as wide as what it shows (the 完成率 of 0.0137 is 1.4%, not 20 digits), as
    the single-ledger export sizes its columns; long reasons wrap at its widest."""
    from minsheng_cli.paperwork.export import column_widths

    shown = [tuple(shown_text(value) for value in row) for row in rows]
    for index, width in enumerate(column_widths(columns, shown), start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width


def rollup_workbook(
    title: str, members: list[tuple[MemberView, Snapshot | None]], level: str = "市"
) -> bytes:
    """A summary sheet (a row per county), then each county's 台账 on a sheet of its own."""
    import io

    from openpyxl import Workbook

    from minsheng_cli.paperwork.export import (
        Column,
        colour_states,
        extras_of,
        fill_sheet,
        ledger_cells,
        ledger_columns,
    )
    from minsheng_cli.paperwork.outline import export_rows

    workbook = Workbook()
    names = sheet_names([_("Summary"), *(view.name for view, _s in members)])
    summary = workbook.active
    summary.title = names[0]
    columns = [
        Column(header, SUMMARY_FORMATS.get(index))
        for index, header in enumerate((*summary_headers(level), _("Reason")))
    ]
    views = [view for view, _s in members]
    counties = [summary_values(view) for view in views]
    fill_sheet(summary, columns, counties)
    add_totals(summary, columns, totals_values(views))
    fit_widths(summary, columns, [*counties, totals_values(views)])
    for (view, snapshot), name in zip(members, names[1:], strict=True):
        sheet = workbook.create_sheet(name)
        if snapshot is None:
            sheet.cell(row=1, column=1).value = problem_text(view)
            continue
        rows = export_rows(snapshot)
        extras = extras_of(rows, snapshot.as_of)
        fill_sheet(sheet, ledger_columns(extras), [ledger_cells(row, extras) for row in rows])
        colour_states(sheet, rows)
    workbook.properties.title = title
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
