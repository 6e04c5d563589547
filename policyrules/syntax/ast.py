"""The syntax tree of the policy language: every node, in one module.

Nodes are small, frozen, typed dataclasses. Each carries the
:class:`~policyrules.diagnostics.source.Span` it was parsed from, kept out of equality so
that ``parse(format(tree)) == tree`` compares meaning, not layout. Items that sit on their
own lines (definitions, policy metadata, obligation statements, band rows, field
declarations) also carry the comments written above them and the one written after them on
the same line, so the formatter keeps them.

The parser (:mod:`policyrules.syntax.parser`) builds these nodes and the formatter
(:mod:`policyrules.syntax.formatter`) turns them back into text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

# the periods are the calendar's; the syntax names them
from policyrules.calendar.periods import PeriodUnit as PeriodUnit
from policyrules.diagnostics.source import Span

S = TypeVar("S", bound="Item")
P = TypeVar("P", bound="Item")
F = TypeVar("F", bound="Item")


@dataclass(frozen=True, slots=True)
class Node:
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Item(Node):
    """A node written on lines of its own, which keeps the comments around it."""

    comments: tuple[str, ...] = field(default=(), kw_only=True)
    trailing: str | None = field(default=None, kw_only=True)


# ----------------------------------------------------------------------------- enums


class DurationUnit(StrEnum):
    DAY = "day"
    WEEK = "week"
    HOUR = "hour"


class Weekday(StrEnum):
    MONDAY = "monday"
    TUESDAY = "tuesday"
    WEDNESDAY = "wednesday"
    THURSDAY = "thursday"
    FRIDAY = "friday"
    SATURDAY = "saturday"
    SUNDAY = "sunday"

    @property
    def number(self) -> int:
        """0 for Monday … 6 for Sunday, as :meth:`datetime.date.weekday`."""
        return list(Weekday).index(self)


MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)


class Rounding(StrEnum):
    UP = "up"
    DOWN = "down"
    NEAREST = "nearest"


class SeverityLevel(StrEnum):
    MUST = "must"
    ADVISORY = "advisory"


class PartialMode(StrEnum):
    """How a period cut by the effective window is treated (targets are not pro-rated
    unless the policy says ``prorate``):

    - ``count``: the full target, met by events inside the window (the default);
    - ``whole``: the full target, met by events of the whole calendar period, also those
      before the window opened ("全年不少于10次" in a notice issued in June);
    - ``skip``: the cut period is not checked;
    - ``prorate``: the target shrinks with the share of the period inside the window.
    """

    COUNT = "count"
    WHOLE = "whole"
    SKIP = "skip"
    PRORATE = "prorate"


class EventScope(StrEnum):
    """Whose events a selection reads. By default the unit's own (and those that name it in
    their `counts for` attribute)."""

    OWN = "own"
    AREA = "area"  # the unit's and every unit under it (by `parent`)
    ALL_UNITS = "all units"  # every unit's: e.g. teams' activities whose `site` is this unit


class Anchor(StrEnum):
    TRIGGER = "trigger"
    PERIOD_END = "period end"
    PERIOD_START = "period start"


class ContextName(StrEnum):
    """Names an expression can use beside event attributes."""

    UNIT = "unit"  # the facts of the unit being checked, in force on the day
    TRIGGER = "trigger"  # the event that opened this instance (`for each activity`)
    SUBJECT = "subject"  # the person of a per-person obligation
    WINDOW = "window"  # the instance's period: .start, .end, .label


# ----------------------------------------------------------------------------- durations


@dataclass(frozen=True, slots=True)
class Duration(Node):
    """`2 working days`, `7 days`, `1 week`, `3 hours`."""

    amount: int
    unit: DurationUnit
    working: bool = False


# ----------------------------------------------------------------------------- expressions


@dataclass(frozen=True, slots=True)
class IntLit(Node):
    value: int


@dataclass(frozen=True, slots=True)
class DecimalLit(Node):
    value: Decimal


@dataclass(frozen=True, slots=True)
class PercentLit(Node):
    """`10%`; `value` is the number before the sign (10)."""

    value: Decimal


@dataclass(frozen=True, slots=True)
class StringLit(Node):
    value: str


@dataclass(frozen=True, slots=True)
class BoolLit(Node):
    value: bool


@dataclass(frozen=True, slots=True)
class DateLit(Node):
    value: dt.date


@dataclass(frozen=True, slots=True)
class ListLit(Node):
    items: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Name(Node):
    """A bare name: an event attribute, a `let`, a `set` or a festival."""

    id: str


@dataclass(frozen=True, slots=True)
class Context(Node):
    which: ContextName


@dataclass(frozen=True, slots=True)
class Attribute(Node):
    """`unit.staff`, `trigger.at`, `window.label`."""

    value: Expr
    name: str


@dataclass(frozen=True, slots=True)
class BandCall(Node):
    """`yz_headcount(unit.staff)`: the minimum a band gives for a value."""

    band: str
    argument: Expr


@dataclass(frozen=True, slots=True)
class Call(Node):
    """`len(photo_mb)`, `lower(f)`."""

    function: str
    arguments: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Quantifier(Node):
    """`all(p in photo_mb: p between 1 and 3)`; `any(...)`."""

    kind: str  # "all" | "any"
    variable: str
    collection: Expr
    condition: Expr


@dataclass(frozen=True, slots=True)
class PercentOf(Node):
    """`13% of unit.population`."""

    percent: Decimal
    base: Expr


@dataclass(frozen=True, slots=True)
class Negate(Node):
    operand: Expr


@dataclass(frozen=True, slots=True)
class Not(Node):
    operand: Expr


@dataclass(frozen=True, slots=True)
class Arithmetic(Node):
    op: str  # + - * /
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class BoolOp(Node):
    op: str  # and | or
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class Compare(Node):
    op: str  # == != < <= > >=
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class Between(Node):
    """`x between low and high`, both ends included."""

    value: Expr
    low: Expr
    high: Expr


@dataclass(frozen=True, slots=True)
class In(Node):
    value: Expr
    collection: Expr
    negated: bool = False


@dataclass(frozen=True, slots=True)
class OnPattern(Node):
    """`at on 2nd saturday`: the value's date matches a calendar pattern."""

    value: Expr
    pattern: Pattern


