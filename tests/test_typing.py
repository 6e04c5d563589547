"""An embedder's type checker sees the public API typed: `py.typed` is shipped, and a small
program using `policyrules` passes `mypy --strict` with the types it should reveal."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import policyrules

ROOT = Path(__file__).resolve().parent.parent

EMBEDDING = '''\
import datetime as dt

import policyrules

policy = policyrules.load("policies/binhai-2021.pol")
compiled = policyrules.compile_policy(policy)
rows = [{"id": "a1", "unit": "新河街", "kind": "activity", "at": "2021-01-09T09:00", "hours": 2}]
report = policyrules.evaluate(policy, rows, as_of=dt.date(2021, 3, 31))
late: list[policyrules.Result] = report.filter(status=["overdue", "at_risk"])
events = policyrules.read_events(policy, rows)
evaluation = policyrules.Evaluation(compiled, events.events, None,
                                    dt.datetime(2021, 3, 31, tzinfo=compiled.zone))
try:
    policyrules.parse("policy", "draft.pol")
except policyrules.PolicyError as error:
    first: policyrules.Diagnostic = error.diagnostics[0]
try:
    report.filter(unit="nobody")
except policyrules.FilterError as error:
    close: str | None = error.close
reveal_type(policy)
reveal_type(report)
reveal_type(report.summary.must_overdue)
reveal_type(evaluation.results())
reveal_type(late[0].due)
'''


def test_py_typed_is_in_the_package() -> None:
    assert (Path(policyrules.__file__).parent / "py.typed").is_file()


def test_the_public_api_is_exported() -> None:
    for name in ("load", "parse", "evaluate", "Report", "Result", "Evaluation",
                 "compile_policy", "PolicyError", "PolicySyntaxError", "PolicyLoadError",
                 "PolicyCheckError", "InputError", "FilterError", "read_events", "read_units"):
        assert name in policyrules.__all__ and hasattr(policyrules, name), name
    assert issubclass(policyrules.InputError, ValueError)
    assert issubclass(policyrules.FilterError, ValueError)


def test_an_embedding_program_passes_mypy_strict(tmp_path: Path) -> None:
    pytest.importorskip("mypy", reason="mypy is in the `dev` extra")
    script = tmp_path / "embed.py"
    script.write_text(EMBEDDING, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir",
         str(tmp_path / "cache"), "--python-version", "3.11", str(script)],
        capture_output=True, text=True, cwd=tmp_path, timeout=600)
    revealed = [line.split("Revealed type is ", 1)[1] for line in run.stdout.splitlines()
                if "Revealed type is" in line]
    assert revealed == [
        '"policyrules.semantics.model.CheckedPolicy"',
        '"policyrules.report.model.Report"',
        '"int"',
        '"list[policyrules.report.model.Result]"',
        '"datetime.datetime | None"',
    ], run.stdout
    assert "error" not in run.stdout.replace("PolicyError", "").replace("FilterError", ""), (
        run.stdout)
