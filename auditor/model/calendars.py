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

from auditor.model.messages import Message

#: Years read as Bikram Sambat when a date is after the inspection (settled for format 1.2).
BS_YEARS = range(2000, 2101)
#: Years ahead of the inspection from which any date is taken for another calendar (1.1).
NON_GREGORIAN_YEARS = 50
#: Years ahead of the inspection under which a date read as Bikram Sambat may as well be a
#: typing slip (``2026-07-01`` in an inspection of 2026-06-30): the message gives the
#: Bikram Sambat reading all the same (the settled rule has no floor) and says so.
SLIP_YEARS = 5
#: The Settled sentence of format 1.2, completed with the Gregorian date.
LOOKS_LIKE_BS = "looks like a Bikram Sambat date; in the Gregorian calendar it is {}"


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


def month_days(year: int, month: int) -> int | None:
    """Days of a Bikram Sambat month (29 to 32), or None outside the converter's years.

    Found through the converter's public constructor, never a table of our own.
    """
    if year not in converter_years() or not 1 <= month <= 12:
        return None
    return next((days for days in (32, 31, 30, 29) if gregorian_of(year, month, days)), None)


def covered_note() -> str:
    years = converter_years()
    return Message(
        "the converter covers Bikram Sambat years %(first)s to %(last)s",
        first=years.start,
        last=years.stop - 1,
    )


def _no_such_day(year: int, month: int) -> str:
    return Message(
        "month %(month)s of %(year)s has %(days)s days in that calendar",
        month=month,
        year=year,
        days=month_days(year, month),
    )


def not_gregorian(year: int, month: int, day: int, today: dt.date) -> str | None:
    """For a text ``YYYY-MM-DD`` that is no Gregorian date, what it is as Bikram Sambat.

    The settled rule of format 1.2 read for a date the Gregorian calendar
    lacks: its year in :data:`BS_YEARS`, later than ``today`` (the
    inspection is not after today, so a date not later than today is a
    slip, ``2024-02-30``), and converted to a date not after ``today``.
    A Bikram Sambat day that does not exist (``2084-04-32``: that month has
    31 days) is said so; a year the converter does not cover, 50 or more
    years ahead, says what it covers. ``None``: not a Bikram Sambat date.
    """
    if not (1 <= month <= 12 and 1 <= day <= 32):
        return None
    covered = year in converter_years()
    if covered and year in BS_YEARS and (year, month, day) > (today.year, today.month, today.day):
        found = gregorian_of(year, month, day)
        if found is None:
            return Message(
                "it may be a Bikram Sambat date, but %(why)s: check the day",
                why=_no_such_day(year, month),
            )
        if found <= today:
            return Message(
                "it looks like a Bikram Sambat date; in the Gregorian calendar it is %(day)s",
                day=found,
            )
        return None
    if not covered and year - today.year >= NON_GREGORIAN_YEARS:
        return Message(
            "it may be a Bikram Sambat date, but %(why)s: convert it to the Gregorian "
            "calendar and write it as YYYY-MM-DD",
            why=covered_note(),
        )
    return None


def after_inspection(value: dt.date, inspection: dt.date) -> str | None:
    """For a date after the inspection, what the message adds: its Bikram Sambat reading.

    The settled rule of format 1.2: a year in :data:`BS_YEARS` that the
    converter turns into a date not after the inspection "looks like a
    Bikram Sambat date; in the Gregorian calendar it is YYYY-MM-DD", however
    near the inspection the date is (under :data:`SLIP_YEARS` ahead the
    message says it may be a slip, too). A day its month lacks in that
    Bikram Sambat year is said so. A date 50 or more years ahead that the converter
    does not cover still looks like a date of another calendar (format 1.1).
    The text returned follows "... is after the inspection date YYYY-MM-DD".
    """
    ahead = value.year - inspection.year
    if value.year in BS_YEARS and value.year in converter_years():
        found = gregorian_of(value.year, value.month, value.day)
        if found is not None and found <= inspection:
            if ahead < SLIP_YEARS:
                return Message(
                    " (correct it if it is a slip); it also looks like a Bikram Sambat date; in "
                    "the Gregorian calendar it is %(day)s",
                    day=found,
                )
            return Message(
                " and looks like a Bikram Sambat date; in the Gregorian calendar it is %(day)s",
                day=found,
            )
        if found is None:
            return Message(
                "; read as a Bikram Sambat date it is none either: %(why)s",
                why=_no_such_day(value.year, value.month),
            )
        if ahead >= NON_GREGORIAN_YEARS:
            return Message(
                " and is %(ahead)s years after the inspection: it looks like a date of another "
                "calendar (read as Bikram Sambat it is %(day)s, after the inspection too); "
                "convert it to the Gregorian calendar and write it as YYYY-MM-DD",
                ahead=ahead,
                day=found,
            )
        return None
    if ahead >= NON_GREGORIAN_YEARS:
        return Message(
            " and is %(ahead)s years after the inspection: it looks like a "
            "Bikram Sambat or other non-Gregorian date (%(covered)s); convert it to the "
            "Gregorian calendar and write it as YYYY-MM-DD",
            ahead=ahead,
            covered=covered_note(),
        )
    return None
