"""`minsheng report` (月通报, 季度报告) and `minsheng export` (the 台账 as xlsx, csv or json).

Only what parses the command line is imported at the top: the ledger, evaluation and the
renderers (python-docx, openpyxl) are imported when one of these commands runs.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from minsheng_cli.cli.common import console, ledger_today, say, workspace
from minsheng_cli.cli.options import (
    AsOfOption,
    AsRecordedOption,
    ForceOption,
    MonthOption,
    OutputOption,
    QuarterOption,
    ReportFormatOption,
    ReportMonthOption,
)
from minsheng_cli.errors import UsageError, WriteRefused
from minsheng_cli.i18n import _

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from minsheng_cli.paperwork.outline import Report

commands = typer.Typer()
REPORT_FORMATS = ("md", "html", "docx")
EXPORT_FORMATS = ("xlsx", "csv", "json")
BINARY_FORMATS = ("docx", "xlsx")
EXTENSIONS = {
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".docx": "docx",
    ".xlsx": "xlsx",
    ".csv": "csv",
    ".json": "json",
}
OLD_OFFICE = {".doc": ".docx", ".xls": ".xlsx"}
"""The old binary Office formats, which minsheng cannot write → the name to give instead."""


def choose_format(fmt: str | None, output: Path | None, allowed: tuple[str, ...]) -> str | None:
    """--format, else the output file's extension; None when neither says (the caller decides)."""
    if fmt is not None and fmt.lower() not in allowed:
        raise UsageError(
            _("unknown format “{format}”; use one of: {formats}").format(
                format=fmt, formats=", ".join(allowed)
            )
        )
    if output is not None and output.suffix.lower() in OLD_OFFICE:
        raise UsageError(
            _(
                "“{file}” names the old Office format, which minsheng cannot write;"
                " name the file {extension} (Word, WPS and Excel open it)"
            ).format(file=output.name, extension=OLD_OFFICE[output.suffix.lower()])
        )
    implied = EXTENSIONS.get(output.suffix.lower()) if output is not None else None
    if output is not None and fmt is None and implied not in allowed:
        raise UsageError(
            _("cannot tell the format from “{file}”; add --format ({formats})").format(
                file=output.name, formats="|".join(allowed)
            )
        )
    if fmt is not None and implied is not None and implied != fmt.lower():
        raise UsageError(
            _("--format {format} does not match the file name “{file}”").format(
                format=fmt, file=output.name if output else ""
            )
        )
    return fmt.lower() if fmt is not None else implied


def check_output(output: Path | None, fmt: str, force: bool) -> None:
    """Refuse before any work: binary to a terminal, an existing file without --force."""
    if output is None:
        if fmt in BINARY_FORMATS:
            raise UsageError(
                _("the {format} format is a binary file: give -o FILE").format(format=fmt)
            )
        return
    try:
        is_folder, exists, has_folder = output.is_dir(), output.exists(), output.parent.is_dir()
    except OSError as exc:  # a name too long for the system, a loop of links
        raise UsageError(
            _("cannot write to “{file}” ({error})").format(file=output, error=exc.strerror or exc)
        ) from exc
    if is_folder:
        raise UsageError(_("“{file}” is a folder, not a file").format(file=output))
    if exists and not force:
        raise UsageError(_("“{file}” exists; use --force to overwrite").format(file=output))
    if not has_folder:
        raise UsageError(_("the folder of “{file}” does not exist").format(file=output))


def deliver(content: str | bytes, output: Path | None) -> None:
    """To the file (atomically; text as UTF-8) or to standard output."""
    if output is None:
        typer.echo(content, nl=False)
        return
    from minsheng_cli.store.atomic import write_atomic

    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        write_atomic(output, data)
    except OSError as exc:
        raise WriteRefused(
            _("could not write {file} ({error})").format(file=output, error=exc.strerror or exc)
        ) from exc
    say(_("wrote {file}").format(file=output), err=True)


