"""A duplicate event id in the columnar engine: the rejected row lends nothing to the
accepted one (found by the notices benchmark data on xindu-2017: a joint training's owners
were made before the duplicate was taken out, so its units counted the first row's time)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policyrules.cli import main

ROOT = Path(__file__).resolve().parent.parent
UNITS = [
    {"unit": "s", "name": "街道", "type": "镇街", "population": 100},
    {"unit": "a", "name": "甲社区", "type": "社区", "parent": "s", "population": 10},
    {"unit": "b", "name": "乙社区", "type": "社区", "parent": "s", "population": 10},
]
EVENTS = [
    {"id": "e1", "unit": "a", "kind": "training", "at": "2017-08-01T14:08", "hours": 1.0},
    {"id": "e1", "unit": "b", "kind": "training", "at": "2017-01-08T12:53", "hours": 1.5},
]


@pytest.mark.parametrize("joint", [False, True])
def test_a_rejected_duplicate_lends_nothing_to_the_accepted_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], joint: bool
) -> None:
    events = [dict(e) for e in EVENTS]
    if joint:
        events[1]["joint_units"] = ["b", "a"]
    (tmp_path / "units.jsonl").write_text(
        "".join(json.dumps(u, ensure_ascii=False) + "\n" for u in UNITS), encoding="utf-8")
    (tmp_path / "events.jsonl").write_text(
        "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events), encoding="utf-8")
    reports = {}
    for engine in ("python", "duckdb"):
        out = tmp_path / f"{engine}.json"
        main(["check", str(ROOT / "policies" / "xindu-2017.pol"),
              "--events", str(tmp_path / "events.jsonl"), "--units", str(tmp_path / "units.jsonl"),
              "--as-of", "2017-12-31", "--obligation", "社区培训", "--format", "json",
              "-o", str(out), "--engine", engine])
        reports[engine] = out.read_text(encoding="utf-8")
    capsys.readouterr()
    assert reports["duckdb"] == reports["python"]
    results = {(r["unit"], r["period"]["label"]): r["status"]
               for r in json.loads(reports["duckdb"])["results"]}
    assert results[("a", "2017Q3")] == "met"
    assert results[("b", "2017Q3")] == "overdue"
    # b's own row was the rejected one: nothing of it counts
    assert all(status != "met" for (unit, _), status in results.items() if unit == "b")
