"""The types of the policy language, as the checker infers them.

Numbers come in four flavours so that the checker can say what people mean: a *count*
(``count(...)``, an ``int`` attribute), a *number* (hours, averages), a *ratio* (one number
divided by another) and a *percentage* (``10%``). A percentage compares with a ratio or a
percentage, never with a count: ``count(activity) >= 10%`` is an error whose hint says to write
``10% of unit.staff``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from policyrules.diagnostics.messages import Message, msg


class Kind(StrEnum):
    INT = "int"
    NUMBER = "number"
    RATIO = "ratio"
    PERCENT = "percent"
    STRING = "string"
    BOOL = "bool"
    DATE = "date"
    DATETIME = "datetime"
    LIST = "list"
    GROUPED = "grouped"
    FESTIVAL = "festival"
    RECORD = "record"
    UNKNOWN = "unknown"  # after an error: accepted everywhere so one mistake is reported once


NUMERIC = frozenset({Kind.INT, Kind.NUMBER, Kind.RATIO})
TEMPORAL = frozenset({Kind.DATE, Kind.DATETIME})


@dataclass(frozen=True, slots=True)
class Type:
    kind: Kind
    item: Type | None = None  # of a list or of the groups
    values: tuple[str, ...] | None = None  # of a `one of [...]` string
    record: str | None = None  # the name of a record: `unit`, an event kind, `window`

    def __str__(self) -> str:
        return describe(self)

    @property
    def is_numeric(self) -> bool:
        return self.kind in NUMERIC

    @property
    def is_unknown(self) -> bool:
        return self.kind is Kind.UNKNOWN


INT = Type(Kind.INT)
NUMBER = Type(Kind.NUMBER)
RATIO = Type(Kind.RATIO)
PERCENT = Type(Kind.PERCENT)
STRING = Type(Kind.STRING)
BOOL = Type(Kind.BOOL)
DATE = Type(Kind.DATE)
DATETIME = Type(Kind.DATETIME)
FESTIVAL = Type(Kind.FESTIVAL)
UNKNOWN = Type(Kind.UNKNOWN)


def list_of(item: Type) -> Type:
    return Type(Kind.LIST, item=item)


def grouped(item: Type) -> Type:
    return Type(Kind.GROUPED, item=item)


def enum(values: tuple[str, ...]) -> Type:
    return Type(Kind.STRING, values=values)


def describe(t: Type) -> Message:
    """A type in words, with its article: `a number`, `a list of strings`."""
    match t.kind:
        case Kind.INT:
            return msg("a whole number")
        case Kind.NUMBER:
            return msg("a number")
        case Kind.RATIO:
            return msg("a ratio")
        case Kind.PERCENT:
            return msg("a percentage")
        case Kind.STRING:
            if t.values is not None:
                return msg("one of {values}", values=", ".join(f"`{v}`" for v in t.values))
            return msg("a string")
        case Kind.BOOL:
            return msg("true or false")
        case Kind.DATE:
            return msg("a date")
        case Kind.DATETIME:
            return msg("a date and time")
        case Kind.LIST:
            assert t.item is not None
            return msg("a list of {items}", items=_plural(t.item))
        case Kind.GROUPED:
            assert t.item is not None
            return msg("one value per group")
        case Kind.FESTIVAL:
            return msg("a festival")
        case Kind.RECORD:
            return msg("the record `{record}`", record=t.record)
    return msg("something unknown")


def _plural(t: Type) -> Message:
    words = {
        Kind.INT: "whole numbers",
        Kind.NUMBER: "numbers",
        Kind.RATIO: "ratios",
        Kind.PERCENT: "percentages",
        Kind.STRING: "strings",
        Kind.BOOL: "booleans",
        Kind.DATE: "dates",
        Kind.DATETIME: "dates and times",
        Kind.FESTIVAL: "festivals",
    }
    return msg(words.get(t.kind, "values"))


def from_declaration(name: str) -> Type:
    """The type of a scalar declared in `event`/`units` (`int`, `number`, …)."""
    return {
        "int": INT,
        "number": NUMBER,
        "string": STRING,
        "bool": BOOL,
        "date": DATE,
        "datetime": DATETIME,
        "festival": FESTIVAL,
    }[name]


def comparable(left: Type, right: Type) -> bool:
    """Whether `left` and `right` can be ordered or tested for equality."""
    if left.is_unknown or right.is_unknown:
        return True
    if left.is_numeric and right.is_numeric:
        return True
    if Kind.PERCENT in (left.kind, right.kind):
        other = right if left.kind is Kind.PERCENT else left
        return other.kind in (Kind.PERCENT, Kind.RATIO)
    if left.kind in TEMPORAL and right.kind in TEMPORAL:
        return True
    if {left.kind, right.kind} <= {Kind.STRING, Kind.FESTIVAL}:
        return True
    return left.kind == right.kind and left.kind is Kind.BOOL


def unify(a: Type, b: Type) -> Type | None:
    """The type both `a` and `b` belong to (for list literals), or None."""
    if a.is_unknown:
        return b
    if b.is_unknown:
        return a
    if a == b:
        return a
    if a.is_numeric and b.is_numeric:
        return NUMBER
    if a.kind is Kind.STRING and b.kind is Kind.STRING:
        return STRING
    if a.kind in TEMPORAL and b.kind in TEMPORAL:
        return DATETIME
    return None
