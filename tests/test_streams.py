"""The event-stream strategies of :mod:`policyrules.testing.streams`, on the shipped policies.

What they promise, checked against the evaluator: a satisfying stream makes its unit,
obligation and period ``met`` at any as_of after the due; a violating stream never does (it
is overdue, or late where late events count); adding a satisfying stream to any other events
keeps ``met``; every unit row and event they draw is accepted. Every obligation of the
shipped policies is either solved or refused with :class:`Unsupported`, for a known reason.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st

import policyrules
from policyrules.data.events import EventReader, read_events, read_units
from policyrules.evaluation import Evaluation, evaluate
from policyrules.report.model import Result
from policyrules.rules.compiler import CompiledPolicy, compile_policy
from policyrules.syntax.formatter import expression as show
from policyrules.testing.streams import (
    FAILS_CONDITION,
    OFF_DAY,
    OUTSIDE_WINDOW,
    TOO_FEW,
    Impossible,
    Unsupported,
    Violation,
    after_due,
    events,
    periods,
    satisfying,
    units,
    violating,
)

POLICIES = Path(__file__).resolve().parent.parent / "policies"
NAMES = ("yuzhong-2019", "xindu-2017", "binhai-2021", "huizhou-2017", "puer-2020")
#: headcounts the targets read: never 0, so that every target can be missed
HEADCOUNTS: dict[str, Any] = {
    "staff": st.integers(1, 60),
    "population": st.integers(10, 200),
    "students": st.integers(1, 30),
}
FEW = settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SOME = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: README's BH-10 example: `every month on 2nd saturday`, the shipped policy says `each`.
BH10 = """
event activity {
  hours: number
}

