"""Whole policies: the shared definitions (event kinds, unit facts, sets, bands, festivals,
lets), the policy's metadata and its obligations, each with a schedule, a deadline fit for
that schedule, and the statements that shape how it is judged."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from policyrules.testing.policies.conditions import PERIODS, Ctx, Operand
from policyrules.testing.policies.requirements import Requirements
from policyrules.testing.policies.vocabulary import (
    FESTIVAL,
    INT,
    LIST_STRING,
    STRING,
    Kind,
    Vocabulary,
    quoted,
)

_MONTHS = {"month": 1, "quarter": 3, "half year": 6, "year": 12}
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class DrawnPolicy:
    """The text of a policy that checks, and what it was drawn from: the constructs it
    uses (`constructs`, tags such as ``every-month`` or ``aggregate-latest``), the event
    kinds and unit facts it declares, its festivals, and the days its data should cover."""

    text: str
    constructs: frozenset[str]
    kinds: tuple[Kind, ...]
    stock: frozenset[str]
    facts: tuple[str, ...]
    festivals: tuple[str, ...]
    start: dt.date
    end: dt.date
    vocabulary: Vocabulary

    def __str__(self) -> str:
        return self.text


class PolicyDraws(Requirements):
    # ------------------------------------------------------------------ definitions

    def definitions(self) -> list[str]:
        env = self.env
        lines: list[str] = []
        for name in env.festivals:
            festival = next(f for f in env.vocab.festivals if f.name == name)
            lines.append(f"festival {festival.name} = {festival.rule}")
        for name in env.festival_sets:
            members = self.draw_subset(env.festivals)
            lines.append(f"set {name} = [{', '.join(members)}]")
        for name, (_, strings) in env.string_sets.items():
            lines.append(f"set {name} = [{', '.join(quoted(m) for m in strings)}]")
        for name in env.bands:
            lines += self.band(name)
        for kind in env.kinds.values():
            lines += self.event_kind(kind)
        if env.facts:
            lines += ["units {", *(f"  {a.declaration()}" for a in env.facts.values()), "}"]
        # a top-level let may not use itself (nor another, to keep it simple)
        top_lets, env.top_lets = env.top_lets, {}
        for name, (reads, _) in top_lets.items():
            if reads is None:
                lines.append(f"let {name} = {self.pick(['2', '1', '3'])}")
            else:
                ctx = Ctx(event=reads, in_where=True)
                lines.append(f"let {name} = {self.event_condition(ctx, 1)}")
        env.top_lets = top_lets
        return lines

    def draw_subset(self, options: list[str]) -> list[str]:
        count = self.whole(1, len(options))
        return options[:count]

    def band(self, name: str) -> list[str]:
        self.tag("band-definition")
        first = self.pick([20, 10, 1])
        second = first + self.pick([30, 1, 10])
        rows = [f"..{first} => {self.pick(['10%', '50%', '33%'])} round"
                f" {self.pick(['up', 'down', 'nearest'])}"]
        if self.maybe(60):
            rows.append(f"{first + 1}..{second} => {self.pick(['3', '2.5', '1'])}")
            rows.append(f"{second + 1}.. => {self.pick(['5', '8'])}")
        else:
            rows.append(f"{first + 1}.. => {self.pick(['3', '5'])}")
        return [f"band {name} {{", *(f"  {r}" for r in rows), "}"]

    def event_kind(self, kind: Kind) -> list[str]:
        head = f"event {kind.name}"
        if kind.name in self.env.stock:
            head += " stock"
        if kind.counts_for is not None and self.maybe(70):
            self.tag("counts-for")
            head += f" counts for {kind.counts_for}"
        declared = [a for a in kind.attributes
                    if a.type != FESTIVAL or self.env.festivals]
        # `one of [...]` first: a name after it may not be a keyword (docs, lexical matters)
        return [head + " {", *(f"  {a.declaration()}" for a in declared), "}"]

    # ------------------------------------------------------------------ obligations

    def obligation(self, index: int) -> list[str]:
        env = self.env
        name = self.pick([f"o{index}", f"义务{index}"])
        title = self.pick(["每季度一次", 'with "quotes", and commas', "t"])
        body: list[str] = []
        if self.maybe(30):
            body.append(f"refs {self.pick(['AB-1', 'AB-1, CD-22', 'XD-9a'])}")
        if self.maybe(20):
            body.append(f"cites {quoted(self.pick(['一、（三）', 'a, b']))}")
        if self.maybe(20):
            self.tag("severity-advisory")
            body.append("severity advisory")
        if env.facts and self.maybe(30):
            self.tag("applies-to")
            body.append(f"applies to {self.scope_condition()}")
        start, end = env.start, env.end
        kind = self.pick(["every", "once", "each", "for each"])
        unit = self.pick(list(reversed(PERIODS))) if kind == "every" else None
        short = unit in ("day", "working day")
        if short or self.maybe(30):
            start, end = self.window(short)
            body.append(f"effective {start} .. {end or ''}".rstrip())
            self.tag("effective-window")
        subject = None
        if self.maybe(15):
            subject, line = self.per_person()
            body.append(line)
        schedule, ctx = self.schedule(kind, unit, end is None)
        body.append(schedule)
        ctx = Ctx(trigger=ctx.trigger, period=ctx.period, subject=subject)
        lets = self.lets(ctx)
        body += [f"let {text}" for text, _ in lets]
        ctx = Ctx(trigger=ctx.trigger, period=ctx.period, subject=subject,
                  lets=tuple(operand for _, operand in lets))
        for _ in range(self.whole(1, 2)):
            body.append(f"require {self.requirement(ctx)}")
        due = self.due(kind, unit, start)
        if due:
            body.append(due)
        if self.maybe(25):
            self.tag("warn")
            body.append(f"warn {self.duration()}")
        if self.maybe(35):
            self.tag("accept-late")
            body.append("accept late")
        if kind == "every" and self.maybe(50):
            mode = self.pick(["count", "whole", "skip", "prorate"])
            self.tag(f"partial-{mode}")
            body.append(f"partial periods {mode}")
        if self.maybe(10):
            body.append(f"consequence {quoted('取消评比资格')}")
        return [f"  obligation {name} {quoted(title)} {{", *(f"    {b}" for b in body), "  }"]

    def window(self, short: bool) -> tuple[dt.date, dt.date | None]:
        """An obligation's own window, inside the policy's (a little outside at times)."""
        env = self.env
        span = max((env.span_end() - env.start).days, 1)
        start = env.start + dt.timedelta(days=self.whole(0, span // 2))
        if short:
            return start, start + dt.timedelta(days=self.whole(0, 40))
        if env.end is None and self.maybe(50):
            return start, None
        return start, start + dt.timedelta(days=self.whole(20, 400))

    def per_person(self) -> tuple[Operand | None, str]:
        candidates = [(k, a) for k in self.env.kinds.values() for a in k.attributes
                      if a.type == STRING and a.pool in ("person", "theme", "field")]
        if self.maybe(5) and "per-person-of-list" not in self.env.avoid:
            candidates = [(k, a) for k in self.env.kinds.values() for a in k.attributes
                          if a.type == LIST_STRING and a.pool == "person"] or candidates
        if not candidates:
            candidates = [(k, a) for k in self.env.kinds.values() for a in k.attributes
                          if a.type == STRING]
        kind, attribute = self.pick(candidates)
        self.tag("per-person" if attribute.type == STRING else "per-person-of-list")
        line = f"for each {attribute.name} of {kind.name}"
        if self.maybe(40):
            ctx = Ctx(event=kind.name, in_where=True)
            line += f" where {self.choosing(ctx)}"
        if attribute.type == LIST_STRING:
            # the checker types `subject` as the list, the engines bind it to each member:
            # such a policy does not name `subject`
            return None, line
        return Operand("subject", attribute.type, attribute.pool), line

    def schedule(self, kind: str, unit: str | None, open_ended: bool) -> tuple[str, Ctx]:
        match kind:
            case "every":
                assert unit is not None
                self.tag(f"every-{unit.replace(' ', '-')}")
                text = f"every {unit}"
                if self.maybe(30):
                    self.tag("every-on-pattern")
                    text += f" on {self.pattern()}"
                return text, Ctx(period=PERIODS.index(unit))
            case "once":
                self.tag("once")
                # an open-ended `once` is one window to 9999: no groups per period in it
                return "once", Ctx(period=None if open_ended else PERIODS.index("year"))
            case "each":
                self.tag("each-pattern")
                return f"each {self.pattern()}", Ctx(period=PERIODS.index("month"))
        trigger = self.kind()
        self.tag("for-each-kind")
        text = f"for each {trigger.name}"
        if self.maybe(50):
            self.tag("for-each-where")
            ctx = Ctx(event=trigger.name, selecting_trigger=True, in_where=True)
            text += f" where {self.choosing(ctx)}"
        return text, Ctx(trigger=trigger.name)

    def choosing(self, ctx: Ctx) -> str:
        """The condition that chooses triggers or people."""
        text = self.event_condition(ctx, 1)
        if "distinct(" in text:
            self.tag("aggregate-in-choosing")
        return text

    def lets(self, ctx: Ctx) -> list[tuple[str, Operand]]:
        """The obligation's lets: closed expressions (no bare attribute), usable anywhere."""
        out: list[tuple[str, Operand]] = []
        options: list[Callable[[], tuple[str, Operand]]] = [
            lambda: ("quota = 2", Operand("quota", INT)),
        ]
        people = [k for k in self.env.kinds.values()
                  for a in k.attributes if a.name == "person" and a.type == STRING]
        if people:
            options.append(lambda: (f"vols = {self.values_of(self.pick(people), 'person', ctx)}",
                                    Operand("vols", LIST_STRING, "person")))
        if "staff" in self.env.facts:
            options.append(lambda: ("base = unit.staff", Operand("base", INT)))
        if self.maybe(30):
            self.tag("let-obligation")
            text, operand = self.one_of(options)
            out.append((text, operand))
        return out

    def duration(self) -> str:
        unit = self.pick(["days", "working days", "weeks", "hours"])
        amount = self.whole(1, 30 if unit == "hours" else 10)
        return f"{amount} {unit}"

    def due(self, kind: str, unit: str | None, start: dt.date) -> str:
        if not self.maybe(55):
            return ""
        anchor = "trigger" if kind == "for each" else self.pick(["period end", "period start"])
        options: list[Callable[[], str]] = [
            lambda: f"{self.whole(0, 10)} {self.pick(['days', 'working days', 'weeks'])}"
                    f" after {anchor}",
            lambda: f"{self.pick(_WEEKDAYS)} after {anchor}",
        ]
        if kind == "for each":
            options.append(lambda: f"{self.whole(1, 48)} hours after trigger")
        else:
            options.append(lambda: "end of period")
        if kind in ("once", "for each") or (kind == "every" and self.maybe(10)):
            options.append(lambda: (start + dt.timedelta(days=self.whole(0, 200))).isoformat())
        if kind == "once" or unit == "year":
            options.append(lambda: self.pick(["03-20", "12-31", "07-15", "02-29"]))
        if unit in _MONTHS:
            months = _MONTHS[unit]
            options.append(lambda: f"day {self.pick([25, 1, 31, 15])} of last month")
            options.append(lambda: f"day {self.pick([20, 1, 30])} of month {self.whole(1, months)}")
        when = self.one_of(options)
        self.tag("due-" + _due_tag(when))
        if "hours" not in when and self.maybe(30):
            self.tag("due-at-time")
            when += self.pick([" at 17:30", " at workday end", " at 09:00", " at 24:00"])
        return f"due {when}"


def _due_tag(when: str) -> str:
    for word in ("trigger", "period end", "period start", "end of period", "of last month",
                 "of month"):
        if word in when:
            return word.replace(" ", "-")
    return "date"
