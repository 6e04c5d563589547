"""What is wrong with a text that is not a policy, in words: the checks made before parsing
(size, nesting, control characters) and the translation of Lark's errors into located
diagnostics with what was expected.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from lark import Lark
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from policyrules.diagnostics.errors import Diagnostic
from policyrules.diagnostics.messages import msg
from policyrules.diagnostics.source import SourceText
from policyrules.syntax import ast
from policyrules.syntax.grammar import expected_hint
from policyrules.syntax.limits import MAX_DEPTH, MAX_NESTING, MAX_SOURCE_CHARS
from policyrules.syntax.literals import clip, token_span


def _show_char(char: str) -> str:
    if char.isprintable() and not char.isspace():
        return f"`{char}`"
    return f"U+{ord(char):04X}"


def syntax_diagnostic(error: UnexpectedInput, source: SourceText, parser: Lark) -> Diagnostic:
    if isinstance(error, UnexpectedCharacters):
        position = error.pos_in_stream or 0
        char = source.text[position] if position < len(source.text) else ""
        span = source.span_at(position, 1)
        hint = expected_hint(parser, set(error.allowed or ()))
        if char == '"':
            return Diagnostic("unterminated string", span, "close it with `\"` on the same line")
        if not char.isprintable() and not char.isspace():
            return Diagnostic(
                msg("unexpected control character {char}", char=_show_char(char)),
                span,
                "a policy is text; is this a binary file?",
                code="syntax",
            )
        if not char.isascii() and unicodedata.decimal(char, None) is not None:
            return Diagnostic(
                msg("`{char}` is not a digit of a number", char=char),
                span,
                "numbers, dates and times are written with the ASCII digits 0 to 9"
                " (`3`, not `３`)",
                code="syntax",
            )
        return Diagnostic(msg("unexpected character {char}",
                              char=_show_char(char)), span, hint, code="syntax")
    if isinstance(error, UnexpectedEOF) or (
        isinstance(error, UnexpectedToken) and error.token.type == "$END"
    ):
        end = len(source.text.rstrip())
        span = source.span_at(max(end - 1, 0), 1)
        expected = set(error.expected)
        unclosed = _unclosed_brace(source.text)
        if "RBRACE" in expected and unclosed is not None:
            opened = source.span_at(unclosed, 1)
            return Diagnostic(
                "unexpected end of file: a block is not closed",
                span,
                msg("the `{{` on line {line} has no matching `}}`", line=opened.line),
                code="syntax",
            )
        return Diagnostic("unexpected end of file", span, expected_hint(parser, expected),
                          code="syntax")
    if isinstance(error, UnexpectedToken):
        token = error.token
        span = token_span(token)
        return Diagnostic(
            msg("unexpected `{clip}`", clip=clip(str(token), 40)),
            span,
            expected_hint(parser, set(error.expected)),
            code="syntax",
        )
    return Diagnostic(str(error).splitlines()[0], None, code="syntax")  # pragma: no cover


def _code(text: str) -> Iterator[tuple[int, str]]:
    """(offset, character) of every character outside strings and comments."""
    in_string = in_comment = escaped = False
    for offset, char in enumerate(text):
        if in_comment:
            in_comment = char != "\n"
        elif in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True  # `\"` is a quote inside the string, `\\` a backslash
            elif char in '"\n':
                in_string = False
        elif char == "#":
            in_comment = True
        elif char == '"':
            in_string = True
        else:
            yield offset, char


def _unclosed_brace(text: str) -> int | None:
    """The offset of the last `{` that is never closed, outside strings and comments."""
    opened: list[int] = []
    for offset, char in _code(text):
        if char == "{":
            opened.append(offset)
        elif char == "}" and opened:
            opened.pop()
    return opened[-1] if opened else None


def precheck(source: SourceText) -> Diagnostic | None:
    """Refuse what no policy contains before the parser spends time on it."""
    text = source.text
    if len(text) > MAX_SOURCE_CHARS:
        return Diagnostic(
            msg("the file is too large ({size:.1f} million characters)",
                size=len(text) / 1_048_576),
            source.span_at(0, 0),
            msg("a policy file holds at most {limit} million characters; split it and use "
                "`import`", limit=MAX_SOURCE_CHARS // 1_048_576),
            code="limit",
        )
    depth = 0
    for offset, char in _code(text):
        if char in "([{":
            depth += 1
            if depth > MAX_NESTING:
                return Diagnostic(
                    msg("brackets nested more than {limit} deep", limit=MAX_NESTING),
                    source.span_at(offset, 1),
                    "no policy needs this; name parts of the expression with `let`",
                    code="limit",
                )
        elif char in ")]}":
            depth = max(0, depth - 1)
    return _control_character(source)


def find_too_deep(tree: ast.PolicyFile) -> Diagnostic:
    """The error for the first node nested deeper than :data:`MAX_DEPTH`."""
    stack: list[tuple[ast.Node, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH - 1:
            break
        stack.extend((child, depth + 1) for child in ast.children(node))
    return Diagnostic(
        msg("expression nested more than {limit} levels deep", limit=MAX_DEPTH),
        node.span,
        "no policy needs this; name parts of the expression with `let`",
        code="limit",
    )


# C0 and C1 control characters and DEL, but a tab, a line feed and the carriage return of a
# CRLF line end: no policy needs them, and in a string or a comment they can hide text from
# a reader (an escape sequence, a lone carriage return that rewinds the line); and lone
# surrogates, which text from Python may hold but no UTF-8 file can (printing one fails)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]|\r(?!\n)")


def _control_character(source: SourceText) -> Diagnostic | None:
    found = _CONTROL.search(source.text)
    if found is None:
        return None
    offset = found.start()
    char = _show_char(found.group()[0])
    span = source.span_at(offset, 1)
    if 0xD800 <= ord(found.group()[0]) <= 0xDFFF:
        return Diagnostic(
            msg("a lone surrogate {char} is not a character", char=char), span,
            "a policy is Unicode text; this half of a UTF-16 pair cannot be saved as UTF-8",
            code="syntax",
        )
    place = _place(source.text, offset)
    if place == "string":
        return Diagnostic(
            msg("control character {char} in a string", char=char), span,
            "write a line break as `\\n` and a tab as `\\t`; other control characters are"
            " refused", code="syntax",
        )
    if place == "comment":
        return Diagnostic(
            msg("control character {char} in a comment", char=char), span,
            "a comment is text of one line; control characters are refused", code="syntax",
        )
    if char == "U+000D":
        return Diagnostic(
            "a carriage return (U+000D) that does not end a line", span,
            "save the file with Unix (LF) or Windows (CRLF) line ends", code="syntax",
        )
    return Diagnostic(msg("unexpected control character {char}", char=char), span,
                      "a policy is text; is this a binary file?", code="syntax")


def _place(text: str, offset: int) -> str:
    """Whether the character at `offset` is in a `string`, a `comment` or `code`."""
    in_string = in_comment = escaped = False
    for char in text[:offset]:
        if in_comment:
            in_comment = char != "\n"
        elif in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char in '"\n':
                in_string = False
        elif char == "#":
            in_comment = True
        elif char == '"':
            in_string = True
    return "string" if in_string else "comment" if in_comment else "code"
