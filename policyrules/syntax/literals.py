"""Tokens → values: numbers, dates, times, strings, ordinals and durations, read with their
limits checked *before* anything is converted, so that no literal can raise a bare
``ValueError`` or ``OverflowError`` (Python refuses ``int()`` of more than 4,300 digits).

A bad literal raises :class:`_Failure`, which carries the located diagnostic; the parser
turns it into a :class:`~policyrules.diagnostics.errors.PolicySyntaxError`.
"""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal, InvalidOperation
from typing import Any

from lark import Token

from policyrules.calendar.moments import LAST_INSTANT
from policyrules.diagnostics.errors import Diagnostic
from policyrules.diagnostics.messages import msg
from policyrules.diagnostics.source import Span
from policyrules.syntax import ast
from policyrules.syntax.limits import MAX_DURATION, MAX_INT_DIGITS


class _Failure(Exception):
    """Raised inside the tree builder for a bad literal; carries the diagnostic."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


class _ParseState(threading.local):
    """The file being parsed (spans name it) and the comments the lexer skipped."""

    file: str = "<string>"
    comments: list[Token]

    def __init__(self) -> None:
        self.comments = []


state = _ParseState()


def meta_span(meta: Any) -> Span | None:
    if getattr(meta, "empty", True):
        return None
    return Span(
        state.file, meta.line, meta.column, meta.end_line, meta.end_column, meta.start_pos,
        meta.end_pos,
    )


def file_start() -> Span:
    """The first character of the file: where a file-wide problem is reported."""
    return Span(state.file, 1, 1, 1, 1, 0, 0)


def token_span(token: Token) -> Span:
    return Span(
        state.file,
        token.line or 1,
        token.column or 1,
        token.end_line or token.line or 1,
        token.end_column or token.column or 1,
        token.start_pos or 0,
        token.end_pos or 0,
    )


def _fail(token: Token, message: str, hint: str | None = None) -> _Failure:
    return _Failure(Diagnostic(message, token_span(token), hint, code="syntax"))


def clip(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _check_digits(token: Token, digits: str, shown: str) -> None:
    """Refuse a run of more than :data:`MAX_INT_DIGITS` digits, leading zeros included."""
    if len(digits) <= MAX_INT_DIGITS:
        return
    if len(digits.lstrip("0")) > MAX_INT_DIGITS:
        raise _fail(
            token,
            msg("number `{clip}` is too large", clip=clip(shown)),
            msg("numbers in a policy have at most {limit} digits", limit=MAX_INT_DIGITS),
        )
    raise _fail(
        token,
        msg("number `{clip}` is written with too many digits", clip=clip(shown)),
        msg("numbers in a policy are written with at most {limit} digits; leave out the "
            "leading zeros", limit=MAX_INT_DIGITS),
    )


def read_int(token: Token) -> int:
    text = str(token)
    _check_digits(token, text, text)
    return int(text)


def read_decimal(token: Token, text: str | None = None) -> Decimal:
    """A decimal or the number of a percentage (`text`: the token without its `%`)."""
    raw = str(token) if text is None else text
    whole, _, fraction = raw.partition(".")
    _check_digits(token, whole, raw)
    if len(fraction) > MAX_INT_DIGITS:
        raise _fail(
            token,
            msg("number `{clip}` has too many decimals", clip=clip(raw)),
            msg("numbers in a policy have at most {limit} digits after the point",
                limit=MAX_INT_DIGITS),
        )
    try:
        return Decimal(raw)
    except InvalidOperation as error:  # pragma: no cover - the lexer only passes digits
        raise _fail(token, msg("`{raw}` is not a number", raw=raw)) from error


def read_date(token: Token) -> dt.date:
    try:
        return dt.date.fromisoformat(str(token))
    except ValueError as error:
        raise _fail(
            token,
            msg("`{token}` is not a date", token=token),
            "dates are written year-month-day, for example `2019-05-27`",
        ) from error


def read_month_day(token: Token) -> tuple[int, int]:
    month, day = (int(part) for part in str(token).split("-"))
    # 2000 is a leap year, so 02-29 is allowed (it occurs only in leap years).
    try:
        dt.date(2000, month, day)
    except ValueError as error:
        raise _fail(
            token,
            msg("`{token}` is not a day of the year", token=token),
            "a day of the year is written month-day, for example `07-01`",
        ) from error
    return month, day


def read_lunar_month_day(token: Token) -> tuple[int, int]:
    month, day = (int(part) for part in str(token).split("-"))
    if not (1 <= month <= 12 and 1 <= day <= 30):
        raise _fail(
            token,
            msg("`{token}` is not a lunar date", token=token),
            "lunar months run 01 to 12 and lunar days 01 to 30",
        )
    return month, day


def read_time(token: Token) -> dt.time:
    hour, minute = (int(part) for part in str(token).split(":"))
    if hour == 24 and minute == 0:
        return LAST_INSTANT  # `24:00`: the end of the day
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise _fail(token, msg("`{token}` is not a time of day",
                               token=token), "write hours and minutes, `17:30`")
    return dt.time(hour, minute)


_ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "t": "\t"}


def read_string(token: Token) -> str:
    """The value of a string literal. Control characters never reach here: the parser
    refuses them before lexing."""
    body = str(token)[1:-1]
    if "\\" not in body:
        return body
    out: list[str] = []
    i = 0
    while i < len(body):
        char = body[i]
        if char == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            if nxt not in _ESCAPES:
                raise _fail(
                    token,
                    msg("unknown escape `\\{nxt}` in a string", nxt=nxt),
                    'strings may escape only `\\"`, `\\\\`, `\\n` and `\\t`',
                )
            out.append(_ESCAPES[nxt])
            i += 2
            continue
        out.append(char)
        i += 1
    return "".join(out)


def read_ordinal(token: Token) -> int:
    text = str(token)
    if text == "last":
        return -1
    digits = text[:-2]
    # 1st … 5th: more than two digits is never a week of a month (and `int` of thousands
    # of digits would raise)
    number = int(digits) if len(digits) <= 2 else 0
    if number < 1 or number > 5:
        raise _fail(token, msg("`{text}` is not a week of a month",
                               text=clip(text)), "use `1st` … `5th` or `last`")
    expected = {1: "st", 2: "nd", 3: "rd"}.get(number, "th")
    if text[-2:] != expected:
        raise _fail(token, msg("`{text}` is misspelt", text=text),
                    msg("write `{number}{expected}`", number=number, expected=expected))
    return number


def read_duration_unit(token: Token) -> ast.DurationUnit:
    return ast.DurationUnit(str(token).rstrip("s"))


def read_duration(
    amount: Token, unit_token: Token, span: Span | None, working: bool = False
) -> ast.Duration:
    """`3 days`, `2 working days`: the amount within :data:`MAX_DURATION` of its unit."""
    unit = read_duration_unit(unit_token)
    count = read_int(amount)
    if count > MAX_DURATION[unit]:
        raise _fail(
            amount,
            msg("`{amount} {unit}` is too long a duration", amount=amount, unit=unit_token),
            msg("a duration is at most about 100 years: {days} days (or working days), "
                "{weeks} weeks or {hours} hours", days=MAX_DURATION[ast.DurationUnit.DAY],
                weeks=MAX_DURATION[ast.DurationUnit.WEEK],
                hours=MAX_DURATION[ast.DurationUnit.HOUR]),
        )
    return ast.Duration(count, unit, working=working, span=span)
