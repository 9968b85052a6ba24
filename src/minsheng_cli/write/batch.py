"""Taking in filled forms: every row of a form checked as `update` and `done` check it, then all
of its records written and ONE git commit, or nothing at all.

The whole intake holds the workspace lock and reads the ledger once; each form's records are
added to the ledger in memory as they are checked, so that a later row (or form) is checked
against what an earlier one recorded. A form with any refused row records nothing: its
records are taken back out of the ledger in memory, and each problem is returned as one line
naming the form's cell. The commit names the unit and month in its subject; its trailers, the
items touched (``Minsheng-Item``, so `log REF` lists it), the reporter, and the form's id, file
name and content hash, by which a form taken in again is recognised.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from minsheng_cli.core.formid import Identity, RowKey, form_id, text_digest
from minsheng_cli.core.units import unit_names
from minsheng_cli.errors import GitError, LedgerProblems, UsageError, WriteRefused
from minsheng_cli.i18n import _
from minsheng_cli.ledger.build import build_project
from minsheng_cli.ledger.model import PERCENT_KEY, Item, Ledger, Milestone, Record
from minsheng_cli.store.atomic import clear_leftovers, workspace_lock, write_atomic
from minsheng_cli.store.load import TASKS_DIR, load_ledger, read_project_data
from minsheng_cli.write.actions import (
    commit_pending,
    tick_identity,
    tick_message,
    update_message,
)
from minsheng_cli.write.audit import (
    CONTENT_TRAILER,
    FIELD,
    FILE_TRAILER,
    FORM_TRAILER,
    ITEM_TRAILER,
    RECORD,
    REPORTER_TRAILER,
    commit,
    in_work_tree,
    ready_to_commit,
    relative,
    run_git,
)
from minsheng_cli.write.intent import begin, end, put_back, recover
from minsheng_cli.write.record import (
    Update,
    ValueRefused,
    appended,
    check_tick,
    check_update,
    repeated_record,
)


class FormValue(NamedTuple):
    """A measure filled in a form's row: the cumulative value as of ``day``."""

    where: str
    """The cell, as messages name it: 表.xlsx!填报表!K12."""
    row: RowKey
    value: float
    day: date
    note: str = ""


class FormTick(NamedTuple):
    """A milestone the form says is done (是), on ``day``."""

    where: str
    row: RowKey
    day: date
    evidence: str = ""
    note: str = ""


class FormBatch(NamedTuple):
    """One filled form as read: its identity, what was filled, and where to point at it."""

    file: str
    """The form's file name, for the commit's trailer."""
    header: str
    """Where form-wide problems are pointed at (the form's title, naming its ledger):
    表.xlsx!填报表!A1."""
    month_cell: str
    """The cell that shows the form's month (填报月份): 表.xlsx!填报表!E2."""
    identity: Identity
    content: str
    """The hash of what was filled (core.formid.content_hash)."""
    person: str
    values: tuple[FormValue, ...]
    ticks: tuple[FormTick, ...]
    warnings: tuple[str, ...] = ()
    """What was read but is worth a word (报送人 left blank)."""
    problems: tuple[str, ...] = ()
    """What could not be read (a word for a number, a wrong date): each one line naming its
    cell. The rows read are still checked, so that every problem of the form is listed."""


class Workplace(NamedTuple):
    """What a form must have been made for to be taken in here: this ledger, this month."""

    title: str
    year: int
    root: str
    month: int


def months_taken(batches: Sequence[FormBatch], month: int | None) -> int:
    """The month an intake takes in: --month, else the latest month of the forms given (so a
    form left over from an earlier month, taken in with this month's, is refused)."""
    if month is not None:
        return month
    return max((b.identity.month for b in batches), default=0)


class Taken(NamedTuple):
    commit: str
    content: str


@dataclass(slots=True)
class Planned:
    item: Item
    fields: dict[str, Any]
    summary: str


@dataclass(slots=True)
class FormOutcome:
    batch: FormBatch
    records: list[Planned] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    commit: str | None = None
    taken_before: str | None = None
    """The commit that took in this very filling already: nothing recorded this time."""
    repeats: str | None = None
    """--dry-run: the file of an earlier form of this intake with this very filling."""
    audit_problem: str | None = None
    audit_off: bool = False

    @property
    def form(self) -> str:
        return form_id(self.batch.identity)


