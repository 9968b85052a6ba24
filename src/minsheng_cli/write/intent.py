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
import json
from collections.abc import Sequence
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


class Intent(NamedTuple):
    """An intake under way: the form, the commit it started from, each file's bytes before."""

    form: str
    content: str
    head: str
    files: dict[str, bytes]
    """By path relative to the workspace (posix)."""


def begin(root: Path, form: str, content: str, files: Sequence[Path]) -> Intent:
    """Write the intent file before the first of ``files`` is replaced."""
    git = _in_git(root)
    head = run_git(root, "rev-parse", "HEAD", check=False).stdout.strip() if git else ""
    old = {f.resolve().relative_to(root.resolve()).as_posix(): f.read_bytes() for f in files}
    data = {
        "form": form,
        "content": content,
        "head": head,
        "files": {path: base64.b64encode(raw).decode("ascii") for path, raw in old.items()},
    }
    write_atomic(root / INTENT_FILE, json.dumps(data, ensure_ascii=False, indent=1).encode())
    return Intent(form, content, head, old)


def end(root: Path) -> None:
    """The intake is whole (committed, or written outside git): nothing to undo."""
    (root / INTENT_FILE).unlink(missing_ok=True)


def put_back(root: Path, intent: Intent) -> list[str]:
    """Every file of ``intent`` as it was before the intake (and git's index with it); the
    intent file removed. The files put back."""
    for path, raw in intent.files.items():
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
        return Intent(str(data["form"]), str(data["content"]), str(data["head"]), files)
    except (ValueError, KeyError, TypeError, AttributeError, binascii.Error) as exc:
        raise WriteRefused(_unreadable(str(exc))) from None


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
