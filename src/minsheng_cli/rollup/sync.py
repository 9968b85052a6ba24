"""`rollup sync`: fetch every member, judge what came, keep the last good commit of each.

``decide`` is the rule, a pure function of what the rollup knew of a member, what the fetch
brought and what reading the new commit found: a new commit that loads and contains the one read
before is taken; anything else keeps the commit read before and marks the member stale, with the
reason and since when. ``sync_members`` runs the fetches (in parallel, each bounded by a timeout),
reads each new commit, and returns one ``Synced`` per member.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import NamedTuple

from minsheng_cli.errors import GitError, LedgerProblems, UsageError
from minsheng_cli.i18n import _
from minsheng_cli.rollup.config import Member, cache_dir, mirror_dir
from minsheng_cli.rollup.fetch import Fetched, TimedOut, descends, pin_good
from minsheng_cli.rollup.state import MemberState
from minsheng_cli.rollup.workspace import Committed, record_sync


class Outcome(StrEnum):
    NEW = "new"
    """A new commit that loads and contains the one read before: it is read now."""
    UNCHANGED = "unchanged"
    """The commit read before is still the newest."""
    STILL_STALE = "still-stale"
    """The same unusable commit as last time: stale for the same reason."""
    REWRITE_ACCEPTED = "rewrite-accepted"
    """A commit that does not contain the one read before, taken with --accept-rewrite."""
    BEHIND = "behind"
    """The server's commit is an ancestor of the one read from a bundle (the server has not
    caught up with it): the one read is kept, and the member is not stale."""
    ROLLED_BACK = "rolled-back"
    """The newest commit is an ancestor of the one read from the member's own branch: the
    county reset its branch to an older commit (a retraction?); stale until accepted."""
    REWRITTEN = "rewritten"
    """The newest commit neither contains the one read before nor is contained in it (a
    force-push)."""
    BROKEN = "broken"
    """The newest commit does not load (its ledger has errors)."""
    FAILED = "failed"
    """The fetch failed: no such repository, a refused connection, a timeout, a bad bundle."""


TAKEN = (Outcome.NEW, Outcome.REWRITE_ACCEPTED)
"""The outcomes that read a new commit."""


class Examined(NamedTuple):
    """What reading a new commit found."""

    descends: bool
    """It contains the commit read before (True when there was none)."""
    problem: str | None
    """Why its ledger does not load (the first error, file:line), or None."""
    behind: bool = False
    """It is an ancestor of the commit read before (the server has not caught up with a
    bundle read since)."""


def needs_examining(old: MemberState, fetched: Fetched, accept_rewrite: bool = False) -> bool:
    """Whether ``decide`` needs the new commit read: it is neither the one read nor the one
    found unusable last time (unless a rewritten history is now accepted)."""
    if fetched.commit is None or fetched.commit == old.commit:
        return False
    return accept_rewrite or not (old.stale and fetched.commit == old.seen)


def decide(
    old: MemberState,
    fetched: Fetched,
    examined: Examined | None,
    now: str,
    *,
    accept_rewrite: bool = False,
) -> tuple[Outcome, MemberState]:
    """The member's outcome and new state. ``examined`` is needed when ``needs_examining``."""
    if fetched.commit is None:
        reason = fetched.error or _("the fetch brought no commit")
        return Outcome.FAILED, _stale(old, reason, now, old.seen)
    if fetched.commit == old.commit:
        source = "url" if fetched.source == "url" else old.source
        fresh_again = old._replace(
            stale_reason=None, stale_since=None, seen=old.commit, source=source
        )
        return Outcome.UNCHANGED, fresh_again
    if not needs_examining(old, fetched, accept_rewrite):
        return Outcome.STILL_STALE, old
    if examined is None:
        raise ValueError("a new commit must be examined before it is judged")
    rewrite = old.commit is not None and not examined.descends
    if old.commit is not None and rewrite and not accept_rewrite:
        if examined.behind and "bundle" in (old.source, fetched.source):
            # the server not caught up with a bundle read since, or an older bundle handed
            # over again: nothing went back, the newer commit stays
            kept = old._replace(stale_reason=None, stale_since=None, seen=old.commit)
            return Outcome.BEHIND, kept
        if examined.behind:
            reason = rolled_back_reason(fetched.commit, old.commit)
            return Outcome.ROLLED_BACK, _stale(old, reason, now, fetched.commit)
        reason = rewritten_reason(fetched.commit, old.commit)
        return Outcome.REWRITTEN, _stale(old, reason, now, fetched.commit)
    if examined.problem is not None:
        reason = _("its newest commit {commit} does not load: {problem}").format(
            commit=fetched.commit[:7], problem=examined.problem
        )
        return Outcome.BROKEN, _stale(old, reason, now, fetched.commit)
    fresh = MemberState(
        commit=fetched.commit, read_at=now, seen=fetched.commit, source=fetched.source
    )
    return (Outcome.REWRITE_ACCEPTED if rewrite else Outcome.NEW), fresh


