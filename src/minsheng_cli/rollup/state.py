"""rollup-state.json: per member, the commit the rollup reads and whether it is stale.

Written only by `rollup sync` (atomically, under the rollup's lock); read by every view. A member
missing from the file has never been read.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple

from minsheng_cli.errors import UsageError, WriteRefused
from minsheng_cli.i18n import _
from minsheng_cli.rollup.config import STATE_FILE


class MemberState(NamedTuple):
    """What the rollup knows of one member after the last sync."""

    commit: str | None = None
    """The last good commit: it loaded without errors; the views read the member here."""
    read_at: str | None = None
    """When that commit was first read (ISO date-time, UTC)."""
    stale_reason: str | None = None
    """Why the newest fetch or commit could not be used, in the interface's words; None: fresh."""
    stale_since: str | None = None
    """When it first went stale (ISO date-time, UTC); kept while it stays stale."""
    seen: str | None = None
    """The newest commit of the member's branch the last fetch brought (the good one, or the
    one that made it stale): the same again next time is known without reading it again."""
    source: str = "url"
    """Where ``commit`` was read from: "url" (the member's server) or "bundle" (a `git bundle`
    file, which the server may not have caught up with)."""

    @property
    def stale(self) -> bool:
        return self.stale_reason is not None


def read_state(root: Path) -> dict[str, MemberState]:
    """Every member's state, by name; {} before the first sync."""
    path = root / STATE_FILE
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise UsageError(
            _("cannot read {file}: {error}").format(file=path, error=exc.strerror or exc)
        ) from exc
    try:
        data = json.loads(raw)
        return {
            str(name): MemberState(**{k: v for k, v in entry.items() if k in MemberState._fields})
            for name, entry in data["members"].items()
        }
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise UsageError(
            _("{file} is damaged; run `minsheng rollup sync` to read every member again").format(
                file=path
            )
        ) from exc


def state_json(states: dict[str, MemberState]) -> str:
    """The state file's text: sorted, one member per key, stable for git diffs."""
    members = {name: states[name]._asdict() for name in sorted(states)}
    return json.dumps({"members": members}, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_state(root: Path, states: dict[str, MemberState]) -> None:
    """Replace the state file atomically (the caller holds the rollup's lock)."""
    from minsheng_cli.store.atomic import write_atomic

    try:
        write_atomic(root / STATE_FILE, state_json(states).encode("utf-8"))
    except OSError as exc:  # a full disk, a read-only folder, a file-size limit
        raise WriteRefused(
            _("could not write {file} ({error})").format(file=STATE_FILE, error=exc.strerror or exc)
        ) from exc
