"""The `policyrules` command line.

Every error is one clear message on stderr in `file:line:column: message` form, with the line,
a caret and a hint; no Python traceback unless `--debug`. Exit status: 0 when all is well,
1 when the command found what it looks for (lint errors, unformatted files), 2 when the input
is invalid or the command was used wrongly.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import difflib
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from policyrules import __version__
from policyrules.calendar.workdays import WorkdayCalendar, load_schedule
from policyrules.diagnostics.errors import PolicyError, render_all
from policyrules.diagnostics.messages import (
    Listing,
    default_language,
    error_message,
    msg,
    status_name,
    t,
)
from policyrules.semantics.checker import check, lint
from policyrules.syntax.formatter import format_policy
from policyrules.syntax.loader import load_program, read_source
from policyrules.syntax.parser import parse

EXIT_OK = 0
EXIT_FOUND = 1
EXIT_INVALID = 2

def _say(lang: str, what: str, message: str) -> None:
    """`policyrules: error: …` (or `note`) on stderr, in `lang`."""
    print(f"policyrules: {t(lang, what)}: {t(lang, message)}", file=sys.stderr)


def _lint(args: argparse.Namespace) -> int:
    status = EXIT_OK
    for path in args.policies:
        try:
            program = load_program(path)
        except PolicyError as error:
            print(error.render(args.lang) + "\n", file=sys.stderr)
            status = EXIT_FOUND
            continue
        diagnostics = lint(program)
        errors = sum(d.is_error for d in diagnostics)
        warnings = len(diagnostics) - errors
        if diagnostics:
            print(render_all(diagnostics, program.sources, args.lang) + "\n", file=sys.stderr)
        if errors or (warnings and args.strict):
            status = EXIT_FOUND
        if not args.quiet:
            print(t(args.lang, "{path}: {errors} error{s}, {warnings} warning{ws}", path=path,
                    errors=errors, s="" if errors == 1 else "s", warnings=warnings,
                    ws="" if warnings == 1 else "s"))
    return status


def _fmt(args: argparse.Namespace) -> int:
    status = EXIT_OK
    for path in args.policies:
        try:
            source = read_source(Path(path), path)
            formatted = format_policy(parse(source.text, path))
        except PolicyError as error:
            print(error.render(args.lang), file=sys.stderr)
            status = EXIT_INVALID
            continue
        if formatted == source.text:
            continue
        if args.diff:
            sys.stdout.writelines(
                difflib.unified_diff(
                    source.text.splitlines(keepends=True),
                    formatted.splitlines(keepends=True),
                    fromfile=f"{path} (as written)",
                    tofile=f"{path} (formatted)",
                )
            )
        if args.check or args.diff:
            print(t(args.lang, "{path}: would be reformatted", path=path), file=sys.stderr)
            status = max(status, EXIT_FOUND)
        else:
            Path(path).write_text(formatted, encoding="utf-8")
            print(t(args.lang, "{path}: reformatted", path=path), file=sys.stderr)
    return status


def _unit_scope(policy: Any, args: argparse.Namespace) -> Any:
    """For `calendar --unit U`: whether an obligation applies to U on a day, from U's facts."""
    from policyrules.data.events import read_units
    from policyrules.engine.python.evaluator import Evaluation
    from policyrules.rules.compiler import compile_policy

    units = read_units(policy, args.units) if args.units else None
    if units is None or args.unit not in units.units:
        where = msg("in {units}", units=args.units) if args.units else msg("without --units")
        _say(args.lang, "error", msg("unit `{unit}` is not known {where}", unit=args.unit,
                                     where=where))
        return None
    compiled = compile_policy(policy)
    evaluation = Evaluation(compiled, [], units, dt.datetime.now(compiled.zone))
    facts = evaluation.facts(args.unit)
    return lambda ob, day: evaluation.applies(ob, args.unit, facts, day)


