"""Deadlines and windows: `due` statements that cannot be meant, and requirements that the
window of an `every` schedule cannot hold (four a year at one a quarter in three quarters)."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence

from policyrules.diagnostics.messages import msg
from policyrules.semantics.definitions import DefinitionChecks
from policyrules.semantics.model import Window
from policyrules.syntax import ast

_PERIOD_MONTHS = {
    ast.PeriodUnit.MONTH: 1,
    ast.PeriodUnit.QUARTER: 3,
    ast.PeriodUnit.HALF_YEAR: 6,
    ast.PeriodUnit.YEAR: 12,
}
_PERIOD_ORDER = [
    ast.PeriodUnit.DAY,
    ast.PeriodUnit.WORKING_DAY,
    ast.PeriodUnit.WEEK,
    ast.PeriodUnit.MONTH,
    ast.PeriodUnit.QUARTER,
    ast.PeriodUnit.HALF_YEAR,
    ast.PeriodUnit.YEAR,
]


class DeadlineChecks(DefinitionChecks):
    def check_due(
        self,
        due: ast.Due,
        schedule: ast.Item | None,
        window: Window,
    ) -> None:
        when = due.when
        if isinstance(when, (ast.AfterAnchor, ast.WeekdayAfter)):
            if when.anchor is ast.Anchor.TRIGGER and not isinstance(schedule, ast.ForEachEvent):
                self.error(
                    "`trigger` is known only in `for each …` obligations",
                    when.span,
                    "count from the period instead: `… after period end`",
                    code="out-of-context"
                )
            if when.anchor is not ast.Anchor.TRIGGER and isinstance(schedule, ast.ForEachEvent):
                self.warning(
                    "a per-event deadline counted from the period, not the event",
                    when.span,
                    "did you mean `… after trigger`?",
                    code="deadline"
                )
        if isinstance(when, ast.OnDate):
            if when.date < window.start:
                self.error(
                    msg("the deadline {date} is before the obligation's window starts ({start})",
                        date=when.date, start=window.start),
                    when.span,
                    "a deadline must leave time to meet it: check the date or the window",
                    code="deadline"
                )
            if isinstance(schedule, ast.Every):
                self.warning(
                    "a fixed date is the deadline of every period",
                    when.span,
                    "for a deadline in each period use for example `due day 25 of last"
                    " month` or `due 03-20`",
                    code="deadline"
                )
        if isinstance(when, ast.MonthDayOfPeriod) and not isinstance(schedule, ast.ForEachEvent):
            if not (isinstance(schedule, ast.Every) and schedule.unit is ast.PeriodUnit.YEAR) and (
                not isinstance(schedule, ast.Once)
            ):
                self.error(
                    msg("`due {day}` needs a yearly schedule",
                        day=f"{when.month:02d}-{when.day:02d}"),
                    when.span,
                    "use `every year`, or give a full date such as `due 2019-05-27`",
                    code="deadline"
                )
            else:
                first = _safe_date(window.start.year, when.month, when.day)
                if first is not None and first < window.start:
                    self.warning(
                        msg("in {year} the deadline {first} falls before the window starts "
                            "({start})", year=window.start.year, first=first, start=window.start),
                        when.span,
                        msg("that year cannot be met in time; start the obligation later "
                            "(`effective {year}-01-01 ..`) if the notice means the next year",
                            year=window.start.year + 1),
                        code="deadline"
                    )
        if isinstance(when, (ast.DayOfLastMonth, ast.DayOfMonth)) and not isinstance(
            schedule, ast.ForEachEvent
        ):
            months = (
                _PERIOD_MONTHS.get(schedule.unit) if isinstance(schedule, ast.Every) else None
            )
            if months is None:
                self.error(
                    "a day of the period's month needs a monthly, quarterly or yearly schedule",
                    when.span,
                    "use `every month`, `every quarter`, `every half year` or `every year`",
                    code="deadline"
                )
            elif isinstance(when, ast.DayOfMonth) and when.month > months:
                self.error(
                    msg("a {unit} has no month {month}",
                        unit=msg(schedule.unit.value),  # type: ignore[union-attr]
                        month=when.month),
                    when.span,
                    msg("use a month from 1 to {months}", months=months),
                    code="deadline"
                )
            if when.day > 28:
                self.warning(
                    msg("day {day} does not exist in every month", day=when.day),
                    when.span,
                    "in shorter months the deadline is the month's last day",
                    code="deadline"
                )
        if isinstance(schedule, ast.ForEachEvent) and isinstance(
            when, (ast.PeriodEnd, ast.DayOfLastMonth, ast.DayOfMonth, ast.MonthDayOfPeriod)
        ):
            self.error(
                "a per-event obligation has no period to end",
                when.span,
                "count from the event: `due 2 working days after trigger`",
                code="deadline"
            )

    # ------------------------------------------------------------------ window warnings

    def check_window_can_hold(
        self,
        ob: ast.Obligation,
        schedule: ast.Every,
        window: Window,
        requires: Sequence[ast.Expr],
        partial: ast.Item | None,
    ) -> None:
        """Warn about requirements that the window cannot hold, e.g. four a year with at
        most one a quarter, in a window of three quarters (YZ-1/YZ-2)."""
        for condition in requires:
            for node in ast.walk(condition):
                if isinstance(node, ast.PeriodGroup) and _longer(node.unit, schedule.unit):
                    self.error(
                        msg("a {unit} does not fit in a {schedule}", unit=msg(node.unit.value),
                            schedule=msg(schedule.unit.value)),
                        node.span,
                        msg("group by a period shorter than the schedule's (`every {unit}`)",
                            unit=schedule.unit.value),
                        code="window"
                    )
        mode = partial.mode if isinstance(partial, ast.Partial) else ast.PartialMode.COUNT
        if mode is not ast.PartialMode.COUNT or schedule.unit not in _PERIOD_MONTHS:
            return
        months = _PERIOD_MONTHS[schedule.unit]
        for edge in _partial_edges(window, months):
            held_months, total = edge
            for condition in requires:
                lower, upper_per_group = _count_bounds(condition)
                if lower is None:
                    continue
                for unit, upper in upper_per_group.items():
                    group_months = _PERIOD_MONTHS.get(unit)
                    if group_months is None:
                        continue
                    groups = -(-held_months // group_months)
                    if groups * upper < lower:
                        self.warning(
                            msg("the window cannot hold this: {lower} needed, but at most {upper}"
                                " per {unit} fit in the {groups} {unit}{plural} of {total}",
                                lower=lower,
                                upper=upper, unit=msg(unit.value), groups=groups,
                                plural="s" if groups != 1 else "", total=total),
                            condition.span,
                            "say `partial periods prorate` or `skip`, or give the partial"
                            " period its own obligation with its own target",
                            code="window"
                        )
                if partial is None and lower >= 2 and not upper_per_group:
                    self.warning(
                        msg("{total} is only partly inside the window ({held_months} of {months} "
                            "months); the full target of {lower} applies to it",
                            total=total, held_months=held_months, months=months, lower=lower),
                        condition.span,
                        "targets are not pro-rated unless the policy says so: confirm with"
                        " `partial periods count`, or say `prorate` or `skip`",
                        code="window"
                    )

    # ------------------------------------------------------------------ expressions


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _longer(a: ast.PeriodUnit, b: ast.PeriodUnit) -> bool:
    return _PERIOD_ORDER.index(a) > _PERIOD_ORDER.index(b)


def _partial_edges(window: Window, months: int) -> list[tuple[int, str]]:
    """For each period the window cuts, (the whole months of it inside, its label)."""
    edges: list[tuple[int, str]] = []

    def period_of(day: dt.date) -> tuple[int, int]:
        index = (day.month - 1) // months
        return day.year, index

    def label(year: int, index: int) -> str:
        if months == 12:
            return str(year)
        if months == 6:
            return f"{year}H{index + 1}"
        if months == 3:
            return f"{year}Q{index + 1}"
        return f"{year}-{index + 1:02d}"

    start_year, start_index = period_of(window.start)
    first_month = start_index * months + 1
    if window.start != dt.date(start_year, first_month, 1):
        # months of the period from the window's start month on (a cut month counts)
        held = months - (window.start.month - first_month)
        if window.end is not None and period_of(window.end) == (start_year, start_index):
            held = window.end.month - window.start.month + 1
        edges.append((held, label(start_year, start_index)))
    if window.end is not None:
        end_year, end_index = period_of(window.end)
        last_month = end_index * months + months
        # the period is cut unless the window ends on its last day (no day after it is
        # asked for: a window may end on 9999-12-31)
        month_end = calendar.monthrange(window.end.year, window.end.month)[1]
        cut = window.end.month != last_month or window.end.day != month_end
        if cut and (end_year, end_index) != (start_year, start_index):
            held = window.end.month - end_index * months
            edges.append((held, label(end_year, end_index)))
    return edges


def _count_bounds(condition: ast.Expr) -> tuple[int | None, dict[ast.PeriodUnit, int]]:
    """From a requirement, the least total count it asks for and the most per sub-period it
    allows, where it says so plainly (`count(…) >= 4`, `count(…) per quarter <= 1`)."""
    lower: int | None = None
    upper: dict[ast.PeriodUnit, int] = {}
    stack: list[ast.Expr] = [condition]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.BoolOp) and node.op == "and":
            stack.extend((node.left, node.right))
            continue
        if isinstance(node, ast.Compare) and isinstance(node.right, ast.IntLit):
            n = node.right.value
            if isinstance(node.left, ast.Aggregate) and node.left.function == "count":
                if node.op in (">=", "=="):
                    lower = max(lower or 0, n)
                elif node.op == ">":
                    lower = max(lower or 0, n + 1)
            if (
                isinstance(node.left, ast.Grouped)
                and isinstance(node.left.group, ast.PeriodGroup)
                and node.op in ("<=", "==", "<")
            ):
                upper[node.left.group.unit] = n - 1 if node.op == "<" else n
        if (
            isinstance(node, ast.Between)
            and isinstance(node.value, ast.Grouped)
            and isinstance(node.value.group, ast.PeriodGroup)
            and isinstance(node.high, ast.IntLit)
        ):
            upper[node.value.group.unit] = node.high.value
    return lower, upper


