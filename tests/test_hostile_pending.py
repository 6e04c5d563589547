"""Hostile policies that pass the parser and the checker and used to crash `check` in the
evaluator and the calendar (issue #15): each now ends as an `indeterminate` result or a
plain result — never `internal error` — and both engines give the same report."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

import policyrules
from policyrules.cli import main

_HEAD = "event activity { hours: number }\nevent report { }\n"


def run_check(tmp_path: Path, policy: str, event_at: str, as_of: str) -> int:
    path = tmp_path / "p.pol"
    path.write_text(_HEAD + policy, encoding="utf-8")
    events = tmp_path / "events.jsonl"
    events.write_text(
        '{"id": "a1", "unit": "u1", "kind": "activity", "at": "' + event_at + '", "hours": 1}\n',
        encoding="utf-8",
    )
    assert main(["lint", str(path)]) == 0  # the checker lets it through
    # both engines end with results, and the same ones
    statuses = []
    outputs = []
    for engine in ("python", "duckdb"):
        out = tmp_path / f"{engine}.json"
        statuses.append(main(["check", str(path), "--events", str(events), "--as-of", as_of,
                              "--engine", engine, "--format", "json", "-o", str(out)]))
        outputs.append(out.read_text(encoding="utf-8") if out.exists() else None)
    assert outputs[0] is not None and outputs[0] == outputs[1]
    assert statuses[0] == statuses[1]
    return statuses[0]


def assert_no_internal_error(status: int, capsys: pytest.CaptureFixture[str]) -> None:
    err = capsys.readouterr().err
    assert "internal error" not in err, err
    assert status in (0, 1, 2)


def test_a_product_of_many_large_factors(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    product = " * ".join(["999999999999999"] * 21)
    policy = ('policy p "P" {\n  effective 2021-01-01 .. 2021-12-31\n'
              '  obligation o "O" {\n    every month\n'
              f"    require count(activity) >= {product}\n  }}\n}}\n")
    status = run_check(tmp_path, policy, "2021-03-01", "2021-06-01")
    assert_no_internal_error(status, capsys)


def test_a_deadline_after_the_last_date(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    policy = ('policy p "P" {\n  effective 2021-01-01 ..\n  obligation o "O" {\n'
              "    for each activity\n    due 36525 days after trigger\n"
              "    require exists(report)\n  }\n}\n")
    status = run_check(tmp_path, policy, "9999-06-01", "9999-12-30")
    assert_no_internal_error(status, capsys)


def test_a_period_deadline_after_the_last_date(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    policy = ('policy p "P" {\n  effective 9990-01-01 ..\n  obligation o "O" {\n'
              "    every year\n    due 36525 days after period end\n"
              "    require count(activity) >= 1\n  }\n}\n")
    status = run_check(tmp_path, policy, "9990-06-01", "9999-12-30")
    assert_no_internal_error(status, capsys)


def test_a_window_that_ends_on_the_last_date() -> None:
    with contextlib.suppress(policyrules.PolicyError):
        policyrules.parse(_HEAD + 'policy p "P" {\n  effective 2021-01-01 .. 9999-12-31\n'
                          '  obligation o "O" {\n    every month\n'
                          "    require count(activity) >= 1\n  }\n}\n", "t.pol")


def test_a_solar_term_outside_the_tables(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    policy = ('policy p "P" {\n  effective 1890-01-01 .. 1890-12-31\n  obligation o "O" {\n'
              "    each term 清明\n    require count(activity) >= 1\n  }\n}\n")
    status = run_check(tmp_path, policy, "1890-04-05", "1890-12-31")
    assert_no_internal_error(status, capsys)


def test_an_as_of_on_the_last_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    policy = ('policy p "P" {\n  effective 9999-01-01 .. 9999-12-31\n  obligation o "O" {\n'
              "    every month\n    require count(activity) >= 1\n  }\n}\n")
    status = run_check(tmp_path, policy, "9999-06-01", "9999-12-31")
    assert_no_internal_error(status, capsys)


@pytest.mark.parametrize("year", ["0", "10000", "-5"])
def test_a_calendar_year_outside_the_dates(year: str, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "p.pol"
    path.write_text(_HEAD + 'policy p "P" {\n  effective 2021-01-01 .. 2021-12-31\n'
                    '  obligation o "O" {\n    every month\n'
                    "    require count(activity) >= 1\n  }\n}\n", encoding="utf-8")
    assert main(["calendar", str(path), "--year", year]) == 2
    err = capsys.readouterr().err
    assert "internal error" not in err
    assert f"`--year {year}`: a year is 1 to 9999" in err
