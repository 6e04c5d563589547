"""The checker: names, types, scopes, bands, deadlines, imports and supersession."""

from __future__ import annotations

from pathlib import Path

import pytest

import policyrules
from policyrules.diagnostics.errors import PolicyCheckError, PolicyLoadError
from policyrules.syntax import ast

VOCAB = """
units { type: string staff: int population: int parent: string }
event activity {
  hours: number
  participants: int
  category: one of ["必选", "自选"]
  theme: string
  festival: festival
  persons: list of string
  photo_mb: list of number
  risky: bool
}
event registration stock { person: string party_member: bool }
event report { form: string ref: string period: string }
event insurance { ref: string }
festival 中元节 "Ghost Festival" = lunar 07-15
festival 国庆节 = 10-01
set 节日 = [中元节, 国庆节]
set 主题 = ["关爱空巢老人", "留守儿童"]
band 人数 { ..20 => 10% round up  21.. => 3 }
"""


def policy(body: str, window: str = "2021-01-01 .. 2021-12-31") -> str:
    return f'{VOCAB}\npolicy p "测试" {{\n  effective {window}\n{body}\n}}\n'


def obligation(*statements: str) -> str:
    return policy('  obligation o "x" {\n    ' + "\n    ".join(statements) + "\n  }")


def errors(text: str) -> list[str]:
    with pytest.raises(PolicyCheckError) as caught:
        policyrules.parse(text, "t.pol")
    return [d.message for d in caught.value.diagnostics if d.is_error]


def hints(text: str) -> list[str | None]:
    with pytest.raises(PolicyCheckError) as caught:
        policyrules.parse(text, "t.pol")
    return [d.hint for d in caught.value.diagnostics if d.is_error]


def warnings(text: str) -> list[str]:
    return [d.message for d in policyrules.parse(text, "t.pol").warnings]


def test_a_realistic_obligation_checks() -> None:
    checked = policyrules.parse(
        obligation(
            "refs YZ-1, YZ-3",
            'cites "一、（三）"',
            'applies to unit.type in ["文明校园", "文明单位"]',
            "every quarter",
            "require count(activity where hours >= 1 and participants >= 人数(unit.staff)) >= 1",
        ),
        "t.pol",
    )
    ob = checked.obligation("o")
    assert ob.refs == ("YZ-1", "YZ-3")
    assert ob.severity is ast.SeverityLevel.MUST
    assert isinstance(ob.schedule, ast.Every) and ob.schedule.unit is ast.PeriodUnit.QUARTER
    assert checked.timezone == "Asia/Shanghai"
    assert str(checked.workday_end) == "17:30:00"


@pytest.mark.parametrize(
    ("requirement", "message"),
    [
        ("count(activity where hour >= 1) >= 1", "`hour` is not an attribute of `activity`"),
        (
            'count(activity where hours >= "1") >= 1',
            "cannot compare `hours` (a number) with a string",
        ),
        ("count(activity) >= 10%", "a percentage where a count is needed"),
        (
            'count(activity where category == "必须") >= 1',
            "`必须` is not one of the declared values",
        ),
        ("count(activity)", "a requirement must be true or false, but this is a whole number"),
        ("hours >= 1", "`hours` is an attribute of `activity`, not known here"),
        ("count(activty) >= 1", "unknown event kind `activty`"),
        ("unit.staf >= 1", "unknown unit fact `staf`"),
        ('subject == "x"', "`subject` is known only in per-person obligations"),
        ("sum(activity) >= 1", "`sum` needs an attribute to combine"),
        ("sum(theme of activity) >= 1", "`sum` needs a number, but `theme` is a string"),
        ("count(hours of activity) >= 1", "`count` counts events or distinct values"),
        (
            "count(activity) per theme in 主题 >= 2 and 中元节",
            "festival `中元节` is a day of the calendar, not a value",
        ),
        ("count(activity where at on 中秋节) >= 1", "unknown festival `中秋节`"),
        ("count(activity where theme on 中元节) >= 1", "`on` needs a date, not a string"),
        ("len(hours) >= 1", "`hours` is an attribute of `activity`, not known here"),
        ("count(activity) per theme in [1, 2] >= 1", "`per theme in …` needs a list of strings"),
    ],
)
def test_type_and_name_errors(requirement: str, message: str) -> None:
    found = errors(obligation("every month", f"require {requirement}"))
    assert message in found


def test_did_you_mean() -> None:
    assert "did you mean `participants`?" in hints(
        obligation("every month", "require count(activity where partcipants >= 3) >= 1")
    )
    assert "did you mean `staff`?" in hints(obligation("every month", "require unit.staf >= 1"))
    assert "did you mean `必选`?" in hints(
        obligation("every month", 'require count(activity where category == "必远") >= 1')
    )


