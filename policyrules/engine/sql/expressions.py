"""Rule IR expressions → SQL (sqlglot), as the reference engine evaluates them.

An expression is read in a :class:`Row`: the frame row of the instance being checked (its
unit, window, person, trigger, and the unit's facts on the instance's day), and, inside a
`where`, the event in view with the unit's facts on that event's day. A condition is read
as the reference engine reads it: a comparison with a missing side is false
(:func:`~policyrules.engine.sql.sqlx.truthy`), arithmetic with one has no value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from sqlglot import exp

from policyrules.engine.python.values import arith
from policyrules.engine.sql import sqlx as q
from policyrules.engine.sql.store import KindTable
from policyrules.rules import ir
from policyrules.semantics import types as T

E = exp.Expr


class Unsupported(Exception):
    """A construct the columnar engine does not compile (yet): its rule is evaluated by the
    reference engine instead."""


@dataclass(frozen=True)
class Row:
    """Where the values of an expression are, in SQL."""

    frame: str  # the alias of the frame row
    #: the alias of the unit's facts on the instance's day (or the scope's)
    facts: str | None = None
    event: str | None = None  # the alias of the event in view
    kind: KindTable | None = None
    event_facts: str | None = None  # the alias of the unit's facts on the event's day
    trigger: KindTable | None = None  # the kind of the trigger, in a `for each KIND` rule
    variables: Mapping[str, str] = field(default_factory=dict)
    #: SQL given for particular nodes (by identity): a pro-rated target
    given: Mapping[int, E] = field(default_factory=dict)
    #: SQL for the frame's own columns (`unit`, `label`, `wstart`, `wend`) where the row
    #: read is not a frame: a unit and an instance not yet joined, a candidate trigger
    columns: Mapping[str, E] = field(default_factory=dict)

    def column(self, name: str) -> E:
        given = self.columns.get(name)
        return given.copy() if given is not None else q.col(name, self.frame)


#: columns of a frame row
UNIT, LABEL, START, END, SUBJECT = "unit", "label", "wstart", "wend", "subject"


def trigger_column(column: str) -> str:
    return f"t_{column}"


def type_of(node: ir.Expr) -> T.Type:
    """The type of a value, as far as SQL needs it (dates against date-times)."""
    match node:
        case (
            ir.Const(type=t)
            | ir.EventField(type=t)
            | ir.TriggerField(type=t)
            | (ir.UnitFact(type=t))
            | ir.SubjectValue(type=t)
            | ir.Variable(type=t)
        ):
            return t
        case ir.UnitId() | ir.Lower():
            return T.STRING
        case ir.WindowField(name=name):
            return T.STRING if name == "label" else T.DATE
        case ir.Aggregate(function="count") | ir.SizeOf() | ir.Length():
            return T.INT
        case ir.Aggregate(function="exists"):
            return T.BOOL
        case ir.Aggregate(function="avg"):
            return T.NUMBER
        case ir.Arith() | ir.Share() | ir.BandLookup() | ir.Reduce():
            return T.NUMBER
    return T.UNKNOWN


class Scalars:
    """Compiles scalar expressions; `aggregate` gives the column of an aggregate's value."""

    def __init__(
        self,
        kinds: Mapping[str, KindTable],
        facts: Mapping[str, str],
        aggregate: Callable[[ir.Expr, Row], E],
        days: Callable[[ir.OnDays, Row, E], E],
    ) -> None:
        self.kinds = kinds
        self.facts = facts
        self.aggregate = aggregate
        self.days = days

    def condition(self, node: ir.Expr, row: Row) -> E:
        return q.truthy(self.value(node, row))

    def value(self, node: ir.Expr, row: Row) -> E:
        given = row.given.get(id(node))
        if given is not None:
            return given
        match node:
            case ir.Const(value=value):
                return q.lit(value)
            case ir.ListExpr(items=items):
                return exp.Array(expressions=[self.value(i, row) for i in items])
            case ir.EventField(name=name):
                return self._event_field(name, row)
            case ir.TriggerField(name=name):
                return self._trigger_field(name, row)
            case ir.UnitFact(name=name, on=ir.FactDay.EVENT) if row.event_facts is not None:
                return q.col(self.facts[name], row.event_facts)
            case ir.UnitFact(name=name):
                if row.facts is None:
                    raise Unsupported("a unit fact where no facts are joined")
                return q.col(self.facts[name], row.facts)
            case ir.UnitId():
                return row.column(UNIT)
            case ir.WindowField(name=name):
                return row.column({"label": LABEL, "start": START, "end": END}[name])
            case ir.SubjectValue():
                return q.col(SUBJECT, row.frame)
            case ir.Variable(name=name):
                return exp.to_identifier(row.variables[name])
            case ir.BandLookup():
                return self._band(node, row)
            case ir.Length(operand=operand):
                return q.coalesce(q.func("len", self.value(operand, row)), q.lit(0))
            case ir.Lower(operand=operand):
                return exp.Lower(this=self.value(operand, row))
            case ir.Quantify():
                return self._quantify(node, row)
            case ir.Share(fraction=fraction, base=base):
                return exp.Mul(this=q.lit(fraction), expression=_grouped(self.value(base, row)))
            case ir.Negate(operand=operand):
                return exp.Neg(this=_grouped(self.value(operand, row)))
            case ir.Not(operand=operand):
                return q.not_(self.value(operand, row))
            case ir.Arith():
                return self._arith(node, row)
            case ir.And(left=left, right=right):
                return q.and_(self.condition(left, row), self.condition(right, row))
            case ir.Or(left=left, right=right):
                return q.or_(self.condition(left, row), self.condition(right, row))
            case ir.Compare():
                return self._compare(node, row)
            case ir.Between():
                return self._between(node, row)
            case ir.Member(value=value, collection=collection, negated=negated):
                found = q.truthy(
                    q.func("list_contains", self.value(collection, row), self.value(value, row))
                )
                return q.not_(found) if negated else found
            case ir.OnDays(value=value):
                return self.days(node, row, self.value(value, row))
            case ir.During():
                return self._during(node, row)
            case ir.IsSet(operand=operand, negated=negated):
                present = self._present(operand, row)
                return q.not_(present) if negated else present
            case ir.Values() | ir.Aggregate() | ir.SizeOf() | ir.Grouped() | ir.Reduce():
                return self.aggregate(node, row)
        raise Unsupported(f"no SQL for {type(node).__name__}")

    # ------------------------------------------------------------------ leaves

    def _event_field(self, name: str, row: Row) -> E:
        if row.event is None or row.kind is None:
            return exp.null()  # no event in view: nothing to read (the checker refuses it)
        if name == "kind":
            return q.lit(row.kind.kind.name)
        return q.col(row.kind.column(name), row.event)

    def _trigger_field(self, name: str, row: Row) -> E:
        if row.trigger is None:
            return exp.null()
        if name == "kind":
            return q.lit(row.trigger.kind.name)
        return q.col(trigger_column(row.trigger.column(name)), row.frame)

    # ------------------------------------------------------------------ operations

    def _arith(self, node: ir.Arith, row: Row) -> E:
        folded = _fold(node)
        if folded is not _NOT_CONSTANT:
            # constants are worked out exactly, as the reference engine does; one past the
            # database's 64-bit integers is the reference engine's to evaluate
            if isinstance(folded, int) and abs(folded) >= 2**63:
                raise Unsupported("a number past the database's 64-bit integers")
            return q.lit(folded)
        a, b = _grouped(self.value(node.left, row)), _grouped(self.value(node.right, row))
        match node.op:
            case "+":
                return exp.Add(this=a, expression=b)
            case "-":
                return exp.Sub(this=a, expression=b)
            case "*":
                return exp.Mul(this=a, expression=b)
        # a ratio: no value for a zero divisor
        return q.case(
            [(q.eq(b, q.lit(0)), exp.null())],
            exp.Div(this=q.cast(a, "DOUBLE"), expression=q.cast(b, "DOUBLE")),
        )

    def _sides(self, left: ir.Expr, right: ir.Expr, row: Row) -> tuple[E, E]:
        a, b = self.value(left, row), self.value(right, row)
        ta, tb = type_of(left).kind, type_of(right).kind
        # a date and a date-time compare by the day, as the reference engine does
        if ta is T.Kind.DATETIME and tb is T.Kind.DATE:
            a = q.cast(a, "DATE")
        elif tb is T.Kind.DATETIME and ta is T.Kind.DATE:
            b = q.cast(b, "DATE")
        return a, b

    def _compare(self, node: ir.Compare, row: Row) -> E:
        if isinstance(node.left, (ir.Grouped,)):
            values = self.value(node.left, row)
            bound = self.value(node.right, row)
            each = q.truthy(q.compare(node.op, exp.to_identifier("g"), bound))
            return q.and_(
                exp.GT(this=q.func("len", values), expression=q.lit(0)),
                q.truthy(q.func("list_bool_and", _transform(values, "g", each))),
            )
        a, b = self._sides(node.left, node.right, row)
        return q.truthy(q.compare(node.op, a, b))

    def _between(self, node: ir.Between, row: Row) -> E:
        low, high = self.value(node.low, row), self.value(node.high, row)
        if isinstance(node.value, ir.Grouped):
            values = self.value(node.value, row)
            g = exp.to_identifier("g")
            each = q.and_(q.truthy(q.compare(">=", g, low)), q.truthy(q.compare("<=", g, high)))
            return q.coalesce(q.func("list_bool_and", _transform(values, "g", each)), exp.true())
        value = self.value(node.value, row)
        return q.and_(q.truthy(q.compare(">=", value, low)), q.truthy(q.compare("<=", value, high)))

    def _quantify(self, node: ir.Quantify, row: Row) -> E:
        name = f"v{len(row.variables)}"
        inner = replace(row, variables={**row.variables, node.variable: name})
        each = self.condition(node.condition, inner)
        members = self.value(node.collection, row)
        combine = "list_bool_and" if node.every else "list_bool_or"
        return q.coalesce(
            q.func(combine, _transform(members, name, each)),
            exp.true() if node.every else exp.false(),
        )

    def _during(self, node: ir.During, row: Row) -> E:
        moment = self.value(node.value, row)
        clock = q.cast(moment, "TIME")
        start, end = q.lit(node.start.isoformat()), q.lit(node.end.isoformat())
        start, end = q.cast(start, "TIME"), q.cast(end, "TIME")
        if node.start <= node.end:
            inside = q.and_(
                exp.GTE(this=clock, expression=start), exp.LTE(this=clock, expression=end)
            )
        else:  # overnight: 22:00..06:00
            inside = q.or_(
                exp.GTE(this=clock, expression=start), exp.LTE(this=clock, expression=end)
            )
        held = q.truthy(inside)
        if node.needs_time and row.event is not None:
            held = q.and_(q.col("timed", row.event), held)
        return held

    def _present(self, operand: ir.Expr, row: Row) -> E:
        value = self.value(operand, row)
        kind = type_of(operand).kind
        if kind is T.Kind.LIST:
            return q.truthy(exp.GT(this=q.func("len", value), expression=q.lit(0)))
        if kind in (T.Kind.STRING, T.Kind.FESTIVAL):
            return q.truthy(exp.NEQ(this=value, expression=q.lit("")))
        return q.is_not_null(value)

    def _band(self, node: ir.BandLookup, row: Row) -> E:
        value = q.cast(self.value(node.argument, row), "DOUBLE")
        whens = []
        for band_row in node.band.rows:
            inside = q.and_(
                *(
                    [exp.GTE(this=value, expression=q.lit(float(band_row.low)))]
                    if band_row.low is not None
                    else []
                ),
                *(
                    [exp.LTE(this=value, expression=q.lit(float(band_row.high)))]
                    if band_row.high is not None
                    else []
                ),
            )
            if band_row.percent is None:
                minimum: E = q.lit(band_row.minimum)
            else:
                share = exp.Mul(this=q.lit(band_row.percent / 100), expression=value)
                match band_row.rounding:
                    case ir.Rounding.UP:
                        minimum = exp.Ceil(this=exp.Sub(this=share, expression=q.lit(1e-9)))
                    case ir.Rounding.DOWN:
                        minimum = exp.Floor(this=exp.Add(this=share, expression=q.lit(1e-9)))
                    case _:
                        minimum = exp.Floor(this=exp.Add(this=share, expression=q.lit(0.5)))
                minimum = q.cast(minimum, "DOUBLE")
            whens.append((inside, minimum))
        return q.case(whens, exp.null())


def _grouped(operand: E) -> E:
    """An operand of arithmetic in parentheses: sqlglot writes `a - (b - c)` built as nodes
    as `a - b - c`, so a compound operand must carry its own."""
    return exp.paren(operand, copy=False) if isinstance(operand, exp.Binary) else operand


def _transform(values: E, name: str, body: E) -> E:
    return q.func(
        "list_transform", values, exp.Lambda(this=body, expressions=[exp.to_identifier(name)])
    )


def as_local(moment: dt.datetime) -> dt.datetime:
    return moment.replace(tzinfo=None)


_NOT_CONSTANT = object()


def _fold(node: ir.Expr) -> object:
    """The value of arithmetic on constants, computed as the reference engine computes it
    (exact integers; a ratio is a float, none for a zero divisor), or `_NOT_CONSTANT`."""
    match node:
        case ir.Const(value=value) if isinstance(value, (int, float)) and not isinstance(
            value, bool
        ):
            return value
        case ir.Arith(op=op, left=left, right=right):
            a, b = _fold(left), _fold(right)
            if a is _NOT_CONSTANT or b is _NOT_CONSTANT:
                return _NOT_CONSTANT
            return arith(op, a, b)
    return _NOT_CONSTANT
