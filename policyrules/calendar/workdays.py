"""Working days of China's calendar: statutory holidays and makeup working days (调休).

The built-in data comes from the `holidays` package: its `China` class gives the days off
(statutory holidays, observed days and the weekdays given off in exchange), and its table of
State Council schedules gives, for each day given off, the weekend day worked in exchange —
the makeup working day. That table has a *horizon*: the last year whose schedule the State
Council had published when the package was released (2026 for holidays 0.109). Past the
horizon, and before 2001, any answer that depends on the schedule raises
:class:`CalendarIndeterminate` naming the missing year, instead of guessing.

A later year's schedule can be supplied as a small JSON file (see :class:`HolidaySchedule`
and docs/calendar.md) without a new release of policyrules or holidays.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import holidays
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from policyrules.diagnostics.messages import (
    Message,
    file_problem,
    msg,
    validation_problem,
)
from policyrules.diagnostics.source import FileTooLarge, read_json

#: the most a holiday schedule file may hold: a year's schedule is a few kilobytes
MAX_SCHEDULE_BYTES = 1024 * 1024

#: The first year whose schedule the built-in data holds (holidays' table starts in 2001).
FIRST_YEAR = 2001


class CalendarIndeterminate(Exception):
    """An answer depends on calendar data the engine does not have."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(self.message)

    @property
    def message(self) -> Message:
        """What is missing, as a message that can be shown in Chinese too."""
        return msg(
            "the working-day schedule of {year} is not known: the State Council's holiday"
            " schedule for {year} is missing (supply it with a holiday schedule file)",
            year=self.year,
        )


class OutsideTheTables(CalendarIndeterminate):
    """A lunar date or a solar term in a year the tables do not cover (1901–2100): the
    answer is not known, never guessed as "no occurrence"."""

    def __init__(self, what: str, year: int) -> None:
        self.what = what
        self.year = year
        Exception.__init__(self, self.message)

    @property
    def message(self) -> Message:
        if self.what == "lunar":
            return msg("the lunar dates of {year} are not known: the lunar calendar's tables"
                       " cover 1901–2100", year=self.year)
        return msg("the solar term `{term}` of {year} is not known: the tables cover"
                   " 1901–2100", term=self.what, year=self.year)


class PastTheCalendar(CalendarIndeterminate):
    """A date past the last day a date can be (9999-12-31) or before the first: a deadline
    that far away cannot be computed, so what depends on it cannot be decided."""

    def __init__(self) -> None:
        self.year = 10000
        Exception.__init__(self, self.message)

    @property
    def message(self) -> Message:
        return msg("the due date is past 9999-12-31, the last date the calendar holds")


class DayRange(BaseModel):
    """`{"from": "2027-01-01", "to": "2027-01-03", "name": "元旦"}`, both ends included."""

    model_config = ConfigDict(populate_by_name=True, extra="forbid")

    start: dt.date = Field(alias="from")
    end: dt.date = Field(alias="to")
    name: str = ""

    @model_validator(mode="after")
    def _ordered(self) -> DayRange:
        if self.end < self.start:
            raise ValueError(msg("range ends ({end}) before it starts ({start})", end=self.end,
                                 start=self.start))
        return self

    def days(self) -> list[dt.date]:
        count = (self.end - self.start).days + 1
        return [self.start + dt.timedelta(days=i) for i in range(count)]


class HolidaySchedule(BaseModel):
    """One year of the State Council's 节假日安排, as a user can supply it::

        {
          "year": 2027,
          "source": "国务院办公厅关于2027年部分节假日安排的通知",
          "days_off": [{"from": "2027-01-01", "to": "2027-01-03", "name": "元旦"}, …],
          "working_days": ["2027-02-07", …]
        }

    `days_off` are the days without work (holidays and the days given off in exchange);
    `working_days` are the weekend days worked in exchange (调休上班). All dates must lie in
    `year`, except makeup days, which may fall in the neighbouring years.
    """

    model_config = ConfigDict(extra="forbid")

    year: int = Field(ge=1949, le=2200)
    source: str = ""
    days_off: list[DayRange]
    working_days: list[dt.date] = []

    @model_validator(mode="after")
    def _consistent(self) -> HolidaySchedule:
        off = {d for r in self.days_off for d in r.days()}
        for day in off:
            if day.year != self.year:
                raise ValueError(msg("day off {day} is not in {year}", day=day, year=self.year))
        clash = off.intersection(self.working_days)
        if clash:
            raise ValueError(msg("{day} is both a day off and a working day", day=min(clash)))
        return self


