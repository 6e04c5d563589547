"""`policyrules test`: the policy author's test runner.

A *scenario* is a JSON file (`*.test.json`) kept next to a policy: the events and units of a
small situation, an `as_of`, and the statuses some obligations must have then::

    {
      "name": "15 staff, 1 participant: 10% rounds up to 2",
      "policy": "../yuzhong-2019.pol",
      "as_of": "2019-07-01",
      "units": [{"unit": "一中", "type": "文明校园", "staff": 15}],
      "events": [{"id": "e1", "unit": "一中", "kind": "activity", "at": "2019-06-07T09:00",
                  "participants": 1, "category": "必选"}],
      "expect": [{"obligation": "参与人数", "unit": "一中", "period": "e1",
                  "status": "overdue", "required": 2, "actual": 1}]
    }

`units` and `events` may also be paths (relative to the scenario) of JSON Lines or CSV files.
An expectation matches the results with its `obligation`, `unit`, and — when given — `period`
(the label) and `person`; each must have the `status` (and `required`, `actual`, `evidence`
when given). A failure is shown as a diff of what was expected and what came out. The summary
says which obligations, headcount-band rows and kinds of deadline the scenarios exercised.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from policyrules.data.events import Rejection, read_events, read_units
from policyrules.diagnostics.errors import PolicyError
from policyrules.diagnostics.messages import (
    Listing,
    Message,
    error_message,
    msg,
    status_name,
    t,
    validation_problem,
)
from policyrules.diagnostics.source import read_json
from policyrules.evaluation import Evaluation
from policyrules.evaluation import as_of_moment as _as_of
from policyrules.report.model import STATUSES, Result
from policyrules.rules.compiler import compile_policy
from policyrules.semantics import CheckedObligation, CheckedPolicy
from policyrules.semantics import check as check_policy
from policyrules.syntax import ast
from policyrules.syntax.limits import MAX_SCENARIO_BYTES
from policyrules.syntax.loader import LibraryPaths, load_program


class Expectation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    obligation: str
    unit: str
    period: str | None = None
    person: str | None = None
    status: str
    required: float | None = None
    actual: float | None = None
    evidence: list[str] | None = None
    why: str = ""


class Scenario(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    policy: str
    as_of: dt.date | dt.datetime
    units: list[dict[str, Any]] | str = Field(default_factory=list)
    events: list[dict[str, Any]] | str = Field(default_factory=list)
    expect: list[Expectation]


@dataclass(frozen=True)
class Check:
    """One expectation of a scenario and, when it failed, the diff shown for it."""

    expectation: Expectation
    failure: str | None = None


@dataclass
class Outcome:
    scenario: Path
    name: str
    failures: list[str] = field(default_factory=list)
    checked: int = 0
    error: str | None = None
    checks: list[Check] = field(default_factory=list)


@dataclass
class Coverage:
    """What the scenarios exercised, per policy file."""

    obligations: dict[str, set[str]] = field(default_factory=dict)
    exercised: dict[str, set[str]] = field(default_factory=dict)
    band_rows: dict[str, set[int]] = field(default_factory=dict)
    band_rows_used: dict[str, set[int]] = field(default_factory=dict)
    deadlines: set[str] = field(default_factory=set)
    deadlines_used: set[str] = field(default_factory=set)


def discover(paths: Iterable[str | Path]) -> Iterator[Path]:
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(path.rglob("*.test.json"))
        else:
            yield path


def deadline_kind(ob: CheckedObligation) -> str:
    """The kind of deadline an obligation has, for the coverage summary."""
    if ob.due is None:
        return "at the event" if isinstance(ob.schedule, ast.ForEachEvent) else "end of period"
    when = ob.due.when
    kind = {
        ast.OnDate: "fixed date",
        ast.MonthDayOfPeriod: "day of the year",
        ast.PeriodEnd: "end of period",
        ast.WeekdayAfter: "weekday after",
        ast.DayOfLastMonth: "day of the period's last month",
        ast.DayOfMonth: "day of a month of the period",
    }.get(type(when), "")
    label: str = kind
    if isinstance(when, ast.AfterAnchor):
        unit = "working days" if when.distance.working else when.distance.unit.value + "s"
        label = msg("{unit} after {anchor}", unit=msg(unit), anchor=msg(when.anchor.value))
    if ob.due.time is not None:
        at = "at a time" if isinstance(ob.due.time, ast.ClockTime) else "at workday end"
        label = msg("{kind} {at}", kind=msg(label) if not isinstance(label, Message) else label,
                    at=msg(at))
    return label


def run(
    paths: Iterable[str | Path], lang: str = "en", library: LibraryPaths = ()
) -> tuple[list[Outcome], Coverage]:
    """Run the scenarios under `paths`; errors, failures and reasons in `lang`. Their
    policies may import from the `library` folders (see :func:`policyrules.load`)."""
    outcomes: list[Outcome] = []
    coverage = Coverage()
    policies: dict[Path, CheckedPolicy] = {}
    for path in discover(paths):
        outcome = Outcome(path, path.name)
        outcomes.append(outcome)
        try:
            scenario = Scenario.model_validate(read_json(path, MAX_SCENARIO_BYTES))
        except (OSError, ValueError) as error:
            outcome.error = t(lang, "{path}: not a scenario: {problem}", path=path,
                              problem=_first_line(error))
            continue
        outcome.name = scenario.name
        policy_path = (path.parent / scenario.policy).resolve()
        try:
            policy = policies.get(policy_path) or check_policy(load_program(policy_path, library))
        except PolicyError as error:
            outcome.error = error.render(lang)
            continue
        policies[policy_path] = policy
        key = str(policy_path.name)
        coverage.obligations.setdefault(key, {ob.name for ob in policy.obligations})
        coverage.exercised.setdefault(key, set())
        for band in policy.definitions.bands.values():
            coverage.band_rows.setdefault(band.name, set(range(len(band.rows))))
            coverage.band_rows_used.setdefault(band.name, set())
        coverage.deadlines.update(deadline_kind(ob) for ob in policy.obligations)
        try:
            results, bands = _evaluate(policy, scenario, path.parent, lang)
        except (OSError, ValueError) as error:
            outcome.error = t(lang, "{path}: {problem}", path=path, problem=_problem(error))
            continue
        for band_name, rows in bands.items():
            coverage.band_rows_used.setdefault(band_name, set()).update(rows)
        for expectation in scenario.expect:
            outcome.checked += 1
            failure = _check(expectation, results, policy, lang)
            if failure:
                outcome.failures.append(failure)
            outcome.checks.append(Check(expectation, failure))
            coverage.exercised[key].add(expectation.obligation)
            ob = next((o for o in policy.obligations if o.name == expectation.obligation), None)
            if ob is not None:
                coverage.deadlines_used.add(deadline_kind(ob))
    return outcomes, coverage


def _first_line(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return validation_problem(error.errors()[0])
    return _problem(error)


def _problem(error: Exception) -> str:
    """An exception's message, as a message that translates where it is one of ours."""
    said = error_message(error)
    return said if isinstance(said, Message) else said.splitlines()[0]


