"""`policyrules test`: the shipped scenarios pass; a wrong expectation fails with a diff; a
broken scenario file is an error; the coverage summary counts what was exercised."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from policyrules.cli import main

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "policies" / "tests"


def test_the_shipped_scenarios_pass(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", str(SCENARIOS)]) == 0
    out = capsys.readouterr().out
    assert " 0 failed" in out
    assert "band yz_headcount: 4 of 4 rows" in out


def test_a_wrong_expectation_fails_with_a_diff(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "tests"
    shutil.copytree(SCENARIOS / "yuzhong-2019", folder)
    scenario = json.loads((folder / "band.test.json").read_text(encoding="utf-8"))
    scenario["policy"] = str(ROOT / "policies" / "yuzhong-2019.pol")
    scenario["expect"][0]["status"] = "met"
    (folder / "band.test.json").write_text(json.dumps(scenario, ensure_ascii=False), "utf-8")
    (folder / "quarters.test.json").unlink()
    assert main(["test", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "FAIL" in out
    assert "  - expected: met, required 2, actual 1" in out
    assert "  + actual:   overdue, required 2, actual 1" in out
    assert "0 passed, 1 failed" in out


def test_a_broken_scenario_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "bad.test.json").write_text('{"name": "x", "expect": []}', encoding="utf-8")
    assert main(["test", str(tmp_path)]) == 2
    assert "not a scenario" in capsys.readouterr().out


def test_no_scenarios(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", str(tmp_path)]) == 2
    assert "no scenarios" in capsys.readouterr().err
