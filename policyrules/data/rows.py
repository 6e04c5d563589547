"""Rows of input files, each with its line number: JSON Lines, a JSON array, CSV, Parquet.

A row that cannot be read is given as the reason (a :class:`Message`) in place of its mapping,
so that it is rejected with its line and the next row is read: one bad row never stops the
others. An input that cannot be read at all (an unknown format, a CSV without a header, a
broken JSON array, a corrupt gzip or Parquet file) raises :class:`InputError`.

Files are read as bytes and decoded line by line, so that a line that is not UTF-8 is that
line's rejection. A file whose first bytes are gzip's is decompressed (`events.jsonl.gz`);
`-` is the standard input. The format comes from the name (`.jsonl`, `.ndjson`, `.json`,
`.csv`, `.parquet`, each optionally `.gz`) unless it is given; the standard input is JSON
Lines unless told otherwise.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import stat
import sys
import zlib
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from policyrules.data.csvrows import csv_rows
from policyrules.data.model import CORE_FIELDS, InputError
from policyrules.diagnostics.messages import Message, msg

Row = Mapping[str, Any] | Message
FORMATS = ("jsonl", "json", "csv", "parquet")
_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv",
             ".parquet": "parquet"}
_GZIP_MAGIC = b"\x1f\x8b"
_BOM = b"\xef\xbb\xbf"
STDIN = "-"


def format_of(path: str | os.PathLike[str]) -> str:
    """The format a file's name says (`events.csv.gz` is CSV); the standard input's is JSON
    Lines."""
    if str(path) == STDIN:
        return "jsonl"
    name = Path(path)
    suffix = name.suffix.lower()
    if suffix == ".gz":
        suffix = Path(name.stem).suffix.lower()
    if suffix not in _SUFFIXES:
        raise InputError(
            msg("{path}: unknown data format `{suffix}` (use .jsonl, .csv or .parquet)",
                path=path, suffix=suffix or name.name)
        )
    return _SUFFIXES[suffix]


def read_rows(
    path: str | os.PathLike[str],
    format: str | None = None,
    *,
    header: Collection[str] = CORE_FIELDS,
) -> Iterator[tuple[int, Row]]:
    """(line, row) for each record of a file (`-`: the standard input). `format` is one of
    :data:`FORMATS`, by default the one the name says; `header` the columns of which a CSV
    header must name at least one (the core fields of an event by default)."""
    name = "<stdin>" if str(path) == STDIN else str(path)
    chosen = _checked_format(format) if format else format_of(path)
    if str(path) == STDIN:
        yield from read_stream(sys.stdin.buffer, chosen, name, header=header)
        return
    with open(path, "rb") as handle:
        mode = os.fstat(handle.fileno()).st_mode
        if (stat.S_ISCHR(mode) or stat.S_ISBLK(mode)) and not os.path.samefile(path,
                                                                               os.devnull):
            # /dev/zero would be read until memory runs out; a pipe (`-`, a FIFO) is fine
            raise InputError(msg("{path}: a device, not a file", path=name))
        yield from read_stream(handle, chosen, name, header=header)


def read_stream(
    stream: IO[bytes], format: str, name: str, *, header: Collection[str] = CORE_FIELDS
) -> Iterator[tuple[int, Row]]:
    """:func:`read_rows` of an open binary stream, named `name` in messages."""
    readers: dict[str, Callable[[IO[bytes], str, Collection[str]], Iterator[tuple[int, Row]]]]
    readers = {"jsonl": _jsonl_rows, "json": _json_rows, "csv": _csv_rows,
               "parquet": _parquet_rows}
    source = _decompressed(stream)
    try:
        yield from readers[_checked_format(format)](source, name, header)
    except (OSError, EOFError, zlib.error) as error:
        if isinstance(error, OSError) and not isinstance(error, gzip.BadGzipFile):
            raise
        raise InputError(msg("{path}: not a readable gzip file ({problem})", path=name,
                             problem=str(error).lower() or type(error).__name__)) from None


def _checked_format(format: str) -> str:
    if format not in FORMATS:
        raise InputError(msg("unknown data format `{suffix}` (use .jsonl, .csv or .parquet)",
                             suffix=format))
    return format


def _peekable(stream: Any) -> Any:
    """A stream whose first bytes can be looked at before they are read."""
    return stream if hasattr(stream, "peek") else io.BufferedReader(stream)


def _decompressed(stream: IO[bytes]) -> IO[bytes]:
    """The stream itself, or, when its first bytes are gzip's, what it decompresses to."""
    buffered = _peekable(stream)
    if buffered.peek(2)[:2] == _GZIP_MAGIC:
        unpacked: IO[bytes] = _peekable(gzip.GzipFile(fileobj=buffered, mode="rb"))
        return unpacked
    return buffered  # type: ignore[no-any-return]


# ----------------------------------------------------------------------------- JSON


