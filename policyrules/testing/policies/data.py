"""Data for a drawn policy: unit rows (facts that change over time included) and events of
its kinds, valued from the vocabulary's pools and dated on the days that matter — the edges
of the window and of months and quarters, due days, late at night — and the moments to
evaluate them at."""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from policyrules.calendar.workdays import CalendarIndeterminate
from policyrules.rules.compiler import CompiledPolicy
from policyrules.rules.ir import PerEvent
from policyrules.testing.policies.obligations import DrawnPolicy
from policyrules.testing.policies.vocabulary import FESTIVAL, INT, Attribute

#: times of day an event is recorded at (None: a date alone)
_TIMES = (None, "09:00", "00:00", "17:30", "23:59:59", "08:30", "23:59:59.500000", "12:00",
          "07:00+00:00", "23:30:00Z")
_UNKNOWN_UNIT = "外部"  # a unit no units row names: its events count only `from all units`


@dataclass(frozen=True)
class PolicyData:
    """Rows as a data producer writes them: `units` (None: no units file) and `events`."""

    units: list[dict[str, Any]] | None
    events: list[dict[str, Any]]


def _days(drawn: DrawnPolicy) -> list[dt.date]:
    """The days that matter for a policy: its window's edges and the edges of every month
    in it, each with its neighbours."""
    out = {drawn.start, drawn.end}
    day = drawn.start.replace(day=1)
    while day <= drawn.end:
        nxt = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        out.update({day, nxt - dt.timedelta(days=1)})
        day = nxt
    around = {d + dt.timedelta(days=k) for d in out for k in (-1, 0, 1)}
    return sorted(around)


@st.composite
def _day(draw: Any, drawn: DrawnPolicy) -> dt.date:
    if draw(st.booleans()):
        return draw(st.sampled_from(_days(drawn)))  # type: ignore[no-any-return]
    span = (drawn.end - drawn.start).days
    return drawn.start + dt.timedelta(days=draw(st.integers(-40, span + 40)))


@st.composite
def _moment(draw: Any, drawn: DrawnPolicy) -> str:
    day = draw(_day(drawn))
    time = draw(st.sampled_from(_TIMES))
    return day.isoformat() if time is None else f"{day.isoformat()}T{time}"


def _value(draw: Any, drawn: DrawnPolicy, attribute: Attribute, units: list[str]) -> Any:
    vocabulary = drawn.vocabulary
    pool: tuple[Any, ...] = vocabulary.pools.get(attribute.pool, ())
    if attribute.pool == "unit":
        pool = (*units, _UNKNOWN_UNIT)
    elif attribute.pool == "id":
        pool = ("e0", "e1", "e2", "e3")
    elif attribute.pool == "label":
        pool = ("2021-01", "2021Q1", "2021", "2021H1", "2021-W05", "2021-05")
    match attribute.type:
        case "number" | "int":
            numbers = [v for v in pool if isinstance(v, int | float)] or [1, 2]
            if attribute.type == INT:
                numbers = [int(v) for v in numbers]
            return draw(st.sampled_from(numbers))
        case "enum":
            return draw(st.sampled_from(attribute.values))
        case "string":
            return str(draw(st.sampled_from(pool or ("x",))))
        case "bool":
            return draw(st.booleans())
        case "date":
            return draw(_day(drawn)).isoformat()
        case "datetime":
            # with a time always: a date alone is no date and time (docs/data.md)
            time = draw(st.sampled_from([t for t in _TIMES if t is not None]))
            return f"{draw(_day(drawn)).isoformat()}T{time}"
        case "festival":
            return draw(st.sampled_from(drawn.festivals))
        case "list:string":
            return draw(st.lists(st.sampled_from(pool or ("x",)), max_size=3, unique=True))
        case "list:number":
            numbers = [v for v in pool if isinstance(v, int | float)] or [1]
            return draw(st.lists(st.sampled_from(numbers), max_size=3))
    raise ValueError(attribute.type)  # pragma: no cover


@st.composite
def _unit_rows(draw: Any, drawn: DrawnPolicy, ids: list[str]) -> list[dict[str, Any]]:
    facts = [f for f in drawn.vocabulary.facts if f.name in drawn.facts]
    rows: list[dict[str, Any]] = []
    for n, unit in enumerate(ids):
        versions = draw(st.integers(1, 3)) if draw(st.integers(0, 4)) == 4 else 1
        starts: set[str] = set()
        for version in range(versions):
            row: dict[str, Any] = {"unit": unit}
            if version:
                start = draw(_day(drawn)).isoformat()
                if start in starts:
                    continue  # a second row from the same day is refused (docs/data.md)
                starts.add(start)
                row["valid_from"] = start
            for fact in facts:
                if draw(st.integers(0, 9)) == 0:
                    continue  # a fact the row lacks
                if fact.name == "parent":
                    if n == 0:
                        continue  # the first unit is the top: no cycle of parents
                    row["parent"] = draw(st.sampled_from(ids[:n]))
                else:
                    row[fact.name] = _value(draw, drawn, fact, ids)
            rows.append(row)
    return rows


