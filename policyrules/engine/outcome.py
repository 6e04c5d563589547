"""What an engine finds for one instance: per requirement, whether it held, the two sides of
the part a reason describes, and the events that counted.

Engines produce these; :mod:`policyrules.engine.verdict` alone turns them into a status, a
reason and a slack, so that two engines cannot disagree on a verdict for the same outcome.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from policyrules.rules import ir
from policyrules.rules.instances import Instance


@dataclass(frozen=True, slots=True)
class Group:
    """One group's value of a grouped aggregate (`2021-03`, `关爱空巢老人`), and whether the
    comparison holds for it."""

    label: str
    value: Any
    holds: bool


@dataclass(frozen=True, slots=True)
class Groups:
    """The groups of `count(…) per month`, in order."""

    groups: tuple[Group, ...]


@dataclass(frozen=True, slots=True)
class Sides:
    """The values of a part: a comparison's left and right, a `between`'s value, low and
    high. `left` is :class:`Groups` for a grouped part."""

    left: Any = None
    right: Any = None
    high: Any = None


@dataclass(frozen=True, slots=True)
class RequirementOutcome:
    """One requirement of one instance. `failing` is the index of its first false part
    (None when it holds); `sides` are the values of the part a reason describes (the first
    false part, or the whole requirement when it holds), `numbers` those that give
    `required` and `actual` (the first false part, or the first part). `target` is the
    scaled target of a pro-rated part, when there is one."""

    requirement: ir.Requirement
    failing: int | None
    sides: Sides
    numbers: Sides
    evidence: frozenset[str]
    beyond_reach: bool = False
    target: float | None = None

    @property
    def holds(self) -> bool:
        return self.failing is None

    @property
    def part(self) -> ir.Part:
        """The part a reason describes."""
        if self.failing is None:
            return self.requirement.whole
        return self.requirement.parts[self.failing]


@dataclass(frozen=True, slots=True)
class Outcome:
    """The requirements of one instance at one cut-off, in order, up to the first that
    does not hold (the rest were not looked at), or the calendar data it lacked."""

    requirements: tuple[RequirementOutcome, ...]
    #: the calendar data the requirements needed and the engine does not have
    missing: str | None = None

    @property
    def holds(self) -> bool:
        return self.missing is None and all(r.holds for r in self.requirements)

    @property
    def reported(self) -> RequirementOutcome:
        """The requirement the result speaks of: the first that fails, else the first."""
        for outcome in self.requirements:
            if not outcome.holds:
                return outcome
        return self.requirements[0]

    @property
    def evidence(self) -> frozenset[str]:
        found: set[str] = set()
        for outcome in self.requirements:
            found |= outcome.evidence
        return frozenset(found)


@dataclass(frozen=True, slots=True)
class Timing:
    """An instance's place in time: when it is due, and the moments engines cut events off
    at — `cutoff` for being met on time, `late_until` for being met late (None when the
    rule does not accept late delivery)."""

    instance: Instance
    due: dt.datetime
    cutoff: dt.datetime
    late_until: dt.datetime | None
