"""Seeded data for the engine benchmark, written as Parquet by DuckDB (no Python object per
row, so that 10 or 50 million events take seconds).

Every value is a hash of the row's number and a salt (`hash(i + salt)`), so the same sizes
give the same data on every run and every machine with the same DuckDB.

- `checks`: units with a staff count (a tenth of them change it on 2019-07-01) and
  activities of 2017–2021 for the four reference checks (checks.pol, checks.sql);
- `notices`: units of every type of the notices (streets with communities under them) and
  events of every kind the five notice policies read, over 2017–2021.

    python benchmarks/engine/generate.py checks DIR [--units 10000] [--events 1000000]
    python benchmarks/engine/generate.py notices DIR [--units 100000] [--events 10000000]
        [--seed 0] [--bad-share 0.001]

`notices` writes DIR/units.parquet, DIR/events.parquet — one file that all five notice
policies read, each the kinds and attributes it declares (the others are kinds no obligation
of it reads) — and DIR/defects.parquet, the rows made malformed on purpose (id, kind,
defect). What is in it:

- a city of districts of 5,000 units (notice_city.py): the offices the notices name (区民政局,
  团区委, 区公安局 …, the leading group and its member units, units under the city, window
  units, trade branches, professional teams), then streets with their communities,
  volunteer teams, 文明单位, 文明校园 and schools under them, and enterprises; staff,
  population, students, parent links, fields, paired communities, some facts changing on
  a day (`valid_from`);
- events of every kind of the vocabulary (notice_streams.py): activities of each unit's
  kind (文明单位在行动 on first Fridays and Saturdays, community station activities with
  themes, team visits, paired visits, rush-hour traffic duty, holiday tourism, ecology,
  2nd-Saturday activities), festival activities near their festivals (2021 the busiest:
  BH's year), party members' activities around 7月1日 naming them (`persons`), daily
  门前三包 checks, trainings (a quarter in May, some joint: `joint_units`), lessons,
  meetings and their minutes, stations opened and closed, registrations in batches since
  2015 (a stock), service-hour records per person (some with another unit, some by helpers
  who never registered), reports near their deadlines — most on time, some late, some
  for the wrong period or with photos the notices refuse — and follow-ups naming what they
  follow (summaries, insurance, publications, materials); optional attributes sometimes
  missing. Every obligation of the five policies gets results of more than one status
  (tests/test_bench_data.py lists the exceptions of a small city);
- a share `--bad-share` (0.1%) of malformed rows of realistic kinds: bad dates
  (`2019/03/05 09:00`, `05.03.2019`, `2019-02-30T09:00`), negative hours, duplicate ids (a
  row copying the id of the one before), misspelt kinds (`志愿活动`, `Report`, `services`), a
  value outside its set (`可选`, `季度报告`, …) and a missing unit. Of these the reference
  reader rejects all but the misspelt kinds (numbers must be `>= 0`, docs/data.md);
  misspelt kinds are accepted and read by no obligation.

Measured on the 2-core machine of the project (DuckDB 2.0.1, the `duckdb` core dependency;
other helpers' work running at the same time, one run each, `/usr/bin/time -v`):

| `notices` | wall | CPU (user + sys) | peak RSS | events.parquet |
|---|---:|---:|---:|---:|
| 100,000 units, 10,000,000 events | 36.3 s | 26.4 s + 2.9 s | 879 MiB | 110 MiB |
| 10,000 units, 1,000,000 events | 7.6 s | — | 316 MiB | — |

About 0.1% of the rows (9,977 of 10 million) are the deliberate defects.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
import notice_city
import notice_events
import notice_streams

THEMES = ["环保", "助老", "助残", "文明交通", "科普", "文明祭扫", "关爱空巢老人", "植树环保"]


def _pick(items: list[str], salt: int) -> str:
    """SQL choosing one of `items` by the row's hash."""
    listed = ", ".join("'" + item.replace("'", "''") + "'" for item in items)
    return f"[{listed}][1 + (hash(i + {salt}) % {len(items)})::INTEGER]"


