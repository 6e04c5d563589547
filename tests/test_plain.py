"""Plain-language sentences: made from the obligation's title and the numbers, in the
report's language, a pure function of the rule and the result's status, numbers, due and
period — in two steps a SQL engine can reproduce."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

import policyrules
from policyrules.evaluation import evaluate
from policyrules.report.model import STATUSES, Report, Result
from policyrules.report.plain import Templates, due_text, fill, templates
from policyrules.rules import ir
from policyrules.rules.compiler import compile_policy

ROOT = Path(__file__).resolve().parent.parent
ZONE = ZoneInfo("Asia/Shanghai")
EXAMPLES = {
    "binhai-2021": dt.date(2021, 7, 12),
    "yuzhong-2019": dt.date(2020, 1, 15),
    "xindu-2017": dt.date(2018, 1, 10),
    "puer-2020": dt.date(2021, 12, 31),
    "huizhou-2017": dt.date(2017, 9, 5),
}


@cache
def example(name: str, lang: str) -> Report:
    policy = policyrules.load(ROOT / "policies" / f"{name}.pol")
    folder = ROOT / "examples" / name
    return evaluate(policy, folder / "events.jsonl", folder / "units.jsonl",
                    as_of=EXAMPLES[name], lang=lang)


def result(name: str, lang: str, unit: str, obligation: str, period: str) -> Result:
    found = [r for r in example(name, lang).results
             if (r.unit, r.obligation, r.period.label) == (unit, obligation, period)]
    assert len(found) == 1
    return found[0]


def test_an_overdue_festival_activity_in_both_languages() -> None:
    zh = result("binhai-2021", "zh", "cun-zhongtang", "植树节专题", "植树节 2021")
    assert zh.plain == ("围绕3月12日植树节开展植树环保专题志愿活动（植树节 2021）："
                        "截止时间2021-03-19已过，仍未完成；活动数量要求不少于1，目前为0。")
    en = result("binhai-2021", "en", "cun-zhongtang", "植树节专题", "植树节 2021")
    assert en.plain == ("围绕3月12日植树节开展植树环保专题志愿活动 (植树节 2021): not done by the"
                        " deadline 2021-03-19; number of activities: at least 1 needed, 0 so far.")
    # the technical reason stays as it was
    assert en.reason.startswith("not met by the deadline 2021-03-19 23:59: `count(")


def test_a_report_due_soon_without_numbers() -> None:
    zh = result("binhai-2021", "zh", "cun-liugang", "半年工作总结", "2021H1")
    assert zh.status == "at_risk"
    assert zh.plain == "7月15日前报送上半年工作总结（2021H1）：将于2021-07-15截止，尚未完成。"


def test_what_the_numbers_measure() -> None:
    """The measure comes from the requirement: counts of a kind, people registered, hours
    per person, a headcount band's participants, a range."""
    said = {r.plain for name in EXAMPLES for r in example(name, "zh").results}
    for words in ("注册志愿者人数要求不少于", "人均服务记录时长（小时）要求不少于25",
                  "参与人数要求不少于", "会议数量要求在1至2之间", "平均每月活动数量要求不少于1",
                  "每个主题的活动数量（取最少的一组）", "报送材料数量要求不少于4",
                  "截止时间2021-03-05 17:30已过"):
        assert any(words in (s or "") for s in said), words


def _outside_given_text(plain: str, title: str, period: str) -> str:
    text = plain.replace(title, "").replace(period, "")
    text = re.sub(r"`[^`]*`", "", text)  # code stays code
    return re.sub(r"\d{4}-\d\d-\d\d( \d\d:\d\d)?", "", text)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_every_sentence_is_the_rule_and_the_numbers(name: str) -> None:
    """Each result's sentence is what the two steps give from the rule, the status, the
    numbers, the due and the period alone; in Chinese nothing English is left beside the
    policy's own text (title, period label, code)."""
    policy = policyrules.load(ROOT / "policies" / f"{name}.pol")
    rules = {rule.name: rule for rule in compile_policy(policy).rules}
    for lang in ("en", "zh"):
        for r in example(name, lang).results:
            made = fill(templates(rules[r.obligation], r.status, lang), r.required, r.actual,
                        r.due, r.period.label)
            assert r.plain == made
            if lang == "zh":
                rest = _outside_given_text(made, r.title, r.period.label)
                assert not re.search(r"[A-Za-z]", rest), made