def load_schedule(path: str | Path) -> HolidaySchedule:
    """Read a holiday schedule file; a clear `ValueError` says what is wrong with it. At most
    :data:`MAX_SCHEDULE_BYTES` are read, whatever the file is."""
    try:
        data = read_json(path, MAX_SCHEDULE_BYTES)
        return HolidaySchedule.model_validate(data)
    except FileTooLarge as error:
        raise ValueError(error.args[0]) from None
    except OSError as error:
        raise ValueError(file_problem(error)) from None
    except ValidationError as error:
        raise ValueError(msg("{path}: {problem}", path=path,
                             problem=validation_problem(error.errors()[0]))) from None
    except ValueError as error:
        raise ValueError(msg("{path}: cannot read the holiday schedule: {error}", path=path,
                             error=error.args[0])) from None


def _builtin_makeup_days() -> tuple[int, dict[int, set[dt.date]]]:
    """The makeup working days per year from holidays' table, and its last year."""
    from holidays.countries.china import ChinaStaticHolidays

    table: dict[int, tuple[Any, ...]] = dict(ChinaStaticHolidays.special_public_holidays)
    makeup: dict[int, set[dt.date]] = {}
    for year, entries in table.items():
        for entry in entries:
            # (month off, day off, month worked, day worked[, year worked])
            if len(entry) >= 4 and all(isinstance(x, int) for x in entry[:4]):
                worked_year = entry[4] if len(entry) > 4 else year
                worked = dt.date(worked_year, entry[2], entry[3])
                makeup.setdefault(worked.year, set()).add(worked)
    return max(table), makeup


