"""rollup-state.json: per member, the commit the rollup reads and whether it is stale.

Written only by `rollup sync` (atomically, under the rollup's lock); read by every view. A member
missing from the file has never been read.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
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


def local_time(stamp: str | None) -> datetime | None:
    """A moment the state keeps (ISO, UTC) in the machine's own timezone, as its reader lives
    it (Beijing time on the offices' machines); None when there is none or it is not one."""
    if not stamp:
        return None
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone()


def shown_time(stamp: str | None) -> str:
    """A moment the state keeps, as the machine's clock reads it: 2026-12-05 07:25."""
    local = local_time(stamp)
    return "—" if local is None else local.strftime("%Y-%m-%d %H:%M")


CHECKED_FILE = "checked.json"
"""In the rollup's work folder (not committed): when each member's server last answered a sync
with nothing the rollup could not use, so `rollup list` can say a county was reachable today
even when it had nothing new (which commits nothing)."""


def read_checked(root: Path) -> dict[str, str]:
    """Each member's last good contact (ISO, UTC); {} when unknown or unreadable (it only
    informs)."""
    from minsheng_cli.rollup.config import WORK_DIR

    try:
        data = json.loads((root / WORK_DIR / CHECKED_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): v for k, v in data.items() if isinstance(v, str)}


def write_checked(root: Path, checked: dict[str, str]) -> None:
    """Replace the file (under the rollup's lock); a folder that cannot be written only loses
    this information."""
    from minsheng_cli.rollup.config import WORK_DIR
    from minsheng_cli.store.atomic import write_atomic

    folder = root / WORK_DIR
    try:
        folder.mkdir(parents=True, exist_ok=True)
        text = json.dumps(checked, ensure_ascii=False, indent=1, sort_keys=True)
        write_atomic(folder / CHECKED_FILE, text.encode("utf-8"))
    except OSError:
        return
