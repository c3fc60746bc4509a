"""Checks on single cells that come before validation, and names as problems show them.

Each check here refuses a value that would be read wrongly, silently or
expensively if it reached the models, with a message naming the cell:

- a text over ``max_cell_chars`` (nothing longer is validated, echoed or
  stored);
- an identifier with an invisible or control character (a zero-width
  space, a right-to-left override, a no-break space): ``W1`` and
  ``W1<ZWSP>`` look the same in every report but are different workers,
  so a fee could silently belong to nobody, or two workers look like one;
- any text with a control character other than tab and line breaks (or,
  from JSON, half a surrogate pair): no spreadsheet can hold one, the
  xlsx report could not be written with it, and an escape sequence in a
  name would reach the inspector's terminal;
- a number of 16 or more digits before the decimal point: no spreadsheet
  stores it exactly, so it is a typing slip, and amounts that large
  overflow the exact money arithmetic downstream;
- from a workbook only, a date cell before 1 March 1900: spreadsheet
  programs count a 29 February 1900 that never existed, so such a cell
  cannot be trusted to mean the date it shows; and a time or duration
  cell where a date belongs (a negative or zero date serial).

Text fields keep every character, bidirectional controls included: they
are the inspector's words and the reports escape them. The agency's name
and licence number are the exception: they are printed as the agency's on
a signed report, so an invisible format character (Unicode category Cf:
bidirectional overrides and isolates, zero-width characters) is refused
there (``invisible_character``).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, NamedTuple

from auditor.base.limits import Limits
from auditor.model.codes import Code
from auditor.model.columns import Kind, kind_of
from auditor.model.messages import Message
from auditor.model.records import Record
from auditor.model.values import is_empty, shown

#: The first day a spreadsheet's date serial numbers mean what they show.
FIRST_RELIABLE_DATE = dt.date(1900, 3, 1)
_NUMBERS = frozenset({Kind.AMOUNT, Kind.WAGE, Kind.NUMBER, Kind.RATE})
_DIGITS_LIMIT = 15
_NUMBER_LIMIT = Decimal(10) ** _DIGITS_LIMIT
_LABEL_LIMIT = 40
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


#: Column guards: which cheap test of :func:`suspect` decides that a cell needs :class:`Checks`.
TEXT_GUARD, ID_GUARD, NUMBER_GUARD, DATE_GUARD = range(4)
_GUARDS = {Kind.ID: ID_GUARD, Kind.DATE: DATE_GUARD} | dict.fromkeys(_NUMBERS, NUMBER_GUARD)
#: Numbers this far from zero have 16 digits before the point: :func:`_long_number` looks.
_BIG = 1e15
#: Text longer than this in a number column may hold 16 digits: :func:`_long_number_text` looks.
_NUMBER_TEXT = 15


def guard_of(kind: Kind) -> int:
    """The guard of a column of this kind (a text guard for kinds with no cheap test)."""
    return _GUARDS.get(kind, TEXT_GUARD)


def suspect(value: object, guard: int, limit: int) -> bool:
    """Whether a non-blank cell needs :meth:`Checks.problem` at all: one cheap test.

    False means :meth:`Checks.problem` would find nothing; True only that it
    must look. Both workbook readers (row by row and column by column) ask
    this same question, so they set aside exactly the same cells.
    """
    cls = value.__class__
    if cls is str:
        size = len(value)  # type: ignore[arg-type]
        return (
            size > limit
            or not value.isprintable()  # type: ignore[attr-defined]
            or (guard == NUMBER_GUARD and size > _NUMBER_TEXT)
        )
    if guard == NUMBER_GUARD:
        return (cls is float or cls is int) and not -_BIG < value < _BIG  # type: ignore[operator]
    if guard == DATE_GUARD:
        return cls is not dt.date or value < FIRST_RELIABLE_DATE  # type: ignore[operator]
    return False


def is_blank_row(row: Sequence[object]) -> bool:
    """Every cell empty (blank or an empty marker); the first real value ends the search."""
    if row.count("") == len(row):
        return True
    for cell in row:
        if cell == "":
            continue
        if cell.__class__ is not str or (len(cell) > 16 and not cell[0].isspace()):
            return False
        if not is_empty(cell):
            return False
    return True


class Refusal(NamedTuple):
    """Why a value may not be read: the sentence, and the problem's code."""

    message: str
    code: Code


class Checks:
    """The pre-validation checks of one sheet's fields, planned once per sheet."""

    def __init__(self, model: type[Record], limits: Limits, *, from_workbook: bool) -> None:
        self.sheet = model.SHEET
        self.limit = limits.max_cell_chars
        self.from_workbook = from_workbook
        self.kinds: dict[str, Kind] = {
            name: kind_of(info) for name, info in model.model_fields.items()
        }

    def problem(self, field: str, value: object) -> Refusal | None:
        """Why ``value`` may not be read into ``field``, or None (the common, fast case)."""
        kind = self.kinds.get(field)
        if value.__class__ is str:
            text = str(value)
            if len(text) > self.limit:
                return Refusal(too_long(field, len(text), self.limit), Code.TEXT_TOO_LONG)
            # An id is trimmed (a tab or no-break space at its ends is no part of it);
            # what is left must show every character it holds.
            if kind is Kind.ID and not text.isprintable() and not text.strip().isprintable():
                return Refusal(invisible(field, text.strip()), Code.INVISIBLE_CHARACTER)
            if (
                field in _SIGNED_NAMES
                and self.sheet == "Audit"
                and not text.isprintable()
                and (spoof := _format_character(text)) is not None
            ):
                return Refusal(spoofing(field, spoof), Code.INVISIBLE_CHARACTER)
            if not text.isprintable() and (found := _CONTROL.search(text)) is not None:
                return Refusal(
                    Message(
                        "%(field)s contains a control character (U+%(codepoint)s), which no "
                        "spreadsheet can hold and which would garble the reports; remove it",
                        field=field,
                        codepoint=f"{ord(found[0]):04X}",
                    ),
                    Code.CONTROL_CHARACTER,
                )
            if kind in _NUMBERS:
                return _long_number_text(field, text)
            return None
        if kind in _NUMBERS:
            return _long_number(field, value)
        if kind is Kind.DATE and self.from_workbook:
            return _date_cell(field, value)
        return None


