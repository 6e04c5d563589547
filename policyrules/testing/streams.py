"""Hypothesis strategies for event streams and unit rows: data for testing code built on a
policy (an export, a dashboard, a rule change) against the engine.

Four kinds of strategy, each drawing plain dicts that :func:`policyrules.data.events.read_events`
and :func:`policyrules.data.events.read_units` accept without a rejection:

* :func:`units` — one unit row for a policy's declared unit facts (``{"unit": "u1", "type":
  "社区", "staff": 12}``); with ``obligation=…``, a row the obligation applies to;
* :func:`event` and :func:`events` — one event, or a list of events with unique ids, of the
  policy's declared kinds and attribute types, dated inside a window;
* :func:`satisfying` — an event stream that makes one obligation ``met`` for one unit and
  one period instance, whatever ``as_of`` after the instance's due;
* :func:`violating` — a :class:`Violation`: an event stream that leaves the obligation not
  ``met`` for that unit and instance, saying which requirement it breaks and how.

The stream strategies solve the requirements rather than guess: a ``where`` that is a
conjunction of simple comparisons is solved attribute by attribute (``hours >= 1.5`` draws
hours from [1.5, 11.5]), a target from its numbers and the unit's facts (``90% of
unit.staff``, a headcount band). What they cannot solve raises :class:`Unsupported` naming
the construct, when the strategy is built; a stream that cannot exist (no qualifying day
in the period, a target of 0 that nothing violates, a unit fact the target reads missing,
an obligation that does not apply to the unit) raises :class:`Impossible`.

Supported requirements (``COND`` a conjunction of ``ATTR OP constant`` with OP one of ``==
!= < <= > >=``, ``ATTR between A and B``, ``ATTR in LIST``, ``ATTR not in LIST``, ``VALUE in
LIST_ATTR``, ``ATTR is set``, ``ATTR is not set``, a boolean attribute or its ``not``,
``len(LIST_ATTR) OP n``, ``at on PATTERN``, ``at during HH:MM..HH:MM``, ``at OP date``, ``at <
trigger.at``, and ``let``s that expand to these; a constant is a literal, a set, ``unit.FACT``,
``window.label``, ``trigger.id``/``trigger.at``, ``P% of …``, a band call or arithmetic of
these):

* ``count(KIND where COND) >= N`` (or ``> N``), ``exists(KIND where COND)``, and ``count(distinct
  FIELD of KIND where COND) >= N``, from any scope (``from area``, ``from all units``: the
  events are the unit's own);
* ``count(…) per PERIOD >= N`` (every sub-period), ``count(…) per FIELD in SET >= N`` (coverage),
  ``avg``/``min``/``max``/``sum`` of ``count(…) per PERIOD`` compared with ``>=``/``>``;
* several such requirements joined by ``and`` or written as several ``require`` lines;
* any schedule: ``once`` (with a due when open-ended), ``every PERIOD`` (``on PATTERN``
  included: events go on the qualifying days the compiler gives the instance), ``each
  PATTERN``, and ``for each KIND [where COND]`` — whose period is the id the strategies give
  the triggering event — with requirements on the trigger's own attributes (``participants
  >= yz_headcount(unit.staff)``) or selections tied to it (``ref == trigger.id``);
* cut periods: ``partial periods count``/``whole``/``skip`` as the compiler dates the
  instance; under ``prorate`` a target written as a number shrinks with the share of the
  period's days inside the window, rounded up (language.md). Groups ``per PERIOD`` are the
  sub-periods that overlap the instance, the cut first and last included.

Not supported (:class:`Unsupported`): per-person obligations (``for each FIELD of KIND``),
ceilings and exact counts (``<=``, ``between``, ``==`` on an aggregate: adding events breaks
them), ``or`` and quantifiers in a requirement, ``sum``/``avg``/``latest`` of attributes,
targets computed from events, patterns naming an event's attribute (``at on festival ± 7
days``), counts per period of a ``stock`` kind, and, in a pro-rated cut period, targets that
are not a number written in the ``require``.

Everything is drawn through Hypothesis, so examples shrink, and nothing reads the clock.
Event ids are ``PREFIX0``, ``PREFIX1``, …: give streams that are merged distinct prefixes.
Every strategy takes the checked policy or a compiled one; pass the compiled policy you
evaluate with when it has a calendar of its own (the strategies date periods with it).

Importing this module needs ``hypothesis`` (the ``test`` extra).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from hypothesis import reject
from hypothesis import strategies as st

from policyrules.calendar.moments import day_end, day_start
from policyrules.calendar.periods import Period, clip, groups_within
from policyrules.calendar.workdays import CalendarIndeterminate
from policyrules.data.events import read_units
from policyrules.engine.python.values import compare as compare_values
from policyrules.engine.verdict import is_number
from policyrules.evaluation import Evaluation
from policyrules.rules.compiler import (
    CompiledObligation,
    CompiledPolicy,
    Instance,
    compile_policy,
)
from policyrules.semantics import CheckedObligation, CheckedPolicy, EventKind
from policyrules.semantics import types as T
from policyrules.semantics.scope import IsAttribute, IsLet, Scope, resolve
from policyrules.syntax import ast
from policyrules.syntax.formatter import expression as show

__all__ = [
    "FAILS_CONDITION",
    "OFF_DAY",
    "OUTSIDE_WINDOW",
    "TOO_FEW",
    "Impossible",
    "Unsupported",
    "Violation",
    "after_due",
    "event",
    "events",
    "periods",
    "satisfying",
    "units",
    "violating",
]

X = TypeVar("X")

#: How a :class:`Violation` breaks its requirement.
TOO_FEW = "too few"  # fewer counting events (or distinct values) than the target
FAILS_CONDITION = "fails a condition"  # events that fail one conjunct of the `where`
OUTSIDE_WINDOW = "outside the window"  # events before the period or after the due
OFF_DAY = "not on a qualifying day"  # `every … on PATTERN`: events on other days

_UNIT_IDS = ("u1", "u2", "u3")
_MINUTE = dt.timedelta(minutes=1)
_TINY = dt.timedelta(microseconds=1)
_FLIP = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
_NEGATE = {"==": "!=", "!=": "==", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}
_ORDER = ("<", "<=", ">", ">=")
_BUILTINS = ("id", "unit", "kind", "at")
#: ops that hold only for a present value
_NEEDS_VALUE = frozenset({"==", "!=", "<", "<=", ">", ">=", "in", "set", "contains", "is"})


# ----------------------------------------------------------------------------- public types


class Unsupported(Exception):
    """A requirement, condition or schedule the stream strategies cannot solve.

    `shape` is the construct as written (``latest(status of station) == "operating"``), `why`
    says what about it is not supported, `obligation` names the obligation."""

    def __init__(self, obligation: str, shape: str, why: str) -> None:
        self.obligation = obligation
        self.shape = shape
        self.why = why
        super().__init__(f"obligation `{obligation}`: {why}: `{shape}`")


class Impossible(ValueError):
    """The stream asked for cannot exist: the obligation does not apply to the unit, the
    period has no day an event could count on, a target reads a unit fact the row lacks, or
    nothing can violate a target of 0."""


@dataclass(frozen=True)
class Violation:
    """An event stream that leaves an obligation not met, and why.

    `events` are the event dicts; `requirement` is the ``require`` it breaks, as written;
    `how` is one of :data:`TOO_FEW`, :data:`FAILS_CONDITION`, :data:`OUTSIDE_WINDOW`,
    :data:`OFF_DAY`; `conjunct` is the condition the near-miss events fail (for
    :data:`FAILS_CONDITION`); `group` the sub-period or member that falls short, for grouped
    requirements. The other requirements of the obligation may hold or not."""

    events: list[dict[str, Any]]
    requirement: str
    how: str
    conjunct: str | None = None
    group: str | None = None

    def __str__(self) -> str:
        parts = [f"`{self.requirement}`: {self.how}"]
        if self.conjunct is not None:
            parts.append(f"(fails `{self.conjunct}`)")
        if self.group is not None:
            parts.append(f"in {self.group}")
        return " ".join(parts) + f", {len(self.events)} events"


# ----------------------------------------------------------------------------- per policy


class _Policy:
    """What the strategies know about one policy, computed once."""

    def __init__(self, policy: CheckedPolicy, compiled: CompiledPolicy) -> None:
        self.policy = policy
        self.compiled = compiled
        self.zone = compiled.zone
        self.defs = policy.definitions
        self.festivals = tuple(self.defs.festivals)
        self.strings = _policy_strings(policy)
        self._pattern_days: dict[tuple[ast.Pattern, dt.date, dt.date], frozenset[dt.date]] = {}
        self._moments: dict[Any, st.SearchStrategy[tuple[dt.datetime, bool]] | None] = {}
        self._events: dict[Any, st.SearchStrategy[_Ev] | None] = {}
        anything = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=8)
        self._texts = st.one_of(st.sampled_from(self.strings), anything) if self.strings \
            else anything

    def day_start(self, day: dt.date) -> dt.datetime:
        return day_start(day, self.zone)

    def day_end(self, day: dt.date) -> dt.datetime:
        return day_end(day, self.zone)

    def pattern_days(
        self, pattern: ast.Pattern, start: dt.date, end: dt.date
    ) -> frozenset[dt.date]:
        key = (pattern, start, end)
        found = self._pattern_days.get(key)
        if found is None:
            try:
                occurrences = self.compiled.patterns.occurrences(
                    self.compiled.names.day_set(pattern), start, end
                )
            except CalendarIndeterminate as missing:
                raise Impossible(f"the calendar data for `{pattern}` is missing: {missing}") \
                    from missing
            found = frozenset(
                day
                for o in occurrences
                for day in _days(*clip(o.start, o.end, start, end))
            )
            self._pattern_days[key] = found
        return found

    def texts(self) -> st.SearchStrategy[str]:
        """Free string values: the policy's own words often, anything else sometimes."""
        return self._texts


_POLICIES: dict[int, tuple[object, _Policy]] = {}


def _of(policy: CheckedPolicy | CompiledPolicy) -> _Policy:
    found = _POLICIES.get(id(policy))
    if found is not None and found[0] is policy:
        return found[1]
    if isinstance(policy, CompiledPolicy):
        info = _Policy(policy.checked, policy)
    else:
        info = _Policy(policy, compile_policy(policy))
    _POLICIES[id(policy)] = (policy, info)  # the policy is kept, so its id is not reused
    return info


