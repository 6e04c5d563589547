"""The columnar engine: a compiled policy as set-based queries, run by DuckDB in process.

Every rule the engine compiles becomes a few tables (frames, aggregates, outcomes) and one
select of results; a rule it cannot compile yet is evaluated by the reference engine and
its results take their place in the same table. The results leave in report order as the
report writes them — JSON items, CSV rows, Parquet — rendered by the database.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import duckdb
from sqlglot import exp

from policyrules.calendar.days import names_an_attribute, naming
from policyrules.calendar.workdays import CalendarIndeterminate
from policyrules.data.events import EventReader, EventSet, UnitSet, units_under
from policyrules.engine.python.engine import ReferenceEngine
from policyrules.engine.sql import sqlx as q
from policyrules.engine.sql.expressions import Row, Unsupported
from policyrules.engine.sql.frames import Timing
from policyrules.engine.sql.ingest import CountedEvents, Ingest
from policyrules.engine.sql.outcomes import Outcomes
from policyrules.engine.sql.plan import RulePlan
from policyrules.engine.sql.render import csv_row, json_item
from policyrules.engine.sql.sentences import join_sentences, load_sentences
from policyrules.engine.sql.store import FAR_FUTURE, FAR_PAST, Store
from policyrules.rules import ir
from policyrules.rules.compiler import CompiledPolicy

E = exp.Expr

RESULT_COLUMNS = {
    "ord": "BIGINT",
    "rule": "BIGINT",
    "frame": "BIGINT",
    "unit": "VARCHAR",
    "person": "VARCHAR",
    "label": "VARCHAR",
    "wstart": "DATE",
    "wend": "DATE",
    "due": "TIMESTAMP",
    "due_text": "VARCHAR",
    "status": "VARCHAR",
    "required": "DOUBLE",
    "actual": "DOUBLE",
    "evidence": "VARCHAR[]",
    "reason": "VARCHAR",
    "slack": "VARCHAR",
    "trigger": "VARCHAR",
}


class PlanEngine:
    """What every engine that runs the compiled plan shares: the rules as tables, the rules
    it cannot compile evaluated by the reference engine, the calendar's day tables, the
    units and their areas. A backend gives :meth:`run` (a select into a named table) and a
    :class:`Store` (rows loaded into tables, selects fetched); DuckDB's is
    :class:`ColumnarEngine`, Spark's :class:`policyrules.engine.spark.engine.SparkEngine`."""

    def __init__(
        self, compiled: CompiledPolicy, as_of: dt.datetime, lang: str, store: Store
    ) -> None:
        self.compiled = compiled
        self.as_of = as_of
        self.lang = lang
        self.timing = Timing(compiled, as_of, lang)
        self.store = store
        self.offset = _fixed_offset(compiled, as_of)
        #: the rules the engine could not compile, and why: the reference engine's
        self.fallbacks: dict[str, str] = {}
        self._days: dict[object, str] = {}
        self._events: EventSet | None = None
        self._units: UnitSet | None = None
        #: the inputs the reference reader read whole (see :mod:`.ingest`)
        self.read_whole: list[str] = []
        self.read_doubtful = 0
        self._day_range: tuple[dt.date, dt.date] | None = None

    def run(self, name: str, select: exp.Select) -> None:
        """The table `name` made by `select`."""
        raise NotImplementedError

    def close(self) -> None:
        """The engine's tables are let go."""
        self.store.close()

    def verdicts(self, plan: RulePlan, select: exp.Select) -> exp.Select:
        """A rule's results, kept as a table of their own (its working tables are dropped
        next: the memory of one rule's work at a time), as the union of every rule's reads
        them."""
        name = plan.table("results")
        self.run(name, select)
        return q.select(exp.Star()).from_(q.table(name), copy=False)

    # ------------------------------------------------------------------ inputs

    def load(self, events: EventSet, units: UnitSet | None) -> None:
        """Events and units already read and validated (by :mod:`policyrules.data`)."""
        self._events = events
        self.store.load_events(events.events)
        self.load_units(units, events)

    def read(
        self,
        sources: Sequence[str | os.PathLike[str]],
        format: str | None = None,
        reader: EventReader | None = None,
    ) -> CountedEvents:
        """Events read by the database from files (`-`: the standard input), with the
        reference reader's rejections (:mod:`.ingest`); then :meth:`load_units`."""
        ingest = Ingest(self.store.ingest, reader or EventReader(self.compiled.checked))
        counted = ingest.read(sources, format)
        self.read_whole = ingest.whole
        self.read_doubtful = ingest.doubtful
        self._events = counted
        self.store.publish()
        return counted

    def load_units(self, units: UnitSet | None, events: EventSet) -> None:
        """The units to check — those of the units file, else those the events name — and
        their facts and areas."""
        self._units = units
        self.unit_ids = (
            sorted(units.units)
            if units is not None and units.units
            else sorted(events.units_named())
        )
        self.store.load_units(units, self.unit_ids)
        # a million rows at a city's size: made only for a rule that reads `from area`
        self.store.on_demand["area"] = lambda: self._load_area(units)

    def _load_area(self, units: UnitSet | None) -> None:
        """Each unit and every unit under it, by the `parent` facts, per stretch of days in
        which they do not change."""
        rows = []
        if units is not None and units.units:
            starts = sorted(
                {
                    v.valid_from
                    for u in units.units.values()
                    for v in u.versions
                    if v.valid_from is not None
                }
            )
            epochs = [FAR_PAST, *starts]
            for n, start in enumerate(epochs):
                end = epochs[n + 1] if n + 1 < len(epochs) else FAR_FUTURE
                children = units.children(start)
                for unit in self.unit_ids:
                    for member in units_under(unit, children):
                        rows.append({"unit": unit, "member": member, "efrom": start, "eto": end})
        else:
            rows = [
                {"unit": u, "member": u, "efrom": FAR_PAST, "eto": FAR_FUTURE}
                for u in self.unit_ids
            ]
        self.store.load_rows(
            "area", {"unit": "VARCHAR", "member": "VARCHAR", "efrom": "DATE", "eto": "DATE"}, rows
        )

    # ------------------------------------------------------------------ running

    def evaluate(self, progress: Callable[[int, int], None] | None = None) -> None:
        """The table `results`: every result (`ord`, `rule`, `frame` its report order).
        `progress(done, total)` is told of each rule done."""
        selects: list[exp.Select] = []
        self._rule_table()
        # each unit's name and each rule's sentence templates: decided once, joined in SQL
        load_sentences(self.store, self.compiled, self._units, self.unit_ids, self.as_of, self.lang)
        total = len(self.compiled.obligations)
        for index, ob in enumerate(self.compiled.obligations):
            if progress is not None:
                progress(index, total)
            try:
                plan = RulePlan(self.store, ob, index, self.timing, self.run, self._on_days)
                plan.frames()
                outcomes = Outcomes(plan, self.lang)
                outcomes.build()
                selects.append(self.verdicts(plan, outcomes.verdicts(self.offset)))
            except (Unsupported, CalendarIndeterminate) as why:
                self.fallbacks[ob.name] = str(why)
            finally:
                self._drop_working(f"r{index}_")
        self.store.load_rows("fallback", RESULT_COLUMNS, self._fallback_rows())
        selects.append(q.select(exp.Star()).from_(q.table("fallback"), copy=False))
        union: exp.Query = selects[0]
        for select in selects[1:]:
            union = exp.union(union, select, distinct=False, copy=False)
        # not ordered here: every reader orders what it reads (report order is unit, rule,
        # frame), and a city's millions of results were sorted twice
        self.run(
            "results", q.select(exp.Star()).from_(q.subquery(union, "all_results"), copy=False)
        )
        for index in range(total):
            self.store.con.execute(f'DROP TABLE IF EXISTS "r{index}_results"')
        if progress is not None:
            progress(total, total)

    def _drop_working(self, prefix: str) -> None:
        """The tables of one rule but its results."""
        # (the DuckDB store's; a Spark store keeps its views for the session)
        names = self.store.con.execute(
            "SELECT 'VIEW', view_name FROM duckdb_views() WHERE starts_with(view_name, ?) "
            "UNION ALL SELECT 'TABLE', table_name FROM duckdb_tables() "
            "WHERE starts_with(table_name, ?) AND table_name <> ?",
            [prefix, prefix, f"{prefix}results"],
        ).fetchall()
        for kind, name in names:
            self.store.con.execute(f'DROP {kind} "{name}"')

    def _rule_table(self) -> None:
        rows = []
        for index, ob in enumerate(self.compiled.obligations):
            rule = ob.rule
            rows.append(
                {
                    "rule": index,
                    "obligation": rule.name,
                    "title": rule.title,
                    "policy": rule.policy,
                    "severity": rule.severity.value,
                    "file": rule.source.file,
                    "line": rule.source.line,
                    "clause": rule.source.clause,
                    "refs": list(rule.refs),
                    "consequence": rule.consequence,
                }
            )
        self.store.load_rows(
            "rules",
            {
                "rule": "BIGINT",
                "obligation": "VARCHAR",
                "title": "VARCHAR",
                "policy": "VARCHAR",
                "severity": "VARCHAR",
                "file": "VARCHAR",
                "line": "BIGINT",
                "clause": "VARCHAR",
                "refs": "VARCHAR[]",
                "consequence": "VARCHAR",
            },
            rows,
        )

    def _fallback_rows(self) -> Iterator[dict[str, Any]]:
        """The results of the rules the engine does not compile, from the reference engine."""
        if not self.fallbacks or self._events is None:
            return
        events = (
            self.store.python_events(self.compiled.checked.definitions.events)
            if isinstance(self._events, CountedEvents)
            else self._events.events
        )
        reference = ReferenceEngine(self.compiled, events, self._units, self.as_of, self.lang)
        order = {u: n for n, u in enumerate(self.unit_ids)}
        for index, ob in enumerate(self.compiled.obligations):
            if ob.name not in self.fallbacks:
                continue
            for unit in reference.unit_ids():
                for frame, (finding, _) in enumerate(reference.framed(ob, unit)):
                    verdict, instance = finding.verdict, finding.instance
                    yield {
                        "ord": order.get(unit, len(order)),
                        "rule": index,
                        "frame": frame,
                        "unit": unit,
                        "person": finding.person,
                        "label": instance.label,
                        "wstart": instance.start,
                        "wend": instance.end,
                        "due": verdict.due.replace(tzinfo=None) if verdict.due else None,
                        "due_text": verdict.due.isoformat() if verdict.due else None,
                        "status": verdict.status,
                        "required": verdict.required,
                        "actual": verdict.actual,
                        "evidence": list(verdict.evidence),
                        "reason": verdict.reason,
                        "slack": verdict.slack,
                        "trigger": finding.trigger,
                    }

    # ------------------------------------------------------------------ calendar days

    def _on_days(self, node: ir.OnDays, row: Row, moment: E) -> E:
        """`at on PATTERN`: whether the value's day is one of the pattern's, through a table
        of its days over the days the events cover."""
        calendar = self.compiled.clock.patterns
        day = q.cast(moment, "DATE")
        attribute = names_an_attribute(node.days)
        lo, hi = self._range()
        if attribute is None:
            table = self._day_table(node.days, lo, hi)
            probe = (
                q.select(q.lit(1))
                .from_(q.table(table, "d"), copy=False)
                .where(q.eq(q.col("day", "d"), day), copy=False)
            )
            return exp.Exists(this=probe)
        if row.event is None or row.kind is None:
            return exp.false()
        key = ("festival", node.days)
        found = self._days.get(key)
        if found is None:
            table = f"days{len(self._days)}"
            rows = []
            for name, festival in self.compiled.names.festivals.items():
                for occurrence in calendar.occurrences(naming(node.days, festival), lo, hi):
                    for d in _each_day(occurrence.start, occurrence.end):
                        rows.append({"festival": name, "day": d})
            self.store.load_rows(table, {"festival": "VARCHAR", "day": "DATE"}, rows)
            self._days[key] = found = table
        named = q.col(row.kind.column(attribute), row.event)
        probe = (
            q.select(q.lit(1))
            .from_(q.table(found, "d"), copy=False)
            .where(
                q.and_(q.eq(q.col("day", "d"), day), q.eq(q.col("festival", "d"), named)),
                copy=False,
            )
        )
        return exp.Exists(this=probe)

    def _day_table(self, days: object, lo: dt.date, hi: dt.date) -> str:
        table = self._days.get(days)
        if table is None:
            table = f"days{len(self._days)}"
            calendar = self.compiled.clock.patterns
            found = {
                d
                for o in calendar.occurrences(days, lo, hi)  # type: ignore[arg-type]
                for d in _each_day(o.start, o.end)
            }
            self.store.load_rows(table, {"day": "DATE"}, ({"day": d} for d in sorted(found)))
            self._days[days] = table
        return table

    def _range(self) -> tuple[dt.date, dt.date]:
        if self._day_range is None:
            found = self.store.day_range()
            today = self.timing.today
            self._day_range = found if found is not None else (today, today)
        return self._day_range


