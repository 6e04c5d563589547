"""The shipped examples, checked as a user would: `policyrules check` in a subprocess, for
every notice, matches its golden report (statuses, numbers, evidence), and the other
commands run on the same data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = {
    "yuzhong-2019": "2020-01-15",
    "xindu-2017": "2018-01-10",
    "huizhou-2017": "2017-09-05",
    "puer-2020": "2021-12-31",
    "binhai-2021": "2021-12-31",
}


def policyrules(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LANG": "C.UTF-8", "NO_COLOR": "1"}
    env.pop("LC_ALL", None)
    return subprocess.run(
        [sys.executable, "-m", "policyrules", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


def inputs(name: str) -> list[str]:
    return [
        "--events",
        f"examples/{name}/events.jsonl",
        "--units",
        f"examples/{name}/units.jsonl",
        "--as-of",
        EXAMPLES[name],
    ]


def key(result: dict[str, Any]) -> tuple[Any, ...]:
    return (result["unit"], result["person"], result["obligation"], result["period"]["label"])


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_check_matches_the_golden_report(name: str) -> None:
    run = policyrules("check", f"policies/{name}.pol", *inputs(name), "--format", "json")
    assert "Traceback" not in run.stderr
    report = json.loads(run.stdout)
    golden = json.loads((ROOT / "examples" / name / "report.json").read_text(encoding="utf-8"))
    assert report["summary"] == golden["summary"]
    assert report["rejected"] == golden["rejected"] == []

    def fields(r: dict[str, Any]) -> tuple[Any, ...]:
        return (r["status"], r["required"], r["actual"], r["evidence"], r["due"], r["refs"])

    assert {key(r): fields(r) for r in report["results"]} == {
        key(r): fields(r) for r in golden["results"]
    }
    # exit status: 1 when a must obligation is overdue, 0 otherwise
    assert run.returncode == (1 if golden["summary"]["must_overdue"] else 0)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_the_other_commands_run_on_the_example(name: str, tmp_path: Path) -> None:
    golden = json.loads((ROOT / "examples" / name / "report.json").read_text(encoding="utf-8"))
    first = golden["results"][0]
    explain = policyrules(
        "explain",
        f"policies/{name}.pol",
        first["obligation"],
        "--unit",
        first["unit"],
        *inputs(name),
    )
    assert explain.returncode == 0, explain.stderr
    assert first["period"]["label"] in explain.stdout
    table = policyrules(
        "--lang", "zh", "check", f"policies/{name}.pol", *inputs(name), "--status", "overdue"
    )
    assert table.returncode in (0, 1) and "Traceback" not in table.stderr
    assert "条结果" in table.stderr
    lint = policyrules("lint", f"policies/{name}.pol")
    assert lint.returncode == 0 and "0 errors, 0 warnings" in lint.stdout
    year = EXAMPLES[name][:4]
    calendar = policyrules("calendar", f"policies/{name}.pol", "--year", year, "--format", "json")
    assert calendar.returncode == 0 and json.loads(calendar.stdout)["year"] == int(year)
    schema = policyrules("schema", f"policies/{name}.pol")
    assert schema.returncode == 0 and "$defs" in json.loads(schema.stdout)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_the_generator_reproduces_the_example(name: str, tmp_path: Path) -> None:
    """Each example's data is made by its script, byte for byte (seeded, stdlib only)."""
    import shutil

    folder = ROOT / "examples" / name
    shutil.copy(folder / "generate.py", tmp_path)
    subprocess.run([sys.executable, str(tmp_path / "generate.py")], check=True, cwd=tmp_path,
                   capture_output=True)
    for data in ("units.jsonl", "events.jsonl"):
        assert (tmp_path / data).read_bytes() == (folder / data).read_bytes(), data
