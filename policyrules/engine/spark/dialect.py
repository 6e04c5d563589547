"""The columnar engine's plan rendered for Spark SQL.

The plan (:mod:`policyrules.engine.sql`) is built as sqlglot expressions, with DuckDB's names
for the functions sqlglot has no node for (`list_transform`, `printf`, …). Here they are
rewritten into what Spark computes the same way, and sqlglot renders the rest for the
`spark` dialect. Nothing of the plan is built twice: only how a function is spelt, and
where Spark's behaviour differs from DuckDB's (a `%g` format, a double's text, an ordered
`array_agg`, a time of day), how it is computed.

The session must run with `spark.sql.ansi.enabled=false`, `spark.sql.legacy.sizeOfNull=
false` and `spark.sql.timestampType=TIMESTAMP_NTZ` (:mod:`.session` sets them): times are
the policy's wall time, as in DuckDB.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlglot import exp

from policyrules.engine.sql import sqlx as q

E = exp.Expr

#: sums of numbers are exact on their decimal digits (DuckDB's `fsum`, Python's `math.fsum`)
EXACT = "DECIMAL(38, 18)"


def render(node: E) -> str:
    """`node` (not changed) as Spark SQL."""
    return rewrite(node.copy()).sql("spark")


def rewrite(node: E) -> E:
    """`node` with DuckDB's functions and types replaced by Spark's (in place where it can)."""
    new = _rule(node)
    if new is not None:
        return new
    for key, value in list(node.args.items()):
        if isinstance(value, list):
            node.set(key, [rewrite(v) if isinstance(v, exp.Expr) else v for v in value])
        elif isinstance(value, exp.Expr):
            node.set(key, rewrite(value))
    return node


def _fn(name: str, *args: E) -> E:
    return exp.Anonymous(this=name, expressions=list(args))


def _lambda(body: E, *names: str) -> E:
    return exp.Lambda(this=body, expressions=[exp.to_identifier(n) for n in names])


def _args(node: exp.Anonymous) -> list[E]:
    return [rewrite(a) for a in node.expressions]


# ---------------------------------------------------------------------- the rules


def _rule(node: E) -> E | None:
    if isinstance(node, exp.Anonymous):
        rule = _FUNCTIONS.get(str(node.this).lower())
        return rule(node) if rule is not None else None
    if isinstance(node, exp.Select):
        return _select(node)
    if isinstance(node, exp.ArrayAgg) and isinstance(node.this, exp.Order):
        return _ordered_agg(node.this)
    if isinstance(node, exp.Add) and _is_time(node.expression):
        # a day and a time of day: the timestamp of that time on that day
        clock = node.expression.this
        assert isinstance(clock, exp.Literal)
        text = q.concat(q.cast(rewrite(node.this), "STRING"), q.lit(" " + _clock(clock.name)))
        return q.cast(text, "TIMESTAMP")
    if _is_time(node):
        assert isinstance(node, exp.Cast)
        if isinstance(node.this, exp.Literal):
            return q.lit(_clock(node.this.name))
        # a time of day as text that orders as the time does
        return _fn("DATE_FORMAT", rewrite(node.this), q.lit("HH:mm:ss.SSSSSS"))
    if isinstance(node, exp.TryCast):
        return exp.TryCast(this=rewrite(node.this), to=_type(node.to))
    if isinstance(node, exp.Cast):
        return _cast(node)
    if isinstance(node, exp.Round):
        return _round(node)
    if isinstance(node, exp.Bracket) and len(node.expressions) == 1:
        # DuckDB's lists count from 1, Spark's `[]` from 0: element_at counts from 1
        return _fn("ELEMENT_AT", rewrite(node.this), rewrite(node.expressions[0]))
    return None


def _is_time(node: E) -> bool:
    return isinstance(node, exp.Cast) and node.to.is_type(exp.DataType.Type.TIME)


def _clock(text: str) -> str:
    return dt.time.fromisoformat(text).isoformat(timespec="microseconds")


def _type(to: exp.DataType) -> exp.DataType:
    """A DuckDB type as Spark's: HUGEINT a 38-digit decimal, TIMESTAMPTZ an instant."""
    if to.is_type(exp.DataType.Type.INT128):
        return exp.DataType.build("DECIMAL(38, 0)", dialect="spark")
    if to.is_type(exp.DataType.Type.TIMESTAMPTZ):
        return exp.DataType.build("TIMESTAMP_LTZ", dialect="spark")
    return to


