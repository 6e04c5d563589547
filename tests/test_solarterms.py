"""Solar terms: the astronomy, the generated table, the holidays package and published dates."""

from __future__ import annotations

import datetime as dt

import pytest
from holidays.calendars.chinese import _ChineseLunisolar

from policyrules.calendar import astronomy, generate, tables
from policyrules.calendar.names import SOLAR_TERMS
from policyrules.calendar.solarterms import (
    SUPPORTED_RANGE,
    SolarTermError,
    solar_term_date,
    solar_terms,
)

YEARS = range(SUPPORTED_RANGE[0], SUPPORTED_RANGE[1] + 1)
ORACLE = _ChineseLunisolar()

#: Where we differ from holidays' rule-of-thumb dates, as (term, year) -> (holidays, ours).
KNOWN_DIFFERENCES: dict[tuple[str, int], tuple[dt.date, dt.date]] = {
    # The 1951 winter solstice is at 1951-12-23 00:00:07 CST here; JPL Horizons (DE ephemeris)
    # gives 1951-12-22 16:00:04 UTC = 00:00:04 CST on the 23rd. holidays' threshold rule
    # says the 22nd.
    ("冬至", 1951): (dt.date(1951, 12, 22), dt.date(1951, 12, 23)),
}


# --- the astronomy against Meeus's worked examples --------------------------------------------


def test_sun_matches_meeus_example_25b() -> None:
    # 1992 October 13.0 TD: L = −43.63484796 rad, R = 0.99760775 AU, λ = 199°54′21.818″.
    longitude, radius = astronomy.earth_heliocentric(2448908.5)
    assert longitude == pytest.approx(19.907372, abs=1e-6)
    assert radius == pytest.approx(0.99760775, abs=1e-8)
    apparent = astronomy.apparent_solar_longitude(2448908.5)
    assert apparent == pytest.approx(199 + 54 / 60 + 21.818 / 3600, abs=0.001 / 3600)


def test_nutation_matches_meeus_example_22a() -> None:
    # 1987 April 10, 0h TD: Δψ = −3.788″.
    assert astronomy.nutation_in_longitude(2446895.5) * 3600 == pytest.approx(-3.788, abs=0.001)


def test_delta_t_polynomials() -> None:
    assert astronomy.delta_t(1900.0) == pytest.approx(-2.79)
    assert astronomy.delta_t(2000.0) == pytest.approx(63.86)
    assert astronomy.delta_t(2004.999) == pytest.approx(64.7, abs=0.1)
    assert astronomy.delta_t(2005.0) == pytest.approx(62.92 + 0.32217 * 5 + 0.005589 * 25)
    assert astronomy.delta_t(2050.0) == pytest.approx(93.0, abs=0.1)  # both pieces meet
    for year in (1900, 1920, 1941, 1961, 1986, 2005, 2050):
        assert astronomy.delta_t(year - 1e-9) == pytest.approx(astronomy.delta_t(year), abs=0.7)


def test_instants_against_published_times() -> None:
    # China Standard Time, from the Chinese astronomical almanac as widely published.
    published = {
        (2020, "春分"): dt.datetime(2020, 3, 20, 11, 49, 29),
        (2015, "冬至"): dt.datetime(2015, 12, 22, 12, 47, 55),
        (2016, "冬至"): dt.datetime(2016, 12, 21, 18, 44, 7),
        (2017, "冬至"): dt.datetime(2017, 12, 22, 0, 27, 53),
        (2018, "冬至"): dt.datetime(2018, 12, 22, 6, 22, 38),
        (2020, "冬至"): dt.datetime(2020, 12, 21, 18, 2, 12),
        (2021, "冬至"): dt.datetime(2021, 12, 21, 23, 59, 9),
        (2022, "冬至"): dt.datetime(2022, 12, 22, 5, 48, 1),
        (2023, "冬至"): dt.datetime(2023, 12, 22, 11, 27, 9),
    }
    for (year, name), expected in published.items():
        jde = astronomy.solar_term_jde(year, list(SOLAR_TERMS).index(name))
        found = astronomy.china_datetime(astronomy.tt_to_ut(jde)).replace(tzinfo=None)
        assert abs(found - expected) < dt.timedelta(seconds=20), (year, name, found)


def test_root_finder_hits_the_longitude() -> None:
    for year in (1901, 1950, 2024, 2100):
        for index in range(24):
            jde = astronomy.solar_term_jde(year, index)
            longitude = astronomy.apparent_solar_longitude(jde)
            target = astronomy.solar_term_longitude(index)
            assert abs((longitude - target + 180) % 360 - 180) < 1e-6


def test_beijing_mean_time_before_1929() -> None:
    jd = astronomy.julian_day(dt.datetime(1928, 12, 31, 16, 0))  # 1929-01-01 00:00 UTC+8
    assert astronomy.china_offset(jd - 1e-6) is astronomy.BEIJING_MEAN_TIME
    assert astronomy.china_offset(jd) is astronomy.CHINA_STANDARD_TIME
    assert astronomy.china_date(jd - 1e-6) == dt.date(1928, 12, 31)
    assert astronomy.china_date(jd) == dt.date(1929, 1, 1)


# --- the generated table ------------------------------------------------------------------------


def test_tables_are_generated_from_the_astronomy() -> None:
    """The table is exactly what the generator writes today (about 2 s)."""
    text = generate.render(generate.compute())
    with open(tables.__file__, encoding="utf-8") as current:
        assert current.read() == text, "run python -m policyrules.calendar.generate"


