"""What needs action comes first: the overdue and at-risk results grouped by unit (worst
first) and by obligation, the roll-ups, and `check --format summary`, the page a supervisor
forwards."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import policyrules
from policyrules.cli import main
from policyrules.evaluation import evaluate
from policyrules.report import attention, summary
from policyrules.report.model import STATUSES, PeriodOut, Report, Result, SourceOut

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = {"binhai-2021": dt.date(2021, 7, 12), "yuzhong-2019": dt.date(2020, 1, 15),
            "xindu-2017": dt.date(2018, 1, 10)}


@cache
def example(name: str, lang: str = "en") -> Report:
    policy = policyrules.load(ROOT / "policies" / f"{name}.pol")
    folder = ROOT / "examples" / name
    return evaluate(policy, folder / "events.jsonl", folder / "units.jsonl",
                    as_of=EXAMPLES[name], lang=lang)


def made(unit: str, obligation: str, status: str, day: int, name: str | None = None) -> Result:
    due = dt.datetime(2021, 1, 1, 23, 59, 59, tzinfo=dt.UTC) + dt.timedelta(days=day)
    return Result(id=f"p/{obligation}/{unit}/{day}", unit=unit, obligation=obligation,
                  title=f"title of {obligation}", policy="p",
                  period=PeriodOut(label=f"d{day}", start=due.date(), end=due.date()), due=due,
                  status=status,  # type: ignore[arg-type]
                  severity="must", reason="r", source=SourceOut(file="p.pol"), unit_name=name,
                  plain=f"{obligation} {status} {day}")


results = st.lists(
    st.builds(made, st.sampled_from(["u1", "u2", "u3", "u4"]),
              st.sampled_from(["a", "b", "c"]), st.sampled_from(STATUSES),
              st.integers(0, 300)),
    max_size=40, unique_by=lambda r: r.id)


@given(results)
def test_attention_holds_exactly_the_overdue_and_at_risk_results(found: list[Result]) -> None:
    wanted = Counter(r.id for r in found if r.status in ("overdue", "at_risk"))
    units = attention.by_unit(found)
    assert Counter(r.id for u in units for r in u.results) == wanted
    obligations = attention.by_obligation(found)
    listed = Counter()
    for ob in obligations:
        for unit, _, overdue, at_risk in ob.units:
            listed[(ob.obligation, unit)] += overdue + at_risk
    assert sum(listed.values()) == sum(wanted.values())
    # worst first: more overdue, then more at risk, then the unit's id
    keys = [(-u.overdue, -u.at_risk, u.unit) for u in units]
    assert keys == sorted(keys)
    for unit in units:
        assert all(r.unit == unit.unit for r in unit.results)
        inner = [(-i.overdue, -i.at_risk, i.first_due) for i in unit.items]
        assert inner == sorted(inner)
    ob_keys = [(-o.units_overdue, -o.units_at_risk) for o in obligations]
    assert ob_keys == sorted(ob_keys)


@given(results)
def test_rollups_count_every_result_once(found: list[Result]) -> None:
    per_unit = attention.unit_rollups(found)
    assert sum(row.total for row in per_unit) == len(found)
    assert {row.key for row in per_unit} == {r.unit for r in found}
    per_obligation = attention.obligation_rollups(found)
    assert sum(row.total for row in per_obligation) == len(found)
    for row in per_obligation:
        own = [r for r in found if r.obligation == row.key]
        assert row.units == len({r.unit for r in own})
        assert row.units_overdue == len({r.unit for r in own if r.status == "overdue"})
        assert row.units_overdue + row.units_at_risk <= row.units


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_the_examples_attention(name: str) -> None:
    report = example(name)
    units = attention.by_unit(report.results)
    expected = sorted(r.id for r in report.results if r.status in ("overdue", "at_risk"))
    assert sorted(r.id for u in units for r in u.results) == expected
    assert all(u.name for u in units)  # names from the units file


def test_summary_in_chinese_says_who_is_behind_on_what() -> None:
    report = example("binhai-2021", "zh")
    text = summary.summary(report, lang="zh")
    first = attention.by_unit(report.results)[0]
    assert f"1. {first.name}（{first.unit}）：逾期未完成{first.overdue}条" in text
    assert "需要处理的单位（共25个，问题多的在前）" in text
    assert ("植树节专题——围绕3月12日植树节开展植树环保专题志愿活动〔BH-3〕：3个单位逾期未完成"
            in text)
    assert "……另有10个单位，详见完整报告" in text  # 25 units behind, 15 shown
    assert "由 policyrules" in text and "工作日安排已知至" in text
    # nothing English but the policy's own words, ids and code
    prose = re.sub(r"`[^`]*`|[a-z_]+[-0-9a-z_/.]*|[A-Z]+-\d+|\d{4}-\d\d-\d\d|sha256 [0-9a-f]+…",
                   "", text)
    assert not re.search(r"[A-Za-z]{2,}", prose.replace("policyrules", "")), prose


def test_summary_fits_a_page() -> None:
    text = summary.summary(example("yuzhong-2019"))
    assert len(text.splitlines()) <= 80
    assert "(164 overdue, 1 at risk: 2019-05-22 … 2020-01-15)" in text


def test_summary_without_anyone_behind() -> None:
    report = example("binhai-2021")
    met = [r for r in report.results if r.status == "met"]
    text = summary.summary(report, met)
    assert "no unit is behind: nothing is overdue or at risk" in text


def test_markdown_escapes_what_markdown_reads() -> None:
    report = example("binhai-2021")
    text = summary.summary(report, lang="en", markdown=True)
    assert text.startswith("# 关于进一步推动志愿服务常态化的通知 (binhai\\_2021)\n")
    assert "## Units behind, worst first (25)" in text
    assert re.search(r"^1\. \*\*[^*]+ \(hy-gongan\)\*\*: 3 overdue$", text, re.MULTILINE)
    assert "\n    - " in text and "<sub>made by policyrules" in text


def test_check_format_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = ROOT / "examples" / "binhai-2021"
    base = ["check", str(ROOT / "policies" / "binhai-2021.pol"), "--events",
            str(folder / "events.jsonl"), "--units", str(folder / "units.jsonl"),
            "--as-of", "2021-07-12"]
    assert main([*base, "--format", "summary", "--lang", "zh"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("关于进一步推动志愿服务常态化的通知（binhai_2021）\n截至2021-07-12：")
    target = tmp_path / "summary.md"
    assert main([*base, "--format", "summary-md", "--status", "at_risk", "-o", str(target)]) == 1
    assert f"wrote {target}" in capsys.readouterr().err
    written = target.read_text(encoding="utf-8")
    assert "## Units behind, worst first (9)" in written and " overdue" not in written
