"""The typed, resolved policy → the rule IR.

`let`s are put in place, sets become their members, patterns become calendar day sets, and
what used to be worked out while evaluating is decided here once: the day each unit fact is
read on, the attribute a `where` can be looked up by (`ref == trigger.id`), whether a scope
reads only unit facts, which parts of a requirement cap a count or carry a target that
`partial periods prorate` scales, and the event kinds a rule reads.
"""

from __future__ import annotations

import datetime as dt

from policyrules.rules import ir
from policyrules.rules.days import DayNames
from policyrules.semantics import CheckedObligation, CheckedPolicy
from policyrules.semantics import typed as X
from policyrules.semantics import types as T
from policyrules.syntax import ast
from policyrules.syntax.formatter import expression as show


class Lowering:
    """Lowers the obligations of one checked policy."""

    def __init__(self, policy: CheckedPolicy, names: DayNames) -> None:
        self.policy = policy
        self.defs = policy.definitions
        self.names = names
        self._bands: dict[str, ir.HeadcountBand] = {}

    # ------------------------------------------------------------------ rules

    def rule(self, ob: CheckedObligation, window: ir.Window) -> ir.Rule:
        typed = ob.typed
        scope = tuple(self.expr(c) for c in typed.scope)
        span = ob.node.span
        return ir.Rule(
            policy=ob.policy,
            name=ob.name,
            title=ob.title,
            severity=ir.Severity(ob.severity.value),
            refs=ob.refs,
            source=ir.Source(span.file if span else self.policy.file,
                             span.line if span else None, ob.cites),
            consequence=ob.consequence,
            window=window,
            schedule=self.schedule(ob),
            scope=scope,
            scope_reads_facts_only=all(_reads_only_facts(c) for c in scope),
            subject=self.subject(ob),
            requirements=tuple(self.requirement(r) for r in typed.requirements),
            deadline=self.deadline(ob.due),
            horizon=_horizon(ob.warn),
            accept_late=ob.accept_late,
            partial=ir.Partial(ob.partial.value),
            kinds=_kinds(ob),
        )

    def schedule(self, ob: CheckedObligation) -> ir.Schedule:
        schedule = ob.schedule
        match schedule:
            case ast.Once():
                return ir.Once()
            case ast.Every(unit=unit, on=on):
                return ir.Every(unit, self.names.day_set(on) if on is not None else None)
            case ast.EachOccurrence(pattern=pattern):
                return ir.Each(self.names.day_set(pattern))
            case ast.ForEachEvent(kind=kind):
                trigger = ob.typed.trigger
                return ir.PerEvent(kind, self.expr(trigger) if trigger is not None else None)
        raise TypeError(schedule)  # pragma: no cover - the checker allows no other

    def subject(self, ob: CheckedObligation) -> ir.PerSubject | None:
        if ob.subject is None:
            return None
        where = ob.typed.subject
        return ir.PerSubject(ob.subject.field, ob.subject.kind,
                             self.expr(where) if where is not None else None)

    def deadline(self, due: ast.Due | None) -> ir.Deadline:
        if due is None:
            return ir.Deadline()
        at: dt.time | None = None
        if isinstance(due.time, ast.ClockTime):
            at = due.time.time
        elif isinstance(due.time, ast.WorkdayEnd):
            at = self.policy.workday_end
        return ir.Deadline(_when(due.when), at)

    # ------------------------------------------------------------------ requirements

    def requirement(self, node: X.Expr) -> ir.Requirement:
        conjuncts: list[X.Expr] = []
        stack = [node]
        while stack:  # the top-level `and`s, left to right (not through a `let`)
            current = stack.pop()
            if isinstance(current, X.Logic) and current.op == "and":
                stack.extend((current.right, current.left))
            else:
                conjuncts.append(current)
        parts = tuple(self.part(c) for c in conjuncts)
        whole = parts[0] if len(parts) == 1 else ir.Part(self.expr(node), _text(node),
                                                         ir.Shape.TRUTH)
        return ir.Requirement(whole, parts)

    def part(self, node: X.Expr) -> ir.Part:
        expr = self.expr(node)
        text = _text(node)
        if isinstance(node, X.Compare):
            grouped = node.left.type.kind is T.Kind.GROUPED
            caps = node.op in ("<", "<=") and _counts(node.left)
            target = None
            right = node.right.syntax
            if (
                node.op in (">=", ">")
                and isinstance(node.left, (X.Aggregate, X.Grouped, X.SizeOf))
                and isinstance(right, (ast.IntLit, ast.DecimalLit))
            ):
                target = float(right.value)
            return ir.Part(expr, text, ir.Shape.GROUPS if grouped else ir.Shape.COMPARE,
                           _text(node.left), node.op, caps, target)
        if isinstance(node, X.Between):
            if node.value.type.kind is T.Kind.GROUPED:
                return ir.Part(expr, text, ir.Shape.GROUPS, _text(node.value), "between")
            return ir.Part(expr, text, ir.Shape.BETWEEN, _text(node.value), "between",
                           _counts(node.value))
        return ir.Part(expr, text, ir.Shape.TRUTH)

    # ------------------------------------------------------------------ expressions

    def expr(self, node: X.Expr) -> ir.Expr:
        match node:
            case X.Literal(value=value, type=t):
                return ir.Const(_literal(node, value), t)
            case X.ListOf(items=items, type=t):
                lowered = tuple(self.expr(i) for i in items)
                if all(isinstance(i, ir.Const) for i in lowered):
                    return ir.Const(tuple(i.value for i in lowered  # type: ignore[union-attr]
                                          ), t)
                return ir.ListExpr(lowered)
            case X.Variable(name=name, type=t):
                return ir.Variable(name, t)
            case X.EventAttribute(name=name, type=t):
                return ir.EventField(name, t)
            case X.TriggerAttribute(name=name, type=t):
                return ir.TriggerField(name, t)
            case X.UnitFact(name="id"):
                return ir.UnitId()
            case X.UnitFact(name=name, type=t, on_event_day=on_event_day):
                return ir.UnitFact(name, t, ir.FactDay.EVENT if on_event_day
                                   else ir.FactDay.INSTANCE)
            case X.WindowField(name=name):
                return ir.WindowField(name)
            case X.Subject(type=t):
                return ir.SubjectValue(t)
            case X.LetUse(value=value):
                return self.expr(value)
            case X.SetUse(members=members, type=t):
                return ir.Const(members, t)
            case X.BandCall(band=band, argument=argument):
                return ir.BandLookup(self.band(band), self.expr(argument))
            case X.Call(function="len", argument=argument):
                return ir.Length(self.expr(argument))
            case X.Call(argument=argument):
                return ir.Lower(self.expr(argument))
            case X.Quantifier(kind=kind, variable=variable, collection=collection,
                              condition=condition):
                return ir.Quantify(kind == "all", variable, self.expr(collection),
                                   self.expr(condition))
            case X.PercentOf(percent=percent, base=base):
                return ir.Share(float(percent) / 100, self.expr(base))
            case X.Negate(operand=operand):
                return ir.Negate(self.expr(operand))
            case X.Not(operand=operand):
                return ir.Not(self.expr(operand))
            case X.Arithmetic(op=op, left=left, right=right):
                return ir.Arith(op, self.expr(left), self.expr(right))
            case X.Logic(op="and", left=left, right=right):
                return ir.And(self.expr(left), self.expr(right))
            case X.Logic(left=left, right=right):
                return ir.Or(self.expr(left), self.expr(right))
            case X.Compare(op=op, left=left, right=right):
                return ir.Compare(op, self.expr(left), self.expr(right))
            case X.Between(value=value, low=low, high=high):
                return ir.Between(self.expr(value), self.expr(low), self.expr(high))
            case X.Membership(value=value, collection=collection, negated=negated):
                return ir.Member(self.expr(value), self.expr(collection), negated)
            case X.OnDays(value=value, pattern=pattern):
                return ir.OnDays(self.expr(value), self.names.day_set(pattern))
            case X.During(value=value, start=start, end=end):
                own_time = isinstance(value, X.EventAttribute) and value.name == "at"
                return ir.During(self.expr(value), start, end, own_time)
            case X.IsSet(value=value, negated=negated):
                return ir.IsSet(self.expr(value), negated)
            case X.Selection():
                return ir.Values(self.selection(node))
            case X.SizeOf(of=of):
                return ir.SizeOf(self.expr(of))
            case X.Aggregate(function=function, source=X.Grouped() as grouped):
                groups = self.expr(grouped)
                assert isinstance(groups, ir.Grouped)
                return ir.Reduce(function, groups)
            case X.Aggregate(function=function, source=X.Selection() as selection):
                return ir.Aggregate(function, self.selection(selection))
            case X.Grouped(aggregate=aggregate, group=group):
                inner = self.expr(aggregate)
                assert isinstance(inner, ir.Aggregate)
                if isinstance(group, X.PerPeriod):
                    return ir.Grouped(inner, ir.PerPeriod(group.unit))
                return ir.Grouped(inner, ir.PerMember(group.field, self.expr(group.members)))
        raise TypeError(f"cannot lower {node!r}")  # pragma: no cover - checked policies only

    def selection(self, node: X.Selection) -> ir.Selection:
        kind = self.defs.events[node.kind]
        where = self.expr(node.where) if node.where is not None else None
        return ir.Selection(
            kind=node.kind,
            field=node.field,
            distinct=node.distinct,
            where=where,
            reach={ast.EventScope.OWN: ir.Reach.OWN, ast.EventScope.AREA: ir.Reach.AREA,
                   ast.EventScope.ALL_UNITS: ir.Reach.ALL}[node.scope],
            stock=kind.stock,
            key=_equality_key(where) if where is not None else None,
        )

    def band(self, name: str) -> ir.HeadcountBand:
        found = self._bands.get(name)
        if found is None:
            rows = []
            for row in self.defs.bands[name].rows:
                if isinstance(row.value, ast.BandAbsolute):
                    rows.append(ir.BandRow(row.low, row.high, minimum=float(row.value.minimum)))
                else:
                    rounding = ir.Rounding(row.value.rounding.value) if row.value.rounding \
                        else ir.Rounding.NEAREST
                    rows.append(ir.BandRow(row.low, row.high, percent=float(row.value.percent),
                                           rounding=rounding))
            found = self._bands[name] = ir.HeadcountBand(name, tuple(rows))
        return found


