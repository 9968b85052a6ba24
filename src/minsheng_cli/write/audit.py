"""git as the audit trail: one commit per recorded change, and the history read back.

A commit's message is the program's subject, the clerk's words (a note, evidence) indented as a
quotation, and last the program's trailer block (``Minsheng-Item``, ``Reported-by``). Nothing the
clerk types can form or join a trailer block: under `git interpret-trailers` the trailers are
read from the last paragraph only, an indented line is never a trailer, and an indented ``---``
is not the patch divider.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from minsheng_cli.errors import GitError
from minsheng_cli.i18n import _
from minsheng_cli.text import without_controls

ITEM_TRAILER = "Minsheng-Item"
REPORTER_TRAILER = "Reported-by"
FORM_TRAILER = "Minsheng-Form"
"""A form's number (its identity's digest) on the commit that took it in (`intake`)."""
FILE_TRAILER = "Form-File"
"""The name of the form's file (the sheet a unit sent back) on the commit that took it in."""
CONTENT_TRAILER = "Form-Content"
"""The hash of what a form's cells held, so the same filling sent again is known."""
FIELD = "\x1f"
RECORD = "\x1e"
QUOTE = "    "
"""Each line of the clerk's text in a commit message starts with this: never a trailer."""
COMMIT = ("commit", "--quiet", "--cleanup=verbatim", "--file=-")
"""The message from standard input, kept as written: its last paragraph is the trailers."""


class Entry(NamedTuple):
    """One commit of the ledger's history."""

    commit: str
    author: str
    when: str
    subject: str
    items: tuple[str, ...]
    reporter: str
    files: tuple[str, ...] = ()
    note: str = ""
    """The clerk's words in the message (a note, evidence): the lines the program quoted."""
    form: str = ""
    """The number of the form the commit took in (`intake`), else empty."""
    form_file: str = ""
    """The name of that form's file."""
    records: tuple[str, ...] = ()
    """The records the commit made, as a record's own commit names it: its subject, or each
    line a form's commit quotes (not a clerk's words); none for a commit that is no record."""

    def records_of(self, refs: Collection[str]) -> tuple[str, ...]:
        """The records of a form's commit that are for the items ``refs`` names."""
        if not self.form:
            return self.records
        return tuple(line for line in self.records if _record_ref(line) in refs)


def _record_ref(subject: str) -> str:
    """The item a record's subject names: ``3.1`` of ``done 3.1#7 开工建设 (2023-03-29)``."""
    words = subject.split(maxsplit=2)
    return words[1].partition("#")[0] if len(words) > 1 else ""


class GitMissing(GitError):
    """The workspace is in a git repository, but there is no git to run."""


class GitKilled(GitError):
    """A git child was stopped by a signal (a file-size limit, the out-of-memory killer, …)."""


REPOSITORY_VARIABLES = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_PREFIX",
    "GIT_QUARANTINE_PATH",
)
"""What tells git which repository to work in. A git hook sets them (a rollup's sync run from a
post-receive hook, a clerk's command from a hook of their own): inherited, they would turn a
command on this workspace or mirror into one on that repository."""


