"""Deprecated import path, kept for one release: use :mod:`policyrules.syntax.parser`."""

from policyrules.syntax.parser import (  # noqa: F401
    MAX_NESTING,
    MAX_SOURCE_CHARS,
    grammar_text,
    parse,
    parse_expression,
)
