"""Plausibility checks of workbook format 1.1: values that read well but cannot be right.

A Bikram Sambat inspection date (2082) read as Gregorian made every licence
look expired; a date of birth after the deployment made a worker a child;
an inverted FX rate multiplied every fee. These checks catch them before
any finding is made:

- ``inspection_date`` after the day of the check (UTC) is an error; 50 or
  more years ahead, the message says it looks like a non-Gregorian date;
- a ``date_of_birth`` on or after the ``deployment_date`` is an error; an
  age at deployment under 14 or over 70 is a warning;
- an FX rate more than 20 times away from the shipped reference is a
  warning that says whether it looks inverted (the rate given is used);
- a text with a character no shipped report font can draw is a warning
  naming the cell, never a silent box on the printed report.

They change which workbooks are valid and add warnings, never the
findings, money or score of a valid workbook.

The day of the check is :func:`checking_day`: today in UTC, unless a caller
set another with :func:`checked_on` (the service uses the day of the
upload; tests use a fixed day) or the environment sets ``AUDITOR_TODAY``
(``YYYY-MM-DD``, for a command run in another process).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from functools import cache, partial

from auditor.base.glyphs import describe, undrawable
from auditor.model.codes import Code
from auditor.model.columns import Kind, kind_of
from auditor.model.fx_reference import REFERENCE_LABEL, TOLERANCE, reference_rate
from auditor.model.messages import Message
from auditor.model.problems import Level, Problems
from auditor.model.records import FxRate, Record

#: Years ahead from which an inspection date is taken for another calendar: Bikram Sambat
#: runs 56 to 57 years ahead of the Gregorian calendar, the Thai solar calendar 543.
NON_GREGORIAN_YEARS = 50
#: A far rate is said to look inverted when its inverse is within this factor of the reference.
INVERTED_WITHIN = Decimal(3)
YOUNGEST_AT_DEPLOYMENT = 14
OLDEST_AT_DEPLOYMENT = 70

#: A field of every record of a list, in order (``ReadSheets.column`` of the consistency checks).
Column = Callable[[str], list[object]]

_DAY: ContextVar[dt.date | None] = ContextVar("auditor_checking_day", default=None)


def checking_day() -> dt.date:
    """The day the input is checked on: set by :func:`checked_on`, ``AUDITOR_TODAY``, or today."""
    day = _DAY.get()
    if day is not None:
        return day
    configured = os.environ.get("AUDITOR_TODAY", "").strip()
    if configured:
        return dt.date.fromisoformat(configured)
    return dt.datetime.now(dt.UTC).date()


@contextmanager
def checked_on(day: dt.date) -> Iterator[None]:
    """Check inputs as on ``day`` inside the block (the upload's day; a test's fixed day)."""
    token = _DAY.set(day)
    try:
        yield
    finally:
        _DAY.reset(token)


def check_inspection_day(inspection: object, problems: Problems) -> None:
    """``inspection_date`` may not be after the day of the check."""
    if not isinstance(inspection, dt.date):
        return
    today = checking_day()
    if inspection <= today:
        return
    message = Message(
        "inspection_date %(inspection)s is after today (%(today)s, UTC); give the day the facts "
        "were recorded",
        inspection=inspection.isoformat(),
        today=today.isoformat(),
    )
    if inspection.year - today.year >= NON_GREGORIAN_YEARS:
        message = Message(
            "inspection_date %(inspection)s is %(years)s years after today (%(today)s): it looks "
            "like a Bikram Sambat or other non-Gregorian date; convert it to the Gregorian "
            "calendar and write it as YYYY-MM-DD",
            inspection=inspection.isoformat(),
            years=inspection.year - today.year,
            today=today.isoformat(),
        )
    problems.cell("Audit", 0, "inspection_date", message, code=Code.INSPECTION_AFTER_TODAY)


def check_workers(
    workers: list[tuple[int, Record]], problems: Problems, *, column: Column | None = None
) -> None:
    """Birth before deployment, and an age at deployment a worker can have.

    ``column`` gives a field of every one of ``workers`` (by default read from them).
    """
    field = column or partial(_column, workers)
    births, departures = field("date_of_birth"), field("deployment_date")
    for (index, _), born, left in zip(workers, births, departures, strict=True):
        if born is None or left is None:
            continue
        assert isinstance(born, dt.date)
        assert isinstance(left, dt.date)
        if born >= left:
            problems.cell(
                "Workers",
                index,
                "date_of_birth",
                Message(
                    "date_of_birth %(born)s is on or after deployment_date %(left)s; a worker is "
                    "born before leaving: check both dates",
                    born=born.isoformat(),
                    left=left.isoformat(),
                ),
                code=Code.BIRTH_NOT_BEFORE_DEPLOYMENT,
            )
            continue
        age = left.year - born.year - ((left.month, left.day) < (born.month, born.day))
        if age < YOUNGEST_AT_DEPLOYMENT or age > OLDEST_AT_DEPLOYMENT:
            problems.cell(
                "Workers",
                index,
                "date_of_birth",
                Message(
                    "date_of_birth %(born)s makes the worker %(age)s at deployment (%(left)s): "
                    "check the date",
                    born=born.isoformat(),
                    age=age,
                    left=left.isoformat(),
                ),
                Level.WARNING,
                code=Code.IMPLAUSIBLE_AGE,
            )


def check_fx_rates(
    rates: list[tuple[int, Record]], audit_currency: str, problems: Problems
) -> None:
    """A rate far from the reference is a warning; whether it looks inverted is said."""
    for index, record in rates:
        assert isinstance(record, FxRate)
        expected = reference_rate(record.currency, audit_currency)
        if expected is None or record.currency == audit_currency:
            continue
        ratio = record.rate / expected
        if 1 / TOLERANCE <= ratio <= TOLERANCE:
            continue
        inverted = 1 / INVERTED_WITHIN <= (1 / record.rate) / expected <= INVERTED_WITHIN
        about = _significant(expected)
        params = {
            "rate": _plain(record.rate),
            "currency": record.currency,
            "audit_currency": audit_currency,
            "reference": Message(REFERENCE_LABEL),
            "about": about,
            "inverse": _significant(1 / expected),
            "tolerance": TOLERANCE,
        }
        problems.cell(
            "FX",
            index,
            "rate",
            Message(
                "rate %(rate)s means 1 %(currency)s = %(rate)s %(audit_currency)s, but the "
                "reference (%(reference)s) is about %(about)s %(audit_currency)s: it looks "
                "inverted; the rate is %(audit_currency)s for one %(currency)s (about %(about)s, "
                "not %(inverse)s). The rate given is the one used",
                **params,
            )
            if inverted
            else Message(
                "rate %(rate)s means 1 %(currency)s = %(rate)s %(audit_currency)s, but the "
                "reference (%(reference)s) is about %(about)s %(audit_currency)s: it is more "
                "than %(tolerance)s times away; check it. The rate given is the one used",
                **params,
            ),
            Level.WARNING,
            code=Code.IMPLAUSIBLE_FX_RATE,
        )


def check_printable(
    sheet: str,
    records: list[tuple[int, Record]],
    problems: Problems,
    *,
    column: Column | None = None,
) -> None:
    """Texts with a character no shipped font can draw: a warning at each cell.

    ``column`` gives a field of every one of ``records`` (by default read from them).
    """
    if not records:
        return
    names = _text_fields(type(records[0][1]))
    field = column or partial(_column, records)
    if all(_all_ascii(field(name)) for name in names):
        return  # the common case, at C speed: every text is ASCII, which every font draws
    for index, record in records:
        for name in names:
            value = getattr(record, name)
            if value.__class__ is str and not value.isascii():
                _warn_unprintable(sheet, index, name, value, problems)


def _all_ascii(values: list[object]) -> bool:
    """Every text of a column ASCII; False also when it holds anything but texts and None."""
    try:
        return all(map(str.isascii, filter(None, values)))  # type: ignore[arg-type]
    except TypeError:  # not a text: the record-by-record look decides
        return False


def _column(records: list[tuple[int, Record]], name: str) -> list[object]:
    return [getattr(record, name) for _, record in records]


@cache
def _text_fields(model: type[Record]) -> tuple[str, ...]:
    """The fields a report may print as written: texts and ids."""
    return tuple(
        name for name, info in model.model_fields.items() if kind_of(info) in (Kind.TEXT, Kind.ID)
    )


def check_printable_fields(values: Mapping[str, object], problems: Problems) -> None:
    """The same for the ``Audit`` fields."""
    for name, value in values.items():
        if isinstance(value, str):
            _warn_unprintable("Audit", 0, name, value, problems)


def _warn_unprintable(sheet: str, index: int, name: str, text: str, problems: Problems) -> None:
    missing = undrawable(text)
    if missing:
        problems.cell(
            sheet,
            index,
            name,
            Message(
                "%(field)s has characters no font of the report can draw, so they would print "
                "as empty boxes: %(characters)s and more; check the text, or write the name in "
                "Latin letters as in the passport",
                field=name,
                characters=describe(missing[:5]),
            )
            if len(missing) > 5
            else Message(
                "%(field)s has characters no font of the report can draw, so they would print "
                "as empty boxes: %(characters)s; check the text, or write the name in Latin "
                "letters as in the passport",
                field=name,
                characters=describe(missing[:5]),
            ),
            Level.WARNING,
            code=Code.NO_FONT_FOR_CHARACTER,
        )


def _plain(number: Decimal) -> str:
    return format(number.normalize(), "f")


def _significant(number: Decimal) -> str:
    """Three significant figures, in plain notation (0.00746, 134, 18,000 as 18000)."""
    return _plain(Decimal(f"{number:.3g}"))
