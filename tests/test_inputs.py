"""Events and units from every supported input: JSON Lines, CSV, Parquet and Python."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest

import policyrules
from policyrules.data.events import read_events, read_units
from policyrules.evaluation import evaluate

ROOT = Path(__file__).resolve().parent.parent
POLICY = policyrules.load(ROOT / "policies" / "yuzhong-2019.pol")
ROWS = [
    {
        "id": "e1",
        "unit": "一中",
        "kind": "activity",
        "at": "2019-06-07T09:00",
        "hours": 1.5,
        "participants": 3,
        "category": "必选",
        "photo_mb": [1.2, 2.0],
    },
    {
        "id": "e2",
        "unit": "一中",
        "kind": "activity",
        "at": "2019-06-08T01:00+00:00",
        "hours": 0.5,
        "category": "自选",
    },
]
UNITS = [{"unit": "一中", "type": "文明校园", "staff": 30}]


def statuses(events: object) -> dict[str, str]:
    report = evaluate(POLICY, events, UNITS, as_of=dt.date(2019, 7, 1))
    assert report.rejected == []
    return {r.id: r.status for r in report.results}


def test_jsonl_csv_and_python_agree(tmp_path: Path) -> None:
    jsonl = tmp_path / "events.jsonl"
    jsonl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in ROWS), "utf-8")
    table = tmp_path / "events.csv"
    with table.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(
            handle,
            fieldnames=[
                "id",
                "unit",
                "kind",
                "at",
                "hours",
                "participants",
                "category",
                "photo_mb",
            ],
        )
        writer.writeheader()
        for row in ROWS:
            writer.writerow({**row, "photo_mb": ";".join(map(str, row.get("photo_mb", [])))})
    expected = statuses(ROWS)
    assert statuses(jsonl) == expected
    assert statuses(table) == expected


def test_offsets_are_converted_and_csv_text_is_typed(tmp_path: Path) -> None:
    events = read_events(POLICY, ROWS).events
    assert events[1].at.isoformat() == "2019-06-08T09:00:00+08:00"  # 01:00 UTC is 09:00 here
    table = tmp_path / "events.csv"
    table.write_text(
        'id,unit,kind,at,participants,photo_mb\nx,一中,activity,2019-06-07,"3","[1.5, 2]"\n',
        encoding="utf-8",
    )
    event = read_events(POLICY, table).events[0]
    assert event.attributes["participants"] == 3 and event.attributes["photo_mb"] == [1.5, 2.0]
    assert not event.timed  # a date without a time


def test_a_bad_line_is_rejected_with_its_number(tmp_path: Path) -> None:
    jsonl = tmp_path / "events.jsonl"
    jsonl.write_text(json.dumps(ROWS[0], ensure_ascii=False) + "\n{not json\n[1, 2]\n", "utf-8")
    found = read_events(POLICY, jsonl)
    assert [(r.line, r.reason.split(":")[0]) for r in found.rejected] == [
        (2, "not JSON"),
        (3, "not a JSON object"),
    ]
    assert found.rows == 3 and len(found.events) == 1


def test_parquet(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    path = tmp_path / "events.parquet"
    pq.write_table(pa.Table.from_pylist(ROWS), path)
    assert statuses(path) == statuses(ROWS)
    units = tmp_path / "units.parquet"
    pq.write_table(pa.Table.from_pylist(UNITS), units)
    assert read_units(POLICY, units).units["一中"].latest["staff"] == 30


def test_unknown_format_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "events.xlsx"
    path.write_bytes(b"")
    with pytest.raises(ValueError, match="unknown data format"):
        read_events(POLICY, path)
