"""Deprecated import path, kept for one release: use :mod:`policyrules.data`."""

from policyrules.data.events import (  # noqa: F401
    Event,
    EventReader,
    EventSet,
    Rejection,
    UnitSet,
    json_schema,
    read_events,
    read_rows,
    read_units,
)