def _calendar(args: argparse.Namespace) -> int:
    from policyrules.views import (
        calendar as calendar_view,  # the view needs the calendar data: load it lazily
    )

    try:
        policy = check(load_program(args.policy))
        schedules = [load_schedule(path) for path in args.holidays]
    except PolicyError as error:
        print(error.render(args.lang), file=sys.stderr)
        return EXIT_INVALID
    except ValueError as error:
        _say(args.lang, "error", t(args.lang, error_message(error)))
        return EXIT_INVALID
    applies = None
    if args.unit is not None:
        applies = _unit_scope(policy, args)
        if applies is None:
            return EXIT_INVALID
    view = calendar_view.year_view(policy, args.year, WorkdayCalendar(schedules), applies)
    if args.ics is not None:
        try:
            data = calendar_view.to_ics(view)
        except calendar_view.MissingExtra as missing:
            _say(args.lang, "error", t(args.lang, error_message(missing)))
            return EXIT_INVALID
        Path(args.ics).write_bytes(data)
        print(t(args.lang, "wrote {count} events to {path}", count=len(view.entries),
                path=args.ics), file=sys.stderr)
    if args.format == "json":
        print(calendar_view.to_json(view))
    else:
        print(calendar_view.to_text(view, args.lang))
    return EXIT_OK


_COLOURS = {
    "met": "32",
    "late": "33",
    "overdue": "31;1",
    "at_risk": "35",
    "pending": "0",
    "indeterminate": "34",
}


def _load_inputs(args: argparse.Namespace) -> tuple[Any, Any, Any, Any]:
    """The checked policy, its compiled rules, events and units named on the command line."""
    from policyrules.data.events import read_events, read_units
    from policyrules.rules.compiler import compile_policy

    policy = check(load_program(args.policy))
    workdays = WorkdayCalendar([load_schedule(path) for path in args.holidays])
    compiled = compile_policy(policy, workdays)
    events = read_events(policy, args.events)
    units = read_units(policy, args.units) if args.units else None
    return policy, compiled, events, units


class _UsageError(Exception):
    """A command-line value that is not usable; shown as one error line, exit 2."""


def _as_of_arg(text: str | None) -> dt.date | dt.datetime | None:
    if text is None:
        return None
    try:
        return dt.datetime.fromisoformat(text) if "T" in text else dt.date.fromisoformat(text)
    except ValueError:
        raise _UsageError(msg("--as-of `{text}` is not a date (write 2021-06-30)",
                              text=text)) from None