# ----------------------------------------------------------------------------- analyses


def _literal(node: X.Literal, value: object) -> object:
    """A literal's value as engines compute with it: numbers as floats, a percentage as
    its share (`10%` → 0.1, divided as the written number over 100)."""
    syntax = node.syntax
    if isinstance(syntax, ast.PercentLit):
        return float(syntax.value) / 100
    if isinstance(syntax, ast.DecimalLit):
        return float(syntax.value)
    return value


def _text(node: X.Expr) -> str:
    syntax = node.syntax
    assert not isinstance(syntax, ast.Item)
    return show(syntax)  # type: ignore[arg-type]


def _counts(node: X.Expr) -> bool:
    """A count of events (or of a list's members): it only grows as events arrive."""
    return (
        isinstance(node, X.Aggregate) and node.function == "count"
        and isinstance(node.source, X.Selection)
    ) or isinstance(node, X.SizeOf)


def _reads_event(node: ir.Expr) -> bool:
    """Whether `node` reads the event in view: its attributes, or unit facts read on its
    day. An aggregate never does (its `where` looks at events of its own)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ir.EventField):
            return True
        if isinstance(current, ir.UnitFact) and current.on is ir.FactDay.EVENT:
            return True
        if isinstance(current, ir.AGGREGATES):
            continue
        stack.extend(ir.children(current))
    return False


def _equality_key(where: ir.Expr) -> ir.EqualityKey | None:
    """The first `FIELD == X`, `X in LIST_FIELD` or `FIELD in X` among the top-level `and`s
    of `where`, X not reading the selected event."""
    stack = [where]
    while stack:
        node = stack.pop()
        if isinstance(node, ir.And):
            stack.extend((node.right, node.left))
        elif isinstance(node, ir.Compare) and node.op == "==":
            for this, other in ((node.left, node.right), (node.right, node.left)):
                if (
                    isinstance(this, ir.EventField)
                    and this.type.kind not in (T.Kind.LIST, T.Kind.DATETIME)
                    and not _reads_event(other)
                ):
                    # (not a date-time: `at == 2021-01-01` compares by the day, which an
                    # index of exact values cannot look up)
                    return ir.EqualityKey(this.name, other)
        elif isinstance(node, ir.Member) and not node.negated:
            coll, value = node.collection, node.value
            if (
                isinstance(coll, ir.EventField)
                and coll.type.kind is T.Kind.LIST
                and not _reads_event(value)
            ):
                return ir.EqualityKey(coll.name, value)  # `subject in persons`
            if (
                isinstance(value, ir.EventField)
                and value.type.kind is not T.Kind.LIST
                and not _reads_event(coll)
            ):
                return ir.EqualityKey(value.name, coll, several=True)  # `person in distinct(…)`
    return None


_FACTS_ONLY = (
    ir.Const, ir.UnitFact, ir.UnitId, ir.Compare, ir.And, ir.Or, ir.Not, ir.Member,
    ir.Between, ir.Arith, ir.Negate, ir.IsSet, ir.Length, ir.Lower, ir.BandLookup, ir.Share,
    ir.ListExpr,
)


def _reads_only_facts(node: ir.Expr) -> bool:
    """Whether a scope depends on nothing but the unit's facts: then its value for one
    version of a unit's facts holds on every day that version is in force."""
    return all(isinstance(n, _FACTS_ONLY) for n in ir.walk(node))