def checks(folder: Path, units: int, events: int) -> tuple[Path, Path]:
    """units.parquet and events.parquet for the four checks."""
    folder.mkdir(parents=True, exist_ok=True)
    unit_file, event_file = folder / "units.parquet", folder / "events.parquet"
    con = duckdb.connect()
    con.execute(f"""
        COPY (
          SELECT printf('u%06d', i) AS unit, NULL::DATE AS valid_from,
                 (1 + hash(i + 1) % 300)::BIGINT AS staff
          FROM range({units}) t(i)
          UNION ALL
          SELECT printf('u%06d', i), DATE '2019-07-01', (1 + hash(i + 2) % 300)::BIGINT
          FROM range({units}) t(i) WHERE i % 10 = 0
          ORDER BY unit, valid_from NULLS FIRST
        ) TO '{unit_file}' (FORMAT parquet)
    """)
    days = 5 * 365 + 1  # 2017-01-01 .. 2021-12-31
    con.execute(f"""
        COPY (
          SELECT printf('e%09d', i) AS id, printf('u%06d', hash(i + 11) % {units}) AS unit,
                 'activity' AS kind,
                 TIMESTAMP '2017-01-01 08:00' + to_days((hash(i + 12) % {days})::INTEGER)
                   + to_minutes((30 * (hash(i + 13) % 24))::INTEGER) AS at,
                 list_extract([0.5, 1.0, 1.5, 2.0, 3.0]::DOUBLE[],
                              1 + (hash(i + 14) % 5)::INTEGER) AS hours,
                 (1 + hash(i + 15) % 12)::BIGINT AS participants,
                 {_pick(["required", "elective"], 16)} AS category,
                 {_pick(THEMES, 17)} AS theme
          FROM range({events}) t(i)
        ) TO '{event_file}' (FORMAT parquet, ROW_GROUP_SIZE 200000)
    """)
    return unit_file, event_file


def notices(
    folder: Path, units: int = 100_000, events: int = 10_000_000, *, seed: int = 0,
    bad_share: float = 0.001,
) -> tuple[Path, Path]:
    """units.parquet, events.parquet (one file for all five notice policies) and
    defects.parquet (id, kind, defect: the rows made malformed on purpose).

    Raises ValueError, before writing anything, for sizes out of range and for fewer
    events than the city's once-a-period rows alone (registrations, reports, stations …)
    would make: the file would hold more rows than asked for."""
    if units < 1 or events < 0:
        raise ValueError(f"sizes must be at least 1 unit and 0 events (got {units:,} units,"
                         f" {events:,} events)")
    if not 0.0 <= bad_share <= 1.0:
        raise ValueError(f"--bad-share must be between 0 and 1 (got {bad_share})")
    unit_file, event_file = folder / "units.parquet", folder / "events.parquet"
    salt = 1_000_000 * seed
    con = duckdb.connect()
    # Rows in the order of their numbers, the same on every run: joins as written, each
    # stream's range probing the small tables (left to itself, DuckDB builds its hash table
    # on whichever side it estimates smaller, and a small stream's rows then come out in the
    # order its threads happened to fill that table).
    con.execute("SET disabled_optimizers = 'join_order,build_side_probe_side'")
    con.execute(notice_events.macros(salt))
    notice_city.build_units(con, units, salt + 100)
    sizes = notice_city.build_pools(con)
    batches = max(1, round(units * 0.2))
    notice_city.build_registrations(con, batches, sizes["registering"][1], salt + 200)
    notice_city.derive_facts(con, salt + 300)
    notice_events.festival_tables(con)
    streams = _notice_streams(con, sizes, batches, events, bad_share, salt)
    folder.mkdir(parents=True, exist_ok=True)
    notice_city.write_units(con, str(unit_file))
    con.execute(f"""
        COPY (SELECT * EXCLUDE (i, ts, defect) FROM final)
        TO '{event_file}' (FORMAT parquet, COMPRESSION zstd)
    """)
    con.execute(f"""
        COPY (SELECT id, kind, defect FROM defective WHERE defect IS NOT NULL ORDER BY i)
        TO '{folder / "defects.parquet"}' (FORMAT parquet)
    """)
    del streams
    return unit_file, event_file


