"""Events read by Spark where they lie (`policyrules.engine.spark.ingest`): the same rows
accepted and rejected, with the same lines, ids and reasons, the same counts and the same
report as the reference reader and the DuckDB ingest give for the same files.

A `file:` URI or a directory makes Spark read local files (what a cluster's URI does); the
inputs are tiny, and one evaluation of two rules carries the report's part."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policyrules
from policyrules.data.events import EventSet, read_events, read_units
from policyrules.data.model import InputError
from policyrules.engine.sql.engine import ColumnarEngine
from policyrules.evaluation import Evaluation, as_of_moment
from policyrules.report.columnar import Output
from policyrules.report.model import json_items
from policyrules.rules.compiler import compile_policy

ROOT = Path(__file__).resolve().parents[2]
POLICY = policyrules.load(ROOT / "policies" / "binhai-2021.pol")
COMPILED = compile_policy(POLICY)
#: an average of monthly counts (activity) and joint trainings (training: owners of joint events)
TWO = dataclasses.replace(COMPILED, obligations=[COMPILED.obligation("行业分会每月活动"),
                                                 COMPILED.obligation("培训月_村居和组织")])
AS_OF = as_of_moment(dt.date(2021, 12, 31), COMPILED)
UNITS = ROOT / "examples" / "binhai-2021" / "units.jsonl"


def _activity(ident: str, at: str, unit: str = "hy-gongan", **more: Any) -> str:
    row = {"id": ident, "unit": unit, "kind": "activity", "at": at, "hours": 2, **more}
    return json.dumps(row, ensure_ascii=False)


def write_jsonl(path: Path) -> Path:
    """JSON Lines with a BOM, CRLF ends, a blank line, and rows bad in each way the reader
    names."""
    lines = [
        _activity("a1", "2021-01-09T09:00"),
        _activity("a2", "2021-13-09"),
        _activity("a3", "2021-02-13", hours=-1),
        "",
        "not json",
        _activity("a1", "2021-03-13"),
        _activity("a4", "2021-03-13", unit=""),
        '{"id": "a5", "id": "a6"}',
        _activity("a7", "2021-04-10", hours="two"),
        _activity("a8", "2021-04-10T08:00:00+00:00"),
        '{"id": "o1", "unit": "hy-gongan", "kind": "parade", "at": "2021-05-01"}',
        '[1, 2]',
        _activity("a9", "2021-06-12"),
    ]
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode("utf-8") + b"\r\n")
    return path


def write_csv(path: Path) -> Path:
    """CSV whose quoted cell spans lines, with a short row, a bad number and a duplicate of
    the JSON Lines file's `a9`."""
    path.write_text(
        "id,unit,kind,at,hours,theme\n"
        'c1,hy-wenlv,activity,2021-01-15T10:00,1.5,"文明\n旅游"\n'
        "c2,hy-wenlv,activity,2021-02-15\n"
        "c3,hy-wenlv,activity,2021-02-16,abc,x\n"
        "c4,hy-wenlv,activity,2021-02-17,1,x,extra\n"
        "\n"
        "a9,hy-wenlv,activity,2021-03-17,1,x\n"
        "t1,sq-xingang,training,2021-05-10T09:00,2,\n"
        "c5,,activity,2021-02-17,1,x\n",
        encoding="utf-8",
    )
    return path