def _check(args: argparse.Namespace) -> int:
    from policyrules.engine.python.evaluator import Evaluation, _as_of, build_report, default_jobs

    if (args.plot_obligation or args.plot_unit) and not args.plot:
        _say(args.lang, "error", "--plot-obligation and --plot-unit need --plot FILE")
        return EXIT_INVALID
    if args.plot and not _can_plot(args.lang):
        return EXIT_INVALID
    try:
        policy, compiled, events, units = _load_inputs(args)
    except PolicyError as error:
        print(error.render(args.lang), file=sys.stderr)
        return EXIT_INVALID
    except (OSError, ValueError) as error:
        _say(args.lang, "error", t(args.lang, error_message(error)))
        return EXIT_INVALID
    moment = _as_of(_as_of_arg(args.as_of), compiled)
    evaluation = Evaluation(compiled, events.events, units, moment, args.lang)
    streamed = args.format in ("json", "csv") and not args.plot
    # a bar on a terminal that also shows the streamed document would break its lines
    shows_bar = sys.stderr.isatty() and not (streamed and sys.stdout.isatty())
    progress = _ProgressBar(sys.stderr) if shows_bar else None
    # by default every core where results stream (only counts and text travel back), one
    # process where they are held (handing back whole results can cost more than it saves)
    jobs = args.jobs if args.jobs is not None else (0 if streamed else 1)
    jobs = jobs or default_jobs()  # 0: every core
    if streamed:
        return _check_streamed(args, evaluation, policy, events, units, progress, jobs)
    results = evaluation.results(progress, jobs=jobs)
    if progress is not None:
        progress.close()
    report = build_report(policy, moment, results, events, units, args.lang)
    shown = report.filter(args.unit, args.obligation, args.status)
    for rejection in report.rejected:
        print(rejection.text(args.lang), file=sys.stderr)
    if args.format == "html":
        page = report.model_copy(update={"results": shown}).to_html(args.lang)
        if args.output:
            Path(args.output).write_text(page, encoding="utf-8")
            print(t(args.lang, "wrote {path}", path=args.output), file=sys.stderr)
        else:
            print(page)
    elif args.format == "json":
        view = report.model_copy(update={"results": shown})
        print(view.to_json())
    elif args.format == "csv":
        print(report.model_copy(update={"results": shown}).to_csv(), end="")
    else:
        colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        print(_table(shown, colour, args.lang))
        counts = Listing(
            [f"{n} {status_name(args.lang, s)}" for s, n in report.counts().items() if n]
        )
        summary = report.summary
        print(
            "\n"
            + t(
                args.lang,
                "{shown} of {total} results ({counts}); events: {rows} rows, {accepted}"
                " accepted, {rejected} rejected",
                shown=len(shown),
                total=summary.results,
                counts=counts or t(args.lang, "none"),
                rows=summary.event_rows,
                accepted=summary.events_accepted,
                rejected=summary.events_rejected,
            ),
            file=sys.stderr,
        )
    for note in report.notes:
        _say(args.lang, "note", note)
    if args.plot and not _plot(args, report, events):
        return EXIT_INVALID
    if args.strict and report.rejected:
        return EXIT_INVALID
    return EXIT_FOUND if report.summary.must_overdue else EXIT_OK


def _check_streamed(
    args: argparse.Namespace,
    evaluation: Any,
    policy: Any,
    events: Any,
    units: Any,
    progress: _ProgressBar | None,
    jobs: int,
) -> int:
    """`check --format json|csv`: results are written as they are made and not kept, so a
    city's millions fit; the document is the same as the one a held report prints."""
    from policyrules.engine.python.evaluator import report_head, summarize
    from policyrules.report.model import (
        Result,
        Tally,
        csv_rows,
        json_items,
        write_csv_chunks,
        write_json_chunks,
    )

    head = report_head(policy, evaluation.as_of, events, units, args.lang)
    for rejection in head.rejected:
        print(rejection.text(args.lang), file=sys.stderr)
    render = json_items if args.format == "json" else csv_rows

    def work(results: list[Result]) -> tuple[Tally, str]:
        # runs where the results are made: counted for the summary, filtered, rendered
        counted = Tally()
        for result in results:
            counted.add(result)
        return counted, render(
            r for r in results if r.selected(args.unit, args.obligation, args.status)
        )

    tally = Tally()

    def chunks() -> Iterator[str]:
        for counted, text in evaluation.iter_chunks(work, progress, jobs):
            tally.merge(counted)
            yield text
        if progress is not None:
            progress.close()

    def finish() -> Any:
        head.summary = summarize(tally, events, units)
        return head

    if args.format == "json":
        write_json_chunks(head, chunks(), sys.stdout, finish)
    else:
        write_csv_chunks(chunks(), sys.stdout)
        finish()
    for note in head.notes:
        _say(args.lang, "note", note)
    if args.strict and head.rejected:
        return EXIT_INVALID
    return EXIT_FOUND if head.summary.must_overdue else EXIT_OK


class _ProgressBar:
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


# --- `check --plot` (policyrules.views.plots, the optional extra `plot`) ------------------------


def _can_plot(lang: str) -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        _say(lang, "error", "--plot needs matplotlib: pip install 'policyrules[plot]'")
        return False
    return True


