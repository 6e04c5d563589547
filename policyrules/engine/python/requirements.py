"""The reference engine's requirements: what held, the two sides of the part a reason
describes, and the evidence, for one instance in one frame."""

from __future__ import annotations

import math
from typing import Any

from policyrules.calendar.workdays import CalendarIndeterminate
from policyrules.engine.outcome import Group, Groups, Outcome, RequirementOutcome, Sides
from policyrules.engine.python.frame import Frame
from policyrules.engine.python.selections import Selections
from policyrules.engine.python.values import GroupValues, compare, truthy
from policyrules.engine.verdict import is_number
from policyrules.rules import ir
from policyrules.semantics import types as T


class Requirements:
    """Evaluates the requirements of rules with one evaluation's :class:`Selections`."""

    def __init__(self, selections: Selections) -> None:
        self.values = selections
        self._scaled: dict[tuple[int, int], ir.Expr] = {}

    def outcome(self, rule: ir.Rule, frame: Frame, share: float | None) -> Outcome:
        """The requirements in order, up to the first that does not hold (the rest are not
        looked at and find no evidence); `share` scales the targets of a pro-rated instance."""
        found = []
        try:
            for requirement in rule.requirements:
                outcome = self.requirement(requirement, frame, share)
                found.append(outcome)
                if not outcome.holds:
                    break
        except CalendarIndeterminate as missing:
            return Outcome((), missing.message)
        return Outcome(tuple(found))

    def requirement(self, requirement: ir.Requirement, frame: Frame, share: float | None
                    ) -> RequirementOutcome:
        local = frame.but(evidence=set())
        failing = None
        targets: list[float | None] = []
        exprs: list[ir.Expr] = []
        for index, part in enumerate(requirement.parts):
            expr, target = self._part(part, share)
            exprs.append(expr)
            targets.append(target)
            if not truthy(self.values.value(expr, local)):
                failing = index
                break
        probe = frame.but(evidence=set())  # the sides are read again: their evidence is in
        if failing is None:
            whole = requirement.whole
            whole_expr = exprs[0] if len(requirement.parts) == 1 else whole.expr
            sides = self.sides(whole, whole_expr, probe)
            numbers = self.sides(requirement.parts[0], exprs[0], probe)
            return RequirementOutcome(requirement, None, sides, numbers,
                                      frozenset(local.evidence), False, targets[0]
                                      if len(requirement.parts) == 1 else None)
        part, expr = requirement.parts[failing], exprs[failing]
        sides = self.sides(part, expr, probe)
        beyond = part.caps_count and self._beyond_reach(expr, sides)
        return RequirementOutcome(requirement, failing, sides, sides,
                                  frozenset(local.evidence), beyond, targets[failing])

    def _part(self, part: ir.Part, share: float | None) -> tuple[ir.Expr, float | None]:
        """A part as checked: under proration, its written target scaled by the share of
        the period inside the window, rounded up (3 × 16/91 → 1)."""
        if share is None or part.target is None or not isinstance(part.expr, ir.Compare):
            return part.expr, None
        scaled = math.ceil(part.target * share - 1e-9)
        key = (id(part), scaled)
        found = self._scaled.get(key)
        if found is None:
            found = self._scaled[key] = ir.Compare(part.expr.op, part.expr.left,
                                                   ir.Const(scaled, T.INT))
        return found, float(scaled)

    def sides(self, part: ir.Part, expr: ir.Expr, frame: Frame) -> Sides:
        """The values of a part's sides (of the groups, each with whether it holds)."""
        value = self.values.value
        match part.shape, expr:
            case (ir.Shape.COMPARE, ir.Compare(left=left, right=right)):
                return Sides(value(left, frame), value(right, frame))
            case (ir.Shape.GROUPS, ir.Compare(op=op, left=left, right=right)):
                bound = value(right, frame)
                return Sides(_groups(value(left, frame), lambda v: compare(op, v, bound)), bound)
            case (ir.Shape.GROUPS, ir.Between(value=inner, low=low, high=high)):
                lo, hi = value(low, frame), value(high, frame)
                return Sides(_groups(value(inner, frame),
                                     lambda v: compare(">=", v, lo) and compare("<=", v, hi)),
                             lo, hi)
            case (ir.Shape.BETWEEN, ir.Between(value=inner, low=low, high=high)):
                return Sides(value(inner, frame), value(low, frame), value(high, frame))
        return Sides()

    @staticmethod
    def _beyond_reach(expr: ir.Expr, sides: Sides) -> bool:
        """A failing part that caps a count already past the cap: counts only grow, so no
        event to come can satisfy it (`count(meeting) between 1 and 2` with three held)."""
        if isinstance(expr, ir.Between):
            return is_number(sides.left) and is_number(sides.high) and sides.left > sides.high
        if isinstance(expr, ir.Compare):
            return compare(">" if expr.op == "<=" else ">=", sides.left, sides.right)
        return False


def _groups(values: Any, holds: Any) -> Groups:
    if not isinstance(values, GroupValues):
        return Groups(())
    return Groups(tuple(Group(label, v, bool(holds(v))) for label, v in values))