def _cast(node: exp.Cast) -> E:
    inner = rewrite(node.this)
    if node.to.is_type(*exp.DataType.TEXT_TYPES) and _is_double(node.this):
        return float_text(inner)
    return exp.Cast(this=inner, to=_type(node.to))


def _is_double(node: E) -> bool:
    if isinstance(node, exp.Cast):
        return node.to.is_type(exp.DataType.Type.DOUBLE)
    return isinstance(node, exp.Round)


def _round(node: exp.Round) -> E:
    """`round(x, d)` as DuckDB computes it, on the double `x * 10^d` (Spark rounds the
    decimal digits of `x`, so 2.675 would become 2.68)."""
    decimals = node.args.get("decimals")
    value = rewrite(node.this)
    if decimals is None:
        return exp.Round(this=value)
    scale = q.cast(_fn("POWER", q.lit(10), rewrite(decimals)), "DOUBLE")
    scaled = exp.Round(this=exp.Mul(this=exp.paren(value), expression=scale), decimals=q.lit(0))
    return exp.Div(this=q.cast(scaled, "DOUBLE"), expression=scale)


# ---------------------------------------------------------------------- numbers as text


def _once(x: E, name: str, build: Callable[[E], E]) -> E:
    """`build(x)`, with a composite `x` bound to `name` and computed once (see :func:`_let`)."""
    if isinstance(x, (exp.Column, exp.Literal, exp.Identifier)):
        return build(x)
    return _let(build(exp.to_identifier(name)), name, x)


def float_text(x: E) -> E:
    """A double as DuckDB and Python write it (`repr`): the shortest digits, `1.0` for a whole
    number, an exponent (`1e-05`, `1.5e+16`) outside [1e-4, 1e16)."""
    return _once(x, "ft_v", _float_text)


def _float_text(x: E) -> E:
    magnitude = exp.Abs(this=x)
    # Spark's decimal of a double is made from its shortest digits
    plain = _fn(
        "REGEXP_REPLACE",
        q.cast(q.cast(x, "DECIMAL(38, 22)"), "STRING"),
        q.lit(r"(\.[0-9]*?)0+$"),
        q.lit("$1"),
    )
    plain = _fn("REGEXP_REPLACE", plain, q.lit(r"\.$"), q.lit(".0"))
    java = q.cast(x, "STRING")  # `1.5E-5`, `1.0E16`
    mantissa = _fn(
        "REGEXP_REPLACE",
        _fn("REGEXP_EXTRACT", java, q.lit("^(-?[0-9.]+)E"), q.lit(1)),
        q.lit(r"\.0$"),
        q.lit(""),
    )
    power = q.cast(_fn("REGEXP_EXTRACT", java, q.lit("E(-?[0-9]+)$"), q.lit(1)), "INT")
    exponent = q.concat(
        mantissa,
        q.lit("e"),
        q.case([(exp.LT(this=power, expression=q.lit(0)), q.lit("-"))], q.lit("+")),
        # at least two digits (Spark's lpad would also cut `300` to two)
        q.case([(exp.LT(this=exp.Abs(this=power), expression=q.lit(10)), q.lit("0"))], q.lit("")),
        q.cast(exp.Abs(this=power.copy()), "STRING"),
    )
    finite = q.and_(q.not_(_fn("ISNAN", x)), exp.LT(this=magnitude, expression=_infinity()))
    return q.case(
        [
            (q.is_null(x), exp.null()),
            (_fn("ISNAN", x), q.lit("nan")),
            (
                q.not_(finite),
                q.case([(exp.GT(this=x, expression=q.lit(0)), q.lit("inf"))], q.lit("-inf")),
            ),
            (q.eq(magnitude, q.lit(0)), java),
            (
                q.and_(
                    exp.GTE(this=magnitude, expression=q.lit(1e-4)),
                    exp.LT(this=magnitude, expression=q.lit(1e16)),
                ),
                plain,
            ),
        ],
        exponent,
    )


