"""Strategies for the leaves of syntax trees — names, literals, comments, durations — and
for calendar patterns and expressions built of them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar, cast

from hypothesis import strategies as st

from policyrules.calendar.moments import LAST_INSTANT
from policyrules.syntax import ast
from policyrules.syntax.limits import MAX_DURATION

ItemT = TypeVar("ItemT", bound=ast.Item)
T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


def _cached(function: F) -> F:
    """Build each strategy once: building them is what takes Hypothesis the longest."""
    return cast(F, functools.cache(function))


#: Every word the grammar gives a meaning to: its string literals and the words its keyword
#: terminals (``AGGREGATE``, ``WEEKDAY``, ``DURATION_UNIT``, …) match.
KEYWORDS: tuple[str, ...] = (
    "accept", "advisory", "after", "all", "and", "any", "applies", "april", "area", "at", "august",
    "avg", "band", "before", "between", "bool", "cites", "consequence", "count", "counts", "date",
    "datetime", "day", "days", "december", "distinct", "document", "down", "due", "during", "each",
    "effective", "end", "ends", "event", "every", "exists", "false", "february", "festival", "for",
    "friday", "from", "half", "holiday", "hour", "hours", "import", "in", "int", "is", "issued",
    "issuer", "january", "july", "june", "last", "late", "latest", "leap", "len", "let", "list",
    "lower", "lunar", "march", "max", "may", "min", "monday", "month", "must", "nearest", "not",
    "november", "number", "obligation", "october", "of", "on", "once", "one", "or", "partial",
    "per", "period", "periods", "policy", "prorate", "quarter", "refs", "require", "rest", "round",
    "saturday", "september", "set", "severity", "skip", "start", "stock", "string", "subject",
    "sum", "sunday", "superseded", "supersedes", "term", "thursday", "timezone", "to", "trigger",
    "true", "tuesday", "unit", "units", "until", "up", "warn", "wednesday", "week", "weeks",
    "where", "whole", "window", "workday", "working", "year",
)  # fmt: skip

#: Keywords the grammar never takes where a name may stand, so they are names there: the
#: contextual lexer keeps `trigger.at`, `hours >= 1` and `period == window.label` working.
NAME_LIKE_KEYWORDS: tuple[str, ...] = ("at", "end", "hours", "period", "start")

#: Names usable wherever the grammar takes a name. None is a keyword but those above; some
#: start like one (`ordered`, `days_late`) to check that the lexer reads whole words.
SAFE_NAMES: tuple[str, ...] = (
    *NAME_LIKE_KEYWORDS,
    "x",
    "x_1",
    "_tmp",
    "a2",
    "photo_mb",
    "party_member",
    "staff",
    "label",
    "theme",
    "core_themes",
    "activity",
    "registration",
    "person",
    "yz_headcount",
    "ordered",
    "notes",
    "island",
    "indoor",
    "online",
    "days_late",
    "monthly",
    "counted",
    "all_done",
    "Latest",
    "中元节",
    "参与人数",
    "活动",
    "志愿者",
    "时长",
    "清明",
    "文明单位",
    "党员",
)

_CHINESE_COMMENTS = (
    "渝中区教工委 2019",
    "每次不少于1小时",
    "第三条：每季度至少开展一次志愿服务活动",
    "注意 # 号也是注释的一部分",
    "TODO: 核对文号",
    "",
)

_MAX_INT = 10**15 - 1  # the parser refuses integers of more than 15 digits
_END_OF_DAY = LAST_INSTANT  # what `24:00` parses to


# ----------------------------------------------------------------------------- leaves


@_cached
def names() -> st.SearchStrategy[str]:
    """A name that no context reads as a keyword: one of :data:`SAFE_NAMES`."""
    return st.sampled_from(SAFE_NAMES)


@_cached
def _free_names() -> st.SearchStrategy[str]:
    """A name where the grammar accepts nothing but a name (after `policy`, `let`, `.`, …):
    the contextual lexer reads any word there as a name, keywords included."""
    return st.sampled_from(SAFE_NAMES + KEYWORDS)


@_cached
def comment_texts() -> st.SearchStrategy[str]:
    """The text of a comment as the parser gives it: no `#`, stripped, on one line."""
    return st.one_of(
        st.sampled_from(_CHINESE_COMMENTS),
        st.text(st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp")), max_size=20).map(
            str.strip
        ),
    )


@_cached
def _comment_lists() -> st.SearchStrategy[tuple[str, ...]]:
    return st.one_of(st.just(()), st.lists(comment_texts(), min_size=1, max_size=2).map(tuple))


@_cached
def _trailing() -> st.SearchStrategy[str | None]:
    return st.none() | comment_texts()


def _with_comments(item: ItemT, comments: tuple[str, ...], trailing: str | None) -> ItemT:
    return dataclasses.replace(item, comments=comments, trailing=trailing)


def _commented(items: st.SearchStrategy[ItemT]) -> st.SearchStrategy[ItemT]:
    """`items` with leading and trailing comments drawn for them."""
    return st.builds(_with_comments, items, _comment_lists(), _trailing())


@_cached
def _strings() -> st.SearchStrategy[str]:
    """String literal values: anything but lone surrogates; quotes, backslashes, tabs and
    line breaks are written escaped."""
    return st.one_of(
        st.sampled_from(("", "关于进一步加强志愿服务的通知", 'say "hi"', "a\\b", "a\nb\tc")),
        # no control characters: the parser refuses them (tabs and line breaks are above)
        st.text(st.characters(exclude_categories=["Cs", "Cc"]), max_size=12),
    )


@_cached
def _ints() -> st.SearchStrategy[int]:
    return st.one_of(st.integers(0, 100), st.integers(0, _MAX_INT))


@_cached
def _decimals() -> st.SearchStrategy[Decimal]:
    """Non-negative decimals of at most 15 digits before the point."""
    return st.builds(
        lambda digits, places: Decimal(digits).scaleb(-places),
        st.one_of(st.integers(0, 10_000), st.integers(0, _MAX_INT)),
        st.integers(0, 4),
    )


@_cached
def _dates() -> st.SearchStrategy[dt.date]:
    return st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))


@_cached
def _times() -> st.SearchStrategy[dt.time]:
    return st.one_of(
        st.builds(dt.time, st.integers(0, 23), st.integers(0, 59)), st.just(_END_OF_DAY)
    )


@_cached
def _month_days() -> st.SearchStrategy[tuple[int, int]]:
    """A day of the year (2000 is a leap year, so 02-29 is one)."""
    return st.dates(dt.date(2000, 1, 1), dt.date(2000, 12, 31)).map(lambda d: (d.month, d.day))


@_cached
def _ordinals() -> st.SearchStrategy[int]:
    return st.sampled_from((1, 2, 3, 4, 5, -1))


@_cached
def _months() -> st.SearchStrategy[int]:
    return st.integers(1, 12)


@_cached
def durations() -> st.SearchStrategy[ast.Duration]:
    """`3 days`, `1 week`, `2 working days`, `24 hours`: only days can be working days, and
    none longer than the parser's :data:`~policyrules.syntax.limits.MAX_DURATION`."""

    def amounts(unit: ast.DurationUnit) -> st.SearchStrategy[int]:
        return st.one_of(st.integers(0, 100), st.integers(0, MAX_DURATION[unit]))

    return st.one_of(
        st.sampled_from(ast.DurationUnit).flatmap(
            lambda unit: st.builds(ast.Duration, amounts(unit), st.just(unit))
        ),
        st.builds(ast.Duration, amounts(ast.DurationUnit.DAY), st.just(ast.DurationUnit.DAY),
                  st.just(True)),
    )