def _plot(args: argparse.Namespace, report: Any, events: Any) -> bool:
    """Write the heatmap of one obligation (--plot-obligation, else --obligation, else the one
    covering the most units) or the timeline of --plot-unit to args.plot."""
    import warnings

    from policyrules.views import plots

    def unknown(what: str, name: str, known: list[str]) -> bool:
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
        message = msg("--plot: no results for {what} `{name}`", what=msg(what), name=name)
        if close:
            message = msg("{message}; did you mean `{close}`?", message=message, close=close[0])
        _say(args.lang, "error", message)
        return False

    if not report.results:
        _say(args.lang, "error", "--plot: the report has no results to draw")
        return False
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if args.plot_unit is not None:
            units = sorted({r.unit for r in report.results})
            if args.plot_unit not in units:
                return unknown("unit", args.plot_unit, units)
            figure = plots.timeline(report, args.plot_unit, events)
        else:
            counts: dict[str, int] = {}
            covered: dict[str, set[str]] = {}
            for r in report.results:
                counts[r.obligation] = counts.get(r.obligation, 0) + 1
                covered.setdefault(r.obligation, set()).add(r.unit)
            # by default the obligation that covers the most units (a tall, readable grid),
            # then the one with the most results
            default = max(counts, key=lambda o: (len(covered[o]), counts[o])) if counts else ""
            name = args.plot_obligation or args.obligation or default
            if name not in counts:
                return unknown("obligation", name, list(counts))
            figure = plots.heatmap(report, name)
        try:
            plots.save(figure, args.plot)
        except (OSError, ValueError) as error:
            _say(args.lang, "error",
                 msg("--plot: {error}", error=t(args.lang, error_message(error, writing=True))))
            return False
    for warning in caught:
        if issubclass(warning.category, UserWarning) and "policyrules" in str(warning.message):
            message = str(warning.message).removeprefix("policyrules.views.plots: ")
            _say(args.lang, "note", message)
    print(t(args.lang, "wrote {path}", path=args.plot), file=sys.stderr)
    return True


# --- end of `check --plot` ------------------------------------------------------------------


def _table(results: Sequence[Any], colour: bool, lang: str = "en") -> str:
    from policyrules.diagnostics.source import display_width

    headers = ("unit", "obligation", "refs", "period", "due", "status", "actual/req", "reason")
    rows = [tuple(t(lang, h) for h in headers)]
    for r in results:
        numbers = ""
        if r.required is not None:
            numbers = f"{_num(r.actual)}/{_num(r.required)}"
        rows.append(
            (
                r.unit + (f" · {r.person}" if r.person else ""),
                r.obligation,
                ",".join(r.refs),
                r.period.label,
                r.due.strftime("%Y-%m-%d %H:%M") if r.due else "",
                status_name(lang, r.status),
                numbers,
                r.reason if len(r.reason) <= 90 else r.reason[:89] + "…",
            )
        )
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    lines = []
    for index, row in enumerate(rows):
        cells = []
        for i, cell in enumerate(row[:-1]):
            padded = cell + " " * (widths[i] - display_width(cell))
            if colour and i == 5 and index > 0:
                code = _COLOURS.get(results[index - 1].status, "0")
                padded = f"\x1b[{code}m{padded}\x1b[0m"
            cells.append(padded)
        cells.append(row[-1])
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _num(value: float | None) -> str:
    if value is None:
        return "-"
    return str(int(value)) if float(value).is_integer() else f"{value:.3g}"


