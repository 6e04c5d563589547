"""Deprecated import path, kept for one release: use :mod:`policyrules.semantics`."""

from policyrules.semantics.checker import CheckedObligation, CheckedPolicy, check, lint  # noqa: F401
