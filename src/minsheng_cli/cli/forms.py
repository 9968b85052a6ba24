"""`minsheng forms` (one Excel form per unit, to fill) and `minsheng intake` (take them back).

openpyxl, the ledger and git are imported when one of these commands runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from minsheng_cli import clock
from minsheng_cli.cli.common import known_filters, print_json, say, say_record_commit, workspace
from minsheng_cli.cli.options import month_value
from minsheng_cli.errors import UsageError, WriteRefused
from minsheng_cli.i18n import _, ngettext

if TYPE_CHECKING:
    from minsheng_cli.write.batch import FormOutcome

commands = typer.Typer()

FormMonthOption = Annotated[
    int | None,
    typer.Option(
        "--month",
        "-m",
        parser=month_value("--month"),
        metavar="N",
        help=_("The month the forms are for (1–12); default: this month."),
    ),
]


@commands.command(
    help=_(
        "One Excel form per unit (责任单位, 配合单位) for a month: what the ledger knows, locked,"
        " and the cells to fill; taken back with `minsheng intake`."
    )
)
def forms(
    ctx: typer.Context,
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help=_("The folder to write the forms in.")),
    ],
    month: FormMonthOption = None,
    unit: Annotated[
        list[str] | None,
        typer.Option(
            "--unit",
            help=_("Only the units this names (part, 简称, alias); repeat it for more units."),
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help=_("Overwrite forms that exist in the folder."))
    ] = False,
) -> None:
    from minsheng_cli.paperwork.forms import form_bytes, form_units, plan_forms
    from minsheng_cli.write.batch import head_commit, root_commit

    context = workspace(ctx)
    root = context.root()
    ledger = context.ledger()
    for wanted in unit or []:
        known_filters(ledger, wanted, None)
    today = clock.today()
    chosen = month if month is not None else _this_month(today, ledger.year)
    units = form_units(ledger, unit or [])
    plans = plan_forms(ledger, chosen, today, units, root_commit(root), head_commit(root))
    _check_folder(output, [p.file_name for p in plans], force)
    for plan in plans:
        _write(output / plan.file_name, form_bytes(plan))
        say(
            ngettext(
                "wrote {file} ({rows} row, form {form})",
                "wrote {file} ({rows} rows, form {form})",
                len(plan.rows),
            ).format(file=output / plan.file_name, rows=len(plan.rows), form=_form(plan))
        )
    for left in sorted(set(units) - {p.unit for p in plans}, key=units.index):
        say(
            _("note: {unit} has nothing open in {month}月; no form").format(
                unit=left, month=chosen
            ),
            err=True,
        )


def _form(plan: Any) -> str:
    from minsheng_cli.core.formid import form_id

    return form_id(plan.identity)


def _this_month(today: Any, year: int) -> int:
    if today.year != year:
        raise UsageError(
            _("today ({today}) is outside the ledger's year {year}; give --month N").format(
                today=today.isoformat(), year=year
            )
        )
    month: int = today.month
    return month


def _check_folder(output: Path, names: list[str], force: bool) -> None:
    """The folder (made if its parent exists); no form overwritten without --force."""
    if output.exists() and not output.is_dir():
        raise UsageError(_("“{file}” is a file, not a folder").format(file=output))
    if not output.exists():
        if not output.parent.is_dir():
            raise UsageError(_("the folder of “{file}” does not exist").format(file=output))
        try:
            output.mkdir()
        except OSError as exc:
            raise WriteRefused(
                _("could not write {file} ({error})").format(file=output, error=exc.strerror or exc)
            ) from exc
    existing = [name for name in names if (output / name).exists()]
    if existing and not force:
        raise UsageError(
            _("“{file}” exists; use --force to overwrite").format(file=output / existing[0])
        )


def _write(path: Path, data: bytes) -> None:
    from minsheng_cli.store.atomic import write_atomic

    try:
        write_atomic(path, data)
    except OSError as exc:
        raise WriteRefused(
            _("could not write {file} ({error})").format(file=path, error=exc.strerror or exc)
        ) from exc


@commands.command(
    help=_(
        "Take in filled forms (.xlsx, or CSV saved from them): each filled row recorded as the"
        " update or done it stands for, one git commit per form; a form with any problem"
        " records nothing."
    )
)
def intake(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(help=_("The filled forms."))],
    month: Annotated[
        int | None,
        typer.Option(
            "--month",
            "-m",
            parser=month_value("--month"),
            metavar="N",
            help=_("The month taken in; default: the latest month of the forms given."),
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help=_("Show what would be recorded; record nothing."))
    ] = False,
    yes: Annotated[
        bool,
        typer.Option(
            "--yes",
            help=_(
                "Record values above 150% of their targets: the clerk has checked them with"
                " the unit."
            ),
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help=_("Output as JSON."))] = False,
) -> None:
    from minsheng_cli.paperwork.intake import read_form
    from minsheng_cli.write.batch import record_forms

    _check_files(files)
    root = workspace(ctx).root()
    today = clock.today()
    read = [(path, read_form(path, today, dry_run=dry_run)) for path in files]
    batches = [r.batch for _path, r in read if r.batch is not None]
    outcomes = iter(
        record_forms(root, batches, month, today, dry_run=dry_run, confirmed=yes, told=_say_warning)
    )
    failed = False
    reports: list[dict[str, Any]] = []
    for path, found in read:
        if found.batch is None:
            failed = True
            reports.append(_unreadable(path, found.problems, as_json))
            continue
        outcome = next(outcomes)
        failed |= bool(outcome.problems or outcome.audit_problem)
        reports.append(_reported(outcome, dry_run, as_json))
    if as_json:
        print_json(reports)
    if failed:
        raise typer.Exit(1)


def _say_warning(message: str) -> None:
    say(_("warning: {message}").format(message=message), err=True)


def _check_files(files: list[Path]) -> None:
    """Each form named is a file that is there: a folder or a slip of the name is a usage
    error (exit 2), said in one line, before anything is read or recorded."""
    for path in files:
        if path.is_dir():
            raise UsageError(
                _("“{file}” is a folder; name the form files in it (e.g. {example})").format(
                    file=path, example=path / "*.xlsx"
                )
            )
        if not path.exists():
            raise UsageError(_("“{file}” does not exist").format(file=path))


def _unreadable(path: Path, problems: list[str], as_json: bool) -> dict[str, Any]:
    if not as_json:
        for problem in problems:
            say(problem, err=True)
        say(_("{file}: nothing recorded from this form").format(file=path.name), err=True)
    return {
        "file": path.name,
        "form": None,
        "unit": None,
        "month": None,
        "status": "refused",
        "records": [],
        "commit": None,
        "problems": problems,
        "warnings": [],
    }


def _reported(outcome: FormOutcome, dry_run: bool, as_json: bool) -> dict[str, Any]:
    batch = outcome.batch
    status = _status(outcome, dry_run)
    if not as_json:
        _say_outcome(outcome, status)
    return {
        "file": batch.file,
        "form": outcome.form,
        "unit": batch.identity.unit,
        "month": batch.identity.month,
        "status": status,
        "records": [{"item": p.item.ref, "summary": p.summary} for p in outcome.records],
        "commit": outcome.commit or outcome.taken_before,
        "problems": outcome.problems + ([outcome.audit_problem] if outcome.audit_problem else []),
        "warnings": outcome.warnings,
    }


def _status(outcome: FormOutcome, dry_run: bool) -> str:
    if outcome.problems:
        return "refused"
    if outcome.taken_before or outcome.repeats:
        return "already_taken"
    if not outcome.records:
        return "empty"
    return "would_record" if dry_run else "recorded"


def _say_outcome(outcome: FormOutcome, status: str) -> None:
    batch = outcome.batch
    who = f"{batch.identity.unit} {batch.identity.month}月"
    if status == "refused":
        for problem in outcome.problems:
            say(problem, err=True)
        say(_("{file}: nothing recorded from this form").format(file=batch.file), err=True)
        return
    if status == "already_taken" and outcome.repeats:
        say(
            _(
                "{file}: the same filling as {first} above ({who}); nothing more would be recorded"
            ).format(file=batch.file, first=outcome.repeats, who=who)
        )
        return
    if status == "already_taken":
        say(
            _(
                "{file}: this form ({who}) was already taken in by commit {commit}; nothing"
                " recorded"
            ).format(file=batch.file, who=who, commit=outcome.taken_before)
        )
        return
    if status == "empty":
        say(
            _("{file}: nothing filled in ({who}); nothing recorded").format(
                file=batch.file, who=who
            )
        )
        return
    heading = (
        ngettext(
            "{file}: would record {count} record for {who}:",
            "{file}: would record {count} records for {who}:",
            len(outcome.records),
        )
        if status == "would_record"
        else ngettext(
            "{file}: recorded {count} record for {who}:",
            "{file}: recorded {count} records for {who}:",
            len(outcome.records),
        )
    )
    say(heading.format(file=batch.file, count=len(outcome.records), who=who))
    for planned in outcome.records:
        say(f"  {planned.summary}")
    for warning in outcome.warnings:
        say(_("warning: {message}").format(message=warning), err=True)
    say_record_commit(outcome.commit, outcome.audit_off)
    if outcome.audit_problem:
        say(_("error: {message}").format(message=outcome.audit_problem), err=True)
