"""Deprecated import path, kept for one release: use :mod:`policyrules.syntax.loader`."""

from policyrules.syntax.loader import Program, load_program, program_from_text  # noqa: F401
