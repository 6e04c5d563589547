"""The formatter is the exact inverse of the parser.

Property tests on random syntax trees from :mod:`policyrules.testing`: formatting a tree and
parsing the text gives the tree back, and formatting is idempotent. A few hand-written files
check the layout of comments; the last tests keep parser bugs these properties found fixed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, note, settings
from lark import Lark
from lark.lexer import PatternStr

from policyrules.diagnostics.errors import PolicySyntaxError
from policyrules.syntax import ast
from policyrules.syntax.formatter import expression, format_policy
from policyrules.syntax.parser import grammar_text, parse, parse_expression
from policyrules.testing import (
    KEYWORDS,
    NAME_LIKE_KEYWORDS,
    SAFE_NAMES,
    date_rules,
    expressions,
    formatted_policies,
    operator_expressions,
    patterns,
    policy_files,
)

#: Every node class of the syntax tree (`Node` and `Item` are only bases).
NODE_CLASSES: frozenset[type[ast.Node]] = frozenset(
    value
    for value in vars(ast).values()
    if isinstance(value, type) and issubclass(value, ast.Node) and value not in (ast.Node, ast.Item)
)

PROPERTY = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _difference(expected: object, actual: object, path: str = "tree") -> str | None:
    """Where two trees first differ, for a readable failure message."""
    if expected == actual:
        return None
    if type(expected) is not type(actual):
        return f"{path}: expected {expected!r}, parsed {actual!r}"
    if isinstance(expected, ast.Node) and isinstance(actual, ast.Node):
        for item in dataclasses.fields(expected):
            if item.compare:
                found = _difference(
                    getattr(expected, item.name), getattr(actual, item.name), f"{path}.{item.name}"
                )
                if found:
                    return found
    if isinstance(expected, tuple) and isinstance(actual, tuple):
        if len(expected) != len(actual):
            return f"{path}: expected {len(expected)} entries, parsed {len(actual)}"
        for index, (left, right) in enumerate(zip(expected, actual, strict=True)):
            found = _difference(left, right, f"{path}[{index}]")
            if found:
                return found
    return f"{path}: expected {expected!r}, parsed {actual!r}"


def _assert_round_trip(tree: ast.PolicyFile) -> None:
    text = format_policy(tree)
    note(text)
    try:
        parsed = parse(text, "generated.pol")
    except PolicySyntaxError as error:
        pytest.fail(f"the formatted text does not parse:\n{text}\n{error}")
    if parsed != tree:
        pytest.fail(
            f"the formatted text parses to another tree:\n{text}\n{_difference(tree, parsed)}"
        )


# ----------------------------------------------------------------------------- properties


@PROPERTY
@given(policy_files())
def test_formatted_policy_parses_back_to_the_same_tree(tree: ast.PolicyFile) -> None:
    _assert_round_trip(tree)


@settings(PROPERTY, max_examples=60)
@given(formatted_policies())
def test_formatting_is_idempotent(text: str) -> None:
    note(text)
    assert format_policy(parse(text)) == text


@settings(max_examples=200, deadline=None)
@given(expressions(max_leaves=16))
def test_formatted_expression_parses_back_to_the_same_tree(expr: ast.Expr) -> None:
    text = expression(expr)
    note(text)
    parsed = parse_expression(text)
    assert parsed == expr, _difference(expr, parsed, "expression")
    assert expression(parsed) == text


@settings(max_examples=200, deadline=None)
@given(operator_expressions())
def test_operators_get_the_parentheses_they_need(expr: ast.Expr) -> None:
    text = expression(expr)
    note(text)
    parsed = parse_expression(text)
    assert parsed == expr, _difference(expr, parsed, "expression")


# Every operator and node kind, in every operand position of every other: the pairs decide
# where parentheses go, and random trees meet some of them only rarely.
_X, _Y, _Z = ast.Name("x"), ast.Name("y"), ast.Name("z")
_SELECTION = ast.Selection("activity")
_CHILDREN: tuple[ast.Expr, ...] = (
    _X,
    ast.IntLit(1),
    ast.DecimalLit(Decimal("1.5")),
    ast.PercentLit(Decimal(5)),
    ast.StringLit("s"),
    ast.BoolLit(True),
    ast.DateLit(dt.date(2019, 5, 27)),
    ast.Context(ast.ContextName.WINDOW),
    *(ast.Arithmetic(op, _X, _Y) for op in "+-*/"),
    *(ast.BoolOp(op, _X, _Y) for op in ("and", "or")),
    *(ast.Compare(op, _X, _Y) for op in ("==", "!=", "<", "<=", ">", ">=")),
    ast.Between(_X, _Y, _Z),
    ast.In(_X, _Y),
    ast.In(_X, _Y, negated=True),
    ast.OnPattern(_X, ast.NamedPattern("清明")),
    ast.OnPattern(_X, ast.AnyOf((ast.HolidayPattern(), ast.MonthPattern(5)))),
    ast.OnPattern(_X, ast.Around(ast.FixedDate(7, 1), ast.Duration(3, ast.DurationUnit.DAY))),
    ast.During(_X, dt.time(7), dt.time(9)),
    ast.IsSet(_X),
    ast.IsSet(_X, negated=True),
    ast.Not(_X),
    ast.Negate(_X),
    ast.PercentOf(Decimal(13), _X),
    ast.Attribute(_X, "a"),
    ast.BandCall("b", _X),
    ast.Call("len", (_X,)),
    ast.Quantifier("all", "p", _X, _Y),
    ast.ListLit((_X, _Y)),
    ast.Aggregate("count", _SELECTION),
    ast.Aggregate(
        "avg",
        ast.Grouped(ast.Aggregate("count", _SELECTION), ast.PeriodGroup(ast.PeriodUnit.MONTH)),
    ),
    ast.Grouped(ast.Aggregate("count", _SELECTION), ast.PeriodGroup(ast.PeriodUnit.MONTH)),
    ast.Grouped(ast.Aggregate("count", _SELECTION), ast.MemberGroup("theme", _Y)),
    ast.Selection("registration", "person", distinct=True),
    ast.Selection("registration", "person", distinct=True, scope=ast.EventScope.ALL_UNITS),
)


def _in_aggregate_where(child: ast.Expr) -> ast.Expr:
    return ast.Aggregate("count", ast.Selection("activity", where=child))


Binary = Callable[[str, ast.Expr, ast.Expr], ast.Expr]


def _operands(make: Binary, ops: tuple[str, ...]) -> dict[str, Callable[[ast.Expr], ast.Expr]]:
    """`child op y` and `x op child` for each operator."""

    def left(op: str) -> Callable[[ast.Expr], ast.Expr]:
        return lambda child: make(op, child, _Y)

    def right(op: str) -> Callable[[ast.Expr], ast.Expr]:
        return lambda child: make(op, _X, child)

    return {
        **{f"{op} left": left(op) for op in ops},
        **{f"{op} right": right(op) for op in ops},
    }


_PARENTS: dict[str, Callable[[ast.Expr], ast.Expr]] = {
    **_operands(ast.Arithmetic, ("+", "-", "*", "/")),
    **_operands(ast.BoolOp, ("and", "or")),
    **_operands(ast.Compare, ("==", "<")),
    "between value": lambda c: ast.Between(c, _Y, _Z),
    "between low": lambda c: ast.Between(_X, c, _Z),
    "between high": lambda c: ast.Between(_X, _Y, c),
    "in value": lambda c: ast.In(c, _Y),
    "in collection": lambda c: ast.In(_X, c),
    "not in collection": lambda c: ast.In(_X, c, negated=True),
    "on value": lambda c: ast.OnPattern(c, ast.HolidayPattern()),
    "during value": lambda c: ast.During(c, dt.time(7), dt.time(9)),
    "is set value": lambda c: ast.IsSet(c),
    "not": lambda c: ast.Not(c),
    "negate": lambda c: ast.Negate(c),
    "percent of": lambda c: ast.PercentOf(Decimal(10), c),
    "attribute": lambda c: ast.Attribute(c, "a"),
    "band call": lambda c: ast.BandCall("b", c),
    "call": lambda c: ast.Call("lower", (c, c)),
    "quantifier collection": lambda c: ast.Quantifier("any", "p", c, _Y),
    "quantifier condition": lambda c: ast.Quantifier("any", "p", _X, c),
    "list": lambda c: ast.ListLit((c, c)),
    "where": _in_aggregate_where,
    "distinct where": lambda c: ast.Selection("k", "f", distinct=True, where=c),
    "per member": lambda c: ast.Grouped(
        ast.Aggregate("count", _SELECTION), ast.MemberGroup("theme", c)
    ),
}


@pytest.mark.parametrize("position", sorted(_PARENTS))
def test_every_node_in_every_operand_position(position: str) -> None:
    for child in _CHILDREN:
        expr = _PARENTS[position](child)
        text = expression(expr)
        parsed = parse_expression(text)
        assert parsed == expr, f"{text}: {_difference(expr, parsed, 'expression')}"


@settings(max_examples=100, deadline=None)
@given(patterns(max_leaves=8), date_rules(max_leaves=4))
def test_patterns_and_festival_rules_round_trip(pattern: ast.Pattern, rule: ast.DateRule) -> None:
    obligation = ast.Obligation(
        "o",
        "",
        (
            ast.EachOccurrence(pattern),
            ast.Every(ast.PeriodUnit.MONTH, pattern),
            ast.Require(ast.OnPattern(ast.Name("x"), pattern)),
        ),
    )
    tree = ast.PolicyFile((ast.FestivalDef("f", None, rule), ast.Policy("p", "", (obligation,))))
    _assert_round_trip(tree)


# ----------------------------------------------------------------------------- the strategies


def _is_multi_line_set(node: ast.Node) -> bool:
    return isinstance(node, ast.SetDef) and format_policy(ast.PolicyFile((node,))).count("\n") > 1


Shape = Callable[[ast.Node, ast.Node | None], bool]


def _has_end_comments(kind: type[ast.Node]) -> Shape:
    return lambda n, p: isinstance(n, kind) and bool(getattr(n, "end_comments"))  # noqa: B009


#: Shapes worth generating that node classes alone do not show: (node, parent) → bool.
_SHAPES: dict[str, Shape] = {
    "aggregate over groups": lambda n, p: (
        isinstance(n, ast.Aggregate) and isinstance(n.source, ast.Grouped)
    ),
    "groups compared directly": lambda n, p: (
        isinstance(n, ast.Grouped) and not isinstance(p, ast.Aggregate)
    ),
    "distinct values": lambda n, p: (
        isinstance(n, ast.Selection) and not isinstance(p, ast.Aggregate)
    ),
    "distinct selection": lambda n, p: (
        isinstance(n, ast.Selection) and isinstance(p, ast.Aggregate) and n.distinct
    ),
    "field selection": lambda n, p: (
        isinstance(n, ast.Selection) and n.field is not None and not n.distinct
    ),
    "from area": lambda n, p: isinstance(n, ast.Selection) and n.scope is ast.EventScope.AREA,
    "from all units": lambda n, p: (
        isinstance(n, ast.Selection) and n.scope is ast.EventScope.ALL_UNITS
    ),
    "leap month": lambda n, p: isinstance(n, ast.LunarDate) and n.leap,
    "working days": lambda n, p: isinstance(n, ast.Duration) and n.working,
    "weekday of every month": lambda n, p: isinstance(n, ast.NthWeekday) and n.month is None,
    "last month of quarter": lambda n, p: isinstance(n, ast.DayOfQuarter) and n.month is None,
    "shifted twice": lambda n, p: (
        isinstance(n, ast.DateOffset) and isinstance(n.base, ast.DateOffset)
    ),
    "open-ended": lambda n, p: isinstance(n, ast.Effective) and n.end is None,
    "not in": lambda n, p: isinstance(n, ast.In) and n.negated,
    "is not set": lambda n, p: isinstance(n, ast.IsSet) and n.negated,
    "24:00": lambda n, p: any(
        isinstance(t, dt.time) and t.microsecond > 0
        for t in (getattr(n, "time", None), getattr(n, "start", None), getattr(n, "end", None))
    ),
    "keyword as attribute": lambda n, p: isinstance(n, ast.Attribute) and n.name in KEYWORDS,
    "set on many lines": lambda n, p: _is_multi_line_set(n),
    "leading comment": lambda n, p: isinstance(n, ast.Item) and bool(n.comments),
    "trailing comment": lambda n, p: isinstance(n, ast.Item) and n.trailing is not None,
    "Chinese comment": lambda n, p: (
        isinstance(n, ast.Item) and any(re.search(r"[\u4e00-\u9fff]", c) for c in n.comments)
    ),
    **{
        f"end comment of {kind.__name__}": _has_end_comments(kind)
        for kind in (
            ast.PolicyFile,
            ast.Policy,
            ast.Obligation,
            ast.BandDef,
            ast.EventDef,
            ast.UnitsDef,
        )
    },
}


def _features(tree: ast.PolicyFile) -> set[str]:
    found: set[str] = set()
    stack: list[tuple[ast.Node, ast.Node | None]] = [(tree, None)]
    while stack:
        node, parent = stack.pop()
        stack.extend((child, node) for child in ast.children(node))
        found.update(name for name, shape in _SHAPES.items() if shape(node, parent))
    return found


FEATURES = frozenset(_SHAPES)


def test_policy_files_cover_every_node_class_and_feature() -> None:
    classes: set[type[ast.Node]] = set()
    features: set[str] = set()

    # The same files on every run, generated only. Some 200 to 350 files cover everything,
    # depending on the seed (derived from this function's source).
    @settings(
        max_examples=400,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(policy_files())
    def collect(tree: ast.PolicyFile) -> None:
        if classes >= NODE_CLASSES and features >= FEATURES:
            return
        classes.update(type(node) for node in ast.walk(tree))
        features.update(_features(tree))

    collect()
    assert sorted(c.__name__ for c in NODE_CLASSES - classes) == []
    assert sorted(FEATURES - features) == []


@cache
def _grammar_keywords() -> frozenset[str]:
    """The words of the grammar: string literals, and the alternatives of keyword terminals
    such as `AGGREGATE: /(count|sum|…)\\b/`."""
    words: set[str] = set()
    for terminal in Lark(grammar_text(), parser="lalr").terminals:
        pattern = terminal.pattern
        if isinstance(pattern, PatternStr):
            words.update(re.findall(r"^[a-z]+$", pattern.value))
            continue
        compiled = re.compile(pattern.to_regexp())
        words.update(w for w in re.findall(r"[a-z]{2,}", pattern.value) if compiled.fullmatch(w))
    return frozenset(words)


def test_keyword_list_matches_the_grammar() -> None:
    assert set(KEYWORDS) == _grammar_keywords()


def test_safe_names_are_names_and_not_keywords() -> None:
    for name in SAFE_NAMES:
        assert re.fullmatch(r"(?!\d)\w+", name), name
    assert set(SAFE_NAMES) & _grammar_keywords() == set(NAME_LIKE_KEYWORDS)


# ----------------------------------------------------------------------------- hand-written

COMMENTED = """\
# 渝中区 文明单位 2019
import "shared/festivals.pol"  # 节日

