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


#: the reason of a result whose requirements fail where a unit fact they read is missing
MISSING_FACT = (
    "cannot be decided: unit `{unit}` has no `{fact}` in the units file on {day}, and the"
    " requirement reads it"
)


def missing_fact(unit: str, fact: str, day: dt.date, due: dt.datetime, lang: str) -> Verdict:
    """The verdict of an instance whose requirements fail and read a unit fact the units
    file does not give (on the day facts are read): missing data is never a violation."""
    reason = t(lang, MISSING_FACT, unit=unit, fact=fact, day=day.isoformat())
    return Verdict("indeterminate", due, None, None, (), reason, None)


# ----------------------------------------------------------------------------- the rules

# Which status a result gets, and which reason it gives, are stated once, as conditions on a
# few facts of an instance, so that every engine decides them the same way: the reference
# engine evaluates the conditions in Python (:func:`decide`), the columnar engine renders
# them as SQL (`policyrules.engine.sql`).


@dataclass(frozen=True, slots=True)
class Flag:
    """A fact of an instance at as_of (see :data:`FLAGS`)."""

    name: str


@dataclass(frozen=True, slots=True)
class Every:
    """All of the conditions (none: always)."""

    parts: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class Some:
    parts: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class Lacks:
    part: Condition


Condition = Flag | Every | Some | Lacks
ALWAYS = Every(())

#: the facts a status is decided on
FLAGS = {
    "holds": "the requirements hold with events up to the cut-off (min(as_of, due))",
    "past_due": "as_of is past the due",
    "late_holds": "the requirements hold with events delivered late (rules that accept it)",
    "near_due": "the due is within the warning horizon of as_of",
    "days_left": "a qualifying day is left (always, without `on PATTERN`)",
    "beyond_reach": "a failing part caps a count already past the cap",
}
HOLDS, PAST_DUE, LATE_HOLDS = Flag("holds"), Flag("past_due"), Flag("late_holds")
NEAR_DUE, DAYS_LEFT, BEYOND = Flag("near_due"), Flag("days_left"), Flag("beyond_reach")

#: the first status whose condition holds is the result's
STATUS_RULES: tuple[tuple[str, Condition], ...] = (
    ("met", HOLDS),
    ("late", Every((PAST_DUE, LATE_HOLDS))),
    ("overdue", PAST_DUE),
    ("at_risk", Some((NEAR_DUE, Lacks(DAYS_LEFT), BEYOND))),
    ("pending", ALWAYS),
)
#: per status, the reason: the first template whose condition holds; `{when}` is the due,
#: `{detail}` what :func:`describe` says of the part the result speaks of
REASON_RULES: dict[str, tuple[tuple[Condition, str], ...]] = {
    "met": ((ALWAYS, "met: {detail}"),),
    "late": ((ALWAYS, "met only after the deadline {when}: {detail}"),),
    "overdue": ((ALWAYS, "not met by the deadline {when}: {detail}"),),
    "at_risk": (
        (BEYOND, "beyond reach before {when}: {detail}"),
        (Lacks(DAYS_LEFT), "no qualifying day is left before {when}: {detail}"),
        (ALWAYS, "due {when}, not yet met: {detail}"),
    ),
    "pending": ((ALWAYS, "due {when}: {detail}"),),
}
#: a slack is said of these statuses when a qualifying day is left
SLACK_STATUSES = ("pending", "at_risk")
#: the slack, and the days left in it with and without the working days known
SLACK = "needs {amount} more in {left}"
SLACK_LEFT = "{working} working days ({days} days)"
SLACK_LEFT_DAYS = "{days} days"
#: the reason of an instance that cannot be dated
UNDATED = "the due date cannot be computed"


def holds(condition: Condition, flags: dict[str, bool]) -> bool:
    match condition:
        case Flag(name=name):
            return flags[name]
        case Every(parts=parts):
            return all(holds(p, flags) for p in parts)
        case Some(parts=parts):
            return any(holds(p, flags) for p in parts)
        case Lacks(part=part):
            return not holds(part, flags)
    raise TypeError(condition)  # pragma: no cover


def status_of(flags: dict[str, bool]) -> str:
    return next(status for status, condition in STATUS_RULES if holds(condition, flags))


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
    if as_of > due and late is not None and late.missing is not None:
        return indeterminate(late.missing, due, lang)
    today = as_of.date()
    flags = {
        "holds": on_time.holds,
        "past_due": as_of > due,
        "late_holds": late is not None and late.holds,
        "near_due": due - as_of <= rule.horizon,
        "days_left": instance.qualifying_days_left(today),
        "beyond_reach": not on_time.holds and on_time.reported.beyond_reach,
    }
    status = status_of(flags)
    outcome = late if status == "late" and late is not None else on_time
    reported = outcome.reported
    required, actual = numbers(reported.numbers)
    slack = None
    if status in SLACK_STATUSES and flags["days_left"]:
        slack = _slack(required, actual, due, today, workdays, lang)
    template = next(text for condition, text in REASON_RULES[status] if holds(condition, flags))
    return Verdict(
        status=status,
        due=due,
        required=required,
        actual=actual,
        evidence=tuple(sorted(outcome.evidence)),
        reason=t(lang, template, when=f"{due:%Y-%m-%d %H:%M}", detail=describe(reported, lang)),
        slack=slack,
    )


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
        return _float(right), _float(left)
    return None, None


def _float(value: float) -> float | None:
    """A number as the report's float; none for an exact one past a float's range (a
    product of many large factors): the reason still shows it whole."""
    try:
        return float(value)
    except OverflowError:
        return None


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
        working = workdays.working_days_after(today, due.date())
        left = t(lang, SLACK_LEFT, working=working, days=days)
    except CalendarIndeterminate:
        left = t(lang, SLACK_LEFT_DAYS, days=days)
    amount = int(missing) if float(missing).is_integer() else round(missing, 2)
    return t(lang, SLACK, amount=amount, left=left)


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
