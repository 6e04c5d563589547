"""Both engines against the golden reports: `check --engine duckdb` and `--engine python`
print every shipped example's `examples/*/report.json` byte for byte — the new fields
(`unit_name`, `plain`, `provenance`) included — and agree on every other format, in both
languages. The columnar engine makes `unit_name` and `plain` in SQL from small tables
decided in Python (policyrules.engine.sql.sentences); the property test below holds its
filling of a template to the reference's :func:`policyrules.engine.plain.fill`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policyrules.cli import main
from policyrules.engine.plain import Templates, fill, pieces
from policyrules.engine.sql import sqlx as q
from policyrules.engine.sql.render import csv_row, json_item
from policyrules.engine.sql.sentences import join_sentences, plain_text

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = {
    "yuzhong-2019": "2020-01-15",
    "xindu-2017": "2018-01-10",
    "huizhou-2017": "2017-09-05",
    "puer-2020": "2021-12-31",
    "binhai-2021": "2021-12-31",
}


def check(capsys: pytest.CaptureFixture[str], name: str, as_of: str, *options: str) -> str:
    folder = f"examples/{name}"
    main(["check", f"policies/{name}.pol", "--events", f"{folder}/events.jsonl", "--units",
          f"{folder}/units.jsonl", "--as-of", as_of, *options])
    return capsys.readouterr().out


@pytest.fixture(autouse=True)
def _in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    # the golden reports name their inputs by the relative paths they were made with
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.mark.parametrize("engine", ["duckdb", "python"])
@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_each_engine_prints_the_golden_report(capsys: pytest.CaptureFixture[str], name: str,
                                              engine: str) -> None:
    golden = (ROOT / "examples" / name / "report.json").read_text(encoding="utf-8")
    printed = check(capsys, name, EXAMPLES[name], "--lang", "en", "--format", "json",
                    "--engine", engine)
    assert '"plain": "' in golden and '"unit_name": "' in golden and '"provenance": {' in golden
    assert printed == golden


def test_the_report_rendered_a_few_units_at_a_time_is_the_same(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The columnar engine renders a range of units per query (a city's report ordered in
    one query was held whole in memory): in ranges of a few units, the report and a
    selection of its CSV are still the golden ones."""
    from policyrules.report import columnar

    name = "yuzhong-2019"
    selected = check(capsys, name, EXAMPLES[name], "--format", "csv", "--status", "overdue")
    monkeypatch.setattr(columnar, "BATCH_RESULTS", 400)  # 3,153 results: about ten ranges
    golden = (ROOT / "examples" / name / "report.json").read_text(encoding="utf-8")
    assert check(capsys, name, EXAMPLES[name], "--lang", "en", "--format", "json") == golden
    assert check(capsys, name, EXAMPLES[name], "--format", "csv", "--status",
                 "overdue") == selected


@pytest.mark.parametrize("fmt", ["json", "csv", "table", "html", "summary", "summary-md"])
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", ["binhai-2021", "yuzhong-2019"])
def test_the_engines_print_the_same_in_every_format(capsys: pytest.CaptureFixture[str],
                                                    name: str, lang: str, fmt: str) -> None:
    args = ("--lang", lang, "--format", fmt)
    columnar = check(capsys, name, EXAMPLES[name], *args, "--engine", "duckdb")
    reference = check(capsys, name, EXAMPLES[name], *args, "--engine", "python")
    assert columnar and columnar == reference


def test_the_engines_agree_on_a_filtered_csv_in_chinese(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ("--lang", "zh", "--format", "csv", "--status", "overdue,at_risk")
    columnar = check(capsys, "binhai-2021", "2021-07-12", *args, "--engine", "duckdb")
    reference = check(capsys, "binhai-2021", "2021-07-12", *args, "--engine", "python")
    assert columnar.startswith("\ufeff单位,")
    assert "情况说明" in columnar.splitlines()[0] and "仍未完成" in columnar
    assert columnar == reference


# --- the SQL filling of a template, against the reference's ---------------------------------

ZONE = ZoneInfo("Asia/Shanghai")
#: fixed text as a template holds it: braces doubled, Chinese, the private-use characters a
#: naive replace-based filling would use as stand-ins
_TEXT = st.text(alphabet=st.sampled_from(list("ab （）：，。 {}\ue000\ue001截止")), max_size=6)
_PIECE = st.one_of(
    _TEXT.map(lambda s: s.replace("{", "{{").replace("}", "}}")),
    st.sampled_from(["{required}", "{actual}", "{due}", "{period}"]),
)
_TEMPLATE = st.lists(_PIECE, max_size=8).map("".join)
_NUMBER = st.one_of(st.none(), st.integers(-10**6, 10**6).map(float),
                    st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False))
