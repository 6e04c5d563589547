"""Both engines on the same input: the reference engine's report and the columnar
engine's, as text (`tests/test_engines_agree.py`, `tests/test_engines_agree_cases.py`)."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest

import policyrules
from policyrules.data.events import EventSet, UnitSet, read_events, read_units
from policyrules.engine.sql.engine import ColumnarEngine
from policyrules.evaluation import Evaluation, as_of_moment
from policyrules.report.model import csv_rows, json_items
from policyrules.rules.compiler import CompiledPolicy, compile_policy


@dataclass(frozen=True)
class Reports:
    """What each engine wrote, and what the columnar engine left to the reference."""

    reference_json: str
    reference_csv: str
    engine_json: str
    engine_csv: str
    fallbacks: dict[str, str]
    results: int


def both_engines(
    compiled: CompiledPolicy,
    events: EventSet,
    units: UnitSet | None,
    as_of: dt.datetime,
    lang: str = "en",
) -> Reports:
    reference = Evaluation(compiled, events.events, units, as_of, lang).results()
    engine = ColumnarEngine(compiled, as_of, lang)
    try:
        engine.load(events, units)
        engine.evaluate()
        engine_json = ",\n".join(engine.json_chunks())
        engine_csv = "".join(engine.csv_chunks())
        fallbacks = dict(engine.fallbacks)
    finally:
        engine.close()
    with pytest.raises(duckdb.ConnectionException):  # closed: nothing leaks to the next
        engine.con.execute("SELECT 1")
    return Reports(json_items(reference), csv_rows(reference), engine_json, engine_csv,
                   fallbacks, len(reference))


def read_by_the_engine(
    compiled: CompiledPolicy,
    path: Path,
    units: UnitSet | None,
    as_of: dt.datetime,
    lang: str = "en",
) -> Reports:
    """The columnar engine reading `path` itself (`engine.read`, as `check` does) against the
    reference reader and engine on the same file; the accepted and rejected rows must be the
    same too."""
    read = read_events(compiled.checked, path)
    reference = Evaluation(compiled, read.events, units, as_of, lang).results()
    engine = ColumnarEngine(compiled, as_of, lang)
    try:
        counted = engine.read([path])
        engine.load_units(units, counted)
        assert counted.accepted() == len(read.events)
        assert [(r.line, r.reason) for r in counted.rejected] == [
            (r.line, r.reason) for r in read.rejected]
        engine.evaluate()
        engine_json = ",\n".join(engine.json_chunks())
        engine_csv = "".join(engine.csv_chunks())
        fallbacks = dict(engine.fallbacks)
    finally:
        engine.close()
    return Reports(json_items(reference), csv_rows(reference), engine_json, engine_csv,
                   fallbacks, len(reference))


def _first_difference(reference: str, engine: str, separator: str) -> str:
    """The first result that differs, as a diff (the whole texts are long)."""
    ours, theirs = reference.split(separator), engine.split(separator)
    for a, b in zip(ours, theirs, strict=False):
        if a != b:
            return "\n".join(difflib.unified_diff(
                a.splitlines(), b.splitlines(), "reference", "columnar", lineterm=""))
    return f"{len(ours)} results from the reference, {len(theirs)} from the columnar engine"


def assert_same(reports: Reports) -> None:
    assert reports.engine_json == reports.reference_json, _first_difference(
        reports.reference_json, reports.engine_json, "\n    },\n")
    assert reports.engine_csv == reports.reference_csv, _first_difference(
        reports.reference_csv, reports.engine_csv, "\r\n")


def compare_text(
    text: str,
    events: list[dict[str, Any]],
    units: list[dict[str, Any]] | None,
    as_of: dt.date | dt.datetime,
    lang: str = "en",
) -> Reports:
    policy = policyrules.parse(text)
    compiled = compile_policy(policy)
    read = read_events(policy, events)
    assert not read.rejected, read.rejected
    facts = read_units(policy, units) if units is not None else None
    assert facts is None or not facts.rejected
    return both_engines(compiled, read, facts, as_of_moment(as_of, compiled), lang)


