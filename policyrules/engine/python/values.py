"""The reference engine's expressions: the value of every node of the rule IR in a frame.

Missing values stay missing: a comparison with a missing side is false, arithmetic with
one has no value, `not` of a missing attribute is unknown. A value of a type the checker
should have refused is not turned into a silent false: it raises :class:`EvaluationError`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from policyrules.calendar.days import DaySet, names_an_attribute, naming
from policyrules.engine.python.frame import Frame
from policyrules.engine.verdict import is_number
from policyrules.rules import ir
from policyrules.rules.compiler import CompiledPolicy


class EvaluationError(RuntimeError):
    """A value the checked policy cannot produce: a gap in the checker, not bad input."""


class GroupValues(list[tuple[str, Any]]):
    """A grouped aggregate's value: (label, value) per group, in order."""


class DistinctValues(list[Any]):
    """Distinct values, in order, with a set beside them for fast `in`."""

    def __init__(self, values: Iterable[Any]) -> None:
        super().__init__(values)
        self._set: set[Any] | None = None

    def __contains__(self, item: object) -> bool:
        if self._set is None:
            try:
                self._set = set(self)
            except TypeError:  # unhashable members: fall back to a scan
                return list.__contains__(self, item)
        try:
            return item in self._set
        except TypeError:
            return list.__contains__(self, item)


def truthy(value: Any) -> bool:
    if isinstance(value, GroupValues):
        return all(v for _, v in value)
    return bool(value)


def compare(op: str, a: Any, b: Any) -> bool:
    """`a OP b` as requirements compare: nothing holds of a missing value."""
    if a is None or b is None:
        return False
    if isinstance(a, dt.datetime) and isinstance(b, dt.date) and not isinstance(b, dt.datetime):
        a = a.date()
    if isinstance(b, dt.datetime) and isinstance(a, dt.date) and not isinstance(a, dt.datetime):
        b = b.date()
    try:
        match op:
            case "==":
                return bool(a == b)
            case "!=":
                return bool(a != b)
            case "<":
                return bool(a < b)
            case "<=":
                return bool(a <= b)
            case ">":
                return bool(a > b)
            case ">=":
                return bool(a >= b)
    except TypeError as error:
        raise EvaluationError(f"cannot compare {a!r} {op} {b!r}") from error
    raise EvaluationError(f"unknown comparison {op}")  # pragma: no cover


def ident(value: Any) -> str:
    """A value as an identifier: '' for none."""
    return "" if value is None else str(value)


Handler = Callable[["Expressions", Any, Frame], Any]


