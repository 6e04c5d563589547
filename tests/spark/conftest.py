"""The Spark group: one local SparkSession for all of it (a JVM starts once), skipped with
the reason when PySpark or a Java runtime is missing. Run it with `pytest -m spark`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/spark/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.spark)


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    from policyrules.engine.spark.session import unavailable

    why = unavailable()
    if why is not None:
        pytest.skip(f"the Spark group needs the extra `spark` and a Java runtime: {why}")
    from policyrules.engine.spark.session import session

    # two cores and one shuffle partition: the examples' tables are a few hundred rows, and
    # each partition of each job is a task to schedule; no code is generated for jobs that
    # small (compiling it costs more than it saves)
    yield session(
        "local[2]",
        {"spark.sql.shuffle.partitions": "1", "spark.sql.adaptive.enabled": "true",
         "spark.sql.codegen.wholeStage": "false",
         "spark.sql.codegen.factoryMode": "NO_CODEGEN"},
    )
