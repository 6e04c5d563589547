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


# ----------------------------------------------------------------------------- many inputs


def write_jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def test_several_inputs_are_one_stream_with_one_id_space(tmp_path: Path) -> None:
    first = write_jsonl(tmp_path / "a.jsonl", ROWS)
    second = write_jsonl(tmp_path / "b.jsonl", [
        {**ROWS[0], "at": "2019-06-09T09:00"},  # e1 again, from another file
        {**ROWS[1], "id": "e3"},
        {**ROWS[1], "id": "e3"},  # and again within this one
    ])
    found = read_events(POLICY, [first, second])
    assert [e.id for e in found.events] == ["e1", "e2", "e3"]
    assert [(r.source, r.line, r.reason) for r in found.rejected] == [
        (str(second), 1, f"duplicate event id `e1` (the first is {first}:1)"),
        (str(second), 3, "duplicate event id `e3`"),
    ]
    assert [(c.source, c.rows, c.accepted, c.rejected) for c in found.inputs] == [
        (str(first), 2, 2, 0), (str(second), 3, 1, 2)]
    report = evaluate(POLICY, [first, second], UNITS, as_of=dt.date(2019, 7, 1))
    assert report.summary.event_rows == 5 and report.summary.events_rejected == 2
    assert [i.source for i in report.inputs] == [str(first), str(second), "<python>"]


def test_kinds_no_obligation_reads_are_counted_and_named() -> None:
    rows = [*ROWS, {"id": "t1", "unit": "一中", "kind": "activty", "at": "2019-06-07"},
            {"id": "t2", "unit": "一中", "kind": "activty", "at": "2019-06-08"},
            {"id": "t3", "unit": "一中", "kind": "lesson", "at": "2019-06-08"}]
    report = evaluate(POLICY, rows, UNITS, as_of=dt.date(2019, 7, 1))
    assert report.summary.kinds_unread == {"activty": 2, "lesson": 1}
    assert report.summary.kinds_undeclared == {"activty": 2}  # `lesson` is declared, not read
    assert report.notes == [
        "kinds no obligation reads: `activty` (2 rows, not declared; did you mean"
        " `activity`?); `lesson` (1 row)"]
    chinese = evaluate(POLICY, rows, UNITS, as_of=dt.date(2019, 7, 1), lang="zh")
    assert chinese.notes == [
        "没有义务读取的事件类型：`activty`（2 行，未声明；是否想写 `activity`？）；"
        "`lesson`（1 行）"]


def test_the_kinds_obligations_read_follow_schedules_subjects_and_lets() -> None:
    from policyrules.data.kinds import kinds_read

    policy = policyrules.parse(
        "event activity {}\nevent report { ref: string }\nevent registration { person: string }"
        "\nevent visit {}\nevent unused {}\n"
        'let visits = count(visit)\npolicy p "x" {\n  effective 2021-01-01 .. 2021-12-31\n'
        '  obligation a "A" {\n    for each activity\n    require exists(report)\n  }\n'
        '  obligation b "B" {\n    for each person of registration\n    every month\n'
        "    require visits >= 1\n  }\n}\n", "p.pol")
    assert kinds_read(policy) == {"activity", "report", "registration", "visit"}


def test_units_count_rows_and_units_apart() -> None:
    rows = [{"unit": "一中", "type": "文明校园", "staff": 30},
            {"unit": "一中", "staff": 35, "valid_from": "2019-09-01"},
            {"unit": "二中", "type": "文明校园"},
            {"unit": "二中", "type": "学校"},  # a second version without valid_from
            {"unit": "三中", "staff": "x"}]
    units = read_units(POLICY, rows)
    assert units.rows == 5 and units.versions == 3 and len(units.units) == 2
    assert [(r.line, r.reason) for r in units.rejected] == [
        (4, "a second row for unit `二中` without `valid_from` (the first is line 3); give"
            " each row the day its facts start to hold"),
        (5, "`staff`: not a whole number (got `x`)")]
    summary = evaluate(POLICY, ROWS, rows, as_of=dt.date(2019, 7, 1)).summary
    assert (summary.unit_rows, summary.unit_rows_accepted, summary.unit_rows_rejected,
            summary.units_accepted) == (5, 3, 2, 2)
    assert summary.unit_rows == summary.unit_rows_accepted + summary.unit_rows_rejected
    same_day = read_units(POLICY, [rows[0], {**rows[1]}, {**rows[1], "staff": 40}])
    assert [r.reason for r in same_day.rejected] == [
        "a second row for unit `一中` from 2019-09-01 (the first is line 2)"]
