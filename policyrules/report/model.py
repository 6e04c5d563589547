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
from collections.abc import Callable, Collection, Iterable
from typing import TYPE_CHECKING, Any, Literal, TextIO

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from policyrules.diagnostics.messages import msg, t
from policyrules.diagnostics.numbers import number_text
from policyrules.report.provenance import Provenance
from policyrules.report.selection import Names, Selection

if TYPE_CHECKING:
    from policyrules.data.model import EventSet, UnitSet

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
    unit_name: str | None = Field(default=None, description="the unit's `name` in the units file")
    plain: str | None = Field(
        default=None, description="where it stands in plain words, in the report's language")

    def selected(
        self,
        unit: str | Collection[str] | None = None,
        obligation: str | Collection[str] | None = None,
        status: str | Collection[str] | None = None,
    ) -> bool:
        """Whether the result is one of the units, obligations and statuses given (each a
        name or several; None: any): the filters of :meth:`Report.filter` and `policyrules
        check`. Nothing is validated here: see :class:`~policyrules.report.selection.Selection`."""
        return Selection.of(unit, obligation, status).holds(self)


class RejectedRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    source: str
    line: int
    id: str | None
    what: Literal["event", "unit"]
    reason: str

    def text(self, lang: str = "en") -> str:
        """`file:line: rejected event (id `x`): reason`, as the command line prints it; the
        reason is in the language the report was built in."""
        values = {"source": self.source, "line": self.line, "reason": self.reason}
        if self.id:
            return t(lang, "{source}:{line}: rejected {what} (id `{id}`): {reason}",
                     what=msg(self.what), id=self.id, **values)
        return t(lang, "{source}:{line}: rejected {what}: {reason}", what=msg(self.what),
                 **values)


class Tally:
    """What a summary says of results, counted as they go by: a streamed report (see
    :func:`write_json`) never holds its results, yet its summary adds up."""

    def __init__(self) -> None:
        self.by_status: Counter[str] = Counter()
        self.units: set[str] = set()
        self.results = 0
        self.must_overdue = 0

    def add(self, result: Result) -> None:
        self.results += 1
        self.by_status[result.status] += 1
        self.units.add(result.unit)
        if result.status == "overdue" and result.severity == "must":
            self.must_overdue += 1

    def counts(self) -> dict[str, int]:
        return {s: self.by_status.get(s, 0) for s in STATUSES}

    def merge(self, other: Tally) -> None:
        """Add what another tally counted (of other units' results)."""
        self.by_status.update(other.by_status)
        self.units |= other.units
        self.results += other.results
        self.must_overdue += other.must_overdue


class InputSummary(BaseModel):
    """What one input file held: `rows == accepted + rejected`."""

    source: str
    what: Literal["event", "unit"]
    rows: int
    accepted: int
    rejected: int


class Summary(BaseModel):
    """Counts that add up: `event_rows == events_accepted + events_rejected` and
    `unit_rows == unit_rows_accepted + unit_rows_rejected`, in all and input by input."""

    event_rows: int = 0
    events_accepted: int = 0
    events_rejected: int = 0
    unit_rows: int = 0
    #: distinct units accepted (a unit may have several rows, one per `valid_from`)
    units_accepted: int = 0
    #: unit rows rejected (the same number as `unit_rows_rejected`, kept for compatibility)
    units_rejected: int = 0
    unit_rows_accepted: int = 0
    unit_rows_rejected: int = 0
    units_checked: int = 0
    results: int = 0
    by_status: dict[str, int] = Field(default_factory=dict)
    must_overdue: int = 0
    #: accepted events of kinds no obligation reads, by kind; of those, the kinds the policy
    #: does not declare (misspelt, most likely: `check --strict` fails on them)
    kinds_unread: dict[str, int] = Field(default_factory=dict)
    kinds_undeclared: dict[str, int] = Field(default_factory=dict)


def input_summary(events: EventSet, units: UnitSet | None) -> dict[str, Any]:
    """The input counts of a :class:`Summary`: rows, accepted and rejected, of events and
    of units, and the kinds no obligation reads."""
    return {
        "event_rows": events.rows,
        "events_accepted": events.accepted(),
        "events_rejected": len(events.rejected),
        "unit_rows": units.rows if units else 0,
        "units_accepted": len(units.units) if units else 0,
        "units_rejected": len(units.rejected) if units else 0,
        "unit_rows_accepted": units.versions if units else 0,
        "unit_rows_rejected": len(units.rejected) if units else 0,
        "kinds_unread": events.kinds_unread(),
        "kinds_undeclared": events.kinds_undeclared(),
    }


def input_files(events: EventSet, units: UnitSet | None) -> list[InputSummary]:
    """What each input held and what came of it, events first, in the order read."""
    return [InputSummary(source=c.source, what=c.what, rows=c.rows, accepted=c.accepted,
                         rejected=c.rejected)
            for c in [*events.inputs, *(units.inputs if units else [])]]


