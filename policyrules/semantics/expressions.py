"""Expressions: every name resolved by the scope rule (:mod:`policyrules.semantics.scope`),
every type inferred (:mod:`policyrules.semantics.types`), and what cannot be meant refused
with a hint: comparisons of what does not compare, percentages where a count is needed,
attributes with no event in view, festivals used as values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from policyrules.diagnostics.messages import msg
from policyrules.diagnostics.source import Span
from policyrules.semantics import typed as X
from policyrules.semantics import types as T
from policyrules.semantics.aggregates import AggregateChecks
from policyrules.semantics.findings import suggest
from policyrules.semantics.model import (
    BUILTIN_EVENT_FIELDS,
    BUILTIN_UNIT_FIELDS,
    WINDOW_FIELDS,
    Definitions,
    EventKind,
)
from policyrules.semantics.scope import IsAttribute, IsLet, IsSet, IsVariable, Scope, resolve
from policyrules.syntax import ast
from policyrules.syntax.formatter import expression as show


class ExpressionChecks(AggregateChecks):
    def event_kind(self, name: str, span: Span | None, defs: Definitions) -> EventKind | None:
        kind = defs.events.get(name)
        if kind is None:
            self.error(
                msg("unknown event kind `{name}`", name=name),
                span,
                suggest(name, defs.events)
                or (msg("declare it: `event {name} {{ … }}`", name=name)
                    if name.isidentifier() else None),
                code="unknown-name"
            )
        return kind

    def check_condition(
        self, expr: ast.Expr, scope: Scope, defs: Definitions, what: str
    ) -> X.Expr:
        typed = self.expr(expr, replace(scope, where=what), defs)
        t = typed.type
        if not t.is_unknown and t.kind is not T.Kind.BOOL:
            self.error(
                msg("{what} must be true or false, but this is {type}",
                    what=what, type=T.describe(t)),
                expr.span,
                _boolean_hint(expr),
                code="type-mismatch"
            )
        return typed

    def check_pattern(
        self, pattern: ast.Pattern, defs: Definitions, scope: Scope | None = None
    ) -> None:
        match pattern:
            case ast.NamedPattern(name=name):
                if name in defs.festivals:
                    return
                attribute = scope.event.field_type(name) if scope and scope.event else None
                if attribute is not None:
                    if attribute != T.FESTIVAL:
                        self.error(
                            msg("`{name}` is {type}, not a festival",
                                name=name, type=T.describe(attribute)),
                            pattern.span,
                            msg("declare it `{name}: festival` to match dates against it",
                                name=name),
                            code="type-mismatch"
                        )
                    return
                set_def = defs.sets.get(name)
                if set_def is not None:
                    if self.set_type(set_def, defs).item != T.FESTIVAL:
                        self.error(msg("set `{name}` lists strings, not festivals",
                                       name=name), pattern.span,
                                   "a calendar pattern needs festivals",
                                       code="type-mismatch")
                    return
                self.error(
                    msg("unknown festival `{name}`", name=name),
                    pattern.span,
                    suggest(name, [*defs.festivals, *defs.sets])
                    or msg("define it: `festival {name} = 07-01`", name=name),
                    code="unknown-name"
                )
            case ast.SolarTerm(name=name):
                self._check_term(name, pattern.span)
            case ast.Around(base=base, distance=distance):
                if distance.unit is ast.DurationUnit.HOUR:
                    self.error("`±` takes days or weeks", distance.span, "write `± 3 days`",
                               code="type-mismatch")
                self.check_pattern(base, defs, scope)
            case ast.AnyOf(options=options):
                for option in options:
                    self.check_pattern(option, defs, scope)
            case _:
                pass

    def expr(self, node: ast.Expr, scope: Scope, defs: Definitions) -> X.Expr:
        """`node` typed and resolved in `scope` (an :class:`~.typed.Invalid` of unknown type
        where it cannot be, with the error reported)."""
        match node:
            case ast.IntLit(value=literal):
                return X.Literal(T.INT, node, literal)
            case ast.DecimalLit(value=literal):
                return X.Literal(T.NUMBER, node, literal)
            case ast.PercentLit(value=literal):
                return X.Literal(T.PERCENT, node, literal / 100)
            case ast.StringLit(value=literal):
                return X.Literal(T.STRING, node, literal)
            case ast.BoolLit(value=literal):
                return X.Literal(T.BOOL, node, literal)
            case ast.DateLit(value=literal):
                return X.Literal(T.DATE, node, literal)
            case ast.ListLit(items=items):
                return self.list_literal(node, items, scope, defs)
            case ast.Name():
                return self.name(node, scope, defs)
            case ast.Context():
                return self.context(node, scope)
            case ast.Attribute():
                return self.attribute(node, scope, defs)
            case ast.BandCall(band=band, argument=argument):
                arg = self.expr(argument, scope, defs)
                if band not in defs.bands:
                    self.error(msg("unknown band `{band}`", band=band), node.span,
                               suggest(band, defs.bands) or "define it: `band NAME { … }`",
                               code="unknown-name")
                    return X.Invalid(T.UNKNOWN, node)
                if not arg.type.is_unknown and not arg.type.is_numeric:
                    self.error(msg("band `{band}` needs a number, not {type}",
                                   band=band, type=T.describe(arg.type)),
                               argument.span, "pass a unit fact such as `unit.staff`",
                               code="type-mismatch")
                return X.BandCall(T.NUMBER, node, band, arg)
            case ast.Call():
                return self.call(node, scope, defs)
            case ast.Quantifier(variable=variable, collection=collection, condition=condition):
                coll = self.expr(collection, scope, defs)
                element = T.UNKNOWN
                if coll.type.kind is T.Kind.LIST and coll.type.item is not None:
                    element = coll.type.item
                elif not coll.type.is_unknown:
                    self.error(msg("`{kind}` needs a list, not {type}",
                                   kind=node.kind, type=T.describe(coll.type)),
                               collection.span, code="type-mismatch")
                inner = replace(scope, variables={**scope.variables, variable: element})
                held = self.check_condition(condition, inner, defs,
                                            msg("the condition of `{kind}`", kind=node.kind))
                return X.Quantifier(T.BOOL, node, node.kind, variable, coll, held)
            case ast.PercentOf(percent=percent, base=base):
                b = self.expr(base, scope, defs)
                if not b.type.is_unknown and not b.type.is_numeric:
                    self.error(msg("`% of` needs a number, not {type}",
                                   type=T.describe(b.type)), base.span, code="type-mismatch")
                return X.PercentOf(T.NUMBER, node, percent, b)
            case ast.Negate(operand=operand):
                number = self.expr(operand, scope, defs)
                if not number.type.is_unknown and not number.type.is_numeric:
                    self.error(msg("cannot negate {type}", type=T.describe(number.type)),
                               node.span, code="type-mismatch")
                    return X.Invalid(T.UNKNOWN, node)
                return X.Negate(number.type, node, number)
            case ast.Not(operand=operand):
                inside = self.check_condition(operand, scope, defs, msg("the operand of `not`"))
                return X.Not(T.BOOL, node, inside)
            case ast.BoolOp(op=op, left=left, right=right):
                sides = msg("each side of `{op}`", op=op)
                return X.Logic(T.BOOL, node, op, self.check_condition(left, scope, defs, sides),
                               self.check_condition(right, scope, defs, sides))
            case ast.Arithmetic():
                return self.arithmetic(node, scope, defs)
            case ast.Compare():
                return self.compare(node, scope, defs)
            case ast.Between(value=value, low=low, high=high):
                typed_value = self.expr(value, scope, defs)
                v = typed_value.type
                if v.kind is T.Kind.GROUPED and v.item is not None:
                    v = v.item  # `count(activity) per quarter between 0 and 1`: every group
                bounds = []
                for bound in (low, high):
                    b = self.expr(bound, scope, defs)
                    bounds.append(b)
                    if not T.comparable(v, b.type):
                        self._require_comparable(v, b.type, value, bound, node)
                        return X.Invalid(T.BOOL, node)
                return X.Between(T.BOOL, node, typed_value, bounds[0], bounds[1])
            case ast.In():
                return self.membership(node, scope, defs)
            case ast.OnPattern(value=value, pattern=pattern):
                moment = self.expr(value, scope, defs)
                if not moment.type.is_unknown and moment.type.kind not in T.TEMPORAL:
                    self.error(msg("`on` needs a date, not {type}", type=T.describe(moment.type)),
                               value.span, "use the event's time: `at on 2nd saturday`",
                               code="type-mismatch")
                self.check_pattern(pattern, defs, scope)
                return X.OnDays(T.BOOL, node, moment, pattern)
            case ast.During(value=value, start=start, end=end):
                moment = self.expr(value, scope, defs)
                if moment.type.kind is T.Kind.DATE:
                    self.error("a date has no time of day", value.span,
                               "use a date and time such as the event's `at`",
                               code="type-mismatch")
                elif not moment.type.is_unknown and moment.type.kind is not T.Kind.DATETIME:
                    self.error(msg("`during` needs a date and time, not {type}",
                                   type=T.describe(moment.type)),
                               value.span, code="type-mismatch")
                return X.During(T.BOOL, node, moment, start, end)
            case ast.IsSet(value=value, negated=negated):
                if not isinstance(value, (ast.Name, ast.Attribute)):
                    self.error("`is set` applies to an attribute", value.span,
                               "write for example `festival is set`",
                               code="type-mismatch")
                return X.IsSet(T.BOOL, node, self.expr(value, scope, defs), negated)
            case ast.Aggregate():
                return self.aggregate(node, scope, defs)
            case ast.Grouped():
                return self.grouped(node, scope, defs)
            case ast.Selection():
                return self.values(node, scope, defs)
        raise TypeError(node)  # pragma: no cover

    def list_literal(
        self, node: ast.ListLit, items: tuple[ast.Expr, ...], scope: Scope, defs: Definitions
    ) -> X.Expr:
        result = T.UNKNOWN
        typed_items = []
        for item in items:
            typed_item = self.expr(item, scope, defs)
            typed_items.append(typed_item)
            unified = T.unify(result, typed_item.type)
            if unified is None:
                self.error(msg("a list mixes {type} and {type2}",
                               type=T.describe(result), type2=T.describe(typed_item.type)),
                           item.span, code="type-mismatch")
                return X.Invalid(T.list_of(T.UNKNOWN), node)
            result = unified
        return X.ListOf(T.list_of(result), node, tuple(typed_items))

    def name(self, node: ast.Name, scope: Scope, defs: Definitions) -> X.Expr:
        name = node.id
        meaning = resolve(name, scope, defs)
        match meaning:
            case IsVariable(type=found):
                return X.Variable(found, node, name)
            case IsAttribute(kind=kind, type=found, of_trigger=True):
                return X.TriggerAttribute(found, node, kind.name, name)
            case IsAttribute(kind=kind, type=found):
                return X.EventAttribute(found, node, kind.name, name)
            case IsLet(value=value, top_level=top_level):
                if name in scope.expanding:
                    return X.Invalid(T.UNKNOWN, node)  # reported once, at the definition
                expanded = self.expr(value, replace(scope, expanding=(*scope.expanding, name)),
                                     defs)
                return X.LetUse(expanded.type, node, name, expanded, top_level)
            case IsSet(definition=definition):
                members = tuple(
                    m.value if isinstance(m, ast.StringLit) else getattr(m, "id", "")
                    for m in definition.members.items
                )
                return X.SetUse(self.set_type(definition, defs), node, name, members)
        self.unknown_name(node, scope, defs)
        return X.Invalid(T.UNKNOWN, node)

    def unknown_name(self, node: ast.Name, scope: Scope, defs: Definitions) -> None:
        """Say why a bare name means nothing where it stands."""
        name = node.id
        if name in defs.festivals:
            self.error(
                msg("festival `{name}` is a day of the calendar, not a value", name=name),
                node.span,
                msg("match a date against it: `at on {name} ± 3 days`", name=name),
                code="misplaced-name"
            )
            return
        if name in defs.events:
            self.error(
                msg("`{name}` is an event kind, not a value", name=name),
                node.span,
                msg("count its events: `count({name})`", name=name),
                code="misplaced-name"
            )
            return
        owners = [k.name for k in defs.events.values() if name in k.fields]
        if owners and scope.event is None:
            if scope.trigger is not None and name in scope.trigger.fields:
                hint = msg("the triggering event's attribute is `trigger.{name}`", name=name)
            else:
                hint = msg("use it inside `where`, for example `count({owners} where {name} …)`",
                           owners=owners[0], name=name)
            self.error(msg("`{name}` is an attribute of `{owners}`, not known here",
                           name=name, owners=owners[0]), node.span, hint,
                       code="out-of-context")
            return
        candidates = [*scope.variables, *scope.lets, *defs.lets, *defs.sets]
        if scope.event is not None:
            candidates += [*scope.event.fields, *BUILTIN_EVENT_FIELDS]
            message = msg("`{name}` is not an attribute of `{name2}`",
                          name=name, name2=scope.event.name)
        else:
            message = msg("unknown name `{name}`", name=name)
        if name in defs.unit_fields:
            self.error(message, node.span, msg("the unit's fact is `unit.{name}`", name=name),
                       code="unknown-name")
            return
        self.error(message, node.span, suggest(name, candidates), code="unknown-name")

    def context(self, node: ast.Context, scope: Scope) -> X.Expr:
        match node.which:
            case ast.ContextName.SUBJECT:
                if scope.subject is None:
                    self.error("`subject` is known only in per-person obligations", node.span,
                               "add `for each person of registration` to the obligation",
                               code="out-of-context")
                    return X.Invalid(T.UNKNOWN, node)
                return X.Subject(scope.subject, node)
            case ast.ContextName.TRIGGER:
                if scope.trigger is None:
                    self.error("`trigger` is known only in `for each …` obligations", node.span,
                               code="out-of-context")
                else:
                    self.error("`trigger` is an event; use one of its attributes", node.span,
                               "for example `trigger.id` or `trigger.at`",
                               code="misplaced-name")
            case ast.ContextName.UNIT:
                self.error("`unit` is a record; use one of its facts", node.span,
                           "for example `unit.staff` or `unit.id`",
                           code="misplaced-name")
            case ast.ContextName.WINDOW:
                self.error("`window` is a period; use `window.start`, `window.end` or"
                           " `window.label`", node.span,
                           code="misplaced-name")
        return X.Invalid(T.UNKNOWN, node)

    def attribute(self, node: ast.Attribute, scope: Scope, defs: Definitions) -> X.Expr:
        value, name = node.value, node.name
        invalid = X.Invalid(T.UNKNOWN, node)
        if not isinstance(value, ast.Context):
            self.expr(value, scope, defs)
            self.error(msg("`.{name}`: only `unit`, `trigger` and `window` have attributes",
                           name=name),
                       node.span,
                       code="misplaced-name")
            return invalid
        fields: Mapping[str, T.Type]
        match value.which:
            case ast.ContextName.UNIT:
                fields = {**BUILTIN_UNIT_FIELDS, **defs.unit_fields}
                what = msg("unit fact")
            case ast.ContextName.TRIGGER:
                if scope.selecting_trigger:
                    self.error(
                        "the trigger is being chosen here, so it has no attributes yet",
                        value.span,
                        msg("in `for each … where`, name the event's attributes bare: `{name}`",
                            name=name),
                        code="out-of-context"
                    )
                    return invalid
                if scope.trigger is None:
                    self.error("`trigger` is known only in `for each …` obligations",
                               value.span, "add for example `for each activity`",
                               code="out-of-context")
                    return invalid
                fields = {**BUILTIN_EVENT_FIELDS, **scope.trigger.fields}
                what = msg("attribute of `{name}`", name=scope.trigger.name)
            case ast.ContextName.WINDOW:
                fields = WINDOW_FIELDS
                what = msg("attribute of `window`")
            case ast.ContextName.SUBJECT:
                self.error("`subject` is a value and has no attributes", node.span,
                           code="misplaced-name")
                return invalid
        if name not in fields:
            hint = suggest(name, fields)
            if value.which is ast.ContextName.UNIT and hint is None:
                hint = msg("declare it: `units {{ {name}: int }}`", name=name)
            self.error(msg("unknown {what} `{name}`", what=what, name=name), node.span, hint,
                       code="unknown-name")
            return invalid
        found = fields[name]
        match value.which:
            case ast.ContextName.UNIT:
                # read on the day of the event in view, if a `where` looks at one
                on_event_day = scope.event is not None and not scope.event_is_trigger
                return X.UnitFact(found, node, name, on_event_day)
            case ast.ContextName.TRIGGER:
                assert scope.trigger is not None
                return X.TriggerAttribute(found, node, scope.trigger.name, name)
        return X.WindowField(found, node, name)

    def call(self, node: ast.Call, scope: Scope, defs: Definitions) -> X.Expr:
        args = [self.expr(a, scope, defs) for a in node.arguments]
        if len(args) != 1:
            self.error(msg("`{function}` takes one argument, not {count}",
                           function=node.function, count=len(args)), node.span,
                       code="type-mismatch")
            return X.Invalid(T.UNKNOWN, node)
        arg = args[0]
        if node.function == "len":
            if not arg.type.is_unknown and arg.type.kind is not T.Kind.LIST:
                self.error(msg("`len` needs a list, not {type}",
                               type=T.describe(arg.type)), node.arguments[0].span,
                           code="type-mismatch")
            return X.Call(T.INT, node, "len", arg)
        if not arg.type.is_unknown and arg.type.kind is not T.Kind.STRING:
            self.error(msg("`lower` needs a string, not {type}",
                           type=T.describe(arg.type)), node.arguments[0].span,
                       code="type-mismatch")
        return X.Call(T.STRING, node, node.function, arg)

    def arithmetic(self, node: ast.Arithmetic, scope: Scope, defs: Definitions) -> X.Expr:
        left = self.expr(node.left, scope, defs)
        right = self.expr(node.right, scope, defs)
        invalid = X.Invalid(T.UNKNOWN, node)
        for side, t in ((node.left, left.type), (node.right, right.type)):
            if t.kind is T.Kind.PERCENT:
                self.error(
                    msg("a percentage cannot be used with `{op}`", op=node.op),
                    side.span,
                    "compare a ratio with it, or take a share: `10% of unit.staff`",
                    code="type-mismatch"
                )
                return invalid
            if not t.is_unknown and not t.is_numeric:
                self.error(msg("`{op}` needs numbers, not {type}",
                               op=node.op, type=T.describe(t)), side.span,
                           code="type-mismatch")
                return invalid
        if left.type.is_unknown or right.type.is_unknown:
            return invalid
        result = T.NUMBER
        if node.op == "/":
            result = T.RATIO
        elif left.type == T.INT and right.type == T.INT:
            result = T.INT
        return X.Arithmetic(result, node, node.op, left, right)

    def compare(self, node: ast.Compare, scope: Scope, defs: Definitions) -> X.Expr:
        typed_left = self.expr(node.left, scope, defs)
        typed_right = self.expr(node.right, scope, defs)
        left, right = typed_left.type, typed_right.type
        compared = X.Compare(T.BOOL, node, node.op, typed_left, typed_right)
        if left.kind is T.Kind.GROUPED and right.kind is T.Kind.GROUPED:
            self.error("cannot compare groups with groups", node.span,
                       "compare each group with a number: `count(activity) per month >= 1`",
                       code="type-mismatch")
            return compared
        left_value = left.item if left.kind is T.Kind.GROUPED and left.item else left
        right_value = right.item if right.kind is T.Kind.GROUPED and right.item else right
        if not T.comparable(left_value, right_value):
            self._require_comparable(left_value, right_value, node.left, node.right, node)
            return compared
        ordered = node.op in ("<", "<=", ">", ">=")
        for t in (left_value, right_value):
            if ordered and t.kind in (T.Kind.STRING, T.Kind.BOOL, T.Kind.LIST, T.Kind.FESTIVAL):
                self.error(msg("`{op}` cannot order {type}",
                               op=node.op, type=T.describe(t)), node.span,
                           "use `==` or `!=`",
                           code="type-mismatch")
                break
        self._check_enum_literal(left_value, node.right)
        self._check_enum_literal(right_value, node.left)
        self._check_festival_literal(left_value, node.right, defs)
        self._check_festival_literal(right_value, node.left, defs)
        return compared

    def _check_festival_literal(self, t: T.Type, other: ast.Expr, defs: Definitions) -> None:
        if (
            t.kind is T.Kind.FESTIVAL
            and isinstance(other, ast.StringLit)
            and other.value not in defs.festivals
        ):
            self.error(
                msg("`{value}` is not a festival", value=other.value),
                other.span,
                suggest(other.value, defs.festivals)
                or "define it: `festival NAME = MM-DD`, or import \"std:festivals\"",
                code="type-mismatch"
            )

    def _require_comparable(
        self, left: T.Type, right: T.Type, lnode: ast.Expr, rnode: ast.Expr, node: ast.Expr
    ) -> None:
        if T.comparable(left, right):
            return
        if T.Kind.PERCENT in (left.kind, right.kind):
            other, other_node, percent_node = (
                (right, rnode, lnode) if left.kind is T.Kind.PERCENT else (left, lnode, rnode)
            )
            # whole numbers in a policy are counts: of events, participants, staff, people
            needed = msg("a count") if other.kind is T.Kind.INT else T.describe(other)
            del other_node
            pct = show(percent_node)
            self.error(
                msg("a percentage where {needed} is needed", needed=needed),
                percent_node.span,
                msg("compare with a share of something: `{pct} of unit.staff`, or divide two "
                    "counts to get a ratio", pct=pct),
                code="type-mismatch"
            )
            return
        self.error(
            msg("cannot compare {named} with {named2}",
                named=_named(lnode, left), named2=_named(rnode, right)),
            node.span,
            _compare_hint(left, right),
            code="type-mismatch"
        )

    def _check_enum_literal(self, t: T.Type, other: ast.Expr) -> None:
        if t.values is None:
            return
        literals = [other] if isinstance(other, ast.StringLit) else (
            list(other.items) if isinstance(other, ast.ListLit) else [])
        for lit in literals:
            if isinstance(lit, ast.StringLit) and lit.value not in t.values:
                self.error(
                    msg("`{value}` is not one of the declared values", value=lit.value),
                    lit.span,
                    suggest(lit.value, t.values)
                    or msg("the values are {values}",
                           values=", ".join(f"`{v}`" for v in t.values)),
                    code="unknown-name"
                )

    def membership(self, node: ast.In, scope: Scope, defs: Definitions) -> X.Expr:
        typed_value = self.expr(node.value, scope, defs)
        typed_coll = self.expr(node.collection, scope, defs)
        value, coll = typed_value.type, typed_coll.type
        found = X.Membership(T.BOOL, node, typed_value, typed_coll, node.negated)
        if coll.is_unknown or value.is_unknown:
            return found
        if coll.kind is not T.Kind.LIST:
            self.error(msg("`in` needs a list on its right, not {type}", type=T.describe(coll)),
                       node.collection.span, "write a list `[\"a\", \"b\"]` or a set's name",
                       code="type-mismatch")
            return found
        item = coll.item or T.UNKNOWN
        if value.kind is T.Kind.LIST:
            self.error(msg("`in` tests one value, not {type}",
                           type=T.describe(value)), node.value.span,
                       "to test members of a list use `any(x in list: x in …)`",
                       code="type-mismatch")
            return found
        if not T.comparable(value, item):
            self.error(
                msg("`in` looks for {type} in {type2}",
                    type=T.describe(value), type2=T.describe(coll)),
                node.span,
                _compare_hint(value, item),
                code="type-mismatch"
            )
            return found
        self._check_enum_literal(value, node.collection)
        if isinstance(node.collection, ast.ListLit):
            for member in node.collection.items:
                self._check_festival_literal(value, member, defs)
        return found


def _named(node: ast.Expr, t: T.Type) -> str:
    if isinstance(node, (ast.Name, ast.Attribute)):
        return msg("`{show}` ({type})", show=show(node), type=T.describe(t))
    return T.describe(t)


def _compare_hint(left: T.Type, right: T.Type) -> str | None:
    kinds = {left.kind, right.kind}
    if T.Kind.LIST in kinds:
        return "lists are not compared whole: test a member with `in`, or use `all(…)`/`any(…)`"
    if T.Kind.STRING in kinds and kinds & T.NUMERIC:
        return "numbers are written without quotes, strings with them"
    if T.Kind.BOOL in kinds:
        return "use the attribute alone (`risky`) or `not risky`"
    if kinds & T.TEMPORAL:
        return "dates are written year-month-day without quotes: `2019-05-27`"
    return None


def _boolean_hint(expr: ast.Expr) -> str | None:
    if isinstance(expr, ast.Aggregate):
        return msg("did you mean `{show} >= 1`?", show=show(expr))
    if isinstance(expr, ast.Grouped):
        return msg("did you mean `{show} >= 1`?", show=show(expr))
    return None


