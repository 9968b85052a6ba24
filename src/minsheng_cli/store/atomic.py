"""Writes that lose nothing: a workspace-wide lock, and replace-by-rename of whole files."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import time
from collections.abc import Iterator
from pathlib import Path

from minsheng_cli.errors import WriteRefused
from minsheng_cli.i18n import _

LOCK_FILE = ".minsheng.lock"
LOCK_TIMEOUT_SECONDS = 60.0
REPLACE_PAUSES = (0.1, 0.2, 0.4, 0.8)
"""Between tries to replace a file another program holds open (1.5 s in all): on Windows an
antivirus scan or a backup holds a file for a moment; WPS or Excel holds it until it is closed."""


LEFTOVER = re.compile(r"^\..+\.(ya?ml|json)\.[A-Za-z0-9_]+\.tmp$")
"""The temporary file ``write_atomic`` makes beside a task file, minsheng.yaml or an intake's
intent file (.NAME.yaml.XXXXXXXX.tmp); one still there once the lock is held was left by a
writer that was killed before its rename."""


def leftovers(folders: Iterator[Path] | tuple[Path, ...]) -> list[Path]:
    """The temporary files of task files that a killed write left in ``folders``."""
    return [
        path
        for folder in folders
        if folder.is_dir()
        for path in sorted(folder.iterdir())
        if LEFTOVER.match(path.name) and stat.S_ISREG(path.lstat().st_mode)
    ]


def clear_leftovers(folders: tuple[Path, ...]) -> None:
    """Remove what killed writes left in ``folders``; only under the workspace lock, which every
    write of a task file holds, so that none of these files can be in use."""
    for left in leftovers(folders):
        left.unlink(missing_ok=True)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, fsync it, then rename it over ``path``.

    A crash at any moment leaves either the old file whole or the new one whole.
    """
    import tempfile

    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, before the rename
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
    )
    temporary = Path(handle.name)
    try:
        with handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.chmod(path.stat().st_mode & 0o7777 if path.exists() else _new_file_mode())
        _replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)


def _replace(temporary: Path, path: Path) -> None:
    """Rename ``temporary`` over ``path``, trying again while another program holds ``path``.

    On Windows a file open in another program (the clerk's WPS or Excel showing it) cannot be
    replaced: os.replace raises PermissionError, and ``path`` is left as it was. Still held
    after the pauses: PermissionError saying so, for the caller to name the file.
    """
    for pause in (*REPLACE_PAUSES, None):
        try:
            temporary.replace(path)
            return
        except PermissionError as exc:
            if pause is None:
                raise PermissionError(errno.EACCES, held_open_message(), str(path)) from exc
            time.sleep(pause)


def held_open_message() -> str:
    return _(
        "another program has it open, or it is read-only: if WPS or Excel shows it, close it"
        " there and try again"
    )


def _new_file_mode() -> int:
    """What any new file gets (0644 under the usual umask), not the temporary file's 0600."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _fsync_folder(folder: Path) -> None:
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@contextlib.contextmanager
def workspace_lock(root: Path) -> Iterator[None]:
    """Serialise every write (and its git commit) in one workspace across processes.

    WriteRefused, before anything is written, if the lock cannot be taken: held too long by
    another command, or its file cannot be made (a read-only workspace, a folder in its place).
    """
    from filelock import FileLock, Timeout

    path = root / LOCK_FILE
    lock = FileLock(str(path), timeout=LOCK_TIMEOUT_SECONDS)
    try:
        lock.acquire()
    except Timeout as exc:
        raise WriteRefused(
            _("another minsheng command has held the ledger for {seconds:.0f}s; try again").format(
                seconds=LOCK_TIMEOUT_SECONDS
            )
        ) from exc
    except OSError as exc:
        raise WriteRefused(lock_problem(path, exc)) from exc
    try:
        yield
    finally:
        lock.release()


def lock_problem(path: Path, error: OSError) -> str:
    """Why the lock file cannot be taken, in one line that says nothing was written."""
    if path.is_dir():
        return _(
            "cannot lock the workspace: {file} is a folder; remove it (nothing was recorded)"
        ).format(file=path.name)
    return _(
        "cannot lock the workspace: cannot create {file} ({error}); nothing was recorded"
    ).format(file=path.name, error=error.strerror or error)
