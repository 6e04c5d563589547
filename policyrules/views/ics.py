"""A policy's year as an iCalendar file that calendar apps accept (RFC 5545).

For each obligation with a calendar schedule: its windows — the qualifying days, or the
instance's period — as all-day events, and its due instants as timed events in the policy's
time zone (a VTIMEZONE for it is in the file) with a reminder the day before. A duty that
recurs is one event with an RRULE where a rule of the calendar describes its dates — every
working day (weekdays, with EXDATE for the holidays and RDATE for the makeup working days),
every month's second Saturday, every month's last day — and individual events where none
does (festivals of the lunar calendar, periods of unequal length). Whatever the form, the
dates a calendar app expands from the file are exactly the year view's
(tests/test_calendar_ics.py expands them back). Every word is in one language, `lang`.

Written with the `icalendar` package, an optional extra (`pip install policyrules[calendar]`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from dateutil import rrule

from policyrules.diagnostics.messages import msg, t
from policyrules.views.calendar import Entry, MissingExtra, YearView, festival_note

#: a recurrence is used when its exceptions (EXDATE and RDATE) are at most this share of
#: its dates; past that, individual events say the same more plainly
MAX_EXCEPTIONS = 0.25
#: fewer dates than this are written as they are
MIN_RECURRING = 3
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class Written:
    """What a file holds: its events (VEVENTs) and the dates they stand for."""

    data: bytes
    events: int
    dates: int


@dataclass(frozen=True)
class Recurrence:
    """An RRULE (as icalendar writes it) that gives `dates` with the exceptions."""

    rule: dict[str, Any]
    exdates: tuple[dt.date, ...]
    rdates: tuple[dt.date, ...]


def recurrence(dates: Sequence[dt.date]) -> Recurrence | None:
    """The simplest calendar rule for `dates` (sorted, distinct), or None when no rule
    describes them with few enough exceptions. DTSTART, the first date, is always one the
    rule gives (RFC 5545 leaves a set undefined otherwise)."""
    if len(dates) < MIN_RECURRING:
        return None
    first, last = dates[0], dates[-1]
    wanted = set(dates)
    best: Recurrence | None = None
    for rule, expanded in _candidates(first, last):
        if first not in expanded:
            continue
        exdates = tuple(sorted(expanded - wanted))
        rdates = tuple(sorted(wanted - expanded))
        if best is None or len(exdates) + len(rdates) < len(best.exdates) + len(best.rdates):
            best = Recurrence(rule, exdates, rdates)
    if best is None or len(best.exdates) + len(best.rdates) > MAX_EXCEPTIONS * len(dates):
        return None
    return best


def _candidates(first: dt.date, last: dt.date) -> Iterable[tuple[dict[str, Any], set[dt.date]]]:
    """Rules a duty's dates may follow, each with the dates it gives from `first` to `last`."""
    weekday = _WEEKDAYS[first.weekday()]
    nth = (first.day - 1) // 7 + 1
    last_week = (first + dt.timedelta(days=7)).month != first.month
    rules: list[dict[str, Any]] = [
        {"FREQ": "DAILY"},
        {"FREQ": "WEEKLY", "BYDAY": list(_WEEKDAYS[:5])},
        {"FREQ": "WEEKLY", "BYDAY": [weekday]},
        {"FREQ": "MONTHLY", "BYMONTHDAY": [first.day]},
        {"FREQ": "MONTHLY", "BYDAY": [f"{nth}{weekday}"]},
        {"FREQ": "MONTHLY", "INTERVAL": 3, "BYMONTHDAY": [first.day]},
        {"FREQ": "MONTHLY", "INTERVAL": 6, "BYMONTHDAY": [first.day]},
    ]
    if (first + dt.timedelta(days=1)).day == 1:  # the month's last day
        rules += [{"FREQ": "MONTHLY", "BYMONTHDAY": [-1]},
                  {"FREQ": "MONTHLY", "INTERVAL": 3, "BYMONTHDAY": [-1]},
                  {"FREQ": "MONTHLY", "INTERVAL": 6, "BYMONTHDAY": [-1]}]
    if last_week:
        rules.append({"FREQ": "MONTHLY", "BYDAY": [f"-1{weekday}"]})
    for rule in rules:
        yield rule, _expand(rule, first, last)


def _expand(rule: dict[str, Any], first: dt.date, last: dt.date) -> set[dt.date]:
    """The dates a rule gives, as a calendar app computes them (dateutil's RFC 5545 rules)."""
    text = ";".join(
        f"{key}={','.join(str(v) for v in value) if isinstance(value, list) else value}"
        for key, value in rule.items())
    start = dt.datetime.combine(first, dt.time())
    found = rrule.rrulestr(f"RRULE:{text};UNTIL={last:%Y%m%d}T000000", dtstart=start)
    return {moment.date() for moment in found}


def to_ics(view: YearView, lang: str = "en") -> Written:
    """The year as an iCalendar file in `lang`, and what it holds."""
    try:
        import icalendar
    except ImportError as error:
        raise MissingExtra(
            msg("writing .ics files needs the optional extra: pip install 'policyrules[calendar]'")
        ) from error
    cal = icalendar.Calendar()
    cal.add("prodid", "-//policyrules//calendar//" + ("ZH" if lang == "zh" else "EN"))
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", t(lang, "{title} {year}", title=view.title, year=view.year))
    cal.add("x-wr-timezone", view.timezone)
    writer = _Writer(icalendar, cal, view, lang)
    for obligation, entries in _by_obligation(view.entries).items():
        writer.windows(obligation, entries)
        writer.dues(obligation, [e for e in entries if e.due is not None])
    cal.add_missing_timezones()
    return Written(cal.to_ical(), writer.events, writer.dates)


