"""The Spark engine's tables: the same tables as the DuckDB engine's :class:`Store`, as
Spark temporary views.

Events in local files are read and validated where the DuckDB engine reads them
(:mod:`policyrules.engine.sql.ingest`, in process, with the reference reader's rejections),
into a DuckDB store of their own; once read, each kind's table travels to Spark as Arrow
batches and is cached there. Events Spark reads where they lie (:mod:`.ingest`) are made
into the kind views in Spark and never pass through this process (`in_spark`). The
small tables the plan loads from Python rows (instances, calendar days, rules, units and
their facts) are broadcast to every join.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import duckdb
from sqlglot import exp

from policyrules.data.events import Event
from policyrules.engine.spark.dialect import render
from policyrules.engine.sql.store import Store
from policyrules.semantics import CheckedPolicy
from policyrules.semantics import types as T

if TYPE_CHECKING:  # pragma: no cover
    from pyspark.sql import DataFrame, SparkSession

#: a table loaded from Python rows is broadcast to joins when it has at most this many rows
BROADCAST_ROWS = 200_000


def spark_type(duckdb_type: str) -> str:
    """The Spark SQL type of a column the plan declares in DuckDB's words."""
    if duckdb_type.endswith("[]"):
        return f"ARRAY<{spark_type(duckdb_type[:-2])}>"
    return {
        "VARCHAR": "STRING",
        "TIMESTAMP": "TIMESTAMP_NTZ",
        "TIMESTAMP WITH TIME ZONE": "TIMESTAMP",
        "HUGEINT": "DECIMAL(38, 0)",
    }.get(duckdb_type, duckdb_type)


def arrow_type(duckdb_type: str) -> Any:
    import pyarrow as pa

    if duckdb_type.endswith("[]"):
        return pa.list_(arrow_type(duckdb_type[:-2]))
    return {
        "VARCHAR": pa.string(),
        "BIGINT": pa.int64(),
        "DOUBLE": pa.float64(),
        "BOOLEAN": pa.bool_(),
        "DATE": pa.date32(),
        "TIMESTAMP": pa.timestamp("us"),
    }[duckdb_type]


def arrow_table(rows: list[dict[str, Any]], columns: Mapping[str, str]) -> Any:
    import pyarrow as pa

    schema = pa.schema([(name, arrow_type(t)) for name, t in columns.items()])
    return pa.Table.from_pylist([{c: row.get(c) for c in columns} for row in rows], schema=schema)


def schema_of(columns: Mapping[str, str]) -> str:
    return ", ".join(f"`{name}` {spark_type(t)}" for name, t in columns.items())


