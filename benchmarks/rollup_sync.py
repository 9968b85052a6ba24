"""`minsheng rollup sync` of N unchanged local members, timed as whole processes (issue 15: 100
members under 5 s).

    python -m benchmarks.rollup_sync [--members 100] [--dir DIR] [--runs 5]

Makes N county repositories (the bundled ledger, one commit each, as bare repositories), a
rollup workspace listing them, syncs once (each member read for the first time), then times
further syncs with nothing changed: with hyperfine where installed, else by hand.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MINSHENG = str(Path(sys.executable).with_name("minsheng"))
IDENTITY = {
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.org",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.org",
}


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env=ENV)


ENV = {**os.environ, **IDENTITY}


def make_members(base: Path, count: int) -> list[Path]:
    work = base / "county"
    work.mkdir(parents=True)
    shutil.copy2(REPO / "minsheng.yaml", work / "minsheng.yaml")
    shutil.copytree(REPO / "tasks", work / "tasks")
    git(work, "init", "--quiet", "--initial-branch=main")
    git(work, "add", "-A")
    git(work, "commit", "--quiet", "-m", "台账")
    bares = []
    for index in range(count):
        bare = base / "members" / f"county{index:03}.git"
        git(base, "clone", "--quiet", "--bare", "--no-hardlinks", str(work), str(bare))
        bares.append(bare)
    return bares


def make_rollup(base: Path, bares: list[Path]) -> Path:
    from minsheng_cli.rollup.config import Member, RollupConfig, write_config

    root = base / "rollup"
    subprocess.run(
        [MINSHENG, "rollup", "init", str(root), "--title", "bench"],
        check=True,
        capture_output=True,
        env=ENV,
    )
    members = tuple(Member(f"县{i:03}", str(b)) for i, b in enumerate(bares))
    write_config(root, RollupConfig("bench", "市", members))
    git(root, "commit", "--quiet", "-am", "members")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    base = args.dir or Path(tempfile.mkdtemp(prefix="minsheng-rollup-bench-"))
    started = time.perf_counter()
    root = make_rollup(base, make_members(base, args.members))
    print(f"{args.members} members made in {time.perf_counter() - started:.1f} s ({base})")
    command = [MINSHENG, "-C", str(root), "rollup", "sync"]
    started = time.perf_counter()
    first = subprocess.run(command, check=False, capture_output=True, text=True, env=ENV)
    print(f"first sync (every member read): {time.perf_counter() - started:.2f} s")
    print(first.stdout.splitlines()[-1] if first.stdout else first.stderr)
    if shutil.which("hyperfine"):
        subprocess.run(
            ["hyperfine", "--warmup", "1", "--runs", str(args.runs), " ".join(command)],
            check=True,
            env=ENV,
        )
        return
    times = []
    for _run in range(args.runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=ENV)
        times.append(time.perf_counter() - started)
    print(f"unchanged sync: median {statistics.median(times):.2f} s of {args.runs} runs")


if __name__ == "__main__":
    main()
