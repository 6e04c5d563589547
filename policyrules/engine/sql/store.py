"""The columnar engine's tables: one per event kind, with typed attribute columns, the units
and their facts over time, and the small tables the calendar work makes.

Times are the policy's local wall time (`TIMESTAMP` without a zone): the reference engine
compares aware times in the policy's zone, and for a zone without daylight saving (every
notice's `Asia/Shanghai`) local wall time orders the same. Columns are named by position
(`a0`, `f3` …) so that no attribute name — Chinese, or a word SQL reserves — needs care.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
from sqlglot import exp

from policyrules.data.events import Event, UnitSet
from policyrules.semantics import CheckedPolicy, EventKind
from policyrules.semantics import types as T

FAR_PAST = dt.date(1, 1, 1)
FAR_FUTURE = dt.date(9999, 12, 31)


def sql_type(t: T.Type) -> str:
    """The DuckDB type of a value of the language."""
    match t.kind:
        case T.Kind.INT:
            return "BIGINT"
        case T.Kind.NUMBER | T.Kind.RATIO:
            return "DOUBLE"
        case T.Kind.BOOL:
            return "BOOLEAN"
        case T.Kind.DATE:
            return "DATE"
        case T.Kind.DATETIME:
            return "TIMESTAMP"
        case T.Kind.LIST:
            assert t.item is not None
            return sql_type(t.item) + "[]"
    return "VARCHAR"


@dataclass(frozen=True)
class KindTable:
    """Where the events of one kind are: their table and the column of each attribute."""

    kind: EventKind
    table: str
    columns: Mapping[str, str]  # attribute → column
    owners: str | None  # the table of (owner, id) for a kind that `counts for` a list

    def column(self, attribute: str) -> str:
        if attribute in ("id", "unit", "at"):
            return attribute
        return self.columns[attribute]


class Store:
    """The tables of one evaluation in a DuckDB connection."""

    def __init__(
        self, con: duckdb.DuckDBPyConnection, policy: CheckedPolicy, zone: dt.tzinfo
    ) -> None:
        self.con = con
        self.policy = policy
        self.zone = zone
        #: the plan's views, and how many selects have read each (:meth:`prepare`)
        self.views: dict[str, int] = {}
        self._reads: dict[str, set[str]] = {}  # per view, the tables its select reads
        self.kinds: dict[str, KindTable] = {}
        for index, (name, kind) in enumerate(policy.definitions.events.items()):
            columns = {attr: f"a{n}" for n, attr in enumerate(kind.fields)}
            owners = f"own{index}" if kind.counts_for else None
            self.kinds[name] = KindTable(kind, f"ev{index}", columns, owners)
        self.facts = {name: f"f{n}" for n, name in enumerate(policy.definitions.unit_fields)}
        self._scratch = tempfile.mkdtemp(prefix="policyrules-")
        #: tables made the first time a query reads them (see :meth:`need`)
        self.on_demand: dict[str, Callable[[], None]] = {}

    def need(self, table: str) -> str:
        """`table`, made now if it is made on demand and not made yet."""
        make = self.on_demand.pop(table, None)
        if make is not None:
            make()
        return table

    # ------------------------------------------------------------------ events

    @property
    def ingest(self) -> Store:
        """The store event files are read and validated into (:mod:`.ingest`)."""
        return self

    def publish(self) -> None:
        """The events are all read: a store that holds them elsewhere takes them there."""

    def event_columns(self, table: KindTable) -> dict[str, str]:
        columns = {
            "id": "VARCHAR",
            "unit": "VARCHAR",
            "at": "TIMESTAMP",
            "day": "DATE",
            "timed": "BOOLEAN",
            "src": "BIGINT",
            "line": "BIGINT",
        }
        for attr, column in table.columns.items():
            columns[column] = sql_type(table.kind.fields[attr])
        return columns

    def load_events(self, events: Iterable[Event]) -> None:
        """Accepted events (read and validated by :mod:`policyrules.data`) into the kind
        tables."""
        self.create_events()
        self.append_events(events, 0)
        self.finish_events()

    def create_events(self) -> None:
        """The kind tables, empty."""
        for table in self.kinds.values():
            definition = ", ".join(f'"{c}" {t}' for c, t in self.event_columns(table).items())
            self.con.execute(f'CREATE OR REPLACE TABLE "{table.table}" ({definition})')

    def append_events(self, events: Iterable[Event], src: int) -> None:
        """Events read by the reference reader from input `src` into the kind tables."""
        by_kind: dict[str, list[Event]] = {}
        for event in events:
            if event.kind in self.kinds:
                by_kind.setdefault(event.kind, []).append(event)
        for name, listed in by_kind.items():
            table = self.kinds[name]
            columns = self.event_columns(table)
            self.load_rows("incoming", columns, (self._event_row(e, table, src) for e in listed))
            self.con.execute(f'INSERT INTO "{table.table}" SELECT * FROM incoming')
            self.con.execute("DROP TABLE incoming")

    def finish_events(self) -> None:
        """The tables made from the events once all are in (the owners of joint events)."""
        for table in self.kinds.values():
            self._load_owners(table)

    def _event_row(self, event: Event, table: KindTable, src: int) -> dict[str, Any]:
        row: dict[str, Any] = {
            "id": event.id,
            "unit": event.unit,
            "at": _local(event.at),
            "day": event.day,
            "timed": event.timed,
            "src": src,
            "line": event.line,
        }
        for attr, column in table.columns.items():
            row[column] = self.value(event.attributes.get(attr))
        return row

    def python_events(self, kinds: Iterable[str]) -> list[Event]:
        """The events of `kinds` as the reference engine takes them (for the rules the engine
        evaluates with it), in input order."""
        out: list[tuple[int, int, Event]] = []
        for name in kinds:
            table = self.kinds.get(name)
            if table is None:
                continue
            attrs = list(table.columns)
            selected = ", ".join(f'"{table.columns[a]}"' for a in attrs)
            cursor = self.con.execute(
                f'SELECT id, unit, "at", timed, src, line{", " if attrs else ""}{selected} '
                f'FROM "{table.table}"'
            )
            for row in cursor.fetchall():
                ident, unit, at, timed, src, line, *values = row
                attributes = {
                    a: self._python_value(v)
                    for a, v in zip(attrs, values, strict=True)
                    if v is not None
                }
                moment = at.replace(tzinfo=self.zone)
                out.append((src, line, Event(ident, unit, name, moment, attributes, timed, line)))
        out.sort(key=lambda item: (item[0], item[1]))
        return [event for _, _, event in out]

    def _python_value(self, value: Any) -> Any:
        if isinstance(value, dt.datetime):
            return value.replace(tzinfo=self.zone)
        if isinstance(value, list):
            return [self._python_value(v) for v in value]
        return value

    def day_range(self) -> tuple[dt.date, dt.date] | None:
        """The first and last day of an event of a declared kind, or of a date attribute of
        one (an `on PATTERN` may test either)."""
        selects = []
        for t in self.kinds.values():
            selects.append(f'SELECT min("day") AS lo, max("day") AS hi FROM "{t.table}"')
            for attr, column in t.columns.items():
                kind = t.kind.fields[attr].kind
                if kind in (T.Kind.DATE, T.Kind.DATETIME):
                    selects.append(
                        f'SELECT min(CAST("{column}" AS DATE)), max(CAST("{column}" AS DATE)) '
                        f'FROM "{t.table}"'
                    )
        parts = " UNION ALL ".join(selects)
        if not parts:
            return None
        found = self.con.execute(f"SELECT min(lo), max(hi) FROM ({parts})").fetchone()
        if found is None or found[0] is None:
            return None
        return found[0], found[1]

    def _load_owners(self, table: KindTable) -> None:
        if table.owners is None:
            return
        members = table.columns[table.kind.counts_for or ""]
        self.con.execute(
            f"CREATE OR REPLACE TABLE {table.owners} AS "
            f"SELECT DISTINCT owner, id FROM ("
            f"SELECT unit AS owner, id FROM {table.table} UNION ALL "
            f"SELECT CAST(UNNEST({members}) AS VARCHAR) AS owner, id FROM {table.table})"
        )

    # ------------------------------------------------------------------ units

    def load_units(self, units: UnitSet | None, unit_ids: Sequence[str]) -> None:
        """The units to check, in order (`ord`), and their facts: one row per version, in
        force from `vfrom` to the day before `vto`."""
        self.load_rows(
            "units",
            {"unit": "VARCHAR", "ord": "BIGINT"},
            ({"unit": u, "ord": n} for n, u in enumerate(unit_ids)),
        )
        columns = {"unit": "VARCHAR", "vfrom": "DATE", "vto": "DATE"}
        fields = self.policy.definitions.unit_fields
        for name, column in self.facts.items():
            columns[column] = sql_type(fields[name])
        self.load_rows("facts", columns, self._fact_rows(units))

    def _fact_rows(self, units: UnitSet | None) -> Iterator[dict[str, Any]]:
        if units is None:
            return
        for unit in units.units.values():
            # the version in force on a day is the last that started on or before it
            starts: dict[dt.date, Mapping[str, Any]] = {}
            for version in unit.versions:
                starts[version.valid_from or FAR_PAST] = version.facts
            ordered = sorted(starts.items())
            for n, (start, facts) in enumerate(ordered):
                end = ordered[n + 1][0] if n + 1 < len(ordered) else FAR_FUTURE
                row: dict[str, Any] = {"unit": unit.id, "vfrom": start, "vto": end}
                for name, column in self.facts.items():
                    row[column] = self.value(facts.get(name))
                yield row

    # ------------------------------------------------------------------ small tables

    def load_rows(
        self, name: str, columns: Mapping[str, str], rows: Iterable[Mapping[str, Any]]
    ) -> None:
        """A table of typed rows, through a file DuckDB reads at once: CSV (written by the C
        writer: a unit's area or facts are a million rows at a city's size) when every
        column is a scalar, else JSON Lines."""
        spec = ", ".join(f"{json.dumps(c)}: '{t}'" for c, t in columns.items())
        texts = [(c, t == "VARCHAR") for c, t in columns.items()]
        if any(t.endswith("[]") for t in columns.values()):
            path = os.path.join(self._scratch, f"{name}.jsonl")
            count = _write_json(path, rows)
            read = f"SELECT * FROM read_json(?, format='newline_delimited', columns={{{spec}}})"
        else:
            path = os.path.join(self._scratch, f"{name}.csv")
            count = _write_csv(path, rows, texts)
            values = ", ".join(
                f'substr("{c}", 2) AS "{c}"' if text else f'"{c}"' for c, text in texts
            )
            read = (
                f"SELECT {values} FROM read_csv(?, header=false, columns={{{spec}}}, "
                # the writer ends rows with \r\n: said, not guessed from a value with a \r
                "quote='\"', escape='\"', new_line='\\r\\n', auto_detect=false)"
            )
        if count == 0:
            definition = ", ".join(f'"{c}" {t}' for c, t in columns.items())
            self.con.execute(f'CREATE OR REPLACE TABLE "{name}" ({definition})')
        else:
            self.con.execute(f'CREATE OR REPLACE TABLE "{name}" AS {read}', [path])
        os.remove(path)

    def fetch(self, select: exp.Select) -> list[tuple[Any, ...]]:
        """The rows of a (small) select."""
        self.prepare(select)
        return self.con.execute(select.sql("duckdb", copy=False)).fetchall()

    def create(self, name: str, select: exp.Select, view: bool) -> None:
        """The plan's table `name`, made by `select` — as a view, when `view`: the database
        then plans it into the query of its reader instead of writing out a copy (a trigger
        rule's chain of tables, each millions of rows at a city's size, was mostly copying)."""
        reads = {t.name for t in select.find_all(exp.Table)}
        if name in reads:
            # a new version of a table made from the old one: made apart, then renamed; the
            # views that read the old one are made tables first, so that they keep it
            for other in [v for v in self.views if v != name and name in self._under(v)]:
                self._materialise(other)
            self._make(f"{name}__new", select, "TABLE")
            old = "VIEW" if self.views.pop(name, None) is not None else "TABLE"
            self._reads.pop(name, None)
            self.con.execute(f'DROP {old} "{name}"')
            self.con.execute(f'ALTER TABLE "{name}__new" RENAME TO "{name}"')
            return
        if view:
            self.views[name] = 0
            self._reads[name] = reads
        self._make(name, select, "VIEW" if view else "TABLE")

    def _under(self, view: str) -> set[str]:
        """The tables a view reads, through the views it reads."""
        found: set[str] = set()
        stack = [view]
        while stack:
            for table in self._reads.get(stack.pop(), set()):
                if table not in found:
                    found.add(table)
                    if table in self.views:
                        stack.append(table)
        return found

    def _make(self, name: str, select: exp.Select, kind: str) -> None:
        create = exp.Create(
            this=exp.table_(name, quoted=True), kind=kind, replace=True, expression=select
        )
        self.con.execute(create.sql("duckdb", copy=False))

    def prepare(self, select: exp.Select) -> None:
        """The views `select` reads that another select read before (or that it reads
        twice) made tables first: a view read again is computed once."""
        read = [t.name for t in select.find_all(exp.Table) if t.name in self.views]
        for name in read:
            self.views[name] += 1
        for name in dict.fromkeys(read):
            if self.views[name] > 1:
                self._materialise(name)

    def _materialise(self, view: str) -> None:
        del self.views[view]
        self._reads.pop(view, None)
        self.con.execute(f'CREATE TABLE "{view}__made" AS SELECT * FROM "{view}"')
        self.con.execute(f'DROP VIEW "{view}"')
        self.con.execute(f'ALTER TABLE "{view}__made" RENAME TO "{view}"')

    def value(self, value: Any) -> Any:
        """A value as its column holds it: an aware time as local wall time."""
        if isinstance(value, dt.datetime):
            aware = value if value.tzinfo is not None else value.replace(tzinfo=self.zone)
            return aware.astimezone(self.zone).replace(tzinfo=None)
        if isinstance(value, list):
            return [self.value(v) for v in value]
        return value

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.rmdir(self._scratch)


def _local(moment: dt.datetime) -> dt.datetime:
    """An aware time as the policy's local wall time (events are already in its zone)."""
    return moment.replace(tzinfo=None)


def _write_csv(path: str, rows: Iterable[Mapping[str, Any]], texts: list[tuple[str, bool]]) -> int:
    count = 0
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        for row in rows:
            writer.writerow([_cell(row.get(c), text) for c, text in texts])
            count += 1
    return count


def _write_json(path: str, rows: Iterable[Mapping[str, Any]]) -> int:
    count = 0
    with open(path, "w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False, default=_json_default))
            out.write("\n")
            count += 1
    return count


def _cell(value: Any, text: bool) -> Any:
    """A value as its CSV cell: None an empty cell (NULL); a text column's value after a
    mark, so that an empty text is not an empty cell; a time as DuckDB reads it."""
    if value is None:
        return None
    if text:
        return "t" + (value if isinstance(value, str) else str(value))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, float):
        return repr(value)
    return value


def _json_default(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    raise TypeError(value)
