"""Helpers for testing code that works on policies: Hypothesis strategies for random,
syntactically valid syntax trees (see :mod:`policyrules.testing.trees`).

Importing this package needs ``hypothesis`` (the ``test`` extra)."""

from __future__ import annotations

from policyrules.testing.trees import (
    KEYWORDS,
    NAME_LIKE_KEYWORDS,
    SAFE_NAMES,
    comment_texts,
    date_rules,
    due_dates,
    durations,
    expressions,
    formatted_policies,
    names,
    operator_expressions,
    patterns,
    policies,
    policy_files,
    statements,
    type_exprs,
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
