"""Values in the types a policy declares: one small rule per type, and nothing else decides
what is accepted.

This table is the contract of docs/data.md ("Accepted values"): any reader of events and
units (the Python one here, a DuckDB one later) accepts exactly these forms and rejects the
rest with these reasons. A value arrives either *typed* (a JSON number, boolean or array, a
Python or Parquet value) or as *text* (a CSV cell, or a JSON string where another type is
declared); each rule says what it takes of both:

=========== ====================================================== ==========================
type        typed                                                  text
=========== ====================================================== ==========================
`number`    int or float (not a boolean), finite, >= 0             `1.5`, `-0`, `2.`, `.5`,
                                                                   `1e3`: ASCII digits, `.`,
                                                                   an exponent
`ratio`     as `number`                                            as `number`
`int`       int (not a boolean), or a float with no fraction;      `3`, `+3`, `3.0`, `3.00`
            0 .. 2**63-1
`bool`      true or false                                          `true` / `false` in any case
`date`      a date (not a date-time)                               `YYYY-MM-DD`
`datetime`  a date-time (naive: in the policy's zone)              `YYYY-MM-DDTHH:MM[:SS[.f]]`
                                                                   with `T` or a space, then
                                                                   `Z` or `±HH:MM` or nothing
`string`    a string                                               the cell as it is
`one of`    one of the declared strings, exactly                   the same
`festival`  the name of a festival the policy defines              the same
`list of T` an array (list or tuple) of T                          see :mod:`.cells`
=========== ====================================================== ==========================

Every string anywhere must be valid Unicode text (no lone surrogate such as `\\ud800`, which
no JSON or UTF-8 output can hold). The quantities of the notices (hours, participants,
headcounts, populations) are never negative, so numbers are >= 0.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from policyrules.data.cells import list_items
from policyrules.diagnostics.messages import Message, msg
from policyrules.semantics import types as T

#: the largest whole number accepted: a signed 64-bit integer (what a database column holds)
INT_MAX = 2**63 - 1
_FLOAT_MAX = 1.7976931348623157e308

_NUMBER_TEXT = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_INT_TEXT = re.compile(r"[+-]?([0-9]+)(?:\.0*)?")
_DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATETIME_TEXT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?"
    r"(?:Z|[+-][0-9]{2}:[0-9]{2})?"
)
_SURROGATE = re.compile("[\ud800-\udfff]")


class Invalid(ValueError):
    """A value that its declared type does not accept; `problem` says why, in words that
    translate (`not a number`), and `where` is the item's position inside a list."""

    def __init__(self, problem: Message, got: Any = None, where: Sequence[int | str] = ()) -> None:
        super().__init__(problem)
        self.problem = problem
        self.got = got
        self.where = tuple(where)


Rule = Callable[[Any], Any]


def valid_text(value: str) -> bool:
    """Whether a string is Unicode text (no lone surrogate); ASCII needs no search, nor a
    short text already found good (themes, categories, names repeat from row to row)."""
    if value.isascii() or value in _GOOD_TEXT:
        return True
    if _SURROGATE.search(value) is not None:
        return False
    if len(value) <= 64 and len(_GOOD_TEXT) < 100_000:
        _GOOD_TEXT.add(value)
    return True


_GOOD_TEXT: set[str] = set()


def text_of(value: Any) -> str:
    """A string as it can be shown in a message and written to JSON: a lone surrogate
    becomes U+FFFD."""
    text = str(value)
    return text if valid_text(text) else _SURROGATE.sub("\ufffd", text)


# ----------------------------------------------------------------------------- the rules


def core_text(name: str, value: Any, whole: bool = True) -> str | Message:
    """An `id`, `unit` or `kind` (or a unit row's `unit`): a non-blank string without spaces
    around it, or — `whole` — a whole number, read as its digits (`17` is `"17"`); else why
    not."""
    if isinstance(value, str):
        value = str(value)
        if value and value[0] not in " \t\r\n" and value[-1] not in " \t\r\n":
            return value if valid_text(value) else msg(
                "`{name}`: not valid Unicode text (a lone surrogate)", name=name)
        if not value:
            return msg("`{name}` is missing", name=name)
        if not value.strip():
            return msg("`{name}` is blank", name=name)
        return msg("`{name}`: spaces around the text (got `{got}`)", name=name,
                   got=text_of(value))
    if value is None:
        return msg("`{name}` is missing", name=name)
    if whole and (type(value) is int or (
            isinstance(value, numbers.Integral) and not isinstance(value, bool))):
        return str(int(value))
    if isinstance(value, (int, float, bool)):
        return msg("`{name}`: not a string (got `{got}`)", name=name, got=value)
    return msg("`{name}`: not a string", name=name)



