"""What reading input makes: accepted events and unit versions, rejected rows, and the
counts that show every row was accounted for."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

CORE_FIELDS = ("id", "unit", "kind", "at")


class InputError(ValueError):
    """An input that cannot be read at all — not one of its rows, which are rejected one by
    one, but the whole: an unknown format, a CSV without a header, a JSON array that is not
    JSON, a corrupt gzip or Parquet file. The message names the file and, where there is
    one, the place."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class InputCount:
    """What one input (a file, the standard input, rows from Python) held, and what came
    of it: `rows == accepted + rejected`."""

    source: str
    what: Literal["event", "unit"] = "event"
    rows: int = 0
    accepted: int = 0
    rejected: int = 0
    #: the SHA-256 and size of its bytes, when the reader hashed them as it read them (Spark's
    #: tasks: the driver cannot hash a file only the cluster reads); else provenance does
    sha256: str | None = None
    bytes: int | None = None


@dataclass(frozen=True, slots=True)
class Event:
    """One accepted event. `at` is aware, in the policy's time zone; `timed` is False when
    the input gave only a date."""

    id: str
    unit: str
    kind: str
    at: dt.datetime
    attributes: Mapping[str, Any]
    timed: bool = True
    line: int = 0

    @property
    def day(self) -> dt.date:
        return self.at.date()

    def get(self, name: str) -> Any:
        match name:
            case "id":
                return self.id
            case "unit":
                return self.unit
            case "kind":
                return self.kind
            case "at":
                return self.at
        return self.attributes.get(name)


@dataclass(frozen=True, slots=True)
class Rejection:
    """An input row that was not accepted, and why."""

    source: str  # file name, or "<python>"
    line: int  # 1-based line (CSV: counting the header as line 1), or the item's position
    id: str | None
    reason: str
    what: Literal["event", "unit"] = "event"

    def __str__(self) -> str:
        ident = f" (id `{self.id}`)" if self.id else ""
        return f"{self.source}:{self.line}: rejected {self.what}{ident}: {self.reason}"


@dataclass
class EventSet:
    """Accepted events and rejected rows, with the counts that must add up: `rows ==
    len(events) + len(rejected)`, input by input (`inputs`)."""

    events: list[Event] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    rows: int = 0
    inputs: list[InputCount] = field(default_factory=list)
    #: accepted events by kind
    kinds: Counter[str] = field(default_factory=Counter)
    #: the kinds the policy declares, and those some obligation reads (None: not known)
    declared: frozenset[str] | None = None
    read: frozenset[str] | None = None

    def accepted(self) -> int:
        """How many events were accepted."""
        return len(self.events)

    def units_named(self) -> Counter[str]:
        """Accepted events by the unit they name."""
        return Counter(e.unit for e in self.events)

    def kinds_unread(self) -> dict[str, int]:
        """Accepted events of each kind no obligation reads, by kind."""
        if self.read is None:
            return {}
        return {k: n for k, n in sorted(self.kinds.items()) if k not in self.read}

    def kinds_undeclared(self) -> dict[str, int]:
        """Accepted events of each kind the policy does not declare (a misspelt kind, most
        likely), by kind."""
        if self.declared is None:
            return {}
        return {k: n for k, n in sorted(self.kinds.items()) if k not in self.declared}


@dataclass(frozen=True)
class UnitVersion:
    valid_from: dt.date | None
    facts: Mapping[str, Any]


@dataclass
class Unit:
    """A unit and its facts over time (rows with `valid_from`)."""

    id: str
    versions: list[UnitVersion] = field(default_factory=list)

    def facts_on(self, day: dt.date) -> Mapping[str, Any]:
        """The facts in force on `day`: the latest row that started on or before it (a row
        without `valid_from` holds from the beginning)."""
        current: Mapping[str, Any] = {}
        for version in self.versions:
            if version.valid_from is None or version.valid_from <= day:
                current = version.facts
        return current

    @property
    def latest(self) -> Mapping[str, Any]:
        return self.versions[-1].facts if self.versions else {}


@dataclass
class UnitSet:
    """Units and their versions, and rejected rows: `rows == versions + len(rejected)` (a
    unit has one version per accepted row)."""

    units: dict[str, Unit] = field(default_factory=dict)
    rejected: list[Rejection] = field(default_factory=list)
    rows: int = 0
    inputs: list[InputCount] = field(default_factory=list)

    @property
    def versions(self) -> int:
        """Accepted rows: every version of every unit."""
        return sum(len(unit.versions) for unit in self.units.values())

    def children(self, day: dt.date | None = None) -> dict[str, list[str]]:
        """Units by the unit they report to (`parent` in force on `day`; latest without)."""
        out: dict[str, list[str]] = {}
        for unit in self.units.values():
            facts = unit.latest if day is None else unit.facts_on(day)
            parent = facts.get("parent")
            if parent:
                out.setdefault(str(parent), []).append(unit.id)
        return out

    def area(self, unit: str, day: dt.date | None = None) -> list[str]:
        """The unit and every unit under it, at any depth, on `day`."""
        return units_under(unit, self.children(day))


def units_under(unit: str, children: Mapping[str, list[str]]) -> list[str]:
    """`unit` and every unit under it in the tree `children` (units by their parent), each
    once, nearest first; a cycle in the `parent` facts does not loop."""
    found, seen, stack = [unit], {unit}, [unit]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in seen:
                seen.add(child)
                found.append(child)
                stack.append(child)
    return found
