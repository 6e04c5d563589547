"""The evaluator: hand-worked statuses on realistic events, and its invariants."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import policyrules
from policyrules.data.events import read_events, read_units
from policyrules.evaluation import Evaluation, evaluate
from policyrules.report.model import Result
from policyrules.rules.compiler import compile_policy

POLICY = policyrules.parse(
    """
import "std:festivals"

units { type: string staff: int parent: string }
event activity {
  hours: number
  participants: int
  category: one of ["必选", "自选"]
  festival: festival
}
event report { form: string ref: string period: string }
event registration stock { person: string party_member: bool }
band 人数 { ..20 => 10% round up  21..50 => 3  51..100 => 5  101.. => 8 }

policy t "测试" {
  effective 2019-05-22 .. 2019-12-31
  warn 7 days

  obligation 每季度 "每季度一次，每次不少于1小时" {
    refs YZ-1
    cites "一、（三）"
    every quarter
    require count(activity where hours >= 1) >= 1
  }

  obligation 参与人数 "参与人数按规模" {
    refs YZ-3
    for each activity
    require participants >= 人数(unit.staff)
  }

  obligation 第二个周六 "每月第二个周六" {
    every month on 2nd saturday
    require count(activity where hours >= 1.5) >= 1
  }

  obligation 材料 "节庆日活动后2个工作日内报送" {
    refs XD-15
    for each activity where festival is set
    require exists(report where ref == trigger.id)
    due 2 working days after trigger
    accept late
  }

  obligation 平均每月 "平均每月至少一次" {
    refs BH-4
    effective 2019-06-01 .. 2019-12-31
    every year
    partial periods count
    require avg(count(activity) per month) >= 1
  }

  obligation 季报 "每季度最后一个月25日前" {
    refs XD-14
    every quarter
    require exists(report where form == "说明报告" and period == window.label)
    due day 25 of last month
    accept late
  }

  obligation 党员 "党员志愿者" {
    for each person of registration where party_member
    every year
    partial periods count
    require count(activity where participants >= 1) >= 0
  }
}
""",
    "t.pol",
)

UNITS = [
    {"unit": "u15", "type": "文明单位", "staff": 15},
    {"unit": "u45", "type": "文明校园", "staff": 15, "valid_from": "2019-01-01"},
    {"unit": "u45", "type": "文明校园", "staff": 45, "valid_from": "2019-09-01"},
]


def event(
    ident: str, at: str, kind: str = "activity", unit: str = "u15", **attrs: Any
) -> dict[str, Any]:
    return {"id": ident, "unit": unit, "kind": kind, "at": at, **attrs}


def results(
    events: list[dict[str, Any]], as_of: str, units: list[dict[str, Any]] = UNITS
) -> list[Result]:
    return evaluate(POLICY, events, units, as_of=dt.date.fromisoformat(as_of)).results


def status(found: list[Result], obligation: str, unit: str, period: str) -> str:
    matches = [
        r for r in found if (r.obligation, r.unit, r.period.label) == (obligation, unit, period)
    ]
    assert len(matches) == 1, [(r.obligation, r.unit, r.period.label) for r in found]
    return matches[0].status


def test_a_quarter_met_pending_at_risk_and_overdue() -> None:
    events = [event("e1", "2019-06-07T09:00", hours=1.5, participants=2)]
    found = results(events, "2019-09-26")
    assert status(found, "每季度", "u15", "2019Q2") == "met"
    q3 = next(
        r
        for r in found
        if r.obligation == "每季度" and r.unit == "u15" and r.period.label == "2019Q3"
    )
    assert q3.status == "at_risk"  # 4 days before the end of the quarter, none yet
    assert (q3.required, q3.actual) == (1, 0)
    assert q3.slack is not None and q3.slack.startswith("needs 1 more in")
    assert status(results(events, "2019-08-01"), "每季度", "u15", "2019Q3") == "pending"
    assert status(results(events, "2019-10-02"), "每季度", "u15", "2019Q3") == "overdue"


def test_evidence_is_the_events_that_counted() -> None:
    events = [
        event("e1", "2019-06-07T09:00", hours=1.5),
        event("e2", "2019-06-08T09:00", hours=0.5),  # too short
        event("e3", "2019-05-20T09:00", hours=2),  # before the window opens
    ]
    q2 = next(
        r for r in results(events, "2019-07-01") if r.obligation == "每季度" and r.unit == "u15"
    )
    assert q2.evidence == ["e1"]
    assert q2.source.clause == "一、（三）" and q2.refs == ["YZ-1"]


def test_headcount_band_uses_the_staff_count_of_the_day() -> None:
    events = [
        event("a1", "2019-06-07T09:00", unit="u15", participants=1),  # 15 staff: 10% → 2
        event("a2", "2019-06-07T10:00", unit="u15", participants=2),
        event("b1", "2019-08-02T09:00", unit="u45", participants=2),  # still 15 staff: needs 2
        event("b2", "2019-09-06T09:00", unit="u45", participants=2),  # 45 staff from 09-01: 3
    ]
    found = {r.period.label: r for r in results(events, "2019-09-30") if r.obligation == "参与人数"}
    assert found["a1"].status == "overdue" and (found["a1"].required, found["a1"].actual) == (2, 1)
    assert found["a2"].status == "met"
    assert found["b1"].status == "met"
    assert found["b2"].status == "overdue" and found["b2"].required == 3


def test_second_saturday_passed_is_at_risk() -> None:
    # June 2019's second Saturday is 06-08; on 06-10 no qualifying day is left
    found = results([], "2019-06-10")
    june = next(r for r in found if r.obligation == "第二个周六" and r.period.label == "2019-06")
    assert june.status == "at_risk"
    assert "no qualifying day is left" in june.reason
    met = results([event("s", "2019-06-08T09:00", hours=2)], "2019-06-10")
    assert status(met, "第二个周六", "u15", "2019-06") == "met"
    wrong_day = results([event("s", "2019-06-09T09:00", hours=2)], "2019-06-10")
    assert status(wrong_day, "第二个周六", "u15", "2019-06") == "at_risk"


def test_two_working_days_after_national_day_eve_late_then_met() -> None:
    activity = event("f1", "2019-09-30T10:00", festival="国庆节")
    # 10-01..10-07 are off; the 2nd working day after 09-30 is 2019-10-09 (10-08 and the
    # makeup Saturday 10-12 do not come into it)
    on_time = [activity, event("r1", "2019-10-09T16:00", kind="report", ref="f1")]
    late = [activity, event("r1", "2019-10-10T09:00", kind="report", ref="f1")]
    result = next(r for r in results(on_time, "2019-10-20") if r.obligation == "材料")
    assert result.status == "met" and result.due is not None
    assert result.due.date() == dt.date(2019, 10, 9)
    assert next(r for r in results(late, "2019-10-20") if r.obligation == "材料").status == "late"
    assert (
        next(r for r in results([activity], "2019-10-20") if r.obligation == "材料").status
        == "overdue"
    )
    assert (
        next(r for r in results([activity], "2019-10-08") if r.obligation == "材料").status
        == "at_risk"
    )


def test_on_average_versus_every_month() -> None:
    # BH-4: 7 in the year with June empty still meets "on average once a month" over
    # June..December (7 months)
    events = [event(f"m{m}", f"2019-{m:02d}-10T09:00") for m in range(7, 13)]
    events.append(event("extra", "2019-12-11T09:00"))
    found = results(events, "2020-01-05")
    assert status(found, "平均每月", "u15", "2019") == "met"
    fewer = results(events[:-2], "2020-01-05")
    assert status(fewer, "平均每月", "u15", "2019") == "overdue"


def test_reports_select_their_period_and_may_come_late() -> None:
    report = event("q", "2019-09-20", kind="report", form="说明报告", period="2019Q3")
    assert status(results([report], "2019-10-01"), "季报", "u15", "2019Q3") == "met"
    late = event("q", "2019-09-27", kind="report", form="说明报告", period="2019Q3")
    assert status(results([late], "2019-10-01"), "季报", "u15", "2019Q3") == "late"
    wrong = event("q", "2019-09-20", kind="report", form="说明报告", period="2019Q2")
    assert status(results([wrong], "2019-10-01"), "季报", "u15", "2019Q3") == "overdue"


def test_per_person_instances() -> None:
    events = [
        event("r1", "2016-03-01", kind="registration", person="p1", party_member=True),
        event("r2", "2019-06-01", kind="registration", person="p2", party_member=False),
    ]
    found = [r for r in results(events, "2019-07-01") if r.obligation == "党员"]
    assert [(r.unit, r.person) for r in found] == [("u15", "p1")]  # registered in 2016: a stock


def test_rejected_rows_are_counted() -> None:
    rows = [
        event("e1", "2019-06-07T09:00", hours="x"),
        event("e2", "not a date"),
        event("e3", "2019-06-07"),
    ]
    report = evaluate(POLICY, rows, UNITS, as_of=dt.date(2019, 7, 1))
    assert report.summary.event_rows == 3
    assert report.summary.events_accepted + report.summary.events_rejected == 3
    assert [r.line for r in report.rejected] == [1, 2]


def test_indeterminate_past_the_horizon() -> None:
    year = policyrules.calendar.default_calendar().builtin_horizon + 1
    activity = event("f1", f"{year}-03-02T10:00", festival="国庆节")
    text = POLICY.sources["t.pol"].text.replace(
        "2019-05-22 .. 2019-12-31", f"{year}-01-01 .. {year}-12-31"
    )
    text = text.replace(
        "effective 2019-06-01 .. 2019-12-31", f"effective {year}-06-01 .. {year}-12-31"
    )
    policy = policyrules.parse(text, "t.pol")
    found = evaluate(policy, [activity], UNITS, as_of=dt.date(year, 3, 20)).results
    materials = next(r for r in found if r.obligation == "材料")
    assert materials.status == "indeterminate"
    assert f"holiday schedule for {year} is missing" in materials.reason


def test_explain_says_why_each_event_did_not_count() -> None:
    events = [event("e1", "2019-07-05T09:00", hours=0.5), event("e2", "2019-05-01T09:00", hours=3)]
    compiled = compile_policy(POLICY)
    event_set = read_events(POLICY, events)
    evaluation = Evaluation(
        compiled,
        event_set.events,
        read_units(POLICY, UNITS),
        dt.datetime(2019, 10, 5, tzinfo=compiled.zone),
    )
    explained = dict((r.period.label, t) for r, t in evaluation.explain("每季度", "u15"))
    q3 = {t.event: t.why for t in explained["2019Q3"]}
    assert q3["e1"] == "`hours` is 0.5, needs >= 1"
    assert q3["e2"].startswith("before the period")


# ----------------------------------------------------------------------------- properties

ACTIVITIES = st.lists(
    st.builds(
        lambda i, day, hours, people: event(
            f"e{i}",
            (dt.date(2019, 5, 15) + dt.timedelta(days=day)).isoformat() + "T09:00",
            hours=hours,
            participants=people,
        ),
        st.integers(0, 10_000),
        st.integers(0, 240),
        st.sampled_from([0.5, 1, 1.5, 2]),
        st.integers(0, 6),
    ),
    max_size=12,
    unique_by=lambda e: e["id"],
)
AS_OF = st.dates(min_value=dt.date(2019, 5, 22), max_value=dt.date(2020, 2, 1))


def by_id(found: list[Result]) -> dict[str, str]:
    return {r.id: r.status for r in found}


@settings(max_examples=40, deadline=None)
@given(ACTIVITIES, AS_OF, st.randoms(use_true_random=False))
def test_results_do_not_depend_on_event_order(
    events: list[dict[str, Any]], as_of: dt.date, rnd: Any
) -> None:
    shuffled = list(events)
    rnd.shuffle(shuffled)
    assert by_id(results(events, as_of.isoformat())) == by_id(results(shuffled, as_of.isoformat()))


@settings(max_examples=40, deadline=None)
@given(ACTIVITIES, AS_OF)
def test_a_qualifying_event_never_undoes_met(events: list[dict[str, Any]], as_of: dt.date) -> None:
    before = by_id(results(events, as_of.isoformat()))
    qualifying = event("extra", "2019-07-01T09:00", hours=3, participants=6)
    after = by_id(results([*events, qualifying], as_of.isoformat()))
    for key, was in before.items():
        if was == "met" and "第二个周六" not in key and "参与人数" not in key:
            assert after[key] == "met", key


@settings(max_examples=30, deadline=None)
@given(ACTIVITIES, AS_OF, st.integers(1, 60))
def test_moving_as_of_forward_never_turns_overdue_into_pending(
    events: list[dict[str, Any]], as_of: dt.date, days: int
) -> None:
    earlier = by_id(results(events, as_of.isoformat()))
    later = by_id(results(events, (as_of + dt.timedelta(days=days)).isoformat()))
    for key, was in earlier.items():
        if was == "overdue":
            assert later[key] in ("overdue", "late"), key


@settings(max_examples=30, deadline=None)
@given(ACTIVITIES, AS_OF, st.integers(0, 12))
def test_incremental_equals_batch(events: list[dict[str, Any]], as_of: dt.date, split: int) -> None:
    compiled = compile_policy(POLICY)
    units = read_units(POLICY, UNITS)
    moment = dt.datetime.combine(as_of, dt.time(23, 59, 59), tzinfo=compiled.zone)
    batch = Evaluation(compiled, read_events(POLICY, events).events, units, moment)
    incremental = Evaluation(compiled, read_events(POLICY, events[:split]).events, units, moment)
    incremental.results()  # asked once before the rest arrives
    incremental.add(read_events(POLICY, events[split:]).events)
    assert by_id(batch.results()) == by_id(incremental.results())


@pytest.mark.parametrize(
    "bad", [{"id": "x"}, {"id": "y", "unit": "u", "kind": "activity", "at": "2019-02-30"}]
)
def test_every_row_is_evaluated_or_rejected(bad: dict[str, Any]) -> None:
    report = evaluate(POLICY, [bad, event("ok", "2019-06-01")], UNITS, as_of=dt.date(2019, 7, 1))
    assert report.summary.events_accepted == 1 and report.summary.events_rejected == 1


def test_events_of_units_not_in_the_units_file_are_noted() -> None:
    rows = [event("e1", "2019-06-07T09:00"), event("e2", "2019-06-07T09:00", unit="nobody")]
    report = evaluate(POLICY, rows, UNITS, as_of=dt.date(2019, 7, 1))
    assert report.summary.events_accepted == 2
    assert report.notes == [
        "1 events name units that are not in the units file, so no obligation reads them: nobody"
    ]
    assert policyrules.evaluate is evaluate


def test_progress_is_reported_per_unit() -> None:
    compiled = compile_policy(POLICY)
    seen: list[tuple[int, int]] = []
    evaluation = Evaluation(
        compiled, [], read_units(POLICY, UNITS), dt.datetime(2019, 7, 1, tzinfo=compiled.zone)
    )
    evaluation.results(lambda done, total: seen.append((done, total)))
    assert seen == [(1, 2), (2, 2)]


def test_the_progress_bar_waits_a_second_then_draws(capsys: pytest.CaptureFixture[str]) -> None:
    import io

    from policyrules.cli import ProgressBar

    stream = io.StringIO()
    bar = ProgressBar(stream, delay=0)
    bar(1, 4)
    bar.close()
    assert "1/4 units" in stream.getvalue()
    quiet = io.StringIO()
    slow = ProgressBar(quiet, delay=3600)
    slow(1, 4)
    slow.close()
    assert quiet.getvalue() == ""


def test_an_imported_policy_may_name_an_obligation_as_the_importer_does(
    tmp_path: Path,
) -> None:
    """What the evaluator computes once per obligation (instances, scopes, sources) is kept
    per policy and obligation, not per name."""
    (tmp_path / "a.pol").write_text(
        'event activity { hours: number }\nunits { type: string }\npolicy a "A" {\n'
        "  effective 2021-01-01 .. 2021-12-31\n"
        '  obligation monthly "M" {\n    every month\n    applies to unit.type == "学校"\n'
        "    require count(activity) >= 1\n  }\n}\n",
        encoding="utf-8",
    )
    (tmp_path / "b.pol").write_text(
        'import "a.pol"\npolicy b "B" {\n  effective 2021-01-01 .. 2021-12-31\n'
        '  obligation monthly "Q" {\n    every quarter\n    applies to unit.type == "社区"\n'
        "    require count(activity) >= 2\n  }\n}\n",
        encoding="utf-8",
    )
    policy = policyrules.load(tmp_path / "b.pol")
    units = [{"unit": "s", "type": "学校"}, {"unit": "c", "type": "社区"}]
    events = [{"id": "e1", "unit": "c", "kind": "activity", "at": "2021-02-03"}]
    report = evaluate(policy, events, units, as_of=dt.date(2021, 12, 31))
    by_policy: dict[tuple[str, str], list[str]] = {}
    for result in report.results:
        by_policy.setdefault((result.policy, result.unit), []).append(result.period.label)
    assert by_policy[("a", "s")] == [f"2021-{m:02d}" for m in range(1, 13)]
    assert by_policy[("b", "c")] == ["2021Q1", "2021Q2", "2021Q3", "2021Q4"]
    assert set(by_policy) == {("a", "s"), ("b", "c")}
    sources = {r.policy: r.source.file for r in report.results}
    assert sources["a"].endswith("a.pol") and sources["b"].endswith("b.pol")
