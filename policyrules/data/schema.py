"""The JSON Schema of the records a policy reads (`policyrules schema`): the typed (JSON)
forms of the rules in :mod:`policyrules.data.values`."""

from __future__ import annotations

from typing import Any

from policyrules.data.values import schema_of
from policyrules.diagnostics.messages import t
from policyrules.semantics import CheckedPolicy
from policyrules.semantics import types as T

_NAME = {"type": "string", "minLength": 1, "pattern": r"^\S(.*\S)?$"}


def _attributes(fields: dict[str, T.Type] | Any, festivals: list[str]) -> dict[str, Any]:
    """Declared attributes: their type, or null (missing)."""
    return {name: {"anyOf": [schema_of(t, festivals), {"type": "null"}]}
            for name, t in fields.items()}


def json_schema(policy: CheckedPolicy, lang: str = "en") -> dict[str, Any]:
    """The JSON Schema of the event and unit records `policy` reads, so that data producers
    can validate before sending: one schema per event kind (core fields required, declared
    attributes typed) and one for unit rows; titles and descriptions in `lang`."""
    festivals = list(policy.definitions.festivals)
    core = {
        "id": {"anyOf": [_NAME, {"type": "integer"}],
               "description": t(lang, "unique within the stream")},
        "unit": {"anyOf": [_NAME, {"type": "integer"}],
                 "description": t(lang, "the unit it belongs to")},
        "at": {
            "type": "string",
            "description": t(lang, "ISO 8601 date or date-time; without an offset it is in"
                             " {zone}", zone=policy.timezone),
            "anyOf": [schema_of(T.DATE, festivals), schema_of(T.DATETIME, festivals)],
        },
    }
    kinds: dict[str, Any] = {}
    for name, kind in policy.definitions.events.items():
        kinds[name] = {
            "type": "object",
            "title": t(lang, "event `{name}` (a stock: carries over)" if kind.stock
                       else "event `{name}`", name=name),
            "properties": {**core, "kind": {"const": name},
                           **_attributes(kind.fields, festivals)},
            "required": ["id", "unit", "kind", "at"],
            "additionalProperties": True,
        }
    unit_schema: dict[str, Any] = {
        "type": "object",
        "title": t(lang, "unit row"),
        "properties": {
            "unit": {"anyOf": [_NAME, {"type": "integer"}]},
            "valid_from": {**schema_of(T.DATE, festivals),
                           "description": t(lang, "when this row's facts start to hold")},
            **_attributes(policy.definitions.unit_fields, festivals),
        },
        "required": ["unit"],
        "additionalProperties": True,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": t(lang, "records read by policy `{name}`", name=policy.name),
        "$defs": {"unit": unit_schema, **{f"event_{k}": v for k, v in kinds.items()}},
        "oneOf": [{"$ref": f"#/$defs/event_{k}"} for k in kinds],
    }
