"""The language server's plain-Python parts, without pygls: the symbol index of every shipped
policy points at the names it says, completion and analysis take any half-typed text."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policyrules.lsp.analysis import Analysis, ImportCache, analyse
from policyrules.lsp.completion import Completer
from policyrules.lsp.hover import Hover
from policyrules.lsp.index import Key, SymbolKind

ROOT = Path(__file__).resolve().parent.parent
POLICIES = sorted((ROOT / "policies").glob("*.pol"))
CACHE = ImportCache()


@functools.cache
def _analysis(path: Path) -> Analysis:
    return analyse(path.read_text(encoding="utf-8"), str(path), path.parent, CACHE)


@pytest.mark.parametrize("path", POLICIES, ids=lambda p: p.name)
def test_every_occurrence_spans_its_name(path: Path) -> None:
    analysis = _analysis(path)
    assert not analysis.problems
    index = analysis.index
    assert index is not None and index.occurrences
    for occurrence in index.occurrences:
        span = occurrence.span
        written = analysis.sources[span.file].text[span.start : span.end]
        if occurrence.key.kind is SymbolKind.FILE:
            assert written.startswith("import ")
        else:
            assert written == occurrence.key.name, (str(span), occurrence.key)
        # and every name used is defined somewhere in the program
        assert occurrence.key in index.definitions, (str(span), occurrence.key)


def test_the_index_sees_what_the_checker_resolves() -> None:
    index = _analysis(ROOT / "policies" / "yuzhong-2019.pol").index
    assert index is not None
    uses = {(Path(o.span.file).name, o.span.line, o.span.column)
            for o in index.references(Key(SymbolKind.BAND, "yz_headcount"))}
    assert uses == {("bands.pol", 7, 6), ("yuzhong-2019.pol", 53, 29)}
    # `hours` inside `where` of a selection over activity is the activity's attribute
    hours = index.references(Key(SymbolKind.ATTRIBUTE, "hours", "activity"))
    assert any(o.span.file.endswith("vocabulary.pol") for o in hours)  # the declaration
    assert sum(o.span.file.endswith("yuzhong-2019.pol") for o in hours) == 5


def test_festival_hover_lists_its_dates_in_the_window() -> None:
    analysis = _analysis(ROOT / "policies" / "binhai-2021.pol")
    assert analysis.index is not None
    hover = Hover(analysis.index, analysis.sources, analysis.tree, analysis.compiled, "en",
                  dt.date(2030, 1, 1))
    said = hover.of_key(Key(SymbolKind.FESTIVAL, "中元节"))
    assert said is not None and "dates from 2021-01-01: 2021-08-22" in said
    chinese = Hover(analysis.index, analysis.sources, analysis.tree, analysis.compiled, "zh",
                    dt.date(2030, 1, 1)).of_key(Key(SymbolKind.FESTIVAL, "中元节"))
    assert chinese is not None and "自 2021-01-01 起的日期：2021-08-22" in chinese


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_any_prefix_of_a_policy_is_taken(data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(POLICIES))
    text = path.read_text(encoding="utf-8")
    cut = data.draw(st.integers(0, len(text)))
    index = _analysis(path).index
    assert index is not None
    Completer(index, path.parent).complete(text[:cut])
    prefix = analyse(text[:cut], str(path), path.parent, CACHE)
    assert all(p.diagnostic.message for p in prefix.problems)
    if prefix.index is not None:
        assert prefix.index.occurrences is not None


def test_lsp_without_the_extra_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sys

    from policyrules.cli import main

    monkeypatch.setitem(sys.modules, "policyrules.lsp.server", None)  # as if pygls were absent
    assert main(["lsp"]) == 2
    err = capsys.readouterr().err
    assert "the language server needs the optional extra: pip install 'policyrules[lsp]'" in err
    assert main(["lsp", "--lang", "zh"]) == 2
    assert "语言服务器需要可选组件" in capsys.readouterr().err


def test_a_calendar_pattern_hover_lists_its_next_dates() -> None:
    from policyrules.syntax import ast

    analysis = _analysis(ROOT / "policies" / "binhai-2021.pol")
    assert analysis.index is not None and analysis.tree is not None
    each = next(n for n in ast.walk(analysis.tree) if isinstance(n, ast.EachOccurrence)
                and isinstance(n.pattern, ast.NthWeekday))
    inside = Hover(analysis.index, analysis.sources, analysis.tree, analysis.compiled, "en",
                   dt.date(2021, 3, 1))
    said = inside.of_pattern(each.pattern)
    # today lies in the window: the next dates from today
    assert said == ("`2nd saturday`\n\ndates from 2021-03-01: 2021-03-13, 2021-04-10,"
                    " 2021-05-08, 2021-06-12, 2021-07-10")