# ----------------------------------------------------------------------------- calendar


@_cached
def _pattern_atoms() -> st.SearchStrategy[ast.Pattern]:
    return st.one_of(
        st.just(ast.WorkingDayPattern()),
        st.just(ast.RestDayPattern()),
        st.just(ast.HolidayPattern()),
        st.builds(ast.NthWeekday, _ordinals(), st.sampled_from(ast.Weekday)),
        st.builds(ast.NthWeekday, _ordinals(), st.sampled_from(ast.Weekday), _months()),
        st.builds(ast.MonthPattern, _months()),
        st.builds(ast.DayOfQuarter, st.integers(1, 31)),
        st.builds(ast.DayOfQuarter, st.integers(1, 31), st.integers(1, 3)),
        _month_days().map(lambda md: ast.FixedDate(*md)),
        st.builds(ast.ExactDate, _dates()),
        st.builds(ast.LunarDate, _months(), st.integers(1, 30), st.booleans()),
        st.builds(ast.SolarTerm, _free_names()),
        st.builds(ast.NamedPattern, names()),
    )


def _pattern_nodes(
    children: st.SearchStrategy[ast.Pattern],
) -> st.SearchStrategy[ast.Pattern]:
    return st.one_of(
        st.builds(ast.Around, children, durations()),
        st.lists(
            children.filter(lambda p: not isinstance(p, ast.AnyOf)), min_size=2, max_size=3
        ).map(lambda options: ast.AnyOf(tuple(options))),
    )


