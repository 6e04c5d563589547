"""Plain-language sentences: where a result stands, in words an office can act on.

Made by :mod:`policyrules.engine.plain` — whose docstring documents the two steps (per rule
and status a template; its placeholders `{required}`, `{actual}`, `{due}`, `{period}`
filled) and their formats — and re-exported here, where the report's readers look for it.
"""

from policyrules.engine.plain import (
    FIELDS,
    KINDS,
    PEOPLE,
    PLACEHOLDERS,
    PlainMaker,
    Templates,
    due_text,
    fill,
    measure_of,
    pieces,
    rule_measure,
    templates,
    unit_name,
)

__all__ = ["FIELDS", "KINDS", "PEOPLE", "PLACEHOLDERS", "PlainMaker", "Templates", "due_text",
           "fill", "measure_of", "pieces", "rule_measure", "templates", "unit_name"]
