"""Unit rows and events of a policy's declared kinds: :func:`units`, :func:`event` and
:func:`events`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from hypothesis import strategies as st

from policyrules.rules.compiler import (
    CompiledObligation,
    CompiledPolicy,
)
from policyrules.semantics import CheckedObligation, CheckedPolicy
from policyrules.semantics import types as T
from policyrules.syntax import ast
from policyrules.testing.streams.conditions import _UnitSubject
from policyrules.testing.streams.draw import _moments, _present, _values, _When
from policyrules.testing.streams.model import _UNIT_IDS, Impossible, _Atom, _of, _Policy


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
