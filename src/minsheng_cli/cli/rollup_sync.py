"""`minsheng rollup init|add|remove|list|sync`: the rollup workspace and its members' mirrors."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from minsheng_cli.cli.common import say
from minsheng_cli.cli.rollup_common import rollup_root
from minsheng_cli.errors import EXIT_PROBLEMS, GitError, UsageError
from minsheng_cli.i18n import _, ngettext
from minsheng_cli.rollup.state import shown_time

if TYPE_CHECKING:
    from minsheng_cli.rollup.config import Member
    from minsheng_cli.rollup.state import MemberState
    from minsheng_cli.rollup.sync import Synced, SyncReport
    from minsheng_cli.rollup.workspace import Committed

commands = typer.Typer()

JsonOption = Annotated[bool, typer.Option("--json", help=_("Print JSON instead of a table."))]


def say_committed(committed: Committed | None) -> None:
    """The rollup's commit of a change, or why git could not make it (exit 1, change kept)."""
    if committed is None:
        return
    if committed.commit:
        say(_("committed {commit}").format(commit=committed.commit))
    elif committed.note:
        raise GitError(committed.note)


@commands.command(
    "init", help=_("Create a rollup workspace (rollup.yaml) with its own git repository.")
)
def init(
    directory: Annotated[Path, typer.Argument(help=_("The folder for the rollup workspace."))],
    title: Annotated[str, typer.Option("--title", help=_("The rollup's title."), metavar="T")] = "",
    level: Annotated[
        str, typer.Option("--level", help=_("The office that reads it: 市 or 省."))
    ] = "市",
) -> None:
    from minsheng_cli.rollup.workspace import create_rollup

    root, committed = create_rollup(directory, title, level)
    say(_("created {folder}").format(folder=root))
    say_committed(committed)


@commands.command("add", help=_("Add a member county's ledger: its name and git URL or path."))
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help=_("The member's name in the rollup (the county)."))],
    url: Annotated[
        str,
        typer.Argument(help=_("Where git fetches its ledger: a URL, a path, or a bundle file.")),
    ],
    branch: Annotated[
        str | None,
        typer.Option(
            "--branch",
            help=_("The branch to read; default: the server's default branch (else main)."),
            metavar="B",
        ),
    ] = None,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help=_(
                "Change the URL and branch of the member of that name, in its place, keeping"
                " the commit read."
            ),
        ),
    ] = False,
) -> None:
    from minsheng_cli.rollup.config import Member
    from minsheng_cli.rollup.workspace import add_member

    root = rollup_root(ctx)
    where = as_given(url.strip())
    chosen = branch.strip() if branch is not None else default_branch(root, where)
    added = Member(name.strip(), where, chosen)
    committed = add_member(root, added, replace=replace)
    said = (
        _("changed {name} to {url}, branch {branch}; run `minsheng rollup sync` to fetch it")
        if replace
        else _("added {name} ({url}, branch {branch}); run `minsheng rollup sync` to fetch it")
    )
    say(said.format(name=added.name, url=added.url, branch=added.branch))
    say_committed(committed)


ASK_TIMEOUT = 10.0
"""How long `add` waits for the server to name its default branch."""


def default_branch(root: Path, url: str) -> str:
    """The branch a member is read at when `add` is given none: the server's default (a county's
    `git init` may have made master, not main), else main."""
    from minsheng_cli.rollup.fetch import server_branches

    return server_branches(root, url, ASK_TIMEOUT)[1] or "main"


def as_given(url: str) -> str:
    """A local path as an absolute one (the rollup may be run from any folder); a URL as is."""
    if "://" in url or url.startswith("ext::") or not Path(url).exists():
        return url
    return str(Path(url).resolve())


@commands.command("remove", help=_("Take a member out of the rollup (its mirror is deleted)."))
def remove(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help=_("The member's name."))],
) -> None:
    from minsheng_cli.rollup.workspace import remove_member

    committed = remove_member(rollup_root(ctx), name)
    say(_("removed {name}").format(name=name))
    say_committed(committed)


@commands.command("list", help=_("The rollup's members: URL, branch, the commit read, stale."))
def list_members(ctx: typer.Context, as_json: JsonOption = False) -> None:
    from minsheng_cli.rollup.config import read_config
    from minsheng_cli.rollup.state import read_checked, read_state

    root = rollup_root(ctx)
    loaded = read_config(root)
    states = read_state(root)
    checked = read_checked(root)
    if as_json:
        from minsheng_cli.cli.common import print_json

        members = loaded.config.members
        print_json(member_json(m, states.get(m.name), checked.get(m.name)) for m in members)
    else:
        print_members(loaded.config.title, loaded.config.members, states, checked)
    for problem in loaded.problems:
        say(problem, err=True)
    if loaded.problems:
        raise typer.Exit(EXIT_PROBLEMS)


