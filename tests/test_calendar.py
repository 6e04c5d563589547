"""The calendar through the public API: published dates, festivals, patterns, instances and
due dates of policies, and the `policyrules calendar` command."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import policyrules
import policyrules.calendar as cal
from policyrules.calendar.days import DaySet
from policyrules.cli import main
from policyrules.rules.compiler import compile_policy
from policyrules.rules.days import DayNames, date_rule
from policyrules.syntax import ast
from policyrules.syntax.parser import parse, parse_expression

ROOT = Path(__file__).resolve().parent.parent
D = dt.date
STD = {
    f.name: f
    for f in parse(
        (ROOT / "policyrules" / "syntax" / "std" / "festivals.pol").read_text()
    ).items_of(ast.FestivalDef)
}
PUBLISHED = list(
    csv.DictReader((ROOT / "tests" / "data" / "published_dates.csv").open(encoding="utf-8"))
)


def test_the_issue_dates_through_the_public_api() -> None:
    assert cal.lunar_to_gregorian(2021, 7, 15) == D(2021, 8, 22)  # 中元节
    assert cal.lunar_to_gregorian(2021, 10, 1) == D(2021, 11, 5)  # 寒衣节
    assert cal.default_calendar().is_makeup_working_day(D(2021, 9, 18))
    assert cal.default_calendar().add_working_days(D(2021, 9, 30), 2) == D(2021, 10, 9)
    assert cal.solar_term_date("清明", 2021) == D(2021, 4, 4)


def test_at_least_a_hundred_published_dates() -> None:
    assert len(PUBLISHED) >= 100
    assert {int(r["date"][:4]) for r in PUBLISHED} >= set(range(2015, 2036))


@pytest.mark.parametrize("row", PUBLISHED, ids=lambda r: f"{r['date']}-{r['name']}")
def test_published_date(row: dict[str, str]) -> None:
    day = D.fromisoformat(row["date"])
    calendar = cal.default_calendar()
    match row["kind"]:
        case "makeup_working_day":
            assert day.weekday() >= 5 and calendar.is_makeup_working_day(day)
            assert calendar.is_working_day(day)
        case "day_off":
            assert not calendar.is_working_day(day)
        case "festival":
            assert day in cal.festival_dates(date_rule(STD[row["name"]].rule), day.year)


def test_the_standard_festivals_fall_once_a_year() -> None:
    for name, festival in STD.items():
        for year in (2017, 2019, 2020, 2021, 2033):
            assert len(cal.festival_dates(date_rule(festival.rule), year)) == 1, (name, year)


def test_new_years_eve_in_29_and_30_day_months() -> None:
    # 除夕 is the last day of the 12th month: the 29th in lunar 2016 (→ 2017-01-27), the
    # 30th in lunar 2019 (→ 2020-01-24)
    assert cal.last_day_of_month(2016, 12) == D(2017, 1, 27)
    assert cal.last_day_of_month(2019, 12) == D(2020, 1, 24)
    assert cal.festival_dates(date_rule(STD["除夕"].rule), 2017) == [D(2017, 1, 27)]
    assert cal.festival_dates(date_rule(STD["除夕"].rule), 2020) == [D(2020, 1, 24)]


def test_nth_weekday() -> None:
    assert cal.nth_weekday(2017, 5, 3, 6) == D(2017, 5, 21)  # 全国助残日 2017
    assert cal.nth_weekday(2021, 3, 2, 5) == D(2021, 3, 13)  # 2nd Saturday, BH-10
    assert cal.nth_weekday(2021, 2, 5, 5) is None  # no 5th Saturday in February 2021
    assert cal.nth_weekday(2021, 7, -1, 4) == D(2021, 7, 30)  # last Friday


def patterns() -> cal.PatternCalendar:
    return cal.PatternCalendar()


_SETS = parse("set 祭扫 = [清明节, 中元节, 寒衣节]").items_of(ast.SetDef)
NAMES = DayNames(STD, {s.name: s for s in _SETS})


def pattern(text: str) -> DaySet:
    """A pattern as policies write it, as the calendar reads it."""
    expression = parse_expression(f"at on {text}")
    assert isinstance(expression, ast.OnPattern)
    return NAMES.day_set(expression.pattern)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2nd saturday", ["2021-01-09", "2021-02-13", "2021-03-13"]),
        ("中元节 ± 3 days", ["2021-08-19..2021-08-25"]),
        ("祭扫 ± 1 day", ["2021-04-03..2021-04-05"]),
        ("(1st friday or 1st saturday)", ["2021-01-01", "2021-01-02", "2021-02-05"]),
        ("07-01 ± 15 days", ["2021-06-16..2021-07-16"]),
        ("may", ["2021-05-01..2021-05-31"]),
        ("lunar 07-15", ["2021-08-22"]),
        ("term 清明", ["2021-04-04"]),
        ("holiday", ["2021-01-01..2021-01-03", "2021-02-11..2021-02-17"]),
        ("国庆节 ± 2 working days", ["2021-09-29..2021-10-09"]),
    ],
)
def test_pattern_occurrences(text: str, expected: list[str]) -> None:
    found = patterns().occurrences(pattern(text), D(2021, 1, 1), D(2021, 12, 31))
    shown = [o.start.isoformat() if o.start == o.end else f"{o.start}..{o.end}" for o in found]
    assert shown[: len(expected)] == expected


def test_pattern_matching() -> None:
    calendar = patterns()
    assert calendar.matches(pattern("中元节 ± 7 days"), D(2021, 8, 29))
    assert not calendar.matches(pattern("中元节 ± 7 days"), D(2021, 8, 30))
    assert calendar.matches(pattern("working day"), D(2021, 9, 18))
    assert not calendar.matches(pattern("working day"), D(2021, 9, 20))
    assert calendar.matches(pattern("元旦节 ± 3 days"), D(2020, 12, 30))  # across the year


POLICY = """
import "std:festivals"
event activity { hours: number }
event report { form: string }
policy p "测试" {
  effective 2019-05-22 .. 2019-12-31
  obligation quarterly "每季度一次" {
    every quarter
    require count(activity) >= 1
  }
  obligation second_saturday "每月第二个周六" {
    every month on 2nd saturday
    require count(activity) >= 1
  }
  obligation festivals "中元节前后" {
    each 中元节 ± 7 days
    require count(activity) >= 1
  }
  obligation report_25th "季度最后一个月25日前" {
    every quarter
    require count(report) >= 1
    due day 25 of last month
  }
  obligation weekly "每周二下班前报上周" {
    every week
    require count(report) >= 1
    due tuesday after period end at workday end
  }
  obligation materials "两个工作日内" {
    for each activity
    require count(report) >= 1
    due 2 working days after trigger at 17:00
  }
  obligation plan "5月27日前" {
    once
    require count(report) >= 1
    due 2019-05-27
  }
}
"""


def compiled() -> policyrules.rules.compiler.CompiledPolicy:
    return compile_policy(policyrules.parse(POLICY, "p.pol"))


def test_partial_first_period_and_labels() -> None:
    instances = list(compiled().obligation("quarterly").instances(D(2019, 12, 31)))
    assert [(i.label, i.start.isoformat(), i.partial) for i in instances] == [
        ("2019Q2", "2019-05-22", True),
        ("2019Q3", "2019-07-01", False),
        ("2019Q4", "2019-10-01", False),
    ]
    assert instances[0].due == dt.datetime(2019, 6, 30, 23, 59, 59, tzinfo=instances[0].due.tzinfo)


def test_qualifying_days_and_occurrences() -> None:
    month = next(compiled().obligation("second_saturday").instances(D(2019, 6, 30)))
    assert month.label == "2019-05"
    assert month.qualifying == ()  # 2019-05-11 is before the window opens on 05-22
    june = list(compiled().obligation("second_saturday").instances(D(2019, 6, 30)))[1]
    assert [o.start for o in june.qualifying or ()] == [D(2019, 6, 8)]
    festival = list(compiled().obligation("festivals").instances(D(2019, 12, 31)))
    assert [(i.start, i.end) for i in festival] == [(D(2019, 8, 8), D(2019, 8, 22))]


def test_due_dates() -> None:
    policy = compiled()
    dues = [i.due for i in policy.obligation("report_25th").instances(D(2019, 12, 31))]
    assert [d.date().isoformat() for d in dues if d] == ["2019-06-25", "2019-09-25", "2019-12-25"]
    week = next(policy.obligation("weekly").instances(D(2019, 12, 31)))
    assert week.label == "2019-W21" and week.due is not None
    assert week.due.isoformat() == "2019-05-28T17:30:00+08:00"  # Tuesday after, 下班
    plan = next(policy.obligation("plan").instances(D(2019, 12, 31)))
    assert plan.due is not None and plan.due.isoformat() == "2019-05-27T23:59:59+08:00"
    after = policy.obligation("materials").due_for_event(
        dt.datetime(2019, 9, 30, 10, tzinfo=policy.zone)
    )
    assert (
        after.isoformat() == "2019-10-09T17:00:00+08:00"
    )  # two working days after National Day eve


def test_past_the_horizon_instances_are_indeterminate() -> None:
    year = cal.default_calendar().builtin_horizon + 1
    text = POLICY.replace("2019-05-22 .. 2019-12-31", f"{year}-01-01 .. {year}-12-31").replace(
        "due 2019-05-27", f"due {year}-05-27"
    )
    policy = compile_policy(policyrules.parse(text, "p.pol"))
    instance = next(policy.obligation("weekly").instances(D(year, 12, 31)))
    assert instance.due is not None  # a weekday after the week needs no holiday data
    with pytest.raises(cal.CalendarIndeterminate):
        policy.obligation("materials").due_for_event(dt.datetime(year, 3, 1, tzinfo=policy.zone))


@settings(max_examples=50, deadline=None)
@given(st.dates(min_value=D(2015, 1, 1), max_value=D(2026, 6, 30)), st.integers(1, 400))
def test_every_period_lies_inside_its_window(start: D, days: int) -> None:
    end = start + dt.timedelta(days=days)
    text = POLICY.replace("2019-05-22 .. 2019-12-31", f"{start} .. {end}").replace(
        "due 2019-05-27", f"due {end}"
    )
    policy = compile_policy(policyrules.parse(text, "p.pol"))
    for name in ("quarterly", "second_saturday", "festivals", "weekly"):
        for instance in policy.obligation(name).instances(end):
            assert start <= instance.start <= instance.end <= end
            for occurrence in instance.qualifying or ():
                assert instance.start <= occurrence.start and occurrence.end <= instance.end


def test_calendar_command(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    policy = ROOT / "policies" / "binhai-2021.pol"
    assert main(["calendar", str(policy), "--year", "2021", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["working_days"] == 250
    labels = {(i["obligation"], i["instance"]) for i in data["instances"]}
    assert any(label.startswith("中元节 2021") for _, label in labels)


def test_calendar_command_writes_ics(tmp_path: Path) -> None:
    pytest.importorskip("icalendar", reason="writing .ics needs the `calendar` extra")
    policy = ROOT / "policies" / "binhai-2021.pol"
    assert main(["calendar", str(policy), "--year", "2021", "--ics", str(tmp_path / "bh.ics")]) == 0
    ics = (tmp_path / "bh.ics").read_text(encoding="utf-8")
    assert ics.startswith("BEGIN:VCALENDAR") and "BH-10" in ics


def test_day_of_a_quarter_month() -> None:
    # XD-14's dates as a pattern: the 25th of each quarter's last month
    found = patterns().occurrences(
        pattern("day 25 of last month of quarter"), D(2017, 1, 1), D(2017, 12, 31)
    )
    assert [o.start for o in found] == [
        D(2017, 3, 25),
        D(2017, 6, 25),
        D(2017, 9, 25),
        D(2017, 12, 25),
    ]
    shortened = patterns().occurrences(
        pattern("day 31 of month 2 of quarter"), D(2017, 1, 1), D(2017, 12, 31)
    )
    assert [o.start for o in shortened][:2] == [D(2017, 2, 28), D(2017, 5, 31)]


def test_calendar_for_one_unit(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    units = tmp_path / "units.jsonl"
    units.write_text(
        '{"unit": "一小", "type": "学校"}\n{"unit": "新河街", "type": "镇街"}\n', encoding="utf-8"
    )
    policy = str(ROOT / "policies" / "binhai-2021.pol")
    args = ["calendar", policy, "--year", "2021", "--format", "json", "--units", str(units)]
    assert main([*args, "--unit", "一小"]) == 0
    school = {i["obligation"] for i in json.loads(capsys.readouterr().out)["instances"]}
    assert main([*args, "--unit", "新河街"]) == 0
    street = {i["obligation"] for i in json.loads(capsys.readouterr().out)["instances"]}
    assert "每月一课" in school and "每月一课" not in street
    assert main([*args, "--unit", "nobody"]) == 2
    assert "unit `nobody` is not known" in capsys.readouterr().err
