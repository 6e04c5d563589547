"""Periods as values: `2019Q2`, `2021-03`, `2017-W27`, `2021H1`, `2021`, `2021-03-05`.

Following OpenFisca, a period is a value with a unit and a start, not a loose pair of dates:
it has a label, parses back from it, knows its end, its successor and its sub-periods.
Weeks start on Monday and are labelled by ISO week (`2017-W27`). An obligation's periods
inside its window are :class:`Instance` s: a period clipped to the window, marked partial
when the window cuts it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum


class PeriodUnit(StrEnum):
    """The periods an obligation recurs over. Weeks start on Monday."""

    DAY = "day"
    WORKING_DAY = "working day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half year"
    YEAR = "year"


_MONTHS = {
    PeriodUnit.MONTH: 1,
    PeriodUnit.QUARTER: 3,
    PeriodUnit.HALF_YEAR: 6,
    PeriodUnit.YEAR: 12,
}

_LABEL = re.compile(
    r"^(?:(?P<day>\d{4}-\d{2}-\d{2})|(?P<week>\d{4})-W(?P<wn>\d{2})|(?P<month>\d{4})-(?P<mn>\d{2})"
    r"|(?P<quarter>\d{4})Q(?P<qn>[1-4])|(?P<half>\d{4})H(?P<hn>[12])|(?P<year>\d{4}))$"
)


@dataclass(frozen=True, order=True, slots=True)
class Period:
    """A calendar period: its unit and first day. `WORKING_DAY` periods are single days."""

    start: dt.date
    unit: PeriodUnit

    @classmethod
    def containing(cls, day: dt.date, unit: PeriodUnit) -> Period:
        if unit in (PeriodUnit.DAY, PeriodUnit.WORKING_DAY):
            return cls(day, unit)
        if unit is PeriodUnit.WEEK:
            return cls(day - dt.timedelta(days=day.weekday()), unit)
        months = _MONTHS[unit]
        first_month = (day.month - 1) // months * months + 1
        return cls(dt.date(day.year, first_month, 1), unit)

    @classmethod
    def parse(cls, label: str) -> Period:
        """`Period.parse("2019Q2")`; raises `ValueError` for anything else."""
        match = _LABEL.match(label.strip())
        if match is None:
            raise ValueError(
                f"`{label}` is not a period (write 2021-03-05, 2017-W27, 2021-03, 2019Q2,"
                " 2021H1 or 2021)"
            )
        g = match.groupdict()
        if g["day"]:
            return cls(dt.date.fromisoformat(g["day"]), PeriodUnit.DAY)
        if g["week"]:
            return cls(dt.date.fromisocalendar(int(g["week"]), int(g["wn"]), 1), PeriodUnit.WEEK)
        if g["month"]:
            return cls(dt.date(int(g["month"]), int(g["mn"]), 1), PeriodUnit.MONTH)
        if g["quarter"]:
            month = (int(g["qn"]) - 1) * 3 + 1
            return cls(dt.date(int(g["quarter"]), month, 1), PeriodUnit.QUARTER)
        if g["half"]:
            month = (int(g["hn"]) - 1) * 6 + 1
            return cls(dt.date(int(g["half"]), month, 1), PeriodUnit.HALF_YEAR)
        return cls(dt.date(int(g["year"]), 1, 1), PeriodUnit.YEAR)

    @property
    def end(self) -> dt.date:
        """The last day of the period (included), found without the next period (there is
        none after one that ends on 9999-12-31)."""
        if self.unit in (PeriodUnit.DAY, PeriodUnit.WORKING_DAY):
            return self.start
        if self.unit is PeriodUnit.WEEK:
            return self.start + dt.timedelta(days=6)
        last = self.start.month - 1 + _MONTHS[self.unit] - 1
        year, month = self.start.year + last // 12, last % 12 + 1
        return dt.date(year, month, calendar.monthrange(year, month)[1])

    def next(self) -> Period:
        if self.unit in (PeriodUnit.DAY, PeriodUnit.WORKING_DAY):
            return Period(self.start + dt.timedelta(days=1), self.unit)
        if self.unit is PeriodUnit.WEEK:
            return Period(self.start + dt.timedelta(days=7), self.unit)
        months = self.start.month - 1 + _MONTHS[self.unit]
        return Period(dt.date(self.start.year + months // 12, months % 12 + 1, 1), self.unit)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def label(self) -> str:
        match self.unit:
            case PeriodUnit.DAY | PeriodUnit.WORKING_DAY:
                return self.start.isoformat()
            case PeriodUnit.WEEK:
                year, week, _ = self.start.isocalendar()
                return f"{year}-W{week:02d}"
            case PeriodUnit.MONTH:
                return f"{self.start.year}-{self.start.month:02d}"
            case PeriodUnit.QUARTER:
                return f"{self.start.year}Q{(self.start.month - 1) // 3 + 1}"
            case PeriodUnit.HALF_YEAR:
                return f"{self.start.year}H{(self.start.month - 1) // 6 + 1}"
        return str(self.start.year)

    def __str__(self) -> str:
        return self.label

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def months(self) -> list[Period]:
        """The months of a month, quarter, half year or year."""
        return list(self.sub_periods(PeriodUnit.MONTH))

    def sub_periods(self, unit: PeriodUnit) -> Iterator[Period]:
        """The periods of `unit` that start inside this one (`per month` groups)."""
        current = Period.containing(self.start, unit)
        if current.start < self.start:
            current = current.next()
        while current.start <= self.end:
            yield current
            if current.end >= dt.date.max:
                return
            current = current.next()


def periods_between(unit: PeriodUnit, start: dt.date, end: dt.date) -> Iterator[Period]:
    """Every period of `unit` that overlaps `start` .. `end` (for working days: every day,
    the caller keeps the working ones)."""
    current = Period.containing(start, unit)
    while current.start <= end:
        yield current
        if current.end >= dt.date.max:
            return  # the last period a date can hold
        current = current.next()


def in_period_year(period: Period, month: int, day: int) -> dt.date:
    """`due 03-20`: that day in the year the period starts in (the 29th of February in a
    year without one is the 28th)."""
    try:
        return dt.date(period.start.year, month, day)
    except ValueError:
        return dt.date(period.start.year, month, 28)


def day_of_month_in(period: Period, month_index: int | None, day: int) -> dt.date:
    """`day 25 of last month` (month_index None) or `day 20 of month 3` of the period; a day
    the month does not have is its last day."""
    months = period.months()
    month = months[-1] if month_index is None else months[month_index - 1]
    last = month.end.day
    return month.start.replace(day=min(day, last))


def clip(
    start: dt.date, end: dt.date, lo: dt.date, hi: dt.date | None
) -> tuple[dt.date, dt.date]:
    """The days `start` .. `end` inside `lo` .. `hi` (no end when `hi` is None); empty when
    the second is before the first."""
    return max(start, lo), end if hi is None else min(end, hi)


def groups_within(
    unit: PeriodUnit, start: dt.date, end: dt.date
) -> Iterator[tuple[Period, dt.date, dt.date]]:
    """The periods of `unit` that overlap `start` .. `end`, each with its days inside them
    (`per month` groups of an instance: the cut first and last included)."""
    for period in periods_between(unit, start, end):
        first, last = clip(period.start, period.end, start, end)
        if first <= last:
            yield period, first, last
