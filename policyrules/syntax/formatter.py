"""Syntax tree → source text, in the one canonical layout.

The formatter is the inverse of the parser: ``parse(format_policy(tree)) == tree`` for every
tree, and formatting formatted text changes nothing. The layout: two-space indents, one
statement per line, a blank line between top-level definitions and before each obligation,
the fewest parentheses that keep the meaning, comments kept where they were written (a
comment inside a multi-line expression moves above its statement).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from policyrules.calendar.moments import LAST_INSTANT
from policyrules.syntax import ast

INDENT = "  "
#: Set definitions longer than this are written one member per line.
LINE_WIDTH = 100

# Precedence levels, loosest first; an operand below the level its position needs is
# parenthesised.
OR, AND, NOT, COMPARE, SUM, PRODUCT, UNARY, POSTFIX, ATOM = range(1, 10)


def format_policy(tree: ast.PolicyFile) -> str:
    """The canonical text of a parsed policy file."""
    lines: list[str] = []
    previous: ast.Node | None = None
    for item in tree.items:
        if previous is not None and _blank_between(previous, item):
            lines.append("")
        lines.extend(_item_lines(item, 0))
        previous = item
    if tree.end_comments:
        if lines:
            lines.append("")
        lines.extend(_comment_lines(tree.end_comments, 0))
    return "\n".join(lines) + "\n" if lines else ""


def _blank_between(previous: ast.Node, item: ast.Node) -> bool:
    if type(previous) is not type(item):
        return True
    if isinstance(item, ast.Item) and item.comments:
        return True
    return _is_block(previous) or _is_block(item)


def _is_block(item: ast.Node) -> bool:
    if isinstance(item, (ast.BandDef, ast.EventDef, ast.UnitsDef, ast.Policy, ast.Obligation)):
        return True
    if isinstance(item, ast.SetDef):
        return len(_set_lines(item, 0)) > 1
    return False


def _comment_lines(comments: Sequence[str], depth: int) -> list[str]:
    return [f"{INDENT * depth}# {text}".rstrip() for text in comments]


def _with_comments(item: ast.Item, body: list[str], depth: int) -> list[str]:
    lines = _comment_lines(item.comments, depth) + body
    if item.trailing is not None:
        lines[-1] = f"{lines[-1]}  # {item.trailing}".rstrip()
    return lines


def _block(
    head: str, children: Sequence[ast.Item], end_comments: Sequence[str], depth: int
) -> list[str]:
    pad = INDENT * depth
    lines = [f"{pad}{head} {{"]
    previous: ast.Item | None = None
    for child in children:
        if previous is not None and isinstance(child, ast.Obligation):
            lines.append("")
        lines.extend(_item_lines(child, depth + 1))
        previous = child
    lines.extend(_comment_lines(end_comments, depth + 1))
    lines.append(f"{pad}}}")
    return lines


def _item_lines(item: ast.Item, depth: int) -> list[str]:
    pad = INDENT * depth
    body: list[str]
    if isinstance(item, ast.Policy):
        head = f"policy {item.name} {string(item.title)}"
        body = _block(head, item.body, item.end_comments, depth)
    elif isinstance(item, ast.Obligation):
        head = f"obligation {item.name} {string(item.title)}"
        body = _block(head, item.body, item.end_comments, depth)
    elif isinstance(item, ast.BandDef):
        body = _block(f"band {item.name}", item.rows, item.end_comments, depth)
    elif isinstance(item, ast.EventDef):
        head = f"event {item.name}"
        if item.stock:
            head += " stock"
        if item.counts_for is not None:
            head += f" counts for {item.counts_for}"
        body = _block(head, item.fields, item.end_comments, depth)
    elif isinstance(item, ast.UnitsDef):
        body = _block("units", item.fields, item.end_comments, depth)
    elif isinstance(item, ast.SetDef):
        body = _set_lines(item, depth)
    else:
        body = [pad + _line(item)]
    return _with_comments(item, body, depth)


def _set_lines(item: ast.SetDef, depth: int) -> list[str]:
    pad = INDENT * depth
    one_line = f"{pad}set {item.name} = {expression(item.members)}"
    if len(one_line) <= LINE_WIDTH or len(item.members.items) < 2:
        return [one_line]
    lines = [f"{pad}set {item.name} = ["]
    lines.extend(f"{pad}{INDENT}{expression(member)}," for member in item.members.items)
    lines.append(f"{pad}]")
    return lines


def _line(item: ast.Item) -> str:
    """One-line items: metadata, statements, rows, fields and simple definitions."""
    match item:
        case ast.Import(path=path):
            return f"import {string(path)}"
        case ast.FestivalDef(name=name, label=label, rule=rule):
            label_text = f" {string(label)}" if label is not None else ""
            return f"festival {name}{label_text} = {date_rule(rule)}"
        case ast.LetDef(name=name, value=value) | ast.Let(name=name, value=value):
            return f"let {name} = {expression(value)}"
        case ast.BandRow(low=low, high=high, value=value):
            low_text = "" if low is None else str(low)
            high_text = "" if high is None else str(high)
            return f"{low_text}..{high_text} => {_band_value(value)}"
        case ast.FieldDecl(name=name, type=type_):
            return f"{name}: {type_expr(type_)}"
        case ast.Issuer(name=name):
            return f"issuer {string(name)}"
        case ast.Document(number=number):
            return f"document {string(number)}"
        case ast.Issued(date=date):
            return f"issued {date.isoformat()}"
        case ast.Effective(start=start, end=end):
            end_text = f" {end.isoformat()}" if end is not None else ""
            return f"effective {start.isoformat()} ..{end_text}"
        case ast.Timezone(name=name):
            return f"timezone {string(name)}"
        case ast.WorkdayEnds(time=time):
            return f"workday ends {clock(time)}"
        case ast.Warn(horizon=horizon):
            return f"warn {duration(horizon)}"
        case ast.Consequence(text=text):
            return f"consequence {string(text)}"
        case ast.AppliesTo(condition=condition):
            return f"applies to {expression(condition)}"
        case ast.Cites(clause=clause):
            return f"cites {string(clause)}"
        case ast.Refs(labels=labels):
            return "refs " + ", ".join(labels)
        case ast.SeverityStmt(level=level):
            return f"severity {level.value}"
        case ast.ForEachSubject(field=field, kind=kind, where=where):
            return f"for each {field} of {kind}{_where(where)}"
        case ast.Once():
            return "once"
        case ast.Every(unit=unit, on=on):
            on_text = f" on {pattern(on)}" if on is not None else ""
            return f"every {unit.value}{on_text}"
        case ast.EachOccurrence(pattern=pat):
            return f"each {pattern(pat)}"
        case ast.ForEachEvent(kind=kind, where=where):
            return f"for each {kind}{_where(where)}"
        case ast.Require(condition=condition):
            return f"require {expression(condition)}"
        case ast.Due(when=when, time=time):
            return f"due {due_date(when)}{_due_time(time)}"
        case ast.AcceptLate():
            return "accept late"
        case ast.Partial(mode=mode):
            return f"partial periods {mode.value}"
        case ast.Supersedes(policy=policy, obligation=obligation):
            return f"supersedes {policy}.{obligation}"
        case ast.UntilSuperseded():
            return "until superseded"
    raise TypeError(f"cannot format {type(item).__name__}")  # pragma: no cover


def _where(where: ast.Expr | None) -> str:
    return f" where {expression(where)}" if where is not None else ""


def _band_value(value: ast.BandAbsolute | ast.BandPercent) -> str:
    if isinstance(value, ast.BandAbsolute):
        return number(value.minimum)
    text = f"{number(value.percent)}%"
    if value.rounding is not None:
        text += f" round {value.rounding.value}"
    return text


# ----------------------------------------------------------------------------- leaves


def string(text: str) -> str:
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    )
    return f'"{escaped}"'


def number(value: Decimal | int) -> str:
    if isinstance(value, int):
        return str(value)
    text = format(value, "f")
    return text


def decimal_literal(value: Decimal) -> str:
    """A decimal that reads back as a decimal, not an integer (`2.0`, not `2`)."""
    text = format(value, "f")
    return text if "." in text else text + ".0"


def clock(time: dt.time) -> str:
    if time == LAST_INSTANT:
        return "24:00"
    return f"{time.hour:02d}:{time.minute:02d}"


def duration(value: ast.Duration) -> str:
    unit = value.unit.value + ("" if value.amount == 1 else "s")
    working = "working " if value.working else ""
    return f"{value.amount} {working}{unit}"


def ordinal(value: int) -> str:
    if value == -1:
        return "last"
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(value, "th")
    return f"{value}{suffix}"


def month_day(month: int, day: int) -> str:
    return f"{month:02d}-{day:02d}"


def type_expr(node: ast.TypeExpr) -> str:
    match node:
        case ast.ScalarType(name=name):
            return name
        case ast.ListType(item=item):
            return f"list of {type_expr(item)}"
        case ast.EnumType(values=values):
            return "one of [" + ", ".join(string(v) for v in values) + "]"
    raise TypeError(node)  # pragma: no cover


# ----------------------------------------------------------------------------- calendar


def date_rule(rule: ast.DateRule) -> str:
    if isinstance(rule, ast.DateOffset):
        direction = "before" if rule.before else "after"
        return f"{duration(rule.distance)} {direction} {date_rule(rule.base)}"
    return _pattern(rule, top=True)


def pattern(node: ast.Pattern) -> str:
    """A pattern where a union may stand bare (`every month on A or B`)."""
    return _pattern(node, top=True)


def _pattern(node: ast.Pattern, top: bool = False) -> str:
    match node:
        case ast.WorkingDayPattern():
            return "working day"
        case ast.RestDayPattern():
            return "rest day"
        case ast.HolidayPattern():
            return "holiday"
        case ast.NthWeekday(ordinal=n, weekday=weekday, month=month):
            month_text = f" of {ast.MONTHS[month - 1]}" if month is not None else ""
            return f"{ordinal(n)} {weekday.value}{month_text}"
        case ast.MonthPattern(month=month):
            return ast.MONTHS[month - 1]
        case ast.DayOfQuarter(day=day, month=None):
            return f"day {day} of last month of quarter"
        case ast.DayOfQuarter(day=day, month=month):
            return f"day {day} of month {month} of quarter"
        case ast.FixedDate(month=month, day=day):
            return month_day(month, day)
        case ast.ExactDate(date=date):
            return date.isoformat()
        case ast.LunarDate(month=month, day=day, leap=leap):
            return f"lunar {'leap ' if leap else ''}{month_day(month, day)}"
        case ast.SolarTerm(name=name):
            return f"term {name}"
        case ast.NamedPattern(name=name):
            return name
        case ast.Around(base=base, distance=distance):
            return f"{_pattern(base)} ± {duration(distance)}"
        case ast.AnyOf(options=options):
            text = " or ".join(_pattern(option) for option in options)
            return text if top else f"({text})"
    raise TypeError(node)  # pragma: no cover


# ----------------------------------------------------------------------------- deadlines


def due_date(node: ast.DueDate) -> str:
    match node:
        case ast.OnDate(date=date):
            return date.isoformat()
        case ast.MonthDayOfPeriod(month=month, day=day):
            return month_day(month, day)
        case ast.PeriodEnd():
            return "end of period"
        case ast.AfterAnchor(distance=distance, anchor=anchor):
            return f"{duration(distance)} after {anchor.value}"
        case ast.WeekdayAfter(weekday=weekday, anchor=anchor):
            return f"{weekday.value} after {anchor.value}"
        case ast.DayOfLastMonth(day=day):
            return f"day {day} of last month"
        case ast.DayOfMonth(day=day, month=month):
            return f"day {day} of month {month}"
    raise TypeError(node)  # pragma: no cover


def _due_time(node: ast.DueTime | None) -> str:
    if node is None:
        return ""
    if isinstance(node, ast.WorkdayEnd):
        return " at workday end"
    return f" at {clock(node.time)}"


# ----------------------------------------------------------------------------- expressions


def expression(node: ast.Expr) -> str:
    """The text of an expression, with the fewest parentheses that keep its meaning."""
    return _expr(node)[0]


def _at(node: Any, level: int) -> str:
    text, own = _expr(node)
    return text if own >= level else f"({text})"


def _expr(node: Any) -> tuple[str, int]:
    match node:
        case ast.IntLit(value=value):
            return str(value), ATOM
        case ast.DecimalLit(value=value):
            return decimal_literal(value), ATOM
        case ast.PercentLit(value=value):
            return f"{number(value)}%", ATOM
        case ast.StringLit(value=value):
            return string(value), ATOM
        case ast.BoolLit(value=value):
            return ("true" if value else "false"), ATOM
        case ast.DateLit(value=value):
            return value.isoformat(), ATOM
        case ast.ListLit(items=items):
            return "[" + ", ".join(expression(i) for i in items) + "]", ATOM
        case ast.Name(id=name):
            return name, ATOM
        case ast.Context(which=which):
            return which.value, ATOM
        case ast.BandCall(band=band, argument=argument):
            return f"{band}({expression(argument)})", ATOM
        case ast.Call(function=function, arguments=arguments):
            return f"{function}(" + ", ".join(expression(a) for a in arguments) + ")", ATOM
        case ast.Quantifier(kind=kind, variable=variable, collection=coll, condition=cond):
            return f"{kind}({variable} in {expression(coll)}: {expression(cond)})", ATOM
        case ast.Aggregate(function=function, source=source):
            inner = _selection(source) if isinstance(source, ast.Selection) else _grouped(source)
            return f"{function}({inner})", ATOM
        case ast.Grouped():
            return _grouped(node), POSTFIX
        case ast.Selection(field=field, kind=kind, where=where, scope=scope):
            return f"distinct({field} of {kind}{_event_scope(scope)}{_where(where)})", ATOM
        case ast.Attribute(value=value, name=name):
            return f"{_at(value, POSTFIX)}.{name}", POSTFIX
        case ast.PercentOf(percent=percent, base=base):
            return f"{number(percent)}% of {_at(base, POSTFIX)}", UNARY
        case ast.Negate(operand=operand):
            return f"-{_at(operand, UNARY)}", UNARY
        case ast.Arithmetic(op=op, left=left, right=right):
            level = SUM if op in "+-" else PRODUCT
            return f"{_at(left, level)} {op} {_at(right, level + 1)}", level
        case ast.Compare(op=op, left=left, right=right):
            return f"{_at(left, SUM)} {op} {_at(right, SUM)}", COMPARE
        case ast.Between(value=value, low=low, high=high):
            text = f"{_at(value, SUM)} between {_at(low, SUM)} and {_at(high, SUM)}"
            return text, COMPARE
        case ast.In(value=value, collection=collection, negated=negated):
            op = "not in" if negated else "in"
            return f"{_at(value, SUM)} {op} {_at(collection, SUM)}", COMPARE
        case ast.OnPattern(value=value, pattern=pat):
            return f"{_at(value, SUM)} on {_pattern(pat)}", COMPARE
        case ast.During(value=value, start=start, end=end):
            return f"{_at(value, SUM)} during {clock(start)}..{clock(end)}", COMPARE
        case ast.IsSet(value=value, negated=negated):
            return f"{_at(value, SUM)} is {'not ' if negated else ''}set", COMPARE
        case ast.Not(operand=operand):
            return f"not {_at(operand, NOT)}", NOT
        case ast.BoolOp(op="and", left=left, right=right):
            return f"{_at(left, AND)} and {_at(right, NOT)}", AND
        case ast.BoolOp(op="or", left=left, right=right):
            return f"{_at(left, OR)} or {_at(right, AND)}", OR
    raise TypeError(f"cannot format {node!r}")  # pragma: no cover


def _selection(node: ast.Selection) -> str:
    if node.field is None:
        head = node.kind
    elif node.distinct:
        head = f"distinct {node.field} of {node.kind}"
    else:
        head = f"{node.field} of {node.kind}"
    return head + _event_scope(node.scope) + _where(node.where)


def _event_scope(scope: ast.EventScope) -> str:
    return "" if scope is ast.EventScope.OWN else f" from {scope.value}"


def _grouped(node: ast.Grouped) -> str:
    inner = expression(node.aggregate)
    if isinstance(node.group, ast.PeriodGroup):
        return f"{inner} per {node.group.unit.value}"
    return f"{inner} per {node.group.field} in {_at(node.group.members, ATOM)}"
