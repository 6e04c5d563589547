"""Evaluating units in several processes gives the results of one process, in its order.

The shipped examples are copied until there are enough units to share among processes
(every copy renames its units, their parents and the units events count for, so areas and
joint events stay inside a copy).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

import policyrules
from policyrules.cli import main
from policyrules.data.events import read_events, read_units
from policyrules.evaluation import CHUNK as _CHUNK
from policyrules.evaluation import Evaluation
from policyrules.evaluation import as_of_moment as _as_of
from policyrules.evaluation import can_fork as _can_fork
from policyrules.rules.compiler import compile_policy

ROOT = Path(__file__).resolve().parent.parent
AS_OF = {"xindu-2017": "2017-12-31", "binhai-2021": "2021-12-31", "yuzhong-2019": "2019-12-31"}

pytestmark = pytest.mark.skipif(not _can_fork(), reason="the platform cannot fork processes")


def _read(path: Path) -> list[dict[str, Any]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _copies(name: str, count: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    units = _read(ROOT / "examples" / name / "units.jsonl")
    events = _read(ROOT / "examples" / name / "events.jsonl")
    ids = {u["unit"] for u in units}

    def renamed(value: Any, copy: int) -> Any:
        if isinstance(value, str) and value in ids:
            return f"{value}~{copy}"
        if isinstance(value, list):
            return [renamed(v, copy) for v in value]
        return value

    all_units, all_events = [], []
    for copy in range(count):
        all_units += [{k: renamed(v, copy) for k, v in u.items()} for u in units]
        all_events += [
            {k: renamed(v, copy) for k, v in e.items()} | {"id": f"{e['id']}~{copy}"}
            for e in events
        ]
    return all_units, all_events


def _write_copies(folder: Path, name: str, count: int) -> tuple[Path, Path]:
    """:func:`_copies` written as JSON Lines files: (units, events)."""
    units_rows, event_rows = _copies(name, count)
    units, events = folder / "units.jsonl", folder / "events.jsonl"
    for path, rows in ((units, units_rows), (events, event_rows)):
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                        encoding="utf-8")
    return units, events


@pytest.mark.parametrize("name", sorted(AS_OF))
def test_processes_give_the_results_of_one(name: str) -> None:
    policy = policyrules.load(ROOT / "policies" / f"{name}.pol")
    units_rows, event_rows = _copies(name, 2 * _CHUNK // 20 + 1)
    units = read_units(policy, units_rows)
    events = read_events(policy, event_rows)
    assert not events.rejected and not units.rejected
    assert len(units.units) >= 2 * _CHUNK  # enough to be shared
    compiled = compile_policy(policy)
    as_of = _as_of(dt.date.fromisoformat(AS_OF[name]), compiled)

    alone = Evaluation(compiled, events.events, units, as_of)
    shared = Evaluation(compiled, events.events, units, as_of)
    seen: list[tuple[int, int]] = []
    expected = alone.results()
    got = shared.results(lambda done, total: seen.append((done, total)), jobs=2)
    assert got == expected
    assert [r.id for r in got] == [r.id for r in expected]
    assert shared.band_rows_used == alone.band_rows_used
    assert seen[-1] == (len(units.units), len(units.units))
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_check_with_jobs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    units, events = _write_copies(tmp_path, "binhai-2021", 2 * _CHUNK // 30 + 1)
    reports = []
    for jobs in ("1", "2"):
        status = main(["check", str(ROOT / "policies" / "binhai-2021.pol"), "--events",
                       str(events), "--units", str(units), "--as-of", "2021-12-31",
                       "--format", "json", "--jobs", jobs])
        assert status == 1
        reports.append(json.loads(capsys.readouterr().out))
    assert reports[0] == reports[1]
    assert reports[0]["summary"]["units_checked"] >= 2 * _CHUNK


def test_streamed_json_from_processes_to_a_file(tmp_path: Path) -> None:
    """Through a real, buffered stdout (forked processes inherit its buffer): by default
    json uses every core, and the file is the one a single process writes."""
    import subprocess
    import sys

    units, events = _write_copies(tmp_path, "binhai-2021", 2 * _CHUNK // 30 + 1)
    outputs = []
    for jobs in (["--jobs", "1"], ["--jobs", "2"], []):
        target = tmp_path / f"report{len(outputs)}.json"
        with target.open("w", encoding="utf-8") as handle:
            done = subprocess.run(
                [sys.executable, "-m", "policyrules", "check",
                 str(ROOT / "policies" / "binhai-2021.pol"), "--events", str(events),
                 "--units", str(units), "--as-of", "2021-12-31", "--format", "json", *jobs],
                stdout=handle, stderr=subprocess.PIPE, text=True, check=False,
            )
        assert done.returncode == 1, done.stderr
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]
    assert json.loads(outputs[0])["summary"]["units_checked"] >= 2 * _CHUNK
