"""`policyrules test` for CI: `-k`, `-v`, `--format junit|json`, and the exit statuses
(0 all pass, 1 one fails, 2 a scenario is not valid or `-k` matches nothing)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest

from policyrules.cli import main

ROOT = Path(__file__).resolve().parent.parent
BAND = ROOT / "policies" / "tests" / "yuzhong-2019" / "band.test.json"


@pytest.fixture
def scenarios(tmp_path: Path) -> Path:
    """A passing scenario, a failing one and one that is not a scenario."""
    folder = tmp_path / "scenarios"
    folder.mkdir()
    policy = str(ROOT / "policies" / "yuzhong-2019.pol")
    good: dict[str, Any] = json.loads(BAND.read_text(encoding="utf-8"))
    good["policy"] = policy
    (folder / "good.test.json").write_text(json.dumps(good, ensure_ascii=False),
                                           encoding="utf-8")
    bad = dict(good, name="一中 expected met")
    bad["expect"] = [dict(good["expect"][0], status="met", why="on purpose")]
    (folder / "bad.test.json").write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    (folder / "broken.test.json").write_text('{"name": "broken"', encoding="utf-8")
    return folder


def test_k_selects_by_file_or_name(scenarios: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", str(scenarios), "-k", "GOOD"]) == 0
    out = capsys.readouterr().out
    assert "ok    " in out and "good.test.json" in out
    assert "bad.test.json" not in out and "broken" not in out
    assert "1 passed, 0 failed" in out
    # by the scenario's name, any case
    assert main(["test", str(scenarios), "-k", "EXPECTED MET"]) == 1
    out = capsys.readouterr().out
    assert "FAIL  " in out and "bad.test.json" in out and "good.test.json" not in out


def test_k_that_matches_nothing_is_an_error_with_a_suggestion(
    scenarios: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["test", str(scenarios), "-k", "godo"]) == 2
    err = capsys.readouterr().err
    assert "no scenario matches `-k godo`; did you mean `good`?" in err
    assert main(["test", "--lang", "zh", str(scenarios), "-k", "zzzz"]) == 2
    assert "没有与 `-k zzzz` 匹配的测试场景" in capsys.readouterr().err


def test_verbose_lists_every_expectation(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", str(BAND)]) == 0
    quiet = capsys.readouterr().out
    assert "参与人数 · 一中 · a1" not in quiet
    assert main(["test", "-v", str(BAND)]) == 0
    out = capsys.readouterr().out
    assert "  ok    参与人数 · 一中 · a1: overdue" in out
    assert "  ok    参与人数 · 二中 · b1: met" in out


def test_verbose_shows_the_diff_under_the_failed_expectation(
    scenarios: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["test", "-v", "-k", "bad", str(scenarios)]) == 1
    out = capsys.readouterr().out
    assert "  FAIL  参与人数 · 一中 · a1" in out
    assert "- expected: met" in out and "+ actual:   overdue" in out


def test_junit(scenarios: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", "--format", "junit", str(scenarios)]) == 2  # broken.test.json
    root = ET.fromstring(capsys.readouterr().out)
    assert root.tag == "testsuites"
    suites = {s.get("name", "").split(" — ")[0]: s for s in root}
    assert len(suites) == 3
    good = next(s for name, s in suites.items() if name.endswith("good.test.json"))
    assert good.get("tests") == "6" and good.get("failures") == "0"
    assert good[0].get("name") == "参与人数 · 一中 · a1"
    bad = next(s for name, s in suites.items() if name.endswith("bad.test.json"))
    [case] = list(bad)
    failure = case.find("failure")
    assert failure is not None and "expected: met" in (failure.text or "")
    broken = next(s for name, s in suites.items() if name.endswith("broken.test.json"))
    assert broken.get("errors") == "1"
    assert root.get("tests") == "8" and root.get("failures") == "1" and root.get("errors") == "1"


def test_json(scenarios: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", "--format", "json", "-k", "good", str(scenarios)]) == 0
    document = json.loads(capsys.readouterr().out)
    [scenario] = document["scenarios"]
    assert scenario["status"] == "passed"
    assert scenario["checks"][0] == {"obligation": "参与人数", "unit": "一中", "period": "a1",
                                     "person": None, "status": "overdue", "passed": True,
                                     "diff": None}
    assert document["summary"] == {"scenarios": 1, "passed": 1, "failed": 0, "errors": 0,
                                   "checks": 6, "checks_failed": 0}
    band = document["coverage"]["band_rows"]["yz_headcount"]
    assert band["total"] == 4 and band["used"] == [0, 1, 2, 3]
    assert main(["test", "--format", "json", str(scenarios)]) == 2
    document = json.loads(capsys.readouterr().out)
    verdicts = {Path(s["path"]).name: s["status"] for s in document["scenarios"]}
    assert verdicts == {"bad.test.json": "failed", "broken.test.json": "error",
                        "good.test.json": "passed"}