class SparkStore(Store):
    """The tables of one evaluation as views of a SparkSession; the events pass through a
    DuckDB store (`local`) that reads and validates them."""

    def __init__(self, spark: SparkSession, policy: CheckedPolicy, zone: dt.tzinfo) -> None:
        con = duckdb.connect()
        con.execute(f"SET TimeZone = '{zone}'")
        super().__init__(con, policy, zone)
        self.spark = spark
        #: reads, validates and holds the events (the reference engine's fallback reads them)
        self.local = Store(con, policy, zone)
        self.local.kinds = self.kinds
        self.cached: list[DataFrame] = []
        #: the plan's tables not made yet (lazy views) and how often a select has read each
        self.lazy: dict[str, DataFrame] = {}
        self.reads: dict[str, int] = {}
        #: per lazy view, the lazy views its select carries (itself read through them)
        self.carries: dict[str, set[str]] = {}
        #: whether the events were read by Spark (:mod:`.ingest`), not by `local`
        self.in_spark = False

    # ------------------------------------------------------------------ events

    def load_events(self, events: Iterable[Event]) -> None:
        self.local.load_events(events)
        self.publish()

    def create_events(self) -> None:
        self.local.create_events()

    def append_events(self, events: Iterable[Event], src: int) -> None:
        self.local.append_events(events, src)

    def finish_events(self) -> None:
        self.local.finish_events()

    def python_events(self, kinds: Iterable[str]) -> list[Event]:
        if not self.in_spark:
            return self.local.python_events(kinds)
        out: list[tuple[int, int, Event]] = []
        for name in kinds:
            table = self.kinds.get(name)
            if table is None:
                continue
            attrs = list(table.columns)
            selected = "".join(f", `{table.columns[a]}`" for a in attrs)
            found = self.spark.sql(f"SELECT id, unit, at, timed, src, line{selected} FROM "
                                   f"{table.table}").collect()
            for ident, unit, at, timed, src, line, *values in found:
                attributes = {a: self._python_value(v) for a, v in zip(attrs, values, strict=True)
                              if v is not None}
                moment = at.replace(tzinfo=self.zone)
                out.append((src, line, Event(ident, unit, name, moment, attributes, timed, line)))
        out.sort(key=lambda item: (item[0], item[1]))
        return [event for _, _, event in out]

    def day_range(self) -> tuple[dt.date, dt.date] | None:
        if not self.in_spark:
            return self.local.day_range()
        selects = []
        for t in self.kinds.values():
            selects.append(f"SELECT min(day) AS lo, max(day) AS hi FROM {t.table}")
            for attr, column in t.columns.items():
                if t.kind.fields[attr].kind in (T.Kind.DATE, T.Kind.DATETIME):
                    selects.append(f"SELECT min(CAST(`{column}` AS DATE)), "
                                   f"max(CAST(`{column}` AS DATE)) FROM {t.table}")
        if not selects:
            return None
        found = self.spark.sql(f"SELECT min(lo), max(hi) FROM ({' UNION ALL '.join(selects)})"
                               ).collect()
        if not found or found[0][0] is None:
            return None
        return found[0][0], found[0][1]

    @property
    def ingest(self) -> Store:
        return self.local

    def publish(self) -> None:
        """The events' tables (and the owners of joint events) as cached Spark views."""
        for table in self.kinds.values():
            self._publish(table.table, self.event_columns(table))
            if table.owners is not None:
                self._publish(table.owners, {"owner": "VARCHAR", "id": "VARCHAR"})

    def _publish(self, name: str, columns: Mapping[str, str]) -> None:
        names = ", ".join(f'"{c}"' for c in columns)
        batches = self.con.sql(f'SELECT {names} FROM "{name}"').to_arrow_table()
        # Arrow cannot carry a table of no rows (no chunk to type): an empty frame instead
        rows: Any = batches if batches.num_rows else []
        frame = self.spark.createDataFrame(rows, schema=schema_of(columns))
        self.view(name, frame)

    # ------------------------------------------------------------------ tables

    def made(self, frame: DataFrame) -> DataFrame:
        """`frame` computed now, once, and held until the store closes."""
        made = frame.localCheckpoint(eager=True)
        self.cached.append(made)
        return made

    def view(self, name: str, frame: DataFrame) -> None:
        """`frame` as the view `name`, made now (a local checkpoint); and with it every lazy
        view that carries its select: a checkpoint keeps the names (attribute ids) of the
        select it was made from, and one plan holding both fails in Spark's analyser."""
        frame = frame.localCheckpoint(eager=True)
        self.lazy.pop(name, None)
        self.carries.pop(name, None)
        self.cached.append(frame)
        frame.createOrReplaceTempView(name)
        for other in [n for n, carried in self.carries.items() if name in carried]:
            if other in self.lazy:
                self.view(other, self.lazy[other])

    def lazy_view(self, name: str, frame: DataFrame, reads: set[str]) -> None:
        """`frame` as the view `name`, made only where it is read: a table read once costs no
        job of its own, its select becomes part of its reader's. `reads`: the tables it
        reads."""
        self.lazy[name] = frame
        self.reads[name] = 0
        carried = {t for t in reads if t in self.lazy}
        for table in list(carried):
            carried |= self.carries.get(table, set())
        self.carries[name] = carried
        frame.createOrReplaceTempView(name)

    def prepare(self, select: exp.Expr) -> None:
        """The lazy views `select` reads that another select read before (or it reads twice)
        made first: a table read again is computed once, and no plan carries a table's
        select more than once (a rule's tables read one another many times over, and the
        plan written out in full would grow past what Spark plans quickly)."""
        names = [t.name for t in select.find_all(exp.Table) if t.name in self.lazy]
        for name in names:
            self.reads[name] += 1
        for name in dict.fromkeys(names):
            if self.reads[name] > 1:
                self.view(name, self.lazy[name])

    def load_rows(
        self, name: str, columns: Mapping[str, str], rows: Iterable[Mapping[str, Any]]
    ) -> None:
        """A small table of typed rows, broadcast to the joins that read it."""
        from pyspark.sql.functions import broadcast

        listed = [dict(row) for row in rows]
        # as Arrow, converted in the JVM: a list of rows would start Python workers to do it
        data: Any = arrow_table(listed, columns) if listed else []
        frame = self.spark.createDataFrame(data, schema=schema_of(columns))
        if len(listed) <= BROADCAST_ROWS:
            frame = broadcast(frame)
        self.cached.append(frame)
        frame.createOrReplaceTempView(name)

    def fetch(self, select: exp.Select) -> list[tuple[Any, ...]]:
        self.prepare(select)
        return [tuple(row) for row in self.spark.sql(render(select)).collect()]

    def close(self) -> None:
        for frame in self.cached:
            frame.unpersist()
        self.cached.clear()
        self.lazy.clear()
        self.carries.clear()
        self.con.close()
        super().close()
