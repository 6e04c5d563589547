"""Helpers shared by the hand-worked obligation tests (tests/test_obligations_*.py): event
rows written out briefly, and views of a report by obligation, unit and period."""

from __future__ import annotations

from typing import Any

from policyrules.report.model import Report, Result


def ev(ident: str, unit: str, kind: str, at: str, **attributes: Any) -> dict[str, Any]:
    return {"id": ident, "unit": unit, "kind": kind, "at": at, **attributes}


def by_label(report: Report, obligation: str, unit: str) -> dict[str, Result]:
    return {r.period.label: r for r in report.filter(unit=unit, obligation=obligation)}


def statuses(report: Report, obligation: str, unit: str) -> dict[str, str]:
    return {label: r.status for label, r in by_label(report, obligation, unit).items()}


def units_with(report: Report, obligation: str) -> set[str]:
    return {r.unit for r in report.filter(obligation=obligation)}
