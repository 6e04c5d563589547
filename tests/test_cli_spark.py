"""`check --engine spark`'s options, checked before Spark is asked for anything: these run
without PySpark (the Spark engine itself is tested in tests/spark)."""

from __future__ import annotations

from pathlib import Path

import pytest

import policyrules
from policyrules.cli import main
from policyrules.diagnostics.messages import msg, t
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


def test_the_standard_input_with_inputs_spark_reads_is_an_error_before_spark_starts(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import policyrules.engine.spark.session as session

    def no_spark() -> None:
        raise AssertionError("Spark was asked for before the inputs were checked")

    monkeypatch.setattr(session, "unavailable", no_spark)
    args = ["check", "policies/binhai-2021.pol", "--events", "-", "--events",
            "s3a://bucket/events.parquet", "--as-of", "2021-12-31", "--engine", "spark"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "the standard input (`-`) cannot be read with inputs Spark reads" in err
    assert "`s3a://bucket/events.parquet`" in err
    assert "Traceback" not in err


def test_the_standard_input_with_inputs_spark_reads_in_chinese(
    capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--lang", "zh", "check", "policies/binhai-2021.pol", "--events", "-", "--events",
            "gs://b/events.jsonl", "--as-of", "2021-12-31", "--engine", "spark"]
    assert main(args) == 2
    assert "标准输入（`-`）不能与由 Spark 读取的输入（`gs://b/events.jsonl`）一同读取" in (
        capsys.readouterr().err)


def test_what_spark_reads_and_what_this_process_reads(tmp_path: Path) -> None:
    from policyrules.engine.spark.inputs import has_scheme, read_by_spark, spark_reads, unreadable

    (tmp_path / "parts").mkdir()
    (tmp_path / "parts" / "part-0.jsonl").write_text("")
    assert not spark_reads("examples/binhai-2021/events.jsonl")
    assert not spark_reads(r"C:\data\events.csv")
    assert not spark_reads("-")
    assert not spark_reads(str(tmp_path / "absent*.jsonl"))  # a glob of nothing: a missing file
    for path in ("file:///tmp/events.parquet", "s3a://b/e.parquet", "hdfs:///d/e.jsonl",
                 str(tmp_path / "parts"), str(tmp_path / "parts" / "*.jsonl")):
        assert spark_reads(path), path
    assert has_scheme("file:/tmp/x") and not has_scheme("/tmp/x")
    assert not read_by_spark(["a.jsonl", "b.csv"])
    assert read_by_spark(["a.jsonl", "hdfs:///b.csv"])
    assert unreadable(["-", "a.jsonl"]) is None
    assert unreadable(["-", "hdfs:///b.csv"]) is not None


def test_executors_without_policyrules_are_told_how_to_get_it() -> None:
    from policyrules.engine.spark.ingest import executor_error

    missing = RuntimeError("PythonException: ModuleNotFoundError: No module named 'policyrules'")
    found = executor_error(missing)
    assert found is not None and "--py-files" in str(found)
    assert "无法导入 policyrules" in t("zh", found.message)
    assert executor_error(RuntimeError("something else")) is None


def test_spark_running_out_of_heap_says_how_to_give_it_more(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A Java heap exhausted (py4j's error) is an error naming spark.driver.memory, not an
    internal error; the run itself is stood in for (no JVM in this test)."""
    from policyrules.cli import check as check_command

    class Py4JJavaError(Exception):  # py4j's class, by its name
        pass

    def out_of_heap(*_: object, **__: object) -> object:
        raise Py4JJavaError("An error occurred: java.lang.OutOfMemoryError: Java heap space")

    monkeypatch.setattr(check_command, "run_columnar", out_of_heap)
    code = main(["check", "policies/puer-2020.pol", "--events",
                 "examples/puer-2020/events.jsonl", "--format", "json", "-o", "/dev/null"])
    error = capsys.readouterr().err
    assert code == 2
    assert "Spark ran out of memory" in error and "spark.driver.memory" in error
    assert "internal error" not in error and "Traceback" not in error


def test_json_escapes_of_control_characters_are_written_in_small_letters() -> None:
    """Spark's JSON writer escapes a control character as `\\u001B`, Python as `\\u001b`
    (found by the Spark group's generated units): the Spark report says it as Python does,
    and leaves a text that only looks like an escape (`\\\\u001B`) alone."""
    import json

    from policyrules.report.spark import _ESCAPE

    for value in ["\x1b", "a\x1f\x0bz", "\\u001B", "\\\x1e", "\\\\\x1c", "plain"]:
        python = json.dumps(value)
        jackson = python
        for code in ("001b", "001f", "000b", "001e", "001c"):
            jackson = jackson.replace("\\u" + code, "\\u" + code.upper().replace("U", "u"))
        assert _ESCAPE.sub(lambda m: m.group(1) + m.group(2).lower(), jackson) == python
