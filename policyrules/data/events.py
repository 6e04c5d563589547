"""Input data: events, read from files or Python and validated against the attribute types a
policy declares.

Every input row is either accepted or *rejected* with its line number, id and reason; the
counts add up and nothing is dropped silently. Several inputs are read in order into one
stream with one id space: of two events with the same id, wherever they are, the first is
kept and the other rejected. Times without an offset are in the policy's time zone; times
with one are converted to it. A date without a time is kept as a date: it happened some time
that day (`at during 07:00..09:00` cannot hold for it).

The package, one module per concern: :mod:`~policyrules.data.model` (what reading makes),
:mod:`~policyrules.data.rows` (rows of files: :mod:`~policyrules.data.csvrows`,
:mod:`~policyrules.data.jsonarray`), :mod:`~policyrules.data.values` (the rule of each type:
the contract), :mod:`~policyrules.data.cells` (lists in a cell), this module (events),
:mod:`~policyrules.data.units`, :mod:`~policyrules.data.kinds` (which kinds obligations
read), :mod:`~policyrules.data.schema`. The names they define are importable from here too.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

from policyrules.data.kinds import kinds_read
from policyrules.data.model import (
    CORE_FIELDS,
    Event,
    EventSet,
    InputCount,
    InputError,
    Rejection,
    Unit,
    UnitSet,
    UnitVersion,
    units_under,
)
from policyrules.data.rows import Source, read_rows, read_text_rows, sources
from policyrules.data.schema import json_schema
from policyrules.data.units import read_units
from policyrules.data.values import (
    _DATE_TEXT,
    _DATETIME_TEXT,
    Context,
    Invalid,
    Rule,
    core_text,
    in_zone,
    problem_text,
    read_undeclared,
    rules_for,
    text_of,
    valid_text,
)
from policyrules.diagnostics.messages import Message, msg
from policyrules.semantics import CheckedPolicy, EventKind

__all__ = [
    "CORE_FIELDS",
    "Event",
    "EventReader",
    "EventSet",
    "InputCount",
    "InputError",
    "Rejection",
    "Unit",
    "UnitSet",
    "UnitVersion",
    "core_text",
    "json_schema",
    "read_events",
    "read_rows",
    "read_text_rows",
    "read_units",
    "units_under",
]

_CORE = frozenset(CORE_FIELDS)
# how many distinct `at` texts to remember (a year of minutes is about 525,000)
_TIME_CACHE = 1_000_000
_NO_ATTRIBUTES: Mapping[str, Any] = MappingProxyType({})
_NO_RULES: Mapping[str, Rule] = MappingProxyType({})


class EventReader:
    """Validates raw rows into :class:`Event` s for one policy."""

    def __init__(self, policy: CheckedPolicy) -> None:
        self.policy = policy
        self.zone = ZoneInfo(policy.timezone)
        context = Context(self.zone, tuple(policy.definitions.festivals))
        self.kinds: Mapping[str, EventKind] = policy.definitions.events
        #: each declared kind's attributes and the rule that reads each (values.py)
        self.rules: dict[str, dict[str, Rule]] = {
            name: rules_for(kind.fields, context) for name, kind in self.kinds.items()
        }
        self.declared = frozenset(self.kinds)
        self.read_kinds = kinds_read(policy)
        self._times: dict[str, tuple[dt.datetime, bool]] = {}
        self._names: dict[str, str] = {}  # unit and kind texts already found good
        self._keys: dict[str, str] = {}  # attribute names already found good, shared

    def parse_time(self, value: Any) -> tuple[dt.datetime, bool]:
        """An event's `at`: (aware datetime in the policy's zone, whether it had a time).
        Raises ValueError with the reason."""
        if isinstance(value, dt.datetime):
            moment, timed = value, True
        elif type(value) is dt.date:
            moment, timed = dt.datetime.combine(value, dt.time()), False
        elif type(value) is str and _DATE_TEXT.fullmatch(value):
            try:
                moment = dt.datetime.combine(dt.date.fromisoformat(value), dt.time())
            except ValueError:
                raise ValueError(_not_a_time(value)) from None
            timed = False
        elif type(value) is str and _DATETIME_TEXT.fullmatch(value):
            try:
                moment, timed = dt.datetime.fromisoformat(value), True
            except ValueError:
                raise ValueError(_not_a_time(value)) from None
        elif type(value) is str:
            raise ValueError(_not_a_time(value))
        else:
            raise ValueError(msg("`at`: a date or date-time is required"))
        try:
            return in_zone(moment, self.zone, value), timed
        except Invalid:
            raise ValueError(msg("`at`: `{when}` is out of range", when=str(value))) from None

    def _name(self, name: str, value: Any, whole: bool) -> str | Message:
        """A unit or kind checked by :func:`core_text`, the same string object for the same
        text (a city's units repeat in millions of rows)."""
        if type(value) is str:
            known = self._names.get(value)
            if known is not None:
                return known
        checked = core_text(name, value, whole)
        if isinstance(checked, Message) or len(self._names) >= _TIME_CACHE:
            return checked
        return self._names.setdefault(checked, sys.intern(checked))

    def read(self, row: Mapping[str, Any], line: int, source: str) -> Event | Rejection:
        """The event of one input row, or why the row is rejected.

        A city's tens of millions of events must fit in memory: the strings that repeat from
        row to row (unit ids, kinds, attribute names, short values) are shared, not kept once
        per event, and so are the times parsed from the same text."""
        ident = core_text("id", row.get("id"))
        unit = self._name("unit", row.get("unit"), True)
        kind = self._name("kind", row.get("kind"), False)
        shown = ident if not isinstance(ident, Message) else _shown_id(row.get("id"))
        for checked in (ident, unit, kind):
            if isinstance(checked, Message):
                return Rejection(source, line, shown, checked)
        assert shown is not None
        when = row.get("at")
        if when is None or when == "":
            return Rejection(source, line, shown, msg("`{name}` is missing", name="at"))
        assert isinstance(unit, str) and isinstance(kind, str)
        try:
            parsed = self._times.get(when) if type(when) is str else None
            if parsed is None:
                parsed = self.parse_time(when)
                if type(when) is str and len(self._times) < _TIME_CACHE:
                    self._times[when] = parsed
            at, timed = parsed
        except ValueError as error:
            reason = error.args[0] if error.args else None
            if not isinstance(reason, Message):
                reason = _not_a_time(when)
            return Rejection(source, line, shown, reason)
        rules = self.rules.get(kind, _NO_RULES)
        keys = self._keys
        attributes: dict[str, Any] = {}
        for key, value in row.items():
            if value is None or key in _CORE or (type(value) is str and not value):
                continue  # an empty cell is a missing value
            name = keys.get(key)
            if name is None:
                if type(key) is not str or not valid_text(key):
                    return Rejection(source, line, shown, msg(
                        "a field name must be text (got `{key}`)", key=text_of(key)))
                name = sys.intern(key)
                if len(keys) < _TIME_CACHE:
                    keys[name] = name
            rule = rules.get(name)
            try:
                if rule is not None:
                    value = rule(value)
                elif type(value) is not str or not value.isascii():
                    value = read_undeclared(value)
            except Invalid as invalid:
                return Rejection(source, line, shown, problem_text(name, invalid))
            # declared attributes in their declared types, undeclared ones as given; short
            # strings shared with the equal ones of other events (categories, names)
            if type(value) is str and len(value) <= 32:
                value = sys.intern(value)
            attributes[name] = value
        return Event(shown, unit, kind, at, attributes or _NO_ATTRIBUTES, timed, line)


def _not_a_time(when: Any) -> Message:
    return msg("`at`: `{when}` is not an ISO 8601 date or date-time", when=text_of(when))


def _shown_id(value: Any) -> str | None:
    """The id a rejection names: a row's `id` if it is one that can be shown."""
    if type(value) is str and value.strip():
        return text_of(value)
    if type(value) is int:
        return str(value)
    return None


def read_events(
    policy: CheckedPolicy,
    source: Source,
    reader: EventReader | None = None,
    *,
    format: str | None = None,
) -> EventSet:
    """Read and validate events from `source`: a path (`-` the standard input), a list of
    paths read in order, an open binary stream, or an iterable of dicts. `format` (`jsonl`,
    `json`, `csv`, `parquet`) overrides what the names say. Raises :class:`InputError` for an
    input that cannot be read at all, OSError for a file that cannot be opened."""
    reader = reader or EventReader(policy)
    out = EventSet(declared=reader.declared, read=reader.read_kinds)
    seen: set[str] = set()
    duplicates: list[int] = []  # positions in out.rejected of rows with an id seen before
    starts: list[int] = []  # where each input's events start in out.events
    for name, rows in sources(source, format):
        count = InputCount(name, "event")
        out.inputs.append(count)
        starts.append(len(out.events))
        for line, row in rows:
            count.rows += 1
            result = (Rejection(name, line, None, row) if isinstance(row, str)
                      else reader.read(row, line, name))
            if isinstance(result, Rejection):
                out.rejected.append(result)
                count.rejected += 1
            elif result.id in seen:
                duplicates.append(len(out.rejected))
                out.rejected.append(Rejection(name, line, result.id,
                                              msg("duplicate event id `{id}`", id=result.id)))
                count.rejected += 1
            else:
                seen.add(result.id)
                out.events.append(result)
                out.kinds[result.kind] += 1
                count.accepted += 1
        out.rows += count.rows
    if duplicates and len(out.inputs) > 1:
        _name_first_inputs(out, duplicates, starts)
    return out


def _name_first_inputs(out: EventSet, duplicates: list[int], starts: list[int]) -> None:
    """A duplicate of an event of another input says where the first one is (one pass over
    the accepted events, once, for the few ids that were repeated)."""
    import bisect

    wanted = {out.rejected[i].id for i in duplicates}
    first: dict[str, tuple[str, int]] = {}
    for index, event in enumerate(out.events):
        if event.id in wanted and event.id not in first:
            owner = out.inputs[bisect.bisect_right(starts, index) - 1]
            first[event.id] = (owner.source, event.line)
    for i in duplicates:
        rejection = out.rejected[i]
        source, line = first[str(rejection.id)]
        if source != rejection.source:
            out.rejected[i] = Rejection(
                rejection.source, rejection.line, rejection.id,
                msg("duplicate event id `{id}` (the first is {source}:{line})",
                    id=rejection.id, source=source, line=line))
