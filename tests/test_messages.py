"""Reasons and reports in Chinese (`--lang zh`), for the people who act on them."""

from __future__ import annotations

import ast
import datetime as dt
import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import policyrules
from policyrules.cli import main
from policyrules.diagnostics.messages import ZH, Listing, default_language, msg, t
from policyrules.evaluation import evaluate
from policyrules.semantics import lint
from policyrules.syntax.loader import load_program

ROOT = Path(__file__).resolve().parent.parent


def test_reasons_in_chinese() -> None:
    policy = policyrules.load(ROOT / "policies" / "yuzhong-2019.pol")
    units = [{"unit": "一中", "type": "文明校园", "staff": 15}]
    events = [
        {
            "id": "e1",
            "unit": "一中",
            "kind": "activity",
            "at": "2019-06-07T09:00",
            "hours": 1.5,
            "participants": 1,
            "category": "必选",
        }
    ]
    report = evaluate(policy, events, units, as_of=dt.date(2019, 7, 1), lang="zh")
    band = next(r for r in report.results if r.obligation == "参与人数")
    assert band.status == "overdue"  # the status codes are the contract's, in any language
    assert band.reason == "截止时间 2019-06-07 09:00 前未完成：`participants` 为 1，要求 >= 2"


def test_check_table_in_chinese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    events = tmp_path / "events.jsonl"
    events.write_text(
        '{"id": "a1", "unit": "新河街", "kind": "activity", "at": "2021-03-13T09:00",'
        ' "hours": 2}\n',
        encoding="utf-8",
    )
    units = tmp_path / "units.jsonl"
    units.write_text('{"unit": "新河街", "type": "镇街"}\n', encoding="utf-8")
    args = [
        "--lang",
        "zh",
        "check",
        str(ROOT / "policies" / "binhai-2021.pol"),
        "--events",
        str(events),
        "--units",
        str(units),
        "--as-of",
        "2021-03-31",
        "--obligation",
        "学雷锋志愿服务日",
    ]
    main(args)
    captured = capsys.readouterr()
    assert "状态" in captured.out and "已完成" in captured.out
    assert "共" in captured.err and "条结果" in captured.err


def test_the_locale_chooses_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert default_language() == "zh"
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    assert default_language() == "en"


def test_every_chinese_message_fills_the_same_blanks() -> None:
    import string

    def blanks(text: str) -> set[tuple[str, str]]:
        return {(f, spec or "") for _, f, spec, _ in string.Formatter().parse(text) if f}

    plural_endings = {"s", "ws", "plural"}  # English plural `s`; Chinese has none
    for english, chinese in ZH.items():
        fields = blanks(english)
        assert blanks(chinese) <= fields, english
        assert {f for f, _ in fields - blanks(chinese)} <= plural_endings, english
        values = {f: 1 if spec else "x" for f, spec in fields}
        assert t("zh", english, **values)
        assert t("en", english, **values) == english.format(**values)


# ----------------------------------------------------------------------------- completeness

PACKAGE = ROOT / "policyrules"

# where a message template is written as a constant: the call and the argument positions
_TEMPLATE_ARGUMENTS = {
    "msg": (0,),
    "t": (1,),
    "say": (2,),
    "error": (0, 2),  # the checker's `self.error(message, span, hint)`
    "warning": (0, 2),
    "Diagnostic": (0, 2),
    "_fail": (1, 2),
}


def _alternatives(node: ast.expr) -> Iterator[ast.expr]:
    """The expressions a message argument may take its value from (`a if c else b`,
    `a or b`), not looking into calls: the values given to `msg` may be assembled."""
    if isinstance(node, ast.IfExp):
        yield from _alternatives(node.body)
        yield from _alternatives(node.orelse)
    elif isinstance(node, ast.BoolOp):
        for value in node.values:
            yield from _alternatives(value)
    else:
        yield node


def _constants(node: ast.expr) -> Iterator[str]:
    for part in _alternatives(node):
        if isinstance(part, ast.Constant) and isinstance(part.value, str):
            yield part.value


