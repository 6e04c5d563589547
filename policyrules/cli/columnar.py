"""`policyrules check --engine duckdb`: the columnar engine reads the event files itself,
evaluates every rule as set-based queries and writes the report from the database.

The report is the reference engine's, field for field (tests/test_engines_agree.py); what
differs is where the work is done. Units are read by the reference reader (a city has a few
hundred thousand; Parquet units without pyarrow are read through the database). A rule the
engine cannot compile yet is evaluated by the reference engine, and a note says which.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from typing import Any, TextIO

from policyrules.cli.common import (
    ProgressBar,
    UsageError,
    broken_stream,
    csv_bom,
    print_counts,
    report_sources,
    say,
)
from policyrules.diagnostics.messages import Listing, msg, t

#: what the columnar engine writes besides what every engine writes
ENGINES = ("duckdb", "python", "spark")


def choose_engine(args: argparse.Namespace) -> str:
    """`--engine`, or the default: the columnar engine for files, the reference engine where
    only it applies (`--plot` draws from the reference engine's events; the standard input
    is small)."""
    chosen: str | None = args.engine
    if chosen != "spark" and (args.spark_master is not None or args.spark_conf):
        raise UsageError(msg("--spark-master and --spark-conf are for --engine spark"))
    if chosen == "spark" and args.plot:
        raise UsageError(msg("--plot draws from the reference engine: use --engine python"))
    if args.format == "parquet" and chosen == "python":
        raise UsageError(msg("--format parquet is written by the columnar engine: use"
                             " --engine duckdb (the default for files)"))
    if chosen == "duckdb" and args.plot:
        raise UsageError(msg("--plot draws from the reference engine: use --engine python"))
    limit = getattr(args, "memory_limit", None)
    if limit is not None:
        if chosen in ("python", "spark") or (chosen is None and (args.plot or "-" in args.events)):
            raise UsageError(msg("--memory-limit is the columnar engine's: use --engine"
                                 " duckdb (the default for files)"))
        if not re.fullmatch(r"\s*[0-9]+(\.[0-9]+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)\s*",
                            limit, re.IGNORECASE):
            raise UsageError(msg("--memory-limit `{size}` is not a size: write a number and"
                                 " a unit, such as 800MB or 1.5GB", size=limit))
    if chosen is not None:
        return chosen
    if args.format == "parquet":
        return "duckdb"
    if args.plot or "-" in args.events:
        return "python"
    return "duckdb"


def load_columnar(args: argparse.Namespace, moment_of: Any) -> tuple[Any, Any, Any, Any, Any]:
    """The checked policy, its compiled rules, the engine with the events read into it, the
    counted events and the units."""
    from policyrules.calendar.workdays import WorkdayCalendar, load_schedule
    from policyrules.cli.common import as_of_arg
    from policyrules.data.units import read_units
    from policyrules.engine.sql.engine import ColumnarEngine
    from policyrules.rules.compiler import compile_policy
    from policyrules.semantics import check
    from policyrules.syntax.loader import load_program

    paths = [*args.events, *(args.units or [])]
    if paths.count("-") > 1:
        raise UsageError(msg("the standard input (`-`) can be read only once"))
    policy = check(load_program(args.policy, args.library))
    workdays = WorkdayCalendar([load_schedule(path) for path in args.holidays])
    compiled = compile_policy(policy, workdays)
    moment = moment_of(as_of_arg(args.as_of), compiled)
    if args.engine == "spark":
        engine = _spark_engine(args, compiled, moment)
    else:
        threads = args.jobs if args.jobs else None
        engine = ColumnarEngine(compiled, moment, args.lang, threads=threads,
                                memory_limit=getattr(args, "memory_limit", None))
    try:
        events = engine.read(args.events, args.events_format)
        units = (read_units(policy, _units_source(engine, args), format=args.units_format)
                 if args.units else None)
        engine.load_units(units, events)
    except BaseException:
        engine.close()
        raise
    return policy, compiled, engine, events, units


def spark_settings(pairs: list[str]) -> dict[str, str]:
    """`--spark-conf KEY=VALUE …` as settings; a value without `=` or a key is an error."""
    settings: dict[str, str] = {}
    for pair in pairs:
        key, equals, value = pair.partition("=")
        if not equals or not key.strip():
            raise UsageError(msg("--spark-conf `{text}` is not KEY=VALUE (for example"
                                 " --spark-conf spark.executor.memory=4g)", text=pair))
        settings[key.strip()] = value
    return settings


def _spark_engine(args: argparse.Namespace, compiled: Any, moment: Any) -> Any:
    """The Spark engine, in the process's SparkSession (`--spark-master`, `--spark-conf`)."""
    from policyrules.engine.spark.inputs import unreadable
    from policyrules.engine.spark.session import SparkUnavailable, unavailable

    settings = spark_settings(args.spark_conf)
    # before the JVM starts: inputs that cannot be read together are refused at once
    why = unreadable(args.events)
    if why is not None:
        raise UsageError(why)
    why = unavailable()
    if why is not None:
        raise UsageError(why)
    from policyrules.engine.spark.engine import SparkEngine

    try:
        return SparkEngine(compiled, moment, args.lang, master=args.spark_master or "local[*]",
                           conf=settings)
    except SparkUnavailable as error:
        raise UsageError(error.args[0]) from None


