"""`policyrules lint` and `policyrules fmt`.

Both take files, folders (every `.pol` under them, hidden folders skipped) and `-` (standard
input). Exit statuses, as docs/cli.md states them:

- `lint`: 0 clean; 1 errors (or warnings with `--strict`); 2 an input that cannot be read
  (missing, a folder with no policy, permission denied) — the worst of all inputs wins.
- `fmt`: 0 all formatted (or rewritten); 1 with `--check`/`--diff`, files that would change;
  2 an input that cannot be read or does not parse.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from policyrules.cli.common import EXIT_FOUND, EXIT_INVALID, EXIT_OK, say
from policyrules.diagnostics.errors import Diagnostic, PolicyError, render_all
from policyrules.diagnostics.formats import LintedFile, to_json, to_sarif
from policyrules.diagnostics.messages import file_problem, msg, t
from policyrules.diagnostics.source import SourceText
from policyrules.semantics import lint
from policyrules.syntax.formatter import format_policy
from policyrules.syntax.loader import (
    LibraryPaths,
    Program,
    load_program,
    program_from_text,
    read_source,
)
from policyrules.syntax.parser import parse

#: how standard input is named in messages (`<stdin>:3:5: error: …`)
STDIN_NAME = "<stdin>"


# ----------------------------------------------------------------------------- inputs


@dataclass
class Inputs:
    """The policy files named on a command line, folders expanded, and the names that matched
    nothing (each reported, exit 2)."""

    files: list[str] = field(default_factory=list)
    #: folders with no policy in them, each with its diagnostic
    empty: list[tuple[str, Diagnostic]] = field(default_factory=list)


def policy_inputs(paths: list[str]) -> Inputs:
    """Files as given (in order, each once), folders as every `.pol` under them sorted, `-`
    as itself. A folder without a policy file is a problem of its own."""
    found = Inputs()
    seen: set[str] = set()

    def add(name: str) -> None:
        if name not in seen:
            seen.add(name)
            found.files.append(name)

    for raw in paths:
        path = Path(raw)
        if raw == "-" or not path.is_dir():
            add(raw)  # a missing file is reported when it is read, with the reason
            continue
        inside = list(_policies_under(path))
        if not inside:
            found.empty.append((raw, Diagnostic(
                msg("no policy files (*.pol) under `{folder}`", folder=raw), None,
                "name the files, or a folder that holds `.pol` files", code="io")))
        for file in inside:
            add(str(file))
    return found


def _policies_under(folder: Path) -> Iterator[Path]:
    # hidden folders (.git, .venv …) hold no policy of the user's
    for path in sorted(folder.rglob("*.pol")):
        relative = path.relative_to(folder)
        if not any(part.startswith(".") for part in relative.parts[:-1]) and path.is_file():
            yield path


def _read_stdin() -> str:
    data = sys.stdin.buffer.read()
    text = data.decode("utf-8", errors="replace")
    return text.removeprefix("\ufeff")


def _unreadable(diagnostic: Diagnostic) -> bool:
    """An input that could not be read at all (missing, a folder, permission denied, too
    large), as opposed to a policy that was read and has problems."""
    return diagnostic.code == "io" or (diagnostic.code == "limit" and diagnostic.span is None)


# ----------------------------------------------------------------------------- lint


def _load(name: str, library: LibraryPaths) -> Program:
    if name == "-":
        # imports of a policy on standard input are relative to the working directory
        return program_from_text(_read_stdin(), STDIN_NAME, Path.cwd(), library)
    return load_program(name, library)


def lint_file(name: str, library: LibraryPaths = ()) -> LintedFile:
    """Every diagnostic of one input: what the loader refused, or what the checker found;
    its imports may reach the `library` folders."""
    shown = STDIN_NAME if name == "-" else name
    try:
        program = _load(name, library)
    except PolicyError as error:
        return LintedFile(shown, error.diagnostics, error.sources,
                          unreadable=any(_unreadable(d) for d in error.diagnostics))
    except OSError as error:  # standard input that cannot be read
        error.filename = shown
        return LintedFile(shown, [Diagnostic(file_problem(error), None, code="io")], {},
                          unreadable=True)
    return LintedFile(shown, lint(program), program.sources)


def run_lint(args: argparse.Namespace) -> int:
    inputs = policy_inputs(args.policies)
    linted = [LintedFile(folder, [problem], {}, unreadable=True, folder=True)
              for folder, problem in inputs.empty]
    linted += [lint_file(name, args.library) for name in inputs.files]
    status = EXIT_OK
    for file in linted:
        if file.unreadable:
            status = EXIT_INVALID
        elif file.errors or (file.warnings and args.strict):
            status = max(status, EXIT_FOUND)
    fmt = getattr(args, "format", "text")
    if fmt == "json":
        print(to_json(linted, args.lang, strict=args.strict))
        return status
    if fmt == "sarif":
        print(to_sarif(linted, args.lang))
        return status
    for file in linted:
        if file.folder:
            say(args.lang, "error", file.diagnostics[0].message)
            continue
        if file.diagnostics:
            print(render_all(file.diagnostics, file.sources, args.lang) + "\n", file=sys.stderr)
        if not args.quiet and not file.unreadable:
            print(t(args.lang, "{path}: {errors} error{s}, {warnings} warning{ws}",
                    path=file.path, errors=file.errors, s="" if file.errors == 1 else "s",
                    warnings=file.warnings, ws="" if file.warnings == 1 else "s"))
    return status


# ----------------------------------------------------------------------------- fmt


def run_fmt(args: argparse.Namespace) -> int:
    inputs = policy_inputs(args.policies)
    status = EXIT_OK
    for _, problem in inputs.empty:
        say(args.lang, "error", problem.message)
        status = EXIT_INVALID
    for name in inputs.files:
        status = max(status, _fmt_one(name, args))
    return status


def _fmt_one(name: str, args: argparse.Namespace) -> int:
    from_stdin = name == "-"
    shown = STDIN_NAME if from_stdin else name
    try:
        source = SourceText(shown, _read_stdin()) if from_stdin else read_source(Path(name), name)
        formatted = format_policy(parse(source.text, shown))
    except PolicyError as error:
        print(error.render(args.lang), file=sys.stderr)
        return EXIT_INVALID
    changed = formatted != source.text
    if args.diff and changed:
        sys.stdout.writelines(
            difflib.unified_diff(
                source.text.splitlines(keepends=True),
                formatted.splitlines(keepends=True),
                fromfile=f"{shown} (as written)",
                tofile=f"{shown} (formatted)",
            )
        )
    if args.check or args.diff:
        if changed:
            print(t(args.lang, "{path}: would be reformatted", path=shown), file=sys.stderr)
            return EXIT_FOUND
        return EXIT_OK
    if from_stdin:
        # `fmt -` is a filter: the formatted text on standard output, whether it changed or not
        sys.stdout.write(formatted)
        return EXIT_OK
    if changed:
        Path(name).write_text(formatted, encoding="utf-8")
        print(t(args.lang, "{path}: reformatted", path=shown), file=sys.stderr)
    return EXIT_OK
