"""`policyrules check`: evaluate a policy against events and print the report."""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from collections.abc import Iterator
from typing import Any, TextIO

from policyrules.cli.columnar import choose_engine, load_columnar, run_columnar
from policyrules.cli.common import (
    EXIT_FOUND,
    EXIT_INVALID,
    EXIT_OK,
    Failed,
    ProgressBar,
    as_of_arg,
    broken_stream,
    checked_names,
    csv_bom,
    load_inputs,
    output,
    print_counts,
    report_sources,
    say,
    statuses_arg,
)
from policyrules.diagnostics.errors import PolicyError
from policyrules.diagnostics.messages import Listing, error_message, msg, t
from policyrules.report.html import render_report
from policyrules.report.summary import summary as summary_page
from policyrules.report.text import table


def run_check(args: argparse.Namespace) -> int:
    from policyrules.evaluation import Evaluation, default_jobs
    from policyrules.evaluation import as_of_moment as _as_of

    if (args.plot_obligation or args.plot_unit) and not args.plot:
        say(args.lang, "error", "--plot-obligation and --plot-unit need --plot FILE")
        return EXIT_INVALID
    if args.plot and not _can_plot(args.lang):
        return EXIT_INVALID
    statuses = statuses_arg(args.status)
    checked_names(None, None, None, None, None, statuses)  # before any file is read
    if choose_engine(args) in ("duckdb", "spark"):
        return _check_columnar(args, statuses)
    try:
        policy, compiled, events, units = load_inputs(args)
    except PolicyError as error:
        print(error.render(args.lang), file=sys.stderr)
        return EXIT_INVALID
    except (OSError, ValueError) as error:
        say(args.lang, "error", t(args.lang, error_message(error)))
        return EXIT_INVALID
    moment = _as_of(as_of_arg(args.as_of), compiled)
    # a name that matches nothing is an error before minutes of evaluation, not an empty
    # answer after them
    selection = checked_names(policy, events, units, args.unit, args.obligation, statuses)
    evaluation = Evaluation(compiled, events.events, units, moment, args.lang)
    streamed = args.format in ("json", "csv") and not args.plot
    # a bar on a terminal that also shows the streamed document would break its lines
    shows_bar = sys.stderr.isatty() and not (streamed and sys.stdout.isatty()
                                             and args.output is None)
    progress = ProgressBar(sys.stderr) if shows_bar else None
    # by default every core where results stream (only counts and text travel back), one
    # process where they are held (handing back whole results can cost more than it saves)
    jobs = args.jobs if args.jobs is not None else (0 if streamed else 1)
    jobs = jobs or default_jobs()  # 0: every core
    with output(args.output) as out:
        if streamed:
            report = _check_streamed(args, evaluation, policy, events, units, progress, jobs,
                                     selection, out)
        else:
            report = _check_held(args, evaluation, policy, events, units, progress, jobs,
                                 selection, out)
    if args.plot and not _plot(args, _finished(args, report), events):
        return EXIT_INVALID
    return _exit_status(args, report)


def _finished(args: argparse.Namespace, report: Any) -> Any:
    """What every engine says once the report is written: where it went, its notes."""
    if args.output:
        print(t(args.lang, "wrote {path}", path=args.output), file=sys.stderr)
    for note in report.notes:
        say(args.lang, "note", note)
    return report


def _exit_status(args: argparse.Namespace, report: Any) -> int:
    if not args.plot:
        _finished(args, report)
    if args.strict and not _strictly_clean(args.lang, report):
        return EXIT_INVALID
    return EXIT_FOUND if report.summary.must_overdue else EXIT_OK


def _check_columnar(args: argparse.Namespace, statuses: list[str] | None) -> int:
    """`check` on the columnar engine (policyrules.cli.columnar)."""
    import duckdb

    from policyrules.evaluation import as_of_moment

    try:
        policy, _, engine, events, units = load_columnar(args, as_of_moment)
    except duckdb.OutOfMemoryException:
        raise _out_of_memory(args) from None
    except PolicyError as error:
        print(error.render(args.lang), file=sys.stderr)
        return EXIT_INVALID
    except (OSError, ValueError) as error:
        say(args.lang, "error", t(args.lang, error_message(error)))
        return EXIT_INVALID
    try:
        selection = checked_names(policy, events, units, args.unit, args.obligation, statuses)
        if args.format == "parquet":
            report = run_columnar(args, engine, policy, events, units, selection, None)
        else:
            with output(args.output) as out:
                report = run_columnar(args, engine, policy, events, units, selection, out)
    except duckdb.OutOfMemoryException:
        raise _out_of_memory(args) from None
    except Exception as error:
        if _spark_out_of_memory(error):
            raise Failed(msg("Spark ran out of memory: give its driver more, e.g. --spark-conf"
                             " spark.driver.memory=6g")) from None
        raise
    finally:
        engine.close()
    return _exit_status(args, report)


def _spark_out_of_memory(error: Exception) -> bool:
    """A Java heap exhausted in Spark (py4j's error, named so as not to import it)."""
    return type(error).__name__ == "Py4JJavaError" and "OutOfMemoryError" in str(error)


def _out_of_memory(args: argparse.Namespace) -> Failed:
    limit = getattr(args, "memory_limit", None)
    return Failed(
        msg("the columnar engine ran out of memory (--memory-limit {limit}): give it more,"
            " or leave the flag out", limit=limit)
        if limit is not None
        else msg("the columnar engine ran out of the machine's memory")
    )


