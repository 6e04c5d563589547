"""Requirements: aggregates over selections (`count`, `exists`, `distinct`, `sum`, `avg`,
`min`, `max`, `latest`), groups per period and per member, their reductions, shares,
bands, ratios, unit facts and arithmetic, quantifiers, and requirements on a trigger or a
person — each compared with a target of its own type."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from policyrules.testing.policies.conditions import PERIODS, Ctx, Draws, Operand
from policyrules.testing.policies.vocabulary import (
    BOOL,
    DATE,
    DATETIME,
    ENUM,
    FESTIVAL,
    INT,
    LIST_NUMBER,
    LIST_STRING,
    NUMBER,
    NUMERIC,
    STRING,
    Attribute,
    Kind,
)


class Requirements(Draws):
    # ------------------------------------------------------------------ selections

    def kind(self) -> Kind:
        return self.pick(list(self.env.kinds.values()))

    def where(self, ctx: Ctx, kind: Kind) -> str:
        """` where …` over events of `kind` (or nothing)."""
        if not self.maybe(65):
            return ""
        inner = replace(ctx, event=kind.name, event_is_trigger=False, in_where=True,
                        selecting_trigger=False)
        if self.maybe(3):
            # an aggregate inside a `where`: the columnar engine leaves it to the reference
            self.tag("aggregate-in-where")
            numeric = [a for a in kind.attributes if a.type in NUMERIC]
            if numeric:
                a = self.pick(numeric)
                return f" where {a.name} >= avg({a.name} of {kind.name})"
        return f" where {self.event_condition(inner, 1)}"

    def selection(self, ctx: Ctx, kind: Kind, prefix: str = "") -> str:
        """`[prefix]KIND [from …] [where …]` (`prefix` is `FIELD of ` or `distinct FIELD of `)."""
        if kind.name in self.env.stock:
            self.tag("stock")
        return f"{prefix}{kind.name}{self.reach(ctx)}{self.where(ctx, kind)}"

    def _with(self, types: frozenset[str] | set[str]) -> list[tuple[Kind, Attribute]]:
        return [(k, a) for k in self.env.kinds.values() for a in k.attributes if a.type in types]

    # ------------------------------------------------------------------ aggregates

    def aggregate(self, ctx: Ctx, numeric: bool = True) -> Operand:
        """An aggregate's value: a number (`numeric`) or any scalar (`latest`, `min`, …)."""
        options: list[Callable[[], Operand]] = [
            lambda: self._count(ctx),
            lambda: self._distinct_count(ctx),
        ]
        numbers = self._with({NUMBER, INT})
        if numbers:
            options.append(lambda: self._combined(ctx, self.pick(numbers),
                                                  self.pick(["sum", "avg", "min", "max"])))
            options.append(lambda: self._combined(ctx, self.pick(numbers), "latest"))
        if not numeric:
            scalars = self._with({STRING, ENUM, BOOL, DATE, DATETIME, FESTIVAL})
            if scalars:
                options.append(lambda: self._combined(ctx, self.pick(scalars), "latest"))
            ordered = self._with({DATE, DATETIME, STRING})
            if ordered:
                options.append(lambda: self._combined(ctx, self.pick(ordered),
                                                      self.pick(["min", "max"])))
        sized = [n for n in self.env.string_sets] + [
            let.text for let in ctx.lets if let.type in (LIST_STRING, LIST_NUMBER)]
        if sized:
            options.append(lambda: self._size(self.pick(sized)))
        return self.one_of(options)

    def _count(self, ctx: Ctx) -> Operand:
        self.tag("aggregate-count")
        return Operand(f"count({self.selection(ctx, self.kind())})", INT)

    def _distinct_count(self, ctx: Ctx) -> Operand:
        kind = self.kind()
        attribute = self.pick(kind.attributes)
        self.tag("aggregate-count-distinct")
        text = self.selection(ctx, kind, f"distinct {attribute.name} of ")
        return Operand(f"count({text})", INT)

    def _combined(self, ctx: Ctx, chosen: tuple[Kind, Attribute], function: str) -> Operand:
        kind, attribute = chosen
        self.tag(f"aggregate-{function}")
        text = self.selection(ctx, kind, f"{attribute.name} of ")
        result = NUMBER if function == "avg" else attribute.type
        return Operand(f"{function}({text})", result, attribute.pool, attribute.values)

    def _size(self, name: str) -> Operand:
        self.tag("aggregate-size-of-set")
        return Operand(f"count({name})", INT)

    # ------------------------------------------------------------------ targets

    def number(self, ctx: Ctx, depth: int = 0) -> Operand:
        """A number to compare an aggregate with."""
        options: list[Callable[[], Operand]] = [
            lambda: Operand(self.target(), INT),
            lambda: Operand(self.pick(["1.5", "0.5", "2.25"]), NUMBER),
        ]
        numeric_facts = [f for f in self.env.facts.values() if f.type == INT]
        if numeric_facts:
            options.append(lambda: self._share(self.pick(numeric_facts)))
            options.append(lambda: Operand(f"unit.{self.pick(numeric_facts).name}", INT))
        if self.env.bands and "staff" in self.env.facts:
            options.append(lambda: self._band())
        lets = [let for let in ctx.lets if let.type in NUMERIC]
        if lets:
            options.append(lambda: self.pick(lets))
        global_lets = [n for n, (kind, t) in self.env.top_lets.items() if kind is None
                       and t in NUMERIC]
        if global_lets:
            options.append(lambda: Operand(self.pick(global_lets), INT))
        if depth < 1:
            options.append(lambda: self.aggregate(ctx))
            options.append(lambda: self._arith(ctx, depth))
        return self.one_of(options)

    def _share(self, fact: Attribute) -> Operand:
        self.tag("share-of")
        base = f"unit.{fact.name}"
        if self.maybe(20):
            self.tag("arithmetic-parenthesized")
            base = f"({base} - {self.target()})"
        return Operand(f"{self.pick(['13%', '50%', '12.5%', '100%'])} of {base}", NUMBER)

    def _band(self) -> Operand:
        self.tag("band")
        return Operand(f"{self.pick(self.env.bands)}(unit.staff)", NUMBER)

    def _arith(self, ctx: Ctx, depth: int) -> Operand:
        op = self.pick(["+", "-", "*"])
        self.tag("arithmetic")
        left = self.aggregate(ctx)
        right = self.number(ctx, depth + 1).text
        if self.maybe(35):
            # a compound right operand keeps its parentheses: `a - (b - 1)`
            self.tag("arithmetic-parenthesized")
            right = f"({right} {self.pick(['-', '+', '*'])} {self.target()})"
        return Operand(f"{left.text} {op} {right}", NUMBER)

    # ------------------------------------------------------------------ requirements

    def requirement(self, ctx: Ctx, depth: int = 0) -> str:
        """A condition that must hold in an instance."""
        options: list[Callable[[], str]] = [
            lambda: self._compare(ctx),
            lambda: self._exists(ctx),
            lambda: self._between(ctx),
            lambda: self._ratio(ctx),
            lambda: self._scalar(ctx),
        ]
        if ctx.period is not None:
            options += [lambda: self._per_period(ctx), lambda: self._reduced(ctx)]
        elif ctx.trigger is not None and self.maybe(3):
            self.tag("per-period-in-per-event")
            options.append(lambda: self._per_period(replace(ctx, period=3)))
        options.append(lambda: self._per_member(ctx))
        options.append(lambda: self._values_quantified(ctx))
        if ctx.trigger is not None:
            on_trigger = replace(ctx, event=ctx.trigger, event_is_trigger=True)
            options += [lambda: self.event_condition(on_trigger, 1)] * 3
            options.append(lambda: self._tied_to_trigger(ctx))
        if ctx.subject is not None:
            options.append(lambda: self._of_subject(ctx))
        options.append(lambda: self.test_of(self.pick(self.facts()), ctx))
        if depth < 2:
            options.append(lambda: self._logic(lambda: self.requirement(ctx, depth + 1)))
        return self.one_of(options)

    def _compare(self, ctx: Ctx) -> str:
        left = self.aggregate(ctx)
        return f"{left.text} {self.op()} {self.number(ctx).text}"

    def _exists(self, ctx: Ctx) -> str:
        self.tag("aggregate-exists")
        text = f"exists({self.selection(ctx, self.kind())})"
        return f"not {text}" if self.maybe(20) else text

    def _between(self, ctx: Ctx) -> str:
        self.tag("between")
        low = self.target()
        return f"{self.aggregate(ctx).text} between {low} and {int(low) + self.whole(0, 3)}"

    def _ratio(self, ctx: Ctx) -> str:
        self.tag("ratio")
        ratio = f"{self._count(ctx).text} / {self.aggregate(ctx).text}"
        if self.maybe(50):
            self.tag("percent")
            return f"{ratio} {self.op()} {self.pick(['50%', '100%', '0%', '33.3%'])}"
        return f"{ratio} {self.op()} {self.pick(['0.5', '1', '2'])}"

    def _scalar(self, ctx: Ctx) -> str:
        """`latest`, `min` or `max` of any attribute, tested as a value of its type."""
        value = self.aggregate(ctx, numeric=False)
        if value.type == BOOL and self.maybe(50):
            return value.text
        if value.type == FESTIVAL and not self.env.festivals:
            return f"{value.text} == {value.text}"
        return self.test_of(replace(value, name=False), ctx)

    def _per(self, ctx: Ctx) -> str:
        assert ctx.period is not None
        longest = ctx.period
        allowed = list(PERIODS[: longest + 1])
        if longest >= 5:  # a year: no groups per day, too many to mean anything
            allowed = allowed[2:]
        unit = self.pick(list(reversed(allowed)))
        self.tag(f"per-{unit.replace(' ', '-')}")
        return unit

    def _grouped_period(self, ctx: Ctx) -> str:
        numbers = self._with({NUMBER, INT})
        if numbers and self.maybe(40):
            kind, attribute = self.pick(numbers)
            function = self.pick(["avg", "sum", "min", "max"])
            self.tag(f"per-period-{function}")
            selection = self.selection(ctx, kind, f"{attribute.name} of ")
            return f"{function}({selection}) per {self._per(ctx)}"
        return f"count({self.selection(ctx, self.kind())}) per {self._per(ctx)}"

    def _per_period(self, ctx: Ctx) -> str:
        grouped = self._grouped_period(ctx)
        if self.maybe(30):
            self.tag("between-groups")
            return f"{grouped} between {self.target()} and {self.whole(3, 6)}"
        return f"{grouped} {self.op()} {self.target()}"

    def _members(self, ctx: Ctx, attribute: Attribute) -> str:
        operand = Operand("", STRING, attribute.pool, attribute.values)
        options: list[Callable[[], str]] = [lambda: self.list_literal(operand)]
        sets = [n for n, (pool, _) in self.env.string_sets.items() if pool == attribute.pool]
        if sets and attribute.type == STRING:
            options.append(lambda: self.pick(sets))
        kinds = [k for k in self.env.kinds.values()
                 for a in k.attributes if a.pool == attribute.pool and a.type == STRING]
        if kinds and attribute.type == STRING:
            options.append(lambda: self.values_of(self.pick(kinds), attribute.pool, ctx))
        lets = [let.text for let in ctx.lets
                if let.type == LIST_STRING and let.pool == attribute.pool]
        if lets and attribute.type == STRING:
            options.append(lambda: self.pick(lets))
        return self.one_of(options)

    def _grouped_member(self, ctx: Ctx) -> str:
        candidates = self._with({STRING, ENUM})
        if self.maybe(4):
            candidates = self._with({LIST_STRING}) or candidates  # the engine's fallback
        kind, attribute = self.pick(candidates)
        if attribute.type == LIST_STRING:
            self.tag("per-member-of-list")
        self.tag("per-member")
        members = self._members(ctx, attribute)
        return f"count({self.selection(ctx, kind)}) per {attribute.name} in {members}"

    def _per_member(self, ctx: Ctx) -> str:
        grouped = self._grouped_member(ctx)
        if self.maybe(20):
            return f"{grouped} between {self.target()} and {self.whole(3, 6)}"
        return f"{grouped} {self.op()} {self.target()}"

    def _reduced(self, ctx: Ctx) -> str:
        function = self.pick(["avg", "min", "max", "sum", "count"])
        self.tag(f"reduce-{function}")
        grouped = (self._grouped_period(ctx) if self.maybe(70) else self._grouped_member(ctx))
        return f"{function}({grouped}) {self.op()} {self.pick(['1', '0', '1.5', '2'])}"

    def _values_quantified(self, ctx: Ctx) -> str:
        """`all(p in distinct(…): …)` over values, or over a set."""
        kinds = [k for k in self.env.kinds.values()
                 for a in k.attributes if a.type == STRING and a.pool == "person"]
        if not kinds:
            return self._exists(ctx)
        collection = self.values_of(self.pick(kinds), "person", ctx)
        if self.maybe(8):
            self.tag("aggregate-in-quantifier")
            kind = self.pick(kinds)
            return (f"all(x in {collection}: count({kind.name} from all units"
                    f" where person == x) >= 1)")
        return self._quantified(collection, Operand("", STRING, "person"), ctx)

    def _tied_to_trigger(self, ctx: Ctx) -> str:
        """A selection tied to the trigger: `exists(report where ref == trigger.id)`, events
        before it, or of the trigger's own attributes."""
        kinds = [k for k in self.env.kinds.values() if k.attribute("ref") is not None]
        options: list[Callable[[], str]] = [
            lambda: (f"count({self.kind().name} where at {self.pick(['<', '<=', '>='])}"
                     f" trigger.at) >= {self.target()}"),
        ]
        if kinds:
            kind = self.pick(kinds)
            extra = self.where(replace(ctx, in_where=True), kind).removeprefix(" where ")
            extra = f" and ({extra})" if extra else ""
            options.append(lambda: (f"exists({kind.name}{self.reach(ctx)} where ref =="
                                    f" trigger.id{extra})"))
        self.tag("tied-to-trigger")
        return self.one_of(options)

    def _of_subject(self, ctx: Ctx) -> str:
        assert ctx.subject is not None
        subject = ctx.subject
        kinds = [(k, a) for k in self.env.kinds.values() for a in k.attributes
                 if a.pool == subject.pool and a.type in (STRING, ENUM, LIST_STRING)
                 and (subject.type == a.type or (a.type == LIST_STRING
                                                 and subject.type == STRING))]
        self.tag("subject")
        if not kinds:
            return self.test_of(subject, ctx)
        kind, attribute = self.pick(kinds)
        match_ = (f"subject in {attribute.name}" if attribute.type == LIST_STRING
                  else f"{attribute.name} == subject")
        return (f"count({kind.name}{self.reach(ctx)} where {match_}) {self.op()}"
                f" {self.target()}")
