"""Events read by DuckDB straight from their files, with the reference reader's rejections.

The database reads every row and decides, by the accepted forms of docs/data.md
(:mod:`.accept`), which rows are *plainly* good; those go to the kind tables without
becoming Python objects. Any other row — a value of another form, a missing or malformed
field, a line that is not plain JSON — is *doubtful*: it is handed, as the file gave it, to
the reference reader (:class:`policyrules.data.events.EventReader`), which accepts it with
its values or rejects it with its line and reason. So the rules and the reasons are the
reference reader's, and the database only takes a shortcut it can prove right. A duplicate
id (the first accepted row keeps it) is rejected as the reference reader rejects it.

A file the database cannot read line for line as the reference reader does — not UTF-8,
with a lone carriage return, a NUL or a 0x01 byte, a JSON array, a CSV whose quoted cells
span lines, the standard input — is read by the reference reader whole (docs/performance.md
says what that costs).
"""

from __future__ import annotations

import codecs
import gzip
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import duckdb
from sqlglot import exp

from policyrules.data.csvrows import CELL_LIMIT, csv_rows
from policyrules.data.events import EventReader, read_events
from policyrules.data.model import (
    CORE_FIELDS,
    Event,
    EventSet,
    InputCount,
    InputError,
    Rejection,
)
from policyrules.data.rows import LINE_LIMIT, STDIN, NamedRows, format_of, json_row
from policyrules.diagnostics.messages import Message, msg
from policyrules.engine.sql import sqlx as q
from policyrules.engine.sql.accept import SPACES, Rules
from policyrules.engine.sql.plain import LINE, PlainRows
from policyrules.engine.sql.store import Store

E = exp.Expr

_CHUNK = 8 * 1024 * 1024
_GZIP = b"\x1f\x8b"
# what Python's str.strip() removes: a line of only these is blank
_BLANK = f"[ {SPACES}]*"


@dataclass
class CountedEvents(EventSet):
    """Accepted events held by the columnar engine's tables: counted here, not listed.
    `events` holds none; :meth:`accepted` and :meth:`units_named` say what it would."""

    accepted_rows: int = 0
    by_unit: Counter[str] = field(default_factory=Counter)

    def accepted(self) -> int:
        return self.accepted_rows

    def units_named(self) -> Counter[str]:
        return self.by_unit


@dataclass(frozen=True)
class Lines:
    """How the database reads a text file line by line: its line ends and compression."""

    newline: str  # "\n" or "\r\n"
    gzipped: bool
    lines: int  # how many the file has
    ends: bool  # whether the last ends with a newline


