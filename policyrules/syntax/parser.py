"""Source text → syntax tree.

The grammar lives in ``grammar/policy.lark`` (shipped inside the package as
``policyrules/grammar/policy.lark``). One Lark LALR parser with the contextual lexer is built
once; a Transformer runs inline while parsing and builds :mod:`policyrules.syntax.ast` nodes, so no
Lark tree is ever materialised and nothing outside this module sees one.

Hostile input is bounded before and during parsing: a size limit, a nesting limit, a limit on
numbers, and clear errors for bytes that are not UTF-8 or characters the language has no use for.
"""

from __future__ import annotations

import datetime as dt
import gc
import threading
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any

from lark import Lark, Token, Tree
from lark.exceptions import (
    UnexpectedCharacters,
    UnexpectedEOF,
    UnexpectedInput,
    UnexpectedToken,
)
from lark.lexer import PatternStr

from policyrules.diagnostics.errors import Diagnostic, PolicySyntaxError
from policyrules.diagnostics.messages import Listing, msg
from policyrules.diagnostics.source import SourceText, Span
from policyrules.syntax import ast

#: Files larger than this are refused before parsing (a policy of 10,000 obligations is ~2 MB).
MAX_SOURCE_CHARS = 4 * 1024 * 1024
#: Brackets and expressions nested deeper than this are refused.
MAX_NESTING = 64
#: Syntax trees deeper than this are refused (later stages walk expressions recursively).
MAX_DEPTH = 4 * MAX_NESTING
#: Integers with more digits than this are refused (no count or hour needs them).
MAX_INT_DIGITS = 15


def grammar_text() -> str:
    """The grammar, from the installed package or, in a source checkout, from ``grammar/``."""
    packaged = resources.files("policyrules").joinpath("grammar/policy.lark")
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    checkout = Path(__file__).resolve().parents[2] / "grammar" / "policy.lark"
    return checkout.read_text(encoding="utf-8")


_DONE = object()


