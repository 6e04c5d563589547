"""The HTML report is one self-contained page, escapes what it shows, and notebooks get rich
displays of policies, reports and results."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

import policyrules
from policyrules.cli import main
from policyrules.evaluation import evaluate
from policyrules.report.html import render_report

ROOT = Path(__file__).resolve().parent.parent
POLICY = policyrules.load(ROOT / "policies" / "binhai-2021.pol")
UNITS = [{"unit": "新河街", "type": "镇街"}, {"unit": "<script>", "type": "镇街"}]
EVENTS = [
    {"id": "a1", "unit": "新河街", "kind": "activity", "at": "2021-03-13T09:00", "hours": 2},
    {"id": "a2", "unit": "<script>", "kind": "activity", "at": "2021-03-13T09:00", "hours": 1},
    {"id": "bad", "unit": "新河街", "kind": "activity", "at": "someday"},
]


def report() -> policyrules.report.Report:
    return evaluate(POLICY, EVENTS, UNITS, as_of=dt.date(2021, 4, 12))


def test_the_page_is_self_contained_and_escaped() -> None:
    page = render_report(report())
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # no network, no CDN
    assert not re.search(r"@import|url\(", page)  # nor from the stylesheet
    assert page.count("<script") == 2  # the report's data and its script, both ours
    # the data is JSON the page's script draws with textContent: a unit id that looks like
    # markup can neither end the data's element nor run
    data = page.split('<script type="application/json" id="report-data">')[1].split(
        "</script>")[0]
    assert "<" not in data
    payload = json.loads(data)
    assert ["<script>", None] in payload["units"]
    assert "overdue" in payload["statuses"] and "BH-10" in data
    assert "Rejected input (1)" in page and "&lt;script&gt;" not in page.split("<main>")[0]


def test_check_writes_the_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    events = tmp_path / "events.jsonl"
    events.write_text(
        '{"id": "a1", "unit": "新河街", "kind": "activity", "at": "2021-03-13T09:00",'
        ' "hours": 2}\n',
        encoding="utf-8",
    )
    out = tmp_path / "report.html"
    args = ["check", str(ROOT / "policies" / "binhai-2021.pol"), "--events", str(events),
            "--as-of", "2021-04-12", "--format", "html", "-o", str(out)]
    main(args)
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert f"wrote {out}" in capsys.readouterr().err


def test_rich_displays() -> None:
    result = report()
    assert "<table>" in result._repr_html_()
    assert "met" in repr(result) and "rejected rows" in repr(result)
    assert "学雷锋志愿服务日" in POLICY._repr_html_()
    assert repr(POLICY).startswith("<CheckedPolicy binhai_2021")
    assert "status" in result.results[0]._repr_html_()


def test_to_pandas_has_typed_columns() -> None:
    pd = pytest.importorskip("pandas")
    frame = report().to_pandas()
    assert len(frame) == len(report().results)
    assert isinstance(frame["status"].dtype, pd.CategoricalDtype)
    assert str(frame["required"].dtype) == "float64"
    assert str(frame["due"].dtype).startswith("datetime64")
