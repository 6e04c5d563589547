"""Reasons and reports in Chinese (`--lang zh`), for the people who act on them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import policyrules
from policyrules.cli import main
from policyrules.evaluator import evaluate
from policyrules.messages import ZH, default_language, t

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

    for english, chinese in ZH.items():
        fields = {f for _, f, _, _ in string.Formatter().parse(english) if f}
        assert fields == {f for _, f, _, _ in string.Formatter().parse(chinese) if f}, english
        assert t("zh", english, **dict.fromkeys(fields, "x"))