class Ingest:
    """Reads event files into a :class:`Store`'s kind tables."""

    def __init__(self, store: Store, reader: EventReader) -> None:
        self.store, self.reader = store, reader
        self.policy = reader.policy
        self.con = store.con
        self.plain = PlainRows(store, Rules(tuple(self.policy.definitions.festivals)))
        self._names: list[str] = []
        self._rejected: list[tuple[int, int, Rejection]] = []  # (src, line, rejection)
        self.whole: list[str] = []  # the inputs the reference reader read whole
        self.doubtful = 0  # rows of the other inputs the reference reader decided

    def _create(self, name: str, select: exp.Select) -> None:
        self.con.execute(
            f'CREATE OR REPLACE TEMP TABLE "{name}" AS ' + select.sql("duckdb", copy=False)
        )

    # ------------------------------------------------------------------ the inputs

    def read(self, sources: Sequence[str | os.PathLike[str]], format: str | None) -> CountedEvents:
        out = CountedEvents(declared=self.reader.declared, read=self.reader.read_kinds)
        self.store.create_events()
        for src, source in enumerate(sources):
            path = str(source)
            name = "<stdin>" if path == STDIN else path
            self._names.append(name)
            count = InputCount(name, "event")
            out.inputs.append(count)
            chosen = format or format_of(path)
            lines = self._lines_of(path, chosen)
            if chosen == "parquet" and path != STDIN:
                self._parquet(src, path, count, out)
            elif lines is not None and chosen in ("jsonl", "json"):
                self._jsonl(src, path, lines, count, out)
            elif lines is not None and chosen == "csv":
                self._csv(src, path, lines, count, out)
            else:
                self._whole(src, path, chosen, count, out)
            out.rows += count.rows
        # the owners of joint events are made from the events that stay: a rejected
        # duplicate's units must not lend its id to the accepted one
        self._duplicates(out)
        self.store.finish_events()
        self._count(out)
        self._forget()
        self._rejected.sort(key=lambda item: (item[0], item[1]))
        out.rejected = [r for _, _, r in self._rejected]
        return out

    def _whole(self, src: int, path: str, format: str, count: InputCount, out: EventSet) -> None:
        """An input the reference reader reads, row by row as always."""
        self.whole.append(self._names[src])
        read = read_events(self.policy, path, self.reader, format=format)
        count.rows, count.rejected = read.rows, len(read.rejected)
        self._rejected.extend((src, r.line, r) for r in read.rejected)
        self._python(src, read.events)

    def _python(self, src: int, events: list[Event]) -> None:
        """Events the reference reader accepted: into the kind tables, and the keys of those
        of kinds no declaration names (the kind tables hold the others' keys)."""
        self.store.append_events(events, src)
        table = f"acc_py{src}_{len(self.plain.others)}"
        self.store.load_rows(
            table,
            {
                "src": "BIGINT",
                "line": "BIGINT",
                "id": "VARCHAR",
                "kind": "VARCHAR",
                "unit": "VARCHAR",
            },
            (
                {"src": src, "line": e.line, "id": e.id, "kind": e.kind, "unit": e.unit}
                for e in events
                if e.kind not in self.store.kinds
            ),
        )
        self.plain.others.append(table)

    def _decide(
        self, src: int, line: int, row: Any, count: InputCount, out: EventSet, taken: list[Event]
    ) -> None:
        """A doubtful row: the reference reader's decision."""
        count.rows += 1
        self.doubtful += 1
        name = self._names[src]
        result = (
            Rejection(name, line, None, row)
            if isinstance(row, str)
            else self.reader.read(row, line, name)
        )
        if isinstance(result, Rejection):
            self._rejected.append((src, line, result))
            count.rejected += 1
        else:
            taken.append(result)

    # ------------------------------------------------------------------ text files

    def _lines_of(self, path: str, format: str) -> Lines | None:
        """How the database can read `path` line by line as the reference reader does, or
        None (the reference reader reads it whole)."""
        if path == STDIN or format == "parquet":
            return None
        try:
            if not Path(path).is_file():
                return None
            with open(path, "rb") as raw:
                gzipped = raw.read(2) == _GZIP
            if gzipped:
                with gzip.open(path, "rb") as unpacked:
                    return _scan(unpacked, gzipped, format)
            with open(path, "rb") as stream:
                return _scan(stream, gzipped, format)
        except (OSError, EOFError, gzip.BadGzipFile):
            return None  # the reference reader says what is wrong with it

    def _read_lines(self, src: int, path: str, lines: Lines) -> str | None:
        """The table of the file's lines, `rowid` + 1 being the line number; None when the
        database reads it otherwise than line by line."""
        table = f"lines{src}"
        newline = "\\n" if lines.newline == "\n" else "\\r\\n"
        compression = "gzip" if lines.gzipped else "none"
        try:
            self.con.execute(
                f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT text FROM read_csv(?, "
                f"columns={{'text': 'VARCHAR'}}, header=false, delim='\x01', quote='', "
                f"escape='', auto_detect=false, strict_mode=false, new_line='{newline}', "
                f"compression='{compression}', max_line_size={LINE_LIMIT + 1})",
                [path],
            )
        except duckdb.Error:
            return None
        return table

    def _jsonl(self, src: int, path: str, lines: Lines, count: InputCount, out: EventSet) -> None:
        table = self._read_lines(src, path, lines)
        if table is None:
            self._whole(src, path, "jsonl", count, out)
            return
        text = q.col("text")
        rows = f"rows{src}"
        fields = self.plain.field_names()
        keys = q.func("json_keys", text)
        # json_type and json_keys fail on text that is not JSON: only asked of JSON
        plain_line = q.case(
            [
                (
                    q.func("json_valid", text),
                    q.and_(
                        q.eq(q.func("json_type", text), q.lit("OBJECT")),
                        exp.LTE(this=q.func("length", text), expression=q.lit(4000)),
                        q.not_(_contains(text, "NaN|Infinity|,[ \t\r\n]*[]}]")),
                        q.eq(_occurrences(text, "{"), q.lit(1)),
                        exp.LTE(this=_occurrences(text, "["), expression=q.lit(64)),
                    ),
                )
            ],
            exp.false(),
        )
        self._create(
            "parsed",
            q.select(
                q.alias(exp.Add(this=exp.column("rowid"), expression=q.lit(1)), LINE),
                text,
                q.alias(plain_line, "ok"),
            )
            .from_(q.table(table), copy=False)
            .where(q.not_(_blank(text)), copy=False),
        )
        # the fields, parsed once, of the plain JSON objects that have no key twice
        self._create(
            rows,
            q.select(
                q.col(LINE),
                q.alias(q.func("json_extract", text, q.lit([_pointer(f) for f in fields])), "p"),
            )
            .from_(q.table("parsed"), copy=False)
            .where(
                q.and_(
                    q.col("ok"),
                    q.eq(q.func("len", keys), q.func("len", q.func("list_distinct", keys))),
                ),
                copy=False,
            ),
        )
        position = {f: n + 1 for n, f in enumerate(fields)}

        def value(name: str) -> tuple[E, str] | None:
            return q.func("list_extract", q.col("p"), q.lit(position[name])), "json"

        count.rows += self.plain.take(src, rows, value)
        doubtful = self.con.execute(
            f"SELECT {LINE}, text FROM parsed WHERE {LINE} NOT IN (SELECT line FROM acc{src}) "
            f"ORDER BY {LINE}"
        ).fetchall()
        taken: list[Event] = []
        for line, raw in doubtful:
            # the line as the reference reader has it, with its end (a reason may say where
            # in it JSON breaks off)
            end = lines.newline if line < lines.lines or lines.ends else ""
            self._decide(src, line, json_row(raw + end), count, out, taken)
        self._python(src, taken)
        self.con.execute(f"DROP TABLE {table}; DROP TABLE parsed; DROP TABLE {rows}")

    def _csv(self, src: int, path: str, lines: Lines, count: InputCount, out: EventSet) -> None:
        table = self._read_lines(src, path, lines)
        if table is None:
            self._whole(src, path, "csv", count, out)
            return
        head = self.con.execute(
            f"SELECT rowid + 1, text FROM {table} WHERE text IS NOT NULL ORDER BY rowid LIMIT 1"
        ).fetchone()
        odd = self.con.execute(
            f"SELECT count(*) FROM {table} WHERE (length(text) - length(replace(text, '\"', "
            "''))) % 2 = 1"
        ).fetchone()
        if head is None or (odd is not None and odd[0] > 0):
            # a quoted cell that spans lines, or quotes the reference reader groups itself
            self.con.execute(f"DROP TABLE {table}")
            self._whole(src, path, "csv", count, out)
            return
        header_line, header_text = head
        columns = _header(header_text, header_line, self._names[src])
        text = q.col("text")
        cells = q.func("string_split", text, q.lit(","))
        rows = f"rows{src}"
        plain_line = q.and_(
            q.not_(_contains(text, '"')),
            exp.LTE(this=q.func("len", cells), expression=q.lit(len(columns))),
            exp.LTE(this=q.func("length", text), expression=q.lit(CELL_LIMIT)),
        )
        line = exp.Add(this=exp.column("rowid"), expression=q.lit(1))
        self._create(
            "parsed",
            q.select(q.alias(line, LINE), text, q.alias(plain_line, "ok"))
            .from_(q.table(table), copy=False)
            .where(
                q.and_(q.is_not_null(text), exp.GT(this=line, expression=q.lit(header_line))),
                copy=False,
            ),
        )
        self._create(
            rows,
            q.select(q.col(LINE), q.alias(cells, "p"))
            .from_(q.table("parsed"), copy=False)
            .where(q.col("ok"), copy=False),
        )
        index = {c: n + 1 for n, c in enumerate(columns) if c}

        def value(name: str) -> tuple[E, str] | None:
            if name not in index:
                return None
            return q.func("list_extract", q.col("p"), q.lit(index[name])), "VARCHAR"

        count.rows += self.plain.take(src, rows, value)
        doubtful = self.con.execute(
            f"SELECT {LINE}, text FROM parsed WHERE {LINE} NOT IN (SELECT line FROM acc{src}) "
            f"ORDER BY {LINE}"
        ).fetchall()
        taken: list[Event] = []
        name = self._names[src]
        for line, raw in doubtful:
            raw += lines.newline if line < lines.lines or lines.ends else ""
            for number, row in csv_rows(
                iter([(header_line, header_text), (line, raw)]), name, CORE_FIELDS
            ):
                self._decide(src, number, row, count, out, taken)
        self._python(src, taken)
        self.con.execute(f"DROP TABLE {table}; DROP TABLE parsed; DROP TABLE {rows}")

    # ------------------------------------------------------------------ parquet

    def _parquet(self, src: int, path: str, count: InputCount, out: EventSet) -> None:
        # a view, not a copy: the file is scanned once for the plain rows, and again only
        # when some row is doubtful
        raw = f"raw{src}"
        literal = path.replace("'", "''")
        try:
            self.con.execute(
                f"CREATE OR REPLACE TEMP VIEW {raw} AS SELECT file_row_number + 1 AS {LINE}, "
                f"* EXCLUDE (file_row_number) FROM read_parquet('{literal}', "
                "file_row_number = true)"
            )
            types = {
                n: t for n, t, *_ in self.con.execute(f"DESCRIBE {raw}").fetchall() if n != LINE
            }
            found = self.con.execute(f"SELECT count(*) FROM {raw}").fetchone()
        except duckdb.Error as error:
            problem = str(error).splitlines()[0] if str(error) else type(error).__name__
            self.con.execute(f"DROP VIEW IF EXISTS {raw}")
            raise InputError(
                msg("{path}: not a readable Parquet file ({problem})", path=path, problem=problem)
            ) from None
        total = found[0] if found else 0

        def value(name: str) -> tuple[E, str] | None:
            return (q.col(name), types[name]) if name in types else None

        plain = self.plain.take(src, raw, value)
        count.rows += plain
        taken: list[Event] = []
        if plain < total:
            # the lines not taken first, from the line numbers alone; then only their rows
            # are read whole (an anti join carrying every column took twice as long)
            self.con.execute(
                f"CREATE OR REPLACE TEMP TABLE doubtful{src} AS SELECT {LINE} FROM {raw} "
                f"ANTI JOIN acc{src} a ON a.line = {raw}.{LINE}"
            )
            doubtful = self.con.execute(
                f"SELECT * FROM {raw} SEMI JOIN doubtful{src} USING ({LINE}) ORDER BY {LINE}"
            )
            names = [d[0] for d in doubtful.description]
            for values in doubtful.fetchall():
                row = {k: v for k, v in zip(names, values, strict=True) if v is not None}
                line = row.pop(LINE)
                self._decide(src, line, row, count, out, taken)
            self.con.execute(f"DROP TABLE doubtful{src}")
        self._python(src, taken)
        self.con.execute(f"DROP VIEW {raw}")

    # ------------------------------------------------------------------ after reading

    def _duplicates(self, out: CountedEvents) -> None:
        """The second and later accepted rows with an id: rejected, and out of the tables
        (`accepted`, a view of the read keys, no longer shows them)."""
        self.con.execute(f"CREATE OR REPLACE TEMP VIEW accepted AS {self.plain.accepted()}")
        # the ids that may repeat, by their hashes (a hash of ten million ids groups in half
        # the time of the ids); only their rows are numbered and compared by id
        self.con.execute(
            "CREATE OR REPLACE TEMP TABLE id_repeats AS SELECT src, line, id, row_number() "
            "OVER (PARTITION BY id ORDER BY src, line) AS n FROM accepted WHERE hash(id) IN "
            "(SELECT hash(id) FROM accepted GROUP BY hash(id) HAVING count(*) > 1)"
        )
        found = self.con.execute(
            "SELECT d.src, d.line, d.id, f.src, f.line FROM id_repeats d JOIN id_repeats f "
            "ON f.id = d.id AND f.n = 1 WHERE d.n > 1 ORDER BY d.src, d.line"
        ).fetchall()
        if found:
            later = "SELECT src, line FROM id_repeats WHERE n > 1"
            tables = [t.table for t in self.store.kinds.values()] + self.plain.others
            for table in tables:
                self.con.execute(
                    f'DELETE FROM "{table}" t USING ({later}) a '
                    "WHERE t.src = a.src AND t.line = a.line"
                )
        self.con.execute("DROP TABLE id_repeats")
        for src, line, ident, first_src, first_line in found:
            reason: Message = msg("duplicate event id `{id}`", id=ident)
            if first_src != src:
                reason = msg(
                    "duplicate event id `{id}` (the first is {source}:{line})",
                    id=ident,
                    source=self._names[first_src],
                    line=first_line,
                )
            self._rejected.append((src, line, Rejection(self._names[src], line, ident, reason)))
            out.inputs[src].rejected += 1

    def _forget(self) -> None:
        """The accepted rows' keys, once counted (the kind tables hold the events)."""
        self.con.execute("DROP VIEW accepted")
        for view in self.plain.taken:
            self.con.execute(f"DROP VIEW {view}")
        for table in self.plain.others:
            self.con.execute(f"DROP TABLE {table}")

    def _count(self, out: CountedEvents) -> None:
        """The accepted rows by kind, by unit and by input, in one reading of the keys."""
        rows = self.con.execute(
            "SELECT grouping(kind), grouping(unit), kind, unit, src, count(*) FROM accepted "
            "GROUP BY GROUPING SETS ((kind), (unit), (src))"
        ).fetchall()
        for no_kind, no_unit, kind, unit, src, n in rows:
            if not no_kind:
                out.kinds[kind] = n
            elif not no_unit:
                out.by_unit[unit] = n
            else:
                out.inputs[src].accepted = n
        out.accepted_rows = sum(out.kinds.values())


# ---------------------------------------------------------------------- helpers


def parquet_rows(con: duckdb.DuckDBPyConnection, path: str) -> NamedRows:
    """The rows of a Parquet file, read by the database, as the reference reader takes rows
    (for units: the reference reader reads them, without needing pyarrow)."""
    try:
        cursor = con.execute("SELECT * FROM read_parquet(?)", [path])
    except duckdb.Error as error:
        problem = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise InputError(
            msg("{path}: not a readable Parquet file ({problem})", path=path, problem=problem)
        ) from None
    names = [d[0] for d in cursor.description]
    rows = [
        (n, {k: v for k, v in zip(names, values, strict=True) if v is not None})
        for n, values in enumerate(cursor.fetchall(), start=1)
    ]
    return NamedRows(path, rows)


def _scan(stream: IO[bytes] | gzip.GzipFile, gzipped: bool, format: str) -> Lines | None:
    """Whether the database may read the lines of `stream` (see the module's docstring)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    cr = crlf = lf = 0
    last = b""
    first = True
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            break
        if first:
            first = False
            head = chunk.removeprefix(b"\xef\xbb\xbf").lstrip()
            if format == "json" and head.startswith(b"["):
                return None  # a JSON array
        if b"\x00" in chunk or b"\x01" in chunk:
            return None
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError:
            return None
        joined = last + chunk
        cr += chunk.count(b"\r")
        lf += chunk.count(b"\n")
        crlf += joined.count(b"\r\n") - last.count(b"\r\n")
        last = chunk[-1:]
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return None
    ends = last == b"\n"
    lines = lf + (0 if ends or first else 1)
    if cr == 0:
        return Lines("\n", gzipped, lines, ends)
    if cr == crlf == lf:
        return Lines("\r\n", gzipped, lines, ends)
    return None


def _header(text: str, line: int, name: str) -> list[str]:
    """The columns of a CSV header line, checked by the reference reader's rules."""
    import csv

    for _ in csv_rows(iter([(line, text)]), name, CORE_FIELDS):
        pass  # raises InputError for a header the reference reader refuses
    return next(csv.reader([text], strict=True))


def _pointer(name: str) -> str:
    """A JSON pointer to a top-level key."""
    return "/" + name.replace("~", "~0").replace("/", "~1")


def _contains(value: E, pattern: str) -> E:
    return q.func("regexp_matches", value, q.lit(pattern))


def _occurrences(value: E, char: str) -> E:
    return exp.Sub(
        this=q.func("length", value),
        expression=q.func("length", q.func("replace", value, q.lit(char), q.lit(""))),
    )


def _blank(value: E) -> E:
    return q.or_(q.is_null(value), q.func("regexp_full_match", value, q.lit(_BLANK)))
