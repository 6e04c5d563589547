"""The rule IR: what an obligation means, in nodes that name no syntax — the one catalogue
every engine reads (like sqlglot's expressions module, this module is the exception to
the project's module size).

An obligation becomes a :class:`Rule`: its schedule, the units it binds (scope), per
person or not (subject), its requirements, deadline, lateness, proration and warning. A
requirement is an expression over values of the instance being checked:

- the event in view (:class:`EventField`: the event a `where` looks at, or the event a
  `for each` condition chooses), the triggering event (:class:`TriggerField`), the unit's
  facts on a day known at compile time (:class:`UnitFact`), the instance's window
  (:class:`WindowField`), the person (:class:`SubjectValue`), a quantifier's variable;
- comparisons, logic, membership, calendar-day sets (:class:`OnDays`), times of day,
  headcount bands (:class:`BandLookup`);
- selections of events (own unit, area or all units, stock or flow, with an equality key
  when the `where` pins an attribute) and aggregates over them, per period or per member.

Lowering (:mod:`policyrules.rules.lower`) builds these from the typed, resolved policy and
decides there, once, what engines used to work out while evaluating: which unit facts
are read on which day, which `where` may be looked up by an attribute, whether a scope
reads only unit facts, which requirement parts cap a count.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, fields, is_dataclass
from enum import StrEnum
from typing import Any

from policyrules.calendar.days import DaySet
from policyrules.calendar.periods import PeriodUnit
from policyrules.semantics import types as T

# ----------------------------------------------------------------------------- values


@dataclass(frozen=True, slots=True)
class Const:
    """A value known when the policy is compiled: a literal, a set's members (a tuple)."""

    value: Any
    type: T.Type


@dataclass(frozen=True, slots=True)
class ListExpr:
    """A list written with members that are not all known at compile time."""

    items: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class EventField:
    """An attribute (`id`, `unit`, `kind`, `at` or declared) of the event in view."""

    name: str
    type: T.Type


@dataclass(frozen=True, slots=True)
class TriggerField:
    """An attribute of the event that opened the instance."""

    name: str
    type: T.Type


class FactDay(StrEnum):
    """The day a unit fact is read on."""

    EVENT = "event"  # the day of the event in view
    INSTANCE = "instance"  # the instance's last day, or as_of if earlier (the trigger's day)


@dataclass(frozen=True, slots=True)
class UnitFact:
    """A fact of the unit being checked, as in force on `on`."""

    name: str
    type: T.Type
    on: FactDay


@dataclass(frozen=True, slots=True)
class UnitId:
    """The id of the unit being checked (it never changes)."""


@dataclass(frozen=True, slots=True)
class WindowField:
    """`start`, `end` (dates) or `label` of the instance."""

    name: str


@dataclass(frozen=True, slots=True)
class SubjectValue:
    """The person (value) of a per-person instance."""

    type: T.Type


@dataclass(frozen=True, slots=True)
class Variable:
    """The member an enclosing quantifier is looking at."""

    name: str
    type: T.Type


# ----------------------------------------------------------------------------- operations


class Rounding(StrEnum):
    UP = "up"
    DOWN = "down"
    NEAREST = "nearest"


@dataclass(frozen=True, slots=True)
class BandRow:
    """`low..high => minimum` or `=> percent% round …`; an open end is None."""

    low: int | None
    high: int | None
    minimum: float | None = None
    percent: float | None = None
    rounding: Rounding = Rounding.NEAREST


@dataclass(frozen=True, slots=True)
class HeadcountBand:
    name: str
    rows: tuple[BandRow, ...]

    def minimum(self, value: Any) -> tuple[float | None, int | None]:
        """The minimum the band gives for `value`, and the index of the row that gave it
        (None, None for a value that is not a number)."""
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return None, None
        for index, row in enumerate(self.rows):
            if (row.low is None or value >= row.low) and (row.high is None or value <= row.high):
                if row.percent is None:
                    return row.minimum, index
                share = row.percent / 100 * value
                match row.rounding:
                    case Rounding.UP:
                        return float(math.ceil(share - 1e-9)), index
                    case Rounding.DOWN:
                        return float(math.floor(share + 1e-9)), index
                return float(math.floor(share + 0.5)), index
        return None, None


