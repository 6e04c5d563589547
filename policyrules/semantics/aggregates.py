"""Aggregates and selections: `count(…)`, `sum(hours of …)`, `… per month`, `… per theme in
SET`, `distinct(person of …)` and the scopes they read (`from area`, `from all units`)."""

from __future__ import annotations

from policyrules.diagnostics.messages import msg
from policyrules.diagnostics.source import Span
from policyrules.semantics import typed as X
from policyrules.semantics import types as T
from policyrules.semantics.definitions import DefinitionChecks
from policyrules.semantics.findings import suggest
from policyrules.semantics.model import BUILTIN_EVENT_FIELDS, Definitions, EventKind
from policyrules.semantics.scope import Scope
from policyrules.syntax import ast


class AggregateChecks(DefinitionChecks):
    """Typing of aggregates; the rest of expressions is :class:`ExpressionChecks`."""

    def expr(self, node: ast.Expr, scope: Scope, defs: Definitions) -> X.Expr:
        raise NotImplementedError

    def name(self, node: ast.Name, scope: Scope, defs: Definitions) -> X.Expr:
        raise NotImplementedError

    def check_condition(
        self, expr: ast.Expr, scope: Scope, defs: Definitions, what: str
    ) -> X.Expr:
        raise NotImplementedError

    def event_kind(self, name: str, span: Span | None, defs: Definitions) -> EventKind | None:
        raise NotImplementedError

    def _check_enum_literal(self, t: T.Type, other: ast.Expr) -> None:
        raise NotImplementedError

    def aggregate(self, node: ast.Aggregate, scope: Scope, defs: Definitions) -> X.Expr:
        function, source = node.function, node.source
        if isinstance(source, ast.Grouped):
            inner = self.grouped(source, scope, defs)
            item = inner.type.item if inner.type.item is not None else T.UNKNOWN
            result = {"avg": T.NUMBER, "count": T.INT, "sum": item, "min": item,
                      "max": item}.get(function)
            if result is None:
                self.error(msg("`{function}` cannot combine groups", function=function),
                           node.span, "use `avg`, `min`, `max`, `sum` or `count` over groups",
                           code="type-mismatch")
                return X.Invalid(T.UNKNOWN, node)
            if not isinstance(inner, X.Grouped):
                return X.Invalid(T.UNKNOWN, node)
            return X.Aggregate(result, node, function, inner)
        return self.selection(function, source, scope, defs, node)

    def selection(
        self, function: str, sel: ast.Selection, scope: Scope, defs: Definitions,
        node: ast.Aggregate,
    ) -> X.Expr:
        if sel.kind not in defs.events and sel.field is None and sel.where is None:
            # count(volunteers): the size of a set of values
            for lets in (scope.lets, {k: v.value for k, v in defs.lets.items()}):
                if sel.kind in lets or sel.kind in defs.sets:
                    named = self.name(ast.Name(sel.kind, span=sel.span), scope, defs)
                    t = named.type
                    if function != "count":
                        self.error(msg("`{function}` needs events, `{kind}` is a set",
                                       function=function, kind=sel.kind),
                                   sel.span, msg("use `count({kind})` for its size", kind=sel.kind),
                                       code="type-mismatch")
                    elif not t.is_unknown and t.kind is not T.Kind.LIST:
                        self.error(msg("`{kind}` is not a set", kind=sel.kind), sel.span,
                                   code="type-mismatch")
                    return X.SizeOf(T.INT, node, named)
        kind = self.event_kind(sel.kind, sel.span, defs)
        if kind is None:
            return X.Invalid(T.UNKNOWN, node)
        field_type: T.Type | None = None
        if sel.field is not None:
            field_type = kind.field_type(sel.field)
            if field_type is None:
                self.error(
                    msg("`{field}` is not an attribute of `{name}`",
                        field=sel.field, name=kind.name),
                    sel.span,
                    suggest(sel.field, [*kind.fields, *BUILTIN_EVENT_FIELDS])
                    or msg("declare it in `event {name} {{ … }}`", name=kind.name),
                    code="unknown-name"
                )
                field_type = T.UNKNOWN
        self.check_event_scope(sel, defs)
        where = None
        if sel.where is not None:
            where = self.check_condition(sel.where, scope.selecting(kind), defs, msg("a `where`"))
        selected = X.Selection(T.list_of(field_type or T.UNKNOWN), sel, sel.kind, sel.field,
                               sel.distinct, where, sel.scope)
        invalid = X.Invalid(T.UNKNOWN, node)
        if sel.distinct and function != "count":
            self.error(msg("`distinct` goes with `count`, not `{function}`",
                           function=function), node.span,
                       msg("write `count(distinct {field} of {kind})`",
                           field=sel.field, kind=sel.kind),
                           code="type-mismatch")
            return invalid
        match function:
            case "count":
                if sel.field is not None and not sel.distinct:
                    self.error(
                        "`count` counts events or distinct values",
                        node.span,
                        msg("write `count(distinct {field} of {kind})` or `count({kind} where "
                            "{field} is set)`", field=sel.field, kind=sel.kind),
                        code="type-mismatch"
                    )
                return X.Aggregate(T.INT, node, function, selected)
            case "exists":
                if sel.field is not None:
                    self.error("`exists` takes events, not an attribute", node.span,
                               msg("write `exists({kind} where …)`", kind=sel.kind),
                               code="type-mismatch")
                return X.Aggregate(T.BOOL, node, function, selected)
        if sel.field is None:
            self.error(
                msg("`{function}` needs an attribute to combine", function=function),
                node.span,
                msg("write for example `{function}(hours of {kind})`",
                    function=function, kind=sel.kind),
                code="type-mismatch"
            )
            return invalid
        assert field_type is not None
        if function in ("sum", "avg") and not field_type.is_unknown and not field_type.is_numeric:
            self.error(msg("`{function}` needs a number, but `{field}` is {type}",
                           function=function, field=sel.field,
                           type=T.describe(field_type)), node.span,
                           code="type-mismatch")
            return invalid
        return X.Aggregate(T.NUMBER if function == "avg" else field_type, node, function,
                           selected)

    def grouped(self, node: ast.Grouped, scope: Scope, defs: Definitions) -> X.Expr:
        inner = node.aggregate
        typed_inner = self.aggregate(inner, scope, defs)
        item = typed_inner.type
        group = node.group
        typed_group: X.PerPeriod | X.PerMember
        if isinstance(group, ast.PeriodGroup):
            typed_group = X.PerPeriod(T.UNKNOWN, group, group.unit)
        else:
            source = inner.source
            if not isinstance(source, ast.Selection):  # pragma: no cover - grammar
                return X.Invalid(T.UNKNOWN, node)
            kind = defs.events.get(source.kind)
            typed_members = self.expr(group.members, scope, defs)
            typed_group = X.PerMember(T.UNKNOWN, group, group.field, typed_members)
            members = typed_members.type
            if kind is not None:
                field_type = kind.field_type(group.field)
                if field_type is None:
                    self.error(
                        msg("`{field}` is not an attribute of `{name}`",
                            field=group.field, name=kind.name),
                        group.span,
                        suggest(group.field, [*kind.fields, *BUILTIN_EVENT_FIELDS]),
                        code="unknown-name"
                    )
                elif not members.is_unknown:
                    member_item = field_type.item if field_type.kind is T.Kind.LIST else field_type
                    if members.kind is not T.Kind.LIST or (
                        member_item is not None
                        and members.item is not None
                        and not T.comparable(member_item, members.item)
                    ):
                        self.error(
                            msg("`per {field} in …` needs {type}", field=group.field,
                                type=T.describe(T.list_of(member_item or T.UNKNOWN))),
                            group.members.span,
                            code="type-mismatch"
                        )
                    elif member_item is not None:
                        self._check_enum_literal(member_item, group.members)
        if not isinstance(typed_inner, X.Aggregate):
            return X.Invalid(T.grouped(item), node)
        return X.Grouped(T.grouped(item), node, typed_inner, typed_group)

    def values(self, node: ast.Selection, scope: Scope, defs: Definitions) -> X.Expr:
        kind = self.event_kind(node.kind, node.span, defs)
        if kind is None or node.field is None:
            return X.Invalid(T.list_of(T.UNKNOWN), node)
        field_type = kind.field_type(node.field)
        if field_type is None:
            self.error(
                msg("`{field}` is not an attribute of `{name}`", field=node.field, name=kind.name),
                node.span,
                suggest(node.field, [*kind.fields, *BUILTIN_EVENT_FIELDS]),
                code="unknown-name"
            )
            field_type = T.UNKNOWN
        self.check_event_scope(node, defs)
        where = None
        if node.where is not None:
            where = self.check_condition(node.where, scope.selecting(kind), defs,
                                         msg("a `where`"))
        return X.Selection(T.list_of(field_type), node, node.kind, node.field, node.distinct,
                           where, node.scope)

    def check_event_scope(self, sel: ast.Selection, defs: Definitions) -> None:
        if sel.scope is ast.EventScope.AREA and "parent" not in defs.unit_fields:
            self.error(
                "`from area` needs to know which units lie under which",
                sel.span,
                "declare the unit fact `parent: string` (the unit each one reports to)",
                code="needs-fact"
            )


# ----------------------------------------------------------------------------- helpers

