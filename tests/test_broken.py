"""Broken policies produce their documented messages, exactly.

Each `tests/broken/NAME.pol` has a `NAME.expected`: what `policyrules lint NAME.pol` prints on
stderr, run from that folder, and a `NAME.zh.expected`: the same in Chinese
(`--lang zh`). The tests pin the text, the caret and the hint; to change a
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


LANGUAGES = {"en": "expected", "zh": "zh.expected"}


def run_lint(name: str, capsys: pytest.CaptureFixture[str], lang: str) -> tuple[int, str]:
    status = main(["lint", "--quiet", "--lang", lang, f"{name}.pol"])
    return status, capsys.readouterr().err


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", CASES)
def test_broken_policy_message(
    name: str, lang: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(BROKEN)
    status, stderr = run_lint(name, capsys, lang)
    expected = (BROKEN / f"{name}.{LANGUAGES[lang]}").read_text(encoding="utf-8")
    assert stderr == expected
    error_mark = ": error: " if lang == "en" else ": 错误: "
    assert status == (1 if error_mark in expected else 0)
    assert "Traceback" not in stderr


def test_chinese_messages_keep_the_location_and_the_caret() -> None:
    for name in CASES:
        english = (BROKEN / f"{name}.expected").read_text(encoding="utf-8").splitlines()
        chinese = (BROKEN / f"{name}.zh.expected").read_text(encoding="utf-8").splitlines()
        assert len(english) == len(chinese), name
        for en, zh in zip(english, chinese, strict=True):
            if en.lstrip().startswith(("|", "^")) or (en[:1].isdigit() and " | " in en):
                assert en == zh, name  # the quoted line and the caret are the same
            elif ": error: " in en or ": warning: " in en:
                assert en.split(": ")[0] == zh.split(": ")[0], name
                assert en != zh, name


def test_every_case_has_an_expectation() -> None:
    missing = [f"{n}.{suffix}" for n in CASES for suffix in LANGUAGES.values()
               if not (BROKEN / f"{n}.{suffix}").exists()]
    assert not missing


if __name__ == "__main__" and "--regenerate" in sys.argv:
    import contextlib
    import io
    import os

    os.chdir(BROKEN)
    for case in CASES:
        for language, suffix in LANGUAGES.items():
            err = io.StringIO()
            with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
                main(["lint", "--quiet", "--lang", language, f"{case}.pol"])
            Path(f"{case}.{suffix}").write_text(err.getvalue(), encoding="utf-8")
            print(f"wrote {case}.{suffix}")
