"""The Sun's apparent longitude and the instants of new moon, for the Chinese calendar.

Everything here follows Jean Meeus, *Astronomical Algorithms*, 2nd ed. (Willmann-Bell, 1998):

* **The Sun** (ch. 25, "higher accuracy"): the Earth's heliocentric longitude and radius
  vector from the truncated VSOP87 (Bretagnon & Francou 1988, VSOP87D) series of Meeus
  Appendix III — longitude L0–L5 with 64 + 34 + 20 + 7 + 3 + 1 = 129 terms, radius
  R0–R4 with 40 + 10 + 6 + 2 + 1 = 59 terms (the five B0/B1 latitude terms are not needed
  for the longitude and are left out) — turned geocentric (+180°), reduced to the FK5 system
  (−0.09033″), corrected for nutation in longitude (ch. 22, the full 63-term IAU 1980 table
  22.A) and for aberration (−20.4898″ / R). Meeus gives the truncated series as good to about
  1″ over several millennia around 2000; the Sun moves 1″ in about 24 s, so a solar term comes
  out within a minute of the full theory.
* **New moons** (ch. 49): the mean phase (49.1) and the true phase with the 25 periodic terms
  and the 14 planetary (A1–A14) terms of new moon. Meeus compared the result with the full
  ELP-2000/82 theory for 1980–2020: mean error 3.7 s, maximum 16 s.
* **ΔT = TT − UT** (seconds): the polynomial expressions of Espenak & Meeus, NASA
  *Five Millennium Canon of Solar Eclipses* (NASA/TP-2006-214141), "Polynomial expressions
  for Delta T", for the range 1860–2150 (the small lunar-acceleration correction that the
  canon adds, under 0.1 s in 1900–2100, is left out). Their extrapolation after 2005 runs
  some seconds ahead of the observed ΔT; that error is far below a minute.

Instants are Julian Ephemeris Days (TT, ``jde``) or Julian Days (UT, ``jd``). The Chinese
calendar counts days in China Standard Time (UTC+8) since 1929; before 1929 it used Beijing
local mean time, UTC+7:45:40 (longitude 116°25′E), as the standard tables for 1901–1928 do
(see :func:`china_offset`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone
from typing import Final

#: Julian Day of 2000 January 1.5 (J2000.0).
J2000: Final = 2451545.0
#: Julian Day of 2000-01-01 00:00, and the proleptic Gregorian ordinal of that day.
_JD_2000_MIDNIGHT: Final = 2451544.5
_ORDINAL_2000: Final = date(2000, 1, 1).toordinal()

#: China Standard Time, UTC+8, used by the Chinese calendar since 1929.
CHINA_STANDARD_TIME: Final = timezone(timedelta(hours=8), "CST")
#: Beijing local mean time (116°25′E), UTC+7:45:40, used by the calendar before 1929.
BEIJING_MEAN_TIME: Final = timezone(timedelta(hours=7, minutes=45, seconds=40), "LMT Beijing")
#: The first instant of China Standard Time for the calendar: 1929-01-01 00:00 CST, as a JD (UT).
_CST_START_JD: Final = 2425612.5 - 8.0 / 24.0

_DEG: Final = math.pi / 180.0
_ARCSEC: Final = 1.0 / 3600.0

_Term = tuple[float, float, float]

# --- VSOP87, Earth, as truncated in Meeus, Appendix III (A, B, C: A·cos(B + C·τ), 1e-8 rad/AU).

_L0: Final[tuple[_Term, ...]] = (
    (175347046.0, 0.0, 0.0),
    (3341656.0, 4.6692568, 6283.07585),
    (34894.0, 4.6261, 12566.1517),
    (3497.0, 2.7441, 5753.3849),
    (3418.0, 2.8289, 3.5231),
    (3136.0, 3.6277, 77713.7715),
    (2676.0, 4.4181, 7860.4194),
    (2343.0, 6.1352, 3930.2097),
    (1324.0, 0.7425, 11506.7698),
    (1273.0, 2.0371, 529.6910),
    (1199.0, 1.1096, 1577.3435),
    (990.0, 5.233, 5884.927),
    (902.0, 2.045, 26.298),
    (857.0, 3.508, 398.149),
    (780.0, 1.179, 5223.694),
    (753.0, 2.533, 5507.553),
    (505.0, 4.583, 18849.228),
    (492.0, 4.205, 775.523),
    (357.0, 2.920, 0.067),
    (317.0, 5.849, 11790.629),
    (284.0, 1.899, 796.298),
    (271.0, 0.315, 10977.079),
    (243.0, 0.345, 5486.778),
    (206.0, 4.806, 2544.314),
    (205.0, 1.869, 5573.143),
    (202.0, 2.458, 6069.777),
    (156.0, 0.833, 213.299),
    (132.0, 3.411, 2942.463),
    (126.0, 1.083, 20.775),
    (115.0, 0.645, 0.980),
    (103.0, 0.636, 4694.003),
    (102.0, 0.976, 15720.839),
    (102.0, 4.267, 7.114),
    (99.0, 6.21, 2146.17),
    (98.0, 0.68, 155.42),
    (86.0, 5.98, 161000.69),
    (85.0, 1.30, 6275.96),
    (85.0, 3.67, 71430.70),
    (80.0, 1.81, 17260.15),
    (79.0, 3.04, 12036.46),
    (75.0, 1.76, 5088.63),
    (74.0, 3.50, 3154.69),
    (74.0, 4.68, 801.82),
    (70.0, 0.83, 9437.76),
    (62.0, 3.98, 8827.39),
    (61.0, 1.82, 7084.90),
    (57.0, 2.78, 6286.60),
    (56.0, 4.39, 14143.50),
    (56.0, 3.47, 6279.55),
    (52.0, 0.19, 12139.55),
    (52.0, 1.33, 1748.02),
    (51.0, 0.28, 5856.48),
    (49.0, 0.49, 1194.45),
    (41.0, 5.37, 8429.24),
    (41.0, 2.40, 19651.05),
    (39.0, 6.17, 10447.39),
    (37.0, 6.04, 10213.29),
    (37.0, 2.57, 1059.38),
    (36.0, 1.71, 2352.87),
    (36.0, 1.78, 6812.77),
    (33.0, 0.59, 17789.85),
    (30.0, 0.44, 83996.85),
    (30.0, 2.74, 1349.87),
    (25.0, 3.16, 4690.48),
)
_L1: Final[tuple[_Term, ...]] = (
    (628331966747.0, 0.0, 0.0),
    (206059.0, 2.678235, 6283.07585),
    (4303.0, 2.6351, 12566.1517),
    (425.0, 1.590, 3.523),
    (119.0, 5.796, 26.298),
    (109.0, 2.966, 1577.344),
    (93.0, 2.59, 18849.23),
    (72.0, 1.14, 529.69),
    (68.0, 1.87, 398.15),
    (67.0, 4.41, 5507.55),
    (59.0, 2.89, 5223.69),
    (56.0, 2.17, 155.42),
    (45.0, 0.40, 796.30),
    (36.0, 0.47, 775.52),
    (29.0, 2.65, 7.11),
    (21.0, 5.34, 0.98),
    (19.0, 1.85, 5486.78),
    (19.0, 4.97, 213.30),
    (17.0, 2.99, 6275.96),
    (16.0, 0.03, 2544.31),
    (16.0, 1.43, 2146.17),
    (15.0, 1.21, 10977.08),
    (12.0, 2.83, 1748.02),
    (12.0, 3.26, 5088.63),
    (12.0, 5.27, 1194.45),
    (12.0, 2.08, 4694.00),
    (11.0, 0.77, 553.57),
    (10.0, 1.30, 6286.60),
    (10.0, 4.24, 1349.87),
    (9.0, 2.70, 242.73),
    (9.0, 5.64, 951.72),
    (8.0, 5.30, 2352.87),
    (6.0, 2.65, 9437.76),
    (6.0, 4.67, 4690.48),
)
_L2: Final[tuple[_Term, ...]] = (
    (52919.0, 0.0, 0.0),
    (8720.0, 1.0721, 6283.0758),
    (309.0, 0.867, 12566.152),
    (27.0, 0.05, 3.52),
    (16.0, 5.19, 26.30),
    (16.0, 3.68, 155.42),
    (10.0, 0.76, 18849.23),
    (9.0, 2.06, 77713.77),
    (7.0, 0.83, 775.52),
    (5.0, 4.66, 1577.34),
    (4.0, 1.03, 7.11),
    (4.0, 3.44, 5573.14),
    (3.0, 5.14, 796.30),
    (3.0, 6.05, 5507.55),
    (3.0, 1.19, 242.73),
    (3.0, 6.12, 529.69),
    (3.0, 0.31, 398.15),
    (3.0, 2.28, 553.57),
    (2.0, 4.38, 5223.69),
    (2.0, 3.75, 0.98),
)
_L3: Final[tuple[_Term, ...]] = (
    (289.0, 5.844, 6283.076),
    (35.0, 0.0, 0.0),
    (17.0, 5.49, 12566.15),
    (3.0, 5.20, 155.42),
    (1.0, 4.72, 3.52),
    (1.0, 5.30, 18849.23),
    (1.0, 5.97, 242.73),
)
_L4: Final[tuple[_Term, ...]] = (
    (114.0, 3.142, 0.0),
    (8.0, 4.13, 6283.08),
    (1.0, 3.84, 12566.15),
)
_L5: Final[tuple[_Term, ...]] = ((1.0, 3.14, 0.0),)

_R0: Final[tuple[_Term, ...]] = (
    (100013989.0, 0.0, 0.0),
    (1670700.0, 3.0984635, 6283.07585),
    (13956.0, 3.05525, 12566.15170),
    (3084.0, 5.1985, 77713.7715),
    (1628.0, 1.1739, 5753.3849),
    (1576.0, 2.8469, 7860.4194),
    (925.0, 5.453, 11506.770),
    (542.0, 4.564, 3930.210),
    (472.0, 3.661, 5884.927),
    (346.0, 0.964, 5507.553),
    (329.0, 5.900, 5223.694),
    (307.0, 0.299, 5573.143),
    (243.0, 4.273, 11790.629),
    (212.0, 5.847, 1577.344),
    (186.0, 5.022, 10977.079),
    (175.0, 3.012, 18849.228),
    (110.0, 5.055, 5486.778),
    (98.0, 0.89, 6069.78),
    (86.0, 5.69, 15720.84),
    (86.0, 1.27, 161000.69),
    (65.0, 0.27, 17260.15),
    (63.0, 0.92, 529.69),
    (57.0, 2.01, 83996.85),
    (56.0, 5.24, 71430.70),
    (49.0, 3.25, 2544.31),
    (47.0, 2.58, 775.52),
    (45.0, 5.54, 9437.76),
    (43.0, 6.01, 6275.96),
    (39.0, 5.36, 4694.00),
    (38.0, 2.39, 8827.39),
    (37.0, 0.83, 19651.05),
    (37.0, 4.90, 12139.55),
    (36.0, 1.67, 12036.46),
    (35.0, 1.84, 2942.46),
    (33.0, 0.24, 7084.90),
    (32.0, 0.18, 5088.63),
    (32.0, 1.78, 398.15),
    (28.0, 1.21, 6286.60),
    (28.0, 1.90, 6279.55),
    (26.0, 4.59, 10447.39),
)
_R1: Final[tuple[_Term, ...]] = (
    (103019.0, 1.107490, 6283.075850),
    (1721.0, 1.0644, 12566.1517),
    (702.0, 3.142, 0.0),
    (32.0, 1.02, 18849.23),
    (31.0, 2.84, 5507.55),
    (25.0, 1.32, 5223.69),
    (18.0, 1.42, 1577.34),
    (10.0, 5.91, 10977.08),
    (9.0, 1.42, 6275.96),
    (9.0, 0.27, 5486.78),
)
_R2: Final[tuple[_Term, ...]] = (
    (4359.0, 5.7846, 6283.0758),
    (124.0, 5.579, 12566.152),
    (12.0, 3.14, 0.0),
    (9.0, 3.63, 77713.77),
    (6.0, 1.87, 5573.14),
    (3.0, 5.47, 18849.23),
)
_R3: Final[tuple[_Term, ...]] = (
    (145.0, 4.273, 6283.076),
    (7.0, 3.92, 12566.15),
)
_R4: Final[tuple[_Term, ...]] = ((4.0, 2.56, 6283.08),)

_LONGITUDE_SERIES: Final = (_L0, _L1, _L2, _L3, _L4, _L5)
_RADIUS_SERIES: Final = (_R0, _R1, _R2, _R3, _R4)

# --- Nutation in longitude, Meeus table 22.A (IAU 1980): multiples of D, M, M', F, Ω and
# the coefficient of sin(argument), A + B·T, in units of 0.0001″.

_NUTATION: Final[tuple[tuple[int, int, int, int, int, float, float], ...]] = (
    (0, 0, 0, 0, 1, -171996.0, -174.2),
    (-2, 0, 0, 2, 2, -13187.0, -1.6),
    (0, 0, 0, 2, 2, -2274.0, -0.2),
    (0, 0, 0, 0, 2, 2062.0, 0.2),
    (0, 1, 0, 0, 0, 1426.0, -3.4),
    (0, 0, 1, 0, 0, 712.0, 0.1),
    (-2, 1, 0, 2, 2, -517.0, 1.2),
    (0, 0, 0, 2, 1, -386.0, -0.4),
    (0, 0, 1, 2, 2, -301.0, 0.0),
    (-2, -1, 0, 2, 2, 217.0, -0.5),
    (-2, 0, 1, 0, 0, -158.0, 0.0),
    (-2, 0, 0, 2, 1, 129.0, 0.1),
    (0, 0, -1, 2, 2, 123.0, 0.0),
    (2, 0, 0, 0, 0, 63.0, 0.0),
    (0, 0, 1, 0, 1, 63.0, 0.1),
    (2, 0, -1, 2, 2, -59.0, 0.0),
    (0, 0, -1, 0, 1, -58.0, -0.1),
    (0, 0, 1, 2, 1, -51.0, 0.0),
    (-2, 0, 2, 0, 0, 48.0, 0.0),
    (0, 0, -2, 2, 1, 46.0, 0.0),
    (2, 0, 0, 2, 2, -38.0, 0.0),
    (0, 0, 2, 2, 2, -31.0, 0.0),
    (0, 0, 2, 0, 0, 29.0, 0.0),
    (-2, 0, 1, 2, 2, 29.0, 0.0),
    (0, 0, 0, 2, 0, 26.0, 0.0),
    (-2, 0, 0, 2, 0, -22.0, 0.0),
    (0, 0, -1, 2, 1, 21.0, 0.0),
    (0, 2, 0, 0, 0, 17.0, -0.1),
    (2, 0, -1, 0, 1, 16.0, 0.0),
    (-2, 2, 0, 2, 2, -16.0, 0.1),
    (0, 1, 0, 0, 1, -15.0, 0.0),
    (-2, 0, 1, 0, 1, -13.0, 0.0),
    (0, -1, 0, 0, 1, -12.0, 0.0),
    (0, 0, 2, -2, 0, 11.0, 0.0),
    (2, 0, -1, 2, 1, -10.0, 0.0),
    (2, 0, 1, 2, 2, -8.0, 0.0),
    (0, 1, 0, 2, 2, 7.0, 0.0),
    (-2, 1, 1, 0, 0, -7.0, 0.0),
    (0, -1, 0, 2, 2, -7.0, 0.0),
    (2, 0, 0, 2, 1, -7.0, 0.0),
    (2, 0, 1, 0, 0, 6.0, 0.0),
    (-2, 0, 2, 2, 2, 6.0, 0.0),
    (-2, 0, 1, 2, 1, 6.0, 0.0),
    (2, 0, -2, 0, 1, -6.0, 0.0),
    (2, 0, 0, 0, 1, -6.0, 0.0),
    (0, -1, 1, 0, 0, 5.0, 0.0),
    (-2, -1, 0, 2, 1, -5.0, 0.0),
    (-2, 0, 0, 0, 1, -5.0, 0.0),
    (0, 0, 2, 2, 1, -5.0, 0.0),
    (-2, 0, 2, 0, 1, 4.0, 0.0),
    (-2, 1, 0, 2, 1, 4.0, 0.0),
    (0, 0, 1, -2, 0, 4.0, 0.0),
    (-1, 0, 1, 0, 0, -4.0, 0.0),
    (-2, 1, 0, 0, 0, -4.0, 0.0),
    (1, 0, 0, 0, 0, -4.0, 0.0),
    (0, 0, 1, 2, 0, 3.0, 0.0),
    (0, 0, -2, 2, 2, -3.0, 0.0),
    (-1, -1, 1, 0, 0, -3.0, 0.0),
    (0, 1, 1, 0, 0, -3.0, 0.0),
    (0, -1, 1, 2, 2, -3.0, 0.0),
    (2, -1, -1, 2, 2, -3.0, 0.0),
    (0, 0, 3, 2, 2, -3.0, 0.0),
    (2, -1, 0, 2, 2, -3.0, 0.0),
)

# --- New moon, Meeus ch. 49: periodic terms (coefficient in days, power of E, multiples of
# M, M', F, Ω) and the planetary arguments A1–A14 (constant, rate per lunation, coefficient).

_NEW_MOON_TERMS: Final[tuple[tuple[float, int, int, int, int, int], ...]] = (
    (-0.40720, 0, 0, 1, 0, 0),
    (0.17241, 1, 1, 0, 0, 0),
    (0.01608, 0, 0, 2, 0, 0),
    (0.01039, 0, 0, 0, 2, 0),
    (0.00739, 1, -1, 1, 0, 0),
    (-0.00514, 1, 1, 1, 0, 0),
    (0.00208, 2, 2, 0, 0, 0),
    (-0.00111, 0, 0, 1, -2, 0),
    (-0.00057, 0, 0, 1, 2, 0),
    (0.00056, 1, 1, 2, 0, 0),
    (-0.00042, 0, 0, 3, 0, 0),
    (0.00042, 1, 1, 0, 2, 0),
    (0.00038, 1, 1, 0, -2, 0),
    (-0.00024, 1, -1, 2, 0, 0),
    (-0.00017, 0, 0, 0, 0, 1),
    (-0.00007, 0, 2, 1, 0, 0),
    (0.00004, 0, 0, 2, -2, 0),
    (0.00004, 0, 3, 0, 0, 0),
    (0.00003, 0, 1, 1, -2, 0),
    (0.00003, 0, 0, 2, 2, 0),
    (-0.00003, 0, 1, 1, 2, 0),
    (0.00003, 0, -1, 1, 2, 0),
    (-0.00002, 0, -1, 1, -2, 0),
    (-0.00002, 0, 1, 3, 0, 0),
    (0.00002, 0, 0, 4, 0, 0),
)
_PLANETARY: Final[tuple[tuple[float, float, float], ...]] = (
    (299.77, 0.107408, 0.000325),  # A1, also has −0.009173·T²
    (251.88, 0.016321, 0.000165),
    (251.83, 26.651886, 0.000164),
    (349.42, 36.412478, 0.000126),
    (84.66, 18.206239, 0.000110),
    (141.74, 53.303771, 0.000062),
    (207.14, 2.453732, 0.000060),
    (154.84, 7.306860, 0.000056),
    (34.52, 27.261239, 0.000047),
    (207.19, 0.121824, 0.000042),
    (291.34, 1.844379, 0.000040),
    (161.72, 24.198154, 0.000037),
    (239.56, 25.513099, 0.000035),
    (331.55, 3.592518, 0.000023),
)

#: Mean length of the synodic month, days (Meeus 49.1).
SYNODIC_MONTH: Final = 29.530588861
#: Mean length of the tropical year, days.
TROPICAL_YEAR: Final = 365.242189


def _series(terms: Sequence[_Term], tau: float) -> float:
    return sum(a * math.cos(b + c * tau) for a, b, c in terms)


def _polynomial(series: Sequence[Sequence[_Term]], tau: float) -> float:
    total = 0.0
    for terms in reversed(series):
        total = total * tau + _series(terms, tau)
    return total * 1e-8


def normalize_degrees(angle: float) -> float:
    """The angle reduced to [0, 360)."""
    reduced = math.fmod(angle, 360.0)
    return reduced + 360.0 if reduced < 0.0 else reduced


def _signed_degrees(angle: float) -> float:
    """The angle reduced to [−180, 180)."""
    return normalize_degrees(angle + 180.0) - 180.0


def earth_heliocentric(jde: float) -> tuple[float, float]:
    """The Earth's heliocentric ecliptic longitude (degrees, mean equinox of date, VSOP87
    dynamical frame) and radius vector (AU), from the truncated series of Meeus App. III."""
    tau = (jde - J2000) / 365250.0
    longitude = _polynomial(_LONGITUDE_SERIES, tau) / _DEG
    radius = _polynomial(_RADIUS_SERIES, tau)
    return normalize_degrees(longitude), radius


def nutation_in_longitude(jde: float) -> float:
    """Δψ, the nutation in longitude, in degrees (Meeus ch. 22, table 22.A, all 63 terms)."""
    t = (jde - J2000) / 36525.0
    t2, t3 = t * t, t * t * t
    d = (297.85036 + 445267.111480 * t - 0.0019142 * t2 + t3 / 189474.0) * _DEG
    m = (357.52772 + 35999.050340 * t - 0.0001603 * t2 - t3 / 300000.0) * _DEG
    mp = (134.96298 + 477198.867398 * t + 0.0086972 * t2 + t3 / 56250.0) * _DEG
    f = (93.27191 + 483202.017538 * t - 0.0036825 * t2 + t3 / 327270.0) * _DEG
    om = (125.04452 - 1934.136261 * t + 0.0020708 * t2 + t3 / 450000.0) * _DEG
    total = 0.0
    for cd, cm, cmp, cf, com, a, b in _NUTATION:
        total += (a + b * t) * math.sin(cd * d + cm * m + cmp * mp + cf * f + com * om)
    return total * 1e-4 * _ARCSEC


def apparent_solar_longitude(jde: float) -> float:
    """The Sun's apparent geocentric longitude in degrees [0, 360) at ``jde`` (TT).

    Meeus ch. 25, higher accuracy: VSOP87 (truncated) + 180°, FK5 correction, nutation in
    longitude, aberration.
    """
    longitude, radius = earth_heliocentric(jde)
    theta = longitude + 180.0
    fk5 = -0.09033 * _ARCSEC
    aberration = -20.4898 * _ARCSEC / radius
    return normalize_degrees(theta + fk5 + nutation_in_longitude(jde) + aberration)


def delta_t(year: float) -> float:
    """ΔT = TT − UT in seconds at a decimal year, from the Espenak–Meeus polynomials (NASA).

    Valid pieces cover 1860–2150; outside them the long-term parabola −20 + 32·u² is used.
    """
    y = year
    if y < 1860.0 or y >= 2150.0:
        u = (y - 1820.0) / 100.0
        return -20.0 + 32.0 * u * u
    if y < 1900.0:
        t = y - 1860.0
        return (
            7.62
            + 0.5737 * t
            - 0.251754 * t**2
            + 0.01680668 * t**3
            - 0.0004473624 * t**4
            + t**5 / 233174.0
        )
    if y < 1920.0:
        t = y - 1900.0
        return -2.79 + 1.494119 * t - 0.0598939 * t**2 + 0.0061966 * t**3 - 0.000197 * t**4
    if y < 1941.0:
        t = y - 1920.0
        return 21.20 + 0.84493 * t - 0.076100 * t**2 + 0.0020936 * t**3
    if y < 1961.0:
        t = y - 1950.0
        return 29.07 + 0.407 * t - t**2 / 233.0 + t**3 / 2547.0
    if y < 1986.0:
        t = y - 1975.0
        return 45.45 + 1.067 * t - t**2 / 260.0 - t**3 / 718.0
    if y < 2005.0:
        t = y - 2000.0
        return (
            63.86
            + 0.3345 * t
            - 0.060374 * t**2
            + 0.0017275 * t**3
            + 0.000651814 * t**4
            + 0.00002373599 * t**5
        )
    if y < 2050.0:
        t = y - 2000.0
        return 62.92 + 0.32217 * t + 0.005589 * t**2
    u = (y - 1820.0) / 100.0
    return -20.0 + 32.0 * u * u - 0.5628 * (2150.0 - y)


def decimal_year(jd: float) -> float:
    """The (Gregorian) decimal year of a Julian Day, good enough for ΔT."""
    return 2000.0 + (jd - _JD_2000_MIDNIGHT) / 365.2425


def tt_to_ut(jde: float) -> float:
    """Julian Day (UT) of the instant ``jde`` (TT)."""
    return jde - delta_t(decimal_year(jde)) / 86400.0


def ut_to_tt(jd: float) -> float:
    """Julian Ephemeris Day (TT) of the instant ``jd`` (UT)."""
    return jd + delta_t(decimal_year(jd)) / 86400.0


def julian_day(moment: datetime) -> float:
    """The Julian Day of an aware datetime (naive datetimes are taken as UTC)."""
    if moment.tzinfo is not None:
        offset = moment.utcoffset()
        moment = moment.replace(tzinfo=None) - (offset or timedelta(0))
    delta = moment - datetime(2000, 1, 1)
    return _JD_2000_MIDNIGHT + delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400.0


def china_offset(jd: float) -> timezone:
    """The civil time of the Chinese calendar at the instant ``jd`` (UT): Beijing local mean
    time (UTC+7:45:40) before 1929-01-01 00:00 CST, China Standard Time (UTC+8) since."""
    return BEIJING_MEAN_TIME if jd < _CST_START_JD else CHINA_STANDARD_TIME


def china_datetime(jd: float) -> datetime:
    """The instant ``jd`` (UT) as an aware datetime in the calendar's civil time."""
    zone = china_offset(jd)
    utc = datetime(2000, 1, 1) + timedelta(days=jd - _JD_2000_MIDNIGHT)
    offset = zone.utcoffset(None)
    return (utc + offset).replace(tzinfo=zone)


