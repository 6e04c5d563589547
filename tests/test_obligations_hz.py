"""Hand-worked statuses for policies/huizhou-2017.pol (惠文明办〔2017〕98号), HZ-1 … HZ-9.

Each test builds a few events and units by hand, evaluates the policy at an `as_of`, and
asserts the exact status of each instance, with the reason it must be so. The campaign runs
2017-06-01 … 2017-08-31 in ISO weeks (Monday to Sunday); the first week 2017-W22 is cut to
06-01 … 06-04 and the last, 2017-W35, to 08-28 … 08-31. The warning horizon is 7 days, so an
unmet week that has started is always `at_risk` (its Sunday is at most 7 days away), never
`pending`; only HZ-7 (due the Tuesday after) and HZ-9 (once, due 08-31) can be `pending`.
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
POLICY = policyrules.load(ROOT / "policies" / "huizhou-2017.pol")
ZONE = dt.timezone(dt.timedelta(hours=8))

UNITS: list[dict[str, Any]] = [
    {"unit": "lh", "name": "市志愿服务联合会", "type": "志愿服务组织"},
    {"unit": "c1", "name": "水东社区", "type": "社区", "parent": "jd1"},
    {"unit": "c2", "name": "华新社区", "type": "社区", "parent": "jd1"},
    # paired with 水东 until June, with 华新 from 2017-07-01
    {"unit": "d1", "name": "市税务局", "type": "市直单位", "paired_community": "c1"},
    {"unit": "d1", "name": "市税务局", "type": "市直单位", "paired_community": "c2",
     "valid_from": "2017-07-01"},
    {"unit": "d2", "name": "市人民检察院", "type": "市直单位"},  # paired with no community
    {"unit": "t1", "name": "市消防志愿服务队", "type": "专业志愿服务队", "field": "消防"},
    {"unit": "t2", "name": "市教育志愿服务队", "type": "专业志愿服务队", "field": "教育"},
    {"unit": "w1", "name": "惠州火车站", "type": "窗口单位"},
    {"unit": "w2", "name": "惠州汽车总站", "type": "窗口单位"},
]


def run(events: list[dict[str, Any]], as_of: dt.date | dt.datetime) -> Report:
    report = evaluate(POLICY, events, UNITS, as_of=as_of)
    assert report.rejected == [], report.rejected
    return report


def with_publications(activities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The activities, each published two days ahead (so HZ-6 is met and out of the way)."""
    out = list(activities)
    for a in activities:
        day = dt.date.fromisoformat(a["at"][:10]) - dt.timedelta(days=2)
        out.append(ev(f"pub-{a['id']}", a["unit"], "publish", f"{day}T10:00", ref=a["id"]))
    return out


# ----------------------------------------------------------------------------- HZ-1


def test_hz1_paired_unit_weekly_in_its_paired_community() -> None:
    events = [
        ev("a1", "d1", "activity", "2017-06-03T09:00", site="c1"),  # W22, paired c1
        ev("a2", "d1", "activity", "2017-06-07T09:00", site="c2"),  # W23, not its community
        ev("a4", "d1", "activity", "2017-07-04T09:00", site="c1"),  # W27, re-paired to c2
        ev("a5", "d1", "activity", "2017-07-12T09:00", site="c2"),  # W28, the new pair
    ]
    report = run(events, dt.date(2017, 7, 12))
    assert statuses(report, "结对社区每周活动", "d1") == {
        # the cut first week (06-01 … 06-04) has the full target and a1 meets it
        "2017-W22": "met",
        # a2 went to 华新, which is not d1's community in June; past Sunday 06-11
        "2017-W23": "overdue",
        "2017-W24": "overdue",  # nothing
        "2017-W25": "overdue",  # nothing
        # nothing (the week that straddles the re-pairing is the xfail test below)
        "2017-W26": "overdue",
        # 07-04: the fact in force that day is 华新, so a visit to 水东 does not count
        "2017-W27": "overdue",
        # a5 at 华新 on 07-12 09:00, before as_of (the end of 07-12): met mid-week
        "2017-W28": "met",
    }
    week = by_label(report, "结对社区每周活动", "d1")
    assert (week["2017-W22"].required, week["2017-W22"].actual) == (1, 1)
    assert week["2017-W22"].evidence == ["a1"]
    assert (week["2017-W27"].required, week["2017-W27"].actual) == (1, 0)
    assert week["2017-W22"].period.start == dt.date(2017, 6, 1)
    assert week["2017-W22"].period.end == dt.date(2017, 6, 4)
    # later weeks have not started; an unpaired 市直 unit and the communities owe nothing
    assert units_with(report, "结对社区每周活动") == {"d1"}


