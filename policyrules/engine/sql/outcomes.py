"""Outcomes and verdicts in SQL: for each frame variant, what each requirement gave — whether
it held, the part a reason describes and its values, the evidence — and for each frame the
verdict, decided by the conditions of :mod:`policyrules.engine.verdict` rendered as SQL.
"""

from __future__ import annotations

import math
from dataclasses import replace

from sqlglot import exp

from policyrules.engine import verdict as V
from policyrules.engine.sql import sqlx as q
from policyrules.engine.sql.expressions import Row, Unsupported
from policyrules.engine.sql.frames import facts_on
from policyrules.engine.sql.plan import RulePlan
from policyrules.engine.sql.text import message, number_text, shown
from policyrules.rules import ir
from policyrules.semantics import types as T

E = exp.Expr


class Outcomes:
    def __init__(self, plan: RulePlan, lang: str) -> None:
        self.plan, self.lang = plan, lang
        self.rule = plan.rule
        self.row = Row(frame="fv", facts="fd", trigger=plan.trigger)
        #: whether any event can be evidence (`build` says): when none can, `out` carries no
        #: list, and the verdicts' join of it is of plain columns (a list in the payload of
        #: the join of millions of frames was most of a trigger rule's verdicts)
        self.has_evidence = True

    # ------------------------------------------------------------------ parts

    def _part_row(self, part: ir.Part) -> tuple[Row, E | None]:
        """The row a part is read in: under proration, its target scaled by the share of the
        period inside the window, rounded up (the reference engine's rule)."""
        expr = part.expr
        if part.target is None or not isinstance(expr, ir.Compare):
            return self.row, None
        share = q.col("share", "fv")
        scaled = q.cast(
            exp.Ceil(
                this=exp.Sub(
                    this=exp.Mul(this=q.lit(part.target), expression=share), expression=q.lit(1e-9)
                )
            ),
            "BIGINT",
        )
        right = q.case([(q.is_null(share), self.plan.scalars.value(expr.right, self.row))], scaled)
        return replace(self.row, given={id(expr.right): right}), q.case(
            [(q.is_null(share), exp.null())], scaled
        )

    def truth(self, part: ir.Part) -> E:
        row, _ = self._part_row(part)
        return self.plan.scalars.condition(part.expr, row)

    def describe(self, part: ir.Part, held: bool) -> tuple[E, E, E, E]:
        """What a reason says of a part (whether it `held`), the (required, actual) numbers
        of its sides, and whether it is beyond reach."""
        row, scaled = self._part_row(part)
        value = self.plan.scalars.value
        text: E = q.lit(part.text)
        if scaled is not None:
            text = q.case(
                [(q.is_null(scaled), text)],
                q.concat(q.lit(f"{part.side_text} {part.op} "), number_text(scaled)),
            )
        nothing: tuple[E, E] = (exp.null(), exp.null())
        expr = part.expr
        match part.shape, expr:
            case (ir.Shape.COMPARE, ir.Compare(left=left, right=right)):
                lv, rv = value(left, row), value(right, row)
                detail = message(
                    self.lang,
                    "`{left}` is {value}, needs {op} {required}",
                    {
                        "left": q.lit(part.side_text),
                        "value": self._shown(lv, left),
                        "op": q.lit(part.op),
                        "required": self._shown(rv, right),
                    },
                )
                numbers = self._numbers(lv, rv, left, right)
                beyond: E = exp.false()
                if part.caps_count:
                    beyond = q.truthy(q.compare(">" if expr.op == "<=" else ">=", lv, rv))
                return detail, *numbers, beyond
            case (ir.Shape.GROUPS, ir.Compare(left=left, right=right)):
                bound = value(right, row)
                groups = self.plan.aggregates.compute(left)
                alias = f"x{groups.table}"
                g = exp.to_identifier("g")
                holds_each = q.truthy(q.compare(expr.op, g, bound))
                detail = self._groups_text(alias, holds_each, text, held)
                numbers = self._group_numbers(alias, bound, right)
                return detail, *numbers, exp.false()
            case (ir.Shape.GROUPS, ir.Between(value=inner, low=low, high=high)):
                lo, hi = value(low, row), value(high, row)
                groups = self.plan.aggregates.compute(inner)
                alias = f"x{groups.table}"
                g = exp.to_identifier("g")
                holds_each = q.and_(
                    q.truthy(q.compare(">=", g, lo)), q.truthy(q.compare("<=", g, hi))
                )
                detail = self._groups_text(alias, holds_each, text, held)
                return detail, *self._group_numbers(alias, lo, low), exp.false()
            case (ir.Shape.BETWEEN, ir.Between(value=inner, low=low, high=high)):
                v, lo, hi = value(inner, row), value(low, row), value(high, row)
                detail = message(
                    self.lang,
                    "`{left}` is {value}, needs {low} to {high}",
                    {
                        "left": q.lit(part.side_text),
                        "value": self._shown(v, inner),
                        "low": self._shown(lo, low),
                        "high": self._shown(hi, high),
                    },
                )
                beyond = exp.false()
                if part.caps_count:
                    beyond = q.truthy(
                        exp.GT(this=q.cast(v, "DOUBLE"), expression=q.cast(hi, "DOUBLE"))
                    )
                return detail, *self._numbers(v, lo, inner, low), beyond
        template = "`{text}` is true" if held else "`{text}` is false"
        return message(self.lang, template, {"text": text}), *nothing, exp.false()

    def _shown(self, sql: E, node: ir.Expr) -> E:
        return shown(sql, self.plan.type_of(node))

    def _numbers(self, left: E, right: E, left_node: ir.Expr, right_node: ir.Expr) -> tuple[E, E]:
        if not (_numeric(self.plan.type_of(left_node)) and _numeric(self.plan.type_of(right_node))):
            return exp.null(), exp.null()
        both = q.and_(q.is_not_null(left), q.is_not_null(right))
        return (
            q.case([(both, q.cast(right, "DOUBLE"))], exp.null()),
            q.case([(both, q.cast(left, "DOUBLE"))], exp.null()),
        )

    def _group_numbers(self, alias: str, bound: E, bound_node: ir.Expr) -> tuple[E, E]:
        least = q.func("list_min", q.col("gv", alias))
        if not _numeric(self.plan.type_of(bound_node)):
            return exp.null(), exp.null()
        both = q.and_(q.is_not_null(least), q.is_not_null(bound))
        return (
            q.case([(both, q.cast(bound, "DOUBLE"))], exp.null()),
            q.case([(both, q.cast(least, "DOUBLE"))], exp.null()),
        )

    def _groups_text(self, alias: str, holds_each: E, text: E, held: bool) -> E:
        """`… holds in every group`, or `… fails for 2021-01: 0, 2021-02: 0, …`."""
        index = exp.to_identifier("k")
        values, labels = q.col("gv", alias), q.col("gl", alias)
        value_at = q.func("list_extract", values, index)
        failing = q.func(
            "list_filter",
            q.func("generate_series", q.lit(1), q.func("len", values)),
            exp.Lambda(this=q.not_(_substitute(holds_each, "g", value_at)), expressions=[index]),
        )
        shown_pairs = q.func(
            "list_transform",
            failing,
            exp.Lambda(
                this=q.concat(
                    q.func("list_extract", labels, index), q.lit(": "), number_text(value_at)
                ),
                expressions=[index],
            ),
        )
        listed = q.concat(
            q.func(
                "array_to_string",
                q.func("list_slice", shown_pairs, q.lit(1), q.lit(V.SHOWN_GROUPS)),
                q.lit(", "),
            ),
            q.case(
                [
                    (
                        exp.GT(this=q.func("len", failing), expression=q.lit(V.SHOWN_GROUPS)),
                        q.lit(" …"),
                    )
                ],
                q.lit(""),
            ),
        )
        every = message(self.lang, "`{text}` holds in every group", {"text": text})
        if held:
            return every
        return q.case(
            [(q.eq(q.func("len", failing), q.lit(0)), every)],
            message(self.lang, "`{text}` fails for {groups}", {"text": text, "groups": listed}),
        )

    # ------------------------------------------------------------------ evidence

    def occurrences(self, node: ir.Expr, guard: E) -> list[tuple[ir.Expr, E]]:
        """The aggregates a part evaluates that find evidence, each with the condition under
        which the reference engine evaluates it (`and` and `or` stop early)."""
        match node:
            case ir.And(left=left, right=right):
                return [
                    *self.occurrences(left, guard),
                    *self.occurrences(right, q.and_(guard, self._plain(left))),
                ]
            case ir.Or(left=left, right=right):
                return [
                    *self.occurrences(left, guard),
                    *self.occurrences(right, q.and_(guard, q.not_(self._plain(left)))),
                ]
            case ir.Quantify(collection=collection, condition=condition):
                if _finds_evidence(condition):
                    raise Unsupported("an aggregate inside `all`/`any`")
                return self.occurrences(collection, guard)
            case ir.Aggregate(selection=selection) | ir.Values(selection=selection):
                if selection.where is not None and _finds_evidence(selection.where):
                    raise Unsupported("an aggregate that finds evidence inside a `where`")
                return [(node, guard)] if isinstance(node, ir.Aggregate) else []
            case ir.Grouped() | ir.Reduce():
                return [(node, guard)]
            case ir.SizeOf(operand=operand):
                return self.occurrences(operand, guard)
        out: list[tuple[ir.Expr, E]] = []
        for child in ir.children(node):
            out.extend(self.occurrences(child, guard))
        return out

    def _plain(self, node: ir.Expr) -> E:
        return self.plan.scalars.condition(node, self.row)

    # ------------------------------------------------------------------ the outcome table

    def build(self) -> None:
        """`out`: per frame variant, `holds`, `detail`, `required`, `actual`, `beyond` and
        `evidence`."""
        requirements = self.rule.requirements
        truths = [[self.truth(p) for p in r.parts] for r in requirements]
        fails = []
        for parts in truths:
            fails.append(
                q.case(
                    [(q.not_(t), q.lit(n)) for n, t in enumerate(parts)],
                    q.cast(exp.null(), "BIGINT"),
                )
            )
        holds_r = [q.is_null(f) for f in fails]
        reported = q.case([(q.not_(h), q.lit(n)) for n, h in enumerate(holds_r)], q.lit(0))
        details, required, actual, beyond = [], [], [], []
        evidence: list[E] = []
        for n, requirement in enumerate(requirements):
            here = q.eq(reported, q.lit(n))
            whole = self.describe(requirement.whole, True)
            numbers_first = self.describe(requirement.parts[0], True)
            details.append((q.and_(here, holds_r[n]), whole[0]))
            required.append((q.and_(here, holds_r[n]), numbers_first[1]))
            actual.append((q.and_(here, holds_r[n]), numbers_first[2]))
            evaluated = q.and_(*holds_r[:n]) if n else exp.true()
            for p, part in enumerate(requirement.parts):
                failing = q.and_(here, q.eq(fails[n], q.lit(p)))
                text, req, act, far = self.describe(part, False)
                details.append((failing, text))
                required.append((failing, req))
                actual.append((failing, act))
                beyond.append((failing, far))
                guard = q.and_(evaluated, *truths[n][:p])
                for node, inner in self.occurrences(part.expr, guard):
                    computed = self.plan.aggregates.compute(node)
                    evidence.append(
                        q.case(
                            [(inner, q.col("ev", f"x{computed.table}"))], exp.Array(expressions=[])
                        )
                    )
        self.has_evidence = bool(evidence)
        ev = q.func(
            "list_sort", q.func("list_distinct", q.func("flatten", exp.Array(expressions=evidence)))
        )
        columns = [
            q.col("fv", "fv"),
            q.col("frame", "fv"),
            q.col("variant", "fv"),
            q.alias(q.and_(*holds_r), "holds"),
            q.alias(q.case(details, q.lit("")), "detail"),
            q.alias(q.case(required, exp.null()), "required"),
            q.alias(q.case(actual, exp.null()), "actual"),
            q.alias(q.case(beyond, exp.false()) if beyond else exp.false(), "beyond"),
            *([q.alias(ev, "evidence")] if evidence else []),
        ]
        select = q.select(*columns).from_(q.table(self.plan.table("fv"), "fv"), copy=False)
        tables = {c.table for part in columns for c in part.find_all(exp.Column)}
        if "fd" in tables:
            select = select.join(
                q.table("facts", "fd"),
                join_type="left",
                on=facts_on("fd", q.col("unit", "fv"), q.col("day", "fv")),
            )
        for alias in sorted(t for t in tables if t.startswith("x")):
            select = select.join(
                q.table(alias[1:], alias),
                join_type="left",
                on=q.eq(q.col("fv", alias), q.col("fv", "fv")),
            )
        self.plan.run(self.plan.table("out"), select)

    # ------------------------------------------------------------------ verdicts

    def verdicts(self, zone_offset: str) -> exp.Select:
        """Per frame, the result: status, numbers, evidence, reason and slack, decided by
        the verdict module's conditions."""
        f, o, late = "f", "o", "l"
        flags = {
            "holds": q.col("holds", o),
            "past_due": q.col("past_due", f),
            "late_holds": q.coalesce(q.col("holds", late), exp.false()),
            "near_due": q.col("near_due", f),
            "days_left": q.col("days_left", f),
            "beyond_reach": q.and_(q.not_(q.col("holds", o)), q.col("beyond", o)),
        }
        status = q.case([(_condition(c, flags), q.lit(s)) for s, c in V.STATUS_RULES])
        # a unit fact the requirements read, missing on the facts' day, of a failing
        # instance: the reference engine's `missing_fact` (the first in order of use)
        read = ir.facts_read(self.plan.rule)
        absent = (
            q.case([(q.is_null(q.col(self.plan.store.facts[n], "mf")), q.lit(n)) for n in read])
            if read
            else q.cast(exp.null(), "VARCHAR")
        )
        lacking = (
            q.and_(q.not_(q.coalesce(q.col("holds", o), exp.false())), q.is_not_null(absent))
            if read
            else exp.false()
        )
        lacking_reason = message(
            self.lang,
            V.MISSING_FACT,
            {
                "unit": q.col("unit", f),
                "fact": absent,
                "day": q.cast(q.col("day_on", f), "VARCHAR"),
            },
        )
        undated_only = q.is_not_null(q.col("undated", f))
        undated = q.or_(undated_only, lacking)
        status = q.case([(undated, q.lit("indeterminate"))], status)
        is_late = q.eq(status, q.lit("late"))

        def chosen(column: str) -> E:
            return q.case([(is_late, q.col(column, late))], q.col(column, o))

        when = q.func("strftime", q.col("due", f), q.lit("%Y-%m-%d %H:%M"))
        reasons = []
        for name, rules in V.REASON_RULES.items():
            for condition, template in rules:
                reasons.append(
                    (
                        q.and_(q.eq(status, q.lit(name)), _condition(condition, flags)),
                        message(self.lang, template, {"when": when, "detail": chosen("detail")}),
                    )
                )
        reason = q.case([(undated_only, q.col("undated", f)), (lacking, lacking_reason), *reasons])
        required, actual = chosen("required"), chosen("actual")
        missing = exp.Sub(this=required, expression=actual)
        slack_on = q.and_(
            exp.In(this=status, expressions=[q.lit(s) for s in V.SLACK_STATUSES]),
            q.col("days_left", f),
            q.is_not_null(required),
            q.is_not_null(actual),
            exp.GT(this=missing, expression=q.lit(0.0)),
        )
        whole = q.eq(missing, exp.Floor(this=missing))
        amount = q.case(
            [(whole, q.cast(q.cast(missing, "BIGINT"), "VARCHAR"))],
            # Python's round(x, 2): the exact binary value rounded, ties to even (17.625 is
            # 17.62); DuckDB's round takes ties away from zero. printf rounds as Python does,
            # and the double's text is its shortest, as str() writes it
            q.cast(q.cast(q.func("printf", q.lit("%.2f"), missing), "DOUBLE"), "VARCHAR"),
        )
        days = q.cast(q.col("slack_days", f), "VARCHAR")
        left = q.case(
            [
                (
                    q.is_not_null(q.col("slack_working", f)),
                    message(
                        self.lang,
                        V.SLACK_LEFT,
                        {"working": q.cast(q.col("slack_working", f), "VARCHAR"), "days": days},
                    ),
                )
            ],
            message(self.lang, V.SLACK_LEFT_DAYS, {"days": days}),
        )
        slack = q.case([(slack_on, message(self.lang, V.SLACK, {"amount": amount, "left": left}))])
        due_text = _due_json(q.col("due", f), zone_offset)
        out = self.plan.table("out")
        return (
            q.select(
                q.col("ord", f),
                q.alias(q.lit(self.plan.index), "rule"),
                q.col("frame", f),
                q.col("unit", f),
                q.alias(q.col("subject", f), "person"),
                q.col("label", f),
                q.col("wstart", f),
                q.col("wend", f),
                q.alias(q.case([(q.col("undated", f).is_(exp.null()), q.col("due", f))]), "due"),
                q.alias(q.case([(q.is_null(q.col("undated", f)), due_text)]), "due_text"),
                q.alias(status, "status"),
                q.alias(q.case([(undated, exp.null())], required), "required"),
                q.alias(q.case([(undated, exp.null())], actual), "actual"),
                q.alias(
                    q.case([(undated, exp.Array(expressions=[]))], chosen("evidence"))
                    if self.has_evidence
                    else q.cast(exp.Array(expressions=[]), "VARCHAR[]"),
                    "evidence",
                ),
                q.alias(reason, "reason"),
                q.alias(q.case([(undated, exp.null())], slack), "slack"),
                q.alias(
                    q.col("t_id", f)
                    if self.plan.trigger is not None
                    else q.cast(exp.null(), "VARCHAR"),
                    "trigger",
                ),
            )
            .from_(q.table(self.plan.table("frames"), f), copy=False)
            .join(
                q.table(out, o),
                join_type="left",
                on=q.and_(
                    q.eq(q.col("frame", o), q.col("frame", f)), q.eq(q.col("variant", o), q.lit(0))
                ),
                copy=False,
            )
            .join(
                q.table(out, late),
                join_type="left",
                on=q.and_(
                    q.eq(q.col("frame", late), q.col("frame", f)),
                    q.eq(q.col("variant", late), q.lit(1)),
                ),
                copy=False,
            )
            .join(
                q.table("facts", "mf"),
                join_type="left",
                on=facts_on("mf", q.col("unit", f), q.col("day_on", f)),
                copy=False,
            )
        )


