"""Hand-worked statuses for policies/yuzhong-2019.pol (YZ-1 … YZ-11).

Each test feeds a few events and units, written out below, to the public API
(`policyrules.load`, `policyrules.evaluate`) and asserts the exact status of each
result it expects, with the reason in a comment. Results are picked by obligation name and by
the id in `refs`. The statuses follow shared/spec/contract.md with T = as_of and D = due;
the policy warns 7 days ahead (`warn 7 days`). A date as as_of means the end of that day
(23:59:59), so a deadline at the end of the as_of day is not yet past.

The last tests check examples/yuzhong-2019: that generate.py reproduces its data and that the
data still evaluates to the statuses of the golden report.json.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

import policyrules
from policyrules.evaluation import evaluate
from policyrules.report.model import Result

ROOT = Path(__file__).resolve().parent.parent
POLICY = policyrules.load(ROOT / "policies" / "yuzhong-2019.pol")

D = dt.date
T = dt.datetime
POLICY_ZONE = dt.timezone(dt.timedelta(hours=8))  # Asia/Shanghai, for comparing `due`


def run(
    events: list[dict[str, Any]],
    units: list[dict[str, Any]],
    as_of: dt.date | dt.datetime,
    obligation: str,
    ref: str,
) -> list[Result]:
    """The results of one obligation (by name, carrying `ref`); no input may be rejected."""
    report = evaluate(POLICY, events, units, as_of=as_of)
    assert report.rejected == []
    found = [r for r in report.results if r.obligation == obligation]
    assert all(ref in r.refs for r in found), (obligation, ref)
    return found


def one(results: list[Result], label: str | None = None, unit: str | None = None) -> Result:
    """The one result for `label` (a period label or a triggering event's id) and `unit`."""
    found = [
        r
        for r in results
        if (label is None or r.period.label == label) and (unit is None or r.unit == unit)
    ]
    assert len(found) == 1, [(r.unit, r.period.label, r.status) for r in results]
    return found[0]


def titled(unit: str, staff: int = 40, kind: str = "文明单位") -> dict[str, Any]:
    return {"unit": unit, "name": unit, "type": kind, "staff": staff}


def act(
    ident: str, unit: str, at: str, category: str | None = "必选", hours: float = 2,
    participants: int = 10, **more: Any,
) -> dict[str, Any]:
    """An activity; with a category it is a 文明单位在行动 activity (`yz_action`)."""
    event = {"id": ident, "unit": unit, "kind": "activity", "at": at, "hours": hours,
             "participants": participants, **more}
    if category is not None:
        event["category"] = category
    return event


def report(ident: str, unit: str, at: str, form: str, **more: Any) -> dict[str, Any]:
    return {"id": ident, "unit": unit, "kind": "report", "at": at, "form": form, **more}


# ----------------------------------------------------------------------------- YZ-1


def test_yz1_one_activity_a_quarter_of_2019() -> None:
    units = [titled("u")]
    events = [
        act("a0", "u", "2019-05-10T09:00"),  # before the notice (05-22): Q2 is cut at 05-22
        act("a1", "u", "2019-06-01T09:00", hours=1),  # exactly 1 hour: enough
        act("a2", "u", "2019-08-03T09:00", category="自选", hours=0.5),  # too short
        act("a3", "u", "2019-09-07T09:00", category=None),  # no category: not 文明单位在行动
    ]
    found = run(events, units, D(2019, 11, 15), "文明单位在行动_2019", "YZ-1")
    assert [r.period.label for r in found] == ["2019Q2", "2019Q3", "2019Q4"]
    q2 = one(found, "2019Q2")
    # the cut quarter runs from the notice's date and still needs its one activity
    assert (q2.period.start, q2.period.end) == (D(2019, 5, 22), D(2019, 6, 30))
    assert (q2.status, q2.required, q2.actual, q2.evidence) == ("met", 1, 1, ["a1"])
    # Q3: a half-hour activity and one without a category do not count; past 09-30
    q3 = one(found, "2019Q3")
    assert (q3.status, q3.required, q3.actual) == ("overdue", 1, 0)
    # Q4: due 12-31, 46 days away, beyond the 7-day horizon
    assert one(found, "2019Q4").status == "pending"


@pytest.mark.parametrize(
    ("as_of", "extra", "status"),
    [
        (D(2019, 12, 26), [], "at_risk"),  # due 12-31 23:59 is 5 days away: within 7 days
        (D(2019, 12, 31), [], "at_risk"),  # as_of is the end of 12-31: D itself, not past
        (D(2019, 12, 31), [act("q4", "u", "2019-12-27T09:00")], "met"),
        (D(2020, 1, 2), [], "overdue"),  # past D, nothing in Q4 (no `accept late`)
        (D(2020, 1, 2), [act("q4", "u", "2020-01-01T09:00")], "overdue"),  # after the quarter
    ],
)
def test_yz1_the_last_quarter_in_time(
    as_of: dt.date, extra: list[dict[str, Any]], status: str
) -> None:
    found = run(extra, [titled("u")], as_of, "文明单位在行动_2019", "YZ-1")
    assert one(found, "2019Q4").status == status


def test_yz1_binds_only_titled_units() -> None:
    units = [titled("school", kind="学校"), titled("campus", kind="文明校园")]
    found = run([], units, D(2019, 7, 1), "文明单位在行动_2019", "YZ-1")
    # a school without the title has no part 一 result; the 文明校园 has 2019Q2 and 2019Q3
    assert {(r.unit, r.period.label) for r in found} == {
        ("campus", "2019Q2"), ("campus", "2019Q3")
    }


# ----------------------------------------------------------------------------- YZ-2


def test_yz2_one_a_quarter_from_2020() -> None:
    units = [titled("done"), titled("none")]
    events = [
        act("old", "done", "2019-12-06T09:00"),  # 2019's: no instance of YZ-2 in 2019
        act("new", "done", "2020-01-04T09:00", category="自选", hours=1.5),
    ]
    found = run(events, units, D(2020, 1, 15), "文明单位在行动_以后年度", "YZ-2")
    # from 2020-01-01 only: one instance per unit, 2020Q1 (later quarters not started)
    assert sorted((r.unit, r.period.label) for r in found) == [
        ("done", "2020Q1"), ("none", "2020Q1")
    ]
    done = one(found, unit="done")
    assert (done.status, done.actual, done.evidence) == ("met", 1, ["new"])
    none = one(found, unit="none")
    # due 2020-03-31, 76 days away: pending; 1 more activity needed
    assert (none.status, none.required, none.actual) == ("pending", 1, 0)


@pytest.mark.parametrize(
    ("as_of", "q1", "q2"),
    [
        (D(2020, 3, 27), "at_risk", None),  # 4 days before 03-31
        (D(2020, 4, 1), "overdue", "pending"),  # Q1 past; Q2 has started, due 06-30
    ],
)
def test_yz2_time_based(as_of: dt.date, q1: str, q2: str | None) -> None:
    found = run([], [titled("u")], as_of, "文明单位在行动_以后年度", "YZ-2")
    assert one(found, "2020Q1").status == q1
    if q2 is None:
        assert [r.period.label for r in found] == ["2020Q1"]
    else:
        assert one(found, "2020Q2").status == q2


# ----------------------------------------------------------------------------- YZ-3


@pytest.mark.parametrize(
    ("staff", "participants", "required", "status"),
    [
        (5, 1, 1, "met"),  # 10% of 5 = 0.5 → rounds up to 1
        (8, 1, 1, "met"),  # 0.8 → 1
        (15, 1, 2, "overdue"),  # 15 staff: 10% → 1.5 → rounds up to 2; 1 participant is short
        (15, 2, 2, "met"),
        (20, 2, 2, "met"),  # 20 is in the first row ("20人以下"): 10% → 2
        (21, 2, 3, "overdue"),  # 21–50 → 3
        (50, 3, 3, "met"),
        (51, 4, 5, "overdue"),  # 51–100 → 5
        (100, 5, 5, "met"),
        (101, 7, 8, "overdue"),  # more than 100 → 8
        (150, 8, 8, "met"),
    ],
)
def test_yz3_headcount_band(staff: int, participants: int, required: int, status: str) -> None:
    events = [act("a", "u", "2019-06-01T09:00", participants=participants)]
    found = run(events, [titled("u", staff)], D(2019, 6, 30), "参与人数", "YZ-3")
    result = one(found, "a")
    # checked at the activity itself (no `due`): past it, so met or overdue
    assert (result.status, result.required, result.actual) == (status, required, participants)


def test_yz3_staff_count_on_the_day_of_the_activity() -> None:
    units = [titled("u", 20), {**titled("u", 22), "valid_from": "2019-09-01"}]
    events = [
        act("june", "u", "2019-06-01T09:00", participants=2),  # 20 staff: 10% → 2
        act("nov", "u", "2019-11-01T09:00", participants=2),  # 22 staff from 09-01: needs 3
        act("free", "u", "2019-11-02T09:00", category=None, participants=1),  # no category
    ]
    found = run(events, units, D(2019, 12, 31), "参与人数", "YZ-3")
    assert [r.period.label for r in found] == ["june", "nov"]  # not the volunteer activity
    assert (one(found, "june").status, one(found, "june").required) == ("met", 2)
    nov = one(found, "nov")
    assert (nov.status, nov.required, nov.actual) == ("overdue", 3, 2)


def test_yz3_not_before_the_unit_is_titled() -> None:
    units = [titled("u", 33, "学校"), {**titled("u", 33), "valid_from": "2019-09-01"}]
    events = [
        act("june", "u", "2019-06-01T09:00", participants=1),  # a 学校 then: not bound
        act("sep", "u", "2019-09-07T09:00", participants=1),  # 文明单位 of 33: needs 3
    ]
    found = run(events, units, D(2019, 12, 31), "参与人数", "YZ-3")
    assert [(r.period.label, r.status, r.required) for r in found] == [("sep", "overdue", 3)]


# ----------------------------------------------------------------------------- YZ-4


def test_yz4_the_2019_mix() -> None:
    units = [titled("mix"), titled("free"), titled("open")]
    events = [
        # 2 必选 (the same content twice is allowed) and 1 自选: met
        act("m1", "mix", "2019-06-01T09:00", theme="礼让斑马线"),
        act("m2", "mix", "2019-09-07T09:00", theme="礼让斑马线"),
        act("m3", "mix", "2019-11-02T09:00", category="自选"),
        # 3 自选 and a 必选 of half an hour: 0 必选 that count
        act("f1", "free", "2019-06-01T09:00", category="自选"),
        act("f2", "free", "2019-09-07T09:00", category="自选"),
        act("f3", "free", "2019-11-02T09:00", category="自选"),
        act("f4", "free", "2019-12-07T09:00", hours=0.5),
        # 2 必选, the 自选 not yet held
        act("o1", "open", "2019-06-01T09:00"),
        act("o2", "open", "2019-09-07T09:00"),
    ]
    found = run(events, units, D(2020, 1, 15), "项目搭配_2019", "YZ-4")
    mix = one(found, "2019", "mix")
    assert (mix.status, mix.period.start) == ("met", D(2019, 5, 22))
    free = one(found, "2019", "free")
    # the first failing requirement is reported: 必选 ≥ 2, found 0
    assert (free.status, free.required, free.actual) == ("overdue", 2, 0)
    assert one(found, "2019", "open").status == "overdue"
    # the same unit on 12-28: due 12-31 is 3 days away, the 自选 is missing
    early = one(run(events, units, D(2019, 12, 28), "项目搭配_2019", "YZ-4"), "2019", "open")
    assert (early.status, early.required, early.actual) == ("at_risk", 1, 0)


def test_yz4_later_years_two_of_each() -> None:
    units = [titled("full"), titled("short")]
    events = [
        act("a1", "full", "2020-03-06T09:00"),
        act("a2", "full", "2020-06-05T09:00", category="自选"),
        act("a3", "full", "2020-09-04T09:00"),
        act("a4", "full", "2020-12-04T09:00", category="自选"),
        act("b1", "short", "2020-03-06T09:00"),
        act("b2", "short", "2020-06-05T09:00", category="自选"),
        act("b3", "short", "2020-09-04T09:00"),
    ]
    found = run(events, units, D(2021, 1, 5), "项目搭配_以后年度", "YZ-4")
    # 2019 is the other obligation's: this one has 2020 and 2021
    assert sorted(r.period.label for r in found if r.unit == "full") == ["2020", "2021"]
    assert one(found, "2020", "full").status == "met"
    short = one(found, "2020", "short")
    # 必选 2, 自选 1: the smallest group is reported against the 2 needed
    assert (short.status, short.required, short.actual) == ("overdue", 2, 1)
    # mid-2020 the short unit is still in time: due 2020-12-31
    mid = one(run(events, units, D(2020, 6, 30), "项目搭配_以后年度", "YZ-4"), "2020", "short")
    assert mid.status == "pending"


# ----------------------------------------------------------------------------- YZ-5


def test_yz5_first_friday_or_first_saturday_advisory() -> None:
    events = [
        act("fri", "u", "2019-06-07T09:00"),  # first Friday of June (a 端午 day off: allowed)
        act("sat", "u", "2019-09-07T09:00"),  # first Saturday of September
        act("makeup", "u", "2019-09-29T09:00", category="自选"),  # a makeup working day (Sunday)
        act("second", "u", "2019-10-12T09:00"),  # makeup Saturday, but the second Saturday
        act("free", "u", "2019-10-15T09:00", category=None),  # no category: not checked
    ]
    found = run(events, [titled("u")], D(2019, 12, 31), "活动时间", "YZ-5")
    assert {r.period.label: r.status for r in found} == {
        "fri": "met", "sat": "met", "makeup": "overdue", "second": "overdue",
    }
    # 一般可选择: advisory, so its overdue results never count as a must obligation's
    assert {r.severity for r in found} == {"advisory"}
    report = evaluate(POLICY, events, [titled("u")], as_of=D(2019, 12, 31))
    must = [r for r in report.results if r.status == "overdue" and r.severity == "must"]
    assert report.summary.must_overdue == len(must)
    assert not any(r.obligation == "活动时间" for r in must)


# ----------------------------------------------------------------------------- YZ-6


def check(ident: str, at: str, passed: bool = True) -> dict[str, Any]:
    return {"id": ident, "unit": "u", "kind": "inspection", "at": at, "passed": passed}


def test_yz6_every_working_day_around_national_day() -> None:
    days = [D(2019, 9, 23) + dt.timedelta(days=n) for n in range(21)]  # 09-23 … 10-13
    events = [
        check(f"c{d:%m%d}", f"{d}T08:10")
        for d in days
        if d not in (D(2019, 9, 29), D(2019, 10, 8), D(2019, 10, 9))
    ]
    events += [
        check("c1008a", "2019-10-08T08:10", passed=False),
        check("c1008b", "2019-10-08T16:30"),  # a re-check that passed makes the day good
        check("c1009", "2019-10-09T08:10", passed=False),  # failed, no re-check
    ]
    # 10-14 (a Monday) at noon: no check yet today
    found = run(events, [titled("u")], T(2019, 10, 14, 12, 0), "门前三包", "YZ-6")
    window = {
        r.period.label: r.status for r in found if "2019-09-28" <= r.period.label <= "2019-10-14"
    }
    assert window == {
        # 09-28 is a Saturday off; 09-29 (Sunday) and 10-12 (Saturday) are makeup working
        # days; 10-01 … 10-07 are the 国庆 days off, 10-13 a Sunday: no instance on those
        "2019-09-29": "overdue",  # a working day without a check
        "2019-09-30": "met",
        "2019-10-08": "met",
        "2019-10-09": "overdue",
        "2019-10-10": "met",
        "2019-10-11": "met",
        "2019-10-12": "met",
        "2019-10-14": "at_risk",  # due at the end of today, within the horizon
    }
    # the first instance is the notice's day, a Wednesday; nothing checked before 09-23
    assert found[0].period.label == "2019-05-22"
    assert one(found, "2019-05-22").status == "overdue"


def test_yz6_binds_titled_units_only_and_knows_its_calendar() -> None:
    units = [titled("u"), titled("school", kind="学校")]
    found = run([], units, D(2027, 1, 4), "门前三包", "YZ-6")
    assert {r.unit for r in found} == {"u"}
    # 2027's working days depend on a State Council schedule the engine does not have
    late = [r for r in found if r.period.label >= "2027-01-01"]
    assert late and {r.status for r in late} == {"indeterminate"}
    assert "2027" in late[0].reason


# ----------------------------------------------------------------------------- YZ-7


def test_yz7_the_plan_in_may_2019() -> None:
    units = [titled("in_time"), titled("late"), titled("none"), titled("school", kind="学校")]
    events = [
        report("p1", "in_time", "2019-05-31T22:00", "活动计划"),  # "本月": the end of May 31
        report("p2", "late", "2019-06-03T10:00", "活动计划"),
        report("x", "none", "2019-05-28T10:00", "活动总结"),  # another form does not count
    ]
    found = run(events, units, D(2019, 6, 15), "年度活动安排", "YZ-7")
    assert {r.unit: r.status for r in found} == {
        "in_time": "met",
        "late": "late",  # `accept late`: after 05-31, still delivered
        "none": "overdue",
    }  # and no result for the untitled school
    assert one(found, unit="in_time").evidence == ["p1"]
    assert one(found, unit="late").due == T(2019, 5, 31, 23, 59, 59, tzinfo=POLICY_ZONE)


@pytest.mark.parametrize(
    ("as_of", "status"),
    [
        (T(2019, 5, 22, 9, 0), "pending"),  # 9 days 15 hours before 05-31 23:59: beyond 7 days
        (D(2019, 5, 25), "at_risk"),  # 6 days before
    ],
)
def test_yz7_before_the_deadline(as_of: dt.date, status: str) -> None:
    assert one(run([], [titled("u")], as_of, "年度活动安排", "YZ-7")).status == status


def test_yz7_a_plan_sent_in_2020_does_not_serve_2019() -> None:
    events = [report("p", "u", "2020-01-05T10:00", "活动计划")]
    found = run(events, [titled("u")], D(2020, 1, 15), "年度活动安排", "YZ-7")
    # the window is 2019-05-22 .. 2019-12-31: late delivery counts until it closes, and a
    # plan of 2020 comes after: 2019 stays overdue
    assert one(found).status == "overdue"


# ----------------------------------------------------------------------------- YZ-8


def summary(ident: str, ref: str, at: str, photos: list[float] | None) -> dict[str, Any]:
    event = report(ident, "u", at, "活动总结", ref=ref)
    if photos is not None:
        event.update(photo_mb=photos, photo_format=["jpg"] * len(photos))
    return event


def test_yz8_a_summary_with_photos_after_each_activity() -> None:
    events = [
        act("a1", "u", "2019-06-01T09:00"),
        summary("s1", "a1", "2019-06-04T16:00", [1.5, 2.0]),  # 3 days after: in time
        act("a2", "u", "2019-07-06T09:00", category="自选"),
        summary("s2", "a2", "2019-07-20T16:00", [1.5]),  # due 07-13: late
        act("a3", "u", "2019-09-06T09:00"),
        summary("s3", "a3", "2019-09-07T16:00", None),  # no photos: does not count
        act("a4", "u", "2019-11-01T09:00", category="自选"),
        summary("s4", "a4", "2019-11-02T16:00", [0.8]),  # 0.8 MB: YZ sets no size rule
        act("a5", "u", "2019-11-02T09:00"),
        summary("s5", "a4", "2019-11-03T16:00", [1.2]),  # names a4, not a5
        act("v", "u", "2019-11-09T09:00", category=None),  # a volunteer activity: not checked
    ]
    found = run(events, [titled("u")], D(2020, 1, 15), "活动总结", "YZ-8")
    assert {r.period.label: r.status for r in found} == {
        "a1": "met", "a2": "late", "a3": "overdue", "a4": "met", "a5": "overdue",
    }
    # due 7 days after the activity, at the end of that day (the policy's assumption)
    assert one(found, "a2").due == T(2019, 7, 13, 23, 59, 59, tzinfo=POLICY_ZONE)
    assert one(found, "a2").evidence == ["s2"]


@pytest.mark.parametrize(
    ("as_of", "status"),
    [
        (T(2019, 6, 7, 12, 0), "pending"),  # due 06-14 23:59:59: 7 days 12 hours away
        (D(2019, 6, 10), "at_risk"),  # 4 days away
        (D(2019, 6, 15), "overdue"),
    ],
)
def test_yz8_time_based(as_of: dt.date, status: str) -> None:
    events = [act("a", "u", "2019-06-07T09:00")]
    assert one(run(events, [titled("u")], as_of, "活动总结", "YZ-8")).status == status


def test_yz8_at_risk_reason_says_days_are_left() -> None:
    events = [act("a", "u", "2019-06-07T09:00")]
    result = one(run(events, [titled("u")], D(2019, 6, 10), "活动总结", "YZ-8"))
    assert result.status == "at_risk"  # right: due 06-14, within 7 days
    assert "no qualifying day is left" not in result.reason  # 06-11 … 06-14 are left


# ----------------------------------------------------------------------------- YZ-9


def appoint(ident: str, unit: str, at: str, role: str, person: str) -> dict[str, Any]:
    return {"id": ident, "unit": unit, "kind": "appointment", "at": at, "role": role,
            "person": person}


def test_yz9_named_and_reported_by_may_27() -> None:
    units = [titled("a"), titled("b"), titled("c"), titled("d", kind="学校")]
    events = [
        appoint("a1", "a", "2019-05-23T09:00", "负责人", "pa1"),
        appoint("a2", "a", "2019-05-23T09:00", "管理员", "pa2"),
        report("af", "a", "2019-05-27T23:00", "管理员信息表"),  # 5月27日前: the whole day
        # appointed before the notice (appointments hold until replaced), form in time
        appoint("b1", "b", "2019-03-01T09:00", "负责人", "pb1"),
        appoint("b2", "b", "2019-03-01T09:00", "管理员", "pb2"),
        report("bf", "b", "2019-05-24T10:00", "管理员信息表"),
        appoint("c1", "c", "2019-05-23T09:00", "负责人", "pc1"),
        appoint("c2", "c", "2019-05-23T09:00", "管理员", "pc2"),
        report("cf", "c", "2019-05-28T09:00", "管理员信息表"),  # a day late
        # part 二 binds every unit of the committee, the untitled school too: no 管理员
        appoint("d1", "d", "2019-05-23T09:00", "负责人", "pd1"),
        report("df", "d", "2019-05-24T10:00", "管理员信息表"),
    ]
    found = run(events, units, D(2019, 6, 15), "团体负责人和管理员", "YZ-9")
    assert {r.unit: r.status for r in found} == {
        "a": "met", "b": "met", "c": "late", "d": "overdue",
    }
    assert one(found, unit="a").evidence == ["a1", "a2", "af"]


def test_yz9_at_risk_in_the_first_days() -> None:
    # on 05-23 nothing is in; due 05-27 is 4 days away
    assert one(run([], [titled("u")], D(2019, 5, 23), "团体负责人和管理员", "YZ-9")).status == (
        "at_risk"
    )


def test_yz9_leader_and_administrator_differ_advisory() -> None:
    units = [titled("same"), titled("two")]
    events = [
        appoint("s1", "same", "2019-05-23T09:00", "负责人", "p1"),
        appoint("s2", "same", "2019-05-23T09:00", "管理员", "p1"),
        appoint("t1", "two", "2019-05-23T09:00", "负责人", "p2"),
        appoint("t2", "two", "2019-05-23T09:00", "管理员", "p3"),
    ]
    found = run(events, units, D(2020, 1, 15), "负责人管理员不重合", "YZ-9")
    assert {(r.unit, r.period.label): r.status for r in found} == {
        ("same", "2019"): "overdue",  # one person in both roles; 一般不重合: advisory
        ("same", "2020"): "pending",  # 2020 is due 2020-12-31
        ("two", "2019"): "met",
        ("two", "2020"): "met",
    }
    assert {r.severity for r in found} == {"advisory"}


# ----------------------------------------------------------------------------- YZ-10


def test_yz10_hours_recorded_for_every_activity() -> None:
    units = [titled("u"), titled("school", kind="学校")]
    events = [
        act("yes", "u", "2019-06-01T09:00", hours_recorded=True),
        act("no", "u", "2019-09-07T09:00", hours_recorded=False),
        act("missing", "u", "2019-10-19T09:00"),  # not said: it does not count as recorded
        # every activity, of every unit: a volunteer activity of an untitled school too
        act("school", "school", "2019-06-15T09:00", category=None, hours_recorded=True),
    ]
    found = run(events, units, D(2019, 12, 31), "记录时长", "YZ-10")
    assert {r.period.label: r.status for r in found} == {
        "yes": "met", "no": "overdue", "missing": "overdue", "school": "met",
    }


# ----------------------------------------------------------------------------- YZ-11


def insure(ident: str, at: str, ref: str) -> dict[str, Any]:
    return {"id": ident, "unit": "u", "kind": "insurance", "at": at, "ref": ref}


def test_yz11_insured_before_a_risky_activity() -> None:
    events = [
        act("a1", "u", "2019-09-07T09:00", risky=True),
        insure("i1", "2019-09-06T15:00", "a1"),  # the day before: met
        act("a2", "u", "2019-10-12T09:00", risky=True),
        insure("i2", "2019-10-12T17:00", "a2"),  # the same day, after the activity
        act("a3", "u", "2019-11-02T09:00", risky=True),
        insure("i3", "2019-11-01T15:00", "a1"),  # bought, but for another activity
        act("a4", "u", "2019-12-07T09:00", risky=False),  # no risk: not checked
    ]
    found = run(events, [titled("u")], D(2019, 12, 31), "意外伤害保险", "YZ-11")
    assert {r.period.label: r.status for r in found} == {
        "a1": "met", "a2": "overdue", "a3": "overdue",
    }
    assert one(found, "a1").evidence == ["i1"]
