"""`policyrules check`: evaluate a policy against events and print the report."""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from policyrules.cli.common import (
    EXIT_FOUND,
    EXIT_INVALID,
    EXIT_OK,
    ProgressBar,
    as_of_arg,
    load_inputs,
    say,
)
from policyrules.diagnostics.errors import PolicyError
from policyrules.diagnostics.messages import Listing, error_message, msg, status_name, t
from policyrules.report.html import render_report
from policyrules.report.summary import summary as summary_page
from policyrules.report.text import table


def run_check(args: argparse.Namespace) -> int:
    from policyrules.evaluation import Evaluation, default_jobs
    from policyrules.evaluation import as_of_moment as _as_of
    from policyrules.report.build import build_report

    if (args.plot_obligation or args.plot_unit) and not args.plot:
        say(args.lang, "error", "--plot-obligation and --plot-unit need --plot FILE")
        return EXIT_INVALID
    if args.plot and not _can_plot(args.lang):
        return EXIT_INVALID
    try:
        policy, compiled, events, units = load_inputs(args)
    except PolicyError as error:
        print(error.render(args.lang), file=sys.stderr)
        return EXIT_INVALID
    except (OSError, ValueError) as error:
        say(args.lang, "error", t(args.lang, error_message(error)))
        return EXIT_INVALID
    moment = _as_of(as_of_arg(args.as_of), compiled)
    evaluation = Evaluation(compiled, events.events, units, moment, args.lang)
    streamed = args.format in ("json", "csv") and not args.plot
    # a bar on a terminal that also shows the streamed document would break its lines
    shows_bar = sys.stderr.isatty() and not (streamed and sys.stdout.isatty())
    progress = ProgressBar(sys.stderr) if shows_bar else None
    # by default every core where results stream (only counts and text travel back), one
    # process where they are held (handing back whole results can cost more than it saves)
    jobs = args.jobs if args.jobs is not None else (0 if streamed else 1)
    jobs = jobs or default_jobs()  # 0: every core
    if streamed:
        return _check_streamed(args, evaluation, policy, events, units, progress, jobs)
    results = evaluation.results(progress, jobs=jobs)
    if progress is not None:
        progress.close()
    report = build_report(policy, moment, results, events, units, args.lang,
                          _sources(args, compiled))
    shown = report.filter(args.unit, args.obligation, args.status)
    for rejection in report.rejected:
        print(rejection.text(args.lang), file=sys.stderr)
    if args.format in ("html", "summary", "summary-md"):
        if args.format == "html":
            page = render_report(report.model_copy(update={"results": shown}), args.lang)
        else:
            page = summary_page(report, shown, args.lang, markdown=args.format == "summary-md")
        if args.output:
            Path(args.output).write_text(page, encoding="utf-8")
            print(t(args.lang, "wrote {path}", path=args.output), file=sys.stderr)
        else:
            print(page, end="" if page.endswith("\n") else "\n")
    elif args.format == "json":
        view = report.model_copy(update={"results": shown})
        print(view.to_json())
    elif args.format == "csv":
        _bom(args.lang)
        print(report.model_copy(update={"results": shown}).to_csv(args.lang), end="")
    else:
        colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        print(table(shown, colour, args.lang))
        counts = Listing([t(args.lang, "{count} {status}", count=n,
                            status=status_name(args.lang, s))
                          for s, n in report.counts().items() if n])
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
        say(args.lang, "note", note)
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
    progress: ProgressBar | None,
    jobs: int,
) -> int:
    """`check --format json|csv`: results are written as they are made and not kept, so a
    city's millions fit; the document is the same as the one a held report prints."""
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
                       _sources(args, evaluation.compiled))
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
        _bom(args.lang)
        write_csv_chunks(chunks(), sys.stdout, args.lang, head.provenance)
        finish()
    for note in head.notes:
        say(args.lang, "note", note)
    if args.strict and head.rejected:
        return EXIT_INVALID
    return EXIT_FOUND if head.summary.must_overdue else EXIT_OK


def _sources(args: argparse.Namespace, compiled: Any) -> Any:
    """Where the inputs came from, for the report's provenance."""
    from policyrules.report.provenance import Sources

    return Sources(args.events, args.units, args.holidays, compiled.workdays)


def _bom(lang: str) -> None:
    """CSV in Chinese starts with a byte-order mark: Excel reads it as UTF-8 only then."""
    if lang == "zh":
        sys.stdout.write("\ufeff")


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
            name = args.plot_obligation or args.obligation or default
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
