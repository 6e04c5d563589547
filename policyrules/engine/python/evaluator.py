"""Compiled rules + events → results: where each obligation stands, why, on which evidence.

Events are indexed once by (unit, kind) and by kind, sorted by time; an instance reads only
the slice of its window (a bisect), so no obligation ever scans all events. Requirements are
interpreted over the syntax tree with a small context: the unit and its facts on the day,
the instance's window and cut-off, the triggering event or the person, the event a `where`
is looking at.

Statuses follow the contract, with T = as_of and D = due:

- ``met``: satisfied by events at or before min(T, D);
- ``late``: satisfied only with events after D (obligations that `accept late`);
- ``overdue``: T is past D and it is not satisfied;
- ``at_risk``: not past D, not satisfied, and D is within the warning horizon or no
  qualifying day is left (the month's second Saturday has passed);
- ``pending``: not past D, not satisfied, not at risk;
- ``indeterminate``: the dates depend on calendar data the engine does not have.
"""

from __future__ import annotations

import array
import bisect
import datetime as dt
import math
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from policyrules.calendar.periods import periods_between
from policyrules.calendar.workdays import CalendarIndeterminate
from policyrules.data.events import Event, EventSet, UnitSet, read_events, read_units, units_under
from policyrules.data.kinds import unread_kinds_note
from policyrules.data.rows import Rows
from policyrules.diagnostics.messages import t
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
from policyrules.report.selection import Names
from policyrules.rules.compiler import (
    CompiledObligation,
    CompiledPolicy,
    Instance,
    band_minimum,
    compile_policy,
)
from policyrules.semantics import types as T
from policyrules.semantics.checker import CheckedPolicy
from policyrules.syntax import ast
from policyrules.syntax.formatter import expression

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _stamp(moment: dt.datetime) -> float:
    return (moment - _EPOCH).total_seconds()


class _Series:
    """Events of one kind (of one unit, or of all units), sorted by time."""

    __slots__ = ("events", "times")

    def __init__(self, events: list[Event]) -> None:
        events.sort(key=lambda e: (e.at, e.id))
        self.events = events
        # 8 bytes a time, not a float object each: every event is in two series
        self.times = array.array("d", [_stamp(e.at) for e in events])

    def between(self, lo: dt.datetime | None, hi: dt.datetime) -> Sequence[Event]:
        start = 0 if lo is None else bisect.bisect_left(self.times, _stamp(lo))
        end = bisect.bisect_right(self.times, _stamp(hi))
        return self.events[start:end]

    def insert(self, event: Event) -> None:
        """Put a late-arriving event in its place (ties by id, as the initial sort)."""
        key = (event.at, event.id)
        index = bisect.bisect_left(self.events, key, key=lambda e: (e.at, e.id))
        self.events.insert(index, event)
        self.times.insert(index, _stamp(event.at))


class _Values(list[Any]):
    """Distinct values, in order, with a set beside them for fast `in`."""

    def __init__(self, values: Iterable[Any]) -> None:
        super().__init__(values)
        self._set: set[Any] | None = None

    def __contains__(self, item: object) -> bool:
        if self._set is None:
            try:
                self._set = set(self)
            except TypeError:  # unhashable members: fall back to a scan
                return list.__contains__(self, item)
        try:
            return item in self._set
        except TypeError:
            return False


@dataclass
class _Groups:
    """A value per group: sub-periods (`per month`) or members of a set (`per theme in`)."""

    values: list[tuple[str, Any]]


@dataclass
class _Ctx:
    unit: str
    facts: Callable[[dt.date], Mapping[str, Any]]
    day: dt.date  # the day unit facts are read on outside a `where`
    lo: dt.datetime | None  # flows count from here (None: from the beginning)
    hi: dt.datetime  # and up to here; stocks up to here
    instance: Instance
    qualifying: tuple[tuple[dt.date, dt.date], ...] | None = None
    trigger: Event | None = None
    subject: Any = None
    event: Event | None = None
    variables: Mapping[str, Any] = field(default_factory=dict)
    lets: Mapping[str, ast.Expr] = field(default_factory=dict)
    evidence: set[str] = field(default_factory=set)

    def but(self, **changes: Any) -> _Ctx:
        """A copy with `changes`: what `dataclasses.replace` does, without its per-field
        work (it is called for every requirement of every result)."""
        new = object.__new__(_Ctx)
        new.__dict__.update(self.__dict__)
        new.__dict__.update(changes)
        return new


@dataclass(frozen=True)
class Trace:
    """`explain`: one event considered for an instance, and whether it counted."""

    event: str
    kind: str
    at: dt.datetime
    counted: bool
    why: str


# what a scope (`applies to …`) may use and still be decided by a unit's facts alone
_FACTS_ONLY_NODES = (
    ast.IntLit, ast.DecimalLit, ast.PercentLit, ast.StringLit, ast.BoolLit, ast.DateLit,
    ast.ListLit, ast.Compare, ast.BoolOp, ast.Not, ast.In, ast.Between, ast.Arithmetic,
    ast.Negate, ast.IsSet, ast.Call, ast.BandCall, ast.PercentOf,
)


# an expression as the policy writes it, for reasons: formatted once per node, not per result
# (the nodes belong to the checked policy, which outlives any evaluation)
_SHOWN: dict[int, tuple[ast.Expr, str]] = {}


def show(node: ast.Expr) -> str:
    known = _SHOWN.get(id(node))
    if known is not None and known[0] is node:
        return known[1]
    text = expression(node)
    if len(_SHOWN) > 100_000:  # bounded: policies are reloaded in long-lived processes
        _SHOWN.clear()
    _SHOWN[id(node)] = (node, text)
    return text


def _reads_only_unit_facts(expr: ast.Expr, defs: Any) -> bool:
    """Whether `expr` depends on nothing but the unit's facts (and the policy's sets): then
    its value for one version of a unit's facts holds on every day that version is in force."""
    for node in ast.walk(expr):
        if isinstance(node, ast.Attribute):
            if not (isinstance(node.value, ast.Context)
                    and node.value.which is ast.ContextName.UNIT):
                return False
        elif isinstance(node, ast.Context):
            if node.which is not ast.ContextName.UNIT:
                return False
        elif isinstance(node, ast.Name):
            if node.id not in defs.sets:
                return False
        elif not isinstance(node, _FACTS_ONLY_NODES):
            return False
    return True


# units per task when evaluating in processes: small enough to share the work evenly and to
# move the progress bar, large enough that sending a task costs nothing beside it
_CHUNK = 100

#: the evaluation a forked process works for, and what it makes of results (set only while
#: its processes run)
_FORKED: tuple[Evaluation, Callable[[list[Result]], Any]] | None = None

Made = TypeVar("Made")


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _evaluate_units(units: list[str]) -> tuple[Any, dict[str, set[int]]]:
    """In a forked process: what the caller's `work` makes of the results of `units`, and
    the band rows they used."""
    assert _FORKED is not None
    evaluation, work = _FORKED
    evaluation.band_rows_used = {}
    results = [r for unit in units for r in evaluation._unit_results(unit)]
    return work(results), evaluation.band_rows_used


def _same(results: list[Result]) -> list[Result]:
    return results


def _key(ob: CompiledObligation) -> tuple[str, str]:
    """An obligation among those of a policy and the policies it imports."""
    return ob.checked.policy, ob.name


def default_jobs() -> int:
    """The processes an evaluation may use: the cores this process may run on."""
    import os

    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