def test_hz1_week_of_the_repairing_counts_the_old_pair_before_the_change() -> None:
    # W26 is 06-26 … 07-02; d1 is paired with 水东 until 06-30 and with 华新 from 07-01.
    # An activity in 水东 on 06-28 is in d1's paired community on the day it took place.
    report = run([ev("a3", "d1", "activity", "2017-06-28T09:00", site="c1")],
                 dt.date(2017, 7, 3))
    week = by_label(report, "结对社区每周活动", "d1")["2017-W26"]
    assert (week.status, week.evidence) == ("met", ["a3"])


def test_hz1_cut_first_week_counts_only_inside_the_campaign() -> None:
    # 05-31 is before 即日起 (2017-06-01): the cut week 06-01 … 06-04 does not see it.
    report = run([ev("a0", "d1", "activity", "2017-05-31T09:00", site="c1")],
                 dt.date(2017, 6, 5))
    assert statuses(report, "结对社区每周活动", "d1") == {
        "2017-W22": "overdue",  # past 06-04 with nothing inside the window
        "2017-W23": "at_risk",  # started 06-05, due 06-11: inside the 7-day horizon
    }


# ----------------------------------------------------------------------------- HZ-2


def test_hz2_professional_team_enters_a_community_every_week() -> None:
    events = [
        ev("a1", "t1", "activity", "2017-06-07T09:00", site="c1", team_field="消防"),  # W23
        # W24: a drill at its own station, in no community (`site` missing)
        ev("a2", "t1", "activity", "2017-06-14T09:00", team_field="消防"),
        ev("a3", "t2", "activity", "2017-06-07T09:00", site="c1", team_field="教育"),
    ]
    report = run(events, dt.date(2017, 6, 26))
    assert statuses(report, "专业队进社区", "t1") == {
        "2017-W22": "overdue",  # nothing in 06-01 … 06-04
        "2017-W23": "met",  # a1 in 水东
        "2017-W24": "overdue",  # a2 names no community
        "2017-W25": "overdue",  # nothing
        "2017-W26": "at_risk",  # started 06-26, nothing yet, due 07-02
    }
    assert by_label(report, "专业队进社区", "t1")["2017-W24"].actual == 0
    # 教育 is not one of 文化、医疗卫生、法律、环保、消防: the team owes nothing under HZ-2
    assert units_with(report, "专业队进社区") == {"t1"}


# ----------------------------------------------------------------------------- HZ-3


def test_hz3_community_led_activity_every_week() -> None:
    events = with_publications([
        ev("a1", "c1", "activity", "2017-06-02T09:00", led_by="社区", theme="社区志愿服务"),
        # W23: an activity in the community but led by a unit's team, not the community
        ev("a2", "c1", "activity", "2017-06-10T09:00", led_by="市税务局", theme="邻里守望"),
        ev("a3", "c1", "activity", "2017-06-18T20:00", led_by="社区", theme="邻里守望"),
    ])
    report = run(events, dt.date(2017, 6, 20))
    assert statuses(report, "社区主导活动", "c1") == {
        "2017-W22": "met",
        "2017-W23": "overdue",  # a2 is not community-led
        "2017-W24": "met",  # a3 on Sunday evening, inside the week
        "2017-W25": "at_risk",  # started, not met, due 06-25
    }
    assert statuses(report, "社区主导活动", "c2")["2017-W22"] == "overdue"
    assert units_with(report, "社区主导活动") == {"c1", "c2"}


# ----------------------------------------------------------------------------- HZ-4


def test_hz4_party_member_posts_advisory_never_counts_as_overdue() -> None:
    activities = [
        ev("a1", "c1", "activity", "2017-06-03T09:00", led_by="社区", theme="党员志愿服务"),
        ev("a2", "c1", "activity", "2017-06-10T09:00", led_by="社区", theme="社区志愿服务"),
        ev("a3", "c1", "activity", "2017-06-17T09:00", led_by="社区", theme="党员志愿服务"),
    ]
    report = evaluate(POLICY, with_publications(activities), [UNITS[1]],
                      as_of=dt.date(2017, 6, 18))
    results = by_label(report, "党员责任岗", "c1")
    assert {label: r.status for label, r in results.items()} == {
        "2017-W22": "met",  # a1 has the 党员志愿服务 theme
        "2017-W23": "overdue",  # a2 is community-led but not a party-member activity
        # a3 on 06-17; as_of is the end of Sunday 06-18, the week's own deadline: not past it
        "2017-W24": "met",
    }
    assert {r.severity for r in results.values()} == {"advisory"}
    # HZ-3 (must) is met every week by the same activities, HZ-6 by their publications:
    # the only overdue result is HZ-4's, and an advisory one is never counted as overdue.
    assert [r.refs for r in report.results if r.status == "overdue"] == [["HZ-4"]]
    assert report.summary.must_overdue == 0