@dataclass(frozen=True, slots=True)
class During(Node):
    """`at during 07:00..09:00`: the value's time of day lies in the range."""

    value: Expr
    start: dt.time
    end: dt.time


@dataclass(frozen=True, slots=True)
class IsSet(Node):
    """`festival is set` / `festival is not set`: the attribute is present."""

    value: Expr
    negated: bool = False


@dataclass(frozen=True, slots=True)
class Selection(Node):
    """What an aggregate ranges over: events of a kind, one attribute of them, or its
    distinct values; optionally filtered. Standing alone as an expression,
    `distinct person of registration` is the set of those values."""

    kind: str
    field: str | None = None
    distinct: bool = False
    where: Expr | None = None
    scope: EventScope = EventScope.OWN


@dataclass(frozen=True, slots=True)
class PeriodGroup(Node):
    """`per month`: one group per sub-period of the instance's window."""

    unit: PeriodUnit


@dataclass(frozen=True, slots=True)
class MemberGroup(Node):
    """`per theme in core_themes`: one group per member of a set (coverage)."""

    field: str
    members: Expr


@dataclass(frozen=True, slots=True)
class Grouped(Node):
    """`count(activity) per month`: an aggregate computed per group. Compared directly it
    must hold for every group; reduced by `avg(...)`, `min(...)` … it gives one number."""

    aggregate: Aggregate
    group: PeriodGroup | MemberGroup


@dataclass(frozen=True, slots=True)
class Aggregate(Node):
    """`count(...)`, `sum(...)`, `avg(...)`, `min(...)`, `max(...)`, `latest(...)`,
    `exists(...)` over a selection or over the groups of another aggregate."""

    function: str
    source: Selection | Grouped


# ----------------------------------------------------------------------------- patterns


@dataclass(frozen=True, slots=True)
class WorkingDayPattern(Node):
    """Working days of China's calendar, makeup working days included."""


@dataclass(frozen=True, slots=True)
class RestDayPattern(Node):
    """Days that are not working days: weekends and statutory holidays."""


@dataclass(frozen=True, slots=True)
class HolidayPattern(Node):
    """Statutory holidays (节假日); each run of consecutive days off is one occurrence."""


