"""Hostile policies that pass the parser and the checker and then crash `check` in code the
syntax side does not own (the evaluator and the calendar): pinned here as strict expected
failures for the engine's owner. Each must become a located lint error, an `indeterminate`
result or a plain result — never `internal error` — and then loses its `xfail`.

Found while bounding literals and durations for issue #15 (syntax side)."""

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
    # the reference engine: the specification (the columnar engine refuses some of these
    # with a plain error before evaluating; both must end as results)
    status = main(["check", str(path), "--events", str(events), "--as-of", as_of,
                   "--engine", "python"])
    return status


def assert_no_internal_error(status: int, capsys: pytest.CaptureFixture[str]) -> None:
    err = capsys.readouterr().err
    assert "internal error" not in err, err
    assert status in (0, 1, 2)


@pytest.mark.xfail(strict=True, reason="evaluator: `_numbers` converts an exact product of 21"
                   " 15-digit factors (10^315) to float and raises OverflowError; the"
                   " requirement's numbers should stay exact (int/Decimal) or the arithmetic"
                   " give no value on overflow")
def test_a_product_of_many_large_factors(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    product = " * ".join(["999999999999999"] * 21)
    policy = ('policy p "P" {\n  effective 2021-01-01 .. 2021-12-31\n'
              '  obligation o "O" {\n    every month\n'
              f"    require count(activity) >= {product}\n  }}\n}}\n")
    status = run_check(tmp_path, policy, "2021-03-01", "2021-06-01")
    assert_no_internal_error(status, capsys)


@pytest.mark.xfail(strict=True, reason="evaluator/rules: a deadline past 9999-12-31 (a"
                   " 100-year `due … after trigger` of an event in 9999) overflows the date"
                   " type; it should be `indeterminate` or bounded by the calendar's range")
def test_a_deadline_after_the_last_date(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    policy = ('policy p "P" {\n  effective 2021-01-01 ..\n  obligation o "O" {\n'
              "    for each activity\n    due 36525 days after trigger\n"
              "    require exists(report)\n  }\n}\n")
    status = run_check(tmp_path, policy, "9999-06-01", "9999-12-30")
    assert_no_internal_error(status, capsys)


@pytest.mark.xfail(strict=True, reason="rules: `due 36525 days after period end` of a window"
                   " in 9990 overflows the date type; lint should bound a policy's calendar"
                   " work by its window and the calendar's range")
def test_a_period_deadline_after_the_last_date(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    policy = ('policy p "P" {\n  effective 9990-01-01 ..\n  obligation o "O" {\n'
              "    every year\n    due 36525 days after period end\n"
              "    require count(activity) >= 1\n  }\n}\n")
    status = run_check(tmp_path, policy, "9990-06-01", "9999-12-30")
    assert_no_internal_error(status, capsys)


@pytest.mark.xfail(strict=True, reason="checker: `check_window_can_hold` → `_partial_edges`"
                   " steps a day past a window that ends 9999-12-31 and raises OverflowError"
                   " out of policyrules.parse (found by tests/test_fuzz.py with"
                   " POLICYRULES_FUZZ_RANDOM=1 and by the atheris harness)")
def test_a_window_that_ends_on_the_last_date() -> None:
    with contextlib.suppress(policyrules.PolicyError):
        policyrules.parse(_HEAD + 'policy p "P" {\n  effective 2021-01-01 .. 9999-12-31\n'
                          '  obligation o "O" {\n    every month\n'
                          "    require count(activity) >= 1\n  }\n}\n", "t.pol")


@pytest.mark.xfail(strict=True, reason="calendar: a solar term outside 1901–2100 (a window"
                   " in 1890) crashes `check` instead of giving `indeterminate`")
def test_a_solar_term_outside_the_tables(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    policy = ('policy p "P" {\n  effective 1890-01-01 .. 1890-12-31\n  obligation o "O" {\n'
              "    each term 清明\n    require count(activity) >= 1\n  }\n}\n")
    status = run_check(tmp_path, policy, "1890-04-05", "1890-12-31")
    assert_no_internal_error(status, capsys)
