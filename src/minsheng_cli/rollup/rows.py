"""Every member's view for a day asked, each computed once per commit and day, then cached.

A member's view (``views.Computed``) is kept in the rollup's cache folder under the member's
commit, the day asked (--as-of DATE, --month N, or today), the interface language (its texts are
translated) and the code that computes it. A commit never changes, so a warm `rollup status` or
`rollup overdue` reads one small entry per member: no git, no ledger, no evaluation. A member
whose commit moved is read from its own snapshot (``members.member_at``) and recomputed; the
others are not touched. A member that cannot be read is a row saying why, never a traceback, and
the others are unaffected.
"""

from __future__ import annotations

import json
from functools import cache
from hashlib import blake2b
from pathlib import Path
from typing import TYPE_CHECKING

from minsheng_cli.errors import MinshengError
from minsheng_cli.i18n import _
from minsheng_cli.rollup.config import Member, cache_dir, mirror_dir
from minsheng_cli.rollup.state import MemberState, read_state
from minsheng_cli.rollup.views import Computed, MemberView, Request, compute, computed_from

if TYPE_CHECKING:
    from minsheng_cli.ledger.model import Ledger

VIEW_FORMAT = 1
VIEW_PACKAGES = ("core", "ledger", "store", "render", "rollup", "paperwork")


@cache
def view_fingerprint() -> str:
    """The code that computes a view and the catalogue that words it: any change misses."""
    from minsheng_cli.i18n import LOCALE_DIR

    package = Path(__file__).parent.parent
    digest = blake2b(f"view-{VIEW_FORMAT}".encode(), digest_size=16)
    files = sorted(package.glob("*.py"))
    for name in VIEW_PACKAGES:
        files += sorted((package / name).glob("*.py"))
    files += sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.mo"))
    for file in files:
        digest.update(file.name.encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


def view_entry(root: Path, commit: str, request: Request) -> tuple[Path, str]:
    """Where a member's view of ``request`` at ``commit`` is cached, and its key."""
    from minsheng_cli.i18n import current_language

    asked = f"{commit}\0{request.key()}\0{current_language()}"
    name = blake2b(asked.encode(), digest_size=16).hexdigest()
    return cache_dir(root) / f"view-{name}.json", f"view:{view_fingerprint()}:{asked}"


def member_views(root: Path, members: tuple[Member, ...], request: Request) -> list[MemberView]:
    """Each member's view of ``request``, in the order of rollup.yaml."""
    states = read_state(root)
    return [member_view(root, m.name, states.get(m.name, MemberState()), request) for m in members]


def member_view(root: Path, name: str, state: MemberState, request: Request) -> MemberView:
    view = MemberView(
        name, state.commit, state.stale_reason, state.stale_since, None, read_at=state.read_at
    )
    if state.commit is None:
        return view._replace(problem=never_read(state.stale_reason))
    cached = cached_view(root, state.commit, request)
    if cached is not None:
        return view._replace(computed=cached)
    try:
        ledger = member_ledger(root, name, state.commit)
    except MinshengError as exc:
        return view._replace(problem=exc.message.splitlines()[0] if exc.message else str(exc))
    computed = compute(ledger, request)
    store_view(root, state.commit, request, computed)
    return view._replace(computed=computed)


def never_read(reason: str | None) -> str:
    """Why a member has no row, for the terminal: what its last sync said, else what to run."""
    if reason:
        return _("never read: {reason}").format(reason=reason)
    return _("never read (run minsheng rollup sync)")


def member_ledger(root: Path, name: str, commit: str) -> Ledger:
    """The member's ledger at ``commit``; LedgerProblems or GitError (a line each) if it cannot
    be read."""
    from minsheng_cli.errors import GitError
    from minsheng_cli.rollup.members import member_at
    from minsheng_cli.store.files import ledger_of

    mirror = mirror_dir(root, name)
    if not mirror.is_dir():
        raise GitError(_("its mirror is missing: run `minsheng rollup sync`"))
    return ledger_of(member_at(mirror, commit, cache_dir(root)), mirror)


def cached_view(root: Path, commit: str, request: Request) -> Computed | None:
    from minsheng_cli.store.cache import read_entry
    from minsheng_cli.store.files import cache_enabled

    if not cache_enabled():
        return None
    entry, key = view_entry(root, commit, request)
    body = read_entry(entry, key)
    if body is None:
        return None
    try:
        return computed_from(json.loads(body))
    except (ValueError, TypeError):
        return None


def store_view(root: Path, commit: str, request: Request, computed: Computed) -> None:
    from minsheng_cli.store.cache import write_entry
    from minsheng_cli.store.files import cache_enabled

    if not cache_enabled():
        return
    entry, key = view_entry(root, commit, request)
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    body = json.dumps(computed._asdict(), ensure_ascii=False, separators=(",", ":"))
    write_entry(entry, key, body.encode("utf-8"))
