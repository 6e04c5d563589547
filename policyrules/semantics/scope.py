"""The one scope rule: what a bare name means at a place of an expression.

A bare name (`hours`, `volunteers`, `xd_core_themes`) is looked up in this order, and the
first that has it wins (docs/language.md, "Bare names"):

1. the variable of an enclosing `all(x in …: …)` / `any(…)`;
2. an attribute of the event in view: the event a `where` selects, the event a `for each
   KIND where …` or a `for each FIELD of KIND where …` condition chooses, or — outside any
   `where` in a `for each KIND` obligation — the triggering event;
3. the obligation's `let`s;
4. the top-level `let`s;
5. the sets.

The checker resolves every name through :func:`resolve` and records the answer in the typed
tree, so the engines never look a name up; the hypothesis strategies
(:mod:`policyrules.testing.streams`) call it too. A `let` that an attribute in view hides is
reported by the checker as a warning.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from policyrules.semantics import types as T
from policyrules.semantics.model import BUILTIN_EVENT_FIELDS, Definitions, EventKind
from policyrules.syntax import ast


@dataclass(frozen=True)
class Scope:
    """What names mean at one place of an expression."""

    #: the event in view: a `where`'s, a `for each` condition's, or the trigger
    event: EventKind | None = None
    #: the event in view is the trigger (outside any `where` in a `for each KIND` obligation)
    event_is_trigger: bool = False
    trigger: EventKind | None = None
    subject: T.Type | None = None
    variables: Mapping[str, T.Type] = field(default_factory=dict)
    lets: Mapping[str, ast.Expr] = field(default_factory=dict)
    expanding: tuple[str, ...] = ()  # lets being expanded, for cycle detection
    selecting_trigger: bool = False  # in `for each KIND where …`, choosing the trigger
    where: str = "expression"  # for messages: "the scope", "a requirement"

    def selecting(self, kind: EventKind) -> Scope:
        """The scope inside a `where` over events of `kind`."""
        return Scope(kind, False, self.trigger, self.subject, self.variables, self.lets,
                     self.expanding, False, self.where)


# ----------------------------------------------------------------------------- answers


@dataclass(frozen=True)
class IsVariable:
    name: str
    type: T.Type


@dataclass(frozen=True)
class IsAttribute:
    kind: EventKind
    name: str
    type: T.Type
    of_trigger: bool


@dataclass(frozen=True)
class IsLet:
    name: str
    value: ast.Expr
    top_level: bool


@dataclass(frozen=True)
class IsSet:
    definition: ast.SetDef


Meaning = IsVariable | IsAttribute | IsLet | IsSet


class Names(Protocol):
    """The program-wide names a bare name may mean (:class:`Definitions` has them)."""

    @property
    def lets(self) -> Mapping[str, ast.LetDef]: ...

    @property
    def sets(self) -> Mapping[str, ast.SetDef]: ...


def resolve(name: str, scope: Scope, defs: Names) -> Meaning | None:
    """What `name` means in `scope`, by the order above; None when it means nothing there
    (the checker then says why: a festival, an event kind, an attribute out of view …)."""
    if name in scope.variables:
        return IsVariable(name, scope.variables[name])
    attribute = _attribute(name, scope)
    if attribute is not None:
        return attribute
    if name in scope.lets:
        return IsLet(name, scope.lets[name], top_level=False)
    if name in defs.lets:
        return IsLet(name, defs.lets[name].value, top_level=True)
    if name in defs.sets:
        return IsSet(defs.sets[name])
    return None


def _attribute(name: str, scope: Scope) -> IsAttribute | None:
    if scope.event is None:
        return None
    found = scope.event.field_type(name)
    if found is None:
        return None
    return IsAttribute(scope.event, name, found, of_trigger=scope.event_is_trigger)


def hidden_lets(scope: Scope, defs: Definitions) -> list[tuple[str, IsAttribute]]:
    """The `let`s of `scope` (the obligation's, then the top-level ones) that an attribute of
    the event in view hides: `let hours = 0` in a `for each activity` obligation."""
    found = []
    for name in [*scope.lets, *(n for n in defs.lets if n not in scope.lets)]:
        attribute = _attribute(name, scope)
        if attribute is not None:
            found.append((name, attribute))
    return found


def attribute_names(kind: EventKind) -> list[str]:
    """Every name that is an attribute of `kind`, built in first."""
    return [*BUILTIN_EVENT_FIELDS, *kind.fields]