@dataclass(frozen=True, slots=True)
class NthWeekday(Node):
    """`2nd saturday` (of every month), `last friday`, `3rd sunday of may`.
    `ordinal` is 1-based, or -1 for `last`; `month` is 1..12 or None for every month."""

    ordinal: int
    weekday: Weekday
    month: int | None = None


@dataclass(frozen=True, slots=True)
class MonthPattern(Node):
    """`may`: every day of that month."""

    month: int


@dataclass(frozen=True, slots=True)
class DayOfQuarter(Node):
    """`day 25 of last month of quarter` (XD-14), `day 20 of month 1 of quarter`: that day of
    a month of every quarter; a day the month lacks is its last day. `month` is 1..3, or
    None for the last."""

    day: int
    month: int | None = None


@dataclass(frozen=True, slots=True)
class FixedDate(Node):
    """`07-01`: that day every year."""

    month: int
    day: int


@dataclass(frozen=True, slots=True)
class ExactDate(Node):
    """`2021-08-22`: that one day."""

    date: dt.date


@dataclass(frozen=True, slots=True)
class LunarDate(Node):
    """`lunar 07-15` (中元节); `lunar leap 04-08` for the leap month."""

    month: int
    day: int
    leap: bool = False


@dataclass(frozen=True, slots=True)
class SolarTerm(Node):
    """`term 清明`: the day of a solar term (节气)."""

    name: str


@dataclass(frozen=True, slots=True)
class NamedPattern(Node):
    """A festival, or a set of festivals, defined elsewhere."""

    name: str


@dataclass(frozen=True, slots=True)
class Around(Node):
    """`清明 ± 3 days`: the days within the distance of each occurrence."""

    base: Pattern
    distance: Duration


@dataclass(frozen=True, slots=True)
class AnyOf(Node):
    """`1st friday or 1st saturday`."""

    options: tuple[Pattern, ...]


@dataclass(frozen=True, slots=True)
class DateOffset(Node):
    """`1 day before lunar 01-01` (除夕): a festival rule shifted by whole days."""

    distance: Duration
    before: bool
    base: DateRule


# ----------------------------------------------------------------------------- types


@dataclass(frozen=True, slots=True)
class ScalarType(Node):
    name: str  # int number string bool date datetime


@dataclass(frozen=True, slots=True)
class ListType(Node):
    item: TypeExpr


@dataclass(frozen=True, slots=True)
class EnumType(Node):
    """`one of ["必选", "自选"]`: a string restricted to the listed values."""

    values: tuple[str, ...]


# ----------------------------------------------------------------------------- deadlines


@dataclass(frozen=True, slots=True)
class OnDate(Node):
    """`due 2019-05-27`."""

    date: dt.date


@dataclass(frozen=True, slots=True)
class MonthDayOfPeriod(Node):
    """`due 03-20`: that day in the year the period starts in."""

    month: int
    day: int


@dataclass(frozen=True, slots=True)
class PeriodEnd(Node):
    """`due end of period` (the default)."""


@dataclass(frozen=True, slots=True)
class AfterAnchor(Node):
    """`due 2 working days after trigger`, `due 7 days after period end`."""

    distance: Duration
    anchor: Anchor


@dataclass(frozen=True, slots=True)
class WeekdayAfter(Node):
    """`due tuesday after period end`: the first such weekday after the anchor."""

    weekday: Weekday
    anchor: Anchor


@dataclass(frozen=True, slots=True)
class DayOfLastMonth(Node):
    """`due day 25 of last month`: that day of the period's last month."""

    day: int


@dataclass(frozen=True, slots=True)
class DayOfMonth(Node):
    """`due day 20 of month 3`: that day of the period's n-th month."""

    day: int
    month: int


@dataclass(frozen=True, slots=True)
class ClockTime(Node):
    time: dt.time


@dataclass(frozen=True, slots=True)
class WorkdayEnd(Node):
    """`at workday end` (下班前): the policy's `workday ends` hour, 17:30 unless set."""


# ----------------------------------------------------------------------------- statements


@dataclass(frozen=True, slots=True)
class Cites(Item):
    clause: str


@dataclass(frozen=True, slots=True)
class Refs(Item):
    labels: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SeverityStmt(Item):
    level: SeverityLevel


@dataclass(frozen=True, slots=True)
class AppliesTo(Item):
    condition: Expr


