"""Deprecated import path, kept for one release: use :mod:`policyrules.diagnostics.errors`."""

from policyrules.diagnostics.errors import (  # noqa: F401
    Diagnostic,
    PolicyCheckError,
    PolicyError,
    PolicyLoadError,
    PolicySyntaxError,
    Severity,
)