def rewritten_reason(new: str, old: str) -> str:
    return _(
        "its history was rewritten (force-push): {new} does not contain {old}, the commit read"
        " before"
    ).format(new=new[:7], old=old[:7])


def rolled_back_reason(new: str, old: str) -> str:
    return _(
        "its branch went back to an older commit (a retraction?): {new} is an ancestor of"
        " {old}, the commit read before"
    ).format(new=new[:7], old=old[:7])


def needs_accepting(state: MemberState) -> bool:
    """Whether the member is stale because its history was rewritten or went back, which
    --accept-rewrite takes."""
    if not (state.stale and state.seen and state.commit):
        return False
    return state.stale_reason in (
        rewritten_reason(state.seen, state.commit),
        rolled_back_reason(state.seen, state.commit),
    )


def _stale(old: MemberState, reason: str, now: str, seen: str | None) -> MemberState:
    since = old.stale_since if old.stale and old.stale_since else now
    return old._replace(stale_reason=reason, stale_since=since, seen=seen)


REACHED = frozenset((Outcome.NEW, Outcome.UNCHANGED, Outcome.BEHIND, Outcome.REWRITE_ACCEPTED))
"""The outcomes of a member whose server answered with something the rollup could use."""


def note_contact(root: Path, results: Sequence[Synced]) -> None:
    """Remember when each member reached was last reached (not committed: see CHECKED_FILE)."""
    from minsheng_cli.rollup.state import read_checked, write_checked

    reached = [r.name for r in results if r.outcome in REACHED]
    if reached:
        now = now_stamp()
        write_checked(root, {**read_checked(root), **dict.fromkeys(reached, now)})