def _units_source(engine: Any, args: argparse.Namespace) -> Any:
    """The units files as the reference reader takes them, Parquet read by the database
    (as the events are): the same rows whether pyarrow is installed or not, and no import
    of pyarrow (and pandas) for a batch check."""
    from policyrules.data.rows import format_of

    if hasattr(engine, "units_source"):  # Spark's: a URI's bytes fetched through Spark
        return engine.units_source(args.units, args.units_format)
    if any((args.units_format or format_of(p)) == "parquet" for p in args.units if p != "-"):
        from policyrules.engine.sql.ingest import parquet_rows

        return [parquet_rows(engine.con, p) if (args.units_format or format_of(p)) == "parquet"
                else p for p in args.units]
    return args.units


def run_columnar(
    args: argparse.Namespace,
    engine: Any,
    policy: Any,
    events: Any,
    units: Any,
    selection: Any,
    out: TextIO | None,
) -> Any:
    """Evaluate and write the report (to `out`; Parquet to `-o FILE`); the report's head
    and summary are returned."""
    from policyrules.report.build import build_report, report_head
    from policyrules.report.html import render_report
    from policyrules.report.model import write_csv_chunks, write_json_chunks
    from policyrules.report.text import table

    bar = ProgressBar(sys.stderr, what=t(args.lang, "rules")) if sys.stderr.isatty() else None
    engine.evaluate(bar)
    if bar is not None:
        bar.close()
    if engine.fallbacks:
        say(args.lang, "note", msg(
            "the columnar engine cannot compile {rules} yet; the reference engine evaluated"
            " these rules", rules=Listing([msg("`{name}` ({why})", name=name, why=why)
                                          for name, why in engine.fallbacks.items()],
                                         long=True)))
    from policyrules.report.summary import summary as summary_page

    output = _output(engine)
    sources = report_sources(args, engine.compiled)
    head = report_head(policy, engine.as_of, events, units, args.lang, sources)
    for rejection in head.rejected:
        print(rejection.text(args.lang), file=sys.stderr)
    if args.format == "parquet":
        if not args.output:
            raise UsageError(msg("--format parquet writes a file: give it with -o FILE"))
        as_of: dt.datetime = head.as_of
        output.write_parquet(args.output, selection, head.policy, as_of)
        _summed(head, output, events, units)
    elif args.format in ("json", "csv"):
        assert out is not None
        try:
            if args.format == "json":
                write_json_chunks(head, output.json_chunks(selection), out,
                                  lambda: _summed(head, output, events, units))
            else:
                out.write(csv_bom(args.lang))
                write_csv_chunks(output.csv_chunks(selection), out, args.lang, head.provenance)
                _summed(head, output, events, units)
            out.flush()
        except Exception as error:
            raise broken_stream(args, error) from error
    else:
        assert out is not None
        report = build_report(policy, engine.as_of, output.results(), events, units, args.lang,
                              sources)
        view = report.model_copy(update={"results": output.results(selection)})
        if args.format == "html":
            out.write(render_report(view, args.lang) + "\n")
        elif args.format in ("summary", "summary-md"):
            page = summary_page(report, view.results, args.lang,
                                markdown=args.format == "summary-md")
            out.write(page if page.endswith("\n") else page + "\n")
        else:
            import os

            colour = out is sys.stdout and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
            out.write(table(view.results, colour, args.lang) + "\n")
            print_counts(args.lang, report, len(view.results))
        return report
    return head


def _output(engine: Any) -> Any:
    """How the results are read out: from DuckDB, or from Spark's views."""
    from policyrules.report.columnar import Output

    if getattr(engine, "spark", None) is not None:
        from policyrules.report.spark import SparkOutput

        return SparkOutput(engine.spark)
    return Output(engine.con)


def _summed(head: Any, output: Any, events: Any, units: Any) -> Any:
    from policyrules.report.build import summarize

    head.summary = summarize(output.tally(), events, units)
    return head
