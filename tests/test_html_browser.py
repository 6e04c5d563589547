"""What a person sees: the HTML report opened in headless Chromium (Debian's `chromium`).

Runs where Chromium is installed (.ci/run installs it); skipped elsewhere. The page is
rendered with its script: a view carried in the link (`#status=overdue`) hides every other
row, and a screenshot is a real picture of the page."""

from __future__ import annotations

import datetime as dt
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

import policyrules
from policyrules.evaluation import evaluate
from policyrules.report.html import render_report

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")


def page(tmp_path: Path) -> Path:
    example = ROOT / "examples" / "binhai-2021"
    policy = policyrules.load(ROOT / "policies" / "binhai-2021.pol")
    report = evaluate(policy, example / "events.jsonl", example / "units.jsonl",
                      as_of=dt.date(2021, 12, 31))
    path = tmp_path / "report.html"
    path.write_text(render_report(report), encoding="utf-8")
    return path


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args],
        capture_output=True, text=True, timeout=120, check=True,
    )


def test_a_view_in_the_link_filters_the_rows(tmp_path: Path) -> None:
    url = page(tmp_path).as_uri() + "#status=overdue"
    dom = chromium(tmp_path, "--dump-dom", url).stdout
    rows = [line for line in dom.split("<tr class=\"result\"")[1:]]
    assert rows, "no result rows rendered"
    shown = [row for row in rows if "display: none" not in row.split(">", 1)[0]]
    assert shown and all('data-status="overdue"' in row.split(">", 1)[0] for row in shown)
    assert len(shown) < len(rows)
    assert f'<span id="shown">{len(shown)}</span>' in dom


def test_a_screenshot_is_a_picture_of_the_page(tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,900", page(tmp_path).as_uri())
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1280, 900)
    assert len(data) > 20_000  # not a blank page
