"""Generate ``tables.py``: solar-term dates and lunar-month starts for 1901–2100.

Run ``python -m policyrules.calendar.generate`` to rewrite ``tables.py`` beside this file,
``--check`` to verify it is up to date (exit status 1 if not), ``--near MINUTES`` to list the
solar terms and new moons that fall within that many minutes of a civil midnight (the days a
small error of the astronomy could move). The output is deterministic: it depends only on
the code in :mod:`policyrules.calendar.astronomy` and this file.

The Chinese calendar rules (GB/T 33661-2017 《农历的编算和颁行》):

1. Days are civil days in Beijing time (UTC+8; UTC+7:45:40 local mean time before 1929).
2. A month begins on the day of a new moon (朔).
3. The month containing the winter solstice (冬至) is month 11.
4. If there are 13 months from one month 11 (inclusive) to the next (exclusive), the first of
   them that contains no principal term (中气: the solar terms at multiples of 30° of
   longitude) is the leap month, and takes the number of the month before it.
5. Otherwise months are numbered in order; month 1 begins the lunar year.
"""

from __future__ import annotations

import argparse
import sys
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import pairwise
from pathlib import Path

from policyrules.calendar import astronomy
from policyrules.calendar.names import SOLAR_TERMS

FIRST_YEAR = 1901
LAST_YEAR = 2100
#: The lunar years written: 1900 too, as its end covers January–February 1901.
FIRST_LUNAR_YEAR = FIRST_YEAR - 1
LAST_LUNAR_YEAR = LAST_YEAR

TERM_NAMES: tuple[str, ...] = tuple(SOLAR_TERMS)
WINTER_SOLSTICE = TERM_NAMES.index("冬至")

TABLES_PATH = Path(__file__).with_name("tables.py")


@dataclass(frozen=True, slots=True)
class Event:
    """An astronomical instant: its Julian Day (UT) and civil date in China."""

    jd: float
    day: date

    @property
    def local(self) -> datetime:
        return astronomy.china_datetime(self.jd)


@dataclass(frozen=True, slots=True)
class Month:
    """A lunar month: the date of its day 1, its number 1–12 and whether it is a leap month."""

    start: date
    number: int
    leap: bool


@dataclass(frozen=True, slots=True)
class LunarYear:
    """A lunar year: the date of its new year, its month lengths in order, its leap month."""

    year: int
    new_year: date
    lengths: tuple[int, ...]
    leap_month: int

    @property
    def mask(self) -> int:
        """Month lengths as bits, first month most significant, 1 = 30 days."""
        bits = 0
        for length in self.lengths:
            bits = bits << 1 | (length == 30)
        return bits


def _event(jde: float) -> Event:
    jd = astronomy.tt_to_ut(jde)
    return Event(jd, astronomy.china_date(jd))


def solar_term_events(year: int) -> list[Event]:
    """The 24 solar terms of the Gregorian ``year``, in the order of ``SOLAR_TERMS``."""
    return [_event(astronomy.solar_term_jde(year, index)) for index in range(24)]


def new_moon_events(first: date, last: date) -> list[Event]:
    """The new moons from shortly before ``first`` to shortly after ``last``, in order."""
    start = astronomy.lunation_near(astronomy.julian_day(datetime(first.year, first.month, 1)))
    end = astronomy.lunation_near(astronomy.julian_day(datetime(last.year, last.month, 1)))
    return [_event(astronomy.true_new_moon(k)) for k in range(start - 1, end + 2)]