def g_text(x: E, figures: int) -> E:
    """C's (and Python's) `%.{figures}g`: `figures` significant digits, trailing zeros
    dropped, an exponent when it is below -4 or at least `figures`. Java's `%g` keeps the
    zeros and never drops the exponent's form, so it is built from `%e` and `%f`."""
    return _once(x, "gt_v", lambda v: _g_text(v, figures))


def _g_text(x: E, figures: int) -> E:
    e_text = _fn("FORMAT_STRING", q.lit(f"%.{figures - 1}e"), x)  # 1.500e+00
    power = q.cast(_fn("REGEXP_EXTRACT", e_text, q.lit("e([-+][0-9]+)$"), q.lit(1)), "INT")
    strip = r"\.?0+$"
    mantissa = _fn(
        "REGEXP_REPLACE",
        _fn("REGEXP_EXTRACT", e_text, q.lit("^(-?[0-9.]+)e"), q.lit(1)),
        q.lit(strip),
        q.lit(""),
    )
    exponent = q.concat(mantissa, _fn("REGEXP_EXTRACT", e_text, q.lit("(e[-+][0-9]+)$"), q.lit(1)))
    places = exp.Sub(this=q.lit(figures - 1), expression=power)
    fixed = _fn("FORMAT_STRING", q.concat(q.lit("%."), q.cast(places, "STRING"), q.lit("f")), x)
    fixed = q.case(
        [
            (
                _fn("INSTR", fixed, q.lit(".")).neq(q.lit(0)),
                _fn("REGEXP_REPLACE", fixed, q.lit(strip), q.lit("")),
            )
        ],
        fixed,
    )
    out_of_range = q.or_(
        exp.LT(this=power, expression=q.lit(-4)), exp.GTE(this=power, expression=q.lit(figures))
    )
    return q.case(
        [
            (q.is_null(x), exp.null()),
            (_fn("ISNAN", x), q.lit("nan")),
            (
                exp.GTE(this=exp.Abs(this=x), expression=_infinity()),
                q.case([(exp.GT(this=x, expression=q.lit(0)), q.lit("inf"))], q.lit("-inf")),
            ),
            (out_of_range, exponent),
        ],
        fixed,
    )


def _infinity() -> E:
    return q.cast(q.lit("Infinity"), "DOUBLE")


def _printf(node: exp.Anonymous) -> E:
    pattern, *values = node.expressions
    assert isinstance(pattern, exp.Literal) and len(values) == 1
    text = pattern.name
    if text.startswith("%.") and text.endswith("g"):
        return g_text(rewrite(values[0]), int(text[2:-1]))
    if text in ("%.0f", "%.1f", "%.2f"):
        return fixed_text(rewrite(values[0]), int(text[2:-1]))
    raise ValueError(f"printf({text!r}) has no Spark rendering")


