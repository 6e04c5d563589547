"""One scope rule (docs/language.md, "Bare names"), held by the checker, the evaluator and the
hypothesis strategies alike: a quantifier's variable, then an attribute of the event in view
(the trigger's, outside any `where` of a `for each KIND` obligation), then the obligation's
`let`s, then the top-level `let`s, then the sets."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policyrules
from policyrules.evaluation import evaluate
from policyrules.semantics import lint
from policyrules.semantics import typed as X
from policyrules.semantics.scope import IsAttribute, IsLet, IsSet, IsVariable, Scope, resolve
from policyrules.syntax.loader import program_from_text
from policyrules.testing.streams import after_due, satisfying

# The case: a `let` named like the trigger's attribute. By the rule the attribute wins.
SHADOWED = """
event activity {
  hours: number
}

policy p "t" {
  effective 2021-01-01 .. 2021-12-31

  obligation o "t" {
    for each activity
    let hours = 0
    require hours >= 1
  }
}
"""

# Every level of the rule, each name defined at two levels so that the rule decides.
LAYERS = """
event activity {
  hours: number
  theme: string
  tags: list of string
}

set themes = ["植树环保", "文明交通"]
let busy = hours >= 2

policy p "t" {
  effective 2021-01-01 .. 2021-12-31

  obligation o "t" {
    every month
    let theme = "不会被读到"
    let many = 1
    let counted = count(activity where theme in themes and busy and all(theme in tags: theme != ""))
    require counted >= many
  }
}
"""


def _typed(policy: policyrules.CheckedPolicy) -> list[X.Expr]:
    """Every typed node of the obligation's requirements, `let`s opened where used."""
    return [n for r in policy.obligations[0].typed.requirements for n in X.walk(r)]


def test_the_documented_order_by_resolve() -> None:
    policy = policyrules.parse(LAYERS)
    defs = policy.definitions
    activity = defs.events["activity"]
    in_where = Scope(event=activity, lets={"theme": policy.obligations[0].lets["theme"]},
                     variables={})
    assert isinstance(resolve("theme", in_where, defs), IsAttribute)  # attribute before let
    with_variable = Scope(event=activity, variables={"theme": activity.fields["theme"]})
    assert isinstance(resolve("theme", with_variable, defs), IsVariable)  # variable first
    assert isinstance(resolve("busy", in_where, defs), IsLet)  # a top-level let
    assert isinstance(resolve("themes", in_where, defs), IsSet)
    outside = Scope(lets={"theme": policy.obligations[0].lets["theme"]})
    found = resolve("theme", outside, defs)
    assert isinstance(found, IsLet) and not found.top_level  # no event in view: the let
    trigger = Scope(event=activity, event_is_trigger=True)
    found = resolve("hours", trigger, defs)
    assert isinstance(found, IsAttribute) and found.of_trigger


def test_the_checker_records_what_each_name_means() -> None:
    nodes = _typed(policyrules.parse(LAYERS))
    by_text = {}
    for node in nodes:
        text = getattr(node.syntax, "id", None)
        if text is not None:
            by_text.setdefault(text, []).append(type(node).__name__)
    assert by_text["theme"] == ["EventAttribute", "Variable"]
    assert by_text["themes"] == ["SetUse"]
    assert by_text["busy"] == ["LetUse"]
    assert by_text["counted"] == ["LetUse"]
    assert by_text["many"] == ["LetUse"]
    assert by_text["hours"] == ["EventAttribute"]  # inside `busy`, the activity's hours


def test_a_let_hidden_by_the_trigger_is_warned_about_and_the_attribute_wins() -> None:
    diagnostics = lint(program_from_text(SHADOWED, "shadowed.pol"))
    assert [(d.code, d.severity.value) for d in diagnostics] == [("let-shadowing", "warning")]
    assert "`let hours` is hidden by the attribute `hours` of `activity`" in diagnostics[0].message
    policy = policyrules.parse(SHADOWED)
    (node,) = [n for n in _typed(policy) if getattr(n.syntax, "id", None) == "hours"]
    assert isinstance(node, X.TriggerAttribute)
    event = {"id": "a1", "unit": "u", "kind": "activity", "at": "2021-01-09T09:00", "hours": 2}
    (result,) = evaluate(policy, [event], as_of=dt.date(2021, 1, 10)).results
    assert result.status == "met", result.reason
    assert result.reason == "met: `hours` is 2, needs >= 1"


def test_the_evaluator_reads_each_layer_as_the_rule_says() -> None:
    policy = policyrules.parse(LAYERS)
    events = [
        # counts: theme (the attribute, not the let) in the set, busy, no empty tag
        {"id": "a1", "unit": "u", "kind": "activity", "at": "2021-03-02", "hours": 3,
         "theme": "植树环保", "tags": ["x"]},
        # does not: hours below the top-level let's 2
        {"id": "a2", "unit": "u", "kind": "activity", "at": "2021-03-03", "hours": 1,
         "theme": "植树环保", "tags": ["x"]},
        # does not: the quantifier's variable is the tag, and this one is empty
        {"id": "a3", "unit": "u", "kind": "activity", "at": "2021-03-04", "hours": 3,
         "theme": "文明交通", "tags": [""]},
    ]
    report = evaluate(policy, events, as_of=dt.date(2021, 3, 31))
    march = [r for r in report.results if r.period.label == "2021-03"]
    assert [(r.status, r.evidence) for r in march] == [("met", ["a1"])]


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_the_strategies_solve_by_the_same_rule(data: Any) -> None:
    """A satisfying stream for the shadowed obligation solves `hours >= 1` on the trigger's
    hours (the let's 0 could never be met), and the evaluator agrees it is met."""
    policy = policyrules.parse(SHADOWED)
    rows = data.draw(satisfying(policy, "o", "u", "t1"))
    report = evaluate(policy, rows, as_of=after_due(policy, "o", "t1"))
    results = [r for r in report.results if r.period.label == "t1"]
    assert results and all(r.status == "met" for r in results), [r.reason for r in results]


@pytest.mark.parametrize("name", ["hours"])
def test_no_stage_reads_the_hidden_let(name: str) -> None:
    policy = policyrules.parse(SHADOWED)
    assert not any(isinstance(n, X.LetUse) and n.name == name for n in _typed(policy))