def number_months(
    new_moons: Sequence[date], principal_terms: Sequence[date], solstices: Sequence[date]
) -> list[Month]:
    """Number the months between the first and the last winter solstice given (GB/T 33661)."""
    principal = sorted(principal_terms)

    def has_principal_term(index: int) -> bool:
        start, end = new_moons[index], new_moons[index + 1]
        first_on_or_after = bisect_left(principal, start)
        return first_on_or_after < len(principal) and principal[first_on_or_after] < end

    def month_containing(day: date) -> int:
        index = bisect_right(new_moons, day) - 1
        if index < 0 or index + 1 >= len(new_moons):
            raise ValueError(f"no new moons around {day}")
        return index

    months: list[Month] = []
    for solstice, next_solstice in pairwise(solstices):
        first = month_containing(solstice)
        last = month_containing(next_solstice)
        count = last - first
        if count not in (12, 13):
            raise AssertionError(
                f"{count} months between the solstices {solstice}, {next_solstice}"
            )
        leap_index = -1
        if count == 13:
            leap_index = next((i for i in range(first + 1, last) if not has_principal_term(i)), -1)
            if leap_index < 0:
                raise AssertionError(f"13 months from {solstice} but every one has a 中气")
        number = 11
        months.append(Month(new_moons[first], 11, False))
        for index in range(first + 1, last):
            if index == leap_index:
                months.append(Month(new_moons[index], number, True))
            else:
                number = number % 12 + 1
                months.append(Month(new_moons[index], number, False))
    months.append(Month(new_moons[month_containing(solstices[-1])], 11, False))
    return months


def lunar_years(months: Sequence[Month], first: int, last: int) -> dict[int, LunarYear]:
    """Group numbered months into lunar years ``first``..``last``."""
    starts = [i for i, month in enumerate(months) if month.number == 1 and not month.leap]
    years: dict[int, LunarYear] = {}
    for this, following in pairwise(starts):
        new_year = months[this].start
        if not first <= new_year.year <= last:
            continue
        span = months[this : following + 1]
        lengths = tuple((after.start - before.start).days for before, after in pairwise(span))
        leap = next((m.number for m in span[:-1] if m.leap), 0)
        years[new_year.year] = LunarYear(new_year.year, new_year, lengths, leap)
    missing = [year for year in range(first, last + 1) if year not in years]
    if missing:
        raise AssertionError(f"lunar years not computed: {missing}")
    return years


@dataclass(frozen=True, slots=True)
class Computation:
    solar_terms: dict[int, list[Event]]
    new_moons: list[Event]
    lunar_years: dict[int, LunarYear]


def compute(first: int = FIRST_YEAR, last: int = LAST_YEAR) -> Computation:
    """Everything the tables need for the Gregorian years ``first``..``last``."""
    terms = {year: solar_term_events(year) for year in range(first - 2, last + 2)}
    new_moons = new_moon_events(date(first - 2, 11, 1), date(last + 2, 2, 1))
    principal = [
        event.day
        for events in terms.values()
        for index, event in enumerate(events)
        if astronomy.solar_term_longitude(index) % 30.0 == 0.0
    ]
    solstices = [terms[year][WINTER_SOLSTICE].day for year in range(first - 2, last + 2)]
    months = number_months([event.day for event in new_moons], principal, solstices)
    years = lunar_years(months, first - 1, last)
    return Computation({year: terms[year] for year in range(first, last + 1)}, new_moons, years)


def _term_days(year: int, events: Sequence[Event]) -> str:
    days = []
    for index, event in enumerate(events):
        month = index // 2 + 1
        if (event.day.year, event.day.month) != (year, month):
            raise AssertionError(f"{TERM_NAMES[index]} {year} falls on {event.day}")
        days.append(f"{event.day.day:02d}")
    return "".join(days)


