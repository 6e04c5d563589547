"""Seeded data for the engine benchmark, written as Parquet by DuckDB (no Python object per
row, so that 10 or 50 million events take seconds).

Every value is a hash of the row's number and a salt (`hash(i + salt)`), so the same sizes
give the same data on every run and every machine with the same DuckDB.

- `checks`: units with a staff count (a tenth of them change it on 2019-07-01) and
  activities of 2017–2021 for the four reference checks (checks.pol, checks.sql);
- `notices`: units of every type of the notices (streets with communities under them) and
  events of every kind the five notice policies read, over 2017–2021.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import duckdb

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


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("what", choices=["checks"])
    options.add_argument("folder", type=Path)
    options.add_argument("--units", type=int, default=10_000)
    options.add_argument("--events", type=int, default=1_000_000)
    args = options.parse_args()
    files = checks(args.folder, args.units, args.events)
    print(*files)


if __name__ == "__main__":
    main()
