"""Frames: the instances a rule is checked in, for every unit in scope — one row per result
— and their variants: the frame read on time (events up to min(as_of, due)) and, where the
rule accepts late delivery and the instance is past due, the frame read late.

A calendar rule's instances do not depend on the unit: they are dated once, in Python, by
:mod:`policyrules.rules.instances`, and joined to the units in SQL. A `for each KIND` rule's
instances are its triggering events, found and dated in SQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from sqlglot import exp

from policyrules.calendar.moments import END_OF_DAY, day_end
from policyrules.calendar.workdays import CalendarIndeterminate
from policyrules.diagnostics.messages import t
from policyrules.engine.sql import sqlx as q
from policyrules.engine.sql.expressions import Row, Unsupported, trigger_column
from policyrules.engine.sql.store import KindTable, Store
from policyrules.engine.verdict import UNDATED
from policyrules.rules import ir
from policyrules.rules.compiler import CompiledObligation, CompiledPolicy

E = exp.Expr

#: the columns every frame has (besides its trigger's and its person)
FRAME_COLUMNS = {
    "i": "BIGINT",
    "label": "VARCHAR",
    "wstart": "DATE",
    "wend": "DATE",
    "check_day": "DATE",
    "due": "TIMESTAMP",
    "lo": "TIMESTAMP",
    "hi_on": "TIMESTAMP",
    "day_on": "DATE",
    "late": "BOOLEAN",
    "late_hi": "TIMESTAMP",
    "late_day": "DATE",
    "past_due": "BOOLEAN",
    "near_due": "BOOLEAN",
    "days_left": "BOOLEAN",
    "share": "DOUBLE",
    "undated": "VARCHAR",
    "sub_hi": "TIMESTAMP",
    "slack_days": "BIGINT",
    "slack_working": "BIGINT",
}


class Timing:
    """The moments of one evaluation: as_of in the policy's local wall time."""

    def __init__(self, compiled: CompiledPolicy, as_of: dt.datetime, lang: str) -> None:
        self.compiled = compiled
        self.zone = compiled.zone
        self.as_of = as_of.astimezone(self.zone).replace(tzinfo=None)
        self.aware_as_of = as_of.astimezone(self.zone)
        self.today = self.as_of.date()
        self.lang = lang

    def local(self, moment: dt.datetime) -> dt.datetime:
        return moment.astimezone(self.zone).replace(tzinfo=None)

    def working_after(self, day: dt.date, end: dt.date) -> int | None:
        """Working days after `day` up to `end` (none when the schedule is not known)."""
        try:
            return self.compiled.workdays.working_days_after(day, end)
        except CalendarIndeterminate:
            return None


def instance_rows(ob: CompiledObligation, timing: Timing) -> Iterator[dict[str, Any]]:
    """The instances of a calendar rule up to as_of, with every moment a frame needs."""
    rule, today = ob.rule, timing.today
    for n, instance in enumerate(ob.instances(today, started_by=today)):
        row: dict[str, Any] = {
            "i": n,
            "label": instance.label,
            "wstart": instance.start,
            "wend": instance.end,
            "check_day": min(instance.end, today),
            "late": False,
            "past_due": False,
            "near_due": False,
            "days_left": instance.qualifying_days_left(today),
            "share": instance.share() if rule.partial is ir.Partial.PRORATE else None,
            "sub_hi": timing.local(min(timing.aware_as_of, day_end(instance.end, timing.zone))),
        }
        if instance.indeterminate is not None or instance.due is None:
            row["undated"] = t(timing.lang, instance.indeterminate or UNDATED)
            yield row
            continue
        due = instance.due
        cutoff = min(timing.aware_as_of, due)
        row.update(
            due=timing.local(due),
            lo=timing.local(ob.schedule_of.clock.start_of(instance.start)),
            hi_on=timing.local(cutoff),
            day_on=min(instance.end, cutoff.date()),
            past_due=timing.aware_as_of > due,
            near_due=due - timing.aware_as_of <= rule.horizon,
            slack_days=(due.date() - today).days,
            slack_working=timing.working_after(today, due.date()),
        )
        if rule.accept_late and timing.aware_as_of > due:
            until = min(
                timing.aware_as_of,
                _late_until(ob, instance.start, instance.end, due, timing.aware_as_of),
            )
            row.update(
                late=True, late_hi=timing.local(until), late_day=min(instance.end, until.date())
            )
        yield row


def _late_until(
    ob: CompiledObligation, start: dt.date, end: dt.date, due: dt.datetime, as_of: dt.datetime
) -> dt.datetime:
    """As the reference engine: until the rule's window closes, or for an instance due after
    that, for as long again as the instance lasted."""
    window = ob.rule.window
    clock = ob.schedule_of.clock
    if window.end is None:
        return as_of
    closes = clock.end_of(window.end)
    if due < closes:
        return closes
    return due + dt.timedelta(days=(end - start).days + 1)


def qualifying_rows(ob: CompiledObligation, timing: Timing) -> Iterator[dict[str, Any]]:
    """For `every … on PATTERN`: the days that qualify in each instance."""
    today = timing.today
    for n, instance in enumerate(ob.instances(today, started_by=today)):
        days: set[dt.date] = set()  # each once, however many occurrences hold it
        for occurrence in instance.qualifying or ():
            day = occurrence.start
            while day <= occurrence.end:
                days.add(day)
                day += dt.timedelta(days=1)
        for day in sorted(days):
            yield {"i": n, "day": day}