def root_commit(root: Path) -> str:
    """The first commit of the workspace's history: with its title and year, the workspace's
    identity (a copy of the folder is the same workspace; a ledger started afresh is not).
    Empty outside git or before the first commit."""
    try:
        if not in_work_tree(root):
            return ""
    except GitError:
        return ""
    found = run_git(root, "rev-list", "--max-parents=0", "HEAD", check=False)
    roots = found.stdout.split()
    return roots[-1] if found.returncode == 0 and roots else ""


def head_commit(root: Path) -> str:
    try:
        if not in_work_tree(root):
            return ""
    except GitError:
        return ""
    found = run_git(root, "rev-parse", "HEAD", check=False)
    return found.stdout.strip() if found.returncode == 0 else ""


def forms_taken(root: Path) -> dict[str, list[Taken]]:
    """Every form taken in so far, by form id: the commits and the content hashes they took."""
    fmt = (
        f"{RECORD}%h{FIELD}%(trailers:key={FORM_TRAILER},valueonly)"
        f"{FIELD}%(trailers:key={CONTENT_TRAILER},valueonly)"
    )
    found = run_git(root, "log", f"--format={fmt}", check=False)
    taken: dict[str, list[Taken]] = {}
    for chunk in found.stdout.split(RECORD):
        parts = chunk.split(FIELD)
        if len(parts) < 3 or not parts[1].strip():
            continue
        content = parts[2].strip().removeprefix("sha256:")
        taken.setdefault(parts[1].strip(), []).append(Taken(parts[0].strip(), content))
    return taken


def record_forms(
    root: Path,
    batches: Sequence[FormBatch],
    month: int | None,
    today: date,
    *,
    dry_run: bool = False,
    confirmed: bool = False,
    told: Callable[[str], None] | None = None,
) -> list[FormOutcome]:
    """Check and record each form in turn: all of a form's rows or none, one commit per form.
    ``month``: the month taken in (None: the latest month of the forms); ``confirmed``: the clerk
    has checked the values above 150% of their targets with the unit (--yes); ``told``: given
    the line saying that an intake stopped earlier was undone (write.intent)."""
    with workspace_lock(root):
        clear_leftovers((root, root / TASKS_DIR))
        restored = recover(root)
        if restored and told:
            told(restored)
        ledger = load_ledger(root)
        git = _in_git(root)
        ws = ledger.workspace
        place = Workplace(ws.title, ws.year, root_commit(root), months_taken(batches, month))
        taken = forms_taken(root) if git else {}
        items = {item.ref: item for item in ledger.items}
        outcomes = []
        planned: dict[tuple[str, str], str] = {}
        for batch in batches:
            outcome = FormOutcome(batch)
            outcomes.append(outcome)
            outcome.repeats = planned.get((outcome.form, batch.content))
            if outcome.repeats or _recognised(outcome, taken) or _misplaced(outcome, place):
                continue
            before = dict(items)
            outcome.problems += batch.problems
            outcome.warnings += batch.warnings
            _plan(outcome, items, ledger, today, confirmed)
            if outcome.problems:
                items.clear()
                items.update(before)
                continue
            if dry_run or not outcome.records:
                if outcome.records:  # nothing written: a copy of it after is told apart here
                    planned[(outcome.form, batch.content)] = batch.file
                continue
            _take_in(root, outcome, ledger, git)
            if outcome.problems:  # nothing of it was recorded: the later forms go on without it
                items.clear()
                items.update(before)
            elif outcome.commit:
                taken.setdefault(outcome.form, []).append(Taken(outcome.commit, batch.content))
        return outcomes


def _in_git(root: Path) -> bool:
    try:
        return in_work_tree(root)
    except GitError:
        return False


def _recognised(outcome: FormOutcome, taken: Mapping[str, list[Taken]]) -> bool:
    """A form taken in before: the same filling records nothing and says so; a different
    filling of the same form is refused (the first one stands)."""
    earlier = taken.get(outcome.form, [])
    same = next((t for t in earlier if t.content == outcome.batch.content), None)
    if same is not None:
        outcome.taken_before = same.commit
        return True
    if earlier:
        outcome.problems.append(
            _(
                "{where}: this form ({form}) was already taken in, with other values, by commit"
                " {commit}; a form is taken in once. Record the changes with `minsheng update`"
                " or `minsheng done`, or make a new form with `minsheng forms`"
            ).format(where=outcome.batch.header, form=outcome.form, commit=earlier[0].commit)
        )
        return True
    return False


