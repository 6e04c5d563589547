"""Periods are values: labels parse back, periods tile time, sub-periods tile periods."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policyrules.calendar.periods import Period, day_of_month_in, periods_between
from policyrules.syntax.ast import PeriodUnit

UNITS = [u for u in PeriodUnit if u is not PeriodUnit.WORKING_DAY]
DAYS = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31))


@pytest.mark.parametrize(
    ("label", "start", "end"),
    [
        ("2019Q2", "2019-04-01", "2019-06-30"),
        ("2021-03", "2021-03-01", "2021-03-31"),
        ("2017-W27", "2017-07-03", "2017-07-09"),
        ("2021H1", "2021-01-01", "2021-06-30"),
        ("2021", "2021-01-01", "2021-12-31"),
        ("2024-02-29", "2024-02-29", "2024-02-29"),
        ("2020-W53", "2020-12-28", "2021-01-03"),
    ],
)
def test_labels(label: str, start: str, end: str) -> None:
    period = Period.parse(label)
    assert (period.start.isoformat(), period.end.isoformat()) == (start, end)
    assert period.label == label


def test_bad_label() -> None:
    with pytest.raises(ValueError, match="is not a period"):
        Period.parse("2019Q5")


@given(DAYS, st.sampled_from(UNITS))
def test_a_day_lies_in_the_period_that_contains_it(day: dt.date, unit: PeriodUnit) -> None:
    period = Period.containing(day, unit)
    assert period.contains(day)
    assert Period.parse(period.label) == period
    assert period.next().start == period.end + dt.timedelta(days=1)


@given(DAYS, DAYS, st.sampled_from(UNITS))
def test_periods_tile_a_window(a: dt.date, b: dt.date, unit: PeriodUnit) -> None:
    start, end = min(a, b), max(a, b)
    if (end - start).days > 800 and unit is PeriodUnit.DAY:
        end = start + dt.timedelta(days=800)
    periods = list(periods_between(unit, start, end))
    assert periods[0].contains(start) and periods[-1].contains(end)
    for before, after in itertools.pairwise(periods):
        assert after.start == before.end + dt.timedelta(days=1)


@given(DAYS, st.sampled_from([PeriodUnit.QUARTER, PeriodUnit.HALF_YEAR, PeriodUnit.YEAR]))
def test_months_tile_a_period(day: dt.date, unit: PeriodUnit) -> None:
    period = Period.containing(day, unit)
    months = period.months()
    assert months[0].start == period.start and months[-1].end == period.end
    assert sum(m.days for m in months) == period.days


def test_day_of_the_last_month_of_a_quarter() -> None:
    # XD-14: the 25th of each quarter's last month
    dues = [day_of_month_in(Period.parse(f"2017Q{q}"), None, 25) for q in (1, 2, 3, 4)]
    assert [d.isoformat() for d in dues] == ["2017-03-25", "2017-06-25", "2017-09-25", "2017-12-25"]
    # a day a month lacks is its last day
    assert day_of_month_in(Period.parse("2021Q1"), 1, 31).isoformat() == "2021-01-31"
    assert day_of_month_in(Period.parse("2021Q1"), 2, 31).isoformat() == "2021-02-28"
