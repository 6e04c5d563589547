"""Plain rows: those of the accepted forms (:mod:`.accept`), taken into the kind tables by
the database alone, in one query per kind (see :mod:`.ingest`)."""

from __future__ import annotations

from typing import Any

from sqlglot import exp

from policyrules.data.model import CORE_FIELDS
from policyrules.engine.sql import sqlx as q
from policyrules.engine.sql.accept import Rules, json_present, text_present
from policyrules.engine.sql.store import KindTable, Store

E = exp.Expr
#: the column of a row's line in the tables of rows read (a name no input uses)
LINE = "__policyrules_line"
#: the keys of an accepted row
KEYS = "src BIGINT, line BIGINT, id VARCHAR, kind VARCHAR, unit VARCHAR"


class PlainRows:
    """Takes the plain rows of tables of rows read into a store's kind tables."""

    def __init__(self, store: Store, rules: Rules) -> None:
        self.store, self.rules = store, rules
        self.con = store.con
        self.policy = store.policy
        #: the tables of (src, line, id, kind, unit) of the rows accepted of kinds no
        #: declaration names (those of declared kinds are in the kind tables themselves)
        self.others: list[str] = []
        #: per input read by the database, the view of the keys of its rows taken
        self.taken: list[str] = []

    def field_names(self) -> list[str]:
        names = list(CORE_FIELDS)
        for kind in self.policy.definitions.events.values():
            for attr in kind.fields:
                if attr not in names:
                    names.append(attr)
        return names

    def take(self, src: int, rows: str, value: Any) -> int:
        """The plain rows of `rows` into the kind tables, and their (src, line, id, kind,
        unit) into `acc{src}`. `value(name)` is a field's expression and form (`json`, or the
        database type; `VARCHAR` is text), None when the input has no such field.

        Each kind is inserted straight from `rows`, chosen by its kind (which the database
        tests first, as it reads): no copy of the plain rows is made."""
        core = self._core(value)
        others = f"others{src}"
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {others} ({KEYS})")
        self.others.append(others)
        if core is not None:
            ok, ident, unit, kind, _, _ = core
            for name, table in self.store.kinds.items():
                self._insert(src, rows, core, name, table, value)
            # rows of kinds no declaration names are plain when their core fields are
            undeclared = q.select(q.lit(src), q.col(LINE), ident, kind, unit).from_(
                q.table(rows), copy=False
            )
            declared = [q.lit(name) for name in self.store.kinds]
            chosen = q.truthy(ok)
            if declared:  # (apart from `truthy`, so that the database tests it first)
                chosen = q.and_(exp.Not(this=exp.In(this=kind, expressions=declared)), chosen)
            self.con.execute(
                f"INSERT INTO {others} "
                + undeclared.where(chosen, copy=False).sql("duckdb", copy=False)
            )
        # the keys of the rows taken: a view of the kind tables, not a copy of ten million
        # rows' keys (the reference reader's rows of this input join the tables later)
        taken = f"acc{src}"
        parts = [self.keys_of(name, f"src = {src}") for name in self.store.kinds]
        parts.append(f"SELECT * FROM {others}")
        self.con.execute(f"CREATE OR REPLACE TEMP VIEW {taken} AS " + " UNION ALL ".join(parts))
        self.taken.append(taken)
        found = self.con.execute(f"SELECT count(*) FROM {taken}").fetchone()
        return found[0] if found else 0

    def keys_of(self, kind: str, where: str = "true") -> str:
        """The select of the keys (src, line, id, kind, unit) of a kind table's rows."""
        table = self.store.kinds[kind].table
        return (
            f"SELECT src, line, id, '{_quote(kind)}' AS kind, unit FROM \"{table}\" WHERE {where}"
        )

    def accepted(self) -> str:
        """The select of the keys of every row accepted so far, of every input."""
        parts = [self.keys_of(name) for name in self.store.kinds]
        parts += [f"SELECT * FROM {t}" for t in self.others]
        return " UNION ALL ".join(parts)

    def _core(self, value: Any) -> tuple[E, E, E, E, E, E] | None:
        """(plain, id, unit, kind, local time, whether timed) of the core fields, or None
        when no row can be plain (a core field is absent, or of a type never plain)."""
        parts: list[tuple[E, E]] = []
        for name in ("id", "unit", "kind"):
            given = value(name)
            if given is None:
                return None
            v, form = given
            whole = name != "kind"
            found = (
                self.rules.core_json(v, whole)
                if form == "json"
                else self.rules.core_typed(v, form, whole)
            )
            if found is None:
                return None
            parts.append(found)
        given = value("at")
        if given is None:
            return None
        v, form = given
        if form == "json":
            s = q.func("json_extract_string", v, q.lit("$"))
            plain, moment, timed = self.rules.at_text(s)
            plain = q.and_(q.eq(q.func("json_type", v), q.lit("VARCHAR")), plain)
        else:
            typed = self.rules.at_typed(v, form)
            if typed is None:
                return None
            plain, moment, timed = typed
        ok = q.and_(*(p for p, _ in parts), q.is_not_null(v), plain)
        return ok, parts[0][1], parts[1][1], parts[2][1], moment, timed

    def _attributes_ok(self, table: KindTable, value: Any) -> E:
        checks: list[E] = []
        for attr in table.columns:
            given = value(attr)
            if given is None:
                continue
            reading = self._reading(table, attr, given)
            present, plain = reading[0], reading[1]
            checks.append(q.or_(q.not_(present), plain) if plain is not None else q.not_(present))
        return q.and_(*checks)

    def _reading(self, table: KindTable, attr: str, given: tuple[E, str]) -> tuple[E, E | None, E]:
        """(present, plain or None when never plain, value) of an attribute's field."""
        declared = table.kind.fields[attr]
        v, form = given
        if form == "json":
            plain, found = self.rules.json(declared, v)
            return json_present(v), plain, found
        present = text_present(v) if form == "VARCHAR" else q.is_not_null(v)
        typed = self.rules.typed(declared, v, form)
        if typed is None:
            return present, None, exp.null()
        return present, typed[0], typed[1]

    def _insert(
        self,
        src: int,
        rows: str,
        core: tuple[E, E, E, E, E, E],
        name: str,
        table: KindTable,
        value: Any,
    ) -> None:
        ok, ident, unit, kind, at, timed = core
        columns: list[E] = [
            ident,
            unit,
            at,
            q.cast(at.copy(), "DATE"),
            timed,
            q.lit(src),
            q.col(LINE),
        ]
        for attr, column in table.columns.items():
            given = value(attr)
            if given is None:
                columns.append(q.alias(exp.null(), column))
                continue
            present, _, found = self._reading(table, attr, given)
            columns.append(q.alias(q.case([(present, found)]), column))
        # the kind apart from the rest (not inside `truthy`): the database tests it first
        plain = q.and_(ok, self._attributes_ok(table, value))
        chosen = q.and_(q.eq(kind, q.lit(name)), q.truthy(plain.copy()))
        select = (
            q.select(*[c.copy() for c in columns])
            .from_(q.table(rows), copy=False)
            .where(chosen, copy=False)
        )
        names = ", ".join(f'"{c}"' for c in self.store.event_columns(table))
        self.con.execute(
            f'INSERT INTO "{table.table}" ({names}) ' + select.sql("duckdb", copy=False)
        )


def _quote(text: str) -> str:
    return text.replace("'", "''")