def _misplaced(outcome: FormOutcome, place: Workplace) -> bool:
    """A form made for another ledger, or for another month than the one being taken in."""
    identity = outcome.batch.identity
    where = outcome.batch.header
    if (identity.title, identity.year) != (place.title, place.year) or (
        identity.root and place.root and identity.root != place.root
    ):
        outcome.problems.append(
            _(
                "{where}: this form was made for another ledger ({title}, {year}), not this"
                " workspace's; take it in where it was made"
            ).format(where=where, title=identity.title, year=identity.year)
        )
    elif identity.month != place.month:
        where = outcome.batch.month_cell
        outcome.problems.append(
            _(
                "{where}: this form is for {month}月, and this intake is for {wanted}月; take it"
                " in with --month {month} if its figures are still to be recorded, or send the"
                " unit the {wanted}月 form"
            ).format(where=where, month=identity.month, wanted=place.month)
        )
    return bool(outcome.problems)


def _plan(
    outcome: FormOutcome, items: dict[str, Item], ledger: Ledger, today: date, confirmed: bool
) -> None:
    """Check every filled row, adding each checked record to ``items`` (in memory); every row's
    problem is listed, each pointing at the cell that holds the value."""
    batch = outcome.batch
    groups: dict[tuple[str, date], list[FormValue]] = {}
    for value in sorted(batch.values, key=lambda v: v.day):
        groups.setdefault((value.row.item, value.day), []).append(value)
    for (_ref, day), values in groups.items():
        item = _item_of(outcome, items, values[0].where, values[0].row)
        if item is None:
            continue
        note = "；".join(dict.fromkeys(v.note for v in values if v.note))
        update = Update(
            day, {v.row.name: v.value for v in values}, reporter(batch), note, False, confirmed
        )
        earlier = repeated_record(item, update)
        if earlier is not None:
            outcome.problems.append(_repeated(values[0].where, item, update, earlier))
            continue
        accepted = [v for v in values if _value_accepted(outcome, item, update, v, ledger, today)]
        if accepted:
            update = replace(update, values={v.row.name: v.value for v in accepted})
            checked = check_update(item, update, ledger.workspace, today)
            _add(outcome, items, item, checked.fields, update_message(item, checked.fields, day))
    for tick in batch.ticks:
        _plan_tick(outcome, items, ledger, today, tick)


def _value_accepted(
    outcome: FormOutcome,
    item: Item,
    update: Update,
    value: FormValue,
    ledger: Ledger,
    today: date,
) -> bool:
    """One row's value checked on its own: its problem, or its warnings, named by its cell."""
    alone = replace(update, values={value.row.name: value.value})
    try:
        checked = check_update(item, alone, ledger.workspace, today)
    except UsageError as error:
        outcome.problems.append(_at(value.where, _form_wording(error)))
        return False
    outcome.warnings += [_at(value.where, w) for w in checked.warnings]
    return True


def _plan_tick(
    outcome: FormOutcome, items: dict[str, Item], ledger: Ledger, today: date, tick: FormTick
) -> None:
    batch = outcome.batch
    item = _item_of(outcome, items, tick.where, tick.row)
    milestone = None if item is None else _milestone_of(outcome, item, tick)
    if item is None or milestone is None:
        return
    period = tick.row.period or None
    try:
        check_tick(item, milestone, tick.day, False, period, ledger.workspace, today)
    except UsageError as error:
        outcome.problems.append(_at(tick.where, error.message))
        return
    fields: dict[str, Any] = {"date": tick.day, "item": item.number, "by": reporter(batch)}
    fields["done"] = milestone.text
    fields.update(tick_identity(item, milestone))
    if period is not None:
        fields["period"] = period
    if tick.evidence:
        fields["evidence"] = tick.evidence
    if tick.note:
        fields["note"] = tick.note
    _add(outcome, items, item, fields, tick_message(item, milestone, tick.day, period, False))


def reporter(batch: FormBatch) -> str:
    """Who reported the form's records, as `by:` and the Reported-by trailer say it:
    the unit, and the person of 报送人 when it was filled (农业农村局（张三）)."""
    return batch.identity.unit + (f"（{batch.person}）" if batch.person else "")


