"""Units for the reference engine: their facts on a day, and the units under each."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from policyrules.data.events import UnitSet, units_under

Facts = Callable[[dt.date], Mapping[str, Any]]


class UnitDirectory:
    """The units of an evaluation: the units file's, or those the events name."""

    def __init__(self, units: UnitSet | None) -> None:
        self.units = units
        self._no_facts: dict[str, Mapping[str, Any]] = {}
        self._areas: dict[tuple[str, int], list[str]] = {}
        self._children: dict[int, dict[str, list[str]]] = {}
        self._change_days: list[dt.date] | None = None

    def ids(self, event_units: Iterable[str]) -> list[str]:
        """The units to check, in order: the units file's, else the events' units."""
        if self.units is not None and self.units.units:
            return sorted(self.units.units)
        return sorted(set(event_units))

    def facts(self, unit: str) -> Facts:
        """The unit's facts as a function of the day."""
        record = self.units.units.get(unit) if self.units is not None else None
        if record is None:
            no_facts = self._no_facts.setdefault(unit, {"id": unit})
            return lambda day: no_facts
        return record.facts_on

    def area(self, unit: str, day: dt.date) -> list[str]:
        """The unit and every unit under it by the `parent` facts in force on `day`.

        The tree only changes on the days some unit's facts change (`valid_from`), so it is
        built once per stretch between such days, not once per unit and day: a city's
        100,000 units would otherwise make this quadratic."""
        if self.units is None:
            return [unit]
        if self._change_days is None:
            self._change_days = sorted({
                version.valid_from
                for record in self.units.units.values()
                for version in record.versions
                if version.valid_from is not None
            })
        epoch = bisect.bisect_right(self._change_days, day)
        key = (unit, epoch)
        found = self._areas.get(key)
        if found is None:
            children = self._children.get(epoch)
            if children is None:
                children = self._children[epoch] = self.units.children(day)
            found = self._areas[key] = units_under(unit, children)
        return found
