"""Damaged task files: whatever the damage, every command ends in 0, 1 or 2 with a clear message,
points at lines the file has, changes nothing it should not, and agrees with `check`."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from minsheng_cli.store.load import load_ledger
from tests.conftest import copy_ledger
from tests.hostile.harness import SEED, Findings, Run, case_count, invoke, problems
from tests.hostile.mutate import mutate

LOCATION = re.compile(r"tasks/([^:\s]+\.ya?ml):(\d+)")
DAY = "2023-06-30"


def tick_for_each_project(root: Path) -> dict[int, list[str]]:
    """A `done` every project accepts on its bundled file: its first milestone ticked by hand."""
    ticks = {}
    for project in load_ledger(root).projects:
        for item in project.items:
            plain = [m for m in item.milestones if not m.targets and m.kind.value == "once"]
            if plain and project.id not in ticks:
                ticks[project.id] = ["done", item.ref, str(plain[0].number)]
    return ticks


def lines_in(data: bytes) -> int:
    """The most lines any reader could count in ``data`` (YAML also breaks at NEL, LS, PS)."""
    return len(data.decode("utf-8", "replace").splitlines()) + 1


def bad_locations(run: Run, files: dict[str, bytes]) -> list[str]:
    """`file:line` in the output that points past the end of the file."""
    wrong = []
    for name, line in LOCATION.findall(run.stderr + run.stdout):
        if name in files and int(line) > lines_in(files[name]):
            wrong.append(f"points at line {line} of a {lines_in(files[name])}-line file")
    return wrong


class Trial:
    """One damaged file in a copy of the bundled ledger, and the commands run over it."""

    def __init__(self, root: Path, ticks: dict[int, list[str]], pristine: dict[str, bytes]):
        self.root = root
        self.ticks = ticks
        self.pristine = pristine

    def run(self, name: str, damaged: bytes, case: str) -> list[str]:
        path = self.root / "tasks" / name
        path.write_bytes(damaged)
        files = {name: damaged}
        checked = invoke(self.root, ["check"], f"{case}; then `minsheng check`")
        found = problems(checked) + bad_locations(checked, files)
        project = int(name.split("-", maxsplit=1)[0])
        if checked.code == 0 and project in self.ticks:
            found += self.write_to_it(path, damaged, case, self.ticks[project])
        else:
            found += self.write_elsewhere(path, damaged, case, project)
        if path.read_bytes() != damaged and checked.code != 0:
            found.append("a command changed a file that does not pass check")
        return found

    def write_to_it(self, path: Path, damaged: bytes, case: str, tick: list[str]) -> list[str]:
        args = [*tick, "--date", DAY, "--no-commit"]
        ticked = invoke(self.root, args, f"{case}; then `minsheng {' '.join(args)}`")
        found = problems(ticked) + bad_locations(ticked, {path.name: damaged})
        if ticked.code == 1:
            found.append(f"check passes but `{tick[0]}` reports problems in the file")
        if ticked.code == 0:
            again = invoke(self.root, ["check"], f"{case}; then {' '.join(args)}; then check")
            if again.code != 0:
                found.append("a record made a file that passed check fail it")
        elif path.read_bytes() != damaged:
            found.append(f"a refused `{tick[0]}` changed the file")
        return found

    def write_elsewhere(self, path: Path, damaged: bytes, case: str, project: int) -> list[str]:
        """An update of another project's item, and a read command, with this file broken."""
        other = 9 if project != 9 else 3
        args = (
            ["update", "9.1", "--set", "法律援助案件=1"]
            if other == 9
            else ["update", "3.3", "--percent", "1"]
        )
        args += ["--date", DAY, "--no-commit"]
        found = []
        for command in (args, ["status", "--month", "6"], ["show", str(project)]):
            run = invoke(self.root, command, f"{case}; then `minsheng {' '.join(command)}`")
            found += problems(run) + bad_locations(run, {path.name: damaged})
        if path.read_bytes() != damaged:
            found.append("writing to another project changed this broken file")
        return found

    def restore(self) -> None:
        for leftover in (self.root / "tasks").iterdir():
            if leftover.name not in self.pristine:
                leftover.unlink()
        for name, data in self.pristine.items():
            target = self.root / "tasks" / name
            if target.read_bytes() != data:
                target.write_bytes(data)


def test_damaged_task_files_never_crash_a_command(tmp_path: Path) -> None:
    root = copy_ledger(tmp_path / "ledger")
    pristine = {p.name: p.read_bytes() for p in sorted((root / "tasks").iterdir())}
    trial = Trial(root, tick_for_each_project(root), pristine)
    kept = tmp_path / "failures"
    rng = random.Random(SEED)
    findings = Findings()
    for number in range(case_count(quick=120, thorough=3_000)):
        name = rng.choice(sorted(pristine))
        damaged, how = mutate(rng, pristine[name])
        case = f"MINSHENG_FUZZ_SEED={SEED} case {number}: tasks/{name}: {how}"
        if findings.add(case, trial.run(name, damaged, case)):
            kept.mkdir(exist_ok=True)
            (kept / f"{number}-{name}").write_bytes(damaged)
        trial.restore()
    if findings.new:
        print(f"the damaged files of the new failures are kept in {kept}")
    findings.settle()


@pytest.mark.parametrize(
    "value",
    ["!!bool maybe", "!!timestamp xx", '!!int ""', "!!int +", "!!float _"],
)
def test_an_explicit_tag_is_a_problem_at_its_line(tmp_path: Path, value: str) -> None:
    """The issue's own examples: one tagged value makes `check` say where, with exit 1."""
    root = copy_ledger(tmp_path / "ledger")
    task = root / "tasks" / "04-办学条件改善工程.yaml"
    lines = task.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(n for n, line in enumerate(lines) if line.startswith("name: "))
    lines[at] = f"name: {value}\n"
    task.write_text("".join(lines), encoding="utf-8")
    run = invoke(root, ["check"], value)
    assert problems(run) == []
    assert run.code == 1
    assert f"tasks/04-办学条件改善工程.yaml:{at + 1}:" in run.stderr
