"""Numbers as people read them, one way everywhere: a whole number without a point
(`3`, not `3.0`), any other to a few significant figures (`1.5`, `0.3333` → `0.333`)."""

from __future__ import annotations


def number_text(value: float | int | None, figures: int = 4, none: str = "none") -> str:
    """`value` with at most `figures` significant figures (Python's `g` format), a whole
    number as an integer, `none` when there is no value."""
    if value is None:
        return none
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.{figures}g}"