def git_environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for a git child: ours, without the variables that name a repository (git
    finds it from the folder it runs in), with ``extra`` on top."""
    found = {k: v for k, v in os.environ.items() if k not in REPOSITORY_VARIABLES}
    found.update(extra or {})
    return found


def run_git(
    root: Path,
    *args: str,
    check: bool = True,
    env: Mapping[str, str] | None = None,
    stdin: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """git ``args`` in the folder ``root``; ``env``: variables set for this run only."""
    result = subprocess.run(
        [git_program(), "-c", "core.quotepath=false", *args],
        cwd=root,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        check=False,
        env=git_environment(env),
        input=stdin,
    )
    if result.returncode < 0:
        raise GitKilled(killed_message(-result.returncode))
    if check and result.returncode != 0:
        raise GitError(_reason(result.stderr or result.stdout))
    return result


def git_program() -> str:
    """git as the system finds it on PATH (git.exe on Windows, by PATHEXT), or GitMissing."""
    found = shutil.which("git")
    if found is None:
        raise GitMissing(git_not_found_message())
    return found


def git_not_found_message() -> str:
    """No git to run, said without assuming a repository (`minsheng init` has none yet)."""
    return _(
        "git is not installed (not found on PATH): install git (on Windows, Git for Windows),"
        " then run `minsheng doctor`"
    )


def git_missing_message() -> str:
    return _(
        "this workspace is in a git repository, but git is not installed (not found on PATH);"
        " install git, then run `minsheng doctor`"
    )


def killed_message(number: int) -> str:
    try:
        name = signal.Signals(number).name
    except ValueError:
        name = str(number)
    return _(
        "git was killed by signal {signal} (a resource limit, or the system stopped it);"
        " run `minsheng doctor` to see what is left to repair"
    ).format(signal=name)


def repository_above(root: Path) -> Path | None:
    """The folder at or above ``root`` that holds ``.git``, found without running git.

    As git searches: $GIT_DIR names one outright, and no folder in $GIT_CEILING_DIRECTORIES
    (nor anything above it) is looked at.
    """
    named = os.environ.get("GIT_DIR")
    if named:
        return Path(named)
    ceilings = {
        Path(p).resolve()
        for p in os.environ.get("GIT_CEILING_DIRECTORIES", "").split(os.pathsep)
        if p
    }
    here = root.resolve()
    for folder in (here, *here.parents):
        if folder in ceilings:
            return None
        if (folder / ".git").exists():
            return folder
    return None


def git_installed() -> bool:
    return shutil.which("git") is not None


def in_work_tree(root: Path) -> bool:
    """Whether ``root`` is in a git work tree; GitMissing if it is but git cannot be run."""
    if not git_installed():
        if repository_above(root) is not None:
            raise GitMissing(git_missing_message())
        return False
    result = run_git(root, "rev-parse", "--is-inside-work-tree", check=False)
    return result.returncode == 0 and result.stdout.strip() == "true"


def git_lock(root: Path) -> Path | None:
    """A lock git holds in the repository, if there is one (a git at work, or one that was
    stopped): ``index.lock``, ``HEAD.lock`` or a branch's ``refs/….lock``, each of which a git
    killed in the middle of a commit can leave, and each of which stops every later commit."""
    found = run_git(root, "rev-parse", "--absolute-git-dir", check=False)
    if found.returncode != 0:
        return None
    git_dir = Path(found.stdout.strip())
    for lock in (git_dir / "index.lock", git_dir / "HEAD.lock"):
        if lock.exists():
            return lock
    return next((git_dir / "refs").rglob("*.lock"), None)


def locked_message(lock: Path) -> str:
    return _(
        "git's repository is locked by {lock}, left by a git that was stopped (or a git still at"
        " work); when no git is running, `minsheng doctor --fix` removes it and commits what"
        " is saved"
    ).format(lock=lock)


def identity_known(root: Path) -> bool:
    """Whether git can name the author and committer (asked of git, not read from its words)."""
    return all(
        run_git(root, "var", variable, check=False).returncode == 0
        for variable in ("GIT_AUTHOR_IDENT", "GIT_COMMITTER_IDENT")
    )


def identity_message() -> str:
    return _(
        'git does not know who you are: run git config user.name "Your Name" and'
        ' git config user.email "you@example.org"'
    )


def has_changes(root: Path, file: Path) -> bool:
    """Whether git would see ``file`` differ from the last commit (edited, staged or untracked)."""
    return bool(run_git(root, "status", "--porcelain", "--", relative(root, file)).stdout.strip())


def uncommitted_files(
    root: Path, paths: Sequence[str], leave_out: re.Pattern[str] | None = None
) -> list[Path]:
    """The files under ``paths`` that differ from the last commit (edited, staged or untracked),
    but those whose name ``leave_out`` matches."""
    listed = run_git(root, "status", "--porcelain", "-z", "--untracked-files=all", "--", *paths)
    top = Path(run_git(root, "rev-parse", "--show-toplevel").stdout.strip())
    found = set()
    entries = iter(listed.stdout.split("\0"))
    for entry in entries:
        if entry[:1] in ("R", "C"):
            next(entries, None)  # the name it had before: gone
        name = entry[3:]
        if name and not (leave_out and leave_out.match(Path(name).name)):
            found.add((top / name).resolve())
    return sorted(found)


def relative(root: Path, file: Path) -> str:
    return file.resolve().relative_to(root.resolve()).as_posix()


def commit_message(subject: str, body: str, trailers: Mapping[str, str]) -> str:
    """The subject on one line, the clerk's text quoted, the program's trailers last; no
    control character or text-direction mark anywhere (a form's file name, a member's reason
    reach a message too), each shown as �."""
    paragraphs = [" ".join(without_controls(subject).split())]
    quoted = quotation(without_controls(body))
    if quoted:
        paragraphs.append(quoted)
    block = "\n".join(
        f"{key}: {' '.join(without_controls(value).split())}"
        for key, value in trailers.items()
        if value.strip()
    )
    if block:
        paragraphs.append(block)
    return "\n\n".join(paragraphs) + "\n"


def quotation(text: str) -> str:
    """The clerk's text with every line indented, blank lines kept single."""
    lines: list[str] = []
    for line in text.splitlines():
        stripped = line.rstrip()
        if stripped:
            lines.append(QUOTE + stripped)
        elif lines and lines[-1]:
            lines.append("")
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def commit(
    root: Path,
    files: Sequence[Path],
    subject: str,
    trailers: Mapping[str, str],
    body: str = "",
) -> str:
    """Commit exactly ``files`` (nothing else that may be staged) and return the short hash."""
    paths = [relative(root, f) for f in files]
    try:
        ready_to_commit(root)
        _add(root, paths)
        message = commit_message(subject, body, trailers)
        result = run_git(root, *COMMIT, "--", *paths, check=False, stdin=message)
        if result.returncode != 0:
            raise GitError(_after_failure(root, result))
        return short_head(root)
    except GitError as error:
        raise type(error)(saved_but(paths, error.message)) from error


