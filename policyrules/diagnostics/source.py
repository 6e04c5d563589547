"""Source text and spans: where a piece of a policy came from.

Every syntax node carries a :class:`Span`; errors of every stage point at one. Columns are
1-based character columns, as editors show them; :func:`display_width` measures what a
terminal shows, so carets line up under Chinese text (two cells per CJK character).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cached_property


@dataclass(frozen=True, slots=True)
class Span:
    """A range of a source file: 1-based lines and columns, 0-based character offsets."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int
    start: int
    end: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class SourceText:
    """The text of one policy file, with line lookup for error rendering."""

    name: str
    text: str

    @cached_property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    def line(self, number: int) -> str:
        """The 1-based line `number`, without its newline ('' when out of range)."""
        if 1 <= number <= len(self.lines):
            return self.lines[number - 1].rstrip("\r")
        return ""

    def span_at(self, offset: int, length: int = 1) -> Span:
        """A span of `length` characters starting at character `offset`."""
        offset = max(0, min(offset, len(self.text)))
        line = self.text.count("\n", 0, offset) + 1
        line_start = self.text.rfind("\n", 0, offset) + 1
        column = offset - line_start + 1
        end = min(offset + max(length, 0), len(self.text))
        end_line = self.text.count("\n", 0, end) + 1
        end_line_start = self.text.rfind("\n", 0, end) + 1
        return Span(self.name, line, column, end_line, end - end_line_start + 1, offset, end)


def display_width(text: str) -> int:
    """Terminal cells `text` takes: wide (CJK) characters count two, combining marks none."""
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width
