"""The Chinese lunar calendar (农历): lunar dates to Gregorian dates and back, 1901–2100.

A lunar year is numbered by the Gregorian year in which its new year (正月初一) falls, so
lunar 2023 runs from 2023-01-22 to 2024-02-09. Months are numbered 1–12; a leap month (闰月)
repeats the number of the month before it and is asked for with ``leap=True``. Months have
29 or 30 days.

The months come from :mod:`policyrules.calendar.tables`, computed astronomically by
:mod:`policyrules.calendar.generate` under the rules of GB/T 33661-2017; see
``docs/calendar-sources.md``.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from typing import Final

from policyrules.calendar import tables

__all__ = [
    "FIRST_DATE",
    "LAST_DATE",
    "SUPPORTED_RANGE",
    "LunarDate",
    "LunarDateError",
    "LunarMonth",
    "gregorian_to_lunar",
    "last_day_of_month",
    "leap_month",
    "lunar_to_gregorian",
    "month_length",
    "months_of_year",
    "new_year",
]

#: The years covered end to end, inclusive: every lunar date of the lunar years 1901–2100
#: and every Gregorian date of the years 1901–2100. As a margin the tables also hold lunar
#: year 1900 (whose end is January–February 1901), so the functions accept every date from
#: :data:`FIRST_DATE` to :data:`LAST_DATE`.
SUPPORTED_RANGE: Final[tuple[int, int]] = (1901, 2100)


class LunarDateError(ValueError):
    """A lunar date that does not exist (no such day, no such leap month) or is out of range."""


@dataclass(frozen=True, slots=True)
class LunarDate:
    """A date of the Chinese lunar calendar. ``leap`` marks a day of the leap month."""

    year: int
    month: int
    day: int
    leap: bool = False

    def __str__(self) -> str:
        return f"{self.year}-{'闰' if self.leap else ''}{self.month:02d}-{self.day:02d}"

    def to_gregorian(self) -> date:
        """The Gregorian date of this lunar date."""
        return lunar_to_gregorian(self.year, self.month, self.day, self.leap)


@dataclass(frozen=True, slots=True)
class LunarMonth:
    """One month of a lunar year: its number, whether it is the leap month, its first day
    (Gregorian) and its length (29 or 30)."""

    year: int
    month: int
    leap: bool
    start: date
    length: int

    @property
    def last(self) -> date:
        """The Gregorian date of the last day of the month."""
        return date.fromordinal(self.start.toordinal() + self.length - 1)


def _build() -> dict[int, tuple[LunarMonth, ...]]:
    years: dict[int, tuple[LunarMonth, ...]] = {}
    for year, (iso, mask, leap) in tables.LUNAR_YEARS.items():
        count = 13 if leap else 12
        ordinal = date.fromisoformat(iso).toordinal()
        months: list[LunarMonth] = []
        number = 0
        for position in range(count):
            is_leap = bool(leap) and position == leap
            if not is_leap:
                number += 1
            length = 30 if mask >> (count - 1 - position) & 1 else 29
            months.append(LunarMonth(year, number, is_leap, date.fromordinal(ordinal), length))
            ordinal += length
        years[year] = tuple(months)
    return years


_YEARS: Final = _build()
_MONTHS: Final = tuple(month for months in _YEARS.values() for month in months)
_STARTS: Final = tuple(month.start.toordinal() for month in _MONTHS)

#: The first Gregorian date the tables cover: lunar 1900-01-01.
FIRST_DATE: Final = _MONTHS[0].start
#: The last Gregorian date the tables cover: the last day of lunar 2100.
LAST_DATE: Final = _MONTHS[-1].last


def _year(year: int) -> tuple[LunarMonth, ...]:
    try:
        return _YEARS[year]
    except KeyError:
        first, last = min(_YEARS), max(_YEARS)
        raise LunarDateError(
            f"lunar year {year} is out of range: supported are {first}–{last}"
        ) from None


def _month(year: int, month: int, leap: bool) -> LunarMonth:
    months = _year(year)
    if not 1 <= month <= 12:
        raise LunarDateError(f"lunar month {month} does not exist: months are 1–12")
    for candidate in months:
        if candidate.month == month and candidate.leap == leap:
            return candidate
    actual = leap_month(year)
    has = f"its leap month is {actual}" if actual else "it has no leap month"
    raise LunarDateError(f"lunar year {year} has no leap month {month}: {has}")


def months_of_year(year: int) -> tuple[LunarMonth, ...]:
    """The 12 or 13 months of the lunar ``year``, in order."""
    return _year(year)


def leap_month(year: int) -> int:
    """The number of the leap month of the lunar ``year``, 0 if it has none."""
    return next((month.month for month in _year(year) if month.leap), 0)


def new_year(year: int) -> date:
    """The Gregorian date of the lunar new year (正月初一) of ``year``."""
    return _year(year)[0].start


def month_length(year: int, month: int, leap: bool = False) -> int:
    """The number of days (29 or 30) of a lunar month."""
    return _month(year, month, leap).length


def lunar_to_gregorian(year: int, month: int, day: int, leap: bool = False) -> date:
    """The Gregorian date of the lunar date ``year``-``month``-``day`` (``leap`` for the leap
    month). Raises :class:`LunarDateError` if the date does not exist or is out of range."""
    found = _month(year, month, leap)
    if not 1 <= day <= found.length:
        name = f"leap month {month}" if leap else f"month {month}"
        raise LunarDateError(
            f"lunar {year} {name} has {found.length} days, so day {day} does not exist"
        )
    return date.fromordinal(found.start.toordinal() + day - 1)


def last_day_of_month(year: int, month: int, leap: bool = False) -> date:
    """The Gregorian date of the last day (29th or 30th) of a lunar month; the last day of
    month 12 is New Year's Eve (除夕)."""
    return _month(year, month, leap).last


def gregorian_to_lunar(day: date) -> LunarDate:
    """The lunar date of a Gregorian date from :data:`FIRST_DATE` to :data:`LAST_DATE`."""
    if not FIRST_DATE <= day <= LAST_DATE:
        raise LunarDateError(
            f"{day.isoformat()} is out of range: supported are "
            f"{FIRST_DATE.isoformat()} to {LAST_DATE.isoformat()}"
        )
    ordinal = day.toordinal()
    index = bisect_right(_STARTS, ordinal) - 1
    found = _MONTHS[index]
    return LunarDate(found.year, found.month, ordinal - _STARTS[index] + 1, found.leap)