class Evaluation:
    """Evaluate a compiled policy over events and units at `as_of`."""

    def __init__(
        self,
        compiled: CompiledPolicy,
        events: Iterable[Event],
        units: UnitSet | None,
        as_of: dt.datetime,
        lang: str = "en",
    ) -> None:
        self.compiled = compiled
        self.lang = lang
        self.policy = compiled.checked
        self.defs = self.policy.definitions
        self.units = units
        self.as_of = as_of
        self.events: list[Event] = list(events)
        self._by_unit_kind: dict[tuple[str, str], _Series] = {}
        self._by_kind: dict[str, _Series] = {}
        self._index(self.events)
        self._areas: dict[tuple[str, int], list[str]] = {}
        self._children: dict[int, dict[str, list[str]]] = {}
        self._change_days: list[dt.date] | None = None
        # instance-independent caches: values of aggregates that do not depend on the event
        # a `where` is looking at, and per-attribute indexes for `field == value` filters
        self._memo: dict[tuple[Any, ...], tuple[Any, frozenset[str]]] = {}
        self._keys: dict[int, tuple[str, ast.Expr, bool] | None] = {}
        self._by_value: dict[tuple[str | None, str, str], dict[Any, list[Event]]] = {}
        #: the rows of each headcount band that some evaluation used (`policyrules test`)
        self.band_rows_used: dict[str, set[int]] = {}
        # unit-independent work done once, not once per unit: the instances of each periodic
        # obligation up to as_of, and whether a scope that reads only unit facts holds for
        # a version of a unit's facts (kept with the facts, so their identity stays theirs).
        # Keyed by (policy, obligation): an imported policy may name an obligation as the
        # importing one does.
        self._instances: dict[tuple[str, str], list[Instance]] = {}
        self._scope_by_facts: dict[
            tuple[str, str, str, int], tuple[Mapping[str, Any], bool]
        ] = {}
        self._facts_only_scope = {
            _key(ob): all(_reads_only_unit_facts(c, self.defs) for c in ob.checked.applies)
            for ob in compiled.obligations
        }
        self._no_facts: dict[str, Mapping[str, Any]] = {}
        self._sources: dict[tuple[str, str], SourceOut] = {}

    # --------------------------------------------------------------- index

    def _owners(self, event: Event) -> set[str]:
        """The units an event counts for: its own, and those its `counts for` list names."""
        owners = {event.unit}
        kind = self.defs.events.get(event.kind)
        if kind is not None and kind.counts_for:
            owners.update(str(u) for u in event.attributes.get(kind.counts_for) or ())
        return owners

    def _index(self, events: Iterable[Event]) -> None:
        by_unit_kind: dict[tuple[str, str], list[Event]] = {}
        by_kind: dict[str, list[Event]] = {}
        for event in events:
            by_kind.setdefault(event.kind, []).append(event)
            for owner in self._owners(event):
                by_unit_kind.setdefault((owner, event.kind), []).append(event)
        self._by_unit_kind = {k: _Series(v) for k, v in by_unit_kind.items()}
        self._by_kind = {k: _Series(v) for k, v in by_kind.items()}
        self._memo = {}
        self._by_value = {}

    def add(self, events: Iterable[Event]) -> None:
        """Add events that arrived since; the next evaluation sees them (incremental use).
        Each event is put in place in the indexes it belongs to — nothing is re-read or
        re-sorted — and the caches of computed values are dropped."""
        for event in events:
            self.events.append(event)
            for key in [(owner, event.kind) for owner in self._owners(event)]:
                series = self._by_unit_kind.get(key)
                if series is None:
                    self._by_unit_kind[key] = _Series([event])
                else:
                    series.insert(event)
            whole = self._by_kind.get(event.kind)
            if whole is None:
                self._by_kind[event.kind] = _Series([event])
            else:
                whole.insert(event)
        self._memo = {}
        self._by_value = {}

    def unit_ids(self) -> list[str]:
        if self.units is not None and self.units.units:
            return sorted(self.units.units)
        return sorted({e.unit for e in self.events})

    def facts(self, unit: str) -> Callable[[dt.date], Mapping[str, Any]]:
        record = self.units.units.get(unit) if self.units is not None else None
        if record is None:
            no_facts = self._no_facts.setdefault(unit, {"id": unit})
            return lambda day: no_facts
        return record.facts_on

    def area(self, unit: str, day: dt.date) -> list[str]:
        """The unit and every unit under it by the `parent` facts in force on `day`.

        The tree only changes on the days some unit's facts change (`valid_from`), so it is
        built once per stretch between such days, not once per unit and day: a city's
        100,000 units would otherwise make this quadratic."""
        if self.units is None:
            return [unit]
        if self._change_days is None:
            self._change_days = sorted({
                version.valid_from
                for record in self.units.units.values()
                for version in record.versions
                if version.valid_from is not None
            })
        epoch = bisect.bisect_right(self._change_days, day)
        key = (unit, epoch)
        found = self._areas.get(key)
        if found is None:
            children = self._children.get(epoch)
            if children is None:
                children = self._children[epoch] = self.units.children(day)
            found = self._areas[key] = units_under(unit, children)
        return found

    # --------------------------------------------------------------- results

    def results(
        self, progress: Callable[[int, int], None] | None = None, jobs: int = 1
    ) -> list[Result]:
        """Every result, unit by unit; `progress(done, total)` is called as units are done.

        With `jobs` > 1 the units are shared among that many processes (where the platform
        can fork them: the processes start with this evaluation's indexes instead of
        rebuilding them). Results are the same, in the same order, either way."""
        return list(self.iter_results(progress, jobs))

    def iter_results(
        self, progress: Callable[[int, int], None] | None = None, jobs: int = 1
    ) -> Iterator[Result]:
        """:meth:`results` as they are made, for a caller that writes them out rather than
        holds them all (a city's millions)."""
        for results in self.iter_chunks(_same, progress, jobs):
            yield from results

    def iter_chunks(
        self,
        work: Callable[[list[Result]], Made],
        progress: Callable[[int, int], None] | None = None,
        jobs: int = 1,
    ) -> Iterator[Made]:
        """The results of a unit (of a hundred units, with processes) at a time, each batch
        turned by `work` into what the caller needs — in the process that made them when
        there are several: handing back
        what `work` makes (counts, rendered lines) costs far less than handing back the
        results, which is what lets processes pay. In unit order, as :meth:`results`."""
        units = self.unit_ids()
        if jobs > 1 and len(units) >= 2 * _CHUNK and _can_fork():
            yield from self._chunks_in_processes(units, work, jobs, progress)
            return
        for start in range(0, len(units), _CHUNK):
            batch = units[start : start + _CHUNK]
            for done, unit in enumerate(batch, start=start + 1):
                results = self._unit_results(unit)
                if progress is not None:
                    progress(done, len(units))
                yield work(results)

    def _unit_results(self, unit: str) -> list[Result]:
        today = self.as_of.date()
        out: list[Result] = []
        for ob in self.compiled.obligations:
            out.extend(self._obligation_results(ob, unit, today))
        return out

    def _chunks_in_processes(
        self,
        units: list[str],
        work: Callable[[list[Result]], Made],
        jobs: int,
        progress: Callable[[int, int], None] | None,
    ) -> Iterator[Made]:
        import gc
        import multiprocessing

        global _FORKED
        chunks = [units[i : i + _CHUNK] for i in range(0, len(units), _CHUNK)]
        done = 0
        _FORKED = (self, work)
        # objects that exist now are only read by the processes: keep the collector from
        # touching them, which would copy every page they are on into each process
        gc.freeze()
        # a forked process flushes the streams it inherits when it ends: empty them first,
        # or what the caller has written so far would be written again
        sys.stdout.flush()
        sys.stderr.flush()
        try:
            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                for made, rows_used in pool.imap(_evaluate_units, chunks):
                    for band, rows in rows_used.items():
                        self.band_rows_used.setdefault(band, set()).update(rows)
                    done += _CHUNK
                    if progress is not None:
                        progress(min(done, len(units)), len(units))
                    yield made
        finally:
            _FORKED = None
            gc.unfreeze()

    def _obligation_results(
        self, ob: CompiledObligation, unit: str, today: dt.date
    ) -> list[Result]:
        checked = ob.checked
        facts = self.facts(unit)
        results: list[Result] = []
        schedule = checked.schedule
        if isinstance(schedule, ast.ForEachEvent):
            for trigger in self._triggers(ob, unit, schedule):
                if not self.applies(ob, unit, facts, trigger.day):
                    continue
                instance = Instance(trigger.id, trigger.day, trigger.day, None)
                try:
                    due = ob.due_for_event(trigger.at)
                    instance = replace(instance, due=due)
                except CalendarIndeterminate as missing:
                    instance = replace(instance, indeterminate=self._missing(missing))
                for subject in self._subjects(ob, unit, facts, instance):
                    results.append(self._result(ob, unit, facts, instance, subject, trigger))
            return results
        instances = self._instances.get(_key(ob))
        if instances is None:
            instances = self._instances[_key(ob)] = list(ob.instances(today, started_by=today))
        for instance in instances:
            check_day = min(instance.end, today)
            if not self.applies(ob, unit, facts, check_day):
                continue
            for subject in self._subjects(ob, unit, facts, instance):
                results.append(self._result(ob, unit, facts, instance, subject, None))
        return results

    def applies(
        self, ob: CompiledObligation, unit: str, facts: Callable[[dt.date], Mapping[str, Any]],
        day: dt.date,
    ) -> bool:
        if not ob.checked.applies:
            return True
        key: tuple[str, str, str, int] | None = None
        if self._facts_only_scope[_key(ob)]:
            on_day = facts(day)
            key = (*_key(ob), unit, id(on_day))
            known = self._scope_by_facts.get(key)
            if known is not None and known[0] is on_day:
                return known[1]
        ctx = _Ctx(unit, facts, day, None, self.as_of, Instance("", day, day, None))
        holds = all(self._truthy(self.value(c, ctx)) for c in ob.checked.applies)
        if key is not None:
            self._scope_by_facts[key] = (on_day, holds)
        return holds

    def _triggers(
        self, ob: CompiledObligation, unit: str, schedule: ast.ForEachEvent
    ) -> list[Event]:
        series = self._by_unit_kind.get((unit, schedule.kind))
        if series is None:
            return []
        window = ob.window
        lo = dt.datetime.combine(window.start, dt.time(), tzinfo=self.compiled.zone)
        hi = self.as_of
        if window.end is not None:
            hi = min(hi, dt.datetime.combine(window.end, dt.time(23, 59, 59),
                                             tzinfo=self.compiled.zone))
        found = []
        facts = self.facts(unit)
        for event in series.between(lo, hi):
            if event.unit != unit:
                continue  # a joint event opens the instance only for the unit that ran it
            if schedule.where is not None:
                ctx = _Ctx(unit, facts, event.day, None, self.as_of,
                           Instance(event.id, event.day, event.day, None), event=event,
                           trigger=event, lets=ob.checked.lets)
                if not self._truthy(self.value(schedule.where, ctx)):
                    continue
            found.append(event)
        return found

    def _subjects(
        self,
        ob: CompiledObligation,
        unit: str,
        facts: Callable[[dt.date], Mapping[str, Any]],
        instance: Instance,
    ) -> list[Any]:
        subject = ob.checked.subject
        if subject is None:
            return [None]
        hi = min(self.as_of, self._day_end(instance.end))
        series = self._by_unit_kind.get((unit, subject.kind))
        values: set[Any] = set()
        if series is not None:
            for event in series.between(None, hi):
                if subject.where is not None:
                    ctx = _Ctx(unit, facts, event.day, None, hi, instance, event=event)
                    if not self._truthy(self.value(subject.where, ctx)):
                        continue
                value = event.get(subject.field)
                if value is not None:
                    values.add(value)
        return sorted(values, key=str)

    def _day_end(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(23, 59, 59, 999999), tzinfo=self.compiled.zone)

    def _day_start(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(), tzinfo=self.compiled.zone)

    # --------------------------------------------------------------- one instance

    def _ctx(
        self,
        ob: CompiledObligation,
        unit: str,
        facts: Callable[[dt.date], Mapping[str, Any]],
        instance: Instance,
        subject: Any,
        trigger: Event | None,
        cutoff: dt.datetime,
    ) -> _Ctx:
        lo = None if trigger is not None else self._day_start(instance.start)
        qualifying = (
            tuple((o.start, o.end) for o in instance.qualifying)
            if instance.qualifying is not None
            else None
        )
        return _Ctx(
            unit=unit,
            facts=facts,
            day=min(instance.end, cutoff.date()),
            lo=lo,
            hi=cutoff,
            instance=instance,
            qualifying=qualifying,
            trigger=trigger,
            subject=subject,
            lets=ob.checked.lets,
        )

    def _window_end(self, instance: Instance) -> dt.datetime:
        end = self._day_end(instance.end)
        if instance.due is not None and instance.due > end:
            return instance.due  # a report on the period may come after it, until due
        return end

    def _result(
        self,
        ob: CompiledObligation,
        unit: str,
        facts: Callable[[dt.date], Mapping[str, Any]],
        instance: Instance,
        subject: Any,
        trigger: Event | None,
    ) -> Result:
        checked = ob.checked
        person = _ident(subject)
        # Results are built from values this module made, of the right types: constructed
        # without validation, which would otherwise be a fifth of the time of a result
        base: dict[str, Any] = dict(
            id="/".join(
                x for x in (checked.policy, checked.name, unit, person, instance.label) if x
            ),
            unit=unit,
            person=person or None,
            obligation=checked.name,
            title=checked.title,
            policy=checked.policy,
            period=PeriodOut.model_construct(label=instance.label, start=instance.start,
                                             end=instance.end),
            severity=checked.severity.value,
            source=self._source(ob),
            refs=list(checked.refs),
            consequence=checked.consequence,
            trigger=trigger.id if trigger is not None else None,
            required=None,
            actual=None,
            evidence=[],
            slack=None,
        )
        if instance.indeterminate is not None or instance.due is None:
            reason = str(t(self.lang, instance.indeterminate or "the due date cannot be computed"))
            return Result.model_construct(**base, due=None, status="indeterminate", reason=reason)
        due = instance.due
        window_end = self._window_end(instance) if trigger is None else due
        cutoff = min(self.as_of, due, window_end)
        ctx = self._ctx(ob, unit, facts, instance, subject, trigger, cutoff)
        try:
            requires = self._prorated(ob, instance)
            outcome = self._requirements(requires, ctx)
        except CalendarIndeterminate as missing:
            return Result.model_construct(**base, due=due, status="indeterminate",
                                          reason=self._missing(missing))
        status: str
        if outcome.holds:
            status = "met"
        elif self.as_of > due:
            status = "overdue"
            if checked.accept_late:
                late_until = min(self.as_of, self._late_until(ob, instance, due, trigger))
                late_ctx = self._ctx(ob, unit, facts, instance, subject, trigger, late_until)
                late = self._requirements(requires, late_ctx)
                if late.holds:
                    status, outcome = "late", late
        elif (
            due - self.as_of <= self._horizon(ob)
            or not instance.qualifying_days_left(self.as_of.date())
            or outcome.beyond_reach
        ):
            status = "at_risk"
        else:
            status = "pending"
        base.update(
            due=due,
            status=status,
            required=outcome.required,
            actual=outcome.actual,
            evidence=sorted(outcome.evidence),
            reason=self._reason(status, outcome, due, instance),
            slack=(
                self._slack(status, outcome, due)
                if status in ("pending", "at_risk")
                and instance.qualifying_days_left(self.as_of.date())
                else None
            ),
        )
        return Result.model_construct(**base)

    def _source(self, ob: CompiledObligation) -> SourceOut:
        """The clause an obligation cites and where the policy states it (one per
        obligation, shared by its results: they are frozen)."""
        found = self._sources.get(_key(ob))
        if found is None:
            checked = ob.checked
            found = self._sources[_key(ob)] = SourceOut(
                file=checked.node.span.file if checked.node.span else self.policy.file,
                line=checked.node.span.line if checked.node.span else None,
                clause=checked.cites,
            )
        return found

    def _prorated(self, ob: CompiledObligation, instance: Instance) -> Sequence[ast.Expr]:
        """The requirements of an instance; in a period the window cuts, under `partial
        periods prorate`, each target of a count or sum (`… >= 3`) shrinks with the share of
        the period's days inside the window, rounded up (3 × 16/91 → 1)."""
        requires = ob.checked.requires
        period = instance.period
        if (
            ob.checked.partial is not ast.PartialMode.PRORATE
            or not instance.partial
            or period is None
        ):
            return requires
        share = ((instance.end - instance.start).days + 1) / period.days
        return [_scale_targets(condition, share) for condition in requires]

    def _late_until(
        self, ob: CompiledObligation, instance: Instance, due: dt.datetime, trigger: Event | None
    ) -> dt.datetime:
        """How long late delivery counts: until the obligation's window closes (a plan for
        2019 sent in 2020 serves nothing) or, for an instance due after that, for as long
        again as the instance lasted (the last week's sheet a day late); what follows an
        event may come at any time."""
        if trigger is not None or ob.window.end is None:
            return self.as_of
        closes = self._day_end(ob.window.end)
        if due < closes:
            return closes
        return due + dt.timedelta(days=(instance.end - instance.start).days + 1)

    def _missing(self, missing: CalendarIndeterminate) -> str:
        return t(self.lang, missing.message)

    def _horizon(self, ob: CompiledObligation) -> dt.timedelta:
        warn = ob.checked.warn
        if warn.unit is ast.DurationUnit.HOUR:
            return dt.timedelta(hours=warn.amount)
        days = warn.amount * (7 if warn.unit is ast.DurationUnit.WEEK else 1)
        return dt.timedelta(days=days)

    def _reason(self, status: str, outcome: _Outcome, due: dt.datetime, instance: Instance) -> str:
        when = f"{due:%Y-%m-%d %H:%M}"
        match status:
            case "met":
                return t(self.lang, "met: {detail}", detail=outcome.detail)
            case "late":
                return t(self.lang, "met only after the deadline {when}: {detail}", when=when,
                         detail=outcome.detail)
            case "overdue":
                return t(self.lang, "not met by the deadline {when}: {detail}", when=when,
                         detail=outcome.detail)
            case "at_risk":
                if outcome.beyond_reach:
                    return t(self.lang, "beyond reach before {when}: {detail}", when=when,
                             detail=outcome.detail)
                if not instance.qualifying_days_left(self.as_of.date()):
                    return t(self.lang, "no qualifying day is left before {when}: {detail}",
                             when=when, detail=outcome.detail)
                return t(self.lang, "due {when}, not yet met: {detail}", when=when,
                         detail=outcome.detail)
        return t(self.lang, "due {when}: {detail}", when=when, detail=outcome.detail)

    def _slack(self, status: str, outcome: _Outcome, due: dt.datetime) -> str | None:
        if outcome.required is None or outcome.actual is None:
            return None
        missing = outcome.required - outcome.actual
        if missing <= 0:
            return None
        today = self.as_of.date()
        days = (due.date() - today).days
        try:
            working = self.compiled.workdays.working_days_between(
                today + dt.timedelta(days=1), due.date()
            )
            left = t(self.lang, "{working} working days ({days} days)", working=working,
                     days=days)
        except CalendarIndeterminate:
            left = t(self.lang, "{days} days", days=days)
        amount = int(missing) if float(missing).is_integer() else round(missing, 2)
        return t(self.lang, "needs {amount} more in {left}", amount=amount, left=left)

    # --------------------------------------------------------------- requirements

    def _requirements(self, requires: Sequence[ast.Expr], ctx: _Ctx) -> _Outcome:
        first: _Outcome | None = None
        evidence: set[str] = set()
        for condition in requires:
            outcome = self._requirement(condition, ctx)
            evidence |= outcome.evidence
            if not outcome.holds:
                return replace(outcome, evidence=evidence)
            first = first or outcome
        assert first is not None
        return replace(first, evidence=evidence)

    def _requirement(self, condition: ast.Expr, ctx: _Ctx) -> _Outcome:
        local = ctx.but(evidence=set())
        holds = self._truthy(self.value(condition, local))
        failing = condition if holds else self._failing_part(condition, local)
        required, actual = self._numbers(failing, local)
        detail = self._describe(failing, local, holds)
        beyond = not holds and self._beyond_reach(failing, local)
        return _Outcome(holds, required, actual, local.evidence, detail, beyond)

    def _beyond_reach(self, node: ast.Expr, ctx: _Ctx) -> bool:
        """Whether a failing comparison caps a count that is already past the cap."""
        probe = ctx.but(evidence=set())
        if isinstance(node, ast.Between) and _is_count(node.value):
            value, high = self.value(node.value, probe), self.value(node.high, probe)
            return is_number(value) and is_number(high) and value > high
        if isinstance(node, ast.Compare) and node.op in ("<", "<=") and _is_count(node.left):
            value, cap = self.value(node.left, probe), self.value(node.right, probe)
            return compare_values(">" if node.op == "<=" else ">=", value, cap)
        return False

    def _failing_part(self, condition: ast.Expr, ctx: _Ctx) -> ast.Expr:
        if isinstance(condition, ast.BoolOp) and condition.op == "and":
            probe = ctx.but(evidence=set())
            if not self._truthy(self.value(condition.left, probe)):
                return self._failing_part(condition.left, ctx)
            return self._failing_part(condition.right, ctx)
        return condition

    def _numbers(self, node: ast.Expr, ctx: _Ctx) -> tuple[float | None, float | None]:
        if isinstance(node, ast.BoolOp) and node.op == "and":
            return self._numbers(node.left, ctx)
        if isinstance(node, (ast.Compare, ast.Between)):
            probe = ctx.but(evidence=set())
            left = self.value(node.left if isinstance(node, ast.Compare) else node.value, probe)
            right = self.value(node.right if isinstance(node, ast.Compare) else node.low, probe)
            if isinstance(left, _Groups):
                numbers = [v for _, v in left.values if isinstance(v, (int, float))]
                left = min(numbers) if numbers else None
            if is_number(left) and is_number(right):
                return float(right), float(left)
        return None, None

    def _describe(self, node: ast.Expr, ctx: _Ctx, holds: bool) -> str:
        probe = ctx.but(evidence=set())
        text = show(node)
        if isinstance(node, ast.Compare):
            left = self.value(node.left, probe)
            right = self.value(node.right, probe)
            if isinstance(left, _Groups):
                failing = [
                    f"{label}: {_text(v)}"
                    for label, v in left.values
                    if not compare_values(node.op, v, right)
                ]
                if holds or not failing:
                    return t(self.lang, "`{text}` holds in every group", text=text)
                groups = ", ".join(failing[:6]) + (" …" if len(failing) > 6 else "")
                return t(self.lang, "`{text}` fails for {groups}", text=text, groups=groups)
            return t(self.lang, "`{left}` is {value}, needs {op} {required}",
                     left=show(node.left), value=_text(left), op=node.op, required=_text(right))
        if isinstance(node, ast.Between):
            value = self.value(node.value, probe)
            low, high = self.value(node.low, probe), self.value(node.high, probe)
            return t(self.lang, "`{left}` is {value}, needs {low} to {high}",
                     left=show(node.value), value=_text(value), low=_text(low), high=_text(high))
        return t(self.lang, "`{text}` is true" if holds else "`{text}` is false", text=text)

    # --------------------------------------------------------------- expressions

    def _truthy(self, value: Any) -> bool:
        return bool(value) if not isinstance(value, _Groups) else all(v for _, v in value.values)

    def value(self, node: ast.Expr, ctx: _Ctx) -> Any:
        # the hot node types first, by a dictionary; the rest by `match` below
        fast = _FAST.get(type(node))
        if fast is not None:
            return fast(self, node, ctx)
        return self._value(node, ctx)

    def _value(self, node: ast.Expr, ctx: _Ctx) -> Any:
        match node:
            case ast.IntLit(value=v) | ast.BoolLit(value=v) | ast.StringLit(value=v):
                return v
            case ast.DecimalLit(value=v):
                return float(v)
            case ast.PercentLit(value=v):
                return float(v) / 100
            case ast.DateLit(value=v):
                return v
            case ast.ListLit(items=items):
                return [self.value(i, ctx) for i in items]
            case ast.Name(id=name):
                return self._name(name, ctx)
            case ast.Context(which=which):
                if which is ast.ContextName.SUBJECT:
                    return ctx.subject
                return None
            case ast.Attribute(value=ast.Context(which=which), name=name):
                return self._context_attribute(which, name, ctx)
            case ast.BandCall(band=band, argument=argument):
                found, row = band_minimum(self.defs.bands[band], self.value(argument, ctx))
                if row is not None:
                    self.band_rows_used.setdefault(band, set()).add(row)
                return found
            case ast.Call(function=function, arguments=arguments):
                arg = self.value(arguments[0], ctx)
                if function == "len":
                    return len(arg) if isinstance(arg, (list, tuple, set)) else 0
                return arg.lower() if isinstance(arg, str) else arg
            case ast.Quantifier(kind=kind, variable=var, collection=coll, condition=cond):
                members = self.value(coll, ctx) or []
                checks = (
                    self._truthy(
                        self.value(cond, ctx.but(variables={**ctx.variables, var: member}))
                    )
                    for member in members
                )
                return all(checks) if kind == "all" else any(checks)
            case ast.PercentOf(percent=percent, base=base):
                number = self.value(base, ctx)
                return float(percent) / 100 * number if is_number(number) else None
            case ast.Negate(operand=operand):
                number = self.value(operand, ctx)
                return -number if is_number(number) else None
            case ast.Not(operand=operand):
                value = self.value(operand, ctx)
                if value is None:
                    return None  # `not student` of an event without `student`: unknown
                return not self._truthy(value)
            case ast.BoolOp(op="and", left=left, right=right):
                return self._truthy(self.value(left, ctx)) and self._truthy(
                    self.value(right, ctx)
                )
            case ast.BoolOp(left=left, right=right):
                return self._truthy(self.value(left, ctx)) or self._truthy(
                    self.value(right, ctx)
                )
            case ast.Arithmetic(op=op, left=left, right=right):
                a, b = self.value(left, ctx), self.value(right, ctx)
                if not (is_number(a) and is_number(b)):
                    return None
                if op == "/":
                    return a / b if b else None
                return a + b if op == "+" else a - b if op == "-" else a * b
            case ast.Compare(op=op, left=left, right=right):
                a, b = self.value(left, ctx), self.value(right, ctx)
                if isinstance(a, _Groups):
                    return bool(a.values) and all(compare_values(op, v, b) for _, v in a.values)
                return compare_values(op, a, b)
            case ast.Between(value=value, low=low, high=high):
                v = self.value(value, ctx)
                lo, hi = self.value(low, ctx), self.value(high, ctx)
                values = [x for _, x in v.values] if isinstance(v, _Groups) else [v]
                return all(
                    compare_values(">=", x, lo) and compare_values("<=", x, hi) for x in values
                )
            case ast.In(value=value, collection=collection, negated=negated):
                v, coll = self.value(value, ctx), self.value(collection, ctx)
                found = v is not None and coll is not None and v in coll
                return not found if negated else found
            case ast.OnPattern(value=value, pattern=pattern):
                moment = self.value(value, ctx)
                day = moment.date() if isinstance(moment, dt.datetime) else moment
                if not isinstance(day, dt.date):
                    return False
                event = ctx.event
                resolve = (lambda name: _ident(event.get(name)) or None) if event else None
                return self.compiled.patterns.matches(pattern, day, resolve)
            case ast.During(value=value, start=start, end=end):
                moment = self.value(value, ctx)
                if not isinstance(moment, dt.datetime):
                    return False
                if ctx.event is not None and value == ast.Name("at") and not ctx.event.timed:
                    return False  # a date without a time of day
                clock = moment.time().replace(tzinfo=None)
                if start <= end:
                    return start <= clock <= end
                return clock >= start or clock <= end  # overnight: 22:00..06:00
            case ast.IsSet(value=value, negated=negated):
                present = self.value(value, ctx) not in (None, [], "")
                return not present if negated else present
            case ast.Selection():
                return self._memoized(node, ctx, self._distinct_values)
            case ast.Aggregate():
                return self._memoized(node, ctx, self._aggregate)
            case ast.Grouped():
                return self._memoized(node, ctx, self._grouped)
        raise TypeError(f"cannot evaluate {node!r}")  # pragma: no cover

    def _fast_name(self, node: ast.Name, ctx: _Ctx) -> Any:
        return self._name(node.id, ctx)

    def _fast_literal(self, node: ast.IntLit | ast.StringLit | ast.BoolLit, ctx: _Ctx) -> Any:
        return node.value

    def _fast_compare(self, node: ast.Compare, ctx: _Ctx) -> Any:
        a, b = self.value(node.left, ctx), self.value(node.right, ctx)
        if isinstance(a, _Groups):
            return bool(a.values) and all(compare_values(node.op, v, b) for _, v in a.values)
        return compare_values(node.op, a, b)

    def _fast_bool(self, node: ast.BoolOp, ctx: _Ctx) -> Any:
        left = self._truthy(self.value(node.left, ctx))
        if node.op == "and":
            return left and self._truthy(self.value(node.right, ctx))
        return left or self._truthy(self.value(node.right, ctx))

    def _fast_attribute(self, node: ast.Attribute, ctx: _Ctx) -> Any:
        if isinstance(node.value, ast.Context):
            return self._context_attribute(node.value.which, node.name, ctx)
        return None

    def _fast_in(self, node: ast.In, ctx: _Ctx) -> Any:
        v, coll = self.value(node.value, ctx), self.value(node.collection, ctx)
        try:
            found = v is not None and coll is not None and v in coll
        except TypeError:
            found = False
        return not found if node.negated else found

    def _fast_selection(self, node: ast.Selection, ctx: _Ctx) -> Any:
        return self._memoized(node, ctx, self._distinct_values)

    def _fast_aggregate(self, node: ast.Aggregate, ctx: _Ctx) -> Any:
        return self._memoized(node, ctx, self._aggregate)

    def _fast_grouped(self, node: ast.Grouped, ctx: _Ctx) -> Any:
        return self._memoized(node, ctx, self._grouped)

    def _memoized(self, node: Any, ctx: _Ctx, compute: Callable[[Any, _Ctx], Any]) -> Any:
        """An aggregate's value depends on the unit, the window, the person, the trigger and
        bound variables — not on the event an enclosing `where` looks at. Computing it once
        per combination keeps `person in distinct(person of registration)` linear."""
        try:
            key = (
                id(node), ctx.unit, ctx.day, ctx.lo, ctx.hi, ctx.qualifying, ctx.subject,
                ctx.trigger.id if ctx.trigger is not None else None, ctx.instance.label,
                tuple(sorted(ctx.variables.items())) if ctx.variables else (),
            )
            hash(key)
        except TypeError:
            return compute(node, ctx)
        found = self._memo.get(key)
        if found is not None:
            ctx.evidence.update(found[1])
            return found[0]
        local = ctx.but(evidence=set())
        value = compute(node, local)
        self._memo[key] = (value, frozenset(local.evidence))
        ctx.evidence.update(local.evidence)
        return value

    def _name(self, name: str, ctx: _Ctx) -> Any:
        if name in ctx.variables:
            return ctx.variables[name]
        if ctx.event is not None:
            kind = self.defs.events.get(ctx.event.kind)
            if name in ("id", "unit", "kind", "at") or (kind and name in kind.fields):
                return ctx.event.get(name)
        if name in ctx.lets:
            return self.value(ctx.lets[name], ctx)
        if name in self.defs.lets:
            return self.value(self.defs.lets[name].value, ctx)
        if name in self.defs.sets:
            return [
                m.value if isinstance(m, ast.StringLit) else m.id  # type: ignore[union-attr]
                for m in self.defs.sets[name].members.items
            ]
        if ctx.trigger is not None:
            return ctx.trigger.get(name)
        return None

    def _context_attribute(self, which: ast.ContextName, name: str, ctx: _Ctx) -> Any:
        match which:
            case ast.ContextName.UNIT:
                if name == "id":
                    return ctx.unit
                day = ctx.event.day if ctx.event is not None else ctx.day
                return ctx.facts(day).get(name)
            case ast.ContextName.TRIGGER:
                return ctx.trigger.get(name) if ctx.trigger is not None else None
            case ast.ContextName.WINDOW:
                instance = ctx.instance
                return {"start": instance.start, "end": instance.end,
                        "label": instance.label}.get(name)
        return None

    # --------------------------------------------------------------- selections

    def _select(
        self, sel: ast.Selection, ctx: _Ctx, by: tuple[str, list[Any]] | None = None
    ) -> list[Event]:
        """The events a selection picks in the context's window; with `by` = (FIELD,
        values), only those whose FIELD has one of the values (read through an index)."""
        kind = self.defs.events.get(sel.kind)
        if kind is None:
            return []
        lo = None if kind.stock else ctx.lo
        candidates: Iterable[Event] = (
            self._by_values(sel, ctx, lo, by[0], by[1])
            if by is not None
            else self._candidates(sel, ctx, lo)
        )
        seen: set[str] = set()
        out: list[Event] = []
        where = sel.where
        inner = ctx.but() if where is not None else ctx  # one context, its event swapped
        qualifying = None if kind.stock else ctx.qualifying
        for event in candidates:
            if event.id in seen:
                continue
            if qualifying is not None and not any(
                s <= event.day <= e for s, e in qualifying
            ):
                continue
            if where is not None:
                inner.event = event
                if not self._truthy(self.value(where, inner)):
                    continue
            seen.add(event.id)
            out.append(event)
        return out

    def _candidates(self, sel: ast.Selection, ctx: _Ctx, lo: dt.datetime | None) -> Iterable[Event]:
        """The events of the selection's kind and scope inside the window — through an
        index on an attribute when the `where` pins it (`ref == trigger.id`)."""
        units = self._scope_units(sel, ctx)
        key = self._equality_key(sel)
        if key is not None:
            field_name, expression, several = key
            value = self.value(expression, ctx)
            wanted: list[Any] | None
            if several:  # `person in distinct(…)`: the events of each member
                wanted = list(value) if isinstance(value, (list, set, tuple)) else None
            else:
                wanted = [value]
            try:
                if wanted is not None:
                    wanted = [w for w in wanted if w is not None and hash(w) is not None]
            except TypeError:
                wanted = None
            if wanted is not None:
                return self._by_values(sel, ctx, lo, field_name, wanted)
        if units is None:
            series = [self._by_kind.get(sel.kind)]
        else:
            series = [self._by_unit_kind.get((u, sel.kind)) for u in units]
        return [e for one in series if one is not None for e in one.between(lo, ctx.hi)]

    def _scope_units(self, sel: ast.Selection, ctx: _Ctx) -> list[str] | None:
        if sel.scope is ast.EventScope.ALL_UNITS:
            return None
        if sel.scope is ast.EventScope.AREA:
            return self.area(ctx.unit, ctx.day)
        return [ctx.unit]

    def _by_values(
        self, sel: ast.Selection, ctx: _Ctx, lo: dt.datetime | None, field_name: str,
        wanted: Iterable[Any],
    ) -> list[Event]:
        """The events of the selection's scope and window whose FIELD is one of `wanted`."""
        hi = ctx.hi
        found: list[Event] = []
        units = self._scope_units(sel, ctx)
        members = list(wanted)
        for owner in units if units is not None else [None]:
            index = self._value_index(owner, sel.kind, field_name)
            for member in members:
                try:
                    matching = index.get(member, ())
                except TypeError:
                    continue
                for event in matching:
                    if (lo is None or event.at >= lo) and event.at <= hi:
                        found.append(event)
        return found

    def _equality_key(self, sel: ast.Selection) -> tuple[str, ast.Expr, bool] | None:
        """`FIELD == X` (or `X in FIELD` for a list attribute) among the top-level `and`s of
        the selection's `where`, with X not reading the selected event: the events can be
        looked up by FIELD's value (or by each member of it). Also `FIELD in X`: the events
        of each member of X (the third element says so)."""
        cached = self._keys.get(id(sel), ...)
        if cached is not ...:
            return cached
        kind = self.defs.events[sel.kind]
        own = set(kind.fields) | {"id", "unit", "kind", "at"}
        result: tuple[str, ast.Expr, bool] | None = None
        stack = [sel.where] if sel.where is not None else []
        while stack and result is None:
            node = stack.pop()
            if isinstance(node, ast.BoolOp) and node.op == "and":
                stack.extend((node.right, node.left))
            elif isinstance(node, ast.Compare) and node.op == "==":
                for this, other in ((node.left, node.right), (node.right, node.left)):
                    field_type = (
                        kind.field_type(this.id) if isinstance(this, ast.Name) else None
                    )
                    if (
                        isinstance(this, ast.Name)
                        and field_type is not None
                        and field_type.kind is not T.Kind.LIST
                        and not _reads_event(other, own)
                    ):
                        result = (this.id, other, False)
                        break
            elif (
                isinstance(node, ast.In)
                and not node.negated
                and isinstance(node.collection, ast.Name)
                and not _reads_event(node.value, own)
            ):
                field_type = kind.field_type(node.collection.id)
                if field_type is not None and field_type.kind is T.Kind.LIST:
                    result = (node.collection.id, node.value, False)  # `subject in persons`
            elif (
                isinstance(node, ast.In)
                and not node.negated
                and isinstance(node.value, ast.Name)
                and not _reads_event(node.collection, own)
                and node.value.id in own
            ):
                field_type = kind.field_type(node.value.id)
                if field_type is not None and field_type.kind is not T.Kind.LIST:
                    result = (node.value.id, node.collection, True)  # `person in distinct(…)`
        self._keys[id(sel)] = result
        return result

    def _value_index(self, unit: str | None, kind: str, field_name: str) -> dict[Any, list[Event]]:
        key = (unit, kind, field_name)
        index = self._by_value.get(key)
        if index is None:
            index = {}
            series = (
                self._by_kind.get(kind) if unit is None else self._by_unit_kind.get((unit, kind))
            )
            for event in series.events if series is not None else ():
                value = event.get(field_name)
                # a list attribute is indexed by each member (`subject in persons`)
                for member in set(value) if isinstance(value, list) else (value,):
                    try:
                        index.setdefault(member, []).append(event)
                    except TypeError:
                        continue
            self._by_value[key] = index
        return index

    def _distinct_values(self, sel: ast.Selection, ctx: _Ctx) -> _Values:
        values: set[Any] = set()
        for event in self._select(sel, ctx):
            value = event.get(sel.field or "id")
            if isinstance(value, list):
                values.update(value)
            elif value is not None:
                values.add(value)
        return _Values(sorted(values, key=str))

    def _aggregate(self, node: ast.Aggregate, ctx: _Ctx) -> Any:
        source = node.source
        if isinstance(source, ast.Grouped):
            groups = self._grouped(source, ctx)
            numbers = [v for _, v in groups.values if is_number(v)]
            match node.function:
                case "avg":
                    return sum(numbers) / len(numbers) if numbers else None
                case "min":
                    return min(numbers) if numbers else None
                case "max":
                    return max(numbers) if numbers else None
                case "sum":
                    return sum(numbers)
                case "count":
                    return len(groups.values)
            return None
        if source.kind not in self.defs.events:
            members = self.value(ast.Name(source.kind), ctx)
            return len(members) if isinstance(members, (list, set, tuple)) else 0
        events = self._select(source, ctx)
        return self._combine(node.function, source, events, ctx)

    def _combine(self, function: str, sel: ast.Selection, events: list[Event], ctx: _Ctx) -> Any:
        if function == "latest":
            if not events:
                return None
            last = max(events, key=lambda e: (e.at, e.id))
            ctx.evidence.add(last.id)
            return last.get(sel.field or "id")
        ctx.evidence.update(e.id for e in events)
        match function:
            case "count":
                if sel.distinct:
                    values: set[Any] = set()
                    for event in events:
                        value = event.get(sel.field or "id")
                        if isinstance(value, list):
                            values.update(value)
                        elif value is not None:
                            values.add(value)
                    return len(values)
                return len(events)
            case "exists":
                return bool(events)
        numbers = [event.get(sel.field or "") for event in events]
        numbers = [n for n in numbers if is_number(n) or isinstance(n, (str, dt.date))]
        match function:
            case "sum":
                return sum(n for n in numbers if is_number(n))
            case "avg":
                nums = [n for n in numbers if is_number(n)]
                return sum(nums) / len(nums) if nums else None
            case "min":
                return min(numbers) if numbers else None
            case "max":
                return max(numbers) if numbers else None
        return None  # pragma: no cover

    def _grouped(self, node: ast.Grouped, ctx: _Ctx) -> _Groups:
        inner = node.aggregate
        source = inner.source
        assert isinstance(source, ast.Selection)
        group = node.group
        values: list[tuple[str, Any]] = []
        if isinstance(group, ast.PeriodGroup):
            instance = ctx.instance
            # the sub-periods that overlap the instance, the cut first and last included
            for sub in periods_between(group.unit, instance.start, instance.end):
                start = max(sub.start, instance.start)
                end = min(sub.end, instance.end)
                if end < start:
                    continue
                lo = self._day_start(start)
                hi = min(ctx.hi, self._day_end(end))
                if ctx.lo is not None and lo < ctx.lo:
                    lo = ctx.lo
                if hi < lo:
                    values.append((sub.label, self._combine(inner.function, source, [], ctx)))
                    continue
                sub_ctx = ctx.but(lo=lo, hi=hi)
                events = self._select(source, sub_ctx)
                values.append((sub.label, self._combine(inner.function, source, events, ctx)))
            return _Groups(values)
        members = self.value(group.members, ctx) or []
        by_member: dict[Any, list[Event]] = {}
        kind = self.defs.events.get(source.kind)
        field_type = kind.field_type(group.field) if kind is not None else None
        # the events of each member, through the attribute's index
        by = (group.field, list(members)) if field_type is not None else None
        for event in self._select(source, ctx, by):
            value = event.get(group.field)
            for one in value if isinstance(value, list) else [value]:
                try:
                    by_member.setdefault(one, []).append(event)
                except TypeError:
                    continue
        for member in members:
            try:
                matching = by_member.get(member, [])
            except TypeError:
                matching = []
            values.append((str(member), self._combine(inner.function, source, matching, ctx)))
        return _Groups(values)

    # --------------------------------------------------------------- explain

    def explain(self, obligation: str, unit: str) -> list[tuple[Result, list[Trace]]]:
        """For one unit and obligation: each result, with every event of the kinds the
        obligation reads, whether it counted, and why not."""
        ob = self.compiled.obligation(obligation)
        today = self.as_of.date()
        results = self._obligation_results(ob, unit, today)
        kinds = _kinds(ob.checked)
        instances = {i.label: i for i in ob.instances(today, started_by=today)}
        out = []
        for result in results:
            traces: list[Trace] = []
            qualifying = instances.get(result.period.label)
            for kind in kinds:
                series = self._by_unit_kind.get((unit, kind))
                for event in series.events if series else ():
                    if event.at > self.as_of:
                        continue  # not yet happened: not considered
                    if (
                        result.trigger is not None
                        and isinstance(ob.checked.schedule, ast.ForEachEvent)
                        and kind == ob.checked.schedule.kind
                        and event.id != result.trigger
                    ):
                        continue  # another trigger: an instance of its own
                    counted = event.id in result.evidence
                    why = (
                        t(self.lang, "counted")
                        if counted
                        else self._why_not(ob, result, event, qualifying)
                    )
                    traces.append(Trace(event.id, event.kind, event.at, counted, why))
            traces.sort(key=lambda t: (t.at, t.event))
            out.append((result, traces))
        return out

    def _why_not(
        self,
        ob: CompiledObligation,
        result: Result,
        event: Event,
        instance: Instance | None = None,
    ) -> str:
        start = self._day_start(result.period.start)
        end = self._day_end(result.period.end)
        due = result.due
        kind = self.defs.events.get(event.kind)
        if kind is not None and not kind.stock and result.trigger is None:
            if event.at < start:
                return t(self.lang, "before the period ({label} starts {start})",
                         label=result.period.label, start=result.period.start)
            limit = max(end, due) if due else end
            if event.at > limit:
                return t(self.lang, "after the period ({label} ends {end})",
                         label=result.period.label, end=result.period.end)
        if due is not None and event.at > due and event.at <= self.as_of:
            return t(self.lang, "after the deadline {due}", due=f"{due:%Y-%m-%d %H:%M}")
        if event.at > self.as_of:
            return t(self.lang, "after as_of")
        kind_def = self.defs.events.get(event.kind)
        if (
            instance is not None
            and instance.qualifying is not None
            and kind_def is not None
            and not kind_def.stock
            and not any(o.contains(event.day) for o in instance.qualifying)
        ):
            days = ", ".join(
                o.start.isoformat() if o.start == o.end else f"{o.start}..{o.end}"
                for o in instance.qualifying
            )
            return t(self.lang, "not on a qualifying day ({days})",
                     days=days or t(self.lang, "none in this period"))
        facts = self.facts(result.unit)
        for condition in ob.checked.requires:
            for node in ast.walk(condition):
                if isinstance(node, ast.Selection) and node.kind == event.kind and node.where:
                    instance = Instance(result.period.label, result.period.start,
                                        result.period.end, due)
                    trigger = self._event_by_id(result.trigger) if result.trigger else None
                    ctx = _Ctx(result.unit, facts, event.day, None, self.as_of, instance,
                               event=event, lets=ob.checked.lets, subject=result.person,
                               trigger=trigger)
                    reason = self._why_false(node.where, ctx)
                    if reason:
                        return reason
        return t(self.lang, "not selected by the requirement")

    def _event_by_id(self, ident: str) -> Event | None:
        return next((e for e in self.events if e.id == ident), None)

    def _why_false(self, node: ast.Expr, ctx: _Ctx) -> str | None:
        if self._truthy(self.value(node, ctx)):
            return None
        if isinstance(node, ast.BoolOp) and node.op == "and":
            return self._why_false(node.left, ctx) or self._why_false(node.right, ctx)
        if isinstance(node, ast.Compare):
            left, right = self.value(node.left, ctx), self.value(node.right, ctx)
            if left is None:
                return t(self.lang, "`{left}` is missing", left=show(node.left))
            return t(self.lang, "`{left}` is {value}, needs {op} {required}",
                     left=show(node.left), value=_text(left), op=node.op, required=_text(right))
        return t(self.lang, "`{text}` is false", text=show(node))


