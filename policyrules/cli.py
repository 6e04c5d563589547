"""The `policyrules` command line.

Every error is one clear message on stderr in `file:line:column: message` form, with the line,
a caret and a hint; no Python traceback unless `--debug`. Exit status: 0 when all is well,
1 when the command found what it looks for (lint errors, unformatted files), 2 when the input
is invalid or the command was used wrongly.
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from policyrules import __version__
from policyrules.calendar.workdays import WorkdayCalendar, load_schedule
from policyrules.checker import check, lint
from policyrules.errors import PolicyError, render_all
from policyrules.formatter import format_policy
from policyrules.loader import load_program, read_source
from policyrules.parser import parse

EXIT_OK = 0
EXIT_FOUND = 1
EXIT_INVALID = 2


def _lint(args: argparse.Namespace) -> int:
    status = EXIT_OK
    for path in args.policies:
        try:
            program = load_program(path)
        except PolicyError as error:
            print(error.render() + "\n", file=sys.stderr)
            status = EXIT_FOUND
            continue
        diagnostics = lint(program)
        errors = sum(d.is_error for d in diagnostics)
        warnings = len(diagnostics) - errors
        if diagnostics:
            print(render_all(diagnostics, program.sources) + "\n", file=sys.stderr)
        if errors or (warnings and args.strict):
            status = EXIT_FOUND
        if not args.quiet:
            print(f"{path}: {_plural(errors, 'error')}, {_plural(warnings, 'warning')}")
    return status


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _fmt(args: argparse.Namespace) -> int:
    status = EXIT_OK
    for path in args.policies:
        try:
            source = read_source(Path(path), path)
            formatted = format_policy(parse(source.text, path))
        except PolicyError as error:
            print(error.render(), file=sys.stderr)
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
            print(f"{path}: would be reformatted", file=sys.stderr)
            status = max(status, EXIT_FOUND)
        else:
            Path(path).write_text(formatted, encoding="utf-8")
            print(f"{path}: reformatted", file=sys.stderr)
    return status


def _calendar(args: argparse.Namespace) -> int:
    from policyrules import calendar_view  # the view needs the calendar data: load it lazily

    try:
        policy = check(load_program(args.policy))
        schedules = [load_schedule(path) for path in args.holidays]
    except PolicyError as error:
        print(error.render(), file=sys.stderr)
        return EXIT_INVALID
    except ValueError as error:
        print(f"policyrules: error: {error}", file=sys.stderr)
        return EXIT_INVALID
    view = calendar_view.year_view(policy, args.year, WorkdayCalendar(schedules))
    if args.ics is not None:
        try:
            data = calendar_view.to_ics(view)
        except calendar_view.MissingExtra as missing:
            print(f"policyrules: error: {missing}", file=sys.stderr)
            return EXIT_INVALID
        Path(args.ics).write_bytes(data)
        print(f"wrote {len(view.entries)} events to {args.ics}", file=sys.stderr)
    if args.format == "json":
        print(calendar_view.to_json(view))
    else:
        print(calendar_view.to_text(view))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="policyrules",
        description="Check the obligations of official notices against events.",
    )
    parser.add_argument("--version", action="version", version=f"policyrules {__version__}")
    parser.add_argument("--debug", action="store_true", help="show Python tracebacks")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    lint = commands.add_parser("lint", help="check policies for errors and warnings")
    lint.add_argument("policies", nargs="+", metavar="POLICY.pol")
    lint.add_argument("--strict", action="store_true", help="treat warnings as errors")
    lint.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    lint.set_defaults(run=_lint)

    fmt = commands.add_parser("fmt", help="rewrite policies in the canonical layout")
    fmt.add_argument("policies", nargs="+", metavar="POLICY.pol")
    fmt.add_argument("--check", action="store_true", help="only report files that would change")
    fmt.add_argument("--diff", action="store_true", help="print the changes instead of writing")
    fmt.set_defaults(run=_fmt)

    cal = commands.add_parser(
        "calendar", help="list a policy's dated events of a year (periods, windows, due dates)"
    )
    cal.add_argument("policy", metavar="POLICY.pol")
    cal.add_argument("--year", type=int, required=True)
    cal.add_argument("--format", choices=("text", "json"), default="text")
    cal.add_argument("--ics", metavar="FILE", help="also write an iCalendar file")
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
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        status: int = args.run(args)
        return status
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader went away (`policyrules calendar … | head`): not an error of ours
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except Exception as error:  # the last line of defence: no raw traceback for users
        if args.debug:
            raise
        print(
            f"policyrules: internal error: {type(error).__name__}: {error}\n"
            "   = hint: run again with --debug for the traceback, and report it",
            file=sys.stderr,
        )
        return EXIT_INVALID


if __name__ == "__main__":
    sys.exit(main())
