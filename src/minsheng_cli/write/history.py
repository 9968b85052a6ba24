"""The ledger's history as git keeps it: dispatch meetings as tags, points in history, the
commits between two of them, and the task files as a commit holds them.

A meeting is an annotated tag ``meeting-YYYY-MM-DD`` on the commit the meeting saw; its message
is the clerk's note and a ``Marked-by`` trailer. Nothing here checks anything out: files are read
as git objects, all of a commit's through one ``git cat-file --batch``.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import NamedTuple

from minsheng_cli.errors import GitError, LedgerProblems, Problem, UsageError
from minsheng_cli.i18n import _
from minsheng_cli.text import file_size
from minsheng_cli.write.audit import (
    FIELD,
    RECORD,
    GitKilled,
    commit_message,
    git_environment,
    git_program,
    in_work_tree,
    killed_message,
    logged,
    run_git,
    uncommitted_files,
)

MEETING_PREFIX = "meeting-"
MARKER_TRAILER = "Marked-by"
LEDGER_PATHS = ("tasks", "minsheng.yaml")
_MEETING = re.compile(r"^meeting-(\d{4}-\d{2}-\d{2})$")


class Meeting(NamedTuple):
    """A dispatch meeting: its tag, day, the commit it saw, the note and who marked it."""

    tag: str
    day: date
    commit: str
    note: str
    by: str


class Point(NamedTuple):
    """A point in the ledger's history: a commit, what the clerk called it, and its day."""

    commit: str
    label: str
    day: date
    meeting: str | None = None


class Change(NamedTuple):
    """One commit that touched the ledger: its record's item and reporter, if it made one."""

    commit: str
    when: str
    author: str
    subject: str
    items: tuple[str, ...]
    reporter: str
    files: tuple[str, ...]

    @property
    def is_record(self) -> bool:
        return bool(self.items)


def require_git(root: Path) -> None:
    """UsageError unless the workspace is in a git repository with at least one commit."""
    if not in_work_tree(root):
        raise UsageError(
            _(
                "this workspace is not in a git repository, so it has no history to mark or"
                " read; run git init in it and commit the ledger first"
            )
        )
    if run_git(root, "rev-parse", "--verify", "--quiet", "HEAD", check=False).returncode != 0:
        raise UsageError(_("the repository has no commit yet; commit the ledger first"))


def meeting_tag(day: date) -> str:
    return f"{MEETING_PREFIX}{day.isoformat()}"


def mark_meeting(root: Path, day: date, note: str, by: str, *, replace: bool = False) -> Meeting:
    """Tag the current commit as the day's meeting; refused when the ledger has changes not
    committed (the meeting would not see them) or the day has a meeting (unless ``replace``)."""
    require_git(root)
    pending = uncommitted_files(root, LEDGER_PATHS, re.compile(r"^\.minsheng"))
    if pending:
        raise UsageError(
            _(
                "the ledger has changes not committed ({files}); the meeting would not see them:"
                " run `minsheng doctor --fix` first"
            ).format(files=", ".join(p.name for p in pending))
        )
    _refuse_records_after(root, day)
    tag = meeting_tag(day)
    if not replace and _tag_commit(root, tag) is not None:
        raise UsageError(
            _("{tag} is already marked; add --replace to move it to the current commit").format(
                tag=tag
            )
        )
    by = by or _committer_name(root)
    message = commit_message(
        _("dispatch meeting of {day}").format(day=day), note, {MARKER_TRAILER: by}
    )
    run_git(
        root, "tag", "--annotate", *(["--force"] if replace else []), "--file=-", tag, stdin=message
    )
    return Meeting(tag, day, run_git(root, "rev-parse", "--short", "HEAD").stdout.strip(), note, by)


def _refuse_records_after(root: Path, day: date) -> None:
    """UsageError when the ledger (as committed: nothing is pending here) holds a record dated
    after ``day``: a meeting of that day cannot have seen the current commit, and `changes`
    would compare the wrong states. The files that cannot be read are left out."""
    from minsheng_cli.store.files import load

    later = [
        (record.date, item.ref)
        for item in load(root).ledger.items
        for record in item.records
        if record.date > day
    ]
    if later:
        latest, ref = max(later)
        raise UsageError(
            _(
                "the ledger already holds records dated after {day} (the latest: {ref},"
                " {latest}), which a meeting of {day} cannot have seen; mark a meeting on the"
                " day it is held, or tag the commit a past one saw by hand: git tag --annotate"
                " {tag} COMMIT (`minsheng log` lists the commits)"
            ).format(day=day, ref=ref, latest=latest, tag=meeting_tag(day))
        )