def _evaluate(
    policy: CheckedPolicy, scenario: Scenario, folder: Path, lang: str = "en"
) -> tuple[list[Result], dict[str, set[int]]]:
    compiled = compile_policy(policy)
    events_source: Any = (
        folder / scenario.events if isinstance(scenario.events, str) else scenario.events
    )
    units_source: Any = (
        folder / scenario.units if isinstance(scenario.units, str) else scenario.units
    )
    events = read_events(policy, events_source)
    if events.rejected:
        raise ValueError(msg("rejected events: {rows}", rows=Listing(
            [_rejected(r) for r in events.rejected], long=True)))
    units = read_units(policy, units_source) if units_source else None
    evaluation = Evaluation(compiled, events.events, units, _as_of(scenario.as_of, compiled),
                            lang)
    return evaluation.results(), evaluation.band_rows_used


def _rejected(row: Rejection) -> Message:
    if row.id:
        return msg("{source}:{line}: rejected {what} (id `{id}`): {reason}", source=row.source,
                   line=row.line, what=msg(row.what), id=row.id, reason=row.reason)
    return msg("{source}:{line}: rejected {what}: {reason}", source=row.source, line=row.line,
               what=msg(row.what), reason=row.reason)


def _check(
    expectation: Expectation, results: list[Result], policy: CheckedPolicy, lang: str = "en"
) -> str | None:
    if expectation.status not in STATUSES:
        return t(lang, "{obligation}: `{status}` is not a status",
                 obligation=expectation.obligation, status=expectation.status)
    if expectation.obligation not in {ob.name for ob in policy.obligations}:
        return t(lang, "no obligation `{name}` in the policy", name=expectation.obligation)
    found = [
        r
        for r in results
        if r.obligation == expectation.obligation
        and r.unit == expectation.unit
        and (expectation.period is None or r.period.label == expectation.period)
        and (expectation.person is None or r.person == expectation.person)
    ]
    where = label(expectation)
    if not found:
        periods = sorted(
            {r.period.label for r in results if r.obligation == expectation.obligation
             and r.unit == expectation.unit}
        )
        listed = ", ".join(periods) or t(lang, "none")
        return t(lang, "{where}: no such result (periods of this unit: {listed})", where=where,
                 listed=listed)
    lines: list[str] = []
    for result in found:
        expected = _shown(lang, expectation.status, expectation.required, expectation.actual,
                          expectation.evidence)
        actual = _shown(
            lang,
            result.status,
            result.required if expectation.required is not None else None,
            result.actual if expectation.actual is not None else None,
            result.evidence if expectation.evidence is not None else None,
        )
        if expected != actual:
            text = t(lang, "{where} [{period}]\n  - expected: {expected}\n  + actual:   {actual}"
                     "\n    reason: {reason}", where=where, period=result.period.label,
                     expected=expected, actual=actual, reason=result.reason)
            if expectation.why:
                text += t(lang, "\n    why the scenario expects it: {why}", why=expectation.why)
            lines.append(text)
    return "\n".join(lines) or None


