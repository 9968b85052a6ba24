"""A rollup's own files (rollup.yaml, rollup-state.json) that cannot be written: one line, exit
1, never an internal error."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from minsheng_cli.store import atomic
from tests.conftest import GIT_IDENTITY, run_cli


def refuse_writes(path: Path, data: bytes) -> None:
    raise OSError(errno.EFBIG, "File too large")


def test_rollup_add_on_a_full_disk_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in GIT_IDENTITY.items():
        monkeypatch.setenv(key, value)
    city = tmp_path / "city"
    assert run_cli(None, ["rollup", "init", str(city), "--title", "某市"]).exit_code == 0
    before = (city / "rollup.yaml").read_text(encoding="utf-8")
    monkeypatch.setattr(atomic, "write_atomic", refuse_writes)
    result = run_cli(city, ["--lang", "en", "rollup", "add", "甲县", str(tmp_path / "county")])
    assert result.exit_code == 1
    assert result.stderr == "error: could not write rollup.yaml (File too large)\n"
    assert (city / "rollup.yaml").read_text(encoding="utf-8") == before
