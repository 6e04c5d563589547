"""policyrules: the obligations of official notices as checkable policies.

The pipeline, one module per stage::

    text ──parser──▶ syntax tree ──loader/checker──▶ checked policy ──▶ … evaluation ──▶ report

``load(path)`` reads a `.pol` file and its imports and checks them; ``parse(text)`` does the
same for text. Both raise a :class:`PolicyError` subclass carrying every diagnostic found.
``evaluate(policy, events, units=None, as_of=None)`` gives a :class:`Report` of typed
:class:`Result` s; input that cannot be read at all raises :class:`InputError`, rows that do
not validate are rejected in the report. For many evaluations of one policy,
``compile_policy`` once and keep an :class:`Evaluation` (events can be added to it).

The package ships ``py.typed``: these names are typed for an embedder's type checker.
"""

from __future__ import annotations

import os
from pathlib import Path

from policyrules.about import __version__ as __version__
from policyrules.data.events import EventSet, UnitSet, read_events, read_units
from policyrules.data.model import Event, InputError, Rejection
from policyrules.data.rows import Rows
from policyrules.diagnostics.errors import (
    Diagnostic,
    PolicyCheckError,
    PolicyError,
    PolicyLoadError,
    PolicySyntaxError,
)
from policyrules.evaluation import Evaluation, evaluate
from policyrules.report.model import RejectedRow, Report, Result, Summary
from policyrules.report.selection import FilterError
from policyrules.rules.compiler import CompiledPolicy, compile_policy
from policyrules.semantics import CheckedObligation, CheckedPolicy, check
from policyrules.syntax.formatter import format_policy
from policyrules.syntax.loader import LibraryPaths, load_program, program_from_text
from policyrules.views import notebook as _notebook  # noqa: F401 - rich display in Jupyter

__all__ = [
    "CheckedObligation",
    "CheckedPolicy",
    "CompiledPolicy",
    "Diagnostic",
    "Evaluation",
    "Event",
    "EventSet",
    "FilterError",
    "InputError",
    "PolicyCheckError",
    "PolicyError",
    "PolicyLoadError",
    "PolicySyntaxError",
    "RejectedRow",
    "Rejection",
    "Report",
    "Result",
    "Rows",
    "Summary",
    "UnitSet",
    "compile_policy",
    "evaluate",
    "format_policy",
    "load",
    "parse",
    "read_events",
    "read_units",
]



def load(path: str | os.PathLike[str], library: LibraryPaths = ()) -> CheckedPolicy:
    """Read, parse and check the policy at `path` and the files it imports: from its folder,
    the `library` folders and those of ``POLICYRULES_LIBRARY``."""
    return check(load_program(path, library))


def parse(
    text: str,
    name: str = "<string>",
    base: str | os.PathLike[str] | None = None,
    library: LibraryPaths = (),
) -> CheckedPolicy:
    """Parse and check policy `text`; its imports are resolved from `base` (default: the
    working directory) and must stay in it or in a `library` folder."""
    return check(
        program_from_text(text, name, Path(base) if base is not None else None, library)
    )