class _Failure(Exception):
    """Raised inside the transformer for a bad literal; carries the diagnostic."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


class _ParseState(threading.local):
    file: str = "<string>"
    comments: list[Token]

    def __init__(self) -> None:
        self.comments = []


_state = _ParseState()




def _span(meta: Any) -> Span | None:
    if getattr(meta, "empty", True):
        return None
    return Span(
        _state.file,
        meta.line,
        meta.column,
        meta.end_line,
        meta.end_column,
        meta.start_pos,
        meta.end_pos,
    )


def _token_span(token: Token) -> Span:
    return Span(
        _state.file,
        token.line or 1,
        token.column or 1,
        token.end_line or token.line or 1,
        token.end_column or token.column or 1,
        token.start_pos or 0,
        token.end_pos or 0,
    )


def _fail(token: Token, message: str, hint: str | None = None) -> _Failure:
    return _Failure(Diagnostic(message, _token_span(token), hint, code="syntax"))


def _int(token: Token) -> int:
    text = str(token)
    if len(text.lstrip("0")) > MAX_INT_DIGITS:
        raise _fail(
            token,
            msg("number `{clip}` is too large", clip=_clip(text)),
            msg("numbers in a policy have at most {limit} digits", limit=MAX_INT_DIGITS),
        )
    return int(text)


def _decimal(token: Token, text: str | None = None) -> Decimal:
    raw = str(token) if text is None else text
    whole = raw.split(".")[0]
    if len(whole.lstrip("0")) > MAX_INT_DIGITS or len(raw) > 2 * MAX_INT_DIGITS + 1:
        raise _fail(
            token,
            msg("number `{clip}` is too large", clip=_clip(raw)),
            msg("numbers in a policy have at most {limit} digits before the point",
                limit=MAX_INT_DIGITS),
        )
    try:
        return Decimal(raw)
    except InvalidOperation as error:  # pragma: no cover - the lexer only passes digits
        raise _fail(token, msg("`{raw}` is not a number", raw=raw)) from error


def _clip(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _date(token: Token) -> dt.date:
    try:
        return dt.date.fromisoformat(str(token))
    except ValueError as error:
        raise _fail(
            token,
            msg("`{token}` is not a date", token=token),
            "dates are written year-month-day, for example `2019-05-27`",
        ) from error


def _month_day(token: Token) -> tuple[int, int]:
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


def _lunar_month_day(token: Token) -> tuple[int, int]:
    month, day = (int(part) for part in str(token).split("-"))
    if not (1 <= month <= 12 and 1 <= day <= 30):
        raise _fail(
            token,
            msg("`{token}` is not a lunar date", token=token),
            "lunar months run 01 to 12 and lunar days 01 to 30",
        )
    return month, day


def _time(token: Token) -> dt.time:
    hour, minute = (int(part) for part in str(token).split(":"))
    if hour == 24 and minute == 0:
        return dt.time(23, 59, 59, 999999)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise _fail(token, msg("`{token}` is not a time of day",
                               token=token), "write hours and minutes, `17:30`")
    return dt.time(hour, minute)


def _string(token: Token) -> str:
    body = str(token)[1:-1]
    out: list[str] = []
    i = 0
    while i < len(body):
        char = body[i]
        if char == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            if nxt in '"\\':
                out.append(nxt)
            elif nxt == "n":
                out.append("\n")
            elif nxt == "t":
                out.append("\t")
            else:
                raise _fail(
                    token,
                    msg("unknown escape `\\{nxt}` in a string", nxt=nxt),
                    'strings may escape only `\\"`, `\\\\`, `\\n` and `\\t`',
                )
            i += 2
            continue
        out.append(char)
        i += 1
    return "".join(out)


def _ordinal(token: Token) -> int:
    text = str(token)
    if text == "last":
        return -1
    number = int(text[:-2])
    expected = {1: "st", 2: "nd", 3: "rd"}.get(
        number % 10 if number % 100 not in (11, 12, 13) else 0, "th"
    )
    if number < 1 or number > 5:
        raise _fail(token, msg("`{text}` is not a week of a month",
                               text=text), "use `1st` … `5th` or `last`")
    if text[-2:] != expected:
        raise _fail(token, msg("`{text}` is misspelt", text=text),
                    msg("write `{number}{expected}`", number=number, expected=expected))
    return number


def _duration_unit(token: Token) -> ast.DurationUnit:
    return ast.DurationUnit(str(token).rstrip("s"))


# Every method takes (meta, children): the meta gives the span.
class _Builder:
    """One method per grammar rule or alias, called with the rule's meta (for the span) and
    its already-built children. :meth:`build` walks the Lark tree without recursion, so a
    long `and` chain cannot exhaust Python's stack, and measures nesting on the way."""

    def build(self, root: Tree[Token]) -> tuple[Any, int]:
        """The node for `root` and the depth of the deepest node under it."""
        # post-order: (tree, index of the next child to visit, built children, max depth)
        stack: list[tuple[Tree[Token], list[Any], int]] = [(root, [], 0)]
        iterators = [iter(root.children)]
        while True:
            tree, built, depth = stack[-1]
            child = next(iterators[-1], _DONE)
            if child is _DONE:
                stack.pop()
                iterators.pop()
                node = getattr(self, tree.data)(tree.meta, built)
                if not stack:
                    return node, depth + 1
                parent_tree, parent_built, parent_depth = stack[-1]
                parent_built.append(node)
                stack[-1] = (parent_tree, parent_built, max(parent_depth, depth + 1))
            elif isinstance(child, Tree):
                stack.append((child, [], 0))
                iterators.append(iter(child.children))
            else:
                built.append(child)

    # --------------------------------------------------------------- file

    def start(self, meta: Any, items: list[Any]) -> ast.PolicyFile:
        return ast.PolicyFile(tuple(items), span=_span(meta))

    def import_decl(self, meta: Any, c: list[Token]) -> ast.Import:
        return ast.Import(_string(c[0]), span=_span(meta))

    def set_def(self, meta: Any, c: list[Any]) -> ast.SetDef:
        return ast.SetDef(str(c[0]), c[1], span=_span(meta))

    def band_def(self, meta: Any, c: list[Any]) -> ast.BandDef:
        return ast.BandDef(str(c[0]), tuple(c[1:]), span=_span(meta))

    def band_row(self, meta: Any, c: list[Any]) -> ast.BandRow:
        low, high = c[0]
        return ast.BandRow(low, high, c[1], span=_span(meta))

    def range_closed(self, meta: Any, c: list[Token]) -> tuple[int | None, int | None]:
        return _int(c[0]), _int(c[1])

    def range_upto(self, meta: Any, c: list[Token]) -> tuple[int | None, int | None]:
        return None, _int(c[0])

    def range_from(self, meta: Any, c: list[Token]) -> tuple[int | None, int | None]:
        return _int(c[0]), None

    def band_absolute(self, meta: Any, c: list[Any]) -> ast.BandAbsolute:
        return ast.BandAbsolute(_decimal(c[0]), span=_span(meta))

    def band_percent_rounded(self, meta: Any, c: list[Token]) -> ast.BandPercent:
        return ast.BandPercent(
            _decimal(c[0], str(c[0])[:-1]), ast.Rounding(str(c[1])), span=_span(meta)
        )

    def band_percent_bare(self, meta: Any, c: list[Token]) -> ast.BandPercent:
        return ast.BandPercent(_decimal(c[0], str(c[0])[:-1]), None, span=_span(meta))

    def festival_def(self, meta: Any, c: list[Any]) -> ast.FestivalDef:
        label = _string(c[1]) if c[1] is not None else None
        return ast.FestivalDef(str(c[0]), label, c[2], span=_span(meta))

    def rule_fixed(self, meta: Any, c: list[Token]) -> ast.FixedDate:
        return ast.FixedDate(*_month_day(c[0]), span=_span(meta))

    def rule_lunar(self, meta: Any, c: list[Token]) -> ast.LunarDate:
        return ast.LunarDate(*_lunar_month_day(c[0]), span=_span(meta))

    def rule_lunar_leap(self, meta: Any, c: list[Token]) -> ast.LunarDate:
        return ast.LunarDate(*_lunar_month_day(c[0]), leap=True, span=_span(meta))

    def rule_term(self, meta: Any, c: list[Token]) -> ast.SolarTerm:
        return ast.SolarTerm(str(c[0]), span=_span(meta))

    def rule_nth_weekday(self, meta: Any, c: list[Token]) -> ast.NthWeekday:
        return ast.NthWeekday(
            _ordinal(c[0]),
            ast.Weekday(str(c[1])),
            ast.MONTHS.index(str(c[2])) + 1,
            span=_span(meta),
        )

    def rule_before(self, meta: Any, c: list[Any]) -> ast.DateOffset:
        return ast.DateOffset(c[0], True, c[1], span=_span(meta))

    def rule_after(self, meta: Any, c: list[Any]) -> ast.DateOffset:
        return ast.DateOffset(c[0], False, c[1], span=_span(meta))

    def event_def(self, meta: Any, c: list[Any]) -> ast.EventDef:
        name, stock, counts_for, *fields = c
        return ast.EventDef(
            str(name),
            tuple(fields),
            stock=stock is not None,
            counts_for=counts_for,
            span=_span(meta),
        )

    def counts_for(self, meta: Any, c: list[Token]) -> str:
        return str(c[0])

    def units_def(self, meta: Any, c: list[Any]) -> ast.UnitsDef:
        return ast.UnitsDef(tuple(c), span=_span(meta))

    def field_decl(self, meta: Any, c: list[Any]) -> ast.FieldDecl:
        return ast.FieldDecl(str(c[0]), c[1], span=_span(meta))

    def scalar_type(self, meta: Any, c: list[Token]) -> ast.ScalarType:
        return ast.ScalarType(str(c[0]), span=_span(meta))

    def list_type(self, meta: Any, c: list[Any]) -> ast.ListType:
        return ast.ListType(c[0], span=_span(meta))

    def enum_type(self, meta: Any, c: list[Token | None]) -> ast.EnumType:
        # its own bracket rule, not list_lit: after a shared rule the contextual lexer would
        # take the next field's name for a keyword that may follow a list elsewhere
        return ast.EnumType(tuple(_string(t) for t in c if t is not None), span=_span(meta))

    def let_def(self, meta: Any, c: list[Any]) -> ast.LetDef:
        return ast.LetDef(str(c[0]), c[1], span=_span(meta))

    # --------------------------------------------------------------- policy

    def policy(self, meta: Any, c: list[Any]) -> ast.Policy:
        return ast.Policy(str(c[0]), _string(c[1]), tuple(c[2:]), span=_span(meta))

    def issuer(self, meta: Any, c: list[Token]) -> ast.Issuer:
        return ast.Issuer(_string(c[0]), span=_span(meta))

    def document(self, meta: Any, c: list[Token]) -> ast.Document:
        return ast.Document(_string(c[0]), span=_span(meta))

    def issued(self, meta: Any, c: list[Token]) -> ast.Issued:
        return ast.Issued(_date(c[0]), span=_span(meta))

    def effective(self, meta: Any, c: list[Token | None]) -> ast.Effective:
        start, end = c
        assert start is not None
        return ast.Effective(
            _date(start), _date(end) if end is not None else None, span=_span(meta)
        )

    def timezone(self, meta: Any, c: list[Token]) -> ast.Timezone:
        return ast.Timezone(_string(c[0]), span=_span(meta))

    def workday_ends(self, meta: Any, c: list[Token]) -> ast.WorkdayEnds:
        return ast.WorkdayEnds(_time(c[0]), span=_span(meta))

    def warn(self, meta: Any, c: list[Any]) -> ast.Warn:
        return ast.Warn(c[0], span=_span(meta))

    def consequence(self, meta: Any, c: list[Token]) -> ast.Consequence:
        return ast.Consequence(_string(c[0]), span=_span(meta))

    def applies(self, meta: Any, c: list[Any]) -> ast.AppliesTo:
        return ast.AppliesTo(c[0], span=_span(meta))

    # --------------------------------------------------------------- obligations

    def obligation(self, meta: Any, c: list[Any]) -> ast.Obligation:
        return ast.Obligation(str(c[0]), _string(c[1]), tuple(c[2:]), span=_span(meta))

    def cites(self, meta: Any, c: list[Token]) -> ast.Cites:
        return ast.Cites(_string(c[0]), span=_span(meta))

    def refs(self, meta: Any, c: list[Token]) -> ast.Refs:
        return ast.Refs(tuple(str(t) for t in c), span=_span(meta))

    def severity(self, meta: Any, c: list[Token]) -> ast.SeverityStmt:
        return ast.SeverityStmt(ast.SeverityLevel(str(c[0])), span=_span(meta))

    def per_subject(self, meta: Any, c: list[Any]) -> ast.ForEachSubject:
        return ast.ForEachSubject(str(c[0]), str(c[1]), c[2], span=_span(meta))

    def let_stmt(self, meta: Any, c: list[Any]) -> ast.Let:
        return ast.Let(str(c[0]), c[1], span=_span(meta))

    def require(self, meta: Any, c: list[Any]) -> ast.Require:
        return ast.Require(c[0], span=_span(meta))

    def due(self, meta: Any, c: list[Any]) -> ast.Due:
        return ast.Due(c[0], c[1], span=_span(meta))

    def accept_late(self, meta: Any, c: list[Any]) -> ast.AcceptLate:
        return ast.AcceptLate(span=_span(meta))

    def partial(self, meta: Any, c: list[Token]) -> ast.Partial:
        return ast.Partial(ast.PartialMode(str(c[0])), span=_span(meta))

    def supersedes(self, meta: Any, c: list[Token]) -> ast.Supersedes:
        return ast.Supersedes(str(c[0]), str(c[1]), span=_span(meta))

    def until_superseded(self, meta: Any, c: list[Any]) -> ast.UntilSuperseded:
        return ast.UntilSuperseded(span=_span(meta))

    def once(self, meta: Any, c: list[Any]) -> ast.Once:
        return ast.Once(span=_span(meta))

    def every(self, meta: Any, c: list[Any]) -> ast.Every:
        return ast.Every(c[0], c[1], span=_span(meta))

    def on_each(self, meta: Any, c: list[Any]) -> ast.EachOccurrence:
        return ast.EachOccurrence(c[0], span=_span(meta))

    def for_each(self, meta: Any, c: list[Any]) -> ast.ForEachEvent:
        return ast.ForEachEvent(str(c[0]), c[1], span=_span(meta))

    def unit_day(self, meta: Any, c: list[Any]) -> ast.PeriodUnit:
        return ast.PeriodUnit.DAY

    def unit_working_day(self, meta: Any, c: list[Any]) -> ast.PeriodUnit:
        return ast.PeriodUnit.WORKING_DAY

    def unit_week(self, meta: Any, c: list[Any]) -> ast.PeriodUnit:
        return ast.PeriodUnit.WEEK

    def unit_month(self, meta: Any, c: list[Any]) -> ast.PeriodUnit:
        return ast.PeriodUnit.MONTH

    def unit_quarter(self, meta: Any, c: list[Any]) -> ast.PeriodUnit:
        return ast.PeriodUnit.QUARTER

    def unit_half_year(self, meta: Any, c: list[Any]) -> ast.PeriodUnit:
        return ast.PeriodUnit.HALF_YEAR

    def unit_year(self, meta: Any, c: list[Any]) -> ast.PeriodUnit:
        return ast.PeriodUnit.YEAR

    # --------------------------------------------------------------- patterns

    def pattern_or(self, meta: Any, c: list[Any]) -> ast.AnyOf:
        return ast.AnyOf(tuple(c), span=_span(meta))

    def pat_working_day(self, meta: Any, c: list[Any]) -> ast.WorkingDayPattern:
        return ast.WorkingDayPattern(span=_span(meta))

    def pat_rest_day(self, meta: Any, c: list[Any]) -> ast.RestDayPattern:
        return ast.RestDayPattern(span=_span(meta))

    def pat_holiday(self, meta: Any, c: list[Any]) -> ast.HolidayPattern:
        return ast.HolidayPattern(span=_span(meta))

    def pat_nth_weekday(self, meta: Any, c: list[Token | None]) -> ast.NthWeekday:
        ordinal, weekday, month = c
        assert ordinal is not None and weekday is not None
        return ast.NthWeekday(
            _ordinal(ordinal),
            ast.Weekday(str(weekday)),
            ast.MONTHS.index(str(month)) + 1 if month is not None else None,
            span=_span(meta),
        )

    def pat_month(self, meta: Any, c: list[Token]) -> ast.MonthPattern:
        return ast.MonthPattern(ast.MONTHS.index(str(c[0])) + 1, span=_span(meta))

    def pat_day_of_last_month(self, meta: Any, c: list[Token]) -> ast.DayOfQuarter:
        return ast.DayOfQuarter(self._month_day_number(c[0]), None, span=_span(meta))

    def pat_day_of_quarter_month(self, meta: Any, c: list[Token]) -> ast.DayOfQuarter:
        month = _int(c[1])
        if not 1 <= month <= 3:
            raise _fail(c[1], msg("a quarter has no month {month}",
                                  month=month), "use month 1, 2 or 3")
        return ast.DayOfQuarter(self._month_day_number(c[0]), month, span=_span(meta))

    @staticmethod
    def _month_day_number(token: Token) -> int:
        day = _int(token)
        if not 1 <= day <= 31:
            raise _fail(token, msg("day `{day}` is not a day of a month", day=day), "use 1 … 31")
        return day

    def pat_fixed(self, meta: Any, c: list[Token]) -> ast.FixedDate:
        return ast.FixedDate(*_month_day(c[0]), span=_span(meta))

    def pat_date(self, meta: Any, c: list[Token]) -> ast.ExactDate:
        return ast.ExactDate(_date(c[0]), span=_span(meta))

    def pat_lunar(self, meta: Any, c: list[Token]) -> ast.LunarDate:
        return ast.LunarDate(*_lunar_month_day(c[0]), span=_span(meta))

    def pat_lunar_leap(self, meta: Any, c: list[Token]) -> ast.LunarDate:
        return ast.LunarDate(*_lunar_month_day(c[0]), leap=True, span=_span(meta))

    def pat_term(self, meta: Any, c: list[Token]) -> ast.SolarTerm:
        return ast.SolarTerm(str(c[0]), span=_span(meta))

    def pat_named(self, meta: Any, c: list[Token]) -> ast.NamedPattern:
        return ast.NamedPattern(str(c[0]), span=_span(meta))

    def pat_around(self, meta: Any, c: list[Any]) -> ast.Around:
        return ast.Around(c[0], c[2], span=_span(meta))

    # --------------------------------------------------------------- deadlines

    def due_date_abs(self, meta: Any, c: list[Token]) -> ast.OnDate:
        return ast.OnDate(_date(c[0]), span=_span(meta))

    def due_in_period_year(self, meta: Any, c: list[Token]) -> ast.MonthDayOfPeriod:
        return ast.MonthDayOfPeriod(*_month_day(c[0]), span=_span(meta))

    def due_period_end(self, meta: Any, c: list[Any]) -> ast.PeriodEnd:
        return ast.PeriodEnd(span=_span(meta))

    def due_after(self, meta: Any, c: list[Any]) -> ast.AfterAnchor:
        return ast.AfterAnchor(c[0], c[1], span=_span(meta))

    def due_weekday_after(self, meta: Any, c: list[Any]) -> ast.WeekdayAfter:
        return ast.WeekdayAfter(ast.Weekday(str(c[0])), c[1], span=_span(meta))

    def due_day_of_last_month(self, meta: Any, c: list[Token]) -> ast.DayOfLastMonth:
        day = _int(c[0])
        if not 1 <= day <= 31:
            raise _fail(c[0], msg("day `{day}` is not a day of a month", day=day), "use 1 … 31")
        return ast.DayOfLastMonth(day, span=_span(meta))

    def due_day_of_month(self, meta: Any, c: list[Token]) -> ast.DayOfMonth:
        day, month = _int(c[0]), _int(c[1])
        if not 1 <= day <= 31:
            raise _fail(c[0], msg("day `{day}` is not a day of a month", day=day), "use 1 … 31")
        if not 1 <= month <= 12:
            raise _fail(c[1], msg("month `{month}` of a period is out of range",
                                  month=month), "use 1 … 12")
        return ast.DayOfMonth(day, month, span=_span(meta))

    def anchor_trigger(self, meta: Any, c: list[Any]) -> ast.Anchor:
        return ast.Anchor.TRIGGER

    def anchor_period_end(self, meta: Any, c: list[Any]) -> ast.Anchor:
        return ast.Anchor.PERIOD_END

    def anchor_period_start(self, meta: Any, c: list[Any]) -> ast.Anchor:
        return ast.Anchor.PERIOD_START

    def due_at_time(self, meta: Any, c: list[Token]) -> ast.ClockTime:
        return ast.ClockTime(_time(c[0]), span=_span(meta))

    def due_at_workday_end(self, meta: Any, c: list[Any]) -> ast.WorkdayEnd:
        return ast.WorkdayEnd(span=_span(meta))

    def duration(self, meta: Any, c: list[Token]) -> ast.Duration:
        return ast.Duration(_int(c[0]), _duration_unit(c[1]), span=_span(meta))

    def working_duration(self, meta: Any, c: list[Token]) -> ast.Duration:
        unit = _duration_unit(c[1])
        if unit is not ast.DurationUnit.DAY:
            raise _fail(
                c[1], msg("`working {c}` is not a duration",
                          c=c[1]), "only days can be working days"
            )
        return ast.Duration(_int(c[0]), unit, working=True, span=_span(meta))

    # --------------------------------------------------------------- expressions

    def or_(self, meta: Any, c: list[Any]) -> ast.BoolOp:
        return ast.BoolOp("or", c[0], c[1], span=_span(meta))

    def and_(self, meta: Any, c: list[Any]) -> ast.BoolOp:
        return ast.BoolOp("and", c[0], c[1], span=_span(meta))

    def not_(self, meta: Any, c: list[Any]) -> ast.Not:
        return ast.Not(c[0], span=_span(meta))

    def compare(self, meta: Any, c: list[Any]) -> ast.Compare:
        return ast.Compare(str(c[1]), c[0], c[2], span=_span(meta))

    def between(self, meta: Any, c: list[Any]) -> ast.Between:
        return ast.Between(c[0], c[1], c[2], span=_span(meta))

    def in_(self, meta: Any, c: list[Any]) -> ast.In:
        return ast.In(c[0], c[1], span=_span(meta))

    def not_in(self, meta: Any, c: list[Any]) -> ast.In:
        return ast.In(c[0], c[1], negated=True, span=_span(meta))

    def on_pattern(self, meta: Any, c: list[Any]) -> ast.OnPattern:
        return ast.OnPattern(c[0], c[1], span=_span(meta))

    def during(self, meta: Any, c: list[Any]) -> ast.During:
        return ast.During(c[0], _time(c[1]), _time(c[2]), span=_span(meta))

    def is_set(self, meta: Any, c: list[Any]) -> ast.IsSet:
        return ast.IsSet(c[0], span=_span(meta))

    def is_not_set(self, meta: Any, c: list[Any]) -> ast.IsSet:
        return ast.IsSet(c[0], negated=True, span=_span(meta))

    def arith(self, meta: Any, c: list[Any]) -> ast.Arithmetic:
        return ast.Arithmetic(str(c[1]), c[0], c[2], span=_span(meta))

    def neg(self, meta: Any, c: list[Any]) -> ast.Negate:
        return ast.Negate(c[0], span=_span(meta))

    def attribute(self, meta: Any, c: list[Any]) -> ast.Attribute:
        return ast.Attribute(c[0], str(c[1]), span=_span(meta))

    def per_period(self, meta: Any, c: list[Any]) -> ast.Grouped:
        group = ast.PeriodGroup(c[1], span=_span(meta))
        return ast.Grouped(c[0], group, span=_span(meta))

    def per_member(self, meta: Any, c: list[Any]) -> ast.Grouped:
        group = ast.MemberGroup(str(c[1]), c[2], span=_span(meta))
        return ast.Grouped(c[0], group, span=_span(meta))

    def int_lit(self, meta: Any, c: list[Token]) -> ast.IntLit:
        return ast.IntLit(_int(c[0]), span=_span(meta))

    def decimal_lit(self, meta: Any, c: list[Token]) -> ast.DecimalLit:
        return ast.DecimalLit(_decimal(c[0]), span=_span(meta))

    def percent_lit(self, meta: Any, c: list[Token]) -> ast.PercentLit:
        return ast.PercentLit(_decimal(c[0], str(c[0])[:-1]), span=_span(meta))

    def percent_of(self, meta: Any, c: list[Any]) -> ast.PercentOf:
        return ast.PercentOf(_decimal(c[0], str(c[0])[:-1]), c[1], span=_span(meta))

    def string_lit(self, meta: Any, c: list[Token]) -> ast.StringLit:
        return ast.StringLit(_string(c[0]), span=_span(meta))

    def true_lit(self, meta: Any, c: list[Any]) -> ast.BoolLit:
        return ast.BoolLit(True, span=_span(meta))

    def false_lit(self, meta: Any, c: list[Any]) -> ast.BoolLit:
        return ast.BoolLit(False, span=_span(meta))

    def date_lit(self, meta: Any, c: list[Token]) -> ast.DateLit:
        return ast.DateLit(_date(c[0]), span=_span(meta))

    def list_lit(self, meta: Any, c: list[Any]) -> ast.ListLit:
        return ast.ListLit(tuple(x for x in c if x is not None), span=_span(meta))

    def name(self, meta: Any, c: list[Token]) -> ast.Name:
        return ast.Name(str(c[0]), span=_span(meta))

    def band_call(self, meta: Any, c: list[Any]) -> ast.BandCall:
        return ast.BandCall(str(c[0]), c[1], span=_span(meta))

    def ctx_unit(self, meta: Any, c: list[Any]) -> ast.Context:
        return ast.Context(ast.ContextName.UNIT, span=_span(meta))

    def ctx_trigger(self, meta: Any, c: list[Any]) -> ast.Context:
        return ast.Context(ast.ContextName.TRIGGER, span=_span(meta))

    def ctx_subject(self, meta: Any, c: list[Any]) -> ast.Context:
        return ast.Context(ast.ContextName.SUBJECT, span=_span(meta))

    def ctx_window(self, meta: Any, c: list[Any]) -> ast.Context:
        return ast.Context(ast.ContextName.WINDOW, span=_span(meta))

    def call(self, meta: Any, c: list[Any]) -> ast.Call:
        return ast.Call(str(c[0]), tuple(x for x in c[1:] if x is not None), span=_span(meta))

    def quantifier(self, meta: Any, c: list[Any]) -> ast.Quantifier:
        return ast.Quantifier(str(c[0]), str(c[1]), c[2], c[3], span=_span(meta))

    def aggregate_of(self, meta: Any, c: list[Any]) -> ast.Aggregate:
        return ast.Aggregate(str(c[0]), c[1], span=_span(meta))

    def aggregate_grouped_period(self, meta: Any, c: list[Any]) -> ast.Aggregate:
        inner: ast.Aggregate = c[1]
        group = ast.PeriodGroup(c[2], span=_span(meta))
        grouped = ast.Grouped(inner, group, span=_span(meta))
        return ast.Aggregate(str(c[0]), grouped, span=_span(meta))

    def aggregate_grouped_member(self, meta: Any, c: list[Any]) -> ast.Aggregate:
        group = ast.MemberGroup(str(c[2]), c[3], span=_span(meta))
        grouped = ast.Grouped(c[1], group, span=_span(meta))
        return ast.Aggregate(str(c[0]), grouped, span=_span(meta))

    def distinct_values(self, meta: Any, c: list[Any]) -> ast.Selection:
        scope = c[2] if c[2] is not None else ast.EventScope.OWN
        return ast.Selection(str(c[1]), str(c[0]), True, c[3], scope, span=_span(meta))

    def selection(self, meta: Any, c: list[Any]) -> ast.Selection:
        kind, field, distinct = c[0]
        scope = c[1] if c[1] is not None else ast.EventScope.OWN
        return ast.Selection(kind, field, distinct, c[2], scope, span=_span(meta))

    def from_area(self, meta: Any, c: list[Any]) -> ast.EventScope:
        return ast.EventScope.AREA

    def from_all_units(self, meta: Any, c: list[Any]) -> ast.EventScope:
        return ast.EventScope.ALL_UNITS

    def source_kind(self, meta: Any, c: list[Token]) -> tuple[str, str | None, bool]:
        return str(c[0]), None, False

    def source_distinct(self, meta: Any, c: list[Token]) -> tuple[str, str | None, bool]:
        return str(c[1]), str(c[0]), True

    def source_field(self, meta: Any, c: list[Token]) -> tuple[str, str | None, bool]:
        return str(c[1]), str(c[0]), False