def _notice_streams(
    con: duckdb.DuckDBPyConnection, sizes: dict[str, tuple[int, int]], batches: int,
    events: int, bad_share: float, salt: int,
) -> list[notice_events.Stream]:
    """The views of every stream and `final`, sized to `events` rows in all."""
    registrations = 10 * batches

    def planned(rate: float) -> list[notice_events.Stream]:
        streams = [
            *notice_streams.activities(sizes, rate),
            *notice_streams.festivals(sizes, rate, batches),
            *notice_streams.duties(sizes, rate),
            *notice_streams.slots(sizes),
            *notice_streams.people(sizes, registrations, rate),
            *notice_streams.follow_ups(sizes["all"][0]),
        ]
        return streams

    rate = 1.0
    streams = planned(rate)
    notice_events.create_views(con, streams)
    wanted = notice_events.count_rows(con, streams)
    if wanted > 0.85 * events:
        rate = 0.85 * events / wanted
        streams = planned(rate)
        notice_events.create_views(con, streams)
        wanted = notice_events.count_rows(con, streams)
    if wanted > events:
        # the once-a-period streams do not scale with the rate: scale only the rest, if
        # what the once-a-period ones need (at rate 0) leaves room for it
        fixed_streams = planned(0.0)
        notice_events.create_views(con, fixed_streams)
        fixed = notice_events.count_rows(con, fixed_streams)
        rate *= max(0.0, 0.85 * events - fixed) / max(1, wanted - fixed)
        streams = planned(rate)
        notice_events.create_views(con, streams)
        wanted = notice_events.count_rows(con, streams)
        if wanted > events:
            raise ValueError(
                f"{events:,} events are too few for {sizes['all'][0]:,} units: the rows every"
                f" city of that size has once a period (registrations, reports, appointments,"
                f" stations …) come to {fixed:,} alone; ask for at least"
                f" {math.ceil(fixed / 0.85):,} events (about 100 a unit gives every"
                f" obligation its mix of statuses) or fewer units")
    rest = notice_streams.general(sizes)
    rest.rows = max(0, events - wanted)
    notice_events.create_views(con, [rest], offset=streams[-1].offset + streams[-1].rows)
    everything = [*streams, rest]
    con.execute("CREATE OR REPLACE TEMP VIEW final AS "
                + notice_events.final_sql(everything, bad_share, salt + 900))
    con.execute("CREATE OR REPLACE TEMP VIEW defective AS "
                + notice_events.final_sql(everything, bad_share, salt + 900, only_bad=True))
    return everything


def main(argv: list[str] | None = None) -> None:
    # the docstring's first sentence (its first line breaks mid-sentence)
    options = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    options.add_argument("what", choices=["checks", "notices"])
    options.add_argument("folder", type=Path)
    options.add_argument("--units", type=int, default=None,
                         help="units (default 10,000 for checks, 100,000 for notices)")
    options.add_argument("--events", type=int, default=None,
                         help="events (default 1,000,000 for checks, 10,000,000 for notices)")
    options.add_argument("--seed", type=int, default=0, help="notices: another city (default 0)")
    options.add_argument("--bad-share", type=float, default=0.001,
                         help="notices: the share of rows made malformed on purpose")
    args = options.parse_args(argv)
    # `is None`, not `or`: --events 0 asks for no events, not for the default
    if args.what == "checks":
        files = checks(args.folder, 10_000 if args.units is None else args.units,
                       1_000_000 if args.events is None else args.events)
    else:
        try:
            files = notices(args.folder, 100_000 if args.units is None else args.units,
                            10_000_000 if args.events is None else args.events,
                            seed=args.seed, bad_share=args.bad_share)
        except ValueError as wrong:
            options.error(str(wrong))
    print(*files)


if __name__ == "__main__":
    main()
