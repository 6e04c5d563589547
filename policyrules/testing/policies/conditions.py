"""Conditions on events, units, triggers, persons and windows, drawn by type so that the
checker accepts them: each atom compares a value with one of its own type (a `one of`
attribute with one of its values, a ratio with a percentage, a date with a date), and
names only what is in view where it stands (docs/language.md, "Bare names").

Every choice is a Hypothesis draw whose simplest value comes first, so a failing policy
shrinks towards fewer and plainer constructs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from hypothesis import strategies as st

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
    Vocabulary,
    quoted,
)

X = TypeVar("X")

#: period units from the shortest; a group per period must not be longer than the schedule's
PERIODS = ("day", "working day", "week", "month", "quarter", "half year", "year")


@dataclass
class Env:
    """What the policy being drawn declares, and the constructs drawn so far (`tags`)."""

    vocab: Vocabulary
    kinds: dict[str, Kind]
    stock: set[str]
    facts: dict[str, Attribute]
    festivals: list[str]
    festival_sets: list[str]
    string_sets: dict[str, tuple[str, tuple[str, ...]]]  # name → (pool, members)
    bands: list[str]
    top_lets: dict[str, tuple[str | None, str]]  # name → (kind it reads, type)
    start: dt.date
    end: dt.date | None
    tags: set[str] = field(default_factory=set)
    #: constructs not to draw (tags of :data:`~policyrules.testing.policies.CONSTRUCTS`)
    avoid: frozenset[str] = frozenset()

    def span_end(self) -> dt.date:
        return self.end or self.start + dt.timedelta(days=400)


@dataclass(frozen=True)
class Operand:
    text: str
    type: str
    pool: str = ""
    values: tuple[str, ...] = ()  # of a `one of` attribute
    name: bool = False  # a bare attribute or `unit.x`/`trigger.x` (what `is set` takes)


@dataclass(frozen=True)
class Ctx:
    """Where an expression stands."""

    event: str | None = None  # the kind in view (a `where`'s, or the trigger outside one)
    event_is_trigger: bool = False
    trigger: str | None = None
    selecting_trigger: bool = False  # in `for each KIND where …`
    subject: Operand | None = None
    variables: tuple[Operand, ...] = ()
    lets: tuple[Operand, ...] = ()  # the obligation's closed lets
    period: int | None = None  # the longest period a `per` may group by (None: none)
    in_where: bool = False
    scope_only: bool = False  # `applies to`: unit facts only


class Draws:
    """Draws parts of a policy with one Hypothesis `draw`."""

    def __init__(self, draw: Callable[[st.SearchStrategy[Any]], Any], env: Env) -> None:
        self.draw = draw
        self.env = env

    # ------------------------------------------------------------------ choices

    def pick(self, options: Sequence[X]) -> X:
        return self.draw(st.sampled_from(list(options)))  # type: ignore[no-any-return]

    def maybe(self, percent: int) -> bool:
        """True `percent` times in a hundred; shrinks to False."""
        return bool(self.draw(st.integers(0, 99)) >= 100 - percent)

    def whole(self, low: int, high: int) -> int:
        return int(self.draw(st.integers(low, high)))

    def tag(self, name: str) -> None:
        self.env.tags.add(name)

    def one_of(self, options: Sequence[Callable[[], X]]) -> X:
        return self.pick(options)()

    # ------------------------------------------------------------------ literals

    def pool(self, name: str) -> tuple[object, ...]:
        if name == "unit":
            return tuple(self.env.vocab.units)
        if name == "id":
            return ("e0", "e1", "e2")
        if name == "label":
            return ("2021-01", "2021Q1", "2021", "2021H1", "2021-W05")
        if name == "kind":
            return tuple(self.env.kinds)
        return self.env.vocab.pools.get(name, ("x",))

    def literal(self, operand: Operand) -> str:
        """A literal of the operand's type, from the values its data is drawn from."""
        match operand.type:
            case "int":
                return str(self.pick([v for v in self.pool(operand.pool) if isinstance(v, int)]
                                     or [1, 0, 2, 3]))
            case "number" | "ratio":
                return number_text(self.pick(self.pool(operand.pool) or (1, 1.5)))
            case "enum":
                return quoted(self.pick(operand.values))
            case "string":
                return quoted(str(self.pick(self.pool(operand.pool) or ("x",))))
            case "bool":
                return self.pick(["true", "false"])
            case "date" | "datetime":
                return self.date().isoformat()
            case "festival":
                return quoted(self.pick(self.env.festivals))
        raise ValueError(operand.type)  # pragma: no cover

    def date(self) -> dt.date:
        span = (self.env.span_end() - self.env.start).days
        return self.env.start + dt.timedelta(days=self.whole(-10, span + 10))

    def target(self) -> str:
        return str(self.pick([1, 0, 2, 3, 5]))

    def list_literal(self, operand: Operand) -> str:
        values = operand.values or tuple(str(v) for v in self.pool(operand.pool))
        chosen = self.draw(st.lists(st.sampled_from(values), min_size=1, max_size=3, unique=True))
        return "[" + ", ".join(quoted(str(v)) for v in chosen) + "]"

    # ------------------------------------------------------------------ operands

    def attributes(self, ctx: Ctx) -> list[Operand]:
        """The bare names of the event in view, built in first."""
        if ctx.event is None:
            return []
        kind = self.env.kinds[ctx.event]
        out = [
            Operand("at", DATETIME, name=True),
            Operand("id", STRING, "id", name=True),
            Operand("kind", STRING, "kind", name=True),
        ]
        out += [Operand(a.name, a.type, a.pool, a.values, name=True) for a in kind.attributes]
        return out

    def facts(self) -> list[Operand]:
        return [
            Operand("unit.id", STRING, "unit", name=True),
            *(Operand(f"unit.{a.name}", a.type, a.pool, a.values, name=True)
              for a in self.env.facts.values()),
        ]

    def trigger_fields(self, ctx: Ctx) -> list[Operand]:
        if ctx.trigger is None or ctx.selecting_trigger:
            return []
        kind = self.env.kinds[ctx.trigger]
        return [
            Operand("trigger.at", DATETIME, name=True),
            Operand("trigger.id", STRING, "id", name=True),
            *(Operand(f"trigger.{a.name}", a.type, a.pool, a.values, name=True)
              for a in kind.attributes),
        ]

    def context_operands(self, ctx: Ctx) -> list[Operand]:
        """Everything a condition may read here besides aggregates."""
        if ctx.scope_only:
            return self.facts()
        out = [*self.attributes(ctx), *self.facts(), *self.trigger_fields(ctx)]
        out += [Operand("window.start", DATE), Operand("window.end", DATE),
                Operand("window.label", STRING, "label")]
        if ctx.subject is not None:
            out.append(ctx.subject)
        out += list(ctx.variables) + list(ctx.lets)
        return out

    # ------------------------------------------------------------------ patterns

    def pattern(self, ctx: Ctx | None = None, depth: int = 0) -> str:
        """A calendar pattern; with an event in view that has a `festival`, that one too."""
        atoms: list[Callable[[], str]] = [
            lambda: self.pick(["2nd saturday", "last friday", "1st monday", "3rd sunday"]),
            lambda: self.pick(["may", "march", "december"]),
            lambda: "working day",
            lambda: "rest day",
            lambda: "holiday",
            lambda: self.pick(["1st monday of may", "last sunday of december"]),
            lambda: self.pick(["07-01", "03-05", "12-31", "02-29"]),
            lambda: self.date().isoformat(),
            lambda: self.pick(["lunar 07-15", "lunar 01-01", "lunar leap 04-08"]),
            lambda: self.pick(["term 清明", "term 冬至", "term 立春"]),
            lambda: self.pick(["day 25 of last month of quarter", "day 20 of month 1 of quarter",
                               "day 31 of month 2 of quarter"]),
        ]
        if self.env.festivals:
            atoms.append(lambda: self.pick(self.env.festivals))
        if self.env.festival_sets:
            atoms.append(lambda: self.pick(self.env.festival_sets))
        festival_attribute = (
            ctx is not None and ctx.event is not None
            and any(a.type == FESTIVAL for a in self.env.kinds[ctx.event].attributes)
        )
        if festival_attribute and self.maybe(30):
            atoms = [lambda: "festival"]
        text = self.one_of(atoms)
        if text == "festival":
            self.tag("pattern-festival-attribute")
        if depth < 1 and self.maybe(25):
            self.tag("pattern-union")
            text = f"({text} or {self.pattern(ctx, depth + 1)})"
        if self.maybe(30):
            self.tag("pattern-around")
            unit = self.pick(["days", "weeks", "working days"])
            text = f"{text} ± {self.whole(1, 10 if unit != 'weeks' else 2)} {unit}"
        return text

    def time_range(self) -> str:
        return self.pick(["07:00..09:00", "00:00..12:00", "17:00..19:00", "22:00..06:00",
                          "09:00..09:00", "12:00..24:00"])

    # ------------------------------------------------------------------ atoms

    def test_of(self, operand: Operand, ctx: Ctx) -> str:
        """A condition on one operand, of its type."""
        text, t = operand.text, operand.type
        options: list[Callable[[], str]] = []
        if t in NUMERIC:
            options += [
                lambda: f"{text} {self.op()} {self.literal(operand)}",
                lambda: f"{text} between {self.literal(operand)} and {self.literal(operand)}",
                lambda: f"{text} * 2 {self.op()} {self.literal(operand)}",
                lambda: f"-{text} < -1",
                lambda: self._negated(text, operand),
            ]
            if self.env.bands and "staff" in self.env.facts and t == INT:
                options.append(lambda: self._at_least_band(text))
        elif t in (STRING, ENUM):
            options += [
                lambda: f"{text} {self.pick(['==', '!='])} {self.literal(operand)}",
                lambda: f"{text} {self.pick(['in', 'not in'])} {self.list_literal(operand)}",
            ]
            if t == STRING:
                options.append(lambda: f"lower({text}) == {self.literal(operand)}")
            sets = [n for n, (pool, _) in self.env.string_sets.items() if pool == operand.pool]
            if sets:
                options.append(lambda: f"{text} in {self.pick(sets)}")
            options += self._keys(operand, ctx)
        elif t == BOOL:
            options += [lambda: text, lambda: f"not {text}",
                        lambda: f"{text} == {self.pick(['true', 'false'])}"]
        elif t in (DATE, DATETIME):
            options += [lambda: f"{text} {self.op()} {self.literal(operand)}"]
            if text in ("at", "trigger.at") or "on-pattern-of-value" not in self.env.avoid:
                options.append(lambda: self._on(text, ctx))
            if t == DATETIME:
                options.append(lambda: self._during(text))
                if ctx.trigger and not ctx.selecting_trigger and ctx.in_where:
                    options.append(lambda: f"{text} {self.pick(['<', '<=', '>'])} trigger.at")
            options.append(lambda: f"{text} {self.op()} window.{self.pick(['start', 'end'])}")
        elif t == FESTIVAL:
            options += [lambda: f"{text} {self.pick(['==', '!='])} {self.literal(operand)}"]
            if self.env.festival_sets:
                options.append(lambda: f"{text} in {self.pick(self.env.festival_sets)}")
        elif t == LIST_STRING:
            options += [
                lambda: f"{self.literal(replace(operand, type=STRING))} in {text}",
                lambda: f"len({text}) {self.op()} {self.whole(0, 3)}",
                lambda: self._quantified(text, replace(operand, type=STRING), ctx),
            ]
            if ctx.subject is not None and ctx.subject.type == STRING:
                options.append(lambda: f"subject in {text}")
            if operand.pool == "unit":
                options.append(lambda: f"unit.id in {text}")
        elif t == LIST_NUMBER:
            options += [
                lambda: f"len({text}) >= {self.whole(0, 2)}",
                lambda: self._quantified(text, replace(operand, type=NUMBER), ctx),
                lambda: f"{self.literal(replace(operand, type=NUMBER))} in {text}",
            ]
        if operand.name:
            options.append(lambda: f"{text} is {self.pick(['set', 'not set'])}")
        self.tag(f"type-{t}")
        return self.one_of(options)

    def _negated(self, text: str, operand: Operand) -> str:
        self.tag("arithmetic-parenthesized")
        return f"-({text} - {self.literal(operand)}) {self.op()} 0"

    def _at_least_band(self, text: str) -> str:
        self.tag("band")
        return f"{text} >= {self.pick(self.env.bands)}(unit.staff)"

    def op(self) -> str:
        return self.pick([">=", "<", "==", ">", "<=", "!="])

    def _on(self, text: str, ctx: Ctx) -> str:
        self.tag("on-pattern" if text in ("at", "trigger.at") else "on-pattern-of-value")
        return f"{text} on {self.pattern(ctx)}"

    def _during(self, text: str) -> str:
        self.tag("during")
        return f"{text} during {self.time_range()}"

    def _keys(self, operand: Operand, ctx: Ctx) -> list[Callable[[], str]]:
        """Equalities an engine may look events up by: `ref == trigger.id`, `site ==
        unit.id`, `person == subject`, `person in distinct(…)`."""
        if ctx.event is None or not operand.name or "." in operand.text:
            return []
        text = operand.text
        out: list[Callable[[], str]] = []
        if operand.pool == "id" and ctx.trigger and ctx.in_where:
            out.append(lambda: f"{text} == trigger.id")
        if operand.pool == "unit":
            out.append(lambda: f"{text} == unit.id")
        if ctx.subject is not None and ctx.subject.pool == operand.pool:
            out.append(lambda: f"{text} == subject")
        if operand.pool == "label":
            out.append(lambda: f"{text} == window.label")
        kinds = [k for k in self.env.kinds.values()
                 for a in k.attributes if a.pool == operand.pool and a.type == STRING]
        if kinds and operand.type == STRING:
            out.append(lambda: f"{text} in {self.values_of(self.pick(kinds), operand.pool, ctx)}")
        for let in ctx.lets:
            if let.type == LIST_STRING and let.pool == operand.pool:
                out.append(lambda let=let: f"{text} in {let.text}")  # type: ignore[misc]
        return out

    def values_of(self, kind: Kind, pool: str, ctx: Ctx) -> str:
        """`distinct(FIELD of KIND …)`: the values of a string attribute, as a list."""
        self.tag("distinct-values")
        attribute = self.pick([a for a in kind.attributes if a.pool == pool and a.type == STRING])
        inner = replace(ctx, event=kind.name, event_is_trigger=False, in_where=True,
                        variables=(), subject=ctx.subject)
        where = f" where {self.event_condition(inner, 1)}" if self.maybe(40) else ""
        return f"distinct({attribute.name} of {kind.name}{self.reach(ctx)}{where})"

    def reach(self, ctx: Ctx) -> str:
        options = [""]
        options.append(" from all units")
        if "parent" in self.env.facts:
            options.append(" from area")
        chosen = self.pick(options) if self.maybe(35) else ""
        if chosen:
            self.tag("reach-" + chosen.strip().replace(" ", "-"))
        return chosen

    def _quantified(self, collection: str, member: Operand, ctx: Ctx) -> str:
        """`all(x in LIST: …)` or `any(…)` over a list, the variable of the member type."""
        variable = f"v{len(ctx.variables)}"
        every = self.pick(["all", "any"])
        self.tag(f"quantifier-{every}")
        inner = replace(ctx, variables=(*ctx.variables,
                                        Operand(variable, member.type, member.pool)))
        held = self.test_of(Operand(variable, member.type, member.pool), inner)
        return f"{every}({variable} in {collection}: {held})"

    # ------------------------------------------------------------------ event conditions

    def event_condition(self, ctx: Ctx, depth: int = 0) -> str:
        """A condition where an event is in view (a `where`, a trigger's condition, or a
        requirement on the trigger)."""
        options: list[Callable[[], str]] = [
            lambda: self.test_of(self.pick(self.attributes(ctx)), ctx),
        ]
        operands = self.context_operands(ctx)
        options.append(lambda: self.test_of(self.pick(operands), ctx))
        lets = [n for n, (kind, t) in self.env.top_lets.items()
                if t == BOOL and kind in (None, ctx.event)]
        if lets:
            options.append(lambda: self._let(self.pick(lets)))
        if depth < 2:
            options += [
                lambda: self._logic(lambda: self.event_condition(ctx, depth + 1)),
            ]
        return self.one_of(options)

    def _let(self, name: str) -> str:
        self.tag("let-top-level")
        return name

    def _logic(self, part: Callable[[], str]) -> str:
        op = self.pick(["and", "or", "not"])
        self.tag(f"logic-{op}")
        if op == "not":
            return f"not ({part()})"
        return f"({part()}) {op} ({part()})"

    def scope_condition(self, depth: int = 0) -> str:
        """An `applies to`: a condition on the unit's facts."""
        ctx = Ctx(scope_only=True)
        if depth < 1 and self.maybe(25):
            return self._logic(lambda: self.scope_condition(depth + 1))
        return self.test_of(self.pick(self.facts()), ctx)


def number_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
