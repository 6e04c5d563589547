"""Hypothesis strategies that generate random, syntactically valid syntax trees.

Every tree drawn from these strategies is one the parser can produce: formatting it with
:func:`policyrules.syntax.formatter.format_policy` gives text that the grammar accepts and
that parses back to an equal tree. The strategies respect the shape of the grammar
(``grammar/policy.lark``) and the checks the parser makes on literals:

* names come from a pool of safe identifiers, ASCII and Chinese, no keyword among them but
  the few the grammar never takes where a name may stand (``hours``, ``period``, ``at``, …).
  Where the grammar accepts nothing but a name (after ``policy``, ``let``, ``supersedes``, a
  ``.``, …) the contextual lexer reads any word as a name, so there keywords are drawn too;
* integers have at most 15 digits, decimals and percentages are never negative, dates are real
  dates, days of the year exist in a leap year, lunar dates have months 1–12 and days 1–30,
  ordinals are 1–5 or ``last`` and only days can be working days;
* an aggregate ranges over a selection or over the groups of an aggregate of a selection; a
  selection standing alone as an expression is ``distinct(field of kind)``; a pattern union
  has two options or more, none of them a union; a festival's rule is a day of the year, a
  lunar date (leap or not), a solar term, an n-th weekday of a month, or such a rule shifted;
  a `one of` type lists one string or more.

Comments are drawn for every item (leading and trailing) and every block (end comments); they
are stripped and hold no line break, as the parser gives them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar, cast

from hypothesis import strategies as st

from policyrules.syntax import ast
from policyrules.syntax.formatter import format_policy
from policyrules.syntax.limits import MAX_DURATION

__all__ = [
    "KEYWORDS",
    "NAME_LIKE_KEYWORDS",
    "SAFE_NAMES",
    "comment_texts",
    "date_rules",
    "due_dates",
    "durations",
    "expressions",
    "formatted_policies",
    "names",
    "operator_expressions",
    "patterns",
    "policies",
    "policy_files",
    "statements",
    "type_exprs",
]

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
_END_OF_DAY = dt.time(23, 59, 59, 999999)  # what `24:00` parses to


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
        st.builds(ast.LunarDate, _months(), st.integers(1, 30)),
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


# ----------------------------------------------------------------------------- types


@_cached
def type_exprs() -> st.SearchStrategy[ast.TypeExpr]:
    scalars = st.builds(
        ast.ScalarType,
        st.sampled_from(("int", "number", "string", "bool", "date", "datetime", "festival")),
    )
    enums = st.lists(_strings(), min_size=1, max_size=3).map(lambda v: ast.EnumType(tuple(v)))

    def lists(items: st.SearchStrategy[ast.TypeExpr]) -> st.SearchStrategy[ast.TypeExpr]:
        return st.builds(ast.ListType, items)

    return st.recursive(st.one_of(scalars, enums), lists, max_leaves=3)


@_cached
def _field_lists() -> st.SearchStrategy[tuple[ast.FieldDecl, ...]]:
    """The fields of an event or of `units`."""
    field = _commented(st.builds(ast.FieldDecl, _free_names(), type_exprs()))
    return st.lists(field, max_size=4).map(tuple)


# ----------------------------------------------------------------------------- deadlines

_ANCHORS = st.sampled_from(ast.Anchor)


@_cached
def due_dates() -> st.SearchStrategy[ast.DueDate]:
    return st.one_of(
        st.builds(ast.OnDate, _dates()),
        _month_days().map(lambda md: ast.MonthDayOfPeriod(*md)),
        st.just(ast.PeriodEnd()),
        st.builds(ast.AfterAnchor, durations(), _ANCHORS),
        st.builds(ast.WeekdayAfter, st.sampled_from(ast.Weekday), _ANCHORS),
        st.builds(ast.DayOfLastMonth, st.integers(1, 31)),
        st.builds(ast.DayOfMonth, st.integers(1, 31), st.integers(1, 12)),
    )


@_cached
def _due_times() -> st.SearchStrategy[ast.DueTime | None]:
    return st.one_of(st.none(), st.builds(ast.ClockTime, _times()), st.just(ast.WorkdayEnd()))


# ----------------------------------------------------------------------------- statements


@_cached
def _refs() -> st.SearchStrategy[str]:
    return st.from_regex(r"[A-Z][A-Z0-9]{0,7}-[0-9]{1,4}[a-z]?", fullmatch=True)


@_cached
def _effectives() -> st.SearchStrategy[ast.Effective]:
    return st.builds(ast.Effective, _dates(), st.none() | _dates())


@_cached
def _schedules(max_leaves: int) -> st.SearchStrategy[ast.Statement]:
    where = _maybe_where(max_leaves)
    return st.one_of(
        st.just(ast.Once()),
        st.builds(ast.Every, st.sampled_from(ast.PeriodUnit)),
        st.builds(ast.Every, st.sampled_from(ast.PeriodUnit), patterns(6)),
        st.builds(ast.EachOccurrence, patterns(6)),
        st.builds(ast.ForEachEvent, _free_names(), where),
    )


@_cached
def _dues() -> st.SearchStrategy[ast.Statement]:
    return st.builds(ast.Due, due_dates(), _due_times())


@_cached
def statements(max_leaves: int = 6) -> st.SearchStrategy[ast.Statement]:
    """Any statement of an obligation, schedules included, with comments."""
    e = expressions(max_leaves)
    statement: st.SearchStrategy[ast.Statement] = st.one_of(
        st.builds(ast.Cites, _strings()),
        st.lists(_refs(), min_size=1, max_size=3).map(lambda labels: ast.Refs(tuple(labels))),
        st.builds(ast.SeverityStmt, st.sampled_from(ast.SeverityLevel)),
        st.builds(ast.AppliesTo, e),
        st.builds(ast.ForEachSubject, _free_names(), _free_names(), _maybe_where(max_leaves)),
        _schedules(max_leaves),
        _effectives(),
        st.builds(ast.Let, _free_names(), e),
        st.builds(ast.Require, e),
        _dues(),
        st.builds(ast.Warn, durations()),
        st.just(ast.AcceptLate()),
        st.builds(ast.Partial, st.sampled_from(ast.PartialMode)),
        st.builds(ast.Consequence, _strings()),
        st.builds(ast.Supersedes, _free_names(), _free_names()),
        st.just(ast.UntilSuperseded()),
    )
    return _commented(statement)


@st.composite
def _interleaved(
    draw: st.DrawFn, base: st.SearchStrategy[list[T]], *extras: st.SearchStrategy[T]
) -> tuple[T, ...]:
    """A list drawn from `base`, with maybe one of each of `extras` put in anywhere."""
    items = draw(base)
    for extra in extras:
        if draw(st.booleans()):
            items.insert(draw(st.integers(0, len(items))), draw(extra))
    return tuple(items)


@_cached
def _obligations(max_leaves: int) -> st.SearchStrategy[ast.Obligation]:
    # Most obligations have a schedule, a requirement and a deadline: draw them more often.
    body = _interleaved(
        st.lists(statements(max_leaves), max_size=6),
        _commented(_schedules(max_leaves)),
        _commented(st.builds(ast.Require, expressions(max_leaves))),
        _commented(_dues()),
    )
    obligation = st.builds(
        ast.Obligation, _free_names(), _strings(), body, end_comments=_comment_lists()
    )
    return _commented(obligation)


@_cached
def _policy_metadata(max_leaves: int) -> tuple[st.SearchStrategy[ast.PolicyItem], ...]:
    return (
        st.builds(ast.Issuer, _strings()),
        st.builds(ast.Document, _strings()),
        st.builds(ast.Issued, _dates()),
        _effectives(),
        st.builds(ast.Timezone, _strings()),
        st.builds(ast.WorkdayEnds, _times()),
        st.builds(ast.Warn, durations()),
        st.builds(ast.Consequence, _strings()),
        st.builds(ast.AppliesTo, expressions(max_leaves)),
    )


@_cached
def policies(max_leaves: int = 6) -> st.SearchStrategy[ast.Policy]:
    """A policy: metadata and obligations, in any order, with comments."""
    metadata = _policy_metadata(max_leaves)
    any_item = st.one_of(_commented(st.one_of(metadata)), _obligations(max_leaves))
    body = _interleaved(
        st.lists(any_item, max_size=3),
        *(_commented(item) for item in metadata),
        _obligations(max_leaves),
        _obligations(max_leaves),
    )
    policy = st.builds(ast.Policy, _free_names(), _strings(), body, end_comments=_comment_lists())
    return _commented(policy)


# ----------------------------------------------------------------------------- file level


@_cached
def _band_rows() -> st.SearchStrategy[ast.BandRow]:
    value: st.SearchStrategy[ast.BandAbsolute | ast.BandPercent] = st.one_of(
        st.builds(ast.BandAbsolute, _decimals()),
        st.builds(ast.BandPercent, _decimals(), st.none() | st.sampled_from(ast.Rounding)),
    )
    bounds = st.one_of(
        st.tuples(_ints(), _ints()),
        st.tuples(st.none(), _ints()),
        st.tuples(_ints(), st.none()),
    )
    row = st.builds(lambda b, v: ast.BandRow(b[0], b[1], v), bounds, value)
    return _commented(row)


@_cached
def _file_items(max_leaves: int) -> st.SearchStrategy[ast.FileItem]:
    item: st.SearchStrategy[ast.FileItem] = st.one_of(
        st.builds(ast.Import, _strings()),
        st.builds(
            ast.SetDef,
            _free_names(),
            st.lists(expressions(max_leaves), max_size=8).map(lambda m: ast.ListLit(tuple(m))),
        ),
        st.builds(
            ast.BandDef,
            _free_names(),
            st.lists(_band_rows(), max_size=4).map(tuple),
            end_comments=_comment_lists(),
        ),
        st.builds(ast.FestivalDef, _free_names(), st.none() | _strings(), date_rules()),
        st.builds(
            ast.EventDef,
            _free_names(),
            _field_lists(),
            stock=st.booleans(),
            counts_for=st.none() | _free_names(),
            end_comments=_comment_lists(),
        ),
        st.builds(
            ast.UnitsDef,
            _field_lists(),
            end_comments=_comment_lists(),
        ),
        st.builds(ast.LetDef, _free_names(), expressions(max_leaves)),
    )
    return _commented(item)


@st.composite
def _files(
    draw: st.DrawFn,
    items: st.SearchStrategy[list[ast.FileItem]],
    policy: st.SearchStrategy[ast.Policy | None],
) -> ast.PolicyFile:
    drawn = draw(items)
    the_policy = draw(policy)
    if the_policy is not None:
        drawn.insert(draw(st.integers(0, len(drawn))), the_policy)
    return ast.PolicyFile(tuple(drawn), draw(_comment_lists()))


@_cached
def policy_files(max_leaves: int = 6) -> st.SearchStrategy[ast.PolicyFile]:
    """Whole policy files: imports, sets, bands, festivals, event and unit declarations,
    lets and at most one policy, with comments everywhere comments are kept."""
    items = st.lists(_file_items(max_leaves), max_size=6)
    return _files(items, st.none() | policies(max_leaves))


@_cached
def formatted_policies(max_leaves: int = 6) -> st.SearchStrategy[str]:
    """The canonical text of random policy files."""
    return policy_files(max_leaves).map(format_policy)
