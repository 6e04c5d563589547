"""Calendar patterns → occurrences: when `2nd saturday`, `中元节 ± 7 days` or `holiday` are.

An *occurrence* is a run of days (`start` .. `end`, both included) with a stable label: a
single day for `2nd saturday` or `working day`, a window for `07-01 ± 15 days`, a whole
month for `may`, a run of days off for `holiday`. `each PATTERN` makes one instance per
occurrence; `at on PATTERN` asks whether a day lies in some occurrence.

Results are cached per pattern and year, so a year's calendar for a policy is computed once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from policyrules.calendar.festivals import festival_dates
from policyrules.calendar.workdays import WorkdayCalendar, default_calendar
from policyrules.syntax import ast
from policyrules.syntax.formatter import pattern as pattern_text

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True, order=True, slots=True)
class Occurrence:
    start: dt.date
    end: dt.date
    label: str

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


class PatternCalendar:
    """Occurrences of the patterns of one policy: its festivals and festival sets, on a
    working-day calendar.

    `resolve_attribute` gives, for a `festival`-typed event attribute used as a pattern
    (`at on festival ± 7 days`), the festival the event names (None when it names none).
    """

    def __init__(
        self,
        festivals: Mapping[str, ast.FestivalDef],
        sets: Mapping[str, ast.SetDef],
        workdays: WorkdayCalendar | None = None,
    ) -> None:
        self.festivals = festivals
        self.sets = sets
        self.workdays = workdays or default_calendar()
        self._cache: dict[tuple[ast.Pattern, int], list[Occurrence]] = {}

    # --------------------------------------------------------------- public

    def occurrences(
        self,
        pattern: ast.Pattern,
        start: dt.date,
        end: dt.date,
        resolve_attribute: Callable[[str], str | None] | None = None,
    ) -> list[Occurrence]:
        """The occurrences that overlap `start` .. `end`, in order."""
        found: set[Occurrence] = set()
        for year in range(start.year - 1, end.year + 2):
            for occurrence in self._year(pattern, year, resolve_attribute):
                if occurrence.end >= start and occurrence.start <= end:
                    found.add(occurrence)
        return sorted(found)

    def matches(
        self,
        pattern: ast.Pattern,
        day: dt.date,
        resolve_attribute: Callable[[str], str | None] | None = None,
    ) -> bool:
        """Whether `day` lies in an occurrence of `pattern`."""
        return any(
            o.contains(day)
            for year in (day.year - 1, day.year, day.year + 1)
            for o in self._year(pattern, year, resolve_attribute)
        )

    def festival_names(self, name: str) -> list[str]:
        """The festivals a name stands for: itself, or the members of a festival set."""
        if name in self.festivals:
            return [name]
        set_def = self.sets.get(name)
        if set_def is None:
            return []
        return [m.id for m in set_def.members.items if isinstance(m, ast.Name)]

    # --------------------------------------------------------------- per year

    def _year(
        self,
        pattern: ast.Pattern,
        year: int,
        resolve_attribute: Callable[[str], str | None] | None,
    ) -> list[Occurrence]:
        dynamic = resolve_attribute is not None and _mentions_attribute(pattern, self)
        key = (pattern, year)
        if not dynamic and key in self._cache:
            return self._cache[key]
        result = self._compute(pattern, year, resolve_attribute)
        if not dynamic:
            self._cache[key] = result
        return result

    def _compute(
        self,
        pattern: ast.Pattern,
        year: int,
        resolve: Callable[[str], str | None] | None,
    ) -> list[Occurrence]:
        match pattern:
            case ast.WorkingDayPattern():
                return [
                    Occurrence(d, d, d.isoformat())
                    for d in self.workdays.working_days(dt.date(year, 1, 1), dt.date(year, 12, 31))
                ]
            case ast.RestDayPattern():
                working = set(
                    self.workdays.working_days(dt.date(year, 1, 1), dt.date(year, 12, 31))
                )
                return [
                    Occurrence(d, d, d.isoformat()) for d in _days(year) if d not in working
                ]
            case ast.HolidayPattern():
                out = []
                for start, end in self.workdays.holiday_blocks(year):
                    held = {self.workdays.holiday_name(d) for d in _span_days(start, end)}
                    statutory = sorted(
                        n for n in held if n and "调休" not in n and "休息日" not in n
                    )
                    name = statutory[0] if statutory else "节假日"
                    out.append(Occurrence(start, end, f"{name} {start.isoformat()}"))
                return out
            case ast.NthWeekday() | ast.FixedDate():
                return [
                    Occurrence(d, d, d.isoformat()) for d in festival_dates(pattern, year)
                ]
            case ast.LunarDate() | ast.SolarTerm():
                return [
                    Occurrence(d, d, f"{pattern_text(pattern)} {year}")
                    for d in festival_dates(pattern, year)
                ]
            case ast.DayOfQuarter(day=day, month=which):
                out = []
                for quarter in range(4):
                    month = quarter * 3 + (3 if which is None else which)
                    days_in_month = (dt.date(year + (month == 12), month % 12 + 1, 1) - ONE_DAY).day
                    when = dt.date(year, month, min(day, days_in_month))
                    out.append(Occurrence(when, when, when.isoformat()))
                return out
            case ast.MonthPattern(month=month):
                first = dt.date(year, month, 1)
                last = (dt.date(year + (month == 12), month % 12 + 1, 1)) - ONE_DAY
                return [Occurrence(first, last, first.strftime("%Y-%m"))]
            case ast.ExactDate(date=date):
                return [Occurrence(date, date, date.isoformat())] if date.year == year else []
            case ast.NamedPattern(name=name):
                festivals = self.festival_names(name)
                if not festivals and resolve is not None:
                    named = resolve(name)
                    festivals = [named] if named is not None and named in self.festivals else []
                out = []
                for festival in festivals:
                    for d in festival_dates(self.festivals[festival].rule, year):
                        out.append(Occurrence(d, d, f"{festival} {year}"))
                return sorted(out)
            case ast.Around(base=base, distance=distance):
                out = []
                for o in self._compute(base, year, resolve):
                    start, end = self._widen(o.start, o.end, distance)
                    out.append(Occurrence(start, end, o.label))
                return out
            case ast.AnyOf(options=options):
                merged: set[Occurrence] = set()
                for option in options:
                    merged.update(self._compute(option, year, resolve))
                return sorted(merged)
        raise TypeError(pattern)  # pragma: no cover

    def _widen(
        self, start: dt.date, end: dt.date, distance: ast.Duration
    ) -> tuple[dt.date, dt.date]:
        if distance.working:
            return (
                self.workdays.add_working_days(start, -distance.amount),
                self.workdays.add_working_days(end, distance.amount),
            )
        days = distance.amount * (7 if distance.unit is ast.DurationUnit.WEEK else 1)
        return start - dt.timedelta(days=days), end + dt.timedelta(days=days)


def _mentions_attribute(pattern: ast.Pattern, calendar: PatternCalendar) -> bool:
    for node in ast.walk(pattern):
        if isinstance(node, ast.NamedPattern) and not calendar.festival_names(node.name):
            return True
    return False


def _days(year: int) -> list[dt.date]:
    return _span_days(dt.date(year, 1, 1), dt.date(year, 12, 31))


def _span_days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
