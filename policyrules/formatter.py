"""Deprecated import path, kept for one release: use :mod:`policyrules.syntax.formatter`."""

from policyrules.syntax.formatter import (  # noqa: F401
    due_date,
    expression,
    format_policy,
    pattern,
)
