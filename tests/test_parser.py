"""The parser turns policy text into syntax-tree nodes, with spans and comments."""

from __future__ import annotations

import datetime as dt

import pytest

from policyrules.syntax import ast
from policyrules.syntax.parser import parse, parse_expression


def test_obligation_with_chinese_names_and_comments() -> None:
    tree = parse(
        """
# 渝中区教工委 2019
policy yuzhong_2019 "关于进一步加强教育系统各级文明校园、文明单位精神文明建设的通知" {
  effective 2019-05-22 .. 2019-12-31
  obligation 文明单位在行动 "每季度一次" {
    refs YZ-1
    every quarter
    require count(activity where hours >= 1) >= 1  # 每次不少于1小时
  }
}
""",
        "yz.pol",
    )
    policy = tree.policy
    assert policy is not None
    assert policy.comments == ("渝中区教工委 2019",)
    obligation = policy.obligations[0]
    assert obligation.name == "文明单位在行动"
    assert obligation.statement(ast.Refs) == ast.Refs(("YZ-1",))
    require = obligation.statement(ast.Require)
    assert require is not None and require.trailing == "每次不少于1小时"
    assert require.span is not None and (require.span.line, require.span.column) == (8, 5)
    effective = policy.item(ast.Effective)
    assert effective == ast.Effective(dt.date(2019, 5, 22), dt.date(2019, 12, 31))


def test_keywords_stay_usable_as_attribute_names() -> None:
    expression = parse_expression('count(report where period == window.label and type == "x")')
    assert isinstance(expression, ast.Aggregate)
    assert isinstance(expression.source, ast.Selection)
    where = expression.source.where
    assert isinstance(where, ast.BoolOp)
    assert where.left == ast.Compare(
        "==", ast.Name("period"), ast.Attribute(ast.Context(ast.ContextName.WINDOW), "label")
    )


def test_the_grammar_has_no_conflicts(caplog: pytest.LogCaptureFixture) -> None:
    """Lark resolves LALR shift/reduce conflicts silently (as shifts); the grammar must have
    none, so that what parses is what the grammar says."""
    import logging

    import lark
    from lark import logger

    from policyrules.syntax.parser import grammar_text

    logger.setLevel(logging.DEBUG)
    with caplog.at_level(logging.DEBUG, logger="lark"):
        lark.Lark(grammar_text(), parser="lalr", lexer="contextual", debug=True)
    conflicts = [r.getMessage() for r in caplog.records if "conflict" in r.getMessage().lower()]
    assert conflicts == []
