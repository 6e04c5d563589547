"""Input data: events and units, read from JSON Lines, CSV or Python, validated against the
attribute types a policy declares.

Every input row is either accepted or *rejected* with its line number, id and reason; the
counts add up and nothing is dropped silently. A duplicate event id is rejected (the first
row with the id is kept). Times without an offset are in the policy's time zone; times with
one are converted to it. A date without a time is kept as a date: it happened some time that
day (`at during 07:00..09:00` cannot hold for it).

Validation uses pydantic: one model per event kind, built from the policy's declarations, in
lax mode so that CSV text (`"3"`, `"true"`, `"2021-03-05"`) is read as the declared type.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, Optional
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, ValidationError, create_model

from policyrules.diagnostics.messages import Message, msg, t, validation_problem
from policyrules.semantics import types as T
from policyrules.semantics.checker import BUILTIN_UNIT_FIELDS, CheckedPolicy, EventKind

CORE_FIELDS = ("id", "unit", "kind", "at")
_CORE = frozenset(CORE_FIELDS)


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


def _python_type(t: T.Type, festivals: Iterable[str]) -> Any:
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
            return list[_python_type(t.item, festivals)]  # type: ignore[misc]
    return Any


class _Lax(BaseModel):
    model_config = ConfigDict(extra="allow", coerce_numbers_to_str=False)


def _model(name: str, fields: Mapping[str, T.Type], festivals: Iterable[str]) -> type[BaseModel]:
    festival_names = list(festivals)
    definitions: dict[str, Any] = {
        field_name: (Optional[_python_type(t, festival_names)], None)  # noqa: UP045
        for field_name, t in fields.items()
    }
    model: type[BaseModel] = create_model(f"Event_{name}", __base__=_Lax, **definitions)
    return model


def _reason(error: ValidationError) -> Message:
    return validation_problem(error.errors()[0])


class EventReader:
    """Validates raw rows into :class:`Event` s for one policy."""

    def __init__(self, policy: CheckedPolicy) -> None:
        self.policy = policy
        self.zone = ZoneInfo(policy.timezone)
        festivals = list(policy.definitions.festivals)
        self.kinds: Mapping[str, EventKind] = policy.definitions.events
        self.models = {
            name: _model(name, kind.fields, festivals) for name, kind in self.kinds.items()
        }
        self.list_fields = {
            name: {f for f, t in kind.fields.items() if t.kind is T.Kind.LIST}
            for name, kind in self.kinds.items()
        }
        self._times: dict[str, tuple[dt.datetime, bool]] = {}

    def parse_time(self, value: Any) -> tuple[dt.datetime, bool]:
        """An event's `at`: (aware datetime in the policy's zone, whether it had a time)."""
        if isinstance(value, dt.datetime):
            moment, timed = value, True
        elif isinstance(value, dt.date):
            moment, timed = dt.datetime.combine(value, dt.time()), False
        elif isinstance(value, str) and value.strip():
            text = value.strip()
            if len(text) == 10:
                moment, timed = dt.datetime.combine(dt.date.fromisoformat(text), dt.time()), False
            else:
                moment, timed = dt.datetime.fromisoformat(text.replace("Z", "+00:00")), True
        else:
            raise ValueError(msg("`at`: a date or date-time is required"))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self.zone)
        else:
            moment = moment.astimezone(self.zone)
        return moment, timed

    def read(self, row: Mapping[str, Any], line: int, source: str) -> Event | Rejection:
        """The event of one input row, or why the row is rejected.

        A city's tens of millions of events must fit in memory: the strings that repeat from
        row to row (unit ids, kinds, attribute names, short values) are shared, not kept once
        per event, and so are the times parsed from the same text."""
        ident, unit, kind, when = row.get("id"), row.get("unit"), row.get("kind"), row.get("at")
        ident_text = str(ident) if ident not in (None, "") else None
        for name, value in (("id", ident), ("unit", unit), ("kind", kind), ("at", when)):
            if value is None or value == "":
                return Rejection(source, line, ident_text, msg("`{name}` is missing", name=name))
        kind = sys.intern(str(kind))
        try:
            parsed = self._times.get(when) if isinstance(when, str) else None
            if parsed is None:
                parsed = self.parse_time(when)
                if isinstance(when, str) and len(self._times) < _TIME_CACHE:
                    self._times[when] = parsed
            at, timed = parsed
        except ValueError as error:
            reason = error.args[0] if error.args else None
            if not isinstance(reason, Message):
                reason = msg("`at`: `{when}` is not an ISO 8601 date or date-time", when=when)
            return Rejection(source, line, ident_text, reason)
        # the attributes: everything but the core fields, empty CSV cells as missing
        attributes = {
            sys.intern(k): _shared(v)
            for k, v in row.items()
            if k not in _CORE and v is not None and v != ""
        }
        model = self.models.get(kind)
        if model is not None:
            for name in self.list_fields[kind]:
                value = attributes.get(name)
                if isinstance(value, str):
                    attributes[name] = _split_list(value)
            try:
                validated = model.model_validate(attributes)
            except ValidationError as error:
                return Rejection(source, line, ident_text, _reason(error))
            # declared attributes in their declared types; undeclared ones kept as given
            for name, value in validated.__dict__.items():
                if value is not None:
                    attributes[name] = _shared(value)
        return Event(str(ident), sys.intern(str(unit)), kind, at, attributes or _NO_ATTRIBUTES,
                     timed, line)


# how many distinct `at` texts to remember (a year of minutes is about 525,000)
_TIME_CACHE = 1_000_000
_NO_ATTRIBUTES: Mapping[str, Any] = MappingProxyType({})


def _shared(value: Any) -> Any:
    """A short string value shared with the equal ones of other events (categories, names,
    yes/no), anything else as it is."""
    return sys.intern(value) if isinstance(value, str) and len(value) <= 32 else value


def _split_list(text: str) -> Any:
    """A list in a CSV cell: JSON (`[1.2, 2.5]`) or separated by `;` or `|`."""
    stripped = text.strip()
    if not stripped:
        return None
    if stripped.startswith("["):
        try:
            return json.loads(stripped)
        except json.JSONDecodeError:
            return stripped  # let validation say what is wrong
    for separator in (";", "|"):
        if separator in stripped:
            return [part.strip() for part in stripped.split(separator) if part.strip()]
    return [stripped]


# ----------------------------------------------------------------------------- rows


def read_rows(path: str | Path) -> Iterator[tuple[int, Mapping[str, Any] | str]]:
    """(line, row) for each record of a `.jsonl` or `.csv` file; a row that cannot be read
    at all is given as the reason text instead of a mapping."""
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        with file.open(encoding="utf-8-sig") as handle:
            for number, text in enumerate(handle, start=1):
                if not text.strip():
                    continue
                try:
                    value = json.loads(text)
                except json.JSONDecodeError as error:
                    yield number, msg("not JSON: {problem} at column {column}",
                                      problem=msg(error.msg.lower()), column=error.colno)
                    continue
                if not isinstance(value, dict):
                    yield number, msg("not a JSON object")
                    continue
                yield number, value
    elif suffix == ".csv":
        with file.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            for row in reader:
                number = reader.line_num
                if None in row:
                    yield number, msg("more cells than the header has columns")
                    continue
                yield number, {k: v for k, v in row.items() if k is not None}
    elif suffix == ".parquet":
        yield from _parquet_rows(file)
    else:
        raise ValueError(
            msg("{path}: unknown data format `{suffix}` (use .jsonl, .csv or .parquet)",
                path=path, suffix=suffix or file.name)
        )


def _parquet_rows(file: Path) -> Iterator[tuple[int, Mapping[str, Any] | str]]:
    try:
        import pyarrow.parquet as pq
    except ImportError as error:
        raise ValueError(
            msg("{path}: reading Parquet needs the optional extra: pip install"
                " 'policyrules[parquet]'", path=file)
        ) from error
    table = pq.read_table(file)
    for number, row in enumerate(table.to_pylist(), start=1):
        yield number, {k: v for k, v in row.items() if v is not None}


@dataclass
class EventSet:
    """Accepted events and rejected rows, with the counts that must add up."""

    events: list[Event] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    rows: int = 0


def read_events(
    policy: CheckedPolicy,
    source: str | Path | Iterable[Mapping[str, Any]],
    reader: EventReader | None = None,
) -> EventSet:
    """Read and validate events from a file path or an iterable of dicts."""
    reader = reader or EventReader(policy)
    out = EventSet()
    seen: set[str] = set()
    rows: Iterable[tuple[int, Mapping[str, Any] | str]]
    if isinstance(source, (str, Path)):
        name = str(source)
        rows = read_rows(source)
    else:
        name = "<python>"
        rows = ((i, _as_mapping(r)) for i, r in enumerate(source, start=1))
    for line, row in rows:
        out.rows += 1
        if isinstance(row, str):
            out.rejected.append(Rejection(name, line, None, row))
            continue
        result = reader.read(row, line, name)
        if isinstance(result, Rejection):
            out.rejected.append(result)
        elif result.id in seen:
            out.rejected.append(
                Rejection(name, line, result.id, msg("duplicate event id `{id}`", id=result.id))
            )
        else:
            seen.add(result.id)
            out.events.append(result)
    return out


def _as_mapping(row: Any) -> Mapping[str, Any] | str:
    if isinstance(row, Mapping):
        return row
    if isinstance(row, BaseModel):
        return row.model_dump()
    return msg("not a mapping: {type}", type=type(row).__name__)


# ----------------------------------------------------------------------------- units


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
    units: dict[str, Unit] = field(default_factory=dict)
    rejected: list[Rejection] = field(default_factory=list)
    rows: int = 0

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


def read_units(
    policy: CheckedPolicy, source: str | Path | Iterable[Mapping[str, Any]]
) -> UnitSet:
    fields = {**BUILTIN_UNIT_FIELDS, **policy.definitions.unit_fields}
    fields.pop("id", None)
    model = _model("unit", fields, policy.definitions.festivals)
    out = UnitSet()
    rows: Iterable[tuple[int, Mapping[str, Any] | str]]
    if isinstance(source, (str, Path)):
        name = str(source)
        rows = read_rows(source)
    else:
        name = "<python>"
        rows = ((i, _as_mapping(r)) for i, r in enumerate(source, start=1))
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
            validated = model.model_validate(facts)
        except ValidationError as error:
            out.rejected.append(Rejection(name, line, str(ident), _reason(error), "unit"))
            continue
        clean = {**facts, **{k: getattr(validated, k) for k in fields}}
        clean = {k: v for k, v in clean.items() if v is not None}
        clean["id"] = str(ident)
        unit = out.units.setdefault(str(ident), Unit(str(ident)))
        unit.versions.append(UnitVersion(valid_from, clean))
        unit.versions.sort(key=lambda v: v.valid_from or dt.date.min)
    return out


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
        attributes = _model(name, kind.fields, festivals).model_json_schema()["properties"]
        kinds[name] = {
            "type": "object",
            "title": t(lang, "event `{name}` (a stock: carries over)" if kind.stock
                       else "event `{name}`", name=name),
            "properties": {**core, "kind": {"const": name}, **attributes},
            "required": ["id", "unit", "kind", "at"],
            "additionalProperties": True,
        }
    unit_fields = {**policy.definitions.unit_fields}
    unit_schema = _model("unit", unit_fields, festivals).model_json_schema()
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


def read_text_rows(text: str, suffix: str) -> list[tuple[int, Mapping[str, Any] | str]]:
    """Rows of in-memory JSON Lines or CSV text (tests and notebooks)."""
    if suffix == ".csv":
        reader = csv.DictReader(io.StringIO(text))
        return [(reader.line_num, dict(row)) for row in reader]
    return [(i, json.loads(t)) for i, t in enumerate(text.splitlines(), 1) if t.strip()]
