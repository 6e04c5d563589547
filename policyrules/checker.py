"""Deprecated import path, kept for one release: use :mod:`policyrules.semantics`."""

from policyrules.semantics import CheckedObligation, CheckedPolicy, check, lint  # noqa: F401