festival 中元节 "中元节" = lunar 07-15

event activity counts for joint_units {
  # 活动时长
  hours: number  # 小时
  theme: one of ["必选", "自选"]
  # no more fields
}

band yz_headcount {
  ..20 => 10% round up
  21.. => 3
  # 上限
}

policy yuzhong_2019 "关于进一步加强文明单位建设的通知" {
  issuer "渝中区文明办"
  effective 2019-05-22 .. 2019-12-31  # 2019 年内

  # 第一条
  obligation 文明单位在行动 "每季度一次" {
    refs YZ-1, YZ-2a
    every quarter
    require count(activity where hours >= 1) >= 1  # 每次不少于1小时
    due 7 days after period end at 17:30
    # 结束
  }  # 第一条完
  # 其余条款另行通知
}

# end of file
"""


def test_canonical_text_with_comments_is_a_fixed_point() -> None:
    tree = parse(COMMENTED)
    assert format_policy(tree) == COMMENTED


def test_comments_are_kept_where_they_were_written() -> None:
    tree = parse(COMMENTED)
    assert tree.end_comments == ("end of file",)
    first = tree.items[0]
    assert first.comments == ("渝中区 文明单位 2019",)
    assert first.trailing == "节日"
    event = tree.items_of(ast.EventDef)[0]
    assert event.fields[0].comments == ("活动时长",)
    assert event.fields[0].trailing == "小时"
    assert event.end_comments == ("no more fields",)
    assert tree.items_of(ast.BandDef)[0].end_comments == ("上限",)
    policy = tree.policy
    assert policy is not None
    assert policy.end_comments == ("其余条款另行通知",)
    effective = policy.item(ast.Effective)
    assert effective is not None and effective.trailing == "2019 年内"
    obligation = policy.obligations[0]
    assert obligation.comments == ("第一条",)
    assert obligation.trailing == "第一条完"
    assert obligation.end_comments == ("结束",)
    require = obligation.statement(ast.Require)
    assert require is not None and require.trailing == "每次不少于1小时"


def test_layout_is_made_canonical_and_comments_survive() -> None:
    messy = (
        "#   leading, padded   \n"
        + """\