def _templates_in(path: Path) -> Iterator[tuple[str, int]]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        # hints made by helpers (`def _compare_hint(…)`) and kept in variables (`hint = "…"`)
        if isinstance(node, ast.FunctionDef) and node.name.endswith("_hint"):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Return) and inner.value is not None:
                    for text in _constants(inner.value):
                        yield text, inner.lineno
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id in ("hint", "message")
            for target in node.targets
        ):
            for text in _constants(node.value):
                yield text, node.lineno
        in_cli = path.name == "cli.py" or path.parent.name == "cli"
        if in_cli and isinstance(node, ast.keyword) and node.arg in (
            "help", "description"
        ):
            for text in _constants(node.value):
                yield text, node.value.lineno
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        for index in _TEMPLATE_ARGUMENTS.get(name or "", ()):
            if index < len(node.args):
                for text in _constants(node.args[index]):
                    yield text, node.lineno
        if name in ("error", "warning", "Diagnostic", "_fail"):
            for keyword in node.keywords:
                if keyword.arg in ("message", "hint"):
                    for text in _constants(keyword.value):
                        yield text, node.lineno


def _vocabulary() -> Iterator[str]:
    """Words that reach a message as values rather than as written constants."""
    from policyrules.diagnostics.errors import Severity
    from policyrules.diagnostics.messages import _OS_REASONS, _VALIDATION_PROBLEMS
    from policyrules.semantics import types as T
    from policyrules.syntax import ast as pol
    from policyrules.syntax.parser import _TERMINAL_WORDS

    yield from (u.value for u in pol.PeriodUnit)
    yield from (a.value for a in pol.Anchor)
    yield from (s.value for s in pol.SeverityLevel)
    yield from (s.value for s in Severity)
    yield from _VALIDATION_PROBLEMS.values()
    yield from _OS_REASONS.values()
    yield from _TERMINAL_WORDS.values()
    for kind in T.Kind:
        item = T.Type(kind)
        if kind not in (T.Kind.LIST, T.Kind.GROUPED, T.Kind.RECORD):
            yield T.describe(item).template
            yield T.describe(T.list_of(item)).values["items"].template


def _is_prose(text: str) -> bool:
    """Whether a text has words outside code (`…`) and blanks ({…}): code needs no
    translation."""
    import re

    return bool(re.search(r"[A-Za-z]", re.sub(r"`[^`]*`|\{[^}]*\}", "", text)))


def test_every_message_has_a_chinese_translation() -> None:
    """Every template the package writes (checker, parser, loader, command line and its
    help, data reader, scenario runner) and every word that fills one is in the Chinese
    catalogue."""
    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for text, line in _templates_in(path):
            if text not in ZH and _is_prose(text):
                missing.append(f"{path.relative_to(ROOT)}:{line}: {text!r}")
    missing += [f"vocabulary: {w!r}" for w in _vocabulary() if w not in ZH and _is_prose(w)]
    assert not missing, "\n".join(missing)


