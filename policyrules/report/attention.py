"""What needs action, and the roll-ups: the first things an office reads.

- :func:`by_unit` — the overdue and at-risk results grouped by unit, worst first, and within
  a unit by obligation: who is behind, and on what.
- :func:`by_obligation` — the same results grouped by obligation: which duties many units
  are behind on.
- :func:`unit_rollups`, :func:`obligation_rollups` — every result counted per unit (met /
  late / overdue / at risk …) and per obligation (how many units are behind).

*Worst first* is one order everywhere (the HTML page, `--format summary`): more overdue
results first, then more at-risk ones, then the unit's id (an obligation's name, then its
place in the policy, for obligations). Within a unit, its obligations go by the same counts,
then by the earliest due date. The page's script sorts the same way (tests hold the two to
each other).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from policyrules.report.model import STATUSES, Result

#: the statuses that need action
ATTENTION = ("overdue", "at_risk")
_LAST = dt.datetime.max.replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class Behind:
    """One unit's overdue and at-risk results of one obligation, by due date."""

    obligation: str
    title: str
    refs: tuple[str, ...]
    results: tuple[Result, ...]

    @property
    def overdue(self) -> int:
        return sum(1 for r in self.results if r.status == "overdue")

    @property
    def at_risk(self) -> int:
        return sum(1 for r in self.results if r.status == "at_risk")

    @property
    def first_due(self) -> dt.datetime:
        return min((r.due for r in self.results if r.due is not None), default=_LAST)

    @property
    def latest(self) -> Result:
        """The result that says where the unit stands now: the last one due."""
        return self.results[-1]


@dataclass(frozen=True)
class UnitAttention:
    """A unit that is behind: its name and what it is behind on, worst first."""

    unit: str
    name: str | None
    items: tuple[Behind, ...]

    @property
    def overdue(self) -> int:
        return sum(item.overdue for item in self.items)

    @property
    def at_risk(self) -> int:
        return sum(item.at_risk for item in self.items)

    @property
    def results(self) -> list[Result]:
        return [r for item in self.items for r in item.results]


@dataclass(frozen=True)
class UnitsBehind:
    """An obligation and the units behind on it, worst first: (unit, name, overdue,
    at risk) each."""

    obligation: str
    title: str
    refs: tuple[str, ...]
    units: tuple[tuple[str, str | None, int, int], ...]

    @property
    def units_overdue(self) -> int:
        return sum(1 for _, _, overdue, _ in self.units if overdue)

    @property
    def units_at_risk(self) -> int:
        return sum(1 for _, _, overdue, at_risk in self.units if at_risk and not overdue)


@dataclass(frozen=True)
class Rollup:
    """The results of one unit (or one obligation) counted by status; for an obligation,
    also how many units it binds and how many are behind (overdue), at risk (and not
    overdue), or done (every result met or late)."""

    key: str
    label: str | None
    refs: tuple[str, ...]
    counts: dict[str, int]
    units: int = 0
    units_overdue: int = 0
    units_at_risk: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def needs_action(results: Iterable[Result]) -> list[Result]:
    """The overdue and at-risk results, in the order given."""
    return [r for r in results if r.status in ATTENTION]


def _worst(overdue: int, at_risk: int, *rest: object) -> tuple[object, ...]:
    return (-overdue, -at_risk, *rest)


def by_unit(results: Iterable[Result]) -> list[UnitAttention]:
    """The overdue and at-risk results grouped by unit and obligation, worst first."""
    order: dict[str, int] = {}
    grouped: dict[str, dict[str, list[Result]]] = {}
    names: dict[str, str | None] = {}
    for r in needs_action(results):
        order.setdefault(r.obligation, len(order))
        grouped.setdefault(r.unit, {}).setdefault(r.obligation, []).append(r)
        names.setdefault(r.unit, r.unit_name)
    units = []
    for unit, obligations in grouped.items():
        items = [
            Behind(name, found[0].title, tuple(found[0].refs),
                   tuple(sorted(found, key=lambda r: (r.due or _LAST, r.period.start,
                                                      r.person or ""))))
            for name, found in obligations.items()
        ]
        items.sort(key=lambda b: _worst(b.overdue, b.at_risk, b.first_due, order[b.obligation]))
        units.append(UnitAttention(unit, names[unit], tuple(items)))
    units.sort(key=lambda u: _worst(u.overdue, u.at_risk, u.unit))
    return units


def by_obligation(results: Iterable[Result]) -> list[UnitsBehind]:
    """The overdue and at-risk results grouped by obligation, with the units behind on each,
    the obligations with the most units behind first."""
    order: dict[str, int] = {}
    found: dict[str, list[Result]] = {}
    for r in needs_action(results):
        order.setdefault(r.obligation, len(order))
        found.setdefault(r.obligation, []).append(r)
    out = []
    for obligation, own in found.items():
        counts: dict[str, Counter[str]] = {}
        names: dict[str, str | None] = {}
        for r in own:
            counts.setdefault(r.unit, Counter())[r.status] += 1
            names.setdefault(r.unit, r.unit_name)
        units = sorted(((u, names[u], c["overdue"], c["at_risk"]) for u, c in counts.items()),
                       key=lambda row: _worst(row[2], row[3], row[0]))
        out.append(UnitsBehind(obligation, own[0].title, tuple(own[0].refs), tuple(units)))
    out.sort(key=lambda o: _worst(o.units_overdue, o.units_at_risk, order[o.obligation]))
    return out


def unit_rollups(results: Iterable[Result]) -> list[Rollup]:
    """Every unit's results counted by status, worst first."""
    counts: dict[str, Counter[str]] = {}
    names: dict[str, str | None] = {}
    for r in results:
        counts.setdefault(r.unit, Counter())[r.status] += 1
        names.setdefault(r.unit, r.unit_name)
    rows = [Rollup(unit, names[unit], (), {s: c.get(s, 0) for s in STATUSES})
            for unit, c in counts.items()]
    rows.sort(key=lambda row: _worst(row.counts["overdue"], row.counts["at_risk"], row.key))
    return rows


def obligation_rollups(results: Sequence[Result]) -> list[Rollup]:
    """Every obligation's results counted by status, with how many units are behind on it,
    the obligations with the most units behind first."""
    order: dict[str, int] = {}
    counts: dict[str, Counter[str]] = {}
    titles: dict[str, tuple[str, tuple[str, ...]]] = {}
    statuses: dict[str, dict[str, set[str]]] = {}
    for r in results:
        order.setdefault(r.obligation, len(order))
        counts.setdefault(r.obligation, Counter())[r.status] += 1
        titles.setdefault(r.obligation, (r.title, tuple(r.refs)))
        statuses.setdefault(r.obligation, {}).setdefault(r.unit, set()).add(r.status)
    rows = []
    for obligation, c in counts.items():
        units = statuses[obligation]
        overdue = sum(1 for s in units.values() if "overdue" in s)
        at_risk = sum(1 for s in units.values() if "at_risk" in s and "overdue" not in s)
        title, refs = titles[obligation]
        rows.append(Rollup(obligation, title, refs, {s: c.get(s, 0) for s in STATUSES},
                           len(units), overdue, at_risk))
    rows.sort(key=lambda row: _worst(row.units_overdue, row.units_at_risk, order[row.key]))
    return rows
