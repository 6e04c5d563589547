"""The tree builder: one method per grammar rule or alias of ``grammar/policy.lark``, each
called with the rule's meta (for the span) and its already-built children, returning a node
of :mod:`policyrules.syntax.ast`. Literals are read by :mod:`policyrules.syntax.literals`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from lark import Token, Tree

from policyrules.diagnostics.messages import msg
from policyrules.syntax import ast
from policyrules.syntax.literals import (
    _fail,
    file_start,
    meta_span,
    read_date,
    read_decimal,
    read_duration,
    read_duration_unit,
    read_int,
    read_lunar_month_day,
    read_month_day,
    read_ordinal,
    read_string,
    read_time,
)

_DONE = object()


# Every method takes (meta, children): the meta gives the span.
class Builder:
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
        # the file's span starts at its first character, even before comments and blank
        # lines: a file-wide problem ("the file defines no policy") is reported there
        span = meta_span(meta)
        start = file_start()
        if span is not None:
            start = replace(start, end_line=span.end_line, end_column=span.end_column,
                            end=span.end)
        return ast.PolicyFile(tuple(items), span=start)

    def import_decl(self, meta: Any, c: list[Token]) -> ast.Import:
        return ast.Import(read_string(c[0]), span=meta_span(meta))

    def set_def(self, meta: Any, c: list[Any]) -> ast.SetDef:
        return ast.SetDef(str(c[0]), c[1], span=meta_span(meta))

    def band_def(self, meta: Any, c: list[Any]) -> ast.BandDef:
        return ast.BandDef(str(c[0]), tuple(c[1:]), span=meta_span(meta))

    def band_row(self, meta: Any, c: list[Any]) -> ast.BandRow:
        low, high = c[0]
        return ast.BandRow(low, high, c[1], span=meta_span(meta))

    def range_closed(self, meta: Any, c: list[Token]) -> tuple[int | None, int | None]:
        return read_int(c[0]), read_int(c[1])

    def range_upto(self, meta: Any, c: list[Token]) -> tuple[int | None, int | None]:
        return None, read_int(c[0])

    def range_from(self, meta: Any, c: list[Token]) -> tuple[int | None, int | None]:
        return read_int(c[0]), None

    def band_absolute(self, meta: Any, c: list[Any]) -> ast.BandAbsolute:
        return ast.BandAbsolute(read_decimal(c[0]), span=meta_span(meta))

    def band_percent_rounded(self, meta: Any, c: list[Token]) -> ast.BandPercent:
        return ast.BandPercent(
            read_decimal(c[0], str(c[0])[:-1]), ast.Rounding(str(c[1])), span=meta_span(meta)
        )

    def band_percent_bare(self, meta: Any, c: list[Token]) -> ast.BandPercent:
        return ast.BandPercent(read_decimal(c[0], str(c[0])[:-1]), None, span=meta_span(meta))

    def festival_def(self, meta: Any, c: list[Any]) -> ast.FestivalDef:
        label = read_string(c[1]) if c[1] is not None else None
        return ast.FestivalDef(str(c[0]), label, c[2], span=meta_span(meta))

    def rule_fixed(self, meta: Any, c: list[Token]) -> ast.FixedDate:
        return ast.FixedDate(*read_month_day(c[0]), span=meta_span(meta))

    def rule_lunar(self, meta: Any, c: list[Token]) -> ast.LunarDate:
        return ast.LunarDate(*read_lunar_month_day(c[0]), span=meta_span(meta))

    def rule_lunar_leap(self, meta: Any, c: list[Token]) -> ast.LunarDate:
        return ast.LunarDate(*read_lunar_month_day(c[0]), leap=True, span=meta_span(meta))

    def rule_term(self, meta: Any, c: list[Token]) -> ast.SolarTerm:
        return ast.SolarTerm(str(c[0]), span=meta_span(meta))

    def rule_nth_weekday(self, meta: Any, c: list[Token]) -> ast.NthWeekday:
        return ast.NthWeekday(
            read_ordinal(c[0]),
            ast.Weekday(str(c[1])),
            ast.MONTHS.index(str(c[2])) + 1,
            span=meta_span(meta),
        )

    def rule_before(self, meta: Any, c: list[Any]) -> ast.DateOffset:
        return ast.DateOffset(c[0], True, c[1], span=meta_span(meta))

    def rule_after(self, meta: Any, c: list[Any]) -> ast.DateOffset:
        return ast.DateOffset(c[0], False, c[1], span=meta_span(meta))

    def event_def(self, meta: Any, c: list[Any]) -> ast.EventDef:
        name, stock, counts_for, *fields = c
        return ast.EventDef(
            str(name),
            tuple(fields),
            stock=stock is not None,
            counts_for=counts_for,
            span=meta_span(meta),
        )

    def counts_for(self, meta: Any, c: list[Token]) -> str:
        return str(c[0])

    def units_def(self, meta: Any, c: list[Any]) -> ast.UnitsDef:
        return ast.UnitsDef(tuple(c), span=meta_span(meta))

    def field_decl(self, meta: Any, c: list[Any]) -> ast.FieldDecl:
        return ast.FieldDecl(str(c[0]), c[1], span=meta_span(meta))

    def scalar_type(self, meta: Any, c: list[Token]) -> ast.ScalarType:
        return ast.ScalarType(str(c[0]), span=meta_span(meta))

    def list_type(self, meta: Any, c: list[Any]) -> ast.ListType:
        return ast.ListType(c[0], span=meta_span(meta))

    def enum_type(self, meta: Any, c: list[Token | None]) -> ast.EnumType:
        # its own bracket rule, not list_lit: after a shared rule the contextual lexer would
        # take the next field's name for a keyword that may follow a list elsewhere
        return ast.EnumType(tuple(read_string(t) for t in c if t is not None), span=meta_span(meta))

    def let_def(self, meta: Any, c: list[Any]) -> ast.LetDef:
        return ast.LetDef(str(c[0]), c[1], span=meta_span(meta))

    # --------------------------------------------------------------- policy

    def policy(self, meta: Any, c: list[Any]) -> ast.Policy:
        return ast.Policy(str(c[0]), read_string(c[1]), tuple(c[2:]), span=meta_span(meta))

    def issuer(self, meta: Any, c: list[Token]) -> ast.Issuer:
        return ast.Issuer(read_string(c[0]), span=meta_span(meta))

    def document(self, meta: Any, c: list[Token]) -> ast.Document:
        return ast.Document(read_string(c[0]), span=meta_span(meta))

    def issued(self, meta: Any, c: list[Token]) -> ast.Issued:
        return ast.Issued(read_date(c[0]), span=meta_span(meta))

    def effective(self, meta: Any, c: list[Token | None]) -> ast.Effective:
        start, end = c
        assert start is not None
        return ast.Effective(
            read_date(start), read_date(end) if end is not None else None, span=meta_span(meta)
        )

    def timezone(self, meta: Any, c: list[Token]) -> ast.Timezone:
        return ast.Timezone(read_string(c[0]), span=meta_span(meta))

    def workday_ends(self, meta: Any, c: list[Token]) -> ast.WorkdayEnds:
        return ast.WorkdayEnds(read_time(c[0]), span=meta_span(meta))

    def warn(self, meta: Any, c: list[Any]) -> ast.Warn:
        return ast.Warn(c[0], span=meta_span(meta))

    def consequence(self, meta: Any, c: list[Token]) -> ast.Consequence:
        return ast.Consequence(read_string(c[0]), span=meta_span(meta))

    def applies(self, meta: Any, c: list[Any]) -> ast.AppliesTo:
        return ast.AppliesTo(c[0], span=meta_span(meta))

    # --------------------------------------------------------------- obligations

    def obligation(self, meta: Any, c: list[Any]) -> ast.Obligation:
        return ast.Obligation(str(c[0]), read_string(c[1]), tuple(c[2:]), span=meta_span(meta))

    def cites(self, meta: Any, c: list[Token]) -> ast.Cites:
        return ast.Cites(read_string(c[0]), span=meta_span(meta))

    def refs(self, meta: Any, c: list[Token]) -> ast.Refs:
        return ast.Refs(tuple(str(t) for t in c), span=meta_span(meta))

    def severity(self, meta: Any, c: list[Token]) -> ast.SeverityStmt:
        return ast.SeverityStmt(ast.SeverityLevel(str(c[0])), span=meta_span(meta))

    def per_subject(self, meta: Any, c: list[Any]) -> ast.ForEachSubject:
        return ast.ForEachSubject(str(c[0]), str(c[1]), c[2], span=meta_span(meta))

    def let_stmt(self, meta: Any, c: list[Any]) -> ast.Let:
        return ast.Let(str(c[0]), c[1], span=meta_span(meta))

    def require(self, meta: Any, c: list[Any]) -> ast.Require:
        return ast.Require(c[0], span=meta_span(meta))

    def due(self, meta: Any, c: list[Any]) -> ast.Due:
        return ast.Due(c[0], c[1], span=meta_span(meta))

    def accept_late(self, meta: Any, c: list[Any]) -> ast.AcceptLate:
        return ast.AcceptLate(span=meta_span(meta))

    def partial(self, meta: Any, c: list[Token]) -> ast.Partial:
        return ast.Partial(ast.PartialMode(str(c[0])), span=meta_span(meta))

    def supersedes(self, meta: Any, c: list[Token]) -> ast.Supersedes:
        return ast.Supersedes(str(c[0]), str(c[1]), span=meta_span(meta))

    def until_superseded(self, meta: Any, c: list[Any]) -> ast.UntilSuperseded:
        return ast.UntilSuperseded(span=meta_span(meta))

    def once(self, meta: Any, c: list[Any]) -> ast.Once:
        return ast.Once(span=meta_span(meta))

    def every(self, meta: Any, c: list[Any]) -> ast.Every:
        return ast.Every(c[0], c[1], span=meta_span(meta))

    def on_each(self, meta: Any, c: list[Any]) -> ast.EachOccurrence:
        return ast.EachOccurrence(c[0], span=meta_span(meta))

    def for_each(self, meta: Any, c: list[Any]) -> ast.ForEachEvent:
        return ast.ForEachEvent(str(c[0]), c[1], span=meta_span(meta))

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
        return ast.AnyOf(tuple(c), span=meta_span(meta))

    def pat_working_day(self, meta: Any, c: list[Any]) -> ast.WorkingDayPattern:
        return ast.WorkingDayPattern(span=meta_span(meta))

    def pat_rest_day(self, meta: Any, c: list[Any]) -> ast.RestDayPattern:
        return ast.RestDayPattern(span=meta_span(meta))

    def pat_holiday(self, meta: Any, c: list[Any]) -> ast.HolidayPattern:
        return ast.HolidayPattern(span=meta_span(meta))

    def pat_nth_weekday(self, meta: Any, c: list[Token | None]) -> ast.NthWeekday:
        ordinal, weekday, month = c
        assert ordinal is not None and weekday is not None
        return ast.NthWeekday(
            read_ordinal(ordinal),
            ast.Weekday(str(weekday)),
            ast.MONTHS.index(str(month)) + 1 if month is not None else None,
            span=meta_span(meta),
        )

    def pat_month(self, meta: Any, c: list[Token]) -> ast.MonthPattern:
        return ast.MonthPattern(ast.MONTHS.index(str(c[0])) + 1, span=meta_span(meta))

    def pat_day_of_last_month(self, meta: Any, c: list[Token]) -> ast.DayOfQuarter:
        return ast.DayOfQuarter(self._month_day_number(c[0]), None, span=meta_span(meta))

    def pat_day_of_quarter_month(self, meta: Any, c: list[Token]) -> ast.DayOfQuarter:
        month = read_int(c[1])
        if not 1 <= month <= 3:
            raise _fail(c[1], msg("a quarter has no month {month}",
                                  month=month), "use month 1, 2 or 3")
        return ast.DayOfQuarter(self._month_day_number(c[0]), month, span=meta_span(meta))

    @staticmethod
    def _month_day_number(token: Token) -> int:
        day = read_int(token)
        if not 1 <= day <= 31:
            raise _fail(token, msg("day `{day}` is not a day of a month", day=day), "use 1 … 31")
        return day

    def pat_fixed(self, meta: Any, c: list[Token]) -> ast.FixedDate:
        return ast.FixedDate(*read_month_day(c[0]), span=meta_span(meta))

    def pat_date(self, meta: Any, c: list[Token]) -> ast.ExactDate:
        return ast.ExactDate(read_date(c[0]), span=meta_span(meta))

    def pat_lunar(self, meta: Any, c: list[Token]) -> ast.LunarDate:
        return ast.LunarDate(*read_lunar_month_day(c[0]), span=meta_span(meta))

    def pat_lunar_leap(self, meta: Any, c: list[Token]) -> ast.LunarDate:
        return ast.LunarDate(*read_lunar_month_day(c[0]), leap=True, span=meta_span(meta))

    def pat_term(self, meta: Any, c: list[Token]) -> ast.SolarTerm:
        return ast.SolarTerm(str(c[0]), span=meta_span(meta))

    def pat_named(self, meta: Any, c: list[Token]) -> ast.NamedPattern:
        return ast.NamedPattern(str(c[0]), span=meta_span(meta))

    def pat_around(self, meta: Any, c: list[Any]) -> ast.Around:
        return ast.Around(c[0], c[2], span=meta_span(meta))

    # --------------------------------------------------------------- deadlines

    def due_date_abs(self, meta: Any, c: list[Token]) -> ast.OnDate:
        return ast.OnDate(read_date(c[0]), span=meta_span(meta))

    def due_in_period_year(self, meta: Any, c: list[Token]) -> ast.MonthDayOfPeriod:
        return ast.MonthDayOfPeriod(*read_month_day(c[0]), span=meta_span(meta))

    def due_period_end(self, meta: Any, c: list[Any]) -> ast.PeriodEnd:
        return ast.PeriodEnd(span=meta_span(meta))

    def due_after(self, meta: Any, c: list[Any]) -> ast.AfterAnchor:
        return ast.AfterAnchor(c[0], c[1], span=meta_span(meta))

    def due_weekday_after(self, meta: Any, c: list[Any]) -> ast.WeekdayAfter:
        return ast.WeekdayAfter(ast.Weekday(str(c[0])), c[1], span=meta_span(meta))

    def due_day_of_last_month(self, meta: Any, c: list[Token]) -> ast.DayOfLastMonth:
        day = read_int(c[0])
        if not 1 <= day <= 31:
            raise _fail(c[0], msg("day `{day}` is not a day of a month", day=day), "use 1 … 31")
        return ast.DayOfLastMonth(day, span=meta_span(meta))

    def due_day_of_month(self, meta: Any, c: list[Token]) -> ast.DayOfMonth:
        day, month = read_int(c[0]), read_int(c[1])
        if not 1 <= day <= 31:
            raise _fail(c[0], msg("day `{day}` is not a day of a month", day=day), "use 1 … 31")
        if not 1 <= month <= 12:
            raise _fail(c[1], msg("month `{month}` of a period is out of range",
                                  month=month), "use 1 … 12")
        return ast.DayOfMonth(day, month, span=meta_span(meta))

    def anchor_trigger(self, meta: Any, c: list[Any]) -> ast.Anchor:
        return ast.Anchor.TRIGGER

    def anchor_period_end(self, meta: Any, c: list[Any]) -> ast.Anchor:
        return ast.Anchor.PERIOD_END

    def anchor_period_start(self, meta: Any, c: list[Any]) -> ast.Anchor:
        return ast.Anchor.PERIOD_START

    def due_at_time(self, meta: Any, c: list[Token]) -> ast.ClockTime:
        return ast.ClockTime(read_time(c[0]), span=meta_span(meta))

    def due_at_workday_end(self, meta: Any, c: list[Any]) -> ast.WorkdayEnd:
        return ast.WorkdayEnd(span=meta_span(meta))

    def duration(self, meta: Any, c: list[Token]) -> ast.Duration:
        return read_duration(c[0], c[1], meta_span(meta))

    def working_duration(self, meta: Any, c: list[Token]) -> ast.Duration:
        unit = read_duration_unit(c[1])
        if unit is not ast.DurationUnit.DAY:
            raise _fail(
                c[1], msg("`working {c}` is not a duration",
                          c=c[1]), "only days can be working days"
            )
        return read_duration(c[0], c[1], meta_span(meta), working=True)

    # --------------------------------------------------------------- expressions

    def or_(self, meta: Any, c: list[Any]) -> ast.BoolOp:
        return ast.BoolOp("or", c[0], c[1], span=meta_span(meta))

    def and_(self, meta: Any, c: list[Any]) -> ast.BoolOp:
        return ast.BoolOp("and", c[0], c[1], span=meta_span(meta))

    def not_(self, meta: Any, c: list[Any]) -> ast.Not:
        return ast.Not(c[0], span=meta_span(meta))

    def compare(self, meta: Any, c: list[Any]) -> ast.Compare:
        return ast.Compare(str(c[1]), c[0], c[2], span=meta_span(meta))

    def between(self, meta: Any, c: list[Any]) -> ast.Between:
        return ast.Between(c[0], c[1], c[2], span=meta_span(meta))

    def in_(self, meta: Any, c: list[Any]) -> ast.In:
        return ast.In(c[0], c[1], span=meta_span(meta))

    def not_in(self, meta: Any, c: list[Any]) -> ast.In:
        return ast.In(c[0], c[1], negated=True, span=meta_span(meta))

    def on_pattern(self, meta: Any, c: list[Any]) -> ast.OnPattern:
        return ast.OnPattern(c[0], c[1], span=meta_span(meta))

    def during(self, meta: Any, c: list[Any]) -> ast.During:
        return ast.During(c[0], read_time(c[1]), read_time(c[2]), span=meta_span(meta))

    def is_set(self, meta: Any, c: list[Any]) -> ast.IsSet:
        return ast.IsSet(c[0], span=meta_span(meta))

    def is_not_set(self, meta: Any, c: list[Any]) -> ast.IsSet:
        return ast.IsSet(c[0], negated=True, span=meta_span(meta))

    def arith(self, meta: Any, c: list[Any]) -> ast.Arithmetic:
        return ast.Arithmetic(str(c[1]), c[0], c[2], span=meta_span(meta))

    def neg(self, meta: Any, c: list[Any]) -> ast.Negate:
        return ast.Negate(c[0], span=meta_span(meta))

    def attribute(self, meta: Any, c: list[Any]) -> ast.Attribute:
        return ast.Attribute(c[0], str(c[1]), span=meta_span(meta))

    def per_period(self, meta: Any, c: list[Any]) -> ast.Grouped:
        group = ast.PeriodGroup(c[1], span=meta_span(meta))
        return ast.Grouped(c[0], group, span=meta_span(meta))

    def per_member(self, meta: Any, c: list[Any]) -> ast.Grouped:
        group = ast.MemberGroup(str(c[1]), c[2], span=meta_span(meta))
        return ast.Grouped(c[0], group, span=meta_span(meta))

    def int_lit(self, meta: Any, c: list[Token]) -> ast.IntLit:
        return ast.IntLit(read_int(c[0]), span=meta_span(meta))

    def decimal_lit(self, meta: Any, c: list[Token]) -> ast.DecimalLit:
        return ast.DecimalLit(read_decimal(c[0]), span=meta_span(meta))

    def percent_lit(self, meta: Any, c: list[Token]) -> ast.PercentLit:
        return ast.PercentLit(read_decimal(c[0], str(c[0])[:-1]), span=meta_span(meta))

    def percent_of(self, meta: Any, c: list[Any]) -> ast.PercentOf:
        return ast.PercentOf(read_decimal(c[0], str(c[0])[:-1]), c[1], span=meta_span(meta))

    def string_lit(self, meta: Any, c: list[Token]) -> ast.StringLit:
        return ast.StringLit(read_string(c[0]), span=meta_span(meta))

    def true_lit(self, meta: Any, c: list[Any]) -> ast.BoolLit:
        return ast.BoolLit(True, span=meta_span(meta))

    def false_lit(self, meta: Any, c: list[Any]) -> ast.BoolLit:
        return ast.BoolLit(False, span=meta_span(meta))

    def date_lit(self, meta: Any, c: list[Token]) -> ast.DateLit:
        return ast.DateLit(read_date(c[0]), span=meta_span(meta))

    def list_lit(self, meta: Any, c: list[Any]) -> ast.ListLit:
        return ast.ListLit(tuple(x for x in c if x is not None), span=meta_span(meta))

    def name(self, meta: Any, c: list[Token]) -> ast.Name:
        return ast.Name(str(c[0]), span=meta_span(meta))

    def band_call(self, meta: Any, c: list[Any]) -> ast.BandCall:
        return ast.BandCall(str(c[0]), c[1], span=meta_span(meta))

    def ctx_unit(self, meta: Any, c: list[Any]) -> ast.Context:
        return ast.Context(ast.ContextName.UNIT, span=meta_span(meta))

    def ctx_trigger(self, meta: Any, c: list[Any]) -> ast.Context:
        return ast.Context(ast.ContextName.TRIGGER, span=meta_span(meta))

    def ctx_subject(self, meta: Any, c: list[Any]) -> ast.Context:
        return ast.Context(ast.ContextName.SUBJECT, span=meta_span(meta))

    def ctx_window(self, meta: Any, c: list[Any]) -> ast.Context:
        return ast.Context(ast.ContextName.WINDOW, span=meta_span(meta))

    def call(self, meta: Any, c: list[Any]) -> ast.Call:
        return ast.Call(str(c[0]), tuple(x for x in c[1:] if x is not None), span=meta_span(meta))

    def quantifier(self, meta: Any, c: list[Any]) -> ast.Quantifier:
        return ast.Quantifier(str(c[0]), str(c[1]), c[2], c[3], span=meta_span(meta))

    def aggregate_of(self, meta: Any, c: list[Any]) -> ast.Aggregate:
        return ast.Aggregate(str(c[0]), c[1], span=meta_span(meta))

    def aggregate_grouped_period(self, meta: Any, c: list[Any]) -> ast.Aggregate:
        inner: ast.Aggregate = c[1]
        group = ast.PeriodGroup(c[2], span=meta_span(meta))
        grouped = ast.Grouped(inner, group, span=meta_span(meta))
        return ast.Aggregate(str(c[0]), grouped, span=meta_span(meta))

    def aggregate_grouped_member(self, meta: Any, c: list[Any]) -> ast.Aggregate:
        group = ast.MemberGroup(str(c[2]), c[3], span=meta_span(meta))
        grouped = ast.Grouped(c[1], group, span=meta_span(meta))
        return ast.Aggregate(str(c[0]), grouped, span=meta_span(meta))

    def distinct_values(self, meta: Any, c: list[Any]) -> ast.Selection:
        scope = c[2] if c[2] is not None else ast.EventScope.OWN
        return ast.Selection(str(c[1]), str(c[0]), True, c[3], scope, span=meta_span(meta))

    def selection(self, meta: Any, c: list[Any]) -> ast.Selection:
        kind, field, distinct = c[0]
        scope = c[1] if c[1] is not None else ast.EventScope.OWN
        return ast.Selection(kind, field, distinct, c[2], scope, span=meta_span(meta))

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
