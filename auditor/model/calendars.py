"""Bikram Sambat dates typed as Gregorian ones: what they are in the Gregorian calendar.

Nepal's offices keep their registers in Bikram Sambat (BS), which runs 56
to 57 years ahead of the Gregorian calendar and has months of up to 32
days. A clerk who types ``2082-03-15`` for a fee paid last summer gives a
Gregorian date 56 years ahead, and ``2084-03-32`` gives no Gregorian date
at all. Workbook format 1.2 recognises these in every date column and,
where the converter covers the year, says which Gregorian date to write.

The conversion is the maintained ``nepali-datetime`` package's (its table
of month lengths is the one Nepal's calendar committee publishes), never a
table of this project's own; it is imported on first use (about 20 ms).
"""

from __future__ import annotations

import datetime as dt

#: Years read as Bikram Sambat when a date is after the inspection (settled for format 1.2).
BS_YEARS = range(2000, 2101)
#: Years ahead of the inspection from which any date is taken for another calendar (1.1).
NON_GREGORIAN_YEARS = 50
#: Years ahead of the inspection from which a date is read as Bikram Sambat at all: BS runs
#: 56-57 years ahead, so a BS date of an event up to 50 years before the inspection is at
#: least this far ahead, while ``2026-07-01`` in an inspection of 2026-06-30 is a slip of the
#: pen, not a date of 1969 (the spec's rule read with this floor; see the CHANGELOG).
BS_YEARS_AHEAD = 5


def converter_years() -> range:
    """The Bikram Sambat years the converter knows."""
    import nepali_datetime

    return range(nepali_datetime.MINYEAR, nepali_datetime.MAXYEAR + 1)


def gregorian_of(year: int, month: int, day: int) -> dt.date | None:
    """The Gregorian date of a Bikram Sambat date, or None when it is none the converter knows."""
    if year not in converter_years():
        return None
    import nepali_datetime

    try:
        found: dt.date = nepali_datetime.date(year, month, day).to_datetime_date()
    except (ValueError, OverflowError, IndexError, KeyError):
        return None
    return found


def covered_note() -> str:
    years = converter_years()
    return f"the converter covers Bikram Sambat years {years.start} to {years.stop - 1}"


def not_gregorian(year: int, month: int, day: int, today: dt.date) -> str | None:
    """For a text ``YYYY-MM-DD`` that is no Gregorian date, what it is as Bikram Sambat.

    Only a year 50 or more years after ``today`` is taken for another
    calendar (``2024-02-30`` is a slip, not a BS date); ``None`` when the
    text does not look like a BS date or is none the converter knows.
    """
    if year - today.year < NON_GREGORIAN_YEARS or not (1 <= month <= 12 and 1 <= day <= 32):
        return None
    if year in converter_years():
        found = gregorian_of(year, month, day)
        if found is None:
            return None  # no such day in that BS year either
        return f"it looks like a Bikram Sambat date; in the Gregorian calendar it is {found}"
    return (
        f"it may be a Bikram Sambat date, but {covered_note()}: convert it to the Gregorian "
        "calendar and write it as YYYY-MM-DD"
    )


def after_inspection(value: dt.date, inspection: dt.date) -> str | None:
    """For a date after the inspection, the Bikram Sambat reading when it has one.

    A date whose year is in :data:`BS_YEARS` (and at least
    :data:`BS_YEARS_AHEAD` years ahead) and which the converter turns into a
    date not after the inspection "looks like a Bikram Sambat date";
    one 50 or more years ahead that the converter does not cover still looks
    like a date of another calendar (the rule of format 1.1).
    """
    if value.year in BS_YEARS and value.year - inspection.year >= BS_YEARS_AHEAD:
        found = gregorian_of(value.year, value.month, value.day)
        if found is not None and found <= inspection:
            return f"looks like a Bikram Sambat date; in the Gregorian calendar it is {found}"
    if value.year - inspection.year >= NON_GREGORIAN_YEARS:
        return (
            f"is {value.year - inspection.year} years after the inspection: it looks like a "
            f"Bikram Sambat or other non-Gregorian date ({covered_note()}); convert it to the "
            "Gregorian calendar and write it as YYYY-MM-DD"
        )
    return None
