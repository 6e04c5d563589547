"""The words of the report: every one the page's script uses is in its table, and the
report's Chinese catalogue says nothing the other catalogues say differently."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from policyrules.diagnostics.messages import ZH
from policyrules.report.page import WORDS, words

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "policyrules"


def _literal_dict(path: Path, name: str) -> dict[str, str]:
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        target = node.target if isinstance(node, ast.AnnAssign) else None
        if isinstance(target, ast.Name) and target.id == name and node.value is not None:
            value: dict[str, str] = ast.literal_eval(node.value)
            return value
    raise AssertionError(f"no {name} in {path}")


def test_the_catalogues_agree() -> None:
    """A template is translated once: the report's catalogue neither repeats nor overrides
    an entry of the diagnostics' or the command line's."""
    report = _literal_dict(PACKAGE / "diagnostics" / "zh_report.py", "REPORT")
    others = {**_literal_dict(PACKAGE / "diagnostics" / "messages.py", "ZH"),
              **_literal_dict(PACKAGE / "diagnostics" / "zh.py", "DIAGNOSTICS")}
    assert not sorted(set(report) & set(others))
    assert all(ZH[key] == value for key, value in report.items())


def test_every_word_the_script_uses_is_given() -> None:
    script = (PACKAGE / "report" / "assets" / "report.js").read_text(encoding="utf-8")
    used = set(re.findall(r"\bW\.([A-Za-z]+)", script))
    assert used and used <= set(WORDS), sorted(used - set(WORDS))
    page = (PACKAGE / "report" / "html.py").read_text(encoding="utf-8")
    used_by_page = set(re.findall(r'said\["([A-Za-z]+)"\]', page))
    assert used_by_page <= set(WORDS), sorted(used_by_page - set(WORDS))
    assert not set(WORDS) - used - used_by_page, "words nobody shows"


def test_every_word_of_the_page_is_chinese_with_zh() -> None:
    for name, text in words("zh").items():
        prose = re.sub(r"`[^`]*`|\{[^}]*\}|JavaScript", "", text)
        assert not re.search(r"[A-Za-z]", prose), (name, text)
