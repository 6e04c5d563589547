"""Hypothesis strategies for event streams and unit rows: data for testing code built on a
policy (an export, a dashboard, a rule change) against the engine.

Four kinds of strategy, each drawing plain dicts that :func:`policyrules.data.events.read_events`
and :func:`policyrules.data.events.read_units` accept without a rejection:

* :func:`units` — one unit row for a policy's declared unit facts (``{"unit": "u1", "type":
  "社区", "staff": 12}``); with ``obligation=…``, a row the obligation applies to;
* :func:`event` and :func:`events` — one event, or a list of events with unique ids, of the
  policy's declared kinds and attribute types, dated inside a window;
* :func:`satisfying` — an event stream that makes one obligation ``met`` for one unit and
  one period instance, whatever ``as_of`` after the instance's due;
* :func:`violating` — a :class:`Violation`: an event stream that leaves the obligation not
  ``met`` for that unit and instance, saying which requirement it breaks and how.

The stream strategies solve the requirements rather than guess: a ``where`` that is a
conjunction of simple comparisons is solved attribute by attribute (``hours >= 1.5`` draws
hours from [1.5, 11.5]), a target from its numbers and the unit's facts (``90% of
unit.staff``, a headcount band). What they cannot solve raises :class:`Unsupported` naming
the construct, when the strategy is built; a stream that cannot exist (no qualifying day
in the period, a target of 0 that nothing violates, a unit fact the target reads missing,
an obligation that does not apply to the unit) raises :class:`Impossible`.

Supported requirements (``COND`` a conjunction of ``ATTR OP constant`` with OP one of ``==
!= < <= > >=``, ``ATTR between A and B``, ``ATTR in LIST``, ``ATTR not in LIST``, ``VALUE in
LIST_ATTR``, ``ATTR is set``, ``ATTR is not set``, a boolean attribute or its ``not``,
``len(LIST_ATTR) OP n``, ``at on PATTERN``, ``at during HH:MM..HH:MM``, ``at OP date``, ``at <
trigger.at``, and ``let``s that expand to these; a constant is a literal, a set, ``unit.FACT``,
``window.label``, ``trigger.id``/``trigger.at``, ``P% of …``, a band call or arithmetic of
these):

* ``count(KIND where COND) >= N`` (or ``> N``), ``exists(KIND where COND)``, and ``count(distinct
  FIELD of KIND where COND) >= N``, from any scope (``from area``, ``from all units``: the
  events are the unit's own);
* ``count(…) per PERIOD >= N`` (every sub-period), ``count(…) per FIELD in SET >= N`` (coverage),
  ``avg``/``min``/``max``/``sum`` of ``count(…) per PERIOD`` compared with ``>=``/``>``;
* several such requirements joined by ``and`` or written as several ``require`` lines;
* any schedule: ``once`` (with a due when open-ended), ``every PERIOD`` (``on PATTERN``
  included: events go on the qualifying days the compiler gives the instance), ``each
  PATTERN``, and ``for each KIND [where COND]`` — whose period is the id the strategies give
  the triggering event — with requirements on the trigger's own attributes (``participants
  >= yz_headcount(unit.staff)``) or selections tied to it (``ref == trigger.id``);
* cut periods: ``partial periods count``/``whole``/``skip`` as the compiler dates the
  instance; under ``prorate`` a target written as a number shrinks with the share of the
  period's days inside the window, rounded up (language.md). Groups ``per PERIOD`` are the
  sub-periods that overlap the instance, the cut first and last included.

Not supported (:class:`Unsupported`): per-person obligations (``for each FIELD of KIND``),
ceilings and exact counts (``<=``, ``between``, ``==`` on an aggregate: adding events breaks
them), ``or`` and quantifiers in a requirement, ``sum``/``avg``/``latest`` of attributes,
targets computed from events, patterns naming an event's attribute (``at on festival ± 7
days``), counts per period of a ``stock`` kind, and, in a pro-rated cut period, targets that
are not a number written in the ``require``.

Everything is drawn through Hypothesis, so examples shrink, and nothing reads the clock.
Event ids are ``PREFIX0``, ``PREFIX1``, …: give streams that are merged distinct prefixes.
Every strategy takes the checked policy or a compiled one; pass the compiled policy you
evaluate with when it has a calendar of its own (the strategies date periods with it).

Importing this module needs ``hypothesis`` (the ``test`` extra).
"""

from __future__ import annotations

from policyrules.testing.streams.model import (
    FAILS_CONDITION,
    OFF_DAY,
    OUTSIDE_WINDOW,
    TOO_FEW,
    Impossible,
    Unsupported,
    Violation,
)
from policyrules.testing.streams.rows import (
    event,
    events,
    units,
)
from policyrules.testing.streams.solve import (
    after_due,
    periods,
    satisfying,
    violating,
)

__all__ = [
    "FAILS_CONDITION",
    "OFF_DAY",
    "OUTSIDE_WINDOW",
    "TOO_FEW",
    "Impossible",
    "Unsupported",
    "Violation",
    "after_due",
    "event",
    "events",
    "periods",
    "satisfying",
    "units",
    "violating",
]