class WorkdayCalendar:
    """Is a day a working day, the n-th working day after a day, working days between two.

    Built from holidays' data up to its horizon, plus any supplied schedules. Queries are
    answered from per-year sorted tables: a bisect, microseconds each.
    """

    def __init__(self, schedules: Iterable[HolidaySchedule] = ()) -> None:
        self.builtin_horizon, self._makeup_builtin = _builtin_makeup_days()
        self._supplied = {s.year: s for s in schedules}
        self.horizon = max([self.builtin_horizon, *self._supplied])
        self._years: dict[int, _Year] = {}

    @property
    def known_years(self) -> range:
        """The years the calendar can answer for (a supplied later year extends it only if
        every year before it is known too)."""
        last = self.builtin_horizon
        while last + 1 in self._supplied:
            last += 1
        return range(FIRST_YEAR, last + 1)

    def knows(self, year: int) -> bool:
        return year in self.known_years or year in self._supplied

    def _year(self, year: int) -> _Year:
        found = self._years.get(year)
        if found is None:
            if not self.knows(year):
                raise CalendarIndeterminate(year)
            found = self._build(year)
            self._years[year] = found
        return found

    def _build(self, year: int) -> _Year:
        supplied = self._supplied.get(year)
        if supplied is not None:
            off = {d for r in supplied.days_off for d in r.days()}
            names = {d: r.name for r in supplied.days_off for d in r.days()}
            makeup = {d for d in supplied.working_days if d.year == year}
            # a makeup day of this year announced in a neighbouring year's schedule
            for other in self._supplied.values():
                makeup.update(d for d in other.working_days if d.year == year)
        else:
            days = holidays.country_holidays("CN", years=year, language="zh_CN")
            off = set(days)
            names = {d: str(days.get(d)) for d in off}
            makeup = set(self._makeup_builtin.get(year, set()))
        return _Year(year, frozenset(off), frozenset(makeup), names)

    # --------------------------------------------------------------- single days

    def is_working_day(self, day: dt.date) -> bool:
        return self._year(day.year).is_working(day)

    def is_day_off(self, day: dt.date) -> bool:
        """Weekend or holiday, and not a makeup working day."""
        return not self.is_working_day(day)

    def is_holiday(self, day: dt.date) -> bool:
        """A statutory holiday or a day given off for one (节假日), weekend or not."""
        return day in self._year(day.year).off

    def is_makeup_working_day(self, day: dt.date) -> bool:
        return day in self._year(day.year).makeup

    def holiday_name(self, day: dt.date) -> str | None:
        return self._year(day.year).names.get(day)

    # --------------------------------------------------------------- counting

    def add_working_days(self, day: dt.date, count: int) -> dt.date:
        """The `count`-th working day after `day` (`day` itself never counts); for count 0,
        `day` itself. Negative counts go back."""
        if count == 0:
            return day
        year = day.year
        table = self._year(year).working
        ordinal = day.toordinal()
        if count > 0:
            index = bisect.bisect_right(table, ordinal) + count - 1
            while index >= len(table):
                index -= len(table)
                year += 1
                table = self._year(year).working
            return dt.date.fromordinal(table[index])
        index = bisect.bisect_left(table, ordinal) + count
        while index < 0:
            year -= 1
            table = self._year(year).working
            index += len(table)
        return dt.date.fromordinal(table[index])

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in `start` .. `end`, both included (0 when end < start)."""
        if end < start:
            return 0
        total = 0
        for year in range(start.year, end.year + 1):
            table = self._year(year).working
            low = bisect.bisect_left(table, max(start, dt.date(year, 1, 1)).toordinal())
            high = bisect.bisect_right(table, min(end, dt.date(year, 12, 31)).toordinal())
            total += high - low
        return total

    def working_days_after(self, day: dt.date, end: dt.date) -> int:
        """Working days after `day`, up to `end` included (what is left from a day on; 0
        from the last day a date can be)."""
        if end <= day:
            return 0
        return self.working_days_between(day + dt.timedelta(days=1), end)

    def working_days(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """The working days in `start` .. `end`, both included, in order."""
        out: list[dt.date] = []
        for year in range(start.year, end.year + 1):
            table = self._year(year).working
            low = bisect.bisect_left(table, max(start, dt.date(year, 1, 1)).toordinal())
            high = bisect.bisect_right(table, min(end, dt.date(year, 12, 31)).toordinal())
            out.extend(dt.date.fromordinal(o) for o in table[low:high])
        return out

    def holiday_blocks(self, year: int) -> list[tuple[dt.date, dt.date]]:
        """Each run of consecutive days off that holds a statutory holiday, weekends joined
        (国庆 1–7 October is one block): the occurrences of the pattern `holiday`."""
        info = self._year(year)
        blocks: list[tuple[dt.date, dt.date]] = []
        for day in sorted(info.off):
            start = end = day
            while True:
                before = start - dt.timedelta(days=1)
                if before.year == year and not info.is_working(before):
                    start = before
                else:
                    break
            while True:
                after = end + dt.timedelta(days=1)
                if after.year == year and not info.is_working(after):
                    end = after
                else:
                    break
            if not blocks or blocks[-1] != (start, end):
                blocks.append((start, end))
        return blocks


class _Year:
    """One year's tables: days off, makeup days, and the sorted ordinals of working days."""

    __slots__ = ("makeup", "names", "off", "working", "year")

    def __init__(
        self,
        year: int,
        off: frozenset[dt.date],
        makeup: frozenset[dt.date],
        names: dict[dt.date, str],
    ) -> None:
        self.year = year
        self.off = off
        self.makeup = makeup
        self.names = names
        first = dt.date(year, 1, 1).toordinal()
        last = dt.date(year, 12, 31).toordinal()
        self.working = [
            o for o in range(first, last + 1) if self._working(dt.date.fromordinal(o))
        ]

    def _working(self, day: dt.date) -> bool:
        if day in self.makeup:
            return True
        if day in self.off:
            return False
        return day.weekday() < 5

    def is_working(self, day: dt.date) -> bool:
        return self._working(day)


@lru_cache(maxsize=1)
def default_calendar() -> WorkdayCalendar:
    """The calendar of the built-in data only (shared; build your own to add schedules)."""
    return WorkdayCalendar()
