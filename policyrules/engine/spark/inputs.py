"""Who reads the Spark engine's inputs: this process, or Spark where they lie.

A plain local file is read and validated by the DuckDB ingest in this process, which on one
machine is faster (docs/scaling.md, "Where the inputs live"). An input named by a URI
(`file:`, `hdfs:`, `s3a:`, `gs:`, `abfss:` …), a directory of part files or a glob is read
by Spark itself (:mod:`.ingest`): each file by the reference reader, in a Spark task. A
`file:` URI is how a local file is read by Spark on purpose.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable
from urllib.parse import urlparse

from policyrules.data.rows import STDIN
from policyrules.diagnostics.messages import Message, msg

_GLOB = frozenset("*?[{")


def has_scheme(path: str | os.PathLike[str]) -> bool:
    """Whether `path` is a URI (`file:…`, `hdfs://…`); a drive letter, `C:\\…`, is a path."""
    return len(urlparse(os.fspath(path)).scheme) > 1


def spark_reads(path: str | os.PathLike[str]) -> bool:
    """Whether Spark, not this process, reads `path`: a URI, a directory, or a glob that is
    not the name of a file."""
    text = os.fspath(path)
    if text == STDIN:
        return False
    if has_scheme(text) or os.path.isdir(text):
        return True
    return bool(_GLOB & set(text)) and not os.path.exists(text) and bool(glob.glob(text))


def read_by_spark(paths: Iterable[str | os.PathLike[str]]) -> bool:
    """Whether Spark reads these inputs (then it reads every one of them, in order)."""
    return any(spark_reads(p) for p in paths)


def unreadable(paths: Iterable[str | os.PathLike[str]]) -> Message | None:
    """Why the Spark engine cannot read these inputs together, or None: the standard input
    is this process's, and cannot be one of the inputs Spark reads."""
    listed = [os.fspath(p) for p in paths]
    if STDIN in listed and read_by_spark(listed):
        return msg(
            "the standard input (`-`) cannot be read with inputs Spark reads (`{path}`)",
            path=next(p for p in listed if spark_reads(p)),
        )
    return None
