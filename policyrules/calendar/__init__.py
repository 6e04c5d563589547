"""China's civil calendar: working days, festivals, lunar dates and solar terms."""

from policyrules.calendar.names import SOLAR_TERMS

__all__ = ["SOLAR_TERMS"]