def test_ratio_compares_with_a_percentage() -> None:
    policyrules.parse(
        obligation(
            "every year",
            "let volunteers = distinct(person of registration)",
            "require count(distinct person of registration where party_member)"
            " / count(volunteers) >= 70%",
            "require count(volunteers) >= 13% of unit.population",
        ),
        "t.pol",
    )


def test_trigger_scope_reads_bare_attributes() -> None:
    checked = policyrules.parse(
        obligation(
            "for each activity where risky",
            "require exists(insurance where ref == trigger.id and at < trigger.at)",
            "require hours >= 1 and all(p in photo_mb: p between 1 and 3)",
        ),
        "t.pol",
    )
    assert isinstance(checked.obligation("o").schedule, ast.ForEachEvent)


def test_festival_attribute_is_a_pattern() -> None:
    policyrules.parse(
        obligation("every year", "require count(activity where at on festival ± 7 days) >= 10"),
        "t.pol",
    )
    assert "`theme` is a string, not a festival" in errors(
        obligation("every year", "require count(activity where at on theme ± 7 days) >= 10")
    )


def test_per_person_subject() -> None:
    policyrules.parse(
        obligation(
            "for each person of registration where party_member",
            "each 07-01 ± 15 days",
            "require count(activity from all units where subject in persons) >= 2",
        ),
        "t.pol",
    )


def test_from_area_needs_parent() -> None:
    text = obligation("every year", "require count(activity from area) >= 1").replace(
        " parent: string", ""
    )
    assert "`from area` needs to know which units lie under which" in errors(text)


def test_grouping_longer_than_the_period_is_an_error() -> None:
    assert "a quarter does not fit in a month" in errors(
        obligation("every month", "require count(activity) per quarter >= 1")
    )


def test_every_versus_on_average() -> None:
    every = policyrules.parse(
        obligation("every year", "require count(activity) per month >= 1"), "t.pol"
    )
    average = policyrules.parse(
        obligation("every year", "require avg(count(activity) per month) >= 1"), "t.pol"
    )
    assert every.obligation("o").requires != average.obligation("o").requires


@pytest.mark.parametrize(
    ("statements", "message"),
    [
        (
            ("once", "require count(report) >= 1", "due 2020-12-31"),
            "the deadline 2020-12-31 is before the obligation's window starts (2021-01-01)",
        ),
        (
            ("every month", "require count(report) >= 1", "due 2 working days after trigger"),
            "`trigger` is known only in `for each …` obligations",
        ),
        (
            ("every quarter", "require count(report) >= 1", "due day 25 of month 4"),
            "a quarter has no month 4",
        ),
        (
            ("every quarter", "require count(report) >= 1", "due 03-20"),
            "`due 03-20` needs a yearly schedule",
        ),
        (
            ("for each activity", "require count(report) >= 1", "due end of period"),
            "a per-event obligation has no period to end",
        ),
        (
            ("once", "require count(report) >= 1", "partial periods skip"),
            "`partial periods` applies only to `every …` schedules",
        ),
        (
            ("every month", "every year", "require count(report) >= 1"),
            "obligation `o` has two schedules",
        ),
        (("every month",), "obligation `o` requires nothing"),
        (
            ("every month", "require count(report) >= 1", "due 2021-03-05", "due 2021-03-06"),
            "`due` is given twice in obligation `o`",
        ),
    ],
)
def test_statement_errors(statements: tuple[str, ...], message: str) -> None:
    assert message in errors(obligation(*statements))


def test_yearly_deadline_before_a_mid_year_window_warns() -> None:
    found = warnings(
        policy(
            '  obligation o "x" {\n    every year\n    require count(report) >= 1\n'
            "    due 03-20\n  }",
            window="2020-07-18 ..",
        )
    )
    assert "in 2020 the deadline 2020-03-20 falls before the window starts (2020-07-18)" in found


def test_partial_year_full_target_warns_unless_confirmed() -> None:
    body = '  obligation o "x" {{\n    every year\n{}    require count(activity) >= 4\n  }}'
    found = warnings(policy(body.format(""), window="2019-05-22 .. 2019-12-31"))
    assert found == [
        "2019 is only partly inside the window (8 of 12 months); the full target of 4 applies to it"
    ]
    confirmed = policy(
        body.format("    partial periods count\n"), window="2019-05-22 .. 2019-12-31"
    )
    assert warnings(confirmed) == []


