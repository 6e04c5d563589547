"""Rules → instances and deadlines: the calendar questions, answered without any event.

For every rule this stage says which *instances* it has inside its effective window (the
periods of `every month`, the occurrences of `each 07-01 ± 15 days`, the one window of
`once`), which days of an instance qualify (`every month on 2nd saturday`), and the *due*
instant of each instance or of each triggering event. Instances whose dates depend on
calendar data past the working-day horizon are marked indeterminate with the reason, never
guessed.

Everything is dated in the policy's time zone. A deadline on a day (`due 2019-05-27`,
"5月27日前") is the end of that day (:mod:`policyrules.calendar.moments`); `at workday
end` (下班前) is the policy's `workday ends` hour.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from policyrules.calendar.moments import day_end, day_start, deadline_on
from policyrules.calendar.patterns import Occurrence, PatternCalendar
from policyrules.calendar.periods import (
    Period,
    PeriodUnit,
    clip,
    day_of_month_in,
    in_period_year,
    periods_between,
)
from policyrules.calendar.workdays import CalendarIndeterminate, PastTheCalendar, WorkdayCalendar
from policyrules.diagnostics.messages import Message
from policyrules.rules import ir


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
    indeterminate: Message | None = None
    period: Period | None = None  # the calendar period, for `every`

    def qualifying_days_left(self, today: dt.date) -> bool:
        """Whether a day that can still satisfy the instance is left: for `on` patterns, an
        occurrence not yet over; otherwise always (what is due can come until the due)."""
        if self.qualifying is None:
            return True
        return any(o.end >= today for o in self.qualifying)

    def share(self) -> float | None:
        """The share of a cut period's days inside the window (`partial periods prorate`)."""
        if not self.partial or self.period is None:
            return None
        return ((self.end - self.start).days + 1) / self.period.days


class Clock:
    """A policy's time: its zone, its working days and its day sets."""

    def __init__(self, zone: ZoneInfo, workdays: WorkdayCalendar, patterns: PatternCalendar
                 ) -> None:
        self.zone = zone
        self.workdays = workdays
        self.patterns = patterns

    def start_of(self, day: dt.date) -> dt.datetime:
        return day_start(day, self.zone)

    def end_of(self, day: dt.date) -> dt.datetime:
        """The last instant of `day`: what counts as on or before it."""
        return day_end(day, self.zone)

    def at(self, day: dt.date, time: dt.time | None) -> dt.datetime:
        """`day` at a due time: the end of the day unless one is given."""
        return deadline_on(day, self.zone, time)

    def after(self, base: dt.date | dt.datetime, after: ir.After, time: dt.time | None
              ) -> dt.datetime:
        """`N days/working days/hours after` `base`."""
        if after.unit == "hours":
            moment = base if isinstance(base, dt.datetime) else self.at(base, None)
            return moment + dt.timedelta(hours=after.amount)
        day = base.date() if isinstance(base, dt.datetime) else base
        if after.unit == "working days":
            day = self.workdays.add_working_days(day, after.amount)
        else:
            day = day + dt.timedelta(days=after.amount)
        return self.at(day, time)


