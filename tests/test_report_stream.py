"""`check --format json|csv` writes results as they are made: the document is the one a held
report prints, byte for byte, for every shipped example, with and without filters."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import policyrules
from policyrules.cli import main
from policyrules.data.events import read_events, read_units
from policyrules.evaluation import Evaluation
from policyrules.report.build import build_report, report_head, summarize
from policyrules.report.model import Tally, write_csv, write_json
from policyrules.rules.compiler import compile_policy

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p.name for p in (ROOT / "examples").iterdir() if (p / "report.json").exists())


def _inputs(name: str) -> tuple[Any, Evaluation, Any, Any]:
    policy = policyrules.load(ROOT / "policies" / f"{name}.pol")
    golden = json.loads((ROOT / "examples" / name / "report.json").read_text(encoding="utf-8"))
    compiled = compile_policy(policy)
    events = read_events(policy, ROOT / "examples" / name / "events.jsonl")
    units = read_units(policy, ROOT / "examples" / name / "units.jsonl")
    as_of = dt.datetime.fromisoformat(golden["as_of"])
    return policy, Evaluation(compiled, events.events, units, as_of), events, units


def _streamed(policy: Any, evaluation: Evaluation, events: Any, units: Any) -> str:
    """The JSON document written as `check --format json` writes it: results counted and
    written as they come, the summary filled in at the end."""
    head = report_head(policy, evaluation.as_of, events, units)
    tally = Tally()

    def results() -> Iterator[Any]:
        for result in evaluation.iter_results():
            tally.add(result)
            yield result

    def finish() -> Any:
        head.summary = summarize(tally, events, units)
        return head

    out = io.StringIO()
    write_json(head, results(), out, finish)
    return out.getvalue()


@pytest.mark.parametrize("name", EXAMPLES)
def test_streamed_json_is_the_held_report(name: str) -> None:
    policy, evaluation, events, units = _inputs(name)
    held = build_report(policy, evaluation.as_of, evaluation.results(), events, units)
    assert _streamed(policy, evaluation, events, units) == held.to_json() + "\n"
    csv_out = io.StringIO()
    write_csv(evaluation.iter_results(), csv_out, provenance=held.provenance)
    assert csv_out.getvalue() == held.to_csv()


def test_streamed_json_without_results(tmp_path: Path) -> None:
    policy, evaluation, events, units = _inputs("binhai-2021")
    held = build_report(policy, evaluation.as_of, [], events, units)
    out = io.StringIO()
    write_json(held, iter(()), out, lambda: held)
    assert out.getvalue() == held.to_json() + "\n"
    assert json.loads(out.getvalue())["results"] == []


def test_streamed_json_keeps_line_separators_inside_strings() -> None:
    """JSON leaves U+0085 and U+2028 unescaped in strings; the streamed document must not
    take them for line ends (found by the drawn streams below, with a unit named `\x85`)."""
    policy = policyrules.load(ROOT / "policies" / "binhai-2021.pol")
    compiled = compile_policy(policy)
    units = read_units(policy, [{"unit": "u\u20281", "name": "名\x85字", "type": "镇街"}])
    events = read_events(policy, [])
    as_of = dt.datetime(2021, 3, 31, 23, 59, 59, tzinfo=compiled.zone)
    evaluation = Evaluation(compiled, events.events, units, as_of)
    held = build_report(policy, as_of, evaluation.results(), events, units)
    assert held.results
    assert _streamed(policy, evaluation, events, units) == held.to_json() + "\n"


@pytest.mark.parametrize("options", [[], ["--status", "overdue"], ["--unit", "xd-dafeng"]])
def test_check_json_filters_what_it_streams(
    options: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    name = "xindu-2017"
    golden = json.loads((ROOT / "examples" / name / "report.json").read_text(encoding="utf-8"))
    base = ["check", str(ROOT / "policies" / f"{name}.pol"), "--events",
            str(ROOT / "examples" / name / "events.jsonl"), "--units",
            str(ROOT / "examples" / name / "units.jsonl"), "--as-of", golden["as_of"][:10]]
    status = main([*base, "--format", "json", *options])
    streamed = json.loads(capsys.readouterr().out)
    assert status == 1
    assert streamed["summary"] == golden["summary"]  # the summary counts every result
    expected = [r for r in golden["results"]
                if ("--status" not in options or r["status"] == "overdue")
                and ("--unit" not in options or r["unit"] == "xd-dafeng")]
    assert streamed["results"] == expected


@pytest.mark.parametrize("name", ["yuzhong-2019", "xindu-2017", "binhai-2021"])
def test_streamed_and_held_agree_on_drawn_streams(name: str) -> None:
    """Differential: two ways of writing the same report, on units and events drawn by
    :mod:`policyrules.testing.streams` (and a few rows that are rejected)."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from policyrules.testing.streams import events as drawn_events
    from policyrules.testing.streams import units as drawn_units

    policy = policyrules.load(ROOT / "policies" / f"{name}.pol")
    compiled = compile_policy(policy)
    end = policy.window.end or policy.window.start + dt.timedelta(days=365)

    @settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(drawn_units(compiled), max_size=3, unique_by=lambda row: row["unit"]),
           drawn_events(compiled, max_size=10),
           st.lists(st.sampled_from([{"id": "bad"}, {"unit": "u1", "kind": "activity"}]),
                    max_size=2),
           st.dates(policy.window.start, end))
    def check(unit_rows: list[dict[str, Any]], stream: list[dict[str, Any]],
              bad: list[dict[str, Any]], day: dt.date) -> None:
        events = read_events(policy, [*stream, *bad])
        units = read_units(policy, unit_rows) if unit_rows else None
        as_of = dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=compiled.zone)
        evaluation = Evaluation(compiled, events.events, units, as_of)
        held = build_report(policy, as_of, evaluation.results(), events, units)
        assert _streamed(policy, evaluation, events, units) == held.to_json() + "\n"

    check()