_DUE = st.one_of(
    st.none(),
    st.builds(lambda day, seconds: dt.datetime.combine(day, dt.time(0), ZONE)
              + dt.timedelta(seconds=seconds),
              st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)),
              st.sampled_from([0, 61, 17 * 3600 + 30 * 60, 86399, 86340, 86398])),
)


@settings(max_examples=60, deadline=None)
@given(numbers=_TEMPLATE, words=_TEMPLATE, required=_NUMBER, actual=_NUMBER, due=_DUE,
       label=st.text(max_size=8))
def test_sql_fills_a_template_as_the_reference_does(
    numbers: str, words: str, required: float | None, actual: float | None,
    due: dt.datetime | None, label: str,
) -> None:
    con = duckdb.connect()
    try:
        ntexts, nholes = pieces(numbers)
        wtexts, wholes = pieces(words)
        con.execute("CREATE TABLE sentences (rule BIGINT, status VARCHAR, ntexts VARCHAR[], "
                    "nholes VARCHAR[], wtexts VARCHAR[], wholes VARCHAR[])")
        con.execute("INSERT INTO sentences VALUES (0, 'met', ?, ?, ?, ?)",
                    [list(ntexts), list(nholes), list(wtexts), list(wholes)])
        con.execute("CREATE TABLE unit_names (unit VARCHAR, name VARCHAR)")
        con.execute("CREATE TABLE results (rule BIGINT, unit VARCHAR, status VARCHAR, "
                    "required DOUBLE, actual DOUBLE, due_text VARCHAR, label VARCHAR)")
        con.execute("INSERT INTO results VALUES (0, 'u', 'met', ?, ?, ?, ?)",
                    [required, actual, due.isoformat() if due else None, label])
        query = join_sentences(q.select(plain_text("r")).from_(q.table("results", "r")), "r")
        found = con.execute(query.sql("duckdb")).fetchone()
    finally:
        con.close()
    assert found is not None
    assert found[0] == fill(Templates(numbers, words), required, actual, due, label)


def test_the_renderers_name_the_joined_tables() -> None:
    """json_item and csv_row read `n` and `p`: a query without join_sentences fails loudly
    rather than printing results without their words."""
    for render in (json_item, csv_row):
        sql = render("r", "x").sql("duckdb")
        assert '"n"."name"' in sql and '"p"."ntexts"' in sql


def test_parquet_carries_the_unit_name_and_the_sentence(
    capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    import json

    target = tmp_path / "report.parquet"
    check(capsys, "binhai-2021", "2021-07-12", "--lang", "zh", "--format", "parquet", "-o",
          str(target))
    items = json.loads(check(capsys, "binhai-2021", "2021-07-12", "--lang", "zh", "--format",
                             "json", "--engine", "python"))["results"]
    con = duckdb.connect()
    try:
        rows = con.execute("SELECT unit_name, plain FROM read_parquet(?)",
                           [str(target)]).fetchall()
    finally:
        con.close()
    assert rows == [(r["unit_name"], r["plain"]) for r in items]


def test_a_memory_limit_gives_the_same_report(capsys: pytest.CaptureFixture[str]) -> None:
    """`--memory-limit`: DuckDB's memory, beyond which it works on disk; the report is the
    golden one with a limit as without."""
    golden = (ROOT / "examples" / "binhai-2021" / "report.json").read_text(encoding="utf-8")
    assert check(capsys, "binhai-2021", EXAMPLES["binhai-2021"], "--lang", "en", "--format",
                 "json", "--memory-limit", "300MB") == golden


@pytest.mark.parametrize(("options", "said"), [
    (["--memory-limit", "2XB"], "--memory-limit `2XB` is not a size: write a number and a unit"),
    (["--memory-limit", "1GB", "--engine", "python"],
     "--memory-limit is the columnar engine's: use --engine duckdb"),
    (["--memory-limit", "1MB"],
     "the columnar engine ran out of memory (--memory-limit 1MB): give it more"),
])
def test_a_memory_limit_that_cannot_serve_is_an_error(
        capsys: pytest.CaptureFixture[str], options: list[str], said: str) -> None:
    folder = "examples/binhai-2021"
    code = main(["check", "policies/binhai-2021.pol", "--events", f"{folder}/events.jsonl",
                 "--units", f"{folder}/units.jsonl", "--as-of", "2021-12-31", "--format",
                 "json", *options])
    assert code == 2
    error = capsys.readouterr().err
    assert said in error and "Traceback" not in error and "internal error" not in error
