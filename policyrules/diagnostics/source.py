"""Source text and spans: where a piece of a policy came from.

Every syntax node carries a :class:`Span`; errors of every stage point at one. Columns are
1-based character columns, as editors show them; :func:`display_width` measures what a
terminal shows, so carets line up under Chinese text (two cells per CJK character).
:func:`read_capped` reads a file with a byte cap, for every reader of a whole file (policies,
holiday schedules, scenarios).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from policyrules.diagnostics.messages import json_problem, msg


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


class FileTooLarge(OSError):
    """A file holds more bytes than its reader accepts (see :func:`read_capped`)."""

    def __init__(self, path: str, limit: int) -> None:
        super().__init__(
            msg("cannot read `{path}`: it is larger than {size}", path=path, size=size(limit))
        )
        self.path = path
        self.limit = limit


MEGABYTE = 1_048_576


def size(count: int) -> str:
    """A number of bytes in words: `16 MB` for whole megabytes, else `1000 bytes`."""
    if count >= MEGABYTE and count % MEGABYTE == 0:
        return msg("{count} MB", count=count // MEGABYTE)
    return msg("{count} bytes", count=count)


def read_capped(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of the file at `path`, refusing one of more than `limit` bytes.

    The size the file system reports is not trusted: a device (`/dev/zero`), a FIFO or a
    file still being written says nothing true about what a read returns. So at most
    `limit + 1` bytes are read, and one byte too many is :class:`FileTooLarge`. The file is
    opened without blocking, so that a FIFO nobody writes to reads as empty instead of
    hanging. Errors are :class:`OSError` with the file name set (a NUL in the name too).
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags | getattr(os, "O_NOCTTY", 0))
    except ValueError:  # a NUL character in the name
        raise OSError(errno.EINVAL, "invalid file name", os.fspath(path)) from None
    try:
        with contextlib.suppress(OSError, AttributeError):
            os.set_blocking(descriptor, True)  # read a pipe with a writer to its end
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            try:
                chunk = os.read(descriptor, min(left, MEGABYTE))
            except OSError as error:
                error.filename = os.fspath(path)
                raise
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(descriptor)
    if left <= 0:
        raise FileTooLarge(os.fspath(path), limit)
    return b"".join(chunks)


def read_json(path: str | os.PathLike[str], limit: int) -> Any:
    """The JSON document in the file at `path`, read with :func:`read_capped`.

    A file that cannot be read is an :class:`OSError`; one that is not a JSON document this
    program can hold is a :class:`ValueError` whose argument is the problem, as a message
    (not UTF-8, not JSON and where, nested too deeply, a number of too many digits)."""
    data = read_capped(path, limit)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValueError(
            msg("the file is not UTF-8 text (byte 0x{byte:02x} at offset {start})",
                byte=data[error.start], start=error.start)
        ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(json_problem(error)) from None
    except RecursionError:
        raise ValueError(msg("not JSON this program reads: nested too deeply")) from None
    except ValueError:  # Python reads integers of at most 4,300 digits
        raise ValueError(
            msg("not JSON this program reads: a number has too many digits")
        ) from None