def fixed_text(x: E, places: int) -> E:
    """C's `%.{places}f` as a text that reads back as the same double: the exact binary value
    of `x` rounded to `places` decimals, ties to even, as Python's `round(x, places)`. Java's
    `%f` rounds the shortest digits half up (2.675 would be 2.68, 0.125 0.13), so the double
    is taken apart: |x| = m / 2^k exactly, m an integer (x times a power of two is exact),
    and m·10^places / 2^k is rounded in integers."""
    v, k, m = (exp.to_identifier(n) for n in ("fx_v", "fx_k", "fx_m"))
    magnitude = exp.Abs(this=v)
    scaled = exp.Mul(this=m, expression=q.lit(10**places))
    power = _fn("SHIFTLEFT", q.cast(q.lit(1), "BIGINT"), k)
    whole = exp.IntDiv(this=scaled, expression=power)
    # twice the remainder against the divisor: past half, or a half and an odd quotient
    left = exp.Mul(
        this=q.lit(2), expression=exp.paren(exp.Mod(this=scaled.copy(), expression=power.copy()))
    )
    up = q.or_(
        exp.GT(this=left, expression=power.copy()),
        q.and_(
            q.eq(left.copy(), power.copy()),
            q.eq(exp.Mod(this=whole.copy(), expression=q.lit(2)), q.lit(1)),
        ),
    )
    rounded = exp.Add(this=whole.copy(), expression=q.case([(up, q.lit(1))], q.lit(0)))
    # an integer over a power of ten, divided once: the double nearest the decimal
    value = exp.Div(this=q.cast(rounded, "DOUBLE"), expression=q.lit(float(10**places)))
    m_of = q.cast(
        exp.Mul(this=magnitude.copy(), expression=_fn("POWER", q.lit(2.0), k.copy())), "BIGINT"
    )
    k_of = exp.Sub(
        this=q.lit(53), expression=q.cast(exp.Floor(this=_fn("LOG2", magnitude.copy())), "INT")
    )
    unsigned = _let(_let(value, "fx_m", m_of), "fx_k", k_of)
    sign = q.case([(exp.LT(this=v.copy(), expression=q.lit(0)), q.lit(-1.0))], q.lit(1.0))
    signed = exp.Mul(this=unsigned, expression=sign)
    # below half the last place it is 0 (and m·2^k would not fit a BIGINT); from 2^52 up a
    # double is a whole number; NULL, NaN and infinities are themselves
    small = exp.LT(this=magnitude.copy(), expression=q.lit(0.4 / 10**places))
    zero = q.case([(exp.LT(this=v.copy(), expression=q.lit(0)), q.lit(-0.0))], q.lit(0.0))
    plain = q.or_(
        q.is_null(v.copy()),
        _fn("ISNAN", v.copy()),
        exp.GTE(this=magnitude.copy(), expression=q.lit(float(2**52))),
    )
    body = q.case([(plain, v.copy()), (small, zero)], signed)
    return q.cast(_let(body, "fx_v", x), "STRING")


def _let(body: E, name: str, value: E) -> E:
    """`body` with `name` bound to `value`, computed once: Spark SQL has no `let`, but a
    lambda over a list of one does it (the value written out at every use made a text too
    deep for Spark's parser)."""
    listed = _fn("TRANSFORM", exp.Array(expressions=[value]), _lambda(body, name))
    return _fn("ELEMENT_AT", listed, q.lit(1))


# ---------------------------------------------------------------------- lists


def _sum(node: exp.Anonymous) -> E:
    """`fsum(x)`: the sum of numbers on their decimal digits, as a double."""
    (value,) = _args(node)
    return q.cast(exp.Sum(this=q.cast(value, EXACT)), "DOUBLE")


def _list_aggregate(node: exp.Anonymous) -> E:
    values, name = node.expressions
    assert isinstance(name, exp.Literal) and name.name == "fsum", name
    zero = q.cast(q.lit(0), EXACT)
    step = q.cast(
        exp.Add(this=exp.to_identifier("acc"), expression=q.cast(exp.to_identifier("n"), EXACT)),
        EXACT,
    )
    total = _fn("AGGREGATE", rewrite(values), zero, _lambda(step, "acc", "n"))
    return q.cast(total, "DOUBLE")


def _flatten(node: exp.Anonymous) -> E:
    # Spark's flatten of a list holding a NULL list is NULL; DuckDB's skips it
    (lists,) = _args(node)
    kept = _fn("FILTER", lists, _lambda(q.is_not_null(exp.to_identifier("l")), "l"))
    return _fn("FLATTEN", kept)


