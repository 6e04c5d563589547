"""Conditions → conjuncts: a `where`, a trigger's condition or a scope read as alternatives of
conjunctions of simple comparisons, names resolved by the one scope rule."""

from __future__ import annotations

import datetime as dt
from typing import Any

from policyrules.engine.verdict import is_number
from policyrules.semantics import CheckedObligation, EventKind
from policyrules.semantics import types as T
from policyrules.semantics.scope import IsAttribute, IsLet, Scope, resolve
from policyrules.syntax import ast
from policyrules.syntax.formatter import expression as show
from policyrules.testing.streams.model import (
    _BUILTINS,
    _FLIP,
    _ORDER,
    _TINY,
    Unsupported,
    _Atom,
    _Env,
    _hashable,
    _Policy,
    _Spec,
)


class _Subject:
    """What the conjuncts of a condition talk about: the attributes of the events a `where`
    selects (or of the trigger), or the facts of a unit."""

    def __init__(self, info: _Policy, checked: CheckedObligation) -> None:
        self.info = info
        self.checked = checked
        self.lets: dict[str, ast.Expr] = {
            **{name: let.value for name, let in info.defs.lets.items()},
            **dict(checked.lets),
        }

    def unsupported(self, node: ast.Node | str, why: str) -> Unsupported:
        text = node if isinstance(node, str) else _show(node)
        return Unsupported(self.checked.name, text, why)

    # what a subclass says
    def field(self, node: ast.Node) -> str | None:
        raise NotImplementedError

    def field_type(self, name: str) -> T.Type | None:
        raise NotImplementedError

    def expand(self, name: str) -> ast.Expr | None:
        return self.lets.get(name)

    def reads(self, node: ast.Expr) -> bool:
        return any(self.field(n) is not None for n in ast.walk(node))

    # conditions → conjuncts
    def alternatives(self, node: ast.Expr) -> list[list[_Spec]]:
        """A condition as alternatives (its `or`s), each a conjunction of conjuncts."""
        if isinstance(node, ast.BoolOp):
            left, right = self.alternatives(node.left), self.alternatives(node.right)
            if node.op == "or":
                return left + right
            return [a + b for a in left for b in right]
        if isinstance(node, ast.Name) and self.field(node) is None:
            expansion = self.expand(node.id)
            if expansion is not None:
                return self.alternatives(expansion)
        return [self.conjuncts(node)]

    def conjuncts(self, node: ast.Expr) -> list[_Spec]:
        """A conjunction of simple conditions on the subject's fields."""
        text = _show(node)
        match node:
            case ast.BoolOp(op="and", left=left, right=right):
                return self.conjuncts(left) + self.conjuncts(right)
            case ast.BoolOp():
                raise self.unsupported(node, "`or` in a requirement's condition")
            case ast.BoolLit(value=True):
                return []
            case ast.Name() | ast.Attribute() if self.field(node) is not None:
                name = self.field(node)
                assert name is not None
                if self._kind(name) is not T.Kind.BOOL:
                    raise self.unsupported(node, "a condition that is not true or false")
                return [_Spec(name, "==", ast.BoolLit(True), text)]
            case ast.Name(id=name) if self.expand(name) is not None:
                expansion = self.expand(name)
                assert expansion is not None
                return self.conjuncts(expansion)
            case ast.Not(operand=operand) if self.field(operand) is not None:
                name = self.field(operand)
                assert name is not None
                if self._kind(name) is not T.Kind.BOOL:
                    raise self.unsupported(node, "`not` of a value that is not true or false")
                return [_Spec(name, "==", ast.BoolLit(False), text)]
            case ast.Compare(op=op, left=left, right=right):
                return [self._compare(op, left, right, text)]
            case ast.Between(value=value, low=low, high=high):
                return [self._compare(">=", value, low, text),
                        self._compare("<=", value, high, text)]
            case ast.In(value=value, collection=collection, negated=negated):
                return [self._in(value, collection, negated, node, text)]
            case ast.IsSet(value=value, negated=negated) if self.field(value) is not None:
                name = self.field(value)
                assert name is not None
                return [_Spec(name, "unset" if negated else "set", None, text)]
            case ast.OnPattern(value=value, pattern=pattern) if self.field(value) == "at":
                self._check_pattern(pattern, node)
                return [_Spec("at", "on", None, text, pattern)]
            case ast.During(value=value, start=start, end=end) if self.field(value) == "at":
                return [_Spec("at", "during", None, text, (start, end))]
        raise self.unsupported(node, "a condition other than simple comparisons")

    def _kind(self, name: str) -> T.Kind | None:
        t = self.field_type(name)
        return None if t is None else t.kind

    def _compare(self, op: str, left: ast.Expr, right: ast.Expr, text: str) -> _Spec:
        sides = ((left, right, op), (right, left, _FLIP[op]))
        for this, other, this_op in sides:
            name = self.field(this)
            if name is not None and not self.reads(other):
                return self._field_compare(name, this_op, other, text)
        for this, other, this_op in sides:
            name = self._length(this)
            if name is not None and not self.reads(other):
                return _Spec(name, "len", other, text, this_op)
        raise self.unsupported(text, "a comparison that is not FIELD OP constant")

    def _field_compare(self, name: str, op: str, other: ast.Expr, text: str) -> _Spec:
        if name == "at":
            if op == "!=":
                raise self.unsupported(text, "`at !=`")
            return _Spec("at", op, other, text)
        kind = self._kind(name)
        if name in _BUILTINS:
            raise self.unsupported(text, f"a condition on the event's `{name}`")
        if kind in (T.Kind.DATE, T.Kind.DATETIME, T.Kind.LIST, None):
            raise self.unsupported(text, "a comparison of a date or list attribute")
        if op in _ORDER and kind not in (T.Kind.INT, T.Kind.NUMBER, T.Kind.RATIO):
            raise self.unsupported(text, "an ordering of values that are not numbers")
        return _Spec(name, op, other, text)

    def _length(self, node: ast.Expr) -> str | None:
        if isinstance(node, ast.Call) and node.function == "len" and len(node.arguments) == 1:
            name = self.field(node.arguments[0])
            if name is not None and self._kind(name) is T.Kind.LIST:
                return name
        return None

    def _in(
        self, value: ast.Expr, collection: ast.Expr, negated: bool, node: ast.Expr, text: str
    ) -> _Spec:
        name = self.field(value)
        if name is not None and not self.reads(collection):
            if name in _BUILTINS or self._kind(name) in (T.Kind.LIST, T.Kind.DATE,
                                                         T.Kind.DATETIME, None):
                raise self.unsupported(text, "`in` on a list, date or built-in attribute")
            return _Spec(name, "not in" if negated else "in", collection, text)
        name = self.field(collection)
        if name is not None and self._kind(name) is T.Kind.LIST and not self.reads(value):
            return _Spec(name, "lacks" if negated else "contains", value, text)
        raise self.unsupported(node, "an `in` that is not FIELD in constant")

    def _check_pattern(self, pattern: ast.Pattern, node: ast.Expr) -> None:
        for part in ast.walk(pattern):
            names = self.info.compiled.names.festival_names
            if isinstance(part, ast.NamedPattern) and not names(part.name):
                raise self.unsupported(node, "a pattern that names an event's attribute")

    # binding
    def bind(self, spec: _Spec, env: _Env | None = None) -> _Atom:
        if spec.field == "at":
            return self._bind_at(spec, env)
        if spec.op in ("set", "unset"):
            return _Atom(spec.field, spec.op, None, spec.text)
        assert spec.value is not None
        value = _hashable(self.const(spec.value, env))
        if spec.op == "len":
            return _Atom(spec.field, "len", (spec.extra, value), spec.text)
        if spec.op in ("in", "not in") and value is not None and not isinstance(value, tuple):
            raise self.unsupported(spec.text, "`in` a value that is not a list")
        return _Atom(spec.field, spec.op, value, spec.text)

    def _bind_at(self, spec: _Spec, env: _Env | None) -> _Atom:
        if spec.op in ("on", "during"):
            return _Atom("at", spec.op, spec.extra, spec.text)
        assert spec.value is not None
        value = self.const(spec.value, env)
        zone = self.info.zone
        if isinstance(value, dt.datetime):
            moment = value if value.tzinfo else value.replace(tzinfo=zone)
            match spec.op:
                case ">=":
                    return _Atom("at", "lo", moment, spec.text)
                case ">":
                    return _Atom("at", "lo", moment + _TINY, spec.text)
                case "<=":
                    return _Atom("at", "hi", moment, spec.text)
                case "<":
                    return _Atom("at", "hi", moment - _TINY, spec.text)
        elif isinstance(value, dt.date):
            match spec.op:
                case ">=":
                    return _Atom("at", "lo", self.info.day_start(value), spec.text)
                case ">":
                    return _Atom("at", "lo", self.info.day_start(value + dt.timedelta(days=1)),
                                 spec.text)
                case "<=":
                    return _Atom("at", "hi", self.info.day_end(value), spec.text)
                case "<":
                    return _Atom("at", "hi", self.info.day_start(value) - _TINY, spec.text)
                case "==":
                    return _Atom("at", "day", value, spec.text)
                case "!=":
                    return _Atom("at", "notday", value, spec.text)
        raise self.unsupported(spec.text, "a comparison of `at` with something not a date")

    def const(self, node: ast.Expr, env: _Env | None) -> Any:
        """The value of an expression that reads no event."""
        match node:
            case ast.IntLit(value=v) | ast.BoolLit(value=v) | ast.StringLit(value=v):
                return v
            case ast.DecimalLit(value=v):
                return float(v)
            case ast.PercentLit(value=v):
                return float(v) / 100
            case ast.DateLit(value=v):
                return v
            case ast.ListLit(items=items):
                return [self.const(i, env) for i in items]
            case ast.Name(id=name) if self.field(node) is None:
                expansion = self.expand(name)
                if expansion is not None:
                    return self.const(expansion, env)
                set_def = self.info.defs.sets.get(name)
                if set_def is not None:
                    return [
                        m.value if isinstance(m, ast.StringLit) else getattr(m, "id", None)
                        for m in set_def.members.items
                    ]
            case ast.Attribute(value=ast.Context(which=which), name=name) if (
                self.field(node) is None
            ):
                return self._context(which, name, node, env)
            case ast.PercentOf(percent=percent, base=base):
                number = self.const(base, env)
                return float(percent) / 100 * number if is_number(number) else None
            case ast.BandCall(band=band, argument=argument):
                return self.info.compiled.lowering.band(band).minimum(self.const(argument, env))[0]
            case ast.Negate(operand=operand):
                number = self.const(operand, env)
                return -number if is_number(number) else None
            case ast.Arithmetic(op=op, left=left, right=right):
                a, b = self.const(left, env), self.const(right, env)
                if not (is_number(a) and is_number(b)):
                    return None
                if op == "/":
                    return a / b if b else None
                return a + b if op == "+" else a - b if op == "-" else a * b
            case ast.Call(function="lower", arguments=(argument,)):
                value = self.const(argument, env)
                return value.lower() if isinstance(value, str) else value
        raise self.unsupported(node, "a target or value that is not a constant")

    def _context(self, which: ast.ContextName, name: str, node: ast.Expr, env: _Env | None) -> Any:
        if env is None:
            raise self.unsupported(node, "a value read from the unit, window or trigger here")
        match which:
            case ast.ContextName.UNIT:
                return env.unit if name == "id" else env.facts.get(name)
            case ast.ContextName.WINDOW:
                return {"start": env.instance.start, "end": env.instance.end,
                        "label": env.instance.label}.get(name)
            case ast.ContextName.TRIGGER if env.trigger is None:
                raise self.unsupported(node, "a condition on the trigger that reads `trigger.…`")
            case ast.ContextName.TRIGGER if env.trigger is not None:
                trigger = env.trigger
                match name:
                    case "id":
                        return trigger.ident
                    case "at":
                        return trigger.at
                    case "unit":
                        return env.unit
                    case "kind":
                        return trigger.kind
                value = trigger.value(name)
                kind = self.info.defs.events[trigger.kind].fields.get(name)
                if isinstance(value, str) and kind is not None and kind.kind is T.Kind.DATE:
                    return dt.date.fromisoformat(value)
                if isinstance(value, str) and kind is not None and kind.kind is T.Kind.DATETIME:
                    return dt.datetime.fromisoformat(value).replace(tzinfo=self.info.zone)
                return value
        raise self.unsupported(node, "a value read from the person (`subject`)")