policy binhai_2021 "关于进一步推动志愿服务常态化的通知" {
  issuer "天津市滨海新区文明办"
  effective 2021-01-01 .. 2021-12-31

  obligation 学雷锋志愿服务日 "每月第二个周六开展活动，每次不低于1.5小时" {
    refs BH-10
    cites "三、1"
    every month on 2nd saturday
    require count(activity where hours >= 1.5) >= 1
  }
}
"""


@functools.cache
def compiled(name: str) -> CompiledPolicy:
    if name == "bh10":
        return compile_policy(policyrules.parse(BH10, "bh10.pol"))
    return compile_policy(policyrules.load(POLICIES / f"{name}.pol"))


@functools.cache
def only(name: str, obligation: str) -> CompiledPolicy:
    """The policy with one obligation: the evaluator reads each obligation on its own, and
    the others would only take time."""
    policy = compiled(name)
    return dataclasses.replace(policy, obligations=[policy.obligation(obligation)])


@functools.cache
def reader(name: str) -> EventReader:
    return EventReader(compiled(name).checked)


def result(
    name: str, rows: list[dict[str, Any]], unit: Mapping[str, Any], obligation: str,
    period: str, as_of: dt.datetime,
) -> Result:
    """The one result of `unit`, `obligation` and `period`, the events read without a
    rejection."""
    policy = compiled(name)
    read = read_events(policy.checked, rows, reader(name))
    assert not read.rejected, read.rejected[:3]
    report = evaluate(only(name, obligation), read, [dict(unit)], as_of)
    found = [
        r for r in report.results
        if r.unit == unit["unit"] and r.obligation == obligation and r.period.label == period
    ]
    assert len(found) == 1, [(r.obligation, r.period.label) for r in report.results][:10]
    return found[0]


def not_met(name: str, obligation: str, found: Result, violation: Violation) -> None:
    late_ok = compiled(name).checked.obligation(obligation).accept_late
    assert found.status in (("overdue", "late") if late_ok else ("overdue",)), (
        f"{violation}: {found.status}, {found.reason}\n{violation.events}"
    )


# ----------------------------------------------------------------------------- every obligation

#: The obligations the strategies refuse, and why (a fragment of `Unsupported.why`).
UNSUPPORTED = {
    ("yuzhong-2019", "负责人管理员不重合"): "another shape",
    ("xindu-2017", "有记录志愿者比例_镇街"): "computed from events",
    ("xindu-2017", "有记录志愿者比例_区级部门"): "computed from events",
    ("xindu-2017", "人均时长_镇街"): "other than counts",
    ("xindu-2017", "人均时长_区级部门"): "other than counts",
    ("xindu-2017", "党员志愿者时长"): "per-person",
    ("xindu-2017", "党员进社区"): "per-person",
    ("xindu-2017", "节庆日活动"): "names an event's attribute",
    ("xindu-2017", "说明报告"): "simple comparisons",
    ("xindu-2017", "节庆日材料报送"): "simple comparisons",
    ("xindu-2017", "图片规格"): "simple comparisons",
    ("xindu-2017", "站点全覆盖"): "other than counts",
    ("huizhou-2017", "窗口单位站点"): "other than counts",
    ("huizhou-2017", "情况表图片"): "simple comparisons",
    ("puer-2020", "全体会议"): "another shape",
    # a report without `period` counts too (docs/coverage.md): an `or` in the `where`
    ("binhai-2021", "半年工作总结"): "`or`",
    ("huizhou-2017", "每周活动情况表"): "`or`",
}
EVERY_OBLIGATION = [
    (name, ob.name) for name in NAMES for ob in compiled(name).checked.obligations
]


@pytest.mark.parametrize(("name", "obligation"), EVERY_OBLIGATION,
                         ids=[f"{n}:{o}" for n, o in EVERY_OBLIGATION])
def test_every_shipped_obligation_is_solved_or_refused(name: str, obligation: str) -> None:
    policy = compiled(name)
    expected = UNSUPPORTED.get((name, obligation))
    row_strategy = units(policy, obligation=obligation, unit="x1", **HEADCOUNTS)
    period_strategy = periods(policy, obligation)
    refusals: list[Unsupported] = []

    @FEW
    @given(st.data())
    def check(data: st.DataObject) -> None:
        row = data.draw(row_strategy, "unit")
        period = data.draw(period_strategy, "period")
        as_of = after_due(policy, obligation, period)
        try:
            streams = satisfying(policy, obligation, row, period)
        except Unsupported as refused:
            refusals.append(refused)
            return
        stream = data.draw(streams, "stream")
        assert result(name, stream, row, obligation, period, as_of).status == "met"
        violation = data.draw(violating(policy, obligation, row, period), "violation")
        not_met(name, obligation, result(name, violation.events, row, obligation, period,
                                         as_of), violation)

    check()
    if refusals:
        refused = refusals[0]
        assert expected is not None, f"refused: {refused}"
        assert expected in refused.why, refused
        assert refused.obligation == obligation and refused.shape
    else:
        assert expected is None, f"{obligation} is solved now: drop it from UNSUPPORTED"


# ----------------------------------------------------------------------------- chosen cases

#: (policy, obligation, unit facts, period): the shapes the strategies solve, one each.
CASES = [
    # count(KIND where COND) >= N, a partial first quarter and a whole one
    ("yuzhong-2019", "文明单位在行动_2019", {"type": "文明校园", "staff": 15}, "2019Q2"),
    ("yuzhong-2019", "文明单位在行动_2019", {"type": "文明单位", "staff": 15}, "2019Q3"),
    # two requirements
    ("yuzhong-2019", "项目搭配_2019", {"type": "文明校园"}, "2019"),
    # coverage over a literal list, every later year
    ("yuzhong-2019", "项目搭配_以后年度", {"type": "文明校园"}, "2020"),
    # for each: a requirement on the trigger (a headcount band), a selection tied to it
    ("yuzhong-2019", "参与人数", {"type": "文明校园", "staff": st.integers(1, 150)}, "t1"),
    ("yuzhong-2019", "意外伤害保险", {}, "t1"),
    ("yuzhong-2019", "活动总结", {"type": "文明单位"}, "t1"),
    # every working day, exists
    ("yuzhong-2019", "门前三包", {"type": "文明校园"}, "2019-06-03"),
    # every month >= 2 (a cut June and a whole July)
    ("xindu-2017", "社区站每月活动", {"type": "社区"}, "2017-06"),
    ("xindu-2017", "社区站每月活动", {"type": "社区"}, "2017-07"),
    # coverage of two sets
    ("xindu-2017", "主题全覆盖", {"type": "社区"}, "2017"),
    # distinct values within a set, from all units, `site == unit.id`
    ("xindu-2017", "专业队伍进社区", {"type": "社区"}, "2017"),
    # `field == unit.field`
    ("xindu-2017", "专业培训", {"type": "区级部门", "field": "法律"}, "2017Q3"),
    # distinct persons against a share of a unit fact, a stock kind
    ("xindu-2017", "注册率_区级部门", {"type": "区级部门", "staff": st.integers(1, 30)},
     "2017-06-12..2017-12-31"),
    # avg(count(...) per month) >= 1
    ("binhai-2021", "行业分会每月活动", {"type": "行业分会"}, "2021"),
    # each 2nd saturday, from area
    ("binhai-2021", "学雷锋志愿服务日", {"type": "镇街"}, "2021-03-13"),
    # times of day
    ("binhai-2021", "文明交通", {"name": "区公安局"}, "2021-03-05"),
    # due at the end of the working day
    ("binhai-2021", "负责人联络表", {}, "2021-01-01..2021-12-31"),
    # every month on 2nd saturday
    ("bh10", "学雷锋志愿服务日", {}, "2021-03"),
]
CASE_IDS = [f"{c[0]}:{c[1]}:{c[3]}" for c in CASES]


def case_unit(name: str, obligation: str, facts: dict[str, Any]) -> st.SearchStrategy[
        dict[str, Any]]:
    return units(compiled(name), obligation=obligation, unit="u1", **facts)


@pytest.mark.parametrize(("name", "obligation", "facts", "period"), CASES, ids=CASE_IDS)
def test_satisfying_streams_are_met(
    name: str, obligation: str, facts: dict[str, Any], period: str
) -> None:
    policy = compiled(name)
    as_of = after_due(policy, obligation, period)

    @SOME
    @given(st.data())
    def check(data: st.DataObject) -> None:
        row = data.draw(case_unit(name, obligation, facts), "unit")
        stream = data.draw(satisfying(policy, obligation, row, period), "stream")
        found = result(name, stream, row, obligation, period, as_of)
        assert found.status == "met", (found.reason, stream)
        assert len({e["id"] for e in stream}) == len(stream)

    check()


@pytest.mark.parametrize(("name", "obligation", "facts", "period"), CASES, ids=CASE_IDS)
def test_violating_streams_are_never_met(
    name: str, obligation: str, facts: dict[str, Any], period: str
) -> None:
    policy = compiled(name)
    as_of = after_due(policy, obligation, period)
    requirements = [show(r) for r in policy.checked.obligation(obligation).requires]

    @SOME
    @given(st.data())
    def check(data: st.DataObject) -> None:
        row = data.draw(case_unit(name, obligation, facts), "unit")
        violation = data.draw(violating(policy, obligation, row, period), "violation")
        assert violation.how in (TOO_FEW, FAILS_CONDITION, OUTSIDE_WINDOW, OFF_DAY)
        assert (violation.conjunct is not None) == (violation.how == FAILS_CONDITION)
        assert any(violation.requirement in r for r in requirements), violation.requirement
        not_met(name, obligation,
                result(name, violation.events, row, obligation, period, as_of), violation)

    check()


@pytest.mark.parametrize(
    ("name", "obligation", "facts", "period"),
    [c for c in CASES if c[1] in ("社区站每月活动", "主题全覆盖", "行业分会每月活动", "参与人数",
                                  "意外伤害保险", "文明交通")],
)
def test_adding_events_to_a_satisfying_stream_keeps_it_met(
    name: str, obligation: str, facts: dict[str, Any], period: str
) -> None:
    policy = compiled(name)
    as_of = after_due(policy, obligation, period)
    window = policy.checked.obligation(obligation).window
    start = window.start - dt.timedelta(days=20)
    end = (window.end or window.start + dt.timedelta(days=365)) + dt.timedelta(days=20)

    @SOME
    @given(st.data())
    def check(data: st.DataObject) -> None:
        row = data.draw(case_unit(name, obligation, facts), "unit")
        stream = data.draw(satisfying(policy, obligation, row, period), "stream")
        others = data.draw(events(policy, units=[row["unit"], "邻居"], start=start, end=end,
                                  max_size=12, id_prefix="o"), "others")
        first = data.draw(st.booleans(), "others first")
        merged = others + stream if first else stream + others
        assert result(name, merged, row, obligation, period, as_of).status == "met"

    check()


def test_the_ways_of_violating_are_all_drawn() -> None:
    """Each way shows up: too few, a failed conjunct (named), outside the window, and —
    for `every … on PATTERN` — a day that does not qualify."""
    policy, row = compiled("bh10"), {"unit": "s1"}
    strategy = violating(policy, "学雷锋志愿服务日", row, "2021-03")
    as_of = after_due(policy, "学雷锋志愿服务日", "2021-03")
    for how in (TOO_FEW, FAILS_CONDITION, OUTSIDE_WINDOW, OFF_DAY):
        found = find(strategy, lambda v, how=how: v.how == how)
        assert result("bh10", found.events, row, "学雷锋志愿服务日", "2021-03",
                      as_of).status == "overdue"
        if how == FAILS_CONDITION:
            assert found.conjunct == "hours >= 1.5"
        if how == OFF_DAY:
            days = {dt.date.fromisoformat(e["at"][:10]) for e in found.events}
            assert all(d != dt.date(2021, 3, 13) for d in days)


def test_grouped_violations_name_their_group() -> None:
    policy = compiled("xindu-2017")
    row = {"unit": "c1", "type": "社区"}
    theme = find(violating(policy, "主题全覆盖", row, "2017"), lambda v: v.group == "残疾人")
    assert theme.requirement.startswith("count(activity from area) per theme in")
    per_month = find(
        violating(compiled("binhai-2021"), "行业分会每月活动", {"unit": "h", "type": "行业分会"},
                  "2021"),
        lambda v: v.how == TOO_FEW,
    )
    assert per_month.group is None  # on average over the year: no one month is short


# ----------------------------------------------------------------------------- rows and events


@pytest.mark.parametrize("name", NAMES)
def test_drawn_units_and_events_are_accepted(name: str) -> None:
    policy = compiled(name)
    checked = policy.checked
    start = checked.window.start

    @SOME
    @given(st.lists(units(policy), max_size=3, unique_by=lambda row: row["unit"]),
           events(policy, max_size=12))
    def check(rows: list[dict[str, Any]], stream: list[dict[str, Any]]) -> None:
        assert not read_units(checked, rows).rejected
        read = read_events(checked, stream, reader(name))
        assert not read.rejected, read.rejected
        assert len(read.events) == len(stream)
        for event in read.events:
            assert start <= event.day <= (checked.window.end or start + dt.timedelta(days=365))

    check()


@pytest.mark.parametrize("name", NAMES)
def test_units_for_an_obligation_are_in_its_scope(name: str) -> None:
    policy = compiled(name)
    obligations = [ob for ob in policy.obligations if ob.checked.applies]

    @SOME
    @given(st.data())
    def check(data: st.DataObject) -> None:
        ob = data.draw(st.sampled_from(obligations), "obligation")
        row = data.draw(units(policy, obligation=ob.name), "unit")
        unit_set = read_units(policy.checked, [row])
        evaluation = Evaluation(policy, [], unit_set, dt.datetime(2030, 1, 1, tzinfo=policy.zone))
        record = unit_set.units[row["unit"]]
        assert evaluation.applies(ob, row["unit"], record.facts_on, ob.window.start), row

    check()


def test_unit_and_event_arguments_are_checked() -> None:
    policy = compiled("xindu-2017")
    with pytest.raises(ValueError, match="not unit facts"):
        units(policy, typo="社区")
    with pytest.raises(ValueError, match="not event kinds"):
        events(policy, "activty")
    with pytest.raises(ValueError, match="no obligation"):
        satisfying(policy, "没有", "u1", "2017")
    with pytest.raises(ValueError, match="no period"):
        satisfying(policy, "社区站每月活动", {"unit": "u1", "type": "社区"}, "2016-01")
    with pytest.raises(Impossible, match="does not apply"):
        satisfying(policy, "社区站每月活动", {"unit": "u1", "type": "镇街"}, "2017-07")
    with pytest.raises(Impossible, match="target"):
        satisfying(policy, "注册率_区级部门", {"unit": "u1", "type": "区级部门"},
                   "2017-06-12..2017-12-31")  # `90% of unit.staff` without a staff count
    with pytest.raises(Impossible, match="every target is 0"):
        violating(policy, "注册率_区级部门", {"unit": "u1", "type": "区级部门", "staff": 0},
                  "2017-06-12..2017-12-31")


def test_unsupported_names_the_shape() -> None:
    with pytest.raises(Unsupported) as refused:
        satisfying(compiled("huizhou-2017"), "窗口单位站点", {"unit": "u", "type": "窗口单位"},
                   "2017-W30")
    assert refused.value.shape == 'latest(status of station) == "operating"'
    assert "窗口单位站点" in str(refused.value)


# ----------------------------------------------------------------------------- cut periods

CUT = """
event activity { hours: number }

