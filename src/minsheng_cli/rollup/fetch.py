"""git fetches a member's branch into the rollup's bare mirror of it; nothing is ever pushed.

Each git runs with a timeout in a process group of its own (a hung server, or an ssh waiting for
a password, is killed with everything it started), never prompts (GIT_TERMINAL_PROMPT=0), and
fetches into ``refs/minsheng/fetched`` only; the commit the rollup reads is pinned by
``refs/minsheng/good`` so that no fetch or gc can lose it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from pathlib import Path
from typing import NamedTuple

from minsheng_cli.i18n import _
from minsheng_cli.write.audit import git_environment

FETCHED_REF = "refs/minsheng/fetched"
"""The member's branch as the last fetch found it (forced: a rewritten history lands here)."""
GOOD_REF = "refs/minsheng/good"
"""The last commit that loaded: what the views read, kept whatever the member does."""
DEFAULT_TIMEOUT = 120.0
QUIET_GIT = {
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_ASKPASS": "",
    "SSH_ASKPASS": "",
    "LC_ALL": "C",
}
"""git never asks for a password (a member's server that wants one fails, it does not hang);
its messages in English, so that their first line can be read and quoted."""


class Fetched(NamedTuple):
    """What fetching a member found: the newest commit of its branch (now in the mirror), or
    why there is none."""

    commit: str | None
    error: str | None = None
    source: str = "url"
    """"url" (the member's server) or "bundle" (a `git bundle` file)."""


class Ran(NamedTuple):
    returncode: int
    stdout: str
    stderr: str


class TimedOut(Exception):
    """git did not finish within the timeout (it was killed, with what it started)."""


