"""A plan for one obligation, unit and instance: the requirements bound to it, and the trigger
that opens a per-event instance."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from hypothesis import strategies as st

from policyrules.calendar.periods import Period
from policyrules.calendar.workdays import CalendarIndeterminate
from policyrules.data.events import read_units
from policyrules.evaluation import Evaluation
from policyrules.rules.compiler import (
    CompiledObligation,
    CompiledPolicy,
    Instance,
)
from policyrules.semantics import CheckedObligation, CheckedPolicy
from policyrules.syntax import ast
from policyrules.testing.streams.analysis import _Analysis
from policyrules.testing.streams.bound import _BoundReq
from policyrules.testing.streams.conditions import _EventSubject, _show
from policyrules.testing.streams.draw import _event_strategy, _When
from policyrules.testing.streams.model import (
    Impossible,
    Unsupported,
    _Atom,
    _Env,
    _Ev,
    _negations,
    _of,
)
from policyrules.testing.streams.rows import _compiled_obligation


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
