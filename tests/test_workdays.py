"""Working days of China's calendar, with makeup working days, a horizon and supplied data."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policyrules.calendar.workdays import (
    CalendarIndeterminate,
    HolidaySchedule,
    WorkdayCalendar,
    default_calendar,
    load_schedule,
)

D = dt.date
CAL = default_calendar()
KNOWN = st.dates(min_value=D(2001, 1, 1), max_value=D(CAL.builtin_horizon, 12, 31))


def test_makeup_working_day_2021_09_18() -> None:
    assert D(2021, 9, 18).weekday() == 5  # a Saturday …
    assert CAL.is_makeup_working_day(D(2021, 9, 18))
    assert CAL.is_working_day(D(2021, 9, 18))  # … worked in exchange for 2021-09-20


def test_two_working_days_after_national_day_eve() -> None:
    # 10-01..10-07 are off; 10-08 (Friday) and 10-09 (a makeup Saturday) are worked
    assert CAL.add_working_days(D(2021, 9, 30), 2) == D(2021, 10, 9)
    assert CAL.add_working_days(D(2021, 9, 30), 1) == D(2021, 10, 8)
    assert CAL.add_working_days(D(2021, 10, 9), -2) == D(2021, 9, 30)


def test_holidays_and_weekends() -> None:
    assert not CAL.is_working_day(D(2021, 10, 1))  # National Day
    assert CAL.is_holiday(D(2021, 10, 1))
    assert CAL.holiday_name(D(2021, 10, 1)) == "国庆节"
    assert not CAL.is_working_day(D(2021, 3, 6))  # an ordinary Saturday
    assert CAL.is_working_day(D(2021, 3, 5))  # an ordinary Friday


def test_working_days_in_a_year() -> None:
    # 365 days − 104 weekend days − 18 weekdays off + 7 makeup weekend days
    assert CAL.working_days_between(D(2021, 1, 1), D(2021, 12, 31)) == 250


def test_holiday_blocks_join_weekends() -> None:
    blocks = CAL.holiday_blocks(2021)
    assert (D(2021, 10, 1), D(2021, 10, 7)) in blocks
    assert (D(2021, 2, 11), D(2021, 2, 17)) in blocks


def test_past_the_horizon_is_indeterminate() -> None:
    after = CAL.builtin_horizon + 1
    with pytest.raises(CalendarIndeterminate) as caught:
        CAL.is_working_day(D(after, 3, 1))
    assert caught.value.year == after
    assert f"schedule for {after} is missing" in str(caught.value)
    with pytest.raises(CalendarIndeterminate):
        CAL.add_working_days(D(CAL.builtin_horizon, 12, 30), 5)
    with pytest.raises(CalendarIndeterminate):
        CAL.is_working_day(D(1999, 3, 1))


def test_a_supplied_schedule_extends_the_horizon(tmp_path: Path) -> None:
    year = CAL.builtin_horizon + 1
    path = tmp_path / f"{year}.json"
    path.write_text(
        json.dumps(
            {
                "year": year,
                "source": "国务院办公厅关于部分节假日安排的通知",
                "days_off": [{"from": f"{year}-10-01", "to": f"{year}-10-07", "name": "国庆节"}],
                "working_days": [f"{year}-10-09"],
            }
        ),
        encoding="utf-8",
    )
    calendar = WorkdayCalendar([load_schedule(path)])
    assert calendar.horizon == year
    assert not calendar.is_working_day(D(year, 10, 4))
    assert calendar.is_makeup_working_day(D(year, 10, 9))
    assert calendar.is_working_day(D(year, 10, 9))
    assert calendar.holiday_name(D(year, 10, 1)) == "国庆节"


def test_a_bad_schedule_file_says_what_is_wrong(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"year": 2027, "days_off": [{"from": "2027-10-07", "to": "2027-10-01"}]}')
    with pytest.raises(ValueError, match="ends"):
        load_schedule(path)
    with pytest.raises(ValueError, match="both a day off and a working day"):
        HolidaySchedule.model_validate(
            {"year": 2027, "days_off": [{"from": "2027-10-01", "to": "2027-10-01"}],
             "working_days": ["2027-10-01"]}
        )


@settings(max_examples=200, deadline=None)
@given(KNOWN, st.integers(min_value=1, max_value=40))
def test_nth_working_day_is_monotonic_and_never_a_holiday(day: D, n: int) -> None:
    try:
        first = CAL.add_working_days(day, n)
        second = CAL.add_working_days(day, n + 1)
    except CalendarIndeterminate:
        return  # ran past the horizon: refused, not guessed
    assert day < first < second
    assert CAL.is_working_day(first)
    assert not CAL.is_holiday(first)
    assert CAL.working_days_between(day + dt.timedelta(days=1), first) == n


@settings(max_examples=100, deadline=None)
@given(KNOWN, KNOWN)
def test_counting_agrees_with_listing(a: D, b: D) -> None:
    start, end = min(a, b), max(a, b)
    assert CAL.working_days_between(start, end) == len(CAL.working_days(start, end))