@st.composite
def policy_data(draw: Any, drawn: DrawnPolicy, max_events: int = 12) -> PolicyData:
    """Unit rows and event rows for `drawn`, which :func:`~policyrules.data.events.read_units`
    and :func:`~policyrules.data.events.read_events` accept: a units file or none (then the
    units are those the events name), events of the policy's kinds (and one it does not
    declare, which the engines ignore) with ids ``e0``, ``e1``, …, for the units and one
    unit no row names, their attributes present or missing."""
    vocabulary = drawn.vocabulary
    count = draw(st.integers(1, len(vocabulary.units)))
    ids = list(vocabulary.units[:count])
    units = draw(_unit_rows(drawn, ids)) if draw(st.integers(0, 5)) > 0 else None
    kinds = {k.name: k for k in drawn.kinds}
    names = [*kinds, "meeting"]
    events: list[dict[str, Any]] = []
    for index in range(draw(st.integers(0, max_events))):
        kind = draw(st.sampled_from(names if draw(st.integers(0, 19)) == 0 else list(kinds)))
        unit = draw(st.sampled_from([*ids, _UNKNOWN_UNIT] if draw(st.integers(0, 9)) == 0
                                    else ids))
        row: dict[str, Any] = {"id": f"e{index}", "unit": unit, "kind": kind,
                               "at": draw(_moment(drawn))}
        for attribute in kinds[kind].attributes if kind in kinds else ():
            if attribute.type == FESTIVAL and not drawn.festivals:
                continue
            if draw(st.integers(0, 6)) == 0:
                continue  # missing: an obligation that needs it does not count the event
            row[attribute.name] = _value(draw, drawn, attribute, ids)
        events.append(row)
    return PolicyData(units, events)


def _due_moments(compiled: CompiledPolicy, until: dt.date) -> list[dt.datetime]:
    """The due instants of the policy's instances up to `until`."""
    out: list[dt.datetime] = []
    for ob in compiled.obligations:
        if isinstance(ob.rule.schedule, PerEvent):
            continue
        for n, instance in enumerate(ob.instances(until, started_by=until)):
            if instance.due is not None:
                out.append(instance.due)
            if n > 400:
                break
    return out


def _event_moments(compiled: CompiledPolicy, events: list[Any]) -> list[dt.datetime]:
    """The events' own times, and the dues of the instances they would open."""
    out: list[dt.datetime] = []
    for event in events:
        out.append(event.at)
        for ob in compiled.obligations:
            if isinstance(ob.rule.schedule, PerEvent) and ob.rule.schedule.kind == event.kind:
                with contextlib.suppress(CalendarIndeterminate):
                    out.append(ob.due_for_event(event.at))
    return out


@st.composite
def as_of_moments(
    draw: Any, compiled: CompiledPolicy, drawn: DrawnPolicy, events: list[Any] = ()  # type: ignore[assignment]
) -> dt.datetime:
    """A moment to evaluate at, in the policy's zone: the end of a day before, inside or
    after the window, a due instant exactly (or a second, or a microsecond, either side),
    or the time of an event (`events`: as read) or of its due."""
    zone = compiled.zone
    tick = draw(st.sampled_from([dt.timedelta(0), dt.timedelta(seconds=1),
                                 -dt.timedelta(seconds=1), dt.timedelta(microseconds=1),
                                 -dt.timedelta(microseconds=1)]))
    choice = draw(st.integers(0, 4))
    if choice == 1:
        dues = _due_moments(compiled, drawn.end + dt.timedelta(days=60))
        if dues:
            return draw(st.sampled_from(dues)).astimezone(zone) + tick  # type: ignore[no-any-return]
    if choice == 2:
        moments = _event_moments(compiled, list(events))
        if moments:
            return draw(st.sampled_from(moments)).astimezone(zone) + tick  # type: ignore[no-any-return]
    span = (drawn.end - drawn.start).days
    day = drawn.start + dt.timedelta(days=draw(st.integers(-20, span + 120)))
    if choice == 3:
        day = draw(st.sampled_from([drawn.start - dt.timedelta(days=1),
                                    drawn.end + dt.timedelta(days=400)]))
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=zone)