def _policy_strings(policy: CheckedPolicy) -> tuple[str, ...]:
    found: set[str] = set()
    roots: list[ast.Node] = []
    for ob in policy.obligations:
        roots.extend(ob.requires)
        roots.extend(ob.applies)
        roots.extend(ob.lets.values())
        if isinstance(ob.schedule, ast.ForEachEvent) and ob.schedule.where is not None:
            roots.append(ob.schedule.where)
    roots.extend(s.members for s in policy.definitions.sets.values())
    roots.extend(let.value for let in policy.definitions.lets.values())
    for root in roots:
        for node in ast.walk(root):
            if isinstance(node, ast.StringLit) and node.value:
                found.add(node.value)
    for kind in policy.definitions.events.values():
        for t in kind.fields.values():
            if t.values:
                found.update(v for v in t.values if v)
    return tuple(sorted(found))


def _days(start: dt.date, end: dt.date) -> Iterable[dt.date]:
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


# ----------------------------------------------------------------------------- atoms


@dataclass(frozen=True)
class _Spec:
    """One conjunct as written, not yet bound: FIELD OP VALUE. FIELD is an attribute (of an
    event, or a unit fact) or ``at``; VALUE an expression read when the stream is drawn."""

    field: str
    op: str
    value: ast.Expr | None
    text: str
    extra: Any = None  # a pattern for `on`, (start, end) for `during`, the operator for `len`


@dataclass(frozen=True)
class _Atom:
    """A bound conjunct: FIELD OP a value. For ``at``: ``lo``/``hi`` (inclusive bounds),
    ``day``/``notday``, ``on``/``off`` (a pattern), ``during``/``outside`` (times of day),
    ``dateonly``. For attributes: the comparison operators, ``in``, ``not in``, ``set``,
    ``unset``, ``contains``, ``lacks``, ``len`` (value: (operator, n)) and ``is`` (exactly)."""

    field: str
    op: str
    value: Any
    text: str


