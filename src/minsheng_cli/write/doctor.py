"""`minsheng doctor [--fix]`: what a crash, a killed git or a broken machine left behind.

Each check returns findings as data (ok, a note, a problem and what --fix does about it, or what
--fix repaired); the command prints them. Everything runs under the workspace lock, so a temporary
file found is a leftover, not a write at work.
"""

from __future__ import annotations

import json
import shutil
import stat
import time
from collections.abc import Generator, Iterator, Sequence
from enum import Enum
from pathlib import Path
from typing import NamedTuple

from minsheng_cli.errors import GitError, MinshengError, WriteRefused
from minsheng_cli.i18n import _, ngettext
from minsheng_cli.ledger.model import EVIDENCE_DIR, Item
from minsheng_cli.store.atomic import LEFTOVER, leftovers, workspace_lock
from minsheng_cli.store.cache import CACHE_DIR, entry_is_whole
from minsheng_cli.store.load import TASKS_DIR, WORKSPACE_FILE, load
from minsheng_cli.write.actions import commit_saved_records, saved_records
from minsheng_cli.write.audit import (
    committed_text,
    git_installed,
    git_lock,
    git_missing_message,
    identity_known,
    identity_message,
    in_work_tree,
    repository_above,
    run_git,
    uncommitted_files,
)
from minsheng_cli.write.evidence import evidence_leftovers
from minsheng_cli.write.intent import INTENT_FILE, committed, recover, stopped

CACHE_ENTRY_LIMIT = 256 * 1024 * 1024
LOCK_QUIET_SECONDS = 60.0
"""Without /proc to ask, a git lock untouched this long is taken to be left behind."""


class Status(Enum):
    OK = "ok"
    NOTE = "note"
    PROBLEM = "problem"
    FIXED = "fixed"


class Finding(NamedTuple):
    status: Status
    message: str
    fix: str = ""
    """What `doctor --fix` would do about a problem; empty: it cannot, the message says who can."""


def examine(root: Path, fix: bool = False) -> list[Finding]:
    """Every check, in the order a clerk reads them; with ``fix``, repairs what is safe."""
    with workspace_lock(root):
        cache = list(_cache(root, fix))  # first: loading the ledger would mend what it finds
        intake = list(_stopped_intake(root, fix))  # before the records left uncommitted
        found = [*intake, *_repository(root, fix), *_temporary_files(root, fix), *cache]
        return [*found, *_unnamed_evidence(root)]


def problems_remain(findings: Sequence[Finding]) -> bool:
    return any(f.status is Status.PROBLEM for f in findings)


# --- git ----------------------------------------------------------------------------------------


def _repository(root: Path, fix: bool) -> Iterator[Finding]:
    if not git_installed():
        if repository_above(root) is not None:
            yield Finding(Status.PROBLEM, git_missing_message())
        else:
            yield _no_repository()
        return
    if not in_work_tree(root):
        yield _no_repository()
        return
    yield Finding(Status.OK, _("git is installed and the workspace is in a git repository"))
    identity = identity_known(root)
    yield (
        Finding(Status.OK, _("git knows who makes the commits"))
        if identity
        else Finding(Status.PROBLEM, identity_message())
    )
    lock_left = yield from _git_lock(root, fix)
    yield from _uncommitted(root, fix and identity and not lock_left)


def _no_repository() -> Finding:
    return Finding(
        Status.NOTE,
        _(
            "this workspace is not in a git repository, so no audit trail is kept"
            " (`minsheng init DIR` creates a workspace with one)"
        ),
    )


def _git_lock(root: Path, fix: bool) -> Generator[Finding, None, bool]:
    """A Finding about a lock left in .git; returns whether one is still there."""
    lock = git_lock(root)
    if lock is None:
        yield Finding(
            Status.OK, _("no git lock left behind (index.lock, HEAD.lock, a branch's lock)")
        )
        return False
    if git_at_work(lock):
        yield Finding(
            Status.PROBLEM,
            _(
                "{lock} is held by a git that is running; let it finish, then run"
                " `minsheng doctor` again"
            ).format(lock=lock),
        )
        return True
    if not fix:
        yield Finding(
            Status.PROBLEM,
            _(
                "{lock} was left by a git that was stopped; git cannot commit while it is there"
            ).format(lock=lock),
            _("removes it"),
        )
        return True
    lock.unlink(missing_ok=True)
    yield Finding(
        Status.FIXED, _("removed {lock}, left by a git that was stopped").format(lock=lock)
    )
    return False