def write_parquet(path: Path) -> Path:
    """Parquet with values the reader refuses, and joint trainings (a list column)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({
        "id": ["p1", "p2", None, "p4", "t2", "t3", "p5"],
        "unit": ["hy-minzheng"] * 4 + ["sq-shengli", "sq-haibin", "hy-minzheng"],
        "kind": ["activity"] * 4 + ["training", "training", "activity"],
        "at": ["2021-07-01T09:00", "2021-02-30", "2021-07-02", "2021-07-03", "2021-05-11",
               "2021-05-12T10:00", None],
        "hours": [2.0, 1.0, 1.0, float("nan"), 3.0, 1.0, 1.0],
        "joint_units": [None, None, None, None, ["sq-xingang", "sq-haibin"], [], None],
    })
    pq.write_table(table, path)
    return path


def spark_engine(spark: Any, compiled: Any = TWO) -> Any:
    from policyrules.engine.spark.engine import SparkEngine

    return SparkEngine(compiled, AS_OF, "en", spark=spark)


def as_text(events: EventSet, renamed: dict[str, str] | None = None) -> dict[str, Any]:
    """What reading said, as text (`renamed`: a path given to the other reader as a URI)."""
    def name(text: str) -> str:
        for old, new in (renamed or {}).items():
            text = text.replace(old, new)
        return text

    return {
        "rejected": [name(str(r)) for r in events.rejected],
        "rows": events.rows,
        "accepted": events.accepted(),
        "inputs": [(name(i.source), i.rows, i.accepted, i.rejected) for i in events.inputs],
        "kinds": dict(sorted(events.kinds.items())),
        "units": dict(sorted(events.units_named().items())),
    }


def duckdb_read(paths: list[Path]) -> dict[str, Any]:
    engine = ColumnarEngine(TWO, AS_OF, "en")
    try:
        return as_text(engine.read([str(p) for p in paths]))
    finally:
        engine.close()


WRITERS = {"jsonl": write_jsonl, "csv": write_csv, "parquet": write_parquet}


def test_malformed_files_read_by_spark_are_rejected_as_the_reference_rejects_them(
    spark: Any, tmp_path: Path
) -> None:
    """A malformed JSON Lines file, a malformed CSV file and a Parquet file of bad values,
    as `file:` URIs (Spark reads them, not the driver): each input's rejected lines, ids and
    reasons and its counts are the reference reader's and the DuckDB ingest's."""
    paths = [writer(tmp_path / f"events.{format}") for format, writer in WRITERS.items()]
    local = as_text(read_events(POLICY, paths))
    assert duckdb_read(paths) == local
    assert all(i[3] > 0 for i in local["inputs"])  # each file has rows to reject
    engine = spark_engine(spark)
    try:
        counted = engine.read([p.as_uri() for p in paths])
        assert engine.spark_store.in_spark  # Spark read them: not the driver's DuckDB
        assert as_text(counted) == as_text(read_events(POLICY, paths),
                                           {str(p): p.as_uri() for p in paths})
        assert counted.accepted() + len(counted.rejected) == counted.rows
    finally:
        engine.close()


def _reference_items(events: EventSet, lang: str = "en") -> str:
    units = read_units(POLICY, UNITS)
    return json_items(Evaluation(TWO, events.events, units, AS_OF, lang).results())


def _duckdb_items(paths: list[Path]) -> str:
    engine = ColumnarEngine(TWO, AS_OF, "en")
    try:
        events = engine.read([str(p) for p in paths])
        engine.load_units(read_units(POLICY, UNITS), events)
        engine.evaluate()
        return ",\n".join(Output(engine.con).json_chunks())
    finally:
        engine.close()


def test_a_directory_of_part_files_gives_the_reference_rejections_and_report(
    spark: Any, tmp_path: Path
) -> None:
    """A folder of part files in the three formats (one gzipped, in a subfolder), with the
    files Spark skips beside them: each file is an input of its own, in the order of its
    path, and the report is the reference's."""
    from policyrules.report.spark import SparkOutput

    parts = tmp_path / "parts"
    (parts / "sub").mkdir(parents=True)
    files = [write_jsonl(parts / "part-0.jsonl"), write_csv(parts / "part-1.csv"),
             write_parquet(parts / "part-2.parquet")]
    packed = parts / "sub" / "part-3.jsonl.gz"
    packed.write_bytes(gzip.compress(
        (_activity("a9", "2021-08-14") + "\n" + _activity("g1", "2021-08-14") + "\n").encode()))
    files.append(packed)
    (parts / "part-4.jsonl").write_bytes(b"")  # no bytes: Spark lists it not, still an input
    files.append(parts / "part-4.jsonl")
    (parts / "_SUCCESS").write_text("")
    (parts / ".part-0.jsonl.crc").write_text("not an input")
    files.sort(key=str)  # the order of their paths
    reference = read_events(POLICY, files)
    # a duplicate across files names where the first is
    assert any("the first is" in str(r) for r in reference.rejected)
    assert duckdb_read(files) == as_text(reference)
    engine = spark_engine(spark)
    try:
        counted = engine.read([str(parts)])
        assert engine.spark_store.in_spark
        assert as_text(counted) == as_text(reference)
        engine.load_units(read_units(POLICY, UNITS), counted)
        engine.evaluate()
        assert engine.fallbacks == {}
        items = ",\n".join(SparkOutput(engine.spark).json_chunks())
    finally:
        engine.close()
    expected = _reference_items(reference)
    assert json.loads(f"[{expected}]")  # the two rules have results
    assert _duckdb_items(files) == expected
    assert items == expected


TINY = """event activity {
  hours: number
}

policy tiny "one rule" {
  effective 2021-01-01 .. 2021-12-31
  timezone "Asia/Shanghai"
  obligation monthly "an activity a month" {
    every month
    require count(activity where hours >= 1) >= 1
  }
}
"""


