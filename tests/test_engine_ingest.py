"""The columnar engine reads files as the reference reader does: the same rows, the same
events with the same values, the same rejections with the same lines and reasons.

Rows are drawn from a pool of good and hostile values for every declared type, written as
JSON Lines (with broken lines, repeated keys, blank lines, BOMs, CRLF), CSV (quoted cells,
cells that span lines, lists in every form a cell may hold) and Parquet (columns of every
database type), and read by both.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policyrules
from policyrules.data.events import EventSet, read_events
from policyrules.data.model import InputError
from policyrules.engine.sql.engine import ColumnarEngine
from policyrules.rules.compiler import compile_policy

POLICY = """
festival 春节 = lunar 01-01
festival 国庆节 = 10-01
units { staff: int }
event activity {
  hours: number
  participants: int
  category: one of ["必选", "自选"]
  theme: string
  risky: bool
  festival: festival
  on_day: date
  started: datetime
  photo_mb: list of number
  persons: list of string
  counts: list of int
}
event training counts for joint_units {
  hours: number
  joint_units: list of string
}
event registration stock { person: string }
policy p "p" {
  effective 2017-01-01 .. 2021-12-31
  obligation o "o" {
    every year
    require count(activity where hours >= 1) >= 1
    require count(training) >= 1
    require count(registration) >= 1
  }
}
"""

CHECKED = policyrules.parse(POLICY)
COMPILED = compile_policy(CHECKED)
AS_OF = dt.datetime(2021, 12, 31, 23, 59, tzinfo=COMPILED.zone)

FIELDS = {
    "activity": ["hours", "participants", "category", "theme", "risky", "festival", "on_day",
                 "started", "photo_mb", "persons", "counts"],
    "training": ["hours", "joint_units"],
    "registration": ["person"],
}
ALL_FIELDS = sorted({f for fs in FIELDS.values() for f in fs})

numbers = st.one_of(
    st.integers(-5, 3_000),
    st.floats(allow_nan=False, allow_infinity=False),
    st.floats(0, 100),
    st.sampled_from([0, -0.0, 1e308, 2**63 - 1, 2**63, 2**64, 2**70, 3.0, 1.5e-320]),
)
texts = st.one_of(
    st.sampled_from([
        "1.5", "2.", ".5", "+3", "-0", "1e3", "1E400", "nan", "inf", "3.0", "007", " 1", "1 ",
        "1_000", "0x10", "１", "true", "True", "FALSE", "yes", "必选", "自选", "必选 ", "春节",
        "国庆节", "元旦", "2019-06-07", "2019-6-7", "0000-01-01", "0001-01-01", "9999-12-31",
        "2019-02-29", "2019-06-07T09:00", "2019-06-07 09:00:00.5", "2019-06-07T09:00Z",
        "2019-06-07T09:00+05:00", "2019-06-07T24:00", "2019-06-07T09:60", "20190607",
        "2019-06-07T09:00:00.1234567", "a;b", "1.2 | 2.4", "[1, 2]", "['a', 'b']", "[1.5 2. ]",
        "[", "[]", "a", "", " ", "\u3000", "x\u3000", "a,b", 'say "hi"', "line\nbreak",
        "\t", "[np.float64(1.5)]", "1;2;;3", "1.5;x",
    ]),
    st.text(max_size=6),
)
values = st.recursive(
    st.none() | st.booleans() | numbers | texts,
    lambda inner: st.lists(inner, max_size=3),
    max_leaves=4,
)
ids = st.one_of(st.sampled_from(["e1", "e2", "e3", " e4", "", "e 5"]),
                st.integers(-3, 5), st.text(max_size=3), st.from_regex(r"e[0-9]{1,3}",
                                                                      fullmatch=True))
units = st.one_of(st.sampled_from(["u1", "u2", "一中", " u3", "u4 ", ""]), st.integers(0, 3))
kinds = st.sampled_from(["activity", "training", "registration", "activty", "lesson", "",
                         " activity"]) | st.integers(0, 2)
moments = st.one_of(
    st.sampled_from(["2019-06-07", "2019-06-07T09:00", "2020-01-01 08:30:00",
                     "2021-03-04T10:00+05:00", "2021-03-04T10:00Z", "20190607", "2019-13-01",
                     "9999-12-31T23:59:59-12:00", "0001-01-01T00:00+01:00", "", "later",
                     "2019-06-07T24:00",
                     # the shapes that tell the forms apart (accept.Rules.at_text)
                     "2019-06-07 09:00:00.123456", "2019-06-07T09:00:00.5-03:30",
                     "2019-06-07T09:00:00Z", "2019-06-07T09:00z", "2019-06-07T09:00+5:00",
                     "2019-06-07 ", " 2019-06-07", "2019-06-07T09:00-00:00", "2019-06-07Z",
                     "2019-06-07T09", "2019-02-30T09:00+08:00", "2019-06-07T09:00:00.1234567Z"]),
    st.integers(),
)


@st.composite
def rows(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(kinds)
    row: dict[str, Any] = {"id": draw(ids), "unit": draw(units), "kind": kind, "at": draw(moments)}
    for name in ("id", "unit", "kind", "at"):
        if draw(st.integers(0, 30)) == 0:
            del row[name]
    names = FIELDS.get(kind, []) if isinstance(kind, str) else []
    for name in draw(st.lists(st.sampled_from([*names, *ALL_FIELDS, "note"]), max_size=5,
                              unique=True)):
        row[name] = draw(_value_for(name))
    return row


def _value_for(name: str) -> st.SearchStrategy[Any]:
    good = {
        "hours": st.floats(0, 12) | st.integers(0, 12),
        "participants": st.integers(0, 50),
        "category": st.sampled_from(["必选", "自选"]),
        "theme": st.text(max_size=4),
        "risky": st.booleans(),
        "festival": st.sampled_from(["春节", "国庆节"]),
        "on_day": st.dates(dt.date(2017, 1, 1), dt.date(2021, 12, 31)).map(str),
        "started": st.datetimes(dt.datetime(2017, 1, 1), dt.datetime(2021, 12, 31)).map(
            lambda d: d.isoformat(timespec="minutes")),
        "photo_mb": st.lists(st.floats(0, 5), max_size=3),
        "persons": st.lists(st.sampled_from(["p1", "p2", "张三"]), max_size=3),
        "counts": st.lists(st.integers(0, 9), max_size=3),
        "joint_units": st.lists(st.sampled_from(["u1", "u2", "一中"]), max_size=2),
        "person": st.sampled_from(["p1", "p2"]),
    }.get(name, values)
    return st.one_of(good, good, values)


# ---------------------------------------------------------------------- writers


@st.composite
def jsonl_files(draw: st.DrawFn) -> bytes:
    lines: list[str] = []
    for row in draw(st.lists(rows(), max_size=12)):
        text = json.dumps(row, ensure_ascii=draw(st.booleans()), allow_nan=True)
        damage = draw(st.integers(0, 12))
        if damage == 1:
            text = text[:-1] + ', "id": "dup"}' if len(row) else text
        elif damage == 2:
            text = text[:-1] + ",}"
        elif damage == 3:
            text = text[: draw(st.integers(0, len(text)))]
        elif damage == 4:
            text = text[:-1] + ', "note": {"a": 1, "a": 2}}' if len(row) else text
        elif damage == 5:
            text = text[:-1] + ', "x": "\\ud800"}' if len(row) else text
        elif damage == 6:
            text = text.replace(": ", ":NaN,\"y\": ", 1)
        lines.append(text)
        if draw(st.integers(0, 8)) == 0:
            lines.append(draw(st.sampled_from(["", "  ", "\u3000", "[1]", "null", "x"])))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    body = newline.join(lines) + draw(st.sampled_from(["", newline]))
    bom = "\ufeff" if draw(st.integers(0, 10)) == 0 else ""
    return (bom + body).encode("utf-8", "surrogatepass")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return str(value) if any(not isinstance(v, str) for v in value) else ";".join(value)
    return str(value)


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    drawn = draw(st.lists(rows(), max_size=12))
    columns = ["id", "unit", "kind", "at", *draw(st.lists(st.sampled_from(ALL_FIELDS),
                                                          max_size=6, unique=True))]
    if draw(st.integers(0, 10)) == 0:
        columns.remove("at")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    writer.writerow(columns)
    for row in drawn:
        cells = [_cell(row.get(c)) for c in columns]
        if draw(st.integers(0, 10)) == 0:
            cells.append("extra")
        writer.writerow(cells[: draw(st.integers(0, len(cells)))] if draw(
            st.integers(0, 10)) == 0 else cells)
    return out.getvalue().encode("utf-8", "surrogatepass")


# ---------------------------------------------------------------------- the comparison


def _events(events: Iterator[Any] | list[Any]) -> list[tuple[Any, ...]]:
    kinds = CHECKED.definitions.events
    out = []
    for e in events:
        if e.kind not in kinds:
            continue
        attributes = tuple(sorted(
            (k, _same(v)) for k, v in e.attributes.items() if k in kinds[e.kind].fields))
        out.append((e.id, e.unit, e.kind, e.at, e.timed, e.line, attributes))
    return sorted(out, key=repr)


def _same(value: Any) -> Any:
    if isinstance(value, float):
        return ("float", repr(value), math.copysign(1, value))
    if isinstance(value, list):
        return tuple(_same(v) for v in value)
    return value


def _agree(paths: list[str]) -> None:
    try:
        reference: EventSet | InputError = read_events(CHECKED, paths)
    except InputError as error:
        reference = error
    engine = ColumnarEngine(COMPILED, AS_OF)
    try:
        try:
            counted: EventSet | InputError = engine.read(paths)
        except InputError as error:
            counted = error
        if isinstance(reference, InputError) or isinstance(counted, InputError):
            assert str(reference) == str(counted)
            return
        assert [str(r) for r in counted.rejected] == [str(r) for r in reference.rejected]
        assert counted.rejected == reference.rejected
        assert counted.rows == reference.rows
        assert counted.accepted() == reference.accepted()
        assert dict(counted.kinds) == dict(reference.kinds)
        assert counted.units_named() == reference.units_named()
        assert [(c.source, c.rows, c.accepted, c.rejected) for c in counted.inputs] == [
            (c.source, c.rows, c.accepted, c.rejected) for c in reference.inputs]
        mine = _events(engine.store.python_events(CHECKED.definitions.events))
        assert mine == _events(reference.events)
    finally:
        engine.close()


def _written(contents: list[tuple[str, bytes]]) -> Iterator[list[str]]:
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for n, (suffix, data) in enumerate(contents):
            path = os.path.join(folder, f"events{n}{suffix}")
            Path(path).write_bytes(data)
            paths.append(path)
        yield paths


SETTINGS = settings(max_examples=int(os.environ.get("POLICYRULES_INGEST_EXAMPLES", "40")),
                    deadline=None, suppress_health_check=list(HealthCheck))


@SETTINGS
@given(st.lists(jsonl_files(), min_size=1, max_size=2))
def test_json_lines_are_read_as_the_reference_reads_them(files: list[bytes]) -> None:
    for paths in _written([(".jsonl", f) for f in files]):
        _agree(paths)


@SETTINGS
@given(csv_files(), st.booleans())
def test_csv_is_read_as_the_reference_reads_it(data: bytes, gzipped: bool) -> None:
    if gzipped:
        import gzip

        data = gzip.compress(data)
    for paths in _written([(".csv.gz" if gzipped else ".csv", data)]):
        _agree(paths)


@SETTINGS
@given(jsonl_files(), csv_files())
def test_several_inputs_of_several_formats_are_one_stream(first: bytes, second: bytes) -> None:
    for paths in _written([(".jsonl", first), (".csv", second)]):
        _agree(paths)


PARQUET_TYPES = {
    "hours": ["DOUBLE", "BIGINT", "VARCHAR", "FLOAT", "DECIMAL(9,2)"],
    "participants": ["BIGINT", "DOUBLE", "VARCHAR", "UBIGINT", "INTEGER"],
    "category": ["VARCHAR"],
    "theme": ["VARCHAR", "BIGINT"],
    "risky": ["BOOLEAN", "VARCHAR", "BIGINT"],
    "festival": ["VARCHAR"],
    "on_day": ["DATE", "VARCHAR", "TIMESTAMP"],
    "started": ["TIMESTAMP", "TIMESTAMPTZ", "VARCHAR", "DATE"],
    "photo_mb": ["DOUBLE[]", "VARCHAR", "BIGINT[]", "VARCHAR[]"],
    "persons": ["VARCHAR[]", "VARCHAR"],
    "counts": ["BIGINT[]", "DOUBLE[]"],
    "joint_units": ["VARCHAR[]"],
    "person": ["VARCHAR"],
}


@SETTINGS
@given(st.data())
def test_parquet_is_read_as_the_reference_reads_it(data: st.DataObject) -> None:
    pytest.importorskip("pyarrow", reason="the reference reader reads Parquet with pyarrow")
    import duckdb

    drawn = data.draw(st.lists(rows(), max_size=12))
    types = {
        "id": data.draw(st.sampled_from(["VARCHAR", "BIGINT"])),
        "unit": data.draw(st.sampled_from(["VARCHAR", "BIGINT"])),
        "kind": "VARCHAR",
        "at": data.draw(st.sampled_from(["VARCHAR", "TIMESTAMP", "TIMESTAMPTZ", "DATE"])),
    }
    for name in data.draw(st.lists(st.sampled_from(ALL_FIELDS), max_size=6, unique=True)):
        types[name] = data.draw(st.sampled_from(PARQUET_TYPES[name]))
    con = duckdb.connect()
    con.execute("SET TimeZone = 'Asia/Shanghai'")
    columns = ", ".join(f'"{n}" {t}' for n, t in types.items())
    con.execute(f"CREATE TABLE t ({columns})")
    for row in drawn:
        cells = [_cast(con, row.get(name), t) for name, t in types.items()]
        con.execute(f"INSERT INTO t VALUES ({', '.join('?' for _ in cells)})", cells)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "events.parquet")
        con.execute(f"COPY t TO '{path}' (FORMAT parquet)")
        _agree([path])


def _cast(con: Any, value: Any, to: str) -> Any:
    """`value` as a value of the database type `to`, or None when it is not one."""
    if value is None:
        return None
    try:
        found = con.execute(f"SELECT TRY_CAST(? AS {to})", [value]).fetchone()
    except Exception:  # a value the database cannot even take as a parameter
        return None
    return found[0] if found else None


def test_a_file_the_database_cannot_read_line_by_line_is_read_whole(tmp_path: Path) -> None:
    """A NUL, a lone carriage return, bytes that are not UTF-8, a CSV cell across lines:
    the reference reader reads such files itself, and says so."""
    good = json.dumps({"id": "e1", "unit": "u1", "kind": "activity", "at": "2019-06-07"})
    cases = {
        "nul.jsonl": (good + "\n" + '{"id": "e\x002"}\n').encode(),
        "cr.jsonl": (good + "\r" + good.replace("e1", "e2") + "\n").encode(),
        "latin.jsonl": good.encode() + b"\n{\"id\": \"\xe9\"}\n",
        "span.csv": b'id,unit,kind,at,theme\ne1,u1,activity,2019-06-07,"two\nlines"\n',
        "array.json": ("[" + good + "]").encode(),
    }
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        _agree([str(path)])
        engine = ColumnarEngine(COMPILED, AS_OF)
        engine.read([str(path)])
        assert engine.read_whole == [str(path)], name
        engine.close()


def test_plain_rows_never_reach_the_reference_reader(tmp_path: Path) -> None:
    """The shortcut is taken: rows of the accepted forms are read by the database alone."""
    path = tmp_path / "events.jsonl"
    rows_ = [
        {"id": f"e{n}", "unit": f"u{n % 3}", "kind": "activity",
         "at": f"2019-06-{n % 28 + 1:02d}T09:00",
         "hours": 1.5, "participants": n, "category": "必选", "photo_mb": [1.0, 2.5],
         "persons": ["p1"], "started": "2019-06-07T09:00+08:00", "on_day": "2019-06-07",
         "festival": "春节", "risky": False, "counts": [1, 2]}
        for n in range(200)
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows_) + "\n",
                    encoding="utf-8")
    _agree([str(path)])
    engine = ColumnarEngine(COMPILED, AS_OF)
    counted = engine.read([str(path)])
    assert (counted.accepted(), engine.read_doubtful, engine.read_whole) == (200, 0, [])
    engine.close()