class Expressions:
    """Evaluates the non-aggregate nodes; :class:`~.selections.Selections` adds the rest."""

    compiled: CompiledPolicy
    band_rows_used: dict[str, set[int]]

    def value(self, node: ir.Expr, frame: Frame) -> Any:
        handler = _HANDLERS.get(type(node))
        if handler is None:
            raise EvaluationError(f"no value for {node!r}")
        return handler(self, node, frame)

    def aggregate_value(self, node: ir.Expr, frame: Frame) -> Any:
        raise NotImplementedError

    # ------------------------------------------------------------------ leaves

    def _const(self, node: ir.Const, frame: Frame) -> Any:
        return node.value

    def _list(self, node: ir.ListExpr, frame: Frame) -> Any:
        return [self.value(i, frame) for i in node.items]

    def _event_field(self, node: ir.EventField, frame: Frame) -> Any:
        return frame.event.get(node.name) if frame.event is not None else None

    def _trigger_field(self, node: ir.TriggerField, frame: Frame) -> Any:
        return frame.trigger.get(node.name) if frame.trigger is not None else None

    def _unit_fact(self, node: ir.UnitFact, frame: Frame) -> Any:
        day = frame.event.day if frame.event is not None else frame.day
        return frame.facts(day).get(node.name)

    def _unit_id(self, node: ir.UnitId, frame: Frame) -> Any:
        return frame.unit

    def _window(self, node: ir.WindowField, frame: Frame) -> Any:
        instance = frame.instance
        return {"start": instance.start, "end": instance.end, "label": instance.label}.get(
            node.name)

    def _subject(self, node: ir.SubjectValue, frame: Frame) -> Any:
        return frame.subject

    def _variable(self, node: ir.Variable, frame: Frame) -> Any:
        return frame.variables.get(node.name)

    # ------------------------------------------------------------------ operations

    def _band(self, node: ir.BandLookup, frame: Frame) -> Any:
        found, row = node.band.minimum(self.value(node.argument, frame))
        if row is not None:
            self.band_rows_used.setdefault(node.band.name, set()).add(row)
        return found

    def _length(self, node: ir.Length, frame: Frame) -> Any:
        value = self.value(node.operand, frame)
        return len(value) if isinstance(value, (list, tuple, set)) else 0

    def _lower(self, node: ir.Lower, frame: Frame) -> Any:
        value = self.value(node.operand, frame)
        return value.lower() if isinstance(value, str) else value

    def _quantify(self, node: ir.Quantify, frame: Frame) -> Any:
        members = self.value(node.collection, frame) or []
        checks = (
            truthy(self.value(node.condition,
                              frame.but(variables={**frame.variables, node.variable: member})))
            for member in members
        )
        return all(checks) if node.every else any(checks)

    def _share(self, node: ir.Share, frame: Frame) -> Any:
        number = self.value(node.base, frame)
        return node.fraction * number if is_number(number) else None

    def _negate(self, node: ir.Negate, frame: Frame) -> Any:
        number = self.value(node.operand, frame)
        return -number if is_number(number) else None

    def _not(self, node: ir.Not, frame: Frame) -> Any:
        value = self.value(node.operand, frame)
        return None if value is None else not truthy(value)

    def _arith(self, node: ir.Arith, frame: Frame) -> Any:
        return arith(node.op, self.value(node.left, frame), self.value(node.right, frame))

    def _and(self, node: ir.And, frame: Frame) -> Any:
        return truthy(self.value(node.left, frame)) and truthy(self.value(node.right, frame))

    def _or(self, node: ir.Or, frame: Frame) -> Any:
        return truthy(self.value(node.left, frame)) or truthy(self.value(node.right, frame))

    def _compare(self, node: ir.Compare, frame: Frame) -> Any:
        a, b = self.value(node.left, frame), self.value(node.right, frame)
        if isinstance(a, GroupValues):
            return bool(a) and all(compare(node.op, v, b) for _, v in a)
        return compare(node.op, a, b)

    def _between(self, node: ir.Between, frame: Frame) -> Any:
        v = self.value(node.value, frame)
        low, high = self.value(node.low, frame), self.value(node.high, frame)
        values = [x for _, x in v] if isinstance(v, GroupValues) else [v]
        return all(compare(">=", x, low) and compare("<=", x, high) for x in values)

    def _member(self, node: ir.Member, frame: Frame) -> Any:
        v, coll = self.value(node.value, frame), self.value(node.collection, frame)
        found = v is not None and coll is not None and v in coll
        return not found if node.negated else found

    def _on_days(self, node: ir.OnDays, frame: Frame) -> Any:
        moment = self.value(node.value, frame)
        day = moment.date() if isinstance(moment, dt.datetime) else moment
        if not isinstance(day, dt.date):
            return False
        return self.compiled.patterns.matches(self.days(node.days, frame), day)

    def days(self, days: DaySet, frame: Frame) -> DaySet:
        """`days` with the festival the event in view names put in place of a `festival`
        attribute (`at on festival ± 7 days`)."""
        attribute = names_an_attribute(days)
        if attribute is None:
            return days
        event = frame.event
        named = ident(event.get(attribute)) if event is not None else ""
        return naming(days, self.compiled.names.festivals.get(named))

    def _during(self, node: ir.During, frame: Frame) -> Any:
        moment = self.value(node.value, frame)
        if not isinstance(moment, dt.datetime):
            return False
        if node.needs_time and frame.event is not None and not frame.event.timed:
            return False  # a date without a time of day
        clock = moment.time().replace(tzinfo=None)
        if node.start <= node.end:
            return node.start <= clock <= node.end
        return clock >= node.start or clock <= node.end  # overnight: 22:00..06:00

    def _is_set(self, node: ir.IsSet, frame: Frame) -> Any:
        present = self.value(node.operand, frame) not in (None, [], "")
        return not present if node.negated else present

    def _aggregate(self, node: ir.Expr, frame: Frame) -> Any:
        return self.aggregate_value(node, frame)


_HANDLERS: dict[type, Handler] = {
    ir.Const: Expressions._const,
    ir.ListExpr: Expressions._list,
    ir.EventField: Expressions._event_field,
    ir.TriggerField: Expressions._trigger_field,
    ir.UnitFact: Expressions._unit_fact,
    ir.UnitId: Expressions._unit_id,
    ir.WindowField: Expressions._window,
    ir.SubjectValue: Expressions._subject,
    ir.Variable: Expressions._variable,
    ir.BandLookup: Expressions._band,
    ir.Length: Expressions._length,
    ir.Lower: Expressions._lower,
    ir.Quantify: Expressions._quantify,
    ir.Share: Expressions._share,
    ir.Negate: Expressions._negate,
    ir.Not: Expressions._not,
    ir.Arith: Expressions._arith,
    ir.And: Expressions._and,
    ir.Or: Expressions._or,
    ir.Compare: Expressions._compare,
    ir.Between: Expressions._between,
    ir.Member: Expressions._member,
    ir.OnDays: Expressions._on_days,
    ir.During: Expressions._during,
    ir.IsSet: Expressions._is_set,
    ir.Values: Expressions._aggregate,
    ir.Aggregate: Expressions._aggregate,
    ir.SizeOf: Expressions._aggregate,
    ir.Grouped: Expressions._aggregate,
    ir.Reduce: Expressions._aggregate,
}


def arith(op: str, a: Any, b: Any) -> Any:
    """`a OP b` as the language computes it: exact integers stay exact, no value when a
    side is not a number (the columnar engine folds constants with it too)."""
    if not (is_number(a) and is_number(b)):
        return None
    match op:
        case "/":
            return ratio(a, b)
        case "+":
            return a + b
        case "-":
            return a - b
    return a * b


def ratio(a: float, b: float) -> float | None:
    """`a / b`, none for a zero divisor or a ratio of exact integers past a float's range."""
    if not b:
        return None
    try:
        return a / b
    except OverflowError:
        return None

