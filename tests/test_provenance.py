"""Every report records what it was made from — versions, the working-day horizon, the
hashes of the policy's files and of the inputs with their rows — in JSON, in the CSV
footer and on the HTML page, so that a result can be traced and reproduced."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from importlib import metadata
from pathlib import Path

import pytest

import policyrules
from policyrules.calendar.workdays import WorkdayCalendar
from policyrules.cli import main
from policyrules.evaluation import evaluate

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "binhai-2021"
POLICY = ROOT / "policies" / "binhai-2021.pol"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check(capsys: pytest.CaptureFixture[str], *options: str) -> str:
    status = main(["check", str(POLICY), "--events", str(EXAMPLE / "events.jsonl"), "--units",
                   str(EXAMPLE / "units.jsonl"), "--as-of", "2021-07-12", *options])
    assert status in (0, 1)
    return capsys.readouterr().out


def test_json_records_versions_horizon_hashes_and_rows(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    schedule = tmp_path / "2027.json"
    schedule.write_text(json.dumps({"year": 2027, "days_off": [
        {"from": "2027-01-01", "to": "2027-01-03", "name": "元旦"}], "working_days": []}),
        encoding="utf-8")
    plain = json.loads(check(capsys, "--format", "json"))["provenance"]
    assert plain["policyrules"] == policyrules.__version__
    assert plain["holidays"] == metadata.version("holidays")
    assert plain["horizon"] == plain["builtin_horizon"] == WorkdayCalendar().builtin_horizon
    files = plain["policy_files"]
    assert files[0] == {"file": str(POLICY) if not POLICY.is_relative_to(Path.cwd())
                        else str(POLICY.relative_to(Path.cwd())), "sha256": sha256(POLICY)}
    assert {Path(f["file"]).name for f in files} >= {"vocabulary.pol", "festivals.pol"}
    events, units = plain["inputs"]
    assert events == {"role": "events", "path": str(EXAMPLE / "events.jsonl"),
                      "sha256": sha256(EXAMPLE / "events.jsonl"),
                      "bytes": (EXAMPLE / "events.jsonl").stat().st_size,
                      "rows": 1082, "accepted": 1082, "rejected": 0}
    assert units["rows"] == 35 and units["accepted"] == 35  # rows, not units (34)
    assert (plain["policy"], plain["issuer"]) == ("binhai_2021", "天津市滨海新区文明办")
    # a supplied schedule moves the horizon and is an input of its own
    supplied = json.loads(check(capsys, "--format", "json", "--holidays", str(schedule)))
    supplied_provenance = supplied["provenance"]
    if WorkdayCalendar().builtin_horizon == 2026:
        assert supplied_provenance["horizon"] == 2027
    assert supplied_provenance["inputs"][2] == {
        "role": "holidays", "path": str(schedule), "sha256": sha256(schedule),
        "bytes": schedule.stat().st_size, "rows": None, "accepted": None, "rejected": None}


def test_the_same_inputs_give_the_same_report(capsys: pytest.CaptureFixture[str]) -> None:
    assert check(capsys, "--format", "json") == check(capsys, "--format", "json")


def test_provenance_follows_the_results_in_the_document(
    capsys: pytest.CaptureFixture[str]
) -> None:
    keys = list(json.loads(check(capsys, "--format", "json")))
    assert keys == ["policy", "title", "as_of", "results", "rejected", "inputs", "summary",
                    "notes", "provenance"]


def test_the_csv_footer(capsys: pytest.CaptureFixture[str]) -> None:
    text = check(capsys, "--format", "csv")
    assert not text.startswith("\ufeff")  # English: no byte-order mark
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:14] == ["unit", "person", "obligation", "refs", "period", "start", "end",
                            "due", "status", "severity", "required", "actual", "evidence",
                            "reason"]
    assert rows[0][14:] == ["unit name", "in plain words"]
    blank = rows.index([])
    footer = rows[blank + 1:]
    assert footer[0] == ["# provenance"]
    assert all(row[0].startswith("# ") for row in footer)
    events = next(row for row in footer if row[0] == "# events file")
    assert events[1:3] == [str(EXAMPLE / "events.jsonl"), sha256(EXAMPLE / "events.jsonl")]
    assert events[3] == "1082 rows, 1082 accepted, 0 rejected"
    results = blank - 1
    pd = pytest.importorskip("pandas")
    frame = pd.read_csv(io.StringIO(text), comment="#")
    assert len(frame) == results  # readers that skip comments see only the results


def test_chinese_csv_has_a_bom_and_chinese_headings(
    capsys: pytest.CaptureFixture[str]
) -> None:
    text = check(capsys, "--format", "csv", "--lang", "zh")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0] == ["单位", "人员", "义务", "编号", "期间", "开始日期", "结束日期", "截止时间",
                       "状态", "要求程度", "要求数", "实际数", "依据事件", "原因", "单位名称",
                       "情况说明"]
    assert ["# 数据来源"] in rows
    events = next(row for row in rows if row[:1] == ["# 事件文件"])
    assert events[3] == "共1082行，有效1082行，未通过校验0行"


def test_python_data_has_counts_but_no_file() -> None:
    policy = policyrules.load(POLICY)
    report = evaluate(policy, [{"id": "a", "unit": "u", "kind": "activity",
                                "at": "2021-03-13T09:00", "hours": 2}, {"id": "a"}],
                      as_of=dt.date(2021, 3, 31))
    assert report.provenance is not None
    (events,) = report.provenance.inputs
    assert (events.path, events.sha256, events.rows, events.accepted, events.rejected) == (
        None, None, 2, 1, 1)
    from_files = evaluate(policy, EXAMPLE / "events.jsonl", EXAMPLE / "units.jsonl",
                          as_of=dt.date(2021, 3, 31))
    assert from_files.provenance is not None
    assert from_files.provenance.inputs[0].sha256 == sha256(EXAMPLE / "events.jsonl")


def test_the_shipped_policies_cite_their_notice_not_a_path() -> None:
    """Each notice policy's header names its notice as the notice does — issuer, title,
    document number (or says there is none) — and no file names a path of a machine."""
    import re

    for path in sorted((ROOT / "policies").rglob("*.pol")):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"(^|[\s(])/(work|home|Users|tmp)/", text), path
    for path in sorted((ROOT / "policies").glob("*.pol")):
        policy = policyrules.load(path)
        header = " ".join(line.removeprefix("# ") for line in
                          path.read_text(encoding="utf-8").splitlines()[:5]
                          if line.startswith("#"))
        header = header.replace("\n", "")
        assert header.startswith(f"Source: {policy.issuer}《"), path
        title = policy.title.replace("《", "〈").replace("》", "〉")
        assert title in header.replace(" ", ""), path
        assert (policy.document or "no document number") in header, path
