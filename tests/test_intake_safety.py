"""`minsheng intake` when something fails halfway: a form is taken in whole, or not at all."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from minsheng_cli.core.formid import (
    FIRST_DATA_ROW,
    Identity,
    RowKey,
    checksum,
    decode,
    encode,
)
from minsheng_cli.paperwork.forms import FIRST_ROW
from minsheng_cli.store.atomic import write_atomic
from tests.conftest import git, run_cli
from tests.test_forms import JULY, commits, fill, make_forms

INTENT = ".minsheng-intake.json"
JULY_DAY = date(2023, 8, 2)
TWO_FILES = {"6.1|技能培训": {"K": 600}, "7.2|percent": {"K": 40}}
"""A 人社局 form whose records go to two task files (06-… and 07-…)."""

CRASH = """
import os, sys
import minsheng_cli.write.batch as batch
real = batch.write_atomic
calls = [0]
def crashing(path, data):
    calls[0] += 1
    if calls[0] == 2:
        os._exit(137)  # killed between the form's two task files
    return real(path, data)
batch.write_atomic = crashing
from minsheng_cli.__main__ import main
sys.argv = ["minsheng", *sys.argv[1:]]
main()
"""


def task_files(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "tasks").glob("*.yaml"))}


def two_file_form(root: Path) -> Path:
    return fill(make_forms(root, 7, JULY)["人力资源和社会保障局"], TWO_FILES)


def assert_taken_in_whole(root: Path, form: Path, before: int) -> None:
    result = run_cli(root, ["intake", str(form)], **JULY)
    assert result.exit_code == 0, result.stderr
    assert len(commits(root)) == before + 1
    message = git(root, "log", "-1", "--format=%B")
    assert "Minsheng-Item: 6.1, 7.2\n" in message
    assert "Minsheng-Form: " in message and "Form-Content: sha256:" in message
    assert git(root, "status", "--porcelain", "--", "tasks") == ""
    changed = git(root, "show", "--name-only", "--format=", "HEAD").split()
    assert len(changed) == 2
    assert not (root / INTENT).exists()


def test_an_intake_interrupted_between_two_files_leaves_nothing(
    git_ledger: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    form = two_file_form(git_ledger)
    before, files = len(commits(git_ledger)), task_files(git_ledger)
    calls = [0]

    def interrupted(path: Path, data: bytes) -> None:
        calls[0] += 1
        if calls[0] == 2:
            raise KeyboardInterrupt
        write_atomic(path, data)

    with monkeypatch.context() as patched:
        patched.setattr("minsheng_cli.write.batch.write_atomic", interrupted)
        stopped = run_cli(git_ledger, ["intake", str(form)], **JULY)  # Ctrl-C: click's Abort
    assert stopped.exit_code != 0 and calls[0] >= 2

    assert task_files(git_ledger) == files
    assert not (git_ledger / INTENT).exists()
    assert_taken_in_whole(git_ledger, form, before)


def test_an_intake_killed_between_two_files_is_undone_then_taken_in_whole(
    git_ledger: Path,
) -> None:
    form = two_file_form(git_ledger)
    before, files = len(commits(git_ledger)), task_files(git_ledger)
    killed = subprocess.run(
        [sys.executable, "-c", CRASH, "-C", str(git_ledger), "intake", str(form)],
        env={**os.environ, **JULY},
        capture_output=True,
        check=False,
    )
    assert killed.returncode == 137
    assert task_files(git_ledger) != files  # half of the form is on disk
    intent = json.loads((git_ledger / INTENT).read_text(encoding="utf-8"))
    assert {base64.b64decode(b) for b in intent["files"].values()} <= set(files.values())

    doctor = run_cli(git_ledger, ["--lang", "en", "doctor"], **JULY)
    assert doctor.exit_code == 1
    assert "was stopped before it was committed" in doctor.stdout
    assert "records saved" not in doctor.stdout  # --fix puts them back, never commits them

    assert_taken_in_whole(git_ledger, form, before)


def test_doctor_fix_puts_back_a_killed_intake(git_ledger: Path) -> None:
    form = two_file_form(git_ledger)
    files = task_files(git_ledger)
    subprocess.run(
        [sys.executable, "-c", CRASH, "-C", str(git_ledger), "intake", str(form)],
        env={**os.environ, **JULY},
        capture_output=True,
        check=False,
    )
    fixed = run_cli(git_ledger, ["--lang", "en", "doctor", "--fix"], **JULY)
    assert "its files were put back as they were" in fixed.stdout
    assert task_files(git_ledger) == files
    assert not (git_ledger / INTENT).exists()
    assert run_cli(git_ledger, ["doctor"], **JULY).exit_code == 0


def test_an_update_after_a_killed_intake_puts_the_form_back_first(git_ledger: Path) -> None:
    form = two_file_form(git_ledger)
    before = len(commits(git_ledger))
    subprocess.run(
        [sys.executable, "-c", CRASH, "-C", str(git_ledger), "intake", str(form)],
        env={**os.environ, **JULY},
        capture_output=True,
        check=False,
    )
    update = run_cli(
        git_ledger, ["--lang", "en", "update", "9.1", "--set", "法律援助案件=100"], **JULY
    )
    assert update.exit_code == 0, update.stderr
    assert "the intake of form" in update.stderr
    assert len(commits(git_ledger)) == before + 1  # the update's only: no half form committed
    assert_taken_in_whole(git_ledger, form, before + 1)


def refuse_once(root: Path) -> None:
    hook = root / ".git" / "hooks" / "pre-commit"
    hook.write_text(
        "#!/bin/sh\nif [ ! -e .git/refused ]; then touch .git/refused; echo no >&2; exit 1; fi\n",
        encoding="utf-8",
    )
    hook.chmod(0o755)


def test_a_form_whose_commit_fails_is_not_recorded_and_the_others_go_on(git_ledger: Path) -> None:
    forms = make_forms(git_ledger, 7, JULY)
    first = fill(forms["人力资源和社会保障局"], TWO_FILES)
    second = fill(forms["交通运输局"], {"3.2|percent": {"K": 55}})
    before, files = len(commits(git_ledger)), task_files(git_ledger)
    refuse_once(git_ledger)

    result = run_cli(git_ledger, ["--lang", "en", "intake", str(first), str(second)], **JULY)

    assert result.exit_code == 1
    assert "git could not commit the form (no)" in result.stderr
    assert "已填-人力资源和社会保障局-2023年7月填报表.xlsx: nothing recorded" in result.stderr
    assert "recorded 1 record for 交通运输局 7月" in result.stdout
    assert len(commits(git_ledger)) == before + 1
    assert git(git_ledger, "status", "--porcelain", "--", "tasks") == ""
    assert {n: b for n, b in task_files(git_ledger).items() if not n.startswith("03-")} == {
        n: b for n, b in files.items() if not n.startswith("03-")
    }
    assert_taken_in_whole(git_ledger, first, before + 1)


def test_a_refusal_at_write_time_is_that_form_s_problem(git_ledger: Path) -> None:
    forms = make_forms(git_ledger, 7, JULY)
    first = fill(forms["人力资源和社会保障局"], TWO_FILES)
    second = fill(forms["交通运输局"], {"3.2|percent": {"K": 55}})
    six = next((git_ledger / "tasks").glob("06-*.yaml"))
    text = six.read_text(encoding="utf-8")
    assert "\nitems:" in text and "records:" not in text
    six.write_text(text.replace("\nitems:", "\nrecords:\nitems:", 1), encoding="utf-8")
    git(git_ledger, "commit", "--quiet", "-am", "手工编辑")

    result = run_cli(
        git_ledger, ["--lang", "en", "intake", "--json", str(first), str(second)], **JULY
    )

    assert result.exit_code == 1
    reports = json.loads(result.stdout)
    assert [r["status"] for r in reports] == ["refused", "recorded"]
    assert "records: must be the file's last key" in reports[0]["problems"][0]
    assert reports[1]["commit"]


@pytest.mark.parametrize(
    "patch",
    [
        {"month": 13},
        {"year": 0},
        {"month": "7"},
        {"title": ["x"]},
        {"rows": {"row": "x"}},
        {"rows": {"row": 1}},
        {"rows": {"kind": "other"}},
        {"rows": {"period": 13}},
        {"rows": {"milestone": "1"}},
        {"rows": {"name": 5}},
    ],
)
def test_a_forged_form_code_is_refused_at_its_cell(
    git_ledger: Path, patch: dict[str, object]
) -> None:
    form = make_forms(git_ledger, 7, JULY)["交通运输局"]
    book = openpyxl.load_workbook(form)
    sheet = book.active
    data = json.loads(base64.b64decode(sheet["P3"].value))
    rows = patch.pop("rows", None)
    data.update(patch)
    if isinstance(rows, dict):
        data["rows"] = [{**row, **rows} for row in data["rows"]]
    raw = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    sheet["P3"] = base64.b64encode(raw).decode()
    sheet["P2"] = hashlib.sha256(raw).hexdigest()
    forged = git_ledger.parent / "forged.xlsx"
    book.save(forged)

    result = run_cli(git_ledger, ["--lang", "en", "intake", str(forged)], **JULY)

    assert result.exit_code == 1, result.stderr
    assert "forged.xlsx!填报表!P3: the form's code was changed or damaged" in result.stderr


def test_a_sound_form_code_reads_back() -> None:
    identity = Identity(
        "台账", 2023, "", 7, "住建局", "abc", (RowKey(10, "3.1", "abcd1234", "tick", "m", 2, 6),)
    )
    assert decode(encode(identity), checksum(identity)) == identity
    assert FIRST_DATA_ROW == FIRST_ROW  # the lowest row a form's code may name


def test_a_monthly_duty_s_period_is_a_month(git_ledger: Path) -> None:
    from minsheng_cli.errors import UsageError
    from minsheng_cli.ledger.refs import resolve_item, resolve_milestone
    from minsheng_cli.store.load import load_ledger
    from minsheng_cli.write.record import check_tick

    ledger = load_ledger(git_ledger)
    item = resolve_item(ledger, "7.2")
    duty = resolve_milestone(item, "2", to_tick=True)
    for period in (0, 13):
        with pytest.raises(UsageError, match="1–12"):
            check_tick(item, duty, date(2023, 7, 31), False, period, ledger.workspace, JULY_DAY)


def kill_intake(root: Path) -> None:
    form = two_file_form(root)
    killed = subprocess.run(
        [sys.executable, "-c", CRASH, "-C", str(root), "intake", str(form)],
        env={**os.environ, **JULY},
        capture_output=True,
        check=False,
    )
    assert killed.returncode == 137


def test_a_hand_edit_after_a_stopped_intake_is_never_put_back_over(git_ledger: Path) -> None:
    """Putting a stopped intake back must not wipe what the clerk wrote since: a file holding
    neither its old bytes nor the intake's is left alone, and the clerk is told."""
    kill_intake(git_ledger)
    intent = json.loads((git_ledger / INTENT).read_text(encoding="utf-8"))
    edited = git_ledger / next(iter(intent["files"]))
    edited.write_text(edited.read_text(encoding="utf-8") + "# 手工备注\n", encoding="utf-8")
    result = run_cli(git_ledger, ["--lang", "en", "done", "4.1", "1"], **JULY)
    assert result.exit_code == 1
    assert "changed since; nothing was put back" in result.stderr
    assert "# 手工备注" in edited.read_text(encoding="utf-8")
    assert (git_ledger / INTENT).exists()


@pytest.mark.parametrize("path", ["../victim.txt", "/tmp/minsheng-victim.txt", ".git/config"])
def test_an_intent_file_naming_a_file_outside_tasks_is_refused(
    git_ledger: Path, tmp_path: Path, path: str
) -> None:
    """The intent file is read back after a crash and could have been edited or planted: it may
    only ever put back task files."""
    victim = (git_ledger / path).resolve() if not path.startswith("/") else Path(path)
    before = victim.read_bytes() if victim.exists() else None
    planted = {
        "form": "X",
        "content": "y",
        "head": "",
        "files": {path: base64.b64encode(b"PWNED").decode("ascii")},
        "written": {path: hashlib.sha256(b"x").hexdigest()},
    }
    (git_ledger / INTENT).write_text(json.dumps(planted), encoding="utf-8")
    result = run_cli(git_ledger, ["--lang", "en", "update", "1.1", "--percent", "10"], **JULY)
    assert result.exit_code == 1
    assert f"it names {path}" in result.stderr
    after = victim.read_bytes() if victim.exists() else None
    assert after == before