class _NotJSON(ValueError):
    """`NaN`, `Infinity` or a duplicate key: JSON that Python would read, but wrongly."""

    def __init__(self, reason: Message) -> None:
        super().__init__(reason)
        self.reason = reason


def _refuse_constant(name: str) -> Any:
    raise _NotJSON(msg("not JSON: `{value}` is not a JSON value (write a number, or leave the"
                       " field out)", value=name))


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _NotJSON(msg("duplicate key `{key}`", key=key))
            seen.add(key)
    return found


_QUOTE_SPACE = re.compile(r'"[ \t\r\n]')
_LOADS = json.JSONDecoder(parse_constant=_refuse_constant).decode
_LOADS_CHECKED = json.JSONDecoder(parse_constant=_refuse_constant,
                                  object_pairs_hook=_refuse_duplicates).decode


def json_row(text: str) -> Row:
    """The object of one JSON line, or why it is not one. A duplicate key is refused (JSON
    readers disagree on which one wins); so are `NaN` and `Infinity`, which are not JSON."""
    try:
        value = _LOADS(text)
        # where no quote is followed by a space, every key is followed by `":`; when there
        # are then exactly as many of those as keys, no key is repeated (the common case,
        # what json.dumps writes: no second, slower parse)
        if isinstance(value, dict) and (text.count('":') != len(value)
                                        or _QUOTE_SPACE.search(text) is not None):
            value = _LOADS_CHECKED(text)
    except json.JSONDecodeError as error:
        return msg("not JSON: {problem} at column {column}", problem=msg(error.msg.lower()),
                   column=error.colno)
    except _NotJSON as error:
        return error.reason
    except RecursionError:
        return msg("not JSON: nested too deeply")
    except ValueError:  # a number of more digits than Python converts (4,300)
        return msg("not JSON: a number with too many digits")
    if not isinstance(value, dict):
        return msg("not a JSON object")
    return value


#: the longest line read, in bytes: an event is a few hundred; a longer line is rejected,
#: and the memory a line takes stays bounded whatever the input
LINE_LIMIT = 16 * 1024 * 1024


def _lines(stream: IO[bytes]) -> Iterator[tuple[int, str | Message]]:
    """(number, text) of each line, decoded on its own: a line that is not UTF-8, or longer
    than :data:`LINE_LIMIT`, is given as the reason."""
    number = 0
    while True:
        raw = stream.readline(LINE_LIMIT)
        if not raw:
            return
        number += 1
        if len(raw) == LINE_LIMIT and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):  # the rest of the line, unread
                raw = stream.readline(LINE_LIMIT)
            yield number, msg("a line longer than {limit} bytes", limit=LINE_LIMIT)
            continue
        if number == 1 and raw.startswith(_BOM):
            raw = raw[len(_BOM):]
        try:
            yield number, raw.decode("utf-8")
        except UnicodeDecodeError as error:
            yield number, msg("not UTF-8 text (byte {offset} of the line is `{byte}`)",
                              offset=error.start + 1, byte=f"\\x{raw[error.start]:02x}")


def _jsonl_rows(
    stream: IO[bytes], name: str, header: Collection[str]
) -> Iterator[tuple[int, Row]]:
    for number, text in _lines(stream):
        if isinstance(text, Message):
            yield number, text
        elif text.strip():
            yield number, json_row(text)


def _json_rows(
    stream: IO[bytes], name: str, header: Collection[str]
) -> Iterator[tuple[int, Row]]:
    """A `.json` file: a JSON array of rows (each element's line is the line it starts on)
    or, when it does not start with `[`, JSON Lines."""
    buffered = _peekable(stream)
    head = buffered.peek(4096).lstrip(_BOM).lstrip()
    if not head.startswith(b"["):
        yield from _jsonl_rows(buffered, name, header)
        return
    from policyrules.data.jsonarray import array_rows

    yield from array_rows(buffered.read(), name)


# ----------------------------------------------------------------------------- CSV, Parquet


def _csv_rows(
    stream: IO[bytes], name: str, header: Collection[str]
) -> Iterator[tuple[int, Row]]:
    yield from csv_rows(_lines(stream), name, header)


def _parquet_rows(
    stream: IO[bytes], name: str, header: Collection[str]
) -> Iterator[tuple[int, Row]]:
    try:
        import pyarrow.parquet as pq
    except ImportError as error:
        raise InputError(
            msg("{path}: reading Parquet needs the optional extra: pip install"
                " 'policyrules[parquet]'", path=name)
        ) from error
    try:
        table = pq.read_table(io.BytesIO(stream.read()))
    except Exception as error:  # pyarrow's errors have no common base but Exception
        raise InputError(msg("{path}: not a readable Parquet file ({problem})", path=name,
                             problem=str(error).splitlines()[0] if str(error) else
                             type(error).__name__)) from None
    for number, row in enumerate(_parquet_values(table), start=1):
        yield number, {k: v for k, v in row.items() if v is not None}


