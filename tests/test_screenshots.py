"""The screenshots the documentation shows (docs/report.md, README), taken in headless
Chromium from the shipped examples: Binhai (as of 2021-07-12) and Yuzhong (as of
2020-01-15), in Chinese and English — the first screen, the overdue filter, and the first
page of the print preview (the page printed to PDF, turned into PNG by poppler's pdftoppm).

They are written to docs/images/ (CI keeps them as artefacts), 1280×800, reduced to a
palette of 96 colours when Pillow is there; a file is rewritten only when its picture
changed, so that a run leaves the tree clean. Skipped where Chromium is missing; the print
pages where pdftoppm is."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

import policyrules
from policyrules.evaluation import evaluate
from policyrules.report.html import render_report

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PDFTOPPM = shutil.which("pdftoppm")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
         "--hide-scrollbars", "--virtual-time-budget=5000",
         # every tile painted before the picture is taken: the same picture each run
         "--run-all-compositor-stages-before-draw"]
EXAMPLES = {"binhai": ("binhai-2021", dt.date(2021, 7, 12)),
            "yuzhong": ("yuzhong-2019", dt.date(2020, 1, 15))}
SIZE = (1280, 800)

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")


def chromium(tmp_path: Path, *args: str) -> None:
    assert CHROMIUM is not None
    profile = tmp_path / f"profile-{time.monotonic_ns()}"  # a fresh one each time
    subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
                   capture_output=True, timeout=180, check=True)


def page(tmp_path: Path, example: str, lang: str) -> Path:
    name, day = EXAMPLES[example]
    folder = ROOT / "examples" / name
    report = evaluate(policyrules.load(ROOT / "policies" / f"{name}.pol"),
                      folder / "events.jsonl", folder / "units.jsonl", as_of=day, lang=lang)
    path = tmp_path / f"{example}-{lang}.html"
    path.write_text(render_report(report, lang), encoding="utf-8")
    return path


def keep(shot: Path, name: str) -> Path:
    """`shot` as docs/images/NAME, small, and only if its picture changed."""
    target = IMAGES / name
    IMAGES.mkdir(parents=True, exist_ok=True)
    try:
        from PIL import Image, ImageChops
    except ImportError:  # keep the picture as Chromium made it
        if not target.exists() or target.read_bytes() != shot.read_bytes():
            shutil.copyfile(shot, target)
        return target
    picture = Image.open(shot).convert("RGB").quantize(colors=96, dither=Image.Dither.NONE)
    if target.exists():
        old = Image.open(target).convert("RGB")
        new = picture.convert("RGB")
        if old.size == new.size and ImageChops.difference(old, new).getbbox() is None:
            return target
    picture.save(target, optimize=True)
    return target


def assert_picture(path: Path, size: tuple[int, int]) -> None:
    from struct import unpack

    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert unpack(">II", data[16:24]) == size
    assert len(data) > 15_000, "a blank page"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_the_first_screen_and_the_overdue_filter(tmp_path: Path, example: str,
                                                 lang: str) -> None:
    url = page(tmp_path, example, lang).as_uri()
    for view, suffix in ((url, ""), (url + "#status=overdue", "-overdue")):
        shot = tmp_path / f"shot{suffix}.png"
        chromium(tmp_path, f"--screenshot={shot}", f"--window-size={SIZE[0]},{SIZE[1]}", view)
        assert_picture(shot, SIZE)
        assert_picture(keep(shot, f"report-{example}-{lang}{suffix}.png"), SIZE)


@pytest.mark.skipif(PDFTOPPM is None, reason="pdftoppm (poppler-utils) is not installed")
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_the_print_preview(tmp_path: Path, example: str, lang: str) -> None:
    assert PDFTOPPM is not None
    pdf = tmp_path / "report.pdf"
    chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
             page(tmp_path, example, lang).as_uri())
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
    assert 1 <= pages <= 12, pages
    # the whole first page, as high as a screenshot: A4 at 800 pixels
    subprocess.run([PDFTOPPM, "-png", "-f", "1", "-l", "1", "-scale-to-y", "800",
                    "-scale-to-x", "-1", str(pdf), str(tmp_path / "page")], check=True,
                   timeout=120)
    first = next(tmp_path.glob("page*.png"))
    from struct import unpack

    width, height = unpack(">II", first.read_bytes()[16:24])
    assert height == 800 and 560 < width < 570  # A4's proportions
    kept = keep(first, f"report-{example}-{lang}-print-1.png")
    assert kept.exists()
