"""Typed, resolved expressions: what the checker learnt about every expression it checked.

Each node says what a piece of a requirement *is* — the attribute of the event in view, the
triggering event's attribute, a unit fact, a `let` expanded where it is used, a set, a
band call, an aggregate over a selection — with its inferred type, and keeps the syntax it
was written as (for its place and its text in messages). Names are resolved once, by
:mod:`policyrules.semantics.scope`; nothing after the checker looks a bare name up again.

The rule IR (:mod:`policyrules.rules.ir`) is lowered from these nodes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from policyrules.semantics import types as T
from policyrules.syntax import ast


@dataclass(frozen=True, slots=True)
class Typed:
    type: T.Type
    syntax: ast.Node = field(compare=False, repr=False)


# ----------------------------------------------------------------------------- values


@dataclass(frozen=True, slots=True)
class Literal(Typed):
    """A number, string, true/false or date as written; a percentage is its share (0.1)."""

    value: int | Decimal | str | bool | dt.date


@dataclass(frozen=True, slots=True)
class ListOf(Typed):
    items: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Variable(Typed):
    """The member an enclosing `all(x in …: …)` or `any(…)` is looking at."""

    name: str


@dataclass(frozen=True, slots=True)
class EventAttribute(Typed):
    """An attribute of the event in view: the one a `where` selects, the one a `for each`
    condition chooses, or the registration a per-person condition reads."""

    kind: str
    name: str


@dataclass(frozen=True, slots=True)
class TriggerAttribute(Typed):
    """An attribute of the event that opened the instance (`trigger.at`, or a bare name
    outside any `where` in a `for each KIND` obligation)."""

    kind: str
    name: str


@dataclass(frozen=True, slots=True)
class UnitFact(Typed):
    """`unit.NAME`: a fact of the unit being checked, in force on the day (the day of the
    event in view inside a `where`, the instance's day outside)."""

    name: str
    on_event_day: bool


@dataclass(frozen=True, slots=True)
class WindowField(Typed):
    """`window.start`, `window.end`, `window.label`."""

    name: str


@dataclass(frozen=True, slots=True)
class Subject(Typed):
    """The person (value) of a `for each FIELD of KIND` obligation."""


@dataclass(frozen=True, slots=True)
class LetUse(Typed):
    """A `let` where it is used, its value checked in the scope of that use."""

    name: str
    value: Expr
    top_level: bool


@dataclass(frozen=True, slots=True)
class SetUse(Typed):
    """A set of strings by name."""

    name: str
    members: tuple[str, ...]


# ----------------------------------------------------------------------------- operations


@dataclass(frozen=True, slots=True)
class BandCall(Typed):
    band: str
    argument: Expr


@dataclass(frozen=True, slots=True)
class Call(Typed):
    """`len(list)`, `lower(string)`."""

    function: str
    argument: Expr


@dataclass(frozen=True, slots=True)
class Quantifier(Typed):
    kind: str  # all | any
    variable: str
    collection: Expr
    condition: Expr


@dataclass(frozen=True, slots=True)
class PercentOf(Typed):
    percent: Decimal
    base: Expr


@dataclass(frozen=True, slots=True)
class Negate(Typed):
    operand: Expr


@dataclass(frozen=True, slots=True)
class Not(Typed):
    operand: Expr


@dataclass(frozen=True, slots=True)
class Arithmetic(Typed):
    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class Logic(Typed):
    op: str  # and | or
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class Compare(Typed):
    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class Between(Typed):
    value: Expr
    low: Expr
    high: Expr


@dataclass(frozen=True, slots=True)
class Membership(Typed):
    value: Expr
    collection: Expr
    negated: bool


@dataclass(frozen=True, slots=True)
class OnDays(Typed):
    """`at on PATTERN`; the pattern's names are resolved when it is lowered."""

    value: Expr
    pattern: ast.Pattern


@dataclass(frozen=True, slots=True)
class During(Typed):
    value: Expr
    start: dt.time
    end: dt.time


@dataclass(frozen=True, slots=True)
class IsSet(Typed):
    value: Expr
    negated: bool


# ----------------------------------------------------------------------------- events


@dataclass(frozen=True, slots=True)
class Selection(Typed):
    """Events of a kind (their `field`, or its distinct values) from a scope, filtered."""

    kind: str
    field: str | None
    distinct: bool
    where: Expr | None
    scope: ast.EventScope


@dataclass(frozen=True, slots=True)
class SizeOf(Typed):
    """`count(volunteers)`: the size of a list a `let` or a set names."""

    of: Expr


@dataclass(frozen=True, slots=True)
class PerPeriod(Typed):
    unit: ast.PeriodUnit


@dataclass(frozen=True, slots=True)
class PerMember(Typed):
    field: str
    members: Expr


@dataclass(frozen=True, slots=True)
class Grouped(Typed):
    aggregate: Aggregate
    group: PerPeriod | PerMember


@dataclass(frozen=True, slots=True)
class Aggregate(Typed):
    function: str  # count exists sum avg min max latest
    source: Selection | Grouped


@dataclass(frozen=True, slots=True)
class Invalid(Typed):
    """What an expression the checker refused stands for: nothing to evaluate."""


Expr = (
    Literal | ListOf | Variable | EventAttribute | TriggerAttribute | UnitFact | WindowField
    | Subject | LetUse | SetUse | BandCall | Call | Quantifier | PercentOf | Negate | Not
    | Arithmetic | Logic | Compare | Between | Membership | OnDays | During | IsSet | Selection
    | SizeOf | Grouped | Aggregate | Invalid
)


def children(node: Typed) -> list[Typed]:
    """The typed nodes directly inside `node`, in order (for generic walks)."""
    out: list[Typed] = []
    for name in node.__dataclass_fields__:
        value = getattr(node, name)
        if isinstance(value, Typed) and name != "syntax":
            out.append(value)
        elif isinstance(value, tuple):
            out.extend(v for v in value if isinstance(v, Typed))
    return out


def walk(node: Typed) -> list[Typed]:
    """`node` and every typed node inside it, depth first, in order."""
    stack, found = [node], []
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(reversed(children(current)))
    return found
