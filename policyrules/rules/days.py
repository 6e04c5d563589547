"""Calendar patterns and festival rules of the syntax → the calendar's day sets.

The calendar knows nothing of the policy language: here a pattern's names are resolved (a
festival, a set of festivals, or a `festival`-typed attribute of the event in view) and its
distances turned into days, so that what reaches the calendar is a plain value.
"""

from __future__ import annotations

from collections.abc import Mapping

from policyrules.calendar import days as d
from policyrules.syntax import ast


def date_rule(rule: ast.DateRule) -> d.DateRule:
    """A festival's rule as the calendar states it."""
    match rule:
        case ast.FixedDate(month=month, day=day):
            return d.Annual(month, day)
        case ast.LunarDate(month=month, day=day, leap=leap):
            return d.LunarDay(month, day, leap)
        case ast.SolarTerm(name=name):
            return d.SolarTermDay(name)
        case ast.NthWeekday(ordinal=ordinal, weekday=weekday, month=month):
            return d.NthWeekday(ordinal, weekday.number, month)
        case ast.DateOffset(distance=distance, before=before, base=base):
            days = _days(distance)
            return d.Shifted(-days if before else days, date_rule(base))
    raise TypeError(rule)  # pragma: no cover - the grammar has no other rule


def festival(definition: ast.FestivalDef) -> d.Festival:
    return d.Festival(definition.name, date_rule(definition.rule))


class DayNames:
    """What the names of a policy's patterns stand for: its festivals and festival sets."""

    def __init__(
        self, festivals: Mapping[str, ast.FestivalDef], sets: Mapping[str, ast.SetDef]
    ) -> None:
        self._festivals = {name: festival(f) for name, f in festivals.items()}
        self._sets = sets
        self._lowered: dict[ast.Pattern, d.DaySet] = {}

    @property
    def festivals(self) -> Mapping[str, d.Festival]:
        return self._festivals

    def festival_names(self, name: str) -> list[str]:
        """The festivals a name stands for: itself, or the members of a festival set."""
        if name in self._festivals:
            return [name]
        set_def = self._sets.get(name)
        if set_def is None:
            return []
        return [m.id for m in set_def.members.items if isinstance(m, ast.Name)]

    def day_set(self, pattern: ast.Pattern) -> d.DaySet:
        """`pattern` as a day set; a name that is neither a festival nor a festival set is the
        `festival` attribute of the event in view (the checker has made sure it is one)."""
        found = self._lowered.get(pattern)
        if found is None:
            found = self._lowered[pattern] = self._lower(pattern)
        return found

    def _lower(self, pattern: ast.Pattern) -> d.DaySet:
        match pattern:
            case ast.WorkingDayPattern():
                return d.WorkingDays()
            case ast.RestDayPattern():
                return d.RestDays()
            case ast.HolidayPattern():
                return d.Holidays()
            case ast.NthWeekday(ordinal=ordinal, weekday=weekday, month=month):
                return d.NthWeekday(ordinal, weekday.number, month)
            case ast.MonthPattern(month=month):
                return d.WholeMonth(month)
            case ast.DayOfQuarter(day=day, month=month):
                return d.DayOfQuarter(day, month)
            case ast.FixedDate(month=month, day=day):
                return d.Annual(month, day)
            case ast.ExactDate(date=date):
                return d.OnDate(date)
            case ast.LunarDate(month=month, day=day, leap=leap):
                return d.LunarDay(month, day, leap)
            case ast.SolarTerm(name=name):
                return d.SolarTermDay(name)
            case ast.NamedPattern(name=name):
                names = self.festival_names(name)
                if name in self._festivals:
                    return self._festivals[name]
                if names or name in self._sets:
                    return d.Union(tuple(self._festivals[n] for n in names
                                         if n in self._festivals))
                return d.FestivalOf(name)
            case ast.Around(base=base, distance=distance):
                return d.Around(self.day_set(base), _days(distance), distance.working)
            case ast.AnyOf(options=options):
                return d.Union(tuple(self.day_set(o) for o in options))
        raise TypeError(pattern)  # pragma: no cover - the grammar has no other pattern


def _days(distance: ast.Duration) -> int:
    """A distance in days (or working days, when it says so)."""
    return distance.amount * (7 if distance.unit is ast.DurationUnit.WEEK else 1)