# ----------------------------------------------------------------------------- HZ-5


def test_hz5_window_unit_station_operating_at_the_end_of_every_week() -> None:
    events = [
        ev("s1", "w1", "station", "2016-12-01", status="operating"),  # a stock: carries over
        ev("s2", "w1", "station", "2017-06-06T08:00", status="closed"),
        ev("s3", "w1", "station", "2017-06-08T08:00", status="operating"),  # same week
        ev("s4", "w1", "station", "2017-06-14T08:00", status="closed"),
        ev("s5", "w1", "station", "2017-06-28T10:00", status="operating"),
    ]
    report = run(events, dt.date(2017, 7, 5))
    assert statuses(report, "窗口单位站点", "w1") == {
        "2017-W22": "met",  # opened in 2016: a stock counts from before the campaign
        "2017-W23": "met",  # closed on Tuesday, operating again by the week's end
        "2017-W24": "overdue",  # closed since 06-14
        "2017-W25": "overdue",
        "2017-W26": "met",  # reopened 06-28
        # Wednesday 07-05: operating as of as_of, so satisfied by events at or before T
        "2017-W27": "met",
    }
    week = by_label(report, "窗口单位站点", "w1")
    assert week["2017-W24"].evidence == ["s4"]  # the latest status: closed
    assert week["2017-W26"].evidence == ["s5"]
    # 惠州汽车总站 never set one up: every week is missed
    assert set(statuses(report, "窗口单位站点", "w2").values()) == {"overdue", "at_risk"}
    assert statuses(report, "窗口单位站点", "w2")["2017-W27"] == "at_risk"
    assert units_with(report, "窗口单位站点") == {"w1", "w2"}


# ----------------------------------------------------------------------------- HZ-6


def test_hz6_every_activity_published_before_it_takes_place() -> None:
    events = [
        ev("a0", "d1", "activity", "2017-05-27T09:00", site="c1"),  # before the campaign
        ev("a1", "d1", "activity", "2017-06-10T09:00", site="c1"),
        ev("p1", "d1", "publish", "2017-06-08T10:00", ref="a1"),
        ev("a2", "c1", "activity", "2017-06-17T09:00", led_by="社区"),
        ev("p2", "lh", "publish", "2017-06-15T16:00", ref="a2"),  # 联合会秘书处代发布
        ev("a3", "d1", "activity", "2017-06-24T09:00", site="c1"),
        ev("p3", "d1", "publish", "2017-06-24T20:00", ref="a3"),  # the evening after
        ev("a4", "d1", "activity", "2017-07-01T09:00", site="c2"),
        ev("p4", "d1", "publish", "2017-07-01T09:00", ref="a4"),  # the very minute it starts
        ev("a5", "t1", "activity", "2017-07-08T09:00", site="c2"),  # never published
        ev("p5", "t1", "publish", "2017-07-06T09:00", ref="a4"),  # names another activity
        ev("a6", "d1", "activity", "2017-07-20T09:00", site="c2"),  # after as_of
        ev("p6", "d1", "publish", "2017-07-14T09:00", ref="a6"),
    ]
    report = run(events, dt.date(2017, 7, 15))
    found = {r.trigger: r for r in report.results if r.obligation == "提前发布"}
    assert {t: r.status for t, r in found.items()} == {
        "a1": "met",  # published two days ahead
        "a2": "met",  # published by the 联合会 on the community's behalf (from all units)
        "a3": "overdue",  # published after it took place: its hours cannot be recorded
        "a4": "overdue",  # at the same minute is not 提前: needs `at < trigger.at`
        "a5": "overdue",  # never published (p5 is about a4)
        # a0 is before the campaign; a6 has not happened by as_of: neither is judged
    }
    assert found["a1"].evidence == ["p1"]
    assert found["a2"].evidence == ["p2"]
    # the deadline is the activity's own start
    assert found["a3"].due == dt.datetime(2017, 6, 24, 9, 0, tzinfo=ZONE)
    assert found["a3"].consequence == "未提前发布的活动无法记录服务时长，人均服务时长可能不达标"


# ----------------------------------------------------------------------------- HZ-7