@dataclass(frozen=True, slots=True)
class BandLookup:
    """The minimum a headcount band gives for a value."""

    band: HeadcountBand
    argument: Expr


@dataclass(frozen=True, slots=True)
class Length:
    """`len(list)`: 0 when the list is missing."""

    operand: Expr


@dataclass(frozen=True, slots=True)
class Lower:
    operand: Expr


@dataclass(frozen=True, slots=True)
class Quantify:
    """`all(x in list: condition)` (`every` True) or `any(…)`."""

    every: bool
    variable: str
    collection: Expr
    condition: Expr


@dataclass(frozen=True, slots=True)
class Share:
    """`P% of X`: `fraction` × X."""

    fraction: float
    base: Expr


@dataclass(frozen=True, slots=True)
class Negate:
    operand: Expr


@dataclass(frozen=True, slots=True)
class Not:
    """Unknown (missing) stays unknown: `not student` of an event without `student`."""

    operand: Expr


@dataclass(frozen=True, slots=True)
class Arith:
    op: str  # + - * /
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class And:
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class Or:
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class Compare:
    """`left OP right`; with groups on the left it holds when it holds for every group."""

    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class Between:
    value: Expr
    low: Expr
    high: Expr


@dataclass(frozen=True, slots=True)
class Member:
    value: Expr
    collection: Expr
    negated: bool = False


@dataclass(frozen=True, slots=True)
class OnDays:
    """The date of `value` lies in `days` (a calendar day set; one naming the event's own
    festival attribute is resolved for each event)."""

    value: Expr
    days: DaySet


@dataclass(frozen=True, slots=True)
class During:
    """The time of day of `value` lies in `start .. end` (overnight when start > end); an
    event dated without a time of day never does when `value` is its own `at`."""

    value: Expr
    start: dt.time
    end: dt.time
    needs_time: bool


@dataclass(frozen=True, slots=True)
class IsSet:
    operand: Expr
    negated: bool = False


# ----------------------------------------------------------------------------- events


class Reach(StrEnum):
    """Whose events a selection reads."""

    OWN = "own"  # the unit's, and those naming it in their `counts for` attribute
    AREA = "area"  # the unit's and every unit's under it (by `parent`)
    ALL = "all units"


@dataclass(frozen=True, slots=True)
class EqualityKey:
    """`FIELD == value` (or `value in FIELD` for a list attribute) among the top-level
    `and`s of a `where`, with `value` not reading the selected event: the events can be
    looked up by the attribute. With `several`, `FIELD in value` (each member's events)."""

    field: str
    value: Expr
    several: bool = False


@dataclass(frozen=True, slots=True)
class Selection:
    """Events of `kind` from `reach`, those before the window too when `stock`, filtered by
    `where`; `field` the attribute an aggregate combines (or whose distinct values count)."""

    kind: str
    field: str | None
    distinct: bool
    where: Expr | None
    reach: Reach
    stock: bool
    key: EqualityKey | None = None


@dataclass(frozen=True, slots=True)
class Values:
    """`distinct(person of registration …)` standing alone: the distinct values, sorted."""

    selection: Selection


@dataclass(frozen=True, slots=True)
class Aggregate:
    """`count`, `exists`, `sum`, `avg`, `min`, `max` or `latest` over a selection."""

    function: str
    selection: Selection


@dataclass(frozen=True, slots=True)
class SizeOf:
    """`count(volunteers)`: the size of a list."""

    operand: Expr


@dataclass(frozen=True, slots=True)
class PerPeriod:
    """One group per sub-period of the instance (the cut first and last included)."""

    unit: PeriodUnit


@dataclass(frozen=True, slots=True)
class PerMember:
    """One group per member of a list; an event belongs to each member its attribute
    has (each of a list's)."""

    field: str
    members: Expr