def label(expectation: Expectation) -> str:
    """`参与人数 · 一中 · e1`: which results an expectation is about."""
    parts = [expectation.obligation, expectation.unit, expectation.period, expectation.person]
    return " · ".join(part for part in parts if part)


def _shown(
    lang: str,
    status: str,
    required: float | None,
    actual: float | None,
    evidence: list[str] | None,
) -> str:
    # the status code as written in scenarios, with its name in Chinese beside it
    text = status if lang == "en" else f"{status}（{status_name(lang, status)}）"
    if required is not None:
        text += t(lang, ", required {required:g}", required=required)
    if actual is not None:
        text += t(lang, ", actual {actual:g}", actual=actual)
    if evidence is not None:
        text += t(lang, ", evidence {evidence}", evidence=sorted(evidence))
    return text


def render(
    outcomes: list[Outcome], coverage: Coverage, lang: str = "en", verbose: bool = False
) -> tuple[str, bool]:
    """The runner's report, and whether everything passed. The markers `ok`, `FAIL` and
    `ERROR` that start a scenario's line are the same in every language (to grep for);
    `verbose` lists every expectation under its scenario, passed ones too."""
    lines: list[str] = []
    passed = True
    for outcome in outcomes:
        if outcome.error:
            passed = False
            lines.append(f"ERROR {outcome.scenario}: {outcome.error}")
        elif outcome.failures:
            passed = False
            lines.append(f"FAIL  {outcome.scenario} — {outcome.name}")
            if verbose:
                lines.extend(_check_lines(outcome))
            else:
                lines.extend("  " + f.replace("\n", "\n  ") for f in outcome.failures)
        else:
            lines.append(f"ok    {outcome.scenario} — {outcome.name} ("
                         + t(lang, "{count} checks", count=outcome.checked) + ")")
            if verbose:
                lines.extend(_check_lines(outcome))
    total = len(outcomes)
    failed = sum(1 for o in outcomes if o.error or o.failures)
    lines.append("")
    lines.append(t(lang, "{passed} passed, {failed} failed", passed=total - failed,
                   failed=failed))
    lines.append("")
    lines.append(t(lang, "coverage:"))
    for policy, names in sorted(coverage.obligations.items()):
        used = coverage.exercised.get(policy, set())
        lines.append("  " + t(lang, "{policy}: {used} of {total} obligations", policy=policy,
                              used=len(used & names), total=len(names)))
        missing = sorted(names - used)
        if missing:
            lines.append("    " + t(lang, "not exercised: {names}", names=", ".join(missing)))
    for band, rows in sorted(coverage.band_rows.items()):
        used_rows = coverage.band_rows_used.get(band, set())
        lines.append("  " + t(lang, "band {band}: {used} of {total} rows", band=band,
                              used=len(used_rows & rows), total=len(rows)))
    used_deadlines = coverage.deadlines_used & coverage.deadlines
    lines.append("  " + t(lang, "deadlines: {used} of {total} kinds", used=len(used_deadlines),
                          total=len(coverage.deadlines)))
    missing_deadlines = sorted(coverage.deadlines - coverage.deadlines_used)
    if missing_deadlines:
        lines.append("    " + t(lang, "not exercised: {names}",
                                 names=Listing(missing_deadlines)))
    return "\n".join(lines), passed