def _explain(args: argparse.Namespace) -> int:
    from policyrules.engine.python.evaluator import Evaluation, _as_of

    try:
        policy, compiled, events, units = _load_inputs(args)
    except PolicyError as error:
        print(error.render(args.lang), file=sys.stderr)
        return EXIT_INVALID
    except (OSError, ValueError) as error:
        _say(args.lang, "error", t(args.lang, error_message(error)))
        return EXIT_INVALID
    names = [ob.name for ob in policy.obligations]
    if args.obligation not in names:
        import difflib as _difflib

        close = _difflib.get_close_matches(args.obligation, names, n=1, cutoff=0.5)
        message = msg("no obligation `{name}`", name=args.obligation)
        if close:
            message = msg("{message}; did you mean `{close}`?", message=message, close=close[0])
        _say(args.lang, "error", message)
        return EXIT_INVALID
    moment = _as_of(_as_of_arg(args.as_of), compiled)
    evaluation = Evaluation(compiled, events.events, units, moment, args.lang)
    explained = evaluation.explain(args.obligation, args.unit)
    ob = policy.obligation(args.obligation)
    print(f"{ob.name} — {ob.title}")
    print("  " + t(args.lang, "refs {refs}; cites {cites}; {severity}; {where}",
                   refs=", ".join(ob.refs) or "-", cites=ob.cites or "-",
                   severity=msg(ob.severity.value), where=ob.node.span))
    if not explained:
        print("  " + t(args.lang, "no instance for unit `{unit}` by {day} (it is out of scope,"
                       " or nothing has started)", unit=args.unit, day=f"{moment:%Y-%m-%d}"))
    for result, traces in explained:
        due = (result.due.strftime("%Y-%m-%d %H:%M") if result.due
               else status_name(args.lang, "indeterminate"))
        who = f" · {result.person}" if result.person else ""
        print(f"\n{result.period.label}{who}: {status_name(args.lang, result.status)}"
              f" ({t(args.lang, 'due')} {due})")
        print(f"  {result.reason}")
        if result.slack:
            print(f"  {result.slack}")
        for trace in traces:
            mark = "✓" if trace.counted else "✗"
            print(f"  {mark} {trace.event} {trace.kind} {trace.at:%Y-%m-%d %H:%M}: {trace.why}")
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    import json

    from policyrules.data.events import json_schema

    try:
        policy = check(load_program(args.policy))
    except PolicyError as error:
        print(error.render(args.lang), file=sys.stderr)
        return EXIT_INVALID
    schema = json_schema(policy, args.lang)
    if args.kind:
        key = "unit" if args.kind == "unit" else f"event_{args.kind}"
        if key not in schema["$defs"]:
            known = ", ".join(k.removeprefix("event_") for k in schema["$defs"])
            _say(args.lang, "error", msg("no record `{kind}`; the policy reads: {known}",
                                         kind=args.kind, known=known))
            return EXIT_INVALID
        schema = {"$schema": schema["$schema"], **schema["$defs"][key]}
    print(json.dumps(schema, ensure_ascii=False, indent=2, default=str))
    return EXIT_OK


def _test(args: argparse.Namespace) -> int:
    from policyrules import scenarios

    found = list(scenarios.discover(args.paths))
    if not found:
        _say(args.lang, "error", msg("no scenarios (*.test.json) under {paths}",
                                     paths=" ".join(args.paths)))
        return EXIT_INVALID
    outcomes, coverage = scenarios.run(found, args.lang)
    text, passed = scenarios.render(outcomes, coverage, args.lang)
    print(text)
    if any(o.error for o in outcomes):
        return EXIT_INVALID
    return EXIT_OK if passed else EXIT_FOUND


def _add_input_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--events", required=True, metavar="PATH",
                         help="events as .jsonl, .csv (or .parquet with the extra)")
    command.add_argument("--units", metavar="PATH", help="units as .jsonl or .csv")
    command.add_argument("--as-of", metavar="DATE",
                         help="the day to evaluate at (default: today in the policy's zone)")
    command.add_argument("--holidays", metavar="SCHEDULE.json", action="append", default=[],
                         help="a State Council holiday schedule past the built-in data")


def _add_common_options(parser: argparse.ArgumentParser, lang_default: str) -> None:
    debug_default: Any = False if lang_default != argparse.SUPPRESS else argparse.SUPPRESS
    parser.add_argument("--debug", action="store_true", default=debug_default,
                        help="show Python tracebacks")
    parser.add_argument(
        "--lang",
        choices=("en", "zh"),
        default=lang_default,
        help="language of messages, reasons and reports (default: from the locale)",
    )