def sheet(ident: str, unit: str, at: str, period: str, **attributes: Any) -> dict[str, Any]:
    return ev(ident, unit, "report", at, form="活动情况表", period=period,
              photo_mb=[1.5, 2.0], photo_format=["jpg", "jpg"], **attributes)


def test_hz7_weekly_sheet_by_tuesday_workday_end() -> None:
    events = [
        sheet("r22", "d1", "2017-06-06T17:30", "2017-W22"),  # at 17:30 itself: in time
        sheet("r23", "d1", "2017-06-13T17:45", "2017-W23"),  # after 下班 on the Tuesday
        sheet("r24", "d1", "2017-06-19T10:00", "2017-W24"),  # the Monday before
        sheet("r25", "d1", "2017-06-26T10:00", "2017-W24"),  # labelled with the wrong week
    ]
    report = run(events, dt.date(2017, 7, 3))
    week = by_label(report, "每周活动情况表", "d1")
    assert {label: r.status for label, r in week.items()} == {
        "2017-W22": "met",  # due Tuesday 06-06 17:30, delivered at 17:30
        "2017-W23": "late",  # accept late: delivered, but after 06-13 17:30
        "2017-W24": "met",
        "2017-W25": "overdue",  # r25 names 2017-W24, so W25 has no sheet; due 06-27 17:30
        # W26 ended 07-02 and its sheet is due Tuesday 07-04 17:30: within 7 days
        "2017-W26": "at_risk",
        # W27 started 07-03; its sheet is due 07-11 17:30, 7 days 17.5 hours after as_of
        "2017-W27": "pending",
    }
    assert week["2017-W22"].due == dt.datetime(2017, 6, 6, 17, 30, tzinfo=ZONE)
    assert week["2017-W23"].evidence == ["r23"]
    # every 市直 unit reports, paired or not; communities and teams do not
    assert units_with(report, "每周活动情况表") == {"d1", "d2"}


LAST_WEEK = [
    sheet("r1", "d1", "2017-09-05T10:00", "2017-W35"),
    sheet("r2", "d2", "2017-09-05T18:10", "2017-W35"),  # after 17:30
]


def test_hz7_last_week_is_due_tuesday_after_the_campaign() -> None:
    report = run(LAST_WEEK, dt.date(2017, 9, 5))
    d1 = by_label(report, "每周活动情况表", "d1")["2017-W35"]
    # W35 is 08-28 … 08-31 (a Thursday); the next Tuesday is 09-05, after the campaign
    assert d1.due == dt.datetime(2017, 9, 5, 17, 30, tzinfo=ZONE)
    assert (d1.status, d1.evidence) == ("met", ["r1"])


def test_hz7_last_sheet_after_workday_end_is_late() -> None:
    report = run(LAST_WEEK, dt.date(2017, 9, 5))
    d2 = by_label(report, "每周活动情况表", "d2")["2017-W35"]
    # delivered 40 minutes after 下班 on the due Tuesday: the policy accepts late sheets, and
    # late is "satisfied only by events after D" (contract.md) — not overdue
    assert (d2.status, d2.evidence) == ("late", ["r2"])


# ----------------------------------------------------------------------------- HZ-8


def test_hz8_sheet_carries_two_jpg_or_jpeg_photos() -> None:
    events = [
        sheet("r1", "d1", "2017-06-05T10:00", "2017-W22"),  # 2 × jpg
        ev("r2", "d1", "report", "2017-06-12T10:00", form="活动情况表", period="2017-W23",
           photo_mb=[1.8], photo_format=["jpg"]),  # one photo only
        ev("r3", "d1", "report", "2017-06-19T10:00", form="活动情况表", period="2017-W24",
           photo_mb=[1.2, 2.2], photo_format=["png", "png"]),
        ev("r4", "d1", "report", "2017-06-26T10:00", form="活动情况表", period="2017-W25",
           photo_mb=[1.2, 2.2], photo_format=["JPG", "JPEG"]),
        ev("r5", "d1", "report", "2017-07-03T10:00", form="活动情况表", period="2017-W26",
           photo_mb=[1.2, 2.2, 0.9], photo_format=["jpeg", "jpeg", "jpeg"]),
        ev("r6", "d1", "report", "2017-07-10T10:00", form="活动情况表", period="2017-W27",
           photo_mb=[1.2, 2.2], photo_format=["jpg", "png"]),
        ev("r7", "d1", "report", "2017-07-10T11:00", form="活动总结", photo_mb=[1.0]),
    ]
    report = run(events, dt.date(2017, 7, 31))
    found = {r.trigger: r.status for r in report.results if r.obligation == "情况表图片"}
    assert found == {
        "r1": "met",
        "r2": "overdue",  # one photo; 附件1 asks for 2
        "r3": "overdue",  # PNG is neither JPG nor JPEG
        "r4": "met",  # the format is compared in lower case
        "r5": "met",  # "2张" read as at least two
        "r6": "overdue",  # one of the two is PNG
        # r7 is an 活动总结, not an 活动情况表: no HZ-8 instance
    }


