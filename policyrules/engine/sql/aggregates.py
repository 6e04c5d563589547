"""Aggregates as SQL: for every frame (variant) of a rule, the value of `count(…)`,
`sum(… of …)`, `latest(…)`, `distinct(…)`, `… per month`, `… per theme in SET`, and the
events that counted (the evidence), from the (frame, event) pairs of :mod:`.matching`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlglot import exp

from policyrules.engine.sql import sqlx as q
from policyrules.engine.sql.expressions import Row, Unsupported
from policyrules.engine.sql.matching import EventMatching
from policyrules.engine.sql.store import KindTable, Store
from policyrules.rules import ir
from policyrules.semantics import types as T

E = exp.Expr


@dataclass
class Computed:
    """An aggregate's table: per frame variant (`fv`), its value `v`, its evidence `ev`,
    and for groups the values `gv` and labels `gl`, in order."""

    table: str
    type: T.Type
    grouped: bool = False


class AggregateSQL(EventMatching):
    """Builds the aggregate tables of one rule, in dependence order."""

    def __init__(
        self,
        store: Store,
        rule: ir.Rule,
        prefix: str,
        calendar: bool,
        trigger: KindTable | None,
        run: Callable[[str, exp.Select], None],
        condition: Callable[[ir.Expr, Row], E],
        value: Callable[[ir.Expr, Row], E],
    ) -> None:
        self.store, self.rule, self.prefix = store, rule, prefix
        self.calendar, self.trigger = calendar, trigger
        self.run = run
        self.condition_sql, self.value_sql = condition, value
        self.computed: dict[int, Computed] = {}

    # ------------------------------------------------------------------ references

    def reference(self, node: ir.Expr, row: Row) -> E:
        """The value of an aggregate in a frame: its table's column, joined where used."""
        found = self.computed.get(id(node))
        if found is None:
            found = self.compute(node)
        return q.col("gv" if found.grouped else "v", f"x{found.table}")

    def compute(self, node: ir.Expr) -> Computed:
        found = self.computed.get(id(node))
        if found is not None:
            return found
        table = f"{self.prefix}a{len(self.computed)}"
        match node:
            case ir.Aggregate(function=function, selection=selection):
                result = self._aggregate(table, function, selection)
            case ir.Values(selection=selection):
                result = self._aggregate(table, "values", selection)
            case ir.SizeOf(operand=operand):
                result = self._frame_value(
                    table, q.coalesce(q.func("len", self._outer(operand)), q.lit(0)), T.INT
                )
            case ir.Grouped():
                result = self._grouped(table, node)
            case ir.Reduce(function=function, grouped=grouped):
                inner = self.compute(grouped)
                result = self._reduce(table, function, inner)
            case _:
                raise Unsupported(f"an aggregate {type(node).__name__}")
        self.computed[id(node)] = result
        return result

    # ------------------------------------------------------------------ frame level

    def _outer(self, node: ir.Expr) -> E:
        """An expression of the frame (no event in view)."""
        return self.value_sql(node, Row(frame="fv", facts="fd", trigger=self.trigger))

    def _frame_value(self, table: str, value_of: E, t: T.Type) -> Computed:
        select = q.select(
            q.col("fv", "fv"), q.alias(value_of, "v"), q.alias(exp.Array(expressions=[]), "ev")
        )
        select = self._join_read(select.from_(q.table(self.fv, "fv")), [value_of])
        self.run(table, select)
        return Computed(table, t)

    # ------------------------------------------------------------------ combining

    def _aggregate(self, table: str, function: str, sel: ir.Selection) -> Computed:
        matched = self.matched(sel, [])
        kind = self.store.kinds[sel.kind]
        value, t, evidence = self._combine(function, sel, kind, "m")
        inner = (
            q.select(q.col("fv", "m"), q.alias(value, "v"), q.alias(evidence, "ev"))
            .from_(q.subquery(matched, "m"), copy=False)
            .group_by(q.col("fv", "m"), copy=False)
        )
        outer = (
            q.select(
                q.col("fv", "fv"),
                q.alias(q.coalesce(q.col("v", "a"), _empty(function, t)), "v"),
                q.alias(q.coalesce(q.col("ev", "a"), exp.Array(expressions=[])), "ev"),
            )
            .from_(q.table(self.fv, "fv"), copy=False)
            .join(
                q.subquery(inner, "a"),
                join_type="left",
                on=q.eq(q.col("fv", "a"), q.col("fv", "fv")),
                copy=False,
            )
        )
        self.run(table, outer)
        return Computed(table, t)

    def _combine(
        self, function: str, sel: ir.Selection, kind: KindTable, m: str
    ) -> tuple[E, T.Type, E]:
        """An aggregate of matched rows, its type, and its evidence."""
        field_type = kind.kind.field_type(sel.field) if sel.field else None
        value_col = q.col("fld", m)
        ids = q.func("list_distinct", q.array_agg(q.col("id", m)))
        is_list = field_type is not None and field_type.kind is T.Kind.LIST
        match function:
            case "count" if sel.distinct and is_list:
                return (
                    q.func(
                        "len", q.func("list_distinct", q.func("flatten", q.array_agg(value_col)))
                    ),
                    T.INT,
                    ids,
                )
            case "count" if sel.distinct:
                return q.aggregate("count", value_col, distinct=True), T.INT, ids
            case "count":
                return q.aggregate("count", None), T.INT, ids
            case "exists":
                return exp.GT(this=q.aggregate("count", None), expression=q.lit(0)), T.BOOL, ids
            case "values":
                if (
                    field_type is None
                    or is_list
                    or field_type.kind not in (T.Kind.STRING, T.Kind.FESTIVAL)
                ):
                    raise Unsupported("distinct values that are not strings")
                values = q.func(
                    "list_sort",
                    q.func("list_distinct", q.array_agg(value_col, where=q.is_not_null(value_col))),
                )
                return values, T.list_of(field_type), exp.Array(expressions=[])
            case "sum" | "avg":
                assert field_type is not None
                if not field_type.is_numeric:
                    raise Unsupported("a sum of what is not a number")
                total = (
                    q.aggregate("sum", value_col)
                    if field_type.kind is T.Kind.INT
                    else q.func("fsum", value_col)
                )
                if function == "sum":
                    return q.cast(total, "DOUBLE"), T.NUMBER, ids
                count = q.aggregate("count", value_col)
                return (
                    q.case(
                        [(q.eq(count, q.lit(0)), exp.null())],
                        exp.Div(this=q.cast(total, "DOUBLE"), expression=q.cast(count, "DOUBLE")),
                    ),
                    T.NUMBER,
                    ids,
                )
            case "min" | "max":
                assert field_type is not None
                if is_list or field_type.kind in (T.Kind.BOOL,):
                    raise Unsupported("min or max of lists or booleans")
                return q.aggregate(function, value_col), field_type, ids
            case "latest":
                assert field_type is not None or sel.field is None
                order = exp.Order(
                    this=value_col if sel.field else q.col("id", m),
                    expressions=[
                        exp.Ordered(this=q.col("at", m), desc=True),
                        exp.Ordered(this=q.col("id", m), desc=True),
                    ],
                )
                last_id = exp.Order(
                    this=q.col("id", m),
                    expressions=[
                        exp.Ordered(this=q.col("at", m), desc=True),
                        exp.Ordered(this=q.col("id", m), desc=True),
                    ],
                )
                first = q.func("list_extract", exp.ArrayAgg(this=order), q.lit(1))
                ev = exp.Array(
                    expressions=[q.func("list_extract", exp.ArrayAgg(this=last_id), q.lit(1))]
                )
                return first, field_type or T.STRING, ev
        raise Unsupported(f"the aggregate {function}")

    # ------------------------------------------------------------------ groups

    def _grouped(self, table: str, node: ir.Grouped) -> Computed:
        inner, group = node.aggregate, node.group
        sel = inner.selection
        kind = self.store.kinds[sel.kind]
        value, t, evidence = self._combine(inner.function, sel, kind, "m")
        if isinstance(group, ir.PerPeriod):
            if not self.calendar:
                raise Unsupported("per-period groups of a per-event rule")
            groups = f"{self.prefix}g{len(self.computed)}"
            self.groups_needed(groups, group.unit)
            matched = self.matched(
                sel,
                [q.alias(q.col("g", "g"), "g")],
                lo=q.col("lo", "g"),
                hi=q.col("hi", "g"),
                groups=groups,
            )
            all_groups = (
                q.select(q.col("fv", "fv"), q.col("g", "g"), q.col("label", "g"))
                .from_(q.table(self.fv, "fv"), copy=False)
                .join(
                    q.table(groups, "g"),
                    on=q.and_(
                        q.eq(q.col("i", "g"), q.col("i", "fv")),
                        q.eq(q.col("variant", "g"), q.col("variant", "fv")),
                    ),
                    copy=False,
                )
            )
        else:
            members = self._outer(group.members)
            field_type = kind.kind.field_type(group.field)
            if field_type is not None and field_type.kind is T.Kind.LIST:
                raise Unsupported("per-member groups of a list attribute")
            size = self._constant_size(members)
            if size is not None:
                return self._pivoted(table, node, members, size)
            listed = q.select(
                q.alias(q.col("fv", "fv"), "fv"),
                q.alias(exp.Unnest(expressions=[members]), "m"),
                q.alias(q.func("generate_subscripts", members, q.lit(1)), "g"),
            ).from_(q.table(self.fv, "fv"), copy=False)
            listed = self._join_read(listed, [members])
            column = kind.column(group.field)
            matched = self.matched(
                sel, [q.alias(q.col("g", "pm"), "g")], by=(column, q.subquery(listed, "pm"))
            )
            all_groups = q.select(
                q.col("fv", "pm"),
                q.col("g", "pm"),
                q.alias(q.cast(q.col("m", "pm"), "VARCHAR"), "label"),
            ).from_(q.subquery(listed, "pm"), copy=False)
        per_group = (
            q.select(
                q.col("fv", "m"), q.col("g", "m"), q.alias(value, "v"), q.alias(evidence, "ev")
            )
            .from_(q.subquery(matched, "m"), copy=False)
            .group_by(q.col("fv", "m"), q.col("g", "m"), copy=False)
        )
        filled = (
            q.select(
                q.col("fv", "ag"),
                q.col("g", "ag"),
                q.col("label", "ag"),
                q.alias(q.coalesce(q.col("v", "pg"), _empty(inner.function, t)), "v"),
                q.alias(q.coalesce(q.col("ev", "pg"), exp.Array(expressions=[])), "ev"),
            )
            .from_(q.subquery(all_groups, "ag"), copy=False)
            .join(
                q.subquery(per_group, "pg"),
                join_type="left",
                on=q.and_(
                    q.eq(q.col("fv", "pg"), q.col("fv", "ag")),
                    q.eq(q.col("g", "pg"), q.col("g", "ag")),
                ),
                copy=False,
            )
        )
        by_frame = (
            q.select(
                q.col("fv", "f"),
                q.alias(q.array_agg(q.col("v", "f"), order=q.col("g", "f")), "gv"),
                q.alias(q.array_agg(q.col("label", "f"), order=q.col("g", "f")), "gl"),
                q.alias(
                    q.func("list_distinct", q.func("flatten", q.array_agg(q.col("ev", "f")))), "ev"
                ),
            )
            .from_(q.subquery(filled, "f"), copy=False)
            .group_by(q.col("fv", "f"), copy=False)
        )
        nothing = exp.Array(expressions=[])
        return self._every_frame(
            table, by_frame, t, nothing, q.coalesce(q.col("gl", "b"), nothing.copy())
        )

    def _constant_size(self, members: E) -> int | None:
        """The number of members of a list that reads nothing of the frame (a set, a list
        literal), else None."""
        if any(True for _ in members.find_all(exp.Column)):
            return None
        # a constant, read by the local database whatever engine runs the plan
        found = self.store.con.execute(
            q.select(q.func("len", members.copy())).sql("duckdb", copy=False)
        ).fetchone()
        return None if found is None or found[0] is None else int(found[0])

    def _pivoted(self, table: str, node: ir.Grouped, members: E, size: int) -> Computed:
        """`… per FIELD in LIST` for a list the same in every frame: the events whose field
        is a member, valued per (frame, member) and turned into each frame's list of values
        by position — no row per (frame, member) and no ordered aggregate."""
        inner, group = node.aggregate, node.group
        assert isinstance(group, ir.PerMember)
        sel = inner.selection
        kind = self.store.kinds[sel.kind]
        value, t, evidence = self._combine(inner.function, sel, kind, "m")
        column = q.col(kind.column(group.field), "e")
        matched = self.matched(
            sel,
            [q.alias(column.copy(), "gm")],
            among=q.func("list_contains", members.copy(), column.copy()),
        )
        per_member = (
            q.select(
                q.col("fv", "m"), q.col("gm", "m"), q.alias(value, "v"), q.alias(evidence, "ev")
            )
            .from_(q.subquery(matched, "m"), copy=False)
            .group_by(q.col("fv", "m"), q.col("gm", "m"), copy=False)
        )
        empty = _empty(inner.function, t)
        values = [
            q.coalesce(
                q.aggregate(
                    "any_value",
                    q.col("v", "p"),
                    where=q.eq(q.col("gm", "p"), q.func("list_extract", members.copy(), q.lit(n))),
                ),
                empty.copy(),
            )
            for n in range(1, size + 1)
        ]
        by_frame = (
            q.select(
                q.col("fv", "p"),
                q.alias(exp.Array(expressions=values), "gv"),
                q.alias(q.func("flatten", q.array_agg(q.col("ev", "p"))), "ev"),
            )
            .from_(q.subquery(per_member, "p"), copy=False)
            .group_by(q.col("fv", "p"), copy=False)
        )
        labels = exp.Cast(this=members.copy(), to=exp.DataType.build("VARCHAR[]"))
        empties = exp.Array(expressions=[empty.copy() for _ in range(size)])
        return self._every_frame(table, by_frame, t, empties, labels)

    def _every_frame(
        self, table: str, by_frame: exp.Select, t: T.Type, no_values: E, labels: E
    ) -> Computed:
        """A grouped aggregate's table: every frame variant with its groups' values (
        `no_values` for a frame without events), labels and evidence."""
        outer = (
            q.select(
                q.col("fv", "fv"),
                q.alias(q.coalesce(q.col("gv", "b"), no_values), "gv"),
                q.alias(labels, "gl"),
                q.alias(q.coalesce(q.col("ev", "b"), exp.Array(expressions=[])), "ev"),
            )
            .from_(q.table(self.fv, "fv"), copy=False)
            .join(
                q.subquery(by_frame, "b"),
                join_type="left",
                on=q.eq(q.col("fv", "b"), q.col("fv", "fv")),
                copy=False,
            )
        )
        self.run(table, outer)
        return Computed(table, t, grouped=True)

    def groups_needed(self, table: str, unit: object) -> None:
        """A hook: the plan makes the table of per-period groups (Python dates them)."""
        raise NotImplementedError

    def _reduce(self, table: str, function: str, inner: Computed) -> Computed:
        values = q.col("gv", "gi")
        numbers = q.func(
            "list_filter",
            values,
            exp.Lambda(
                this=q.is_not_null(exp.to_identifier("x")), expressions=[exp.to_identifier("x")]
            ),
        )
        match function:
            case "count":
                value: E = q.func("len", values)
                t = T.INT
            case "sum":
                value = q.cast(
                    q.coalesce(q.func("list_aggregate", numbers, q.lit("fsum")), q.lit(0)), "DOUBLE"
                )
                t = T.NUMBER
            case "avg":
                value = q.case(
                    [(q.eq(q.func("len", numbers), q.lit(0)), exp.null())],
                    exp.Div(
                        this=q.cast(q.func("list_aggregate", numbers, q.lit("fsum")), "DOUBLE"),
                        expression=q.cast(q.func("len", numbers), "DOUBLE"),
                    ),
                )
                t = T.NUMBER
            case "min" | "max":
                value = q.func(f"list_{function}", numbers)
                t = inner.type
            case _:
                raise Unsupported(f"{function} of groups")
        select = q.select(q.col("fv", "gi"), q.alias(value, "v"), q.col("ev", "gi")).from_(
            q.table(inner.table, "gi"), copy=False
        )
        self.run(table, select)
        return Computed(table, t)


def _empty(function: str, t: T.Type) -> E:
    """What an aggregate of no event is."""
    match function:
        case "count":
            return q.lit(0)
        case "exists":
            return exp.false()
        case "sum":
            return q.cast(q.lit(0), "DOUBLE")
        case "values":
            return exp.Array(expressions=[])
    return exp.null()
