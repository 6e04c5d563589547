"""What every command shares: exit statuses, messages on stderr, the inputs of `check` and
`explain`, the progress bar."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO, cast

from policyrules.calendar.workdays import WorkdayCalendar, load_schedule
from policyrules.diagnostics.messages import Listing, file_problem, msg, status_name, t
from policyrules.semantics import check
from policyrules.syntax.loader import load_program

EXIT_OK = 0
EXIT_FOUND = 1
EXIT_INVALID = 2


def say(lang: str, what: str, message: str) -> None:
    """`policyrules: error: …` (or `note`) on stderr, in `lang`."""
    print(f"policyrules: {t(lang, what)}: {t(lang, message)}", file=sys.stderr)



def load_inputs(args: argparse.Namespace) -> tuple[Any, Any, Any, Any]:
    """The checked policy, its compiled rules, events and units named on the command line:
    every `--events` (and `--units`) in order, `-` the standard input."""
    from policyrules.data.events import read_events, read_units
    from policyrules.rules.compiler import compile_policy

    paths = [*args.events, *(args.units or [])]
    if paths.count("-") > 1:
        raise UsageError(msg("the standard input (`-`) can be read only once"))
    policy = check(load_program(args.policy, args.library))
    workdays = WorkdayCalendar([load_schedule(path) for path in args.holidays])
    compiled = compile_policy(policy, workdays)
    events = read_events(policy, args.events, format=args.events_format)
    units = read_units(policy, args.units, format=args.units_format) if args.units else None
    return policy, compiled, events, units


def print_counts(lang: str, report: Any, shown: int) -> None:
    """The table's last words on stderr: results by status; rows of events and of units."""
    counts = Listing([t(lang, "{count} {status}", count=n, status=status_name(lang, s))
                      for s, n in report.counts().items() if n])
    summary = report.summary
    print("\n" + t(
        lang,
        "{shown} of {total} results ({counts}); events: {rows} rows, {accepted} accepted,"
        " {rejected} rejected",
        shown=shown, total=summary.results, counts=counts or t(lang, "none"),
        rows=summary.event_rows, accepted=summary.events_accepted,
        rejected=summary.events_rejected), file=sys.stderr)
    if summary.unit_rows:
        print(t(lang, "units: {rows} rows, {accepted} accepted, {rejected} rejected; {units}"
                " unit{s}", rows=summary.unit_rows, accepted=summary.unit_rows_accepted,
                rejected=summary.unit_rows_rejected, units=summary.units_accepted,
                s="" if summary.units_accepted == 1 else "s"), file=sys.stderr)


def checked_names(
    policy: Any, events: Any, units: Any, unit: list[str] | None,
    obligation: list[str] | None = None, status: list[str] | None = None,
) -> Any:
    """The selection of `--unit`, `--obligation` and `--status`, every name known (else a
    UsageError with the closest name): checked before the evaluation, not after it."""
    from policyrules.report.selection import FilterError, Names, Selection

    names = (Names.of_inputs(policy.obligations, events, units) if policy is not None
             else Names((), ()))
    try:
        return Selection.checked(unit, obligation, status, names)
    except FilterError as error:
        raise UsageError(error.message) from None


def statuses_arg(given: list[str] | None) -> list[str] | None:
    """`--status overdue --status at_risk,pending`: every status named, in order."""
    if not given:
        return None
    return [part.strip() for text in given for part in text.split(",") if part.strip()]


@contextlib.contextmanager
def output(path: str | None) -> Iterator[TextIO]:
    """Where a command writes its document: stdout, or the file `-o FILE`, written whole or
    not at all (into a file beside it, renamed over it once complete), so that a run that
    fails part way never leaves a document that looks finished."""
    if path is None:
        yield sys.stdout
        return
    target = Path(path)
    try:
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, or removed
            "w", encoding="utf-8", newline="", dir=target.parent, prefix=f".{target.name}.",
            suffix=".part", delete=False)
    except OSError as error:
        error.filename = path
        raise UsageError(file_problem(error, writing=True)) from None
    try:
        with handle:
            yield cast(TextIO, handle)
        os.replace(handle.name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(handle.name)
        raise


class Failed(Exception):
    """A command that cannot go on; shown as one error line (its message), exit 2."""


class StreamBroken(Failed):
    """A streamed report that failed part way: what was written is not a whole document."""

    def __init__(self, error: Exception) -> None:
        super().__init__(msg("the report stopped part way, so what was written is not a whole"
                             " document: {error}", error=f"{type(error).__name__}: {error}"))


def broken_stream(args: argparse.Namespace, error: Exception) -> Exception:
    """What a streamed report that fails part way raises: the error itself with `--debug`
    (or an interruption, a closed pipe), else :class:`StreamBroken`."""
    if args.debug or isinstance(error, BrokenPipeError):
        return error
    return StreamBroken(error)


class UsageError(Failed):
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

    def __init__(self, stream: Any, delay: float = 1.0, what: str = "units") -> None:
        import time

        self.stream = stream
        self.what = what
        self.clock = time.monotonic
        self.started = self.clock()
        self.delay = delay
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if self.clock() - self.started < self.delay:
            return
        width = 30
        filled = width * done // max(total, 1)
        self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {self.what}")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * 60 + "\r")
            self.stream.flush()


def report_sources(args: argparse.Namespace, compiled: Any) -> Any:
    """What the inputs do not say of themselves, for the report's provenance: the holiday
    schedules and the working days they made."""
    from policyrules.report.provenance import Sources

    return Sources(args.holidays, compiled.workdays)


def csv_bom(lang: str) -> str:
    """CSV in Chinese starts with a byte-order mark: Excel reads it as UTF-8 only then."""
    return "\ufeff" if lang == "zh" else ""
