"""`make offline`: one zip per platform for an office network that cannot reach a package index.

dist/minsheng-offline-<platform>.zip holds the project's wheel, every runtime dependency's wheel
for that platform and CPython 3.11 and 3.12 (pure-Python ones as py3-none-any), the bundled 2023
ledger as an example, and install.sh / install.bat, which make a virtual environment and install
from the wheels alone (pip --no-index). Building needs the package index; installing does not.

    python scripts/offline_bundle.py [PLATFORM ...]    (default: all three)
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTHON_VERSIONS = ("3.11", "3.12")
PLATFORMS: dict[str, tuple[str, ...]] = {
    # pip's --platform tags: manylinux_2_17 runs on glibc 2.17 and later (麒麟 V10 and 统信 UOS 20
    # have 2.28); a package that ships only manylinux_2_28 wheels is taken as well.
    "win_amd64": ("win_amd64",),
    "manylinux_x86_64": ("manylinux2014_x86_64", "manylinux_2_17_x86_64", "manylinux_2_28_x86_64"),
    "manylinux_aarch64": (
        "manylinux2014_aarch64",
        "manylinux_2_17_aarch64",
        "manylinux_2_28_aarch64",
    ),
}
MARKERS: dict[str, dict[str, str]] = {
    "win_amd64": {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt"},
    "manylinux_x86_64": {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix"},
    "manylinux_aarch64": {
        "sys_platform": "linux",
        "platform_system": "Linux",
        "os_name": "posix",
        "platform_machine": "aarch64",
    },
}
"""The target's side of environment markers: `pip download --platform` judges a dependency's
marker (typer's `colorama; platform_system == "Windows"`) by the machine it runs on instead."""
SCRIPTS = REPO / "scripts" / "offline"
EXAMPLE = "example-ledger"


def dependencies() -> list[str]:
    """The runtime requirements, as pyproject.toml states them."""
    with (REPO / "pyproject.toml").open("rb") as file:
        project = tomllib.load(file)["project"]
    return list(project["dependencies"])


def pip(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", *args], check=True)


def project_wheel(into: Path) -> None:
    pip("wheel", "--no-deps", "--quiet", "--wheel-dir", str(into), str(REPO))


def dependency_wheels(platform: str, into: Path) -> None:
    """Every runtime dependency's wheel, then those that only the target's markers ask for."""
    for version in PYTHON_VERSIONS:
        requirements = dependencies()
        while requirements:
            download(platform, version, requirements, into)
            requirements = marked_for_target(platform, version, into)


def download(platform: str, version: str, requirements: list[str], into: Path) -> None:
    tags = [arg for tag in PLATFORMS[platform] for arg in ("--platform", tag)]
    pip(
        "download",
        "--quiet",
        "--only-binary=:all:",
        *tags,
        "--python-version",
        version,
        "--implementation",
        "cp",
        "--dest",
        str(into),
        *requirements,
    )


def marked_for_target(platform: str, version: str, wheels: Path) -> list[str]:
    """Requirements of the wheels in ``wheels`` whose marker holds on the target and that no
    wheel there meets yet."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name, parse_wheel_filename

    present = {parse_wheel_filename(w.name)[0] for w in wheels.glob("*.whl")}
    target = {**MARKERS[platform], "python_version": version, "python_full_version": f"{version}.0"}
    wanted = []
    for wheel in wheels.glob("*.whl"):
        for line in requirements_of(wheel):
            requirement = Requirement(line)
            marker = requirement.marker
            if marker is None or canonicalize_name(requirement.name) in present:
                continue
            if marker.evaluate({**target, "extra": ""}):
                requirement.marker = None
                wanted.append(str(requirement))
    return sorted(set(wanted))


def requirements_of(wheel: Path) -> list[str]:
    """The Requires-Dist lines of a wheel's METADATA."""
    from email.parser import HeaderParser

    with zipfile.ZipFile(wheel) as zipped:
        name = next(n for n in zipped.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = HeaderParser().parsestr(zipped.read(name).decode("utf-8"))
    return metadata.get_all("Requires-Dist") or []


def example_ledger(into: Path) -> None:
    into.mkdir()
    shutil.copy2(REPO / "minsheng.yaml", into / "minsheng.yaml")
    shutil.copytree(REPO / "tasks", into / "tasks")


def installers(platform: str, into: Path) -> None:
    """install.bat for Windows (in the Chinese code page, CRLF, as cmd.exe reads it there),
    install.sh elsewhere; README.txt for both."""
    if platform.startswith("win"):
        text = (SCRIPTS / "install.bat").read_text(encoding="utf-8")
        (into / "install.bat").write_bytes(text.replace("\n", "\r\n").encode("gbk"))
    else:
        script = into / "install.sh"
        shutil.copy2(SCRIPTS / "install.sh", script)
        script.chmod(0o755)
    readme = (SCRIPTS / "README.txt").read_text(encoding="utf-8")
    newline = "\r\n" if platform.startswith("win") else "\n"
    (into / "README.txt").write_bytes(readme.replace("\n", newline).encode("utf-8-sig"))


def bundle(platform: str, dist: Path, project: Path) -> Path:
    """dist/minsheng-offline-<platform>.zip, its files under one folder of that name."""
    name = f"minsheng-offline-{platform}"
    with tempfile.TemporaryDirectory() as scratch:
        top = Path(scratch) / name
        wheels = top / "wheels"
        wheels.mkdir(parents=True)
        for wheel in project.glob("*.whl"):
            shutil.copy2(wheel, wheels)
        dependency_wheels(platform, wheels)
        example_ledger(top / EXAMPLE)
        installers(platform, top)
        archive = dist / f"{name}.zip"
        archive.unlink(missing_ok=True)
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
            for path in sorted(top.rglob("*")):
                zipped.write(path, path.relative_to(top.parent).as_posix())
    return archive


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("platforms", nargs="*", help=", ".join(PLATFORMS) + " (default: all)")
    parser.add_argument("--dist", type=Path, default=REPO / "dist")
    options = parser.parse_args(argv)
    unknown = [p for p in options.platforms if p not in PLATFORMS]
    if unknown:
        parser.error(f"unknown platform {', '.join(unknown)}; choose from {', '.join(PLATFORMS)}")
    options.dist.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        project = Path(scratch)
        project_wheel(project)
        for platform in options.platforms or PLATFORMS:
            print(bundle(platform, options.dist, project))


if __name__ == "__main__":
    main()