@dataclass(frozen=True, slots=True)
class Grouped:
    """An aggregate per group: compared directly it must hold for every group."""

    aggregate: Aggregate
    group: PerPeriod | PerMember


@dataclass(frozen=True, slots=True)
class Reduce:
    """`avg(… per month)`: one number from the groups (`count` counts the groups)."""

    function: str
    grouped: Grouped


Expr = (
    Const | ListExpr | EventField | TriggerField | UnitFact | UnitId | WindowField
    | SubjectValue | Variable | BandLookup | Length | Lower | Quantify | Share | Negate | Not
    | Arith | And | Or | Compare | Between | Member | OnDays | During | IsSet | Values
    | Aggregate | SizeOf | Grouped | Reduce
)
AGGREGATES = (Values, Aggregate, Grouped, Reduce)


def children(node: Expr) -> list[Expr]:
    """The expressions directly inside `node` (a selection's `where` and key included)."""
    out: list[Expr] = []
    for name in node.__slots__:
        value = getattr(node, name)
        if isinstance(value, (Selection, EqualityKey, PerMember)):
            out.extend(_parts(value))
        elif isinstance(value, tuple):
            out.extend(v for v in value if _is_expr(v))
        elif _is_expr(value):
            out.append(value)
    return out


def _parts(value: Selection | EqualityKey | PerMember) -> list[Expr]:
    if isinstance(value, Selection):
        return [*([value.where] if value.where is not None else []),
                *([value.key.value] if value.key is not None else [])]
    if isinstance(value, EqualityKey):
        return [value.value]
    return [value.members]


def _is_expr(value: object) -> bool:
    return isinstance(value, _EXPR_TYPES)


_EXPR_TYPES = (
    Const, ListExpr, EventField, TriggerField, UnitFact, UnitId, WindowField, SubjectValue,
    Variable, BandLookup, Length, Lower, Quantify, Share, Negate, Not, Arith, And, Or,
    Compare, Between, Member, OnDays, During, IsSet, Values, Aggregate, SizeOf, Grouped,
    Reduce,
)


def walk(node: Expr) -> list[Expr]:
    """`node` and every expression inside it, depth first."""
    stack, found = [node], []
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(reversed(children(current)))
    return found


# ----------------------------------------------------------------------------- requirements


class Shape(StrEnum):
    """How a part of a requirement is described in a reason."""

    COMPARE = "compare"  # `left` is V, needs OP R
    GROUPS = "groups"  # `text` holds in every group / fails for 2021-01: 0, …
    BETWEEN = "between"  # `value` is V, needs L to H
    TRUTH = "truth"  # `text` is true / is false


@dataclass(frozen=True, slots=True)
class Part:
    """A conjunct of a requirement (or the requirement itself), with what a reason says of
    it. `caps_count`: a failing part that caps a count (`count(…) <= 2`, `between`), which
    no event to come can satisfy once the count is past the cap. `target`: the written
    number a `partial periods prorate` instance scales (`count(…) >= 3`)."""

    expr: Expr
    text: str
    shape: Shape
    side_text: str = ""  # the left of a comparison, the value of a `between`
    op: str = ""
    caps_count: bool = False
    target: float | None = None


@dataclass(frozen=True, slots=True)
class Requirement:
    """One `require`: its conjuncts in order (the parts whose first false one is the
    reason), and the whole, described when every part holds."""

    whole: Part
    parts: tuple[Part, ...]


# ----------------------------------------------------------------------------- rules


class Severity(StrEnum):
    MUST = "must"
    ADVISORY = "advisory"


class Partial(StrEnum):
    COUNT = "count"
    WHOLE = "whole"
    SKIP = "skip"
    PRORATE = "prorate"


@dataclass(frozen=True, slots=True)
class Once:
    """One instance over the whole effective window."""


@dataclass(frozen=True, slots=True)
class Every:
    """One instance per calendar period; with `on`, only those days qualify."""

    unit: PeriodUnit
    on: DaySet | None = None