class _Commands:
    """Sub-commands that all take the common options."""

    def __init__(self, actions: Any, common: argparse.ArgumentParser, lang: str) -> None:
        self.actions = actions
        self.common = common
        self.lang = lang

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = self.actions.add_parser(
            name, parents=[self.common], formatter_class=_help_in(self.lang), **kwargs
        )
        return parser


class _Help(argparse.HelpFormatter):
    """Help in the language asked for: option and command help are catalogue templates."""

    lang = "en"

    def _get_help_string(self, action: argparse.Action) -> str | None:
        return t(self.lang, action.help) if action.help else action.help

    def add_text(self, text: str | None) -> None:
        super().add_text(t(self.lang, text) if text and text != argparse.SUPPRESS else text)


def _help_in(lang: str) -> type[_Help]:
    return type("_Help", (_Help,), {"lang": lang})


@contextlib.contextmanager
def _argparse_in(lang: str) -> Iterator[None]:
    """argparse's own words (`usage:`, `unrecognized arguments: …`) in `lang`: argparse looks
    them up through its module's gettext function `_`, replaced here while arguments are
    parsed and put back after."""
    original = getattr(argparse, "_")  # noqa: B009 - `argparse._` reads as a syntax error
    if lang != "en":
        setattr(argparse, "_", lambda text: t(lang, text))  # noqa: B010
    try:
        yield
    finally:
        setattr(argparse, "_", original)  # noqa: B010


def _requested_language(argv: Sequence[str]) -> str:
    """The `--lang` of a command line before it is parsed (the last one wins, as argparse
    will decide), else the locale's; so that argparse's errors and help follow it too."""
    lang: str = default_language()
    for index, arg in enumerate(argv):
        if arg == "--":
            break
        name, equals, given = arg.partition("=")
        # argparse takes any unambiguous prefix (`--lan zh`); no other option starts `--l`
        if len(name) < 3 or not "--lang".startswith(name):
            continue
        value = given if equals else (argv[index + 1] if index + 1 < len(argv) else None)
        if value in ("en", "zh"):
            lang = value
    return lang


