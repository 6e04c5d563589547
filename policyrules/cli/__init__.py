"""The `policyrules` command line.

Every error is one clear message on stderr in `file:line:column: message` form, with the line,
a caret and a hint; no Python traceback unless `--debug`. Exit status: 0 when all is well,
1 when the command found what it looks for (lint errors, unformatted files), 2 when the input
is invalid or the command was used wrongly.
"""


from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator, Sequence
from typing import Any

from policyrules.about import __version__
from policyrules.cli.calendar import run_calendar
from policyrules.cli.check import run_check
from policyrules.cli.common import EXIT_INVALID, EXIT_OK, Failed, ProgressBar, say
from policyrules.cli.lint import run_fmt, run_lint
from policyrules.cli.tools import run_explain, run_schema, run_test
from policyrules.data.rows import FORMATS
from policyrules.diagnostics.messages import default_language, error_message, t
from policyrules.lsp import run as run_lsp

__all__ = ["ProgressBar", "build_parser", "main"]


def _add_input_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--events", required=True, metavar="PATH", action="append",
                         help="events as .jsonl, .json, .csv (or .parquet with the extra),"
                              " optionally .gz; `-` reads the standard input; repeat it to"
                              " read several files in order")
    command.add_argument("--units", metavar="PATH", action="append",
                         help="units as .jsonl, .json or .csv (repeatable)")
    command.add_argument("--events-format", choices=FORMATS, metavar="FORMAT",
                         help="read every --events input as jsonl, json, csv or parquet,"
                              " whatever its name (the standard input is jsonl otherwise)")
    command.add_argument("--units-format", choices=FORMATS, metavar="FORMAT",
                         help="read every --units input as jsonl, json, csv or parquet")
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
    library_default: Any = [] if lang_default != argparse.SUPPRESS else argparse.SUPPRESS
    parser.add_argument("--library", metavar="DIR", action="append", default=library_default,
                        help="a folder whose .pol files policies may import, besides their own"
                             " folder (repeatable; also POLICYRULES_LIBRARY)")


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
    lint.add_argument("policies", nargs="+", metavar="POLICY.pol",
                      help="policy files, folders (every .pol under them) or - (standard input)")
    lint.add_argument("--strict", action="store_true", help="treat warnings as errors")
    lint.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    lint.add_argument("--format", choices=("text", "json", "sarif"), default="text",
                      help="text for people (default), json, or sarif (SARIF 2.1.0) for CI")
    lint.set_defaults(run=run_lint)

    fmt = commands.add_parser("fmt", help="rewrite policies in the canonical layout")
    fmt.add_argument("policies", nargs="+", metavar="POLICY.pol",
                     help="policy files, folders (every .pol under them) or - (standard input,"
                          " formatted to standard output)")
    fmt.add_argument("--check", action="store_true", help="only report files that would change")
    fmt.add_argument("--diff", action="store_true", help="print the changes instead of writing")
    fmt.set_defaults(run=run_fmt)

    check_cmd = commands.add_parser("check", help="evaluate a policy against events")
    check_cmd.add_argument("policy", metavar="POLICY.pol", help="the policy file")
    _add_input_options(check_cmd)
    check_cmd.add_argument("--format", choices=("table", "json", "csv", "html", "parquet",
                                                "summary", "summary-md"), default="table",
                           help="how to print the results (default: table; parquet needs -o"
                                " FILE; summary: who is behind and on what, in a page;"
                                " summary-md: the same in Markdown)")
    check_cmd.add_argument("--engine", choices=("duckdb", "python", "spark"), default=None,
                           help="duckdb: the columnar engine, reading files itself (the default"
                                " for files); python: the reference engine (the default for"
                                " the standard input and --plot); spark: the columnar engine's"
                                " plan run by Apache Spark (the extra `spark`). The reports are"
                                " the same")
    check_cmd.add_argument("--spark-master", metavar="URL", default=None,
                           help="the Spark master for --engine spark (default: local[*], this"
                                " machine's cores)")
    check_cmd.add_argument("--spark-conf", action="append", default=[], metavar="KEY=VALUE",
                           help="a Spark setting for --engine spark (repeatable), such as"
                                " spark.executor.memory=4g")
    check_cmd.add_argument("-o", "--output", metavar="FILE",
                           help="write the report (any format) to this file instead of stdout")
    check_cmd.add_argument("--unit", action="append", metavar="UNIT",
                           help="only this unit's results (repeatable)")
    check_cmd.add_argument("--obligation", action="append", metavar="NAME",
                           help="only this obligation's results (repeatable)")
    check_cmd.add_argument("--status", action="append", metavar="STATUS",
                           help="only results with this status: met, late, overdue, at_risk,"
                                " pending, indeterminate, or not-met for all but met"
                                " (repeatable, or comma-separated)")
    check_cmd.add_argument("--strict", action="store_true",
                           help="fail (exit 2) when any input row is rejected or an event's"
                                " kind is not declared")
    check_cmd.add_argument("-j", "--jobs", type=int, default=None, metavar="N",
                           help="processes to evaluate units in (the python engine; duckdb:"
                                " threads), 0 for one per core (default: one per core for json"
                                " and csv, 1 otherwise; the results are the same with any"
                                " number)")
    check_cmd.add_argument("--memory-limit", metavar="SIZE",
                           help="the duckdb engine's memory, beyond which it works on disk"
                                " (e.g. 1.5GB, 800MB; default: most of the machine's)")
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
    check_cmd.set_defaults(run=run_check)

    explain = commands.add_parser("explain", help="why an obligation stands as it does for a unit")
    explain.add_argument("policy", metavar="POLICY.pol", help="the policy file")
    explain.add_argument("obligation", help="the obligation's name")
    explain.add_argument("--unit", required=True, action="append", metavar="UNIT",
                         help="the unit to explain (repeatable)")
    _add_input_options(explain)
    explain.set_defaults(run=run_explain)

    test = commands.add_parser(
        "test", help="run policy scenarios (*.test.json): expected statuses, shown as a diff"
    )
    test.add_argument("paths", nargs="*", default=["policies"], metavar="PATH",
                      help="scenario files or folders (default: policies)")
    test.add_argument("-k", metavar="PATTERN", dest="select",
                      help="only scenarios whose file or name contains PATTERN (any case)")
    test.add_argument("-v", "--verbose", action="store_true",
                      help="list every expectation, passed ones too")
    test.add_argument("--format", choices=("text", "junit", "json"), default="text",
                      help="text for people (default), junit (JUnit XML) or json for CI")
    test.set_defaults(run=run_test)

    lsp = commands.add_parser(
        "lsp", help="the language server editors start (needs the extra `lsp`)"
    )
    lsp.add_argument("--stdio", action="store_true",
                     help="talk over standard input and output (the default and only way)")
    lsp.set_defaults(run=run_lsp)

    schema = commands.add_parser(
        "schema", help="JSON Schema of the event and unit records a policy reads"
    )
    schema.add_argument("policy", metavar="POLICY.pol", help="the policy file")
    schema.add_argument("--kind", help="only this event kind (or `unit`)")
    schema.set_defaults(run=run_schema)

    cal = commands.add_parser(
        "calendar", help="list a policy's dated events of a year (periods, windows, due dates)"
    )
    cal.add_argument("policy", metavar="POLICY.pol", help="the policy file")
    cal.add_argument("--year", type=int, required=True, help="the year to list")
    cal.add_argument("--format", choices=("text", "json"), default="text",
                     help="how to print the year (default: text)")
    cal.add_argument("--ics", metavar="FILE",
                     help="also write an iCalendar file (in the language of --lang)")
    cal.add_argument("--unit", help="only the obligations that apply to this unit")
    cal.add_argument("--units", metavar="PATH", action="append",
                     help="the units file that describes --unit (repeatable)")
    cal.add_argument("--units-format", choices=FORMATS, metavar="FORMAT",
                     help="read every --units input as jsonl, json, csv or parquet")
    cal.add_argument("--obligation", action="append", metavar="NAME",
                     help="only this obligation (repeatable)")
    cal.add_argument(
        "--holidays",
        metavar="SCHEDULE.json",
        action="append",
        default=[],
        help="a State Council holiday schedule for a year past the built-in data (repeatable)",
    )
    cal.set_defaults(run=run_calendar)
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
    except Failed as error:
        say(args.lang, "error", t(args.lang, error_message(error)))
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