@contextmanager
def progress_steps(*steps: str) -> Iterator[Callable[[], None]]:
    """A Rich progress bar over ``steps`` on a terminal's stderr, gone when they are; nothing when
    stderr is not a terminal. The callable marks the current step done and names the next."""
    import sys

    if not sys.stderr.isatty():
        yield lambda: None
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=console(stderr=True),
        transient=True,
    ) as progress:
        task = progress.add_task(steps[0], total=len(steps))
        remaining = list(steps[1:])

        def step_done() -> None:
            progress.update(task, advance=1, description=remaining.pop(0) if remaining else "")

        yield step_done


@commands.command(
    help=_(
        "The monthly bulletin (--month N) or quarterly report (--quarter Q) as of the"
        " period's last day: Markdown, HTML or Word."
    )
)
def report(
    ctx: typer.Context,
    month: ReportMonthOption = None,
    quarter: QuarterOption = None,
    fmt: ReportFormatOption = None,
    as_recorded: AsRecordedOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    from minsheng_cli.paperwork.outline import period_of, period_request

    kind, number = period_request(month, quarter)
    chosen = choose_format(fmt, output, REPORT_FORMATS) or "md"
    check_output(output, chosen, force)
    with progress_steps(_("loading the ledger"), _("evaluating"), _("rendering")) as step_done:
        ledger = workspace(ctx).ledger()
        step_done()
        from minsheng_cli.core.evaluate import evaluate
        from minsheng_cli.paperwork.outline import build_report

        period = period_of(ledger.year, kind, number)
        paper = build_report(evaluate(ledger, period.end), period)
        paper = paper._replace(data_version=data_version(ctx))
        step_done()
        content = render_report(paper, chosen, output)
        step_done()
    deliver(content, output)


def render_report(paper: Report, fmt: str, output: Path | None = None) -> str | bytes:
    """The bulletin in ``fmt``; HTML links attached files relative to ``output``'s folder."""
    if fmt == "html":
        from minsheng_cli.paperwork.html import report_html

        return report_html(paper, None if output is None else output.absolute().parent)
    if fmt == "docx":
        from minsheng_cli.paperwork.word import report_docx

        return report_docx(paper)
    from minsheng_cli.paperwork.markdown import report_markdown

    return report_markdown(paper)


@commands.command(
    help=_("The 台账, one row per milestone, as Excel (xlsx), CSV or JSON, for any date.")
)
def export(
    ctx: typer.Context,
    fmt: Annotated[
        str | None,
        typer.Option("--format", "-f", help=_("xlsx, csv or json (default: from -o FILE).")),
    ] = None,
    as_of: AsOfOption = None,
    month: MonthOption = None,
    as_recorded: AsRecordedOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    chosen = choose_format(fmt, output, EXPORT_FORMATS)
    if chosen is None:
        raise UsageError(_("give --format (xlsx, csv or json) or -o FILE"))
    check_output(output, chosen, force)
    with progress_steps(_("loading the ledger"), _("evaluating"), _("rendering")) as step_done:
        ledger, today = ledger_today(ctx, as_of, month)
        step_done()
        from minsheng_cli.core.asof import snapshot_as_of

        snapshot = snapshot_as_of(ledger, as_of, month, today)
        step_done()
        from minsheng_cli.paperwork.export import export_content

        content = export_content(snapshot, chosen, data_version(ctx))
        step_done()
    deliver(content, output)


def data_version(ctx: typer.Context) -> str:
    """数据版本: the short commit the ledger was read from (HEAD, or --as-recorded's point), with
    its meeting tag if it has one, and a mark for files changed since; empty without git."""
    from minsheng_cli.errors import GitError
    from minsheng_cli.write.audit import has_changes, in_work_tree
    from minsheng_cli.write.history import meetings, resolve_point

    context = workspace(ctx)
    root = context.root()
    try:
        if not in_work_tree(root):
            return ""
        point = resolve_point(root, context.as_recorded or "HEAD")
        tags = [m.tag for m in meetings(root) if m.commit == point.commit]
        edited = context.as_recorded is None and any(
            has_changes(root, root / name) for name in ("minsheng.yaml", "tasks")
        )
    except (GitError, UsageError):  # a repository without a commit yet
        return ""
    version = point.commit[:7] + (f" ({tags[-1]})" if tags else "")
    return version + (" " + _("with uncommitted changes") if edited else "")
