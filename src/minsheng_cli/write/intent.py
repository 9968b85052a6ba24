"""A form's intake, made whole or undone across a crash: the intent file.

Taking in a form replaces several task files and then commits them. Before the first file is
replaced, the intake writes ``.minsheng-intake.json`` in the workspace (atomically, under the
workspace lock): the form's id and content hash, the commit it started from, and the bytes each
file had. Once the form's commit is made (or, outside git, its files are written) the file is
removed. One still there when the lock is next taken was left by an intake that was stopped (a
kill, a power cut, Ctrl-C): unless its commit was made, every file is put back as it was, so
that the form reads as never taken in, and can be taken in again, whole.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

from minsheng_cli.errors import GitError, WriteRefused
from minsheng_cli.i18n import _
from minsheng_cli.store.atomic import write_atomic
from minsheng_cli.write.audit import (
    CONTENT_TRAILER,
    FIELD,
    FORM_TRAILER,
    RECORD,
    in_work_tree,
    refresh_index,
    run_git,
)

INTENT_FILE = ".minsheng-intake.json"


TASK_PATH = re.compile(r"tasks/[^/\\]+\.ya?ml")
"""The only files an intent may name: a task file of the workspace (the file is read back after
a crash, and could have been edited or planted: never a path outside tasks/)."""


class Intent(NamedTuple):
    """An intake under way: the form, the commit it started from, each file's bytes before and
    the digest of what the intake writes in its place."""

    form: str
    content: str
    head: str
    files: dict[str, bytes]
    """By path relative to the workspace (posix)."""
    written: dict[str, str]
    """Each file's sha256 as the intake writes it: a file holding anything else was changed
    since, and is not put back over."""


def begin(root: Path, form: str, content: str, new: Mapping[Path, bytes]) -> Intent:
    """Write the intent file before the first of the files ``new`` names is replaced."""
    git = _in_git(root)
    head = run_git(root, "rev-parse", "HEAD", check=False).stdout.strip() if git else ""
    names = {f: f.resolve().relative_to(root.resolve()).as_posix() for f in new}
    old = {names[f]: f.read_bytes() for f in new}
    written = {names[f]: hashlib.sha256(raw).hexdigest() for f, raw in new.items()}
    data = {
        "form": form,
        "content": content,
        "head": head,
        "files": {path: base64.b64encode(raw).decode("ascii") for path, raw in old.items()},
        "written": written,
    }
    write_atomic(root / INTENT_FILE, json.dumps(data, ensure_ascii=False, indent=1).encode())
    return Intent(form, content, head, old, written)


def end(root: Path) -> None:
    """The intake is whole (committed, or written outside git): nothing to undo."""
    (root / INTENT_FILE).unlink(missing_ok=True)


def put_back(root: Path, intent: Intent) -> list[str]:
    """Every file of ``intent`` as it was before the intake (and git's index with it); the
    intent file removed. The files put back. WriteRefused, the intent file kept, if a file holds
    neither what it held before nor what the intake wrote (edited since: never overwritten)."""
    changed = []
    for path, raw in intent.files.items():
        try:
            now = (root / path).read_bytes()
        except FileNotFoundError:
            now = None
        if now != raw and (now is None or hashlib.sha256(now).hexdigest() != intent.written[path]):
            changed.append(path)
    if changed:
        raise WriteRefused(
            _(
                "an intake of form {form} was stopped half-way, and {files} changed since;"
                " nothing was put back: check them with `git diff`, then delete {intent}"
            ).format(form=intent.form, files=", ".join(changed), intent=INTENT_FILE)
        )
    for path, raw in intent.files.items():
        if (root / path).read_bytes() != raw:
            write_atomic(root / path, raw)
    if intent.files and _in_git(root):
        refresh_index(root, *(root / path for path in intent.files))
    end(root)
    return list(intent.files)


def stopped(root: Path) -> Intent | None:
    """The intake a stopped process left, if any; WriteRefused if its file cannot be read."""
    path = root / INTENT_FILE
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise WriteRefused(_unreadable(exc.strerror or str(exc))) from exc
    try:
        data = json.loads(raw.decode("utf-8"))
        files = {str(p): base64.b64decode(b, validate=True) for p, b in data["files"].items()}
        written = {str(p): str(digest) for p, digest in data["written"].items()}
    except (ValueError, KeyError, TypeError, AttributeError, binascii.Error) as exc:
        raise WriteRefused(_unreadable(str(exc))) from None
    outside = [p for p in files if not TASK_PATH.fullmatch(p) or p not in written]
    if outside:
        raise WriteRefused(_unreadable(_("it names {path}").format(path=outside[0])))
    return Intent(str(data["form"]), str(data["content"]), str(data["head"]), files, written)


def _unreadable(detail: str) -> str:
    return _(
        "{file} (left by an intake that was stopped) cannot be read ({detail}); check the task"
        " files it names with `git diff`, then delete it"
    ).format(file=INTENT_FILE, detail=detail)


def committed(root: Path, intent: Intent) -> bool:
    """Whether the form's commit was made after the intake began (stopped after it)."""
    if not intent.head or not _in_git(root):
        return False
    fmt = (
        f"{RECORD}%(trailers:key={FORM_TRAILER},valueonly)"
        f"{FIELD}%(trailers:key={CONTENT_TRAILER},valueonly)"
    )
    found = run_git(root, "log", f"--format={fmt}", f"{intent.head}..HEAD", check=False)
    for chunk in found.stdout.split(RECORD):
        form, _sep, content = chunk.partition(FIELD)
        if form.strip() == intent.form and content.strip().removeprefix("sha256:") == (
            intent.content
        ):
            return True
    return False


def recover(root: Path) -> str | None:
    """Under the workspace lock: an intake left stopped undone (or, if its commit was made,
    only its intent file removed). What was done, in one line, or None."""
    intent = stopped(root)
    if intent is None:
        return None
    if committed(root, intent):
        end(root)
        return None
    files = put_back(root, intent)
    return _(
        "the intake of form {form} was stopped before it was committed; its files were put back"
        " as they were ({files}): take the form in again"
    ).format(form=intent.form, files=", ".join(files))


def _in_git(root: Path) -> bool:
    try:
        return in_work_tree(root)
    except GitError:
        return False
