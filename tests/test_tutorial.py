"""The tutorial's policy, events and scenario do what the tutorial says they do."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from policyrules.cli import main

TUTORIAL = (Path(__file__).resolve().parent.parent / "docs" / "tutorial.md").read_text("utf-8")


def block(language: str, index: int) -> str:
    return re.findall(rf"```{language}\n(.*?)```", TUTORIAL, re.S)[index]


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    Path("tutorial.pol").write_text(block("pol", 1), encoding="utf-8")
    Path("events.jsonl").write_text(block("json", 0), encoding="utf-8")
    Path("units.jsonl").write_text('{"unit": "新河街", "type": "镇街"}\n', encoding="utf-8")
    return tmp_path


def test_the_verdicts_are_as_the_tutorial_reads_them(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["check", "tutorial.pol", "--events", "events.jsonl", "--units", "units.jsonl",
            "--as-of", "2021-04-12", "--format", "json"]
    assert main(args) == 1  # January and February are overdue
    report = json.loads(capsys.readouterr().out)
    statuses = {r["period"]["label"]: r["status"] for r in report["results"]}
    assert statuses == {"2021-01": "overdue", "2021-02": "overdue", "2021-03": "met",
                        "2021-04": "at_risk"}


def test_explain_gives_the_reasons_the_tutorial_quotes(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["explain", "tutorial.pol", "学雷锋志愿服务日", "--unit", "新河街", "--events",
            "events.jsonl", "--units", "units.jsonl", "--as-of", "2021-04-12"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "✗ a2 activity 2021-04-10 09:00: `hours` is 1.2, needs >= 1.5" in out
    assert "✗ a3 activity 2021-04-11 09:00: not on a qualifying day (2021-04-10)" in out


def test_the_scenario_passes(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("tests").mkdir()
    Path("tests/bh10.test.json").write_text(block("json", 1), encoding="utf-8")
    assert main(["test", "tests"]) == 0, capsys.readouterr().out