def member_json(
    member: Member, state: MemberState | None, checked: str | None = None
) -> dict[str, Any]:
    from minsheng_cli.rollup.state import MemberState

    state = state or MemberState()
    return {
        "name": member.name,
        "url": member.url,
        "branch": member.branch,
        "commit": state.commit,
        "read_at": state.read_at,
        "checked_at": checked,
        "stale_reason": state.stale_reason,
        "stale_since": state.stale_since,
    }


def print_members(
    title: str,
    members: tuple[Member, ...],
    states: dict[str, MemberState],
    checked: dict[str, str],
) -> None:
    from minsheng_cli.cli.common import print_parts
    from minsheng_cli.render.sheet import Column, Sheet, Span

    if not members:
        say(_("{title}: no members yet; add one with `minsheng rollup add NAME URL`").format(
            title=title))  # fmt: skip
        return
    rows = []
    for member in members:
        state = states.get(member.name)
        commit = state.commit[:7] if state and state.commit else "—"
        if state is None:
            shown: str | Span = _("not synced yet")
        elif state.stale:
            shown = Span(_("stale: {reason}").format(reason=state.stale_reason), "red")
        else:
            shown = _("read {when}").format(when=shown_time(state.read_at))
            if checked.get(member.name, "") > (state.read_at or ""):
                shown += _("; nothing new at {when}").format(when=shown_time(checked[member.name]))
        rows.append((member.name, member.url, member.branch, commit, shown))
    columns = (
        Column(_("Member"), no_wrap=True),
        Column(_("URL"), overflow="fold"),
        Column(_("Branch"), no_wrap=True),
        Column(_("Commit"), no_wrap=True),
        Column(_("State"), overflow="fold"),
    )
    print_parts((Sheet(title, columns, rows),))


def default_jobs() -> int:
    return min(8, (os.cpu_count() or 1) * 2)


