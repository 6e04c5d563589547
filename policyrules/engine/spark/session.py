"""One SparkSession per process, made on first use and reused: starting the JVM takes
seconds, and every evaluation after the first costs only its jobs.

The engine needs three settings of its own, whatever else is configured: times are the
policy's wall time (`spark.sql.timestampType=TIMESTAMP_NTZ`), a failed cast is NULL and not
an error, as the plan expects of DuckDB's `TRY_CAST` (`spark.sql.ansi.enabled=false`), and
the size of a NULL list is NULL (`spark.sql.legacy.sizeOfNull=false`).
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from policyrules.diagnostics.messages import Message, msg

if TYPE_CHECKING:  # pragma: no cover
    from pyspark.sql import SparkSession

#: what the engine sets; `--spark-conf` cannot change these
REQUIRED = {
    "spark.sql.timestampType": "TIMESTAMP_NTZ",
    "spark.sql.ansi.enabled": "false",
    "spark.sql.legacy.sizeOfNull": "false",
}
#: defaults for one machine (local mode); `--spark-conf` overrides them
DEFAULTS = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "4",
    "spark.sql.adaptive.enabled": "true",
    "spark.driver.memory": "2g",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.log.level": "FATAL",
}

_session: Any = None
_made_with: tuple[str, tuple[tuple[str, str], ...]] | None = None


class SparkUnavailable(RuntimeError):
    """PySpark or a Java runtime is missing (its message says which, and what to install)."""


def unavailable() -> Message | None:
    """Why the Spark engine cannot run here (PySpark or a Java runtime missing), or None."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return msg("--engine spark needs PySpark: pip install 'policyrules[spark]'")
    if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        return msg(
            "--engine spark needs a Java runtime (17 or later): none is on the PATH and "
            "JAVA_HOME is not set"
        )
    return None


def session(master: str = "local[*]", conf: Mapping[str, str] | None = None) -> SparkSession:
    """The process's SparkSession (made with `master` and `conf` the first time)."""
    global _session, _made_with
    why = unavailable()
    if why is not None:
        raise SparkUnavailable(why)
    settings = {**DEFAULTS, **(conf or {}), **REQUIRED}
    wanted = (master, tuple(sorted(settings.items())))
    if _session is not None and _made_with == wanted:
        return _session
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.master(master).appName("policyrules")
    for key, value in settings.items():
        builder = builder.config(key, value)
    try:
        _session = builder.getOrCreate()
    except Exception as error:  # a master that cannot be reached, a JVM that does not start
        problem = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise SparkUnavailable(
            msg("Spark did not start with the master `{master}`: {problem}", master=master,
                problem=problem)
        ) from None
    for key, value in settings.items():
        if not key.startswith("spark.driver.") and not key.startswith("spark.ui."):
            # a static setting of a session made before cannot change: it stays as it was
            with contextlib.suppress(Exception):
                _session.conf.set(key, value)
    _session.sparkContext.setLogLevel("FATAL")
    # PySpark logs each failed query's plan; the engine reports its errors itself
    logging.getLogger("SQLQueryContextLogger").setLevel(logging.CRITICAL)
    _made_with = wanted
    return _session
