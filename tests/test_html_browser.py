"""What a person sees: the HTML report opened in headless Chromium (Debian's `chromium`).

Runs where Chromium is installed (.ci/run installs it); skipped elsewhere. The page is
rendered with its script, from its JSON payload: the attention section lists exactly the
overdue and at-risk results, in the order policyrules.report.attention gives; a view carried
in the link (`#status=overdue`) acts on the whole page; a city's report stays a small DOM;
the print stylesheet puts the attention section and the roll-ups on a few A4 pages."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import struct
import subprocess
import time
from functools import cache
from pathlib import Path

import pytest

import policyrules
from policyrules.evaluation import evaluate
from policyrules.report import attention
from policyrules.report.html import render_report
from policyrules.report.model import Report

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars"]

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")


@cache
def binhai(lang: str = "en", day: dt.date = dt.date(2021, 7, 12)) -> Report:
    example = ROOT / "examples" / "binhai-2021"
    policy = policyrules.load(ROOT / "policies" / "binhai-2021.pol")
    return evaluate(policy, example / "events.jsonl", example / "units.jsonl", as_of=day,
                    lang=lang)


def page(tmp_path: Path, report: Report, lang: str = "en", name: str = "report.html") -> Path:
    path = tmp_path / name
    path.write_text(render_report(report, lang), encoding="utf-8")
    return path


def chromium(tmp_path: Path, *args: str, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    profile = tmp_path / f"profile-{time.monotonic_ns()}"
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=5000", *args],
        capture_output=True, text=True, timeout=timeout, check=True,
    )


def dom(tmp_path: Path, url: str) -> str:
    html = chromium(tmp_path, "--dump-dom", url).stdout
    assert 'data-ready="true"' in html, "the page's script did not finish"
    return html


def attention_part(html: str) -> str:
    return html[html.index('id="attention-units"'):html.index('id="attention-obligations"')]


def test_the_attention_section_lists_exactly_the_overdue_and_at_risk_results(
    tmp_path: Path,
) -> None:
    report = binhai()
    html = dom(tmp_path, page(tmp_path, report).as_uri())
    part = attention_part(html)
    cards = re.findall(r'<article class="card[^"]*" data-unit="([^"]+)"', part)
    expected = attention.by_unit(report.results)
    assert cards == [u.unit for u in expected]  # the same units, worst first
    items = re.findall(r'<li class="behind" data-obligation="([^"]+)" data-count="(\d+)"', part)
    assert [(o, int(n)) for o, n in items] == [
        (item.obligation, len(item.results)) for u in expected for item in u.items]
    # every overdue and at-risk result is a chip of its card, and nothing else is
    chips = {int(i) for i in re.findall(r'data-result="(\d+)"', part)}
    wanted = {i for i, r in enumerate(report.results) if r.status in ("overdue", "at_risk")}
    assert chips == wanted and len(wanted) == 38
    by_obligation = html[html.index('id="attention-obligations"'):]
    rows = re.findall(r'<tr data-obligation="([^"]+)">', by_obligation.split("</table>")[0])
    assert rows == [o.obligation for o in attention.by_obligation(report.results)]


def test_the_first_screen_is_in_chinese_with_names(tmp_path: Path) -> None:
    html = dom(tmp_path, page(tmp_path, binhai("zh"), "zh").as_uri())
    head = html[:html.index('<section id="rollups"')]
    assert "需要处理" in head and "截至2021-07-12" in head
    assert "甜水井村" in head and "逾期未完成" in head
    visible = re.sub(r"<script.*?</script>|<style.*?</style>|<[^>]+>", " ", head, flags=re.S)
    visible = re.sub(r"binhai_2021|[a-z]+-[a-z0-9-]+|BH-\d+|JavaScript|\d{4}-\d\d(-\d\d)?", "",
                     visible)
    assert not re.search(r"[A-Za-z]{2,}", visible), re.findall(r"[A-Za-z]{2,}", visible)


def test_a_view_in_the_link_acts_on_the_whole_page(tmp_path: Path) -> None:
    report = binhai()
    url = page(tmp_path, report).as_uri() + "#status=overdue"
    html = dom(tmp_path, url)
    rows = re.findall(r'<tr class="result" data-status="([a-z_]+)"', html)
    assert rows and set(rows) == {"overdue"}
    overdue = sum(1 for r in report.results if r.status == "overdue")
    assert f"{overdue} of {len(report.results)} results shown" in html
    part = attention_part(html)
    assert 'data-count' in part and "s-at_risk" not in part  # at-risk results left out
    # a unit by its name, from the units file
    html = dom(tmp_path, page(tmp_path, report).as_uri() + "#unit=新河街道")
    units = set(re.findall(r'<tr class="result" data-status="[a-z_]+" data-unit="([^"]+)"', html))
    assert units == {"jd-xinhe"}
    # a unit that does not exist says so
    html = dom(tmp_path, page(tmp_path, report).as_uri() + "#unit=nobody")
    assert "no unit `nobody`" in html and "0 of 577 results shown" in html


def test_a_screenshot_is_a_picture_of_the_page(tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,900",
             page(tmp_path, binhai()).as_uri())
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1280, 900)
    assert len(data) > 20_000  # not a blank page


def test_printing_fits_the_attention_and_roll_ups_on_a_few_pages(tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
             page(tmp_path, binhai("zh"), "zh").as_uri())
    data = pdf.read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    assert 1 <= pages <= 6, pages
    assert re.search(rb"/MediaBox\s*\[0 0 594\.9\d* 841\.9\d*\]", data)  # A4


def test_a_city_of_ten_thousand_units_stays_a_small_page(tmp_path: Path) -> None:
    """300 copies of Binhai's 34 units: 10,200 units, 176,000 results. The file holds the
    data; the DOM holds a page of each table."""
    report = binhai()
    many = []
    for copy in range(300):
        for r in report.results:
            unit = f"{r.unit}-{copy:03d}"
            many.append(r.model_copy(update={"unit": unit, "unit_name": f"{r.unit_name}{copy}",
                                             "id": f"{r.id}-{copy}"}))
    city = report.model_copy(update={"results": many})
    started = time.monotonic()
    path = page(tmp_path, city)
    size = path.stat().st_size
    assert size < 12_000_000, size  # the payload shares its texts
    html = dom(tmp_path, path.as_uri())
    took = time.monotonic() - started
    # the DOM without the data's one text node: a page of rows, not 176,000 of them
    drawn = re.sub(r'(<script type="application/json" id="report-data">).*?(</script>)',
                   r"\1\2", html, flags=re.S)
    assert len(drawn) < 1_500_000, len(drawn)
    assert drawn.count("<") < 20_000
    assert html.count("<tr") < 800 and html.count('<article class="card') == 25
    assert took < 90, took
