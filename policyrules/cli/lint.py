"""`policyrules lint` and `policyrules fmt`."""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

from policyrules.cli.common import EXIT_FOUND, EXIT_INVALID, EXIT_OK
from policyrules.diagnostics.errors import PolicyError, render_all
from policyrules.diagnostics.messages import t
from policyrules.semantics.checker import lint
from policyrules.syntax.formatter import format_policy
from policyrules.syntax.loader import load_program, read_source
from policyrules.syntax.parser import parse


def run_lint(args: argparse.Namespace) -> int:
    status = EXIT_OK
    for path in args.policies:
        try:
            program = load_program(path, args.library)
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


def run_fmt(args: argparse.Namespace) -> int:
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