@commands.command(
    "sync",
    help=_(
        "Fetch every member with git (or read `git bundle` files) and read its newest commit;"
        " a member that cannot be read keeps its last good commit and is marked stale."
    ),
)
def sync(
    ctx: typer.Context,
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help=_("With --bundle: the bundle files to read."), show_default=False, metavar="FILE…"
        ),
    ] = None,
    bundle: Annotated[
        bool,
        typer.Option(
            "--bundle", help=_("Read the members' `git bundle` files (FILE…) instead of fetching.")
        ),
    ] = False,
    member: Annotated[
        list[str] | None,
        typer.Option(
            "--member",
            help=_(
                "Sync only this member (repeatable); with one bundle: the member it belongs to."
            ),
            metavar="NAME",
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs", "-j", help=_("How many members to fetch at once."), min=1, metavar="N"
        ),
    ] = None,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout", help=_("Seconds each member's fetch may take."), min=0.1, metavar="S"
        ),
    ] = 120.0,
    accept_rewrite: Annotated[
        list[str] | None,
        typer.Option(
            "--accept-rewrite",
            help=_("Take this member's rewritten history (after a force-push) as good."),
            metavar="NAME",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    from minsheng_cli.rollup.sync import sync_workspace

    if files and not bundle:
        raise UsageError(
            _("files are read only with --bundle: `minsheng rollup sync --bundle FILE…`")
        )
    if bundle and not files:
        raise UsageError(
            _("--bundle needs the bundle files: `minsheng rollup sync --bundle FILE…`")
        )
    if bundle and member and len(member) != 1:
        raise UsageError(
            _("with --bundle, --member names the one member the files belong to; give it once")
        )
    bundles = [bundle_file(file) for file in files or []]
    root = rollup_root(ctx)
    with fetch_progress() as (started, advance):
        report = sync_workspace(
            root,
            jobs=jobs or default_jobs(),
            timeout=timeout,
            bundles=bundles,
            bundle_member=member[0] if bundle and member else None,
            only=() if bundle else tuple(member or ()),
            accept_rewrite=frozenset(accept_rewrite or ()),
            on_start=started,
            on_fetched=lambda _member: advance(),
        )
    if as_json:
        from minsheng_cli.cli.common import print_json_value

        print_json_value(sync_json(report), indent=2)
    else:
        print_summary(report)
        say_committed(report.committed)
    if report.failed:
        raise typer.Exit(EXIT_PROBLEMS)


def bundle_file(file: Path) -> Path:
    """A bundle file as an absolute path (git reads it from the member's mirror, elsewhere);
    UsageError naming it when it is not a file."""
    if not file.is_file():
        raise UsageError(
            _("{file}: no such bundle file; give the path of a `git bundle` file").format(file=file)
        )
    return file.absolute()


@contextmanager
def fetch_progress() -> Iterator[tuple[Callable[[int], None], Callable[[], None]]]:
    """A Rich bar of the members fetched on a terminal's stderr; nothing when it is not one."""
    import sys

    if not sys.stderr.isatty():
        yield (lambda _count: None), (lambda: None)
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from minsheng_cli.cli.common import console

    with Progress(
        TextColumn(_("fetching")),
        BarColumn(),
        MofNCompleteColumn(),
        console=console(stderr=True),
        transient=True,
    ) as progress:
        task = progress.add_task("", total=None)
        yield (
            (lambda count: progress.update(task, total=count)),
            (lambda: progress.advance(task)),
        )


def summary_line(result: Synced) -> str | None:
    """One line for a member that changed or is stale; None for one unchanged and fresh."""
    from minsheng_cli.rollup.sync import Outcome, needs_accepting

    after, before = result.after, result.before
    if result.took and after.stale and result.outcome not in (Outcome.NEW,):
        # a bundle read, then a later one of the same sync failed: say both
        read = summary_line(result._replace(outcome=Outcome.NEW, after=after._replace(
            stale_reason=None, stale_since=None)))  # fmt: skip
        stale = summary_line(result._replace(before=result.after))
        return "\n".join(line for line in (read, stale) if line)
    if result.outcome is Outcome.REWRITE_ACCEPTED and after.commit:
        return _(
            "{name}: rewritten history accepted (--accept-rewrite): read {commit} (was {previous})"
        ).format(name=result.name, commit=after.commit[:7], previous=(before.commit or "-")[:7])
    if result.outcome is Outcome.NEW and after.commit:
        if before.commit is None:
            return _("{name}: read {commit} (first time)").format(
                name=result.name, commit=after.commit[:7]
            )
        return _("{name}: read {commit} (was {previous})").format(
            name=result.name, commit=after.commit[:7], previous=before.commit[:7]
        )
    if result.outcome is Outcome.BEHIND:
        return _(
            "{name}: the server's version is older than the one read (a newer commit was read"
            " from a bundle, for example); keeping {commit}"
        ).format(name=result.name, commit=(after.commit or "")[:7])
    if not after.stale:
        if before.stale:
            return _("{name}: fresh again at {commit}").format(
                name=result.name, commit=(after.commit or "")[:7]
            )
        return None
    if not after.commit:
        return _("{name}: never read successfully: {reason}").format(
            name=result.name, reason=after.stale_reason
        )
    kept = _("still reading {commit}").format(commit=after.commit[:7])
    line = _("{name}: stale since {since}: {reason}; {kept}").format(
        name=result.name, since=shown_time(after.stale_since), reason=after.stale_reason, kept=kept
    )
    if needs_accepting(after):
        line += _(
            "; if the county meant it, run `minsheng rollup sync --accept-rewrite {name}`"
        ).format(name=result.name)
    return line


def print_summary(report: SyncReport) -> None:

    for result in report.results:
        line = summary_line(result)
        if line is not None:
            say(line)
    for problem in report.problems:
        say(problem)
    total = len(report.results)
    new = sum(r.took for r in report.results)
    stale = sum(r.after.stale for r in report.results)
    same = sum(not r.took and not r.after.stale for r in report.results)
    say(
        ngettext(
            "{count} member synced: {new} new, {same} unchanged, {stale} stale",
            "{count} members synced: {new} new, {same} unchanged, {stale} stale",
            total,
        ).format(count=total, new=new, same=same, stale=stale)
    )
    if report.others_stale:
        say(
            ngettext(
                "{count} member not synced this time is still stale: {names}",
                "{count} members not synced this time are still stale: {names}",
                len(report.others_stale),
            ).format(count=len(report.others_stale), names="、".join(report.others_stale))
        )


def sync_json(report: SyncReport) -> dict[str, Any]:
    return {
        "members": [
            {
                "name": r.name,
                "outcome": str(r.outcome),
                "commit": r.after.commit,
                "previous": r.before.commit,
                "stale_reason": r.after.stale_reason,
                "stale_since": r.after.stale_since,
            }
            for r in report.results
        ],
        "problems": report.problems,
        "others_stale": list(report.others_stale),
        "commit": report.committed.commit if report.committed else None,
    }
