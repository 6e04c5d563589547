"""Syntax trees → a checked policy: names resolved by one scope rule, types inferred, rules
validated, every problem collected with its code before the checker reports.

The stage's parts, each importing only those before it: :mod:`~.types` (the language's
types), :mod:`~.model` (the checked policy), :mod:`~.typed` (typed, resolved expressions),
:mod:`~.scope` (what a bare name means), :mod:`~.findings` (diagnostics and their codes),
then the checks — :mod:`~.definitions`, :mod:`~.aggregates`, :mod:`~.expressions`,
:mod:`~.deadlines`, :mod:`~.obligations` — and :mod:`~.check`, the entry points.
"""

from policyrules.semantics.check import check, lint
from policyrules.semantics.findings import CODES
from policyrules.semantics.model import (
    BUILTIN_EVENT_FIELDS,
    BUILTIN_UNIT_FIELDS,
    WINDOW_FIELDS,
    CheckedObligation,
    CheckedPolicy,
    Definitions,
    EventKind,
    Window,
)

__all__ = [
    "BUILTIN_EVENT_FIELDS",
    "BUILTIN_UNIT_FIELDS",
    "CODES",
    "WINDOW_FIELDS",
    "CheckedObligation",
    "CheckedPolicy",
    "Definitions",
    "EventKind",
    "Window",
    "check",
    "lint",
]
