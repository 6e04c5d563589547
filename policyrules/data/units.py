"""Units and their facts over time, read from rows.

A unit row names its unit (`unit`, or `id`) and, when a fact changes over time, the day its
facts start to hold (`valid_from`); each accepted row is one *version* of its unit. Two rows
of the same unit from the same day (or both without `valid_from`) would leave the facts to
the order of the rows, so the second is rejected.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from policyrules.data.model import InputCount, Rejection, Unit, UnitSet, UnitVersion
from policyrules.data.rows import Source, sources
from policyrules.data.values import (
    Context,
    Invalid,
    core_text,
    problem_text,
    read_date,
    read_undeclared,
    rules_for,
    text_of,
    valid_text,
)
from policyrules.diagnostics.messages import Message, msg
from policyrules.semantics import BUILTIN_UNIT_FIELDS, CheckedPolicy

#: the columns of which a units CSV header must have one
UNIT_HEADER = ("unit", "id")


def read_units(policy: CheckedPolicy, source: Source, *, format: str | None = None) -> UnitSet:
    """Read and validate unit rows from `source` (what :func:`read_events` takes)."""
    fields = {**BUILTIN_UNIT_FIELDS, **policy.definitions.unit_fields}
    fields.pop("id", None)
    rules = rules_for(fields, Context(ZoneInfo(policy.timezone),
                                      tuple(policy.definitions.festivals)))
    out = UnitSet()
    first: dict[tuple[str, dt.date | None], tuple[str, int]] = {}
    for name, rows in sources(source, format, UNIT_HEADER):
        count = InputCount(name, "unit")
        out.inputs.append(count)
        for line, row in rows:
            count.rows += 1
            out.rows += 1
            if isinstance(row, str):
                out.rejected.append(Rejection(name, line, None, row, "unit"))
                count.rejected += 1
                continue
            given = row.get("unit")
            if given is None or given == "":
                given = row.get("id")
            ident = core_text("unit", given)
            if isinstance(ident, Message):
                shown = text_of(given) if isinstance(given, (str, int)) and given != "" else None
                out.rejected.append(Rejection(name, line, shown, ident, "unit"))
                count.rejected += 1
                continue
            version = _version(ident, row, rules)
            if isinstance(version, Message):
                out.rejected.append(Rejection(name, line, ident, version, "unit"))
                count.rejected += 1
                continue
            earlier = first.setdefault((ident, version.valid_from), (name, line))
            if earlier != (name, line):
                out.rejected.append(Rejection(name, line, ident,
                                              _second_version(ident, version, earlier, name),
                                              "unit"))
                count.rejected += 1
                continue
            unit = out.units.setdefault(ident, Unit(ident))
            unit.versions.append(version)
            unit.versions.sort(key=lambda v: v.valid_from or dt.date.min)
            count.accepted += 1
    return out


def _version(ident: str, row: Any, rules: dict[str, Any]) -> UnitVersion | Message:
    """The version of a unit one row gives, or why the row is rejected."""
    valid_from_raw = row.get("valid_from")
    valid_from: dt.date | None = None
    if valid_from_raw not in (None, ""):
        try:
            valid_from = read_date(valid_from_raw)
        except Invalid:
            return msg("`valid_from`: `{value}` is not a date", value=text_of(valid_from_raw))
    facts: dict[str, Any] = {}
    for key, value in row.items():
        if key in ("unit", "id", "valid_from") or value is None or (
                isinstance(value, str) and not value):
            continue
        if type(key) is not str or not valid_text(key):
            return msg("a field name must be text (got `{key}`)", key=text_of(key))
        try:
            value = rules.get(key, read_undeclared)(value)
        except Invalid as invalid:
            return problem_text(key, invalid)
        facts[key] = value
    facts["id"] = ident
    return UnitVersion(valid_from, facts)


def _second_version(
    ident: str, version: UnitVersion, earlier: tuple[str, int], source: str
) -> Message:
    where = (msg("line {line}", line=earlier[1]) if earlier[0] == source
             else f"{earlier[0]}:{earlier[1]}")
    if version.valid_from is None:
        return msg("a second row for unit `{unit}` without `valid_from` (the first is {where});"
                   " give each row the day its facts start to hold", unit=ident, where=where)
    return msg("a second row for unit `{unit}` from {day} (the first is {where})", unit=ident,
               day=version.valid_from.isoformat(), where=where)
