"""The options several commands share, defined once (help texts translated at import)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from minsheng_cli.errors import UsageError
from minsheng_cli.i18n import _
from minsheng_cli.text import CONTROL_CHARACTERS

DirectoryOption = Annotated[
    Path | None,
    typer.Option(
        "-C",
        "--directory",
        help=_("The ledger workspace (the folder with minsheng.yaml); default: found upward."),
        file_okay=False,
    ),
]
LangOption = Annotated[
    str | None,
    typer.Option("--lang", envvar="MINSHENG_LANG", help=_("Language of messages: zh or en.")),
]
AsOfOption = Annotated[
    str | None, typer.Option("--as-of", help=_("Evaluate as of this date (YYYY-MM-DD)."))
]


def clean_text(text: str, option: str, *, one_line: bool = False) -> str:
    """What the clerk typed for a text option, or a usage error: no control characters (ESC
    would reach terminals and git), text a terminal mis-decoded, or a line break where the
    value must stay on one line (--by becomes a git trailer)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise UsageError(
            _("{option}: the text is not valid UTF-8; type it again").format(option=option)
        ) from exc
    if CONTROL_CHARACTERS.search(text) or (one_line and ("\n" in text or "\t" in text)):
        raise UsageError(
            _("{option}: the text holds a control character or a line break; remove it").format(
                option=option
            )
        )
    return text.strip()


def month_value(option: str) -> Callable[[str], int]:
    """A parser for a month option that names the option in its error: --period: 没有13月."""

    def parse(text: str) -> int:
        from minsheng_cli.core.asof import parse_month  # dateutil: only when a month is given

        try:
            return parse_month(text)
        except UsageError as error:
            raise UsageError(f"{option}: {error.message}") from error

    return parse


def percent_value(text: str) -> float:
    from minsheng_cli.core.asof import parse_percent  # dateutil: only for --percent

    return parse_percent(text)


MonthOption = Annotated[
    int | None,
    typer.Option(
        "--month",
        "-m",
        help=_("Evaluate as of the last day of month N of the ledger's year (6 or 6月)."),
        parser=month_value("--month"),
        metavar="N",
    ),
]
UnitOption = Annotated[
    str | None,
    typer.Option("--unit", "-u", help=_("Only items of this 责任单位 (part of its name).")),
]
SiteOption = Annotated[
    str | None,
    typer.Option("--site", help=_("Only items carried out at this 实施点位 (part of its name).")),
]
LeaderOption = Annotated[
    str | None, typer.Option("--leader", "-l", help=_("Only items of this 责任领导."))
]
JsonOption = Annotated[
    bool, typer.Option("--json", help=_("Print JSON (see the README's contract)."))
]


def remember_as_recorded(ctx: typer.Context, value: str | None) -> str | None:
    """--as-recorded: the command's ledger is loaded as committed at that point."""
    if value is not None:
        from minsheng_cli.cli.common import workspace

        ctx.obj = workspace(ctx)._replace(as_recorded=value)
    return value


AsRecordedOption = Annotated[
    str | None,
    typer.Option(
        "--as-recorded",
        help=_(
            "The ledger as committed at this meeting, date or git revision (records added"
            " later are not known); --as-of still names the day evaluated."
        ),
        callback=remember_as_recorded,
        metavar="MEETING|DATE|REV",
    ),
]


# paperwork: `report`, `export` and their rollup counterparts
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help=_("Write to this file (its extension chooses the format); default: standard output."),
        dir_okay=False,
    ),
]
ForceOption = Annotated[
    bool, typer.Option("--force", help=_("Overwrite the output file if it exists."))
]
ReportMonthOption = Annotated[
    int | None,
    typer.Option(
        "--month",
        "-m",
        help=_("The monthly bulletin (月通报) for month N (1–12)."),
        parser=month_value("--month"),
        metavar="N",
    ),
]
QuarterOption = Annotated[
    int | None,
    typer.Option("--quarter", "-q", help=_("The quarterly report (季度报告) for quarter Q (1–4).")),
]
ReportFormatOption = Annotated[
    str | None,
    typer.Option("--format", "-f", help=_("md (default), html or docx.")),
]
