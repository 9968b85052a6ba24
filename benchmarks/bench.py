"""Issue #4's benchmark: minsheng as whole processes, from the bundled ledger to 100,000 milestones.

    .venv/bin/python benchmarks/bench.py [--runs 7] [--sizes 100,1000,10000,100000] [--quick]

Generates ledgers (benchmarks/generate.py) in a temporary folder beside a copy of the bundled one,
then times each command as a separate process with its output to a pipe: one warm-up run (which
also fills the cache), then --runs timed runs; the median and the peak RSS of the timed runs are
reported, and every figure also as a ratio to the floor of `python -c "import typer, rich.table"`.
`update` runs on a fresh copy of the one file it touches each time, so every run does the same work.
Where Taskwarrior is installed, the same milestones are imported as tasks into a private data folder
and `task overdue` is timed beside `minsheng overdue --month 6`. Writes benchmarks/results.json and
ends with a PASS/FAIL line per target of the issue.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
if str(REPO) not in sys.path:  # run as a script: make `benchmarks.generate` importable
    sys.path.insert(0, str(REPO))

from benchmarks.generate import YEAR, generate_ledger  # noqa: E402

DEFAULT_SIZES = (100, 1_000, 10_000, 100_000)
QUICK_SIZES = (100, 1_000)
BUNDLED = "bundled"
AS_OF_MONTH = 6
AS_OF = date(YEAR, AS_OF_MONTH, 30)
TYPER_FLOOR = "import typer, rich.table"
PYTHON_FLOOR = "python -c pass"
COMMANDS = ("status", "overdue --month 6", "list --json", "check", "update")
TASK_OVERDUE = "task overdue"
OK_EXITS = {
    "overdue --month 6": (0, 1),
    TASK_OVERDUE: (0, 1),
    "rollup overdue --month 6": (0, 1),
}
"""`overdue` exits 1 when something is late; that is its answer, not a failure."""
BUNDLED_UPDATE = (
    "3.1",
    ("--set", "户厕改造=900", "--date", f"{YEAR}-07-28", "--by", "农业农村局"),
    "tasks/03-农村人居环境提升工程.yaml",
)
TASKWARRIOR_RC = (
    "rc.gc=off",
    "rc.confirmation=off",
    "rc.verbose=nothing",
    "rc.hooks=off",
    "rc.color=off",
)


@dataclass(slots=True)
class Run:
    seconds: float
    peak_rss_mb: float
    cpu_seconds: float
    exit_code: int


@dataclass(slots=True)
class Timing:
    """One command on one ledger: the warm-up and the timed runs."""

    warmup: Run
    runs: list[Run]
    floor_runs: list[Run] = field(default_factory=list)
    """The typer floor, run just before each timed run: its ratio is immune to load drifting."""

    @property
    def median_s(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def floor_s(self) -> float | None:
        if not self.floor_runs:
            return None
        return statistics.median(r.seconds for r in self.floor_runs)

    def ratio(self, floor: float) -> float:
        """To the paired floor where there is one, else to the floor measured at the start."""
        return self.median_s / (self.floor_s or floor)

    @property
    def peak_rss_mb(self) -> float:
        return max(r.peak_rss_mb for r in self.runs)

    def as_json(self, floor: float) -> dict[str, Any]:
        return {
            "median_s": round(self.median_s, 4),
            "runs": len(self.runs),
            "peak_rss_mb": round(self.peak_rss_mb, 1),
            "ratio_to_floor": round(self.ratio(floor), 2),
            "floor_median_s": round(self.floor_s or floor, 4),
            "min_s": round(min(r.seconds for r in self.runs), 4),
            "max_s": round(max(r.seconds for r in self.runs), 4),
            "median_cpu_s": round(statistics.median(r.cpu_seconds for r in self.runs), 4),
            "warmup_s": round(self.warmup.seconds, 4),
            "warmup_peak_rss_mb": round(self.warmup.peak_rss_mb, 1),
            "exit_code": self.runs[-1].exit_code,
        }


@dataclass(slots=True)
class Ledger:
    """One workspace under test and what it takes to run `update` on it."""

    label: str
    root: Path
    update_ref: str
    update_args: tuple[str, ...]
    update_file: Path
    milestones: int = 0
    files: int = 0
    timings: dict[str, Timing] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    task_import_s: float | None = None
    counts: dict[str, int] = field(default_factory=dict)


class CommandFailed(RuntimeError):
    pass


GNU_TIME = "/usr/bin/time"
HELPER = """
import os, subprocess, sys, time
start = time.perf_counter()
child = subprocess.Popen(sys.argv[2:])
_pid, status, usage = os.wait4(child.pid, 0)
child.returncode = code = os.waitstatus_to_exitcode(status)
seconds = time.perf_counter() - start
with open(sys.argv[1], "w") as out:
    out.write(f"{seconds} {usage.ru_maxrss} {usage.ru_utime + usage.ru_stime}")
