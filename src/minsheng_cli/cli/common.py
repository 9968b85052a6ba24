"""What every command shares: the workspace, the day asked about, and how output is printed."""

from __future__ import annotations

import codecs
import functools
import io
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TextIO

import typer

from minsheng_cli import clock
from minsheng_cli.errors import Problem, UsageError
from minsheng_cli.i18n import _, ngettext
from minsheng_cli.text import without_controls

if TYPE_CHECKING:
    from rich.console import Console

    from minsheng_cli.core.evaluate import ItemStatus, Milestones, MilestoneStatus, Snapshot
    from minsheng_cli.ledger.model import Item, Ledger
    from minsheng_cli.render.sheet import Parts
    from minsheng_cli.store.files import LoadResult

PIPE_WIDTH = 160


PLAIN_WIDTH = 10_000
"""Plain text for a pipe has no width to fit: the full layout, nothing cut off."""

GLYPH_FALLBACKS: dict[str, tuple[str, ...]] = {
    "✓": ("√", "v"),  # the done light (render.labels); GBK has √, ASCII has neither
    "█": ("#",),  # progress bars (render.tables)
    "░": (".",),
    "─": ("-",),  # rules
    "━": ("-",),
    "—": ("-",),  # "nothing" in a cell (render.tables, render.labels)
    "–": ("-",),  # ranges: 1–12
    "…": ("...",),  # a cell cut short
    "→": ("->",),
    "�": ("?",),  # a control character or a byte that was not UTF-8 (text.without_controls)
}
"""What the program itself draws, each with the signs to write instead, best first, on a
stream whose encoding lacks it (Chinese Windows writes redirected output in cp936, which has no
✓ and no ░). Anything else such a stream cannot carry is written as ?, never raised on."""

BARS = {"█": "#", "░": "."}
"""The two halves of a progress bar are drawn alike: both in ASCII when either is missing (GBK
has █ but not ░), as a pipe gets them (render.plain)."""

GLYPH_ERRORS = "minsheng-glyphs"
"""The codec error handler that writes GLYPH_FALLBACKS, set on standard output and error."""


def glyph_fallback(error: UnicodeError) -> tuple[str, int]:
    """A codec error handler: what the stream cannot encode, as signs it can."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    missing = error.object[error.start : error.end]
    return "".join(carried(char, error.encoding) for char in missing), error.end


@functools.cache
def carried(char: str, encoding: str) -> str:
    """``char``'s first fallback that ``encoding`` has, or ?."""
    for candidate in (char, *GLYPH_FALLBACKS.get(char, ())):
        try:
            candidate.encode(encoding)
        except UnicodeError:
            continue
        return candidate
    return "?"


def fit_streams() -> None:
    """Standard output and error write what their encoding lacks as fallbacks, never raising:
    on Chinese Windows output to a file or a pipe is cp936, whatever the program writes."""
    codecs.register_error(GLYPH_ERRORS, glyph_fallback)
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors != GLYPH_ERRORS:
            stream.reconfigure(errors=GLYPH_ERRORS)


def writes_unicode(stream: TextIO) -> bool:
    """Whether ``stream`` can carry every character (a UTF encoding), as Rich decides."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        return codecs.lookup(encoding).name.startswith("utf")
    except LookupError:
        return False


def drawn_for(stream: TextIO) -> str:
    """How the bars are written to ``stream``: translate() them into what it carries."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    return "".join(BARS) if all(carried(c, encoding) == c for c in BARS) else "".join(BARS.values())


def write_text(text: str, *, err: bool = False) -> None:
    """``text`` and a newline on standard output (or error), in what its encoding carries.

    Written to the stream itself, as the rest of the output is: Click's echo would put UTF-8
    on an ASCII stream behind the stream's back."""
    stream = sys.stderr if err else sys.stdout
    if not writes_unicode(stream):
        text = text.translate(str.maketrans("".join(BARS), drawn_for(stream)))
    stream.write(text + "\n")
    stream.flush()


def console(stderr: bool = False) -> Console:
    """Rich decides colour from the stream and NO_COLOR; a pipe gets plain, wide text."""
    from rich.console import Console  # only a terminal or a stderr progress bar needs Rich

    stream = sys.stderr if stderr else sys.stdout
    wide = None if stream.isatty() or os.environ.get("COLUMNS") else PIPE_WIDTH
    plain = "NO_COLOR" in os.environ  # no-color.org: any value, even empty, turns colour off
    return Console(
        file=stream,
        highlight=False,
        markup=False,
        emoji=False,
        width=wide,
        soft_wrap=stderr,  # an error or warning stays one line, however long
        color_system=None if plain else "auto",
    )


def say(message: str, *, err: bool = False) -> None:
    """One line for the clerk (standard error with ``err``): plain text, as it is, without Rich.

    A message is not a table: it needs no layout, and a long one is left for the terminal to
    wrap (and stays one line in a log). Control characters are shown as �.
    """

    write_text(without_controls(message), err=err)


