"""Every ```python example in docs/*.md runs, from the repository's root, and the values its
comments promise (`# e1 overdue 2.0 1.0`) are what it prints."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OPTIONAL = {"pandas", "matplotlib", "icalendar", "pyarrow", "nbclient", "nbformat"}
BLOCKS = [
    (f"{path.name}:{text[: match.start()].count(chr(10)) + 1}", match.group(1))
    for path in sorted((ROOT / "docs").glob("*.md"))
    for text in [path.read_text(encoding="utf-8")]
    for match in re.finditer(r"```python\n(.*?)```", text, re.S)
]


@pytest.mark.parametrize(("where", "code"), BLOCKS, ids=[b[0] for b in BLOCKS])
def test_python_example_runs(where: str, code: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            exec(compile(code, where, "exec"), {"__name__": "__doc_example__"})
    except ImportError as missing:
        # an example of an optional extra (pandas, matplotlib) where it is not installed —
        # missing itself, or behind the library's own ImportError that says how to install
        # it; CI installs the extras, so there every example runs
        cause = missing if isinstance(missing, ModuleNotFoundError) else missing.__cause__
        name = getattr(cause, "name", None)
        if name in OPTIONAL:
            pytest.skip(f"{where} needs the optional `{name}`")
        raise
    promised = [
        line.split("#", 1)[1].split("—")[0].strip()
        for line in code.splitlines()
        if line.strip().startswith("# ") and "print(" not in line
    ]
    output = printed.getvalue()
    for claim in promised:
        if re.fullmatch(r"[\w.\-: ]+", claim) and any(ch.isdigit() for ch in claim):
            assert claim in output, f"{where}: the comment promises `{claim}`; printed:\n{output}"


def test_there_are_python_examples() -> None:
    assert len(BLOCKS) >= 4