def _at(where: str, problem: str) -> str:
    return _("{where}: {problem}").format(where=where, problem=problem)


def _form_wording(error: UsageError) -> str:
    """A refused value as the clerk and the unit act on it: the form's cells and commands, not
    the options of `update`."""
    if not isinstance(error, ValueRefused):
        return error.message
    facts = error.facts
    if error.rule == "percent":
        return _("{name} must be between 0 and 100, not {value}").format(**facts)
    if error.rule == "below":
        return _(
            "{name} {value} is below the last recorded {last}; values are cumulative. If {last}"
            " was wrong, the office records the right number with `minsheng update --correct`"
        ).format(**facts)
    if error.rule == "above":
        return _(
            "{name} {value} is above the {later} already recorded for {day}; values are"
            " cumulative. Check the row's date (the day of this figure); if {later} was wrong,"
            " the office records the right number with `minsheng update --correct`"
        ).format(**facts)
    return _(
        "{name} {value}{unit} is {share}% of the target {total}{unit}, more than 150%. Check the"
        " number with the unit; if it is right, take the form in with `minsheng intake --yes`"
    ).format(**facts)


def _repeated(where: str, item: Item, update: Update, earlier: Record) -> str:
    """The same figures, day and unit as a record already in the file (a form taken in twice
    where git cannot tell: outside a repository)."""
    values = {k: v for k, v in update.values.items() if k != PERCENT_KEY}
    fields: dict[str, Any] = {"set": values}
    if PERCENT_KEY in update.values:
        fields[PERCENT_KEY] = update.values[PERCENT_KEY]
    summary = update_message(item, fields, update.day)
    line = f"{item.file.name}:{earlier.line}" if earlier.line else item.file.name
    message = _("the same record ({summary}) is already in {where}; nothing new was recorded")
    return _at(where, message.format(summary=summary, where=line))


def _item_of(
    outcome: FormOutcome, items: Mapping[str, Item], where: str, row: RowKey
) -> Item | None:
    """The row's item, if the ledger still has it under the same number, for the same unit."""
    item = items.get(row.item)
    if item is None or text_digest(item.project_name, item.content) != row.digest:
        outcome.problems.append(
            _(
                "{where}: the row is for item {ref} as it was when the form was made, and the"
                " ledger's items were renumbered or reworded since; make a new form with"
                " `minsheng forms`"
            ).format(where=where, ref=row.item)
        )
        return None
    if outcome.batch.identity.unit not in unit_names(item):
        outcome.problems.append(
            _(
                "{where}: item {ref} is no longer {unit}'s (its units now: {units}); make a new"
                " form with `minsheng forms`"
            ).format(
                where=where,
                ref=item.ref,
                unit=outcome.batch.identity.unit,
                units="、".join(unit_names(item)),
            )
        )
        return None
    return item


def _milestone_of(outcome: FormOutcome, item: Item, tick: FormTick) -> Milestone | None:
    milestone = next((m for m in item.milestones if m.number == tick.row.milestone), None)
    if milestone is None or milestone.text != tick.row.name:
        outcome.problems.append(
            _(
                "{where}: {ref}#{number} is no longer “{text}” (the item's milestones changed"
                " since the form was made); make a new form with `minsheng forms`"
            ).format(where=tick.where, ref=item.ref, number=tick.row.milestone, text=tick.row.name)
        )
        return None
    return milestone


def _add(
    outcome: FormOutcome, items: dict[str, Item], item: Item, fields: dict[str, Any], summary: str
) -> None:
    """The checked record, planned and added to the item in memory for the rows after it."""
    outcome.records.append(Planned(item, fields, summary))
    items[item.ref] = item._replace(records=(*item.records, _as_record(fields)))


def _as_record(fields: Mapping[str, Any]) -> Record:
    values = dict(fields.get("set", {}))
    if "percent" in fields:
        values[PERCENT_KEY] = fields["percent"]
    return Record(
        date=fields["date"],
        item=fields["item"],
        by=fields.get("by", ""),
        note=fields.get("note", ""),
        values=values,
        done=fields.get("done"),
        period=fields.get("period"),
        evidence=fields.get("evidence", ""),
        track=fields.get("track"),
        deadline=fields.get("deadline"),
    )