def _committer_name(root: Path) -> str:
    ident = run_git(root, "var", "GIT_COMMITTER_IDENT", check=False).stdout
    return ident.partition("<")[0].strip()


def _tag_commit(root: Path, tag: str) -> str | None:
    found = run_git(
        root, "rev-parse", "--verify", "--quiet", f"refs/tags/{tag}^{{commit}}", check=False
    )
    return found.stdout.strip() if found.returncode == 0 else None


def meetings(root: Path) -> list[Meeting]:
    """Every meeting tag, oldest first."""
    require_git(root)
    fmt = FIELD.join(["%(refname:short)", "%(*objectname)", "%(objectname)", "%(contents)"])
    listed = run_git(
        root, "for-each-ref", f"--format={RECORD}{fmt}", f"refs/tags/{MEETING_PREFIX}*"
    )
    found = []
    for chunk in listed.stdout.split(RECORD):
        parts = chunk.split(FIELD)
        if len(parts) < 4:
            continue
        named = _MEETING.match(parts[0])
        if named is None:
            continue
        try:
            day = date.fromisoformat(named.group(1))
        except ValueError:
            continue
        note, by = _note_and_marker(parts[3])
        found.append(Meeting(parts[0], day, parts[1] or parts[2], note, by))
    return sorted(found, key=lambda m: m.day)


def _note_and_marker(message: str) -> tuple[str, str]:
    """The quoted note and the Marked-by trailer of a meeting tag's message."""
    paragraphs = message.strip().split("\n\n")
    by = ""
    if paragraphs and paragraphs[-1].startswith(f"{MARKER_TRAILER}:"):
        by = paragraphs.pop().partition(":")[2].strip()
    body = paragraphs[1:]
    note = "\n".join(line.strip() for paragraph in body for line in paragraph.splitlines())
    return note.strip(), by


def resolve_point(root: Path, text: str) -> Point:
    """MEETING (meeting-2023-07-05), DATE (a meeting's day, else the last commit made by the
    end of it) or any git revision; UsageError naming what it could be."""
    require_git(root)
    wanted = text.strip()
    tag = wanted if wanted.startswith(MEETING_PREFIX) else None
    day = _day_of(wanted)
    if tag is None and day is not None:
        tag = meeting_tag(day)
    if tag is not None:
        commit = _tag_commit(root, tag)
        if commit is not None:
            return Point(
                commit,
                tag,
                _day_of(tag.removeprefix(MEETING_PREFIX)) or _commit_day(root, commit),
                tag,
            )
    if day is not None:
        before = run_git(
            root, "rev-list", "-1", f"--before={day.isoformat()} 23:59:59", "HEAD", check=False
        ).stdout.strip()
        if before:
            return Point(before, day.isoformat(), day)
        raise UsageError(_("nothing was committed by {day}").format(day=day.isoformat()))
    found = run_git(root, "rev-parse", "--verify", "--quiet", f"{wanted}^{{commit}}", check=False)
    if found.returncode != 0 or not wanted:
        raise UsageError(
            _(
                "“{text}” is not a meeting, a date or a git revision; `minsheng meetings` lists"
                " the meetings"
            ).format(text=text)
        )
    commit = found.stdout.strip()
    return Point(commit, wanted, _commit_day(root, commit))


def _day_of(text: str) -> date | None:
    """A date as a clerk types it (2023-07-05, 2023年7月5日), or None."""
    from minsheng_cli.core.asof import parse_day

    try:
        return parse_day(text)
    except UsageError:
        return None


def _commit_day(root: Path, commit: str) -> date:
    shown = run_git(root, "show", "-s", "--format=%cs", commit).stdout.strip()
    return date.fromisoformat(shown)


def head_point(root: Path, today: date) -> Point:
    require_git(root)
    commit = run_git(root, "rev-parse", "HEAD").stdout.strip()
    return Point(commit, "HEAD", today)


def last_meeting(root: Path) -> Meeting | None:
    found = meetings(root)
    return found[-1] if found else None


def changes_between(root: Path, since: str, until: str) -> list[Change]:
    """The commits after ``since`` up to ``until`` that touched the ledger, oldest first."""
    return [
        Change(c.commit, c.committed, c.author, c.subject, c.items, c.reporter, c.files)
        for c in logged(root, LEDGER_PATHS, "--reverse", f"{since}..{until}")
    ]