class Report(BaseModel):
    """Every result of one evaluation, the rejected input rows, and a summary."""

    policy: str
    title: str
    as_of: dt.datetime
    results: list[Result] = Field(default_factory=list)
    rejected: list[RejectedRow] = Field(default_factory=list)
    #: each input read (file, standard input, rows from Python), with its counts
    inputs: list[InputSummary] = Field(default_factory=list)
    summary: Summary = Field(default_factory=Summary)
    notes: list[str] = Field(default_factory=list)
    #: what the report was made from (versions, hashes, rows): see report.provenance
    provenance: Provenance | None = None
    # the units and obligations the report could have results for (see `filter`)
    _names: Names | None = PrivateAttr(default=None)

    def know(self, names: Names) -> None:
        """Remember which units and obligations the evaluation had (a unit of the units file
        may have no result, an obligation may not have started), for :meth:`filter`."""
        self._names = names

    def filter(
        self,
        unit: str | Collection[str] | None = None,
        obligation: str | Collection[str] | None = None,
        status: str | Collection[str] | None = None,
    ) -> list[Result]:
        """The results of the units, obligations and statuses given (each a name or a list
        of names; None: any). `status` may be `not-met`: every status but `met`.

        A name that matches nothing raises :class:`FilterError` (a ValueError) with the
        closest name: a unit neither in the units file nor in the events, an obligation the
        policy does not have, a status that is not one. A unit or obligation that exists but
        has no result (out of scope, not yet started) gives an empty list. A report read back
        from JSON knows only the names of its results."""
        selection = self.selection(unit, obligation, status)
        return [r for r in self.results if selection.holds(r)]

    def selection(
        self,
        unit: str | Collection[str] | None = None,
        obligation: str | Collection[str] | None = None,
        status: str | Collection[str] | None = None,
    ) -> Selection:
        """What :meth:`filter` keeps, checked as it checks it."""
        names = self._names or Names.of_results(self.results)
        return Selection.checked(unit, obligation, status, names)

    def counts(self) -> dict[str, int]:
        found = Counter(r.status for r in self.results)
        return {s: found.get(s, 0) for s in STATUSES}

    def to_json(self, indent: int | None = 2) -> str:
        return self.model_dump_json(indent=indent)

    def __repr__(self) -> str:
        counts = ", ".join(f"{n} {s}" for s, n in self.counts().items() if n)
        return (
            f"<Report {self.policy} as of {self.as_of:%Y-%m-%d}: {len(self.results)} results"
            f" ({counts or 'none'}), {len(self.rejected)} rejected rows>"
        )

    __str__ = __repr__  # print(report) gives the summary line, not every result

    def to_pandas(self) -> Any:
        """One row per result, with typed columns (needs the optional extra `pandas`)."""
        try:
            import pandas as pd
        except ImportError as error:
            raise ImportError(
                "Report.to_pandas needs pandas: pip install 'policyrules[pandas]'"
            ) from error
        rows = [
            {
                "unit": r.unit,
                "person": r.person,
                "obligation": r.obligation,
                "refs": " ".join(r.refs),
                "period": r.period.label,
                "period_start": r.period.start,
                "period_end": r.period.end,
                "due": r.due,
                "status": r.status,
                "severity": r.severity,
                "required": r.required,
                "actual": r.actual,
                "evidence": list(r.evidence),
                "reason": r.reason,
                "clause": r.source.clause,
                "unit_name": r.unit_name,
                "plain": r.plain,
            }
            for r in self.results
        ]
        frame = pd.DataFrame(rows, columns=list(rows[0]) if rows else [
            "unit", "person", "obligation", "refs", "period", "period_start", "period_end",
            "due", "status", "severity", "required", "actual", "evidence", "reason", "clause",
            "unit_name", "plain"])
        for column in ("unit", "person", "obligation", "refs", "period", "reason", "clause",
                       "unit_name", "plain"):
            frame[column] = frame[column].astype("string")
        frame["period_start"] = pd.to_datetime(frame["period_start"])
        frame["period_end"] = pd.to_datetime(frame["period_end"])
        frame["due"] = pd.to_datetime(frame["due"], utc=True).dt.tz_convert(
            self.as_of.tzinfo if self.as_of.tzinfo else "UTC"
        )
        frame["status"] = pd.Categorical(frame["status"], categories=list(STATUSES))
        frame["severity"] = pd.Categorical(frame["severity"], categories=["must", "advisory"])
        frame["required"] = frame["required"].astype("float64")
        frame["actual"] = frame["actual"].astype("float64")
        return frame

    def to_csv(self, lang: str = "en") -> str:
        """The results as CSV with the header in `lang` and the provenance as a footer."""
        out = io.StringIO()
        write_csv(self.results, out, lang, self.provenance)
        return out.getvalue()


def _number(value: float | None) -> str:
    return number_text(value, 6, none="")


