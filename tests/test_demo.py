"""`make demo` (examples/halfyear.py) keeps an existing .demo — the clerk's records and its git
history — unless asked to rebuild it (`make demo-reset`, DEMO_RESET=1, or --reset) (issue 12)."""

from __future__ import annotations

from pathlib import Path

import pytest
from examples.halfyear import STEPS, main


def test_a_second_run_keeps_the_demo_and_says_how_to_rebuild(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    demo = tmp_path / ".demo"
    assert main([str(demo)]) == 0
    assert f"{len(STEPS)} reports recorded" in capsys.readouterr().out
    task = next((demo / "tasks").glob("01-*.yaml"))
    task.write_text(task.read_text(encoding="utf-8") + "# the clerk's own line\n", encoding="utf-8")
    (demo / "my-notes.txt").write_text("kept", encoding="utf-8")

    assert main([str(demo)]) == 0
    said = capsys.readouterr()
    assert "reports recorded" not in said.out
    assert "make demo-reset" in said.err
    assert str(demo) in said.err
    assert task.read_text(encoding="utf-8").endswith("# the clerk's own line\n")

    assert main([str(demo), "--reset"]) == 0
    assert f"{len(STEPS)} reports recorded" in capsys.readouterr().out
    assert "# the clerk's own line" not in task.read_text(encoding="utf-8")


def test_an_empty_folder_is_filled(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    demo = tmp_path / "empty"
    demo.mkdir()
    assert main([str(demo)]) == 0
    assert (demo / "minsheng.yaml").is_file()


def test_a_wrong_command_line_says_how(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "usage:" in capsys.readouterr().err
