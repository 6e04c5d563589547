"""The Spark engine's results as a report writes them: the same queries as the DuckDB
engine's :class:`~policyrules.report.columnar.Output` (JSON items, CSV rows, the summary's
counts, filtered by a selection), rendered for Spark SQL, and Parquet written by Spark.

Spark writes Parquet as a folder of part files (`-o DIR`), in report order across the
files' names; the columns are those of the DuckDB engine's file. It is written into a
folder beside `DIR` and renamed over it once complete (for a local path; on another file
system Spark's own job commit makes it whole or absent). Key–value metadata is not
written: the policy, `as_of` and the writer are in `DIR/_policyrules.json`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from sqlglot import exp

from policyrules.about import __version__
from policyrules.engine.spark.dialect import render
from policyrules.report.columnar import Output, parquet_columns
from policyrules.report.model import Tally
from policyrules.report.selection import Selection

if TYPE_CHECKING:  # pragma: no cover
    from pyspark.sql import SparkSession


#: a `\u00XX` escape with capital hex digits, not itself escaped (a `\\` before it is text)
_ESCAPE = re.compile(r"(?<!\\)((?:\\\\)*\\u00[01])([A-F])")
#: a report of more results than this comes back through files in local mode
FILES_FROM = 50_000


class SparkOutput(Output):
    """Reads the results of one evaluation out of a SparkSession's views."""

    def __init__(self, spark: SparkSession) -> None:
        self.spark = spark
        self._results: int | None = None  # how many results there are, once asked

    def _through_files(self) -> bool:
        """Whether the rendered results come back through files (:func:`_written`): in
        local mode, for a report of many results (a write job costs about a second, more
        than handing a few thousand back)."""
        if not self.spark.sparkContext.master.startswith("local"):
            return False
        if self._results is None:
            self._results = int(self.spark.sql("SELECT count(*) FROM results").collect()[0][0])
        return self._results > FILES_FROM

    def json_chunks(self, selection: Selection | None = None, size: int = 2000) -> Iterator[str]:
        # Spark's JSON writer (Jackson) writes a control character's escape in capitals,
        # `\u001B`; pydantic and the DuckDB engine in small letters
        for chunk in super().json_chunks(selection, size):
            yield _ESCAPE.sub(lambda m: m.group(1) + m.group(2).lower(), chunk)

    def _chunks(self, query: exp.Select, separator: str, size: int) -> Iterator[str]:
        frame = self.spark.sql(render(query))
        rows = (
            _written(frame)
            if self._through_files()
            else (row[0] for row in frame.toLocalIterator(prefetchPartitions=False))
        )
        batch: list[str] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= size:
                yield separator.join(batch)
                batch = []
        if batch:
            yield separator.join(batch)

    def tally(self) -> Tally:
        tally = Tally()
        rows = self.spark.sql(
            "SELECT r.status, x.severity, count(*) FROM results r JOIN rules x "
            "ON x.rule = r.rule GROUP BY r.status, x.severity"
        ).collect()
        for status, severity, count in rows:
            tally.by_status[status] += count
            tally.results += count
            if status == "overdue" and severity == "must":
                tally.must_overdue += count
        tally.units = {
            row[0] for row in self.spark.sql("SELECT DISTINCT unit FROM results").collect()
        }
        return tally

    def write_parquet(
        self,
        path: str | os.PathLike[str],
        selection: Selection | None,
        policy: str,
        as_of: dt.datetime,
    ) -> None:
        """The results as a folder of Parquet files, written whole or not at all."""
        columns = parquet_columns("r", "x")
        query = self._query(columns[0], selection)
        query.set("expressions", columns)
        frame = self.spark.sql(render(query))
        metadata = {
            "policy": policy,
            "as_of": as_of.isoformat(),
            "written_by": f"policyrules {__version__}",
        }
        target = str(path)
        if not _is_local(target):
            frame.write.mode("errorifexists").parquet(target)
            return
        final = Path(urlparse(target).path if target.startswith("file:") else target)
        part = Path(tempfile.mkdtemp(dir=final.parent, prefix=f".{final.name}.", suffix=".part"))
        try:
            shutil.rmtree(part)
            frame.write.parquet(str(part))
            (part / "_policyrules.json").write_text(json.dumps(metadata, ensure_ascii=False) + "\n")
            if final.is_dir():
                shutil.rmtree(final)
            elif final.exists():
                final.unlink()
            os.replace(part, final)
        except BaseException:
            shutil.rmtree(part, ignore_errors=True)
            raise


def _written(frame: Any) -> Iterator[str]:
    """The one text column of an ordered frame, handed back through files (local mode: the
    driver reads what the executors write). A task's result handed back whole through the
    driver's block manager was lost now and then under load at a million results
    (`TaskResultLost`); files written by the tasks are not. As JSON Lines, so that any text
    comes back as it was; the part files are in the frame's order by their names."""
    folder = Path(tempfile.mkdtemp(prefix="policyrules-spark-out-"))
    try:
        frame.toDF("t").write.mode("overwrite").json(str(folder / "rows"))
        for part in sorted((folder / "rows").glob("part-*")):
            with part.open(encoding="utf-8") as lines:
                for line in lines:
                    yield json.loads(line).get("t", "")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _is_local(target: str) -> bool:
    scheme = urlparse(target).scheme
    return scheme in ("", "file") or len(scheme) == 1  # `C:` on Windows


_ = Any