@_cached
def patterns(max_leaves: int = 4) -> st.SearchStrategy[ast.Pattern]:
    """Calendar patterns: `2nd saturday`, `07-01 ± 15 days`, `清明 or lunar 07-15`, …"""
    return st.recursive(_pattern_atoms(), _pattern_nodes, max_leaves=max_leaves)


@_cached
def date_rules(max_leaves: int = 3) -> st.SearchStrategy[ast.DateRule]:
    """A festival's rule: a day of the year, a lunar date (leap month too), a solar term,
    an n-th weekday of a month, or such a rule shifted: `1 day before lunar 01-01`."""
    base: st.SearchStrategy[ast.DateRule] = st.one_of(
        _month_days().map(lambda md: ast.FixedDate(*md)),
        st.builds(ast.LunarDate, _months(), st.integers(1, 30), st.booleans()),
        st.builds(ast.SolarTerm, _free_names()),
        st.builds(ast.NthWeekday, _ordinals(), st.sampled_from(ast.Weekday), _months()),
    )

    def shifted(rules: st.SearchStrategy[ast.DateRule]) -> st.SearchStrategy[ast.DateRule]:
        return st.builds(ast.DateOffset, durations(), st.booleans(), rules)

    return st.recursive(base, shifted, max_leaves=max_leaves)


# ----------------------------------------------------------------------------- expressions

_AGGREGATES = ("count", "sum", "avg", "min", "max", "latest", "exists")


def _selections(
    where: st.SearchStrategy[ast.Expr | None],
) -> st.SearchStrategy[ast.Selection]:
    """What an aggregate ranges over: `kind`, `field of kind`, `distinct field of kind`, each
    maybe `from area` or `from all units`."""
    scopes = st.sampled_from(ast.EventScope)
    return st.one_of(
        st.builds(ast.Selection, names(), st.none(), st.just(False), where, scopes),
        st.builds(ast.Selection, _free_names(), names(), st.just(False), where, scopes),
        st.builds(ast.Selection, _free_names(), _free_names(), st.just(True), where, scopes),
    )


def _groups(
    members: st.SearchStrategy[ast.Expr],
) -> st.SearchStrategy[ast.PeriodGroup | ast.MemberGroup]:
    return st.one_of(
        st.builds(ast.PeriodGroup, st.sampled_from(ast.PeriodUnit)),
        st.builds(ast.MemberGroup, names(), members),
    )


def _groupeds(children: st.SearchStrategy[ast.Expr]) -> st.SearchStrategy[ast.Grouped]:
    """`count(activity) per month`: an aggregate of a selection, per group."""
    where = st.none() | children
    inner = st.builds(ast.Aggregate, st.sampled_from(_AGGREGATES), _selections(where))
    return st.builds(ast.Grouped, inner, _groups(children))


def _aggregates(children: st.SearchStrategy[ast.Expr]) -> st.SearchStrategy[ast.Aggregate]:
    where = st.none() | children
    source: st.SearchStrategy[ast.Selection | ast.Grouped] = st.one_of(
        _selections(where), _groupeds(children)
    )
    return st.builds(ast.Aggregate, st.sampled_from(_AGGREGATES), source)


