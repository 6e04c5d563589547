"""Building reports: results from an engine's findings, and the report around them — the
rejected input rows, the notes on what was read but not used, and a summary whose counts
add up."""

from __future__ import annotations

import datetime as dt

from policyrules.data.events import EventSet, UnitSet
from policyrules.data.kinds import unread_kinds_note
from policyrules.diagnostics.messages import t
from policyrules.engine.plain import PlainMaker, unit_name
from policyrules.engine.verdict import Finding
from policyrules.report.model import (
    PeriodOut,
    RejectedRow,
    Report,
    Result,
    SourceOut,
    Summary,
    Tally,
    input_files,
    input_summary,
)
from policyrules.report.provenance import Sources, provenance
from policyrules.report.selection import Names
from policyrules.rules import ir
from policyrules.semantics import CheckedPolicy


class ResultMaker:
    """Makes results from findings; each rule's source is made once and shared (results
    are frozen), each unit's name looked up once, each rule's plain-sentence templates
    made once per status (:mod:`policyrules.engine.plain`)."""

    def __init__(self, units: UnitSet | None = None, as_of: dt.datetime | None = None,
                 lang: str = "en") -> None:
        self._sources: dict[tuple[str, str], SourceOut] = {}
        self._units = units
        self._as_of = as_of
        self._names: dict[str, str | None] = {}
        self._plain = PlainMaker(lang)

    def unit_name(self, unit: str) -> str | None:
        """The unit's name (see :func:`unit_name`), looked up once."""
        if unit not in self._names:
            self._names[unit] = unit_name(self._units, unit, self._as_of)
        return self._names[unit]

    def source(self, rule: ir.Rule) -> SourceOut:
        key = (rule.policy, rule.name)
        found = self._sources.get(key)
        if found is None:
            found = self._sources[key] = SourceOut.model_construct(
                file=rule.source.file, line=rule.source.line, clause=rule.source.clause)
        return found

    def result(self, finding: Finding) -> Result:
        """The result of a finding. Built from values the engine typed already, without
        validating them again (that would be a fifth of the time of a result)."""
        rule, instance, verdict = finding.rule, finding.instance, finding.verdict
        return Result.model_construct(
            id="/".join(x for x in (rule.policy, rule.name, finding.unit, finding.person,
                                    instance.label) if x),
            unit=finding.unit,
            person=finding.person,
            obligation=rule.name,
            title=rule.title,
            policy=rule.policy,
            period=PeriodOut.model_construct(label=instance.label, start=instance.start,
                                             end=instance.end),
            due=verdict.due,
            status=verdict.status,
            severity=rule.severity.value,
            required=verdict.required,
            actual=verdict.actual,
            evidence=list(verdict.evidence),
            reason=verdict.reason,
            slack=verdict.slack,
            source=self.source(rule),
            refs=list(rule.refs),
            consequence=rule.consequence,
            trigger=finding.trigger,
            unit_name=self.unit_name(finding.unit),
            plain=self._plain.sentence(rule, verdict.status, verdict.required, verdict.actual,
                                       verdict.due, instance.label),
        )


def build_report(
    checked: CheckedPolicy,
    as_of: dt.datetime,
    results: list[Result],
    events: EventSet,
    units: UnitSet | None,
    lang: str = "en",
    sources: Sources | None = None,
) -> Report:
    """The report of `results`, with every rejected row, a note on what was read but not
    used, and its provenance (from `sources`: where the inputs came from); rejection
    reasons and notes in `lang` like the results' reasons."""
    tally = Tally()
    for result in results:
        tally.add(result)
    report = report_head(checked, as_of, events, units, lang, sources)
    report.results = results
    report.summary = summarize(tally, events, units)
    return report


def report_head(
    checked: CheckedPolicy,
    as_of: dt.datetime,
    events: EventSet,
    units: UnitSet | None,
    lang: str = "en",
    sources: Sources | None = None,
) -> Report:
    """A report without its results: the policy, the rejected rows, the notes and the
    provenance (what :func:`policyrules.report.write_json` writes around results it
    streams)."""
    rejected = [
        RejectedRow(source=r.source, line=r.line, id=r.id, what=r.what,
                    reason=t(lang, r.reason))
        for r in [*events.rejected, *(units.rejected if units else [])]
    ]
    report = Report(policy=checked.name, title=checked.title, as_of=as_of, rejected=rejected,
                    inputs=input_files(events, units),
                    provenance=provenance(checked, events, units, sources))
    report.know(Names.of_inputs(checked.obligations, events, units))
    unread = unread_kinds_note(events)
    if unread is not None:
        report.notes.append(t(lang, unread))
    if units is not None and units.units:
        # accepted, but no result can read them: say so rather than lose them silently
        named = events.units_named()
        unknown = sorted(set(named) - set(units.units))
        if unknown:
            shown = ", ".join(unknown[:10]) + (" …" if len(unknown) > 10 else "")
            count = sum(named[u] for u in unknown)
            report.notes.append(t(
                lang,
                "{count} events name units that are not in the units file, so no obligation"
                " reads them: {shown}",
                count=count,
                shown=shown,
            ))
    return report


def summarize(tally: Tally, events: EventSet, units: UnitSet | None) -> Summary:
    """The summary of a report: input counts that add up, and its results' counts."""
    return Summary(
        **input_summary(events, units),
        units_checked=len(tally.units),
        results=tally.results,
        by_status=tally.counts(),
        must_overdue=tally.must_overdue,
    )
