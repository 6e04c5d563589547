"""China's civil calendar: working days, festivals, lunar dates, solar terms and periods.

The public API::

    from policyrules.calendar import default_calendar, lunar_to_gregorian, solar_term_date

    default_calendar().is_working_day(date(2021, 9, 18))        # True: a makeup working day
    default_calendar().add_working_days(date(2021, 9, 30), 2)   # 2021-10-09
    lunar_to_gregorian(2021, 7, 15)                             # 2021-08-22, 中元节
    solar_term_date("清明", 2021)                                # 2021-04-04

See docs/calendar.md for the sources, the supported ranges and the horizon of the
working-day data.
"""

from policyrules.calendar import days
from policyrules.calendar.festivals import festival_dates, nth_weekday
from policyrules.calendar.lunar import (
    LunarDate,
    LunarDateError,
    gregorian_to_lunar,
    last_day_of_month,
    lunar_to_gregorian,
)
from policyrules.calendar.names import SOLAR_TERMS
from policyrules.calendar.patterns import Occurrence, PatternCalendar
from policyrules.calendar.periods import Period
from policyrules.calendar.solarterms import solar_term_date, solar_terms
from policyrules.calendar.workdays import (
    CalendarIndeterminate,
    HolidaySchedule,
    WorkdayCalendar,
    default_calendar,
    load_schedule,
)

__all__ = [
    "SOLAR_TERMS",
    "CalendarIndeterminate",
    "HolidaySchedule",
    "LunarDate",
    "LunarDateError",
    "Occurrence",
    "PatternCalendar",
    "Period",
    "WorkdayCalendar",
    "days",
    "default_calendar",
    "festival_dates",
    "gregorian_to_lunar",
    "last_day_of_month",
    "load_schedule",
    "lunar_to_gregorian",
    "nth_weekday",
    "solar_term_date",
    "solar_terms",
]