def _check_held(
    args: argparse.Namespace,
    evaluation: Any,
    policy: Any,
    events: Any,
    units: Any,
    progress: ProgressBar | None,
    jobs: int,
    selection: Any,
    out: TextIO,
) -> Any:
    """The table, `html` and `--plot`: every result is held, then written."""
    from policyrules.report.build import build_report

    results = evaluation.results(progress, jobs=jobs)
    if progress is not None:
        progress.close()
    report = build_report(policy, evaluation.as_of, results, events, units, args.lang,
                          report_sources(args, evaluation.compiled))
    shown = [r for r in report.results if selection.holds(r)]
    for rejection in report.rejected:
        print(rejection.text(args.lang), file=sys.stderr)
    view = report.model_copy(update={"results": shown})
    if args.format == "html":
        out.write(render_report(view, args.lang) + "\n")
    elif args.format in ("summary", "summary-md"):
        page = summary_page(report, shown, args.lang, markdown=args.format == "summary-md")
        out.write(page if page.endswith("\n") else page + "\n")
    elif args.format == "json":
        out.write(view.to_json() + "\n")
    elif args.format == "csv":
        out.write(csv_bom(args.lang) + view.to_csv(args.lang))
    else:
        colour = out is sys.stdout and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        out.write(table(shown, colour, args.lang) + "\n")
        print_counts(args.lang, report, len(shown))
    return report


def _strictly_clean(lang: str, report: Any) -> bool:
    """`--strict`: no row rejected, no event of a kind the policy does not declare; else
    why not, on stderr."""
    problems = []
    if report.rejected:
        count = len(report.rejected)
        problems.append(msg("{count} row{s} rejected", count=count, s="" if count == 1 else "s"))
    undeclared = report.summary.kinds_undeclared
    if undeclared:
        problems.append(msg("events of kinds the policy does not declare: {kinds}",
                            kinds=", ".join(f"`{k}`" for k in undeclared)))
    if problems:
        say(lang, "error", msg("--strict: {problems}", problems=Listing(problems, long=True)))
    return not problems


def _check_streamed(
    args: argparse.Namespace,
    evaluation: Any,
    policy: Any,
    events: Any,
    units: Any,
    progress: ProgressBar | None,
    jobs: int,
    selection: Any,
    out: TextIO,
) -> Any:
    """`check --format json|csv`: results are written as they are made and not kept, so a
    city's millions fit; the document is the same as the one a held report prints.

    Everything that can be checked is checked before the first byte is written. Should the
    run still fail part way, nothing more is written and the command fails (exit 2): on
    stdout the JSON document is left unclosed, which no JSON reader accepts; a file (`-o`)
    is not written at all."""
    from policyrules.report.build import report_head, summarize
    from policyrules.report.model import (
        Result,
        Tally,
        csv_rows,
        json_items,
        write_csv_chunks,
        write_json_chunks,
    )

    head = report_head(policy, evaluation.as_of, events, units, args.lang,
                       report_sources(args, evaluation.compiled))
    for rejection in head.rejected:
        print(rejection.text(args.lang), file=sys.stderr)
    render = json_items if args.format == "json" else csv_rows

    def work(results: list[Result]) -> tuple[Tally, str]:
        # runs where the results are made: counted for the summary, filtered, rendered
        counted = Tally()
        for result in results:
            counted.add(result)
        return counted, render(r for r in results if selection.holds(r))

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

    try:
        if args.format == "json":
            write_json_chunks(head, chunks(), out, finish)
        else:
            out.write(csv_bom(args.lang))
            write_csv_chunks(chunks(), out, args.lang, head.provenance)
            finish()
        out.flush()
    except Exception as error:
        raise broken_stream(args, error) from error
    return head


# --- `check --plot` (policyrules.views.plots, the optional extra `plot`) ------------------------


def _can_plot(lang: str) -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        say(lang, "error", "--plot needs matplotlib: pip install 'policyrules[plot]'")
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
        say(args.lang, "error", message)
        return False

    if not report.results:
        say(args.lang, "error", "--plot: the report has no results to draw")
        return False
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if args.plot_unit is not None:
            units = sorted({r.unit for r in report.results})
            if args.plot_unit not in units:
                return unknown("unit", args.plot_unit, units)
            figure = plots.timeline(report, args.plot_unit, events, lang=args.lang)
        else:
            counts: dict[str, int] = {}
            covered: dict[str, set[str]] = {}
            for r in report.results:
                counts[r.obligation] = counts.get(r.obligation, 0) + 1
                covered.setdefault(r.obligation, set()).add(r.unit)
            # by default the obligation that covers the most units (a tall, readable grid),
            # then the one with the most results
            default = max(counts, key=lambda o: (len(covered[o]), counts[o])) if counts else ""
            name = args.plot_obligation or (args.obligation or [None])[0] or default
            if name not in counts:
                return unknown("obligation", name, list(counts))
            figure = plots.heatmap(report, name, lang=args.lang)
        try:
            plots.save(figure, args.plot)
        except (OSError, ValueError) as error:
            say(args.lang, "error",
                 msg("--plot: {error}", error=t(args.lang, error_message(error, writing=True))))
            return False
    for warning in caught:
        if issubclass(warning.category, UserWarning) and "policyrules" in str(warning.message):
            message = str(warning.message).removeprefix("policyrules.views.plots: ")
            say(args.lang, "note", message)
    print(t(args.lang, "wrote {path}", path=args.plot), file=sys.stderr)
    return True


# --- end of `check --plot` ------------------------------------------------------------------
