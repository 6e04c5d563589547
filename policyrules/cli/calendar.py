"""`policyrules calendar`: a policy's dated duties of a year."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from policyrules.calendar.workdays import WorkdayCalendar, load_schedule
from policyrules.cli.common import EXIT_INVALID, EXIT_OK, UsageError, checked_names, say
from policyrules.diagnostics.errors import PolicyError
from policyrules.diagnostics.messages import error_message, msg, t
from policyrules.semantics import check
from policyrules.syntax.loader import load_program


def _unit_scope(policy: Any, args: argparse.Namespace) -> Any:
    """For `calendar --unit U`: whether an obligation applies to U on a day, from U's facts;
    a unit the units file does not have is an error naming the closest one."""
    from policyrules.data.events import read_units
    from policyrules.evaluation import Evaluation
    from policyrules.report.selection import closest
    from policyrules.rules.compiler import compile_policy

    units = read_units(policy, args.units, format=args.units_format) if args.units else None
    if units is None or args.unit not in units.units:
        where = (msg("in {units}", units=", ".join(args.units)) if args.units
                 else msg("without --units"))
        message = msg("unit `{unit}` is not known {where}", unit=args.unit, where=where)
        close = closest(args.unit, units.units) if units is not None else None
        if close:
            message = msg("{message}; did you mean `{close}`?", message=message, close=close)
        raise UsageError(message)
    compiled = compile_policy(policy)
    evaluation = Evaluation(compiled, [], units, dt.datetime.now(compiled.zone))
    facts = evaluation.facts(args.unit)
    return lambda ob, day: evaluation.applies(ob, args.unit, facts, day)


def _only(names: list[str] | None, applies: Any) -> Any:
    """`calendar --obligation NAME`: only those obligations (and those that apply to the
    unit, with `--unit`)."""
    if not names:
        return applies
    wanted = set(names)
    return lambda ob, day: ob.name in wanted and (applies is None or applies(ob, day))


def run_calendar(args: argparse.Namespace) -> int:
    from policyrules.views import (
        calendar as calendar_view,  # the view needs the calendar data: load it lazily
    )

    if not dt.MINYEAR <= args.year <= dt.MAXYEAR:
        say(args.lang, "error", msg("`--year {year}`: a year is 1 to 9999", year=args.year))
        return EXIT_INVALID
    try:
        policy = check(load_program(args.policy, args.library))
        schedules = [load_schedule(path) for path in args.holidays]
    except PolicyError as error:
        print(error.render(args.lang), file=sys.stderr)
        return EXIT_INVALID
    except ValueError as error:
        say(args.lang, "error", t(args.lang, error_message(error)))
        return EXIT_INVALID
    try:
        checked_names(policy, None, None, None, args.obligation)
        applies = _only(args.obligation, _unit_scope(policy, args) if args.unit else None)
    except (OSError, ValueError) as error:
        say(args.lang, "error", t(args.lang, error_message(error)))
        return EXIT_INVALID
    view = calendar_view.year_view(policy, args.year, WorkdayCalendar(schedules), applies)
    if args.ics is not None:
        from policyrules.views import ics

        try:
            written = ics.to_ics(view, args.lang)
        except calendar_view.MissingExtra as missing:
            say(args.lang, "error", t(args.lang, error_message(missing)))
            return EXIT_INVALID
        try:
            Path(args.ics).write_bytes(written.data)
        except OSError as error:
            say(args.lang, "error", t(args.lang, error_message(error, writing=True)))
            return EXIT_INVALID
        print(t(args.lang, "wrote {events} calendar events for {dates} dates to {path}",
                events=written.events, dates=written.dates, path=args.ics), file=sys.stderr)
    if args.format == "json":
        print(calendar_view.to_json(view))
    else:
        print(calendar_view.to_text(view, args.lang))
    return EXIT_OK