def _take_in(root: Path, outcome: FormOutcome, ledger: Ledger, git: bool) -> None:
    """Write the form's records and commit them, or leave nothing of the form: a refusal, a
    failed write or commit, an interrupt, each puts its files back as they were. What went wrong
    is the form's problem, so that the forms after it go on and every one is reported."""
    try:
        if git:
            ready_to_commit(root)
        new = _new_texts(root, outcome, ledger, git)
        intent = begin(root, outcome.form, outcome.batch.content, new)
        try:
            _write(outcome, new)
            if git:
                _commit_form(root, outcome)
        except BaseException:
            put_back(root, intent)
            raise
        end(root)
    except LedgerProblems as error:
        outcome.problems += [
            _at(outcome.batch.header, p.render(error.root)) for p in error.problems
        ]
    except (WriteRefused, GitError) as error:
        outcome.problems.append(_at(outcome.batch.header, error.message))
    except OSError as exc:  # the intent file itself, or putting a file back
        outcome.problems.append(
            _at(
                outcome.batch.header,
                _(
                    "could not write the form's files ({error}); run `minsheng doctor` before"
                    " taking it in again"
                ).format(error=exc.strerror or exc),
            )
        )
    if not git and not outcome.problems:
        outcome.audit_off = True


def _new_texts(root: Path, outcome: FormOutcome, ledger: Ledger, git: bool) -> dict[Path, bytes]:
    """Each file's text with the form's records appended, validated as the ledger loads it;
    first, what a file held that git had not seen gets its own commits (GitError if it cannot:
    the form's commit would carry it)."""
    files: dict[Path, list[dict[str, Any]]] = {}
    for planned in outcome.records:
        files.setdefault(planned.item.file, []).append(planned.fields)
    for file in files if git else ():
        failed = commit_pending(root, file, ledger.items, True)[1]
        if failed is not None:
            raise failed
    workspace = ledger.workspace
    new: dict[Path, bytes] = {}
    for file, records in files.items():
        shown = relative(root, file)
        text = file.read_bytes()
        for fields in records:
            text = appended(text, fields, shown)
        data = read_project_data(file, text)
        problems = data if isinstance(data, list) else build_project(data, file, workspace)[1]
        errors = [p for p in problems if not p.warning]
        if errors:
            raise LedgerProblems(errors, workspace.root)
        new[file] = text
    return new


def _write(outcome: FormOutcome, new: Mapping[Path, bytes]) -> None:
    """Every file replaced by its new text; the caller puts them back on any failure."""
    for file, text in new.items():
        try:
            write_atomic(file, text)
        except OSError as exc:
            raise WriteRefused(
                _(
                    "could not write {file} ({error}); nothing of the form {form} was recorded"
                ).format(file=file.name, error=exc.strerror or exc, form=outcome.form)
            ) from exc


def form_subject(outcome: FormOutcome) -> str:
    """`intake 农业农村局 2023年6月: 3 records (form 1a2b3c4d5e6f)`: the commit's subject."""
    identity = outcome.batch.identity
    count = len(outcome.records)
    return (
        f"intake {identity.unit} {identity.year}年{identity.month}月: {count}"
        f" record{'s' if count != 1 else ''} (form {outcome.form})"
    )


def _commit_form(root: Path, outcome: FormOutcome) -> None:
    """The form's one commit, with its trailers; GitError (git's reason) if it cannot be made."""
    batch = outcome.batch
    refs = dict.fromkeys(p.item.ref for p in outcome.records)
    trailers = {
        ITEM_TRAILER: ", ".join(refs),
        REPORTER_TRAILER: reporter(batch),
        FORM_TRAILER: outcome.form,
        FILE_TRAILER: batch.file,
        CONTENT_TRAILER: f"sha256:{batch.content}",
    }
    body = "\n".join(p.summary for p in outcome.records)
    files = list(dict.fromkeys(p.item.file for p in outcome.records))
    try:
        outcome.commit = commit(root, files, form_subject(outcome), trailers, body)
    except GitError as error:
        cause = error.__cause__
        detail = cause.message if isinstance(cause, GitError) else error.message
        raise GitError(
            _(
                "git could not commit the form ({detail}); its files were put back, nothing of"
                " it was recorded: take it in again once git can commit"
            ).format(detail=detail)
        ) from error
