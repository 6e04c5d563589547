"""Input data: events and units, read from JSON Lines, CSV or Python, validated against the
attribute types a policy declares.

Every input row is either accepted or *rejected* with its line number, id and reason; the
counts add up and nothing is dropped silently. A duplicate event id is rejected (the first
row with the id is kept). Times without an offset are in the policy's time zone; times with
one are converted to it. A date without a time is kept as a date: it happened some time that
day (`at during 07:00..09:00` cannot hold for it).

The package, one module per concern: :mod:`~policyrules.data.model` (what reading makes),
:mod:`~policyrules.data.rows` (rows of files), :mod:`~policyrules.data.values` (attribute
values in their declared types), this module (events), :mod:`~policyrules.data.units`,
:mod:`~policyrules.data.schema`. The names they define are importable from here too.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from policyrules.data.model import (
    CORE_FIELDS,
    Event,
    EventSet,
    Rejection,
    Unit,
    UnitSet,
    UnitVersion,
    units_under,
)
from policyrules.data.rows import read_rows, read_text_rows
from policyrules.data.schema import json_schema
from policyrules.data.units import as_mapping, read_units
from policyrules.data.values import model, validation_reason
from policyrules.diagnostics.messages import Message, msg
from policyrules.semantics import types as T
from policyrules.semantics.checker import CheckedPolicy, EventKind

__all__ = [
    "CORE_FIELDS",
    "Event",
    "EventReader",
    "EventSet",
    "Rejection",
    "Unit",
    "UnitSet",
    "UnitVersion",
    "json_schema",
    "read_events",
    "read_rows",
    "read_text_rows",
    "read_units",
    "units_under",
]

_CORE = frozenset(CORE_FIELDS)


class EventReader:
    """Validates raw rows into :class:`Event` s for one policy."""

    def __init__(self, policy: CheckedPolicy) -> None:
        self.policy = policy
        self.zone = ZoneInfo(policy.timezone)
        festivals = list(policy.definitions.festivals)
        self.kinds: Mapping[str, EventKind] = policy.definitions.events
        self.models = {
            name: model(name, kind.fields, festivals) for name, kind in self.kinds.items()
        }
        self.list_fields = {
            name: {f for f, t in kind.fields.items() if t.kind is T.Kind.LIST}
            for name, kind in self.kinds.items()
        }
        self._times: dict[str, tuple[dt.datetime, bool]] = {}

    def parse_time(self, value: Any) -> tuple[dt.datetime, bool]:
        """An event's `at`: (aware datetime in the policy's zone, whether it had a time)."""
        if isinstance(value, dt.datetime):
            moment, timed = value, True
        elif isinstance(value, dt.date):
            moment, timed = dt.datetime.combine(value, dt.time()), False
        elif isinstance(value, str) and value.strip():
            text = value.strip()
            if len(text) == 10:
                moment, timed = dt.datetime.combine(dt.date.fromisoformat(text), dt.time()), False
            else:
                moment, timed = dt.datetime.fromisoformat(text.replace("Z", "+00:00")), True
        else:
            raise ValueError(msg("`at`: a date or date-time is required"))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self.zone)
        else:
            moment = moment.astimezone(self.zone)
        return moment, timed

    def read(self, row: Mapping[str, Any], line: int, source: str) -> Event | Rejection:
        """The event of one input row, or why the row is rejected.

        A city's tens of millions of events must fit in memory: the strings that repeat from
        row to row (unit ids, kinds, attribute names, short values) are shared, not kept once
        per event, and so are the times parsed from the same text."""
        ident, unit, kind, when = row.get("id"), row.get("unit"), row.get("kind"), row.get("at")
        ident_text = str(ident) if ident not in (None, "") else None
        for name, value in (("id", ident), ("unit", unit), ("kind", kind), ("at", when)):
            if value is None or value == "":
                return Rejection(source, line, ident_text, msg("`{name}` is missing", name=name))
        kind = sys.intern(str(kind))
        try:
            parsed = self._times.get(when) if isinstance(when, str) else None
            if parsed is None:
                parsed = self.parse_time(when)
                if isinstance(when, str) and len(self._times) < _TIME_CACHE:
                    self._times[when] = parsed
            at, timed = parsed
        except ValueError as error:
            reason = error.args[0] if error.args else None
            if not isinstance(reason, Message):
                reason = msg("`at`: `{when}` is not an ISO 8601 date or date-time", when=when)
            return Rejection(source, line, ident_text, reason)
        # the attributes: everything but the core fields, empty CSV cells as missing
        attributes = {
            sys.intern(k): _shared(v)
            for k, v in row.items()
            if k not in _CORE and v is not None and v != ""
        }
        kind_model = self.models.get(kind)
        if kind_model is not None:
            for name in self.list_fields[kind]:
                value = attributes.get(name)
                if isinstance(value, str):
                    attributes[name] = _split_list(value)
            try:
                validated = kind_model.model_validate(attributes)
            except ValidationError as error:
                return Rejection(source, line, ident_text, validation_reason(error))
            # declared attributes in their declared types; undeclared ones kept as given
            for name, value in validated.__dict__.items():
                if value is not None:
                    attributes[name] = _shared(value)
        return Event(str(ident), sys.intern(str(unit)), kind, at, attributes or _NO_ATTRIBUTES,
                     timed, line)


# how many distinct `at` texts to remember (a year of minutes is about 525,000)
_TIME_CACHE = 1_000_000
_NO_ATTRIBUTES: Mapping[str, Any] = MappingProxyType({})


def _shared(value: Any) -> Any:
    """A short string value shared with the equal ones of other events (categories, names,
    yes/no), anything else as it is."""
    return sys.intern(value) if isinstance(value, str) and len(value) <= 32 else value


def _split_list(text: str) -> Any:
    """A list in a CSV cell: JSON (`[1.2, 2.5]`) or separated by `;` or `|`."""
    stripped = text.strip()
    if not stripped:
        return None
    if stripped.startswith("["):
        try:
            return json.loads(stripped)
        except json.JSONDecodeError:
            return stripped  # let validation say what is wrong
    for separator in (";", "|"):
        if separator in stripped:
            return [part.strip() for part in stripped.split(separator) if part.strip()]
    return [stripped]


def read_events(
    policy: CheckedPolicy,
    source: str | Path | Iterable[Mapping[str, Any]],
    reader: EventReader | None = None,
) -> EventSet:
    """Read and validate events from a file path or an iterable of dicts."""
    reader = reader or EventReader(policy)
    out = EventSet()
    seen: set[str] = set()
    rows: Iterable[tuple[int, Mapping[str, Any] | str]]
    if isinstance(source, (str, Path)):
        name = str(source)
        rows = read_rows(source)
    else:
        name = "<python>"
        rows = ((i, as_mapping(r)) for i, r in enumerate(source, start=1))
    for line, row in rows:
        out.rows += 1
        if isinstance(row, str):
            out.rejected.append(Rejection(name, line, None, row))
            continue
        result = reader.read(row, line, name)
        if isinstance(result, Rejection):
            out.rejected.append(result)
        elif result.id in seen:
            out.rejected.append(
                Rejection(name, line, result.id, msg("duplicate event id `{id}`", id=result.id))
            )
        else:
            seen.add(result.id)
            out.events.append(result)
    return out