def run_bounded(cwd: Path, args: list[str], timeout: float) -> Ran:
    """git ``args`` in ``cwd``, killed with its whole process group after ``timeout`` seconds."""
    from minsheng_cli.write.audit import git_program

    env = git_environment(QUIET_GIT)
    if "GIT_SSH_COMMAND" not in os.environ:
        env["GIT_SSH_COMMAND"] = "ssh -o BatchMode=yes"
    process = subprocess.Popen(
        [git_program(), "-c", "core.quotepath=false", *args],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        process.communicate()
        raise TimedOut from None
    return Ran(process.returncode, _text(out), _text(err))


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    killpg = getattr(os, "killpg", None)
    if killpg is None:  # Windows: no process groups to signal
        process.kill()
        return
    with contextlib.suppress(ProcessLookupError):
        killpg(process.pid, signal.SIGKILL)


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def git_reason(ran: Ran) -> str:
    """git's own reason, its first meaningful line without ``fatal:`` (a line that ends in a
    colon with the line that follows: ``lacks these prerequisite commits: 6b42b96…``)."""
    lines = [
        line
        for written in (ran.stderr or ran.stdout).splitlines()
        if (line := written.strip().removeprefix("fatal:").removeprefix("error:").strip())
    ]
    if not lines:
        return _("git failed with exit code {code}").format(code=ran.returncode)
    if lines[0].endswith(":") and len(lines) > 1:
        return f"{lines[0]} {lines[1]}"
    return lines[0]


MISSING_PREREQUISITES = "lacks these prerequisite commits"
"""What `git bundle verify` says of an incremental bundle whose base is not in the mirror."""


def ensure_mirror(mirror: Path) -> bool:
    """The bare mirror, made if missing; whether it was there already."""
    if (mirror / "HEAD").is_file():
        return True
    mirror.mkdir(parents=True, exist_ok=True)
    made = run_bounded(mirror, ["init", "--bare", "--quiet", str(mirror)], DEFAULT_TIMEOUT)
    if made.returncode != 0:
        raise OSError(git_reason(made))
    return False


def read_ref(mirror: Path, ref: str) -> str | None:
    """``ref``'s commit, read from the mirror's files without running git (None if not found
    as a loose ref: the caller then fetches, which is correct, only slower)."""
    try:
        return (mirror / ref).read_text(encoding="ascii").strip() or None
    except (OSError, UnicodeError):
        return None


def local_url(root: Path, url: str) -> str:
    """A member's url as git is given it: a relative path is relative to the rollup's folder
    (git runs in the mirror)."""
    if "://" in url or url.startswith("ext::") or Path(url).is_absolute():
        return url
    here = root / url
    return str(here) if here.exists() else url


def fetch_member(
    mirror: Path, url: str, branch: str, timeout: float, name: str = "NAME", given: str = ""
) -> Fetched:
    """Fetch ``branch`` of ``url`` into the mirror, unless its newest commit is the one the
    mirror fetched last (asked with one `git ls-remote`). ``name`` and ``given`` (the url as
    rollup.yaml has it) fill in the command a missing branch suggests."""
    try:
        existed = ensure_mirror(mirror)
        listed = run_bounded(mirror, ["ls-remote", "--", url, f"refs/heads/{branch}"], timeout)
        if listed.returncode != 0:
            return Fetched(None, cannot_fetch(url, git_reason(listed)))
        remote = listed.stdout.split()[0] if listed.stdout.strip() else None
        if remote is None:
            return Fetched(None, no_branch(mirror, url, branch, timeout, name, given or url))
        if existed and read_ref(mirror, FETCHED_REF) == remote:
            return Fetched(remote)
        return _fetch(mirror, url, f"refs/heads/{branch}", timeout)
    except TimedOut:
        return Fetched(None, timed_out(url, timeout))
    except OSError as exc:
        return Fetched(None, cannot_fetch(url, str(exc.strerror or exc)))


def no_branch(
    mirror: Path, url: str, branch: str, timeout: float, name: str = "NAME", given: str = ""
) -> str:
    """Why ``url`` cannot be read at ``branch``, naming the branches it has and the command
    that reads its default one (`git ls-remote --symref`: its HEAD, else its only branch)."""
    heads, default = server_branches(mirror, url, timeout)
    words = (shell_word(name), shell_word(given or url), shell_word(default or "B"))
    command = "minsheng rollup add {} {} --branch {} --replace".format(*words)
    return _(
        "{url} has no branch “{branch}” (it has: {branches}); change the member's branch with"
        " `{command}`"
    ).format(url=url, branch=branch, branches="、".join(heads) or "—", command=command)


def server_branches(cwd: Path, url: str, timeout: float) -> tuple[list[str], str | None]:
    """The branches ``url`` has, and its default one (its HEAD, else its only branch; None if
    it names none or cannot be asked), by one `git ls-remote --symref`."""
    try:
        listed = run_bounded(cwd, ["ls-remote", "--symref", "--", url], timeout)
    except (TimedOut, OSError):
        return [], None
    lines = listed.stdout.splitlines() if listed.returncode == 0 else []
    heads = [
        line.split("refs/heads/", 1)[1]
        for line in lines
        if "\trefs/heads/" in line and not line.startswith("ref:")
    ]
    default = next(
        (
            line.split("refs/heads/", 1)[1].split("\t", 1)[0]
            for line in lines
            if line.startswith("ref: refs/heads/") and line.endswith("\tHEAD")
        ),
        heads[0] if len(heads) == 1 else None,
    )
    return heads, default


def shell_word(word: str) -> str:
    """``word`` as one word on a command line: double-quoted when it holds a space (the same
    in bash, PowerShell and cmd)."""
    return f'"{word}"' if not word or any(c.isspace() for c in word) else word


def _fetch(mirror: Path, source: str, ref: str, timeout: float) -> Fetched:
    fetched = run_bounded(
        mirror,
        ["fetch", "--no-tags", "--quiet", "--no-write-fetch-head", "--", source,
         f"+{ref}:{FETCHED_REF}"],
        timeout,
    )  # fmt: skip
    if fetched.returncode != 0:
        return Fetched(None, cannot_fetch(source, git_reason(fetched)))
    commit = read_ref(mirror, FETCHED_REF)
    if commit is None:
        parsed = run_bounded(mirror, ["rev-parse", "--verify", FETCHED_REF], timeout)
        commit = parsed.stdout.strip() if parsed.returncode == 0 else None
    if commit is None:
        return Fetched(None, cannot_fetch(source, _("the fetched branch cannot be read")))
    return Fetched(commit)


def bundle_heads(bundle: Path, timeout: float) -> dict[str, str] | str:
    """The refs a bundle file holds ({ref: commit}), or why it is not a bundle."""
    try:
        listed = run_bounded(bundle.parent, ["bundle", "list-heads", str(bundle)], timeout)
    except TimedOut:
        return timed_out(str(bundle), timeout)
    if listed.returncode != 0:
        return git_reason(listed)
    heads: dict[str, str] = {}
    for line in listed.stdout.splitlines():
        commit, _space, ref = line.partition(" ")
        if ref:
            heads[ref.strip()] = commit.strip()
    return heads


def fetch_bundle(mirror: Path, bundle: Path, branch: str, timeout: float) -> Fetched:
    """Fetch ``branch`` (else the bundle's HEAD, else its only branch) from a `git bundle` file,
    once git has verified it against the mirror (an incremental bundle needs the commits it
    builds on)."""
    try:
        heads = bundle_heads(bundle, timeout)
        if isinstance(heads, str):
            return Fetched(None, not_a_bundle(bundle, heads))
        ref = _bundle_ref(heads, branch)
        if ref is None:
            return Fetched(
                None,
                _("{file} holds no branch “{branch}” (it has: {refs})").format(
                    file=bundle, branch=branch, refs=", ".join(sorted(heads)) or "—"
                ),
            )
        ensure_mirror(mirror)
        verified = run_bounded(mirror, ["bundle", "verify", str(bundle)], timeout)
        if verified.returncode != 0:
            return Fetched(None, unverified(bundle, git_reason(verified)))
        return _fetch(mirror, str(bundle), ref, timeout)._replace(source="bundle")
    except TimedOut:
        return Fetched(None, timed_out(str(bundle), timeout))
    except OSError as exc:
        return Fetched(None, not_a_bundle(bundle, str(exc.strerror or exc)))


def fetch_bundles(mirror: Path, bundles: list[Path], branch: str, timeout: float) -> list[Fetched]:
    """Fetch several bundle files of one member: one that fails is tried again after the others
    (an incremental bundle given before the one it builds on), the commits then put in ancestry
    order (oldest first), and what could not be read last, as one."""
    commits: list[str] = []
    pending = list(bundles)
    errors: list[str] = []
    while pending:
        errors, again = [], []
        for bundle in pending:
            fetched = fetch_bundle(mirror, bundle, branch, timeout)
            if fetched.commit:
                commits.append(fetched.commit)
            else:
                errors.append(fetched.error or "")
                again.append(bundle)
        if len(again) == len(pending):
            break
        pending = again
    steps = [
        Fetched(commit, source="bundle")
        for commit in in_ancestry_order(mirror, list(dict.fromkeys(commits)), timeout)
    ]
    if errors:
        steps.append(Fetched(None, "; ".join(errors), "bundle"))
    return steps


def in_ancestry_order(mirror: Path, commits: list[str], timeout: float) -> list[str]:
    """``commits`` oldest first, by how many commits each history holds (for one line of
    history, its order; a commit git cannot count goes last)."""
    if len(commits) < 2:
        return commits

    def depth(commit: str) -> int:
        ran = run_bounded(mirror, ["rev-list", "--count", commit], timeout)
        return int(ran.stdout.strip()) if ran.returncode == 0 else 1 << 62

    return sorted(commits, key=depth)


def _bundle_ref(heads: dict[str, str], branch: str) -> str | None:
    for ref in (f"refs/heads/{branch}", "HEAD"):
        if ref in heads:
            return ref
    branches = [r for r in heads if r.startswith("refs/heads/")]
    return branches[0] if len(branches) == 1 else None


def descends(mirror: Path, old: str, new: str, timeout: float) -> bool:
    """Whether ``new`` contains ``old`` in its history (no force-push in between)."""
    ran = run_bounded(mirror, ["merge-base", "--is-ancestor", old, new], timeout)
    return ran.returncode == 0


def pin_good(mirror: Path, commit: str, timeout: float) -> None:
    """Keep ``commit`` in the mirror whatever the member's branch does next."""
    run_bounded(mirror, ["update-ref", GOOD_REF, commit], timeout)


def cannot_fetch(url: str, reason: str) -> str:
    return _("cannot fetch {url}: {reason}").format(url=url, reason=reason)


def timed_out(url: str, timeout: float) -> str:
    return _("{url} did not answer within {seconds:g} s (stopped); try again later").format(
        url=url, seconds=timeout
    )


def not_a_bundle(bundle: Path, reason: str) -> str:
    return _("{file} is not a usable git bundle: {reason}").format(file=bundle, reason=reason)


def unverified(bundle: Path, reason: str) -> str:
    """Why git refused a bundle; for an incremental one whose base is missing, what to do."""
    if MISSING_PREREQUISITES not in reason:
        return not_a_bundle(bundle, reason)
    return _(
        "{file} builds on commits the rollup has not read: {reason}; take in the county's"
        " earlier bundle first (or both at once, in one `rollup sync --bundle`)"
    ).format(file=bundle, reason=reason)