def _distinct_values(
    where: st.SearchStrategy[ast.Expr | None],
) -> st.SearchStrategy[ast.Selection]:
    """`distinct(person of registration where …)`: a selection standing alone."""
    scopes = st.sampled_from(ast.EventScope)
    return st.builds(ast.Selection, _free_names(), _free_names(), st.just(True), where, scopes)


@_cached
def _expression_leaves() -> st.SearchStrategy[ast.Expr]:
    return st.one_of(
        st.builds(ast.IntLit, _ints()),
        st.builds(ast.DecimalLit, _decimals()),
        st.builds(ast.PercentLit, _decimals()),
        st.builds(ast.StringLit, _strings()),
        st.builds(ast.BoolLit, st.booleans()),
        st.builds(ast.DateLit, _dates()),
        st.builds(ast.Name, names()),
        st.builds(ast.Context, st.sampled_from(ast.ContextName)),
    )


def _expression_nodes(children: st.SearchStrategy[ast.Expr]) -> st.SearchStrategy[ast.Expr]:
    e = children
    return st.one_of(
        st.lists(e, max_size=3).map(lambda items: ast.ListLit(tuple(items))),
        st.builds(ast.Attribute, e, _free_names()),
        st.builds(ast.BandCall, names(), e),
        st.builds(ast.Call, st.sampled_from(("len", "lower")), st.lists(e, max_size=2).map(tuple)),
        st.builds(ast.Quantifier, st.sampled_from(("all", "any")), _free_names(), e, e),
        st.builds(ast.PercentOf, _decimals(), e),
        st.builds(ast.Negate, e),
        st.builds(ast.Not, e),
        st.builds(ast.Arithmetic, st.sampled_from(("+", "-", "*", "/")), e, e),
        st.builds(ast.BoolOp, st.sampled_from(("and", "or")), e, e),
        st.builds(ast.Compare, st.sampled_from(("==", "!=", "<", "<=", ">", ">=")), e, e),
        st.builds(ast.Between, e, e, e),
        st.builds(ast.In, e, e, st.booleans()),
        st.builds(ast.OnPattern, e, patterns(max_leaves=3)),
        st.builds(ast.During, e, _times(), _times()),
        st.builds(ast.IsSet, e, st.booleans()),
        _aggregates(e),
        _groupeds(e),
        _distinct_values(st.none() | e),
    )


@_cached
def expressions(max_leaves: int = 8) -> st.SearchStrategy[ast.Expr]:
    """Expressions of every kind, with at most `max_leaves` leaves."""
    return st.recursive(_expression_leaves(), _expression_nodes, max_leaves=max_leaves)


@_cached
def operator_expressions(max_leaves: int = 12) -> st.SearchStrategy[ast.Expr]:
    """Operators only, over names and small numbers: where precedence and parentheses
    matter, drawn far more densely than among all the kinds of :func:`expressions`."""
    leaves = st.one_of(st.builds(ast.Name, names()), st.builds(ast.IntLit, st.integers(0, 9)))

    def operators(e: st.SearchStrategy[ast.Expr]) -> st.SearchStrategy[ast.Expr]:
        # one branch per binary operator, so that operators often nest in operators
        binary = [
            *(st.builds(ast.Arithmetic, st.just(op), e, e) for op in ("+", "-", "*", "/")),
            *(st.builds(ast.BoolOp, st.just(op), e, e) for op in ("and", "or")),
            *(st.builds(ast.Compare, st.just(op), e, e) for op in ("==", "<")),
        ]
        return st.one_of(
            *binary,
            st.builds(ast.Not, e),
            st.builds(ast.Negate, e),
            st.builds(ast.Between, e, e, e),
            st.builds(ast.In, e, e, st.booleans()),
            st.builds(ast.IsSet, e, st.booleans()),
            st.builds(ast.PercentOf, st.just(Decimal(10)), e),
            st.builds(ast.Attribute, e, names()),
        )

    return st.recursive(leaves, operators, max_leaves=max_leaves)


@_cached
def _maybe_where(max_leaves: int) -> st.SearchStrategy[ast.Expr | None]:
    return st.none() | expressions(max_leaves)


