"""The checker's former single module, kept as re-exports while callers move to
:mod:`policyrules.semantics` (one release)."""

from policyrules.semantics.check import check, lint
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
    "WINDOW_FIELDS",
    "CheckedObligation",
    "CheckedPolicy",
    "Definitions",
    "EventKind",
    "Window",
    "check",
    "lint",
]