def read_number(value: Any) -> float:
    """`number` and `ratio`: see the table above."""
    kind = type(value)
    if kind is float and 0.0 < value <= _FLOAT_MAX:
        return float(value)  # the common case: the same object (float() of a float is it)
    if kind is float or kind is int or (_is_number(value) and kind is not str):
        try:
            number = float(value)
        except OverflowError:
            raise Invalid(msg("not a finite number"), value) from None
    elif isinstance(value, str):
        if _NUMBER_TEXT.fullmatch(value) is None:
            raise Invalid(msg("not a number"), value)
        number = float(value)
    else:
        raise Invalid(msg("not a number"), value)
    if not math.isfinite(number):
        raise Invalid(msg("not a finite number"), value)
    if number < 0:
        raise Invalid(msg("must be at least {bound}", bound=0), value)
    return number + 0.0  # -0.0 is 0


def read_int(value: Any) -> int:
    """`int`: see the table above."""
    kind = type(value)
    if kind is int or (isinstance(value, numbers.Integral) and not isinstance(value, bool)):
        number = int(value)
    elif kind is float or _is_number(value):
        value = float(value)
        if not math.isfinite(value):
            raise Invalid(msg("not a finite number"), value)
        if not value.is_integer():
            raise Invalid(msg("not a whole number"), value)
        number = int(value)
    elif isinstance(value, str):
        match = _INT_TEXT.fullmatch(value)
        if match is None:
            raise Invalid(msg("not a whole number"), value)
        if len(match.group(1).lstrip("0")) > 19:
            raise Invalid(msg("must be at most {bound}", bound=INT_MAX), value)
        number = int(value.partition(".")[0])
    else:
        raise Invalid(msg("not a whole number"), value)
    if number < 0:
        raise Invalid(msg("must be at least {bound}", bound=0), value)
    if number > INT_MAX:
        raise Invalid(msg("must be at most {bound}", bound=INT_MAX), value)
    return int(number)


def read_bool(value: Any) -> bool:
    """`bool`: see the table above."""
    if value is True or value is False:
        return bool(value)
    if getattr(getattr(value, "dtype", None), "kind", None) == "b" and not getattr(
            value, "shape", ()):  # a numpy boolean, as pandas hands them over
        return bool(value)
    if isinstance(value, str):
        lowered = value.lower()
        if lowered == "true":
            return True
        if lowered == "false":
            return False
    raise Invalid(msg("not true or false"), value)


