"""Missing data is never a violation (issue 14, item 3): when a requirement fails and reads a
unit fact the units file does not give, the result is `indeterminate`, naming the unit and
the fact — in both engines, in both languages; a requirement that holds anyway is met."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import given, settings
from hypothesis import strategies as st

import policyrules
from policyrules.data.events import read_events, read_units
from policyrules.engine.sql.engine import ColumnarEngine
from policyrules.evaluation import Evaluation, as_of_moment
from policyrules.report.model import json_items
from policyrules.rules.compiler import compile_policy

POLICY = """
event activity {
  participants: int
}

units {
  staff: int
  quota: int
}

policy p "t" {
  effective 2021-01-01 .. 2021-12-31

  obligation big_enough "活动人数不少于职工数" {
    every quarter
    require count(activity where participants >= unit.staff) >= 1
  }

  obligation quota "达到活动次数指标，或无指标" {
    every half year
    require count(activity) >= unit.quota or count(activity) >= 3
  }

  obligation plain "每季度至少一次活动" {
    every quarter
    require count(activity) >= 1
  }
}
"""
CHECKED = policyrules.parse(POLICY)
COMPILED = compile_policy(CHECKED)
AS_OF = as_of_moment(dt.date(2022, 1, 10), COMPILED)


def _both(events: list[dict[str, object]], units: list[dict[str, object]], lang: str = "en"
          ) -> list[dict[str, object]]:
    read = read_events(CHECKED, events)
    unit_set = read_units(CHECKED, units)
    reference = json_items(Evaluation(COMPILED, read.events, unit_set, AS_OF, lang).results())
    engine = ColumnarEngine(COMPILED, AS_OF, lang)
    try:
        engine.load(read, unit_set)
        engine.evaluate()
        assert engine.fallbacks == {}
        columnar = ",\n".join(engine.json_chunks())
    finally:
        engine.close()
    assert columnar == reference
    items: list[dict[str, object]] = json.loads("[" + reference + "]")
    return items


def _activity(n: int, unit: str, month: int, participants: int) -> dict[str, object]:
    return {"id": f"a{n}", "unit": unit, "kind": "activity", "at": f"2021-{month:02d}-10T09:00",
            "participants": participants}


def test_a_missing_fact_makes_a_failing_requirement_indeterminate_not_overdue() -> None:
    units = [{"unit": "有数", "staff": 5, "quota": 1}, {"unit": "无数"}]
    events = [_activity(1, "有数", 2, 9), _activity(2, "无数", 2, 9)]
    items = _both(events, units)
    by = {(i["unit"], i["obligation"], i["period"]["label"]): i for i in items}  # type: ignore[index]
    assert by[("有数", "big_enough", "2021Q1")]["status"] == "met"
    assert by[("有数", "big_enough", "2021Q2")]["status"] == "overdue"
    lacking = by[("无数", "big_enough", "2021Q1")]
    assert lacking["status"] == "indeterminate"
    assert lacking["reason"] == (
        "cannot be decided: unit `无数` has no `staff` in the units file on 2021-03-31, and the"
        " requirement reads it")
    assert lacking["required"] is None and lacking["evidence"] == []
    assert lacking["due"] == "2021-03-31T23:59:59+08:00"
    # a requirement that reads no fact is judged as always
    assert by[("无数", "plain", "2021Q2")]["status"] == "overdue"


def test_a_requirement_that_holds_without_the_fact_is_met() -> None:
    units = [{"unit": "无数"}]
    events = [_activity(n, "无数", month, 1) for n, month in enumerate((1, 2, 3, 8), start=1)]
    by = {(i["obligation"], i["period"]["label"]): i["status"]  # type: ignore[index]
          for i in _both(events, units)}
    assert by[("quota", "2021H1")] == "met"  # three activities: holds whatever the quota
    assert by[("quota", "2021H2")] == "indeterminate"  # one: it depends on the quota


def test_the_reason_in_chinese_names_the_unit_and_the_fact() -> None:
    items = _both([], [{"unit": "无数"}], lang="zh")
    reasons = {i["reason"] for i in items if i["obligation"] == "big_enough"}
    days = ("2021-03-31", "2021-06-30", "2021-09-30", "2021-12-31")
    assert reasons == {
        f"无法判定：单位数据中没有单位 `无数` 在 {day} 的 `staff`，而该要求需要用到它"
        for day in days
    }


def test_without_a_units_file_every_failing_fact_requirement_is_indeterminate() -> None:
    read = read_events(CHECKED, [_activity(1, "某单位", 2, 9)])
    results = Evaluation(COMPILED, read.events, None, AS_OF).results()
    statuses = {(r.obligation, r.status) for r in results}
    assert ("big_enough", "overdue") not in statuses
    assert ("big_enough", "indeterminate") in statuses
    assert ("plain", "overdue") in statuses


@settings(max_examples=25, deadline=None)
@given(
    staff=st.one_of(st.none(), st.integers(0, 12)),
    quota=st.one_of(st.none(), st.integers(0, 4)),
    months=st.lists(st.tuples(st.integers(1, 12), st.integers(0, 12)), max_size=8),
)
def test_a_missing_fact_is_never_a_violation(
    staff: int | None, quota: int | None, months: list[tuple[int, int]]
) -> None:
    facts: dict[str, object] = {"unit": "u"}
    if staff is not None:
        facts["staff"] = staff
    if quota is not None:
        facts["quota"] = quota
    events = [_activity(n, "u", month, people) for n, (month, people) in enumerate(months)]
    for item in _both(events, [facts]):
        reads = {"big_enough": "staff", "quota": "quota"}.get(str(item["obligation"]))
        if reads is not None and reads not in facts:
            assert item["status"] in ("met", "indeterminate"), item
