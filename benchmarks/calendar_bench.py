"""How cheap the calendar is: a working-day query, and a policy's calendar for a year.

Run:  python benchmarks/calendar_bench.py

Reports microseconds per working-day query (is_working_day, add_working_days,
working_days_between) against the reference `date.weekday()` measured in the same run — the
least a working-day test can cost — and the time to compute a year of each notice policy's
instances and due dates, first (cold) and again (cached), against parsing the policy.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import policyrules
from policyrules.calendar import default_calendar
from policyrules.calendar.workdays import WorkdayCalendar
from policyrules.views.calendar import year_view

ROOT = Path(__file__).resolve().parent.parent
YEARS = {"yuzhong-2019": 2019, "xindu-2017": 2017, "huizhou-2017": 2017, "puer-2020": 2021,
         "binhai-2021": 2021}


def per_call(action: object, repeat: int = 100_000) -> float:
    assert callable(action)
    start = time.perf_counter()
    for _ in range(repeat):
        action()
    return (time.perf_counter() - start) / repeat * 1e6


def main() -> None:
    calendar = default_calendar()
    day = dt.date(2021, 9, 18)
    calendar.is_working_day(day)  # build the year's table outside the timing
    reference = per_call(day.weekday)
    print(f"reference date.weekday()        : {reference:6.3f} µs")
    for name, action in [
        ("is_working_day", lambda: calendar.is_working_day(day)),
        ("add_working_days(d, 2)", lambda: calendar.add_working_days(day, 2)),
        ("working_days_between (1 year)",
         lambda: calendar.working_days_between(dt.date(2021, 1, 1), dt.date(2021, 12, 31))),
    ]:
        cost = per_call(action)
        print(f"{name:32}: {cost:6.3f} µs  ({cost / reference:.0f}× reference)")
    print()
    for name, year in YEARS.items():
        start = time.perf_counter()
        policy = policyrules.load(ROOT / "policies" / f"{name}.pol")
        loading = time.perf_counter() - start
        workdays = WorkdayCalendar()
        start = time.perf_counter()
        view = year_view(policy, year, workdays)
        cold = time.perf_counter() - start
        start = time.perf_counter()
        year_view(policy, year, workdays)
        warm = time.perf_counter() - start
        print(f"{name:14} {year}: {len(view.entries):5} instances; year computed in"
              f" {cold * 1000:6.1f} ms cold, {warm * 1000:6.1f} ms again"
              f" (loading the policy: {loading * 1000:.0f} ms)")


if __name__ == "__main__":
    main()
