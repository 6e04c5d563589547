"""Evaluating a policy from Python: the reference engine's findings made into results.

`evaluate(policy, events, units, as_of)` gives a :class:`~policyrules.report.Report`;
:class:`Evaluation` keeps the indexes of one evaluation for incremental use (`add`), for
streaming a city's results a unit at a time (`iter_results`, `iter_chunks`, in processes
with `jobs`), and for `explain`.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, TypeVar

from policyrules.calendar.moments import deadline_on
from policyrules.data.events import Event, EventSet, UnitSet, read_events, read_units
from policyrules.data.rows import Rows
from policyrules.diagnostics.messages import Listing, msg
from policyrules.engine.python.engine import ReferenceEngine
from policyrules.engine.python.explain import Explainer, Trace
from policyrules.report.build import ResultMaker, build_report
from policyrules.report.model import Report, Result
from policyrules.report.provenance import Sources
from policyrules.rules.compiler import CompiledObligation, CompiledPolicy, compile_policy
from policyrules.semantics import CheckedPolicy

__all__ = ["Evaluation", "Trace", "as_of_moment", "default_jobs", "evaluate"]

# units per task when evaluating in processes: small enough to share the work evenly and to
# move the progress bar, large enough that sending a task costs nothing beside it
CHUNK = 100

#: the evaluation a forked process works for, and what it makes of results (set only while
#: its processes run)
_FORKED: tuple[Evaluation, Callable[[list[Result]], Any]] | None = None

Made = TypeVar("Made")


def can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _evaluate_units(units: list[str]) -> tuple[Any, dict[str, set[int]]]:
    """In a forked process: what the caller's `work` makes of the results of `units`, and
    the band rows they used."""
    assert _FORKED is not None
    evaluation, work = _FORKED
    evaluation.engine.selections.band_rows_used = {}
    results = [r for unit in units for r in evaluation.unit_results(unit)]
    return work(results), evaluation.band_rows_used


def _same(results: list[Result]) -> list[Result]:
    return results


def default_jobs() -> int:
    """The processes an evaluation may use: the cores this process may run on."""

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
        self.policy = compiled.checked
        self.units = units
        self.as_of = as_of
        self.lang = lang
        self.engine = ReferenceEngine(compiled, events, units, as_of, lang)
        self._maker = ResultMaker(units, as_of, lang)

    @property
    def events(self) -> list[Event]:
        return self.engine.index.events

    @property
    def band_rows_used(self) -> dict[str, set[int]]:
        """The rows of each headcount band that some evaluation used (`policyrules test`)."""
        return self.engine.selections.band_rows_used

    def add(self, events: Iterable[Event]) -> None:
        """Add events that arrived since; the next evaluation sees them (incremental use).
        Each event is put in place in the indexes it belongs to — nothing is re-read or
        re-sorted — and the computed values are dropped."""
        self.engine.add(events)

    def unit_ids(self) -> list[str]:
        return self.engine.unit_ids()

    def facts(self, unit: str) -> Callable[[dt.date], Mapping[str, Any]]:
        return self.engine.units.facts(unit)

    def applies(self, ob: CompiledObligation, unit: str,
                facts: Callable[[dt.date], Mapping[str, Any]], day: dt.date) -> bool:
        """Whether `ob` binds `unit` on `day`, by its scope and the unit's facts."""
        return self.engine.applies(ob.rule, unit, facts, day)

    # --------------------------------------------------------------- results

    def unit_results(self, unit: str) -> list[Result]:
        return [self._maker.result(f) for f in self.engine.findings(unit)]

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
        there are several: handing back what `work` makes (counts, rendered lines) costs far
        less than handing back the results, which is what lets processes pay. In unit
        order, as :meth:`results`."""
        units = self.unit_ids()
        if jobs > 1 and len(units) >= 2 * CHUNK and can_fork():
            yield from self._chunks_in_processes(units, work, jobs, progress)
            return
        for start in range(0, len(units), CHUNK):
            batch = units[start : start + CHUNK]
            for done, unit in enumerate(batch, start=start + 1):
                results = self.unit_results(unit)
                if progress is not None:
                    progress(done, len(units))
                yield work(results)

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
        chunks = [units[i : i + CHUNK] for i in range(0, len(units), CHUNK)]
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
                    done += CHUNK
                    if progress is not None:
                        progress(min(done, len(units)), len(units))
                    yield made
        finally:
            _FORKED = None
            gc.unfreeze()

    # --------------------------------------------------------------- explain

    def explain(self, obligation: str, unit: str) -> list[tuple[Result, list[Trace]]]:
        """For one unit and obligation: each result, with every event of the kinds the
        obligation reads, whether it counted, and why not."""
        ob = self.compiled.obligation(obligation)
        explained = Explainer(self.engine).explain(ob, unit)
        return [(self._maker.result(finding), traces) for finding, traces in explained]


# ----------------------------------------------------------------------------- entry point


def evaluate(
    policy: CheckedPolicy | CompiledPolicy,
    events: EventSet | Rows,
    units: UnitSet | Rows | None = None,
    as_of: dt.date | dt.datetime | None = None,
    lang: str = "en",
    engine: str = "python",
) -> Report:
    """Evaluate `policy` over `events` (a path, an :class:`EventSet`, or dicts) and
    optional `units`, at `as_of` (a date means the end of that day; default: today in the
    policy's time zone); reasons in `lang` (`en` or `zh`). `engine` is `python` (the
    reference engine), `duckdb` (the columnar engine) or `spark` (its plan on Apache Spark,
    in the process's SparkSession; the extra `spark`): the report is the same."""
    if engine not in ENGINES:
        raise ValueError(
            msg("no engine `{name}`; the engines are {names}", name=engine,
                names=Listing([f"`{e}`" for e in ENGINES]))
        )
    compiled = policy if isinstance(policy, CompiledPolicy) else compile_policy(policy)
    checked = compiled.checked
    if engine == "spark" and not isinstance(events, EventSet):
        from policyrules.engine.spark.engine import paths_of

        paths = paths_of(events)
        if paths is not None:  # read as `check --engine spark` reads them: URIs by Spark
            moment = as_of_moment(as_of, compiled)
            counted, read, found = _spark_files(compiled, paths, units, moment, lang)
            return build_report(checked, moment, found, counted, read, lang,
                                Sources(workdays=compiled.workdays))
    event_set = events if isinstance(events, EventSet) else read_events(checked, events)
    unit_set = (
        units if isinstance(units, UnitSet) or units is None else read_units(checked, units)
    )
    moment = as_of_moment(as_of, compiled)
    if engine != "python":
        results = _columnar_results(engine, compiled, event_set, unit_set, moment, lang)
    else:
        results = Evaluation(compiled, event_set.events, unit_set, moment, lang).results()
    sources = Sources(workdays=compiled.workdays)
    return build_report(checked, moment, results, event_set, unit_set, lang, sources)


#: the engines :func:`evaluate` runs
ENGINES = ("python", "duckdb", "spark")


def _columnar_results(
    engine: str,
    compiled: CompiledPolicy,
    events: EventSet,
    units: UnitSet | None,
    moment: dt.datetime,
    lang: str,
) -> list[Result]:
    """The results of the compiled plan, on DuckDB or on Spark."""
    from policyrules.engine.sql.engine import ColumnarEngine, PlanEngine
    from policyrules.report.columnar import Output

    planned: PlanEngine
    output: Output
    if engine == "spark":
        from policyrules.engine.spark.engine import SparkEngine
        from policyrules.report.spark import SparkOutput

        spark = SparkEngine(compiled, moment, lang)
        planned, output = spark, SparkOutput(spark.spark)
    else:
        duck = ColumnarEngine(compiled, moment, lang)
        planned, output = duck, Output(duck.con)
    try:
        planned.load(events, units)
        planned.evaluate()
        return output.results()
    finally:
        planned.close()


def _spark_files(
    compiled: CompiledPolicy,
    events: list[str],
    units: UnitSet | Rows | None,
    moment: dt.datetime,
    lang: str,
) -> tuple[EventSet, UnitSet | None, list[Result]]:
    """`engine="spark"` of event files, read as `check --engine spark` reads them (by Spark
    where they lie: a URI, a directory, a glob), units files too."""
    from policyrules.engine.spark.engine import SparkEngine, paths_of
    from policyrules.report.spark import SparkOutput

    spark = SparkEngine(compiled, moment, lang)
    try:
        counted = spark.read(events)
        unit_set: UnitSet | None = None
        if isinstance(units, UnitSet):
            unit_set = units
        elif units is not None:
            paths = paths_of(units)
            source = spark.units_source(paths, None) if paths is not None else units
            unit_set = read_units(compiled.checked, source)
        spark.load_units(unit_set, counted)
        spark.evaluate()
        return counted, unit_set, SparkOutput(spark.spark).results()
    finally:
        spark.close()


def as_of_moment(as_of: dt.date | dt.datetime | None, compiled: CompiledPolicy) -> dt.datetime:
    """`as_of` as an instant: a date is the end of that day in the policy's zone; a naive
    time is in the zone; none is today."""
    if as_of is None:
        as_of = dt.datetime.now(compiled.zone).date()
    if isinstance(as_of, dt.datetime):
        return as_of if as_of.tzinfo else as_of.replace(tzinfo=compiled.zone)
    return deadline_on(as_of, compiled.zone)