def git_at_work(lock: Path) -> bool:
    """Whether a git process may be using the repository that holds ``lock``.

    Asked of /proc where there is one (a git whose folder is in the repository's tree, or one
    whose folder cannot be read); elsewhere, a lock touched in the last minute is taken as in use.
    """
    proc = Path("/proc")
    if not (proc / "self").exists():
        try:
            return time.time() - lock.stat().st_mtime < LOCK_QUIET_SECONDS
        except OSError:
            return False
    top = lock.parent.parent.resolve()
    for process in proc.iterdir():
        if not process.name.isdigit():
            continue
        try:
            if not (process / "comm").read_text(encoding="utf-8").startswith("git"):
                continue
            folder = (process / "cwd").readlink()
        except FileNotFoundError:
            continue  # it ended meanwhile
        except OSError:
            return True  # someone else's git: it may be working here
        if folder == top or top in folder.parents or folder == lock.parent:
            return True
    return False


def _uncommitted(root: Path, can_fix: bool) -> Iterator[Finding]:
    intake = _intake_files(root)  # put back by --fix, not committed
    changed = [
        f for f in uncommitted_files(root, (WORKSPACE_FILE, TASKS_DIR), LEFTOVER) if f not in intake
    ]
    if not changed:
        yield Finding(Status.OK, _("every record on disk is committed"))
        return
    items: Sequence[Item] | None = None
    for file in changed:
        committed = committed_text(root, file) if file.is_file() else None
        saved = None if committed is None else saved_records(committed, file.read_bytes())
        shown = file.relative_to(root).as_posix()
        if saved is None:
            yield Finding(
                Status.NOTE,
                _(
                    "{file} has changes that are not committed and are not records (an edit"
                    " by hand?); commit them with git once they are final"
                ).format(file=shown),
            )
            continue
        if items is None:
            items = _items(root)
        yield _saved_records(root, file, shown, len(saved), items, can_fix)


def _saved_records(
    root: Path, file: Path, shown: str, count: int, items: Sequence[Item], can_fix: bool
) -> Finding:
    problem = ngettext(
        "{count} record saved in {file} is not committed",
        "{count} records saved in {file} are not committed",
        count,
    ).format(count=count, file=shown)
    if not can_fix:
        return Finding(Status.PROBLEM, problem, _("commits them, each with its item and reporter"))
    try:
        commits = commit_saved_records(root, file, items)
    except GitError as error:
        return Finding(Status.PROBLEM, f"{problem}: {error.message}")
    if commits is None:
        return Finding(
            Status.PROBLEM,
            _("{problem}, and they do not name items of the file; run `minsheng check`").format(
                problem=problem
            ),
        )
    return Finding(
        Status.FIXED,
        ngettext(
            "committed {count} record saved in {file}, with its item and reporter: {commits}",
            "committed {count} records saved in {file}, each with its item and reporter: {commits}",
            count,
        ).format(count=count, file=shown, commits=", ".join(commits)),
    )


def _items(root: Path) -> Sequence[Item]:

    try:
        return load(root).ledger.items
    except MinshengError:
        return ()


def _intake_files(root: Path) -> set[Path]:
    try:
        intent = stopped(root)
    except WriteRefused:
        return set()
    return {(root / path).resolve() for path in intent.files} if intent else set()


def _tracked(root: Path, folder: str) -> set[str]:
    """The files under ``folder`` git tracks (none outside a repository)."""
    if not git_installed() or not in_work_tree(root):
        return set()
    listed = run_git(root, "ls-files", "-z", "--", folder, check=False)
    return {name for name in listed.stdout.split("\0") if name}


# --- files --------------------------------------------------------------------------------------


def _stopped_intake(root: Path, fix: bool) -> Iterator[Finding]:
    """An intake stopped between writing a form's files and committing them (write.intent)."""
    try:
        intent = stopped(root)
    except WriteRefused as error:
        yield Finding(Status.PROBLEM, error.message)
        return
    if intent is None:
        return  # said only when there is one: the usual report stays as it was
    if fix:
        try:
            restored = recover(root)
        except WriteRefused as error:  # a file edited since: the clerk's to look at
            yield Finding(Status.PROBLEM, error.message)
            return
        yield Finding(
            Status.FIXED,
            restored
            or _("removed {file}, left by an intake stopped after its commit").format(
                file=INTENT_FILE
            ),
        )
        return
    if committed(root, intent):
        yield Finding(
            Status.PROBLEM,
            _("{file} was left by an intake stopped after its commit").format(file=INTENT_FILE),
            _("removes it"),
        )
        return
    yield Finding(
        Status.PROBLEM,
        _(
            "the intake of form {form} was stopped before it was committed: {files} hold part of it"
        ).format(form=intent.form, files=", ".join(intent.files)),
        _("puts the files back as they were, so that the form can be taken in again"),
    )