def test_the_unit_name_comes_from_the_units_file() -> None:
    report = example("binhai-2021", "en")
    names = {r.unit: r.unit_name for r in report.results}
    assert names["jd-xinhe"] == "新河街道"
    assert all(names.values())


def test_a_unit_name_in_force_on_the_as_of_day() -> None:
    policy = policyrules.load(ROOT / "policies" / "binhai-2021.pol")
    units = [{"unit": "u1", "name": "旧名", "type": "镇街"},
             {"unit": "u1", "name": "新名", "type": "镇街", "valid_from": "2021-06-01"},
             {"unit": "u2", "name": "后来", "type": "镇街", "valid_from": "2021-09-01"},
             {"unit": "u3", "type": "镇街"}]
    for day, expected in ((dt.date(2021, 5, 1), "旧名"), (dt.date(2021, 7, 1), "新名")):
        report = evaluate(policy, [], units, as_of=day)
        names = {r.unit: r.unit_name for r in report.results}
        assert names == {"u1": expected, "u2": "后来", "u3": None}


# ----------------------------------------------------------------------------- the two steps


def sql_fill(chosen: Templates, required: float | None, actual: float | None,
             due: dt.datetime | None, period: str) -> str:
    """The recipe the module's doc gives for SQL: braces out of the way, placeholders
    replaced, braces back."""
    from policyrules.diagnostics.numbers import number_text

    text = chosen.numbers if required is not None and actual is not None else chosen.words
    text = text.replace("{{", "\ue000").replace("}}", "\ue001")
    for name, value in (("required", number_text(required, none="-")),
                        ("actual", number_text(actual, none="-")),
                        ("due", due_text(due)), ("period", period)):
        text = text.replace("{" + name + "}", value)
    return text.replace("\ue000", "{").replace("\ue001", "}")


numbers = st.one_of(st.none(), st.integers(0, 10**6).map(float),
                    st.floats(0, 1e6, allow_nan=False, allow_infinity=False))
moments = st.one_of(
    st.none(),
    st.builds(lambda day, time: dt.datetime.combine(day, time, tzinfo=ZONE),
              st.dates(dt.date(2000, 1, 1), dt.date(2100, 12, 31)),
              st.sampled_from([dt.time(23, 59, 59), dt.time(9, 0), dt.time(17, 30),
                               dt.time(23, 59, 59, 999999)])),
)


@given(title=st.text(max_size=30), status=st.sampled_from(STATUSES),
       lang=st.sampled_from(["en", "zh"]), required=numbers, actual=numbers, due=moments,
       period=st.text(max_size=12))
def test_filling_is_what_sql_would_do(title: str, status: str, lang: str,
                                      required: float | None, actual: float | None,
                                      due: dt.datetime | None, period: str) -> None:
    """Any title — braces and placeholders in it included — comes out as written, and the
    recipe for SQL gives the same sentence."""
    import dataclasses

    rule = _a_rule()
    rule = dataclasses.replace(rule, title=title)
    chosen = templates(rule, status, lang)
    made = fill(chosen, required, actual, due, period)
    assert made == sql_fill(chosen, required, actual, due, period)
    assert made.startswith(title or rule.name)
    if status not in ("met", "indeterminate") and due is not None:
        assert due_text(due) in made


def test_the_due_is_a_day_at_the_end_of_the_day_else_a_time() -> None:
    assert due_text(dt.datetime(2021, 3, 31, 23, 59, 59, tzinfo=ZONE)) == "2021-03-31"
    assert due_text(dt.datetime(2021, 3, 5, 17, 30, tzinfo=ZONE)) == "2021-03-05 17:30"
    assert due_text(None) == "-"


def test_templates_depend_only_on_what_the_sentence_says() -> None:
    """Two rules that differ in what a sentence does not say (refs, source, severity) have
    the same templates; a different title gives different ones."""
    import dataclasses

    rule = _a_rule()
    other = dataclasses.replace(rule, refs=("X-1",), consequence="通报",
                                source=dataclasses.replace(rule.source, line=999))
    for status in STATUSES:
        assert templates(rule, status, "zh") == templates(other, status, "zh")
    retitled = dataclasses.replace(rule, title="别的标题")
    assert templates(retitled, "overdue", "zh") != templates(rule, "overdue", "zh")


@cache
def _a_rule() -> ir.Rule:
    policy = policyrules.load(ROOT / "policies" / "yuzhong-2019.pol")
    return compile_policy(policy).obligation("文明单位在行动_2019").rule
