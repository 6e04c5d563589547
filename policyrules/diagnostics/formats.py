"""Diagnostics for programs: `lint --format json` and `lint --format sarif` (SARIF 2.1.0,
what code-scanning pages read), and the edit a "did you mean" hint proposes, shared with the
language server's quick fixes.

Messages and hints are in the language asked for; everything else — codes, severities,
locations — is the same in both. Columns are characters (Unicode code points), 1-based, the
end exclusive, as the terminal output shows them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from policyrules.about import __version__
from policyrules.diagnostics.errors import Diagnostic, Severity
from policyrules.diagnostics.messages import t
from policyrules.diagnostics.source import SourceText, Span

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
#: the base the relative file names of a SARIF log are resolved from: the working directory
SOURCE_ROOT = "%SRCROOT%"


@dataclass
class LintedFile:
    """One input of `lint` and what came of it."""

    path: str
    diagnostics: Sequence[Diagnostic]
    sources: Mapping[str, SourceText] = field(default_factory=dict)
    #: the input could not be read at all (missing, a folder, permission denied)
    unreadable: bool = False
    #: a folder named on the command line with no policy under it
    folder: bool = False

    @property
    def errors(self) -> int:
        return sum(d.is_error for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return len(self.diagnostics) - self.errors


# ----------------------------------------------------------------------------- suggestions

_DID_YOU_MEAN = re.compile(r"did you mean `([^`]+)`\?$")
_QUOTED = re.compile(r"`([^`]+)`")
_NAME = re.compile(r"(?!\d)\w+")


@dataclass(frozen=True)
class Replacement:
    """Replace the text of `span` with `text`."""

    span: Span
    text: str


def suggested_replacement(
    diagnostic: Diagnostic, sources: Mapping[str, SourceText]
) -> Replacement | None:
    """The edit a hint `did you mean `X`?` proposes: the misspelt name (the first name quoted
    in the message that stands in the diagnostic's span) becomes `X`; a suggested expression
    replaces the whole span. None when the hint proposes no edit."""
    span = diagnostic.span
    found = _DID_YOU_MEAN.search(diagnostic.hint or "")
    if span is None or found is None or span.file not in sources:
        return None
    suggestion = found.group(1)
    if "…" in suggestion:
        return None  # a shape to follow, not text to insert
    text = sources[span.file].text[span.start : span.end]
    if not _NAME.fullmatch(suggestion):
        return Replacement(span, suggestion)
    for quoted in _QUOTED.findall(diagnostic.message):
        if quoted == suggestion:
            continue
        at = re.search(rf"(?<!\w){re.escape(quoted)}(?!\w)", text)
        if at is not None:
            start = span.start + at.start()
            source = sources[span.file]
            return Replacement(source.span_at(start, len(quoted)), suggestion)
    return None


# ----------------------------------------------------------------------------- JSON


def _position(span: Span | None) -> dict[str, Any]:
    if span is None:
        return {"line": None, "column": None, "end_line": None, "end_column": None}
    return {"line": span.line, "column": span.column, "end_line": span.end_line,
            "end_column": span.end_column}


def diagnostic_record(diagnostic: Diagnostic, path: str, lang: str) -> dict[str, Any]:
    return {
        "file": diagnostic.span.file if diagnostic.span is not None else path,
        **_position(diagnostic.span),
        "severity": diagnostic.severity.value,
        "code": diagnostic.code,
        "message": diagnostic.text(lang),
        "hint": diagnostic.hint_text(lang),
    }


def to_json(files: Sequence[LintedFile], lang: str = "en", strict: bool = False) -> str:
    """One document: each input with its counts, every diagnostic, and a summary whose
    `failed` says what the exit status says."""
    document = {
        "version": 1,
        "files": [
            {"path": f.path, "errors": f.errors, "warnings": f.warnings,
             "readable": not f.unreadable}
            for f in files
        ],
        "diagnostics": [diagnostic_record(d, f.path, lang) for f in files for d in f.diagnostics],
        "summary": {
            "files": len(files),
            "errors": sum(f.errors for f in files),
            "warnings": sum(f.warnings for f in files),
            "unreadable": sum(f.unreadable for f in files),
            "failed": any(f.unreadable or f.errors or (strict and f.warnings) for f in files),
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


# ----------------------------------------------------------------------------- SARIF


def _artifact(name: str) -> dict[str, str]:
    """A file as SARIF names it: relative to %SRCROOT% (the working directory) when it is a
    relative name, a `file:` URI when absolute; a standard library (`std:festivals`) as is."""
    if name.startswith("std:") or name.startswith("<"):
        return {"uri": quote(name, safe=":<>")}
    path = Path(name)
    if path.is_absolute():
        return {"uri": path.as_uri()}
    return {"uri": quote(path.as_posix()), "uriBaseId": SOURCE_ROOT}


def _region(span: Span) -> dict[str, int]:
    return {"startLine": span.line, "startColumn": span.column, "endLine": span.end_line,
            "endColumn": span.end_column}


def _location(diagnostic: Diagnostic, path: str) -> dict[str, Any]:
    physical: dict[str, Any] = {
        "artifactLocation": _artifact(diagnostic.span.file if diagnostic.span else path)
    }
    if diagnostic.span is not None:
        physical["region"] = _region(diagnostic.span)
    return {"physicalLocation": physical}


def _message(diagnostic: Diagnostic, lang: str) -> dict[str, str]:
    text = diagnostic.text(lang)
    hint = diagnostic.hint_text(lang)
    if hint:
        text = f"{text}\n{t(lang, 'hint')}: {hint}"
    return {"text": text}


def _result(
    diagnostic: Diagnostic, file: LintedFile, rules: list[str], lang: str
) -> dict[str, Any]:
    code = diagnostic.code or "policy"
    result: dict[str, Any] = {
        "ruleId": code,
        "ruleIndex": rules.index(code),
        "level": "error" if diagnostic.severity is Severity.ERROR else "warning",
        "message": _message(diagnostic, lang),
        "locations": [_location(diagnostic, file.path)],
    }
    fix = suggested_replacement(diagnostic, file.sources)
    if fix is not None:
        result["fixes"] = [{
            "description": {"text": diagnostic.hint_text(lang) or ""},
            "artifactChanges": [{
                "artifactLocation": _artifact(fix.span.file),
                "replacements": [{"deletedRegion": _region(fix.span),
                                  "insertedContent": {"text": fix.text}}],
            }],
        }]
    return result


def to_sarif(files: Sequence[LintedFile], lang: str = "en") -> str:
    """A SARIF 2.1.0 log of one run: every diagnostic a result whose `ruleId` is the
    diagnostic's code; inputs that could not be read are the invocation's notifications."""
    readable = [f for f in files if not f.unreadable]
    rules = sorted({d.code or "policy" for f in readable for d in f.diagnostics})
    notifications = [
        {"level": "error", "message": _message(d, lang), "locations": [_location(d, f.path)]}
        for f in files if f.unreadable for d in f.diagnostics
    ]
    run = {
        "tool": {"driver": {
            "name": "policyrules",
            "version": __version__,
            "rules": [{"id": code, "name": code} for code in rules],
        }},
        "originalUriBaseIds": {SOURCE_ROOT: {"uri": Path.cwd().as_uri() + "/"}},
        "columnKind": "unicodeCodePoints",
        "invocations": [{"executionSuccessful": not notifications,
                         "toolExecutionNotifications": notifications}],
        "results": [_result(d, f, rules, lang) for f in readable for d in f.diagnostics],
    }
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, ensure_ascii=False, indent=2)