class ColumnarEngine(PlanEngine):
    """One evaluation of a compiled policy at `as_of` in a DuckDB connection of its own."""

    def __init__(
        self,
        compiled: CompiledPolicy,
        as_of: dt.datetime,
        lang: str = "en",
        threads: int | None = None,
        memory_limit: str | None = None,
    ) -> None:
        config: dict[str, Any] = {}
        if threads is not None:
            config["threads"] = threads
        if memory_limit is not None:
            config["memory_limit"] = memory_limit
        self.con = duckdb.connect(config=config)
        # times with an offset (TIMESTAMPTZ) are read as wall time in the policy's zone
        self.con.execute(f"SET TimeZone = '{compiled.zone}'")
        # an in-memory database works on disk beyond its memory only with a place for it
        self._spill = tempfile.mkdtemp(prefix="policyrules-spill-")
        self.con.execute("SET temp_directory = ?", [self._spill])
        super().__init__(compiled, as_of, lang, Store(self.con, compiled.checked, compiled.zone))

    def run(self, name: str, select: exp.Select) -> None:
        # a rule's results are a table at once (its working tables are dropped next); the
        # rest are views until a second select reads them (Store.prepare)
        self.store.prepare(select)
        self.store.create(name, select, view=not name.endswith("results"))

    # ------------------------------------------------------------------ output

    def json_chunks(self, size: int = 2000) -> Iterator[str]:
        """The results as the items of the report's `results` list, a batch at a time."""
        query = (
            q.select(q.alias(json_item("r", "x"), "j"))
            .from_(q.table("results", "r"), copy=False)
            .join(
                q.table("rules", "x"), on=q.eq(q.col("rule", "x"), q.col("rule", "r")), copy=False
            )
            .order_by(q.col("ord", "r"), q.col("rule", "r"), q.col("frame", "r"), copy=False)
        )
        yield from self._chunks(join_sentences(query, "r"), ",\n", size)

    def csv_chunks(self, size: int = 2000) -> Iterator[str]:
        query = (
            q.select(q.alias(csv_row("r", "x"), "c"))
            .from_(q.table("results", "r"), copy=False)
            .join(
                q.table("rules", "x"), on=q.eq(q.col("rule", "x"), q.col("rule", "r")), copy=False
            )
            .order_by(q.col("ord", "r"), q.col("rule", "r"), q.col("frame", "r"), copy=False)
        )
        yield from self._chunks(join_sentences(query, "r"), "", size)

    def _chunks(self, query: exp.Select, separator: str, size: int) -> Iterator[str]:
        cursor = self.con.execute(query.sql("duckdb", copy=False))
        while True:
            batch = cursor.fetchmany(size)
            if not batch:
                return
            yield separator.join(row[0] for row in batch)

    def counts(self) -> dict[str, Any]:
        """What a summary says of the results: their number, by status, the units that have
        some, and the `must` results overdue."""
        rows = self.con.execute(
            "SELECT r.status, x.severity, count(*) FROM results r JOIN rules x "
            "ON x.rule = r.rule GROUP BY ALL"
        ).fetchall()
        units = self.con.execute("SELECT count(DISTINCT unit) FROM results").fetchone()
        by_status: dict[str, int] = {}
        must_overdue = 0
        for status, severity, count in rows:
            by_status[status] = by_status.get(status, 0) + count
            if status == "overdue" and severity == "must":
                must_overdue += count
        return {
            "results": sum(by_status.values()),
            "by_status": by_status,
            "units": units[0] if units else 0,
            "must_overdue": must_overdue,
        }

    def close(self) -> None:
        self.con.close()
        self.store.close()
        shutil.rmtree(self._spill, ignore_errors=True)


def _each_day(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    day = start
    while day <= end:
        yield day
        if day == dt.date.max:
            return
        day += dt.timedelta(days=1)


def _fixed_offset(compiled: CompiledPolicy, as_of: dt.datetime) -> str:
    """The policy zone's offset as ISO 8601 writes it (`+08:00`), when it has one offset over
    the years a report can speak of; else the engine cannot write local times as instants."""
    zone = compiled.zone
    offsets = set()
    first = min([ob.rule.window.start.year for ob in compiled.obligations] or [as_of.year])
    # the years from the first window (or as_of, if earlier) to a year past as_of
    for year in range(min(first, as_of.year), min(max(first, as_of.year) + 2, dt.MAXYEAR + 1)):
        for month in (1, 7):
            offsets.add(dt.datetime(year, month, 1, 12, tzinfo=zone).utcoffset())
    if len(offsets) != 1:
        raise Unsupported(f"the time zone {zone} changes its offset")
    offset = next(iter(offsets))
    assert offset is not None
    text = dt.datetime(2000, 1, 1, tzinfo=dt.timezone(offset)).isoformat()[19:]
    return text or "+00:00"


_ = Sequence
