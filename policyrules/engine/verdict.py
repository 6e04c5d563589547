"""Outcomes → verdicts: the status, the numbers, the reason and the slack of a result, for
every engine.

Statuses follow the contract, with T = as_of and D = due:

- ``met``: satisfied by events at or before min(T, D);
- ``late``: satisfied only with events after D (rules that accept late delivery);
- ``overdue``: T is past D and it is not satisfied;
- ``at_risk``: not past D, not satisfied, and D is within the warning horizon, or no
  qualifying day is left (the month's second Saturday has passed), or a count is already
  beyond a maximum the requirement sets (counts only grow);
- ``pending``: not past D, not satisfied, not at risk;
- ``indeterminate``: the answer depends on calendar data the engine does not have.

This module is pure: it reads an outcome and the instance's timing, never events.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from policyrules.calendar.workdays import CalendarIndeterminate, WorkdayCalendar
from policyrules.diagnostics.messages import t
from policyrules.diagnostics.numbers import number_text
from policyrules.engine.outcome import Groups, Outcome, RequirementOutcome, Sides
from policyrules.rules import ir
from policyrules.rules.instances import Instance

#: the groups a failing reason lists before "…"
SHOWN_GROUPS = 6


@dataclass(frozen=True, slots=True)
class Verdict:
    """What a result says: the fields of the contract an engine's outcome decides."""

    status: str
    due: dt.datetime | None
    required: float | None
    actual: float | None
    evidence: tuple[str, ...]
    reason: str
    slack: str | None


def indeterminate(message: str, due: dt.datetime | None, lang: str) -> Verdict:
    """The verdict of an instance that cannot be decided (the calendar data is missing)."""
    return Verdict("indeterminate", due, None, None, (), t(lang, message), None)


def decide(
    rule: ir.Rule,
    instance: Instance,
    due: dt.datetime,
    on_time: Outcome,
    late: Outcome | None,
    as_of: dt.datetime,
    workdays: WorkdayCalendar,
    lang: str = "en",
) -> Verdict:
    """The verdict of one instance from what its requirements gave on time (events up to
    the cut-off) and, when it is past due and the rule accepts late delivery, late."""
    if on_time.missing is not None:
        return indeterminate(on_time.missing, due, lang)
    outcome = on_time
    today = as_of.date()
    days_left = instance.qualifying_days_left(today)
    if on_time.holds:
        status = "met"
    elif as_of > due:
        status = "overdue"
        if late is not None and late.missing is not None:
            return indeterminate(late.missing, due, lang)
        if late is not None and late.holds:
            status, outcome = "late", late
    elif due - as_of <= rule.horizon or not days_left or on_time.reported.beyond_reach:
        status = "at_risk"
    else:
        status = "pending"
    reported = outcome.reported
    required, actual = numbers(reported.numbers)
    detail = describe(reported, lang)
    slack = None
    if status in ("pending", "at_risk") and days_left:
        slack = _slack(required, actual, due, today, workdays, lang)
    return Verdict(
        status=status,
        due=due,
        required=required,
        actual=actual,
        evidence=tuple(sorted(outcome.evidence)),
        reason=_reason(status, reported, detail, due, days_left, lang),
        slack=slack,
    )


def _reason(
    status: str, reported: RequirementOutcome, detail: str, due: dt.datetime, days_left: bool,
    lang: str,
) -> str:
    when = f"{due:%Y-%m-%d %H:%M}"
    match status:
        case "met":
            return t(lang, "met: {detail}", detail=detail)
        case "late":
            return t(lang, "met only after the deadline {when}: {detail}", when=when,
                     detail=detail)
        case "overdue":
            return t(lang, "not met by the deadline {when}: {detail}", when=when, detail=detail)
        case "at_risk":
            if reported.beyond_reach:
                return t(lang, "beyond reach before {when}: {detail}", when=when, detail=detail)
            if not days_left:
                return t(lang, "no qualifying day is left before {when}: {detail}", when=when,
                         detail=detail)
            return t(lang, "due {when}, not yet met: {detail}", when=when, detail=detail)
    return t(lang, "due {when}: {detail}", when=when, detail=detail)


def describe(reported: RequirementOutcome, lang: str = "en") -> str:
    """What the reason says of the part it speaks of: its values against what it needs."""
    part, sides, holds = reported.part, reported.sides, reported.holds
    text = part.text
    if reported.target is not None and part.target is not None:
        # a pro-rated target: the part as it was checked, with its scaled number
        text = f"{part.side_text} {part.op} {shown(reported.target)}"
    match part.shape:
        case ir.Shape.COMPARE:
            return t(lang, "`{left}` is {value}, needs {op} {required}", left=part.side_text,
                     value=shown(sides.left), op=part.op, required=shown(sides.right))
        case ir.Shape.GROUPS:
            groups = sides.left.groups if isinstance(sides.left, Groups) else ()
            failing = [f"{g.label}: {shown(g.value)}" for g in groups if not g.holds]
            if holds or not failing:
                return t(lang, "`{text}` holds in every group", text=text)
            listed = ", ".join(failing[:SHOWN_GROUPS]) + (
                " …" if len(failing) > SHOWN_GROUPS else "")
            return t(lang, "`{text}` fails for {groups}", text=text, groups=listed)
        case ir.Shape.BETWEEN:
            return t(lang, "`{left}` is {value}, needs {low} to {high}", left=part.side_text,
                     value=shown(sides.left), low=shown(sides.right), high=shown(sides.high))
    return t(lang, "`{text}` is true" if holds else "`{text}` is false", text=text)


def numbers(sides: Sides) -> tuple[float | None, float | None]:
    """(required, actual) of a part whose two sides are numbers; for groups, the actual is
    the least group's value."""
    left, right = sides.left, sides.right
    if isinstance(left, Groups):
        values = [g.value for g in left.groups if isinstance(g.value, (int, float))]
        left = min(values) if values else None
    if is_number(left) and is_number(right):
        return float(right), float(left)
    return None, None


def _slack(
    required: float | None, actual: float | None, due: dt.datetime, today: dt.date,
    workdays: WorkdayCalendar, lang: str,
) -> str | None:
    if required is None or actual is None:
        return None
    missing = required - actual
    if missing <= 0:
        return None
    days = (due.date() - today).days
    try:
        working = workdays.working_days_between(today + dt.timedelta(days=1), due.date())
        left = t(lang, "{working} working days ({days} days)", working=working, days=days)
    except CalendarIndeterminate:
        left = t(lang, "{days} days", days=days)
    amount = int(missing) if float(missing).is_integer() else round(missing, 2)
    return t(lang, "needs {amount} more in {left}", amount=amount, left=left)


def is_number(value: Any) -> bool:
    """A number of the language (a bool is not one)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def shown(value: Any) -> str:
    """A value as reasons show it: numbers to four figures (whole ones without a point),
    times to the minute, lists in brackets, nothing as `none`."""
    if isinstance(value, float) or value is None:
        return number_text(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(shown(v) for v in value) + "]"
    return str(value)


@dataclass(frozen=True, slots=True)
class Finding:
    """One result as an engine finds it: whose (unit, person), which rule and instance
    (opened by which trigger), and its verdict."""

    rule: ir.Rule
    unit: str
    person: str | None
    instance: Instance
    trigger: str | None
    verdict: Verdict
