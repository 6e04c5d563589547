"""Aggregates as SQL: for every frame (variant) of a rule, the value of `count(…)`,
`sum(… of …)`, `latest(…)`, `distinct(…)`, `… per month`, `… per theme in SET`, and the
events that counted (the evidence).

Events are joined to frames the way the reference engine reads them: by the unit that owns
them (its own, those that name it in their `counts for` attribute, or every unit under it
for `from area`), by an equality key when the `where` pins an attribute (`ref ==
trigger.id`), and by time — a calendar rule's events first find their instance (a range join
on the few, unit-independent instances), then their unit's frame (an equality join), so that
a unit's many periods never multiply its events.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlglot import exp

from policyrules.engine.sql import sqlx as q
from policyrules.engine.sql.expressions import Row, Unsupported
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


class AggregateSQL:
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

    @property
    def fv(self) -> str:
        return f"{self.prefix}fv"

    # ------------------------------------------------------------------ matching events

    def matched(
        self,
        sel: ir.Selection,
        extra: list[E],
        lo: E | None = None,
        hi: E | None = None,
        by: tuple[str, E] | None = None,
        groups: str | None = None,
        among: E | None = None,
    ) -> exp.Select:
        """The (frame, event) pairs of a selection, each once: in the frame's reach, window and
        qualifying days, chosen by the `where`. `by` = (event column, members) reads only the
        events whose column has a member (a per-member group); `groups` joins a table of
        per-period groups whose `lo` and `hi` bound the events."""
        kind = self.store.kinds[sel.kind]
        row = Row(
            frame="fv", facts="fd", event="e", kind=kind, event_facts="fe", trigger=self.trigger
        )
        where = self.condition_sql(sel.where, row) if sel.where is not None else None
        key = self._key(sel, kind) if by is None else None
        lo = lo if lo is not None else q.col("lo", "fv")
        hi = hi if hi is not None else q.col("hi", "fv")
        owner = q.col("owner", "o") if kind.owners else q.col("unit", "e")
        conditions: list[E] = [exp.LTE(this=q.col("at", "e"), expression=hi)]
        if not sel.stock:
            conditions.append(q.or_(q.is_null(lo), exp.GTE(this=q.col("at", "e"), expression=lo)))
        if where is not None:
            conditions.append(where)
        if among is not None:
            conditions.append(among)
        reach = self._reach_filter(sel, owner)
        if reach is not None:
            conditions.append(reach)
        select = q.select(
            q.alias(q.col("fv", "fv"), "fv"),
            *extra,
            *[q.alias(q.col(c, "e"), c) for c in ("id", "at")],
            *(
                [q.alias(q.col(kind.column(sel.field), "e"), "fld")]
                if sel.field is not None
                else []
            ),
        )
        # the joins below give each (frame, event) once, but where an event meets a frame
        # through several rows: its owners or its units above, or several members of a key
        several = (
            sel.reach is ir.Reach.AREA
            or (kind.owners is not None and sel.reach is not ir.Reach.OWN)
            or (key is not None and key[2] != "one")
        )
        if several:
            select = select.distinct(copy=False)
        if by is not None and self.calendar:
            # to the instances by time, the frames by unit, then the frame's members
            select = self._by_instance(select, kind, sel, owner)
            column, members = by
            select = select.join(
                members,
                on=q.and_(
                    q.eq(q.col("fv", "pm"), q.col("fv", "fv")),
                    q.eq(q.col(column, "e"), q.col("m", "pm")),
                ),
                copy=False,
            )
        elif by is not None:
            select = self._by_member(select, kind, by)
        elif key is not None:
            select = self._by_key(select, kind, key)
        elif self.calendar:
            select = self._by_instance(select, kind, sel, owner)
        else:
            on = self._reach_on(sel, owner, kind)
            select = select.from_(q.table(self.fv, "fv")).join(
                q.table(kind.table, "e"), on=on or exp.true(), copy=False
            )
            if kind.owners:
                select = select.join(
                    q.table(kind.owners, "o"), on=q.eq(q.col("id", "o"), q.col("id", "e"))
                )
        if groups is not None:
            # a group that ends before it starts (after as_of) holds nothing, stock or not
            conditions.append(exp.LTE(this=q.col("lo", "g"), expression=q.col("hi", "g")))
            select = select.join(
                q.table(groups, "g"),
                on=q.and_(
                    q.eq(q.col("i", "g"), q.col("i", "fv")),
                    q.eq(q.col("variant", "g"), q.col("variant", "fv")),
                ),
            )
        if (
            self.calendar
            and isinstance(self.rule.schedule, ir.Every)
            and self.rule.schedule.on is not None
            and not sel.stock
        ):
            select = select.join(
                q.table(f"{self.prefix}qual", "qd"),
                on=q.and_(
                    q.eq(q.col("i", "qd"), q.col("i", "fv")),
                    q.eq(q.col("day", "qd"), q.col("day", "e")),
                ),
            )
        if sel.reach is ir.Reach.AREA:
            # the units under the frame's unit as a join (the database orders it before the
            # frames), not a test of each (event, frame) pair
            select = select.join(
                q.table(self.store.need("area"), "ar"),
                on=q.and_(
                    q.eq(q.col("member", "ar"), owner),
                    q.eq(q.col("unit", "ar"), q.col("unit", "fv")),
                ),
            )
        select = self._join_read(select, [*conditions, *extra], day=q.col("day", "e"))
        return select.where(q.and_(*conditions))

    def _join_read(self, select: exp.Select, read: list[E], day: E | None = None) -> exp.Select:
        """Join what the expressions `read`: the unit's facts on the event's day (`fe`) and
        on the instance's (`fd`), and the aggregates of the frame (`x…`)."""
        tables = {c.table for part in read for c in part.find_all(exp.Column)}
        if "fe" in tables and day is not None:
            select = select.join(
                q.table("facts", "fe"),
                join_type="left",
                on=_facts_at("fe", q.col("unit", "fv"), day),
            )
        if "fd" in tables:
            select = select.join(
                q.table("facts", "fd"),
                join_type="left",
                on=_facts_at("fd", q.col("unit", "fv"), q.col("day", "fv")),
            )
        for alias in sorted(t for t in tables if t.startswith("x")):
            select = select.join(
                q.table(alias[1:], alias),
                join_type="left",
                on=q.eq(q.col("fv", alias), q.col("fv", "fv")),
            )
        return select

    def _key(self, sel: ir.Selection, kind: KindTable) -> tuple[str, E, str] | None:
        """The equality key as SQL: (event column, frame value, how they meet: `one` value,
        `several` (the value is a list of the column's values) or `within` (the column is a
        list that holds the value))."""
        key = sel.key
        if key is None or key.field == "kind":
            return None  # the kind is the table's: no column to look it up by
        field_type = kind.kind.field_type(key.field)
        if field_type is None:
            return None
        frame_row = Row(frame="fv", facts="fd", trigger=self.trigger)
        value = self.value_sql(key.value, frame_row)
        if key.several:
            return kind.column(key.field), value, "several"
        if field_type.kind is T.Kind.LIST:
            return kind.column(key.field), value, "within"  # `subject in persons`
        return kind.column(key.field), value, "one"

    def _by_key(self, select: exp.Select, kind: KindTable, key: tuple[str, E, str]) -> exp.Select:
        column, value, how = key
        if how == "within":
            # each event once per member of its list: looked up by the member (the `where`
            # still decides; DISTINCT keeps an event listed twice once)
            listed = q.select(
                exp.Star(), q.alias(exp.Unnest(expressions=[q.col(column)]), "key_member")
            ).from_(q.table(kind.table), copy=False)
            select = select.from_(q.table(self.fv, "fv")).join(
                q.subquery(listed, "e"),
                on=q.eq(q.col("key_member", "e"), value),
                copy=False,
            )
        elif how == "several":
            members = q.select(
                q.alias(q.col("fv", "fv"), "fv"), q.alias(exp.Unnest(expressions=[value]), "m")
            ).from_(q.table(self.fv, "fv"), copy=False)
            members = self._join_read(members, [value])
            select = (
                select.from_(q.subquery(members, "km"))
                .join(
                    q.table(self.fv, "fv"),
                    on=q.eq(q.col("fv", "fv"), q.col("fv", "km")),
                    copy=False,
                )
                .join(
                    q.table(kind.table, "e"),
                    on=q.eq(q.col(column, "e"), q.col("m", "km")),
                    copy=False,
                )
            )
        else:
            select = select.from_(q.table(self.fv, "fv")).join(
                q.table(kind.table, "e"), on=q.eq(q.col(column, "e"), value), copy=False
            )
        if kind.owners:
            select = select.join(
                q.table(kind.owners, "o"), on=q.eq(q.col("id", "o"), q.col("id", "e"))
            )
        return select

    def _by_instance(
        self, select: exp.Select, kind: KindTable, sel: ir.Selection, owner: E
    ) -> exp.Select:
        """A calendar rule's events: to their instances by time, then to the frames."""
        bucket = f"{self.prefix}buck"
        time: list[E] = [exp.LTE(this=q.col("at", "e"), expression=q.col("hi", "b"))]
        if not sel.stock:
            time.append(exp.GTE(this=q.col("at", "e"), expression=q.col("lo", "b")))
        select = select.from_(q.table(kind.table, "e")).join(
            q.table(bucket, "b"), on=q.and_(*time), copy=False
        )
        if kind.owners:
            select = select.join(
                q.table(kind.owners, "o"), on=q.eq(q.col("id", "o"), q.col("id", "e"))
            )
        frame_on = [q.eq(q.col("i", "fv"), q.col("i", "b"))]
        own = self._reach_on(sel, owner, kind)
        if own is not None:
            frame_on.append(own)
        return select.join(q.table(self.fv, "fv"), on=q.and_(*frame_on))

    def _by_member(self, select: exp.Select, kind: KindTable, by: tuple[str, E]) -> exp.Select:
        column, members = by
        select = (
            select.from_(members)
            .join(q.table(self.fv, "fv"), on=q.eq(q.col("fv", "fv"), q.col("fv", "pm")), copy=False)
            .join(q.table(kind.table, "e"), on=self._member_on(kind, column), copy=False)
        )
        if kind.owners:  # a kind that counts for the units it lists: its owners' events
            select = select.join(
                q.table(kind.owners, "o"), on=q.eq(q.col("id", "o"), q.col("id", "e"))
            )
        return select

    def _member_on(self, kind: KindTable, column: str) -> E:
        return q.eq(q.col(column, "e"), q.col("m", "pm"))

    def _reach_on(self, sel: ir.Selection, owner: E, kind: KindTable) -> E | None:
        """The join of events to frames by their owner (own reach)."""
        if sel.reach is ir.Reach.OWN:
            return q.eq(owner, q.col("unit", "fv")) if not kind.owners else None
        return None

    def _reach_filter(self, sel: ir.Selection, owner: E) -> E | None:
        match sel.reach:
            case ir.Reach.OWN:
                return q.eq(owner, q.col("unit", "fv"))
            case ir.Reach.AREA:  # the `area` joined in `matched`, in force on the frame's day
                return q.and_(
                    exp.LTE(this=q.col("efrom", "ar"), expression=q.col("day", "fv")),
                    exp.GT(this=q.col("eto", "ar"), expression=q.col("day", "fv")),
                )
        return None

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
        outer = (
            q.select(
                q.col("fv", "fv"),
                q.alias(q.coalesce(q.col("gv", "b"), exp.Array(expressions=[])), "gv"),
                q.alias(q.coalesce(q.col("gl", "b"), exp.Array(expressions=[])), "gl"),
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

    def _constant_size(self, members: E) -> int | None:
        """The number of members of a list that reads nothing of the frame (a set, a list
        literal), else None."""
        if any(True for _ in members.find_all(exp.Column)):
            return None
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
        outer = (
            q.select(
                q.col("fv", "fv"),
                q.alias(
                    q.coalesce(
                        q.col("gv", "b"),
                        exp.Array(expressions=[empty.copy() for _ in range(size)]),
                    ),
                    "gv",
                ),
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


def _facts_at(alias: str, unit: E, day: E) -> E:
    return q.and_(
        q.eq(q.col("unit", alias), unit),
        exp.LTE(this=q.col("vfrom", alias), expression=day),
        exp.GT(this=q.col("vto", alias), expression=day),
    )