def line_commits(root: Path, since: str, until: str, path: str) -> dict[int, str]:
    """The commit (full hash) after ``since`` up to ``until`` that last changed each line of
    ``path`` (relative to the workspace) as ``until`` holds it, by ``git blame``; lines that
    are older than ``since`` are left out, and so is a file ``until`` does not hold.

    A record is appended as lines of its own, so its first line names the commit that added
    it, however many records that commit added (a form's several records for one item)."""
    blamed = run_git(root, "blame", "--porcelain", f"{since}..{until}", "--", path, check=False)
    if blamed.returncode != 0:
        return {}
    found: dict[int, str] = {}
    boundary: set[str] = set()
    current = ""
    for line in blamed.stdout.split("\n"):
        if line.startswith("\t"):
            continue
        fields = line.split(" ")
        if len(fields) >= 3 and _HASH.match(fields[0]):
            current = fields[0]
            found[int(fields[2])] = current
        elif line == "boundary":
            boundary.add(current)
    return {number: commit for number, commit in found.items() if commit not in boundary}


_HASH = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?$")


Listing = list[tuple[str, str]]
"""(object id, path relative to the workspace) of a commit's minsheng.yaml and task files."""
Blobs = tuple[bytes | None, list[tuple[Path, bytes | None]]]
"""minsheng.yaml's bytes (None: the commit has none) and each task file's, by name."""


def ledger_tree(root: Path, commit: str, limit: int | None = None) -> Listing:
    """minsheng.yaml and tasks/*.yaml (and .yml) as ``commit`` holds them, not their content.

    ``limit``: the most bytes a file may have (a rollup reads counties' repositories, whose files
    it does not control); LedgerProblems naming every larger one, before any is read.
    """
    listed = run_git(root, "ls-tree", "-r", "-l", "-z", commit, "--", *LEDGER_PATHS)
    found = []
    too_large = []
    for entry in listed.stdout.split("\0"):
        info, _tab, path = entry.partition("\t")
        fields = info.split()
        if len(fields) != 4 or fields[1] != "blob" or fields[0] == "120000":
            continue
        folder, _slash, name = path.rpartition("/")
        is_task = folder == "tasks" and name.endswith((".yaml", ".yml"))
        if path == "minsheng.yaml" or is_task:
            found.append((fields[2], path))
            if limit is not None and fields[3].isdigit() and int(fields[3]) > limit:
                too_large.append(Problem(root / path, None, _too_large(int(fields[3]), limit)))
    if too_large:
        raise LedgerProblems(too_large, root)
    return found


def _too_large(size: int, limit: int) -> str:
    return _(
        "the file is {size}, more than the {limit} a ledger file may be; it is not read"
    ).format(size=file_size(size), limit=file_size(limit))


def task_paths(root: Path, listing: Listing) -> list[Path]:
    return sorted((root / path for _oid, path in listing if path != "minsheng.yaml"), key=_name)


def _name(path: Path) -> str:
    return path.name


def read_blobs(root: Path, listings: Sequence[Listing]) -> list[Blobs]:
    """The files of each listing (by name, as ``task_files`` orders them), every object read
    by one ``git cat-file --batch``."""
    wanted = sorted({oid for listing in listings for oid, _path in listing})
    contents = _cat_batch(root, wanted)
    found = []
    for listing in listings:
        workspace_raw: bytes | None = None
        sources = []
        for oid, path in listing:
            if path == "minsheng.yaml":
                workspace_raw = contents.get(oid)
            else:
                sources.append((root / path, contents.get(oid)))
        sources.sort(key=lambda source: source[0].name)
        found.append((workspace_raw, sources))
    return found


def _cat_batch(root: Path, oids: Sequence[str]) -> dict[str, bytes]:
    """The content of each object, by one ``git cat-file --batch``."""
    if not oids:
        return {}
    done = subprocess.run(
        [git_program(), "cat-file", "--batch"],
        env=git_environment(),
        cwd=root,
        input=("\n".join(oids) + "\n").encode("ascii"),
        capture_output=True,
        check=False,
    )
    if done.returncode < 0:
        raise GitKilled(killed_message(-done.returncode))
    if done.returncode != 0:
        raise GitError(done.stderr.decode("utf-8", "replace").strip() or "git cat-file")
    out = done.stdout
    contents: dict[str, bytes] = {}
    offset = 0
    while offset < len(out):
        end = out.index(b"\n", offset)
        header = out[offset:end].split()
        offset = end + 1
        if len(header) < 3:  # "<oid> missing"
            continue
        size = int(header[2])
        contents[header[0].decode("ascii")] = out[offset : offset + size]
        offset += size + 1
    return contents
