"""The report: one typed result per unit, obligation and period, as the contract fixes them.

Results and reports are pydantic models: typed objects in Python, one JSON document on the
command line (`--format json`), rows in CSV. Field names and status values are the outside
contract (../shared/spec/contract.md); they change only with a changelog note.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Status = Literal["met", "late", "overdue", "at_risk", "pending", "indeterminate"]
STATUSES: tuple[Status, ...] = ("met", "late", "overdue", "at_risk", "pending", "indeterminate")


class PeriodOut(BaseModel):
    model_config = ConfigDict(frozen=True)

    label: str
    start: dt.date
    end: dt.date


class SourceOut(BaseModel):
    model_config = ConfigDict(frozen=True)

    file: str
    line: int | None = None
    clause: str | None = None


class Result(BaseModel):
    """Where one obligation stands for one unit (or person) and period, and why."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(description="stable id of the instance: policy/obligation/unit[/person]/period")
    unit: str
    person: str | None = None
    obligation: str
    title: str
    policy: str
    period: PeriodOut
    due: dt.datetime | None
    status: Status
    severity: Literal["must", "advisory"]
    required: float | None = None
    actual: float | None = None
    evidence: list[str] = Field(default_factory=list)
    reason: str
    slack: str | None = None
    source: SourceOut
    refs: list[str] = Field(default_factory=list)
    consequence: str | None = None
    trigger: str | None = Field(default=None, description="the event that opened the instance")


class RejectedRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    source: str
    line: int
    id: str | None
    what: Literal["event", "unit"]
    reason: str


class Summary(BaseModel):
    event_rows: int = 0
    events_accepted: int = 0
    events_rejected: int = 0
    unit_rows: int = 0
    units_accepted: int = 0
    units_rejected: int = 0
    units_checked: int = 0
    results: int = 0
    by_status: dict[str, int] = Field(default_factory=dict)
    must_overdue: int = 0


class Report(BaseModel):
    """Every result of one evaluation, the rejected input rows, and a summary."""

    policy: str
    title: str
    as_of: dt.datetime
    results: list[Result] = Field(default_factory=list)
    rejected: list[RejectedRow] = Field(default_factory=list)
    summary: Summary = Field(default_factory=Summary)
    notes: list[str] = Field(default_factory=list)

    def filter(
        self,
        unit: str | None = None,
        obligation: str | None = None,
        status: str | None = None,
    ) -> list[Result]:
        return [
            r
            for r in self.results
            if (unit is None or r.unit == unit)
            and (obligation is None or r.obligation == obligation)
            and (status is None or r.status == status)
        ]

    def counts(self) -> dict[str, int]:
        found = Counter(r.status for r in self.results)
        return {s: found.get(s, 0) for s in STATUSES}

    def to_json(self, indent: int | None = 2) -> str:
        return self.model_dump_json(indent=indent)

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(
            ["unit", "person", "obligation", "refs", "period", "start", "end", "due", "status",
             "severity", "required", "actual", "evidence", "reason"]
        )
        for r in self.results:
            writer.writerow(
                [r.unit, r.person or "", r.obligation, " ".join(r.refs), r.period.label,
                 r.period.start, r.period.end, r.due.isoformat() if r.due else "", r.status,
                 r.severity, _number(r.required), _number(r.actual), " ".join(r.evidence),
                 r.reason]
            )
        return out.getvalue()


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
