"""Hypothesis strategies for whole policies that *check* — not only parse — and for data to
evaluate them on: what a differential test of two engines needs (`tests/test_engines_agree.py`).

* :func:`checkable_policies` draws the source text of a policy that
  :func:`policyrules.parse` accepts without an error; :func:`drawn_policies` draws a
  :class:`DrawnPolicy`: that text with the constructs it uses, its declared kinds and facts
  and the days its data should cover.
* :func:`policy_data` draws unit rows and event rows for a drawn policy, from the same small
  vocabulary its conditions are written in, so that a `where` holds for some events and not
  for others; :func:`as_of_moments` draws the moments to evaluate at — before, inside and
  after the instances, and on due instants exactly.

The vocabulary (:data:`VOCABULARY`) is fixed: four event kinds (`activity`, `report`,
`registration`, `training`) with attributes of every declarable type, six unit facts, nine
festivals and pools of values. What varies is which of them a policy declares (a kind may
be a `stock` or `count for` a list of units), and the constructs of its obligations:
every schedule, deadline, window, scope, person, aggregate, grouping, share, band,
quantifier and pattern of docs/language.md that the checker can be made to accept by
construction. Every choice is a Hypothesis draw whose simplest value comes first, so a
failing example shrinks to a short policy. :data:`CONSTRUCTS` lists the tags a drawn policy
can carry.

Importing this package needs ``hypothesis`` (the ``test`` extra).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from policyrules.testing.policies.conditions import Env
from policyrules.testing.policies.data import PolicyData, as_of_moments, policy_data
from policyrules.testing.policies.obligations import DrawnPolicy, PolicyDraws
from policyrules.testing.policies.vocabulary import (
    BOOL,
    FESTIVAL,
    INT,
    VOCABULARY,
    Kind,
    Vocabulary,
    quoted,
)

__all__ = [
    "CONSTRUCTS",
    "VOCABULARY",
    "DrawnPolicy",
    "PolicyData",
    "Vocabulary",
    "as_of_moments",
    "checkable_policies",
    "drawn_policies",
    "policy_data",
]

#: the tags of :attr:`DrawnPolicy.constructs`: each names a construct of the language
CONSTRUCTS: frozenset[str] = frozenset("""
    accept-late aggregate-avg aggregate-count aggregate-count-distinct aggregate-exists
    aggregate-latest aggregate-max aggregate-min aggregate-size-of-set aggregate-sum applies-to
    arithmetic arithmetic-parenthesized band band-definition between between-groups counts-for
    distinct-values due-at-time due-date due-end-of-period due-of-last-month due-of-month
    due-period-end due-period-start due-trigger during each-pattern effective-window every-day
    every-half-year every-month every-on-pattern every-quarter every-week every-working-day
    every-year for-each-kind for-each-where let-obligation let-top-level logic-and logic-not
    logic-or on-pattern on-pattern-of-value once partial-count partial-prorate partial-skip
    partial-whole pattern-around pattern-festival-attribute pattern-union per-day per-half-year
    per-period-max per-period-min per-working-day
    per-member per-month per-period-avg per-period-sum per-person per-quarter per-week per-year
    percent policy-applies-to quantifier-all quantifier-any ratio reach-from-all-units
    reach-from-area reduce-avg reduce-count reduce-max reduce-min reduce-sum severity-advisory
    share-of stock subject tied-to-trigger timezone type-bool type-date type-datetime type-enum
    type-festival type-int type-list:number type-list:string type-number type-string warn
