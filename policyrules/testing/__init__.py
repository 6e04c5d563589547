"""Helpers for testing code that works on policies: Hypothesis strategies for random,
syntactically valid syntax trees (:mod:`policyrules.testing.trees`) and for events and
units that satisfy or violate an obligation (:mod:`policyrules.testing.streams`), and for
whole policies that check, with data to evaluate them on (:mod:`policyrules.testing.policies`).

Importing this package needs ``hypothesis`` (the ``test`` extra)."""

from __future__ import annotations

from policyrules.testing import trees
from policyrules.testing.trees import *  # noqa: F403 - the strategies, as trees.__all__ lists

__all__ = list(trees.__all__)
