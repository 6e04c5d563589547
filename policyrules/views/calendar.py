"""`policyrules calendar`: a policy's dated events of one year, as text, JSON or iCalendar.

For every obligation with a calendar schedule it lists the instances that fall in the year —
the periods of `every …`, the occurrences of `each …`, the window of `once` — with the days
that qualify and the due instant; a window around a festival names the festival's own date
beside it ("中元节 2021-08-22, ± 7 days"). Obligations that follow each event (`for each
activity`) are listed with their rule, since their dates come from the events. The
iCalendar file is :mod:`policyrules.views.ics`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from policyrules.calendar.days import Around, DaySet, Union
from policyrules.calendar.patterns import PatternCalendar
from policyrules.calendar.workdays import CalendarIndeterminate, WorkdayCalendar
from policyrules.diagnostics.messages import Listing, Message, msg, status_name, t
from policyrules.rules import ir
from policyrules.rules.compiler import CompiledObligation, compile_policy
from policyrules.semantics import CheckedPolicy
from policyrules.syntax import ast
from policyrules.syntax.formatter import due_date as due_text
from policyrules.syntax.formatter import expression


class MissingExtra(Exception):
    """An optional dependency is not installed."""


@dataclass(frozen=True)
class Entry:
    obligation: str
    title: str
    refs: tuple[str, ...]
    label: str
    start: dt.date
    end: dt.date
    due: dt.datetime | None
    qualifying: tuple[tuple[dt.date, dt.date], ...] = ()
    note: str = ""
    #: for a window around a festival or a day: its name, its own date, and how far around
    festival: tuple[str, dt.date, int, bool] | None = None


@dataclass
class YearView:
    policy: str
    title: str
    year: int
    timezone: str
    entries: list[Entry] = field(default_factory=list)
    per_event: list[tuple[str, tuple[str, ...], str]] = field(default_factory=list)
    working_days: int | None = None
    notes: list[str] = field(default_factory=list)


def year_view(
    policy: CheckedPolicy,
    year: int,
    workdays: WorkdayCalendar,
    applies: Callable[[CompiledObligation, dt.date], bool] | None = None,
    obligation: str | None = None,
) -> YearView:
    """The year's dated events of `policy`; with `applies`, only the obligations that apply
    (to one unit) on each instance's last day; with `obligation`, only that one's."""
    compiled = compile_policy(policy, workdays)
    view = YearView(policy.name, policy.title, year, policy.timezone)
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    try:
        view.working_days = workdays.working_days_between(first, last)
    except CalendarIndeterminate as missing:
        view.notes.append(missing.message)
    for ob in compiled.obligations:
        if obligation is not None and ob.name != obligation:
            continue
        checked = ob.checked
        if isinstance(checked.schedule, ast.ForEachEvent):
            if applies is None or applies(ob, last):
                view.per_event.append((checked.name, checked.refs, _per_event_rule(checked)))
            continue
        days = _festival_days(ob.rule.schedule, compiled.patterns, year)
        for instance in ob.instances(last):
            if instance.end < first or instance.start > last:
                continue
            if applies is not None and not applies(ob, min(instance.end, last)):
                continue
            qualifying = tuple((o.start, o.end) for o in instance.qualifying or ())
            view.entries.append(
                Entry(
                    checked.name,
                    checked.title,
                    checked.refs,
                    instance.label,
                    instance.start,
                    instance.end,
                    instance.due,
                    qualifying,
                    instance.indeterminate or (msg("partial period") if instance.partial else ""),
                    days.get(instance.label),
                )
            )
    view.entries.sort(key=lambda e: (e.due or dt.datetime.max.replace(tzinfo=dt.UTC), e.obligation))
    return view


def _festival_days(schedule: ir.Schedule, patterns: PatternCalendar, year: int
                   ) -> dict[str, tuple[str, dt.date, int, bool]]:
    """For `each FESTIVAL ± N days`: each occurrence's label → the festival's name, its own
    day, N, and whether N counts working days."""
    if not isinstance(schedule, ir.Each):
        return {}
    return _around(schedule.days, patterns, year)


def _around(days: DaySet, patterns: PatternCalendar, year: int
            ) -> dict[str, tuple[str, dt.date, int, bool]]:
    if isinstance(days, Union):
        found: dict[str, tuple[str, dt.date, int, bool]] = {}
        for option in days.options:
            for label, day in _around(option, patterns, year).items():
                found.setdefault(label, day)
        return found
    if not isinstance(days, Around):
        return {}
    out: dict[str, tuple[str, dt.date, int, bool]] = {}
    for o in patterns.occurrences(days.base, dt.date(year - 1, 12, 1), dt.date(year + 1, 1, 31)):
        if o.start == o.end:
            # labels are "中元节 2021" (a festival and its year) or the day itself
            name = o.label.rsplit(" ", 1)[0] if o.label.endswith(f" {o.start.year}") else ""
            out.setdefault(o.label, (name, o.start, days.amount, days.working))
    return out


def festival_note(entry: Entry) -> Message | None:
    """`中元节 2021-08-22, ± 7 days`: the festival's own date beside its window."""
    if entry.festival is None:
        return None
    name, day, amount, working = entry.festival
    if working:
        if name:
            return msg("{name} {day}, ± {amount} working days", name=name, day=day.isoformat(),
                       amount=amount)
        return msg("{day}, ± {amount} working days", day=day.isoformat(), amount=amount)
    if name:
        return msg("{name} {day}, ± {amount} days", name=name, day=day.isoformat(),
                   amount=amount)
    return msg("{day}, ± {amount} days", day=day.isoformat(), amount=amount)