@dataclass(frozen=True, slots=True)
class ForEachSubject(Item):
    """`for each person of registration where party_member`: one instance per value."""

    field: str
    kind: str
    where: Expr | None = None


@dataclass(frozen=True, slots=True)
class Once(Item):
    """One instance over the whole effective window."""


@dataclass(frozen=True, slots=True)
class Every(Item):
    """`every month`, `every month on 2nd saturday`."""

    unit: PeriodUnit
    on: Pattern | None = None


@dataclass(frozen=True, slots=True)
class EachOccurrence(Item):
    """`each 07-01 ± 15 days`: one instance per occurrence of a calendar pattern."""

    pattern: Pattern


@dataclass(frozen=True, slots=True)
class ForEachEvent(Item):
    """`for each activity where risky`: one instance per triggering event."""

    kind: str
    where: Expr | None = None


@dataclass(frozen=True, slots=True)
class Effective(Item):
    """`effective 2019-05-22 .. 2019-12-31`; `effective 2020-01-01 ..` is open-ended."""

    start: dt.date
    end: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Let(Item):
    name: str
    value: Expr


@dataclass(frozen=True, slots=True)
class Require(Item):
    condition: Expr


@dataclass(frozen=True, slots=True)
class Due(Item):
    when: DueDate
    time: DueTime | None = None


@dataclass(frozen=True, slots=True)
class Warn(Item):
    """The warning horizon: `at_risk` once the deadline is this close."""

    horizon: Duration


@dataclass(frozen=True, slots=True)
class AcceptLate(Item):
    """Events after the deadline still satisfy it, as `late`."""


@dataclass(frozen=True, slots=True)
class Partial(Item):
    mode: PartialMode


@dataclass(frozen=True, slots=True)
class Consequence(Item):
    text: str


@dataclass(frozen=True, slots=True)
class Supersedes(Item):
    """This obligation replaces `policy.obligation` from its own effective date on."""

    policy: str
    obligation: str


@dataclass(frozen=True, slots=True)
class UntilSuperseded(Item):
    """"Unless notified otherwise": a later policy may supersede this obligation."""


# ----------------------------------------------------------------------------- policy


@dataclass(frozen=True, slots=True)
class Issuer(Item):
    name: str


@dataclass(frozen=True, slots=True)
class Document(Item):
    number: str


@dataclass(frozen=True, slots=True)
class Issued(Item):
    date: dt.date


@dataclass(frozen=True, slots=True)
class Timezone(Item):
    name: str


@dataclass(frozen=True, slots=True)
class WorkdayEnds(Item):
    time: dt.time


@dataclass(frozen=True, slots=True)
class Obligation(Item):
    name: str
    title: str
    body: tuple[Statement, ...]
    end_comments: tuple[str, ...] = field(default=(), kw_only=True)

    def statements(self, kind: type[S]) -> list[S]:
        return [s for s in self.body if isinstance(s, kind)]

    def statement(self, kind: type[S]) -> S | None:
        found = self.statements(kind)
        return found[0] if found else None


@dataclass(frozen=True, slots=True)
class Policy(Item):
    name: str
    title: str
    body: tuple[PolicyItem, ...]
    end_comments: tuple[str, ...] = field(default=(), kw_only=True)

    @property
    def obligations(self) -> list[Obligation]:
        return [i for i in self.body if isinstance(i, Obligation)]

    def item(self, kind: type[P]) -> P | None:
        for i in self.body:
            if isinstance(i, kind):
                return i
        return None


# ----------------------------------------------------------------------------- file level


@dataclass(frozen=True, slots=True)
class Import(Item):
    path: str


@dataclass(frozen=True, slots=True)
class SetDef(Item):
    name: str
    members: ListLit


@dataclass(frozen=True, slots=True)
class BandAbsolute(Node):
    minimum: Decimal


@dataclass(frozen=True, slots=True)
class BandPercent(Node):
    percent: Decimal
    rounding: Rounding | None = None


@dataclass(frozen=True, slots=True)
class BandRow(Item):
    """`21..50 => 3`; `low` or `high` is None for an open end (`..20`, `101..`)."""

    low: int | None
    high: int | None
    value: BandAbsolute | BandPercent


@dataclass(frozen=True, slots=True)
class BandDef(Item):
    name: str
    rows: tuple[BandRow, ...]
    end_comments: tuple[str, ...] = field(default=(), kw_only=True)