def test_check_reads_uris_as_the_duckdb_engine_reads_files(
    spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`check --engine spark --strict` with events and units as `file:` URIs gives the
    report `--engine duckdb` gives of the same files, and fails `--strict` on the rejected
    row as it does."""
    from policyrules.cli import main

    policy = tmp_path / "tiny.pol"
    policy.write_text(TINY, encoding="utf-8")
    units = tmp_path / "units.jsonl"
    units.write_text('{"unit": "u1", "name": "一"}\n{"unit": "u2"}\n', encoding="utf-8")
    events = tmp_path / "events.jsonl"
    events.write_text(
        '{"id": "a", "unit": "u1", "kind": "activity", "at": "2021-01-05", "hours": 2}\n'
        '{"id": "b", "unit": "u1", "kind": "activity", "at": "x"}\n'
        '{"id": "c", "unit": "u2", "kind": "activity", "at": "2021-02-05", "hours": 0.5}\n',
        encoding="utf-8")
    common = ["check", str(policy), "--as-of", "2021-03-01", "--format", "json", "--strict"]
    assert main([*common, "--events", str(events), "--units", str(units)]) == 2
    duck_out, duck_err = capsys.readouterr()
    conf = [f"{k}={v}" for k, v in spark.sparkContext.getConf().getAll()
            if k in ("spark.sql.shuffle.partitions", "spark.sql.codegen.wholeStage",
                     "spark.sql.codegen.factoryMode")]
    uris = ["--events", events.as_uri(), "--units", units.as_uri()]
    spark_args = [*common, *uris, "--engine", "spark", "--spark-master", "local[2]"]
    for pair in conf:
        spark_args += ["--spark-conf", pair]
    assert main(spark_args) == 2
    out, err = capsys.readouterr()
    renamed = {str(events): events.as_uri(), str(units): units.as_uri()}
    expected = duck_out
    for old, new in renamed.items():
        expected, duck_err = expected.replace(old, new), duck_err.replace(old, new)
    report, duck = json.loads(out), json.loads(expected)
    # the events are hashed in Spark's tasks (the same hash); units fetched through Spark
    # are not hashed (docs/scaling.md)
    fetched = report["provenance"]["inputs"][1]
    assert (fetched["role"], fetched["sha256"], fetched["bytes"]) == ("units", None, None)
    fetched["sha256"], fetched["bytes"] = (duck["provenance"]["inputs"][1][k]
                                           for k in ("sha256", "bytes"))
    assert report == duck
    assert report["results"]
    assert err == duck_err
    assert f"{events.as_uri()}:2: rejected event (id `b`)" in err
    assert "--strict: 1 row rejected" in err


@pytest.mark.parametrize("case", ["missing", "empty", "not gzip", "unknown format"])
def test_an_input_spark_cannot_read_is_an_error_that_names_it(
    case: str, spark: Any, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    if case == "missing":
        source, expected = (folder / "nope.jsonl").as_uri(), "no such file or directory"
    elif case == "empty":
        (folder / "_SUCCESS").write_text("")
        source, expected = str(folder), "no files there"
    elif case == "not gzip":
        bad = folder / "events.jsonl.gz"
        bad.write_bytes(b"\x1f\x8b" + b"broken")
        with pytest.raises(InputError) as reference:
            read_events(POLICY, bad)
        source, expected = str(folder), str(reference.value)
    else:
        (folder / "part-00000").write_text("{}\n")
        source, expected = str(folder), "unknown data format"
    engine = spark_engine(spark)
    try:
        with pytest.raises(InputError) as error:
            engine.read([source])
        assert expected in str(error.value)
    finally:
        engine.close()


LINES = st.lists(
    st.one_of(
        st.builds(lambda n, h: _activity(f"h{n}", "2021-03-13", hours=h),
                  st.integers(0, 5), st.one_of(st.integers(-2, 3), st.just("x"))),
        st.sampled_from(["", "  ", "{", "null", '{"id": 1}',
                         _activity("h9", "2021-02-30"), _activity("h8", "2021-06-01Z")]),
    ),
    max_size=12,
)


@settings(max_examples=1, deadline=None, suppress_health_check=list(HealthCheck))
@given(lines=LINES, end=st.sampled_from(["\n", "\r\n"]))
def test_generated_lines_are_read_as_the_reference_reads_them(
    spark: Any, tmp_path_factory: pytest.TempPathFactory, lines: list[str], end: str
) -> None:
    path = tmp_path_factory.mktemp("lines") / "events.jsonl"
    path.write_bytes(end.join(lines).encode("utf-8"))
    engine = spark_engine(spark)
    try:
        counted = engine.read([path.as_uri()])
    finally:
        engine.close()
    reference = read_events(POLICY, path)
    assert as_text(counted) == as_text(reference, {str(path): path.as_uri()})
