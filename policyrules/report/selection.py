"""Which results a reader asked for — units, obligations, statuses — checked against the names
a report has, so that a typo is an error that names the closest name, never an empty answer.

A unit is known when the evaluation checked it: every unit of the units file, or, without
one, every unit the events name. An obligation is known when the policy (or a policy it
imports) has it. Such a name with no result (a unit out of the obligation's scope, a period
not yet started) selects nothing and is not an error. `not-met` stands for every status but
`met`: late, overdue, at_risk, pending and indeterminate — what a supervisor follows up.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from policyrules.diagnostics.messages import Message, msg

if TYPE_CHECKING:
    from policyrules.data.model import EventSet, UnitSet
    from policyrules.report.model import Result

ALL_STATUSES = ("met", "late", "overdue", "at_risk", "pending", "indeterminate")
NOT_MET = "not-met"
#: the statuses `not-met` stands for
NOT_MET_STATUSES = ("late", "overdue", "at_risk", "pending", "indeterminate")
_ALIASES = {NOT_MET: NOT_MET_STATUSES, "not_met": NOT_MET_STATUSES}


class FilterError(ValueError):
    """A unit, obligation or status asked for that matches nothing; `close` is the known
    name nearest to it, if one is near."""

    def __init__(self, message: Message, what: str, name: str, close: str | None) -> None:
        super().__init__(message)
        self.message = message
        self.what = what
        self.name = name
        self.close = close


class Names:
    """The units and obligations a report could have results for; the units are found when
    first asked for (a city's events name them in millions of rows)."""

    def __init__(
        self, units: Collection[str] | Callable[[], Collection[str]], obligations: Iterable[str]
    ) -> None:
        self._units = units
        self.obligations = frozenset(obligations)

    @property
    def units(self) -> Collection[str]:
        if callable(self._units):
            self._units = self._units()
        return self._units

    @classmethod
    def of_inputs(
        cls, obligations: Iterable[Any], events: EventSet, units: UnitSet | None
    ) -> Names:
        """The names an evaluation of `obligations` (checked or compiled ones) over these
        inputs has: the units of the units file, else those the events name."""
        if units is not None and units.units:
            return cls(list(units.units), [ob.name for ob in obligations])
        return cls(lambda: set(events.units_named()), [ob.name for ob in obligations])

    @classmethod
    def of_results(cls, results: Iterable[Result]) -> Names:
        listed = list(results)
        return cls({r.unit for r in listed}, {r.obligation for r in listed})


def _names(given: str | Collection[str] | None) -> list[str] | None:
    if given is None:
        return None
    return [given] if isinstance(given, str) else list(given)


def closest(name: str, known: Iterable[str]) -> str | None:
    """The known name nearest to `name`, if one is near enough to be meant."""
    found = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.5)
    return found[0] if found else None


def unknown(what: str, name: str, known: Iterable[str]) -> FilterError:
    """The error for a name that is none of `known`, with the closest one."""
    close = closest(name, known)
    message = msg("no {what} `{name}`", what=msg(what), name=name)
    if close:
        message = msg("{message}; did you mean `{close}`?", message=message, close=close)
    return FilterError(message, what, name, close)


@dataclass(frozen=True)
class Selection:
    """Units, obligations and statuses to keep (None: any)."""

    units: frozenset[str] | None = None
    obligations: frozenset[str] | None = None
    statuses: frozenset[str] | None = None

    @classmethod
    def of(
        cls,
        unit: str | Collection[str] | None = None,
        obligation: str | Collection[str] | None = None,
        status: str | Collection[str] | None = None,
    ) -> Selection:
        """The selection as given, unchecked (`not-met` is expanded)."""
        units, obligations, statuses = _names(unit), _names(obligation), _names(status)
        expanded = None if statuses is None else frozenset(
            s for given in statuses for s in _ALIASES.get(given, (given,)))
        return cls(None if units is None else frozenset(units),
                   None if obligations is None else frozenset(obligations), expanded)

    @classmethod
    def checked(
        cls,
        unit: str | Collection[str] | None,
        obligation: str | Collection[str] | None,
        status: str | Collection[str] | None,
        names: Names,
    ) -> Selection:
        """The selection, every name of it known: else :class:`FilterError`."""
        for given in _names(status) or ():
            if given not in ALL_STATUSES and given not in _ALIASES:
                raise unknown("status", given, (*ALL_STATUSES, NOT_MET))
        for given in _names(obligation) or ():
            if given not in names.obligations:
                raise unknown("obligation", given, names.obligations)
        wanted = _names(unit)
        if wanted:
            known = names.units
            for given in wanted:
                if given not in known:
                    raise unknown("unit", given, known)
        return cls.of(unit, obligation, status)

    def holds(self, result: Any) -> bool:
        return ((self.units is None or result.unit in self.units)
                and (self.obligations is None or result.obligation in self.obligations)
                and (self.statuses is None or result.status in self.statuses))
