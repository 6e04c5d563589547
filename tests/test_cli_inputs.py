"""The command line accounts for every input and names every mistake (issue #14): several
event files, the standard input, gzip, JSON arrays, kinds no obligation reads, units counted
apart from their rows, `--strict`; filters that match nothing are errors with the closest
name; `-o` for every format; the exit status of each command as docs/cli.md gives it."""

from __future__ import annotations

import gzip
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from policyrules.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
TOUR_POLICY = re.findall(r"```pol\n(.*?)```", README, re.S)[0]
TOUR_EVENTS = re.findall(r"```json\n(.*?)```", README, re.S)[0].splitlines(keepends=True)
YUZHONG = str(ROOT / "policies" / "yuzhong-2019.pol")
XINDU = ["check", str(ROOT / "policies" / "xindu-2017.pol"), "--events",
         str(ROOT / "examples" / "xindu-2017" / "events.jsonl"), "--units",
         str(ROOT / "examples" / "xindu-2017" / "units.jsonl"), "--as-of", "2018-01-10"]


@pytest.fixture
def tour(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The README's tour: bh10.pol and its three activities, in the working directory."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bh10.pol").write_text(TOUR_POLICY, encoding="utf-8")
    (tmp_path / "bh10.jsonl").write_text("".join(TOUR_EVENTS), encoding="utf-8")
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out = capsys.readouterr()
    return status, out.out, out.err


def statuses(text: str) -> dict[str, str]:
    return {r["period"]["label"]: r["status"] for r in json.loads(text)["results"]}


CHECK = ["check", "bh10.pol", "--as-of", "2021-03-31", "--format", "json"]


# ----------------------------------------------------------------------------- inputs


def test_every_events_file_is_read_in_order(
    tour: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("jan.jsonl").write_text(TOUR_EVENTS[0], encoding="utf-8")
    Path("rest.jsonl").write_text("".join(TOUR_EVENTS[1:]), encoding="utf-8")
    _, whole, _ = run(capsys, *CHECK, "--events", "bh10.jsonl")
    status, split, _ = run(capsys, *CHECK, "--events", "jan.jsonl", "--events", "rest.jsonl")
    assert status == 1
    assert statuses(split) == statuses(whole) == {
        "2021-01": "met", "2021-02": "overdue", "2021-03": "at_risk"}  # not the last one only
    assert [(i["source"], i["rows"]) for i in json.loads(split)["inputs"]] == [
        ("jan.jsonl", 1), ("rest.jsonl", 2)]
    # one id space: the same event in two files is the second file's rejection
    _, out, err = run(capsys, *CHECK, "--events", "bh10.jsonl", "--events", "jan.jsonl")
    assert "jan.jsonl:1: rejected event (id `a1`): duplicate event id `a1` (the first is" \
           " bh10.jsonl:1)" in err
    assert json.loads(out)["summary"]["events_rejected"] == 1
    assert run(capsys, *CHECK, "--events", "bh10.jsonl", "--events", "jan.jsonl",
               "--strict")[0] == 2


def test_standard_input_gzip_and_json_arrays(
    tour: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, whole, _ = run(capsys, *CHECK, "--events", "bh10.jsonl")

    class Stdin:
        buffer = io.BufferedReader(io.BytesIO("".join(TOUR_EVENTS).encode()))

    monkeypatch.setattr("sys.stdin", Stdin())
    _, piped, _ = run(capsys, *CHECK, "--events", "-")
    assert statuses(piped) == statuses(whole)
    assert json.loads(piped)["inputs"][0]["source"] == "<stdin>"
    assert run(capsys, *CHECK, "--events", "-", "--units", "-")[0] == 2  # read once only
    with gzip.open("bh10.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.write("".join(TOUR_EVENTS))
    assert statuses(run(capsys, *CHECK, "--events", "bh10.jsonl.gz")[1]) == statuses(whole)
    rows = [json.loads(line) for line in TOUR_EVENTS]
    Path("bh10.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1), "utf-8")
    assert statuses(run(capsys, *CHECK, "--events", "bh10.json")[1]) == statuses(whole)
    Path("broken.json").write_text(json.dumps(rows)[:-30], "utf-8")
    status, out, err = run(capsys, *CHECK, "--events", "broken.json")
    assert status == 2 and out == ""
    assert "broken.json:1:" in err and "a JSON array is read only whole" in err
    Path("events.txt").write_text("".join(TOUR_EVENTS), "utf-8")
    assert run(capsys, *CHECK, "--events", "events.txt")[0] == 2  # unknown format
    assert statuses(run(capsys, *CHECK, "--events", "events.txt", "--events-format",
                        "jsonl")[1]) == statuses(whole)


def test_a_csv_without_a_header_is_refused(tour: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("bh10.csv").write_text("a1,新河街,activity,2021-01-09T09:00,2\n", "utf-8")
    status, out, err = run(capsys, *CHECK, "--events", "bh10.csv")
    assert status == 2 and out == ""
    assert "bh10.csv: the first row is not a header" in err


def test_kinds_no_obligation_reads_are_named(
    tour: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("typo.jsonl").write_text(
        "".join(TOUR_EVENTS)
        + "".join(json.dumps({"id": f"t{i}", "unit": "新河街", "kind": "activty",
                              "at": "2021-03-13T09:00", "hours": 2}) + "\n" for i in range(3)),
        "utf-8")
    status, out, err = run(capsys, *CHECK, "--events", "typo.jsonl")
    assert status == 1
    assert ("policyrules: note: kinds no obligation reads: `activty` (3 rows, not declared;"
            " did you mean `activity`?)") in err
    summary = json.loads(out)["summary"]
    assert summary["kinds_unread"] == summary["kinds_undeclared"] == {"activty": 3}
    status, _, err = run(capsys, *CHECK, "--events", "typo.jsonl", "--strict")
    assert status == 2
    assert "--strict: events of kinds the policy does not declare: `activty`" in err


def test_the_units_summary_counts_rows_and_units(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, *XINDU[:-2], "--as-of", "2018-01-10", "--status", "late")
    assert status == 1
    assert "units: 31 rows, 31 accepted, 0 rejected; 30 units" in err


# ----------------------------------------------------------------------------- mistakes


def test_a_unit_or_obligation_that_matches_nothing_is_an_error(
    tour: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["--events", "bh10.jsonl", "--as-of", "2021-03-31"]
    for argv in (["check", "bh10.pol", *base, "--unit", "新河"],
                 ["explain", "bh10.pol", "学雷锋志愿服务日", *base, "--unit", "新河"]):
        status, out, err = run(capsys, *argv)
        assert (status, out) == (2, ""), err
        assert "error: no unit `新河`; did you mean `新河街`?" in err
    status, out, err = run(capsys, "check", "bh10.pol", *base, "--obligation", "学雷锋")
    assert (status, out) == (2, "")
    assert "error: no obligation `学雷锋`; did you mean `学雷锋志愿服务日`?" in err
    status, out, err = run(capsys, "explain", "bh10.pol", "学雷锋", *base, "--unit", "新河街")
    assert (status, out) == (2, "") and "did you mean `学雷锋志愿服务日`?" in err
    status, out, err = run(capsys, "--lang", "zh", "check", "bh10.pol", *base, "--unit", "新河")
    assert status == 2 and "错误: 没有单位 `新河`；是否想写 `新河街`？" in err
    Path("units.jsonl").write_text('{"unit": "新河街"}\n{"unit": "新港街"}\n', "utf-8")
    status, out, err = run(capsys, "calendar", "bh10.pol", "--year", "2021", "--unit", "新河",
                           "--units", "units.jsonl")
    assert (status, out) == (2, "")
    assert "unit `新河` is not known in units.jsonl; did you mean `新河街`?" in err
    status, out, err = run(capsys, "calendar", "bh10.pol", "--year", "2021", "--obligation",
                           "学雷锋")
    assert (status, out) == (2, "") and "did you mean `学雷锋志愿服务日`?" in err


def test_a_known_unit_without_results_is_no_error(
    tour: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("units.jsonl").write_text('{"unit": "新河街"}\n{"unit": "新港街"}\n', "utf-8")
    status, out, _ = run(capsys, *CHECK, "--events", "bh10.jsonl", "--units", "units.jsonl",
                         "--unit", "新港街", "--status", "met")
    assert status == 1 and json.loads(out)["results"] == []


def test_filters_combine_and_not_met_is_all_but_met(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, out, _ = run(capsys, *XINDU, "--format", "json")
    every = json.loads(out)["results"]

    def shown(*options: str) -> list[tuple[str, str, str]]:
        status, text, err = run(capsys, *XINDU, "--format", "json", *options)
        assert status == 1, err
        return [(r["unit"], r["obligation"], r["status"]) for r in json.loads(text)["results"]]

    def expected(keep: Any) -> list[tuple[str, str, str]]:
        return [(r["unit"], r["obligation"], r["status"]) for r in every if keep(r)]

    assert shown("--status", "overdue", "--status", "late") == expected(
        lambda r: r["status"] in ("overdue", "late"))
    assert shown("--status", "overdue,late") == shown("--status", "late", "--status", "overdue")
    assert shown("--status", "not-met") == expected(lambda r: r["status"] != "met")
    units = sorted({r["unit"] for r in every})[:2]
    obligations = sorted({r["obligation"] for r in every})[:2]
    assert shown("--unit", units[0], "--unit", units[1], "--obligation", obligations[0],
                 "--obligation", obligations[1]) == expected(
        lambda r: r["unit"] in units and r["obligation"] in obligations)
    assert run(capsys, *XINDU, "--status", "overdu")[0] == 2


@pytest.mark.parametrize("format", ["table", "json", "csv", "html"])
def test_output_goes_to_the_file_for_every_format(
    format: str, tour: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, "check", "bh10.pol", "--events", "bh10.jsonl", "--as-of",
                           "2021-03-31", "--format", format, "-o", f"report.{format}")
    assert status == 1 and out == ""
    assert f"wrote report.{format}" in err
    written = Path(f"report.{format}").read_text(encoding="utf-8")
    assert {"table": "学雷锋志愿服务日", "json": '"results"', "csv": "unit,person,obligation",
            "html": "<html"}[format] in written
    assert list(Path().glob(".report*")) == []  # no file left half-written
    status, _, err = run(capsys, "check", "bh10.pol", "--events", "bh10.jsonl", "-o",
                         "missing/report.json", "--format", format)
    assert status == 2 and "cannot write `missing/report.json`" in err


# ----------------------------------------------------------------------------- a failure midway


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_report_that_fails_midway_is_never_a_whole_document(
    tour: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, engine: str
) -> None:
    from policyrules.report import columnar, model

    def failing(results: Any) -> str:
        raise RuntimeError("disk on fire")

    def failing_chunks(self: Any, selection: Any = None, size: int = 0) -> Any:
        yield "    {"
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(model, "json_items", failing)
    monkeypatch.setattr(columnar.Output, "json_chunks", failing_chunks)
    status, out, err = run(capsys, *CHECK, "--events", "bh10.jsonl", "--jobs", "1",
                           "--engine", engine)
    assert status == 2
    assert "error: the report stopped part way, so what was written is not a whole document:" \
           " RuntimeError: disk on fire" in err
    with pytest.raises(json.JSONDecodeError):
        json.loads(out)
    status, out, err = run(capsys, *CHECK, "--events", "bh10.jsonl", "-o", "report.json",
                           "--engine", engine)
    assert status == 2 and not Path("report.json").exists()
    assert list(Path().glob(".report*")) == []


# ----------------------------------------------------------------------------- exit statuses


@pytest.fixture
def broken(tmp_path: Path) -> str:
    path = tmp_path / "broken.pol"
    path.write_text('policy p "x" {\n', encoding="utf-8")
    return str(path)


def test_exit_statuses_of_check(
    tour: Path, broken: str, capsys: pytest.CaptureFixture[str]
) -> None:
    events = ["--events", "bh10.jsonl"]
    assert main(["check", "bh10.pol", *events, "--as-of", "2021-01-31"]) == 0  # all met
    assert main(["check", "bh10.pol", *events, "--as-of", "2021-03-31"]) == 1  # overdue
    assert main(["check", broken, *events]) == 2  # the policy does not parse
    assert main(["check", "bh10.pol", "--events", "none.jsonl"]) == 2  # unreadable
    assert main(["check", "bh10.pol", *events, "--as-of", "2021-13-01"]) == 2
    Path("bad.jsonl").write_text("{not json\n", "utf-8")
    assert main(["check", "bh10.pol", *events, "--events", "bad.jsonl", "--as-of",
                 "2021-01-31"]) == 0
    assert main(["check", "bh10.pol", *events, "--events", "bad.jsonl", "--as-of",
                 "2021-01-31", "--strict"]) == 2  # a rejected row, with --strict
    assert "--strict: 1 row rejected" in capsys.readouterr().err


def test_exit_statuses_of_explain_calendar_and_schema(
    tour: Path, broken: str, capsys: pytest.CaptureFixture[str]
) -> None:
    explain = ["explain", "bh10.pol", "学雷锋志愿服务日", "--unit", "新河街", "--events",
               "bh10.jsonl", "--as-of", "2021-03-31"]
    assert main(explain) == 0  # whatever the statuses it explains
    assert main([*explain, "--unit", "新河街"]) == 0  # each unit in turn
    assert main(["explain", broken, "x", "--unit", "u", "--events", "bh10.jsonl"]) == 2
    assert main(["explain", "bh10.pol", "学雷锋志愿服务日", "--unit", "新河街", "--events",
                 "none.jsonl"]) == 2
    assert main(["calendar", "bh10.pol", "--year", "2021"]) == 0
    assert main(["calendar", "bh10.pol", "--year", "2021", "--obligation",
                 "学雷锋志愿服务日"]) == 0
    assert main(["calendar", broken, "--year", "2021"]) == 2
    assert main(["calendar", "bh10.pol", "--year", "2021", "--unit", "新河街"]) == 2  # no units
    assert main(["schema", "bh10.pol"]) == 0
    assert main(["schema", "bh10.pol", "--kind", "activity"]) == 0
    assert main(["schema", "bh10.pol", "--kind", "activty"]) == 2
    assert "did you mean `activity`?" in capsys.readouterr().err
    assert main(["schema", broken]) == 2
    assert main(["schema", "none.pol"]) == 2