def _is_number(value: Any) -> bool:
    """A number of another library (numpy's float64, int64 …), not a boolean."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def read_date(value: Any) -> dt.date:
    """`date`: see the table above."""
    if type(value) is dt.date:
        return value
    if isinstance(value, str) and _DATE_TEXT.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise Invalid(msg("not a date"), value)


def datetime_reader(zone: dt.tzinfo) -> Rule:
    """`datetime`: see the table above; the value in `zone` (a naive one is taken to be in
    it, another converted)."""

    def read_datetime(value: Any) -> dt.datetime:
        if isinstance(value, dt.datetime):
            moment = value
        elif isinstance(value, str) and _DATETIME_TEXT.fullmatch(value):
            try:
                moment = dt.datetime.fromisoformat(str(value))
            except ValueError:
                raise Invalid(msg("not a date and time"), value) from None
        else:
            raise Invalid(msg("not a date and time"), value)
        return in_zone(moment, zone, value)

    return read_datetime


def in_zone(moment: dt.datetime, zone: dt.tzinfo, given: Any) -> dt.datetime:
    """`moment` in `zone`; one so close to the calendar's ends that converting it leaves
    the years 1..9999 is out of range."""
    try:
        moment = moment.replace(tzinfo=zone) if moment.tzinfo is None else moment.astimezone(
            zone)
        moment.astimezone(dt.UTC)  # its instant, which must be in range as well
    except (OverflowError, ValueError):
        raise Invalid(msg("out of range"), given) from None
    return moment


def read_string(value: Any) -> str:
    """`string`: see the table above."""
    if not isinstance(value, str):
        raise Invalid(msg("not a string"), value)
    if not valid_text(value):
        raise Invalid(msg("not valid Unicode text (a lone surrogate)"), text_of(value))
    return str(value)


def read_undeclared(value: Any) -> Any:
    """An attribute the policy does not declare: kept as given, but no string in it (at any
    depth of lists and objects) may hold a lone surrogate."""
    if isinstance(value, str):
        if not valid_text(value):
            raise Invalid(msg("not valid Unicode text (a lone surrogate)"), text_of(value))
    elif isinstance(value, (list, tuple, dict)):
        for part in value.values() if isinstance(value, dict) else value:
            read_undeclared(part)
        if isinstance(value, dict):
            for key in value:
                read_undeclared(key)
    return value


def choice_reader(values: Iterable[str]) -> Rule:
    """`one of [...]` and `festival`: exactly one of `values`."""
    allowed = frozenset(values)
    expected = _alternatives(list(values))

    def read_choice(value: Any) -> str:
        if type(value) is str and value in allowed:
            return value
        raise Invalid(msg("not one of {expected}", expected=expected), value)

    return read_choice


def _alternatives(values: list[str]) -> str:
    """`'a', 'b' or 'c'`: the allowed values as the reasons have always written them."""
    shown = [repr(v) for v in values]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]


def list_reader(item: Rule) -> Rule:
    """`list of T`: an array, or a text in one of the forms of :func:`.cells.list_items`."""

    def read_list(value: Any) -> list[Any]:
        if isinstance(value, (list, tuple)):
            items: Sequence[Any] = value
        elif isinstance(getattr(value, "tolist", None) and value.tolist(), list):
            items = value.tolist()  # a numpy array, as pandas hands a column of lists over
        elif isinstance(value, str):
            parsed = list_items(value)
            if isinstance(parsed, Message):
                raise Invalid(parsed, value)
            items = parsed
        else:
            raise Invalid(msg("not a list"), value)
        try:
            return [item(part) for part in items]
        except Invalid:  # the first item that is wrong, and where it is
            for index, part in enumerate(items):
                try:
                    item(part)
                except Invalid as problem:
                    raise Invalid(problem.problem, problem.got,
                                  (index, *problem.where)) from None
            raise

    return read_list


@dataclass(frozen=True)
class Context:
    """What some rules need to know of the policy: its time zone and festivals."""

    zone: dt.tzinfo
    festivals: tuple[str, ...]


def rule_for(t: T.Type, context: Context) -> Rule:
    """The rule of a declared type."""
    match t.kind:
        case T.Kind.NUMBER | T.Kind.RATIO | T.Kind.PERCENT:
            return read_number
        case T.Kind.INT:
            return read_int
        case T.Kind.BOOL:
            return read_bool
        case T.Kind.DATE:
            return read_date
        case T.Kind.DATETIME:
            return datetime_reader(context.zone)
        case T.Kind.FESTIVAL if context.festivals:
            return choice_reader(context.festivals)
        case T.Kind.STRING if t.values is not None:
            return choice_reader(t.values)
        case T.Kind.LIST:
            assert t.item is not None
            return list_reader(rule_for(t.item, context))
    return read_string


def rules_for(fields: Mapping[str, T.Type], context: Context) -> dict[str, Rule]:
    return {name: rule_for(t, context) for name, t in fields.items()}


def problem_text(name: str, invalid: Invalid) -> Message:
    """`` `hours`: not a number (got `abc`) ``: what a rejected row's reason says of a
    value (the wording the reports have always had)."""
    where = ".".join([name, *(str(p) for p in invalid.where)])
    got = invalid.got
    if isinstance(got, (str, int, float, bool)):
        shown: Any = got
        if isinstance(got, str):
            shown = text_of(got) if len(got) <= 80 else text_of(got[:77]) + "…"
        return msg("`{where}`: {problem} (got `{got}`)", where=where,
                   problem=invalid.problem, got=shown)
    return msg("`{where}`: {problem}", where=where, problem=invalid.problem)


# ----------------------------------------------------------------------------- the schema


def schema_of(t: T.Type, festivals: Sequence[str]) -> dict[str, Any]:
    """The JSON Schema of a declared type's typed (JSON) form."""
    match t.kind:
        case T.Kind.NUMBER | T.Kind.RATIO | T.Kind.PERCENT:
            return {"type": "number", "minimum": 0}
        case T.Kind.INT:
            return {"type": "integer", "minimum": 0, "maximum": INT_MAX}
        case T.Kind.BOOL:
            return {"type": "boolean"}
        case T.Kind.DATE:
            return {"type": "string", "format": "date", "pattern": f"^{_DATE_TEXT.pattern}$"}
        case T.Kind.DATETIME:
            return {"type": "string", "pattern": f"^{_DATETIME_TEXT.pattern}$"}
        case T.Kind.FESTIVAL if festivals:
            return {"type": "string", "enum": list(festivals)}
        case T.Kind.STRING if t.values is not None:
            return {"type": "string", "enum": list(t.values)}
        case T.Kind.LIST:
            assert t.item is not None
            return {"type": "array", "items": schema_of(t.item, festivals)}
    return {"type": "string"}