class Context(NamedTuple):
    """The workspace -C named, or None: found from the current folder; and the point in its
    history the command reads the ledger at (--as-recorded), or None: the files as they are."""

    directory: Path | None
    as_recorded: str | None = None

    def root(self) -> Path:
        from minsheng_cli.store.load import resolve_root  # not for --help or --version

        return resolve_root(self.directory)

    def ledger(self) -> Ledger:
        if self.as_recorded is not None:
            return ledger_as_recorded(self.root(), self.as_recorded)
        from minsheng_cli.store.load import load_ledger  # not for --help or --version

        return load_ledger(self.root())


def ledger_as_recorded(root: Path, point: str) -> Ledger:
    """The ledger as committed at ``point`` (a meeting, a date or a git revision)."""
    from minsheng_cli.errors import LedgerProblems
    from minsheng_cli.write.history import resolve_point

    found = resolve_point(root, point)
    result = ledgers_at(root, [found.commit])[0]
    if result.errors:
        raise LedgerProblems([problem_at(p, found.commit) for p in result.errors], root)
    return result.ledger


def ledgers_at(root: Path, commits: list[str]) -> list[LoadResult]:
    """The ledger as each commit holds it: cached, or read from git's objects (all of them by
    one `git cat-file`), never checked out. LedgerProblems if a commit's minsheng.yaml is broken."""
    from minsheng_cli.store.blobs import cached_commit_ledger, load_blobs, store_commit_ledger
    from minsheng_cli.store.files import LoadResult
    from minsheng_cli.write.history import ledger_tree, read_blobs, task_paths

    listings = [ledger_tree(root, commit) for commit in commits]
    files = [task_paths(root, listing) for listing in listings]
    cached = [cached_commit_ledger(root, c, f) for c, f in zip(commits, files, strict=True)]
    missing = [index for index, ledger in enumerate(cached) if ledger is None]
    read = iter(read_blobs(root, [listings[index] for index in missing]))
    results = []
    for index, ledger in enumerate(cached):
        if ledger is not None:
            results.append(LoadResult(ledger, []))
            continue
        result = load_blobs(root, *next(read))
        store_commit_ledger(root, commits[index], files[index], result)
        results.append(result)
    return results


def problem_at(problem: Problem, commit: str) -> Problem:
    """A problem of a past commit's file, saying which commit it is in."""
    return problem._replace(
        message=_("{message} (as committed in {commit})").format(
            message=problem.message, commit=commit[:7]
        )
    )


def workspace(ctx: typer.Context) -> Context:
    """The workspace the global options named (set by the callback before any command runs)."""
    return ctx.obj if isinstance(ctx.obj, Context) else Context(None)


def snapshot_for(
    ctx: typer.Context, as_of: str | None, month: int | None, ledger: Ledger | None = None
) -> Snapshot:
    from minsheng_cli.core.asof import snapshot_as_of  # evaluation: only the read commands

    ledger, today = ledger_today(ctx, as_of, month, ledger)
    return snapshot_as_of(ledger, as_of, month, today)


def milestones_for(
    ctx: typer.Context,
    as_of: str | None,
    month: int | None,
    ledger: Ledger | None = None,
    *,
    only_due: bool = False,
) -> Milestones:
    """Only the milestones (list, overdue): half the work of a whole snapshot."""
    from minsheng_cli.core.asof import milestones_as_of  # evaluation: only the read commands

    ledger, today = ledger_today(ctx, as_of, month, ledger)
    return milestones_as_of(ledger, as_of, month, today, only_due=only_due)


def ledger_today(
    ctx: typer.Context, as_of: str | None, month: int | None, ledger: Ledger | None = None
) -> tuple[Ledger, date]:
    """The workspace's ledger (``ledger``, if already loaded) and today; a note when no date was
    asked and today is outside the ledger's year (so that an empty overdue list in 2026 does
    not read as "all done")."""
    ledger = workspace(ctx).ledger() if ledger is None else ledger
    today = clock.today()
    if as_of is None and month is None and today.year != ledger.year:
        say(
            _(
                "note: today ({today}) is outside the ledger's year {year}; add --month N or"
                " --as-of DATE to see the year as it stood then"
            ).format(today=today.isoformat(), year=ledger.year),
            err=True,
        )
    return ledger, today


def filtered_ledger(
    ctx: typer.Context, unit: str | None, leader: str | None, site: str | None = None
) -> Ledger:
    """The workspace's ledger, once --unit, --leader and --site are known to name something in
    it (a slip is said before anything else)."""
    ledger = workspace(ctx).ledger()
    known_filters(ledger, unit, leader, site)
    return ledger


def known_filters(
    ledger: Ledger, unit: str | None, leader: str | None, site: str | None = None
) -> None:
    """A --unit or --leader that matches no item of the ledger is a slip, not an empty answer
    (an empty overdue list would read as good news): say so, and list the names there are."""
    from minsheng_cli.core.units import names_unit, unit_names

    aliases = ledger.workspace.aliases
    for option, wanted, names in (
        ("--unit", unit, [name for item in ledger.items for name in unit_names(item)]),
        ("--leader", leader, [item.leader for item in ledger.items]),
        ("--site", site, [name for item in ledger.items for name in item.sites]),
    ):
        if wanted is None:
            continue
        if option == "--unit":
            found = any(names_unit(wanted, name, aliases) for name in names)
        else:
            found = any(wanted.strip() in name for name in names)
        if not found:
            raise UsageError(
                _("{option} “{value}” matches no item; the ledger has: {names}").format(
                    option=option, value=wanted, names="、".join(dict.fromkeys(names))
                )
            )