def _series(node: exp.Anonymous) -> E:
    # Spark's sequence(1, 0) counts down; DuckDB's generate_series(1, 0) is empty
    low, high = _args(node)
    k = exp.to_identifier("k")
    return _fn(
        "FILTER",
        _fn("SEQUENCE", low, q.greatest(high, low.copy())),
        _lambda(exp.LTE(this=k, expression=high.copy()), "k"),
    )


def _slice(node: exp.Anonymous) -> E:
    values, begin, end = _args(node)
    length = exp.Add(this=exp.Sub(this=end, expression=begin.copy()), expression=q.lit(1))
    return _fn("SLICE", values, begin, length)


def _bool(name: str) -> Callable[[exp.Anonymous], E]:
    def rule(node: exp.Anonymous) -> E:
        (values,) = _args(node)
        return _fn(name, values, _lambda(exp.to_identifier("b"), "b"))

    return rule


def _renamed(name: str) -> Callable[[exp.Anonymous], E]:
    def rule(node: exp.Anonymous) -> E:
        return _fn(name, *_args(node))

    return rule


def _to_json(node: exp.Anonymous) -> E:
    # Spark writes JSON of structs, maps and arrays only: a value is the one item of a list
    (value,) = _args(node)
    listed = _fn("TO_JSON", exp.Array(expressions=[value]))
    return _fn("REGEXP_EXTRACT", listed, q.lit(r"^\[(.*)\]$"), q.lit(1))


_PATTERN = {"Y": "yyyy", "m": "MM", "d": "dd", "H": "HH", "M": "mm", "S": "ss"}


def _strftime(node: exp.Anonymous) -> E:
    value, pattern = _args(node)
    assert isinstance(pattern, exp.Literal)
    return _fn("DATE_FORMAT", value, q.lit(java_pattern(pattern.name)))


def java_pattern(text: str) -> str:
    """A strftime pattern of the plan (`%Y-%m-%dT%H:%M:%S`) as Java's (`yyyy-MM-dd'T'HH:mm:ss`)."""
    out, n = [], 0
    while n < len(text):
        if text[n] == "%":
            out.append(_PATTERN[text[n + 1]])
            n += 2
            continue
        char = text[n]
        out.append(f"'{char}'" if char.isalpha() else char)
        n += 1
    return "".join(out)


def _epoch_us(node: exp.Anonymous) -> E:
    # only its microseconds are read (`% 1000000`): the fraction of the second
    (value,) = _args(node)
    return q.cast(_fn("DATE_FORMAT", value, q.lit("SSSSSS")), "BIGINT")


def _isfinite(node: exp.Anonymous) -> E:
    (value,) = _args(node)
    return q.and_(
        q.not_(_fn("ISNAN", value)), exp.LT(this=exp.Abs(this=value.copy()), expression=_infinity())
    )


def _isodow(node: exp.Anonymous) -> E:
    (value,) = _args(node)
    return exp.Add(this=_fn("WEEKDAY", value), expression=q.lit(1))


def _regexp_matches(node: exp.Anonymous) -> E:
    value, pattern = _args(node)
    return exp.RegexpLike(this=value, expression=pattern)


def _list_value(node: exp.Anonymous) -> E:
    return exp.Array(expressions=_args(node))


def _range(node: exp.Anonymous) -> E:
    # DuckDB's range(a, b) stops before b; Spark's sequence reaches its end
    low, high = node.expressions
    end = exp.Sub(this=exp.paren(high.copy()), expression=q.lit(1))
    return _series(exp.Anonymous(this="generate_series", expressions=[low, end]))