@dataclass(frozen=True, slots=True)
class Each:
    """One instance per occurrence of a day set."""

    days: DaySet


@dataclass(frozen=True, slots=True)
class PerEvent:
    """One instance per event of `kind` (that `where` chooses) dated in the window."""

    kind: str
    where: Expr | None = None


Schedule = Once | Every | Each | PerEvent


@dataclass(frozen=True, slots=True)
class PerSubject:
    """One set of instances per distinct value of `field` among the unit's `kind` events
    that `where` chooses (every registered party member)."""

    field: str
    kind: str
    where: Expr | None = None


class Anchor(StrEnum):
    TRIGGER = "trigger"
    PERIOD_END = "period end"
    PERIOD_START = "period start"


@dataclass(frozen=True, slots=True)
class OnDay:
    date: dt.date


@dataclass(frozen=True, slots=True)
class DayOfYear:
    """That day in the year the period starts in (29 February: the 28th without one)."""

    month: int
    day: int


@dataclass(frozen=True, slots=True)
class PeriodEnd:
    pass


@dataclass(frozen=True, slots=True)
class After:
    """`amount` days, working days or hours after the anchor."""

    amount: int
    unit: str  # "days" | "working days" | "hours"
    anchor: Anchor


@dataclass(frozen=True, slots=True)
class WeekdayAfter:
    weekday: int  # 0 = Monday
    anchor: Anchor


@dataclass(frozen=True, slots=True)
class DayOfMonth:
    """That day of the period's `month`-th month (None: the last); a shorter month's last
    day when it has no such day."""

    day: int
    month: int | None


@dataclass(frozen=True, slots=True)
class Deadline:
    """When an instance is due; `at` the time of day (None: the end of the day). No
    deadline is the end of the window, or the trigger's own time."""

    when: OnDay | DayOfYear | PeriodEnd | After | WeekdayAfter | DayOfMonth | None = None
    at: dt.time | None = None


@dataclass(frozen=True, slots=True)
class Window:
    start: dt.date
    end: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Source:
    file: str
    line: int | None
    clause: str | None


@dataclass(frozen=True, slots=True)
class Rule:
    """An obligation as engines evaluate it."""

    policy: str
    name: str
    title: str
    severity: Severity
    refs: tuple[str, ...]
    source: Source
    consequence: str | None
    window: Window  # after supersession
    schedule: Schedule
    scope: tuple[Expr, ...]
    #: the scope reads only unit facts (and constants): decided once per version of facts
    scope_reads_facts_only: bool
    subject: PerSubject | None
    requirements: tuple[Requirement, ...]
    deadline: Deadline
    horizon: dt.timedelta
    accept_late: bool
    partial: Partial
    #: the event kinds the rule reads, trigger first (what `explain` lists)
    kinds: tuple[str, ...]


def trigger_attributes(rule: Rule) -> frozenset[str]:
    """The attributes of its trigger (`trigger.…`) a rule reads anywhere: an engine carries
    only these with each instance (a rule `for each` of a frequent kind has millions)."""
    found: set[str] = set()
    stack: list[object] = [rule]
    while stack:
        node = stack.pop()
        if isinstance(node, TriggerField):
            found.add(node.name)
        elif is_dataclass(node) and not isinstance(node, type):
            stack.extend(getattr(node, f.name) for f in fields(node))
        elif isinstance(node, (tuple, list, set, frozenset)):
            stack.extend(node)
        elif isinstance(node, dict):
            stack.extend(node.values())
    return frozenset(found)


def facts_read(rule: Rule) -> tuple[str, ...]:
    """The unit facts a rule's requirements read (its scope aside), in order of first use:
    when one is missing and a requirement fails, the result cannot be decided (it is
    `indeterminate`, never a violation: the data is not there to judge)."""
    names: dict[str, None] = {}
    for requirement in rule.requirements:
        for part in (requirement.whole, *requirement.parts):
            for node in walk(part.expr):
                if isinstance(node, UnitFact):
                    names[node.name] = None
    return tuple(names)