@dataclass(frozen=True, slots=True)
class FestivalDef(Item):
    name: str
    label: str | None
    rule: DateRule


@dataclass(frozen=True, slots=True)
class FieldDecl(Item):
    name: str
    type: TypeExpr


@dataclass(frozen=True, slots=True)
class EventDef(Item):
    """`event activity counts for joint_units { hours: number … }`. A `stock` kind holds
    state that carries over from before a period (registrations, stations)."""

    name: str
    fields: tuple[FieldDecl, ...]
    stock: bool = False
    counts_for: str | None = None
    end_comments: tuple[str, ...] = field(default=(), kw_only=True)


@dataclass(frozen=True, slots=True)
class UnitsDef(Item):
    fields: tuple[FieldDecl, ...]
    end_comments: tuple[str, ...] = field(default=(), kw_only=True)


@dataclass(frozen=True, slots=True)
class LetDef(Item):
    name: str
    value: Expr


@dataclass(frozen=True, slots=True)
class PolicyFile(Node):
    """One `.pol` file: imports, shared definitions and at most one policy."""

    items: tuple[FileItem, ...]
    end_comments: tuple[str, ...] = ()

    @property
    def policy(self) -> Policy | None:
        for item in self.items:
            if isinstance(item, Policy):
                return item
        return None

    def items_of(self, kind: type[F]) -> list[F]:
        return [i for i in self.items if isinstance(i, kind)]


# ----------------------------------------------------------------------------- unions

Expr = (
    IntLit
    | DecimalLit
    | PercentLit
    | StringLit
    | BoolLit
    | DateLit
    | ListLit
    | Name
    | Context
    | Attribute
    | BandCall
    | Call
    | Quantifier
    | PercentOf
    | Negate
    | Not
    | Arithmetic
    | BoolOp
    | Compare
    | Between
    | In
    | OnPattern
    | During
    | IsSet
    | Aggregate
    | Grouped
    | Selection
)
Pattern = (
    WorkingDayPattern
    | RestDayPattern
    | HolidayPattern
    | NthWeekday
    | MonthPattern
    | DayOfQuarter
    | FixedDate
    | ExactDate
    | LunarDate
    | SolarTerm
    | NamedPattern
    | Around
    | AnyOf
)
DateRule = (
    FixedDate
    | LunarDate
    | SolarTerm
    | NthWeekday
    | DateOffset
)
TypeExpr = (
    ScalarType
    | ListType
    | EnumType
)
DueDate = (
    OnDate
    | MonthDayOfPeriod
    | PeriodEnd
    | AfterAnchor
    | WeekdayAfter
    | DayOfLastMonth
    | DayOfMonth
)
DueTime = (
    ClockTime
    | WorkdayEnd
)
Statement = (
    Cites
    | Refs
    | SeverityStmt
    | AppliesTo
    | ForEachSubject
    | Once
    | Every
    | EachOccurrence
    | ForEachEvent
    | Effective
    | Let
    | Require
    | Due
    | Warn
    | AcceptLate
    | Partial
    | Consequence
    | Supersedes
    | UntilSuperseded
)
Schedule = (
    Once
    | Every
    | EachOccurrence
    | ForEachEvent
)
SCHEDULES = (Once, Every, EachOccurrence, ForEachEvent)
PolicyItem = (
    Issuer
    | Document
    | Issued
    | Effective
    | Timezone
    | WorkdayEnds
    | Warn
    | Consequence
    | AppliesTo
    | Obligation
)
FileItem = (
    Import
    | SetDef
    | BandDef
    | FestivalDef
    | EventDef
    | UnitsDef
    | LetDef
    | Policy
)


def children(node: Node) -> list[Node]:
    """The direct child nodes of `node`, in field order (for generic walks)."""
    out: list[Node] = []
    for name in node.__dataclass_fields__:
        if name == "span":
            continue
        value = getattr(node, name)
        if isinstance(value, Node):
            out.append(value)
        elif isinstance(value, tuple):
            out.extend(v for v in value if isinstance(v, Node))
    return out


def walk(node: Node) -> list[Node]:
    """`node` and all its descendants, depth first, in source order."""
    stack = [node]
    result: list[Node] = []
    while stack:
        current = stack.pop()
        result.append(current)
        stack.extend(reversed(children(current)))
    return result
