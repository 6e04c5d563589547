"""Files → syntax trees: read a policy and everything it imports.

A policy reads only the `.pol` files it imports, by paths relative to itself; it can never
read anything else or reach the network. Imports are followed depth first; a file imported
twice is read once; a cycle is an error that names the whole cycle. Every problem of every
file is collected before :class:`~policyrules.diagnostics.errors.PolicyLoadError` is raised.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from policyrules.diagnostics.errors import (
    Diagnostic,
    PolicyError,
    PolicyLoadError,
    PolicySyntaxError,
)
from policyrules.diagnostics.messages import file_problem, msg
from policyrules.diagnostics.source import SourceText
from policyrules.syntax import ast
from policyrules.syntax.parser import MAX_SOURCE_CHARS, parse


@dataclass
class Program:
    """The root file of a policy and every file it imports, in dependency order
    (imported files before the files that import them)."""

    root: str
    files: dict[str, ast.PolicyFile] = field(default_factory=dict)
    sources: dict[str, SourceText] = field(default_factory=dict)
    #: for each file, the files its imports resolved to
    imports: dict[str, list[str]] = field(default_factory=dict)


def _file_name(path: Path) -> str:
    """How a file is named in messages and programs: `std:festivals` for a standard library."""
    std = Path(__file__).resolve().parent / "std"
    if path.parent == std:
        return STD_PREFIX + path.stem
    return display_name(path)


def display_name(path: Path) -> str:
    """How a file is named in messages: relative to the working directory when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if relative.startswith("..") else relative


def read_source(path: Path, name: str | None = None) -> SourceText:
    """Read a policy file as UTF-8, refusing what cannot be a policy with a clear error."""
    shown = name or display_name(path)
    try:
        size = path.stat().st_size
        if size > 4 * MAX_SOURCE_CHARS:
            raise PolicyLoadError(
                [
                    Diagnostic(
                        msg("the file is too large ({size:.1f} MB)", size=size / 1_048_576),
                        None,
                        msg("a policy file holds at most {limit} million characters; split it and "
                            "use `import`", limit=MAX_SOURCE_CHARS // 1_048_576),
                        code="limit",
                    )
                ]
            )
        data = path.read_bytes()
    except OSError as error:
        error.filename = shown
        raise PolicyLoadError([Diagnostic(file_problem(error), None, code="io")]) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        good = data[: error.start].decode("utf-8", errors="replace")
        source = SourceText(shown, good + "\ufffd")
        raise PolicyLoadError(
            [
                Diagnostic(
                    msg("the file is not UTF-8 text (byte 0x{byte:02x} at offset {start})",
                        byte=data[error.start], start=error.start),
                    source.span_at(len(good), 1),
                    "policy files are UTF-8; save the file as UTF-8 or check that it is"
                    " a policy at all",
                    code="encoding",
                )
            ],
            {shown: source},
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]  # a byte-order mark some editors write; not part of the policy
    return SourceText(shown, text)


def load_program(path: str | os.PathLike[str]) -> Program:
    """Read and parse `path` and, transitively, every file it imports."""
    root_path = Path(path).resolve()
    program = Program(root=_file_name(root_path))
    diagnostics: list[Diagnostic] = []
    sources: dict[str, SourceText] = {}
    visiting: list[Path] = []
    done: dict[Path, str] = {}

    def visit(file_path: Path, name: str) -> None:
        visiting.append(file_path)
        try:
            source = read_source(file_path, name)
            sources[name] = source
            tree = parse(source.text, name)
        except PolicyError as error:
            diagnostics.extend(error.diagnostics)
            sources.update(error.sources)
            visiting.pop()
            done[file_path] = name
            return
        resolved: list[str] = []
        for item in tree.items_of(ast.Import):
            target = _resolve(file_path, item, diagnostics)
            if target is None:
                continue
            if target in visiting:
                cycle = [*visiting[visiting.index(target):], target]
                shown = " → ".join(display_name(p) for p in cycle)
                diagnostics.append(
                    Diagnostic(
                        msg("import cycle: {shown}", shown=shown),
                        item.span,
                        "move the shared definitions into a file that imports neither",
                        code="import-cycle",
                    )
                )
                continue
            if target not in done:
                visit(target, _file_name(target))
            resolved.append(done[target])
        visiting.pop()
        done[file_path] = name
        program.files[name] = tree
        program.imports[name] = resolved

    visit(root_path, program.root)
    program.sources = sources
    if any(d.is_error for d in diagnostics):
        syntax_only = all(d.code in ("syntax", "limit") for d in diagnostics)
        error_type = PolicySyntaxError if syntax_only else PolicyLoadError
        raise error_type(diagnostics, sources)
    return program


#: `import "std:NAME"` reads the library NAME shipped with policyrules.
STD_PREFIX = "std:"


def std_library(name: str) -> Path | None:
    """The path of a standard library shipped inside the package, if there is one."""
    folder = Path(__file__).resolve().parent / "std"
    candidate = folder / f"{name}.pol"
    return candidate if name.isidentifier() and candidate.is_file() else None


def std_libraries() -> list[str]:
    folder = Path(__file__).resolve().parent / "std"
    return sorted(p.stem for p in folder.glob("*.pol"))


def _resolve(importer: Path, item: ast.Import, diagnostics: list[Diagnostic]) -> Path | None:
    raw = item.path
    if raw.startswith(STD_PREFIX):
        name = raw[len(STD_PREFIX) :]
        found = std_library(name)
        if found is None:
            known = ", ".join(f"`std:{n}`" for n in std_libraries())
            diagnostics.append(
                Diagnostic(
                    msg("there is no standard library `{raw}`", raw=raw),
                    item.span,
                    msg("the standard libraries are {known}", known=known),
                    code="import",
                )
            )
        return found
    if "://" in raw or raw.startswith(("/", "\\")) or (len(raw) > 1 and raw[1] == ":"):
        diagnostics.append(
            Diagnostic(
                msg("cannot import `{raw}`: imports are paths relative to the importing file",
                    raw=raw),
                item.span,
                'write it relative to this file, for example `import "lib/festivals.pol"`',
                code="import",
            )
        )
        return None
    if not raw.endswith(".pol"):
        diagnostics.append(
            Diagnostic(
                msg("cannot import `{raw}`: only `.pol` files can be imported", raw=raw),
                item.span,
                code="import",
            )
        )
        return None
    target = (importer.parent / raw).resolve()
    if not target.is_file():
        diagnostics.append(
            Diagnostic(
                msg("cannot find `{raw}`", raw=raw),
                item.span,
                msg("imports are relative to the importing file, so this looked for "
                    "`{display_name}`", display_name=display_name(target)),
                code="import",
            )
        )
        return None
    return target


def program_from_text(text: str, name: str = "<string>", base: Path | None = None) -> Program:
    """A program whose root is `text`; its imports are resolved from `base` (default: the
    working directory)."""
    source = SourceText(name, text)
    tree = parse(text, name)
    program = Program(root=name)
    program.sources[name] = source
    diagnostics: list[Diagnostic] = []
    fake_root = (base or Path.cwd()) / "__text__.pol"
    resolved: list[str] = []
    for item in tree.items_of(ast.Import):
        target = _resolve(fake_root, item, diagnostics)
        if target is None:
            continue
        sub = load_program(target)
        for key, value in sub.files.items():
            program.files.setdefault(key, value)
            program.imports.setdefault(key, sub.imports[key])
        program.sources.update(sub.sources)
        resolved.append(sub.root)
    if diagnostics:
        raise PolicyLoadError(diagnostics, program.sources)
    program.files[name] = tree
    program.imports[name] = resolved
    return program