""".split()) | {  # noqa: SIM905 - words to read at a glance
    # what the columnar engine leaves to the reference engine (drawn rarely)
    "aggregate-in-where", "aggregate-in-quantifier", "aggregate-in-choosing",
    "per-member-of-list", "per-person-of-list", "per-period-in-per-event",
}

_ZONES = ("Asia/Shanghai", "UTC", "Asia/Tokyo", "Asia/Kolkata")


@st.composite
def drawn_policies(
    draw: Any,
    vocabulary: Vocabulary = VOCABULARY,
    max_obligations: int = 3,
    avoid: frozenset[str] = frozenset(),
) -> DrawnPolicy:
    """A policy that checks, with what it was drawn from (:class:`DrawnPolicy`); `avoid`
    names constructs not to draw (tags of :data:`CONSTRUCTS`, where the strategy can leave
    them out: ``on-pattern-of-value``)."""
    env = _environment(draw, vocabulary)
    env.avoid = avoid
    drawing = PolicyDraws(draw, env)
    definitions = drawing.definitions()
    header = [f"policy p {quoted(drawing.pick(['检查', 'a, b']))} {{"]
    header.append(f"  effective {env.start} .. {env.end or ''}".rstrip())
    if drawing.maybe(20):
        drawing.tag("timezone")
        header.append(f"  timezone \"{drawing.pick(_ZONES[1:])}\"")
    if drawing.maybe(15):
        header.append(f"  workday ends {drawing.pick(['17:30', '12:00', '18:00'])}")
    if drawing.maybe(20):
        header.append(f"  warn {drawing.duration()}")
    if drawing.maybe(10):
        header.append('  consequence "纳入考核"')
    if env.facts and drawing.maybe(15):
        drawing.tag("policy-applies-to")
        header.append(f"  applies to {drawing.scope_condition()}")
    obligations: list[str] = []
    for index in range(drawing.whole(1, max_obligations)):
        obligations += ["", *drawing.obligation(index)]
    text = "\n".join([*definitions, "", *header, *obligations, "}", ""])
    return DrawnPolicy(
        text=text,
        constructs=frozenset(env.tags),
        kinds=tuple(env.kinds.values()),
        stock=frozenset(env.stock),
        facts=tuple(env.facts),
        festivals=tuple(env.festivals),
        start=env.start,
        end=env.span_end(),
        vocabulary=vocabulary,
    )


def checkable_policies(
    vocabulary: Vocabulary = VOCABULARY,
    max_obligations: int = 3,
    avoid: frozenset[str] = frozenset(),
) -> st.SearchStrategy[str]:
    """The source text of a policy that :func:`policyrules.parse` checks without error."""
    return drawn_policies(vocabulary, max_obligations, avoid).map(lambda drawn: drawn.text)


def _environment(draw: Any, vocabulary: Vocabulary) -> Env:
    """Which kinds, facts, festivals, sets, bands and lets the policy declares, and its
    window."""
    choose = PolicyDraws(draw, Env(vocabulary, {}, set(), {}, [], [], {}, [], {},
                                   vocabulary.starts[0], None))
    first, *others = vocabulary.kinds
    kinds: dict[str, Kind] = {first.name: first}
    for kind in others:
        if choose.maybe(45):
            kinds[kind.name] = kind
    stock = {k.name for k in kinds.values() if choose.maybe(k.stock_percent)}
    facts = {}
    if choose.maybe(75):
        for fact in vocabulary.facts:
            if choose.maybe(60):
                facts[fact.name] = fact
    uses_festival = any(a.type == FESTIVAL for k in kinds.values() for a in k.attributes)
    festivals: list[str] = []
    if uses_festival or choose.maybe(50):
        count = choose.whole(1, 3)
        festivals = [f.name for f in vocabulary.festivals[:count]]
        if choose.maybe(30):
            festivals.append(choose.pick([f.name for f in vocabulary.festivals[count:]]))
    festival_sets = ["rites"] if festivals and choose.maybe(40) else []
    string_sets: dict[str, tuple[str, tuple[str, ...]]] = {}
    for pool, name in (("theme", "themes"), ("person", "people")):
        if choose.maybe(40):
            values = tuple(str(v) for v in vocabulary.pools.get(pool, ()))
            string_sets[name] = (pool, values[: choose.whole(1, len(values))])
    bands = ["hb"] if "staff" in facts and choose.maybe(70) else []
    top_lets: dict[str, tuple[str | None, str]] = {}
    if choose.maybe(30):
        top_lets["ok_activity"] = (first.name, BOOL)
    if choose.maybe(15):
        top_lets["two"] = (None, INT)
    start = choose.pick(vocabulary.starts)
    end: dt.date | None = None
    if not choose.maybe(25):
        end = start + dt.timedelta(days=choose.pick([365, 30, 90, 200, 420]) - 1)
    return Env(vocabulary, kinds, stock, facts, festivals, festival_sets, string_sets, bands,
               top_lets, start, end)
