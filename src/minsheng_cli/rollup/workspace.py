"""The rollup workspace: rollup.yaml, the state of the last sync, and its own git repository.

Every change (init, add, remove, a sync that read something new) is written atomically under
the rollup's lock and committed, so the rollup's history says which commit of each county was
read when.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import NamedTuple

from minsheng_cli.errors import GitError, UsageError
from minsheng_cli.i18n import _
from minsheng_cli.rollup.config import (
    ROLLUP_FILE,
    STATE_FILE,
    WORK_DIR,
    Member,
    RollupConfig,
    config_text,
    member_name_problem,
    mirror_dir,
    read_config,
    write_config,
)
from minsheng_cli.rollup.state import MemberState, read_state, state_json, write_state
from minsheng_cli.store.atomic import LOCK_FILE, workspace_lock

GITIGNORE = f"{WORK_DIR}/\n{LOCK_FILE}\n"
"""What the rollup's git leaves out: the members' mirrors and caches, and the lock."""


class Committed(NamedTuple):
    """A change written; the rollup's commit of it, or why git could not make one."""

    commit: str | None
    note: str | None


def create_rollup(directory: Path, title: str, level: str) -> tuple[Path, Committed]:
    """A new rollup workspace in ``directory``: rollup.yaml with no members, .gitignore, and its
    own git repository with a first commit."""
    from minsheng_cli.store.load import WORKSPACE_FILE
    from minsheng_cli.write.workspace_init import new_folder

    title = " ".join(title.split())
    level = " ".join(level.split())
    if not title:
        raise UsageError(_("give the rollup a title: --title T"))
    if not level:
        raise UsageError(_("--level should not be empty (市 or 省)"))
    try:
        root = new_folder(directory)
        if (root / ROLLUP_FILE).exists():
            raise UsageError(_("{folder} is already a rollup workspace").format(folder=root))
        if (root / WORKSPACE_FILE).exists():
            raise UsageError(
                _(
                    "{folder} is a county's ledger workspace; make the rollup in a folder of"
                    " its own"
                ).format(folder=root)
            )
        root.mkdir(parents=True, exist_ok=True)
        (root / ROLLUP_FILE).write_text(
            config_text(RollupConfig(title, level)), encoding="utf-8", newline="\n"
        )
        if not (root / ".gitignore").exists():
            (root / ".gitignore").write_text(GITIGNORE, encoding="utf-8", newline="\n")
    except OSError as exc:
        raise UsageError(
            _("cannot create a rollup workspace in {folder} ({error})").format(
                folder=directory, error=exc.strerror or exc
            )
        ) from exc
    return root, commit_files(root, [ROLLUP_FILE, ".gitignore"], f"rollup init {title}", True)


def commit_files(root: Path, files: list[str], subject: str, init: bool = False) -> Committed:
    """Commit exactly ``files`` in the rollup's repository (made first with ``init``); a git that
    cannot commit is a note, the files staying written."""
    from minsheng_cli.write.audit import commit, in_work_tree, init_repository

    try:
        if init:
            init_repository(root)
        elif not in_work_tree(root):
            return Committed(None, None)
        return Committed(commit(root, [root / f for f in files], subject, {}), None)
    except GitError as error:
        return Committed(None, error.message)


def add_member(root: Path, member: Member, replace: bool = False) -> Committed:
    """Add ``member`` to rollup.yaml; UsageError if the name is taken or not a name. With
    ``replace``, the member of that name gets the new URL and branch in its place, its state
    kept (UsageError if there is none)."""
    wrong = member_name_problem(member.name)
    if wrong is not None:
        raise UsageError(wrong)
    member = Member(member.name.strip(), member.url.strip(), member.branch.strip() or "main")
    if not member.url:
        raise UsageError(_("give the member's git URL or path"))
    with workspace_lock(root):
        loaded = read_config(root)
        config = loaded.config
        if replace:
            if config.member(member.name) is None:
                known = "、".join(m.name for m in config.members) or "—"
                raise UsageError(
                    _("the rollup has no member named “{name}” (its members: {known})").format(
                        name=member.name, known=known
                    )
                )
            at = next(i for i, m in enumerate(loaded.written) if m.name == member.name)
            members = (*loaded.written[:at], member, *loaded.written[at + 1 :])
            write_config(root, config._replace(members=members))
            subject = f"rollup add --replace {member.name} {member.url} {member.branch}"
            return commit_files(root, [ROLLUP_FILE], subject)
        if config.member(member.name) is not None:
            raise UsageError(
                _(
                    "the rollup has a member named “{name}” already; give another name, or"
                    " change its URL or branch with `minsheng rollup add {name} URL --branch B"
                    " --replace`"
                ).format(name=member.name)
            )
        write_config(root, config._replace(members=(*loaded.written, member)))
        return commit_files(root, [ROLLUP_FILE], f"rollup add {member.name} {member.url}")


def remove_member(root: Path, name: str) -> Committed:
    """Take member ``name`` out of rollup.yaml and the state, and delete its mirror."""
    with workspace_lock(root):
        loaded = read_config(root)
        config = loaded.config
        if config.member(name) is None:
            known = "、".join(m.name for m in config.members) or "—"
            raise UsageError(
                _("the rollup has no member named “{name}” (its members: {known})").format(
                    name=name, known=known
                )
            )
        if sum(m.name == name for m in loaded.written) > 1:
            raise UsageError(
                _(
                    "{file} names member “{name}” more than once; delete the entry that is wrong"
                    " from {file} by hand"
                ).format(file=ROLLUP_FILE, name=name)
            )
        members = tuple(m for m in loaded.written if m.name != name)
        write_config(root, config._replace(members=members))
        files = [ROLLUP_FILE]
        states = read_state(root)
        if name in states:
            del states[name]
            write_state(root, states)
            files.append(STATE_FILE)
        shutil.rmtree(mirror_dir(root, name), ignore_errors=True)
        return commit_files(root, files, f"rollup remove {name}")


def record_sync(
    root: Path, states: dict[str, MemberState], subject: str, body: str
) -> Committed | None:
    """Write the state after a sync and commit it; None when nothing in it changed."""
    from minsheng_cli.write.audit import commit, in_work_tree

    path = root / STATE_FILE
    before = path.read_text(encoding="utf-8") if path.exists() else None
    if before == state_json(states):
        return None
    write_state(root, states)
    try:
        if not in_work_tree(root):
            return Committed(None, None)
        return Committed(commit(root, [path], subject, {}, body), None)
    except GitError as error:
        return Committed(None, error.message)
