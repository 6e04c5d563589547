"""Events matched to frames, the way the reference engine reads them: by the unit that owns
them (its own, those that name it in their `counts for` attribute, or every unit under it
for `from area`), by an equality key when the `where` pins an attribute (`ref ==
trigger.id`), and by time — a calendar rule's events first find their instance (a range join
on the few, unit-independent instances), then their unit's frame (an equality join), so that
a unit's many periods never multiply its events. :class:`EventMatching` is the part of
:class:`~policyrules.engine.sql.aggregates.AggregateSQL` that makes those pairs.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

from policyrules.engine.sql import sqlx as q
from policyrules.engine.sql.expressions import Row
from policyrules.engine.sql.frames import facts_on
from policyrules.engine.sql.store import KindTable, Store
from policyrules.rules import ir
from policyrules.semantics import types as T

E = exp.Expr


class EventMatching:
    """The (frame, event) pairs of a rule's selections."""

    store: Store
    rule: ir.Rule
    prefix: str
    calendar: bool
    trigger: KindTable | None
    condition_sql: Callable[[ir.Expr, Row], E]
    value_sql: Callable[[ir.Expr, Row], E]

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
                on=facts_on("fe", q.col("unit", "fv"), day),
            )
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
