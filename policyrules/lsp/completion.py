"""What may be typed at the cursor: completion candidates from the text before it.

The text is read as the user left it, half-typed, so the context comes from a small scan of
what precedes the cursor (the open blocks, the innermost open parenthesis, the word before)
rather than from the parser; names come from the last symbol index that was built.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from policyrules.lsp.index import SymbolIndex, SymbolKind
from policyrules.semantics import BUILTIN_EVENT_FIELDS, WINDOW_FIELDS
from policyrules.syntax import ast
from policyrules.syntax.loader import std_libraries

TOP_LEVEL = ["import", "set", "band", "festival", "event", "units", "let", "policy"]
POLICY_ITEMS = ["issuer", "document", "issued", "effective", "timezone", "workday ends", "warn",
                "consequence", "applies to", "obligation"]
STATEMENTS = ["refs", "cites", "severity", "applies to", "for each", "once", "every", "each",
              "effective", "let", "require", "due", "warn", "accept late", "partial periods",
              "consequence", "supersedes", "until superseded"]
EXPRESSION_WORDS = ["count", "sum", "avg", "min", "max", "latest", "exists", "distinct", "len",
                    "lower", "all", "any", "and", "or", "not", "in", "between", "on", "during",
                    "is set", "is not set", "per", "of", "where", "unit", "trigger", "window",
                    "true", "false"]
PATTERN_WORDS = ["working day", "rest day", "holiday", "lunar", "term", "last", *ast.MONTHS,
                 *[w.value for w in ast.Weekday]]
PERIODS = [u.value for u in ast.PeriodUnit]


@dataclass(frozen=True)
class Candidate:
    label: str
    kind: str  # keyword, event, attribute, fact, festival, set, band, let, value, file
    detail: str = ""
    #: what to insert when it is not the label (a quoted string value)
    insert: str | None = None


def _strip(text: str) -> str:
    """The text with comments and string contents blanked, so that braces and parentheses
    inside them do not count; an unclosed string at the end is kept open."""
    out = re.sub(r'"(?:[^"\\\n]|\\.)*"', lambda m: '"' + " " * (len(m.group()) - 2) + '"', text)
    return re.sub(r"#[^\n]*", lambda m: " " * len(m.group()), out)


def _open_blocks(code: str) -> list[str]:
    """The keywords of the blocks the cursor is inside (`policy`, `obligation` …)."""
    stack: list[str] = []
    for match in re.finditer(r"[{}]", code):
        if match.group() == "{":
            line_start = code.rfind("\n", 0, match.start()) + 1
            head = code[line_start : match.start()].split()
            stack.append(head[0] if head else "")
        elif stack:
            stack.pop()
    return stack


def _innermost_paren(code: str) -> str | None:
    """The text after the innermost parenthesis still open, or None."""
    depth_starts: list[int] = []
    for index, char in enumerate(code):
        if char == "(":
            depth_starts.append(index)
        elif char == ")" and depth_starts:
            depth_starts.pop()
        elif char == "\n" and not depth_starts:
            continue
    return code[depth_starts[-1] + 1 :] if depth_starts else None


def _obligation_trigger(code: str) -> str | None:
    """The kind of `for each KIND` in the obligation the cursor is in."""
    start = code.rfind("obligation ")
    if start < 0:
        return None
    found = re.search(r"^\s*for\s+each\s+(\w+)(?!\s+of\b)", code[start:], re.MULTILINE)
    return found.group(1) if found else None


class Completer:
    def __init__(self, index: SymbolIndex, folder: Path | None) -> None:
        self.index = index
        self.folder = folder

    def names(self, kind: SymbolKind) -> list[str]:
        return sorted(k.name for k in self.index.definitions if k.kind is kind)

    def attributes(self, kind: str) -> list[Candidate]:
        declared = [Candidate(name, "attribute", kind) for name in
                    self.index.attributes.get(kind, [])]
        return declared + [Candidate(name, "attribute", kind) for name in BUILTIN_EVENT_FIELDS]

    def values_of(self, kind: str | None, attribute: str) -> list[Candidate]:
        """The declared values of a `one of [...]` attribute (or unit fact)."""
        from policyrules.lsp.index import Key

        key = (Key(SymbolKind.ATTRIBUTE, attribute, kind) if kind is not None
               else Key(SymbolKind.UNIT_FACT, attribute))
        definition = self.index.definitions.get(key)
        node = definition.node if definition is not None else None
        if not isinstance(node, ast.FieldDecl):
            return []
        enum = node.type.item if isinstance(node.type, ast.ListType) else node.type
        if not isinstance(enum, ast.EnumType):
            return []
        return [Candidate(value, "value", attribute, insert=f'"{value}"') for value in enum.values]

    # ------------------------------------------------------------------ entry point

    def complete(self, before: str) -> list[Candidate]:
        """Candidates for the cursor at the end of `before` (the document's text up to it)."""
        code = _strip(before)
        line = code[code.rfind("\n") + 1 :]
        if re.search(r'\bimport\s+"[^"]*$', before[before.rfind("\n") + 1 :]):
            return self.files()
        if (dotted := re.search(r"\b(unit|trigger|window)\.\w*$", line)) is not None:
            return self.dotted(dotted.group(1), code)
        blocks = _open_blocks(code)
        inner = blocks[-1] if blocks else None
        words_before = line.split()
        at_line_start = len(words_before) == 0 or (
            len(words_before) == 1 and not line.endswith((" ", "\t"))
        )
        if at_line_start:
            if inner is None:
                return [Candidate(k, "keyword") for k in TOP_LEVEL]
            if inner == "policy":
                return [Candidate(k, "keyword") for k in POLICY_ITEMS]
            if inner == "obligation":
                return [Candidate(k, "keyword") for k in STATEMENTS]
            if inner in ("event", "units"):
                return []  # a new attribute's name is the author's to choose
        if inner == "obligation" and re.search(r"^\s*for\s+each\s+\w*$", line):
            return [Candidate(k, "event") for k in self.names(SymbolKind.EVENT)]
        if re.search(r"^\s*every\s+\w*$", line):
            return [Candidate(p, "keyword") for p in PERIODS]
        if re.search(r"(\bon\s+\(?|^\s*each\s+|\bor\s+)\w*$", line):
            return self.patterns()
        return self.expression(code, line)

    def files(self) -> list[Candidate]:
        found = [Candidate(f"std:{name}", "file") for name in std_libraries()]
        if self.folder is not None:
            for path in sorted(self.folder.rglob("*.pol"))[:200]:
                relative = path.relative_to(self.folder).as_posix()
                if not any(part.startswith(".") for part in Path(relative).parts):
                    found.append(Candidate(relative, "file"))
        return found

    def dotted(self, context: str, code: str) -> list[Candidate]:
        if context == "unit":
            return [Candidate("id", "fact", "unit")] + [
                Candidate(name, "fact", "unit") for name in self.index.unit_facts]
        if context == "window":
            return [Candidate(name, "attribute", "window") for name in WINDOW_FIELDS]
        trigger = _obligation_trigger(code)
        return self.attributes(trigger) if trigger is not None else []

    def patterns(self) -> list[Candidate]:
        return ([Candidate(n, "festival") for n in self.names(SymbolKind.FESTIVAL)]
                + [Candidate(n, "set") for n in self.names(SymbolKind.SET)]
                + [Candidate(w, "keyword") for w in PATTERN_WORDS])

    def expression(self, code: str, line: str) -> list[Candidate]:
        paren = _innermost_paren(code)
        kind: str | None = None
        if paren is not None:
            head = re.match(r"\s*(?:distinct\s+)?(?:(\w+)\s+of\s+)?(\w*)", paren)
            selecting = re.match(
                r"\s*(?:distinct\s+)?(?:\w+\s+of\s+)?(\w+)\s+(?:from\s+(?:area|all\s+units)\s+)?"
                r"where\b", paren)
            if selecting is not None:
                kind = selecting.group(1)
            elif head is not None and head.end() == len(paren):
                # right after `count(` or `sum(hours of `: an event kind
                return ([Candidate(k, "event") for k in self.names(SymbolKind.EVENT)]
                        + [Candidate("distinct", "keyword")])
        if kind is None:
            kind = _obligation_trigger(code) if "obligation" in _open_blocks(code) else None
        compared = re.search(r"\b(\w+)\s*(?:==|!=)\s*\"?[^\"\s]*$|\b(\w+)\s+in\s+\[[^\]]*$", line)
        if compared is not None:
            attribute = compared.group(1) or compared.group(2)
            values = self.values_of(kind, attribute)
            if values:
                return values
        found = self.attributes(kind) if kind is not None else []
        found += [Candidate(n, "let") for n in self.names(SymbolKind.LET)]
        found += [Candidate(n, "set") for n in self.names(SymbolKind.SET)]
        found += [Candidate(n, "band") for n in self.names(SymbolKind.BAND)]
        found += [Candidate(n, "festival") for n in self.names(SymbolKind.FESTIVAL)]
        found += [Candidate(w, "keyword") for w in EXPRESSION_WORDS]
        return found