_parser_lock = threading.Lock()
_parser: Lark | None = None


def _on_comment(token: Token) -> None:
    _state.comments.append(token)


def _get_parser() -> Lark:
    global _parser
    with _parser_lock:
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


# ----------------------------------------------------------------------------- errors

_TERMINAL_WORDS = {
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


def _describe_expected(parser: Lark, names: set[str]) -> list[str]:
    by_name = {t.name: t for t in parser.terminals}
    words: set[str] = set()
    for name in names:
        if name in _TERMINAL_WORDS:
            words.add(_TERMINAL_WORDS[name])
        elif name in by_name and isinstance(by_name[name].pattern, PatternStr):
            words.add(f"`{by_name[name].pattern.value}`")
    return sorted(words, key=lambda w: (not w.startswith("`"), w))


def _expected_hint(parser: Lark, names: set[str]) -> str | None:
    words = _describe_expected(parser, names)
    if not words:
        return None
    if len(words) > 10:
        words = [*words[:10], "…"]
    return msg("expected {words}", words=Listing(words))


def _show_char(char: str) -> str:
    if char.isprintable() and not char.isspace():
        return f"`{char}`"
    return f"U+{ord(char):04X}"


def _syntax_diagnostic(error: UnexpectedInput, source: SourceText, parser: Lark) -> Diagnostic:
    if isinstance(error, UnexpectedCharacters):
        position = error.pos_in_stream or 0
        char = source.text[position] if position < len(source.text) else ""
        span = source.span_at(position, 1)
        hint = _expected_hint(parser, set(error.allowed or ()))
        if char == '"':
            return Diagnostic("unterminated string", span, "close it with `\"` on the same line")
        if not char.isprintable() and not char.isspace():
            return Diagnostic(
                msg("unexpected control character {char}", char=_show_char(char)),
                span,
                "a policy is text; is this a binary file?",
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
        return Diagnostic("unexpected end of file", span, _expected_hint(parser, expected),
                          code="syntax")
    if isinstance(error, UnexpectedToken):
        token = error.token
        span = _token_span(token)
        return Diagnostic(
            msg("unexpected `{clip}`", clip=_clip(str(token), 40)),
            span,
            _expected_hint(parser, set(error.expected)),
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


def _precheck(source: SourceText) -> Diagnostic | None:
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
    return None


def _find_too_deep(tree: ast.PolicyFile) -> Diagnostic:
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


# ----------------------------------------------------------------------------- comments


def _attach_comments(tree: ast.PolicyFile, comments: list[Token]) -> ast.PolicyFile:
    from policyrules.syntax import comments as attach  # a stage helper kept apart for clarity

    return attach.attach(tree, comments)


# ----------------------------------------------------------------------------- entry points


def parse(text: str, file: str = "<string>") -> ast.PolicyFile:
    """Parse policy source text into a :class:`~policyrules.syntax.ast.PolicyFile`.

    Raises :class:`~policyrules.diagnostics.errors.PolicySyntaxError` with a diagnostic
    pointing at the first problem.
    """
    source = SourceText(file, text)
    problem = _precheck(source)
    if problem is not None:
        raise PolicySyntaxError([problem], {file: source})
    parser = _get_parser()
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
    with _parser_lock:
        _state.file = file
        _state.comments = []
        try:
            tree, depth = _Builder().build(parser.parse(text))
        except UnexpectedInput as error:
            raise PolicySyntaxError(
                [_syntax_diagnostic(error, source, parser)], {file: source}
            ) from None
        except _Failure as failure:
            raise PolicySyntaxError([failure.diagnostic], {file: source}) from None
        comments = list(_state.comments)
    assert isinstance(tree, ast.PolicyFile)
    if depth > MAX_DEPTH:
        too_deep = _find_too_deep(tree)
        raise PolicySyntaxError([too_deep], {file: source})
    return _attach_comments(tree, comments)


def parse_expression(text: str) -> ast.Expr:
    """Parse a single expression (handy in tests and notebooks)."""
    tree = parse(f"let __expression__ = {text}\n")
    item = tree.items[0]
    assert isinstance(item, ast.LetDef)
    return item.value