def of_unit_and_leader(
    item: Item, unit: str | None, leader: str | None, aliases: Mapping[str, str] | None = None
) -> bool:
    """--unit and --leader match part of a name (--unit 农业 finds 农业农村局); --unit also a
    unit's 简称 (人社 finds 人力资源和社会保障局) or an alias from minsheng.yaml, and names the
    lead unit or a partner."""
    from minsheng_cli.core.units import unit_role

    return (unit is None or unit_role(item, unit, aliases) is not None) and (
        leader is None or leader.strip() in item.leader
    )


def of_site(item: Item, site: str | None) -> bool:
    """--site matches part of one of the item's 实施点位 (--site 六盘山 finds 六盘山镇)."""
    return site is None or any(site.strip() in name for name in item.sites)


def print_json(items: Iterable[Any]) -> None:
    """A JSON array on standard output, written as its elements are made."""
    from minsheng_cli.render.json import array_chunks  # only with --json

    for chunk in array_chunks(items, ascii_only=not writes_unicode(sys.stdout)):
        sys.stdout.write(chunk)
    sys.stdout.write("\n")


def print_json_value(data: Any, *, indent: int | None = None) -> None:
    """One JSON value on standard output; escaped to ASCII when the stream is not UTF-8."""
    import json

    write_text(json.dumps(data, ensure_ascii=not writes_unicode(sys.stdout), indent=indent))


def stdout_is_terminal() -> bool:
    """As Rich decides (TTY_COMPATIBLE, then FORCE_COLOR, then the stream), without its console."""
    compatible = os.environ.get("TTY_COMPATIBLE", "")
    if compatible in ("0", "1"):
        return compatible == "1"
    return bool(os.environ.get("FORCE_COLOR")) or sys.stdout.isatty()


def terminal_width() -> int | None:
    """The terminal's width, or None when output goes to a pipe or a file."""
    return console().width if stdout_is_terminal() else None


def print_parts(parts: Parts) -> None:
    """Rich draws it for a terminal; a pipe or a file gets the same tables as aligned plain text."""
    if stdout_is_terminal():
        from minsheng_cli.render.terminal import to_rich  # Rich's layout: only on a terminal

        drawn = console()
        # sep: Rich joins consecutive lines of text with a space into one paragraph otherwise
        if writes_unicode(sys.stdout):
            drawn.print(*to_rich(parts, drawn.width), sep="\n")
            return
        with drawn.capture() as captured:  # Rich writes no ASCII bars: made so here
            drawn.print(*to_rich(parts, drawn.width), sep="\n")
        write_text(captured.get().removesuffix("\n"))
        return
    from minsheng_cli.render.plain import to_plain  # only through a pipe

    write_text(to_plain(parts))


def print_problems(problems: list[Problem], root: Path, errors: int) -> None:
    for problem in problems:
        line = problem.render(root)
        shown = _("warning: {message}").format(message=line) if problem.warning else line
        say(shown, err=True)
    if errors:
        say(
            ngettext("{count} problem found", "{count} problems found", errors).format(
                count=errors
            ),
            err=True,
        )


def print_overdue(snapshot: Milestones, late: list[MilestoneStatus], *, as_json: bool) -> None:
    """`overdue`'s output, a county's own or one member's in a rollup: the late milestones by
    leader and unit, or as JSON with each item's 连续N月滞后."""
    if as_json:
        from minsheng_cli.core.escalation import escalated
        from minsheng_cli.render.json import escalation_json, milestone_json

        slipping = escalated(snapshot.ledger, snapshot.as_of, snapshot.milestones)
        print_json(
            {**milestone_json(m), "escalation": escalation_json(slipping.get(m.item.ref))}
            for m in late
        )
    else:
        from minsheng_cli.render.tables import overdue_report

        print_parts(overdue_report(snapshot, late, terminal_width() or PLAIN_WIDTH))


def say_record_commit(commit: str | None, audit_off: bool) -> None:
    """After a record is written: its commit, or that the workspace keeps no audit trail."""
    if commit:
        say(_("committed {commit}").format(commit=commit))
    elif audit_off:
        say(
            _(
                "note: this workspace is not in a git repository, so no audit trail is kept"
                " (`minsheng init DIR` creates a workspace with one)"
            ),
            err=True,
        )


def print_status(snapshot: Snapshot, items: Sequence[ItemStatus], *, as_json: bool) -> None:
    """`status`'s output, a county's own or one member's in a rollup: a row per item, or JSON."""
    if as_json:
        from minsheng_cli.render.json import item_json

        print_json(item_json(s) for s in items)
        return
    from minsheng_cli.render.tables import status_table

    print_parts(status_table(snapshot, items, terminal_width() or PLAIN_WIDTH))
