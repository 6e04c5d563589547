"""The rule of each type (policyrules.data.values): what is accepted, what is rejected and
why — the contract of docs/data.md, which a second reader (DuckDB) must follow."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

import policyrules
from policyrules.data.cells import list_items
from policyrules.data.events import read_events, read_units
from policyrules.data.values import (
    INT_MAX,
    Invalid,
    choice_reader,
    core_text,
    datetime_reader,
    list_reader,
    read_bool,
    read_date,
    read_int,
    read_number,
    read_string,
)

ROOT = Path(__file__).resolve().parent.parent
POLICY = policyrules.load(ROOT / "policies" / "yuzhong-2019.pol")
ZONE = ZoneInfo("Asia/Shanghai")


def reason(**attributes: Any) -> str:
    """The reason an activity with these fields is rejected ('' when it is accepted)."""
    row = {"id": "e1", "unit": "一中", "kind": "activity", "at": "2019-06-07T09:00",
           **attributes}
    found = read_events(POLICY, [row])
    return found.rejected[0].reason if found.rejected else ""


def problem(rule: Any, value: Any) -> str:
    with pytest.raises(Invalid) as caught:
        rule(value)
    return str(caught.value.problem)


# ----------------------------------------------------------------------------- numbers


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf"), 1e400, 10**400])
def test_numbers_must_be_finite(value: Any) -> None:
    assert problem(read_number, value) == "not a finite number"


@pytest.mark.parametrize("text", ["NaN", "nan", "Infinity", "inf", "1_000", "３", "٣", "1,5",
                                  "0x10", "", " 1", "1e", "--1"])
def test_number_text_is_ascii_decimal(text: str) -> None:
    assert problem(read_number, text) == "not a number"


def test_huge_number_text_is_not_finite() -> None:
    assert problem(read_number, "1e400") == "not a finite number"
    assert problem(read_number, "1" * 5000) == "not a finite number"


@pytest.mark.parametrize("value", [True, False, [1], {"a": 1}, None])
def test_a_boolean_or_a_container_is_not_a_number(value: Any) -> None:
    assert problem(read_number, value) == "not a number"
    assert problem(read_int, value) == "not a whole number"


@pytest.mark.parametrize("value", [-1, -0.5, "-1", "-1e3"])
def test_quantities_are_not_negative(value: Any) -> None:
    assert problem(read_number, value) == "must be at least 0"


def test_numbers_are_read_from_json_and_from_text() -> None:
    assert read_number(2) == 2.0 and isinstance(read_number(2), float)
    assert [read_number(t) for t in ["1.5", "2.", ".5", "1e3", "+3", "-0"]] == [
        1.5, 2.0, 0.5, 1000.0, 3.0, 0.0]
    assert math.copysign(1, read_number(-0.0)) == 1  # -0 is 0


@given(st.floats(min_value=0, allow_nan=False, allow_infinity=False))
def test_a_number_reads_back_from_its_text(value: float) -> None:
    assert read_number(repr(value)) == value == read_number(value)


# ----------------------------------------------------------------------------- whole numbers


def test_whole_numbers() -> None:
    assert [read_int(v) for v in [3, 3.0, "3", "+3", "3.0", "3.00", "007"]] == [3] * 6 + [7]
    assert problem(read_int, 3.5) == "not a whole number"
    assert problem(read_int, "3.5") == "not a whole number"
    assert problem(read_int, "1e3") == "not a whole number"
    assert problem(read_int, -3) == "must be at least 0"
    assert problem(read_int, INT_MAX + 1) == f"must be at most {INT_MAX}"
    assert problem(read_int, "9" * 5000) == f"must be at most {INT_MAX}"  # no 4300-digit error
    assert problem(read_int, float("nan")) == "not a finite number"


@given(st.integers(0, INT_MAX))
def test_a_whole_number_reads_back_from_its_text(value: int) -> None:
    assert read_int(str(value)) == value == read_int(value)


# ----------------------------------------------------------------------------- others


def test_booleans_are_true_or_false() -> None:
    assert [read_bool(v) for v in [True, False, "true", "False", "TRUE"]] == [
        True, False, True, False, True]
    for loose in ["yes", "no", "1", "0", "t", "", 1, 0, None]:
        assert problem(read_bool, loose) == "not true or false"


def test_dates_are_iso_extended() -> None:
    assert read_date("2019-06-07") == dt.date(2019, 6, 7)
    assert read_date(dt.date(2019, 6, 7)) == dt.date(2019, 6, 7)
    for bad in ["20190607", "2019-6-7", "2019-W23-5", "2019-158", "2019-02-30",
                "2019-06-07T00:00", dt.datetime(2019, 6, 7), "٢٠١٩-٠٦-٠٧"]:
        assert problem(read_date, bad) == "not a date"


def test_date_times_are_iso_extended_and_in_the_zone() -> None:
    read = datetime_reader(ZONE)
    assert read("2019-06-07T09:00") == dt.datetime(2019, 6, 7, 9, tzinfo=ZONE)
    assert read("2019-06-07 09:00:00").hour == 9  # what pandas writes
    assert read("2019-06-07T01:00:00Z").hour == 9  # converted
    assert read("2019-06-07 01:00:00.5+00:00").hour == 9
    for bad in ["20190607T0900", "2019-06-07", "2019-06-07T9:00", "2019-06-07T09:00+0800",
                "2019-06-07T24:00"]:
        assert problem(read, bad) == "not a date and time"
    assert problem(read, "9999-12-31T23:59:59-12:00") == "out of range"
    assert problem(read, "0001-01-01T00:00") == "out of range"  # before year 1 in UTC


def test_strings_are_strings_of_unicode_text() -> None:
    assert read_string("新河街") == "新河街"
    assert problem(read_string, 3) == "not a string"
    assert problem(read_string, ["a"]) == "not a string"
    assert problem(read_string, "a\ud800") == "not valid Unicode text (a lone surrogate)"


def test_choices_are_exact() -> None:
    read = choice_reader(["必选", "自选"])
    assert read("必选") == "必选"
    assert problem(read, "必选 ") == "not one of '必选' or '自选'"
    assert problem(read, 1) == "not one of '必选' or '自选'"


def test_lists_are_arrays_or_the_forms_of_a_cell() -> None:
    read = list_reader(read_number)
    assert read([1, "2.5"]) == [1.0, 2.5]
    assert read("[1.2, 2.4]") == read("1.2;2.4") == read("1.2 | 2.4") == [1.2, 2.4]
    assert read("[np.float64(1.5), np.float64(2.0)]") == [1.5, 2.0]  # pandas, numpy 2
    assert read("[1.5 2. ]") == [1.5, 2.0]  # numpy's array
    assert read("[]") == [] and read("3") == [3.0]
    with pytest.raises(Invalid) as caught:
        read([1, -2])
    assert caught.value.where == (1,) and str(caught.value.problem) == "must be at least 0"
    with pytest.raises(Invalid) as nested:
        read("[[1], [2]]")  # a list inside a list: its items are no numbers
    assert nested.value.where == (0,) and str(nested.value.problem) == "not a number"
    assert problem(read, "[" * 100_000) == "not a list"
    assert problem(read, 1.5) == "not a list"
    strings = list_reader(read_string)
    assert strings("[1001, 1002]") == ["1001", "1002"]  # a cell's numbers are its text
    assert problem(strings, [1001]) == "not a string"  # a JSON array's are numbers
    assert problem(read, "[NaN]") == "not a number"


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("['jpg', 'png']", ["jpg", "png"]),  # DataFrame.to_csv of a list of strings
        ('["it\'s"]', ["it's"]),
        ("['a' 'b']", ["a", "b"]),  # a numpy array of strings
        ("[np.str_('a'), 'b']", ["a", "b"]),
        ("[True, False, np.True_]", [True, False, True]),
        ('["a", "b"]', ["a", "b"]),
        ("a;b;", ["a", "b"]),
        ("a|b", ["a", "b"]),
        ("jpg", ["jpg"]),
    ],
)
def test_the_list_forms_of_a_cell(text: str, items: list[Any]) -> None:
    assert list_items(text) == items


@given(st.lists(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=8),
                max_size=5))
def test_what_python_writes_for_a_list_of_strings_is_read_back(items: list[str]) -> None:
    assert list_items(str(items)) == items


@given(st.lists(st.floats(min_value=0, allow_nan=False, allow_infinity=False), max_size=5))
def test_what_python_writes_for_a_list_of_numbers_is_read_back(items: list[float]) -> None:
    assert list_reader(read_number)(str(items)) == items


# ----------------------------------------------------------------------------- core fields


def test_ids_units_and_kinds() -> None:
    assert core_text("id", "e1") == "e1"
    assert core_text("id", 17) == "17"  # a whole number is read as its digits
    assert core_text("kind", 17, whole=False) == "`kind`: not a string (got `17`)"
    assert core_text("id", 17.0) == "`id`: not a string (got `17.0`)"
    assert core_text("id", True) == "`id`: not a string (got `True`)"
    assert core_text("id", ["e1"]) == "`id`: not a string"
    assert core_text("id", {"a": 1}) == "`id`: not a string"
    assert core_text("id", " \t") == "`id` is blank"
    assert core_text("unit", " 一中") == "`unit`: spaces around the text (got ` 一中`)"
    assert core_text("id", "") == core_text("id", None) == "`id` is missing"
    assert core_text("id", "\ud800") == "`id`: not valid Unicode text (a lone surrogate)"


def test_every_rule_applies_to_a_row() -> None:
    """The reasons as a rejected row gives them, located by the attribute (and the item)."""
    assert reason(hours=float("nan")) == "`hours`: not a finite number (got `nan`)"
    assert reason(hours=True) == "`hours`: not a number (got `True`)"
    assert reason(hours=-1) == "`hours`: must be at least 0 (got `-1`)"
    assert reason(participants=-2) == "`participants`: must be at least 0 (got `-2`)"
    assert reason(participants="x") == "`participants`: not a whole number (got `x`)"
    assert reason(risky="yes") == "`risky`: not true or false (got `yes`)"
    assert reason(photo_mb=[1.2, "x"]) == "`photo_mb.1`: not a number (got `x`)"
    assert reason(at="20190607") == (
        "`at`: `20190607` is not an ISO 8601 date or date-time")
    assert reason(at="9999-12-31T23:59:59-12:00") == (
        "`at`: `9999-12-31T23:59:59-12:00` is out of range")
    assert reason(at=20190607) == "`at`: a date or date-time is required"
    assert reason(theme="ok\ud800") == (
        "`theme`: not valid Unicode text (a lone surrogate) (got `ok\ufffd`)")
    assert reason(id="\ud800") == "`id`: not valid Unicode text (a lone surrogate)"
    assert reason(hours="1.5", participants="3.0", risky="True", photo_mb="[1.5 2. ]") == ""


def test_undeclared_attributes_are_kept_as_given() -> None:
    event = read_events(POLICY, [{"id": "e1", "unit": "一中", "kind": "activity",
                                  "at": "2019-06-07", "note": float("nan"),
                                  "extra": {"a": [1, "好"]}}]).events[0]
    assert math.isnan(event.attributes["note"]) and event.attributes["extra"] == {"a": [1, "好"]}
    # but no string anywhere in a row may hold a lone surrogate
    assert reason(note="x\ud800") == (
        "`note`: not valid Unicode text (a lone surrogate) (got `x\ufffd`)")
    assert reason(extra=[{"k\udc00": 1}]).startswith("`extra`: not valid Unicode text")
    assert reason(**{"k\ud800": 1}) == "a field name must be text (got `k\ufffd`)"


def test_unit_facts_follow_the_same_rules() -> None:
    units = read_units(POLICY, [{"unit": "一中", "staff": -3}, {"unit": "二中", "staff": "x"},
                                {"unit": 17, "staff": "30"}, {"unit": "", "id": "三中"}])
    assert [r.reason for r in units.rejected] == [
        "`staff`: must be at least 0 (got `-3`)", "`staff`: not a whole number (got `x`)"]
    assert units.units["17"].latest["staff"] == 30
    assert "三中" in units.units  # `id` stands for `unit`


def test_numpy_values_as_pandas_hands_them_over() -> None:
    np = pytest.importorskip("numpy", reason="numpy comes with the `pandas` extra")
    assert read_number(np.float64(1.5)) == 1.5 and read_number(np.int64(2)) == 2.0
    assert read_int(np.int64(3)) == 3 and read_int(np.float64(3.0)) == 3
    assert read_bool(np.bool_(True)) is True
    assert problem(read_number, np.bool_(True)) == "not a number"
    assert problem(read_number, np.float64("nan")) == "not a finite number"
    assert core_text("id", np.int64(17)) == "17" and core_text("unit", np.str_("一中")) == "一中"
    frame_row = {"id": np.str_("e1"), "unit": "一中", "kind": "activity", "at": "2019-06-07",
                 "hours": np.float64(1.5), "participants": np.int64(3), "risky": np.bool_(False),
                 "photo_mb": np.array([1.5, 2.0])}
    event = read_events(POLICY, [frame_row]).events[0]
    assert dict(event.attributes) == {"hours": 1.5, "participants": 3, "risky": False,
                                      "photo_mb": [1.5, 2.0]}
