"""The JSON Schema of the records a policy reads (`policyrules schema`)."""

from __future__ import annotations

from typing import Any

from policyrules.data.values import model
from policyrules.diagnostics.messages import t
from policyrules.semantics.checker import CheckedPolicy


def json_schema(policy: CheckedPolicy, lang: str = "en") -> dict[str, Any]:
    """The JSON Schema of the event and unit records `policy` reads, so that data producers
    can validate before sending: one schema per event kind (core fields required, declared
    attributes typed) and one for unit rows; titles and descriptions in `lang`."""
    festivals = list(policy.definitions.festivals)
    core = {
        "id": {"type": "string", "minLength": 1,
               "description": t(lang, "unique within the stream")},
        "unit": {"type": "string", "minLength": 1,
                 "description": t(lang, "the unit it belongs to")},
        "at": {
            "type": "string",
            "description": t(lang, "ISO 8601 date or date-time; without an offset it is in"
                             " {zone}", zone=policy.timezone),
            "anyOf": [{"format": "date"}, {"format": "date-time"},
                      {"pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$"}],
        },
    }
    kinds: dict[str, Any] = {}
    for name, kind in policy.definitions.events.items():
        attributes = model(name, kind.fields, festivals).model_json_schema()["properties"]
        kinds[name] = {
            "type": "object",
            "title": t(lang, "event `{name}` (a stock: carries over)" if kind.stock
                       else "event `{name}`", name=name),
            "properties": {**core, "kind": {"const": name}, **attributes},
            "required": ["id", "unit", "kind", "at"],
            "additionalProperties": True,
        }
    unit_fields = {**policy.definitions.unit_fields}
    unit_schema = model("unit", unit_fields, festivals).model_json_schema()
    unit_schema["properties"] = {
        "unit": {"type": "string", "minLength": 1},
        "valid_from": {"type": "string", "format": "date",
                       "description": t(lang, "when this row's facts start to hold")},
        **unit_schema["properties"],
    }
    unit_schema["required"] = ["unit"]
    unit_schema["title"] = t(lang, "unit row")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": t(lang, "records read by policy `{name}`", name=policy.name),
        "$defs": {"unit": unit_schema, **{f"event_{k}": v for k, v in kinds.items()}},
        "oneOf": [{"$ref": f"#/$defs/event_{k}"} for k in kinds],
    }
