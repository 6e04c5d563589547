"""Where the Spark engine's inputs may be.

Event files are read and validated by the DuckDB ingest in the driver (the reference
reader's rejections, line for line), and only then travel to Spark: an input must be a
file the driver can open. A URI that only a cluster reads (`hdfs://`, `s3a://`, `gs://`,
`abfss://` …) is refused before Spark starts, with what to do instead, rather than failing
later as a file that is not there (docs/scaling.md, "Where the inputs live").
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from urllib.parse import urlparse

from policyrules.diagnostics.messages import Message, msg


def is_remote(path: str | os.PathLike[str]) -> bool:
    """Whether `path` names a file through a URI scheme other than `file:` (a drive letter,
    `C:\\…`, is a local path)."""
    text = os.fspath(path)
    scheme = urlparse(text).scheme
    return len(scheme) > 1 and scheme.lower() != "file"


def remote_input(paths: Iterable[str | os.PathLike[str]]) -> Message | None:
    """Why the Spark engine cannot read these inputs (the first that is not local), or None."""
    for path in paths:
        if is_remote(path):
            return msg(
                "--engine spark reads its inputs in this process, and `{path}` is not a local"
                " path: copy it here or mount it (Spark reading events where they lie is not"
                " done yet; see docs/scaling.md)",
                path=os.fspath(path),
            )
    return None
