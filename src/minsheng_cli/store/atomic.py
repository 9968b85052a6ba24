"""Writes that lose nothing: a workspace-wide lock, and replace-by-rename of whole files."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from minsheng_cli.errors import WriteRefused
from minsheng_cli.i18n import _

LOCK_FILE = ".minsheng.lock"
LOCK_TIMEOUT_SECONDS = 60.0


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
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)


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