def china_date(jd: float) -> date:
    """The civil date in China (see :func:`china_offset`) of the instant ``jd`` (UT)."""
    offset = china_offset(jd).utcoffset(None).total_seconds()
    # seconds since 2000-01-01 00:00 local time, rounded to the millisecond against float noise
    seconds = round((jd - _JD_2000_MIDNIGHT) * 86400.0 + offset, 3)
    return date.fromordinal(_ORDINAL_2000 + math.floor(seconds / 86400.0))


def solar_longitude_instant(longitude: float, jde_guess: float) -> float:
    """The instant (JDE, TT) nearest ``jde_guess`` (within a few weeks) when the Sun's
    apparent longitude equals ``longitude`` degrees; secant iteration to about 0.01 s."""
    target = normalize_degrees(longitude)
    rate = 360.0 / TROPICAL_YEAR
    x0 = jde_guess
    f0 = _signed_degrees(apparent_solar_longitude(x0) - target)
    x1 = x0 - f0 / rate
    for _ in range(30):
        f1 = _signed_degrees(apparent_solar_longitude(x1) - target)
        if f1 == f0:
            break
        step = f1 * (x1 - x0) / (f1 - f0)
        if not abs(step) < 30.0:  # a wild secant step: fall back on the mean rate
            step = f1 / rate
        x0, f0 = x1, f1
        x1 -= step
        if abs(step) < 1e-7:
            return x1
    return x1


