"""The 24 solar terms (二十四节气): the Gregorian date of each in China, 1901–2100.

A solar term is the day (Beijing time) on which the Sun's apparent longitude reaches a
multiple of 15°: 春分 at 0°, 清明 at 15°, … 冬至 at 270°. Names are the Chinese ones of
:data:`policyrules.calendar.names.SOLAR_TERMS`, in the order they fall in a Gregorian year
(小寒 in early January … 冬至 in late December); the dates come from
:mod:`policyrules.calendar.tables`, see ``docs/calendar-sources.md``.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from policyrules.calendar import tables
from policyrules.calendar.names import SOLAR_TERMS

__all__ = ["SUPPORTED_RANGE", "SolarTermError", "solar_term_date", "solar_terms"]

#: The Gregorian years covered, inclusive.
SUPPORTED_RANGE: Final[tuple[int, int]] = (
    tables.FIRST_SOLAR_TERM_YEAR,
    tables.LAST_SOLAR_TERM_YEAR,
)

_NAMES: Final = tuple(SOLAR_TERMS)
_INDEX: Final = {name: index for index, name in enumerate(_NAMES)}


class SolarTermError(ValueError):
    """An unknown solar-term name or a year out of range."""


def _days(year: int) -> str:
    try:
        return tables.SOLAR_TERM_DAYS[year]
    except KeyError:
        first, last = SUPPORTED_RANGE
        raise SolarTermError(
            f"year {year} is out of range: solar terms are known for {first}–{last}"
        ) from None


def _date(year: int, days: str, index: int) -> date:
    return date(year, index // 2 + 1, int(days[2 * index : 2 * index + 2]))


def solar_term_date(name: str, year: int) -> date:
    """The Gregorian date in China of the solar term ``name`` (e.g. ``"清明"``) in ``year``."""
    index = _INDEX.get(name)
    if index is None:
        raise SolarTermError(f"unknown solar term `{name}`: expected one of {', '.join(_NAMES)}")
    return _date(year, _days(year), index)


def solar_terms(year: int) -> dict[str, date]:
    """All 24 solar terms of the Gregorian ``year``, in date order."""
    days = _days(year)
    return {name: _date(year, days, index) for index, name in enumerate(_NAMES)}
