"""Checked policy → compiled rules: when each obligation applies and when it is due.

For every obligation this stage answers the calendar questions, independently of any
events: which *instances* it has inside its effective window (the periods of `every month`,
the occurrences of `each 07-01 ± 15 days`, the one window of `once`), which days of an
instance qualify (`every month on 2nd saturday`), and the *due* instant of each instance or
of each triggering event. Instances whose dates depend on calendar data past the working-day
horizon are marked indeterminate with the reason, never guessed.

Everything is dated in the policy's time zone. A deadline on a day (`due 2019-05-27`,
"5月27日前") is the end of that day; `at workday end` (下班前) is the policy's `workday ends`
hour (17:30 unless it says otherwise).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from policyrules.calendar.patterns import Occurrence, PatternCalendar
from policyrules.calendar.periods import Period, day_of_month_in, in_period_year, periods_between
from policyrules.calendar.workdays import CalendarIndeterminate, WorkdayCalendar, default_calendar
from policyrules.rules.days import DayNames
from policyrules.semantics import CheckedObligation, CheckedPolicy, Window
from policyrules.syntax import ast

END_OF_DAY = dt.time(23, 59, 59)


@dataclass(frozen=True)
class Instance:
    """One period (or occurrence, or the whole window) in which an obligation is checked."""

    label: str  # "2019Q2", "2021-03-13", "中元节 2021", the window for `once`
    start: dt.date  # first day that counts (the period clipped to the window)
    end: dt.date  # last day that counts
    due: dt.datetime | None  # None when indeterminate
    partial: bool = False
    #: for `every … on PATTERN`: the days that qualify inside the instance
    qualifying: tuple[Occurrence, ...] | None = None
    #: why the instance cannot be dated (calendar data missing), or None
    indeterminate: str | None = None
    period: Period | None = None  # the calendar period, for `every`

    def qualifying_days_left(self, today: dt.date) -> bool:
        """Whether a day that can still satisfy the instance is left: for `on` patterns, an
        occurrence not yet over; otherwise always (what is due can come until the due)."""
        if self.qualifying is None:
            return True
        return any(o.end >= today for o in self.qualifying)


@dataclass
class CompiledObligation:
    checked: CheckedObligation
    policy: CompiledPolicy
    window: Window = field(init=False)

    def __post_init__(self) -> None:
        window = self.checked.window
        if self.checked.superseded_from is not None:
            end = self.checked.superseded_from - dt.timedelta(days=1)
            window = Window(window.start, end if window.end is None else min(end, window.end))
        self.window = window

    @property
    def name(self) -> str:
        return self.checked.name

    @property
    def schedule(self) -> ast.Once | ast.Every | ast.EachOccurrence | ast.ForEachEvent:
        return self.checked.schedule

    # --------------------------------------------------------------- instances

    def instances(self, until: dt.date, *, started_by: dt.date | None = None) -> Iterator[Instance]:
        """The instances inside the window up to `until`; with `started_by`, only those that
        have started by that day (the contract: later periods only on request)."""
        window_end = until if self.window.end is None else min(until, self.window.end)
        if window_end < self.window.start:
            return
        last_start = window_end if started_by is None else min(window_end, started_by)
        schedule = self.schedule
        if isinstance(schedule, ast.Once):
            end = self.window.end or window_end
            label = f"{self.window.start}..{self.window.end or ''}"
            yield self._instance(label, self.window.start, end, None)
        elif isinstance(schedule, ast.Every):
            yield from self._periods(schedule, window_end, last_start)
        elif isinstance(schedule, ast.EachOccurrence):
            try:
                occurrences = self.policy.patterns.occurrences(
                    self.policy.names.day_set(schedule.pattern), self.window.start, window_end
                )
            except CalendarIndeterminate as missing:
                yield Instance(
                    f"{self.window.start}..{window_end}", self.window.start, window_end, None,
                    indeterminate=missing.message,
                )
                return
            for occurrence in occurrences:
                start = max(occurrence.start, self.window.start)
                end = min(occurrence.end, self.window.end or occurrence.end)
                if start > last_start:
                    break
                partial = (start, end) != (occurrence.start, occurrence.end)
                yield self._instance(occurrence.label, start, end, None, partial=partial)

    def _periods(
        self, schedule: ast.Every, window_end: dt.date, last_start: dt.date
    ) -> Iterator[Instance]:
        mode = self.checked.partial
        for period in periods_between(schedule.unit, self.window.start, window_end):
            start = max(period.start, self.window.start)
            end = min(period.end, self.window.end) if self.window.end else period.end
            if start > last_start:
                break
            partial = (start, end) != (period.start, period.end)
            if partial and mode is ast.PartialMode.SKIP:
                continue
            if partial and mode is ast.PartialMode.WHOLE:
                start, end = period.start, period.end
            if schedule.unit is ast.PeriodUnit.WORKING_DAY:
                try:
                    if not self.policy.workdays.is_working_day(period.start):
                        continue
                except CalendarIndeterminate as missing:
                    yield Instance(period.label, start, end, None, indeterminate=missing.message,
                                   period=period)
                    continue
            qualifying: tuple[Occurrence, ...] | None = None
            if schedule.on is not None:
                try:
                    qualifying = tuple(
                        self.policy.patterns.occurrences(
                            self.policy.names.day_set(schedule.on), start, end
                        )
                    )
                except CalendarIndeterminate as missing:
                    yield Instance(period.label, start, end, None, partial,
                                   indeterminate=missing.message, period=period)
                    continue
            yield self._instance(period.label, start, end, period, partial, qualifying)

    def _instance(
        self,
        label: str,
        start: dt.date,
        end: dt.date,
        period: Period | None,
        partial: bool = False,
        qualifying: tuple[Occurrence, ...] | None = None,
    ) -> Instance:
        try:
            due = self.due_for_period(start, end, period)
        except CalendarIndeterminate as missing:
            return Instance(label, start, end, None, partial, qualifying, missing.message, period)
        return Instance(label, start, end, due, partial, qualifying, None, period)

    # --------------------------------------------------------------- deadlines

    def due_for_period(self, start: dt.date, end: dt.date, period: Period | None) -> dt.datetime:
        """The due instant of an instance running `start` .. `end`."""
        due = self.checked.due
        if due is None:
            return self.policy.at(end, None)
        when = due.when
        natural = period or Period(start, ast.PeriodUnit.DAY)
        match when:
            case ast.OnDate(date=date):
                day = date
            case ast.MonthDayOfPeriod(month=month, day=d):
                day = in_period_year(Period(start, ast.PeriodUnit.YEAR), month, d)
            case ast.PeriodEnd():
                day = end
            case ast.AfterAnchor(distance=distance, anchor=anchor):
                base = start if anchor is ast.Anchor.PERIOD_START else end
                return self.policy.after(base, distance, due.time)
            case ast.WeekdayAfter(weekday=weekday, anchor=anchor):
                base = start if anchor is ast.Anchor.PERIOD_START else end
                ahead = (weekday.number - base.weekday() - 1) % 7 + 1
                day = base + dt.timedelta(days=ahead)
            case ast.DayOfLastMonth(day=d):
                day = day_of_month_in(natural, None, d)
            case ast.DayOfMonth(day=d, month=month):
                day = day_of_month_in(natural, month, d)
            case _:  # pragma: no cover - the checker refuses the rest
                raise TypeError(when)
        return self.policy.at(day, due.time)

    def due_for_event(self, at: dt.datetime) -> dt.datetime:
        """The due instant for the instance opened by an event at `at` (`for each`)."""
        due = self.checked.due
        if due is None:
            return at  # checked at the moment of the event (published before it, insured …)
        when = due.when
        match when:
            case ast.AfterAnchor(distance=distance):
                return self.policy.after(at, distance, due.time)
            case ast.WeekdayAfter(weekday=weekday):
                base = at.date()
                ahead = (weekday.number - base.weekday() - 1) % 7 + 1
                return self.policy.at(base + dt.timedelta(days=ahead), due.time)
            case ast.OnDate(date=date):
                return self.policy.at(date, due.time)
        raise TypeError(when)  # pragma: no cover - the checker refuses the rest


@dataclass
class CompiledPolicy:
    checked: CheckedPolicy
    workdays: WorkdayCalendar
    patterns: PatternCalendar
    names: DayNames
    zone: ZoneInfo
    obligations: list[CompiledObligation] = field(default_factory=list)

    def at(self, day: dt.date, time: ast.DueTime | None) -> dt.datetime:
        """`day` at a due time: the end of the day unless one is given."""
        if isinstance(time, ast.ClockTime):
            clock = time.time
        elif isinstance(time, ast.WorkdayEnd):
            clock = self.checked.workday_end
        else:
            clock = END_OF_DAY
        return dt.datetime.combine(day, clock, tzinfo=self.zone)

    def after(
        self, base: dt.date | dt.datetime, distance: ast.Duration, time: ast.DueTime | None
    ) -> dt.datetime:
        """`N days/working days/weeks/hours after` `base`."""
        if distance.unit is ast.DurationUnit.HOUR:
            moment = base if isinstance(base, dt.datetime) else self.at(base, None)
            return moment + dt.timedelta(hours=distance.amount)
        day = base.date() if isinstance(base, dt.datetime) else base
        if distance.working:
            day = self.workdays.add_working_days(day, distance.amount)
        else:
            days = distance.amount * (7 if distance.unit is ast.DurationUnit.WEEK else 1)
            day = day + dt.timedelta(days=days)
        return self.at(day, time)

    def obligation(self, name: str) -> CompiledObligation:
        for ob in self.obligations:
            if ob.name == name:
                return ob
        raise KeyError(name)


def compile_policy(
    policy: CheckedPolicy, workdays: WorkdayCalendar | None = None
) -> CompiledPolicy:
    calendar = workdays or default_calendar()
    compiled = CompiledPolicy(
        checked=policy,
        workdays=calendar,
        patterns=PatternCalendar(calendar),
        names=DayNames(policy.definitions.festivals, policy.definitions.sets),
        zone=ZoneInfo(policy.timezone),
    )
    compiled.obligations = [CompiledObligation(ob, compiled) for ob in policy.obligations]
    return compiled


def band_minimum(band: ast.BandDef, value: Any) -> tuple[float | None, int | None]:
    """The minimum a band gives for `value`, and the index of the row that gave it."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None, None
    for index, row in enumerate(band.rows):
        if (row.low is None or value >= row.low) and (row.high is None or value <= row.high):
            if isinstance(row.value, ast.BandAbsolute):
                return float(row.value.minimum), index
            share = float(row.value.percent) / 100 * value
            match row.value.rounding:
                case ast.Rounding.UP:
                    return float(math.ceil(share - 1e-9)), index
                case ast.Rounding.DOWN:
                    return float(math.floor(share + 1e-9)), index
                case _:
                    return float(math.floor(share + 0.5)), index
    return None, None
