"""The limits of the policy language, in one place: what a policy may hold at most.

Each is checked where the value is read, before it is converted or used, and each breach is
a located diagnostic (docs/language.md, "Limits"). No notice needs anything near them.
"""

from __future__ import annotations

# a holiday schedule file (`--holidays`) is the calendar's to cap; named here with the rest
from policyrules.calendar.workdays import MAX_SCHEDULE_BYTES as MAX_SCHEDULE_BYTES
from policyrules.diagnostics.source import MEGABYTE
from policyrules.syntax.ast import DurationUnit

#: Files larger than this are refused before parsing (a policy of 10,000 obligations is ~2 MB).
MAX_SOURCE_CHARS = 4 * 1024 * 1024
#: The bytes read of a policy file at most: UTF-8 takes at most 4 bytes a character.
MAX_SOURCE_BYTES = 4 * MAX_SOURCE_CHARS
#: Brackets and expressions nested deeper than this are refused.
MAX_NESTING = 64
#: Syntax trees deeper than this are refused (later stages walk expressions recursively).
MAX_DEPTH = 4 * MAX_NESTING
#: Numbers are written with at most this many digits (before the point, and after it).
MAX_INT_DIGITS = 15
#: A duration spans at most about 100 years: 36,525 days (or working days), 5,217 weeks or
#: 876,600 hours. Deadlines and windows are dates; longer spans only overflow the calendar.
MAX_DURATION: dict[DurationUnit, int] = {
    DurationUnit.DAY: 36_525,
    DurationUnit.WEEK: 36_525 // 7,
    DurationUnit.HOUR: 36_525 * 24,
}
#: Imports chained deeper than this (a imports b imports c …) are refused.
MAX_IMPORT_DEPTH = 64

#: A scenario file (`*.test.json`) is read up to this many bytes.
MAX_SCENARIO_BYTES = 16 * MEGABYTE