policy p "t" {
      obligation o "x" {   every   month on 1st monday or  2nd friday
  require (count(activity))>=((1))   #trailing
        # end
}}
"""
    )
    canonical = """\
# leading, padded
policy p "t" {
  obligation o "x" {
    every month on 1st monday or 2nd friday
    require count(activity) >= 1  # trailing
    # end
  }
}
"""
    assert format_policy(parse(messy)) == canonical
    assert format_policy(parse(canonical)) == canonical
    assert parse(messy) == parse(canonical)


def test_comment_inside_a_multi_line_expression_moves_above_its_statement() -> None:
    source = """\
policy p "t" {
  obligation o "x" {
    # 条件
    require count(activity where hours >= 1
                  # 至少一小时
                  and theme == "必选") >= 1  # 每季度
  }
}
"""
    expected = """\
policy p "t" {
  obligation o "x" {
    # 条件
    # 至少一小时
    require count(activity where hours >= 1 and theme == "必选") >= 1  # 每季度
  }
}
"""
    formatted = format_policy(parse(source))
    assert formatted == expected
    assert format_policy(parse(formatted)) == formatted


def test_comment_inside_a_set_written_on_many_lines_moves_above_it() -> None:
    members = ", ".join(f'"主题{i:02d}"' for i in range(12))
    source = f"set themes = [{members}]\n"
    formatted = format_policy(parse(source))
    assert formatted.count("\n") == 14  # one member per line
    lines = formatted.splitlines()
    lines.insert(3, "  # 新增主题")
    commented = "\n".join(lines) + "\n"
    tree = parse(commented)
    assert tree.items[0].comments == ("新增主题",)
    assert format_policy(tree) == "# 新增主题\n" + formatted


def test_aggregates_over_groups_may_nest_as_the_grammar_allows() -> None:
    # The strategies keep to one level of grouping; the grammar takes more.
    for text in (
        "max(avg(count(activity) per month) per quarter) >= 1",
        "avg(count(activity) per month) per year >= 1",
        "sum(max(count(activity) per week) per theme in themes) per theme in (unit.themes)",
    ):
        assert expression(parse_expression(text)) == text


def test_empty_file_and_file_of_comments() -> None:
    assert format_policy(parse("")) == ""
    assert format_policy(parse("#a\n\n  # b  \n")) == "# a\n# b\n"


ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted(
    path.relative_to(ROOT).as_posix()
    for pattern in ("policies/**/*.pol", "policyrules/syntax/std/**/*.pol", "examples/**/*.pol")
    for path in ROOT.glob(pattern)
)


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_policies_round_trip(name: str) -> None:
    tree = parse((ROOT / name).read_text(encoding="utf-8"), name)
    text = format_policy(tree)
    again = parse(text, name)
    assert again == tree, _difference(tree, again)
    assert format_policy(again) == text


# ----------------------------------------------------------------------------- regressions


def test_field_named_like_a_keyword_after_a_one_of_field() -> None:
    # `one of [...]` once shared the list rule of expressions; the LALR state after its `]`
    # then also took every keyword that may follow a list, and `on` below was one.
    for name in ("on", "in", "and", "set", "policy"):
        fields = (
            ast.FieldDecl("kind", ast.EnumType(("a",))),
            ast.FieldDecl(name, ast.ScalarType("bool")),
        )
        tree = ast.PolicyFile((ast.EventDef("e", fields), ast.UnitsDef(fields)))
        assert parse(format_policy(tree)) == tree


def test_string_ending_in_a_backslash_before_a_string_of_brackets() -> None:
    # The nesting pre-check once took the quote after `\\` for an escaped quote, so the
    # brackets inside the next string counted as nesting.
    value = ast.ListLit((ast.StringLit("a\\"), ast.StringLit("(" * 65)))
    tree = ast.PolicyFile((ast.LetDef("x", value),))
    assert parse(format_policy(tree)) == tree