@dataclass(frozen=True)
class _Outcome:
    holds: bool
    required: float | None
    actual: float | None
    evidence: set[str]
    detail: str
    #: a count is already above a maximum the requirement sets: counts only grow, so no
    #: event to come can satisfy it (`count(meeting) between 1 and 2` with three held)
    beyond_reach: bool = False


def _scale_targets(node: ast.Expr, share: float) -> ast.Expr:
    """`node` with the numeric targets of its top-level comparisons scaled by `share`."""
    if isinstance(node, ast.BoolOp) and node.op == "and":
        return replace(node, left=_scale_targets(node.left, share),
                       right=_scale_targets(node.right, share))
    if (
        isinstance(node, ast.Compare)
        and node.op in (">=", ">")
        and isinstance(node.left, (ast.Aggregate, ast.Grouped))
        and isinstance(node.right, (ast.IntLit, ast.DecimalLit))
    ):
        target = float(node.right.value) * share
        scaled = math.ceil(target - 1e-9)
        return replace(node, right=ast.IntLit(scaled, span=node.right.span))
    return node


def _is_count(node: ast.Expr) -> bool:
    """A count of events (or of distinct values): it can only grow as events arrive."""
    return isinstance(node, ast.Aggregate) and node.function == "count" and isinstance(
        node.source, ast.Selection
    )


