"""Hand-worked statuses for policies/binhai-2021.pol (滨海新区文明办 2021), BH-1 … BH-13.

The policy governs 2021 (2021-01-01 … 2021-12-31). "前后" is ± 7 days of the day named
(± 15 for 7月1日); 2021's lunar and solar-term dates are those the notice prints: 清明 04-04,
中元节 08-22, 寒衣节 11-05. The working-day calendar is China's: 2021-09-18 (a Saturday) is a
makeup working day, 09-19 … 09-21 are the Mid-Autumn holiday. A date as `as_of` is the end of
that day; an instance due at the end of that same day is not yet past due (`at_risk`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hand_worked import by_label, ev, statuses, units_with

import policyrules
from policyrules.evaluation import evaluate
from policyrules.report.model import Report

ROOT = Path(__file__).resolve().parent.parent
POLICY = policyrules.load(ROOT / "policies" / "binhai-2021.pol")
ZONE = dt.timezone(dt.timedelta(hours=8))

UNITS: list[dict[str, Any]] = [
    {"unit": "wmb", "name": "区文明办", "type": "区级部门"},
    {"unit": "ga", "name": "区公安局", "type": "行业分会"},
    {"unit": "wl", "name": "区文旅局", "type": "行业分会"},
    {"unit": "mz", "name": "区民政局", "type": "行业分会"},
    {"unit": "st", "name": "区生态环境局", "type": "行业分会"},
    {"unit": "cg", "name": "区城管委", "type": "行业分会"},
    {"unit": "sf", "name": "区司法局", "type": "行业分会"},
    {"unit": "s1", "name": "新港街道", "type": "镇街"},
    {"unit": "s2", "name": "新河街道", "type": "镇街"},
    {"unit": "c1", "name": "新港社区", "type": "社区", "parent": "s1"},
    {"unit": "c2", "name": "胜利社区", "type": "社区", "parent": "s1"},
    {"unit": "c3", "name": "新河社区", "type": "社区", "parent": "s2"},
    {"unit": "org", "name": "滨海新区义工联合会", "type": "志愿服务组织", "parent": "mz"},
    {"unit": "team", "name": "医疗卫生志愿服务队", "type": "专业志愿服务队"},
    {"unit": "sch", "name": "塘沽一中", "type": "学校"},
]


def act(ident: str, unit: str, at: str, theme: str = "志愿服务", **attributes: Any
        ) -> dict[str, Any]:
    if len(at) == 10:
        at += "T09:00"
    return ev(ident, unit, "activity", at, theme=theme, **attributes)


def run(events: list[dict[str, Any]], as_of: dt.date | dt.datetime,
        units: list[dict[str, Any]] | None = None) -> Report:
    report = evaluate(POLICY, events, UNITS if units is None else units, as_of=as_of)
    assert report.rejected == [], report.rejected
    return report


def only(*names: str) -> list[dict[str, Any]]:
    return [u for u in UNITS if u["unit"] in names]


# ----------------------------------------------------------------------------- BH-1


def test_bh1_publicity_around_march_5_and_december_5() -> None:
    events = [
        act("a1", "c1", "2021-03-01", "志愿服务宣传"),  # inside 02-26 … 03-12
        act("a2", "c2", "2021-02-25", "志愿服务宣传"),  # a day before the window
        act("a3", "c2", "2021-12-12T16:00", "志愿服务宣传"),  # the window's last day
        act("a4", "c1", "2021-12-05", "关爱空巢老人"),  # another theme
    ]
    report = run(events, dt.date(2021, 12, 31), only("c1", "c2", "sch"))
    assert statuses(report, "仪式感宣传活动", "c1") == {
        "学雷锋纪念日 2021": "met",
        "国际志愿者日 2021": "overdue",  # past 12-12 and a4 is not 志愿服务宣传
    }
    assert statuses(report, "仪式感宣传活动", "c2") == {
        "学雷锋纪念日 2021": "overdue",
        "国际志愿者日 2021": "met",
    }
    window = by_label(report, "仪式感宣传活动", "c1")["学雷锋纪念日 2021"].period
    assert (window.start, window.end) == (dt.date(2021, 2, 26), dt.date(2021, 3, 12))
    # no one is named: every unit in the data is checked
    assert units_with(report, "仪式感宣传活动") == {"c1", "c2", "sch"}


def test_bh1_pending_then_at_risk_around_december_5() -> None:
    # 11-30: the 12-05 window (11-28 … 12-12) has started, due in 12 days
    assert statuses(run([], dt.date(2021, 11, 30), only("c1")), "仪式感宣传活动", "c1")[
        "国际志愿者日 2021"] == "pending"
    assert statuses(run([], dt.date(2021, 12, 6), only("c1")), "仪式感宣传活动", "c1")[
        "国际志愿者日 2021"] == "at_risk"
    # 11-27: the window has not started, so there is no instance yet
    assert "国际志愿者日 2021" not in statuses(
        run([], dt.date(2021, 11, 27), only("c1")), "仪式感宣传活动", "c1")


# ----------------------------------------------------------------------------- BH-2


def test_bh2_party_member_activity_around_july_1() -> None:
    events = [
        act("a1", "c1", "2021-06-16", "党员志愿服务"),  # the first day of 06-16 … 07-16
        act("a2", "c2", "2021-07-17", "党员志愿服务"),  # a day after
        act("a3", "c3", "2021-07-01", "关爱老党员"),  # not the theme the policy reads
    ]
    report = run(events, dt.date(2021, 8, 1), only("c1", "c2", "c3"))
    assert statuses(report, "建党百年党员志愿活动", "c1") == {"建党纪念日 2021": "met"}
    assert statuses(report, "建党百年党员志愿活动", "c2") == {"建党纪念日 2021": "overdue"}
    assert statuses(report, "建党百年党员志愿活动", "c3") == {"建党纪念日 2021": "overdue"}
    window = by_label(report, "建党百年党员志愿活动", "c1")["建党纪念日 2021"].period
    assert (window.start, window.end) == (dt.date(2021, 6, 16), dt.date(2021, 7, 16))


# ----------------------------------------------------------------------------- BH-3

THEMED_DAYS = [
    # (obligation, label, a qualifying activity's day and attributes)
    ("植树节专题", "植树节 2021", "2021-03-12", {"theme": "植树环保"}),
    ("清明节专题", "清明节 2021", "2021-04-04", {"theme": "文明祭扫"}),
    ("劳动节专题", "国际劳动节 2021", "2021-05-08", {"theme": "关爱劳动者"}),  # last day
    ("儿童节专题", "国际儿童节 2021", "2021-05-25",  # first day
     {"theme": "留守儿童", "festival": "国际儿童节"}),
    ("建军节专题", "建军节 2021", "2021-08-01", {"theme": "关爱军人军属"}),
    ("国庆节专题", "国庆节 2021", "2021-10-05", {"theme": "文明旅游"}),
]


@pytest.mark.parametrize(("obligation", "label", "day", "attributes"), THEMED_DAYS,
                         ids=[t[0] for t in THEMED_DAYS])
def test_bh3_themed_activity_around_each_date(
    obligation: str, label: str, day: str, attributes: dict[str, Any]
) -> None:
    events = [
        ev("a1", "c1", "activity", f"{day}T09:00", **attributes),
        # c2: the same day, but a theme none of the six reads, and no festival
        ev("a2", "c2", "activity", f"{day}T09:00", theme="关爱空巢老人"),
    ]
    report = run(events, dt.date(2021, 12, 31), only("c1", "c2"))
    mine = by_label(report, obligation, "c1")
    assert {k: r.status for k, r in mine.items()} == {label: "met"}
    assert (mine[label].required, mine[label].actual) == (1, 1)
    assert statuses(report, obligation, "c2") == {label: "overdue"}


def test_bh3_childrens_day_counts_an_activity_that_names_the_festival() -> None:
    # 儿童节 pairs with no theme: an activity of the children's theme that does not name the
    # festival does not count
    events = [act("a1", "c1", "2021-06-01", "留守儿童")]
    report = run(events, dt.date(2021, 12, 31), only("c1"))
    assert statuses(report, "儿童节专题", "c1") == {"国际儿童节 2021": "overdue"}


# ----------------------------------------------------------------------------- BH-4


def twelve_months(unit: str, skip: int | None = None, extra: int | None = None
                  ) -> list[dict[str, Any]]:
    days = [dt.date(2021, m, 15) for m in range(1, 13) if m != skip]
    if extra is not None:
        days.append(dt.date(2021, extra, 25))
    return [act(f"{unit}-{d}", unit, f"{d}T09:00") for d in days]


def test_bh4_sector_branch_averages_one_activity_a_month() -> None:
    events = [
        # 区司法局: none in February, two in March: 12 in the year, on average 1 a month
        *twelve_months("sf", skip=2, extra=3),
        # 区城管委: none in February: 11 in the year
        *twelve_months("cg", skip=2),
    ]
    report = run(events, dt.date(2022, 1, 1), only("sf", "cg", "wmb"))
    sf = by_label(report, "行业分会每月活动", "sf")["2021"]
    cg = by_label(report, "行业分会每月活动", "cg")["2021"]
    assert (sf.status, sf.required, sf.actual) == ("met", 1, 1)  # 平均: an empty month is fine
    assert (cg.status, cg.required) == ("overdue", 1)
    assert cg.actual == pytest.approx(11 / 12)
    assert len(sf.evidence) == 12
    # only 行业分会 (the 区文明办 is not one)
    assert units_with(report, "行业分会每月活动") == {"sf", "cg"}


def test_bh4_pending_mid_year_and_at_risk_on_the_last_day() -> None:
    events = twelve_months("cg", skip=2)
    mid = by_label(run(events, dt.date(2021, 6, 30), only("cg")), "行业分会每月活动", "cg")
    assert mid["2021"].status == "pending"  # due 12-31: half a year left
    end = by_label(run(events, dt.date(2021, 12, 31), only("cg")), "行业分会每月活动", "cg")
    assert end["2021"].status == "at_risk"  # due at the end of 12-31, not yet past


def test_bh4_a_branch_set_up_in_april_answers_for_the_year() -> None:
    units = [
        {"unit": "wj", "name": "区卫健委", "type": "区级部门"},
        {"unit": "wj", "name": "区卫健委", "type": "行业分会", "valid_from": "2021-04-01"},
    ]
    report = run(twelve_months("wj"), dt.date(2022, 1, 1), units)
    # `applies to` reads the facts in force on the instance's last day (12-31): a 分会; its
    # activities of January to March are the unit's and count
    result = by_label(report, "行业分会每月活动", "wj")["2021"]
    assert (result.status, result.actual) == ("met", 1)


# ----------------------------------------------------------------------------- BH-5

MORNING = "07:00..09:00"


def test_bh5_traffic_at_both_peaks_of_every_working_day() -> None:
    events = [
        # 09-13 Mon: both peaks (礼让斑马线 is a traffic theme too)
        act("m13", "ga", "2021-09-13T07:30", "礼让斑马线"),
        act("e13", "ga", "2021-09-13T17:30", "文明交通"),
        # 09-14 Tue: the evening one after 19:00
        act("m14", "ga", "2021-09-14T08:00", "文明交通"),
        act("e14", "ga", "2021-09-14T19:20", "文明交通"),
        # 09-15 Wed: morning only
        act("m15", "ga", "2021-09-15T07:10", "文明交通"),
        # 09-16 Thu: both, at the edges of the windows (both ends included)
        act("m16", "ga", "2021-09-16T09:00", "文明交通"),
        act("e16", "ga", "2021-09-16T17:00", "文明交通"),
        # 09-17 Fri: a morning recorded with a date only cannot show it was at the peak
        ev("m17", "ga", "activity", "2021-09-17", theme="文明交通"),
        act("e17", "ga", "2021-09-17T18:00", "文明交通"),
        # 09-18 Sat, a makeup working day; the morning one exported in UTC (23:30Z = 07:30)
        ev("m18", "ga", "activity", "2021-09-17T23:30:00+00:00", theme="文明交通"),
        act("e18", "ga", "2021-09-18T18:59", "文明交通"),
    ]
    report = run(events, dt.date(2021, 9, 21), only("ga", "wmb"))
    found = statuses(report, "文明交通", "ga")
    assert {d: s for d, s in found.items() if d >= "2021-09-13"} == {
        "2021-09-13": "met",
        "2021-09-14": "overdue",  # 19:20 is after 17:00 … 19:00
        "2021-09-15": "overdue",  # no evening
        "2021-09-16": "met",
        "2021-09-17": "overdue",  # the morning has no time of day
        "2021-09-18": "met",  # a Saturday, but a working day: it is checked, and met
        # 09-19 … 09-21: the Mid-Autumn holiday, no working day, no instance
    }
    day = by_label(report, "文明交通", "ga")["2021-09-18"]
    assert sorted(day.evidence) == ["e18", "m18"]
    assert units_with(report, "文明交通") == {"ga"}


def test_bh5_instances_follow_the_working_day_calendar() -> None:
    report = run([], dt.date(2021, 10, 10), only("ga"))
    days = set(statuses(report, "文明交通", "ga"))
    assert "2021-10-09" in days  # a Saturday, makeup working day for 国庆
    assert "2021-09-26" in days  # a Sunday, makeup working day
    assert not {f"2021-10-0{d}" for d in range(1, 8)} & days  # the National Day holiday
    assert "2021-10-10" not in days  # an ordinary Sunday
    assert len([d for d in days if d.startswith("2021-01")]) == 20  # 01-01 is a holiday


# ----------------------------------------------------------------------------- BH-6


def test_bh6_civilised_tourism_in_each_holiday() -> None:
    events = [
        act("a1", "wl", "2021-01-02", "文明旅游"),
        act("a2", "wl", "2021-02-13", "文明旅游"),
        act("a3", "wl", "2021-04-05", "文明旅游"),  # 清明 holiday is 04-03 … 04-05
        act("a4", "wl", "2021-05-05", "文明旅游"),
        act("a5", "wl", "2021-06-15", "文明旅游"),  # the day after 端午 (06-12 … 06-14)
        act("a6", "wl", "2021-09-21", "文明旅游"),
        act("a7", "wl", "2021-10-08", "文明旅游"),  # the working day after 国庆
    ]
    report = run(events, dt.date(2021, 10, 31), only("wl", "wmb"))
    assert statuses(report, "文明旅游", "wl") == {
        "元旦 2021-01-01": "met",
        "春节 2021-02-11": "met",
        "清明节 2021-04-03": "met",
        "劳动节 2021-05-01": "met",
        "端午节 2021-06-12": "overdue",
        "中秋节 2021-09-19": "met",
        "国庆节 2021-10-01": "overdue",  # 10-08 is not in the holiday
    }
    assert units_with(report, "文明旅游") == {"wl"}


def test_bh6_at_risk_during_the_holiday() -> None:
    report = run([], dt.date(2021, 10, 3), only("wl"))
    # 国庆 runs 10-01 … 10-07: due in 4 days
    assert statuses(report, "文明旅游", "wl")["国庆节 2021-10-01"] == "at_risk"


# ----------------------------------------------------------------------------- BH-7


def test_bh7_civilised_grave_sweeping_over_each_area() -> None:
    events = [
        act("q1", "s1", "2021-04-02", "文明祭扫"),  # the street's own
        act("z1", "c1", "2021-08-22T18:00", "文明祭扫"),  # 中元节 itself, in a community
        act("h1", "c2", "2021-11-03", "文明祭扫"),  # near 寒衣节 (11-05)
        act("q2", "c3", "2021-04-04", "文明祭扫"),
        act("z2", "c3", "2021-08-31", "文明祭扫"),  # after 08-15 … 08-29
        act("q3", "mz", "2021-04-06", "文明祭扫"),
        act("z3", "org", "2021-08-21", "文明祭扫"),  # an organisation under 区民政局
    ]
    report = run(events, dt.date(2021, 12, 31), only("s1", "s2", "c1", "c2", "c3", "mz", "org"))
    assert statuses(report, "文明祭扫", "s1") == {
        "清明节 2021": "met",
        "中元节 2021": "met",  # z1 belongs to c1, under s1 (`from area`)
        "寒衣节 2021": "met",
    }
    assert statuses(report, "文明祭扫", "s2") == {
        "清明节 2021": "met",
        "中元节 2021": "overdue",  # z2 is after the window; z1 is in another street's area
        "寒衣节 2021": "overdue",
    }
    assert statuses(report, "文明祭扫", "mz") == {
        "清明节 2021": "met",
        "中元节 2021": "met",  # z3: the units under 区民政局 count for it
        "寒衣节 2021": "overdue",
    }
    s1 = by_label(report, "文明祭扫", "s1")
    assert s1["中元节 2021"].evidence == ["z1"]
    # the lunar dates of 2021: 中元节 08-22, 寒衣节 11-05, each ± 7 days
    assert (s1["中元节 2021"].period.start, s1["中元节 2021"].period.end) == (
        dt.date(2021, 8, 15), dt.date(2021, 8, 29))
    assert (s1["寒衣节 2021"].period.start, s1["寒衣节 2021"].period.end) == (
        dt.date(2021, 10, 29), dt.date(2021, 11, 12))
    assert units_with(report, "文明祭扫") == {"s1", "s2", "mz"}


def test_bh7_area_follows_the_parent_in_force_on_the_day() -> None:
    units = [
        {"unit": "s1", "name": "新港街道", "type": "镇街"},
        {"unit": "s2", "name": "新河街道", "type": "镇街"},
        {"unit": "c9", "name": "渔港社区", "type": "社区", "parent": "s1"},
        # transferred to 新河 from July
        {"unit": "c9", "name": "渔港社区", "type": "社区", "parent": "s2",
         "valid_from": "2021-07-01"},
    ]
    report = run([act("q1", "c9", "2021-04-02", "文明祭扫")], dt.date(2021, 4, 30), units)
    # in April c9 is 新港's (the July row is not even in force at as_of)
    assert statuses(report, "文明祭扫", "s1") == {"清明节 2021": "met"}
    assert statuses(report, "文明祭扫", "s2") == {"清明节 2021": "overdue"}


# ----------------------------------------------------------------------------- BH-8


def test_bh8_ecology_around_arbor_day_and_environment_day() -> None:
    events = [
        act("a1", "st", "2021-03-12", "生态环保"),
        act("a2", "st", "2021-06-05", "垃圾分类"),  # 二、5 names 垃圾分类 as ecological
        act("a3", "cg", "2021-03-19", "植树环保"),  # the last day of 03-05 … 03-19
        act("a4", "cg", "2021-06-13", "生态环保"),  # a day after 05-29 … 06-12
    ]
    report = run(events, dt.date(2021, 12, 31), only("st", "cg", "wmb"))
    assert statuses(report, "生态环保_节日", "st") == {
        "植树节 2021": "met",
        "世界环境日 2021": "met",
    }
    assert statuses(report, "生态环保_节日", "cg") == {
        "植树节 2021": "met",
        "世界环境日 2021": "overdue",
    }
    assert units_with(report, "生态环保_节日") == {"st", "cg"}


def test_bh8_ecology_on_every_second_saturday() -> None:
    events = [
        act("a1", "cg", "2021-01-09", "植树环保"),
        act("a2", "cg", "2021-02-20", "生态环保"),  # the third Saturday
        act("a3", "st", "2021-02-13", "生态环保"),  # in 春节, but the notice exempts none
    ]
    report = run(events, dt.date(2021, 3, 13), only("st", "cg"))
    assert statuses(report, "生态环保_学雷锋志愿服务日", "cg") == {
        "2021-01-09": "met",
        "2021-02-13": "overdue",
        "2021-03-13": "at_risk",  # today, nothing yet: due at the end of today
    }
    assert statuses(report, "生态环保_学雷锋志愿服务日", "st")["2021-02-13"] == "met"
    # 植树节 (03-05 … 03-19): 区城管委 has nothing yet and 6 days left
    assert statuses(report, "生态环保_节日", "cg") == {"植树节 2021": "at_risk"}


# ----------------------------------------------------------------------------- BH-9


def lesson(ident: str, at: str, **attributes: Any) -> dict[str, Any]:
    return ev(ident, "sch", "lesson", at, hours=1, **attributes)


def test_bh9_one_public_lesson_a_month_in_every_school() -> None:
    events = [
        lesson("l1", "2021-01-15T15:30", teacher="王老师"),
        # February: none
        lesson("l3", "2021-03-15T15:30"),  # names no teacher
        # exported in UTC: 17:00Z on 04-30 is 01:00 on 05-01 in Beijing
        lesson("l5", "2021-04-30T17:00:00+00:00", teacher="李老师"),
    ]
    report = run(events, dt.date(2021, 6, 10), only("sch", "wmb"))
    months = by_label(report, "每月一课", "sch")
    assert {k: r.status for k, r in months.items()} == {
        "2021-01": "met",
        "2021-02": "overdue",
        "2021-03": "overdue",  # a lesson by no teacher volunteer
        "2021-04": "overdue",  # l5 is May's, in the policy's time zone
        "2021-05": "met",
        "2021-06": "pending",  # due 06-30, 20 days away
    }
    assert (months["2021-02"].required, months["2021-02"].actual) == (1, 0)
    assert months["2021-05"].evidence == ["l5"]
    assert units_with(report, "每月一课") == {"sch"}


def test_bh9_at_risk_in_the_last_week_of_the_month() -> None:
    report = run([], dt.date(2021, 6, 25), only("sch"))
    assert statuses(report, "每月一课", "sch")["2021-06"] == "at_risk"


# ----------------------------------------------------------------------------- BH-10


def test_bh10_second_saturday_over_the_streets_area() -> None:
    events = [
        act("a1", "c1", "2021-01-09", hours=2),  # a community's, for its street
        act("a2", "s1", "2021-02-13", hours=1.2),  # the street's own, too short
        act("a3", "s1", "2021-03-13", hours=1.5),  # exactly 1.5
        act("a4", "s1", "2021-03-20", hours=1),  # a third Saturday: not a service day
        # April: nothing
        act("a5", "c2", "2021-05-08", hours=2),  # a makeup working day, still the 2nd Sat
        act("a6", "c3", "2021-06-12", hours=3),  # another street's community
        act("a7", "s1", "2021-09-18", hours=1),  # makeup working day, 3rd Saturday
    ]
    report = run(events, dt.date(2021, 6, 12), only("s1", "s2", "c1", "c2", "c3"))
    days = by_label(report, "学雷锋志愿服务日", "s1")
    assert {k: r.status for k, r in days.items()} == {
        "2021-01-09": "met",
        "2021-02-13": "overdue",  # a2 is under 1.5 hours
        "2021-03-13": "met",
        "2021-04-10": "overdue",
        "2021-05-08": "met",
        "2021-06-12": "at_risk",  # today, nothing in its area (a6 is 新河's)
    }
    assert days["2021-01-09"].evidence == ["a1"]
    assert statuses(report, "学雷锋志愿服务日", "s2")["2021-06-12"] == "met"
    assert units_with(report, "学雷锋志愿服务日") == {"s1", "s2"}


def test_bh10_each_activity_on_a_second_saturday_lasts_one_and_a_half_hours() -> None:
    events = [
        # a community's: the day is held 在全区范围内, and each activity must last 1.5 hours
        act("a1", "c1", "2021-01-09", hours=1),
        act("a2", "s1", "2021-02-13", hours=1.2),
        act("a3", "s1", "2021-03-13", hours=1.5),
        act("a4", "s1", "2021-03-20", hours=1),  # not a second Saturday
        act("a5", "s1", "2021-05-08", hours=2),
    ]
    report = run(events, dt.date(2021, 12, 31), only("s1", "c1"))
    found = {r.trigger: r for r in report.results if r.obligation == "学雷锋志愿服务日时长"}
    assert {t: r.status for t, r in found.items()} == {
        "a1": "overdue",
        "a2": "overdue",  # 1.2 < 1.5, and it cannot be made up
        "a3": "met",
        "a5": "met",
    }
    assert (found["a2"].required, found["a2"].actual) == (1.5, 1.2)


# ----------------------------------------------------------------------------- BH-11


def test_bh11_may_is_the_training_month() -> None:
    events = [
        ev("t1", "wmb", "training", "2021-05-18T09:00", hours=3),
        # a joint training of 新港街道 with two of its communities counts for each
        ev("t2", "s1", "training", "2021-05-20T09:00", hours=2, joint_units=["c1", "c2"]),
        ev("t3", "c3", "training", "2021-04-28T09:00", hours=2),  # April: too early
        ev("t4", "org", "training", "2021-05-15T09:00", hours=4),
        ev("t5", "team", "training", "2021-06-01T09:00", hours=2),  # June: too late
    ]
    report = run(events, dt.date(2021, 6, 30),
                 only("wmb", "s1", "s2", "c1", "c2", "c3", "org", "team", "sch"))
    assert statuses(report, "培训月_区文明办", "wmb") == {"2021-05": "met"}
    assert statuses(report, "培训月_街镇", "s1") == {"2021-05": "met"}
    assert statuses(report, "培训月_街镇", "s2") == {"2021-05": "overdue"}
    assert statuses(report, "培训月_村居和组织", "c1") == {"2021-05": "met"}
    assert statuses(report, "培训月_村居和组织", "c2") == {"2021-05": "met"}
    assert statuses(report, "培训月_村居和组织", "c3") == {"2021-05": "overdue"}
    assert statuses(report, "培训月_村居和组织", "org") == {"2021-05": "met"}
    assert statuses(report, "培训月_村居和组织", "team") == {"2021-05": "overdue"}
    assert by_label(report, "培训月_村居和组织", "c1")["2021-05"].evidence == ["t2"]
    assert units_with(report, "培训月_区文明办") == {"wmb"}
    assert units_with(report, "培训月_街镇") == {"s1", "s2"}
    assert units_with(report, "培训月_村居和组织") == {"c1", "c2", "c3", "org", "team"}


def test_bh11_no_instance_before_may_then_pending_then_at_risk() -> None:
    assert statuses(run([], dt.date(2021, 4, 30), only("s2")), "培训月_街镇", "s2") == {}
    assert statuses(run([], dt.date(2021, 5, 10), only("s2")), "培训月_街镇", "s2") == {
        "2021-05": "pending"}
    assert statuses(run([], dt.date(2021, 5, 25), only("s2")), "培训月_街镇", "s2") == {
        "2021-05": "at_risk"}


# ----------------------------------------------------------------------------- BH-12

FORM_DAY = "2021-01-01..2021-12-31"


def test_bh12_contact_form_by_march_5_end_of_the_working_day() -> None:
    events = [
        ev("f1", "c1", "report", "2021-03-04T10:00", form="联络表"),
        ev("f2", "c2", "report", "2021-03-05T17:30", form="联络表"),  # at 17:30 itself
        ev("f3", "c3", "report", "2021-03-05T17:45", form="联络表"),
        ev("f4", "s1", "report", "2021-03-05T09:40:00Z", form="联络表"),  # 17:40 in Beijing
        ev("f5", "s2", "report", "2020-12-30T10:00", form="联络表"),  # before the policy
        ev("f6", "sch", "report", "2021-03-05T10:00", form="管理员信息表"),
    ]
    report = run(events, dt.date(2021, 3, 31), only("c1", "c2", "c3", "s1", "s2", "sch"))
    found = {u: statuses(report, "负责人联络表", u) for u in ("c1", "c2", "c3", "s1", "s2", "sch")}
    assert found == {
        "c1": {FORM_DAY: "met"},
        "c2": {FORM_DAY: "met"},
        "c3": {FORM_DAY: "late"},  # accept late: after 下班 on 03-05
        "s1": {FORM_DAY: "late"},  # the offset is converted: 17:40 is after 17:30
        "s2": {FORM_DAY: "overdue"},  # 2020's form is outside the 2021 window
        "sch": {FORM_DAY: "overdue"},  # another form
    }
    result = by_label(report, "负责人联络表", "c1")[FORM_DAY]
    assert result.due == dt.datetime(2021, 3, 5, 17, 30, tzinfo=ZONE)


def test_bh12_pending_then_at_risk() -> None:
    assert statuses(run([], dt.date(2021, 2, 1), only("c1")), "负责人联络表", "c1") == {
        FORM_DAY: "pending"}
    assert statuses(run([], dt.date(2021, 3, 1), only("c1")), "负责人联络表", "c1") == {
        FORM_DAY: "at_risk"}
    # as_of 03-05 (the end of that day) is past 17:30
    assert statuses(run([], dt.date(2021, 3, 5), only("c1")), "负责人联络表", "c1") == {
        FORM_DAY: "overdue"}


# ----------------------------------------------------------------------------- BH-13


def report_(ident: str, unit: str, at: str, form: str, period: str | None) -> dict[str, Any]:
    extra = {"period": period} if period is not None else {}
    return ev(ident, unit, "report", at, form=form, **extra)


HALF_YEAR = [
    report_("h1", "c1", "2021-07-10T10:00", "半年总结", "2021H1"),
    report_("h2", "c2", "2021-07-20T10:00", "半年总结", "2021H1"),
    report_("h3", "c3", "2021-07-09T10:00", "半年总结", "2021上半年"),  # not the label
]


def test_bh13_half_year_summary_by_july_15() -> None:
    report = run(HALF_YEAR, dt.date(2021, 8, 1), only("c1", "c2", "c3", "s1"))
    assert statuses(report, "半年工作总结", "c1") == {"2021H1": "met"}
    assert statuses(report, "半年工作总结", "c3") == {"2021H1": "overdue"}
    assert statuses(report, "半年工作总结", "s1") == {"2021H1": "overdue"}
    result = by_label(report, "半年工作总结", "c1")["2021H1"]
    # 15 days after the half year ends on 06-30
    assert result.due == dt.datetime(2021, 7, 15, 23, 59, 59, tzinfo=ZONE)
    assert (result.period.start, result.period.end) == (dt.date(2021, 1, 1), dt.date(2021, 6, 30))


def test_bh13_half_year_pending_in_june_and_at_risk_in_the_last_week() -> None:
    assert statuses(run([], dt.date(2021, 6, 20), only("c1")), "半年工作总结", "c1") == {
        "2021H1": "pending"}
    assert statuses(run([], dt.date(2021, 7, 10), only("c1")), "半年工作总结", "c1") == {
        "2021H1": "at_risk"}


def test_bh13_half_year_summary_after_july_15_is_late() -> None:
    report = run(HALF_YEAR, dt.date(2021, 8, 1), only("c2"))
    # 07-20 is after 7月15日; the policy accepts late summaries: late, not overdue
    assert statuses(report, "半年工作总结", "c2") == {"2021H1": "late"}


def test_bh13_half_year_pending_right_after_june_30() -> None:
    # 07-01: due 07-15, 14 days away, outside the 7-day horizon; a summary delivered on any
    # day until 07-15 meets it, so what remains can still satisfy it: pending, not at_risk
    assert statuses(run([], dt.date(2021, 7, 1), only("c1")), "半年工作总结", "c1") == {
        "2021H1": "pending"}


def test_bh13_full_year_summary_by_december_15() -> None:
    events = [
        report_("y1", "c1", "2021-12-10T10:00", "年度总结", "2021"),
        report_("y2", "c2", "2021-12-15T20:00", "工作总结", "2021"),  # late evening of the day
        report_("y3", "c3", "2021-12-20T10:00", "年度总结", "2021"),
    ]
    report = run(events, dt.date(2021, 12, 31), only("c1", "c2", "c3", "s1"))
    assert statuses(report, "全年工作总结", "c1") == {"2021": "met"}
    assert statuses(report, "全年工作总结", "c2") == {"2021": "met"}  # "12月15日前": that day
    assert statuses(report, "全年工作总结", "c3") == {"2021": "late"}
    assert statuses(report, "全年工作总结", "s1") == {"2021": "overdue"}
    assert statuses(run([], dt.date(2021, 11, 30), only("c1")), "全年工作总结", "c1") == {
        "2021": "pending"}
    assert statuses(run([], dt.date(2021, 12, 10), only("c1")), "全年工作总结", "c1") == {
        "2021": "at_risk"}


def test_bh13_a_half_year_summary_without_period_covers_the_half_year() -> None:
    # an export without a `period` column: the summary sent in the reporting window is the
    # half year's (docs/coverage.md, "Optional attributes the notices do not ask for")
    events = [report_("n1", "c1", "2021-07-12T10:00", "半年总结", None),
              report_("n2", "c2", "2021-07-25T10:00", "半年总结", None)]
    report = run(events, dt.date(2021, 8, 1), only("c1", "c2", "c3"))
    assert statuses(report, "半年工作总结", "c1") == {"2021H1": "met"}
    assert statuses(report, "半年工作总结", "c2") == {"2021H1": "late"}
    assert statuses(report, "半年工作总结", "c3") == {"2021H1": "overdue"}