def test_band_rules() -> None:
    assert "band `b` has a gap: no row covers 21..30" in errors(
        "band b { ..20 => 2  31.. => 3 }\n" + policy("")
    )
    assert "band `b` does not cover values above 50" in errors(
        "band b { ..20 => 2  21..50 => 3 }\n" + policy("")
    )


def test_duplicate_definitions_across_imports(tmp_path: Path) -> None:
    (tmp_path / "lib.pol").write_text('set s = ["a"]\n', encoding="utf-8")
    (tmp_path / "main.pol").write_text(
        'import "lib.pol"\nset s = ["b"]\npolicy p "x" { effective 2021-01-01 .. }\n',
        encoding="utf-8",
    )
    with pytest.raises(PolicyCheckError) as caught:
        policyrules.load(tmp_path / "main.pol")
    assert caught.value.diagnostics[0].message == "`s` is defined twice"


def test_import_must_be_relative_and_exist(tmp_path: Path) -> None:
    (tmp_path / "main.pol").write_text(
        'import "/etc/passwd.pol"\nimport "missing.pol"\n'
        'policy p "x" { effective 2021-01-01 .. }\n',
        encoding="utf-8",
    )
    with pytest.raises(PolicyLoadError) as caught:
        policyrules.load(tmp_path / "main.pol")
    messages = [d.message for d in caught.value.diagnostics]
    assert messages == [
        "cannot import `/etc/passwd.pol`: imports are paths relative to the importing file",
        "cannot find `missing.pol`",
    ]


def test_a_later_policy_supersedes_an_obligation(tmp_path: Path) -> None:
    (tmp_path / "old.pol").write_text(
        VOCAB + 'policy yuzhong_2019 "旧" {\n  effective 2019-05-22 ..\n'
        '  obligation yz_2 "全年4次" {\n    every quarter\n    require count(activity) >= 1\n'
        "    until superseded\n  }\n}\n",
        encoding="utf-8",
    )
    (tmp_path / "new.pol").write_text(
        'import "old.pol"\n\npolicy yuzhong_2021 "另行通知" {\n  effective 2021-01-01 ..\n'
        '  obligation yz_2_new "每月一次" {\n    every month\n    require count(activity) >= 1\n'
        "    supersedes yuzhong_2019.yz_2\n  }\n}\n",
        encoding="utf-8",
    )
    checked = policyrules.load(tmp_path / "new.pol")
    old = next(ob for ob in checked.obligations if ob.name == "yz_2")
    new = checked.obligation("yz_2_new")
    assert str(old.superseded_from) == "2021-01-01"
    assert new.supersedes == ("yuzhong_2019", "yz_2")
    assert checked.warnings == ()


def test_unknown_time_zone() -> None:
    text = policy("").replace("effective", 'timezone "Asia/Beijing"\n  effective')
    assert "unknown time zone `Asia/Beijing`" in errors(text)


def test_all_errors_of_a_file_are_collected() -> None:
    found = errors(
        obligation(
            "every month",
            "require count(activity where hour >= 1) >= 1",
            "require count(activty) >= 1",
            "require unit.staf >= 1",
        )
    )
    assert len(found) == 3


def test_between_applies_to_every_group() -> None:
    policyrules.parse(
        obligation("every year", "require count(activity) per quarter between 0 and 1"), "t.pol"
    )


def test_a_let_mistake_is_reported_once() -> None:
    text = "let ok = hour >= 1\n" + obligation(
        "every month",
        "require count(activity where ok) >= 1",
        "require count(activity where ok) >= 2",
    )
    assert errors(text).count("`hour` is not an attribute of `activity`") == 1


def test_the_trigger_has_no_attributes_while_it_is_chosen() -> None:
    found = errors(obligation("for each activity where trigger.hours > 1", "require risky"))
    assert "the trigger is being chosen here, so it has no attributes yet" in found


def test_open_ended_once_without_a_deadline_warns() -> None:
    text = policy(
        '  obligation o "x" {\n    once\n    require count(activity) >= 1\n  }',
        window="2021-01-01 ..",
    )
    assert warnings(text) == [
        "obligation `o` has no end and no deadline, so it can never be overdue"
    ]


def test_festival_names_in_lists_are_checked() -> None:
    assert "`国庆` is not a festival" in errors(
        obligation("every year", 'require count(activity where festival in ["国庆"]) >= 1')
    )


def test_field_names_that_are_keywords_after_a_value_set() -> None:
    text = 'event 会议 { type: one of ["全体会议", "专题会议"] due: date period: string }\n'
    checked = policyrules.parse(text + policy(""), "t.pol")
    assert set(checked.definitions.events["会议"].fields) == {"type", "due", "period"}
