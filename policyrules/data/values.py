"""Attribute values in the types a policy declares (pydantic models, in lax mode so that
CSV text is read as the declared type)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, ValidationError, create_model

from policyrules.diagnostics.messages import Message, validation_problem
from policyrules.semantics import types as T


def python_type(t: T.Type, festivals: Iterable[str]) -> Any:
    match t.kind:
        case T.Kind.INT:
            return int
        case T.Kind.NUMBER | T.Kind.RATIO:
            return float
        case T.Kind.BOOL:
            return bool
        case T.Kind.DATE:
            return dt.date
        case T.Kind.DATETIME:
            return dt.datetime
        case T.Kind.FESTIVAL:
            names = tuple(festivals)
            return Literal[names] if names else str
        case T.Kind.STRING if t.values is not None:
            return Literal[t.values]
        case T.Kind.STRING:
            return str
        case T.Kind.LIST:
            assert t.item is not None
            return list[python_type(t.item, festivals)]  # type: ignore[misc]
    return Any


class _Lax(BaseModel):
    model_config = ConfigDict(extra="allow", coerce_numbers_to_str=False)


def model(name: str, fields: Mapping[str, T.Type], festivals: Iterable[str]) -> type[BaseModel]:
    festival_names = list(festivals)
    definitions: dict[str, Any] = {
        field_name: (Optional[python_type(t, festival_names)], None)  # noqa: UP045
        for field_name, t in fields.items()
    }
    model: type[BaseModel] = create_model(f"Event_{name}", __base__=_Lax, **definitions)
    return model


def validation_reason(error: ValidationError) -> Message:
    return validation_problem(error.errors()[0])