class Schedule:
    """The instances and deadlines of one rule."""

    def __init__(self, rule: ir.Rule, clock: Clock) -> None:
        self.rule = rule
        self.clock = clock

    def instances(self, until: dt.date, *, started_by: dt.date | None = None) -> Iterator[Instance]:
        """The instances inside the window up to `until`; with `started_by`, only those that
        have started by that day (the contract: later periods only on request)."""
        window = self.rule.window
        window_end = until if window.end is None else min(until, window.end)
        if window_end < window.start:
            return
        last_start = window_end if started_by is None else min(window_end, started_by)
        schedule = self.rule.schedule
        if isinstance(schedule, ir.Once):
            end = window.end or window_end
            label = f"{window.start}..{window.end or ''}"
            yield self._instance(label, window.start, end, None)
        elif isinstance(schedule, ir.Every):
            yield from self._periods(schedule, window_end, last_start)
        elif isinstance(schedule, ir.Each):
            seen: set[Occurrence] = set()
            # a year at a time: a year whose calendar data is missing (a lunar date past
            # 2100) is one `indeterminate` instance, the years around it are judged
            for year in range(window.start.year, window_end.year + 1):
                first = max(window.start, dt.date(year, 1, 1))
                last = min(window_end, dt.date(year, 12, 31))
                if first > last_start:
                    return
                try:
                    occurrences = self.clock.patterns.occurrences(schedule.days, first, last)
                except CalendarIndeterminate as missing:
                    yield Instance(f"{first}..{last}", first, last, None,
                                   indeterminate=missing.message)
                    continue
                for occurrence in occurrences:
                    if occurrence in seen:
                        continue  # reaching across the new year: found in both years
                    seen.add(occurrence)
                    start, end = clip(occurrence.start, occurrence.end, window.start,
                                      window.end)
                    if start > last_start:
                        return
                    partial = (start, end) != (occurrence.start, occurrence.end)
                    yield self._instance(occurrence.label, start, end, None, partial=partial)

    def _periods(self, schedule: ir.Every, window_end: dt.date, last_start: dt.date
                 ) -> Iterator[Instance]:
        window, mode = self.rule.window, self.rule.partial
        for period in periods_between(schedule.unit, window.start, window_end):
            start, end = clip(period.start, period.end, window.start, window.end)
            if start > last_start:
                break
            partial = (start, end) != (period.start, period.end)
            if partial and mode is ir.Partial.SKIP:
                continue
            if partial and mode is ir.Partial.WHOLE:
                start, end = period.start, period.end
            if schedule.unit is PeriodUnit.WORKING_DAY:
                try:
                    if not self.clock.workdays.is_working_day(period.start):
                        continue
                except CalendarIndeterminate as missing:
                    yield Instance(period.label, start, end, None, indeterminate=missing.message,
                                   period=period)
                    continue
            qualifying: tuple[Occurrence, ...] | None = None
            if schedule.on is not None:
                try:
                    qualifying = tuple(self.clock.patterns.occurrences(schedule.on, start, end))
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

    # ------------------------------------------------------------------ deadlines

    def due_for_period(self, start: dt.date, end: dt.date, period: Period | None) -> dt.datetime:
        """The due instant of an instance running `start` .. `end`."""
        try:
            return self._due_for_period(start, end, period)
        except OverflowError:
            raise PastTheCalendar() from None

    def _due_for_period(self, start: dt.date, end: dt.date, period: Period | None
                        ) -> dt.datetime:
        deadline = self.rule.deadline
        when, time = deadline.when, deadline.at
        natural = period or Period(start, PeriodUnit.DAY)
        match when:
            case None | ir.PeriodEnd():
                day = end
            case ir.OnDay(date=date):
                day = date
            case ir.DayOfYear(month=month, day=d):
                day = in_period_year(Period(start, PeriodUnit.YEAR), month, d)
            case ir.After(anchor=anchor):
                base = start if anchor is ir.Anchor.PERIOD_START else end
                return self.clock.after(base, when, time)
            case ir.WeekdayAfter(weekday=weekday, anchor=anchor):
                base = start if anchor is ir.Anchor.PERIOD_START else end
                day = base + dt.timedelta(days=(weekday - base.weekday() - 1) % 7 + 1)
            case ir.DayOfMonth(day=d, month=month):
                day = day_of_month_in(natural, month, d)
        return self.clock.at(day, time)

    def due_for_event(self, at: dt.datetime) -> dt.datetime:
        """The due instant for the instance opened by an event at `at` (`for each`)."""
        try:
            return self._due_for_event(at)
        except OverflowError:
            raise PastTheCalendar() from None

    def _due_for_event(self, at: dt.datetime) -> dt.datetime:
        deadline = self.rule.deadline
        when, time = deadline.when, deadline.at
        match when:
            case None:
                return at  # checked at the moment of the event (published before it, insured …)
            case ir.After():
                return self.clock.after(at, when, time)
            case ir.WeekdayAfter(weekday=weekday):
                base = at.date()
                return self.clock.at(base + dt.timedelta(days=(weekday - base.weekday() - 1) % 7
                                                         + 1), time)
            case ir.OnDay(date=date):
                return self.clock.at(date, time)
        raise TypeError(when)  # pragma: no cover - the checker refuses the rest
