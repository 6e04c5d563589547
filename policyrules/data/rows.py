"""Rows of input files: JSON Lines, CSV and Parquet, each row with its line number."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from policyrules.diagnostics.messages import msg


def read_rows(path: str | Path) -> Iterator[tuple[int, Mapping[str, Any] | str]]:
    """(line, row) for each record of a `.jsonl` or `.csv` file; a row that cannot be read
    at all is given as the reason text instead of a mapping."""
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        with file.open(encoding="utf-8-sig") as handle:
            for number, text in enumerate(handle, start=1):
                if not text.strip():
                    continue
                try:
                    value = json.loads(text)
                except json.JSONDecodeError as error:
                    yield number, msg("not JSON: {problem} at column {column}",
                                      problem=msg(error.msg.lower()), column=error.colno)
                    continue
                if not isinstance(value, dict):
                    yield number, msg("not a JSON object")
                    continue
                yield number, value
    elif suffix == ".csv":
        with file.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            for row in reader:
                number = reader.line_num
                if None in row:
                    yield number, msg("more cells than the header has columns")
                    continue
                yield number, {k: v for k, v in row.items() if k is not None}
    elif suffix == ".parquet":
        yield from _parquet_rows(file)
    else:
        raise ValueError(
            msg("{path}: unknown data format `{suffix}` (use .jsonl, .csv or .parquet)",
                path=path, suffix=suffix or file.name)
        )


def _parquet_rows(file: Path) -> Iterator[tuple[int, Mapping[str, Any] | str]]:
    try:
        import pyarrow.parquet as pq
    except ImportError as error:
        raise ValueError(
            msg("{path}: reading Parquet needs the optional extra: pip install"
                " 'policyrules[parquet]'", path=file)
        ) from error
    table = pq.read_table(file)
    for number, row in enumerate(table.to_pylist(), start=1):
        yield number, {k: v for k, v in row.items() if v is not None}


def read_text_rows(text: str, suffix: str) -> list[tuple[int, Mapping[str, Any] | str]]:
    """Rows of in-memory JSON Lines or CSV text (tests and notebooks)."""
    if suffix == ".csv":
        reader = csv.DictReader(io.StringIO(text))
        return [(reader.line_num, dict(row)) for row in reader]
    return [(i, json.loads(t)) for i, t in enumerate(text.splitlines(), 1) if t.strip()]
