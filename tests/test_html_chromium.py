"""The HTML report in a real browser: headless Chromium renders it, and the test reads the DOM
after rendering (--dump-dom) and a screenshot (--screenshot, decoded with zlib and struct).

Chromium is Debian's `chromium` (scripts/ensure-chromium installs it). Without it the tests skip,
except under CI (CI=true), where they fail and say how to install it.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zlib
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from minsheng_cli.paperwork.html import AS_OF_COLOUR, STATE_COLOURS
from tests.conftest import run_cli
from tests.test_report import (
    LEDGER_TITLE,
    STATES,
    cli_json,
    half_year_ledger,
    parse_html,
    state_counts,
)

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
CHROMIUM_TIMEOUT_SECONDS = 120
WINDOW = (1200, 1400)
HOW_TO_INSTALL = (
    "headless Chromium is not installed; run scripts/ensure-chromium (or apt-get install chromium)"
)


def find_chromium() -> str | None:
    candidates = (
        os.environ.get("MINSHENG_CHROMIUM"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    )
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


@pytest.fixture(scope="module")
def chromium() -> str:
    found = find_chromium()
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail(HOW_TO_INSTALL)
        pytest.skip(HOW_TO_INSTALL)
    return found


@pytest.fixture(scope="module")
def half_year(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return half_year_ledger(tmp_path_factory.mktemp("half_year") / "ledger")


@pytest.fixture(scope="module")
def bulletin(half_year: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The June bulletin as HTML, written by `minsheng report --month 6 -o bulletin.html`."""
    output = tmp_path_factory.mktemp("html") / "bulletin.html"
    result = run_cli(half_year, ["report", "--month", "6", "-o", str(output)])
    assert result.exit_code == 0, result.output
    return output


