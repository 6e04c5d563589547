"""The README's tour works as written: its policy checks clean, the error it shows for a
misspelt attribute is exactly what `policyrules lint` prints, and the verdict and the
explanation it shows are exactly what `check` and `explain` print on its events."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from policyrules.cli import main

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, re.S)


def test_tour_policy_lints_clean(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("bh10.pol").write_text(blocks("pol")[0], encoding="utf-8")
    assert main(["lint", "bh10.pol"]) == 0
    assert main(["fmt", "--check", "bh10.pol"]) == 0
    assert capsys.readouterr().err == ""


def test_tour_error_is_what_lint_prints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    broken = blocks("pol")[0].replace("hours >= 1.5", "hour >= 1.5")
    Path("bh10.pol").write_text(broken, encoding="utf-8")
    assert main(["lint", "--quiet", "bh10.pol"]) == 1
    shown = blocks("text")[0]
    assert capsys.readouterr().err.strip() == shown.strip()


def test_tour_verdict_and_explanation_are_what_the_commands_print(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("bh10.pol").write_text(blocks("pol")[0], encoding="utf-8")
    Path("bh10.jsonl").write_text(blocks("json")[0], encoding="utf-8")
    commands = re.findall(r"^`(policyrules (?:check|explain) bh10[^`]*)`$", README, re.M)
    assert [c.split()[1] for c in commands] == ["check", "explain"]
    _, verdict, explanation = blocks("text")[:3]
    assert main(commands[0].split()[1:]) == 1  # a must obligation is overdue
    assert capsys.readouterr().out == verdict
    assert main(commands[1].split()[1:]) == 0
    assert capsys.readouterr().out == explanation


def test_readme_commands_are_the_ones_ci_runs() -> None:
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    test_command = "pip install -e '.[test]' && python -m pytest"
    assert test_command in README
    assert test_command in ci
    # and before any extra is installed, so that a test needing one cannot hide there
    assert ci.index(test_command) < ci.index("-e '.[dev]'")


def test_ci_reruns_the_tests_that_skipped(tmp_path: Path) -> None:
    import subprocess
    import sys

    report = tmp_path / "junit.xml"
    report.write_text(
        '<testsuites><testsuite><testcase classname="tests.test_plots" name="test_heatmap"/>'
        '<testcase classname="tests.test_docs_python" name="test_runs[notebooks.md:70]">'
        '<skipped message="needs pandas"/></testcase></testsuite></testsuites>',
        encoding="utf-8")
    script = Path(__file__).resolve().parent.parent / ".ci" / "skipped.py"
    listed = subprocess.run([sys.executable, str(script), str(report)], capture_output=True,
                            text=True, check=True).stdout.split()
    assert listed == ["tests/test_docs_python.py::test_runs[notebooks.md:70]"]


@pytest.mark.slow
def test_a_newcomer_gets_a_report_with_the_readme_commands(tmp_path: Path) -> None:
    """Follow the README in a fresh virtual environment: install, then the main job."""
    import subprocess
    import venv

    root = Path(__file__).resolve().parent.parent
    commands = blocks("sh")[0].strip().splitlines()
    assert commands[0].startswith("python3 -m venv")
    env_dir = tmp_path / ".venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / "bin"
    install, _, main_job = commands[1].partition(" && ")
    assert install == "pip install -e ."
    subprocess.run([str(bin_dir / "pip"), "install", "--quiet", "-e", str(root)], check=True,
                   capture_output=True)
    words = main_job.split()
    assert words[0] == "policyrules"
    result = subprocess.run([str(bin_dir / "policyrules"), *words[1:]], cwd=root,
                            capture_output=True, text=True, env={"PATH": str(bin_dir),
                                                                 "LANG": "C.UTF-8"})
    assert result.returncode == 1, result.stderr  # some units missed a must obligation
    assert "overdue" in result.stdout and "met" in result.stdout
    assert "Traceback" not in result.stderr