def _by_obligation(entries: Iterable[Entry]) -> dict[str, list[Entry]]:
    grouped: dict[str, list[Entry]] = {}
    for entry in entries:
        grouped.setdefault(entry.obligation, []).append(entry)
    return grouped


class _Writer:
    """Adds one obligation's events to the calendar, recurring where a rule fits."""

    def __init__(self, icalendar: Any, cal: Any, view: YearView, lang: str) -> None:
        self.ical = icalendar
        self.cal = cal
        self.view = view
        self.lang = lang
        self.events = 0
        self.dates = 0
        self.stamp = dt.datetime(view.year, 1, 1, tzinfo=dt.UTC)

    def _event(self, uid: str, summary: str, description: str) -> Any:
        event = self.ical.Event()
        event.add("uid", f"{uid}@policyrules")
        event.add("dtstamp", self.stamp)
        event.add("summary", summary, parameters={"LANGUAGE": self._language()})
        event.add("description", description)
        event.add("transp", "TRANSPARENT")
        self.cal.add_component(event)
        self.events += 1
        return event

    def _language(self) -> str:
        return "zh-CN" if self.lang == "zh" else "en"

    def _uid(self, obligation: str, what: str) -> str:
        return f"{self.view.policy}-{obligation}-{self.view.year}-{what}"

    def _description(self, entry: Entry) -> str:
        return t(self.lang, "obligation {name} ({refs}) of the policy {policy}",
                 name=entry.obligation, refs=",".join(entry.refs) or "-",
                 policy=self.view.policy)

    def windows(self, obligation: str, entries: list[Entry]) -> None:
        spans = sorted({(s, e, entry.label, entry) for entry in entries
                        for s, e in (entry.qualifying or ((entry.start, entry.end),))},
                       key=lambda x: (x[0], x[1]))
        lengths = {end - start for start, end, _, _ in spans}
        named = any(festival_note(entry) for entry in entries)
        found = None
        if len(lengths) == 1 and not named:
            found = recurrence(sorted({start for start, _, _, _ in spans}))
        if found is not None:
            first = entries[0]
            event = self._event(self._uid(obligation, "days"), first.title,
                                self._description(first))
            event.add("dtstart", spans[0][0])
            event.add("dtend", spans[0][0] + next(iter(lengths)) + dt.timedelta(days=1))
            self._recur(event, found, spans[-1][0], None)
            self.dates += len(spans)
            return
        for number, (start, end, label, entry) in enumerate(spans):
            note = festival_note(entry)
            period = t(self.lang, note) if note else label
            event = self._event(self._uid(obligation, f"days-{number}"),
                                t(self.lang, msg("{title} ({period})", title=entry.title,
                                                 period=period)), self._description(entry))
            event.add("dtstart", start)
            event.add("dtend", end + dt.timedelta(days=1))
            self.dates += 1

    def dues(self, obligation: str, entries: list[Entry]) -> None:
        dues = sorted({(e.due, e.label, e) for e in entries if e.due is not None},
                      key=lambda x: x[0])
        times = {due.timetz() for due, _, _ in dues}
        found = recurrence([due.date() for due, _, _ in dues]) if len(times) == 1 else None
        if found is not None and len({due.date() for due, _, _ in dues}) == len(dues):
            first = dues[0][2]
            event = self._event(self._uid(obligation, "due"),
                                t(self.lang, msg("due: {title}", title=first.title)),
                                self._description(first))
            event.add("dtstart", dues[0][0])
            self._recur(event, found, dues[-1][0].date(), dues[0][0])
            self._alarm(event, t(self.lang, msg("due: {title}", title=first.title)))
            self.dates += len(dues)
            return
        for number, (due, label, entry) in enumerate(dues):
            summary = t(self.lang, msg("due: {title} ({period})", title=entry.title,
                                       period=label))
            event = self._event(self._uid(obligation, f"due-{number}"), summary,
                                self._description(entry))
            event.add("dtstart", due)
            self._alarm(event, summary)
            self.dates += 1

    def _recur(self, event: Any, found: Recurrence, last: dt.date,
               at: dt.datetime | None) -> None:
        """The RRULE, EXDATE and RDATE of an event (all-day when `at` is None, else at the
        time of day of `at`; UNTIL is then in UTC, as RFC 5545 asks)."""
        rule = dict(found.rule)
        if at is None:
            rule["UNTIL"] = last
        else:
            rule["UNTIL"] = dt.datetime.combine(last, at.timetz()).astimezone(dt.UTC)
        event.add("rrule", rule)

        def moments(days: Sequence[dt.date]) -> list[Any]:
            return [day if at is None else dt.datetime.combine(day, at.timetz())
                    for day in days]

        if found.exdates:
            event.add("exdate", moments(found.exdates))
        if found.rdates:
            event.add("rdate", moments(found.rdates))

    def _alarm(self, event: Any, summary: str) -> None:
        alarm = self.ical.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        alarm.add("trigger", dt.timedelta(days=-1))
        event.add_component(alarm)
