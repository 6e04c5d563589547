"""Drawing values: times inside windows and outside them, attribute values that satisfy (or
break) a conjunction of atoms, and events made of them."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from policyrules.engine.verdict import is_number
from policyrules.semantics import EventKind
from policyrules.semantics import types as T
from policyrules.testing.streams.model import (
    _ORDER,
    _Atom,
    _complement,
    _days,
    _Ev,
    _holds_value,
    _intersect,
    _minute_ranges,
    _Policy,
)


@dataclass(frozen=True)
class _When:
    """Where an event's `at` may fall: between `lo` and `hi` (inclusive), on `days_in` (if
    given) and not on `days_out`, and satisfying the `at` atoms."""

    lo: dt.datetime
    hi: dt.datetime
    days_in: frozenset[dt.date] | None = None
    days_out: frozenset[dt.date] = frozenset()
    atoms: tuple[_Atom, ...] = ()


def _moments(info: _Policy, when: _When) -> st.SearchStrategy[tuple[dt.datetime, bool]] | None:
    """(at, timed) pairs that satisfy `when`, or None when there are none. An untimed `at`
    is a date alone (midnight, as the engine reads it)."""
    key = when
    if key in info._moments:
        return info._moments[key]
    if len(info._moments) > 4096:
        info._moments.clear()
    lo, hi = when.lo, when.hi
    for atom in when.atoms:
        if atom.op == "lo":
            lo = max(lo, atom.value)
        elif atom.op == "hi":
            hi = min(hi, atom.value)
    result: st.SearchStrategy[tuple[dt.datetime, bool]] | None = None
    if lo <= hi:
        result = _moment_options(info, when, lo, hi)
    info._moments[key] = result
    return result


def _moment_options(
    info: _Policy, when: _When, lo: dt.datetime, hi: dt.datetime
) -> st.SearchStrategy[tuple[dt.datetime, bool]] | None:
    lo_local = lo.astimezone(info.zone).replace(tzinfo=None)
    hi_local = hi.astimezone(info.zone).replace(tzinfo=None)
    first, last = lo_local.date(), hi_local.date()
    days_in = when.days_in
    days_out = set(when.days_out)
    minutes = [(0, 1439)]
    ops = {atom.op for atom in when.atoms}
    timed_allowed = "dateonly" not in ops
    date_allowed = not ops & {"during", "outside"}
    for atom in when.atoms:
        match atom.op:
            case "day":
                days_in = frozenset({atom.value}) if days_in is None else days_in & {atom.value}
            case "notday":
                days_out.add(atom.value)
            case "on":
                days = info.pattern_days(atom.value, first, last)
                days_in = days if days_in is None else days_in & days
            case "off":
                days_out |= info.pattern_days(atom.value, first, last)
            case "during":
                minutes = _intersect(minutes, _minute_ranges(atom.value))
            case "outside":
                minutes = _intersect(minutes, _complement(_minute_ranges(atom.value)))
    lo_minute = lo_local.hour * 60 + lo_local.minute + (
        1 if lo_local.second or lo_local.microsecond else 0
    )
    hi_minute = hi_local.hour * 60 + hi_local.minute
    options: list[tuple[dt.date, tuple[tuple[int, int], ...], bool]] = []
    for day in _days(first, last):
        if (days_in is not None and day not in days_in) or day in days_out:
            continue
        ranges = minutes if timed_allowed else []
        if day == first:
            ranges = _intersect(ranges, [(lo_minute, 1439)])
        if day == last:
            ranges = _intersect(ranges, [(0, hi_minute)])
        midnight = dt.datetime.combine(day, dt.time())
        date_ok = date_allowed and lo_local <= midnight <= hi_local
        if ranges or date_ok:
            options.append((day, tuple(ranges), date_ok))
    if not options:
        return None
    zone = info.zone

    @st.composite
    def moment(draw: st.DrawFn) -> tuple[dt.datetime, bool]:
        day, ranges, date_ok = draw(st.sampled_from(options))
        if date_ok and (not ranges or draw(st.booleans())):
            return dt.datetime.combine(day, dt.time(), tzinfo=zone), False
        first_minute, last_minute = draw(st.sampled_from(ranges))
        m = draw(st.integers(first_minute, last_minute))
        return dt.datetime.combine(day, dt.time(m // 60, m % 60), tzinfo=zone), True

    return moment()


# ----------------------------------------------------------------------------- values


def _typed(info: _Policy, t: T.Type, value: Any) -> Any:
    """`value` as an attribute of type `t` is written (None: it cannot be)."""
    match t.kind:
        case T.Kind.INT:
            if is_number(value) and float(value).is_integer():
                return int(value)
            return None
        case T.Kind.NUMBER | T.Kind.RATIO:
            return value if is_number(value) else None
        case T.Kind.BOOL:
            return value if isinstance(value, bool) else None
        case T.Kind.FESTIVAL:
            return value if value in info.festivals else None
        case T.Kind.STRING:
            if not isinstance(value, str) or value == "":
                return None  # an empty cell is a missing value
            return value if t.values is None or value in t.values else None
        case T.Kind.LIST:
            if not isinstance(value, (list, tuple)) or t.item is None:
                return None
            items = [_typed(info, t.item, v) for v in value]
            return None if any(i is None for i in items) else items
    return None


def _values(
    info: _Policy, t: T.Type, atoms: Sequence[_Atom], window: tuple[dt.date, dt.date]
) -> st.SearchStrategy[Any] | None:
    """Values of type `t` (None meaning: the attribute is absent) that satisfy every atom;
    None when there are none."""

    def ok(value: Any) -> bool:
        return all(_holds_value(a, value) for a in atoms)

    present = _present(info, t, atoms, window)
    absent_ok = ok(None)
    if present is None:
        return st.none() if absent_ok else None
    if absent_ok:
        return st.one_of(present, st.none())
    return present


def _present(
    info: _Policy, t: T.Type, atoms: Sequence[_Atom], window: tuple[dt.date, dt.date]
) -> st.SearchStrategy[Any] | None:
    """Present values of type `t` that satisfy every atom (None: there are none)."""

    def ok(value: Any) -> bool:
        return all(_holds_value(a, value) for a in atoms)

    if any(a.op == "unset" for a in atoms):
        return None
    kind = t.kind
    candidates: list[Any] | None = None
    for atom in atoms:
        if atom.op in ("==", "is"):
            found = [atom.value]
        elif atom.op == "in":
            found = list(atom.value) if isinstance(atom.value, (list, tuple)) else []
        else:
            continue
        candidates = found if candidates is None else [c for c in candidates if c in found]
    if kind is T.Kind.LIST:
        exact = [a.value for a in atoms if a.op == "is"]
        if exact:
            value = _typed(info, t, exact[0])
            return st.just(value) if value is not None and ok(value) else None
        return _lists(info, t, atoms, window)
    if candidates is None:
        if kind is T.Kind.BOOL:
            candidates = [False, True]
        elif kind is T.Kind.STRING and t.values is not None:
            candidates = list(t.values)
        elif kind is T.Kind.FESTIVAL:
            candidates = list(info.festivals)
    if candidates is not None:
        good = []
        for candidate in candidates:
            value = _typed(info, t, candidate)
            if value is not None and ok(value) and value not in good:
                good.append(value)
        return st.sampled_from(good) if good else None
    if kind is T.Kind.INT:
        return _ints(atoms, ok)
    if kind in (T.Kind.NUMBER, T.Kind.RATIO):
        return _floats(atoms, ok)
    if kind is T.Kind.STRING:
        return info.texts().filter(ok)
    if kind in (T.Kind.DATE, T.Kind.DATETIME):
        start, end = window
        days = st.dates(start - dt.timedelta(days=365), end + dt.timedelta(days=365))
        if kind is T.Kind.DATE:
            return days.map(dt.date.isoformat)
        return st.builds(
            lambda d, m: dt.datetime.combine(d, dt.time(m // 60, m % 60)).isoformat(),
            days, st.integers(0, 1439),
        )
    return None


def _bounds(atoms: Sequence[_Atom]) -> tuple[float | None, bool, float | None, bool] | None:
    lo: float | None = None
    hi: float | None = None
    lo_open = hi_open = False
    for atom in atoms:
        if atom.op not in _ORDER:
            continue
        if not is_number(atom.value):
            return None
        v = float(atom.value)
        if atom.op in (">", ">="):
            if lo is None or v > lo or (v == lo and atom.op == ">"):
                lo, lo_open = v, atom.op == ">"
        elif hi is None or v < hi or (v == hi and atom.op == "<"):
            hi, hi_open = v, atom.op == "<"
    return lo, lo_open, hi, hi_open


def _ints(atoms: Sequence[_Atom], ok: Callable[[Any], bool]) -> st.SearchStrategy[Any] | None:
    bounds = _bounds(atoms)
    if bounds is None:
        return None
    lo, lo_open, hi, hi_open = bounds
    a = None if lo is None else (math.floor(lo) + 1 if lo_open else math.ceil(lo))
    b = None if hi is None else (math.ceil(hi) - 1 if hi_open else math.floor(hi))
    if a is None:
        a = 0 if b is None or b >= 0 else b - 20
    if b is None:
        b = max(a, 0) + 40
    if a > b:
        return None
    excluded = sum(1 for x in atoms if x.op in ("!=", "not in"))
    if not any(ok(v) for v in range(a, min(b, a + 2 * excluded + 64) + 1)):
        return None
    return st.integers(a, b).filter(ok)


def _floats(atoms: Sequence[_Atom], ok: Callable[[Any], bool]) -> st.SearchStrategy[Any] | None:
    bounds = _bounds(atoms)
    if bounds is None:
        return None
    lo, lo_open, hi, hi_open = bounds
    if lo is None:
        lo, lo_open = (0.0, False) if hi is None or hi > 0 or (hi == 0 and not hi_open) else (
            hi - 10, False
        )
    if hi is None:
        hi, hi_open = max(lo, 0.0) + 10, False
    if lo > hi or (lo == hi and (lo_open or hi_open)):
        return None
    if lo == hi:
        return st.just(lo) if ok(lo) else None
    halves = [
        k / 2
        for k in range(math.ceil(lo * 2), math.floor(hi * 2) + 1)
        if ok(k / 2) and (k / 2 > lo or not lo_open) and (k / 2 < hi or not hi_open)
    ][:64]
    floats = st.floats(lo, hi, exclude_min=lo_open, exclude_max=hi_open, allow_nan=False,
                       allow_infinity=False).filter(ok)
    if halves:
        return st.one_of(st.sampled_from(halves), floats)
    return floats


def _lists(
    info: _Policy, t: T.Type, atoms: Sequence[_Atom], window: tuple[dt.date, dt.date]
) -> st.SearchStrategy[Any] | None:
    assert t.item is not None
    item_type = t.item

    def ok(value: Any) -> bool:
        return all(_holds_value(a, value) for a in atoms)

    required: list[Any] = []
    for atom in atoms:
        if atom.op == "contains":
            value = _typed(info, item_type, atom.value)
            if value is None:
                return None
            if value not in required:
                required.append(value)
    forbidden = [a.value for a in atoms if a.op == "lacks"]
    if any(r in forbidden for r in required):
        return None
    least, most = len(required), None
    for atom in atoms:
        if atom.op == "set":
            least = max(least, 1)
        elif atom.op == "len":
            op, n = atom.value
            if not is_number(n):
                return None
            if op in (">=", ">", "=="):
                least = max(least, math.floor(n) + 1 if op == ">" else math.ceil(n))
            if op in ("<=", "<", "=="):
                bound = math.ceil(n) - 1 if op == "<" else math.floor(n)
                most = bound if most is None else min(most, bound)
    if most is None:
        most = least + 3
    if least > most or most < 0:
        return None
    items = _present(info, item_type, [], window)
    if items is None:
        return st.just(list(required)) if ok(list(required)) else None
    extras = st.lists(items.filter(lambda v: v not in forbidden),
                      min_size=max(least - len(required), 0), max_size=most - len(required))
    return extras.map(lambda more: [*required, *more]).filter(ok)


def _event_strategy(
    info: _Policy,
    kind: EventKind,
    unit: str,
    atoms: Sequence[_Atom],
    when: _When,
    ident: str | None = None,
) -> st.SearchStrategy[_Ev] | None:
    """Events of `kind` of `unit` that satisfy every atom, dated as `when` says; None when
    there are none. Attributes no atom constrains are drawn freely (or left out). Built once
    for each set of arguments: Hypothesis validates a strategy the first time it draws."""
    key = (kind.name, unit, tuple(atoms), when, ident)
    if key in info._events:
        return info._events[key]
    if len(info._events) > 4096:
        info._events.clear()
    found = _new_event_strategy(info, kind, atoms, when, ident)
    info._events[key] = found
    return found


def _new_event_strategy(
    info: _Policy,
    kind: EventKind,
    atoms: Sequence[_Atom],
    when: _When,
    ident: str | None,
) -> st.SearchStrategy[_Ev] | None:
    at_atoms = tuple(a for a in atoms if a.field == "at")
    moments = _moments(info, _When(when.lo, when.hi, when.days_in, when.days_out,
                                   when.atoms + at_atoms))
    if moments is None:
        return None
    window = (when.lo.date(), when.hi.date())
    by_field: dict[str, list[_Atom]] = {}
    for atom in atoms:
        if atom.field != "at":
            by_field.setdefault(atom.field, []).append(atom)
    if set(by_field) - set(kind.fields):
        return None
    constrained: dict[str, st.SearchStrategy[Any]] = {}
    free: dict[str, st.SearchStrategy[Any]] = {}
    for name, t in kind.fields.items():
        if name in by_field:
            values = _values(info, t, by_field[name], window)
            if values is None:
                return None
            constrained[name] = values
        else:
            present = _present(info, t, [], window)
            if present is not None:
                free[name] = present
    free_names = sorted(free)
    # a few of the other attributes, not all: fewer draws, and shrinks to none
    chosen = (
        st.lists(st.sampled_from(free_names), unique=True, max_size=min(3, len(free_names)))
        if free_names
        else st.just([])
    )
    name = kind.name

    @st.composite
    def build(draw: st.DrawFn) -> _Ev:
        at, timed = draw(moments)
        values = {k: draw(v) for k, v in constrained.items()}
        for other in draw(chosen):
            values[other] = draw(free[other])
        present = {k: v for k, v in values.items() if v is not None}
        return _Ev(name, at, timed, present, ident)

    return build()


def _dicts(evs: Sequence[_Ev], unit: str, prefix: str) -> list[dict[str, Any]]:
    """The events as input rows, numbered `prefix0`, `prefix1`, … (fixed ids kept)."""
    taken = {ev.ident for ev in evs if ev.ident is not None}
    out, number = [], 0
    for ev in evs:
        ident = ev.ident
        if ident is None:
            while f"{prefix}{number}" in taken:
                number += 1
            ident = f"{prefix}{number}"
            number += 1
        at = ev.at.replace(tzinfo=None)
        row: dict[str, Any] = {
            "id": ident,
            "unit": unit,
            "kind": ev.kind,
            "at": at.isoformat(timespec="seconds") if ev.timed else at.date().isoformat(),
        }
        row.update(ev.attrs)
        out.append(row)
    return out
