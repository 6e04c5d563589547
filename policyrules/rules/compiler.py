"""A checked policy → its compiled rules: the rule IR of every obligation, with the calendar
that dates its instances.

`compile_policy(policy)` lowers each obligation (:mod:`policyrules.rules.lower`), applies
supersession to its window, and pairs it with a :class:`~policyrules.rules.instances.Schedule`
on the policy's clock (time zone, working days, day sets). Engines evaluate the rules; the
calendar view and the hypothesis strategies read the instances.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from policyrules.calendar.moments import END_OF_DAY
from policyrules.calendar.patterns import PatternCalendar
from policyrules.calendar.workdays import WorkdayCalendar, default_calendar
from policyrules.rules import ir
from policyrules.rules.days import DayNames
from policyrules.rules.instances import Clock, Instance, Schedule
from policyrules.rules.lower import Lowering
from policyrules.semantics import CheckedObligation, CheckedPolicy

__all__ = ["END_OF_DAY", "CompiledObligation", "CompiledPolicy", "Instance", "compile_policy"]


@dataclass
class CompiledObligation:
    """An obligation as checked (`checked`) and as engines evaluate it (`rule`)."""

    checked: CheckedObligation
    rule: ir.Rule
    schedule_of: Schedule

    @property
    def name(self) -> str:
        return self.rule.name

    @property
    def window(self) -> ir.Window:
        return self.rule.window

    @property
    def schedule(self) -> object:
        """The schedule as written (syntax)."""
        return self.checked.schedule

    def instances(self, until: dt.date, *, started_by: dt.date | None = None) -> Iterator[Instance]:
        return self.schedule_of.instances(until, started_by=started_by)

    def due_for_event(self, at: dt.datetime) -> dt.datetime:
        return self.schedule_of.due_for_event(at)


@dataclass
class CompiledPolicy:
    checked: CheckedPolicy
    workdays: WorkdayCalendar
    patterns: PatternCalendar
    names: DayNames
    zone: ZoneInfo
    clock: Clock
    lowering: Lowering
    obligations: list[CompiledObligation] = field(default_factory=list)

    @property
    def rules(self) -> list[ir.Rule]:
        return [ob.rule for ob in self.obligations]

    def obligation(self, name: str) -> CompiledObligation:
        for ob in self.obligations:
            if ob.name == name:
                return ob
        raise KeyError(name)


def compile_policy(
    policy: CheckedPolicy, workdays: WorkdayCalendar | None = None
) -> CompiledPolicy:
    calendar = workdays or default_calendar()
    patterns = PatternCalendar(calendar)
    names = DayNames(policy.definitions.festivals, policy.definitions.sets)
    zone = ZoneInfo(policy.timezone)
    clock = Clock(zone, calendar, patterns)
    lowering = Lowering(policy, names)
    compiled = CompiledPolicy(policy, calendar, patterns, names, zone, clock, lowering)
    for checked in policy.obligations:
        rule = lowering.rule(checked, _window(checked))
        compiled.obligations.append(CompiledObligation(checked, rule, Schedule(rule, clock)))
    return compiled


def _window(ob: CheckedObligation) -> ir.Window:
    """The obligation's window, ended the day before a later policy supersedes it."""
    window = ir.Window(ob.window.start, ob.window.end)
    if ob.superseded_from is not None:
        end = ob.superseded_from - dt.timedelta(days=1)
        window = ir.Window(window.start, end if window.end is None else min(end, window.end))
    return window
