"""Rows of a CSV file, read so that one broken row cannot swallow the others.

The file is RFC 4180: a header row, then one row a line; a cell holding a comma, a quote or
a line break is in double quotes, a quote inside it doubled (`"a ""b"" c"` is the cell
`a "b" c`). A quoted cell may span lines. A row is numbered by the line it starts on (the
header is line 1).

Where a quote is never closed, Python's `csv` would read the rest of the file as one cell
and lose every row after it. Here the lines are first grouped into rows by their quotes: a
line with an odd number of `"` opens a cell that the next such line closes (within
:data:`CELL_LIMIT` characters). When no line closes it, or the lines it spans do not make a
row (`csv` finds them broken, or they have more cells than the header), only the line that
opened it is rejected and reading goes on at the next line. Any other row that `csv` finds
broken (text after a closing quote, a NUL, a cell longer than :data:`CELL_LIMIT`) is
rejected on its own.
"""

from __future__ import annotations

import csv
from collections import deque
from collections.abc import Collection, Iterator, Mapping
from typing import Any

from policyrules.data.model import InputError
from policyrules.diagnostics.messages import Message, msg

#: the longest cell read (Python's `csv` default): a longer one is its row's rejection
CELL_LIMIT = 131_072

_Part = tuple[int, "str | Message"]
_UNCLOSED = "a quote that is never closed (reading goes on at the next line)"


def csv_rows(
    lines: Iterator[tuple[int, str | Message]], name: str, header: Collection[str]
) -> Iterator[tuple[int, Mapping[str, Any] | Message]]:
    """(line, row) of each row after the header; `header` names the columns of which the
    header must have one (else the first row is data, and the file is refused)."""
    grouping = _Grouping(lines)
    feed = _Feed(grouping)
    reader = csv.reader(feed, strict=True)
    columns = _header(reader, feed, name, header)
    named = [(i, column) for i, column in enumerate(columns) if column]
    width = len(columns)
    whole = len(named) == width  # every column named: a row is the header zipped with it
    while True:
        feed.taken = []
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            spans = len(feed.taken) > 1 or len(feed.taken[0]) > 1
            yield feed.retry(), _csv_problem(str(error), spans)
            continue
        first = feed.taken[0]
        line, text = first[0]
        if len(feed.taken) > 1 or (len(first) > 1 and len(cells) > width):
            # csv read on past the lines our quotes grouped, or they make no row
            yield feed.retry(), msg(_UNCLOSED)
        elif isinstance(text, Message):
            yield line, text
        elif not cells:
            continue  # a blank line
        elif len(cells) > width:
            yield line, msg("more cells than the header has columns")
        elif len(cells) == width and whole:  # an empty cell is a missing value: left out
            yield line, {column: cell for column, cell in zip(columns, cells, strict=True)
                         if cell}
        else:
            yield line, {column: cells[i] for i, column in named if i < len(cells) and cells[i]}


def _header(reader: Any, feed: _Feed, name: str, required: Collection[str]) -> list[str]:
    while True:
        feed.taken = []
        try:
            columns: list[str] = next(reader)
        except StopIteration:
            return []
        except csv.Error as error:
            raise InputError(msg("{path}: the header row cannot be read: {problem}", path=name,
                                 problem=_csv_problem(str(error), False))) from None
        text = feed.taken[0][0][1]
        if isinstance(text, Message):
            raise InputError(msg("{path}: the header row cannot be read: {problem}", path=name,
                                 problem=text))
        if columns:
            break
    seen: set[str] = set()
    for column in columns:
        if column and column in seen:
            raise InputError(msg("{path}: the header names `{column}` twice", path=name,
                                 column=column))
        seen.add(column)
    if required and not seen & set(required):
        shown = ",".join(columns)
        raise InputError(msg(
            "{path}: the first row is not a header (it has no {columns} column): `{row}`;"
            " a CSV file starts with a header row", path=name,
            columns=" / ".join(f"`{c}`" for c in required),
            row=shown if len(shown) <= 80 else shown[:77] + "…"))
    return columns


def _csv_problem(text: str, spans_lines: bool) -> Message:
    """csv's error in words of this project (they translate)."""
    if spans_lines or "unexpected end of data" in text:
        return msg(_UNCLOSED)
    if "field larger than field limit" in text:
        return msg("a cell longer than {limit} characters", limit=CELL_LIMIT)
    if "expected after" in text:
        return msg("text after a closing quote (quote the whole cell, and double the quotes"
                   " inside it)")
    if "NUL" in text:
        return msg("a NUL character")
    if "new-line character" in text:
        return msg("a line break inside a cell that is not quoted")
    return msg("not a CSV row: {problem}", problem=text)


def _odd(text: str | Message) -> bool:
    return not isinstance(text, Message) and text.count('"') % 2 == 1


def _complete(text: str) -> bool:
    """Whether one line is a whole row for csv, though its quotes are odd (a quote inside an
    unquoted cell, `5"`, is read as it is)."""
    try:
        next(csv.reader((text,), strict=True), None)
    except csv.Error:
        return False
    return True


class _Grouping:
    """Physical lines grouped into records by their quotes (see the module's docstring);
    lines given back (:meth:`retry`) are grouped again.

    A line is counted for quotes once, and looked ahead of at most once: a look ahead that
    finds no closing line passed only lines with even quotes, which start no look ahead of
    their own."""

    def __init__(self, lines: Iterator[tuple[int, str | Message]]) -> None:
        self.lines = lines
        self.pending: deque[tuple[int, str | Message, bool]] = deque()

    def retry(self, parts: list[_Part]) -> None:
        for number, text in reversed(parts):
            self.pending.appendleft((number, text, _odd(text)))

    def _pull(self) -> bool:
        for number, text in self.lines:
            self.pending.append((number, text, _odd(text)))
            return True
        return False

    def __iter__(self) -> Iterator[list[_Part]]:
        pending = self.pending
        while pending or self._pull():
            number, text, odd = pending.popleft()
            if not odd:
                yield [(number, text)]
                continue
            assert isinstance(text, str)
            closing = self._closing(len(text))
            if closing is None:
                yield [(number, text if _complete(text) else msg(_UNCLOSED))]
                continue
            parts: list[_Part] = [(number, text)]
            for _ in range(closing + 1):
                following, following_text, _ = pending.popleft()
                parts.append((following, following_text))
            yield parts

    def _closing(self, size: int) -> int | None:
        """The index among the pending lines of the one that closes a quote opened before
        them, if one does within CELL_LIMIT characters."""
        index = 0
        while index < len(self.pending) or self._pull():
            _, following, odd = self.pending[index]
            if isinstance(following, Message):
                return None
            size += len(following)
            if size > CELL_LIMIT:
                return None
            if odd:
                return index
            index += 1
        return None


class _Feed:
    """The records `csv` reads, one string each; it notes which it took for the row being
    read, so that a broken row can give back all its lines but the first, to be read again."""

    def __init__(self, grouping: _Grouping) -> None:
        self.grouping = grouping
        self.records = iter(grouping)
        self.taken: list[list[_Part]] = []

    def __iter__(self) -> _Feed:
        return self

    def __next__(self) -> str:
        parts = next(self.records)
        self.taken.append(parts)
        if len(parts) == 1:
            text = parts[0][1]
            return "\n" if isinstance(text, Message) else text
        return "".join(str(text) for _, text in parts)

    def retry(self) -> int:
        """Give back every line taken for this row but its first, whose number is returned."""
        lines = [part for record in self.taken for part in record]
        self.grouping.retry(lines[1:])
        return lines[0][0]