def build_parser(lang: str = "en") -> argparse.ArgumentParser:
    """The command line's parser; its help in `lang`."""
    parser = argparse.ArgumentParser(
        prog="policyrules",
        description="Check the obligations of official notices against events.",
        formatter_class=_help_in(lang),
    )
    parser.add_argument("--version", action="version", version=f"policyrules {__version__}")
    _add_common_options(parser, default_language())
    # the same options after the command (`policyrules lint --lang zh x.pol`); there they
    # override the ones before it only when given
    common = argparse.ArgumentParser(add_help=False)
    _add_common_options(common, argparse.SUPPRESS)
    commands = _Commands(parser.add_subparsers(dest="command", required=True, metavar="COMMAND"),
                         common, lang)

    lint = commands.add_parser("lint", help="check policies for errors and warnings")
    lint.add_argument("policies", nargs="+", metavar="POLICY.pol", help="policy files")
    lint.add_argument("--strict", action="store_true", help="treat warnings as errors")
    lint.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    lint.set_defaults(run=_lint)

    fmt = commands.add_parser("fmt", help="rewrite policies in the canonical layout")
    fmt.add_argument("policies", nargs="+", metavar="POLICY.pol", help="policy files")
    fmt.add_argument("--check", action="store_true", help="only report files that would change")
    fmt.add_argument("--diff", action="store_true", help="print the changes instead of writing")
    fmt.set_defaults(run=_fmt)

    check_cmd = commands.add_parser("check", help="evaluate a policy against events")
    check_cmd.add_argument("policy", metavar="POLICY.pol", help="the policy file")
    _add_input_options(check_cmd)
    check_cmd.add_argument("--format", choices=("table", "json", "csv", "html"), default="table",
                           help="how to print the results (default: table)")
    check_cmd.add_argument("-o", "--output", metavar="FILE", help="write the html report here")
    check_cmd.add_argument("--unit", help="only this unit's results")
    check_cmd.add_argument("--obligation", help="only this obligation's results")
    check_cmd.add_argument("--status", choices=("met", "late", "overdue", "at_risk", "pending",
                                                "indeterminate"),
                           help="only results with this status")
    check_cmd.add_argument("--strict", action="store_true",
                           help="fail (exit 2) when any input row is rejected")
    check_cmd.add_argument("-j", "--jobs", type=int, default=None, metavar="N",
                           help="processes to evaluate units in, 0 for one per core (default:"
                                " one per core for json and csv, 1 otherwise; the results are"
                                " the same with any number)")
    # --- `check --plot` (the optional extra `plot`)
    check_cmd.add_argument("--plot", metavar="FILE",
                           help="also draw a picture (.png, .svg, .pdf): a heatmap of units ×"
                                " periods of one obligation, or one unit's timeline")
    plot_what = check_cmd.add_mutually_exclusive_group()
    plot_what.add_argument("--plot-obligation", metavar="NAME",
                           help="the heatmap's obligation (default: --obligation, else the one"
                                " covering the most units)")
    plot_what.add_argument("--plot-unit", metavar="UNIT",
                           help="draw this unit's timeline instead of a heatmap")
    # --- end of `check --plot`
    check_cmd.set_defaults(run=_check)

    explain = commands.add_parser("explain", help="why an obligation stands as it does for a unit")
    explain.add_argument("policy", metavar="POLICY.pol", help="the policy file")
    explain.add_argument("obligation", help="the obligation's name")
    explain.add_argument("--unit", required=True, help="the unit to explain")
    _add_input_options(explain)
    explain.set_defaults(run=_explain)

    test = commands.add_parser(
        "test", help="run policy scenarios (*.test.json): expected statuses, shown as a diff"
    )
    test.add_argument("paths", nargs="*", default=["policies"], metavar="PATH",
                      help="scenario files or folders (default: policies)")
    test.set_defaults(run=_test)

    schema = commands.add_parser(
        "schema", help="JSON Schema of the event and unit records a policy reads"
    )
    schema.add_argument("policy", metavar="POLICY.pol", help="the policy file")
    schema.add_argument("--kind", help="only this event kind (or `unit`)")
    schema.set_defaults(run=_schema)

    cal = commands.add_parser(
        "calendar", help="list a policy's dated events of a year (periods, windows, due dates)"
    )
    cal.add_argument("policy", metavar="POLICY.pol", help="the policy file")
    cal.add_argument("--year", type=int, required=True, help="the year to list")
    cal.add_argument("--format", choices=("text", "json"), default="text",
                     help="how to print the year (default: text)")
    cal.add_argument("--ics", metavar="FILE", help="also write an iCalendar file")
    cal.add_argument("--unit", help="only the obligations that apply to this unit")
    cal.add_argument("--units", metavar="PATH", help="the units file that describes --unit")
    cal.add_argument(
        "--holidays",
        metavar="SCHEDULE.json",
        action="append",
        default=[],
        help="a State Council holiday schedule for a year past the built-in data (repeatable)",
    )
    cal.set_defaults(run=_calendar)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    lang = _requested_language(arguments)
    with _argparse_in(lang):
        args = build_parser(lang).parse_args(arguments)
    try:
        status: int = args.run(args)
        return status
    except KeyboardInterrupt:
        return 130
    except _UsageError as error:
        _say(args.lang, "error", t(args.lang, error_message(error)))
        return EXIT_INVALID
    except BrokenPipeError:
        # the reader went away (`policyrules calendar … | head`): not an error of ours
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except Exception as error:  # the last line of defence: no raw traceback for users
        if args.debug:
            raise
        print(
            f"policyrules: {t(args.lang, 'internal error')}: {type(error).__name__}: {error}\n"
            f"   = {t(args.lang, 'hint')}: "
            + t(args.lang, "run again with --debug for the traceback, and report it"),
            file=sys.stderr,
        )
        return EXIT_INVALID


if __name__ == "__main__":
    sys.exit(main())
