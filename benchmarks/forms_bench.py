"""Issue 14's benchmark: `minsheng intake` of a month's 12 filled forms, as a whole process.

    .venv/bin/python benchmarks/forms_bench.py [--runs 10]

Copies the bundled ledger into a temporary git repository, makes the July forms (`minsheng
forms --month 7`), fills every row of every form with openpyxl (a figure on each measure row,
是 and a date on each milestone row) and times `minsheng intake` of the 12 forms with hyperfine
(each run after `git reset --hard` to the ledger before intake, so every run records and commits
the same 12 forms). The target: under 3 s, the commits included.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import openpyxl

REPO = Path(__file__).resolve().parent.parent
MINSHENG = Path(sys.executable).parent / "minsheng"
TODAY = "2023-08-02"
TARGET_SECONDS = 3.0


def run(*args: str, cwd: Path, env: dict[str, str]) -> str:
    return subprocess.run(args, cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def fill_every_row(form: Path) -> None:
    book = openpyxl.load_workbook(form)
    sheet = book.active
    sheet["C3"] = "测速"
    for row in range(10, sheet.max_row + 1):
        key = sheet[f"P{row}"].value
        if not key:
            continue
        if "#" in key:
            sheet[f"L{row}"] = "是"
            sheet[f"M{row}"] = date(2023, 7, 15)
            sheet[f"N{row}"] = "现场照片"
        else:
            target = sheet[f"E{row}"].value
            sheet[f"K{row}"] = round(float(target) * 0.6, 1) if target else 10
    book.save(form)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args().runs
    if shutil.which("hyperfine") is None:
        sys.exit("hyperfine is not installed")
    env = {
        **os.environ,
        "MINSHENG_TODAY": TODAY,
        "GIT_AUTHOR_NAME": "测速",
        "GIT_AUTHOR_EMAIL": "bench@example.org",
        "GIT_COMMITTER_NAME": "测速",
        "GIT_COMMITTER_EMAIL": "bench@example.org",
    }
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "ledger"
        root.mkdir()
        shutil.copy2(REPO / "minsheng.yaml", root / "minsheng.yaml")
        shutil.copytree(REPO / "tasks", root / "tasks")
        (root / ".gitignore").write_text(".minsheng-cache/\n.minsheng.lock\n", encoding="utf-8")
        run("git", "init", "--quiet", cwd=root, env=env)
        run("git", "add", "-A", cwd=root, env=env)
        run("git", "commit", "--quiet", "-m", "台账", cwd=root, env=env)
        forms = Path(folder) / "forms"
        run(str(MINSHENG), "forms", "--month", "7", "-o", str(forms), cwd=root, env=env)
        files = sorted(forms.glob("*.xlsx"))
        for form in files:
            fill_every_row(form)
        intake = [str(MINSHENG), "intake", *map(str, files)]
        base = run("git", "rev-parse", "HEAD", cwd=root, env=env).strip()
        first = subprocess.run(
            intake, cwd=root, env=env, capture_output=True, text=True, check=False
        )
        commits = run("git", "rev-list", "--count", "HEAD", cwd=root, env=env).strip()
        print(first.stdout[-600:], first.stderr[-600:], sep="\n")
        print(f"{len(files)} forms; {int(commits) - 1} commits made by the first intake")
        export = Path(folder) / "timing.json"
        command = " ".join(f"'{part}'" for part in intake)
        subprocess.run(
            [
                "hyperfine",
                "--runs",
                str(runs),
                "--ignore-failure",
                "--prepare",
                f"git -C '{root}' reset --quiet --hard {base}",
                "--export-json",
                str(export),
                command,
            ],
            cwd=root,
            env=env,
            check=True,
        )
        result = json.loads(export.read_text(encoding="utf-8"))["results"][0]
    median = result["median"]
    verdict = "PASS" if median < TARGET_SECONDS else "FAIL"
    print(f"intake of {len(files)} forms: median {median:.3f} s — {verdict} (target < 3 s)")


if __name__ == "__main__":
    main()
