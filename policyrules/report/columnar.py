"""The columnar engine's results as a report writes them: JSON items, CSV rows, Parquet, the
summary's counts — all made by the database from the table `results`, in report order,
filtered by a selection (`--unit`, `--obligation`, `--status`) in the query itself.

The Parquet file has one row per result, with the JSON item's fields (a nested object's
fields as `period_start`, `source_file` …) in typed columns: dates as `DATE`, `due` as a
time with zone (`TIMESTAMP WITH TIME ZONE`), numbers as `DOUBLE`, `evidence` and `refs` as
lists. Its key–value metadata holds the policy, `as_of` and the version that wrote it.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import duckdb
from sqlglot import exp

from policyrules.about import __version__
from policyrules.engine.sql import sqlx as q
from policyrules.engine.sql.render import csv_row, json_item, result_id
from policyrules.engine.sql.sentences import join_sentences, plain_text, unit_name_of
from policyrules.report.model import Result, Tally
from policyrules.report.selection import Selection

E = exp.Expr
#: about how many results one query renders (see `Output._chunks`)
BATCH_RESULTS = 100_000


class Output:
    """Reads the results of one evaluation out of its connection."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def _query(self, column: E, selection: Selection | None) -> exp.Select:
        query = (
            q.select(column)
            .from_(q.table("results", "r"), copy=False)
            .join(
                q.table("rules", "x"), on=q.eq(q.col("rule", "x"), q.col("rule", "r")), copy=False
            )
        )
        conditions: list[E] = []
        if selection is not None:
            for names, field in (
                (selection.units, q.col("unit", "r")),
                (selection.obligations, q.col("obligation", "x")),
                (selection.statuses, q.col("status", "r")),
            ):
                if names is not None:
                    conditions.append(
                        exp.In(this=field, expressions=[q.lit(n) for n in sorted(names)])
                        if names
                        else exp.false()
                    )
        query = join_sentences(query, "r")
        if conditions:
            query = query.where(q.and_(*conditions), copy=False)
        return query.order_by(
            q.col("ord", "r"), q.col("rule", "r"), q.col("frame", "r"), copy=False
        )

    def json_chunks(self, selection: Selection | None = None, size: int = 2000) -> Iterator[str]:
        """The results as the items of the report's `results` list, a batch at a time."""
        yield from self._chunks(self._query(json_item("r", "x"), selection), ",\n", size)

    def csv_chunks(self, selection: Selection | None = None, size: int = 2000) -> Iterator[str]:
        """The results as CSV rows (without the header), a batch at a time."""
        yield from self._chunks(self._query(csv_row("r", "x"), selection), "", size)

    def _chunks(self, query: exp.Select, separator: str, size: int) -> Iterator[str]:
        """The rendered results, a query per range of units of about `BATCH_RESULTS`
        results: a query orders what it renders, the text with it, and a city's report
        ordered in one query was held whole in memory (for four checks over 10k units,
        200 MB more than the evaluation needed)."""
        found = self.con.execute("SELECT max(ord), count(*) FROM results").fetchone()
        if found is None or not found[1]:
            return
        top, total = found
        units = max(1, (top + 1) * BATCH_RESULTS // total)
        ord_ = q.col("ord", "r")
        ranged = query.where(
            q.and_(
                exp.GTE(this=ord_, expression=exp.Placeholder()),
                exp.LT(this=ord_.copy(), expression=exp.Placeholder()),
            )
        ).sql("duckdb", copy=False)
        cursor = self.con.cursor()
        try:
            for lo in range(0, top + 1, units):
                cursor.execute(ranged, [lo, lo + units])
                while batch := cursor.fetchmany(size):
                    yield separator.join(row[0] for row in batch)
        finally:
            cursor.close()

    def results(self, selection: Selection | None = None) -> list[Result]:
        """The results as the report's objects (for the table, HTML and notebooks): read
        back from their JSON items, so that they are the items exactly."""
        items = self._chunks(self._query(json_item("r", "x"), selection), "\n\x00", 2000)
        return [
            Result.model_validate_json(item) for chunk in items for item in chunk.split("\n\x00")
        ]

    def tally(self) -> Tally:
        """The counts of a report's summary, of every result."""
        tally = Tally()
        rows = self.con.execute(
            "SELECT r.status, x.severity, count(*) FROM results r JOIN rules x "
            "ON x.rule = r.rule GROUP BY ALL"
        ).fetchall()
        for status, severity, count in rows:
            tally.by_status[status] += count
            tally.results += count
            if status == "overdue" and severity == "must":
                tally.must_overdue += count
        tally.units = {
            u for (u,) in self.con.execute("SELECT DISTINCT unit FROM results").fetchall()
        }
        return tally

    def write_parquet(
        self,
        path: str | os.PathLike[str],
        selection: Selection | None,
        policy: str,
        as_of: dt.datetime,
    ) -> None:
        """The results as a Parquet file, written whole or not at all (into a file beside
        `path`, renamed over it once complete)."""
        columns = parquet_columns("r", "x")
        query = self._query(columns[0], selection)
        query.set("expressions", columns)
        target = Path(path)
        handle, part = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".part"
        )
        os.close(handle)
        metadata = {
            "policy": policy,
            "as_of": as_of.isoformat(),
            "written_by": f"policyrules {__version__}",
        }
        kv = ", ".join(f"{_sql_text(k)}: {_sql_text(v)}" for k, v in metadata.items())
        try:
            self.con.execute(
                f"COPY ({query.sql('duckdb', copy=False)}) TO {_sql_text(part)} "
                f"(FORMAT parquet, KV_METADATA {{{kv}}})"
            )
            os.replace(part, target)
        except BaseException:
            Path(part).unlink(missing_ok=True)
            raise


def parquet_columns(r: str, x: str) -> list[E]:
    """The columns of the results' Parquet file (`r` the result row, `x` its rule's row)."""
    return [
        q.alias(result_id(r, x), "id"),
        q.alias(q.col("unit", r), "unit"),
        q.alias(q.col("person", r), "person"),
        q.alias(q.col("obligation", x), "obligation"),
        q.alias(q.col("title", x), "title"),
        q.alias(q.col("policy", x), "policy"),
        q.alias(q.col("label", r), "period_label"),
        q.alias(q.col("wstart", r), "period_start"),
        q.alias(q.col("wend", r), "period_end"),
        q.alias(q.cast(q.col("due", r), "TIMESTAMPTZ"), "due"),
        q.alias(q.col("status", r), "status"),
        q.alias(q.col("severity", x), "severity"),
        q.alias(q.col("required", r), "required"),
        q.alias(q.col("actual", r), "actual"),
        q.alias(q.col("evidence", r), "evidence"),
        q.alias(q.col("reason", r), "reason"),
        q.alias(q.col("slack", r), "slack"),
        q.alias(q.col("file", x), "source_file"),
        q.alias(q.col("line", x), "source_line"),
        q.alias(q.col("clause", x), "source_clause"),
        q.alias(q.col("refs", x), "refs"),
        q.alias(q.col("consequence", x), "consequence"),
        q.alias(q.col("trigger", r), "trigger"),
        q.alias(unit_name_of(), "unit_name"),
        q.alias(plain_text(r), "plain"),
    ]


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
