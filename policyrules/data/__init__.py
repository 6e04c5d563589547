"""Input data: events and units read from files or Python, every row accepted or rejected
with its line and reason (see docs/data.md, and :mod:`policyrules.data.events` for the
modules of the package)."""

from policyrules.data.events import (
    CORE_FIELDS,
    Event,
    EventReader,
    EventSet,
    InputCount,
    InputError,
    Rejection,
    Unit,
    UnitSet,
    UnitVersion,
    json_schema,
    read_events,
    read_rows,
    read_units,
    units_under,
)
from policyrules.data.rows import FORMATS, Rows

__all__ = [
    "CORE_FIELDS",
    "FORMATS",
    "Event",
    "EventReader",
    "EventSet",
    "InputCount",
    "InputError",
    "Rejection",
    "Rows",
    "Unit",
    "UnitSet",
    "UnitVersion",
    "json_schema",
    "read_events",
    "read_rows",
    "read_units",
    "units_under",
]
