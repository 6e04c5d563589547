"""Sets of calendar days as values: `2nd saturday`, `中元节 ± 7 days`, `holiday`, `may`.

These are what a policy's calendar patterns and festival rules mean, stated without the
policy language: the rule IR lowers the syntax into them, and
:class:`~policyrules.calendar.patterns.PatternCalendar` turns them into occurrences. They are
frozen and hashable, so a year's occurrences of each are computed once.

A *date rule* names one day a year (`03-05`, `lunar 07-15`, `term 清明`, `3rd sunday of
may`, `1 day before lunar 01-01`); a *day set* is any set of days, made of date rules,
named festivals, working days, holidays, months and the like, widened (`± 7 days`) or
joined (`A or B`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)
WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True, slots=True)
class WorkingDays:
    """Working days of China's calendar, makeup working days (调休上班) included."""


@dataclass(frozen=True, slots=True)
class RestDays:
    """Days that are not working days: weekends and statutory holidays."""


@dataclass(frozen=True, slots=True)
class Holidays:
    """Statutory holidays (节假日); each run of consecutive days off is one occurrence."""


@dataclass(frozen=True, slots=True)
class NthWeekday:
    """The `ordinal`-th (1-based, -1 for the last) `weekday` (0 = Monday) of `month`, or of
    every month when `month` is None."""

    ordinal: int
    weekday: int
    month: int | None = None


@dataclass(frozen=True, slots=True)
class WholeMonth:
    """Every day of a month of the year (`may`)."""

    month: int


@dataclass(frozen=True, slots=True)
class DayOfQuarter:
    """That day of a month of every quarter (`month` 1..3, None for the last); a day the
    month lacks is its last day."""

    day: int
    month: int | None = None


@dataclass(frozen=True, slots=True)
class Annual:
    """That day every year (`07-01`)."""

    month: int
    day: int


@dataclass(frozen=True, slots=True)
class OnDate:
    """That one day."""

    date: dt.date


@dataclass(frozen=True, slots=True)
class LunarDay:
    """A day of the Chinese lunisolar calendar, every year (of the leap month when `leap`)."""

    month: int
    day: int
    leap: bool = False

    @property
    def text(self) -> str:
        return f"lunar {'leap ' if self.leap else ''}{self.month:02d}-{self.day:02d}"


@dataclass(frozen=True, slots=True)
class SolarTermDay:
    """The day of a solar term (节气), in China Standard Time."""

    name: str

    @property
    def text(self) -> str:
        return f"term {self.name}"


@dataclass(frozen=True, slots=True)
class Shifted:
    """A date rule moved by whole days (negative: before): 除夕 is `1 day before lunar 01-01`."""

    days: int
    base: DateRule


@dataclass(frozen=True, slots=True)
class Festival:
    """A named festival: its occurrences are labelled by its name and year."""

    name: str
    rule: DateRule


@dataclass(frozen=True, slots=True)
class Around:
    """Each occurrence of `base` widened by `amount` days (working days when `working`) on
    both sides."""

    base: DaySet
    amount: int
    working: bool = False


@dataclass(frozen=True, slots=True)
class Union:
    """The days of any of `options`; no options is no day at all."""

    options: tuple[DaySet, ...]


@dataclass(frozen=True, slots=True)
class FestivalOf:
    """The festival an event names in its attribute `attribute` (`at on festival ± 7 days`).
    It has no days of its own: an engine replaces it, event by event, with the festival the
    event names (:func:`naming`)."""

    attribute: str


DateRule = Annual | LunarDay | SolarTermDay | NthWeekday | Shifted
DaySet = (
    WorkingDays | RestDays | Holidays | NthWeekday | WholeMonth | DayOfQuarter | Annual
    | OnDate | LunarDay | SolarTermDay | Festival | Around | Union | FestivalOf
)
NO_DAY = Union(())


def naming(days: DaySet, festival: Festival | None) -> DaySet:
    """`days` with every :class:`FestivalOf` replaced by `festival` (no day when None)."""
    match days:
        case FestivalOf():
            return festival if festival is not None else NO_DAY
        case Around(base=base):
            return Around(naming(base, festival), days.amount, days.working)
        case Union(options=options):
            return Union(tuple(naming(o, festival) for o in options))
    return days


def names_an_attribute(days: DaySet) -> str | None:
    """The attribute a day set reads from the event (`festival`), if any."""
    match days:
        case FestivalOf(attribute=attribute):
            return attribute
        case Around(base=base):
            return names_an_attribute(base)
        case Union(options=options):
            for option in options:
                found = names_an_attribute(option)
                if found is not None:
                    return found
    return None
