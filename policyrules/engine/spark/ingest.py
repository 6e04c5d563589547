"""Events read where they lie: every file of the inputs read and validated by the reference
reader (:class:`policyrules.data.events.EventReader`) inside a Spark task.

Spark lists the files (a URI, a directory of part files, a glob) and hands each one's bytes
to a task (`binaryFile`), which reads its rows exactly as the reference reader reads a file
(:func:`policyrules.data.rows.read_stream`: its line numbers, blank lines, CSV headers and
quotes over lines, gzip, a BOM, Parquet by pyarrow) and types each accepted event as the
DuckDB store does (:meth:`Store._event_row`). The tasks give one wide table: each kind's
rows, the rejections and each file's count of rows. Only the rejections and the counts come
to the driver; the rows stay in Spark. Duplicate ids are found in Spark (the first accepted
row by input and line keeps the id), and so are the owners of joint events.

A file is the unit of work: a task reads one file whole (Spark's `binaryFile` holds files up
to 2 GiB), so the inputs are read in parallel file by file, as a cluster's part files are.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import os
import pickle
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from policyrules.data.events import EventReader
from policyrules.data.model import Event, InputCount, InputError, Rejection
from policyrules.data.rows import NamedRows, format_of, read_stream
from policyrules.diagnostics.messages import Message, msg
from policyrules.engine.spark.inputs import has_scheme
from policyrules.engine.spark.store import arrow_type, spark_type
from policyrules.engine.sql.ingest import CountedEvents
from policyrules.engine.sql.store import KindTable, Store
from policyrules.semantics import CheckedPolicy

if TYPE_CHECKING:  # pragma: no cover
    from pyspark.sql import DataFrame, SparkSession

    from policyrules.engine.spark.store import SparkStore

# what a row of the tasks' table is (`what`): a declared kind's index, or one of these
OTHER_KIND, REJECTED, COUNTED, UNREADABLE = -1, -2, -3, -4
#: the rows a task gives back in one Arrow batch
BATCH = 8192
#: the columns every row of the tasks' table has (then each kind's, `k{index}_{column}`)
CORE = {
    "what": "INTEGER",
    "src": "BIGINT",
    "line": "BIGINT",
    "id": "VARCHAR",
    "unit": "VARCHAR",
    "kind": "VARCHAR",
    "at": "TIMESTAMP",
    "day": "DATE",
    "timed": "BOOLEAN",
    "rows": "BIGINT",
    "blob": "BLOB",
    "sha256": "VARCHAR",
    "bytes": "BIGINT",
}
_EVENT_CORE = ("id", "unit", "at", "day", "timed", "src", "line")


@dataclass(frozen=True)
class Input:
    """One file Spark reads: its place in the inputs, the name messages give it, its format."""

    src: int
    name: str
    format: str


@dataclass(frozen=True)
class Job:
    """What a task needs to read files: the policy (its reader's rules) and each file."""

    policy: CheckedPolicy
    zone: Any
    files: dict[tuple[int, str], Input]  # by the source it was listed from, and its path
    kinds: dict[str, tuple[int, KindTable]]  # each declared kind's index and table
    columns: dict[str, str]  # the tasks' table, in DuckDB's words

    def arrow_schema(self) -> Any:
        import pyarrow as pa

        return pa.schema([(n, _arrow(t)) for n, t in self.columns.items()])


def _arrow(duckdb_type: str) -> Any:
    import pyarrow as pa

    return {"INTEGER": pa.int32(), "BLOB": pa.binary()}.get(duckdb_type) or arrow_type(
        duckdb_type
    )


def _spark(duckdb_type: str) -> str:
    return {"BLOB": "BINARY"}.get(duckdb_type) or spark_type(duckdb_type)


class _Typer(Store):
    """A store of no tables: the zone is all that typing an event's row needs, and the
    rows are typed by the store's own code (:meth:`Store._event_row`)."""

    def __init__(self, zone: Any) -> None:
        self.zone = zone

    def row(self, event: Event, table: KindTable, src: int) -> dict[str, Any]:
        return self._event_row(event, table, src)


class _Rows:
    """The rows a task gives back, by column, as Arrow batches of :data:`BATCH` rows."""

    def __init__(self, job: Job) -> None:
        self.schema = job.arrow_schema()
        self.names = list(job.columns)
        self.empty()

    def empty(self) -> None:
        self.data: dict[str, list[Any]] = {n: [] for n in self.names}
        self.size = 0

    def add(self, values: dict[str, Any]) -> None:
        for name, column in self.data.items():
            column.append(values.get(name))
        self.size += 1

    def batch(self) -> Any:
        import pyarrow as pa

        out = pa.RecordBatch.from_pydict(self.data, schema=self.schema)
        self.empty()
        return out


def read_files(job: Job, batches: Iterator[Any]) -> Iterator[Any]:
    """A task's files (rows of `path`, `content`), each read by the reference reader."""
    reader = EventReader(job.policy)
    typer = _Typer(job.zone)
    out = _Rows(job)
    for batch in batches:
        for given, path, content in zip(
            batch.column("given").to_pylist(), batch.column("path").to_pylist(),
            batch.column("content").to_pylist(), strict=True
        ):
            _read_safely(job.files[given, path], content, reader, typer, job, out)
            if out.size >= BATCH:
                yield out.batch()
    if out.size:
        yield out.batch()


def _read_empty(job: Job, files: list[Input]) -> list[tuple[Any, ...]]:
    """The (what, src, rows, blob, bytes, sha256) of files of no bytes, which Spark does not
    list: read here, as the reference reader reads them (a CSV file of no header is an
    error)."""
    out = _Rows(job)
    reader, typer = EventReader(job.policy), _Typer(job.zone)
    for found in files:
        _read_safely(found, b"", reader, typer, job, out)
    data = out.data
    return list(zip(data["what"], data["src"], data["rows"], data["blob"], data["bytes"],
                    data["sha256"], strict=True))


def _read_safely(
    found: Input, content: bytes, reader: EventReader, typer: _Typer, job: Job, out: _Rows
) -> None:
    try:
        _read_file(found, content, reader, typer, job, out)
    except InputError as error:
        out.add({"what": UNREADABLE, "src": found.src, "blob": pickle.dumps(error.message)})


def _read_file(
    found: Input, content: bytes, reader: EventReader, typer: _Typer, job: Job, out: _Rows
) -> None:
    rows = 0
    src, name = found.src, found.name
    for line, row in read_stream(io.BytesIO(content), found.format, name):
        rows += 1
        result = (Rejection(name, line, None, row) if isinstance(row, str)
                  else reader.read(row, line, name))
        if isinstance(result, Rejection):
            out.add({"what": REJECTED, "src": src, "line": line, "blob": pickle.dumps(result)})
            continue
        known = job.kinds.get(result.kind)
        if known is None:  # a kind the policy does not declare: counted, not kept
            out.add({"what": OTHER_KIND, "src": src, "line": line, "id": result.id,
                     "unit": result.unit, "kind": result.kind})
            continue
        index, table = known
        typed = typer.row(result, table, src)
        values = {c: typed[c] for c in _EVENT_CORE}
        for column in table.columns.values():
            values[f"k{index}_{column}"] = typed[column]
        values["what"], values["kind"] = index, result.kind
        out.add(values)
    # its hash and size for the report's provenance: the bytes are here, and the driver may
    # not be able to read them
    out.add({"what": COUNTED, "src": src, "rows": rows, "bytes": len(content),
             "sha256": hashlib.sha256(content).hexdigest()})


# ---------------------------------------------------------------------- the driver's part


class SparkIngest:
    """Reads event inputs with Spark into a :class:`SparkStore`'s kind views."""

    def __init__(self, store: SparkStore, reader: EventReader) -> None:
        self.store, self.reader = store, reader
        self.spark: SparkSession = store.spark
        self.names: list[str] = []
        self.rejected: list[tuple[int, int, Rejection]] = []  # (src, line, rejection)
        self.held: list[DataFrame] = []  # what reading made and holds until it is done

    def read(self, sources: Sequence[str | os.PathLike[str]], format: str | None) -> CountedEvents:
        from pyspark.sql import functions as F

        out = CountedEvents(declared=self.reader.declared, read=self.reader.read_kinds)
        files: dict[tuple[int, str], Input] = {}
        frames, empty = [], []
        for given, source in enumerate(os.fspath(s) for s in sources):
            frame, paths, nothing = listed(self.spark, source)
            every = sorted(paths + nothing)
            for path in every:
                name = shown(self.spark, source, path, len(every))
                files[given, path] = Input(len(self.names), name, format or format_of(name))
                self.names.append(name)
                out.inputs.append(InputCount(name, "event"))
            frames.append(frame.select(F.lit(given).alias("given"), "path", "content"))
            empty += [files[given, path] for path in nothing]
        kinds = {k: (n, t) for n, (k, t) in enumerate(self.store.kinds.items())}
        columns = dict(CORE)
        for index, table in kinds.values():
            for column, t in self.store.event_columns(table).items():
                if column not in _EVENT_CORE:
                    columns[f"k{index}_{column}"] = t
        job = Job(self.reader.policy, self.store.zone, files, kinds, columns)
        try:
            read = self._run(frames, job)
            small = read.where(F.col("what") < OTHER_KIND).select(
                "what", "src", "rows", "blob", "bytes", "sha256")
            self._small([*small.collect(), *_read_empty(job, empty)], out)
            kept = self._duplicates(read, out)
            self._count(kept, out)
            self._tables(kept, kinds, out)
        finally:
            for frame in self.held:
                frame.unpersist()
        self.rejected.sort(key=lambda item: (item[0], item[1]))
        out.rejected = [r for _, _, r in self.rejected]
        return out

    def _run(self, frames: list[DataFrame], job: Job) -> DataFrame:
        """The tasks' table, made once: every file read."""
        frame = functools.reduce(lambda a, b: a.unionAll(b), frames)
        schema = ", ".join(f"`{n}` {_spark(t)}" for n, t in job.columns.items())
        mapped = frame.mapInArrow(functools.partial(read_files, job), schema)
        try:
            with _settings(self.spark, READING):
                return self._held(mapped)
        except Exception as error:
            why = executor_error(error)
            if why is not None:
                raise why from None
            raise

    def _small(self, rows: list[Any], out: CountedEvents) -> None:
        """The rejections, the files that cannot be read and each file's rows."""
        unreadable: list[tuple[int, Message]] = []
        for what, src, count, blob, size, digest in rows:
            if what == REJECTED:
                rejection: Rejection = pickle.loads(blob)
                self.rejected.append((src, rejection.line, rejection))
                out.inputs[src].rejected += 1
            elif what == COUNTED:
                found = out.inputs[src]
                found.rows, found.bytes, found.sha256 = count, size, digest
            else:
                unreadable.append((src, pickle.loads(blob)))
        if unreadable:  # the first input that cannot be read, as the reference reader stops
            raise InputError(min(unreadable, key=lambda u: u[0])[1])
        out.rows = sum(i.rows for i in out.inputs)

    def _duplicates(self, read: DataFrame, out: CountedEvents) -> DataFrame:
        """The accepted rows but the second and later of an id, which are rejected."""
        from pyspark.sql import Window
        from pyspark.sql import functions as F

        accepted = read.where(F.col("what") >= OTHER_KIND)
        repeated = accepted.groupBy("id").count().where(F.col("count") > 1).select("id")
        order = Window.partitionBy("id").orderBy("src", "line")
        numbered = (
            accepted.join(repeated, "id", "left_semi")
            .select("id", "src", "line")
            .withColumn("n", F.row_number().over(order))
        )
        first = numbered.where(F.col("n") == 1).select(
            "id", F.col("src").alias("fsrc"), F.col("line").alias("fline"))
        later = numbered.where(F.col("n") > 1).join(first, "id")
        found = later.select("src", "line", "id", "fsrc", "fline").collect()
        for src, line, ident, fsrc, fline in found:
            name, first_name = self.names[src], self.names[fsrc]
            reason: Message = msg("duplicate event id `{id}`", id=ident)
            if first_name != name:
                reason = msg("duplicate event id `{id}` (the first is {source}:{line})",
                             id=ident, source=first_name, line=fline)
            self.rejected.append((src, line, Rejection(name, line, ident, reason)))
            out.inputs[src].rejected += 1
        if not found:
            return accepted
        gone = self.spark.createDataFrame([(s, n) for s, n, *_ in found], "src BIGINT, line BIGINT")
        return self._held(accepted.join(F.broadcast(gone), ["src", "line"], "left_anti"))

    def _held(self, frame: DataFrame) -> DataFrame:
        """`frame` computed now and held until the kind views are made from it, then let go
        (:meth:`read`): the events are then held once, by kind, not twice."""
        from pyspark import StorageLevel

        frame = frame.persist(StorageLevel.MEMORY_AND_DISK)
        frame.count()
        self.held.append(frame)
        return frame

    def _tables(
        self, kept: DataFrame, kinds: dict[str, tuple[int, KindTable]], out: CountedEvents
    ) -> None:
        """Each declared kind's view, and the owners of its joint events (a kind of no
        events an empty table: no job for it)."""
        from pyspark.sql import functions as F

        for name, (index, table) in kinds.items():
            order = self.store.event_columns(table)
            if not out.kinds.get(name):
                self.store.load_rows(table.table, order, [])
                if table.owners is not None:
                    self.store.load_rows(table.owners, {"owner": "VARCHAR", "id": "VARCHAR"}, [])
                continue
            columns = [F.col(c) for c in _EVENT_CORE] + [
                F.col(f"k{index}_{c}").alias(c) for c in table.columns.values()
            ]
            frame = kept.where(F.col("what") == index).select(*columns).select(*order)
            self.store.view(table.table, frame)
            if table.owners is not None:
                members = table.columns[table.kind.counts_for or ""]
                owners = self.spark.sql(
                    f"SELECT DISTINCT owner, id FROM (SELECT unit AS owner, id FROM {table.table}"
                    f" UNION ALL SELECT CAST(m AS STRING) AS owner, id FROM {table.table}"
                    f" LATERAL VIEW explode({members}) AS m)"
                )
                self.store.view(table.owners, owners)
        self.store.in_spark = True

    def _count(self, kept: DataFrame, out: CountedEvents) -> None:
        """The accepted rows by kind, by unit and by input, in one reading of the rows."""
        kept.createOrReplaceTempView("accepted_rows")
        found = self.spark.sql(
            "SELECT grouping(kind), grouping(unit), kind, unit, src, count(*) FROM accepted_rows"
            " GROUP BY GROUPING SETS ((kind), (unit), (src))"
        ).collect()
        for no_kind, no_unit, kind, unit, src, n in found:
            if not no_kind:
                out.kinds[kind] = n
            elif not no_unit:
                out.by_unit[unit] = n
            else:
                out.inputs[src].accepted = n
        out.accepted_rows = sum(out.kinds.values())
        self.spark.catalog.dropTempView("accepted_rows")


#: while the files are read: one file per Arrow batch (a task holds one file's bytes at a
#: time), and a file's opening reckoned as costly as a split's bytes, so that Spark gives
#: each file a task of its own instead of packing small files into one (the reading is
#: Python's, and a task is one core's)
READING = {
    "spark.sql.execution.arrow.maxRecordsPerBatch": "1",
    "spark.sql.files.openCostInBytes": str(1 << 40),
}


@contextlib.contextmanager
def _settings(spark: SparkSession, settings: dict[str, str]) -> Iterator[None]:
    """`settings` in the session while the block runs, then what they were."""
    before = {key: spark.conf.get(key, None) for key in settings}
    for key, value in settings.items():
        spark.conf.set(key, value)
    try:
        yield
    finally:
        for key, value in before.items():
            if value is None:
                spark.conf.unset(key)
            else:
                spark.conf.set(key, value)


def executor_error(error: Exception) -> InputError | None:
    """What a failed read says when the executors' Python cannot import policyrules (the
    tasks run :func:`read_files`, which is policyrules' code), or None."""
    if "No module named 'policyrules" in str(error):
        return InputError(msg(
            "the Spark executors cannot import policyrules: install it on every node, or give"
            " spark-submit a wheel with --py-files (see docs/scaling.md)"
        ))
    return None


def listed(spark: SparkSession, source: str) -> tuple[DataFrame, list[str], list[str]]:
    """The frame of the bytes of the files of `source` (in every folder under a directory),
    the paths of those files, and those of its files of no bytes (Spark lists them not)."""
    try:
        frame = (
            spark.read.format("binaryFile")
            .option("recursiveFileLookup", "true")
            .load(source)
            .select("path", "content")
        )
        paths = [r[0] for r in frame.select("path").collect()]
    except Exception as error:
        if type(error).__name__ != "AnalysisException":
            raise
        raise InputError(
            msg("`{path}`: no such file or directory (where Spark looks)", path=source)
        ) from None
    empty = _empty_files(spark, source)
    if not paths and not empty:
        raise InputError(msg("`{path}`: no files there (names that start with `_` or `.` are"
                             " skipped, as Spark skips them)", path=source))
    return frame, paths, empty


def _empty_files(spark: SparkSession, source: str) -> list[str]:
    """The files of no bytes of `source`, skipping those Spark skips (a name, or a folder's
    under it, that starts with `_` or `.`)."""
    jvm: Any = spark.sparkContext._jvm
    root = jvm.org.apache.hadoop.fs.Path(source)
    system = root.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    out = []
    for status in system.globStatus(root) or []:
        top = status.getPath().toString().rstrip("/")
        if not status.isDirectory():
            if status.getLen() == 0:
                out.append(status.getPath().toString())
            continue
        found = system.listFiles(status.getPath(), True)
        while found.hasNext():
            file = found.next()
            path = file.getPath().toString()
            hidden = any(p[:1] in "_." for p in path[len(top):].split("/") if p)
            if file.getLen() == 0 and not hidden:
                out.append(path)
    return out


def shown(spark: SparkSession, source: str, path: str, files: int) -> str:
    """How messages name a file Spark reads: a source that is one file as it was given; a
    file of a directory or a glob by its path as Spark lists it, without the `file:` of a
    local one not given as a URI."""
    if files == 1 and _is_file(spark, source):
        return source
    if not has_scheme(source) and path.startswith("file:"):
        return path[len("file:"):]
    return path


def _is_file(spark: SparkSession, source: str) -> bool:
    jvm: Any = spark.sparkContext._jvm
    path = jvm.org.apache.hadoop.fs.Path(source)
    try:
        system = path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
        return bool(system.getFileStatus(path).isFile())
    except Exception:  # not there as such (a glob): named by its files' paths
        return False


def fetched(
    spark: SparkSession, source: str, format: str | None, header: Collection[str]
) -> list[NamedRows]:
    """The rows of the (small) files of `source`, their bytes fetched to this process and
    read by the reference reader (units: a few hundred thousand rows at a city's size)."""
    frame, paths, empty = listed(spark, source)
    contents = dict(frame.collect())
    every = sorted(paths + empty)
    out = []
    for path in every:
        name = shown(spark, source, path, len(every))
        stream = io.BytesIO(contents.get(path, b""))
        out.append(NamedRows(name, list(read_stream(stream, format or format_of(name), name,
                                                    header=header))))
    return out