def solar_term_longitude(index: int) -> float:
    """Longitude of the solar term ``index`` (0 = 小寒 … 23 = 冬至, the order of
    :data:`policyrules.calendar.names.SOLAR_TERMS`): 285° + 15°·index."""
    return normalize_degrees(285.0 + 15.0 * index)


def solar_term_jde(year: int, index: int) -> float:
    """The instant (JDE, TT) of the solar term ``index`` (0 = 小寒 … 23 = 冬至) in the
    Gregorian ``year``."""
    longitude = solar_term_longitude(index)
    # The Sun is at about 280° on January 1 and moves about 0.9856° a day.
    jan1 = julian_day(datetime(year, 1, 1))
    guess = jan1 + normalize_degrees(longitude - 280.0) / 360.0 * TROPICAL_YEAR
    return solar_longitude_instant(longitude, guess)


def mean_new_moon(k: int) -> float:
    """JDE (TT) of the mean new moon of lunation ``k`` (k = 0: 2000 January 6), Meeus 49.1."""
    t = k / 1236.85
    return (
        2451550.09766
        + SYNODIC_MONTH * k
        + 0.00015437 * t**2
        - 0.000000150 * t**3
        + 0.00000000073 * t**4
    )


def true_new_moon(k: int) -> float:
    """JDE (TT) of the true new moon of lunation ``k`` (Meeus ch. 49, with the periodic and
    the 14 planetary correction terms)."""
    t = k / 1236.85
    t2, t3, t4 = t * t, t**3, t**4
    e = 1.0 - 0.002516 * t - 0.0000074 * t2
    m = (2.5534 + 29.10535670 * k - 0.0000014 * t2 - 0.00000011 * t3) * _DEG
    mp = (201.5643 + 385.81693528 * k + 0.0107582 * t2 + 0.00001238 * t3 - 0.000000058 * t4) * _DEG
    f = (160.7108 + 390.67050284 * k - 0.0016118 * t2 - 0.00000227 * t3 + 0.000000011 * t4) * _DEG
    om = (124.7746 - 1.56375588 * k + 0.0020672 * t2 + 0.00000215 * t3) * _DEG
    correction = 0.0
    for coefficient, e_power, cm, cmp, cf, com in _NEW_MOON_TERMS:
        correction += coefficient * e**e_power * math.sin(cm * m + cmp * mp + cf * f + com * om)
    for index, (start, rate, coefficient) in enumerate(_PLANETARY):
        argument = start + rate * k
        if index == 0:
            argument -= 0.009173 * t2
        correction += coefficient * math.sin(argument * _DEG)
    return mean_new_moon(k) + correction


def lunation_near(jd: float) -> int:
    """The lunation number ``k`` whose mean new moon is nearest ``jd``."""
    return round((jd - 2451550.09766) / SYNODIC_MONTH)
