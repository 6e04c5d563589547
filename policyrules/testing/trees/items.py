"""Strategies for the items of syntax trees built on expressions: types, deadlines,
statements, obligations, policies, whole files and their formatted text."""

from __future__ import annotations

from hypothesis import strategies as st

from policyrules.syntax import ast
from policyrules.syntax.formatter import format_policy
from policyrules.testing.trees.values import (
    T,
    _cached,
    _comment_lists,
    _commented,
    _dates,
    _decimals,
    _free_names,
    _ints,
    _maybe_where,
    _month_days,
    _strings,
    _times,
    date_rules,
    durations,
    expressions,
    patterns,
)

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
