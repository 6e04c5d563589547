"""Deprecated import path, kept for one release: use :mod:`policyrules.rules`."""

from policyrules.rules.compiler import CompiledPolicy, Instance, compile_policy  # noqa: F401
