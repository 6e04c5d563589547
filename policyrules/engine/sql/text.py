"""Values and messages as text, in SQL, exactly as the reference engine writes them:
`shown` values in reasons (numbers to four figures, times to the minute, `none`), message
templates in the report's language, and JSON numbers and strings as pydantic writes them."""

from __future__ import annotations

import string
from collections.abc import Mapping

from sqlglot import exp

from policyrules.diagnostics.messages import ZH
from policyrules.engine.sql import sqlx as q
from policyrules.semantics import types as T

E = exp.Expr


def number_text(value: E, figures: int = 4, none: str = "none") -> E:
    """:func:`policyrules.diagnostics.numbers.number_text`: a whole number without a point,
    any other to `figures` significant figures."""
    number = q.cast(value, "DOUBLE")
    whole = q.and_(q.func("isfinite", number), q.eq(number, exp.Floor(this=number)))
    return q.case(
        [(q.is_null(value), q.lit(none)), (whole, q.cast(q.cast(number, "HUGEINT"), "VARCHAR"))],
        q.func("printf", q.lit(f"%.{figures}g"), number),
    )


def shown(value: E, t: T.Type) -> E:
    """A value as a reason shows it (:func:`policyrules.engine.verdict.shown`)."""
    match t.kind:
        case T.Kind.INT | T.Kind.NUMBER | T.Kind.RATIO | T.Kind.PERCENT:
            return number_text(value)
        case T.Kind.DATETIME:
            text: E = q.func("strftime", value, q.lit("%Y-%m-%d %H:%M"))
        case T.Kind.DATE:
            text = q.cast(value, "VARCHAR")
        case T.Kind.BOOL:
            text = q.case([(value, q.lit("True"))], q.lit("False"))
        case T.Kind.LIST:
            item = t.item or T.UNKNOWN
            each = shown(exp.to_identifier("x"), item)
            joined = q.func(
                "array_to_string",
                q.func(
                    "list_transform",
                    value,
                    exp.Lambda(this=each, expressions=[exp.to_identifier("x")]),
                ),
                q.lit(", "),
            )
            text = q.concat(q.lit("["), joined, q.lit("]"))
        case T.Kind.UNKNOWN:
            return number_text(value)
        case _:
            text = q.cast(value, "VARCHAR")
    return q.coalesce(text, q.lit("none"))


def template(lang: str, text: str) -> str:
    """A message template as the language writes it (its `{blanks}` kept)."""
    return ZH.get(text, text) if lang == "zh" else text


def message(lang: str, text: str, values: Mapping[str, E]) -> E:
    """A message in `lang` with its blanks filled by SQL values (already text)."""
    parts: list[E] = []
    for literal, name, _, _ in string.Formatter().parse(template(lang, text)):
        if literal:
            parts.append(q.lit(literal))
        if name is not None:
            parts.append(values[name])
    return q.concat(*parts) if parts else q.lit("")


def json_string(value: E) -> E:
    """A JSON string, or `null`, as pydantic writes it."""
    return q.coalesce(q.cast(q.func("to_json", value), "VARCHAR"), q.lit("null"))


def json_float(value: E) -> E:
    """A JSON number of a float, or `null`, as pydantic writes it (shortest digits; `1.0`
    for a whole number; a small number in decimal down to 1e-5, an exponent without a
    leading zero below)."""
    number = q.cast(value, "DOUBLE")
    text = q.cast(number, "VARCHAR")
    tiny = q.and_(
        exp.NEQ(this=number, expression=q.lit(0.0)),
        exp.LT(this=exp.Abs(this=number), expression=q.lit(1e-4)),
    )
    exponent = q.func("regexp_replace", text, q.lit("e-0"), q.lit("e-"))
    # 1.5e-05 is written 0.000015: the digits of the mantissa after four zeros
    digits = q.func(
        "replace",
        q.func("regexp_extract", text, q.lit("^-?([0-9.]+)e"), q.lit(1)),
        q.lit("."),
        q.lit(""),
    )
    sign = q.case([(exp.LT(this=number, expression=q.lit(0.0)), q.lit("-"))], q.lit(""))
    return q.case(
        [
            (q.is_null(value), q.lit("null")),
            (
                q.and_(tiny, exp.GTE(this=exp.Abs(this=number), expression=q.lit(1e-5))),
                q.concat(sign, q.lit("0.0000"), digits),
            ),
            (tiny, exponent),
        ],
        text,
    )


def json_strings(value: E, indent: str) -> E:
    """A JSON list of strings, one per line at `indent`, as pydantic writes it (`[]` when
    empty)."""
    items = q.func(
        "list_transform",
        value,
        exp.Lambda(
            this=q.concat(q.lit("\n" + indent + "  "), json_string(exp.to_identifier("s"))),
            expressions=[exp.to_identifier("s")],
        ),
    )
    joined = q.func("array_to_string", items, q.lit(","))
    return q.case(
        [(q.eq(q.coalesce(q.func("len", value), q.lit(0)), q.lit(0)), q.lit("[]"))],
        q.concat(q.lit("["), joined, q.lit("\n" + indent + "]")),
    )
