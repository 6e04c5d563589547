"""The engine benchmark: policyrules' engines against hand-written DuckDB SQL, in one run.

    python benchmarks/engine/bench.py checks [--events 1000000] [--units 10000]
    python benchmarks/engine/bench.py notices [--events 10000000] [--units 100000]
                                          [--memory-limit SIZE]

`checks` times the four reference checks (checks.pol; checks.sql is the same question written
by hand) on seeded Parquet data (generate.py; written once under --data and reused):

- *queries*: in this process, alternating, `--rounds` times each, the hand-written SQL on a
  fresh DuckDB connection against the columnar engine's reading and evaluation (compiling
  the policy included, writing no report) — the median of each and their ratio;
- *processes*: `policyrules check … --format json -o FILE` (per engine) against a hand-written
  process (Python, DuckDB, checks.sql, its table written as JSON) — wall time, events per
  second, peak RSS of the process (`wait4`), and the ratio to the hand-written process;
- *agreement*: the statuses and actual values of every unit × period of both engines'
  reports and of the hand-written table, compared; the two reports must be byte-identical.

`notices` writes the five notice policies' results over one city's data to Parquet
(`--format parquet`), one process per policy, and reports time and peak RSS of each and all;
`--memory-limit SIZE` is passed to each `check` (the database then works on disk beyond it).

Every figure comes from this run on this machine; nothing is compared with a stored number.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (the generator beside this file)

AS_OF = "2022-01-01"
NOTICES = ["binhai-2021", "huizhou-2017", "puer-2020", "xindu-2017", "yuzhong-2019"]


@dataclass(frozen=True)
class Run:
    """One timed process: its wall time in seconds and peak resident memory in MiB."""

    seconds: float
    peak_mib: float
    status: int


def run_process(command: Sequence[str]) -> Run:
    """`command`, timed, with the peak RSS of its process as the kernel counts it."""
    # stderr to a file, not a pipe: a city's rejected rows (thousands of lines) would fill
    # a pipe nobody reads while the process is waited for, and the child would block
    with tempfile.TemporaryFile() as stderr:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        stderr.seek(0)
        errors = stderr.read().decode("utf-8", "replace")
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):  # 1: some result is overdue, the contract's exit status
        raise SystemExit(f"{' '.join(command)} failed ({code}):\n{errors}")
    return Run(seconds, usage.ru_maxrss / 1024, code)


def handwritten_sql(units: Path, events: Path) -> str:
    text = (HERE / "checks.sql").read_text(encoding="utf-8")
    return text.replace("${units}", str(units)).replace("${events}", str(events))


def time_handwritten(units: Path, events: Path) -> float:
    sql = handwritten_sql(units, events)
    con = duckdb.connect()
    start = time.perf_counter()
    con.execute(sql)
    seconds = time.perf_counter() - start
    con.close()
    return seconds


def time_engine(units: Path, events: Path) -> float:
    import policyrules
    from policyrules.data.events import read_units
    from policyrules.engine.sql.engine import ColumnarEngine
    from policyrules.engine.sql.ingest import parquet_rows
    from policyrules.evaluation import as_of_moment
    from policyrules.rules.compiler import compile_policy

    start = time.perf_counter()
    policy = policyrules.load(HERE / "checks.pol")
    compiled = compile_policy(policy)
    engine = ColumnarEngine(compiled, as_of_moment(dt.date.fromisoformat(AS_OF), compiled))
    try:
        counted = engine.read([events])
        # the units as `check` reads them: Parquet through the database
        engine.load_units(read_units(policy, [parquet_rows(engine.con, str(units))]), counted)
        engine.evaluate()
        if engine.fallbacks:
            raise SystemExit(f"the engine fell back: {engine.fallbacks}")
        return time.perf_counter() - start
    finally:
        engine.close()


def alternate(rounds: int, *timers: Callable[[], float]) -> list[list[float]]:
    """Each timer `rounds` times, interleaved, so that a busy moment of the machine falls on
    both sides alike."""
    times: list[list[float]] = [[] for _ in timers]
    for _ in range(rounds):
        for n, timer in enumerate(timers):
            times[n].append(timer())
    return times


HAND_PROCESS = """
import duckdb, sys
con = duckdb.connect()
con.execute(open(sys.argv[1], encoding="utf-8").read())
con.execute("COPY (SELECT * FROM handwritten ORDER BY \\"check\\", unit, period) TO '"
            + sys.argv[2].replace("'", "''") + "' (FORMAT json)")