HEADER = '''\
"""Generated tables of the Chinese calendar: solar terms and lunar months, 1901–2100.

DO NOT EDIT: generated by ``python -m policyrules.calendar.generate``.

Method: the astronomy of policyrules.calendar.astronomy (Meeus, Astronomical Algorithms,
2nd ed.: Sun from the truncated VSOP87 series of Appendix III with FK5, nutation and
aberration; true new moons from ch. 49; ΔT from the Espenak–Meeus polynomials), days
counted in Beijing time (UTC+8 from 1929, UTC+7:45:40 before), months numbered by the rules
of GB/T 33661-2017 (see policyrules/calendar/generate.py and docs/calendar-sources.md).

Range: solar terms for the Gregorian years {first}–{last}; lunar years {first_lunar}–{last}
(lunar {first_lunar} covers January–February {first}), i.e. every date from {start} to {end}.
"""

from __future__ import annotations

from typing import Final

FIRST_SOLAR_TERM_YEAR: Final = {first}
LAST_SOLAR_TERM_YEAR: Final = {last}
FIRST_LUNAR_YEAR: Final = {first_lunar}
LAST_LUNAR_YEAR: Final = {last}
#: The day after the last day of lunar year {last} (the lunar new year of {after}).
END_OF_TABLES: Final = "{after_start}"

#: Gregorian year -> the day of the month of each of the 24 solar terms, two digits each, in
#: the order of names.SOLAR_TERMS (小寒, 大寒, 立春, …, 冬至); terms 2i and 2i+1 fall in
#: month i + 1.
SOLAR_TERM_DAYS: Final[dict[int, str]] = {{
'''

LUNAR_HEADER = """}}

#: Lunar year (numbered by the Gregorian year of its new year) -> (the Gregorian date of
#: month 1 day 1, the month lengths as bits in order with the first month most significant and
#: 1 = 30 days, 0 = 29 days: 13 bits with a leap month, 12 without; the leap month, 0 if none).
LUNAR_YEARS: Final[dict[int, tuple[str, int, int]]] = {{
"""


def render(result: Computation) -> str:
    """The text of ``tables.py``."""
    years = result.lunar_years
    first, last = min(result.solar_terms), max(result.solar_terms)
    final = years[max(years)]
    after = final.new_year.toordinal() + sum(final.lengths)
    parts = [
        HEADER.format(
            first=first,
            last=last,
            first_lunar=min(years),
            start=years[min(years)].new_year.isoformat(),
            end=date.fromordinal(after - 1).isoformat(),
            after=final.year + 1,
            after_start=date.fromordinal(after).isoformat(),
        )
    ]
    for year, events in result.solar_terms.items():
        parts.append(f'    {year}: "{_term_days(year, events)}",\n')
    parts.append(LUNAR_HEADER.format())
    for year, row in years.items():
        width = len(row.lengths)
        start = row.new_year.isoformat()
        parts.append(f'    {year}: ("{start}", 0b{row.mask:0{width}b}, {row.leap_month}),\n')
    parts.append("}\n")
    return "".join(parts)


def near_midnight(result: Computation, minutes: float) -> list[str]:
    """Lines describing the events within ``minutes`` of a civil midnight."""
    lines: list[str] = []
    limit = minutes / 1440.0

    def check(label: str, event: Event) -> None:
        local = event.local
        fraction = (local.hour * 3600 + local.minute * 60 + local.second) / 86400.0
        if min(fraction, 1.0 - fraction) < limit:
            lines.append(f"{label}: {local.isoformat(timespec='seconds')}")

    for year, events in result.solar_terms.items():
        for index, event in enumerate(events):
            check(f"{year} {TERM_NAMES[index]}", event)
    start = min(row.new_year for row in result.lunar_years.values())
    for event in result.new_moons:
        if event.day >= start:
            check("new moon", event)
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m policyrules.calendar.generate")
    parser.add_argument("--output", type=Path, default=TABLES_PATH, help="file to write")
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if the file differs from a regeneration"
    )
    parser.add_argument(
        "--near", type=float, metavar="MINUTES", help="list events this close to midnight"
    )
    args = parser.parse_args(argv)
    result = compute()
    if args.near is not None:
        for line in near_midnight(result, args.near):
            print(line)
        return 0
    text = render(result)
    output: Path = args.output
    if args.check:
        current = output.read_text(encoding="utf-8") if output.exists() else ""
        if current != text:
            print(f"{output} is out of date: run python -m policyrules.calendar.generate")
            return 1
        print(f"{output} is up to date")
        return 0
    output.write_text(text, encoding="utf-8")
    print(f"wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