sys.exit(code if code >= 0 else 128 - code)
"""
"""Runs a command and reports its own wait4 figures, when GNU time is missing."""


def gnu_time() -> bool:
    """Whether /usr/bin/time is GNU time and can write %M (peak RSS in KiB) to a file."""
    if not Path(GNU_TIME).exists():
        return False
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "rss"
        done = subprocess.run(
            [GNU_TIME, "-f", "%M", "-o", str(out), "true"], capture_output=True, check=False
        )
        return done.returncode == 0 and out.read_text().strip().isdigit()


USE_GNU_TIME = gnu_time()


def run_once(argv: Sequence[str], env: dict[str, str]) -> tuple[Run, bytes]:
    """One process, stdout drained from a pipe; its wall time, peak RSS and CPU time.

    The peak RSS comes from a small go-between, GNU time or else a tiny Python, never from this
    process's own wait4: Linux counts the forking process's size into a child's ru_maxrss, and
    this one grows to hundreds of MB while it holds a large ledger's rows.
    """
    with tempfile.TemporaryFile() as errors, tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "usage"
        if USE_GNU_TIME:
            wrapped = [GNU_TIME, "-f", "%M", "-o", str(report), *argv]
        else:
            wrapped = [sys.executable, "-c", HELPER, str(report), *argv]
        start = time.perf_counter()
        process = subprocess.Popen(
            wrapped, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=errors, env=env
        )
        assert process.stdout is not None
        with process.stdout:
            while process.stdout.read(1 << 16):
                pass
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        stderr = errors.read()
        figures = report.read_text(encoding="utf-8").split() if report.exists() else []
    cpu = usage.ru_utime + usage.ru_stime
    if USE_GNU_TIME:
        rss_kib = float(figures[-1]) if figures and figures[-1].isdigit() else float("nan")
    elif len(figures) == 3:
        seconds, rss_kib, cpu = float(figures[0]), float(figures[1]), float(figures[2])
    else:
        rss_kib = float("nan")
    return Run(seconds, rss_kib / 1024, cpu, process.returncode), stderr


def measure(
    name: str,
    argv: Sequence[str],
    env: dict[str, str],
    runs: int,
    before: Callable[[], None] | None = None,
    floor: Sequence[str] | None = None,
) -> Timing:
    """A warm-up run, then ``runs`` timed ones; ``before`` resets state ahead of each.

    With ``floor``, that command runs just before each of them, so that the ratio of the two
    compares runs made under the same load (other processes on the machine come and go).
    """
    allowed = OK_EXITS.get(name, (0,))
    done: list[Run] = []
    floors: list[Run] = []
    for _ in range(runs + 1):
        if floor is not None:
            floors.append(run_once(floor, env)[0])
        if before is not None:
            before()
        run, stderr = run_once(argv, env)
        if run.exit_code not in allowed:
            shown = stderr.decode("utf-8", "replace").strip()[-2000:]
            raise CommandFailed(f"{' '.join(argv)} exited {run.exit_code}:\n{shown}")
        done.append(run)
    return Timing(done[0], done[1:], floors[1:])


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def floor_argv() -> list[str]:
    return [sys.executable, "-c", TYPER_FLOOR]


def minsheng_argv() -> list[str]:
    script = Path(sys.executable).with_name("minsheng")
    return [str(script)] if script.exists() else [sys.executable, "-m", "minsheng_cli"]


def child_env(no_cache: bool, pycache: Path | None = None) -> dict[str, str]:
    """The environment of every timed process: minsheng's defaults, output to a pipe.

    With ``pycache``, bytecode is written to and read from that private folder (not the
    project's __pycache__), as an installed package's is: with PYTHONDONTWRITEBYTECODE=1 in the
    environment, every module edited since its .pyc was written would be compiled on each run.
    """
    env = dict(os.environ)
    for name in ("MINSHENG_NO_CACHE", "MINSHENG_DEBUG", "MINSHENG_LANG", "COLUMNS", "LINES"):
        env.pop(name, None)
    if no_cache:
        env["MINSHENG_NO_CACHE"] = "1"
    if pycache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.partition(":")[2].strip()
                break
    return {
        "platform": platform.platform(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "executable": sys.executable,
        "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "peak_rss_from": "GNU time %M" if USE_GNU_TIME else "wait4 in a Python go-between",
        "bytecode": "compiled once into a private PYTHONPYCACHEPREFIX (the warm-up writes it)",
    }


def source_digest() -> str:
    """A digest of the code under test, to tell whether it changed while the benchmark ran."""
    digest = hashlib.blake2b(digest_size=8)
    for path in sorted((REPO / "src").rglob("*.py")):
        digest.update(path.relative_to(REPO).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def versions() -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for name in ("minsheng", "typer", "click", "rich", "pydantic", "PyYAML", "python-dateutil"):
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    return found


def code_state() -> dict[str, Any]:
    """Which minsheng was measured: the commit and whether src/ had uncommitted changes."""
    state: dict[str, Any] = {"src_digest": source_digest(), "packages": versions()}
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        state["commit"] = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--", "src"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        state["src_uncommitted_changes"] = bool(changed.strip())
    return state


def bundled_copy(folder: Path) -> Ledger:
    folder.mkdir(parents=True)
    shutil.copy2(REPO / "minsheng.yaml", folder / "minsheng.yaml")
    shutil.copytree(REPO / "tasks", folder / "tasks")
    ref, args, file = BUNDLED_UPDATE
    ledger = Ledger(BUNDLED, folder, ref, args, folder / file)
    ledger.files = len(list((folder / "tasks").glob("*.yaml")))
    return ledger


def generated(folder: Path, size: int, seed: int) -> Ledger:
    made = generate_ledger(folder, size, seed)
    ledger = Ledger(str(size), folder, made.update.ref, made.update.args, made.update.file)
    ledger.milestones, ledger.files = made.milestones, made.files
    return ledger


def command_argv(base: list[str], ledger: Ledger, command: str) -> list[str]:
    prefix = [*base, "-C", str(ledger.root)]
    if command == "update":
        return [*prefix, "update", ledger.update_ref, *ledger.update_args, "--no-commit"]
    return [*prefix, *command.split()]


def bench_ledger(
    ledger: Ledger, base: list[str], env: dict[str, str], runs: int, commands: Sequence[str]
) -> None:
    original = ledger.update_file.read_bytes()

    def fresh_file() -> None:
        ledger.update_file.write_bytes(original)

    for command in commands:
        before = fresh_file if command == "update" else None
        try:
            argv = command_argv(base, ledger, command)
            timing = measure(command, argv, env, runs, before, floor_argv())
        except CommandFailed as exc:
            ledger.notes.append(f"{command}: FAILED: {exc}")
            progress(f"  {ledger.label:>8}  {command:<20} FAILED\n{exc}")
            continue
        finally:
            fresh_file()
        ledger.timings[command] = timing
        progress(
            f"  {ledger.label:>8}  {command:<20} median {timing.median_s:8.3f}s"
            f" = {timing.ratio(0.0):6.1f}x floor  peak {timing.peak_rss_mb:7.1f} MB"
            f"  (warm-up {timing.warmup.seconds:.2f}s)"
        )


# --- Taskwarrior ------------------------------------------------------------------------------


def taskwarrior() -> str | None:
    return shutil.which("task")


def task_env(folder: Path) -> dict[str, str]:
    env = child_env(False, folder.parent / "pycache")  # the floor runs beside it, bytecode too
    env["TASKRC"] = str(folder / "taskrc")
    env["TASKDATA"] = str(folder / "data")
    return env


def task_argv(folder: Path, *args: str) -> list[str]:
    return ["task", f"rc.data.location={folder / 'data'}", *TASKWARRIOR_RC, *args]


def task_records(rows: Sequence[dict[str, Any]], today: date) -> list[dict[str, Any]]:
    """Each milestone as a task; dates moved so that Taskwarrior's "now" stands where 6月30日 does.

    minsheng evaluates as of 2023-06-30; Taskwarrior only as of now. Every date moves by the same
    number of days, to the end of its day, so that the last day minsheng counts as overdue becomes
    yesterday: `task overdue` then lists exactly the milestones `minsheng overdue --month 6` does
    (met ones are imported as completed). The cut-off is read from minsheng's own answer, so that
    this holds whether "as of 6月30日" includes that day or not.
    """
    late = [date.fromisoformat(r["due"]) for r in rows if r["state"] == "overdue" and r["due"]]
    cutoff = max(late, default=AS_OF - timedelta(days=1))
    shift = today - timedelta(days=1) - cutoff

    def stamp(day: str) -> str:
        moved = date.fromisoformat(day) + shift
        local = datetime.combine(moved, clock(23, 59, 59)).astimezone()
        return local.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")

    tasks = []
    for number, row in enumerate(rows, start=1):
        task: dict[str, Any] = {
            "uuid": str(uuid.UUID(int=number)),
            "description": f"{row['item']}#{row['milestone']} {row['deadline']} {row['text']}",
            "project": f"ms.{row['project']}",
            "entry": stamp(f"{YEAR}-01-01"),
            "status": "pending",
        }
        if row["due"]:
            task["due"] = stamp(row["due"])
        if row["state"] in ("met", "met_late") and row["met_on"]:
            task["status"] = "completed"
            task["end"] = stamp(row["met_on"])
        tasks.append(task)
    return tasks


def minsheng_rows(base: list[str], ledger: Ledger, env: dict[str, str]) -> list[dict[str, Any]]:
    argv = [*base, "-C", str(ledger.root), "list", "--json", "--month", str(AS_OF_MONTH)]
    result = subprocess.run(argv, env=env, capture_output=True, check=True)
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    return rows


def bench_taskwarrior(
    ledger: Ledger, rows: Sequence[dict[str, Any]], folder: Path, runs: int
) -> None:
    (folder / "data").mkdir(parents=True)
    (folder / "taskrc").write_text(
        f"data.location={folder / 'data'}\nconfirmation=off\nverbose=nothing\n", encoding="utf-8"
    )
    env = task_env(folder)
    tasks = folder / "tasks.json"
    tasks.write_text(json.dumps(task_records(rows, date.today()), ensure_ascii=False), "utf-8")
    start = time.perf_counter()
    subprocess.run(
        task_argv(folder, "import", str(tasks)), env=env, capture_output=True, check=True
    )
    ledger.task_import_s = time.perf_counter() - start
    counted = subprocess.run(
        task_argv(folder, "+OVERDUE", "count"), env=env, capture_output=True, text=True, check=True
    )
    ledger.counts["task_overdue"] = int(counted.stdout.strip() or 0)
    ledger.counts["minsheng_overdue"] = sum(1 for r in rows if r["state"] == "overdue")
    timing = measure(TASK_OVERDUE, task_argv(folder, "overdue"), env, runs, None, floor_argv())
    ledger.timings[TASK_OVERDUE] = timing
    if ledger.counts["task_overdue"] != ledger.counts["minsheng_overdue"]:
        ledger.notes.append(
            f"warning: task overdue lists {ledger.counts['task_overdue']} tasks,"
            f" minsheng overdue {ledger.counts['minsheng_overdue']} milestones"
        )
    progress(
        f"  {ledger.label:>8}  {TASK_OVERDUE:<20} median {timing.median_s:8.3f}s"
        f"  peak {timing.peak_rss_mb:7.1f} MB  (import {ledger.task_import_s:.2f}s,"
        f" {ledger.counts['task_overdue']} overdue vs minsheng"
        f" {ledger.counts['minsheng_overdue']})"
    )


# --- report -----------------------------------------------------------------------------------


@dataclass(slots=True)
class Verdict:
    target: str
    passed: bool | None
    detail: str

    @property
    def word(self) -> str:
        return {True: "PASS", False: "FAIL", None: "SKIP"}[self.passed]


def median_of(ledgers: dict[str, Ledger], label: str, command: str) -> float | None:
    ledger = ledgers.get(label)
    timing = ledger.timings.get(command) if ledger else None
    return timing.median_s if timing else None


def verdicts(ledgers: dict[str, Ledger], floor: float, tw_note: str | None) -> list[Verdict]:
    found: list[Verdict] = []
    for command in ("status", "overdue --month 6"):
        bundled = ledgers.get(BUNDLED)
        timing = bundled.timings.get(command) if bundled else None
        target = f"bundled ledger `{command}` within 1.3x of the typer floor"
        if timing is None:
            found.append(Verdict(target, None, "not measured"))
            continue
        ratio, base = timing.ratio(floor), timing.floor_s or floor
        found.append(
            Verdict(
                target,
                ratio <= 1.3,
                f"{timing.median_s * 1000:.0f} ms vs floor {base * 1000:.0f} ms = {ratio:.2f}x",
            )
        )
    target = "at 10,000: `minsheng overdue --month 6` faster than `task overdue`"
    ours = median_of(ledgers, "10000", "overdue --month 6")
    theirs = median_of(ledgers, "10000", TASK_OVERDUE)
    if ours is None or theirs is None:
        reason = tw_note or "10,000 not in --sizes"
        found.append(Verdict(target, None, reason if ours is not None else "10,000 not measured"))
    else:
        found.append(
            Verdict(target, ours < theirs, f"{ours:.3f}s vs {theirs:.3f}s = {ours / theirs:.1f}x")
        )
    for command in COMMANDS:
        target = f"10k -> 100k ratio <= 11 for `{command}`"
        small = median_of(ledgers, "10000", command)
        large = median_of(ledgers, "100000", command)
        if small is None or large is None:
            found.append(Verdict(target, None, "10,000 and 100,000 not both measured"))
            continue
        ratio = large / small
        found.append(Verdict(target, ratio <= 11, f"{small:.3f}s -> {large:.3f}s = {ratio:.1f}x"))
    target = "peak memory < 500 MB at 100k (every command)"
    big = ledgers.get("100000")
    if big is None or not big.timings:
        found.append(Verdict(target, None, "100,000 not measured"))
    else:
        worst = max((t.peak_rss_mb, c) for c, t in big.timings.items() if c != TASK_OVERDUE)
        found.append(Verdict(target, worst[0] < 500, f"worst: `{worst[1]}` {worst[0]:.0f} MB"))
    target = "`update` at 100k within 1.5x of `update` on the bundled ledger"
    small_update = median_of(ledgers, BUNDLED, "update")
    large_update = median_of(ledgers, "100000", "update")
    if small_update is None or large_update is None:
        found.append(Verdict(target, None, "100,000 or bundled not measured"))
    else:
        ratio = large_update / small_update
        found.append(
            Verdict(
                target,
                ratio <= 1.5,
                f"{small_update:.3f}s -> {large_update:.3f}s = {ratio:.1f}x",
            )
        )
    return found


def cell(timing: Timing, floor: float) -> str:
    return f"{timing.median_s:.3f}s {timing.ratio(floor):5.1f}x {timing.peak_rss_mb:4.0f}MB"


def print_table(
    ledgers: dict[str, Ledger], floors: dict[str, Timing], floor: float, runs: int
) -> None:
    from rich.console import Console
    from rich.table import Table

    columns = [
        c for c in (*COMMANDS, TASK_OVERDUE) if any(c in x.timings for x in ledgers.values())
    ]
    table = Table(
        title=f"minsheng: median of {runs} runs after 1 warm-up, × the typer floor, peak RSS",
        show_lines=False,
    )
    table.add_column("ledger", justify="right")
    table.add_column("milestones", justify="right")
    table.add_column("files", justify="right")
    for column in columns:
        table.add_column(column, justify="right")
    for name, base in floors.items():
        cells = [cell(base, floor)]
        table.add_row(name, "", "", *cells, *[""] * (len(columns) - 1))
    for ledger in ledgers.values():
        cells = []
        for column in columns:
            timing = ledger.timings.get(column)
            if timing is None:
                cells.append("—")
                continue
            cells.append(cell(timing, floor))
        table.add_row(ledger.label, f"{ledger.milestones:,}", f"{ledger.files:,}", *cells)
    Console(width=max(200, shutil.get_terminal_size().columns), highlight=False).print(table)


def results_json(
    ledgers: dict[str, Ledger],
    floors: dict[str, Timing],
    floor: float,
    options: argparse.Namespace,
    found: list[Verdict],
    tw: str | None,
    tw_note: str | None,
) -> dict[str, Any]:
    sizes: dict[str, Any] = {}
    for label, ledger in ledgers.items():
        sizes[label] = {
            "milestones": ledger.milestones,
            "files": ledger.files,
            "commands": {
                c: t.as_json(floor) for c, t in ledger.timings.items() if c != TASK_OVERDUE
            },
            "notes": ledger.notes,
        }
    taskwarrior_results: dict[str, Any] = {"installed": tw is not None}
    if tw_note:
        taskwarrior_results["note"] = tw_note
    for label, ledger in ledgers.items():
        timing = ledger.timings.get(TASK_OVERDUE)
        if timing is None:
            continue
        ours = ledger.timings.get("overdue --month 6")
        taskwarrior_results[label] = {
            TASK_OVERDUE: timing.as_json(floor),
            "import_s": round(ledger.task_import_s or 0.0, 3),
            "overdue_tasks": ledger.counts.get("task_overdue"),
            "minsheng_overdue_milestones": ledger.counts.get("minsheng_overdue"),
            "minsheng_over_task": round(ours.median_s / timing.median_s, 2) if ours else None,
        }
    return {
        "machine": machine(),
        "minsheng": code_state(),
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "runs": options.runs,
        "cache": not options.no_cache,
        "seed": options.seed,
        "floors": {name: t.as_json(floor) for name, t in floors.items()},
        "sizes": sizes,
        "taskwarrior": taskwarrior_results,
        "targets": [{"target": v.target, "result": v.word, "detail": v.detail} for v in found],
    }


def parse_commands(text: str) -> tuple[str, ...]:
    wanted = tuple(part.strip() for part in text.split(",") if part.strip())
    known = {command.split()[0]: command for command in COMMANDS}
    unknown = [w for w in wanted if w.split()[0] not in known]
    if not wanted or unknown:
        raise argparse.ArgumentTypeError(f"commands are some of: {', '.join(known)}")
    return tuple(known[w.split()[0]] for w in wanted)


def parse_sizes(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(part.replace("_", "")) for part in text.split(",") if part.strip())
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"sizes are numbers: {text}") from exc
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("give one or more sizes of at least 1")
    return sizes


def options(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Time minsheng as whole processes (issue #4).")
    parser.add_argument("--runs", type=int, default=7, help="timed runs per command (default 7)")
    parser.add_argument(
        "--sizes",
        type=parse_sizes,
        default=DEFAULT_SIZES,
        help="milestones per generated ledger, comma-separated (default 100,1000,10000,100000)",
    )
    parser.add_argument("--quick", action="store_true", help="only sizes 100,1000")
    parser.add_argument(
        "--commands",
        type=parse_commands,
        default=COMMANDS,
        help=f"which of {', '.join(COMMANDS)} to time, comma-separated (default all)",
    )
    parser.add_argument("--seed", type=int, default=0, help="the generator's seed")
    parser.add_argument(
        "--no-cache", action="store_true", help="run minsheng with MINSHENG_NO_CACHE=1"
    )
    parser.add_argument(
        "--no-taskwarrior", action="store_true", help="skip Taskwarrior even if installed"
    )
    parser.add_argument(
        "--output", type=Path, default=HERE / "results.json", help="where to write the JSON"
    )
    parser.add_argument("--workdir", type=Path, default=None, help="parent of the temp folder")
    parser.add_argument("--keep", action="store_true", help="keep the generated ledgers")
    parsed = parser.parse_args(argv)
    if parsed.quick:
        parsed.sizes = QUICK_SIZES
    if parsed.runs < 1:
        parser.error("--runs must be at least 1")
    return parsed


@contextlib.contextmanager
def workspace_folder(parent: Path | None, keep: bool) -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="minsheng-bench-", dir=parent))
    try:
        yield folder
    finally:
        if keep:
            progress(f"ledgers kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def main(argv: Sequence[str] | None = None) -> int:
    opts = options(argv)
    started, code_before = machine(), code_state()
    base = minsheng_argv()
    tw = None if opts.no_taskwarrior else taskwarrior()
    tw_note = None
    if opts.no_taskwarrior:
        tw_note = "Taskwarrior skipped (--no-taskwarrior)"
    elif tw is None:
        tw_note = "Taskwarrior not installed (Debian package `taskwarrior`): comparison skipped"
    with workspace_folder(opts.workdir, opts.keep) as folder:
        env = child_env(opts.no_cache, folder / "pycache")
        progress(f"floors ({sys.executable}):")
        floors = {
            PYTHON_FLOOR: measure(PYTHON_FLOOR, [sys.executable, "-c", "pass"], env, opts.runs),
            TYPER_FLOOR: measure(TYPER_FLOOR, [sys.executable, "-c", TYPER_FLOOR], env, opts.runs),
        }
        for name, timing in floors.items():
            progress(
                f"  {name:<30} median {timing.median_s:.3f}s  peak {timing.peak_rss_mb:.1f} MB"
            )
        floor = floors[TYPER_FLOOR].median_s
        ledgers: dict[str, Ledger] = {BUNDLED: bundled_copy(folder / BUNDLED)}
        for size in sorted(set(opts.sizes)):
            start = time.perf_counter()
            ledgers[str(size)] = generated(folder / f"n{size}", size, opts.seed)
            progress(f"generated {size:,} milestones in {time.perf_counter() - start:.1f}s")
        for ledger in ledgers.values():
            progress(f"{ledger.label} ({ledger.root}):")
            bench_ledger(ledger, base, env, opts.runs, opts.commands)
            if tw is None and ledger.milestones:
                continue
            rows = minsheng_rows(base, ledger, env)
            if not ledger.milestones:  # a monthly duty has 12 rows but is one milestone
                ledger.milestones = len({(r["item"], r["milestone"]) for r in rows})
            if tw is not None:
                try:
                    bench_taskwarrior(ledger, rows, folder / f"task-{ledger.label}", opts.runs)
                except (subprocess.CalledProcessError, CommandFailed) as exc:
                    ledger.notes.append(f"taskwarrior: FAILED: {exc}")
                    progress(f"  taskwarrior FAILED: {exc}")
    found = verdicts(ledgers, floor, tw_note)
    print_table(ledgers, floors, floor, opts.runs)
    print(
        "x = median / median of `python -c 'import typer, rich.table'` run just before each run;"
        " RSS = peak of the timed runs"
    )
    for ledger in ledgers.values():
        for note in ledger.notes:
            print(f"{ledger.label}: {note}")
    if tw_note:
        print(f"note: {tw_note}")
    else:
        print(
            "note: `task overdue` runs on the same milestones as Taskwarrior tasks, dates shifted"
            " so that it lists the same ones `minsheng overdue --month 6` does."
        )
    report = results_json(ledgers, floors, floor, opts, found, tw, tw_note)
    report["machine"]["load_average_at_start"] = started["load_average"]
    report["minsheng_at_start"] = code_before
    changed = code_before != report["minsheng"]
    if changed:
        print("WARNING: src/ or the installed packages changed while the benchmark ran")
    opts.output.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", "utf-8")
    print(f"wrote {opts.output}")
    for verdict in found:
        print(f"{verdict.word}  {verdict.target}: {verdict.detail}")
    failed = any("FAILED" in note for ledger in ledgers.values() for note in ledger.notes)
    return 2 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