class _EventSubject(_Subject):
    """The attributes of an event kind: those of the events a `where` selects, or — outside
    any `where` of a `for each KIND` obligation — the trigger's. Names mean what
    :func:`policyrules.semantics.scope.resolve` says: attributes come before `let`s."""

    def __init__(
        self, info: _Policy, checked: CheckedObligation, kind: EventKind, in_where: bool
    ) -> None:
        super().__init__(info, checked)
        self.kind = kind
        self.scope = Scope(event=kind, event_is_trigger=not in_where, lets=dict(checked.lets))

    def field(self, node: ast.Node) -> str | None:
        if not isinstance(node, ast.Name):
            return None
        meaning = resolve(node.id, self.scope, self.info.defs)
        return node.id if isinstance(meaning, IsAttribute) else None

    def field_type(self, name: str) -> T.Type | None:
        return self.kind.field_type(name)

    def expand(self, name: str) -> ast.Expr | None:
        meaning = resolve(name, self.scope, self.info.defs)
        return meaning.value if isinstance(meaning, IsLet) else None


class _UnitSubject(_Subject):
    """The facts of the unit (`unit.type`), for solving an obligation's `applies to`."""

    def field(self, node: ast.Node) -> str | None:
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Context)
            and node.value.which is ast.ContextName.UNIT
        ):
            return node.name
        return None

    def field_type(self, name: str) -> T.Type | None:
        if name == "id":
            return T.STRING
        return self.info.defs.unit_fields.get(name)

    def applies(self) -> list[list[_Spec]]:
        branches: list[list[_Spec]] = [[]]
        for condition in self.checked.applies:
            branches = [a + b for a in branches for b in self.alternatives(condition)]
        return branches

    def bind(self, spec: _Spec, env: _Env | None = None) -> _Atom:
        if spec.op in ("len",) or spec.field == "at":
            raise self.unsupported(spec.text, "this condition on a unit fact")
        return super().bind(spec, env)


def _show(node: ast.Node) -> str:
    try:
        return show(node)  # type: ignore[arg-type]
    except Exception:  # pragma: no cover - a pattern or a type: its name
        return type(node).__name__
