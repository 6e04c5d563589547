"""One rule as SQL: its frames, their variants, its aggregates, and the outcome of each frame
— per requirement what held, the part a reason describes and its values, the evidence."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from sqlglot import exp

from policyrules.calendar.periods import groups_within
from policyrules.calendar.workdays import PastTheCalendar
from policyrules.diagnostics.messages import t
from policyrules.engine.sql import sqlx as q
from policyrules.engine.sql.aggregates import AggregateSQL, Computed
from policyrules.engine.sql.expressions import LABEL, Row, Scalars, Unsupported, type_of
from policyrules.engine.sql.frames import (
    FRAME_COLUMNS,
    Timing,
    TriggerFrames,
    facts_on,
    instance_rows,
    qualifying_rows,
    working_day_rows,
)
from policyrules.engine.sql.store import Store
from policyrules.rules import ir
from policyrules.rules.compiler import CompiledObligation
from policyrules.semantics import types as T

E = exp.Expr
Run = Callable[[str, exp.Select], None]


class RulePlan:
    """Builds the tables of one rule, the last of them `{prefix}out`: one row per frame
    variant with its outcome."""

    def __init__(
        self,
        store: Store,
        ob: CompiledObligation,
        index: int,
        timing: Timing,
        run: Run,
        days: Callable[[ir.OnDays, Row, E], E],
    ) -> None:
        self.store, self.ob, self.rule, self.timing = store, ob, ob.rule, timing
        self.index = index
        self.prefix = f"r{index}_"
        self.run = run
        self.calendar = not isinstance(self.rule.schedule, ir.PerEvent)
        schedule = self.rule.schedule
        self.trigger = store.kinds[schedule.kind] if isinstance(schedule, ir.PerEvent) else None
        self.scalars = Scalars(store.kinds, store.facts, self._aggregate, days)
        self.aggregates = AggregateSQL(
            store,
            self.rule,
            self.prefix,
            self.calendar,
            self.trigger,
            run,
            self.scalars.condition,
            self.scalars.value,
        )
        self.aggregates.groups_needed = self._groups  # type: ignore[method-assign]
        choosing = [*self.rule.scope]
        if isinstance(schedule, ir.PerEvent) and schedule.where is not None:
            choosing.append(schedule.where)
        if self.rule.subject is not None and self.rule.subject.where is not None:
            choosing.append(self.rule.subject.where)
        if any(isinstance(n, ir.AGGREGATES) for c in choosing for n in ir.walk(c)):
            # frames are chosen before any aggregate has a frame to be computed in
            raise Unsupported(
                "an aggregate in the condition that chooses units, triggers or people"
            )
        for requirement in self.rule.requirements:
            _per_member_aggregates(requirement.whole.expr)
        if self.rule.subject is not None:
            kind = store.kinds[self.rule.subject.kind]
            field_type = kind.kind.field_type(self.rule.subject.field)
            if field_type is None or field_type.kind is T.Kind.LIST:
                raise Unsupported("a person named by a list attribute")

    def _aggregate(self, node: ir.Expr, row: Row) -> E:
        return self.aggregates.reference(node, row)

    def table(self, name: str) -> str:
        return f"{self.prefix}{name}"

    # ------------------------------------------------------------------ frames

    def frames(self) -> None:
        """`frames`: one row per result (unit, instance, person), in report order; `fv`: its
        variants (0 on time, 1 late)."""
        if self.calendar:
            self._calendar_frames()
        else:
            self._trigger_frames()
        frames = self.table("frames")
        on_time = q.select(
            exp.Star(),
            q.alias(q.lit(0), "variant"),
            q.alias(q.col("hi_on"), "hi"),
            q.alias(q.col("day_on"), "day"),
        ).from_(q.table(frames), copy=False)
        late = (
            q.select(
                exp.Star(),
                q.alias(q.lit(1), "variant"),
                q.alias(q.col("late_hi"), "hi"),
                q.alias(q.col("late_day"), "day"),
            )
            .from_(q.table(frames), copy=False)
            .where(q.col("late"), copy=False)
        )
        union = exp.union(on_time, late, distinct=False, copy=False)
        variants = (
            q.select(
                exp.Star(),
                q.alias(
                    exp.Add(
                        this=exp.Mul(this=q.col("frame"), expression=q.lit(2)),
                        expression=q.col("variant"),
                    ),
                    "fv",
                ),
            )
            .from_(q.subquery(union, "u"), copy=False)
            .where(q.is_not_null(q.col("due")), copy=False)
        )
        self.run(self.table("fv"), variants)

    def _scope(self, row: Row) -> list[E]:
        return [self.scalars.condition(c, row) for c in self.rule.scope]

    def _calendar_frames(self) -> None:
        inst = self.table("inst")
        self.store.load_rows(inst, FRAME_COLUMNS, instance_rows(self.ob, self.timing))
        buckets = (
            q.select(
                q.col("i"),
                q.col("lo"),
                q.alias(
                    q.greatest(q.col("hi_on"), q.coalesce(q.col("late_hi"), q.col("hi_on"))), "hi"
                ),
            )
            .from_(q.table(inst), copy=False)
            .where(q.is_not_null(q.col("due")), copy=False)
        )
        self.run(self.table("buck"), buckets)
        schedule = self.rule.schedule
        if isinstance(schedule, ir.Every) and schedule.on is not None:
            self.store.load_rows(
                self.table("qual"),
                {"i": "BIGINT", "day": "DATE"},
                qualifying_rows(self.ob, self.timing),
            )
        # a scope reads the unit's id from the units, the rest from the instance
        row = Row(frame="i", facts="fs", columns={"unit": q.col("unit", "u")})
        scoped = (
            q.select(q.col("unit", "u"), q.col("ord", "u"), q.star("i"))
            .from_(q.table("units", "u"), copy=False)
            .join(q.table(inst, "i"), on=exp.true(), copy=False)
            .join(
                q.table("facts", "fs"),
                join_type="left",
                on=facts_on("fs", q.col("unit", "u"), q.col("check_day", "i")),
                copy=False,
            )
            .where(q.and_(*self._scope(row)), copy=False)
        )
        self._with_subjects(scoped, ["ord", "i"])

    def _trigger_frames(self) -> None:
        triggers = TriggerFrames(
            self.store, self.ob, self.timing, self.prefix, self._scope, self.scalars.condition
        )
        cand = self.table("cand")
        self.run(cand, triggers.candidates())
        when = self.rule.deadline.when
        select_from: exp.Select = q.select().from_(q.table(cand, "c"), copy=False)
        if isinstance(when, ir.After) and when.unit == "working days":
            wd = self.table("wd")
            self.store.load_rows(
                wd,
                {"day": "DATE", "due_day": "DATE", "undated": "VARCHAR"},
                working_day_rows(self.ob, self.timing, when),
            )
            select_from = select_from.join(
                q.table(wd, "w"), join_type="left", on=q.eq(q.col("day", "w"), q.col("day", "c"))
            )
        due, undated = triggers.due("c")
        # a due past the last date a date can be: not known, as the reference engine says
        past = exp.GT(this=due, expression=q.lit(dt.datetime(9999, 12, 31, 23, 59, 59)))
        undated = q.case([(past, q.lit(t(self.timing.lang, PastTheCalendar().message)))], undated)
        due = q.case([(past, exp.null())], due)
        as_of = q.lit(self.timing.as_of)
        horizon = exp.Interval(
            this=q.lit(str(int(self.rule.horizon.total_seconds()))), unit=exp.var("SECOND")
        )
        dated = q.and_(q.is_not_null(due), q.is_null(undated))
        hi_on = q.least(as_of, due)
        columns = [
            exp.Star(),
            q.alias(q.col("ord", "c"), "i"),
            q.alias(q.col("day", "c"), "check_day"),
            q.alias(q.case([(dated, due)], exp.null()), "due"),
            q.alias(exp.null(), "lo"),
            q.alias(hi_on, "hi_on"),
            q.alias(q.least(q.col("day", "c"), q.cast(hi_on, "DATE")), "day_on"),
            q.alias(
                q.and_(
                    exp.true() if self.rule.accept_late else exp.false(),
                    exp.GT(this=as_of, expression=due),
                ),
                "late",
            ),
            q.alias(as_of, "late_hi"),
            q.alias(q.least(q.col("day", "c"), q.lit(self.timing.today)), "late_day"),
            q.alias(exp.GT(this=as_of, expression=due), "past_due"),
            q.alias(
                exp.LTE(this=due, expression=exp.Add(this=as_of, expression=horizon)), "near_due"
            ),
            q.alias(exp.true(), "days_left"),
            q.alias(q.cast(exp.null(), "DOUBLE"), "share"),
            q.alias(q.case([(q.is_null(due), q.coalesce(undated, q.lit("")))], undated), "undated"),
            q.alias(
                q.least(
                    as_of,
                    exp.Add(
                        this=q.cast(q.col("day", "c"), "TIMESTAMP"),
                        expression=exp.Interval(this=q.lit("86399.999999"), unit=exp.var("SECOND")),
                    ),
                ),
                "sub_hi",
            ),
            q.alias(
                exp.DateDiff(
                    this=q.cast(due, "DATE"),
                    expression=q.lit(self.timing.today),
                    unit=exp.var("DAY"),
                ),
                "slack_days",
            ),
        ]
        self.run(self.table("trig"), select_from.select(*columns, append=False))
        self._slack_working_days()
        self._with_subjects(
            q.select(exp.Star()).from_(q.table(self.table("trig2")), copy=False),
            ["ord", "at", "id"],
        )

    def _slack_working_days(self) -> None:
        """The working days between today and each trigger's due (the slack says them)."""
        trig = self.table("trig")
        days = self.store.fetch(
            q.select(exp.Distinct(expressions=[q.cast(q.col("due"), "DATE")]))
            .from_(q.table(trig), copy=False)
            .where(q.is_not_null(q.col("due")), copy=False)
        )
        rows = []
        today = self.timing.today
        for (day,) in days:
            rows.append(
                {
                    "day": day,
                    "working": self.timing.working_after(today, day),
                }
            )
        self.store.load_rows(self.table("wdays"), {"day": "DATE", "working": "BIGINT"}, rows)
        joined = (
            q.select(q.star("t"), q.alias(q.col("working", "w"), "slack_working"))
            .from_(q.table(trig, "t"), copy=False)
            .join(
                q.table(self.table("wdays"), "w"),
                join_type="left",
                on=q.eq(q.col("day", "w"), q.cast(q.col("due", "t"), "DATE")),
                copy=False,
            )
        )
        self.run(self.table("trig2"), joined)

    def _with_subjects(self, scoped: exp.Select, order: list[str]) -> None:
        """The frames: the scoped instances, one per person for a per-person rule."""
        subject = self.rule.subject
        base = self.table("scoped")
        self.run(base, scoped)
        if subject is None:
            keys = [q.col(c, "s") for c in order]
            frames = q.select(q.star("s"), q.alias(q.cast(exp.null(), "VARCHAR"), "subject"))
            frames = frames.from_(q.table(base, "s"))
            self._numbered(frames, keys)
            return
        kind = self.store.kinds[subject.kind]
        owner = q.col("owner", "o") if kind.owners else q.col("unit", "e")
        row = Row(
            frame="s", facts="fe", event="e", kind=kind, event_facts="fe", trigger=self.trigger
        )
        conditions = [
            exp.LTE(this=q.col("at", "e"), expression=q.col("sub_hi", "s")),
            q.eq(owner, q.col("unit", "s")),
            q.is_not_null(q.col(kind.column(subject.field), "e")),
        ]
        if subject.where is not None:
            conditions.append(self.scalars.condition(subject.where, row))
        people = (
            q.select(
                exp.Distinct(expressions=[q.col("unit", "s")]),
                q.col("i", "s"),
                # a trigger's `i` is its unit's order, shared by the unit's triggers: its
                # label (the trigger's id) tells its people from theirs
                q.col(LABEL, "s"),
                q.alias(q.cast(q.col(kind.column(subject.field), "e"), "VARCHAR"), "subject"),
            )
            .from_(q.table(base, "s"), copy=False)
            .join(q.table(kind.table, "e"), on=exp.true(), copy=False)
        )
        if kind.owners:
            people = people.join(
                q.table(kind.owners, "o"), on=q.eq(q.col("id", "o"), q.col("id", "e"))
            )
        people = people.join(
            q.table("facts", "fe"),
            join_type="left",
            on=facts_on("fe", q.col("unit", "s"), q.col("day", "e")),
        )
        people = people.where(q.and_(*conditions))
        self.run(self.table("people"), people)
        frames = (
            q.select(q.star("s"), q.col("subject", "p"))
            .from_(q.table(base, "s"), copy=False)
            .join(
                q.table(self.table("people"), "p"),
                on=q.and_(
                    q.eq(q.col("unit", "p"), q.col("unit", "s")),
                    q.eq(q.col("i", "p"), q.col("i", "s")),
                    q.eq(q.col(LABEL, "p"), q.col(LABEL, "s")),
                ),
                copy=False,
            )
        )
        keys = [*[q.col(c, "s") for c in order], q.col("subject", "p")]
        self._numbered(frames, keys)

    def _numbered(self, select: exp.Select, keys: Sequence[E]) -> None:
        """`frames`: the rows of `select` with `frame` numbering them in report order. The
        `keys` (the unit's order, the instance or the trigger, the person) are unique per
        row: a window orders those alone and its numbers are joined back, so that a daily
        duty's millions of wide frames are not carried through a sort."""
        framed, numbers = self.table("framed"), self.table("numbers")
        self.run(framed, select)
        names = [k.name for k in keys]
        number = exp.Window(
            this=exp.RowNumber(),
            order=exp.Order(expressions=[exp.Ordered(this=q.col(n)) for n in names]),
        )
        self.run(
            numbers,
            q.select(*[q.col(n) for n in names], q.alias(number, "frame")).from_(
                q.table(framed), copy=False
            ),
        )
        self.run(
            self.table("frames"),
            q.select(q.star("f"), q.col("frame", "n"))
            .from_(q.table(framed, "f"), copy=False)
            .join(
                q.table(numbers, "n"),
                on=q.and_(*[q.eq(q.col(n, "n"), q.col(n, "f")) for n in names]),
                copy=False,
            ),
        )

    def _groups(self, table: str, unit: Any) -> None:
        """The per-period groups of each instance and variant, with their windows."""
        rows = []
        clock = self.ob.schedule_of.clock
        for n, instance in enumerate(
            self.ob.instances(self.timing.today, started_by=self.timing.today)
        ):
            if instance.due is None:
                continue
            due = instance.due
            cutoff = min(self.timing.aware_as_of, due)
            variants = [(0, cutoff)]
            if self.rule.accept_late and self.timing.aware_as_of > due:
                from policyrules.engine.sql.frames import _late_until

                until = min(
                    self.timing.aware_as_of,
                    _late_until(
                        self.ob, instance.start, instance.end, due, self.timing.aware_as_of
                    ),
                )
                variants.append((1, until))
            lo_frame = clock.start_of(instance.start)
            for variant, hi_frame in variants:
                for g, (sub, start, end) in enumerate(
                    groups_within(unit, instance.start, instance.end)
                ):
                    lo = max(clock.start_of(start), lo_frame)
                    hi = min(hi_frame, clock.end_of(end))
                    rows.append(
                        {
                            "i": n,
                            "variant": variant,
                            "g": g,
                            "label": sub.label,
                            "lo": self.timing.local(lo),
                            "hi": self.timing.local(hi),
                        }
                    )
        self.store.load_rows(
            table,
            {
                "i": "BIGINT",
                "variant": "BIGINT",
                "g": "BIGINT",
                "label": "VARCHAR",
                "lo": "TIMESTAMP",
                "hi": "TIMESTAMP",
            },
            rows,
        )

    # ------------------------------------------------------------------ types

    def type_of(self, node: ir.Expr) -> T.Type:
        found: Computed | None = self.aggregates.computed.get(id(node))
        if found is not None:
            return found.type
        if isinstance(node, ir.Compare | ir.Between | ir.Member | ir.And | ir.Or | ir.Not):
            return T.BOOL
        return type_of(node)


def _per_member_aggregates(node: ir.Expr) -> None:
    """Refuse an aggregate that `all`/`any` would compute per member: aggregates are
    computed per frame, and a quantifier's variable is not one of its columns."""
    for quantifier in ir.walk(node):
        if not isinstance(quantifier, ir.Quantify):
            continue
        inside = ir.walk(quantifier.condition)
        if any(isinstance(n, ir.Aggregate | ir.Grouped | ir.Reduce) for n in inside):
            raise Unsupported("an aggregate inside `all`/`any`")
        if any(
            isinstance(n, ir.Values) and any(isinstance(v, ir.Variable) for v in ir.walk(n))
            for n in inside
        ):
            raise Unsupported("the variable of `all`/`any` inside a `where`")
