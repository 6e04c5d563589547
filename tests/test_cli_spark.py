"""`check --engine spark`'s options, checked before Spark is asked for anything: these run
without PySpark (the Spark engine itself is tested in tests/spark)."""

from __future__ import annotations

import pytest

import policyrules
from policyrules.cli import main
from policyrules.diagnostics.messages import msg
from policyrules.engine.spark.dialect import java_pattern

ARGS = ["check", "policies/binhai-2021.pol", "--events", "examples/binhai-2021/events.jsonl",
        "--as-of", "2021-12-31", "--format", "json"]


def test_a_malformed_spark_conf_is_an_error_with_an_example(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main([*ARGS, "--engine", "spark", "--spark-conf", "spark.executor.memory"]) == 2
    err = capsys.readouterr().err
    assert "--spark-conf `spark.executor.memory` is not KEY=VALUE" in err
    assert "spark.executor.memory=4g" in err


def test_a_malformed_spark_conf_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "zh", *ARGS, "--engine", "spark", "--spark-conf", "=1"]) == 2
    assert "不是 KEY=VALUE 的形式" in capsys.readouterr().err


def test_spark_options_without_the_spark_engine_are_an_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main([*ARGS, "--spark-master", "local[2]"]) == 2
    assert "--spark-master and --spark-conf are for --engine spark" in capsys.readouterr().err


def test_without_pyspark_the_error_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import policyrules.engine.spark.session as session

    monkeypatch.setattr(
        session, "unavailable",
        lambda: msg("--engine spark needs PySpark: pip install 'policyrules[spark]'"),
    )
    assert main([*ARGS, "--engine", "spark"]) == 2
    err = capsys.readouterr().err
    assert "pip install 'policyrules[spark]'" in err
    assert "Traceback" not in err


def test_evaluate_refuses_an_engine_it_does_not_have() -> None:
    policy = policyrules.load("policies/binhai-2021.pol")
    with pytest.raises(ValueError, match="no engine `sparc`; the engines are"):
        policyrules.evaluate(policy, "examples/binhai-2021/events.jsonl", engine="sparc")


def test_strftime_patterns_become_java_patterns() -> None:
    assert java_pattern("%Y-%m-%dT%H:%M:%S") == "yyyy-MM-dd'T'HH:mm:ss"
    assert java_pattern("%Y-%m-%d %H:%M") == "yyyy-MM-dd HH:mm"
