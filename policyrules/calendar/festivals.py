"""When a festival falls: a `festival` rule of a policy evaluated for a Gregorian year.

Rules are fixed days (`03-05`), lunar dates (`lunar 07-15`, `lunar leap 04-08`), solar terms
(`term 清明`), the n-th or last weekday of a month (`3rd sunday of may`) and offsets of these
(`1 day before lunar 01-01`, 除夕). A lunar festival falls once a Gregorian year except for
the 12th lunar month, which straddles the new year; :func:`festival_dates` returns the
dates that fall inside the asked year, whatever lunar year they belong to.
"""

from __future__ import annotations

import datetime as dt

from dateutil.rrule import MONTHLY, rrule, weekday

from policyrules.calendar.days import (
    Annual,
    DateRule,
    LunarDay,
    NthWeekday,
    Shifted,
    SolarTermDay,
)
from policyrules.calendar.lunar import SUPPORTED_RANGE as TABLES
from policyrules.calendar.lunar import LunarDateError, lunar_to_gregorian
from policyrules.calendar.solarterms import solar_term_date
from policyrules.calendar.workdays import OutsideTheTables


def nth_weekday(year: int, month: int, ordinal: int, day_of_week: int) -> dt.date | None:
    """The `ordinal`-th (1-based; -1 = last) weekday `day_of_week` (0 = Monday) of a month,
    or None when the month has no such day (a 5th Saturday)."""
    # MONTHLY with the month fixed: YEARLY with SA(+2) and no month would mean the 2nd
    # Saturday of the *year*, a known dateutil pitfall.
    rule = rrule(
        MONTHLY,
        count=1,
        bymonth=month,
        byweekday=weekday(day_of_week, ordinal),
        dtstart=dt.datetime(year, month, 1),
    )
    found = list(rule)
    if not found or found[0].year != year or found[0].month != month:
        return None
    return found[0].date()


def festival_dates(rule: DateRule, year: int) -> list[dt.date]:
    """The dates in Gregorian `year` on which `rule` falls (usually one; none for 02-29 in a
    common year or a lunar day a month lacks)."""
    out = {d for d in _candidates(rule, year) if d.year == year}
    return sorted(out)


def _candidates(rule: DateRule, year: int) -> list[dt.date]:
    match rule:
        case Annual(month=month, day=day):
            try:
                return [dt.date(year, month, day)]
            except ValueError:
                return []
        case LunarDay(month=month, day=day, leap=leap):
            if not TABLES[0] <= year <= TABLES[1]:
                raise OutsideTheTables("lunar", year)
            found = []
            for lunar_year in (year - 1, year):
                try:
                    found.append(lunar_to_gregorian(lunar_year, month, day, leap))
                except LunarDateError:
                    continue
            return found
        case SolarTermDay(name=name):
            if not TABLES[0] <= year <= TABLES[1]:
                raise OutsideTheTables(name, year)
            return [solar_term_date(name, year)]
        case NthWeekday(ordinal=ordinal, weekday=wd, month=month):
            months = [month] if month is not None else list(range(1, 13))
            dates = [nth_weekday(year, m, ordinal, wd) for m in months]
            return [d for d in dates if d is not None]
        case Shifted():
            # nested shifts add up: one pass over the years the total shift can reach,
            # not three years per level of nesting
            days = 0
            base_rule: DateRule = rule
            while isinstance(base_rule, Shifted):
                days, base_rule = days + base_rule.days, base_rule.base
            shift = dt.timedelta(days=days)
            reach = abs(days) // 365 + 1
            return [
                d + shift
                for y in range(year - reach, year + reach + 1)
                for d in _candidates(base_rule, y)
            ]
    raise TypeError(rule)  # pragma: no cover
