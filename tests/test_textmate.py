"""The TextMate grammar of `.pol` files (editors/vscode/syntaxes/pol.tmLanguage.json), run on
a real TextMate engine — babi's, with Oniguruma regexes as VS Code has them — over every
shipped policy: no text is left untokenised, and the main kinds of token get their scopes."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

highlight = pytest.importorskip(
    "babi.highlight", reason="the TextMate engine of the test is babi's (the dev extra)"
)

ROOT = Path(__file__).resolve().parent.parent
GRAMMAR = ROOT / "editors" / "vscode" / "syntaxes" / "pol.tmLanguage.json"
SHIPPED = sorted([*(ROOT / "policies").rglob("*.pol"),
                  *(ROOT / "policyrules" / "syntax" / "std").glob("*.pol")])
ROOT_SCOPE = ("source.pol",)


@pytest.fixture(scope="module")
def compiler(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("grammars")
    shutil.copy(GRAMMAR, folder / "source.pol.json")  # babi finds a grammar by its scope
    return highlight.Grammars(str(folder)).compiler_for_scope("source.pol")


def tokens(compiler: Any, text: str) -> Iterator[tuple[int, str, tuple[str, ...]]]:
    """(line number, text, scopes) of every token of `text`."""
    state = compiler.root_state
    for number, line in enumerate(text.splitlines(keepends=True), 1):
        state, regions = highlight.highlight_line(compiler, state, line, number == 1)
        for start, end, scope in regions:
            yield number, line[start:end], scope


def test_the_grammar_is_what_the_extension_declares() -> None:
    package = json.loads((ROOT / "editors" / "vscode" / "package.json").read_text("utf-8"))
    [grammar] = package["contributes"]["grammars"]
    assert grammar["scopeName"] == json.loads(GRAMMAR.read_text("utf-8"))["scopeName"]
    assert (ROOT / "editors" / "vscode" / grammar["path"]).resolve() == GRAMMAR
    [language] = package["contributes"]["languages"]
    assert language["extensions"] == [".pol"] and grammar["language"] == language["id"]
    configuration = ROOT / "editors" / "vscode" / language["configuration"]
    assert json.loads(configuration.read_text("utf-8"))["comments"]["lineComment"] == "#"


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_text_is_left_untokenised(compiler: Any, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    left = [(n, piece) for n, piece, scope in tokens(compiler, text)
            if scope == ROOT_SCOPE and piece.strip()]
    assert not left, f"{path.name}: untokenised {left[:10]}"
    assert len(SHIPPED) >= 9


def _scopes_of(compiler: Any, text: str) -> dict[str, str]:
    """The innermost scope of each piece of text, where it first occurs."""
    found: dict[str, str] = {}
    for _, piece, scope in tokens(compiler, text):
        if piece.strip():
            found.setdefault(piece.strip(), scope[-1])
    return found


def test_tokens_get_their_scopes(compiler: Any) -> None:
    text = (
        'import "lib/vocabulary.pol"  # 词汇\n'
        'band yz_headcount {\n  ..20 => 10% round up\n}\n'
        'policy 示例 "关于\\"示例\\"的通知" {\n'
        "  effective 2019-05-22 .. 2019-12-31\n"
        "  workday ends 17:30\n"
        '  obligation 参与人数 "每次活动" {\n'
        "    refs YZ-3\n"
        "    every month on 2nd saturday\n"
        "    due 2 working days after trigger\n"
        "    require count(activity where 时长 >= 1.5) >= yz_headcount(unit.staff)\n"
        "    each 07-01 ± 15 days\n"
        "  }\n}\n"
    )
    scopes = _scopes_of(compiler, text)
    assert scopes["# 词汇"] == "comment.line.number-sign.pol"
    assert scopes["lib/vocabulary.pol"] == "string.quoted.double.pol"
    assert scopes['\\"'] == "constant.character.escape.pol"
    assert scopes["yz_headcount"] == "entity.name.definition.pol"
    assert scopes["示例"] == "entity.name.definition.pol"
    assert scopes["参与人数"] == "entity.name.definition.pol"
    assert scopes["2019-05-22"] == "constant.numeric.date.pol"
    assert scopes["17:30"] == "constant.numeric.time.pol"
    assert scopes["07-01"] == "constant.numeric.date.month-day.pol"
    assert scopes["10%"] == "constant.numeric.percent.pol"
    assert scopes["YZ-3"] == "constant.other.reference.pol"
    assert scopes["2nd"] == "constant.language.ordinal.pol"
    assert scopes["working"] == "keyword.other.unit.pol"
    assert scopes["days"] == "keyword.other.unit.pol"
    assert scopes["count"] == "support.function.pol"
    assert scopes["where"] == "keyword.operator.word.pol"
    assert scopes["时长"] == "variable.other.pol"
    assert scopes["unit"] == "variable.language.pol"
    assert scopes["±"] == "keyword.operator.around.pol"
    assert scopes["require"] == "keyword.other.pol"
    assert scopes["saturday"] == "constant.language.pol"


def test_an_unclosed_string_ends_with_its_line(compiler: Any) -> None:
    scopes = _scopes_of(compiler, 'issuer "unclosed\nevery month\n')
    assert scopes["every"] == "keyword.other.pol"


def test_the_check_sees_untokenised_text(tmp_path: Path) -> None:
    # guard against the test above passing because it looks at nothing: without its rule
    # for names, the grammar leaves a Chinese name untokenised
    grammar = json.loads(GRAMMAR.read_text("utf-8"))
    grammar["patterns"] = [p for p in grammar["patterns"] if p != {"include": "#name"}]
    (tmp_path / "source.pol.json").write_text(json.dumps(grammar), encoding="utf-8")
    bare = highlight.Grammars(str(tmp_path)).compiler_for_scope("source.pol")
    left = [piece for _, piece, scope in tokens(bare, "let 甲 = 乙 and 丙\n")
            if scope == ROOT_SCOPE and piece.strip()]
    assert "乙" in "".join(left)