#: The names a signed report shows as the agency's: a right-to-left override (U+202E) or an
#: isolate (U+2066-U+2069) reorders what a reader sees, so "Recruiters LLC" could print as a
#: different agency's name on a signed document; a zero-width character makes two names
#: look one. Other text keeps every character (the inspector's words).
_SIGNED_NAMES = frozenset({"agency_name", "agency_licence_number"})


def _format_character(text: str) -> str | None:
    """The first invisible format character (Unicode category Cf) in ``text``, if any."""
    return next((ch for ch in text if unicodedata.category(ch) == "Cf"), None)


def spoofing(field: str, character: str) -> str:
    name = unicodedata.name(character, "a format character")
    return Message(
        "%(field)s contains an invisible formatting character (U+%(codepoint)s %(name)s), "
        "which can make the agency's name or licence read as another on the signed report; "
        "type it again without it",
        field=field,
        codepoint=f"{ord(character):04X}",
        name=name,
    )


def too_long(field: str, length: int, limit: int) -> str:
    return Message(
        "%(field)s is %(length)s characters long, over the limit of %(limit)s",
        field=field,
        length=f"{length:,}",
        limit=f"{limit:,}",
    )


def invisible(field: str, text: str) -> str:
    character = next(ch for ch in text if not ch.isprintable())  # the caller found one
    name = unicodedata.name(character, "a control character")
    return Message(
        "%(field)s %(value)s contains an invisible or control character (U+%(codepoint)s "
        "%(name)s), which makes different ids look the same; type the id again",
        field=field,
        value=shown(text),
        codepoint=f"{ord(character):04X}",
        name=name,
    )


def _long_number(field: str, value: object) -> Refusal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    if isinstance(value, float | Decimal) and not math.isfinite(value):
        return None  # the reader says what it expected
    if abs(Decimal(value)) < _NUMBER_LIMIT:
        return None
    return _beyond_digits(field, value)


def _long_number_text(field: str, text: str) -> Refusal | None:
    digits = text.strip().lstrip("+-").split(".", 1)[0].lstrip("0")
    if len(digits) <= _DIGITS_LIMIT or not digits.isdigit():
        return None
    return _beyond_digits(field, text)


def _beyond_digits(field: str, value: object) -> Refusal:
    return Refusal(
        Message(
            "%(field)s is %(value)s, more than %(digits)s digits before the decimal point; "
            "no spreadsheet stores such a number exactly, enter the real value",
            field=field,
            value=shown(value),
            digits=_DIGITS_LIMIT,
        ),
        Code.NUMBER_TOO_LONG,
    )


def _date_cell(field: str, value: object) -> Refusal | None:
    kind = value.__class__
    if kind is dt.date or kind is dt.datetime:
        day = value.date() if isinstance(value, dt.datetime) else value
        assert isinstance(day, dt.date)
        if day < FIRST_RELIABLE_DATE:
            return Refusal(
                Message(
                    "%(field)s is a date cell before 1 March 1900 (it reads as %(day)s); "
                    "spreadsheet programs count a 29 February 1900 that never existed, so such "
                    "a cell cannot be trusted: type the date as text, YYYY-MM-DD",
                    field=field,
                    day=day.isoformat(),
                ),
                Code.UNRELIABLE_DATE_CELL,
            )
        return None
    if kind is dt.time or kind is dt.timedelta:
        return Refusal(
            Message(
                "%(field)s holds a time or a duration, not a date (a date before 1900, or a "
                "number formatted as a time); type the date as YYYY-MM-DD",
                field=field,
            ),
            Code.TIME_NOT_DATE,
        )
    return None


def label(text: Any) -> str:
    """A name from the input (a header, a sheet, a key) as a problem's location shows it.

    Control, invisible and line-separator characters are escaped and long
    names cut, so a hostile header can neither forge extra output lines nor
    flood the terminal.
    """
    cleaned = "".join(
        ch if unicodedata.category(ch)[0] not in "CZ" or ch == " " else f"\\u{ord(ch):04x}"
        for ch in str(text)[: _LABEL_LIMIT * 2]
    )
    return cleaned if len(cleaned) <= _LABEL_LIMIT else cleaned[: _LABEL_LIMIT - 1] + "…"


def place(text: Any) -> str:
    """A sheet or column name from the input as a problem's location shows it.

    The :func:`label`, quoted as Excel quotes sheet names (``'Notes!'``,
    quotes doubled inside) when it holds a ``!`` or ``:``, or starts with a
    quote: unquoted, a sheet named ``Fees!A1`` would read as a cell of
    Fees, and a header ``a: b`` would split its problem's line in the wrong
    place.
    """
    shown = label(text)
    if "!" in shown or ":" in shown or shown.startswith("'"):
        return "'" + shown.replace("'", "''") + "'"
    return shown