def _per_event_rule(checked: object) -> str:
    from policyrules.semantics import CheckedObligation

    assert isinstance(checked, CheckedObligation)
    schedule = checked.schedule
    assert isinstance(schedule, ast.ForEachEvent)
    trigger = schedule.kind + (f" where {expression(schedule.where)}" if schedule.where else "")
    if checked.due is None:
        return msg("at each {trigger}", trigger=trigger)
    when = checked.due.when
    rule: str
    if isinstance(when, ast.AfterAnchor) and when.anchor is ast.Anchor.TRIGGER:
        rule = msg("{duration} after each {trigger}", duration=_duration(when.distance),
                   trigger=trigger)
    elif isinstance(when, ast.WeekdayAfter) and when.anchor is ast.Anchor.TRIGGER:
        rule = msg("{weekday} after each {trigger}", weekday=msg(when.weekday.value),
                   trigger=trigger)
    else:  # the checker allows no other per-event deadline; shown as the policy says it
        rule = due_text(when)
    if isinstance(checked.due.time, ast.WorkdayEnd):
        return msg("{rule} (end of the working day)", rule=rule)
    if isinstance(checked.due.time, ast.ClockTime):
        return msg("{rule} at {time}", rule=rule, time=f"{checked.due.time.time:%H:%M}")
    return rule


def _duration(value: ast.Duration) -> Message:
    """`2 working days`, `1 week` as the policy writes them, in a form that translates."""
    plural = "" if value.amount == 1 else "s"
    if value.working:
        return msg("{amount} working day{plural}", amount=value.amount, plural=plural)
    return msg("{amount} {unit}{plural}", amount=value.amount, unit=msg(value.unit.value),
               plural=plural)


def _when(moment: dt.datetime | None, lang: str = "en") -> str:
    if moment is None:
        return status_name(lang, "indeterminate")
    return moment.strftime("%Y-%m-%d %H:%M")


def to_text(view: YearView, lang: str = "en") -> str:
    """The year as a table, in `lang`; the rules of per-event obligations stay in the
    policy's own words."""
    lines = [f"{view.policy} — {view.title} — {view.year} ({view.timezone})"]
    if view.working_days is not None:
        lines.append(t(lang, "working days in {year}: {count}", year=view.year,
                       count=view.working_days))
    lines.extend(t(lang, note) for note in view.notes)
    lines.append("")
    if view.entries:
        headers = ("due", "obligation", "refs", "instance", "counts", "notes")
        rows = [tuple(t(lang, h) for h in headers)]
        for e in view.entries:
            window = e.start.isoformat() if e.start == e.end else f"{e.start} .. {e.end}"
            if e.qualifying:
                window = ", ".join(
                    s.isoformat() if s == end else f"{s} .. {end}" for s, end in e.qualifying
                ) or t(lang, "no qualifying day")
            notes = [t(lang, n) for n in (festival_note(e), e.note) if n]
            rows.append((_when(e.due, lang), e.obligation, ",".join(e.refs), e.label, window,
                         t(lang, Listing(notes)) if notes else ""))
        widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
        for row in rows:
            cells = [c + " " * (w - _width(c)) for c, w in zip(row, widths, strict=True)]
            lines.append("  ".join(cells).rstrip())
    if view.per_event:
        lines.extend(["", t(lang, "after each event:")])
        for name, refs, rule in view.per_event:
            lines.append("  " + t(lang, "{name} ({refs}): due {rule}", name=name,
                                  refs=",".join(refs), rule=rule))
    return "\n".join(lines)


def _width(text: str) -> int:
    from policyrules.diagnostics.source import display_width

    return display_width(text)


def to_json(view: YearView) -> str:
    data = {
        "policy": view.policy,
        "year": view.year,
        "timezone": view.timezone,
        "working_days": view.working_days,
        "notes": view.notes,
        "instances": [
            {
                "obligation": e.obligation,
                "refs": list(e.refs),
                "instance": e.label,
                "start": e.start.isoformat(),
                "end": e.end.isoformat(),
                "due": e.due.isoformat() if e.due else None,
                "qualifying": [[s.isoformat(), t.isoformat()] for s, t in e.qualifying],
                "note": e.note,
                "festival": None if e.festival is None else {
                    "name": e.festival[0] or None, "day": e.festival[1].isoformat(),
                    "around": e.festival[2], "working_days": e.festival[3]},
            }
            for e in view.entries
        ],
        "per_event": [
            {"obligation": n, "refs": list(r), "due": rule} for n, r, rule in view.per_event
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)