_FUNCTIONS: dict[str, Callable[[exp.Anonymous], E]] = {
    "len": _renamed("SIZE"),
    "list_transform": _renamed("TRANSFORM"),
    "list_filter": _renamed("FILTER"),
    "list_distinct": _renamed("ARRAY_DISTINCT"),
    "list_sort": _renamed("ARRAY_SORT"),
    "list_contains": _renamed("ARRAY_CONTAINS"),
    "list_extract": _renamed("ELEMENT_AT"),
    "list_min": _renamed("ARRAY_MIN"),
    "list_max": _renamed("ARRAY_MAX"),
    "array_to_string": _renamed("ARRAY_JOIN"),
    "list_value": _list_value,
    "range": _range,
    "list_bool_and": _bool("FORALL"),
    "list_bool_or": _bool("EXISTS"),
    "list_slice": _slice,
    "list_aggregate": _list_aggregate,
    "flatten": _flatten,
    "generate_series": _series,
    "fsum": _sum,
    "printf": _printf,
    "to_json": _to_json,
    "strftime": _strftime,
    "epoch_us": _epoch_us,
    "isfinite": _isfinite,
    "isodow": _isodow,
    "regexp_matches": _regexp_matches,
}


# ---------------------------------------------------------------------- aggregates


def _ordered_agg(order: exp.Order) -> E:
    """`array_agg(v ORDER BY k…)`: Spark's collect_list has no order and drops NULLs, so the
    values travel in structs with their keys, sorted, then taken out."""
    value = rewrite(order.this)
    keys = [o for o in order.expressions if isinstance(o, exp.Ordered)]
    fields: list[E] = []
    for n, key in enumerate(keys):
        fields += [q.lit(f"k{n}"), rewrite(key.this)]
    fields += [q.lit("v"), value]
    collected = _fn("COLLECT_LIST", _fn("NAMED_STRUCT", *fields))
    whens: list[tuple[E, E]] = []
    for n, key in enumerate(keys):
        left = exp.Dot(this=exp.to_identifier("l"), expression=exp.to_identifier(f"k{n}"))
        right = exp.Dot(this=exp.to_identifier("r"), expression=exp.to_identifier(f"k{n}"))
        before, after = (q.lit(1), q.lit(-1)) if key.args.get("desc") else (q.lit(-1), q.lit(1))
        whens.append((exp.LT(this=left, expression=right), before))
        whens.append((exp.GT(this=left.copy(), expression=right.copy()), after))
    compare = _lambda(q.case(whens, q.lit(0)), "l", "r")
    ordered = _fn("ARRAY_SORT", collected, compare)
    field = exp.Dot(this=exp.to_identifier("s"), expression=exp.to_identifier("v"))
    return _fn("TRANSFORM", ordered, _lambda(field, "s"))


# ---------------------------------------------------------------------- selects


def _select(node: exp.Select) -> E | None:
    """A select that unnests a list in its projection: Spark's generator. With DuckDB's
    `generate_subscripts` beside it, one generator gives both the item and its place."""
    projections = node.expressions
    # sqlglot keeps an unnest's alias in the unnest itself
    unnests = [p for p in projections if isinstance(p, exp.Unnest)]
    if not unnests:
        return None
    (unnest,) = unnests
    places = [
        p
        for p in projections
        if isinstance(p, exp.Alias)
        and isinstance(p.this, exp.Anonymous)
        and str(p.this.this).lower() == "generate_subscripts"
    ]
    listed = rewrite(unnest.expressions[0])
    kept: list[E] = []
    for p in projections:
        if p is unnest:
            if places:
                item = _fn(
                    "NAMED_STRUCT",
                    q.lit(unnest.alias),
                    exp.to_identifier("it"),
                    q.lit(places[0].alias),
                    exp.Add(this=exp.to_identifier("ix"), expression=q.lit(1)),
                )
                kept.append(_fn("INLINE", _fn("TRANSFORM", listed, _lambda(item, "it", "ix"))))
            else:
                kept.append(exp.alias_(_fn("EXPLODE", listed), unnest.alias, quoted=True))
        elif p not in places:
            kept.append(rewrite(p))
    node.set("expressions", kept)
    for key, value in list(node.args.items()):
        if key == "expressions":
            continue
        if isinstance(value, list):
            node.set(key, [rewrite(v) if isinstance(v, exp.Expr) else v for v in value])
        elif isinstance(value, exp.Expr):
            node.set(key, rewrite(value))
    return node
