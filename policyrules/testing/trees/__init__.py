"""Hypothesis strategies that generate random, syntactically valid syntax trees.

Every tree drawn from these strategies is one the parser can produce: formatting it with
:func:`policyrules.syntax.formatter.format_policy` gives text that the grammar accepts and
that parses back to an equal tree. The strategies respect the shape of the grammar
(``grammar/policy.lark``) and the checks the parser makes on literals:

* names come from a pool of safe identifiers, ASCII and Chinese, no keyword among them but
  the few the grammar never takes where a name may stand (``hours``, ``period``, ``at``, …).
  Where the grammar accepts nothing but a name (after ``policy``, ``let``, ``supersedes``, a
  ``.``, …) the contextual lexer reads any word as a name, so there keywords are drawn too;
* integers have at most 15 digits, decimals and percentages are never negative, dates are real
  dates, days of the year exist in a leap year, lunar dates have months 1–12 and days 1–30,
  ordinals are 1–5 or ``last`` and only days can be working days;
* an aggregate ranges over a selection or over the groups of an aggregate of a selection; a
  selection standing alone as an expression is ``distinct(field of kind)``; a pattern union
  has two options or more, none of them a union; a festival's rule is a day of the year, a
  lunar date (leap or not), a solar term, an n-th weekday of a month, or such a rule shifted;
  a `one of` type lists one string or more.

Comments are drawn for every item (leading and trailing) and every block (end comments); they
are stripped and hold no line break, as the parser gives them.
"""

from __future__ import annotations

from policyrules.testing.trees.items import (
    due_dates,
    formatted_policies,
    policies,
    policy_files,
    statements,
    type_exprs,
)
from policyrules.testing.trees.values import (
    KEYWORDS,
    NAME_LIKE_KEYWORDS,
    SAFE_NAMES,
    comment_texts,
    date_rules,
    durations,
    expressions,
    names,
    operator_expressions,
    patterns,
)

__all__ = [
    "KEYWORDS",
    "NAME_LIKE_KEYWORDS",
    "SAFE_NAMES",
    "comment_texts",
    "date_rules",
    "due_dates",
    "durations",
    "expressions",
    "formatted_policies",
    "names",
    "operator_expressions",
    "patterns",
    "policies",
    "policy_files",
    "statements",
    "type_exprs",
]
