"""The options several commands share, defined once (help texts translated at import)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from minsheng_cli.i18n import _

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
MonthOption = Annotated[
    int | None,
    typer.Option(
        "--month", "-m", help=_("Evaluate as of the last day of month N of the ledger's year.")
    ),
]
UnitOption = Annotated[
    str | None,
    typer.Option("--unit", "-u", help=_("Only items of this 责任单位 (part of its name).")),
]
LeaderOption = Annotated[
    str | None, typer.Option("--leader", "-l", help=_("Only items of this 责任领导."))
]
JsonOption = Annotated[
    bool, typer.Option("--json", help=_("Print JSON (see the README's contract)."))
]