def _assembled_messages(path: Path) -> Iterator[tuple[str, int]]:
    """Message or hint arguments built as f-strings or with `+`: their words would never be
    looked up in the catalogue."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        positions = {"error": (0, 2), "warning": (0, 2), "Diagnostic": (0, 2), "_fail": (1, 2),
                     "msg": (0,), "say": (2,)}.get(name or "", ())
        arguments = [node.args[i] for i in positions if i < len(node.args)]
        arguments += [k.value for k in node.keywords if k.arg in ("message", "hint")]
        for argument in arguments:
            if any(_is_assembled(part) for part in _alternatives(argument)):
                yield ast.unparse(argument), node.lineno


def _is_assembled(node: ast.expr) -> bool:
    return isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add)
    )


def test_no_message_is_assembled_from_pieces() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line}: {text}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for text, line in _assembled_messages(path)
    ]
    assert not found, "\n".join(found)


def test_the_completeness_check_sees_the_checker() -> None:
    # guard against the check above passing because it found nothing
    found = {
        text
        for path in (PACKAGE / "semantics").glob("*.py")
        for text, _ in _templates_in(path)
    }
    assert "unknown band `{band}`" in found
    assert "each value must fall in exactly one row" in found
    assert len(found) > 200


def test_a_message_is_its_english_text() -> None:
    message = msg("unknown band `{band}`", band="人数")
    assert message == "unknown band `人数`"
    assert hash(message) == hash("unknown band `人数`")
    assert message.in_language("zh") == "未知的档位表 `人数`"
    copy = pickle.loads(pickle.dumps(message))
    assert copy == message and copy.in_language("zh") == "未知的档位表 `人数`"
    nested = msg("{what} must be true or false, but this is {type}", what=msg("a requirement"),
                 type=msg("a number"))
    assert t("zh", nested) == "要求必须为真或假，但这里是数值"
    # user input is never translated, even when it happens to be a catalogue word
    assert t("zh", msg("unknown name `{name}`", name="error")) == "未知的名称 `error`"


def test_a_listing_joins_in_the_language() -> None:
    words = Listing(["`when`", "a name", "the end of the file"])
    assert words == "`when`, a name, the end of the file"
    assert words.in_language("zh") == "`when`、名称、文件结尾"
    assert pickle.loads(pickle.dumps(words)).in_language("zh") == words.in_language("zh")


# ----------------------------------------------------------------------------- diagnostics


def test_checker_diagnostics_in_chinese() -> None:
    source = ROOT / "tests" / "broken" / "misspelt_attribute.pol"
    program = load_program(source)
    diagnostics = lint(program)
    assert diagnostics
    for d in diagnostics:
        assert d.text("zh") != d.text("en")
        assert any("\u4e00" <= c <= "\u9fff" for c in d.text("zh"))
        rendered = d.render(program.sources[d.span.file], "zh") if d.span else ""
        assert rendered.startswith(f"{d.span}: 错误: ") or rendered.startswith(
            f"{d.span}: 警告: "
        )


def test_lint_in_chinese_from_either_side_of_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = tmp_path / "x.pol"
    policy.write_text(
        'event activity { hours: number }\npolicy x "X" {\n  effective 2021-01-01 .. 2021-12-31\n'
        '  obligation a "A" {\n    every month\n    require count(activty) >= 1\n'
        "  }\n}\n",
        encoding="utf-8",
    )
    for argv in (["--lang", "zh", "lint", str(policy)], ["lint", "--lang", "zh", str(policy)],
                 ["--lang", "en", "lint", "--lang", "zh", str(policy)]):
        assert main(argv) == 1
        out = capsys.readouterr()
        assert f"{policy}:6:19: 错误: 未知的事件类型 `activty`" in out.err
        assert "= 提示: 是否想写 `activity`？" in out.err
        assert out.out.strip() == f"{policy}：1 个错误，0 个警告"
    assert main(["--lang", "zh", "lint", "--lang", "en", str(policy)]) == 1
    assert "error: unknown event kind `activty`" in capsys.readouterr().err


def test_syntax_and_load_errors_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = tmp_path / "x.pol"
    policy.write_text('import "nowhere.pol"\npolicy x "X" {\n', encoding="utf-8")
    assert main(["lint", "--lang", "zh", str(policy)]) == 1
    err = capsys.readouterr().err
    assert "错误: 文件意外结束：有代码块没有闭合" in err or "错误: 找不到 `nowhere.pol`" in err
    assert "error:" not in err and "hint:" not in err
    assert main(["lint", "--lang", "zh", str(tmp_path / "none.pol")]) == 2  # unreadable
    assert "错误: 无法读取" in capsys.readouterr().err


def test_rejections_and_notes_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events = tmp_path / "events.jsonl"
    events.write_text(
        '{"id": "e1", "unit": "一中", "kind": "activity", "at": "2019-06-07T09:00",'
        ' "participants": "many", "category": "必选"}\n'
        '{"id": "e2", "unit": "一中", "kind": "activity", "at": "not a day"}\n'
        "[1, 2]\n",
        encoding="utf-8",
    )
    policy = ROOT / "policies" / "yuzhong-2019.pol"
    status = main(["check", "--lang", "zh", str(policy), "--events", str(events),
                   "--as-of", "2019-07-01", "--format", "json"])
    assert status in (0, 1)
    err = capsys.readouterr().err
    assert f"{events}:1：拒绝事件（ID `e1`）：`participants`：不是整数（实际为 `many`）" in err
    assert (f"{events}:2：拒绝事件（ID `e2`）：`at`：`not a day` 不是 ISO 8601 日期或日期时间"
            in err)
    assert f"{events}:3：拒绝事件：不是 JSON 对象" in err
    assert main(["check", str(policy), "--events", str(events), "--lang", "zh",
                 "--as-of", "2019-13-01"]) == 2
    assert "policyrules: 错误: --as-of `2019-13-01` 不是日期" in capsys.readouterr().err


def test_usage_errors_and_help_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["lint", "--lang", "zh", "--bogus", "x.pol"])
    assert exit_.value.code == 2
    assert "policyrules: 错误: 无法识别的参数：--bogus" in capsys.readouterr().err
    assert main(["--lang", "zh", "check", "p.pol", "--events", "e.jsonl", "--status",
                 "overdu"]) == 2  # a status is checked before any file is read
    assert "错误: 没有状态 `overdu`；是否想写 `overdue`？" in capsys.readouterr().err
    with pytest.raises(SystemExit):  # argparse takes a prefix of an option; so does --lang
        main(["--lan", "zh", "lint", "--bogus", "x.pol"])
    assert "错误: 无法识别的参数：--bogus" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        main(["--lang", "zh", "check", "--help"])
    assert exit_.value.code == 0
    help_text = capsys.readouterr().out
    assert help_text.startswith("用法：policyrules check")
    assert "只显示该单位的结果" in help_text and "选项" in help_text
    # and argparse is left as it was found: English again without --lang zh
    with pytest.raises(SystemExit):
        main(["--lang", "en", "lint", "--bogus", "x.pol"])
    assert "error: unrecognized arguments: --bogus" in capsys.readouterr().err


def test_files_that_cannot_be_read_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.pol"
    assert main(["lint", "--lang", "zh", str(missing)]) == 2
    assert f"错误: 无法读取 `{missing}`：文件或目录不存在" in capsys.readouterr().err
    assert main(["lint", "--lang", "zh", str(tmp_path)]) == 2  # a folder with no policy
    assert "下没有政策文件" in capsys.readouterr().err
    policy = ROOT / "policies" / "binhai-2021.pol"
    events = tmp_path / "events.jsonl"
    events.write_text("", encoding="utf-8")
    schedule = tmp_path / "2027.json"
    schedule.write_text('{"year": 2300, "days_off": []}', encoding="utf-8")
    assert main(["calendar", "--lang", "zh", str(policy), "--year", "2027",
                 "--holidays", str(schedule)]) == 2
    assert f"{schedule}: `year`：不能大于 2200（实际为 `2300`）" in capsys.readouterr().err
    schedule.write_text('{"year": 2027, ', encoding="utf-8")
    assert main(["calendar", "--lang", "zh", str(policy), "--year", "2027",
                 "--holidays", str(schedule)]) == 2
    assert "无法读取节假日安排：不是 JSON：第 1 行第 16 列 此处应有双引号括起的键名" in (
        capsys.readouterr().err
    )
    assert main(["calendar", str(policy), "--year", "2027", "--holidays",
                 str(tmp_path / "none.json")]) == 2
    assert f"error: cannot read `{tmp_path / 'none.json'}`: no such file or directory" in (
        capsys.readouterr().err
    )


def test_undeclared_values_name_the_allowed_ones() -> None:
    policy = policyrules.load(ROOT / "policies" / "yuzhong-2019.pol")
    from policyrules.data.events import read_events

    rows = [{"id": "e1", "unit": "一中", "kind": "activity", "at": "2019-06-07",
             "category": "可选"}]
    reason = read_events(policy, rows).rejected[0].reason
    assert reason == "`category`: not one of '必选' or '自选' (got `可选`)"
    assert t("zh", reason) == "`category`：不是 '必选' or '自选' 之一（实际为 `可选`）"


def test_missing_calendar_data_in_chinese() -> None:
    policy = policyrules.parse(
        'event report {}\npolicy p "x" {\n  effective 2026-01-01 ..\n'
        '  obligation o "每月报告" {\n    every month\n    require exists(report)\n'
        "    due 5 working days after period end\n  }\n}\n",
        "p.pol",
    )
    report = evaluate(policy, [], [{"unit": "a"}], as_of=dt.date(2027, 1, 20), lang="zh")
    december = next(r for r in report.results if r.period.label == "2026-12")
    assert december.status == "indeterminate"
    assert december.reason.startswith("2027 年的工作日安排未知")


def test_schema_titles_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    policy = str(ROOT / "policies" / "yuzhong-2019.pol")
    assert main(["schema", "--lang", "zh", policy]) == 0
    chinese = json.loads(capsys.readouterr().out)
    assert main(["schema", "--lang", "en", policy]) == 0
    english = json.loads(capsys.readouterr().out)
    assert chinese["title"] == "政策 `yuzhong_2019` 读取的记录"
    activity = chinese["$defs"]["event_activity"]
    assert activity["title"] == "事件 `activity`"
    assert activity["properties"]["unit"]["description"] == "所属单位"
    # the same schema otherwise: only titles and descriptions are in words

    def without_words(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: without_words(v) for k, v in node.items()
                    if k not in ("title", "description")}
        if isinstance(node, list):
            return [without_words(v) for v in node]
        return node

    assert without_words(chinese) == without_words(english)
