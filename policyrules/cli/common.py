"""What every command shares: exit statuses, messages on stderr, the inputs of `check` and
`explain`, the progress bar."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any

from policyrules.calendar.workdays import WorkdayCalendar, load_schedule
from policyrules.diagnostics.messages import msg, t
from policyrules.semantics import check
from policyrules.syntax.loader import load_program

EXIT_OK = 0
EXIT_FOUND = 1
EXIT_INVALID = 2


def say(lang: str, what: str, message: str) -> None:
    """`policyrules: error: …` (or `note`) on stderr, in `lang`."""
    print(f"policyrules: {t(lang, what)}: {t(lang, message)}", file=sys.stderr)



def load_inputs(args: argparse.Namespace) -> tuple[Any, Any, Any, Any]:
    """The checked policy, its compiled rules, events and units named on the command line."""
    from policyrules.data.events import read_events, read_units
    from policyrules.rules.compiler import compile_policy

    policy = check(load_program(args.policy, args.library))
    workdays = WorkdayCalendar([load_schedule(path) for path in args.holidays])
    compiled = compile_policy(policy, workdays)
    events = read_events(policy, args.events)
    units = read_units(policy, args.units) if args.units else None
    return policy, compiled, events, units


class UsageError(Exception):
    """A command-line value that is not usable; shown as one error line, exit 2."""


def as_of_arg(text: str | None) -> dt.date | dt.datetime | None:
    if text is None:
        return None
    try:
        return dt.datetime.fromisoformat(text) if "T" in text else dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(msg("--as-of `{text}` is not a date (write 2021-06-30)",
                              text=text)) from None



class ProgressBar:
    """A one-line progress bar on a terminal's stderr, shown only once a run has taken a
    second (short runs stay quiet), erased when done."""

    def __init__(self, stream: Any, delay: float = 1.0) -> None:
        import time

        self.stream = stream
        self.clock = time.monotonic
        self.started = self.clock()
        self.delay = delay
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if self.clock() - self.started < self.delay:
            return
        width = 30
        filled = width * done // max(total, 1)
        self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} units")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * 60 + "\r")
            self.stream.flush()

