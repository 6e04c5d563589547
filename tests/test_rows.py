"""Rows of files (policyrules.data.rows): every row accepted or rejected with its line and
reason, whatever the bytes; one bad row never stops the others; an input that cannot be read
at all is refused as a whole, never read as nothing."""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policyrules
from policyrules.data.events import InputError, read_events, read_units
from policyrules.data.rows import read_rows

ROOT = Path(__file__).resolve().parent.parent
POLICY = policyrules.load(ROOT / "policies" / "yuzhong-2019.pol")
GOOD = {"id": "a1", "unit": "一中", "kind": "activity", "at": "2019-06-07T09:00", "hours": 1.5}


def line(**fields: Any) -> str:
    return json.dumps({**GOOD, **fields}, ensure_ascii=False) + "\n"


def reasons(path: Path, **options: Any) -> list[tuple[int, str]]:
    found = read_events(POLICY, path, **options)
    assert found.rows == len(found.events) + len(found.rejected)
    return [(r.line, r.reason) for r in found.rejected]


# ----------------------------------------------------------------------------- JSON Lines


def test_one_bad_json_line_is_its_own_rejection(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_bytes(
        line(id="a1").encode()
        + line(id="a2").replace("1.5", "NaN").encode()
        + line(id="a3").replace("1.5", "Infinity").encode()
        + b'{"id": "a4", "unit": "u", "kind": "activity", "at": "2019-06-07", "id": "x"}\n'
        + line(id="a5", unit="u\u00ff").encode().replace(b"u\xc3\xbf", b"u\xff")
        + b'{"id": "a6", "participants": ' + b"1" * 5000 + b"}\n"
        + b"[" * 100_000 + b"\n"
        + line(id="a7", hours=1e300).replace("1e+300", "1e400").encode()
        + b'{"id": "\\ud800", "unit": "u", "kind": "activity", "at": "2019-06-07"}\n'
        + b"\n   \n"  # blank lines are not rows
        + line(id="a8").encode()
    )
    assert reasons(path) == [
        (2, "not JSON: `NaN` is not a JSON value (write a number, or leave the field out)"),
        (3, "not JSON: `Infinity` is not a JSON value (write a number, or leave the field"
            " out)"),
        (4, "duplicate key `id`"),
        (5, "not UTF-8 text (byte 24 of the line is `\\xff`)"),
        (6, "not JSON: a number with too many digits"),
        (7, "not JSON: nested too deeply"),
        (8, "`hours`: not a finite number (got `inf`)"),
        (9, "`id`: not valid Unicode text (a lone surrogate)"),
    ]
    assert [e.id for e in read_events(POLICY, path).events] == ["a1", "a8"]


def test_a_duplicate_key_is_found_however_the_line_is_spaced(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text('{"id" : "a1", "unit":"u", "kind":"activity", "at":"2019-06-07",'
                    ' "hours" :1, "hours": 2}\n{"id": "a2", "unit": "u", "kind": "activity",'
                    ' "at": "2019-06-07", "theme": "say \\":\\" twice"}\n', encoding="utf-8")
    assert reasons(path) == [(1, "duplicate key `hours`")]
    path.write_text('{"id" :"a1", "id":"a2", "unit":"u", "kind":"activity", "at":"2019-06-07"}\n',
                    encoding="utf-8")  # as many `":` as keys, one of them spaced
    assert reasons(path) == [(1, "duplicate key `id`")]


def test_gzip_and_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl.gz"
    with gzip.open(path, "wb") as handle:
        handle.write(b"\xef\xbb\xbf" + line().encode())
    assert len(read_events(POLICY, path).events) == 1
    broken = tmp_path / "broken.jsonl.gz"
    broken.write_bytes(path.read_bytes()[:-12])
    with pytest.raises(InputError, match="not a readable gzip file"):
        read_events(POLICY, broken)
    table = tmp_path / "events.csv.gz"
    with gzip.open(table, "wt", encoding="utf-8") as handle:
        handle.write("id,unit,kind,at\na1,u,activity,2019-06-07\n")
    assert read_events(POLICY, table).events[0].id == "a1"


def test_standard_input_is_json_lines_or_the_format_given(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Stdin:
        def __init__(self, data: bytes) -> None:
            self.buffer = io.BufferedReader(io.BytesIO(data))

    monkeypatch.setattr("sys.stdin", Stdin(line().encode()))
    found = read_events(POLICY, "-")
    assert len(found.events) == 1 and found.inputs[0].source == "<stdin>"
    monkeypatch.setattr("sys.stdin", Stdin(b"id,unit,kind,at\na1,u,activity,2019-06-07\n"))
    assert read_events(POLICY, "-", format="csv").events[0].id == "a1"


# ----------------------------------------------------------------------------- JSON arrays


def test_a_json_array_is_read_element_by_element(tmp_path: Path) -> None:
    path = tmp_path / "events.json"
    rows = [GOOD, [1, 2], {**GOOD, "id": "a2", "hours": "x"}, {**GOOD, "id": "a3"}]
    path.write_text(json.dumps(rows, indent=2, ensure_ascii=False), encoding="utf-8")
    found = read_events(POLICY, path)
    assert [e.id for e in found.events] == ["a1", "a3"]
    assert [(r.line, r.reason) for r in found.rejected] == [
        (9, "not a JSON object"), (13, "`hours`: not a number (got `x`)")]
    assert [e.line for e in found.events] == [2, 20]  # the line each element starts on
    compact = tmp_path / "compact.json"
    compact.write_text(json.dumps([GOOD, {**GOOD, "id": "a2", "x": float("nan")}]),
                       encoding="utf-8")
    assert [r.reason for r in read_events(POLICY, compact).rejected] == [
        "not JSON: `NaN` is not a JSON value (write a number, or leave the field out)"]


def test_a_broken_json_array_is_refused_with_its_place(tmp_path: Path) -> None:
    path = tmp_path / "events.json"
    path.write_text('[\n  {"id": "a1", "unit": "u", "kind": "activity", "at": "2019-06-07"},'
                    '\n  {"id": "a2", "unit"\n]\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"events.json:4:1: not JSON: expecting ':' delimiter"):
        read_events(POLICY, path)
    path.write_text("[]", encoding="utf-8")
    assert read_events(POLICY, path).rows == 0
    path.write_text(line(), encoding="utf-8")  # a .json file of JSON Lines
    assert len(read_events(POLICY, path).events) == 1


# ----------------------------------------------------------------------------- CSV

HEADER = "id,unit,kind,at,hours,theme\n"


def test_an_unterminated_quote_loses_only_its_own_line(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    path.write_text(HEADER + 'a1,u1,activity,2019-06-07,1.5,"oops\n'
                    "a2,u1,activity,2019-06-08,1,x\na3,u1,activity,2019-06-09,1,y\n",
                    encoding="utf-8")
    found = read_events(POLICY, path)
    assert [e.id for e in found.events] == ["a2", "a3"]
    assert [(r.line, r.reason) for r in found.rejected] == [
        (2, "a quote that is never closed (reading goes on at the next line)")]
    assert found.rows == 3


def test_quoted_cells_may_span_lines_and_broken_rows_stand_alone(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    path.write_text(
        HEADER
        + 'a1,u1,activity,2019-06-07,1.5,"oops\n'  # 2: its quote is closed by line 4's
        + "a2,u1,activity,2019-06-08,1,x\n"
        + 'a3,u1,activity,2019-06-09,1,"two\nlines, and ""quotes"""\n'  # 4-5: one cell
        + 'a4,u1,activity,2019-06-09,1,5"\n'  # 6: a quote inside an unquoted cell, as csv
        + "a5,u1,activity,2019-06-09,1," + "x" * 140_000 + "\n"  # 7
        + 'a6,u1,activity,2019-06-09,1,"a"b\n'  # 8
        + "a7,u1,activity,2019-06-09,1,x,extra\n"  # 9
        + "\n"
        + "a8,u1,activity,2019-06-09,1\r\n",  # 11
        encoding="utf-8",
    )
    found = read_events(POLICY, path)
    assert [(e.id, e.line, e.attributes.get("theme")) for e in found.events] == [
        ("a2", 3, "x"), ("a3", 4, 'two\nlines, and "quotes"'), ("a4", 6, '5"'),
        ("a8", 11, None)]
    assert [(r.line, r.reason) for r in found.rejected] == [
        (2, "a quote that is never closed (reading goes on at the next line)"),
        (7, "a cell longer than 131072 characters"),
        (8, "text after a closing quote (quote the whole cell, and double the quotes inside"
            " it)"),
        (9, "more cells than the header has columns"),
    ]


def test_a_csv_without_a_header_or_with_a_repeated_one_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    path.write_text("a1,u1,activity,2019-06-07,1.5\n", encoding="utf-8")
    with pytest.raises(InputError, match="the first row is not a header"):
        read_events(POLICY, path)
    path.write_text("id,unit,kind,at,hours,hours\n", encoding="utf-8")
    with pytest.raises(InputError, match="the header names `hours` twice"):
        read_events(POLICY, path)
    units = tmp_path / "units.csv"
    units.write_text("一中,文明校园,30\n", encoding="utf-8")
    with pytest.raises(InputError, match="no `unit` / `id` column"):
        read_units(POLICY, units)


def test_what_pandas_writes_is_read(tmp_path: Path) -> None:
    # DataFrame.to_csv(): an unnamed index column first, lists as Python writes them, True
    # and False, date-times with a space, whole numbers with a gap as floats
    path = tmp_path / "events.csv"
    path.write_text(
        ",id,unit,kind,at,photo_mb,photo_format,participants,risky\n"
        '0,p1,u,activity,2019-06-07 09:00:00,"[1.2, 2.4]","[\'jpg\', \'png\']",3.0,True\n'
        "1,p2,u,activity,2019-06-08 10:00:00+08:00,[np.float64(1.5)],['jpg'],,False\n",
        encoding="utf-8")
    found = read_events(POLICY, path)
    assert not found.rejected
    assert [dict(e.attributes) for e in found.events] == [
        {"photo_mb": [1.2, 2.4], "photo_format": ["jpg", "png"], "participants": 3,
         "risky": True},
        {"photo_mb": [1.5], "photo_format": ["jpg"], "risky": False},
    ]


def test_the_real_pandas_output_is_read(tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({
        "id": ["p1", "p2"], "unit": ["u", "u"], "kind": ["activity", "activity"],
        "at": pd.to_datetime(["2019-06-07 09:00", "2019-06-08 10:00"]),
        "photo_mb": [[1.2, 2.4], list(pd.Series([1.5, 2.0]))],
        "photo_format": [["jpg", "png"], ["it's"]], "participants": [3, None],
        "hours_recorded": [True, False]})
    frame.to_csv(tmp_path / "events.csv")
    found = read_events(POLICY, tmp_path / "events.csv")
    assert not found.rejected, found.rejected
    assert found.events[1].attributes["photo_mb"] == [1.5, 2.0]
    assert found.events[1].attributes["photo_format"] == ["it's"]
    assert found.events[0].attributes["participants"] == 3


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.text(max_size=6), min_size=6, max_size=6), max_size=6),
       st.integers(0, 6))
def test_csv_written_by_csv_is_read_back_and_a_stray_quote_costs_one_row(
    cells: list[list[str]], broken_at: int
) -> None:
    """What csv.writer writes (quotes, commas, line breaks in cells) comes back cell for cell;
    and a line with a stray unterminated quote put anywhere is rejected alone."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "unit", "kind", "at", "theme", "site"])
    for row in cells:
        writer.writerow(row)
    rows = [dict(zip(["id", "unit", "kind", "at", "theme", "site"], row, strict=True))
            for row in cells]
    read = [row for _, row in read_rows_of(out.getvalue())]
    assert [{k: v for k, v in r.items() if v != ""} for r in read] == [
        {k: v for k, v in r.items() if v != ""} for r in rows if any(v != "" for v in r.values())
        or len(r) != 1]
    lines = [part + "\n" for part in out.getvalue().split("\n") if part]
    if any("\n" in c or "\r" in c for row in cells for c in row):
        return  # where the stray line goes inside a quoted cell, the cell changes
    at = min(broken_at, len(lines) - 1) + 1
    damaged = "".join([*lines[:at], 'x,u,activity,"2019-06-07\n', *lines[at:]])
    again = read_rows_of(damaged)
    assert sum(1 for _, row in again if isinstance(row, str)) == 1
    assert [r for _, r in again if not isinstance(r, str)] == read


def read_rows_of(text: str) -> list[tuple[int, Any]]:
    from policyrules.data.rows import read_stream

    return list(read_stream(io.BytesIO(text.encode("utf-8")), "csv", "<t>"))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.binary(max_size=40), max_size=8), st.sampled_from(["jsonl", "csv", "json"]))
def test_any_bytes_are_rows_or_a_refusal(lines: list[bytes], format: str) -> None:
    """No input crashes the reader: every row is accepted or rejected, or the whole input is
    refused with an InputError; the counts add up."""
    data = b"\n".join(lines)
    if format == "csv":
        data = b"id,unit,kind,at\n" + data
    try:
        found = read_events(POLICY, io.BytesIO(data), format=format)
    except InputError:
        return
    assert found.rows == len(found.events) + len(found.rejected)
    assert found.inputs[0].rows == found.rows


def test_rows_of_an_unknown_format_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "events.xlsx"
    path.write_bytes(b"")
    with pytest.raises(InputError, match=r"unknown data format `\.xlsx`"):
        list(read_rows(path))
    with pytest.raises(InputError, match="unknown data format `xls`"):
        list(read_rows(tmp_path / "events.jsonl", "xls"))


_KEYS = st.text(alphabet='ab":\\ ', min_size=1, max_size=3)
_SPACE = st.sampled_from(["", " ", "  ", "\t"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_KEYS, st.one_of(st.integers(), st.text(max_size=4)), _SPACE, _SPACE),
                min_size=1, max_size=6))
def test_a_repeated_key_is_always_found(pairs: list[tuple[str, Any, str, str]]) -> None:
    """However keys and values are spaced and whatever they hold, a line is refused exactly
    when it repeats a key (the fast path that skips the check must never skip a repeat)."""
    from policyrules.data.rows import json_row

    text = "{" + ", ".join(f"{json.dumps(k)}{before}:{after}{json.dumps(v)}"
                           for k, v, before, after in pairs) + "}"
    keys = [k for k, *_ in pairs]
    found = json_row(text)
    if len(set(keys)) < len(keys):
        assert isinstance(found, str) and found.startswith("duplicate key")
    else:
        assert found == {k: v for k, v, *_ in pairs}


def test_a_device_is_refused_and_a_line_is_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero here")
    with pytest.raises(InputError, match="/dev/zero: a device, not a file"):
        read_events(POLICY, "/dev/zero", format="jsonl")  # not read until memory runs out
    assert read_events(POLICY, "/dev/null", format="jsonl").rows == 0  # nothing, as asked
    monkeypatch.setattr("policyrules.data.rows.LINE_LIMIT", 150)
    path = tmp_path / "events.jsonl"
    path.write_text(line(theme="x" * 200) + line(id="a2"), encoding="utf-8")
    assert reasons(path) == [(1, "a line longer than 150 bytes")]
    assert [e.id for e in read_events(POLICY, path).events] == ["a2"]


def test_a_parquet_time_past_the_year_9999_is_refused_not_a_crash(tmp_path: Path) -> None:
    # Python's datetime ends at 9999-12-31; pyarrow raises OverflowError converting a later
    # one. The reader takes its text instead (as DuckDB writes it), which it then refuses.
    pa = pytest.importorskip("pyarrow", reason="reading Parquet needs the `parquet` extra")
    import pyarrow.parquet as pq

    micros = (253402300799 + 12 * 3600) * 1_000_000  # 9999-12-31T23:59:59-12:00
    table = pa.table({
        "id": ["a", "b"], "unit": ["u", "u"], "kind": ["activity", "activity"],
        "at": pa.array([micros, 1_609_430_400_000_000], pa.timestamp("us", tz="UTC")),
        "on": pa.array([2_932_897, 0], pa.date32()),
    })
    pq.write_table(table, tmp_path / "events.parquet")
    rows = list(read_rows(tmp_path / "events.parquet", None))
    assert rows[0][1]["at"] == "10000-01-01 11:59:59+00"
    assert rows[0][1]["on"] == "10000-01-01"
    assert rows[1][1]["at"].year == 2020