def _parquet_values(table: Any) -> list[dict[str, Any]]:
    """The rows of a pyarrow table as Python values; a date or time past the years 1–9999
    that Python's types hold becomes its text, as DuckDB gives it, for the reader to refuse."""
    try:
        rows: list[dict[str, Any]] = table.to_pylist()
        return rows
    except OverflowError:
        pass
    columns = {name: _column_values(table.column(name)) for name in table.column_names}
    return [{name: values[i] for name, values in columns.items()}
            for i in range(table.num_rows)]


def _column_values(column: Any) -> list[Any]:
    values: list[Any] = []
    for scalar in column:
        try:
            values.append(scalar.as_py())
        except OverflowError:
            values.append(_moment_text(scalar))
    return values


def _moment_text(scalar: Any) -> str:
    """A date or timestamp outside Python's range, written as DuckDB writes it."""
    import pyarrow as pa

    kind = scalar.type
    if pa.types.is_date(kind):
        days = scalar.cast(pa.date32()).value
        return _civil(days)
    per_second = {"s": 1, "ms": 1_000, "us": 1_000_000, "ns": 1_000_000_000}[kind.unit]
    micros = scalar.value * 1_000_000 // per_second
    days, rest = divmod(micros, 86_400_000_000)
    seconds, fraction = divmod(rest, 1_000_000)
    clock = f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    if fraction:
        clock += f".{fraction:06d}".rstrip("0")
    zone = "+00" if kind.tz is not None else ""
    day = _civil(days)
    if day.endswith(" (BC)"):
        return f"{day[:-5]} (BC) {clock}{zone}"
    return f"{day} {clock}{zone}"


def _civil(days: int) -> str:
    """Days since 1970-01-01 as a proleptic Gregorian date (Hinnant's algorithm)."""
    z = days + 719_468
    era, doe = divmod(z, 146_097)
    yoe = (doe - doe // 1460 + doe // 36_524 - doe // 146_096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + 3 if mp < 10 else mp - 9
    year = yoe + era * 400 + (1 if month <= 2 else 0)
    if year <= 0:
        return f"{1 - year:04d}-{month:02d}-{day:02d} (BC)"
    return f"{year:04d}-{month:02d}-{day:02d}"


def read_text_rows(text: str, suffix: str) -> list[tuple[int, Row]]:
    """Rows of in-memory JSON Lines or CSV text (tests and notebooks)."""
    format = "csv" if suffix == ".csv" else "jsonl"
    return list(read_stream(io.BytesIO(text.encode("utf-8")), format, "<text>"))


# ----------------------------------------------------------------------------- sources

@dataclass(frozen=True)
class NamedRows:
    """Rows read elsewhere (by the columnar engine's database), each with its line, under
    the name of the input they came from."""

    name: str
    rows: Iterable[tuple[int, Row]]


#: what `read_events` and `read_units` take: a path (`-`: the standard input), several
#: paths (a list or tuple), an open binary stream, or rows from Python (mappings)
Rows = (
    str
    | os.PathLike[str]
    | NamedRows
    | Sequence[str | os.PathLike[str] | NamedRows]
    | IO[bytes]
    | Iterable[Mapping[str, Any]]
)
Source = Rows


def sources(
    source: Source, format: str | None = None, header: Collection[str] = CORE_FIELDS
) -> list[tuple[str, Iterator[tuple[int, Row]]]]:
    """Each input of `source`, by name, with its rows (read when they are asked for)."""
    if isinstance(source, (str, os.PathLike)):
        return [(_name(source), read_rows(source, format, header=header))]
    if isinstance(source, NamedRows):
        return [(source.name, iter(source.rows))]
    if isinstance(source, (list, tuple)) and source and all(
        isinstance(s, (str, os.PathLike, NamedRows)) for s in source
    ):
        return [(s.name, iter(s.rows)) if isinstance(s, NamedRows)
                else (_name(s), read_rows(s, format, header=header)) for s in source]
    if hasattr(source, "read"):
        name = str(getattr(source, "name", "<stream>"))
        stream: Any = getattr(source, "buffer", source)  # a text stream's bytes
        return [(name, read_stream(stream, format or "jsonl", name, header=header))]
    rows: Iterable[Any] = source
    return [("<python>", ((i, as_mapping(r)) for i, r in enumerate(rows, start=1)))]


def _name(path: str | os.PathLike[str]) -> str:
    return "<stdin>" if str(path) == STDIN else str(path)


def as_mapping(row: Any) -> Row:
    """A row given from Python: a mapping, a pydantic model's fields, or why not."""
    if isinstance(row, Mapping):
        return row
    dump = getattr(row, "model_dump", None)
    if callable(dump):
        dumped = dump()
        if isinstance(dumped, Mapping):
            return dumped
    return msg("not a mapping: {type}", type=type(row).__name__)
