"""Events indexed for the reference engine: by (unit, kind) and by kind, sorted by time, so
an instance reads only the slice of its window (a bisect) and no rule scans all events;
and, built when first asked, by an attribute's value (`ref == trigger.id`)."""

from __future__ import annotations

import array
import bisect
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from policyrules.data.events import Event
from policyrules.semantics import EventKind

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _stamp(moment: dt.datetime) -> float:
    return (moment - _EPOCH).total_seconds()


class Series:
    """Events of one kind (of one unit, or of all units), sorted by time."""

    __slots__ = ("events", "times")

    def __init__(self, events: list[Event]) -> None:
        events.sort(key=lambda e: (e.at, e.id))
        self.events = events
        # 8 bytes a time, not a float object each: every event is in two series
        self.times = array.array("d", [_stamp(e.at) for e in events])

    def between(self, lo: dt.datetime | None, hi: dt.datetime) -> Sequence[Event]:
        start = 0 if lo is None else bisect.bisect_left(self.times, _stamp(lo))
        end = bisect.bisect_right(self.times, _stamp(hi))
        return self.events[start:end]

    def insert(self, event: Event) -> None:
        """Put a late-arriving event in its place (ties by id, as the initial sort)."""
        key = (event.at, event.id)
        index = bisect.bisect_left(self.events, key, key=lambda e: (e.at, e.id))
        self.events.insert(index, event)
        self.times.insert(index, _stamp(event.at))


class EventIndex:
    """The accepted events of an evaluation, and the indexes over them."""

    def __init__(self, kinds: Mapping[str, EventKind], events: Iterable[Event]) -> None:
        self.kinds = kinds
        self.events: list[Event] = list(events)
        by_unit_kind: dict[tuple[str, str], list[Event]] = {}
        by_kind: dict[str, list[Event]] = {}
        for event in self.events:
            by_kind.setdefault(event.kind, []).append(event)
            for owner in self.owners(event):
                by_unit_kind.setdefault((owner, event.kind), []).append(event)
        self.by_unit_kind = {k: Series(v) for k, v in by_unit_kind.items()}
        self.by_kind = {k: Series(v) for k, v in by_kind.items()}
        self._by_value: dict[tuple[str | None, str, str], dict[Any, list[Event]]] = {}
        self._by_id: dict[str, Event] | None = None

    def owners(self, event: Event) -> set[str]:
        """The units an event counts for: its own, and those its `counts for` list names."""
        owners = {event.unit}
        kind = self.kinds.get(event.kind)
        if kind is not None and kind.counts_for:
            owners.update(str(u) for u in event.attributes.get(kind.counts_for) or ())
        return owners

    def add(self, events: Iterable[Event]) -> None:
        """Put events that arrived since in place in every index they belong to."""
        for event in events:
            self.events.append(event)
            for key in [(owner, event.kind) for owner in self.owners(event)]:
                series = self.by_unit_kind.get(key)
                if series is None:
                    self.by_unit_kind[key] = Series([event])
                else:
                    series.insert(event)
            whole = self.by_kind.get(event.kind)
            if whole is None:
                self.by_kind[event.kind] = Series([event])
            else:
                whole.insert(event)
        self._by_value = {}
        self._by_id = None

    def series(self, unit: str | None, kind: str) -> Series | None:
        """The events of `kind` of `unit` (every unit's when None)."""
        return self.by_kind.get(kind) if unit is None else self.by_unit_kind.get((unit, kind))

    def by_value(self, unit: str | None, kind: str, field: str) -> dict[Any, list[Event]]:
        """The events of `kind` of `unit` (every unit's) by the value of `field`; a list
        attribute indexes an event under each member."""
        key = (unit, kind, field)
        index = self._by_value.get(key)
        if index is None:
            index = {}
            series = self.series(unit, kind)
            for event in series.events if series is not None else ():
                value = event.get(field)
                for member in set(value) if isinstance(value, list) else (value,):
                    try:
                        index.setdefault(member, []).append(event)
                    except TypeError:  # an unhashable value cannot be looked up by
                        continue
            self._by_value[key] = index
        return index

    def by_id(self, ident: str) -> Event | None:
        if self._by_id is None:
            self._by_id = {e.id: e for e in self.events}
        return self._by_id.get(ident)
