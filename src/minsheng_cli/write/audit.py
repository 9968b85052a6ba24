"""git as the audit trail: one commit per recorded change, and the history read back."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from minsheng_cli.errors import GitError
from minsheng_cli.i18n import _

ITEM_TRAILER = "Minsheng-Item"
REPORTER_TRAILER = "Reported-by"
FIELD = "\x1f"
RECORD = "\x1e"


class Entry(NamedTuple):
    """One commit of the ledger's history."""

    commit: str
    author: str
    when: str
    subject: str
    items: tuple[str, ...]
    reporter: str
    files: tuple[str, ...] = ()


def _git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    if shutil.which("git") is None:
        raise GitError(_("git is not installed; the change is saved but not committed"))
    result = subprocess.run(
        ["git", "-c", "core.quotepath=false", *args],
        cwd=root,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    if check and result.returncode != 0:
        raise GitError(result.stderr.strip() or result.stdout.strip())
    return result


def in_work_tree(root: Path) -> bool:
    if shutil.which("git") is None:
        return False
    result = _git(root, "rev-parse", "--is-inside-work-tree", check=False)
    return result.returncode == 0 and result.stdout.strip() == "true"


def has_changes(root: Path, file: Path) -> bool:
    """Whether git would see ``file`` differ from the last commit (edited, staged or untracked)."""
    relative = str(file.resolve().relative_to(root.resolve()))
    return bool(_git(root, "status", "--porcelain", "--", relative).stdout.strip())


def commit(root: Path, files: Sequence[Path], message: str, trailers: Mapping[str, str]) -> str:
    """Commit exactly ``files`` (nothing else that may be staged) and return the short hash."""
    paths = [str(f.resolve().relative_to(root.resolve())) for f in files]
    added = _git(root, "add", "--", *paths, check=False)
    if added.returncode != 0:
        detail = (added.stderr or added.stdout).strip()
        ignored = _git(root, "check-ignore", "--quiet", "--", *paths, check=False)
        if ignored.returncode == 0:  # asked, not read from git's words (they may be Chinese)
            detail = _(
                "the repository around this folder ignores it (its .gitignore); give the"
                " workspace a repository of its own: run git init in it"
            )
        raise GitError(_saved_but(paths, detail))
    trailer_args = [
        arg
        for key, value in trailers.items()
        if value
        for arg in ("--trailer", f"{key}: {' '.join(value.split())}")  # one line, always
    ]
    result = _git(
        root, "commit", "--quiet", "-m", message, *trailer_args, "--", *paths, check=False
    )
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()
        if "Please tell me who you are" in detail or "user.email" in detail:
            detail = _(
                'git does not know who you are: run git config user.name "Your Name" and'
                ' git config user.email "you@example.org"'
            )
        raise GitError(_saved_but(paths, detail))
    return _git(root, "rev-parse", "--short", "HEAD").stdout.strip()


def _saved_but(paths: Sequence[str], detail: str) -> str:
    return _("the change is saved in {files}, but git could not commit it: {detail}").format(
        files=", ".join(paths), detail=_reason(detail)
    )


def _reason(detail: str) -> str:
    """git's own words on one line, without its hints (advice on silencing advice)."""
    lines = (line.strip() for line in detail.splitlines())
    return " ".join(line for line in lines if line and not line.startswith("hint:")) or "?"


def history(root: Path, paths: Sequence[str] = ("tasks", "minsheng.yaml")) -> list[Entry]:
    """Every commit that touched the ledger, newest first."""
    fmt = FIELD.join(
        [
            "%h",
            "%an",
            "%ad",
            "%s",
            f"%(trailers:key={ITEM_TRAILER},valueonly,separator=%x2C)",
            f"%(trailers:key={REPORTER_TRAILER},valueonly,separator=%x2C)",
        ]
    )
    result = _git(
        root,
        "log",
        f"--format={RECORD}{fmt}",
        "--date=format:%Y-%m-%d %H:%M",
        "--name-only",
        "--",
        *paths,
    )
    entries = []
    for chunk in result.stdout.split(RECORD):
        if not chunk.strip():
            continue
        head, _sep, names = chunk.partition("\n")
        parts = head.split(FIELD)
        if len(parts) < 6:
            continue
        items = tuple(x.strip() for x in parts[4].split(",") if x.strip())
        files = tuple(n for n in names.splitlines() if n.strip())
        entries.append(
            Entry(parts[0], parts[1], parts[2], parts[3], items, parts[5].strip(), files)
        )
    return entries
