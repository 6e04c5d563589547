"""One open document, analysed: its diagnostics (the same as `policyrules lint`), its program
and its symbol index.

The document's text is the editor's, saved or not; the files it imports are read from disk
and kept between edits until one of them changes (its size or modification time), so typing
in a policy re-parses only the policy. Problems of an imported file — it is missing, does
not parse, does not check — are shown at the `import` line that brings it in, with the
file's own diagnostics as related information.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from policyrules.diagnostics.errors import Diagnostic, PolicyCheckError, PolicyError, Severity
from policyrules.diagnostics.messages import msg
from policyrules.diagnostics.source import SourceText, Span
from policyrules.lsp.index import SymbolIndex, build_index
from policyrules.rules.compiler import CompiledPolicy, compile_policy
from policyrules.semantics import CheckedPolicy, check, lint
from policyrules.syntax import ast
from policyrules.syntax.formatter import string
from policyrules.syntax.loader import STD_PREFIX, Program, program_from_text, std_library
from policyrules.syntax.parser import parse


@dataclass(frozen=True)
class Problem:
    """A diagnostic as the document shows it: at `span` (the diagnostic's own, or the import
    line for a problem of an imported file), with the imported file's diagnostics beside."""

    diagnostic: Diagnostic
    span: Span | None
    related: tuple[Diagnostic, ...] = ()


def path_of(name: str) -> Path | None:
    """The file a program's file name stands for (`std:festivals`, `policies/lib/x.pol`)."""
    if name.startswith(STD_PREFIX):
        return std_library(name[len(STD_PREFIX):])
    if name.startswith("<"):
        return None
    return Path(name).resolve()


def _fingerprint(names: Sequence[str]) -> tuple[tuple[str, int, int], ...] | None:
    prints = []
    for name in names:
        path = path_of(name)
        if path is None:
            return None
        try:
            info = path.stat()
        except OSError:
            return None
        prints.append((str(path), info.st_mtime_ns, info.st_size))
    return tuple(prints)


@dataclass
class ImportCache:
    """Imported programs by (folder, import path), valid while none of their files changed."""

    loaded: dict[tuple[str, str], tuple[Program, tuple[tuple[str, int, int], ...]]] = field(
        default_factory=dict
    )

    def load(self, item: ast.Import, document: str, base: Path) -> Program:
        """The program one `import` brings in, or the loader's PolicyError."""
        key = (str(base), item.path)
        cached = self.loaded.get(key)
        if cached is not None and _fingerprint(list(cached[0].files)) == cached[1]:
            return cached[0]
        # the loader resolves the import exactly as for the whole policy
        program = program_from_text(f"import {string(item.path)}\n", document, base)
        del program.files[document]
        program.sources.pop(document, None)
        fingerprint = _fingerprint(list(program.files))
        if fingerprint is not None:
            self.loaded[key] = (program, fingerprint)
        return program


@dataclass
class Analysis:
    name: str
    text: str
    base: Path
    version: int | None = None
    tree: ast.PolicyFile | None = None
    program: Program | None = None
    problems: list[Problem] = field(default_factory=list)
    #: the text of imported files that failed to load, for their diagnostics' places
    failed_sources: dict[str, SourceText] = field(default_factory=dict)

    @cached_property
    def source(self) -> SourceText:
        return SourceText(self.name, self.text)

    @cached_property
    def sources(self) -> dict[str, SourceText]:
        found = dict(self.failed_sources)
        found.update(self.program.sources if self.program is not None else {})
        found[self.name] = self.source
        return found

    @cached_property
    def index(self) -> SymbolIndex | None:
        if self.tree is None:
            return None
        if self.program is None:
            return build_index({self.name: self.tree}, self.sources)
        return build_index(self.program.files, self.sources, self.program.imports)

    @cached_property
    def policy(self) -> CheckedPolicy | None:
        """The checked policy, when the document is one and has no errors."""
        if self.program is None or self.tree is None or self.tree.policy is None:
            return None
        if any(p.diagnostic.is_error for p in self.problems):
            return None
        try:
            return check(self.program)
        except PolicyCheckError:
            return None

    @cached_property
    def compiled(self) -> CompiledPolicy | None:
        """The policy's compiled rules (instances and deadlines), for hovers."""
        return compile_policy(self.policy) if self.policy is not None else None


def analyse(text: str, name: str, base: Path, imports: ImportCache,
            version: int | None = None) -> Analysis:
    """Parse, load the imports and lint `text`; never raises for what the text holds."""
    analysis = Analysis(name, text, base, version)
    try:
        analysis.tree = parse(text, name)
    except PolicyError as error:
        analysis.problems = [Problem(d, d.span) for d in error.diagnostics]
        return analysis
    program = Program(root=name)
    program.sources[name] = analysis.source
    owner: dict[str, ast.Import] = {}  # each imported file and the import that brings it
    for item in analysis.tree.items_of(ast.Import):
        try:
            sub = imports.load(item, name, base)
        except PolicyError as error:
            analysis.problems.extend(_import_problems(item, error.diagnostics, name))
            analysis.failed_sources.update(
                (file, text) for file, text in error.sources.items() if file != name)
            continue
        for file, tree in sub.files.items():
            program.files.setdefault(file, tree)
            program.imports.setdefault(file, sub.imports[file])
            owner.setdefault(file, item)
        program.sources.update(sub.sources)
        program.imports.setdefault(name, []).extend(sub.imports.get(name, []))
    if analysis.problems:
        return analysis  # as `lint` does, a policy whose imports fail is not checked
    program.files[name] = analysis.tree
    program.imports.setdefault(name, [])
    analysis.program = program
    foreign: dict[int, list[Diagnostic]] = {}
    for diagnostic in lint(program):
        file = diagnostic.span.file if diagnostic.span is not None else name
        if file == name or file not in owner:
            analysis.problems.append(Problem(diagnostic, diagnostic.span))
        else:
            foreign.setdefault(id(owner[file]), []).append(diagnostic)
    for item in analysis.tree.items_of(ast.Import):
        if id(item) in foreign:
            analysis.problems.extend(_import_problems(item, foreign[id(item)], name))
    return analysis


def _import_problems(item: ast.Import, diagnostics: Sequence[Diagnostic],
                     document: str) -> list[Problem]:
    """An import's problems at its line: its own (cannot find it) as they are; those of the
    file it brings in as one diagnostic that points at them."""
    problems: list[Problem] = []
    inside: list[Diagnostic] = []
    for diagnostic in diagnostics:
        if diagnostic.span is not None and diagnostic.span.file == document:
            # resolved on a line of its own: the message is right, the place is the import's
            problems.append(Problem(diagnostic, item.span))
        else:
            inside.append(diagnostic)
    if inside:
        first = inside[0]
        errors = [d for d in inside if d.is_error]
        summary = Diagnostic(
            msg("`{path}` has problems: {first}", path=item.path, first=first.message),
            item.span,
            msg("{count} in all, the first at {where}; fix them there", count=len(inside),
                where=first.location()),
            Severity.ERROR if errors else Severity.WARNING,
            code=first.code,
        )
        problems.append(Problem(summary, item.span, tuple(inside)))
    return problems


def document_name(path: Path | None, uri: str) -> str:
    """How a document is named in its diagnostics: as `lint` would name the file."""
    if path is None:
        return uri
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if relative.startswith("..") else relative
