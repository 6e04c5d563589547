"""Broken policies produce their documented messages, exactly.

Each `tests/broken/NAME.pol` has a `NAME.expected`: what `policyrules lint NAME.pol` prints on
stderr, run from that folder. The tests pin the text, the caret and the hint; to change a
message on purpose, regenerate with `python tests/test_broken.py --regenerate` and review
the diff. Files starting with `_` are shared helpers, not cases.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from policyrules.cli import main

BROKEN = Path(__file__).parent / "broken"
CASES = sorted(p.stem for p in BROKEN.glob("[!_]*.pol"))


def run_lint(name: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = main(["lint", "--quiet", f"{name}.pol"])
    return status, capsys.readouterr().err


@pytest.mark.parametrize("name", CASES)
def test_broken_policy_message(
    name: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(BROKEN)
    status, stderr = run_lint(name, capsys)
    expected = (BROKEN / f"{name}.expected").read_text(encoding="utf-8")
    assert stderr == expected
    assert status == (1 if ": error: " in expected else 0)
    assert "Traceback" not in stderr


def test_every_case_has_an_expectation() -> None:
    missing = [n for n in CASES if not (BROKEN / f"{n}.expected").exists()]
    assert not missing


if __name__ == "__main__" and "--regenerate" in sys.argv:
    import contextlib
    import io
    import os

    os.chdir(BROKEN)
    for case in CASES:
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            main(["lint", "--quiet", f"{case}.pol"])
        Path(f"{case}.expected").write_text(err.getvalue(), encoding="utf-8")
        print(f"wrote {case}.expected")