def ready_to_commit(root: Path) -> None:
    """GitError unless a commit can be made: no lock left in git, an identity git knows."""
    lock = git_lock(root)
    if lock is not None:
        raise GitError(locked_message(lock))
    if not identity_known(root):
        raise GitError(identity_message())


def _add(root: Path, paths: Sequence[str]) -> None:
    added = run_git(root, "add", "--", *paths, check=False)
    if added.returncode == 0:
        return
    ignored = run_git(root, "check-ignore", "--quiet", "--", *paths, check=False)
    if ignored.returncode == 0:  # asked, not read from git's words (they may be Chinese)
        raise GitError(
            _(
                "the repository around this folder ignores it (its .gitignore); give the"
                " workspace a repository of its own: run git init in it"
            )
        )
    raise GitError(_after_failure(root, added))


def _after_failure(root: Path, result: subprocess.CompletedProcess[str]) -> str:
    """git's reason; a lock it left behind is named, with the way out."""
    lock = git_lock(root)
    if lock is not None:
        return locked_message(lock)
    return _reason(result.stderr or result.stdout)


def short_head(root: Path) -> str:
    return run_git(root, "rev-parse", "--short", "HEAD").stdout.strip()


def saved_but(paths: Sequence[str], detail: str) -> str:
    return _("the change is saved in {files}, but git could not commit it: {detail}").format(
        files=", ".join(paths), detail=detail
    )


def _reason(detail: str) -> str:
    """git's own words on one line, without its hints (advice on silencing advice)."""
    lines = (line.strip() for line in detail.splitlines())
    return " ".join(line for line in lines if line and not line.startswith("hint:")) or "?"


def committed_text(root: Path, file: Path) -> bytes | None:
    """``file`` as the last commit has it (as checked out), or None if it has none."""
    shown = subprocess.run(
        [git_program(), "cat-file", "--filters", f"HEAD:{relative(root, file)}"],
        env=git_environment(),
        cwd=root,
        capture_output=True,
        check=False,
    )
    if shown.returncode < 0:
        raise GitKilled(killed_message(-shown.returncode))
    return shown.stdout if shown.returncode == 0 else None


def commit_content(
    root: Path,
    file: Path,
    content: bytes,
    subject: str,
    body: str,
    trailers: Mapping[str, str],
    also: Sequence[Path] = (),
) -> str:
    """Commit ``content`` as ``file`` (a state it passed through), leaving the file alone, with
    the files ``also`` names as they are (a record's stored evidence).

    Through an index of its own, so nothing else staged is swept in; the hooks run as usual.
    """
    path = relative(root, file)
    with tempfile.TemporaryDirectory() as folder:
        env = {"GIT_INDEX_FILE": str(Path(folder) / "index")}
        staged = Path(folder) / "content"
        staged.write_bytes(content)
        blob = run_git(root, "hash-object", "-w", f"--path={path}", "--", str(staged))
        listed = run_git(root, "ls-tree", "HEAD", "--", path).stdout.split()
        mode = listed[0] if listed else "100644"
        run_git(root, "read-tree", "HEAD", env=env)
        entries = [f"{mode},{blob.stdout.strip()},{path}"]
        for other in also:
            name = relative(root, other)
            stored = run_git(root, "hash-object", "-w", "--", name)
            entries.append(f"100644,{stored.stdout.strip()},{name}")
        for entry in entries:
            run_git(root, "update-index", "--add", "--cacheinfo", entry, env=env)
        message = commit_message(subject, body, trailers)
        result = run_git(root, *COMMIT, check=False, env=env, stdin=message)
        if result.returncode != 0:
            raise GitError(_reason(result.stderr or result.stdout))
    return short_head(root)