def _kinds(checked: Any) -> list[str]:
    kinds: list[str] = []
    nodes: list[ast.Node] = [*checked.requires]
    if isinstance(checked.schedule, ast.ForEachEvent):
        kinds.append(checked.schedule.kind)
    for node in (n for root in nodes for n in ast.walk(root)):
        if isinstance(node, ast.Selection) and node.kind not in kinds:
            kinds.append(node.kind)
    return kinds


_FAST: dict[type, Callable[[Evaluation, Any, _Ctx], Any]] = {
    ast.Name: Evaluation._fast_name,
    ast.IntLit: Evaluation._fast_literal,
    ast.StringLit: Evaluation._fast_literal,
    ast.BoolLit: Evaluation._fast_literal,
    ast.Compare: Evaluation._fast_compare,
    ast.BoolOp: Evaluation._fast_bool,
    ast.Attribute: Evaluation._fast_attribute,
    ast.In: Evaluation._fast_in,
    ast.Selection: Evaluation._fast_selection,
    ast.Aggregate: Evaluation._fast_aggregate,
    ast.Grouped: Evaluation._fast_grouped,
}


def _reads_event(node: ast.Expr, own: set[str]) -> bool:
    """Whether an expression may read the event a `where` is looking at: its attributes, or
    the unit's facts, which are read on the event's day."""
    for part in ast.walk(node):
        if isinstance(part, ast.Name) and part.id in own:
            return True
        if (
            isinstance(part, ast.Attribute)
            and isinstance(part.value, ast.Context)
            and part.value.which is ast.ContextName.UNIT
            and part.name != "id"  # a unit's id never changes; its other facts may
        ):
            return True
    return False


