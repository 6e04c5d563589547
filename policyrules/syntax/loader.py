"""Files → syntax trees: read a policy and everything it imports.

A policy reads only the `.pol` files it imports, by paths relative to itself; it can never
read anything else or reach the network. Every import, once its symbolic links are followed,
must stay inside the root policy's folder, a declared library folder (``library=``,
``--library DIR``, ``POLICYRULES_LIBRARY``) or the standard library (`std:NAME`); anything
else is refused at the import line without being opened, so nothing of it is ever shown.

Imports are followed depth first, without recursion (a chain is bounded by
:data:`~policyrules.syntax.limits.MAX_IMPORT_DEPTH`); a file imported twice is read once; a
cycle is an error that names the whole cycle. Every problem of every file is collected
before :class:`~policyrules.diagnostics.errors.PolicyLoadError` is raised.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from policyrules.diagnostics.errors import (
    Diagnostic,
    PolicyError,
    PolicyLoadError,
    PolicySyntaxError,
)
from policyrules.diagnostics.messages import file_problem, msg
from policyrules.diagnostics.source import FileTooLarge, SourceText, read_capped, size
from policyrules.syntax import ast
from policyrules.syntax.limits import MAX_IMPORT_DEPTH, MAX_SOURCE_BYTES, MAX_SOURCE_CHARS
from policyrules.syntax.parser import parse

#: `import "std:NAME"` reads the library NAME shipped with policyrules.
STD_PREFIX = "std:"
#: Folders (separated like PATH) whose `.pol` files any policy may import.
LIBRARY_VARIABLE = "POLICYRULES_LIBRARY"
_STD_FOLDER = Path(__file__).resolve().parent / "std"

LibraryPaths = Iterable[str | os.PathLike[str]]


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
    if path.parent == _STD_FOLDER:
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
    """Read a policy file as UTF-8, refusing what cannot be a policy with a clear error.

    At most :data:`MAX_SOURCE_BYTES` are read, whatever the file system says of the file's
    size (a device or a FIFO says nothing true)."""
    shown = name or display_name(path)
    try:
        data = read_capped(path, MAX_SOURCE_BYTES)
    except FileTooLarge as error:
        raise PolicyLoadError(
            [
                Diagnostic(
                    msg("cannot read `{path}`: it is larger than {size}", path=shown,
                        size=size(MAX_SOURCE_BYTES)),
                    None,
                    msg("a policy file holds at most {limit} million characters; split it and "
                        "use `import`", limit=MAX_SOURCE_CHARS // 1_048_576),
                    code="limit",
                )
            ]
        ) from error
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


def library_folders(extra: LibraryPaths = ()) -> list[Path]:
    """The library folders a policy may import from: `extra` (the API's ``library=``, the
    command line's ``--library``), then those of ``POLICYRULES_LIBRARY``, symbolic links
    followed. One that is not a folder is an error, not silently skipped."""
    given = [Path(p) for p in extra]
    given += [Path(p) for p in os.environ.get(LIBRARY_VARIABLE, "").split(os.pathsep) if p]
    folders: list[Path] = []
    problems: list[Diagnostic] = []
    for folder in given:
        try:
            resolved = folder.resolve()
            usable = resolved.is_dir()
        except (OSError, RuntimeError, ValueError):  # a symlink loop, a NUL in the name
            usable = False
        if usable:
            folders.append(resolved)
        else:
            problems.append(
                Diagnostic(
                    msg("the library folder `{path}` is not a folder", path=str(folder)),
                    None,
                    msg("give an existing folder with `--library DIR` or in `{variable}`",
                        variable=LIBRARY_VARIABLE),
                    code="io",
                )
            )
    if problems:
        raise PolicyLoadError(problems)
    return folders


def load_program(path: str | os.PathLike[str], library: LibraryPaths = ()) -> Program:
    """Read and parse `path` and, transitively, every file it imports from its folder or a
    library folder (see :func:`library_folders`)."""
    root_path = _followed(Path(path))
    loader = _Loader(root_path.parent, library_folders(library))
    program = Program(root=_file_name(root_path))
    loader.load(program, root_path)
    return loader.finish(program)


def program_from_text(
    text: str, name: str = "<string>", base: Path | None = None, library: LibraryPaths = ()
) -> Program:
    """A program whose root is `text`; its imports are resolved from `base` (default: the
    working directory), which is also the folder they must stay in."""
    tree = parse(text, name)
    folder = _followed(base or Path.cwd())
    loader = _Loader(folder, library_folders(library))
    loader.sources[name] = SourceText(name, text)
    program = Program(root=name)
    loader.load(program, folder / "__text__.pol", tree)
    return loader.finish(program)


def _followed(path: Path) -> Path:
    """`path` with its symbolic links followed, or a load error that says it cannot be."""
    try:
        return path.resolve()
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a NUL in the name
        diagnostic = Diagnostic(
            msg("cannot read `{path}`: its path cannot be followed", path=str(path)),
            None, "check the symbolic links on the way to it", code="io",
        )
        raise PolicyLoadError([diagnostic]) from None


def std_library(name: str) -> Path | None:
    """The path of a standard library shipped inside the package, if there is one."""
    candidate = _STD_FOLDER / f"{name}.pol"
    return candidate if name.isidentifier() and candidate.is_file() else None


def std_libraries() -> list[str]:
    return sorted(p.stem for p in _STD_FOLDER.glob("*.pol"))


@dataclass
class _Visit:
    """A file being loaded: its imports not yet followed, and the names they resolved to."""

    path: Path
    name: str
    tree: ast.PolicyFile
    pending: Iterator[ast.Import]
    resolved: list[str] = field(default_factory=list)


class _Loader:
    """Loads the files of one program, confined to `folder` and the library folders."""

    def __init__(self, folder: Path, library: list[Path]) -> None:
        self.folder = folder
        self.allowed = [folder, *library, _STD_FOLDER]
        self.diagnostics: list[Diagnostic] = []
        self.sources: dict[str, SourceText] = {}

    def load(self, program: Program, root: Path, tree: ast.PolicyFile | None = None) -> None:
        """Load `root` (or its already parsed `tree`) and everything it imports into
        `program`, depth first with an explicit stack."""
        done: set[Path] = set()
        chain: list[_Visit] = []

        def enter(path: Path, name: str, tree: ast.PolicyFile | None, via: ast.Import | None
                  ) -> None:
            tree = tree or self._read(path, name, via)
            if tree is None:
                done.add(path)
            else:
                chain.append(_Visit(path, name, tree, iter(tree.items_of(ast.Import))))

        enter(root, program.root, tree, None)
        while chain:
            visit = chain[-1]
            item = next(visit.pending, None)
            if item is None:
                chain.pop()
                done.add(visit.path)
                program.files[visit.name] = visit.tree
                program.imports[visit.name] = visit.resolved
                continue
            target = self._resolve(visit.path, item)
            if target is None:
                continue
            on_chain = [v.path for v in chain]
            if target in on_chain:
                self._cycle([*on_chain[on_chain.index(target):], target], item)
                continue
            if target not in done:
                if len(chain) >= MAX_IMPORT_DEPTH:
                    self._error(msg("imports are chained more than {limit} files deep",
                                    limit=MAX_IMPORT_DEPTH), item,
                                "no policy needs this; import the shared files from one place")
                    continue
                enter(target, _file_name(target), None, item)
            visit.resolved.append(_file_name(target))

    def finish(self, program: Program) -> Program:
        program.sources = {**self.sources, **program.sources}
        if any(d.is_error for d in self.diagnostics):
            syntax_only = all(d.code in ("syntax", "limit") for d in self.diagnostics)
            error_type = PolicySyntaxError if syntax_only else PolicyLoadError
            raise error_type(self.diagnostics, program.sources)
        return program

    def _read(self, path: Path, name: str, via: ast.Import | None) -> ast.PolicyFile | None:
        try:
            source = read_source(path, name)
            self.sources[name] = source
            return parse(source.text, name)
        except PolicyError as error:
            # a file that cannot be read is reported where it is imported
            for diagnostic in error.diagnostics:
                if diagnostic.span is None and via is not None:
                    diagnostic = dataclasses.replace(diagnostic, span=via.span)
                self.diagnostics.append(diagnostic)
            self.sources.update(error.sources)
            return None

    def _error(self, message: str, item: ast.Import, hint: str | None = None) -> None:
        self.diagnostics.append(Diagnostic(message, item.span, hint, code="import"))

    def _cycle(self, cycle: list[Path], item: ast.Import) -> None:
        shown = " → ".join(display_name(p) for p in cycle)
        self.diagnostics.append(
            Diagnostic(
                msg("import cycle: {shown}", shown=shown),
                item.span,
                "move the shared definitions into a file that imports neither",
                code="import-cycle",
            )
        )

    def _resolve(self, importer: Path, item: ast.Import) -> Path | None:
        raw = item.path
        if raw.startswith(STD_PREFIX):
            found = std_library(raw[len(STD_PREFIX):])
            if found is None:
                known = ", ".join(f"`std:{n}`" for n in std_libraries())
                self._error(msg("there is no standard library `{raw}`", raw=raw), item,
                            msg("the standard libraries are {known}", known=known))
            return found
        if "://" in raw or raw.startswith(("/", "\\")) or (len(raw) > 1 and raw[1] == ":"):
            self._error(
                msg("cannot import `{raw}`: imports are paths relative to the importing file",
                    raw=raw), item,
                'write it relative to this file, for example `import "lib/festivals.pol"`',
            )
            return None
        if not raw.endswith(".pol"):
            self._error(msg("cannot import `{raw}`: only `.pol` files can be imported",
                            raw=raw), item)
            return None
        try:
            target = (importer.parent / raw).resolve()
        except (OSError, RuntimeError, ValueError):  # a symlink loop, a name too long
            self._error(msg("cannot import `{raw}`: its path cannot be followed", raw=raw),
                        item, "check the symbolic links on the way to it")
            return None
        # confined before the target is even looked at: outside, nothing of it is read
        if not any(target.is_relative_to(folder) for folder in self.allowed):
            self._error(
                msg("cannot import `{raw}`: it is outside the folder of the policy", raw=raw),
                item,
                msg("imports stay inside `{folder}` (symbolic links followed) or a library "
                    "folder given with `--library DIR` or `{variable}`",
                    folder=display_name(self.folder), variable=LIBRARY_VARIABLE),
            )
            return None
        try:
            # not `is_file()`: a folder or a device is reported by reading it, as what it is
            exists = target.exists()
        except OSError:  # a name too long for the file system
            exists = False
        if not exists:
            self._error(
                msg("cannot find `{raw}`", raw=raw), item,
                msg("imports are relative to the importing file, so this looked for "
                    "`{display_name}`", display_name=display_name(target)),
            )
            return None
        return target