def _check_lines(outcome: Outcome) -> list[str]:
    """Every expectation of a scenario: `ok` with what held, or `FAIL` and the diff."""
    lines: list[str] = []
    for check in outcome.checks:
        expectation = check.expectation
        if check.failure is None:
            lines.append(f"  ok    {label(expectation)}: {expectation.status}")
        else:
            lines.append(f"  FAIL  {label(expectation)}")
            lines.extend("    " + line for line in check.failure.splitlines())
    return lines


# ----------------------------------------------------------------------------- for CI


def _verdict(outcome: Outcome) -> str:
    return "error" if outcome.error else "failed" if outcome.failures else "passed"


def _coverage_record(coverage: Coverage) -> dict[str, Any]:
    return {
        "obligations": {
            policy: {"total": len(names),
                     "exercised": sorted(coverage.exercised.get(policy, set()) & names),
                     "not_exercised": sorted(names - coverage.exercised.get(policy, set()))}
            for policy, names in sorted(coverage.obligations.items())
        },
        "band_rows": {
            band: {"total": len(rows),
                   "used": sorted(coverage.band_rows_used.get(band, set()) & rows)}
            for band, rows in sorted(coverage.band_rows.items())
        },
        "deadlines": {"kinds": sorted(coverage.deadlines),
                      "exercised": sorted(coverage.deadlines_used & coverage.deadlines)},
    }


def render_json(outcomes: list[Outcome], coverage: Coverage) -> str:
    """One JSON document: every scenario with its verdict and checks, a summary, and the
    coverage. Diffs and errors are in the language the scenarios were run in."""
    scenarios = []
    for outcome in outcomes:
        scenarios.append({
            "path": str(outcome.scenario),
            "name": outcome.name,
            "status": _verdict(outcome),
            "error": outcome.error,
            "checks": [
                {**check.expectation.model_dump(include={"obligation", "unit", "period",
                                                          "person", "status"}),
                 "passed": check.failure is None, "diff": check.failure}
                for check in outcome.checks
            ],
        })
    verdicts = [_verdict(o) for o in outcomes]
    document = {
        "scenarios": scenarios,
        "summary": {
            "scenarios": len(outcomes),
            "passed": verdicts.count("passed"),
            "failed": verdicts.count("failed"),
            "errors": verdicts.count("error"),
            "checks": sum(len(o.checks) for o in outcomes),
            "checks_failed": sum(1 for o in outcomes for c in o.checks if c.failure),
        },
        "coverage": _coverage_record(coverage),
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def render_junit(outcomes: list[Outcome]) -> str:
    """JUnit XML as CI pages read it: a test suite per scenario file, a test case per
    expectation (`classname` the file, `name` what it is about); a scenario that cannot run
    is one test case in error."""
    from xml.etree import ElementTree as ET

    root = ET.Element("testsuites", name="policyrules test")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for outcome in outcomes:
        suite = ET.SubElement(root, "testsuite", name=f"{outcome.scenario} — {outcome.name}")
        counts = {"tests": 0, "failures": 0, "errors": 0}
        if outcome.error:
            case = ET.SubElement(suite, "testcase", classname=str(outcome.scenario),
                                 name=outcome.name)
            error = ET.SubElement(case, "error", message=outcome.error.splitlines()[0])
            error.text = outcome.error
            counts["tests"] += 1
            counts["errors"] += 1
        for check in outcome.checks:
            case = ET.SubElement(suite, "testcase", classname=str(outcome.scenario),
                                 name=label(check.expectation))
            counts["tests"] += 1
            if check.failure is not None:
                failure = ET.SubElement(case, "failure",
                                        message=check.failure.splitlines()[0])
                failure.text = check.failure
                counts["failures"] += 1
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")
