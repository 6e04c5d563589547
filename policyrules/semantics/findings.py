"""The checker's findings: every error and warning of a program, each once, with its code.

A code names the family of a problem so that tools and tests match on it rather than on
the wording (`unknown-name`, `type-mismatch`, `band-gap` …); :data:`CODES` lists them.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from policyrules.diagnostics.errors import Diagnostic, Severity
from policyrules.diagnostics.messages import msg
from policyrules.diagnostics.source import Span

#: The checker's diagnostic codes and what each family covers.
CODES: dict[str, str] = {
    "unknown-name": "a name that is not defined where it is used (kinds, attributes, facts,"
                    " festivals, solar terms, bands, sets, policies, obligations)",
    "type-mismatch": "a value of the wrong type for where it stands",
    "misplaced-name": "a name that is defined but is not a value there (a festival, an event"
                      " kind, `trigger`, `unit`, `window`, `subject`)",
    "out-of-context": "a name that means something only elsewhere (an attribute with no event"
                      " in view, `trigger` outside `for each`, `subject` outside per-person)",
    "duplicate": "something defined, declared or given twice",
    "reserved-name": "a built-in attribute or fact declared again",
    "let-cycle": "`let`s that refer to each other in a circle",
    "let-shadowing": "a `let` whose name another definition or an attribute in view takes",
    "band-gap": "band rows that leave values uncovered",
    "band-overlap": "band rows that cover a value twice",
    "band-row": "a band row that cannot be meant (empty, unrounded, above 100%)",
    "festival-rule": "a festival rule that cannot be meant",
    "set-members": "a set whose members are mixed or repeated",
    "counts-for": "a `counts for` attribute that is not a list of unit ids",
    "needs-fact": "a construct that needs a unit fact the policy does not declare",
    "schedule": "an obligation without exactly one schedule, or a statement its schedule"
                " does not allow",
    "requirement": "an obligation that requires nothing",
    "window": "an effective window that cannot be meant or that a requirement cannot fit",
    "deadline": "a deadline that cannot be meant",
    "supersedes": "a `supersedes` that names nothing or should not",
    "no-policy": "a file without a policy where one is needed, or with two",
}


def suggest(name: str, candidates: Iterable[str]) -> str | None:
    """`did you mean `X`?` for the closest candidate, if one is close enough."""
    # Chinese names are short: one wrong character of two is a ratio of 0.5.
    matches = difflib.get_close_matches(name, sorted(set(candidates)), n=1, cutoff=0.5)
    return msg("did you mean `{matches}`?", matches=matches[0]) if matches else None


class Findings:
    """Collects diagnostics, each once: a top-level `let` is checked where it is used and
    reports a mistake of its own only at its first use."""

    def __init__(self) -> None:
        self._found: dict[tuple[str, Span | None, Severity], Diagnostic] = {}

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return list(self._found.values())

    @property
    def has_errors(self) -> bool:
        return any(d.is_error for d in self._found.values())

    def error(self, message: str, span: Span | None, hint: str | None = None, *,
              code: str) -> None:
        self._add(Diagnostic(message, span, hint, Severity.ERROR, code))

    def warning(self, message: str, span: Span | None, hint: str | None = None, *,
                code: str) -> None:
        self._add(Diagnostic(message, span, hint, Severity.WARNING, code))

    def _add(self, diagnostic: Diagnostic) -> None:
        assert diagnostic.code in CODES, diagnostic.code
        key = (diagnostic.message, diagnostic.span, diagnostic.severity)
        self._found.setdefault(key, diagnostic)
