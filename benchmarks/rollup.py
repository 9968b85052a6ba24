"""Benchmark of the rollup's views (issue 15): `rollup status` and `rollup overdue` on a warm cache
at a province's size (100 members of ~100 milestones) and the country's (3,000 members).

Members share one ledger of the seed's shape (benchmarks/generate.py), each with a commit of its
own (its minsheng.yaml names it), all made by one `git fast-import`; each member's mirror is a
bare repository borrowing the objects of that one (objects/info/alternates), so 3,000 mirrors
cost a few files each. The state names every member's commit; a first `rollup status` fills the
cache (timed too, as "cold"), then each command runs as a whole process, piped, after a warm-up.

    python benchmarks/rollup.py            # 100 and 3,000 members
    python benchmarks/rollup.py --quick    # 100 members only
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench import Timing, child_env, measure, minsheng_argv, run_once
from benchmarks.generate import generate_ledger
from minsheng_cli.rollup.config import mirror_dir
from minsheng_cli.rollup.state import MemberState, write_state

MILESTONES = 100
TARGET_SECONDS = 0.5
TARGET_GROWTH = 30.0
TARGET_MB = 1024.0


def fast_import_stream(ledger: Path, count: int) -> bytes:
    """One commit per member on a branch of its own; the task files are one blob each."""
    out = bytearray()
    files = sorted((ledger / "tasks").iterdir())
    for mark, file in enumerate(files, start=1):
        data = file.read_bytes()
        out += b"blob\nmark :%d\ndata %d\n" % (mark, len(data)) + data + b"\n"
    workspace = (ledger / "minsheng.yaml").read_text(encoding="utf-8")
    for index in range(count):
        text = workspace.replace("title: ", f"title: 第{index + 1}县 ", 1).encode("utf-8")
        message = f"member {index + 1}".encode()
        out += b"commit refs/heads/m%d\nmark :%d\n" % (index, 100000 + index)
        out += b"committer bench <b@example.org> 1700000000 +0000\n"
        out += b"data %d\n" % len(message) + message + b"\n"
        out += b"M 100644 inline minsheng.yaml\ndata %d\n" % len(text) + text + b"\n"
        for mark, file in enumerate(files, start=1):
            out += f"M 100644 :{mark} tasks/{file.name}\n".encode()
        out += b"\n"
    return bytes(out)


def build_rollup(folder: Path, count: int) -> Path:
    ledger = folder / "ledger"
    generate_ledger(ledger, MILESTONES)
    base = folder / "base.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(base)], check=True)
    marks = folder / "marks"
    subprocess.run(
        ["git", "fast-import", "--quiet", f"--export-marks={marks}"],
        cwd=base,
        input=fast_import_stream(ledger, count),
        check=True,
    )
    commits = dict(line.split() for line in marks.read_text().splitlines())
    root = folder / "rollup"
    root.mkdir()
    states = {}
    names = [f"第{index + 1}县" for index in range(count)]
    for index, name in enumerate(names):
        commit = commits[f":{100000 + index}"]
        mirror = mirror_dir(root, name)
        (mirror / "objects" / "info").mkdir(parents=True)
        (mirror / "refs" / "heads").mkdir(parents=True)
        (mirror / "objects" / "info" / "alternates").write_text(f"{base / 'objects'}\n")
        (mirror / "HEAD").write_text("ref: refs/heads/main\n")
        (mirror / "config").write_text("[core]\n\trepositoryformatversion = 0\n\tbare = true\n")
        (mirror / "refs" / "heads" / "main").write_text(commit + "\n")
        states[name] = MemberState(commit, "2026-12-01T00:00:00+00:00")
    members = "".join(f"  - name: {name}\n    url: /bench/{name}\n" for name in names)
    (root / "rollup.yaml").write_text(f"title: 全国民生实事\nmembers:\n{members}", "utf-8")
    write_state(root, states)
    return root


def bench_size(count: int, runs: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="minsheng-rollup-bench-") as tmp:
        started = time.perf_counter()
        root = build_rollup(Path(tmp), count)
        generated = time.perf_counter() - started
        env = child_env(no_cache=False)
        base = [*minsheng_argv(), "-C", str(root), "rollup"]
        cold, _err = run_once([*base, "status", "--month", "6"], env)
        found: dict[str, Any] = {"members": count, "generate_s": round(generated, 1)}
        found["cold status --month 6"] = {
            "s": round(cold.seconds, 2),
            "mb": round(cold.peak_rss_mb),
        }
        run_once([*base, "overdue", "--month", "6"], env)  # its own cold run: the same entries
        for command in (["status", "--month", "6"], ["overdue", "--month", "6"]):
            name = " ".join(command)
            timing: Timing = measure(f"rollup {name}", [*base, *command], env, runs)
            found[name] = {
                "s": round(timing.median_s, 3),
                "mb": round(max(r.peak_rss_mb for r in timing.runs)),
            }
        return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="100 members only")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    sizes = (100,) if args.quick else (100, 3000)
    results = []
    for count in sizes:
        print(f"rollup of {count} members …", file=sys.stderr, flush=True)
        results.append(bench_size(count, args.runs))
        print(json.dumps(results[-1], ensure_ascii=False), flush=True)
    verdicts = []
    small = results[0]
    for name in ("status --month 6", "overdue --month 6"):
        seconds = small[name]["s"]
        verdicts.append((f"{name} at 100 members < {TARGET_SECONDS} s", seconds < TARGET_SECONDS))
        if len(results) > 1:
            large = results[1][name]
            growth = large["s"] / seconds
            verdicts.append(
                (f"{name} 100 → 3,000 growth {growth:.1f}× ≤ 30×", growth <= TARGET_GROWTH)
            )
            verdicts.append(
                (f"{name} at 3,000 members {large['mb']} MB < 1 GB", large["mb"] < TARGET_MB)
            )
    for text, ok in verdicts:
        print(("PASS " if ok else "FAIL ") + text)
    return 0 if all(ok for _t, ok in verdicts) else 1


if __name__ == "__main__":
    raise SystemExit(main())
