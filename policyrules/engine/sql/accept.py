"""The accepted forms of docs/data.md as SQL: which values the database may take as the
reference reader would, and what it makes of them.

Each rule gives, for a value that is present, a condition — the value is *plainly* of an
accepted form — and the value the reference reader would make of it, in the column's type.
A value that is present but not plainly accepted makes its row *doubtful*: the reference
reader (:mod:`policyrules.data.values`) decides it, with its reasons. So these rules may be
narrower than the reference's, never wider: every form they take is one the reference takes,
with the same value. DuckDB's own casts are lenient (`' 1'`, `'1_000'`, `'2019-6-7'`,
`'T24:00'` all cast), so a text is first matched against the reference's exact pattern.

Values come in three forms: *text* (a CSV cell, a JSON string, a text column of Parquet),
*JSON* (a value of a JSON line, typed by `json_type`), or *typed* (a Parquet column of a
database type).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlglot import exp

from policyrules.engine.sql import sqlx as q
from policyrules.semantics import types as T

E = exp.Expr

# the reference's patterns (policyrules/data/values.py), anchored
NUMBER_TEXT = r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
# at most 18 digits: every such number is within a signed 64-bit integer
INT_TEXT = r"[+-]?[0-9]{1,18}(?:\.0*)?"
# years 0002–9998: a time in them stays in range in any zone
_YEAR = r"(?:000[2-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-8][0-9]{3}|9[0-8][0-9]{2}|99[0-8][0-9])"
DATE_TEXT = _YEAR + r"-[0-9]{2}-[0-9]{2}"
_CLOCK = r"(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\.[0-9]{1,6})?)?"
_OFFSET = r"(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"
LOCAL_TEXT = DATE_TEXT + "[T ]" + _CLOCK
ZONED_TEXT = LOCAL_TEXT + _OFFSET
# any of the three forms of an `at`: a date, a local date-time, one with an offset
AT_TEXT = DATE_TEXT + "(?:[T ]" + _CLOCK + "(?:" + _OFFSET + ")?)?"
# what Python's str.strip() removes, beyond the ASCII space (RE2 classes are ASCII-only)
SPACES = (
    r"\x09-\x0d\x1c-\x1f\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}"
    r"\x{205f}\x{3000}"
)
_UNICODE_SPACE = f"[{SPACES}]"
_CORE_SPACE = "^[ \t\r\n]|[ \t\r\n]$"

INTEGER_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER")
NUMBER_TYPES = (*INTEGER_TYPES, "UBIGINT", "FLOAT", "DOUBLE")
_JSON_INTEGER = ("UBIGINT", "BIGINT")
INT_MAX = 2**63 - 1


def matches(value: E, pattern: str) -> E:
    return q.func("regexp_full_match", value, q.lit(pattern))


def contains(value: E, pattern: str) -> E:
    return q.func("regexp_matches", value, q.lit(pattern))


def _in(value: E, values: Sequence[str]) -> E:
    if not values:
        return exp.false()
    return exp.In(this=value, expressions=[q.lit(v) for v in values])


def _ge0(value: E) -> E:
    return exp.GTE(this=value, expression=q.lit(0))


def _double(value: E) -> E:
    # `+ 0.0`: -0.0 is 0, as the reference reader makes it
    return exp.Add(this=q.cast(value, "DOUBLE"), expression=q.lit(0.0))


def _finite_ge0(number: E) -> E:
    return q.and_(q.func("isfinite", number), _ge0(number))


class Rules:
    """The rules for one policy (its festivals and time zone are set on the connection)."""

    def __init__(self, festivals: Sequence[str]) -> None:
        self.festivals = tuple(festivals)

    # ------------------------------------------------------------------ text

    def text(self, t: T.Type, v: E) -> tuple[E, E]:
        """(plainly accepted, value) of a present text `v`."""
        kind = t.kind
        if kind in (T.Kind.NUMBER, T.Kind.RATIO, T.Kind.PERCENT):
            number = _try_double(v)
            return q.and_(matches(v, NUMBER_TEXT), _finite_ge0(number)), _double(number)
        if kind is T.Kind.INT:
            whole = _try(q.func("regexp_extract", v, q.lit(r"^[+-]?[0-9]+")), "BIGINT")
            return q.and_(matches(v, INT_TEXT), _ge0(whole)), whole
        if kind is T.Kind.BOOL:
            lowered = q.func("lower", v)
            return _in(lowered, ("true", "false")), q.eq(lowered, q.lit("true"))
        if kind is T.Kind.DATE:
            day = _try(v, "DATE")
            return q.and_(matches(v, DATE_TEXT), q.is_not_null(day)), day
        if kind is T.Kind.DATETIME:
            return self.moment_text(v)
        if kind is T.Kind.LIST:
            assert t.item is not None
            return self._list_text(t.item, v)
        return self._string(t, v)

    def moment_text(self, v: E) -> tuple[E, E]:
        """A date-time written as text, in local wall time."""
        local, zoned = matches(v, LOCAL_TEXT), matches(v, ZONED_TEXT)
        value = q.case(
            [(local, _try(v, "TIMESTAMP"))],
            q.cast(_try(v, "TIMESTAMPTZ"), "TIMESTAMP"),
        )
        return q.and_(q.or_(local, zoned), q.is_not_null(value)), value

    def _string(self, t: T.Type, v: E) -> tuple[E, E]:
        if t.kind is T.Kind.FESTIVAL and self.festivals:
            return _in(v, self.festivals), v
        if t.kind is T.Kind.STRING and t.values is not None:
            return _in(v, t.values), v
        return exp.true(), v

    def _list_text(self, item: T.Type, v: E) -> tuple[E, E]:
        """A list in a cell, in the plain forms only: one item, or items apart by `;` (or
        else `|`), with no space but ASCII spaces anywhere; a bracketed list is doubtful."""
        x = exp.to_identifier("x")
        separated = q.case(
            [
                (contains(v, ";"), q.func("string_split", v, q.lit(";"))),
                (contains(v, r"\|"), q.func("string_split", v, q.lit("|"))),
            ],
            q.func("list_value", v),
        )
        items = q.func(
            "list_filter",
            q.func("list_transform", separated, _lambda(q.func("trim", x), x)),
            _lambda(exp.NEQ(this=x, expression=q.lit("")), x),
        )
        if item.kind is T.Kind.LIST:
            return exp.false(), exp.null()
        each, value = self.text(item, x)
        plain = q.and_(
            q.not_(contains(v, r"^\s*\[|\]\s*$")),
            q.not_(contains(v, _UNICODE_SPACE)),
            _all(items, each, x),
        )
        return plain, q.func("list_transform", items, _lambda(value, x))

    # ------------------------------------------------------------------ JSON

    def json(self, t: T.Type, j: E) -> tuple[E, E]:
        """(plainly accepted, value) of a present JSON value `j`."""
        kind = q.func("json_type", j)
        text = q.func("json_extract_string", j, q.lit("$"))
        is_text = q.eq(kind, q.lit("VARCHAR"))
        as_text, text_value = self.text(t, text)
        typed: tuple[E, E] | None = None
        match t.kind:
            case T.Kind.NUMBER | T.Kind.RATIO | T.Kind.PERCENT:
                raw = q.func("json_extract_string", j, q.lit("$"))
                number = _try(j, "DOUBLE")
                # an integer beyond 64 bits is typed DOUBLE by the parser: doubtful
                real = q.or_(
                    _in(kind, _JSON_INTEGER),
                    q.and_(q.eq(kind, q.lit("DOUBLE")), contains(raw, "[.eE]")),
                )
                typed = q.and_(real, _finite_ge0(number)), _double(number)
            case T.Kind.INT:
                fits = q.and_(
                    q.eq(kind, q.lit("UBIGINT")),
                    exp.LTE(this=_try(j, "UBIGINT"), expression=q.lit(INT_MAX)),
                )
                typed = fits, _try(j, "BIGINT")
            case T.Kind.BOOL:
                typed = q.eq(kind, q.lit("BOOLEAN")), _try(j, "BOOLEAN")
            case T.Kind.LIST:
                assert t.item is not None
                typed = self._list_json(t.item, j)
        if typed is None:
            return q.and_(is_text, as_text), text_value
        plain, value = typed
        return (
            q.or_(q.and_(is_text, as_text), plain),
            q.case([(is_text, text_value)], value),
        )

    def _list_json(self, item: T.Type, j: E) -> tuple[E, E]:
        x = exp.to_identifier("x")
        items = q.func("json_extract", j, q.lit("$[*]"))
        present = json_present(x)
        each, value = self.json(item, x)
        plain = q.and_(
            q.eq(q.func("json_type", j), q.lit("ARRAY")), _all(items, q.and_(present, each), x)
        )
        return plain, q.func("list_transform", items, _lambda(value, x))

    # ------------------------------------------------------------------ typed

    def typed(self, t: T.Type, v: E, given: str) -> tuple[E, E] | None:
        """(plainly accepted, value) of a present value of the database type `given`; None
        when no value of that type is plain (the reference reader decides each)."""
        if given == "VARCHAR":
            return self.text(t, v)
        kind = t.kind
        if kind in (T.Kind.NUMBER, T.Kind.RATIO, T.Kind.PERCENT) and given in NUMBER_TYPES:
            number = q.cast(v, "DOUBLE")
            return _finite_ge0(number), _double(number)
        if kind is T.Kind.INT and given in (*INTEGER_TYPES, "UBIGINT"):
            fits = exp.LTE(this=q.cast(v, "HUGEINT"), expression=q.lit(INT_MAX))
            return q.and_(_ge0(v), fits), _try(v, "BIGINT")
        if kind is T.Kind.INT and given in ("FLOAT", "DOUBLE"):
            number = q.cast(v, "DOUBLE")
            whole = q.and_(
                q.func("isfinite", number),
                q.eq(number, q.func("floor", number)),
                _ge0(number),
                exp.LT(this=number, expression=q.lit(2.0**62)),
            )
            return whole, _try(number, "BIGINT")
        if kind is T.Kind.BOOL and given == "BOOLEAN":
            return exp.true(), v
        if kind is T.Kind.DATE and given == "DATE":
            return _years_in_range(v), v
        if kind is T.Kind.DATETIME and given in ("TIMESTAMP", "TIMESTAMP WITH TIME ZONE"):
            return _years_in_range(v), q.cast(v, "TIMESTAMP")
        if kind is T.Kind.LIST and given.endswith("[]") and t.item is not None:
            x = exp.to_identifier("x")
            inner = self.typed(t.item, x, given[:-2])
            if inner is None:
                return None
            each, value = inner
            return _all(v, q.and_(q.is_not_null(x), each), x), q.func(
                "list_transform", v, _lambda(value, x)
            )
        return None

    # ------------------------------------------------------------------ core fields

    @staticmethod
    def core_text(v: E) -> E:
        """An `id`, `unit` or `kind` text as the reader takes it: not empty, no space, tab or
        line break around it."""
        return q.and_(
            q.is_not_null(v),
            exp.NEQ(this=v, expression=q.lit("")),
            q.not_(contains(v, _CORE_SPACE)),
        )

    def core_json(self, j: E, whole: bool) -> tuple[E, E]:
        kind = q.func("json_type", j)
        text = q.func("json_extract_string", j, q.lit("$"))
        plain = q.and_(q.eq(kind, q.lit("VARCHAR")), self.core_text(text))
        if whole:
            plain = q.or_(plain, _in(kind, _JSON_INTEGER))
        return q.and_(q.is_not_null(j), plain), text

    def core_typed(self, v: E, given: str, whole: bool) -> tuple[E, E] | None:
        if given == "VARCHAR":
            return self.core_text(v), v
        if whole and given in (*INTEGER_TYPES, "UBIGINT", "HUGEINT"):
            return q.is_not_null(v), q.cast(v, "VARCHAR")
        return None

    def at_text(self, v: E) -> tuple[E, E, E]:
        """(plain, local time, whether it has a time) of an `at` written as text.

        One pattern decides that the text is of an accepted form (it is read for every row
        of every kind: the three forms tested apart cost the reading a third of its time);
        which form it is follows from its shape: a date is ten characters (a date-time at
        least sixteen), an offset ends it with `Z` or puts `+`/`-` six from the end."""
        is_date = q.eq(q.func("length", v), q.lit(10))
        tail = q.func("substr", v, exp.Sub(this=q.func("length", v), expression=q.lit(5)), q.lit(1))
        zoned = q.or_(q.eq(q.func("right", v, q.lit(1)), q.lit("Z")), _in(tail, ("+", "-")))
        value = q.case(
            [
                (is_date, q.cast(_try(v, "DATE"), "TIMESTAMP")),
                (zoned, q.cast(_try(v, "TIMESTAMPTZ"), "TIMESTAMP")),
            ],
            _try(v, "TIMESTAMP"),
        )
        plain = q.and_(matches(v, AT_TEXT), q.is_not_null(value))
        return plain, value, q.not_(is_date.copy())

    def at_typed(self, v: E, given: str) -> tuple[E, E, E] | None:
        if given == "VARCHAR":
            return self.at_text(v)
        if given == "DATE":
            return _years_in_range(v), q.cast(v, "TIMESTAMP"), exp.false()
        if given in ("TIMESTAMP", "TIMESTAMP WITH TIME ZONE"):
            return _years_in_range(v), q.cast(v, "TIMESTAMP"), exp.true()
        return None


def json_present(j: E) -> E:
    """A JSON value the reader counts as given: not missing, not null, not `""`."""
    kind = q.func("json_type", j)
    empty = q.and_(
        q.eq(kind, q.lit("VARCHAR")),
        q.eq(q.func("json_extract_string", j, q.lit("$")), q.lit("")),
    )
    return q.and_(q.is_not_null(j), exp.NEQ(this=kind, expression=q.lit("NULL")), q.not_(empty))


def text_present(v: E) -> E:
    return q.and_(q.is_not_null(v), exp.NEQ(this=v, expression=q.lit("")))


def _try(v: E, to: str) -> E:
    return exp.TryCast(this=v, to=exp.DataType.build(to, dialect="duckdb"))


def _try_double(v: E) -> E:
    return _try(v, "DOUBLE")


def _years_in_range(v: E) -> E:
    year = q.func("year", v)
    return q.and_(
        exp.GTE(this=year, expression=q.lit(2)), exp.LTE(this=year, expression=q.lit(9998))
    )


def _lambda(body: E, x: exp.Identifier) -> E:
    return exp.Lambda(this=body, expressions=[x])


def _all(items: E, each: E, x: exp.Identifier) -> E:
    """Whether `each` holds for every item (an empty list: it does)."""
    return q.coalesce(
        q.func("list_bool_and", q.func("list_transform", items, _lambda(q.truthy(each), x))),
        exp.true(),
    )
