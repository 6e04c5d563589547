"""Diagnostics: one shape for every stage's errors and warnings, rendered one way.

Following Cedar: messages are lowercase, user input is quoted in backticks, the hint stands
apart. Each stage raises its own exception type (:class:`PolicySyntaxError`,
:class:`PolicyCheckError`, :class:`PolicyLoadError`) carrying *all* the diagnostics it found,
so a user sees every problem of a file at once::

    policies/x.pol:12:34: error: unknown attribute `partcipants` of event `activity`
       |
    12 |   require count(activity where partcipants >= 3) >= 1
       |                                ^^^^^^^^^^^
       = hint: did you mean `participants`?
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from policyrules.diagnostics.messages import t
from policyrules.diagnostics.source import SourceText, Span, display_width


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in a policy, with the span it concerns and an optional hint."""

    message: str
    span: Span | None
    hint: str | None = None
    severity: Severity = Severity.ERROR
    code: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def location(self) -> str:
        return str(self.span) if self.span is not None else "<policy>"

    def text(self, lang: str = "en") -> str:
        """The message in `lang` (`en` or `zh`)."""
        return t(lang, self.message)

    def hint_text(self, lang: str = "en") -> str | None:
        return t(lang, self.hint) if self.hint else None

    def render(self, source: SourceText | None = None, lang: str = "en") -> str:
        """`file:line:column: severity: message`, then the line, a caret and the hint, in
        `lang`. The location and the quoted line are the same in every language."""
        head = f"{self.location()}: {t(lang, self.severity.value)}: {self.text(lang)}"
        out = [head]
        gutter = " "
        if source is not None and self.span is not None:
            out.extend(_excerpt(source, self.span))
            gutter = " " * len(str(self.span.line))
        if self.hint:
            out.append(f"{gutter} = {t(lang, 'hint')}: {self.hint_text(lang)}")
        return "\n".join(out)


def _printable(text: str) -> str:
    """The line as a terminal can show it: control characters become U+FFFD, one for one,
    so that the caret still lines up."""
    return "".join(c if c.isprintable() or c == "\t" else "\ufffd" for c in text)


def _excerpt(source: SourceText, span: Span) -> list[str]:
    text = _printable(source.line(span.line))
    number = str(span.line)
    gutter = " " * len(number)
    before = text[: span.column - 1]
    if span.end_line == span.line:
        marked = text[span.column - 1 : max(span.end_column - 1, span.column)]
    else:
        marked = text[span.column - 1 :]
    carets = "^" * max(1, display_width(marked))
    return [
        f"{gutter} |",
        f"{number} | {text}",
        f"{gutter} | {' ' * display_width(before)}{carets}",
    ]


def render_all(
    diagnostics: Iterable[Diagnostic], sources: Mapping[str, SourceText], lang: str = "en"
) -> str:
    """Render diagnostics in order, each with its file's excerpt, separated by blank lines."""
    parts = []
    for diagnostic in diagnostics:
        source = sources.get(diagnostic.span.file) if diagnostic.span is not None else None
        parts.append(diagnostic.render(source, lang))
    return "\n\n".join(parts)


class PolicyError(Exception):
    """Base of every stage's error: carries all diagnostics of the stage and the sources."""

    stage = "policy"

    def __init__(
        self,
        diagnostics: Sequence[Diagnostic],
        sources: Mapping[str, SourceText] | None = None,
    ) -> None:
        self.diagnostics = list(diagnostics)
        self.sources = dict(sources or {})
        super().__init__(self.render())

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    def render(self, lang: str = "en") -> str:
        """Every diagnostic with its excerpt, in `lang` (`en` or `zh`)."""
        return render_all(self.diagnostics, self.sources, lang)


class PolicySyntaxError(PolicyError):
    """The text is not a policy: a bad character, token, number, date or file."""

    stage = "parse"


class PolicyLoadError(PolicyError):
    """A file could not be read or an import could not be resolved."""

    stage = "load"


class PolicyCheckError(PolicyError):
    """The policy parses but does not make sense: names, types, bands, deadlines."""

    stage = "check"
