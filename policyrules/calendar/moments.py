"""Moments of a day: the one definition of its start and its end.

A deadline on a day is :data:`END_OF_DAY` of it (`due 2019-05-27` is 23:59:59, what reports
show as `23:59`), and `as_of` given as a date means that moment too. A window that ends on a
day reaches :data:`LAST_INSTANT` of it, so that nothing dated on the day falls outside; the
time of day `24:00` is that instant.
"""

from __future__ import annotations

import datetime as dt

#: a deadline on a day, and a date given as `as_of`, are this time of it
END_OF_DAY = dt.time(23, 59, 59)
#: the last instant of a day: what a window that ends on the day reaches (`24:00`)
LAST_INSTANT = dt.time(23, 59, 59, 999999)


def day_start(day: dt.date, zone: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=zone)


def day_end(day: dt.date, zone: dt.tzinfo) -> dt.datetime:
    """The last instant of `day`: what counts as on or before it."""
    return dt.datetime.combine(day, LAST_INSTANT, tzinfo=zone)


def deadline_on(day: dt.date, zone: dt.tzinfo, time: dt.time | None = None) -> dt.datetime:
    """`day` at a due time: :data:`END_OF_DAY` unless one is given."""
    return dt.datetime.combine(day, time or END_OF_DAY, tzinfo=zone)