def _temporary_files(root: Path, fix: bool) -> Iterator[Finding]:
    left = leftovers((root, root / TASKS_DIR)) + evidence_leftovers(root)
    if not left:
        yield Finding(Status.OK, _("no temporary files left by a write that was stopped"))
        return
    names = ", ".join(p.relative_to(root).as_posix() for p in left)
    if not fix:
        yield Finding(
            Status.PROBLEM,
            _("temporary files left by a write that was stopped: {files}").format(files=names),
            _("removes them (the records they held are whole in their files, or were not made)"),
        )
        return
    for path in left:
        path.unlink(missing_ok=True)
    yield Finding(
        Status.FIXED,
        _("removed temporary files left by a write that was stopped: {files}").format(files=names),
    )


def _unnamed_evidence(root: Path) -> Iterator[Finding]:
    """Stored files no record names (a write stopped between storing a file and its record):
    harmless, never read; said as a note, for the clerk to delete or keep."""
    folder = root / EVIDENCE_DIR
    if not folder.is_dir():
        return
    try:
        loaded = load(root)
    except MinshengError:
        return
    if loaded.errors:  # a file's records are not read: its attachments would look unnamed
        return
    named = {a.path for item in loaded.ledger.items for r in item.records for a in r.attachments}
    named |= _tracked(root, EVIDENCE_DIR)  # committed: part of the history, never a leftover
    stored = sorted(
        path.relative_to(root).as_posix()
        for path in folder.glob("*/*")
        if path.is_file() and not path.name.startswith(".")
    )
    unnamed = [path for path in stored if path not in named]
    if unnamed:
        yield Finding(
            Status.NOTE,
            _(
                "files in {folder} that no record names (left by a write that was stopped;"
                " harmless): {files}; delete them if they are not needed"
            ).format(folder=EVIDENCE_DIR, files=", ".join(unnamed)),
        )


def _cache(root: Path, fix: bool) -> Iterator[Finding]:
    cache = root / CACHE_DIR
    damage = cache_damage(cache)
    if damage is None:
        yield Finding(Status.OK, _("the cache ({folder}) is sound").format(folder=CACHE_DIR))
        return
    if not fix:
        yield Finding(
            Status.PROBLEM,
            _("the cache is damaged: {damage}").format(damage=damage),
            _("deletes {folder} (only a cache: it is built again from the files)").format(
                folder=CACHE_DIR
            ),
        )
        return
    if cache.is_dir() and not cache.is_symlink():
        shutil.rmtree(cache)
    else:
        cache.unlink()
    yield Finding(
        Status.FIXED,
        _("deleted the damaged cache {folder} ({damage}); it is built again from the files").format(
            folder=CACHE_DIR, damage=damage
        ),
    )


def cache_damage(cache: Path) -> str | None:
    """What is wrong with the cache folder, or None (no cache is a sound one)."""
    try:
        mode = cache.lstat().st_mode
    except FileNotFoundError:
        return None
    if not stat.S_ISDIR(mode):
        return _("{path} is not a folder").format(path=cache.name)
    for entry in sorted(cache.iterdir()):
        wrong = _entry_damage(entry)
        if wrong is not None:
            return f"{cache.name}/{entry.name}: {wrong}"
    return None


def _entry_damage(entry: Path) -> str | None:
    info = entry.lstat()
    if not stat.S_ISREG(info.st_mode):
        return _("not a regular file")
    if info.st_size > CACHE_ENTRY_LIMIT or not entry.name.endswith(".json"):
        return _("not a cache entry")
    raw = entry.read_bytes()
    if entry.name == "index.json":
        return None if _sound_index(raw) else _("not a valid index")
    if not entry_is_whole(raw):
        return _("its checksum does not match")
    return None


def _sound_index(raw: bytes) -> bool:
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return False
    files = data.get("files") if isinstance(data, dict) else None
    return isinstance(files, dict) and all(isinstance(v, dict) for v in files.values())
