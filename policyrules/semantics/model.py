"""The checked model: a policy whose names are resolved and whose expressions are typed.

:class:`CheckedPolicy` is what :func:`policyrules.semantics.check` returns and what every
later stage reads: its definitions (event kinds with their attribute types, unit facts,
sets, bands, festivals, lets), its metadata, and its obligations, each with its typed,
resolved expressions (:mod:`policyrules.semantics.typed`) beside the syntax they were
written as.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from policyrules.diagnostics.errors import Diagnostic
from policyrules.diagnostics.source import SourceText, Span
from policyrules.semantics import typed
from policyrules.semantics import types as T
from policyrules.syntax import ast

#: Attributes every event has, whatever its kind (contract.md).
BUILTIN_EVENT_FIELDS: dict[str, T.Type] = {
    "id": T.STRING,
    "unit": T.STRING,
    "kind": T.STRING,
    "at": T.DATETIME,
}
#: Facts every unit has.
BUILTIN_UNIT_FIELDS: dict[str, T.Type] = {"id": T.STRING}
WINDOW_FIELDS: dict[str, T.Type] = {"start": T.DATE, "end": T.DATE, "label": T.STRING}

DEFAULT_TIMEZONE = "Asia/Shanghai"
#: 下班: the end of the working day when a policy does not say (documented in language.md).
DEFAULT_WORKDAY_END = dt.time(17, 30)
DEFAULT_WARN = ast.Duration(7, ast.DurationUnit.DAY)


@dataclass(frozen=True)
class EventKind:
    name: str
    fields: Mapping[str, T.Type]
    stock: bool = False
    counts_for: str | None = None
    span: Span | None = None

    def field_type(self, name: str) -> T.Type | None:
        if name in BUILTIN_EVENT_FIELDS:
            return BUILTIN_EVENT_FIELDS[name]
        return self.fields.get(name)


@dataclass(frozen=True)
class Definitions:
    """Everything a policy can refer to by name."""

    events: Mapping[str, EventKind]
    unit_fields: Mapping[str, T.Type]
    sets: Mapping[str, ast.SetDef]
    bands: Mapping[str, ast.BandDef]
    festivals: Mapping[str, ast.FestivalDef]
    lets: Mapping[str, ast.LetDef]


@dataclass(frozen=True)
class Window:
    """An effective window; `end` None means open-ended."""

    start: dt.date
    end: dt.date | None = None

    def contains(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class TypedObligation:
    """An obligation's expressions as the checker typed and resolved them."""

    #: the policy's `applies to` and the obligation's own
    scope: tuple[typed.Expr, ...] = ()
    #: `for each KIND where …`: which events open an instance
    trigger: typed.Expr | None = None
    #: `for each FIELD of KIND where …`: which events name a person
    subject: typed.Expr | None = None
    requirements: tuple[typed.Expr, ...] = ()
    #: each `let` as written, typed in the obligation's context
    lets: Mapping[str, typed.Expr] = field(default_factory=dict)


@dataclass(frozen=True)
class CheckedObligation:
    policy: str
    name: str
    title: str
    node: ast.Obligation
    severity: ast.SeverityLevel
    refs: tuple[str, ...]
    cites: str | None
    consequence: str | None
    applies: tuple[ast.Expr, ...]  # the policy's default scope and the obligation's own
    subject: ast.ForEachSubject | None
    schedule: ast.Once | ast.Every | ast.EachOccurrence | ast.ForEachEvent
    window: Window
    lets: Mapping[str, ast.Expr]
    requires: tuple[ast.Expr, ...]
    due: ast.Due | None
    warn: ast.Duration
    accept_late: bool
    partial: ast.PartialMode
    overridable: bool
    supersedes: tuple[str, str] | None
    typed: TypedObligation = field(default_factory=TypedObligation)
    #: set when a later policy in the program supersedes this one from that date on
    superseded_from: dt.date | None = None

    @property
    def source(self) -> Span | None:
        return self.node.span


@dataclass(frozen=True)
class CheckedPolicy:
    """A policy that parses and checks: ready to be lowered and evaluated."""

    name: str
    title: str
    file: str
    issuer: str | None
    document: str | None
    issued: dt.date | None
    window: Window
    timezone: str
    workday_end: dt.time
    warn: ast.Duration
    consequence: str | None
    obligations: tuple[CheckedObligation, ...]
    definitions: Definitions
    warnings: tuple[Diagnostic, ...]
    sources: Mapping[str, SourceText]
    tree: ast.PolicyFile

    def obligation(self, name: str) -> CheckedObligation:
        for ob in self.obligations:
            if ob.name == name:
                return ob
        raise KeyError(name)

    def __repr__(self) -> str:
        window = f"{self.window.start}..{self.window.end or ''}"
        return (
            f"<CheckedPolicy {self.name} {self.title!r} ({window}):"
            f" {len(self.obligations)} obligations>"
        )
