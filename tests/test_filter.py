"""Report.filter: lists of names, `not-met`, and a clear error for a name that matches
nothing — never a silently empty answer."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import policyrules
from policyrules.evaluation import evaluate
from policyrules.report import FilterError, Report
from policyrules.report.selection import NOT_MET_STATUSES

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "xindu-2017"
POLICY = policyrules.load(ROOT / "policies" / "xindu-2017.pol")
REPORT = evaluate(POLICY, EXAMPLE / "events.jsonl", EXAMPLE / "units.jsonl",
                  as_of=dt.date(2018, 1, 10))
STATUSES = ["met", "late", "overdue", "at_risk", "pending", "indeterminate"]


def test_several_statuses_and_not_met() -> None:
    both = REPORT.filter(status=["overdue", "late"])
    assert both and both == [r for r in REPORT.results if r.status in ("overdue", "late")]
    assert REPORT.filter(status="not-met") == [r for r in REPORT.results if r.status != "met"]
    assert set(NOT_MET_STATUSES) == set(STATUSES) - {"met"}


@given(st.lists(st.sampled_from(STATUSES), max_size=3),
       st.lists(st.sampled_from(sorted({r.unit for r in REPORT.results})), max_size=2))
def test_a_filter_keeps_exactly_what_it_names(statuses: list[str], units: list[str]) -> None:
    kept = REPORT.filter(unit=units or None, status=statuses or None)
    assert kept == [r for r in REPORT.results
                    if (not statuses or r.status in statuses) and (not units or r.unit in units)]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"status": ["overdue", "overdu"]}, "no status `overdu`; did you mean `overdue`?"),
        ({"status": "done"}, "no status `done`"),
        ({"obligation": "志愿者注册"}, "no obligation `志愿者注册`"),
        ({"unit": "nobody"}, "no unit `nobody`"),
    ],
)
def test_a_name_that_matches_nothing_is_an_error(options: dict[str, object], message: str) -> None:
    with pytest.raises(FilterError) as caught:
        REPORT.filter(**options)  # type: ignore[arg-type]
    assert str(caught.value).startswith(message)
    assert isinstance(caught.value, ValueError)


def test_did_you_mean_names_the_closest() -> None:
    obligation = REPORT.results[0].obligation
    with pytest.raises(FilterError) as caught:
        REPORT.filter(obligation=obligation[:-1])
    assert caught.value.close == obligation
    assert str(caught.value) == (
        f"no obligation `{obligation[:-1]}`; did you mean `{obligation}`?")


def test_a_known_name_without_results_selects_nothing() -> None:
    units = [{"unit": "一中", "type": "文明校园", "staff": 15}, {"unit": "idle"}]
    policy = policyrules.load(ROOT / "policies" / "yuzhong-2019.pol")
    report = evaluate(policy, [], units, as_of=dt.date(2019, 7, 1))
    with_results = {r.obligation for r in report.filter(unit="idle")}
    without = [ob.name for ob in policy.obligations if ob.name not in with_results]
    assert without  # obligations whose scope leaves out a unit with no facts
    assert report.filter(unit="idle", obligation=without) == []  # known names: no error


def test_a_report_read_back_knows_the_names_of_its_results() -> None:
    again = Report.model_validate_json(REPORT.to_json())
    assert again.filter(status="late") == REPORT.filter(status="late")
    with pytest.raises(FilterError):
        again.filter(unit="nobody")