def _condition(condition: V.Condition, flags: dict[str, E]) -> E:
    match condition:
        case V.Flag(name=name):
            return flags[name]
        case V.Every(parts=parts):
            return q.and_(*[_condition(p, flags) for p in parts]) if parts else exp.true()
        case V.Some(parts=parts):
            return q.or_(*[_condition(p, flags) for p in parts])
        case V.Lacks(part=part):
            return q.not_(_condition(part, flags))
    raise TypeError(condition)  # pragma: no cover


def _due_json(due: E, offset: str) -> E:
    """A due as pydantic writes an aware time: `2021-03-12T23:59:59+08:00` (microseconds when
    there are some)."""
    seconds = q.func("strftime", due, q.lit("%Y-%m-%dT%H:%M:%S"))
    micro = exp.Mod(this=q.func("epoch_us", due), expression=q.lit(1_000_000))
    fraction = q.case(
        [(q.eq(micro, q.lit(0)), q.lit(""))],
        q.concat(q.lit("."), q.func("lpad", q.cast(micro, "VARCHAR"), q.lit(6), q.lit("0"))),
    )
    return q.concat(seconds, fraction, q.lit(offset))


def _numeric(t: T.Type) -> bool:
    # a percentage is a number too: `count(a) / count(b) >= 70%` requires 0.7
    return t.kind in (T.Kind.INT, T.Kind.NUMBER, T.Kind.RATIO, T.Kind.PERCENT, T.Kind.UNKNOWN)


def _finds_evidence(node: ir.Expr) -> bool:
    return any(isinstance(n, ir.Aggregate | ir.Grouped | ir.Reduce) for n in ir.walk(node))


def _substitute(expr: E, name: str, by: E) -> E:
    """`expr` with the identifier `name` replaced by `by` (a lambda's parameter)."""

    def swap(node: E) -> E:
        if (
            isinstance(node, exp.Identifier)
            and node.this == name
            and not isinstance(node.parent, exp.Column | exp.Table)
        ):
            return by.copy()
        if isinstance(node, exp.Column) and node.name == name and not node.table:
            return by.copy()
        return node

    return expr.copy().transform(swap)


_ = math