# ----------------------------------------------------------------------------- HZ-9

THEMES = [
    "党员志愿服务", "职工志愿服务", "社区志愿服务", "平安志愿服务", "文化志愿服务", "文艺志愿服务",
    "科普志愿服务", "旅游志愿服务", "红十字志愿服务", "五老志愿服务", "青年文明号", "邻里守望",
    "巾帼志愿者", "关爱山川河流", "服务百姓健康", "志愿助残阳光行动", "精准扶贫", "文明交通",
]
OWNERS = ["d1", "c1", "t1", "w1", "lh", "c2"]


def themed(themes: list[str], start: dt.date) -> list[dict[str, Any]]:
    return [
        ev(f"a{i}", OWNERS[i % len(OWNERS)], "activity",
           f"{start + dt.timedelta(days=3 * i)}T09:00", theme=theme)
        for i, theme in enumerate(themes)
    ]


def test_hz9_all_eighteen_themes_over_every_units_activities() -> None:
    report = run(themed(THEMES, dt.date(2017, 6, 2)), dt.date(2017, 9, 5))
    (result,) = [r for r in report.results if r.obligation == "十八类主题"]
    # one instance for the whole campaign, at the 联合会 only; each theme was held once by
    # some unit, and the coverage is the city's (from all units)
    assert (result.unit, result.period.label, result.status) == (
        "lh", "2017-06-01..2017-08-31", "met")
    assert result.severity == "advisory"
    assert result.due == dt.datetime(2017, 8, 31, 23, 59, 59, tzinfo=ZONE)
    assert (result.required, result.actual) == (1, 1)


def test_hz9_a_missing_theme_is_reported_and_quoted_spelling_does_not_match() -> None:
    themes = [t if t != "五老志愿服务" else "“五老”志愿服务" for t in THEMES]
    events = [*themed(themes, dt.date(2017, 6, 2)),
              # 精准扶贫 once more, but before the campaign: it does not count
              ev("early", "lh", "activity", "2017-05-20T09:00", theme="精准扶贫")]
    for e in events:
        e["unit"] = "lh"  # all the 联合会's own, so no other obligation is in play
    report = evaluate(POLICY, with_publications(events), [UNITS[0]],
                      as_of=dt.date(2017, 9, 5))
    (result,) = [r for r in report.results if r.obligation == "十八类主题"]
    # the set spells it 五老志愿服务; an activity recorded with the quotation marks is another
    # string, so one of the 18 has none: past 08-31, overdue — but advisory
    assert result.status == "overdue"
    assert (result.required, result.actual) == (1, 0)
    assert "五老志愿服务: 0" in result.reason
    assert report.summary.must_overdue == 0


def test_hz9_pending_then_at_risk_before_the_end_of_august() -> None:
    events = themed(THEMES[:10], dt.date(2017, 6, 2))
    early = run(events, dt.date(2017, 7, 1))
    late = run(events, dt.date(2017, 8, 28))
    (first,) = [r for r in early.results if r.obligation == "十八类主题"]
    (second,) = [r for r in late.results if r.obligation == "十八类主题"]
    assert first.status == "pending"  # 8 themes missing, 2 months left
    assert second.status == "at_risk"  # due 08-31: within the 7-day horizon


def test_hz7_a_sheet_without_period_reports_the_week_before_it() -> None:
    # "报送上周开展活动情况表": a sheet with no `period` answers the week that ended before it
    # was sent (docs/coverage.md); one sent inside a week does not count for that week
    photos: dict[str, Any] = {"photo_mb": [1.5, 2.0], "photo_format": ["jpg", "jpg"]}
    events = [
        ev("n22", "d1", "report", "2017-06-06T10:00", form="活动情况表", **photos),  # Tue after W22
        ev("n23", "d1", "report", "2017-06-09T10:00", form="活动情况表", **photos),  # inside W23
    ]
    week = by_label(run(events, dt.date(2017, 6, 20)), "每周活动情况表", "d1")
    assert week["2017-W22"].status == "met"
    assert week["2017-W22"].evidence == ["n22"]
    assert week["2017-W23"].status == "overdue"  # n23 was sent before W23 ended
