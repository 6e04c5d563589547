"""The reference engine: the rule IR walked over events held in memory, one unit at a time.

It is the specification of what a policy means; the columnar engine must agree with it.
For each rule and unit it finds the instances (the periods, occurrences or triggering
events) the unit is in scope for, the people of per-person rules, the frame each is
evaluated in, and hands the requirements' outcome to :mod:`policyrules.engine.verdict`.
Work that does not depend on the unit — a rule's instances, whether a scope holds for a
version of a unit's facts — is done once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from policyrules.calendar.workdays import CalendarIndeterminate
from policyrules.data.events import Event, UnitSet
from policyrules.engine.outcome import Outcome
from policyrules.engine.python.frame import Frame
from policyrules.engine.python.index import EventIndex
from policyrules.engine.python.requirements import Requirements
from policyrules.engine.python.selections import Selections
from policyrules.engine.python.units import Facts, UnitDirectory
from policyrules.engine.python.values import ident, truthy
from policyrules.engine.verdict import UNDATED, Finding, decide, indeterminate, missing_fact
from policyrules.rules import ir
from policyrules.rules.compiler import CompiledObligation, CompiledPolicy
from policyrules.rules.instances import Instance

#: a rule among those of a policy and the policies it imports
RuleKey = tuple[str, str]


def rule_key(rule: ir.Rule) -> RuleKey:
    return rule.policy, rule.name


class ReferenceEngine:
    """Evaluates a compiled policy over events and units at `as_of`."""

    def __init__(
        self,
        compiled: CompiledPolicy,
        events: Iterable[Event],
        units: UnitSet | None,
        as_of: dt.datetime,
        lang: str = "en",
    ) -> None:
        self.compiled = compiled
        self.as_of = as_of
        self.lang = lang
        self.index = EventIndex(compiled.checked.definitions.events, events)
        self.units = UnitDirectory(units)
        self.selections = Selections(compiled, self.index, self.units)
        self.requirements = Requirements(self.selections)
        self.clock = compiled.clock
        self._instances: dict[RuleKey, list[Instance]] = {}
        self._scope_by_facts: dict[tuple[str, str, str, int], tuple[Mapping[str, Any], bool]] = {}
        self._facts: dict[int, tuple[str, ...]] = {}

    def add(self, events: Iterable[Event]) -> None:
        """Events that arrived since; the next evaluation sees them."""
        self.index.add(events)
        self.selections.forget()

    def unit_ids(self) -> list[str]:
        return self.units.ids(e.unit for e in self.index.events)

    def findings(self, unit: str) -> list[Finding]:
        """Every result of `unit`, rule by rule, instance by instance."""
        return [f for ob in self.compiled.obligations for f, _ in self.framed(ob, unit)]

    # ------------------------------------------------------------------ instances

    def framed(self, ob: CompiledObligation, unit: str) -> list[tuple[Finding, Frame | None]]:
        """The results of one rule for one unit, each with the frame its requirements were
        evaluated in (None when the instance could not be dated)."""
        rule, facts = ob.rule, self.units.facts(unit)
        today = self.as_of.date()
        found: list[tuple[Finding, Frame | None]] = []
        if isinstance(rule.schedule, ir.PerEvent):
            for trigger in self.triggers(rule, rule.schedule, unit, facts):
                if not self.applies(rule, unit, facts, trigger.day):
                    continue
                instance = Instance(trigger.id, trigger.day, trigger.day, None)
                try:
                    instance = replace(instance, due=ob.due_for_event(trigger.at))
                except CalendarIndeterminate as missing:
                    instance = replace(instance, indeterminate=missing.message)
                for subject in self.subjects(rule, unit, facts, instance):
                    found.append(self.judge(rule, unit, facts, instance, subject, trigger))
            return found
        key = rule_key(rule)
        instances = self._instances.get(key)
        if instances is None:
            instances = self._instances[key] = list(ob.instances(today, started_by=today))
        for instance in instances:
            if not self.applies(rule, unit, facts, min(instance.end, today)):
                continue
            for subject in self.subjects(rule, unit, facts, instance):
                found.append(self.judge(rule, unit, facts, instance, subject, None))
        return found

    def applies(self, rule: ir.Rule, unit: str, facts: Facts, day: dt.date) -> bool:
        """Whether the rule's scope holds for the unit's facts on `day`."""
        if not rule.scope:
            return True
        key: tuple[str, str, str, int] | None = None
        if rule.scope_reads_facts_only:
            on_day = facts(day)
            key = (*rule_key(rule), unit, id(on_day))
            known = self._scope_by_facts.get(key)
            if known is not None and known[0] is on_day:
                return known[1]
        frame = Frame(unit, facts, day, None, self.as_of, Instance("", day, day, None))
        holds = all(truthy(self.selections.value(c, frame)) for c in rule.scope)
        if key is not None:
            self._scope_by_facts[key] = (on_day, holds)
        return holds

    def triggers(self, rule: ir.Rule, schedule: ir.PerEvent, unit: str, facts: Facts
                 ) -> list[Event]:
        """The unit's own events that open instances: of the kind, dated in the window up to
        as_of, chosen by the schedule's condition."""
        series = self.index.series(unit, schedule.kind)
        if series is None:
            return []
        window = rule.window
        lo = self.clock.start_of(window.start)
        hi = self.as_of if window.end is None else min(self.as_of,
                                                       self.clock.at(window.end, None))
        found = []
        for event in series.between(lo, hi):
            if event.unit != unit:
                continue  # a joint event opens the instance only for the unit that ran it
            if schedule.where is not None:
                frame = Frame(unit, facts, event.day, None, self.as_of,
                              Instance(event.id, event.day, event.day, None), event=event,
                              trigger=event)
                if not truthy(self.selections.value(schedule.where, frame)):
                    continue
            found.append(event)
        return found

    def subjects(self, rule: ir.Rule, unit: str, facts: Facts, instance: Instance) -> list[Any]:
        """The people of a per-person rule in an instance (the one None otherwise)."""
        subject = rule.subject
        if subject is None:
            return [None]
        hi = min(self.as_of, self.clock.end_of(instance.end))
        series = self.index.series(unit, subject.kind)
        values: set[Any] = set()
        for event in series.between(None, hi) if series is not None else ():
            if subject.where is not None:
                frame = Frame(unit, facts, event.day, None, hi, instance, event=event)
                if not truthy(self.selections.value(subject.where, frame)):
                    continue
            value = event.get(subject.field)
            if value is not None:
                values.add(value)
        return sorted(values, key=str)

    # ------------------------------------------------------------------ one instance

    def judge(
        self, rule: ir.Rule, unit: str, facts: Facts, instance: Instance, subject: Any,
        trigger: Event | None,
    ) -> tuple[Finding, Frame | None]:
        """The verdict of one instance, and the frame it was reached in."""
        person = ident(subject) or None
        trigger_id = trigger.id if trigger is not None else None
        if instance.indeterminate is not None or instance.due is None:
            verdict = indeterminate(instance.indeterminate or UNDATED,
                                    None, self.lang)
            return Finding(rule, unit, person, instance, trigger_id, verdict), None
        due = instance.due
        window_end = self._window_end(instance) if trigger is None else due
        cutoff = min(self.as_of, due, window_end)
        frame = self.frame(unit, facts, instance, subject, trigger, cutoff)
        share = instance.share() if rule.partial is ir.Partial.PRORATE else None
        on_time = self.requirements.outcome(rule, frame, share)
        if not on_time.holds and on_time.missing is None:
            present = frame.facts(frame.day)
            absent = next((f for f in self._facts_read(rule) if present.get(f) is None), None)
            if absent is not None:
                verdict = missing_fact(unit, absent, frame.day, due, self.lang)
                return Finding(rule, unit, person, instance, trigger_id, verdict), frame
        late: Outcome | None = None
        if not on_time.holds and on_time.missing is None and self.as_of > due \
                and rule.accept_late:
            until = min(self.as_of, self._late_until(rule, instance, due, trigger))
            late = self.requirements.outcome(
                rule, self.frame(unit, facts, instance, subject, trigger, until), share)
        verdict = decide(rule, instance, due, on_time, late, self.as_of,
                         self.compiled.workdays, self.lang)
        return Finding(rule, unit, person, instance, trigger_id, verdict), frame

    def _facts_read(self, rule: ir.Rule) -> tuple[str, ...]:
        found = self._facts.get(id(rule))
        if found is None:
            found = self._facts[id(rule)] = ir.facts_read(rule)
        return found

    def frame(
        self, unit: str, facts: Facts, instance: Instance, subject: Any, trigger: Event | None,
        cutoff: dt.datetime,
    ) -> Frame:
        """The frame of an instance with events up to `cutoff`: flows from the instance's
        first day (any earlier time for a trigger's instance), facts on its last day."""
        qualifying = (
            tuple((o.start, o.end) for o in instance.qualifying)
            if instance.qualifying is not None else None
        )
        return Frame(
            unit=unit,
            facts=facts,
            day=min(instance.end, cutoff.date()),
            lo=None if trigger is not None else self.clock.start_of(instance.start),
            hi=cutoff,
            instance=instance,
            qualifying=qualifying,
            trigger=trigger,
            subject=subject,
        )

    def _window_end(self, instance: Instance) -> dt.datetime:
        end = self.clock.end_of(instance.end)
        if instance.due is not None and instance.due > end:
            return instance.due  # a report on the period may come after it, until due
        return end

    def _late_until(self, rule: ir.Rule, instance: Instance, due: dt.datetime,
                    trigger: Event | None) -> dt.datetime:
        """How long late delivery counts: until the rule's window closes (a plan for 2019
        sent in 2020 serves nothing) or, for an instance due after that, for as long again
        as the instance lasted (the last week's sheet a day late); what follows an event may
        come at any time."""
        if trigger is not None or rule.window.end is None:
            return self.as_of
        closes = self.clock.end_of(rule.window.end)
        if due < closes:
            return closes
        return due + dt.timedelta(days=(instance.end - instance.start).days + 1)
