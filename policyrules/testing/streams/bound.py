"""A requirement bound to one unit and instance: its target, its groups, and the streams that
meet it or break it."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import Any

from hypothesis import strategies as st

from policyrules.calendar.periods import groups_within
from policyrules.engine.verdict import is_number
from policyrules.semantics import types as T
from policyrules.syntax import ast
from policyrules.testing.streams.analysis import (
    _Analysis,
    _BoundSel,
    _fill,
    _least,
    _Req,
    _Slot,
    _Way,
)
from policyrules.testing.streams.conditions import _EventSubject
from policyrules.testing.streams.model import (
    FAILS_CONDITION,
    OUTSIDE_WINDOW,
    TOO_FEW,
    Impossible,
    Unsupported,
    _Atom,
    _Env,
    _Ev,
    _hashable,
)


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
