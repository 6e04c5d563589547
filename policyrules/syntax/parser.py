"""Source text → syntax tree.

The stages of a parse, each in its module:

- :mod:`~policyrules.syntax.diagnose` refuses what no policy contains before the parser
  spends time on it (size, nesting, control characters) and puts Lark's errors in words;
- :mod:`~policyrules.syntax.grammar` holds the grammar and the one Lark parser built from it;
- :mod:`~policyrules.syntax.builder` turns the parse tree into :mod:`policyrules.syntax.ast`
  nodes, reading literals with :mod:`~policyrules.syntax.literals`, whose limits
  (:mod:`~policyrules.syntax.limits`) are checked before any value is converted;
- :mod:`~policyrules.syntax.comments` attaches the comments the lexer skipped.

Nothing outside the syntax package sees a Lark tree.
"""

from __future__ import annotations

import gc

from lark import Lark
from lark.exceptions import UnexpectedInput

from policyrules.diagnostics.errors import PolicySyntaxError
from policyrules.diagnostics.source import SourceText
from policyrules.syntax import ast
from policyrules.syntax import comments as attach
from policyrules.syntax.builder import Builder
from policyrules.syntax.diagnose import find_too_deep, precheck, syntax_diagnostic
from policyrules.syntax.grammar import TERMINAL_WORDS as _TERMINAL_WORDS
from policyrules.syntax.grammar import get_parser, grammar_text, parser_lock
from policyrules.syntax.limits import (
    MAX_DEPTH,
    MAX_INT_DIGITS,
    MAX_NESTING,
    MAX_SOURCE_CHARS,
)
from policyrules.syntax.literals import _Failure, state

__all__ = [
    "MAX_DEPTH",
    "MAX_INT_DIGITS",
    "MAX_NESTING",
    "MAX_SOURCE_CHARS",
    "_TERMINAL_WORDS",
    "grammar_text",
    "parse",
    "parse_expression",
]


def parse(text: str, file: str = "<string>") -> ast.PolicyFile:
    """Parse policy source text into a :class:`~policyrules.syntax.ast.PolicyFile`.

    Raises :class:`~policyrules.diagnostics.errors.PolicySyntaxError` with a diagnostic
    pointing at the first problem.
    """
    source = SourceText(file, text)
    problem = precheck(source)
    if problem is not None:
        raise PolicySyntaxError([problem], {file: source})
    parser = get_parser()
    # A parse allocates many small objects and frees none; pausing the cyclic collector
    # keeps the time linear in the size of the file.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _parse_locked(parser, source)
    finally:
        if collecting:
            gc.enable()


def _parse_locked(parser: Lark, source: SourceText) -> ast.PolicyFile:
    file, text = source.name, source.text
    with parser_lock:
        state.file = file
        state.comments = []
        try:
            tree, depth = Builder().build(parser.parse(text))
        except UnexpectedInput as error:
            raise PolicySyntaxError(
                [syntax_diagnostic(error, source, parser)], {file: source}
            ) from None
        except _Failure as failure:
            raise PolicySyntaxError([failure.diagnostic], {file: source}) from None
        comments = list(state.comments)
    assert isinstance(tree, ast.PolicyFile)
    if depth > MAX_DEPTH:
        raise PolicySyntaxError([find_too_deep(tree)], {file: source})
    return attach.attach(tree, comments)


def parse_expression(text: str) -> ast.Expr:
    """Parse a single expression (handy in tests and notebooks)."""
    tree = parse(f"let __expression__ = {text}\n")
    item = tree.items[0]
    assert isinstance(item, ast.LetDef)
    return item.value