# --- the holidays package as an oracle ---------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "method"), [("清明", "qingming_date"), ("冬至", "winter_solstice_date")]
)
def test_matches_holidays_for_1901_to_2099(name: str, method: str) -> None:
    differences: dict[tuple[str, int], tuple[dt.date, dt.date]] = {}
    for year in range(1901, 2100):
        expected, estimated = getattr(ORACLE, method)(year)
        assert not estimated
        ours = solar_term_date(name, year)
        if ours != expected:
            differences[(name, year)] = (expected, ours)
    assert differences == {k: v for k, v in KNOWN_DIFFERENCES.items() if k[0] == name}


# --- structure ------------------------------------------------------------------------------------


def test_every_year_in_order_about_15_days_apart_in_the_expected_month() -> None:
    previous: dt.date | None = None
    for year in YEARS:
        terms = solar_terms(year)
        assert list(terms) == list(SOLAR_TERMS)
        for index, (name, day) in enumerate(terms.items()):
            assert (day.year, day.month) == (year, index // 2 + 1), (name, day)
            assert solar_term_date(name, year) == day
            if previous is not None:
                assert 14 <= (day - previous).days <= 16, (name, day)
            previous = day


# --- published dates, China Standard Time ------------------------------------------------------

PUBLISHED: list[tuple[str, dt.date]] = [
    # 立春
    *[("立春", dt.date(y, 2, d)) for y, d in [(2015, 4), (2016, 4), (2017, 3), (2018, 4)]],
    *[("立春", dt.date(y, 2, d)) for y, d in [(2019, 4), (2020, 4), (2021, 3), (2022, 4)]],
    *[("立春", dt.date(y, 2, d)) for y, d in [(2023, 4), (2024, 4), (2025, 3)]],
    # 春分
    *[("春分", dt.date(y, 3, d)) for y, d in [(2015, 21), (2016, 20), (2017, 20), (2018, 21)]],
    *[("春分", dt.date(y, 3, d)) for y, d in [(2019, 21), (2020, 20), (2021, 20), (2022, 20)]],
    *[("春分", dt.date(y, 3, d)) for y, d in [(2023, 21), (2024, 20), (2025, 20), (2026, 20)]],
    *[("春分", dt.date(y, 3, d)) for y, d in [(2027, 21), (2028, 20), (2029, 20), (2030, 20)]],
    # 清明
    *[("清明", dt.date(y, 4, d)) for y, d in [(2015, 5), (2016, 4), (2017, 4), (2018, 5)]],
    *[("清明", dt.date(y, 4, d)) for y, d in [(2019, 5), (2020, 4), (2021, 4), (2022, 5)]],
    *[("清明", dt.date(y, 4, d)) for y, d in [(2023, 5), (2024, 4), (2025, 4)]],
    # 夏至
    *[("夏至", dt.date(y, 6, d)) for y, d in [(2015, 22), (2016, 21), (2017, 21), (2018, 21)]],
    *[("夏至", dt.date(y, 6, d)) for y, d in [(2019, 21), (2020, 21), (2021, 21), (2022, 21)]],
    *[("夏至", dt.date(y, 6, d)) for y, d in [(2023, 21), (2024, 21), (2025, 21), (2026, 21)]],
    *[("夏至", dt.date(y, 6, d)) for y, d in [(2027, 21), (2028, 21), (2029, 21), (2030, 21)]],
    # 秋分
    *[("秋分", dt.date(y, 9, d)) for y, d in [(2015, 23), (2016, 22), (2017, 23), (2018, 23)]],
    *[("秋分", dt.date(y, 9, d)) for y, d in [(2019, 23), (2020, 22), (2021, 23), (2022, 23)]],
    *[("秋分", dt.date(y, 9, d)) for y, d in [(2023, 23), (2024, 22), (2025, 23), (2026, 23)]],
    *[("秋分", dt.date(y, 9, d)) for y, d in [(2027, 23), (2028, 22), (2029, 23), (2030, 23)]],
    # 冬至
    *[("冬至", dt.date(y, 12, d)) for y, d in [(2015, 22), (2016, 21), (2017, 22), (2018, 22)]],
    *[("冬至", dt.date(y, 12, d)) for y, d in [(2019, 22), (2020, 21), (2021, 21), (2022, 22)]],
    *[("冬至", dt.date(y, 12, d)) for y, d in [(2023, 22), (2024, 21), (2025, 21), (2026, 22)]],
    *[("冬至", dt.date(y, 12, d)) for y, d in [(2027, 22), (2028, 21), (2029, 21), (2030, 22)]],
    ("冬至", dt.date(2033, 12, 21)),
]


def test_published_table_is_large_enough() -> None:
    assert len(PUBLISHED) >= 40
    assert len(set(PUBLISHED)) == len(PUBLISHED)


@pytest.mark.parametrize(("name", "day"), PUBLISHED, ids=lambda v: str(v))
def test_published_dates(name: str, day: dt.date) -> None:
    assert solar_term_date(name, day.year) == day


# --- errors -------------------------------------------------------------------------------------


def test_unknown_name() -> None:
    with pytest.raises(SolarTermError, match="unknown solar term `Qingming`"):
        solar_term_date("Qingming", 2021)
    assert issubclass(SolarTermError, ValueError)


@pytest.mark.parametrize("year", [1900, 2101])
def test_out_of_range(year: int) -> None:
    with pytest.raises(SolarTermError, match="out of range"):
        solar_term_date("清明", year)
    with pytest.raises(SolarTermError, match="out of range"):
        solar_terms(year)


def test_supported_range() -> None:
    assert SUPPORTED_RANGE == (1901, 2100)