def is_number(value: Any) -> bool:
    """A number of the language (a bool is not one)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def compare_values(op: str, a: Any, b: Any) -> bool:
    """`a OP b` as requirements compare: nothing holds of a missing value."""
    if a is None or b is None:
        return False
    if isinstance(a, dt.datetime) and isinstance(b, dt.date) and not isinstance(b, dt.datetime):
        a = a.date()
    if isinstance(b, dt.datetime) and isinstance(a, dt.date) and not isinstance(a, dt.datetime):
        b = b.date()
    try:
        match op:
            case "==":
                return bool(a == b)
            case "!=":
                return bool(a != b)
            case "<":
                return bool(a < b)
            case "<=":
                return bool(a <= b)
            case ">":
                return bool(a > b)
            case ">=":
                return bool(a >= b)
    except TypeError:
        return False
    return False  # pragma: no cover


def _ident(value: Any) -> str:
    """A value as an identifier: '' for none."""
    return "" if value is None else str(value)


def _text(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, list):
        return "[" + ", ".join(_text(v) for v in value) + "]"
    return str(value)


# ----------------------------------------------------------------------------- entry point


def evaluate(
    policy: CheckedPolicy | CompiledPolicy,
    events: EventSet | Rows,
    units: UnitSet | Rows | None = None,
    as_of: dt.date | dt.datetime | None = None,
    lang: str = "en",
) -> Report:
    """Evaluate `policy` over `events` (a path, an :class:`EventSet`, or dicts) and
    optional `units`, at `as_of` (a date means the end of that day; default: today in the
    policy's time zone); reasons in `lang` (`en` or `zh`)."""
    compiled = policy if isinstance(policy, CompiledPolicy) else compile_policy(policy)
    checked = compiled.checked
    event_set = events if isinstance(events, EventSet) else read_events(checked, events)
    unit_set = (
        units if isinstance(units, UnitSet) or units is None else read_units(checked, units)
    )
    moment = _as_of(as_of, compiled)
    evaluation = Evaluation(compiled, event_set.events, unit_set, moment, lang)
    results = evaluation.results()
    return build_report(checked, moment, results, event_set, unit_set, lang)


def _as_of(as_of: dt.date | dt.datetime | None, compiled: CompiledPolicy) -> dt.datetime:
    if as_of is None:
        as_of = dt.datetime.now(compiled.zone).date()
    if isinstance(as_of, dt.datetime):
        return as_of if as_of.tzinfo else as_of.replace(tzinfo=compiled.zone)
    return dt.datetime.combine(as_of, dt.time(23, 59, 59), tzinfo=compiled.zone)


def build_report(
    checked: CheckedPolicy,
    as_of: dt.datetime,
    results: list[Result],
    events: EventSet,
    units: UnitSet | None,
    lang: str = "en",
) -> Report:
    """The report of `results`, with every rejected row and a note on what was read but not
    used; rejection reasons and notes in `lang` like the results' reasons."""
    tally = Tally()
    for result in results:
        tally.add(result)
    report = report_head(checked, as_of, events, units, lang)
    report.results = results
    report.summary = summarize(tally, events, units)
    return report


def report_head(
    checked: CheckedPolicy,
    as_of: dt.datetime,
    events: EventSet,
    units: UnitSet | None,
    lang: str = "en",
) -> Report:
    """A report without its results: the policy, the rejected rows and the notes (what
    :func:`policyrules.report.write_json` writes around results it streams)."""
    rejected = [
        RejectedRow(source=r.source, line=r.line, id=r.id, what=r.what,
                    reason=t(lang, r.reason))
        for r in [*events.rejected, *(units.rejected if units else [])]
    ]
    report = Report(policy=checked.name, title=checked.title, as_of=as_of, rejected=rejected,
                    inputs=input_files(events, units))
    report.know(Names.of_inputs(checked.obligations, events, units))
    unread = unread_kinds_note(events)
    if unread is not None:
        report.notes.append(t(lang, unread))
    if units is not None and units.units:
        # accepted, but no result can read them: say so rather than lose them silently
        unknown = sorted({e.unit for e in events.events} - set(units.units))
        if unknown:
            shown = ", ".join(unknown[:10]) + (" …" if len(unknown) > 10 else "")
            count = sum(1 for e in events.events if e.unit in set(unknown))
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
