"""Hostile policy text (issue #15, the syntax side): every limit is checked where the value is
read, and every breach is a located diagnostic — file:line:column, the caret, a hint — never
a bare ValueError, OverflowError or RecursionError."""

from __future__ import annotations

from pathlib import Path

import pytest

import policyrules
from policyrules.cli import main
from policyrules.diagnostics.errors import PolicyError, PolicySyntaxError
from policyrules.syntax import ast
from policyrules.syntax.limits import MAX_DURATION, MAX_INT_DIGITS
from policyrules.syntax.parser import parse, parse_expression

_POLICY = """event activity {{ hours: number }}
event report {{ }}
policy p "P" {{
  effective 2021-01-01 .. 2021-12-31
  {meta}
  obligation o "O" {{
    {schedule}
    require {requirement}
  }}
}}
"""


def policy(meta: str = "", schedule: str = "every month",
           requirement: str = "count(activity) >= 1") -> str:
    return _POLICY.format(meta=meta, schedule=schedule, requirement=requirement)


def located(error: PolicyError, line: int, column: int | None = None) -> str:
    """The first diagnostic rendered, after checking it is located with a caret and a hint."""
    diagnostic = error.diagnostics[0]
    assert diagnostic.span is not None, diagnostic
    assert diagnostic.span.file == "t.pol"
    assert diagnostic.span.line == line
    if column is not None:
        assert diagnostic.span.column == column
    assert diagnostic.hint, diagnostic
    text = error.render()
    assert text.startswith(f"t.pol:{line}:")
    assert "^" in text and "= hint: " in text
    return text


def refused(text: str) -> PolicyError:
    with pytest.raises(PolicyError) as caught:
        policyrules.parse(text, "t.pol")
    return caught.value


# ----------------------------------------------------------------------------- numbers


def test_a_number_past_pythons_digit_limit_is_refused_before_conversion() -> None:
    # 5,000 digits of leading zeros: within 15 significant digits, past int()'s 4,300
    error = refused(policy(requirement="count(activity) >= " + "0" * 5000 + "1"))
    text = located(error, 8, 32)
    assert "written with too many digits" in text
    assert f"at most {MAX_INT_DIGITS} digits" in text


def test_a_huge_number_is_too_large() -> None:
    error = refused(policy(requirement="count(activity) >= " + "9" * 5000))
    assert "is too large" in located(error, 8)


@pytest.mark.parametrize("number", ["1" * 16, "0" * 16, "1." + "5" * 16, "0" * 5000 + "1.5",
                                    "1" * 16 + "%"])
def test_every_number_is_checked_against_the_documented_limit(number: str) -> None:
    with pytest.raises(PolicySyntaxError) as caught:
        parse_expression(number)
    assert caught.value.diagnostics[0].span is not None


def test_numbers_at_the_limit_are_read() -> None:
    assert parse_expression("9" * MAX_INT_DIGITS) is not None
    assert parse_expression("0." + "5" * MAX_INT_DIGITS) is not None


def test_an_ordinal_of_thousands_of_digits_is_not_a_week() -> None:
    error = refused(policy(schedule="every month on " + "0" * 5000 + "1st saturday"))
    assert "is not a week of a month" in located(error, 7, 20)


# ----------------------------------------------------------------------------- durations


@pytest.mark.parametrize(
    ("meta", "schedule", "line", "shown"),
    [
        ("warn 999999999999999 days", "every month", 5, "999999999999999 days"),
        ("", "for each activity\n    due 3000000 days after trigger", 8, "3000000 days"),
        ("", "each 01-01 ± 3000000 days", 7, "3000000 days"),
        ("warn 5218 weeks", "every month", 5, "5218 weeks"),
        ("warn 876601 hours", "every month", 5, "876601 hours"),
        ("", "every month\n    due 36526 working days after period end", 8, "36526 days"),
    ],
)
def test_a_duration_longer_than_100_years_is_refused_where_it_is_read(
    meta: str, schedule: str, line: int, shown: str
) -> None:
    requirement = "exists(report)" if "trigger" in schedule else "count(activity) >= 1"
    error = refused(policy(meta, schedule, requirement))
    text = located(error, line)
    assert f"`{shown}` is too long a duration" in text
    assert "at most about 100 years" in text