"""


def check_command(policy: Path, units: Path, events: Path, engine: str, out: Path,
                  format: str = "json") -> list[str]:
    return [sys.executable, "-m", "policyrules", "check", str(policy), "--events", str(events),
            "--units", str(units), "--as-of", AS_OF, "--format", format, "-o", str(out),
            "--engine", engine]


def agreement(hand: Path, reports: dict[str, Path]) -> list[str]:
    """What differs between the hand-written table and the engines' reports (nothing, when
    they agree)."""
    problems: list[str] = []
    want: dict[tuple[str, str, str], tuple[str, float]] = {}
    with hand.open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            want[(row["check"], row["unit"], row["period"])] = (row["status"], row["actual"])
    texts = {name: path.read_bytes() for name, path in reports.items()}
    for name, text in texts.items():
        got = {
            (r["obligation"], r["unit"], r["period"]["label"]): (r["status"], r["actual"])
            for r in json.loads(text)["results"]
        }
        if got != want:
            differing = sorted(k for k in got.keys() | want.keys() if got.get(k) != want.get(k))
            problems.append(f"{name}: {len(differing)} results differ from the hand-written "
                            f"table, e.g. {differing[0]}: {got.get(differing[0])} vs "
                            f"{want.get(differing[0])}")
    names = list(texts)
    for other in names[1:]:
        if texts[other] != texts[names[0]]:
            problems.append(f"the reports of {names[0]} and {other} are not identical")
    return problems


def checks(options: argparse.Namespace) -> int:
    folder = options.data / f"checks-{options.events}-{options.units}"
    units, events = folder / "units.parquet", folder / "events.parquet"
    if not (units.exists() and events.exists()):
        start = time.perf_counter()
        generate.checks(folder, options.units, options.events)
        print(f"generated {options.events:,} events, {options.units:,} units in "
              f"{time.perf_counter() - start:.1f} s ({folder})")
    n = options.events
    print(f"four checks, {n:,} events, {options.units:,} units, this machine "
          f"({os.cpu_count()} cores), {options.rounds} rounds\n")

    hand_times, engine_times = alternate(
        options.rounds,
        lambda: time_handwritten(units, events),
        lambda: time_engine(units, events),
    )
    hand_q = statistics.median(hand_times)
    print("queries (in process, median; min–max)")
    for name, times in (("hand-written SQL", hand_times), ("duckdb engine", engine_times)):
        median = statistics.median(times)
        print(f"  {name:18} {median:8.2f} s  ({min(times):.2f}–{max(times):.2f})"
              f"  {n / median:12,.0f} events/s  ratio {median / hand_q:5.2f}")

    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch)
        script = out / "checks.sql"
        script.write_text(handwritten_sql(units, events), encoding="utf-8")
        engines = ["duckdb"] + (["python"] if options.python else [])
        runs: dict[str, list[Run]] = {"hand-written": []}
        runs.update({engine: [] for engine in engines})
        for _ in range(options.rounds):
            runs["hand-written"].append(run_process(
                [sys.executable, "-c", HAND_PROCESS, str(script), str(out / "hand.json")]))
            for engine in engines:
                if engine == "python" and runs[engine]:
                    continue  # one run of the reference engine is enough (it takes minutes)
                runs[engine].append(run_process(check_command(
                    HERE / "checks.pol", units, events, engine, out / f"{engine}.json")))
        hand_p = statistics.median(r.seconds for r in runs["hand-written"])
        print("\nprocesses (`policyrules check … --format json -o FILE`; median of wall time,"
              " the largest peak RSS)")
        for name, done in runs.items():
            seconds = statistics.median(r.seconds for r in done)
            peak = max(r.peak_mib for r in done)
            print(f"  {name:18} {seconds:8.2f} s  {n / seconds:12,.0f} events/s  "
                  f"peak RSS {peak:7.0f} MiB  ratio {seconds / hand_p:6.2f}")
        problems = agreement(out / "hand.json", {e: out / f"{e}.json" for e in engines})
    print()
    if problems:
        print("DISAGREE:\n  " + "\n  ".join(problems))
        return 1
    names = " and ".join(["the hand-written queries", *(f"the {e} engine" for e in engines)])
    print(f"agree: {names} give the same status and actual for every unit × period"
          + (", and both reports are byte-identical" if len(engines) > 1 else ""))
    return 0


def notices(options: argparse.Namespace) -> int:
    folder = options.data / f"notices-{options.events}-{options.units}"
    units, events = folder / "units.parquet", folder / "events.parquet"
    if not (units.exists() and events.exists()):
        notice_data = getattr(generate, "notices", None)
        if notice_data is None:
            raise SystemExit("generate.py has no `notices` generator yet")
        start = time.perf_counter()
        notice_data(folder, options.units, options.events)
        print(f"generated {options.events:,} events, {options.units:,} units in "
              f"{time.perf_counter() - start:.1f} s ({folder})")
    limit = f", --memory-limit {options.memory_limit}" if options.memory_limit else ""
    print(f"five notice policies, {options.events:,} events, {options.units:,} units, "
          f"results to Parquet{limit}\n")
    total, peak = 0.0, 0.0
    with tempfile.TemporaryDirectory() as scratch:
        for name in NOTICES:
            out = Path(scratch) / f"{name}.parquet"
            command = check_command(ROOT / "policies" / f"{name}.pol", units, events, "duckdb",
                                    out, "parquet")
            if options.memory_limit:
                command += ["--memory-limit", options.memory_limit]
            run = run_process(command)
            query = f"SELECT count(*) FROM read_parquet('{out}')"
            results = duckdb.connect().execute(query).fetchone()
            count = results[0] if results else 0
            total += run.seconds
            peak = max(peak, run.peak_mib)
            print(f"  {name:14} {run.seconds:7.1f} s  peak RSS {run.peak_mib:6.0f} MiB  "
                  f"{count:>10,} results")
    print(f"  {'all five':14} {total:7.1f} s  peak RSS {peak:6.0f} MiB")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--data", type=Path, default=ROOT / "benchmarks" / ".data",
                         help="where the generated data is kept (default: benchmarks/.data)")
    commands = options.add_subparsers(dest="command", required=True)
    first = commands.add_parser("checks", help="the four reference checks (the ratios)")
    first.add_argument("--events", type=int, default=1_000_000)
    first.add_argument("--units", type=int, default=10_000)
    first.add_argument("--rounds", type=int, default=3)
    first.add_argument("--no-python", dest="python", action="store_false",
                       help="skip the reference engine's process (minutes at 1M events)")
    second = commands.add_parser("notices", help="the five notice policies at a city's size")
    second.add_argument("--events", type=int, default=10_000_000)
    second.add_argument("--units", type=int, default=100_000)
    second.add_argument("--memory-limit", help="passed to each `check` (e.g. 1.5GB)")
    args = options.parse_args(argv)
    return checks(args) if args.command == "checks" else notices(args)


if __name__ == "__main__":
    sys.exit(main())