def _hashable(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    return value


def _holds_value(atom: _Atom, value: Any) -> bool:
    """Whether an attribute's value (None: absent) satisfies the atom, read as the engine
    reads it: an absent value compares with nothing, an empty list or string is not set."""
    c = atom.value
    match atom.op:
        case "==" | "!=" | "<" | "<=" | ">" | ">=":
            return compare_values(atom.op, value, c)
        case "in":
            return value is not None and c is not None and _hashable(value) in c
        case "not in":
            return not (value is not None and c is not None and _hashable(value) in c)
        case "set":
            return value not in (None, [], "")
        case "unset":
            return value in (None, [], "")
        case "contains":
            return isinstance(value, list) and c in value
        case "lacks":
            return not (isinstance(value, list) and c in value)
        case "len":
            op, n = c
            return compare_values(op, len(value) if isinstance(value, list) else 0, n)
        case "is":
            return value is not None and _hashable(value) == c
    raise AssertionError(atom.op)  # pragma: no cover


def _negations(atom: _Atom) -> list[list[_Atom]]:
    """Ways for a value to fail `atom`, each a conjunction of atoms."""
    f, op, c, text = atom.field, atom.op, atom.value, atom.text

    def one(o: str, v: Any = None) -> _Atom:
        return _Atom(f, o, v, text)

    if f == "at":
        match op:
            case "lo":
                return [[one("hi", c - _TINY)]]
            case "hi":
                return [[one("lo", c + _TINY)]]
            case "day":
                return [[one("notday", c)]]
            case "on":
                return [[one("off", c)]]
            case "during":
                return [[one("outside", c)], [one("dateonly")]]
        return []
    match op:
        case "==" | "!=" | "<" | "<=" | ">" | ">=":
            return [[one(_NEGATE[op], c)], [one("unset")]]
        case "in":
            return [[one("not in", c), one("set")], [one("unset")]]
        case "not in":
            return [[one("in", c)]]
        case "set":
            return [[one("unset")]]
        case "unset":
            return [[one("set")]]
        case "contains":
            return [[one("lacks", c), one("set")], [one("unset")]]
        case "lacks":
            return [[one("contains", c)]]
        case "len":
            return [[one("len", (_NEGATE[c[0]], c[1]))]]
    return []


# ----------------------------------------------------------------------------- internal events


@dataclass
class _Ev:
    kind: str
    at: dt.datetime
    timed: bool
    attrs: dict[str, Any]
    ident: str | None = None  # fixed (the trigger); others are numbered at the end

    def value(self, name: str) -> Any:
        return self.attrs.get(name)


def _holds(atom: _Atom, ev: _Ev, info: _Policy) -> bool:
    if atom.field != "at":
        return _holds_value(atom, ev.value(atom.field))
    c = atom.value
    match atom.op:
        case "lo":
            return bool(ev.at >= c)
        case "hi":
            return bool(ev.at <= c)
        case "day":
            return bool(ev.at.date() == c)
        case "notday":
            return bool(ev.at.date() != c)
        case "on" | "off":
            day = ev.at.date()
            inside = day in info.pattern_days(c, day, day)
            return inside if atom.op == "on" else not inside
        case "during" | "outside":
            if not ev.timed:
                return False
            inside = _in_times(ev.at.time(), c)
            return inside if atom.op == "during" else not inside
        case "dateonly":
            return not ev.timed
    raise AssertionError(atom.op)  # pragma: no cover


def _in_times(clock: dt.time, span: tuple[dt.time, dt.time]) -> bool:
    start, end = span
    clock = clock.replace(tzinfo=None)
    if start <= end:
        return start <= clock <= end
    return clock >= start or clock <= end


def _minute_ranges(span: tuple[dt.time, dt.time]) -> list[tuple[int, int]]:
    """The minutes of the day (0–1439) whose hh:mm:00 lies in `span`."""
    start, end = span
    first = start.hour * 60 + start.minute + (1 if start.second or start.microsecond else 0)
    last = end.hour * 60 + end.minute
    if start <= end:
        return [(first, last)] if first <= last else []
    return [r for r in ((first, 1439), (0, last)) if r[0] <= r[1]]


def _intersect(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    for lo1, hi1 in a:
        for lo2, hi2 in b:
            lo, hi = max(lo1, lo2), min(hi1, hi2)
            if lo <= hi:
                out.append((lo, hi))
    return out


def _complement(a: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out, start = [], 0
    for lo, hi in sorted(a):
        if lo > start:
            out.append((start, lo - 1))
        start = max(start, hi + 1)
    if start <= 1439:
        out.append((start, 1439))
    return out


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


# ----------------------------------------------------------------------------- units and events


def units(
    policy: CheckedPolicy | CompiledPolicy,
    *,
    unit: str | st.SearchStrategy[str] | None = None,
    obligation: str | CheckedObligation | None = None,
    **facts: Any,
) -> st.SearchStrategy[dict[str, Any]]:
    """One unit row: ``{"unit": ID, FACT: value, …}`` for the unit facts the policy declares,
    each of its declared type (``one of`` values from the list, festivals by name, dates as
    ISO text), each present or left out. The row is accepted by
    :func:`~policyrules.data.events.read_units`.

    `unit` fixes the id (or draws it from a strategy; default ``u1``/``u2``/``u3``). A keyword
    per fact fixes it: a value, a strategy to draw it from, or None to leave it out
    (``units(policy, type="社区", staff=st.integers(1, 20))``); naming a fact the policy does
    not declare is a :class:`ValueError`. With `obligation`, the row is one the obligation
    applies to (its ``applies to`` solved like a ``where``, an ``or`` by choosing a side)
    and every fact the obligation reads is present; facts given as keywords win."""
    info = _of(policy)
    declared = info.defs.unit_fields
    unknown = sorted(set(facts) - set(declared))
    if unknown:
        raise ValueError(
            f"not unit facts of policy `{info.policy.name}`: {', '.join(unknown)}"
            f" (it declares {', '.join(declared) or 'none'})"
        )
    ids: st.SearchStrategy[str]
    if unit is None:
        ids = st.sampled_from(_UNIT_IDS)
    elif isinstance(unit, str):
        ids = st.just(unit)
    else:
        ids = unit
    window = (info.policy.window.start, info.policy.window.end or info.policy.window.start)
    alternatives: list[list[_Atom]] = [[]]
    needed: set[str] = set()
    if obligation is not None:
        checked = _checked(info, obligation)
        subject = _UnitSubject(info, checked)
        alternatives = []
        for branch in subject.applies():
            bound = [subject.bind(spec) for spec in branch]
            alternatives.append(bound)
        needed = _facts_read(checked)
    options = []
    for atoms in alternatives:
        strategies: dict[str, st.SearchStrategy[Any]] = {}
        feasible = True
        for name, t in declared.items():
            mine = [a for a in atoms if a.field == name]
            if name in facts:
                given = facts[name]
                strategies[name] = given if isinstance(given, st.SearchStrategy) else st.just(given)
                continue
            values: st.SearchStrategy[Any] | None
            if name in needed:
                values = _present(info, t, mine, window)
            elif mine:
                values = _values(info, t, mine, window)
            else:
                free = _present(info, t, [], window)
                values = st.none() if free is None else st.one_of(st.none(), free)
            if values is None:
                feasible = False
                break
            strategies[name] = values
        id_atoms = [a for a in atoms if a.field == "id"]
        id_strategy = ids
        if id_atoms:
            pinned = _present(info, T.STRING, id_atoms, window)
            if pinned is None:
                feasible = False
            else:
                id_strategy = pinned
        if feasible:
            options.append(
                st.builds(
                    lambda ident, values: {
                        "unit": ident, **{k: v for k, v in values.items() if v is not None}
                    },
                    id_strategy,
                    st.fixed_dictionaries(strategies),
                )
            )
    if not options:
        name = obligation if isinstance(obligation, str) else getattr(obligation, "name", "")
        raise Impossible(f"no unit row satisfies the scope of `{name}`")
    return st.one_of(options)


def _facts_read(checked: CheckedObligation) -> set[str]:
    roots: list[ast.Node] = [*checked.requires, *checked.lets.values()]
    if isinstance(checked.schedule, ast.ForEachEvent) and checked.schedule.where is not None:
        roots.append(checked.schedule.where)
    return {
        node.name
        for root in roots
        for node in ast.walk(root)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Context)
        and node.value.which is ast.ContextName.UNIT
        and node.name != "id"
    }


def event(
    policy: CheckedPolicy | CompiledPolicy,
    kind: str | Sequence[str] | None = None,
    *,
    id: str = "e0",
    units: Sequence[str] | Sequence[Mapping[str, Any]] | st.SearchStrategy[str] = _UNIT_IDS,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> st.SearchStrategy[dict[str, Any]]:
    """One event dict of a declared kind (`kind`: one name, several, or None for any),
    of a unit from `units` (ids, unit rows, or a strategy of ids), dated between `start` and
    `end` (default: the policy's window, or its first year when open-ended) — a date-time to
    the minute, or sometimes a date alone. Each declared attribute is present or left out,
    of its declared type: ``one of`` values from the list, ``festival`` values among the
    policy's festivals, dates as ISO text, lists of such; a ``counts for`` list names units
    from `units`. :func:`~policyrules.data.events.read_events` accepts every one."""
    info = _of(policy)
    kinds = _kinds(info, kind)
    unit_ids = _unit_ids(units)
    window_start = start or info.policy.window.start
    window_end = end or info.policy.window.end or window_start + dt.timedelta(days=365)
    if window_end < window_start:
        raise ValueError(f"the window ends ({window_end}) before it starts ({window_start})")
    when = _When(info.day_start(window_start), info.day_end(window_end))
    moments = _moments(info, when)
    assert moments is not None
    per_kind = []
    for name in kinds:
        event_kind = info.defs.events[name]
        attributes: dict[str, st.SearchStrategy[Any]] = {}
        for attribute, t in event_kind.fields.items():
            if attribute == event_kind.counts_for:
                values: st.SearchStrategy[Any] = st.lists(unit_ids, max_size=3)
            else:
                free = _present(info, t, [], (window_start, window_end))
                values = st.none() if free is None else free
            attributes[attribute] = st.one_of(st.none(), values)
        per_kind.append(
            st.builds(_row, st.just(id), unit_ids, st.just(name), moments,
                      st.fixed_dictionaries(attributes))
        )
    return st.one_of(per_kind)


def _row(
    ident: str, unit: str, kind: str, moment: tuple[dt.datetime, bool], values: dict[str, Any]
) -> dict[str, Any]:
    at, timed = moment
    local = at.replace(tzinfo=None)
    row: dict[str, Any] = {
        "id": ident,
        "unit": unit,
        "kind": kind,
        "at": local.isoformat(timespec="seconds") if timed else local.date().isoformat(),
    }
    row.update({k: v for k, v in values.items() if v is not None})
    return row


def events(
    policy: CheckedPolicy | CompiledPolicy,
    kind: str | Sequence[str] | None = None,
    *,
    units: Sequence[str] | Sequence[Mapping[str, Any]] | st.SearchStrategy[str] = _UNIT_IDS,
    start: dt.date | None = None,
    end: dt.date | None = None,
    min_size: int = 0,
    max_size: int = 8,
    id_prefix: str = "e",
) -> st.SearchStrategy[list[dict[str, Any]]]:
    """A list of :func:`event` dicts with unique ids ``{id_prefix}0``, ``{id_prefix}1``, …
    (same arguments); read together, none is rejected."""
    one = event(policy, kind, units=units, start=start, end=end)
    return st.lists(one, min_size=min_size, max_size=max_size).map(
        lambda rows: [{**row, "id": f"{id_prefix}{i}"} for i, row in enumerate(rows)]
    )


def _kinds(info: _Policy, kind: str | Sequence[str] | None) -> list[str]:
    declared = list(info.defs.events)
    if kind is None:
        if not declared:
            raise ValueError(f"policy `{info.policy.name}` declares no event kind")
        return declared
    wanted = [kind] if isinstance(kind, str) else list(kind)
    unknown = [k for k in wanted if k not in info.defs.events]
    if unknown or not wanted:
        raise ValueError(
            f"not event kinds of policy `{info.policy.name}`: {', '.join(unknown) or '(none)'}"
            f" (it declares {', '.join(declared)})"
        )
    return wanted


def _unit_ids(
    units: Sequence[str] | Sequence[Mapping[str, Any]] | st.SearchStrategy[str],
) -> st.SearchStrategy[str]:
    if isinstance(units, st.SearchStrategy):
        return units
    ids = [u if isinstance(u, str) else str(u["unit"]) for u in units]
    if not ids or any(not i for i in ids):
        raise ValueError("`units` needs at least one non-empty unit id")
    return st.sampled_from(ids)


# ----------------------------------------------------------------------------- analysis


def _checked(info: _Policy, obligation: str | CheckedObligation) -> CheckedObligation:
    if isinstance(obligation, CheckedObligation):
        return obligation
    try:
        return info.policy.obligation(obligation)
    except KeyError:
        names = ", ".join(ob.name for ob in info.policy.obligations)
        raise ValueError(
            f"policy `{info.policy.name}` has no obligation `{obligation}` (it has {names})"
        ) from None


def _compiled_obligation(info: _Policy, obligation: str | CheckedObligation) -> CompiledObligation:
    checked = _checked(info, obligation)
    for ob in info.compiled.obligations:
        same = ob.name == checked.name and ob.checked.policy == checked.policy
        if ob.checked is checked or same:
            return ob
    raise ValueError(f"obligation `{checked.name}` is not one of policy `{info.policy.name}`")


class _Subject:
    """What the conjuncts of a condition talk about: the attributes of the events a `where`
    selects (or of the trigger), or the facts of a unit."""

    def __init__(self, info: _Policy, checked: CheckedObligation) -> None:
        self.info = info
        self.checked = checked
        self.lets: dict[str, ast.Expr] = {
            **{name: let.value for name, let in info.defs.lets.items()},
            **dict(checked.lets),
        }

    def unsupported(self, node: ast.Node | str, why: str) -> Unsupported:
        text = node if isinstance(node, str) else _show(node)
        return Unsupported(self.checked.name, text, why)

    # what a subclass says
    def field(self, node: ast.Node) -> str | None:
        raise NotImplementedError

    def field_type(self, name: str) -> T.Type | None:
        raise NotImplementedError

    def expand(self, name: str) -> ast.Expr | None:
        return self.lets.get(name)

    def reads(self, node: ast.Expr) -> bool:
        return any(self.field(n) is not None for n in ast.walk(node))

    # conditions → conjuncts
    def alternatives(self, node: ast.Expr) -> list[list[_Spec]]:
        """A condition as alternatives (its `or`s), each a conjunction of conjuncts."""
        if isinstance(node, ast.BoolOp):
            left, right = self.alternatives(node.left), self.alternatives(node.right)
            if node.op == "or":
                return left + right
            return [a + b for a in left for b in right]
        if isinstance(node, ast.Name) and self.field(node) is None:
            expansion = self.expand(node.id)
            if expansion is not None:
                return self.alternatives(expansion)
        return [self.conjuncts(node)]

    def conjuncts(self, node: ast.Expr) -> list[_Spec]:
        """A conjunction of simple conditions on the subject's fields."""
        text = _show(node)
        match node:
            case ast.BoolOp(op="and", left=left, right=right):
                return self.conjuncts(left) + self.conjuncts(right)
            case ast.BoolOp():
                raise self.unsupported(node, "`or` in a requirement's condition")
            case ast.BoolLit(value=True):
                return []
            case ast.Name() | ast.Attribute() if self.field(node) is not None:
                name = self.field(node)
                assert name is not None
                if self._kind(name) is not T.Kind.BOOL:
                    raise self.unsupported(node, "a condition that is not true or false")
                return [_Spec(name, "==", ast.BoolLit(True), text)]
            case ast.Name(id=name) if self.expand(name) is not None:
                expansion = self.expand(name)
                assert expansion is not None
                return self.conjuncts(expansion)
            case ast.Not(operand=operand) if self.field(operand) is not None:
                name = self.field(operand)
                assert name is not None
                if self._kind(name) is not T.Kind.BOOL:
                    raise self.unsupported(node, "`not` of a value that is not true or false")
                return [_Spec(name, "==", ast.BoolLit(False), text)]
            case ast.Compare(op=op, left=left, right=right):
                return [self._compare(op, left, right, text)]
            case ast.Between(value=value, low=low, high=high):
                return [self._compare(">=", value, low, text),
                        self._compare("<=", value, high, text)]
            case ast.In(value=value, collection=collection, negated=negated):
                return [self._in(value, collection, negated, node, text)]
            case ast.IsSet(value=value, negated=negated) if self.field(value) is not None:
                name = self.field(value)
                assert name is not None
                return [_Spec(name, "unset" if negated else "set", None, text)]
            case ast.OnPattern(value=value, pattern=pattern) if self.field(value) == "at":
                self._check_pattern(pattern, node)
                return [_Spec("at", "on", None, text, pattern)]
            case ast.During(value=value, start=start, end=end) if self.field(value) == "at":
                return [_Spec("at", "during", None, text, (start, end))]
        raise self.unsupported(node, "a condition other than simple comparisons")

    def _kind(self, name: str) -> T.Kind | None:
        t = self.field_type(name)
        return None if t is None else t.kind

    def _compare(self, op: str, left: ast.Expr, right: ast.Expr, text: str) -> _Spec:
        sides = ((left, right, op), (right, left, _FLIP[op]))
        for this, other, this_op in sides:
            name = self.field(this)
            if name is not None and not self.reads(other):
                return self._field_compare(name, this_op, other, text)
        for this, other, this_op in sides:
            name = self._length(this)
            if name is not None and not self.reads(other):
                return _Spec(name, "len", other, text, this_op)
        raise self.unsupported(text, "a comparison that is not FIELD OP constant")

    def _field_compare(self, name: str, op: str, other: ast.Expr, text: str) -> _Spec:
        if name == "at":
            if op == "!=":
                raise self.unsupported(text, "`at !=`")
            return _Spec("at", op, other, text)
        kind = self._kind(name)
        if name in _BUILTINS:
            raise self.unsupported(text, f"a condition on the event's `{name}`")
        if kind in (T.Kind.DATE, T.Kind.DATETIME, T.Kind.LIST, None):
            raise self.unsupported(text, "a comparison of a date or list attribute")
        if op in _ORDER and kind not in (T.Kind.INT, T.Kind.NUMBER, T.Kind.RATIO):
            raise self.unsupported(text, "an ordering of values that are not numbers")
        return _Spec(name, op, other, text)

    def _length(self, node: ast.Expr) -> str | None:
        if isinstance(node, ast.Call) and node.function == "len" and len(node.arguments) == 1:
            name = self.field(node.arguments[0])
            if name is not None and self._kind(name) is T.Kind.LIST:
                return name
        return None

    def _in(
        self, value: ast.Expr, collection: ast.Expr, negated: bool, node: ast.Expr, text: str
    ) -> _Spec:
        name = self.field(value)
        if name is not None and not self.reads(collection):
            if name in _BUILTINS or self._kind(name) in (T.Kind.LIST, T.Kind.DATE,
                                                         T.Kind.DATETIME, None):
                raise self.unsupported(text, "`in` on a list, date or built-in attribute")
            return _Spec(name, "not in" if negated else "in", collection, text)
        name = self.field(collection)
        if name is not None and self._kind(name) is T.Kind.LIST and not self.reads(value):
            return _Spec(name, "lacks" if negated else "contains", value, text)
        raise self.unsupported(node, "an `in` that is not FIELD in constant")

    def _check_pattern(self, pattern: ast.Pattern, node: ast.Expr) -> None:
        for part in ast.walk(pattern):
            names = self.info.compiled.names.festival_names
            if isinstance(part, ast.NamedPattern) and not names(part.name):
                raise self.unsupported(node, "a pattern that names an event's attribute")

    # binding
    def bind(self, spec: _Spec, env: _Env | None = None) -> _Atom:
        if spec.field == "at":
            return self._bind_at(spec, env)
        if spec.op in ("set", "unset"):
            return _Atom(spec.field, spec.op, None, spec.text)
        assert spec.value is not None
        value = _hashable(self.const(spec.value, env))
        if spec.op == "len":
            return _Atom(spec.field, "len", (spec.extra, value), spec.text)
        if spec.op in ("in", "not in") and value is not None and not isinstance(value, tuple):
            raise self.unsupported(spec.text, "`in` a value that is not a list")
        return _Atom(spec.field, spec.op, value, spec.text)

    def _bind_at(self, spec: _Spec, env: _Env | None) -> _Atom:
        if spec.op in ("on", "during"):
            return _Atom("at", spec.op, spec.extra, spec.text)
        assert spec.value is not None
        value = self.const(spec.value, env)
        zone = self.info.zone
        if isinstance(value, dt.datetime):
            moment = value if value.tzinfo else value.replace(tzinfo=zone)
            match spec.op:
                case ">=":
                    return _Atom("at", "lo", moment, spec.text)
                case ">":
                    return _Atom("at", "lo", moment + _TINY, spec.text)
                case "<=":
                    return _Atom("at", "hi", moment, spec.text)
                case "<":
                    return _Atom("at", "hi", moment - _TINY, spec.text)
        elif isinstance(value, dt.date):
            match spec.op:
                case ">=":
                    return _Atom("at", "lo", self.info.day_start(value), spec.text)
                case ">":
                    return _Atom("at", "lo", self.info.day_start(value + dt.timedelta(days=1)),
                                 spec.text)
                case "<=":
                    return _Atom("at", "hi", self.info.day_end(value), spec.text)
                case "<":
                    return _Atom("at", "hi", self.info.day_start(value) - _TINY, spec.text)
                case "==":
                    return _Atom("at", "day", value, spec.text)
                case "!=":
                    return _Atom("at", "notday", value, spec.text)
        raise self.unsupported(spec.text, "a comparison of `at` with something not a date")

    def const(self, node: ast.Expr, env: _Env | None) -> Any:
        """The value of an expression that reads no event."""
        match node:
            case ast.IntLit(value=v) | ast.BoolLit(value=v) | ast.StringLit(value=v):
                return v
            case ast.DecimalLit(value=v):
                return float(v)
            case ast.PercentLit(value=v):
                return float(v) / 100
            case ast.DateLit(value=v):
                return v
            case ast.ListLit(items=items):
                return [self.const(i, env) for i in items]
            case ast.Name(id=name) if self.field(node) is None:
                expansion = self.expand(name)
                if expansion is not None:
                    return self.const(expansion, env)
                set_def = self.info.defs.sets.get(name)
                if set_def is not None:
                    return [
                        m.value if isinstance(m, ast.StringLit) else getattr(m, "id", None)
                        for m in set_def.members.items
                    ]
            case ast.Attribute(value=ast.Context(which=which), name=name) if (
                self.field(node) is None
            ):
                return self._context(which, name, node, env)
            case ast.PercentOf(percent=percent, base=base):
                number = self.const(base, env)
                return float(percent) / 100 * number if is_number(number) else None
            case ast.BandCall(band=band, argument=argument):
                return self.info.compiled.lowering.band(band).minimum(self.const(argument, env))[0]
            case ast.Negate(operand=operand):
                number = self.const(operand, env)
                return -number if is_number(number) else None
            case ast.Arithmetic(op=op, left=left, right=right):
                a, b = self.const(left, env), self.const(right, env)
                if not (is_number(a) and is_number(b)):
                    return None
                if op == "/":
                    return a / b if b else None
                return a + b if op == "+" else a - b if op == "-" else a * b
            case ast.Call(function="lower", arguments=(argument,)):
                value = self.const(argument, env)
                return value.lower() if isinstance(value, str) else value
        raise self.unsupported(node, "a target or value that is not a constant")

    def _context(self, which: ast.ContextName, name: str, node: ast.Expr, env: _Env | None) -> Any:
        if env is None:
            raise self.unsupported(node, "a value read from the unit, window or trigger here")
        match which:
            case ast.ContextName.UNIT:
                return env.unit if name == "id" else env.facts.get(name)
            case ast.ContextName.WINDOW:
                return {"start": env.instance.start, "end": env.instance.end,
                        "label": env.instance.label}.get(name)
            case ast.ContextName.TRIGGER if env.trigger is None:
                raise self.unsupported(node, "a condition on the trigger that reads `trigger.…`")
            case ast.ContextName.TRIGGER if env.trigger is not None:
                trigger = env.trigger
                match name:
                    case "id":
                        return trigger.ident
                    case "at":
                        return trigger.at
                    case "unit":
                        return env.unit
                    case "kind":
                        return trigger.kind
                value = trigger.value(name)
                kind = self.info.defs.events[trigger.kind].fields.get(name)
                if isinstance(value, str) and kind is not None and kind.kind is T.Kind.DATE:
                    return dt.date.fromisoformat(value)
                if isinstance(value, str) and kind is not None and kind.kind is T.Kind.DATETIME:
                    return dt.datetime.fromisoformat(value).replace(tzinfo=self.info.zone)
                return value
        raise self.unsupported(node, "a value read from the person (`subject`)")


class _EventSubject(_Subject):
    """The attributes of an event kind: those of the events a `where` selects, or — outside
    any `where` of a `for each KIND` obligation — the trigger's. Names mean what
    :func:`policyrules.semantics.scope.resolve` says: attributes come before `let`s."""

    def __init__(
        self, info: _Policy, checked: CheckedObligation, kind: EventKind, in_where: bool
    ) -> None:
        super().__init__(info, checked)
        self.kind = kind
        self.scope = Scope(event=kind, event_is_trigger=not in_where, lets=dict(checked.lets))

    def field(self, node: ast.Node) -> str | None:
        if not isinstance(node, ast.Name):
            return None
        meaning = resolve(node.id, self.scope, self.info.defs)
        return node.id if isinstance(meaning, IsAttribute) else None

    def field_type(self, name: str) -> T.Type | None:
        return self.kind.field_type(name)

    def expand(self, name: str) -> ast.Expr | None:
        meaning = resolve(name, self.scope, self.info.defs)
        return meaning.value if isinstance(meaning, IsLet) else None


class _UnitSubject(_Subject):
    """The facts of the unit (`unit.type`), for solving an obligation's `applies to`."""

    def field(self, node: ast.Node) -> str | None:
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Context)
            and node.value.which is ast.ContextName.UNIT
        ):
            return node.name
        return None

    def field_type(self, name: str) -> T.Type | None:
        if name == "id":
            return T.STRING
        return self.info.defs.unit_fields.get(name)

    def applies(self) -> list[list[_Spec]]:
        branches: list[list[_Spec]] = [[]]
        for condition in self.checked.applies:
            branches = [a + b for a in branches for b in self.alternatives(condition)]
        return branches

    def bind(self, spec: _Spec, env: _Env | None = None) -> _Atom:
        if spec.op in ("len",) or spec.field == "at":
            raise self.unsupported(spec.text, "this condition on a unit fact")
        return super().bind(spec, env)


def _show(node: ast.Node) -> str:
    try:
        return show(node)  # type: ignore[arg-type]
    except Exception:  # pragma: no cover - a pattern or a type: its name
        return type(node).__name__


# ----------------------------------------------------------------------------- requirements


@dataclass(frozen=True)
class _Sel:
    kind: EventKind
    specs: tuple[_Spec, ...]
    distinct: str | None
    text: str


@dataclass(frozen=True)
class _Req:
    """One requirement in a shape the strategies solve."""

    text: str
    shape: str  # count | per_period | per_member | reduce | trigger
    sel: _Sel | None = None
    op: str = ">="
    target: ast.Expr | None = None
    period: ast.PeriodUnit | None = None
    member_field: str | None = None
    members: ast.Expr | None = None
    reducer: str | None = None
    specs: tuple[_Spec, ...] = ()  # the trigger shape: conditions on the trigger
    #: the target is a number written in the `require` itself (what `prorate` scales)
    literal: bool = False


class _Analysis:
    """An obligation's requirements, in the shapes the strategies solve."""

    def __init__(self, info: _Policy, ob: CompiledObligation) -> None:
        self.info = info
        self.ob = ob
        checked = ob.checked
        self.checked = checked
        self.name = checked.name
        if checked.subject is not None:
            raise Unsupported(
                self.name,
                f"for each {checked.subject.field} of {checked.subject.kind}",
                "per-person obligations",
            )
        schedule = checked.schedule
        self.trigger: EventKind | None = None
        self.trigger_branches: list[list[_Spec]] = [[]]
        if isinstance(schedule, ast.ForEachEvent):
            self.trigger = info.defs.events[schedule.kind]
            if schedule.where is not None:
                subject = _EventSubject(info, checked, self.trigger, in_where=True)
                self.trigger_branches = subject.alternatives(schedule.where)
        self.reqs: list[_Req] = []
        for condition in checked.requires:
            self.reqs.extend(self.requirement(condition))

    def unsupported(self, node: ast.Node | str, why: str) -> Unsupported:
        return Unsupported(self.name, node if isinstance(node, str) else _show(node), why)

    def requirement(self, node: ast.Expr, written: bool = True) -> list[_Req]:
        """`node` in the shapes the strategies solve; `written`: it stands in the `require`
        itself, not in a `let` it names."""
        text = _show(node)
        lets = {**{n: let.value for n, let in self.info.defs.lets.items()}, **self.checked.lets}
        if isinstance(node, ast.Name) and node.id in lets:
            return self.requirement(lets[node.id], written=False)
        if isinstance(node, ast.BoolOp) and node.op == "and":
            return self.requirement(node.left, written) + self.requirement(node.right, written)
        if (
            isinstance(node, ast.Aggregate)
            and node.function == "exists"
            and isinstance(node.source, ast.Selection)
        ):
            # at least one: pro-rating leaves it one
            return [_Req(text, "count", self.selection(node.source), ">=", ast.IntLit(1),
                         literal=True)]
        if isinstance(node, ast.Compare):
            left, op, right = node.left, node.op, node.right
            literal = written and isinstance(right, (ast.IntLit, ast.DecimalLit))
            if _aggregated(right) and not _aggregated(left):
                left, op, right = right, _FLIP[op], left
                literal = False
            if _aggregated(left):
                if any(isinstance(n, (ast.Aggregate, ast.Grouped, ast.Selection))
                       for n in ast.walk(right)):
                    raise self.unsupported(node, "a target computed from events")
                req = self.aggregate(left, op, right, text, node)
                if op not in (">=", ">"):
                    raise self.unsupported(
                        node, f"`{op}` on a count (only `>=` and `>` targets: adding events"
                        " can break a ceiling)"
                    )
                return [replace(req, literal=literal)]
        if self.trigger is not None and not any(
            isinstance(n, (ast.Aggregate, ast.Grouped, ast.Selection))
            for n in ast.walk(node)
        ):
            subject = _EventSubject(self.info, self.checked, self.trigger, in_where=False)
            return [_Req(text, "trigger", specs=tuple(subject.conjuncts(node)))]
        raise self.unsupported(node, "a requirement of another shape")

    def aggregate(
        self, node: ast.Expr, op: str, target: ast.Expr, text: str, whole: ast.Expr
    ) -> _Req:
        match node:
            case ast.Aggregate(function="count", source=ast.Selection() as source):
                return _Req(text, "count", self.selection(source), op, target)
            case ast.Grouped(
                aggregate=ast.Aggregate(function="count", source=ast.Selection() as source),
                group=ast.PeriodGroup(unit=unit),
            ):
                return _Req(text, "per_period", self.selection(source), op, target, period=unit)
            case ast.Grouped(
                aggregate=ast.Aggregate(function="count", source=ast.Selection() as source),
                group=ast.MemberGroup(field=member_field, members=members),
            ):
                sel = self.selection(source)
                if any(spec.field == member_field for spec in sel.specs):
                    raise self.unsupported(node, "a coverage whose `where` tests its field")
                if sel.kind.field_type(member_field) is None or member_field in _BUILTINS:
                    raise self.unsupported(node, "a coverage of a built-in attribute")
                return _Req(text, "per_member", sel, op, target, member_field=member_field,
                            members=members)
            case ast.Aggregate(
                function="avg" | "min" | "max" | "sum" as reducer,
                source=ast.Grouped(
                    aggregate=ast.Aggregate(function="count", source=ast.Selection() as source),
                    group=ast.PeriodGroup(unit=unit),
                ),
            ):
                return _Req(text, "reduce", self.selection(source), op, target, period=unit,
                            reducer=reducer)
        raise self.unsupported(whole, "an aggregate other than counts")

    def selection(self, sel: ast.Selection) -> _Sel:
        kind = self.info.defs.events.get(sel.kind)
        if kind is None:
            raise self.unsupported(sel, "the size of a set")
        specs: list[_Spec] = []
        if sel.where is not None:
            subject = _EventSubject(self.info, self.checked, kind, in_where=True)
            specs = subject.conjuncts(sel.where)
        distinct = sel.field if sel.distinct else None
        if distinct is not None:
            t = kind.field_type(distinct)
            if distinct in _BUILTINS or t is None:
                raise self.unsupported(sel, "`distinct` of a built-in attribute")
            if t.kind is T.Kind.LIST and any(s.field == distinct for s in specs):
                raise self.unsupported(sel, "`distinct` of a list attribute that `where` tests")
            if t.kind in (T.Kind.DATE, T.Kind.DATETIME):
                raise self.unsupported(sel, "`distinct` of a date attribute")
        return _Sel(kind, tuple(specs), distinct, _show(sel))


def _aggregated(node: ast.Expr) -> bool:
    return isinstance(node, (ast.Aggregate, ast.Grouped))


# ----------------------------------------------------------------------------- binding


@dataclass
class _Env:
    """One unit and one instance (and, for `for each KIND`, one trigger)."""

    info: _Policy
    ob: CompiledObligation
    unit: str
    facts: Mapping[str, Any]
    instance: Instance
    trigger: _Ev | None = None
    #: under `partial periods prorate`, the share of a cut period's days inside the window
    share: float | None = None


@dataclass
class _Way:
    """A way to violate one requirement: the events it draws, and what to say about it."""

    how: str
    conjunct: str | None
    group: str | None
    events: st.SearchStrategy[list[_Ev]]


class _BoundSel:
    """A selection bound to a unit and an instance: which events count, and strategies for
    events that count and for near misses."""

    def __init__(self, env: _Env, sel: _Sel, analysis: _Analysis) -> None:
        self.env = env
        self.info = env.info
        self.kind = sel.kind
        self.distinct = sel.distinct
        self.text = sel.text
        subject = _EventSubject(env.info, analysis.checked, sel.kind, in_where=True)
        atoms = [subject.bind(spec, env) for spec in sel.specs]
        if self.distinct is not None:
            atoms.append(_Atom(self.distinct, "set", None, f"{self.distinct} is set"))
        self.atoms = atoms
        info, instance = env.info, env.instance
        assert instance.due is not None
        self.hi = instance.due
        if env.trigger is not None:
            self.lo: dt.datetime | None = None
            self.gen_lo = info.day_start(env.trigger.at.date() - dt.timedelta(days=30))
            self.qualifying: frozenset[dt.date] | None = None
        else:
            self.lo = None if sel.kind.stock else info.day_start(instance.start)
            self.gen_lo = info.day_start(instance.start)
            self.qualifying = None
            if instance.qualifying is not None and not sel.kind.stock:
                self.qualifying = frozenset(
                    day
                    for o in instance.qualifying
                    for day in _days(*clip(o.start, o.end, instance.start, instance.end))
                )

    def may_count(self, ev: _Ev) -> bool:
        """Whether `ev` may count toward the selection (anywhere in the instance)."""
        if ev.kind != self.kind.name or ev.at > self.hi:
            return False
        if self.lo is not None and ev.at < self.lo:
            return False
        if self.qualifying is not None and ev.at.date() not in self.qualifying:
            return False
        return all(_holds(a, ev, self.info) for a in self.atoms)

    def good(
        self, lo: dt.datetime, hi: dt.datetime, extra: Sequence[_Atom] = ()
    ) -> st.SearchStrategy[_Ev] | None:
        return _event_strategy(self.info, self.kind, self.env.unit, [*self.atoms, *extra],
                               _When(lo, hi, self.qualifying))

    def distinct_value(self, value: Any) -> Any:
        """`value` as the `distinct` attribute holds it: a list attribute lists it alone."""
        assert self.distinct is not None
        t = self.kind.field_type(self.distinct)
        return [value] if t is not None and t.kind is T.Kind.LIST else value

    def unique_values(self, n: int) -> st.SearchStrategy[list[Any]] | None:
        """`n` distinct values of the `distinct` attribute that satisfy the `where`."""
        assert self.distinct is not None
        t = self.kind.field_type(self.distinct)
        assert t is not None
        window = (self.gen_lo.date(), self.hi.date())
        if t.kind is T.Kind.LIST:
            assert t.item is not None
            values = _present(self.info, t.item, [], window)
        else:
            values = _present(self.info, t, [a for a in self.atoms if a.field == self.distinct],
                              window)
        if values is None:
            return None if n else st.just([])
        return st.lists(values, min_size=n, max_size=n, unique_by=_hashable)

    def bad_ways(
        self, lo: dt.datetime, hi: dt.datetime, extra: Sequence[_Atom] = ()
    ) -> list[tuple[str, str | None, st.SearchStrategy[_Ev]]]:
        """Near misses: events that fail one conjunct, lie outside the window, or fall on a
        day that does not qualify — (how, conjunct, strategy) for each that can exist."""
        info, unit = self.info, self.env.unit
        ways: list[tuple[str, str | None, st.SearchStrategy[_Ev]]] = []
        for i, atom in enumerate(self.atoms):
            others = [a for j, a in enumerate(self.atoms) if j != i]
            for alternative in _negations(atom):
                strategy = _event_strategy(info, self.kind, unit, [*others, *alternative, *extra],
                                           _When(lo, hi, self.qualifying))
                if strategy is not None:
                    ways.append((FAILS_CONDITION, atom.text, strategy))
        every = [*self.atoms, *extra]
        if self.lo is not None:
            before = _When(self.lo - dt.timedelta(days=30), self.lo - _TINY)
            strategy = _event_strategy(info, self.kind, unit, every, before)
            if strategy is not None:
                ways.append((OUTSIDE_WINDOW, None, strategy))
        after_start = (self.hi + _MINUTE).replace(second=0, microsecond=0)
        after = _When(after_start, self.hi + dt.timedelta(days=30))
        strategy = _event_strategy(info, self.kind, unit, every, after)
        if strategy is not None:
            ways.append((OUTSIDE_WINDOW, None, strategy))
        if self.qualifying is not None:
            off = _When(lo, hi, None, self.qualifying)
            strategy = _event_strategy(info, self.kind, unit, every, off)
            if strategy is not None:
                ways.append((OFF_DAY, None, strategy))
        return ways


@st.composite
def _fill(
    draw: st.DrawFn,
    sel: _BoundSel,
    slots: Sequence[tuple[dt.datetime, dt.datetime, int, tuple[_Atom, ...]]],
    repeats: bool = False,
) -> list[_Ev]:
    """Counting events: in each slot (lo, hi, count, extra atoms), `count` of them; for a
    `distinct` selection each with a value of its own (with `repeats`, some values again)."""
    total = sum(slot[2] for slot in slots)
    values: list[Any] | None = None
    if sel.distinct is not None:
        unique = sel.unique_values(total)
        if unique is None:
            reject()
        values = draw(unique)
    out: list[_Ev] = []
    for lo, hi, count, extra in slots:
        if not count:
            continue
        strategy = sel.good(lo, hi, extra)
        if strategy is None:
            reject()
        for _ in range(count):
            if values is None:
                out.append(draw(strategy))
                continue
            value = sel.distinct_value(values.pop())
            for _ in range(draw(st.integers(1, 2)) if repeats else 1):
                ev = draw(strategy)
                assert sel.distinct is not None
                ev.attrs[sel.distinct] = value  # from the attribute's own solutions
                out.append(ev)
    return out


def _least(op: str, target: float, divisor: int = 1) -> int:
    """The least count n with `n / divisor OP target`."""
    n = max(0, math.floor(target * divisor) - 2)
    while not compare_values(op, n / divisor if divisor != 1 else n, target):
        n += 1
    return n


_Slot = tuple[dt.datetime, dt.datetime, tuple[_Atom, ...]]


class _BoundReq:
    """A requirement bound to a unit and an instance: strategies for events that satisfy
    it, and the ways to violate it."""

    def __init__(self, env: _Env, req: _Req, analysis: _Analysis) -> None:
        self.env = env
        self.req = req
        self.text = req.text
        self.name = analysis.name
        info = env.info
        assert req.sel is not None
        self.sel = _BoundSel(env, req.sel, analysis)
        subject = _EventSubject(info, analysis.checked, req.sel.kind, in_where=True)
        assert req.target is not None
        target = subject.const(req.target, env)
        if not is_number(target):
            raise Impossible(
                f"`{self.name}`: the target of `{req.text}` is {target!r} for unit"
                f" `{env.unit}` (is a unit fact missing?)"
            )
        self.target = float(target)
        if env.share is not None and req.literal:
            # pro-rated: the written target times the share of the period, rounded up
            self.target = float(math.ceil(self.target * env.share - 1e-9))
        self.groups: list[tuple[str, dt.datetime, dt.datetime]] = []
        self.members: list[Any] = []
        if req.shape in ("per_period", "reduce"):
            assert req.period is not None
            if req.sel.kind.stock:
                raise Unsupported(self.name, req.text, "a count per period of a stock kind (what"
                                  " carries over counts in every later sub-period)")
            self.groups = self._period_groups(req.period)
        if req.shape == "per_member":
            members = subject.const(req.members, env) if req.members is not None else None
            if not isinstance(members, list):
                raise Unsupported(self.name, req.text, "coverage of something not a list")
            self.members = members
            field_type = req.sel.kind.field_type(req.member_field or "")
            assert field_type is not None
            self.member_type = field_type
        if req.shape == "reduce" and req.reducer == "avg":
            self.need = _least(req.op, self.target, max(len(self.groups), 1))
        else:
            self.need = _least(req.op, self.target)
        self._group_ways: dict[int, list[_Way]] = {}
        self._satisfy: st.SearchStrategy[list[_Ev]] | None = None
        self._decoys: list[st.SearchStrategy[_Ev]] | None = None
        self._ways: list[_Way] | None = None

    # the groups of a grouped requirement
    def _period_groups(self, unit: ast.PeriodUnit) -> list[tuple[str, dt.datetime, dt.datetime]]:
        """The sub-periods of the instance: every `unit` period that overlaps its days, the
        cut first and last included, each clipped to the instance (and to the due)."""
        env, info = self.env, self.env.info
        instance = env.instance
        return [
            (sub.label, info.day_start(start), min(info.day_end(end), self.sel.hi))
            for sub, start, end in groups_within(unit, instance.start, instance.end)
        ]

    def _member_atom(self, member: Any) -> _Atom:
        name = self.req.member_field
        assert name is not None
        if self.member_type.kind is T.Kind.LIST:
            return _Atom(name, "is", (member,), f"{name} is [{member!r}]")
        return _Atom(name, "is", member, f"{name} == {member!r}")

    def _window(self) -> tuple[dt.datetime, dt.datetime]:
        return self.sel.gen_lo, self.sel.hi

    # satisfying
    def satisfy(self) -> st.SearchStrategy[list[_Ev]]:
        """Events that satisfy it (built once; :class:`Impossible` when none can)."""
        if self._satisfy is None:
            self._satisfy = self._satisfying()
        return self._satisfy

    def _satisfying(self) -> st.SearchStrategy[list[_Ev]]:
        sel, n, shape = self.sel, self.need, self.req.shape
        lo, hi = self._window()
        if shape == "count":
            if n and sel.good(lo, hi) is None:
                raise self._impossible("no event can count")
            return st.integers(n, n + 2).flatmap(
                lambda k: _fill(sel, [(lo, hi, k, ())], repeats=True)
            )
        if shape == "per_member":
            if not self.members:
                raise self._impossible("it covers an empty set")
            members: list[_Slot] = []
            for member in self.members:
                extra = (self._member_atom(member),)
                if n and sel.good(lo, hi, extra) is None:
                    raise self._impossible(f"no event can count for `{member}`")
                members.append((lo, hi, extra))
            return self._counts(members, [st.integers(n, n + 1)] * len(members))
        open_groups = [g for g in self.groups if sel.good(g[1], g[2]) is not None]
        slots: list[_Slot] = [(g[1], g[2], ()) for g in open_groups]
        if shape == "per_period" or self.req.reducer == "min":
            if not self.groups:
                raise self._impossible("the instance has no sub-period")
            if n and len(open_groups) < len(self.groups):
                raise self._impossible("a sub-period has no day an event can count on")
            return self._counts(slots, [st.integers(n, n + 1)] * len(slots))
        if self.req.reducer == "max":
            if not open_groups and n:
                raise self._impossible("no sub-period has a day an event can count on")
            if not open_groups:
                return st.just([])
            return st.integers(0, len(open_groups) - 1).flatmap(
                lambda g: self._counts(
                    slots, [st.integers(n, n + 1) if i == g else st.integers(0, n)
                            for i in range(len(slots))]
                )
            )
        # sum and avg: a total, spread over the sub-periods any way
        if n and not open_groups:
            raise self._impossible("no sub-period has a day an event can count on")
        return self._spread(slots, st.integers(n, n + 2))

    def _impossible(self, why: str) -> Impossible:
        return Impossible(f"`{self.name}` cannot be met for unit `{self.env.unit}` in"
                          f" {self.env.instance.label}: `{self.text}`: {why}")

    def _counts(
        self,
        slots: Sequence[tuple[dt.datetime, dt.datetime, tuple[_Atom, ...]]],
        counts: Sequence[st.SearchStrategy[int]],
    ) -> st.SearchStrategy[list[_Ev]]:
        sel = self.sel
        return st.tuples(*counts).flatmap(
            lambda ks: _fill(sel, [(lo, hi, k, extra) for (lo, hi, extra), k in zip(slots, ks,
                                                                                     strict=True)])
        )

    def _spread(
        self,
        slots: Sequence[tuple[dt.datetime, dt.datetime, tuple[_Atom, ...]]],
        totals: st.SearchStrategy[int],
    ) -> st.SearchStrategy[list[_Ev]]:
        if not slots:
            return st.just([])

        def spread(total: int) -> st.SearchStrategy[list[_Ev]]:
            return st.lists(st.integers(0, len(slots) - 1), min_size=total,
                            max_size=total).flatmap(
                lambda picks: _fill(
                    self.sel,
                    [(lo, hi, picks.count(i), extra) for i, (lo, hi, extra) in enumerate(slots)],
                )
            )

        return totals.flatmap(spread)

    # violating
    def can_violate(self) -> bool:
        shape, n = self.req.shape, self.need
        if n <= 0:
            return False
        if shape == "per_member":
            return bool(self.members)
        if shape == "per_period" or self.req.reducer == "min":
            return bool(self.groups)
        return True

    def ways(self, target: int | None = None) -> list[_Way]:
        """The ways to violate it (for a grouped requirement, in group number `target`)."""
        shape, n, sel = self.req.shape, self.need, self.sel
        lo, hi = self._window()
        if shape == "count":
            if self._ways is None:
                few = st.integers(0, n - 1)
                self._ways = self._mix(
                    few.flatmap(lambda k: _fill(sel, [(lo, hi, k, ())], repeats=True)),
                    sel.bad_ways(lo, hi), None,
                )
            return self._ways
        if shape == "per_member" or shape == "per_period" or self.req.reducer == "min":
            assert target is not None
            if target in self._group_ways:
                return self._group_ways[target]
            slots: list[_Slot]
            if shape == "per_member":
                slots = [(lo, hi, (self._member_atom(m),)) for m in self.members]
                label = str(self.members[target])
            else:
                slots = [(g[1], g[2], ()) for g in self.groups]
                label = self.groups[target][0]
            if any(sel.good(*slot) is None for slot in slots):
                # another group cannot be met anyway: the short one is enough
                counts = [st.integers(0, n - 1) if i == target else st.just(0)
                          for i in range(len(slots))]
            else:
                counts = [st.integers(0, n - 1) if i == target else st.integers(n, n + 1)
                          for i in range(len(slots))]
            t_lo, t_hi, t_extra = slots[target]
            bad = sel.bad_ways(t_lo, t_hi, t_extra)
            if shape == "per_member":
                # near misses of coverage: the member's attribute another value, or missing
                field_name = self.req.member_field
                assert field_name is not None
                member = self.members[target]
                shown = f'"{member}"' if isinstance(member, str) else str(member)
                text = f"{field_name} == {shown}"
                for atom in (_Atom(field_name, "!=", _hashable(member), text),
                             _Atom(field_name, "unset", None, text)):
                    if self.member_type.kind is T.Kind.LIST:
                        atom = _Atom(field_name, "lacks" if atom.op == "!=" else "unset",
                                     member, text)
                    strategy = sel.good(t_lo, t_hi, (atom,))
                    if strategy is not None:
                        bad.append((FAILS_CONDITION, text, strategy))
            found = self._mix(self._counts(slots, counts), bad, label)
            self._group_ways[target] = found
            return found
        if self._ways is not None:
            return self._ways
        open_slots: list[_Slot] = [
            (g[1], g[2], ()) for g in self.groups if sel.good(g[1], g[2]) is not None
        ]
        if self.req.reducer == "max":
            body = self._counts(open_slots, [st.integers(0, n - 1)] * len(open_slots))
        else:
            body = self._spread(open_slots, st.integers(0, n - 1))
        bad = [way for g in self.groups[:1] for way in sel.bad_ways(g[1], g[2])]
        if len(self.groups) > 1:
            last = self.groups[-1]
            bad += [w for w in sel.bad_ways(last[1], last[2]) if w[0] != OUTSIDE_WINDOW]
        self._ways = self._mix(body, bad, None)
        return self._ways

    def _mix(
        self,
        few: st.SearchStrategy[list[_Ev]],
        bad: Sequence[tuple[str, str | None, st.SearchStrategy[_Ev]]],
        group: str | None,
    ) -> list[_Way]:
        ways = [_Way(TOO_FEW, None, group, few)]
        for how, conjunct, strategy in bad:
            both = st.tuples(few, st.lists(strategy, min_size=1, max_size=3))
            ways.append(_Way(how, conjunct, group, both.map(lambda pair: pair[0] + pair[1])))
        return ways

    def decoys(self) -> list[st.SearchStrategy[_Ev]]:
        """Events that do not count for this requirement, for satisfying streams."""
        if self._decoys is None:
            lo, hi = self._window()
            self._decoys = [s for _, _, s in self.sel.bad_ways(lo, hi)[:6]]
        return self._decoys


# ----------------------------------------------------------------------------- obligations


class _Plan:
    """One obligation, one unit, one period instance: everything drawn from it."""

    def __init__(
        self,
        policy: CheckedPolicy | CompiledPolicy,
        obligation: str | CheckedObligation,
        unit: str | Mapping[str, Any],
        period: str | dt.date | Instance,
    ) -> None:
        info = _of(policy)
        self.info = info
        self.ob = _compiled_obligation(info, obligation)
        self.analysis = _Analysis(info, self.ob)
        self.name = self.ob.name
        self.unit, self.row = _unit_row(unit)
        unit_set = read_units(info.policy, [self.row])
        if unit_set.rejected:
            raise ValueError(f"the unit row is rejected: {unit_set.rejected[0].reason}")
        self.unit_record = unit_set.units[self.unit]
        checked = self.ob.checked
        self.trigger_kind = self.analysis.trigger
        if self.trigger_kind is not None:
            if not isinstance(period, str) or not period:
                raise ValueError(
                    f"`{self.name}` is checked per `{self.trigger_kind.name}`: its period is the"
                    " triggering event's id, a string"
                )
            self.trigger_id = period
            window = self.ob.window
            self.trigger_first = window.start
            self.trigger_last = window.end or window.start + dt.timedelta(days=365)
            day = self.trigger_first
            self.instance = Instance(period, day, day, None)
        else:
            self.instance = _instance(self.ob, period)
            if self.instance.indeterminate is not None or self.instance.due is None:
                raise Impossible(
                    f"`{self.name}` {self.instance.label} is indeterminate:"
                    f" {self.instance.indeterminate}"
                )
            self.share: float | None = None
            whole = self.instance.period
            if self.instance.partial and checked.partial is ast.PartialMode.PRORATE and whole:
                self.share = ((self.instance.end - self.instance.start).days + 1) / whole.days
                for req in self.analysis.reqs:
                    if not req.literal:
                        raise Unsupported(
                            self.name, req.text, f"{self.instance.label} is cut by the window"
                            " and pro-rated, and this target is not a number written out"
                        )
            day = self.instance.end
        self.facts = self.unit_record.facts_on(day)
        self._check_applies(day)
        if self.trigger_kind is None:
            env = _Env(info, self.ob, self.unit, self.facts, self.instance, share=self.share)
            self.bound = [
                _BoundReq(env, r, self.analysis) for r in self.analysis.reqs
                if r.shape != "trigger"
            ]
        else:
            # bind once against a probe trigger, so that what cannot be solved says so now
            probe = _Ev(self.trigger_kind.name, info.day_start(self.trigger_first), True, {},
                        self.trigger_id)
            try:
                for bound in self.bind(probe):
                    bound.satisfy()
            except Impossible:
                pass  # it may be for this probe only (`trigger.hours` it lacks): see at draw
            self.trigger_atoms(None)

    def _check_applies(self, day: dt.date) -> None:
        info = self.info
        evaluation = Evaluation(info.compiled, [], read_units(info.policy, [self.row]),
                                info.day_end(day))
        if not evaluation.applies(self.ob, self.unit, self.unit_record.facts_on, day):
            scope = " and ".join(_show(c) for c in self.ob.checked.applies)
            raise Impossible(f"`{self.name}` does not apply to unit `{self.unit}` ({scope})")

    # for each KIND
    def trigger_env(self, trigger: _Ev) -> _Env:
        try:
            due = self.ob.due_for_event(trigger.at)
        except CalendarIndeterminate as missing:
            raise Impossible(f"`{self.name}`: the calendar data is missing: {missing}") \
                from missing
        instance = Instance(self.trigger_id, trigger.at.date(), trigger.at.date(), due)
        return _Env(self.info, self.ob, self.unit, self.facts, instance, trigger)

    def bind(self, trigger: _Ev) -> list[_BoundReq]:
        env = self.trigger_env(trigger)
        return [_BoundReq(env, r, self.analysis) for r in self.analysis.reqs
                if r.shape != "trigger"]

    def trigger_atoms(self, broken: tuple[int, int, int] | None) -> list[list[_Atom]]:
        """The trigger's conditions, one list per side of the `where`'s `or`s: the `where`
        and every requirement on the trigger itself; with `broken` = (requirement, conjunct,
        negation), that conjunct of that requirement failing in that way."""
        assert self.trigger_kind is not None
        where = _EventSubject(self.info, self.ob.checked, self.trigger_kind, True)
        own = _EventSubject(self.info, self.ob.checked, self.trigger_kind, False)
        env = _Env(self.info, self.ob, self.unit, self.facts, self.instance)
        required: list[_Atom] = []
        for index, req in enumerate(self.analysis.reqs):
            if req.shape != "trigger":
                continue
            atoms = [own.bind(spec, env) for spec in req.specs]
            if broken is not None and broken[0] == index:
                failing = atoms.pop(broken[1])
                atoms += _negations(failing)[broken[2]]
            required += atoms
        return [[*[where.bind(s, env) for s in branch], *required]
                for branch in self.analysis.trigger_branches]

    def trigger_strategy(
        self, broken: tuple[int, int, int] | None
    ) -> st.SearchStrategy[_Ev] | None:
        assert self.trigger_kind is not None
        info = self.info
        when = _When(info.day_start(self.trigger_first), info.day_end(self.trigger_last))
        options = [
            strategy
            for atoms in self.trigger_atoms(broken)
            if (strategy := _event_strategy(info, self.trigger_kind, self.unit, atoms, when,
                                            self.trigger_id)) is not None
        ]
        return st.one_of(options) if options else None

    def trigger_breaks(self) -> list[tuple[int, int, int, str]]:
        """(requirement, conjunct, negation, text) for each way the trigger can fail one of
        the requirements on itself while satisfying its `where`."""
        found = []
        own = _EventSubject(self.info, self.ob.checked, self.trigger_kind, False) \
            if self.trigger_kind else None
        env = _Env(self.info, self.ob, self.unit, self.facts, self.instance)
        for index, req in enumerate(self.analysis.reqs):
            if req.shape != "trigger" or own is None:
                continue
            atoms = [own.bind(spec, env) for spec in req.specs]
            for i, atom in enumerate(atoms):
                for j in range(len(_negations(atom))):
                    if self.trigger_strategy((index, i, j)) is not None:
                        found.append((index, i, j, atom.text))
        return found


def _unit_row(unit: str | Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    if isinstance(unit, str):
        if not unit:
            raise ValueError("a unit id is not empty")
        return unit, {"unit": unit}
    ident = unit.get("unit") or unit.get("id")
    if not ident:
        raise ValueError("a unit row needs its `unit` id")
    return str(ident), dict(unit)


def _instance(ob: CompiledObligation, period: str | dt.date | Instance) -> Instance:
    if isinstance(period, Instance):
        return period
    window = ob.window
    if isinstance(ob.schedule, ast.Once):
        due = ob.checked.due
        if window.end is None and not (due is not None and isinstance(due.when, ast.OnDate)):
            raise Impossible(f"`{ob.name}` is `once` and open-ended without a `due` date: its"
                             " due moves with as_of, so no as_of is after it")
        until = window.end or (due.when.date if due is not None and isinstance(
            due.when, ast.OnDate) else window.start)
        found = next(ob.instances(until), None)
        if found is None:
            raise ValueError(f"`{ob.name}` has no instance")
        if isinstance(period, str) and period not in (found.label, ""):
            raise ValueError(f"`{ob.name}` is `once`: its period is `{found.label}`")
        return found
    if isinstance(period, dt.date):
        until = period + dt.timedelta(days=400)
    else:
        until = _until(period, window.start)
    if window.end is not None:
        until = min(until, window.end)
    labels: list[str] = []
    for instance in ob.instances(until):
        if (isinstance(period, str) and instance.label == period) or (
            isinstance(period, dt.date) and instance.start <= period <= instance.end
        ):
            return instance
        if len(labels) < 5:
            labels.append(instance.label)
    raise ValueError(
        f"`{ob.name}` has no period `{period}` (its first: {', '.join(labels) or 'none'})"
    )


def _until(label: str, start: dt.date) -> dt.date:
    try:
        return Period.parse(label).end + dt.timedelta(days=31)
    except ValueError:
        pass
    years = [int(part) for part in "".join(c if c.isdigit() else " " for c in label).split()
             if len(part) == 4]
    if years:
        return dt.date(max(years) + 1, 12, 31)
    return start + dt.timedelta(days=730)


# ----------------------------------------------------------------------------- the strategies


def satisfying(
    policy: CheckedPolicy | CompiledPolicy,
    obligation: str | CheckedObligation,
    unit: str | Mapping[str, Any],
    period: str | dt.date | Instance,
    *,
    id_prefix: str = "s",
) -> st.SearchStrategy[list[dict[str, Any]]]:
    """Event streams that make `obligation` ``met`` for `unit` in `period`.

    `unit` is a unit id or a unit row (its facts are read for targets such as ``90% of
    unit.staff`` and for ``unit.field`` in a `where`; pass the same row to the evaluator).
    `period` is an instance's label (``"2019Q3"``, ``"中元节 2021"``, the window of a
    ``once``), a day inside it, or an :class:`~policyrules.rules.compiler.Instance`; for a ``for
    each KIND`` obligation it is the id the triggering event gets, which is then drawn in the
    obligation's window (its first year when open-ended).

    Contract: evaluating the stream (alone, or with any other events whose ids differ, see
    `id_prefix`) with that unit row, at any `as_of` after the instance's due (see
    :func:`after_due`), gives that unit, obligation and period the status ``met``. Each
    requirement gets its target of counting events or more — in every sub-period or for
    every member of a grouped one — plus near misses that do not count. Raises
    :class:`Unsupported` for what it cannot solve, :class:`Impossible` when no stream can
    meet it."""
    plan = _Plan(policy, obligation, unit, period)
    if plan.trigger_kind is None:
        for bound in plan.bound:
            bound.satisfy()  # says now when it cannot be met
        return _satisfying_calendar(plan, id_prefix)
    if plan.trigger_strategy(None) is None:
        raise Impossible(f"no `{plan.trigger_kind.name}` can trigger `{plan.name}` and meet"
                         " the requirements on itself")
    return _satisfying_trigger(plan, id_prefix)


@st.composite
def _satisfying_calendar(draw: st.DrawFn, plan: _Plan, prefix: str) -> list[dict[str, Any]]:
    evs: list[_Ev] = []
    for bound in plan.bound:
        evs += draw(bound.satisfy())
    decoys = [s for bound in plan.bound for s in bound.decoys()]
    if decoys:
        evs += draw(st.lists(st.one_of(decoys), max_size=2))
    order = draw(st.permutations(range(len(evs))))
    return _dicts([evs[i] for i in order], plan.unit, prefix)


@st.composite
def _satisfying_trigger(draw: st.DrawFn, plan: _Plan, prefix: str) -> list[dict[str, Any]]:
    strategy = plan.trigger_strategy(None)
    assert strategy is not None
    trigger = draw(strategy)
    evs = [trigger]
    try:
        bound = plan.bind(trigger)
        parts = [b.satisfy() for b in bound]
    except Impossible:
        reject()
    for part in parts:
        evs += draw(part)
    decoys = [s for b in bound for s in b.decoys()]
    if decoys:
        evs += draw(st.lists(st.one_of(decoys), max_size=2))
    order = draw(st.permutations(range(len(evs))))
    return _dicts([evs[i] for i in order], plan.unit, prefix)


def violating(
    policy: CheckedPolicy | CompiledPolicy,
    obligation: str | CheckedObligation,
    unit: str | Mapping[str, Any],
    period: str | dt.date | Instance,
    *,
    id_prefix: str = "v",
) -> st.SearchStrategy[Violation]:
    """:class:`Violation` s: event streams that leave `obligation` not ``met`` for `unit` in
    `period` (arguments as for :func:`satisfying`).

    Contract: evaluating ``violation.events`` with that unit row at any `as_of` after the
    instance's due gives that unit, obligation and period a status other than ``met``
    (``overdue``, or ``late`` when late events may count). One requirement is broken —
    `violation.requirement` — in one way, `violation.how`: fewer counting events than its
    target (:data:`TOO_FEW`; in one sub-period or for one member of a grouped requirement,
    `violation.group`), or that many plus near misses that fail one conjunct
    (:data:`FAILS_CONDITION`, `violation.conjunct`), lie before the period or after the due
    (:data:`OUTSIDE_WINDOW`), or fall on a day that does not qualify (:data:`OFF_DAY`). For a
    ``for each KIND`` obligation the triggering event may instead fail a requirement on
    itself. The events that satisfy the other requirements are kept, except those that
    could count toward the broken one. Raises :class:`Unsupported` for what it cannot solve,
    :class:`Impossible` when nothing can violate it (a target of 0)."""
    plan = _Plan(policy, obligation, unit, period)
    if plan.trigger_kind is None:
        choices = [b for b in plan.bound if b.can_violate()]
        if not choices:
            raise Impossible(f"nothing violates `{plan.name}` for unit `{plan.unit}` in"
                             f" {plan.instance.label}: every target is 0")
        return _violating_calendar(plan, choices, id_prefix)
    breaks = plan.trigger_breaks()
    selection_reqs = [r for r in plan.analysis.reqs if r.shape != "trigger"]
    if not breaks and not selection_reqs:
        raise Impossible(f"nothing violates `{plan.name}`: its trigger's `where` implies it")
    return _violating_trigger(plan, breaks, id_prefix)


@st.composite
def _violating_calendar(
    draw: st.DrawFn, plan: _Plan, choices: Sequence[_BoundReq], prefix: str
) -> Violation:
    target = draw(st.sampled_from(choices))
    way = _pick_way(draw, target)
    broken = draw(way.events)
    others = _others(draw, plan.bound, target)
    evs = broken + others
    order = draw(st.permutations(range(len(evs))))
    return Violation(_dicts([evs[i] for i in order], plan.unit, prefix), target.text, way.how,
                     way.conjunct, way.group)


def _pick_way(draw: st.DrawFn, target: _BoundReq) -> _Way:
    group: int | None = None
    if target.req.shape == "per_member":
        group = draw(st.integers(0, len(target.members) - 1))
    elif target.req.shape == "per_period" or target.req.reducer == "min":
        group = draw(st.integers(0, len(target.groups) - 1))
    return draw(st.sampled_from(target.ways(group)))


def _others(
    draw: st.DrawFn, bound: Sequence[_BoundReq], target: _BoundReq | None
) -> list[_Ev]:
    """Events that satisfy the other requirements, but none that could count toward the
    broken one (`target`; None when the trigger itself breaks a requirement)."""
    out: list[_Ev] = []
    for other in bound:
        if other is target:
            continue
        try:
            strategy = other.satisfy()
        except Impossible:
            continue
        out += [ev for ev in draw(strategy) if target is None or not target.sel.may_count(ev)]
    return out


@st.composite
def _violating_trigger(
    draw: st.DrawFn, plan: _Plan, breaks: Sequence[tuple[int, int, int, str]], prefix: str
) -> Violation:
    options: list[tuple[int, int, int, str] | None] = [*breaks, None]
    if not any(r.shape != "trigger" for r in plan.analysis.reqs):
        options = list(breaks)
    choice = draw(st.sampled_from(options))
    strategy = plan.trigger_strategy(choice[:3] if choice is not None else None)
    if strategy is None:
        reject()
    trigger = draw(strategy)
    try:
        bound = plan.bind(trigger)
    except Impossible:
        reject()
    if choice is not None:
        index, _, _, conjunct = choice
        evs = [trigger, *_others(draw, bound, None)]
        return Violation(_dicts(evs, plan.unit, prefix), plan.analysis.reqs[index].text,
                         FAILS_CONDITION, conjunct)
    candidates = [b for b in bound if b.can_violate()]
    if not candidates:
        reject()
    target = draw(st.sampled_from(candidates))
    if target.sel.may_count(trigger):
        reject()  # the trigger counts toward its own requirement: rare, and not worth solving
    way = _pick_way(draw, target)
    evs = [trigger, *draw(way.events), *_others(draw, bound, target)]
    order = draw(st.permutations(range(len(evs))))
    return Violation(_dicts([evs[i] for i in order], plan.unit, prefix), target.text, way.how,
                     way.conjunct, way.group)


def periods(
    policy: CheckedPolicy | CompiledPolicy,
    obligation: str | CheckedObligation,
    *,
    until: dt.date | None = None,
) -> st.SearchStrategy[str]:
    """Labels of `obligation`'s period instances that the calendar can date, up to `until`
    (default: the end of its window, or its first year when open-ended). For a ``for each
    KIND`` obligation: ``"t1"``, the id :func:`satisfying` and :func:`violating` then give
    the triggering event."""
    info = _of(policy)
    ob = _compiled_obligation(info, obligation)
    if isinstance(ob.schedule, ast.ForEachEvent):
        return st.just("t1")
    if isinstance(ob.schedule, ast.Once):
        return st.just(_instance(ob, "").label)
    last = until or ob.window.end or ob.window.start + dt.timedelta(days=365)
    labels = [i.label for i in ob.instances(last) if i.indeterminate is None and i.due is not None]
    if not labels:
        raise Impossible(f"`{ob.name}` has no period up to {last}")
    return st.sampled_from(labels)


def after_due(
    policy: CheckedPolicy | CompiledPolicy,
    obligation: str | CheckedObligation,
    period: str | dt.date | Instance,
) -> dt.datetime:
    """A moment after the due of `obligation` in `period` (a day after it): an `as_of` at
    which :func:`satisfying` streams are ``met`` and :func:`violating` ones are not. For a
    ``for each KIND`` obligation, after the due of any trigger the strategies may draw."""
    info = _of(policy)
    ob = _compiled_obligation(info, obligation)
    if isinstance(ob.schedule, ast.ForEachEvent):
        last = ob.window.end or ob.window.start + dt.timedelta(days=365)
        return ob.due_for_event(info.day_end(last) - _MINUTE) + dt.timedelta(days=1)
    instance = _instance(ob, period)
    if instance.due is None:
        raise Impossible(f"`{ob.name}` {instance.label} is indeterminate: "
                         f"{instance.indeterminate}")
    return instance.due + dt.timedelta(days=1)