def working_day_rows(
    ob: CompiledObligation, timing: Timing, after: ir.After
) -> Iterator[dict[str, Any]]:
    """For `due N working days after trigger`: each day of the window up to as_of, and the
    day N working days later (or why it cannot be known)."""
    window = ob.rule.window
    last = timing.today if window.end is None else min(timing.today, window.end)
    day = window.start
    workdays = ob.schedule_of.clock.workdays
    while day <= last:
        try:
            yield {
                "day": day,
                "due_day": workdays.add_working_days(day, after.amount),
                "undated": None,
            }
        except CalendarIndeterminate as missing:
            yield {"day": day, "due_day": None, "undated": t(timing.lang, missing.message)}
        day += dt.timedelta(days=1)


class TriggerFrames:
    """The SQL of a `for each KIND` rule's instances: one per triggering event."""

    def __init__(
        self,
        store: Store,
        ob: CompiledObligation,
        timing: Timing,
        prefix: str,
        scope: Any,
        condition: Any,
    ) -> None:
        self.store, self.ob, self.timing, self.prefix = store, ob, timing, prefix
        self.scope = scope  # compiles a rule's scope in a row
        self.condition = condition  # compiles a condition in a row
        schedule = ob.rule.schedule
        assert isinstance(schedule, ir.PerEvent)
        self.schedule = schedule
        self.kind: KindTable = store.kinds[schedule.kind]

    def candidates(self) -> exp.Select:
        """The unit's own events of the kind in the window up to as_of, chosen by the
        schedule's condition and in the rule's scope on their day."""
        kind, window, timing = self.kind, self.ob.rule.window, self.timing
        e = "e"
        # the trigger's attributes travel once, as its `t_` columns (what `trigger.…`
        # reads), and only those the rule reads: a rule `for each` of a frequent kind has
        # millions of frames, each as wide as what it carries
        attributes = set(kind.columns.values())
        columns = [q.col(c, e) for c in self.store.event_columns(kind) if c not in attributes]
        read = ir.trigger_attributes(self.ob.rule)
        trigger = [
            q.alias(q.col(c, e), trigger_column(c))
            for c in ["id", "unit", "at", *(kind.columns[a] for a in kind.columns if a in read)]
        ]
        lo = timing.local(self.ob.schedule_of.clock.start_of(window.start))
        hi = (
            timing.as_of
            if window.end is None
            else min(timing.as_of, dt.datetime.combine(window.end, END_OF_DAY))
        )
        # the candidate is its own instance: its window is its day, its label its id
        own: dict[str, E] = {
            "label": q.col("id", e),
            "wstart": q.col("day", e),
            "wend": q.col("day", e),
        }
        row = Row(
            frame=e,
            facts="fe",
            event=e,
            kind=kind,
            event_facts="fe",
            trigger=kind,
            columns=own,
        )
        conditions = [
            exp.GTE(this=q.col("at", e), expression=q.lit(lo)),
            exp.LTE(this=q.col("at", e), expression=q.lit(hi)),
            *self.scope(row),
        ]
        if self.schedule.where is not None:
            conditions.append(self.condition(self.schedule.where, row))
        return (
            q.select(
                *columns,
                *trigger,
                q.alias(q.col("id", e), "label"),
                q.alias(q.col("day", e), "wstart"),
                q.alias(q.col("day", e), "wend"),
                q.alias(q.col("ord", "u"), "ord"),
            )
            .from_(q.table(kind.table, e), copy=False)
            .join(q.table("units", "u"), on=q.eq(q.col("unit", "u"), q.col("unit", e)), copy=False)
            .join(
                q.table("facts", "fe"),
                join_type="left",
                on=facts_on("fe", q.col("unit", e), q.col("day", e)),
                copy=False,
            )
            .where(q.and_(*conditions), copy=False)
        )

    def due(self, c: str) -> tuple[E, E]:
        """The due of a trigger's instance, and why it cannot be known (or NULL)."""
        deadline = self.ob.rule.deadline
        when, at = deadline.when, deadline.at
        day, moment = q.col("day", c), q.col("at", c)
        clock_time = q.lit((at or END_OF_DAY).isoformat())

        def on(day_expr: E) -> E:
            # a day and a time of day make a timestamp
            return exp.Add(this=q.cast(day_expr, "DATE"), expression=q.cast(clock_time, "TIME"))

        match when:
            case None:
                return moment, exp.null()
            case ir.After(unit="hours", amount=amount):
                return exp.Add(
                    this=moment,
                    expression=exp.Interval(this=q.lit(str(amount)), unit=exp.var("HOUR")),
                ), exp.null()
            case ir.After(unit="days", amount=amount):
                return on(exp.Add(this=day, expression=q.lit(amount))), exp.null()
            case ir.After(unit="working days"):
                return on(q.col("due_day", "w")), q.col("undated", "w")
            case ir.WeekdayAfter(weekday=weekday):
                # in parentheses: sqlglot does not add them (`12 - isodow - 1` otherwise)
                dow = exp.paren(exp.Sub(this=q.func("isodow", day), expression=q.lit(1)))
                ahead = exp.Add(
                    this=exp.Mod(
                        this=exp.paren(exp.Sub(this=q.lit(weekday + 7 - 1), expression=dow)),
                        expression=q.lit(7),
                    ),
                    expression=q.lit(1),
                )
                # DuckDB adds days to a date as an INTEGER, not as isodow's BIGINT
                return on(exp.Add(this=day, expression=q.cast(ahead, "INTEGER"))), exp.null()
            case ir.OnDay(date=date):
                return on(q.lit(date)), exp.null()
        raise Unsupported(f"a per-event deadline {when!r}")


def facts_on(alias: str, unit: E, day: E) -> E:
    """The version of a unit's facts in force on `day`."""
    return q.and_(
        q.eq(q.col("unit", alias), unit),
        exp.LTE(this=q.col("vfrom", alias), expression=day),
        exp.GT(this=q.col("vto", alias), expression=day),
    )