def test_durations_at_the_limit_parse() -> None:
    for unit, most in MAX_DURATION.items():
        parse(f'policy p "P" {{\n  warn {most} {unit.value}s\n}}\n')


# ----------------------------------------------------------------------------- characters


@pytest.mark.parametrize(
    ("text", "line", "column", "said"),
    [
        ('policy p "P\x00" {\n}\n', 1, 12, "control character U+0000 in a string"),
        ('policy p "P\x1b[2J" {\n}\n', 1, 12, "control character U+001B in a string"),
        ('# ring \x07\npolicy p "P" {\n}\n', 1, 8, "control character U+0007 in a comment"),
        ('import "a\x00b.pol"\n', 1, 10, "control character U+0000 in a string"),
        ('policy p "P" {\r}\n', 1, 15, "a carriage return (U+000D) that does not end a line"),
        ('policy p "P" {\n\x0c}\n', 2, 1, "unexpected control character U+000C"),
        ('policy p "P" {\n  issuer "a\x7fb"\n}\n', 2, 12, "control character U+007F in a string"),
        ('policy p "\ud800" {\n}\n', 1, 11, "a lone surrogate U+D800 is not a character"),
    ],
)
def test_control_characters_are_refused_with_their_place(
    text: str, line: int, column: int, said: str
) -> None:
    with pytest.raises(PolicySyntaxError) as caught:
        parse(text, "t.pol")
    assert said in located(caught.value, line, column)


def test_tabs_and_crlf_line_ends_are_text() -> None:
    parse('policy p "P\t1" {\r\n  # a\tcomment\r\n}\r\n', "t.pol")


@pytest.mark.parametrize(
    ("requirement", "digit"), [("count(activity) >= ３", "３"), ("count(activity) >= ٣", "٣"),
                               ("count(activity) >= 1٣", "٣")]
)
def test_unicode_digits_are_not_numbers(requirement: str, digit: str) -> None:
    text = located(refused(policy(requirement=requirement)), 8)
    assert f"`{digit}` is not a digit of a number" in text
    assert "ASCII digits 0 to 9" in text


def test_unicode_digits_are_not_dates_or_times() -> None:
    with pytest.raises(PolicySyntaxError) as caught:
        parse('policy p "P" {\n  effective ２０２１-01-01 ..\n}\n', "t.pol")
    assert "`２` is not a digit of a number" in located(caught.value, 2, 13)
    with pytest.raises(PolicySyntaxError):
        parse('policy p "P" {\n  workday ends 1７:30\n}\n', "t.pol")


def test_unicode_digits_stay_usable_inside_names() -> None:
    # a name may hold any digit after its first character (第３期 is a name)
    assert parse_expression("第３期") == ast.Name("第３期")


# ----------------------------------------------------------------------------- the checker


def test_a_time_zone_name_too_long_for_a_file_name_is_an_unknown_zone() -> None:
    error = refused(policy(meta='timezone "' + "A" * 256 + '"'))
    assert "unknown time zone" in located(error, 5)


def test_a_file_without_a_policy_is_reported_at_its_first_line() -> None:
    for text in ("", "# only a comment\n", '\n\nset s = ["a"]\n'):
        error = refused(text)
        assert error.diagnostics[0].span is not None
        assert error.render().startswith("t.pol:1:1: error: the file defines no policy")


def test_the_cli_names_the_file_that_defines_no_policy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "lib.pol"
    path.write_text("# shared things only\n", encoding="utf-8")
    events = tmp_path / "e.jsonl"
    events.write_text("", encoding="utf-8")
    assert main(["check", str(path), "--events", str(events)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:1:1: error: the file defines no policy" in err
    assert "<policy>" not in err
