"""The grammar and the one Lark parser built from it, and the words for its terminals.

The grammar lives in ``grammar/policy.lark`` (shipped inside the package as
``policyrules/grammar/policy.lark``). One Lark LALR parser with the contextual lexer is built
once, on first use; the lexer hands every comment to :data:`policyrules.syntax.literals.state`
so that the formatter can keep it.
"""

from __future__ import annotations

import threading
from importlib import resources
from pathlib import Path

from lark import Lark, Token
from lark.lexer import PatternStr

from policyrules.diagnostics.messages import Listing, msg
from policyrules.syntax.literals import state


def grammar_text() -> str:
    """The grammar, from the installed package or, in a source checkout, from ``grammar/``."""
    packaged = resources.files("policyrules").joinpath("grammar/policy.lark")
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    checkout = Path(__file__).resolve().parents[2] / "grammar" / "policy.lark"
    return checkout.read_text(encoding="utf-8")


parser_lock = threading.Lock()
_parser: Lark | None = None


def _on_comment(token: Token) -> None:
    state.comments.append(token)


def get_parser() -> Lark:
    global _parser
    with parser_lock:
        if _parser is None:
            _parser = Lark(
                grammar_text(),
                parser="lalr",
                lexer="contextual",
                propagate_positions=True,
                maybe_placeholders=True,
                lexer_callbacks={"COMMENT": _on_comment},
            )
        return _parser


TERMINAL_WORDS = {
    "NAME": "a name",
    "STRING": 'a string in double quotes ("…")',
    "INT": "a whole number",
    "DECIMAL": "a number",
    "PERCENT": "a percentage such as `10%`",
    "DATE": "a date such as `2019-05-27`",
    "MMDD": "a day of the year such as `07-01`",
    "TIME": "a time of day such as `17:30`",
    "REF": "a label such as `YZ-1`",
    "ORDINAL": "`1st` … `5th` or `last`",
    "WEEKDAY": "a weekday (`monday` … `sunday`)",
    "MONTH": "a month (`january` … `december`)",
    "COMPARE": "a comparison (`>=`, `==`, …)",
    "ADD_OP": "`+` or `-`",
    "MUL_OP": "`*` or `/`",
    "AGGREGATE": "`count`, `sum`, `avg`, `min`, `max`, `latest` or `exists`",
    "FUNCTION": "`len` or `lower`",
    "QUANTIFIER": "`all` or `any`",
    "SEVERITY": "`must` or `advisory`",
    "PARTIAL_MODE": "`count`, `skip` or `prorate`",
    "ROUNDING": "`up`, `down` or `nearest`",
    "SCALAR_TYPE": "a type (`int`, `number`, `string`, `bool`, `date`, `datetime`)",
    "DURATION_UNIT": "`days`, `weeks` or `hours`",
    "PLUS_MINUS": "`±`",
    "STOCK": "`stock`",
    "DAY_KW": "`day`",
    "$END": "the end of the file",
}


def describe_expected(parser: Lark, names: set[str]) -> list[str]:
    by_name = {t.name: t for t in parser.terminals}
    words: set[str] = set()
    for name in names:
        if name in TERMINAL_WORDS:
            words.add(TERMINAL_WORDS[name])
        elif name in by_name and isinstance(by_name[name].pattern, PatternStr):
            words.add(f"`{by_name[name].pattern.value}`")
    return sorted(words, key=lambda w: (not w.startswith("`"), w))


def expected_hint(parser: Lark, names: set[str]) -> str | None:
    words = describe_expected(parser, names)
    if not words:
        return None
    if len(words) > 10:
        words = [*words[:10], "…"]
    return msg("expected {words}", words=Listing(words))
