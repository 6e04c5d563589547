"""What the stream strategies know: their public types (:class:`Unsupported`, :class:`Impossible`,
:class:`Violation`), what they learn about a policy once, and the conjuncts (atoms) they solve."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from hypothesis import strategies as st

from policyrules.calendar.moments import day_end, day_start
from policyrules.calendar.periods import clip
from policyrules.calendar.workdays import CalendarIndeterminate
from policyrules.engine.python.values import compare as compare_values
from policyrules.rules.compiler import (
    CompiledObligation,
    CompiledPolicy,
    Instance,
    compile_policy,
)
from policyrules.semantics import CheckedPolicy
from policyrules.syntax import ast

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
