"""The Spark engine: the columnar engine's compiled plan, rendered for Spark SQL and run by
PySpark (`policyrules check --engine spark`).

The plan is the one :mod:`policyrules.engine.sql` builds (:class:`~policyrules.engine.sql.
engine.PlanEngine`): every table a rule makes is a select rendered by :mod:`.dialect` and
kept as a cached temporary view, the small unit-independent tables are broadcast, and the
results leave as the report writes them, rendered by Spark (:mod:`policyrules.report.spark`).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlglot import exp

from policyrules.data.events import EventReader
from policyrules.data.model import InputError
from policyrules.data.rows import STDIN, NamedRows, format_of
from policyrules.data.units import UNIT_HEADER
from policyrules.engine.spark.dialect import render
from policyrules.engine.spark.ingest import SparkIngest, fetched
from policyrules.engine.spark.inputs import read_by_spark, spark_reads, unreadable
from policyrules.engine.spark.session import session
from policyrules.engine.spark.store import SparkStore
from policyrules.engine.sql import sqlx as q
from policyrules.engine.sql.engine import PlanEngine
from policyrules.engine.sql.ingest import CountedEvents, parquet_rows
from policyrules.engine.sql.plan import RulePlan
from policyrules.rules.compiler import CompiledPolicy

if TYPE_CHECKING:  # pragma: no cover
    from pyspark.sql import SparkSession


class SparkEngine(PlanEngine):
    """One evaluation of a compiled policy at `as_of` in the process's SparkSession (made
    with `master` and `conf` when there is none yet)."""

    def __init__(
        self,
        compiled: CompiledPolicy,
        as_of: dt.datetime,
        lang: str = "en",
        spark: SparkSession | None = None,
        master: str = "local[*]",
        conf: Mapping[str, str] | None = None,
    ) -> None:
        self.spark = spark if spark is not None else session(master, conf)
        # an offset in a text, and an instant written out, are read in the policy's zone
        self.spark.conf.set("spark.sql.session.timeZone", str(compiled.zone))
        store = SparkStore(self.spark, compiled.checked, compiled.zone)
        super().__init__(compiled, as_of, lang, store)
        self.spark_store = store

    def read(
        self,
        sources: Sequence[str | os.PathLike[str]],
        format: str | None = None,
        reader: EventReader | None = None,
    ) -> CountedEvents:
        """Events read as the DuckDB engine reads them, in this process, when they are local
        files; read by Spark where they lie (:mod:`.ingest`) when one is a URI, a directory
        or a glob (:mod:`.inputs`)."""
        why = unreadable(sources)
        if why is not None:
            raise InputError(why)
        if not read_by_spark(sources):
            return super().read(sources, format, reader)
        ingest = SparkIngest(self.spark_store, reader or EventReader(self.compiled.checked))
        counted = ingest.read(sources, format)
        self.read_whole, self.read_doubtful = [], 0
        self._events = counted
        return counted

    def units_source(
        self, paths: Sequence[str], format: str | None
    ) -> list[str | NamedRows]:
        """The units files as the reference reader takes them: a file Spark reads fetched to
        this process (units are few), local Parquet read by DuckDB (as the DuckDB engine
        reads it), any other local file by its path."""
        out: list[str | NamedRows] = []
        for path in paths:
            if spark_reads(path):
                out.extend(fetched(self.spark, path, format, UNIT_HEADER))
            elif path != STDIN and (format or format_of(path)) == "parquet":
                out.append(parquet_rows(self.con, path))
            else:
                out.append(path)
        return out

    def run(self, name: str, select: exp.Select) -> None:
        # a table read by one select is a lazy view, part of its reader's job; one read again
        # is made once, on its second read (SparkStore.prepare); a rule's results are made
        # at once, and with them every table of the rule still lazy: each job is some tenths
        # of a second however small its table, and a policy's plan has some hundred tables
        store = self.spark_store
        store.prepare(select)
        frame = self.spark.sql(render(select))
        frame = frame.toDF(*duckdb_names(frame.columns))
        # a union is made at once too: read through a lazy view, Spark 4's optimiser fails
        # on it (PushProjectionThroughUnion: "key not found") when it repeats a column name
        if name.endswith("results") or select.find(exp.Union) is not None:
            store.view(name, frame)
        else:
            store.lazy_view(name, frame, {t.name for t in select.find_all(exp.Table)})

    def verdicts(self, plan: RulePlan, select: exp.Select) -> exp.Select:
        # a table per rule: one query of every rule's verdicts is more code than Spark
        # compiles quickly
        name = plan.table("results")
        self.run(name, select)
        return q.select(exp.Star()).from_(q.table(name), copy=False)

    @property
    def con(self) -> Any:
        """The DuckDB connection the events were read through (units' Parquet reads it)."""
        return self.spark_store.con

    def close(self) -> None:
        self.spark_store.close()


def duckdb_names(columns: list[str]) -> list[str]:
    """A table's column names as DuckDB makes them: a name already taken gets `_1`, `_2` …
    (the first keeps it), so that the plan reads the same column on both engines."""
    taken: dict[str, int] = {}
    out = []
    for name in columns:
        key = name.lower()
        if key in taken:
            taken[key] += 1
            name = f"{name}_{taken[key]}"
        else:
            taken[key] = 0
        out.append(name)
    return out


def paths_of(source: object) -> list[str] | None:
    """`source` as a list of paths, if it is a path or a list of them."""
    if isinstance(source, (str, os.PathLike)):
        return [os.fspath(source)]
    if isinstance(source, (list, tuple)) and source and all(
        isinstance(s, (str, os.PathLike)) for s in source
    ):
        return [os.fspath(s) for s in source]
    return None
