"""Hand-worked statuses for policies/puer-2020.pol (普文明委发〔2020〕18号), PE-1 … PE-8.

The notice takes effect on 2020-07-18 with no end (试行). Yearly obligations start with a cut
2020 (07-18 … 12-31) checked with the full target (`partial periods count`), except PE-4,
which counts the whole calendar year 2020 (`partial periods whole`), and PE-1, whose first
deadline is 2021-03-20. A date as `as_of` means the end of that day (23:59:59): on the last
day of a year, a yearly deadline of that day has not yet passed, so an unmet one is `at_risk`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from hand_worked import by_label, ev, statuses, units_with

import policyrules
from policyrules.evaluation import evaluate
from policyrules.report.model import Report

ROOT = Path(__file__).resolve().parent.parent
POLICY = policyrules.load(ROOT / "policies" / "puer-2020.pol")
ZONE = dt.timezone(dt.timedelta(hours=8))
LOSS = "取消本单位精神文明创建活动申报（复审）评比资格"

UNITS: list[dict[str, Any]] = [
    {"unit": "lg", "name": "普洱市志愿服务工作协调领导小组", "type": "领导小组"},
    {"unit": "zx", "name": "市志愿服务发展指导中心", "type": "办事机构"},
    {"unit": "m1", "name": "市民政局", "type": "成员单位"},
    {"unit": "m2", "name": "团市委", "type": "成员单位"},
    {"unit": "m3", "name": "市文联", "type": "成员单位"},
    {"unit": "m4", "name": "市妇联", "type": "成员单位"},
    {"unit": "xq", "name": "思茅区文明委", "type": "县区文明委"},
    # a college (一、（三）13), a member unit too; the autumn 2021 intake raises its students
    {"unit": "col", "name": "普洱学院", "type": "成员单位", "students": 3, "staff": 2,
     "valid_from": "2019-09-01"},
    {"unit": "col", "name": "普洱学院", "type": "成员单位", "students": 4, "staff": 2,
     "valid_from": "2021-09-01"},
    {"unit": "col2", "name": "普洱卫生学校", "type": "成员单位", "students": 1, "staff": 1},
]


def run(events: list[dict[str, Any]], as_of: dt.date | dt.datetime,
        units: list[dict[str, Any]] | None = None) -> Report:
    report = evaluate(POLICY, events, UNITS if units is None else units, as_of=as_of)
    assert report.rejected == [], report.rejected
    return report


MEMBERS = {"m1", "m2", "m3", "m4", "col", "col2"}


# ----------------------------------------------------------------------------- PE-1


def test_pe1_work_plan_by_march_20() -> None:
    events = [
        ev("p1", "m1", "report", "2021-03-10T10:00", form="工作计划", period="2021"),
        ev("p2", "m2", "report", "2021-04-02T10:00", form="工作计划", period="2021"),
        ev("p3", "m4", "report", "2021-03-20T16:00", form="工作计划", period="2021"),
        ev("x3", "m3", "report", "2021-03-01T10:00", form="工作总结", period="2020"),
    ]
    report = run(events, dt.date(2021, 12, 31))
    assert statuses(report, "工作计划", "m1") == {"2021": "met"}
    # no 2020 instance: the 2020 deadline had passed when the notice came out
    assert statuses(report, "工作计划", "m2") == {"2021": "late"}  # accept late: 04-02
    assert statuses(report, "工作计划", "m4") == {"2021": "met"}  # 03-20 itself: "3月20日前"
    assert statuses(report, "工作计划", "m3") == {"2021": "overdue"}  # a 工作总结 is no plan
    result = by_label(report, "工作计划", "m1")["2021"]
    assert result.due == dt.datetime(2021, 3, 20, 23, 59, 59, tzinfo=ZONE)
    assert result.evidence == ["p1"]
    # only member units owe plans (the five colleges are member units too)
    assert units_with(report, "工作计划") == MEMBERS


def test_pe1_pending_then_at_risk_before_the_deadline() -> None:
    assert statuses(run([], dt.date(2021, 2, 1)), "工作计划", "m1") == {"2021": "pending"}
    # 03-15: five days before 03-20, inside the 7-day horizon
    assert statuses(run([], dt.date(2021, 3, 15)), "工作计划", "m1") == {"2021": "at_risk"}


# ----------------------------------------------------------------------------- PE-2


def test_pe2_yearly_report_by_december_20() -> None:
    events = [
        ev("s1", "m1", "report", "2020-12-18T10:00", form="工作总结", period="2020"),
        ev("s2", "m2", "report", "2020-12-21T09:00", form="年度总结", period="2020"),
        # before the notice (07-18): outside the cut 2020 window, so it does not count
        ev("s4", "m4", "report", "2020-06-30T10:00", form="工作总结", period="2019"),
        ev("s5", "m3", "report", "2020-12-10T10:00", form="信息", period="2020"),
    ]
    report = run(events, dt.date(2021, 1, 31))
    assert statuses(report, "年度工作情况", "m1")["2020"] == "met"
    assert statuses(report, "年度工作情况", "m2")["2020"] == "late"  # a day after 12-20
    assert statuses(report, "年度工作情况", "m3")["2020"] == "overdue"  # an item, no report
    assert statuses(report, "年度工作情况", "m4")["2020"] == "overdue"
    first = by_label(report, "年度工作情况", "m1")["2020"]
    assert (first.period.start, first.period.end) == (dt.date(2020, 7, 18), dt.date(2020, 12, 31))
    assert first.due == dt.datetime(2020, 12, 20, 23, 59, 59, tzinfo=ZONE)
    # 2021 has started; its report is due 2021-12-20, far off
    assert statuses(report, "年度工作情况", "m1")["2021"] == "pending"


def test_pe2_at_risk_in_the_week_before_december_20() -> None:
    report = run([], dt.date(2021, 12, 15))
    assert statuses(report, "年度工作情况", "m1") == {"2020": "overdue", "2021": "at_risk"}


# ----------------------------------------------------------------------------- PE-3


def info(ident: str, unit: str, day: str) -> dict[str, Any]:
    return ev(ident, unit, "report", f"{day}T10:00", form="信息")


def test_pe3_at_least_four_information_items_a_year() -> None:
    events = [
        *(info(f"a{i}", "m1", d) for i, d in enumerate(
            ["2020-07-20", "2020-09-01", "2020-10-01", "2020-12-01"])),
        *(info(f"b{i}", "m2", d) for i, d in enumerate(["2020-08-01", "2020-09-01", "2020-11-01"])),
        # two in June 2020 (before the notice) and two after: only the two after count
        *(info(f"c{i}", "m3", d) for i, d in enumerate(
            ["2020-06-03", "2020-06-24", "2020-08-05", "2020-10-05"])),
    ]
    report = run(events, dt.date(2021, 1, 1))
    m1 = by_label(report, "信息报送", "m1")["2020"]
    m2 = by_label(report, "信息报送", "m2")["2020"]
    m3 = by_label(report, "信息报送", "m3")["2020"]
    assert (m1.status, m1.required, m1.actual) == ("met", 4, 4)
    assert (m2.status, m2.required, m2.actual) == ("overdue", 4, 3)  # 3 is not 4
    # the cut year keeps the full target of 4 (`partial periods count`), over 07-18 … 12-31
    assert (m3.status, m3.required, m3.actual) == ("overdue", 4, 2)
    assert sorted(m3.evidence) == ["c2", "c3"]


def test_pe3_pending_mid_year_and_at_risk_in_the_last_week() -> None:
    events = [info(f"a{i}", "m1", d) for i, d in enumerate(["2021-02-01", "2021-05-01"])]
    mid = by_label(run(events, dt.date(2021, 6, 30)), "信息报送", "m1")["2021"]
    assert (mid.status, mid.actual) == ("pending", 2)  # due 12-31, half a year left
    end = by_label(run(events, dt.date(2021, 12, 25)), "信息报送", "m1")["2021"]
    assert end.status == "at_risk"  # 2 of 4 and due within 7 days


# ----------------------------------------------------------------------------- PE-4


def meeting(ident: str, day: str, kind: str) -> list[dict[str, Any]]:
    """A meeting of the group and its minutes two days later (so PE-5 is met)."""
    minutes_day = dt.date.fromisoformat(day) + dt.timedelta(days=2)
    return [ev(ident, "lg", "meeting", f"{day}T09:30", type=kind),
            ev(f"{ident}-jy", "zx", "minutes", f"{minutes_day}T17:00", ref=ident)]


def test_pe4_one_or_two_plenary_meetings_a_year() -> None:
    events = [
        # 2020: three plenaries (one before the notice, counted: `partial periods whole`)
        *meeting("h1", "2020-05-15", "全体会议"),
        *meeting("h2", "2020-08-20", "全体会议"),
        *meeting("h3", "2020-09-24", "专题会议"),  # not a plenary
        *meeting("h4", "2020-12-18", "全体会议"),
        # 2021: one
        *meeting("h5", "2021-03-16", "全体会议"),
        *meeting("h6", "2021-06-10", "专题会议"),
    ]
    report = run(events, dt.date(2022, 1, 1), units=UNITS[:2])  # the group and its office
    year = by_label(report, "全体会议", "lg")
    # three is more than 一至两次: a deviation, reported once the year is over
    assert (year["2020"].status, year["2020"].required, year["2020"].actual) == (
        "overdue", 1, 3)
    assert (year["2020"].period.start, year["2020"].period.end) == (
        dt.date(2020, 1, 1), dt.date(2020, 12, 31))
    assert sorted(year["2020"].evidence) == ["h1", "h2", "h4"]
    assert (year["2021"].status, year["2021"].actual) == ("met", 1)
    assert year["2022"].status == "pending"  # started today, nothing yet, a year to go
    assert {r.severity for r in year.values()} == {"advisory"}  # 一般: advice
    # only the leading group holds them; its minutes are all there (PE-5 met), so the only
    # overdue result is the advisory one, which is never counted as overdue
    assert units_with(report, "全体会议") == {"lg"}
    assert [r.obligation for r in report.results if r.status == "overdue"] == ["全体会议"]
    assert report.summary.must_overdue == 0


def test_pe4_a_year_without_a_plenary() -> None:
    report = run(meeting("h1", "2021-04-01", "专题会议"), dt.date(2022, 1, 1))
    year = by_label(report, "全体会议", "lg")["2021"]
    assert (year.status, year.required, year.actual) == ("overdue", 1, 0)
    assert year.severity == "advisory"


# ----------------------------------------------------------------------------- PE-5


def test_pe5_minutes_after_each_meeting() -> None:
    events = [
        ev("h0", "lg", "meeting", "2020-05-15T09:30", type="全体会议"),  # before the notice
        ev("h1", "lg", "meeting", "2020-08-20T09:30", type="全体会议"),
        ev("j1", "zx", "minutes", "2020-08-25T17:00", ref="h1"),  # by the 指导中心
        ev("h2", "lg", "meeting", "2020-09-24T09:30", type="专题会议"),
        ev("j2", "lg", "minutes", "2020-10-05T17:00", ref="h2"),  # 11 days after
        ev("h3", "lg", "meeting", "2020-11-12T09:30", type="专题会议"),  # no minutes
        ev("j9", "zx", "minutes", "2020-11-13T17:00", ref="h1"),  # about another meeting
        ev("h4", "zx", "meeting", "2020-11-20T09:30", type="专题会议"),  # not the group's
    ]
    report = run(events, dt.date(2021, 1, 31))
    found = {r.trigger: r for r in report.results if r.obligation == "会议纪要"}
    assert {t: r.status for t, r in found.items()} == {
        "h1": "met",  # minutes 5 days after; whichever unit recorded them (from all units)
        "h2": "late",  # accept late: minutes, but after the 7 days
        "h3": "overdue",  # none (j9 names h1)
        # h0 predates the notice; h4 is a meeting of the office, not of the leading group
    }
    assert found["h1"].evidence == ["j1"]
    # due 7 days after the meeting, at the end of that day
    assert found["h1"].due == dt.datetime(2020, 8, 27, 23, 59, 59, tzinfo=ZONE)


def test_pe5_pending_on_the_day_then_at_risk() -> None:
    events = [ev("h1", "lg", "meeting", "2021-03-16T09:30", type="全体会议")]
    # an hour after the meeting: due 03-23 at the end of the day, more than 7 days away
    soon = run(events, dt.datetime(2021, 3, 16, 10, 30, tzinfo=ZONE))
    later = run(events, dt.date(2021, 3, 18))
    assert [r.status for r in soon.results if r.obligation == "会议纪要"] == ["pending"]
    assert [r.status for r in later.results if r.obligation == "会议纪要"] == ["at_risk"]


# ----------------------------------------------------------------------------- PE-6


def reg(ident: str, unit: str, day: str, person: str, student: bool) -> dict[str, Any]:
    return ev(ident, unit, "registration", f"{day}T10:00", person=person, student=student)


def test_pe6_every_student_and_teacher_registered() -> None:
    events = [
        reg("r1", "col", "2019-10-01", "s1", True),  # before the notice: a stock, it counts
        reg("r2", "col", "2020-03-01", "s2", True),
        reg("r3", "col", "2020-11-01", "s3", True),
        reg("r4", "col", "2021-03-01", "s1", True),  # s1 again: one person
        reg("r5", "col", "2020-09-01", "t1", False),
        reg("r6", "col2", "2020-09-01", "s9", True),  # another college's student
    ]
    report = run(events, dt.date(2022, 1, 1))
    students = by_label(report, "学生注册", "col")
    teachers = by_label(report, "教师注册", "col")
    # 2020: 3 students enrolled (the row in force on 12-31), 3 distinct registered
    assert (students["2020"].status, students["2020"].required, students["2020"].actual) == (
        "met", 3, 3)
    # 2021: the autumn intake makes it 4 (row valid_from 2021-09-01); still 3 people
    assert (students["2021"].status, students["2021"].required, students["2021"].actual) == (
        "overdue", 4, 3)
    # staff 2, one teacher registered, in both years
    assert (teachers["2020"].status, teachers["2020"].required, teachers["2020"].actual) == (
        "overdue", 2, 1)
    assert teachers["2021"].status == "overdue"
    assert statuses(report, "学生注册", "col2")["2020"] == "met"  # s9, 1 of 1
    # the colleges by name only: a member unit that is no college owes nothing here
    assert units_with(report, "学生注册") == {"col", "col2"}
    assert units_with(report, "教师注册") == {"col", "col2"}


def test_pe6_at_risk_on_the_last_day_of_the_year() -> None:
    report = run([reg("r1", "col", "2019-10-01", "s1", True)], dt.date(2021, 12, 31))
    # 1 of 4; the deadline is the end of 12-31, which as_of (the end of 12-31) has not passed
    assert statuses(report, "学生注册", "col")["2021"] == "at_risk"


def test_pe6_a_registration_that_does_not_say_student_or_not_is_no_teacher() -> None:
    events = [reg("r1", "col2", "2020-09-01", "s1", True),
              ev("r2", "col2", "registration", "2020-09-01T10:00", person="x1")]
    report = run(events, dt.date(2021, 1, 1))
    teachers = by_label(report, "教师注册", "col2")["2020"]
    # x1's row does not say whether x1 is a student: it cannot count as a teacher
    assert (teachers.status, teachers.actual) == ("overdue", 0)


# ----------------------------------------------------------------------------- PE-7


def test_pe7_hours_entered_after_each_college_activity() -> None:
    events = [
        ev("a1", "col", "activity", "2020-10-10T09:00", hours=3, hours_recorded=True),
        ev("a2", "col", "activity", "2020-11-10T09:00", hours=3, hours_recorded=False),
        ev("a3", "col", "activity", "2020-12-10T09:00", hours=3),  # left blank
        ev("a4", "col", "activity", "2020-06-10T09:00", hours=3),  # before the notice
        ev("a5", "m2", "activity", "2020-10-10T09:00", hours=3),  # not a college
    ]
    report = run(events, dt.date(2021, 1, 1))
    found = {r.trigger: r.status for r in report.results if r.obligation == "录入时长"}
    assert found == {
        "a1": "met",
        "a2": "overdue",  # not entered
        "a3": "overdue",  # missing: does not count as entered
    }


# ----------------------------------------------------------------------------- PE-8


def test_pe8_the_consequence_travels_with_every_member_unit_result() -> None:
    events = [
        *meeting("h1", "2020-08-20", "全体会议"),
        ev("a1", "col", "activity", "2020-10-10T09:00", hours=3, hours_recorded=False),
        reg("r1", "col", "2020-09-01", "s1", True),
    ]
    report = run(events, dt.date(2021, 12, 31))
    carrying = {r.obligation for r in report.results if "PE-8" in r.refs}
    assert carrying == {"工作计划", "年度工作情况", "信息报送", "学生注册", "教师注册", "录入时长"}
    for result in report.results:
        if "PE-8" in result.refs:
            # met or not, each member-unit result names what missing it costs (四、（三）)
            assert result.consequence == LOSS
        else:
            # the leading group's own duties (PE-4, PE-5) carry none
            assert result.obligation in {"全体会议", "会议纪要"}
            assert result.consequence is None
    overdue = [r for r in report.results if r.status == "overdue" and "PE-8" in r.refs]
    assert overdue and all(r.consequence == LOSS for r in overdue)
