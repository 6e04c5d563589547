"""The report as a text table, one line per result (the `check` command's default)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from policyrules.diagnostics.messages import status_name, t
from policyrules.diagnostics.numbers import number_text
from policyrules.diagnostics.source import display_width

COLOURS = {
    "met": "32",
    "late": "33",
    "overdue": "31;1",
    "at_risk": "35",
    "pending": "0",
    "indeterminate": "34",
}


def table(results: Sequence[Any], colour: bool, lang: str = "en") -> str:
    headers = ("unit", "obligation", "refs", "period", "due", "status", "actual/req", "reason")
    rows = [tuple(t(lang, h) for h in headers)]
    for r in results:
        numbers = ""
        if r.required is not None:
            numbers = f"{_num(r.actual)}/{_num(r.required)}"
        rows.append(
            (
                unit_text(r, lang) + (f" · {r.person}" if r.person else ""),
                r.obligation,
                ",".join(r.refs),
                r.period.label,
                r.due.strftime("%Y-%m-%d %H:%M") if r.due else "",
                status_name(lang, r.status),
                numbers,
                r.reason if len(r.reason) <= 90 else r.reason[:89] + "…",
            )
        )
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    lines = []
    for index, row in enumerate(rows):
        cells = []
        for i, cell in enumerate(row[:-1]):
            padded = cell + " " * (widths[i] - display_width(cell))
            if colour and i == 5 and index > 0:
                code = COLOURS.get(results[index - 1].status, "0")
                padded = f"\x1b[{code}m{padded}\x1b[0m"
            cells.append(padded)
        cells.append(row[-1])
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def unit_text(result: Any, lang: str = "en") -> str:
    """A unit as people read it: its name from the units file, with its id beside it."""
    name = getattr(result, "unit_name", None)
    if not name or name == result.unit:
        return str(result.unit)
    return t(lang, "{name} ({unit})", name=name, unit=result.unit)


def _num(value: float | None) -> str:
    return number_text(value, 3, none="-")
