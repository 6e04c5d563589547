"""The public strategies: :func:`satisfying`, :func:`violating`, and the periods and `as_of`
they are meant for (:func:`periods`, :func:`after_due`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from hypothesis import reject
from hypothesis import strategies as st

from policyrules.rules.compiler import (
    CompiledPolicy,
    Instance,
)
from policyrules.semantics import CheckedObligation, CheckedPolicy
from policyrules.syntax import ast
from policyrules.testing.streams.analysis import _Way
from policyrules.testing.streams.bound import _BoundReq
from policyrules.testing.streams.draw import _dicts
from policyrules.testing.streams.model import (
    _MINUTE,
    FAILS_CONDITION,
    Impossible,
    Violation,
    _Ev,
    _of,
)
from policyrules.testing.streams.plan import _instance, _Plan
from policyrules.testing.streams.rows import _compiled_obligation


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