policy p "cut periods" {
  effective 2021-06-15 .. 2021-12-31
  obligation 每季度三次 "每季度三次" {
    every quarter
    partial periods prorate
    require count(activity) >= 3
  }
  obligation 每月都有 "窗口内每月都有活动" {
    once
    require count(activity) per month >= 1
  }
  obligation 每周都有 "每月每周都有活动" {
    every month
    require count(activity where hours >= 1) per week >= 1
  }
}
"""
CUT_CASES = [
    # 2021Q2 is cut to 16 of its 91 days: 3 × 16/91 rounds up to 1 (language.md)
    ("每季度三次", "2021Q2"),
    ("每季度三次", "2021Q3"),
    # the cut first month of the window (06-15..06-30) is a group of its own
    ("每月都有", "2021-06-15..2021-12-31"),
    # the weeks that overlap the month, the cut first and last included
    ("每周都有", "2021-09"),
]


@functools.cache
def cut_policy() -> CompiledPolicy:
    return compile_policy(policyrules.parse(CUT, "cut.pol"))


@pytest.mark.parametrize(("obligation", "period"), CUT_CASES)
def test_cut_periods_and_groups(obligation: str, period: str) -> None:
    policy, row = cut_policy(), {"unit": "u1"}
    as_of = after_due(policy, obligation, period)

    def status(rows: list[dict[str, Any]]) -> str:
        report = evaluate(policy, rows, [row], as_of)
        (found,) = [r for r in report.filter(obligation=obligation) if r.period.label == period]
        return found.status

    @SOME
    @given(satisfying(policy, obligation, row, period), violating(policy, obligation, row, period))
    def check(stream: list[dict[str, Any]], violation: Violation) -> None:
        assert status(stream) == "met", stream
        assert status(violation.events) == "overdue", str(violation)

    check()


def test_a_prorated_cut_period_needs_its_share() -> None:
    policy = cut_policy()
    rows = [{"id": "a1", "unit": "u1", "kind": "activity", "at": "2021-06-20T09:00"}]
    report = evaluate(policy, rows, [{"unit": "u1"}], dt.date(2021, 7, 10))
    (found,) = [r for r in report.filter(obligation="每季度三次") if r.period.label == "2021Q2"]
    assert found.status == "met", found.reason


def test_a_prorated_target_read_from_the_unit_is_refused() -> None:
    text = CUT.replace("require count(activity) >= 3", "require count(activity) >= unit.staff")
    text = text.replace("event activity {", "units { staff: int }\nevent activity {")
    policy = policyrules.parse(text, "cut.pol")
    with pytest.raises(Unsupported, match="pro-rated"):
        satisfying(policy, "每季度三次", {"unit": "u1", "staff": 4}, "2021Q2")
    assert satisfying(policy, "每季度三次", {"unit": "u1", "staff": 4}, "2021Q3") is not None
