"""A frame: what an expression of the rule IR is evaluated against in the reference engine —
the unit and its facts, the instance and its cut-offs, the trigger or the person, the event
a `where` is looking at, the variables of enclosing quantifiers, and the evidence found."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from policyrules.data.events import Event
from policyrules.engine.python.units import Facts
from policyrules.rules.instances import Instance


@dataclass
class Frame:
    unit: str
    facts: Facts
    day: dt.date  # the day unit facts are read on outside a `where`
    lo: dt.datetime | None  # flows count from here (None: from the beginning)
    hi: dt.datetime  # and up to here; stocks up to here
    instance: Instance
    qualifying: tuple[tuple[dt.date, dt.date], ...] | None = None
    trigger: Event | None = None
    subject: Any = None
    event: Event | None = None
    variables: Mapping[str, Any] = field(default_factory=dict)
    evidence: set[str] = field(default_factory=set)

    def but(self, **changes: Any) -> Frame:
        """A copy with `changes`: what `dataclasses.replace` does, without its per-field
        work (it is called for every requirement of every result)."""
        new = object.__new__(Frame)
        new.__dict__.update(self.__dict__)
        new.__dict__.update(changes)
        return new

    def memo_key(self, node: object) -> tuple[Any, ...]:
        """What an aggregate's value depends on: the unit, the window and cut-offs, the person,
        the trigger and bound variables — not the event an enclosing `where` looks at."""
        return (
            id(node), self.unit, self.day, self.lo, self.hi, self.qualifying, self.subject,
            self.trigger.id if self.trigger is not None else None, self.instance.label,
            tuple(sorted(self.variables.items())) if self.variables else (),
        )
