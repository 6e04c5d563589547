"""Hostile input ends in one clear error, quickly, whatever it is.

These are not timing tests of speed: each case must *finish* (the generous bound only
catches runaway behaviour such as exponential backtracking or unbounded recursion)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policyrules import load
from policyrules.diagnostics.errors import PolicyError, PolicyLoadError, PolicySyntaxError
from policyrules.syntax.parser import MAX_NESTING, parse


def assert_clear_error(error: PolicyError) -> None:
    text = error.render()
    assert text
    assert "Traceback" not in text
    first = text.splitlines()[0]
    assert ": error: " in first


def test_ten_megabyte_file_is_refused_without_parsing(tmp_path: Path) -> None:
    path = tmp_path / "huge.pol"
    path.write_text("# " + "x" * (10 * 1024 * 1024) + "\n", encoding="utf-8")
    start = time.perf_counter()
    with pytest.raises(PolicyError) as caught:
        load(path)
    assert time.perf_counter() - start < 5
    assert "too large" in caught.value.render()


def test_large_text_is_refused_before_parsing() -> None:
    with pytest.raises(PolicySyntaxError) as caught:
        parse("#" * (5 * 1024 * 1024))
    assert "too large" in caught.value.render()


def test_deep_brackets_are_refused() -> None:
    text = "let x = " + "(" * 10_000 + "1" + ")" * 10_000
    with pytest.raises(PolicySyntaxError) as caught:
        parse(text)
    assert f"nested more than {MAX_NESTING} deep" in caught.value.render()


def test_long_operator_chains_do_not_exhaust_the_stack() -> None:
    # no brackets at all, but a left-deep tree 20,000 levels tall
    text = "let x = " + " and ".join(["true"] * 20_000)
    with pytest.raises(PolicySyntaxError) as caught:
        parse(text)
    assert "nested more than" in caught.value.render()
    not_chain = "let x = " + "not " * 20_000 + "true"
    with pytest.raises(PolicySyntaxError):
        parse(not_chain)


def test_absurd_numbers_are_refused() -> None:
    with pytest.raises(PolicySyntaxError) as caught:
        parse("let x = " + "9" * 100_000)
    assert "too large" in caught.value.render()
    with pytest.raises(PolicySyntaxError):
        parse("let x = 1." + "5" * 100)


def test_binary_junk_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "junk.pol"
    path.write_bytes(bytes(range(256)) * 64)
    with pytest.raises(PolicyLoadError) as caught:
        load(path)
    assert_clear_error(caught.value)
    assert "not UTF-8" in caught.value.render()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_parses_or_fails_cleanly(text: str) -> None:
    try:
        parse(text, "fuzz.pol")
    except PolicySyntaxError as error:
        assert_clear_error(error)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_load_or_fail_cleanly(tmp_path_factory: pytest.TempPathFactory,
                                        data: bytes) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.pol"
    path.write_bytes(data)
    try:
        load(path)
    except PolicyError as error:
        assert_clear_error(error)
