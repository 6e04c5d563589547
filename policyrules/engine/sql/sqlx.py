"""Small builders of sqlglot expressions: the columnar engine's SQL is made of these, never
of pasted strings, so that the same plan renders for DuckDB and for Spark."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from sqlglot import exp

E = exp.Expr


def col(name: str, table: str | None = None) -> exp.Column:
    return exp.column(name, table=table, quoted=True)


def lit(value: Any) -> E:
    """A literal of a Python value: None, bool, int, float, str, date, datetime, tuple."""
    match value:
        case None:
            return exp.null()
        case bool():
            return exp.true() if value else exp.false()
        case int():
            return exp.Literal.number(value)
        case float():
            # a DOUBLE, as the reference engine computes (`1.5` alone would be a DECIMAL)
            return exp.cast(exp.Literal.number(repr(value)), "DOUBLE")
        case str():
            return exp.Literal.string(value)
        case dt.datetime():
            return exp.cast(
                exp.Literal.string(value.replace(tzinfo=None).isoformat(sep=" ")), "TIMESTAMP"
            )
        case dt.date():
            return exp.cast(exp.Literal.string(value.isoformat()), "DATE")
        case tuple() | list():
            return exp.Array(expressions=[lit(v) for v in value])
    raise TypeError(f"no literal for {value!r}")


def func(name: str, *args: E) -> E:
    return exp.Anonymous(this=name, expressions=list(args))


def and_(*parts: E) -> E:
    kept = [p for p in parts if p is not None]
    if not kept:
        return exp.true()
    out = kept[0]
    for part in kept[1:]:
        out = exp.And(this=out, expression=part)
    return exp.paren(out, copy=False) if len(kept) > 1 else out


def or_(*parts: E) -> E:
    if not parts:
        return exp.false()
    out = parts[0]
    for part in parts[1:]:
        out = exp.Or(this=out, expression=part)
    return exp.paren(out, copy=False) if len(parts) > 1 else out


def not_(part: E) -> E:
    return exp.Not(this=exp.paren(part, copy=False))


def truthy(part: E) -> E:
    """A condition as the reference engine reads it: a missing value is false."""
    return exp.Coalesce(this=part, expressions=[exp.false()])


_COMPARE = {"==": exp.EQ, "!=": exp.NEQ, "<": exp.LT, "<=": exp.LTE, ">": exp.GT, ">=": exp.GTE}


def compare(op: str, left: E, right: E) -> E:
    return _COMPARE[op](this=left, expression=right)


def eq(left: E, right: E) -> E:
    return exp.EQ(this=left, expression=right)


def case(whens: Iterable[tuple[E, E]], default: E | None = None) -> E:
    node = exp.Case()
    for condition, value in whens:
        node = node.when(condition, value, copy=False)
    if default is not None:
        node = node.else_(default, copy=False)
    return node


def cast(part: E, to: str) -> E:
    return exp.cast(part, to, copy=False)


def alias(part: E, name: str) -> E:
    return exp.alias_(part, name, quoted=True, copy=False)


def concat(*parts: E) -> E:
    out = parts[0]
    for part in parts[1:]:
        out = exp.DPipe(this=out, expression=part, safe=True)
    return out


def concat_all(*parts: E) -> E:
    """Parts that are never null, joined in one call: a long chain of `||` copies the
    growing text once per part (a report item has some eighty parts)."""
    return func("concat", *parts)


def coalesce(part: E, *defaults: E) -> E:
    return exp.Coalesce(this=part, expressions=list(defaults))


def is_null(part: E) -> E:
    return exp.Is(this=part, expression=exp.null())


def is_not_null(part: E) -> E:
    return exp.not_(exp.Is(this=part, expression=exp.null()))


def least(*parts: E) -> E:
    return exp.Least(this=parts[0], expressions=list(parts[1:]))


def greatest(*parts: E) -> E:
    return exp.Greatest(this=parts[0], expressions=list(parts[1:]))


def array_agg(value: E, order: E | None = None, where: E | None = None) -> E:
    inner: E = value
    if order is not None:
        inner = exp.Order(this=value, expressions=[exp.Ordered(this=order)])
    node: E = exp.ArrayAgg(this=inner)
    if where is not None:
        node = exp.Filter(this=node, expression=exp.Where(this=where))
    return node


def aggregate(name: str, value: E | None, where: E | None = None, distinct: bool = False) -> E:
    arg: E = exp.Star() if value is None else value
    if distinct:
        arg = exp.Distinct(expressions=[arg])
    classes: dict[str, type[E]] = {
        "count": exp.Count,
        "sum": exp.Sum,
        "min": exp.Min,
        "max": exp.Max,
        "avg": exp.Avg,
    }
    node: E = classes[name](this=arg) if name in classes else func(name, arg)
    if where is not None:
        node = exp.Filter(this=node, expression=exp.Where(this=where))
    return node


def select(*columns: E) -> exp.Select:
    return exp.select(*columns, copy=False)


def table(name: str, alias_name: str | None = None) -> exp.Table:
    return exp.table_(name, alias=alias_name, quoted=True)


def subquery(query: exp.Query, name: str) -> E:
    return exp.Subquery(this=query, alias=exp.TableAlias(this=exp.to_identifier(name, quoted=True)))


def columns_of(names: Sequence[str], table_name: str) -> list[E]:
    return [col(n, table_name) for n in names]


def star(table: str | None = None) -> E:
    """`*`, or `t.*`."""
    if table is None:
        return exp.Star()
    return exp.Column(this=exp.Star(), table=exp.to_identifier(table, quoted=True))
