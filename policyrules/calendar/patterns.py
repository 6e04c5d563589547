"""Day sets → occurrences: when `2nd saturday`, `中元节 ± 7 days` or `holiday` are.

An *occurrence* is a run of days (`start` .. `end`, both included) with a stable label: a
single day for `2nd saturday` or `working day`, a window for `07-01 ± 15 days`, a whole
month for `may`, a run of days off for `holiday`. `each PATTERN` makes one instance per
occurrence; `at on PATTERN` asks whether a day lies in some occurrence.

Results are cached per day set and year, so a year's calendar for a policy is computed once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from policyrules.calendar.days import (
    Annual,
    Around,
    DayOfQuarter,
    DaySet,
    Festival,
    FestivalOf,
    Holidays,
    LunarDay,
    NthWeekday,
    OnDate,
    RestDays,
    SolarTermDay,
    Union,
    WholeMonth,
    WorkingDays,
)
from policyrules.calendar.festivals import festival_dates
from policyrules.calendar.workdays import OutsideTheTables, WorkdayCalendar, default_calendar

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True, order=True, slots=True)
class Occurrence:
    start: dt.date
    end: dt.date
    label: str

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


class PatternCalendar:
    """Occurrences of day sets on a working-day calendar."""

    def __init__(self, workdays: WorkdayCalendar | None = None) -> None:
        self.workdays = workdays or default_calendar()
        self._cache: dict[tuple[DaySet, int], list[Occurrence]] = {}

    def occurrences(self, days: DaySet, start: dt.date, end: dt.date) -> list[Occurrence]:
        """The occurrences that overlap `start` .. `end`, in order."""
        found: set[Occurrence] = set()
        for year in range(start.year - 1, end.year + 2):
            for occurrence in self._margin(days, year, start.year <= year <= end.year):
                if occurrence.end >= start and occurrence.start <= end:
                    found.add(occurrence)
        return sorted(found)

    def _margin(self, days: DaySet, year: int, inside: bool) -> list[Occurrence]:
        """A year's occurrences; a year beside the range asked about (read for occurrences
        that reach into it) may lie outside the tables, and then gives none."""
        try:
            return self._year(days, year)
        except OutsideTheTables:
            if inside:
                raise
            return []

    def matches(self, days: DaySet, day: dt.date) -> bool:
        """Whether `day` lies in an occurrence of `days`."""
        return any(
            o.contains(day)
            for year in (day.year - 1, day.year, day.year + 1)
            for o in self._margin(days, year, year == day.year)
        )

    def _year(self, days: DaySet, year: int) -> list[Occurrence]:
        key = (days, year)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._compute(days, year)
        return found

    def _compute(self, days: DaySet, year: int) -> list[Occurrence]:
        match days:
            case WorkingDays():
                return [
                    Occurrence(d, d, d.isoformat())
                    for d in self.workdays.working_days(dt.date(year, 1, 1), dt.date(year, 12, 31))
                ]
            case RestDays():
                working = set(
                    self.workdays.working_days(dt.date(year, 1, 1), dt.date(year, 12, 31))
                )
                return [
                    Occurrence(d, d, d.isoformat()) for d in _days(year) if d not in working
                ]
            case Holidays():
                out = []
                for start, end in self.workdays.holiday_blocks(year):
                    held = {self.workdays.holiday_name(d) for d in _span_days(start, end)}
                    statutory = sorted(
                        n for n in held if n and "调休" not in n and "休息日" not in n
                    )
                    name = statutory[0] if statutory else "节假日"
                    out.append(Occurrence(start, end, f"{name} {start.isoformat()}"))
                return out
            case NthWeekday() | Annual():
                return [Occurrence(d, d, d.isoformat()) for d in festival_dates(days, year)]
            case LunarDay() | SolarTermDay():
                return [
                    Occurrence(d, d, f"{days.text} {year}") for d in festival_dates(days, year)
                ]
            case DayOfQuarter(day=day, month=which):
                out = []
                for quarter in range(4):
                    month = quarter * 3 + (3 if which is None else which)
                    days_in_month = (dt.date(year + (month == 12), month % 12 + 1, 1) - ONE_DAY).day
                    when = dt.date(year, month, min(day, days_in_month))
                    out.append(Occurrence(when, when, when.isoformat()))
                return out
            case WholeMonth(month=month):
                first = dt.date(year, month, 1)
                last = (dt.date(year + (month == 12), month % 12 + 1, 1)) - ONE_DAY
                return [Occurrence(first, last, first.strftime("%Y-%m"))]
            case OnDate(date=date):
                return [Occurrence(date, date, date.isoformat())] if date.year == year else []
            case Festival(name=name, rule=rule):
                return [Occurrence(d, d, f"{name} {year}") for d in festival_dates(rule, year)]
            case Around(base=base):
                out = []
                for o in self._compute(base, year):
                    start, end = self._widen(o.start, o.end, days)
                    out.append(Occurrence(start, end, o.label))
                return out
            case Union(options=options):
                merged: set[Occurrence] = set()
                for option in options:
                    merged.update(self._compute(option, year))
                return sorted(merged)
            case FestivalOf():
                # the festival an event names: an engine puts it in place first
                raise TypeError("a day set naming an event's festival has no days of its own")
        raise TypeError(days)  # pragma: no cover

    def _widen(self, start: dt.date, end: dt.date, around: Around) -> tuple[dt.date, dt.date]:
        if around.working:
            return (
                self.workdays.add_working_days(start, -around.amount),
                self.workdays.add_working_days(end, around.amount),
            )
        distance = dt.timedelta(days=around.amount)
        return start - distance, end + distance


def _days(year: int) -> list[dt.date]:
    return _span_days(dt.date(year, 1, 1), dt.date(year, 12, 31))


def _span_days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
