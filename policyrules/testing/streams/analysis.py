"""Requirements → what a stream must hold: the selections a requirement counts and the ways of
filling (or missing) a target."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from hypothesis import reject
from hypothesis import strategies as st

from policyrules.calendar.periods import clip
from policyrules.engine.python.values import compare as compare_values
from policyrules.rules.compiler import (
    CompiledObligation,
)
from policyrules.semantics import EventKind
from policyrules.semantics import types as T
from policyrules.syntax import ast
from policyrules.testing.streams.conditions import _EventSubject, _show
from policyrules.testing.streams.draw import _event_strategy, _present, _When
from policyrules.testing.streams.model import (
    _BUILTINS,
    _FLIP,
    _MINUTE,
    _TINY,
    FAILS_CONDITION,
    OFF_DAY,
    OUTSIDE_WINDOW,
    Unsupported,
    _Atom,
    _days,
    _Env,
    _Ev,
    _hashable,
    _holds,
    _negations,
    _Policy,
    _Spec,
)


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