def _kinds(ob: CheckedObligation) -> tuple[str, ...]:
    """The kinds an obligation reads, as `explain` lists them: the trigger's, then those its
    requirements select as written (not through `let`s)."""
    kinds: list[str] = []
    if isinstance(ob.schedule, ast.ForEachEvent):
        kinds.append(ob.schedule.kind)
    for condition in ob.requires:
        for node in ast.walk(condition):
            if isinstance(node, ast.Selection) and node.kind not in kinds:
                kinds.append(node.kind)
    return tuple(kinds)


def _horizon(warn: ast.Duration) -> dt.timedelta:
    if warn.unit is ast.DurationUnit.HOUR:
        return dt.timedelta(hours=warn.amount)
    return dt.timedelta(days=warn.amount * (7 if warn.unit is ast.DurationUnit.WEEK else 1))


def _anchor(anchor: ast.Anchor) -> ir.Anchor:
    return ir.Anchor(anchor.value)


def _when(
    when: ast.DueDate,
) -> ir.OnDay | ir.DayOfYear | ir.PeriodEnd | ir.After | ir.WeekdayAfter | ir.DayOfMonth:
    match when:
        case ast.OnDate(date=date):
            return ir.OnDay(date)
        case ast.MonthDayOfPeriod(month=month, day=day):
            return ir.DayOfYear(month, day)
        case ast.PeriodEnd():
            return ir.PeriodEnd()
        case ast.AfterAnchor(distance=distance, anchor=anchor):
            if distance.unit is ast.DurationUnit.HOUR:
                return ir.After(distance.amount, "hours", _anchor(anchor))
            if distance.working:
                return ir.After(distance.amount, "working days", _anchor(anchor))
            days = distance.amount * (7 if distance.unit is ast.DurationUnit.WEEK else 1)
            return ir.After(days, "days", _anchor(anchor))
        case ast.WeekdayAfter(weekday=weekday, anchor=anchor):
            return ir.WeekdayAfter(weekday.number, _anchor(anchor))
        case ast.DayOfLastMonth(day=day):
            return ir.DayOfMonth(day, None)
        case ast.DayOfMonth(day=day, month=month):
            return ir.DayOfMonth(day, month)
    raise TypeError(when)  # pragma: no cover - the grammar has no other
