"""The offline bundle (`make offline`) installs where no package index can be reached.

Building it needs the index (the dependencies' wheels are downloaded), so this runs in
`make offline-test` (MINSHENG_OFFLINE_TEST=1), not in `make test`, and skips, saying why, when
the index cannot be reached. The install itself runs with the index made unreachable and pip's
own configuration (which may point at local wheels) set aside: only the bundle's wheels count.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO

PLATFORM = "manylinux_x86_64"

pytestmark = [
    pytest.mark.skipif(
        os.environ.get("MINSHENG_OFFLINE_TEST") != "1",
        reason="builds the offline bundle from the package index: run `make offline-test`",
    ),
]
on_linux_x86_64 = pytest.mark.skipif(
    sys.platform != "linux" or os.uname().machine != "x86_64",
    reason="installs the Linux x86_64 bundle: needs Linux on x86_64",
)


def index_reachable(scratch: Path) -> bool:
    probe = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--only-binary=:all:",
            "--dest",
            str(scratch),
            "typer<0.29",
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )
    return probe.returncode == 0


def without_index() -> dict[str, str]:
    """pip with no index to reach and no configuration of its own (no find-links elsewhere)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "VIRTUAL_ENV"))}
    return {
        **env,
        "PIP_CONFIG_FILE": os.devnull,
        "PIP_NO_INDEX": "1",
        "PIP_INDEX_URL": "http://127.0.0.1:9/simple",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "PYTHON": sys.executable,
        "HOME": os.environ.get("HOME", "/tmp"),
    }


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three bundles, as `make offline` builds them."""
    scratch = tmp_path_factory.mktemp("offline")
    if not index_reachable(scratch / "probe"):
        pytest.skip("the package index is unreachable: the offline bundle cannot be built here")
    subprocess.run(
        [sys.executable, str(REPO / "scripts" / "offline_bundle.py"), "--dist", str(scratch)],
        check=True,
        timeout=1800,
    )
    return scratch


@pytest.fixture
def bundle(dist: Path) -> Path:
    return dist / f"minsheng-offline-{PLATFORM}.zip"


TAGS = {
    "win_amd64": ("win_amd64",),
    "manylinux_x86_64": ("manylinux2014_x86_64", "manylinux_2_28_x86_64"),
    "manylinux_aarch64": ("manylinux2014_aarch64", "manylinux_2_28_aarch64"),
}


@pytest.mark.parametrize("python", ["3.11", "3.12"])
@pytest.mark.parametrize("platform", sorted(TAGS))
def test_each_bundle_resolves_for_its_platform_from_its_own_wheels(
    dist: Path, tmp_path: Path, platform: str, python: str
) -> None:
    """What pip would install on the clerk's machine, from the bundle alone (a dry run: the
    platform is not this one); a dependency only Windows needs (typer's colorama) is there."""
    with zipfile.ZipFile(dist / f"minsheng-offline-{platform}.zip") as zipped:
        zipped.extractall(tmp_path)
    wheels = tmp_path / f"minsheng-offline-{platform}" / "wheels"
    tags = [arg for tag in TAGS[platform] for arg in ("--platform", tag)]

    dry_run = [
        *("install", "--dry-run", "--no-index", "--find-links", str(wheels)),
        *("--only-binary=:all:", *tags, "--python-version", python, "--implementation", "cp"),
        *("--target", str(tmp_path / "target"), "minsheng"),
    ]
    resolved = subprocess.run(
        [sys.executable, "-m", "pip", *dry_run],
        capture_output=True,
        text=True,
        env=without_index(),
        timeout=300,
        check=False,
    )

    assert resolved.returncode == 0, resolved.stdout + resolved.stderr
    assert "minsheng-0" in resolved.stdout
    names = {w.name.split("-")[0].lower() for w in wheels.glob("*.whl")}
    assert ("colorama" in names) == (platform == "win_amd64")


def test_the_bundle_holds_wheels_for_both_pythons_and_the_installers(bundle: Path) -> None:
    names = zipfile.ZipFile(bundle).namelist()
    top = f"minsheng-offline-{PLATFORM}/"

    assert all(name.startswith(top) for name in names)
    wheels = [n.removeprefix(top + "wheels/") for n in names if n.endswith(".whl")]
    assert any(w.startswith("minsheng-") for w in wheels)
    for python in ("cp311", "cp312"):
        assert any(w.startswith("pydantic_core-") and f"-{python}-" in w for w in wheels)
    assert all("win" not in w and "macosx" not in w and "aarch64" not in w for w in wheels)
    assert {top + "install.sh", top + "README.txt", top + "example-ledger/minsheng.yaml"} <= set(
        names
    )


@on_linux_x86_64
def test_it_installs_and_runs_with_the_index_unreachable(bundle: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(bundle) as zipped:
        zipped.extractall(tmp_path)
    unpacked = tmp_path / f"minsheng-offline-{PLATFORM}"
    target = tmp_path / "装在 这里"
    env = without_index()

    installed = subprocess.run(
        ["sh", str(unpacked / "install.sh"), str(target)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )

    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert "已安装" in installed.stdout
    program = target / "bin" / "minsheng"
    version = subprocess.run(
        [str(program), "--version"], capture_output=True, text=True, env=env, check=True
    )
    assert version.stdout.startswith("minsheng ")
    ledger = shutil.copytree(unpacked / "example-ledger", tmp_path / "台账")
    status = subprocess.run(
        [str(program), "-C", str(ledger), "status", "--month", "6"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        check=False,
    )
    assert status.returncode == 0, status.stderr
    assert "泾源县2023年民生实事任务清单" in status.stdout
    assert (
        str(target)
        in subprocess.run(
            [
                str(target / "bin" / "python"),
                "-c",
                "import minsheng_cli; print(minsheng_cli.__file__)",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