_CSV_HEADER = ["unit", "person", "obligation", "refs", "period", "start", "end", "due", "status",
               "severity", "required", "actual", "evidence", "reason", "unit_name", "plain"]


def write_csv(results: Iterable[Result], out: TextIO, lang: str = "en",
              provenance: Provenance | None = None) -> None:
    """Results as CSV, one row each, written as they come; the header in `lang`, and the
    provenance as a footer when given."""
    write_csv_chunks((csv_rows([r]) for r in results), out, lang, provenance)


def csv_rows(results: Iterable[Result]) -> str:
    """The CSV rows of `results` (no header), as text."""
    out = io.StringIO()
    writer = csv.writer(out)
    for r in results:
        writer.writerow(
            [r.unit, r.person or "", r.obligation, " ".join(r.refs), r.period.label,
             r.period.start, r.period.end, r.due.isoformat() if r.due else "", r.status,
             r.severity, _number(r.required), _number(r.actual), " ".join(r.evidence),
             r.reason, r.unit_name or "", r.plain or ""]
        )
    return out.getvalue()


def write_csv_chunks(chunks: Iterable[str], out: TextIO, lang: str = "en",
                     provenance: Provenance | None = None) -> None:
    """The header (in `lang`), then rows rendered ahead by :func:`csv_rows`, then the
    provenance footer: after a blank row, rows whose first cell starts with `#` (what
    `pandas.read_csv(…, comment="#")` and most readers leave out)."""
    csv.writer(out).writerow([t(lang, CSV_HEADINGS.get(h, h)) for h in _CSV_HEADER])
    for chunk in chunks:
        out.write(chunk)
    if provenance is not None:
        csv.writer(out).writerows([[], *provenance_rows(provenance, lang)])


#: the CSV columns' headings in words that translate (the English heading is the column's
#: name, as programs read it with `--lang en`)
CSV_HEADINGS = {
    "unit": "unit", "person": "person", "obligation": "obligation", "refs": "refs",
    "period": "period", "start": "start", "end": "end", "due": "due", "status": "status",
    "severity": "severity", "required": "required", "actual": "actual",
    "evidence": "evidence", "reason": "reason", "unit_name": "unit name", "plain": "in plain words",
}


def provenance_rows(provenance: Provenance, lang: str = "en") -> list[list[str]]:
    """The provenance as rows of cells (the CSV footer, the HTML page's last table), in
    `lang`; each row's first cell starts with `# `."""
    roles = {"events": t(lang, "events file"), "units": t(lang, "units file"),
             "holidays": t(lang, "holiday schedule file")}
    rows = [
        ["# " + t(lang, "provenance")],
        ["# " + t(lang, "policyrules version"), provenance.policyrules],
        ["# " + t(lang, "holidays data"), provenance.holidays,
         t(lang, "working days known through {year}", year=provenance.horizon)],
    ]
    rows += [["# " + t(lang, "policy file"), f.file, f.sha256] for f in provenance.policy_files]
    for item in provenance.inputs:
        counts = "" if item.rows is None else t(
            lang, "{rows} rows, {accepted} accepted, {rejected} rejected", rows=item.rows,
            accepted=item.accepted, rejected=item.rejected)
        rows.append(["# " + roles[item.role], item.path or "-", item.sha256 or "", counts])
    return rows


def json_items(results: Iterable[Result]) -> str:
    """`results` as the items of a report's `results` list, as text (see
    :func:`write_json_chunks`)."""
    # indented line by line at "\n" only: JSON keeps U+0085, U+2028 … unescaped inside
    # strings, and textwrap (str.splitlines) would break them as lines
    return ",\n".join(
        "    " + result.model_dump_json(indent=2).replace("\n", "\n    ") for result in results
    )


_RESULTS = '\n  "results": [],\n'


def write_json(
    head: Report, results: Iterable[Result], out: TextIO, finish: Callable[[], Report]
) -> None:
    """The report's JSON document, exactly as :meth:`Report.to_json` writes it, with the
    results written as they come rather than held: `head` gives what precedes them (policy,
    title, as_of), `finish()`, called once they are all written, the rest (rejected rows,
    summary, notes). A city's millions of results need not be in memory at once."""
    write_json_chunks(head, (json_items([r]) for r in results), out, finish)


def write_json_chunks(
    head: Report, chunks: Iterable[str], out: TextIO, finish: Callable[[], Report]
) -> None:
    """:func:`write_json` with the results rendered ahead by :func:`json_items`, a batch
    at a time (by the processes that made them, for instance)."""
    before = head.model_copy(update={"results": []}).to_json().split(_RESULTS)[0]
    out.write(before + '\n  "results": [')
    written = False
    for chunk in chunks:
        if not chunk:
            continue
        out.write(",\n" if written else "\n")
        out.write(chunk)
        written = True
    out.write("\n  ]" if written else "]")
    after = finish().model_copy(update={"results": []}).to_json().split(_RESULTS)[1]
    out.write(",\n" + after + "\n")