def refresh_index(root: Path, *files: Path) -> None:
    """The real index's entries for ``files`` set to the last commit's (after
    ``commit_content``)."""
    run_git(root, "reset", "--quiet", "--", *(relative(root, f) for f in files))


def init_repository(root: Path) -> None:
    """A repository of the workspace's own, unless ``root`` already is the top of one."""
    found = run_git(root, "rev-parse", "--show-toplevel", check=False)
    if found.returncode == 0 and Path(found.stdout.strip()).resolve() == root.resolve():
        return  # its history is kept
    run_git(root, "init", "--quiet")


class Logged(NamedTuple):
    """One commit as ``logged`` reads it: its hash, author, author's and committer's dates,
    subject, the trailers of the block the program wrote, and the ledger files it touched."""

    commit: str
    author: str
    authored: str
    committed: str
    subject: str
    items: tuple[str, ...]
    reporter: str
    files: tuple[str, ...]
    form: str = ""
    form_file: str = ""


LOG_FORMAT = FIELD.join(
    [
        "%h",
        "%an",
        "%ad",
        "%cd",
        "%s",
        f"%(trailers:key={ITEM_TRAILER},valueonly,separator=%x2C)",
        f"%(trailers:key={REPORTER_TRAILER},valueonly,separator=%x2C)",
        f"%(trailers:key={FORM_TRAILER},valueonly,separator=%x2C)",
        f"%(trailers:key={FILE_TRAILER},valueonly,separator=%x2C)",
    ]
)


def logged(root: Path, paths: Sequence[str], *selection: str) -> list[Logged]:
    """The commits ``git log *selection`` lists that touched ``paths``, newest first unless the
    selection says otherwise (``--reverse``). Trailers are read from the message's last
    paragraph only: the block the program wrote."""
    result = run_git(
        root,
        "log",
        *selection,
        f"--format={RECORD}{LOG_FORMAT}",
        "--date=format:%Y-%m-%d %H:%M",
        "--name-only",
        "--",
        *paths,
    )
    found = []
    for chunk in result.stdout.split(RECORD):
        head, _sep, names = chunk.partition("\n")
        parts = head.split(FIELD)
        if len(parts) < 9:
            continue
        items = tuple(x.strip() for x in parts[5].split(",") if x.strip())
        files = tuple(n for n in names.splitlines() if n.strip())
        commit, author, authored, committed, subject = parts[:5]
        reporter, form, form_file = (part.strip() for part in parts[6:9])
        found.append(
            Logged(commit, author, authored, committed, subject, items, reporter, files)._replace(
                form=form, form_file=form_file
            )
        )
    return found


def history(root: Path, paths: Sequence[str] = ("tasks", "minsheng.yaml")) -> list[Entry]:
    """Every commit that touched the ledger, newest first, with the clerk's note; a form's
    commit with the records it made instead (its message quotes them, one a line)."""
    quoted = _quoted(root, paths)
    entries = []
    for c in logged(root, paths):
        lines = quoted.get(c.commit, [])
        records = tuple(lines) if c.form else (c.subject,) if c.items else ()
        note = "" if c.form else " ".join(lines)
        entries.append(
            Entry(
                c.commit,
                c.author,
                c.authored,
                c.subject,
                c.items,
                c.reporter,
                c.files,
                note,
                c.form,
                c.form_file,
                records,
            )
        )
    return entries


def _quoted(root: Path, paths: Sequence[str]) -> dict[str, list[str]]:
    """The lines of each commit's body the program quoted (indented by QUOTE), unindented."""
    result = run_git(root, "log", f"--format={RECORD}%h{FIELD}%b", "--", *paths)
    found: dict[str, list[str]] = {}
    for chunk in result.stdout.split(RECORD):
        commit, _sep, body = chunk.partition(FIELD)
        lines = [line[len(QUOTE) :].strip() for line in body.splitlines() if line.startswith(QUOTE)]
        if any(lines):
            found[commit.strip()] = [line for line in lines if line]
    return found