def now_stamp() -> str:
    """The moment of this sync, as the state file keeps it (UTC, to the second)."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class Synced(NamedTuple):
    """One member after a sync: what happened, and its state before and after."""

    name: str
    outcome: Outcome
    before: MemberState
    after: MemberState

    @property
    def took(self) -> bool:
        """A commit was read that was not read before (even if a later bundle of the same
        sync then failed and left the member stale)."""
        return self.after.commit is not None and self.after.commit != self.before.commit


Fetcher = Callable[[Member], list[Fetched]]
"""What fetching a member brought, oldest first: one fetch of its URL, or its bundle files."""


def sync_members(
    root: Path,
    members: Sequence[Member],
    states: dict[str, MemberState],
    fetch: Fetcher,
    *,
    jobs: int,
    timeout: float,
    accept_rewrite: frozenset[str] = frozenset(),
    on_fetched: Callable[[Member], None] = lambda _member: None,
) -> list[Synced]:
    """Fetch ``members`` (``jobs`` at a time), then judge each in the order given (each commit
    a member's bundles brought in turn, oldest first: it ends at the newest that loads)."""
    now = now_stamp()

    def fetch_one(member: Member) -> list[Fetched]:
        try:
            return fetch(member)
        finally:
            on_fetched(member)

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        fetched = list(pool.map(fetch_one, members))
    results: list[Synced] = []
    for member, steps in zip(members, fetched, strict=True):
        old = states.get(member.name, MemberState())
        mirror = mirror_dir(root, member.name)
        accept = member.name in accept_rewrite
        outcome, new = Outcome.UNCHANGED, old
        for got in steps:
            examined = (
                examine(mirror, new, got, timeout, cache_dir(root), accept)
                if needs_examining(new, got, accept)
                else None
            )
            step, new = decide(new, got, examined, now, accept_rewrite=accept)
            if step in TAKEN and new.commit is not None:
                # if this fails, the fetched ref still holds it until the next fetch
                with contextlib.suppress(OSError, TimedOut):
                    pin_good(mirror, new.commit, timeout)
            if step is not Outcome.UNCHANGED or outcome not in TAKEN:
                outcome = step
        results.append(Synced(member.name, outcome, old, new))
    return results


def examine(
    mirror: Path,
    old: MemberState,
    fetched: Fetched,
    timeout: float,
    cache: Path | None = None,
    accept_rewrite: bool = False,
) -> Examined:
    """Whether the new commit contains the one read before, and whether its ledger loads (the
    ledger built on the way is kept in ``cache``, the rollup's cache, where the views read it;
    an older commit is loaded only when a rewrite is accepted: otherwise it is not taken)."""
    assert fetched.commit is not None
    try:
        contains = old.commit is None or descends(mirror, old.commit, fetched.commit, timeout)
        behind = (
            not contains
            and old.commit is not None
            and descends(mirror, fetched.commit, old.commit, timeout)
        )
    except (OSError, TimedOut):
        contains = behind = False
    if behind and not accept_rewrite:
        return Examined(False, None, behind=True)
    return Examined(contains, load_problem(mirror, fetched.commit, cache), behind=behind)


def load_problem(mirror: Path, commit: str, cache: Path | None = None) -> str | None:
    """The first error of the ledger at ``commit`` (file:line: what), or None if it loads."""
    from minsheng_cli.rollup.members import member_at

    try:
        errors = member_at(mirror, commit, cache).errors
    except LedgerProblems as problems:
        errors = problems.problems
        if not errors:
            return problems.message
    except GitError as error:
        return error.message
    if not errors:
        return None
    first = errors[0].render(mirror)
    more = len(errors) - 1
    if more:
        return _("{problem} (and {count} more)").format(problem=first, count=more)
    return first


class SyncReport(NamedTuple):
    """What a sync did: each member's outcome, the lines about what could not be synced at all
    (a member named twice, a bundle of no member), and the rollup's commit of the new state."""

    results: list[Synced]
    problems: list[str]
    committed: Committed | None
    others_stale: tuple[str, ...] = ()
    """The members not synced this time (--member, --bundle) that are stale."""

    @property
    def failed(self) -> bool:
        """Whether any member of the rollup is stale after the sync, or a problem was found."""
        stale = any(r.after.stale for r in self.results) or bool(self.others_stale)
        return bool(self.problems) or stale


def sync_workspace(
    root: Path,
    *,
    jobs: int,
    timeout: float,
    bundles: Sequence[Path] = (),
    bundle_member: str | None = None,
    only: Sequence[str] = (),
    accept_rewrite: frozenset[str] = frozenset(),
    on_start: Callable[[int], None] = lambda _count: None,
    on_fetched: Callable[[Member], None] = lambda _member: None,
) -> SyncReport:
    """Sync every member from its URL (``only`` these, if named; UsageError for a name that is
    no member), or with ``bundles`` only the members they belong to; under the rollup's lock;
    the state written and committed."""
    from minsheng_cli.rollup.config import read_config
    from minsheng_cli.rollup.fetch import fetch_bundles, fetch_member, local_url
    from minsheng_cli.rollup.state import read_state
    from minsheng_cli.store.atomic import workspace_lock

    with workspace_lock(root):
        loaded = read_config(root)
        problems = list(loaded.problems)
        unknown = sorted(accept_rewrite - {m.name for m in loaded.config.members})
        if unknown:
            problems.append(no_such_member(unknown[0], loaded.config.members))
        states = read_state(root)
        fetch: Fetcher
        if bundles:
            matched = bundles_by_member(root, loaded.config.members, bundles, bundle_member)
            problems += matched.problems
            members = [m for m in loaded.config.members if m.name in matched.files]

            def fetch(member: Member) -> list[Fetched]:
                files = matched.files[member.name]
                return fetch_bundles(mirror_dir(root, member.name), files, member.branch, timeout)
        else:
            missing = [name for name in only if loaded.config.member(name) is None]
            if missing:
                raise UsageError(no_such_member(missing[0], loaded.config.members))
            members = [m for m in loaded.config.members if not only or m.name in only]

            def fetch(member: Member) -> list[Fetched]:
                url = local_url(root, member.url)
                mirror = mirror_dir(root, member.name)
                return [fetch_member(mirror, url, member.branch, timeout, member.name, member.url)]

        on_start(len(members))
        results = sync_members(
            root,
            members,
            states,
            fetch,
            jobs=jobs,
            timeout=timeout,
            accept_rewrite=accept_rewrite,
            on_fetched=on_fetched,
        )
        kept = {m.name for m in loaded.config.members}
        new_states = {name: state for name, state in states.items() if name in kept}
        new_states.update({r.name: r.after for r in results})
        subject, body = commit_message(results)
        committed = record_sync(root, new_states, subject, body)
        note_contact(root, results)
    synced = {r.name for r in results}
    others = [
        m.name
        for m in loaded.config.members
        if m.name not in synced and m.name in new_states and new_states[m.name].stale
    ]
    return SyncReport(results, problems, committed, tuple(others))


def no_such_member(name: str, members: Sequence[Member]) -> str:
    known = "、".join(m.name for m in members) or "—"
    return _("the rollup has no member named “{name}” (its members: {known})").format(
        name=name, known=known
    )


class Matched(NamedTuple):
    files: dict[str, list[Path]]
    """Each member's bundle files, in the order given."""
    problems: list[str]


def bundles_by_member(
    root: Path, members: Sequence[Member], bundles: Sequence[Path], named: str | None
) -> Matched:
    """Which member each bundle file belongs to: the one ``named`` (--member), else the member
    whose url is the file, else the member the file is named after (泾县.bundle,
    泾县.2023-07.bundle: the name before the first dot). A member may have several."""
    files: dict[str, list[Path]] = {}
    problems: list[str] = []
    for bundle in bundles:
        member = bundle_owner(root, members, bundle, named)
        if member is None:
            if named is not None:
                problems.append(no_such_member(named, members))
            else:
                problems.append(
                    _(
                        "{file}: no member of the rollup is named “{name}”; name the file after"
                        " its member (NAME.bundle) or give --member NAME"
                    ).format(file=bundle, name=bundle_stem(bundle))
                )
            continue
        if bundle not in files.setdefault(member.name, []):
            files[member.name].append(bundle)
    return Matched(files, problems)


def bundle_owner(
    root: Path, members: Sequence[Member], bundle: Path, named: str | None
) -> Member | None:
    if named is not None:
        return next((m for m in members if m.name == named), None)
    resolved = bundle.resolve()
    for member in members:
        if "://" not in member.url and (root / member.url).resolve() == resolved:
            return member
    stem = bundle_stem(bundle)
    return next((m for m in members if m.name == stem), None)


def bundle_stem(bundle: Path) -> str:
    return bundle.name.split(".", 1)[0]


def commit_message(results: Sequence[Synced]) -> tuple[str, str]:
    """The rollup commit's subject (what changed, counted) and body (one line per member)."""
    new = [r for r in results if r.took]
    stale = [r for r in results if r.after.stale]
    subject = f"rollup sync: {len(new)} new, {len(stale)} stale"
    lines = [
        f"{r.name}: {r.before.commit[:7] if r.before.commit else '-'} -> {r.after.commit[:7]}"
        + (
            ", rewritten history accepted (--accept-rewrite)"
            if r.outcome is Outcome.REWRITE_ACCEPTED
            else ""
        )
        for r in new
        if r.after.commit
    ]
    lines += [f"{r.name}: stale: {r.after.stale_reason}" for r in stale]
    return subject, "\n".join(lines)
