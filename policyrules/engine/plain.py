"""Plain-language sentences: where a result stands, in words an office can act on.

Beside the technical reason (`` `count(activity where …)` is 0, needs >= 1 ``, kept in
`reason` and shown by `explain`), every result carries a sentence made from the obligation's
title and the numbers, in the report's language::

    围绕3月12日植树节开展植树环保专题志愿活动（植树节 2021）：截止时间2021-03-19已过，仍未完成；
    活动数量要求不少于1，目前为0。

    7月15日前报送上半年工作总结 (2021H1): due 2021-07-15 and not yet done.

The sentence is a pure function of the rule (its title, requirements, schedule), the
result's status, `required`, `actual`, `due`, period label, and the language — never of
events — made in two steps so that a set-based engine (SQL) can reproduce it byte for byte:

1. :func:`templates` — per rule, status and language, computed once: two texts with
   placeholders, :attr:`Templates.numbers` for a result whose `required` and `actual` are
   both known and :attr:`Templates.words` for one without numbers (an `exists`, a missing
   unit fact). Everything but the placeholders is fixed text: the title, the period's
   wording, the status's sentence, what the numbers measure ("活动数量", "注册志愿者人数",
   "平均每月活动数量", derived from the rule's requirement parts when they all measure the
   same thing, else left out) and the comparison ("不少于", "at least"). Chinese comes from
   the message catalogue (:mod:`policyrules.diagnostics.zh`).
2. :func:`fill` — the placeholders replaced by the result's values:

   ============  ==============================================================
   placeholder   replaced by
   ============  ==============================================================
   `{required}`  :func:`~policyrules.diagnostics.numbers.number_text` of `required`
                 (at most 4 significant figures; a whole number without a point)
   `{actual}`    the same, of `actual`
   `{due}`       `YYYY-MM-DD` when the due instant is the end of its day
                 (23:59:59 or later, in the policy's zone, as results carry it),
                 else `YYYY-MM-DD HH:MM`; `-` when there is none
   `{period}`    the period's label, as is (`2021Q1`, `植树节 2021`, an event id)
   ============  ==============================================================

   Literal braces of the fixed text (a title that holds `{`) are doubled, `{{` and `}}`, as
   in Python's format strings, and come out single.

   :func:`pieces` splits a template once into its fixed texts and the placeholders between
   them (braces already single), and :func:`fill` is no more than joining those pieces with
   the values: a set-based engine keeps the pieces in a table (per rule and status) and
   joins them in a query, with no parsing of the template to disagree on
   (:mod:`policyrules.engine.sql.sentences`).

The module sits with the engines (it is re-exported as :mod:`policyrules.report.plain`):
the columnar engine makes its table of templates itself, and the engines come before the
report in the pipeline. :func:`unit_name` is here for the same reason: the other field of a
result decided once per report, in Python, and joined to results in SQL.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from policyrules.calendar.moments import END_OF_DAY
from policyrules.data.model import UnitSet
from policyrules.diagnostics.messages import Message, msg, t
from policyrules.diagnostics.numbers import number_text
from policyrules.rules import ir
from policyrules.semantics import types as T

PLACEHOLDERS = ("required", "actual", "due", "period")
_TOKEN = re.compile(r"\{(required|actual|due|period)\}|\{\{|\}\}")

#: the event kinds of the notices' vocabulary (../shared/spec/vocabulary.md): one, several
KINDS: dict[str, tuple[Message, Message]] = {
    "activity": (msg("activity"), msg("activities")),
    "training": (msg("training"), msg("trainings")),
    "report": (msg("submission"), msg("submissions")),
    "registration": (msg("registration"), msg("registrations")),
    "service": (msg("service record"), msg("service records")),
    "publish": (msg("publication"), msg("publications")),
    "insurance": (msg("insurance policy"), msg("insurance policies")),
    "inspection": (msg("inspection"), msg("inspections")),
    "station": (msg("service station"), msg("service stations")),
    "meeting": (msg("meeting"), msg("meetings")),
    "minutes": (msg("meeting minutes"), msg("sets of meeting minutes")),
    "appointment": (msg("appointment"), msg("appointments")),
    "lesson": (msg("public lesson"), msg("public lessons")),
}
#: attributes of the vocabulary with a word of their own (others are shown as code)
FIELDS: dict[str, Message] = {
    "hours": msg("duration in hours"),
    "participants": msg("participants"),
    "theme": msg("theme"),
    "team_field": msg("professional field"),
    "category": msg("category"),
    "person": msg("person"),
    "staff": msg("staff"),
    "students": msg("students"),
    "population": msg("population"),
}
#: `count(distinct person of KIND)`: people, in the words of the kind
PEOPLE: dict[str, Message] = {
    "registration": msg("registered volunteers"),
    "service": msg("volunteers with service records"),
    "appointment": msg("appointed people"),
}
_ORDERING = (">=", ">", "<=", "<")


@dataclass(frozen=True, slots=True)
class Templates:
    """The sentence of one rule and status, with placeholders (see the module's doc)."""

    numbers: str
    words: str


def templates(rule: ir.Rule, status: str, lang: str = "en") -> Templates:
    """The sentence templates of `rule` for results of `status`, in `lang`."""
    head = _head(rule)
    sentence = _status_sentence(status, head)
    measure = _measure_clause(rule, status)
    words = t(lang, msg("{sentence}.", sentence=sentence))
    if measure is None:
        return Templates(words, words)
    return Templates(t(lang, msg("{sentence}; {measure}.", sentence=sentence, measure=measure)),
                     words)


@functools.lru_cache(maxsize=4096)  # a few templates per rule, filled for every result
def pieces(template: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """`template` as its fixed texts and the placeholders between them: `texts` has one
    more item than `holes`, and the sentence is `texts[0] + value(holes[0]) + texts[1] …`."""
    texts: list[str] = []
    holes: list[str] = []
    current: list[str] = []
    at = 0
    for found in _TOKEN.finditer(template):
        current.append(template[at:found.start()])
        at = found.end()
        if found.group(1):
            texts.append("".join(current))
            holes.append(found.group(1))
            current = []
        else:
            current.append(found.group(0)[0])
    current.append(template[at:])
    texts.append("".join(current))
    return tuple(texts), tuple(holes)


def fill(
    chosen: Templates,
    required: float | None,
    actual: float | None,
    due: dt.datetime | None,
    period: str,
) -> str:
    """The sentence of one result: its values in place of the placeholders."""
    texts, holes = pieces(
        chosen.numbers if required is not None and actual is not None else chosen.words)
    values = {"required": number_text(required, none="-"), "actual": number_text(actual, none="-"),
              "due": due_text(due), "period": period}
    # texts has one item more than holes: the text after the last placeholder
    joined = "".join(text + values[hole] for text, hole in zip(texts, holes, strict=False))
    return joined + texts[-1]


def due_text(due: dt.datetime | None) -> str:
    """A due instant as sentences show it: the day alone at the end of the day."""
    if due is None:
        return "-"
    if due.time() >= END_OF_DAY:
        return due.strftime("%Y-%m-%d")
    return due.strftime("%Y-%m-%d %H:%M")


def unit_name(units: UnitSet | None, unit: str, as_of: dt.datetime | None) -> str | None:
    """The unit's `name` in the units file: the one in force on the as-of day (or, when
    every row starts later, the first row's); None without one (an empty name is none)."""
    found = units.units.get(unit) if units is not None else None
    if found is None or not found.versions:
        return None
    facts = found.facts_on(as_of.date()) if as_of else found.latest
    value = facts.get("name", found.versions[0].facts.get("name"))
    return None if value is None or value == "" else str(value)


class PlainMaker:
    """Sentences for results, each rule's templates made once per status."""

    def __init__(self, lang: str = "en") -> None:
        self.lang = lang
        self._made: dict[tuple[str, str, str], Templates] = {}

    def sentence(self, rule: ir.Rule, status: str, required: float | None,
                 actual: float | None, due: dt.datetime | None, period: str) -> str:
        key = (rule.policy, rule.name, status)
        found = self._made.get(key)
        if found is None:
            found = self._made[key] = templates(rule, status, self.lang)
        return fill(found, required, actual, due, period)


# ----------------------------------------------------------------------------- the sentence


def _literal(text: str) -> str:
    """Fixed text as it stands in a template: braces doubled."""
    return text.replace("{", "{{").replace("}", "}}")


def _head(rule: ir.Rule) -> Message:
    """The title and which period: `title (2021Q1)`; for one instance over the whole window
    the title alone; for a rule per event, the kind and the event's id."""
    title = _literal(rule.title or rule.name)
    schedule = rule.schedule
    if isinstance(schedule, ir.Once):
        return msg("{title}", title=title)
    if isinstance(schedule, ir.PerEvent):
        one = KINDS.get(schedule.kind, (None, None))[0]
        kind = one or msg("`{kind}` event", kind=_literal(schedule.kind))
        return msg("{title} ({kind} {period})", title=title, kind=kind, period="{period}")
    return msg("{title} ({period})", title=title, period="{period}")


def _status_sentence(status: str, head: Message) -> Message:
    due = "{due}"
    match status:
        case "met":
            return msg("{head}: done", head=head)
        case "late":
            return msg("{head}: done, but only after the deadline {due}", head=head, due=due)
        case "overdue":
            return msg("{head}: not done by the deadline {due}", head=head, due=due)
        case "at_risk":
            return msg("{head}: due {due} and not yet done", head=head, due=due)
        case "pending":
            return msg("{head}: due {due}, in progress", head=head, due=due)
    return msg("{head}: cannot be decided yet: the calendar data it needs is missing",
               head=head)


def _measure_clause(rule: ir.Rule, status: str) -> Message | None:
    """What the numbers say: `number of activities: at least {required} needed, {actual} so
    far`; None where a result of `status` has no numbers to show."""
    if status == "indeterminate":
        return None
    measured = rule_measure(rule)
    need = msg("{required}", required="{required}") if measured is None else measured[1]
    done = status in ("met", "late")
    if measured is None or measured[0] is None:
        if done:
            return msg("{need} needed, {actual} found", need=need, actual="{actual}")
        return msg("{need} needed, {actual} so far", need=need, actual="{actual}")
    what = measured[0]
    if done:
        return msg("{measure}: {need} needed, {actual} found", measure=what, need=need,
                   actual="{actual}")
    return msg("{measure}: {need} needed, {actual} so far", measure=what, need=need,
               actual="{actual}")


# ----------------------------------------------------------------------------- what is measured


def rule_measure(rule: ir.Rule) -> tuple[Message | None, Message] | None:
    """What the numbers of the rule's results measure and the comparison they are held to
    (`number of activities`, `at least {required}`), when every numeric part of its
    requirements says the same; the measure is None (the numbers stand alone) when the parts
    measure different things or something without words."""
    found: dict[str, tuple[Message | None, Message]] = {}
    for requirement in rule.requirements:
        for part in requirement.parts:
            described = _part_measure(part)
            if described is not None:
                found[f"{described[0] or ''}\x00{described[1]}"] = described
    if not found:
        return None
    if len(found) == 1:
        return next(iter(found.values()))
    needs = {value[1] for value in found.values()}
    if len(needs) == 1:
        return None, next(iter(needs))
    return None, msg("{required}", required="{required}")


def _part_measure(part: ir.Part) -> tuple[Message | None, Message] | None:
    """(what, comparison) of a numeric part; None for a part without numbers."""
    expr = part.expr
    if part.shape is ir.Shape.TRUTH:
        return None
    if isinstance(expr, ir.Between):
        what = measure_of(expr.value)
        high = expr.high
        if isinstance(high, ir.Const) and _is_number(high.value):
            need = msg("{required} to {high}", required="{required}",
                       high=number_text(float(high.value)))
        else:
            need = msg("{required}", required="{required}")
        return _grouped(what, part), need
    if not isinstance(expr, ir.Compare):
        return None
    what = measure_of(expr.left)
    if what is None and expr.op not in _ORDERING and not _numeric(expr.left):
        return None  # `latest(status of station) == "operating"`: no numbers
    return _grouped(what, part), _comparison(expr.op)


def _grouped(what: Message | None, part: ir.Part) -> Message | None:
    if what is not None and part.shape is ir.Shape.GROUPS:
        return msg("{measure} (the lowest group)", measure=what)
    return what


def _comparison(op: str) -> Message:
    required = "{required}"
    match op:
        case ">=":
            return msg("at least {required}", required=required)
        case ">":
            return msg("more than {required}", required=required)
        case "<=":
            return msg("at most {required}", required=required)
        case "<":
            return msg("fewer than {required}", required=required)
        case "==":
            return msg("exactly {required}", required=required)
        case "!=":
            return msg("other than {required}", required=required)
    return msg("{required}", required=required)


def measure_of(expr: ir.Expr) -> Message | None:
    """What a numeric expression measures, in words; None when it has none (arithmetic,
    the size of a list)."""
    match expr:
        case ir.Aggregate(function=function, selection=selection):
            return _aggregate(function, selection)
        case ir.Grouped(aggregate=aggregate, group=group):
            inner = _aggregate(aggregate.function, aggregate.selection)
            if inner is None:
                return None
            if isinstance(group, ir.PerPeriod):
                return msg("{measure} in each {unit}", measure=inner, unit=msg(group.unit.value))
            if group.field == "person":
                return msg("{measure} per person", measure=inner)
            return msg("{measure} for each {field}", measure=inner, field=_field(group.field))
        case ir.Reduce(function="avg", grouped=ir.Grouped(
                aggregate=ir.Aggregate(function="sum", selection=selection),
                group=ir.PerMember(field="person"))) if selection.field is not None:
            return msg("average {field} of {kinds} per person", field=_field(selection.field),
                       kinds=_kinds(selection.kind))
        case ir.Reduce(function=function, grouped=grouped):
            inner = measure_of(grouped)
            if inner is None:
                return None
            match function:
                case "avg":
                    return msg("average {measure}", measure=inner)
                case "sum":
                    return msg("total {measure}", measure=inner)
                case "min":
                    return msg("lowest {measure}", measure=inner)
                case "max":
                    return msg("highest {measure}", measure=inner)
            return None
        case ir.EventField(name=name, type=kind) | ir.TriggerField(name=name, type=kind) if (
                kind.kind in T.NUMERIC):
            return _field(name)
        case ir.Length(operand=ir.EventField(name=name) | ir.TriggerField(name=name)):
            return msg("number of items in {field}", field=_field(name))
        case ir.SizeOf(operand=ir.EventField(name=name) | ir.TriggerField(name=name)):
            return msg("number of items in {field}", field=_field(name))
        case ir.UnitFact(name=name, type=kind) if kind.kind in T.NUMERIC:
            return msg("the unit's {field}", field=_field(name))
    return None


def _aggregate(function: str, selection: ir.Selection) -> Message | None:
    kinds = _kinds(selection.kind)
    if function == "count":
        if selection.field is None:
            return msg("number of {kinds}", kinds=kinds)
        if selection.field == "person":
            return PEOPLE.get(selection.kind) or msg("people in {kinds}", kinds=kinds)
        return msg("distinct {field} in {kinds}", field=_field(selection.field), kinds=kinds)
    if selection.field is None:
        return None
    field = _field(selection.field)
    match function:
        case "sum":
            return msg("total {field} of {kinds}", field=field, kinds=kinds)
        case "avg":
            return msg("average {field} of {kinds}", field=field, kinds=kinds)
        case "min":
            return msg("lowest {field} of {kinds}", field=field, kinds=kinds)
        case "max":
            return msg("highest {field} of {kinds}", field=field, kinds=kinds)
    return None


def _kinds(kind: str) -> Message:
    return KINDS.get(kind, (None, None))[1] or msg("`{kind}` events", kind=_literal(kind))


def _field(name: str) -> Message:
    return FIELDS.get(name) or msg("`{field}`", field=_literal(name))


def _numeric(expr: ir.Expr) -> bool:
    return isinstance(expr, (ir.SizeOf, ir.Length, ir.Arith, ir.Share, ir.BandLookup))


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