def run_chromium(binary: str, profile: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    result = subprocess.run(
        [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        timeout=CHROMIUM_TIMEOUT_SECONDS,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")[-2000:]
    return result


@pytest.fixture(scope="module")
def rendered_dom(chromium: str, bulletin: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    profile = tmp_path_factory.mktemp("chromium-profile")
    result = run_chromium(chromium, profile, "--dump-dom", bulletin.as_uri())
    return result.stdout.decode("utf-8")


@pytest.fixture(scope="module")
def screenshot(chromium: str, bulletin: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("screenshot")
    picture = folder / "bulletin.png"
    run_chromium(
        chromium,
        folder / "profile",
        f"--window-size={WINDOW[0]},{WINDOW[1]}",
        "--hide-scrollbars",
        f"--screenshot={picture}",
        bulletin.as_uri(),
    )
    assert picture.is_file(), "Chromium wrote no screenshot"
    return picture


# --- the DOM after rendering -------------------------------------------------------------------


def test_the_title_is_on_the_page(rendered_dom: str) -> None:
    page = parse_html(rendered_dom)
    assert "".join(page.texts["h1"]) == f"{LEDGER_TITLE}推进情况月通报"
    assert page.texts["title"][0] == f"{LEDGER_TITLE}推进情况月通报"


def test_one_timeline_row_per_item(rendered_dom: str, half_year: Path) -> None:
    page = parse_html(rendered_dom)
    rows = page.having("g", "item-row")
    items = cli_json(half_year, "status", "--month", "6")
    assert len(rows) == len(items) == 14
    assert [row["data-item"] for row in rows] == [item["item"] for item in items]


def test_the_as_of_line_is_at_the_end_of_june(rendered_dom: str) -> None:
    page = parse_html(rendered_dom)
    (line,) = page.having("line", "asof")
    (svg,) = page.having("svg", "timeline")
    x0, x1 = float(svg["data-x0"]), float(svg["data-x1"])
    elapsed = (date(2023, 6, 30) - date(2023, 1, 1)).days + 1
    assert float(line["x1"]) == pytest.approx(x0 + elapsed / 365 * (x1 - x0), abs=0.01)
    assert float(line["x1"]) == float(line["x2"])
    months = {int(a["data-month"]): float(a["x1"]) for a in page.having("line", "month")}
    assert float(line["x1"]) == pytest.approx(months[7], abs=0.01), "where July begins"
    assert months[6] < float(line["x1"]) < months[8]


def test_mark_colours_count_the_states(rendered_dom: str, half_year: Path) -> None:
    page = parse_html(rendered_dom)
    by_colour = Counter(mark["fill"].lower() for mark in page.having("circle", "ms"))
    state_of_colour = {colour.lower(): state.value for state, colour in STATE_COLOURS.items()}
    drawn = {state_of_colour[colour]: count for colour, count in by_colour.items()}
    from_status = state_counts(cli_json(half_year, "status", "--month", "6"))
    listed = Counter(m["state"] for m in cli_json(half_year, "list", "--month", "6"))
    assert {s: drawn.get(s, 0) for s in STATES} == from_status
    assert {s: listed[s] for s in STATES} == from_status
    assert sum(drawn.values()) == 97


# --- the screenshot ----------------------------------------------------------------------------


def read_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the rows of RGB(A) bytes of an 8-bit, non-interlaced PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    position, compressed = 8, bytearray()
    width = height = channels = 0
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        body = data[position + 8 : position + 8 + length]
        position += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour_type, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and interlace == 0 and colour_type in (2, 6), (depth, colour_type)
            channels = 3 if colour_type == 2 else 4
        elif kind == b"IDAT":
            compressed += body
        elif kind == b"IEND":
            break
    raw = zlib.decompress(bytes(compressed))
    stride = width * channels
    rows: list[bytes] = []
    previous = bytes(stride)
    for y in range(height):
        start = y * (stride + 1)
        line = unfilter(
            raw[start], bytearray(raw[start + 1 : start + 1 + stride]), previous, channels
        )
        rows.append(line)
        previous = line
    return width, height, [row if channels == 3 else drop_alpha(row) for row in rows]


def unfilter(kind: int, line: bytearray, above: bytes, bpp: int) -> bytes:
    """Undo one of PNG's five row filters (None, Sub, Up, Average, Paeth)."""
    if kind == 0:
        return bytes(line)
    if kind == 2:
        return bytes((a + b) & 0xFF for a, b in zip(line, above, strict=True))
    for i in range(len(line)):
        left = line[i - bpp] if i >= bpp else 0
        up = above[i]
        if kind == 1:
            line[i] = (line[i] + left) & 0xFF
        elif kind == 3:
            line[i] = (line[i] + (left + up) // 2) & 0xFF
        else:
            corner = above[i - bpp] if i >= bpp else 0
            line[i] = (line[i] + paeth(left, up, corner)) & 0xFF
    return bytes(line)


def paeth(left: int, up: int, corner: int) -> int:
    estimate = left + up - corner
    to_left, to_up, to_corner = abs(estimate - left), abs(estimate - up), abs(estimate - corner)
    if to_left <= to_up and to_left <= to_corner:
        return left
    return up if to_up <= to_corner else corner


def drop_alpha(row: bytes) -> bytes:
    return bytes(b for i, b in enumerate(row) if i % 4 != 3)


def colours_in(rows: list[bytes]) -> Counter[tuple[int, int, int]]:
    found: Counter[tuple[int, int, int]] = Counter()
    for row in rows:
        found.update(zip(row[0::3], row[1::3], row[2::3], strict=True))
    return found


def rgb(hex_colour: str) -> tuple[int, int, int]:
    value = hex_colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def near(colour: tuple[int, int, int], found: Counter[tuple[int, int, int]]) -> int:
    """How many pixels are within a few levels of ``colour`` (colour management may round)."""
    return sum(
        n for c, n in found.items() if all(abs(a - b) <= 6 for a, b in zip(c, colour, strict=True))
    )


def test_the_screenshot_shows_the_chart(screenshot: Path, half_year: Path) -> None:
    data = screenshot.read_bytes()
    assert len(data) > 20_000, "a blank page compresses to almost nothing"
    width, height, rows = read_png(data)
    assert (width, height) == WINDOW
    found = colours_in(rows)
    assert len(found) > 50, f"only {len(found)} colours: the page looks blank"
    white = found[(255, 255, 255)]
    assert white < width * height * 0.9
    counts = state_counts(cli_json(half_year, "status", "--month", "6"))
    for state, colour in STATE_COLOURS.items():
        if counts[state.value]:
            assert near(rgb(colour), found) > 10, f"no {state.value} marks on the screen"
    assert near(rgb(AS_OF_COLOUR), found) > 50, "the as-of line is not drawn"
