"""Units and their facts over time, read from rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from policyrules.data.model import Rejection, Unit, UnitSet, UnitVersion
from policyrules.data.rows import read_rows
from policyrules.data.values import model, validation_reason
from policyrules.diagnostics.messages import msg
from policyrules.semantics.checker import BUILTIN_UNIT_FIELDS, CheckedPolicy


def read_units(
    policy: CheckedPolicy, source: str | Path | Iterable[Mapping[str, Any]]
) -> UnitSet:
    fields = {**BUILTIN_UNIT_FIELDS, **policy.definitions.unit_fields}
    fields.pop("id", None)
    facts_model = model("unit", fields, policy.definitions.festivals)
    out = UnitSet()
    rows: Iterable[tuple[int, Mapping[str, Any] | str]]
    if isinstance(source, (str, Path)):
        name = str(source)
        rows = read_rows(source)
    else:
        name = "<python>"
        rows = ((i, as_mapping(r)) for i, r in enumerate(source, start=1))
    for line, row in rows:
        out.rows += 1
        if isinstance(row, str):
            out.rejected.append(Rejection(name, line, None, row, "unit"))
            continue
        ident = row.get("unit") or row.get("id")
        if ident in (None, ""):
            out.rejected.append(Rejection(name, line, None, msg("`unit` is missing"), "unit"))
            continue
        valid_from_raw = row.get("valid_from")
        valid_from: dt.date | None = None
        if valid_from_raw not in (None, ""):
            try:
                valid_from = (
                    valid_from_raw
                    if isinstance(valid_from_raw, dt.date)
                    else dt.date.fromisoformat(str(valid_from_raw))
                )
            except ValueError:
                out.rejected.append(
                    Rejection(name, line, str(ident),
                              msg("`valid_from`: `{value}` is not a date",
                                  value=valid_from_raw), "unit")
                )
                continue
        facts = {
            k: (None if v == "" else v)
            for k, v in row.items()
            if k not in ("unit", "id", "valid_from")
        }
        try:
            validated = facts_model.model_validate(facts)
        except ValidationError as error:
            out.rejected.append(Rejection(name, line, str(ident), validation_reason(error), "unit"))
            continue
        clean = {**facts, **{k: getattr(validated, k) for k in fields}}
        clean = {k: v for k, v in clean.items() if v is not None}
        clean["id"] = str(ident)
        unit = out.units.setdefault(str(ident), Unit(str(ident)))
        unit.versions.append(UnitVersion(valid_from, clean))
        unit.versions.sort(key=lambda v: v.valid_from or dt.date.min)
    return out




def as_mapping(row: Any) -> Mapping[str, Any] | str:
    """A row given from Python: a mapping, a pydantic model's fields, or why not."""
    from pydantic import BaseModel

    if isinstance(row, Mapping):
        return row
    if isinstance(row, BaseModel):
        return row.model_dump()
    return msg("not a mapping: {type}", type=type(row).__name__)
