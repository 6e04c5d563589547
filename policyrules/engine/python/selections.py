"""The reference engine's selections and aggregates: the events a selection picks in a
frame's window and scope, and what `count`, `sum`, `latest`, `… per month` and `… per theme
in SET` make of them.

An aggregate's value does not depend on the event an enclosing `where` looks at, so it is
computed once per frame (unit, window, cut-offs, person, trigger, variables) and kept with
the evidence it found; `person in distinct(person of registration)` stays linear. A `where`
that pins an attribute (`ref == trigger.id`, an :class:`~policyrules.rules.ir.EqualityKey`)
reads the events through an index on it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from typing import Any

from policyrules.calendar.periods import groups_within
from policyrules.data.events import Event
from policyrules.engine.python.frame import Frame
from policyrules.engine.python.index import EventIndex
from policyrules.engine.python.units import UnitDirectory
from policyrules.engine.python.values import (
    DistinctValues,
    EvaluationError,
    Expressions,
    GroupValues,
    truthy,
)
from policyrules.engine.verdict import is_number
from policyrules.rules import ir
from policyrules.rules.compiler import CompiledPolicy


class Selections(Expressions):
    """Expressions, aggregates included, over one evaluation's events and units."""

    def __init__(self, compiled: CompiledPolicy, index: EventIndex, units: UnitDirectory
                 ) -> None:
        self.compiled = compiled
        self.index = index
        self.units = units
        self.clock = compiled.clock
        self.memo: dict[tuple[Any, ...], tuple[Any, frozenset[str]]] = {}
        #: the rows of each headcount band that some evaluation used (`policyrules test`)
        self.band_rows_used: dict[str, set[int]] = {}

    def forget(self) -> None:
        """Drop computed values (events arrived)."""
        self.memo = {}

    def aggregate_value(self, node: ir.Expr, frame: Frame) -> Any:
        try:
            key = frame.memo_key(node)
            found = self.memo.get(key)
        except TypeError:  # an unhashable variable: computed, not kept
            return self._compute(node, frame)
        if found is not None:
            frame.evidence.update(found[1])
            return found[0]
        local = frame.but(evidence=set())
        value = self._compute(node, local)
        self.memo[key] = (value, frozenset(local.evidence))
        frame.evidence.update(local.evidence)
        return value

    def _compute(self, node: ir.Expr, frame: Frame) -> Any:
        match node:
            case ir.Values(selection=selection):
                return self._distinct(selection, frame)
            case ir.Aggregate(function=function, selection=selection):
                return self.combine(function, selection, self.select(selection, frame), frame)
            case ir.SizeOf(operand=operand):
                members = self.value(operand, frame)
                return len(members) if isinstance(members, (list, set, tuple)) else 0
            case ir.Grouped():
                return self._grouped(node, frame)
            case ir.Reduce(function=function, grouped=grouped):
                return _reduce(function, self._grouped(grouped, frame))
        raise EvaluationError(f"not an aggregate: {node!r}")  # pragma: no cover

    # ------------------------------------------------------------------ selecting

    def select(
        self, sel: ir.Selection, frame: Frame, by: tuple[str, list[Any]] | None = None
    ) -> list[Event]:
        """The events `sel` picks in the frame's window; with `by` = (FIELD, values), only
        those whose FIELD has one of the values (read through an index)."""
        lo = None if sel.stock else frame.lo
        candidates: Iterable[Event] = (
            self._by_values(sel, frame, lo, by[0], by[1]) if by is not None
            else self._candidates(sel, frame, lo)
        )
        seen: set[str] = set()
        out: list[Event] = []
        where = sel.where
        inner = frame.but() if where is not None else frame  # one frame, its event swapped
        qualifying = None if sel.stock else frame.qualifying
        for event in candidates:
            if event.id in seen:
                continue
            if qualifying is not None and not any(s <= event.day <= e for s, e in qualifying):
                continue
            if where is not None:
                inner.event = event
                if not truthy(self.value(where, inner)):
                    continue
            seen.add(event.id)
            out.append(event)
        return out

    def _candidates(self, sel: ir.Selection, frame: Frame, lo: dt.datetime | None
                    ) -> Iterable[Event]:
        key = sel.key
        if key is not None:
            value = self.value(key.value, frame)
            wanted: list[Any] | None
            if key.several:  # `person in distinct(…)`: the events of each member
                wanted = list(value) if isinstance(value, (list, set, tuple)) else None
            else:
                wanted = [value]
            if wanted is not None:
                wanted = [w for w in wanted if w is not None and _hashable(w)]
                return self._by_values(sel, frame, lo, key.field, wanted)
        units = self._reach(sel, frame)
        series = [self.index.series(None, sel.kind)] if units is None else [
            self.index.series(u, sel.kind) for u in units]
        return [e for one in series if one is not None for e in one.between(lo, frame.hi)]

    def _reach(self, sel: ir.Selection, frame: Frame) -> list[str] | None:
        if sel.reach is ir.Reach.ALL:
            return None
        if sel.reach is ir.Reach.AREA:
            return self.units.area(frame.unit, frame.day)
        return [frame.unit]

    def _by_values(
        self, sel: ir.Selection, frame: Frame, lo: dt.datetime | None, field: str,
        wanted: Iterable[Any],
    ) -> list[Event]:
        """The events of the selection's reach and window whose FIELD is one of `wanted`."""
        hi = frame.hi
        found: list[Event] = []
        units = self._reach(sel, frame)
        members = list(wanted)
        for owner in units if units is not None else [None]:
            index = self.index.by_value(owner, sel.kind, field)
            for member in members:
                for event in index.get(member, ()):
                    if (lo is None or event.at >= lo) and event.at <= hi:
                        found.append(event)
        return found

    def _distinct(self, sel: ir.Selection, frame: Frame) -> DistinctValues:
        return DistinctValues(sorted(_values_of(self.select(sel, frame), sel.field), key=str))

    # ------------------------------------------------------------------ combining

    def combine(self, function: str, sel: ir.Selection, events: list[Event], frame: Frame) -> Any:
        if function == "latest":
            if not events:
                return None
            last = max(events, key=lambda e: (e.at, e.id))
            frame.evidence.add(last.id)
            return last.get(sel.field or "id")
        frame.evidence.update(e.id for e in events)
        match function:
            case "count":
                return len(_values_of(events, sel.field)) if sel.distinct else len(events)
            case "exists":
                return bool(events)
        values = [event.get(sel.field or "") for event in events]
        numbers = [n for n in values if is_number(n)]
        ordered = [n for n in values if is_number(n) or isinstance(n, (str, dt.date))]
        match function:
            case "sum":
                return _sum(numbers)
            case "avg":
                return _sum(numbers) / len(numbers) if numbers else None
            case "min":
                return min(ordered) if ordered else None
            case "max":
                return max(ordered) if ordered else None
        raise EvaluationError(f"unknown aggregate {function}")  # pragma: no cover

    def _grouped(self, node: ir.Grouped, frame: Frame) -> GroupValues:
        inner, group = node.aggregate, node.group
        sel = inner.selection
        values = GroupValues()
        if isinstance(group, ir.PerPeriod):
            instance = frame.instance
            # the sub-periods that overlap the instance, the cut first and last included
            for sub, start, end in groups_within(group.unit, instance.start, instance.end):
                lo = self.clock.start_of(start)
                hi = min(frame.hi, self.clock.end_of(end))
                if frame.lo is not None and lo < frame.lo:
                    lo = frame.lo
                events = [] if hi < lo else self.select(sel, frame.but(lo=lo, hi=hi))
                values.append((sub.label, self.combine(inner.function, sel, events, frame)))
            return values
        members = self.value(group.members, frame) or []
        by_member: dict[Any, list[Event]] = {}
        for event in self.select(sel, frame, (group.field, list(members))):
            value = event.get(group.field)
            for one in value if isinstance(value, list) else [value]:
                if _hashable(one):
                    by_member.setdefault(one, []).append(event)
        for member in members:
            matching = by_member.get(member, []) if _hashable(member) else []
            values.append((str(member), self.combine(inner.function, sel, matching, frame)))
        return values


def _values_of(events: Iterable[Event], field: str | None) -> set[Any]:
    """The distinct values of an attribute among events (each member of a list)."""
    values: set[Any] = set()
    for event in events:
        value = event.get(field or "id")
        if isinstance(value, list):
            values.update(value)
        elif value is not None:
            values.add(value)
    return values


def _sum(numbers: list[Any]) -> Any:
    """A sum that does not depend on the order of its terms: whole numbers exactly, others
    correctly rounded (so that every engine and every event order gives the same)."""
    if all(isinstance(n, int) for n in numbers):
        return sum(numbers)
    return math.fsum(numbers)


def _reduce(function: str, groups: GroupValues) -> Any:
    numbers = [v for _, v in groups if is_number(v)]
    match function:
        case "avg":
            return _sum(numbers) / len(numbers) if numbers else None
        case "min":
            return min(numbers) if numbers else None
        case "max":
            return max(numbers) if numbers else None
        case "sum":
            return _sum(numbers)
        case "count":
            return len(groups)
    return None


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True
