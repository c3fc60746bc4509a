"""Reading one value the way the workbook format says, whatever it arrived as.

A value reaches the engine as a spreadsheet cell (python-calamine gives
``str``, ``float``, ``bool``, ``date`` or ``datetime``), as JSON (``Decimal``
for numbers, so that ``0.0033`` stays exact) or as a Python object built by a
licensing system. Each function here accepts all of those forms and returns
the one normalised value, or raises :class:`ValueProblem` with a sentence a
clerk understands. Both the workbook reader and the dict/JSON reader use
these same functions through the pydantic models, so there is one
definition of every rule of ``workbook-format.md``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import cache
from typing import Any, TypeVar

from auditor.model import calendars
from auditor.model.codes import Code
from auditor.model.enums import DateOrder
from auditor.model.messages import N_, Message
from auditor.model.spelling import (
    country_code,
    date_hint,
    language_code,
    language_without_code,
    parts_in_order,
    read_in_order,
)

#: Texts that mean "nothing recorded" (compared after trimming, any case).
EMPTY_MARKERS = frozenset({"", "none", "n/a", "na", "-", "unknown"})

_TRUE_WORDS = frozenset({"yes", "y", "true", "1"})
_FALSE_WORDS = frozenset({"no", "n", "false", "0"})
_PLAIN_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
#: Commas as thousands separators (1.1): a first group of one to three digits, then groups
#: of exactly three (``5,000``, ``1,234,567.50``); the lakh grouping ``1,00,000`` is not this.
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")
#: The Indian and Nepali (lakh) grouping of format 1.2: the last group of three digits, the
#: ones before of two (``1,50,000`` is 150000; ``12,34,567.50``).
_LAKH = re.compile(r"[+-]?\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d*)?")
#: A number written with a currency or a unit around it (``NPR 5,000``, ``$120``, ``120 USD``).
_WITH_UNIT = re.compile(
    r"[^\d\s.,+-]+\s*[+-]?[\d.,]*\d[\d.,]*|[+-]?[\d.,]*\d[\d.,]*\s*[^\d\s.,+-]+"
)
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_SEPARATORS = re.compile(r"[\s\-_]+")
_SHOWN_TEXT_LIMIT = 40


class ValueProblem(ValueError):
    """A value that does not follow the workbook format.

    The message names the field as ``{field}``: the readers do not know which
    column they read (one reader serves many columns, and pydantic calls it
    without that context, which is much faster), so the caller fills it in
    with :meth:`for_field` from the error's location. ``code`` is the problem's
    stable code (:class:`~auditor.model.codes.Code`), required so that every
    problem a reader finds has one.
    """

    def __init__(self, msgid: str, code: Code, /, **params: object) -> None:
        self.msgid = msgid  # the catalogue's key: %(field)s and the reader's own placeholders
        self.code = code
        self.params = params
        super().__init__(self.for_field("value"))

    def __reduce__(self) -> tuple[Any, ...]:
        return (_value_problem, (self.msgid, self.code, self.params))

    def for_field(self, field: str) -> Message:
        """The sentence naming ``field``: English, and translatable (:class:`Message`)."""
        return Message(self.msgid, field=field, **self.params)


def _value_problem(msgid: str, code: Code, params: dict[str, object]) -> ValueProblem:
    return ValueProblem(msgid, code, **params)


E = TypeVar("E", bound=StrEnum)


def is_empty(value: object) -> bool:
    """True for a blank cell, ``None`` or one of the empty-marker texts."""
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip().lower() in EMPTY_MARKERS
    return False


def normalise_name(text: str) -> str:
    """Header, sheet, field and enumeration spelling as the format compares them.

    Case is folded, the ends trimmed, and runs of spaces, hyphens and
    underscores become one underscore, so ``Worker ID``, ``worker_id`` and
    ``WORKER-ID`` are the same name.
    """
    return _SEPARATORS.sub("_", text.strip().lower()).strip("_")


def shown(value: object) -> str:
    """The value as a message shows it after ``got``: numbers bare, texts quoted."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    cleaned = "".join(
        ch if unicodedata.category(ch)[0] != "C" else f"\\u{ord(ch):04x}" for ch in text
    )
    if len(cleaned) > _SHOWN_TEXT_LIMIT:
        cleaned = cleaned[: _SHOWN_TEXT_LIMIT - 1] + "…"
    return f'"{cleaned}"'


def _text_of(value: object) -> str | None:
    return value.strip() if isinstance(value, str) else None


def to_text(value: object) -> str:
    """Free text. A number typed into a text column is read as it would print."""
    if value.__class__ is str:
        return value.strip()
    if isinstance(value, bool):
        raise ValueProblem(
            "%(field)s must be text, got %(value)s", Code.NOT_TEXT, value=shown(value)
        )
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float | int | Decimal):
        return whole_number_text(value, what="text")
    if isinstance(value, dt.date):
        return value.isoformat()
    raise ValueProblem("%(field)s must be text, got %(value)s", Code.NOT_TEXT, value=shown(value))


def whole_number_text(value: float | int | Decimal, *, what: str) -> str:
    """``1001`` or ``1001.0`` as ``"1001"``; a fraction is an error (ids are never fractions)."""
    if isinstance(value, float) and not math.isfinite(value):
        if what == "text":
            raise ValueProblem(
                "%(field)s must be text, got %(value)s", Code.NOT_TEXT, value=shown(value)
            )
        raise ValueProblem(
            "%(field)s must be an identifier (text), got %(value)s",
            Code.NOT_AN_ID,
            value=shown(value),
        )
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite() or number != number.to_integral_value():
        if what == "text":
            raise ValueProblem(
                "%(field)s must be text or a whole number, got %(value)s",
                Code.NOT_TEXT,
                value=shown(value),
            )
        raise ValueProblem(
            "%(field)s must be an identifier (text) or a whole number, got %(value)s",
            Code.NOT_AN_ID,
            value=shown(value),
        )
    return str(int(number))


def _id_expected(value: object) -> ValueProblem:
    return ValueProblem(
        "%(field)s must be an identifier (text or a whole number), got %(value)s",
        Code.NOT_AN_ID,
        value=shown(value),
    )


def to_id(value: object) -> str:
    """An identifier: trimmed text, case-sensitive; a whole number reads as its digits."""
    if value.__class__ is str:
        return value.strip()
    if isinstance(value, bool):
        raise _id_expected(value)
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float | int | Decimal):
        return whole_number_text(value, what="an identifier (text)")
    raise _id_expected(value)


_BOOL_WORDS = dict.fromkeys(_TRUE_WORDS, True) | dict.fromkeys(_FALSE_WORDS, False)


def to_bool(value: object) -> bool:
    """yes/no, y/n, true/false, 1/0 in any case, or a TRUE/FALSE cell."""
    if value.__class__ is bool:
        return value
    if value.__class__ is str:
        found = _BOOL_WORDS.get(value.strip().lower())
        if found is not None:
            return found
    elif (
        isinstance(value, int | float | Decimal) and not isinstance(value, bool) and value in (0, 1)
    ):
        return bool(value)
    raise ValueProblem(
        "%(field)s must be yes or no, got %(value)s", Code.NOT_YES_NO, value=shown(value)
    )


def to_decimal(
    value: object,
    *,
    minimum: Decimal | None = None,
    above: Decimal | None = None,
    maximum: Decimal | None = None,
) -> Decimal:
    """An exact decimal: the number as written, never a binary float's expansion.

    A numeric cell gives the shortest decimal that reads back as the stored
    number (``Decimal(repr(value))``); text must be plain decimal notation.
    """
    number: Decimal | None = None
    kind = value.__class__
    if kind is float:
        number = Decimal(repr(value)) if math.isfinite(value) else None  # type: ignore[arg-type]
    elif kind is Decimal:
        number = value if value.is_finite() else None  # type: ignore[assignment,attr-defined]
    elif kind is int:
        number = Decimal(value)  # type: ignore[arg-type]
    elif isinstance(value, str):
        text = value.strip()
        if _PLAIN_DECIMAL.fullmatch(text) or _THOUSANDS.fullmatch(text) or _LAKH.fullmatch(text):
            try:
                number = Decimal(text.replace(",", ""))
            except InvalidOperation:  # pragma: no cover - the patterns admit only valid text
                number = None
        else:
            _number_text_problem(text, value)
    if number is None or (
        (minimum is not None and number < minimum)
        or (above is not None and number <= above)
        or (maximum is not None and number > maximum)
    ):
        code = Code.NOT_A_NUMBER if number is None else Code.OUT_OF_RANGE
        msgid = _NUMBER_EXPECTED[(minimum is not None, above is not None, maximum is not None)]
        raise ValueProblem(
            msgid, code, minimum=minimum, above=above, maximum=maximum, value=shown(value)
        )
    return number


def _number_text_problem(text: str, value: object) -> None:
    """Say how to write a number typed with a unit or with commas the format does not read."""
    if _WITH_UNIT.fullmatch(text):
        digits = re.sub(r"[^\d.,]", "", text)
        raise ValueProblem(
            "%(field)s must be the number alone (%(digits)s), with the currency in its own "
            "column, got %(value)s",
            Code.NOT_A_NUMBER,
            digits=digits,
            value=shown(value),
        )
    if "," in text and _PLAIN_DECIMAL.fullmatch(text.replace(",", "")):
        raise ValueProblem(
            "%(field)s must be written with a point for decimals and commas every three digits "
            "(1,234,567.50), in lakh grouping (12,34,567.50) or none (1234567.50), got "
            "%(value)s",
            Code.NOT_A_NUMBER,
            value=shown(value),
        )


def has_thousands_commas(value: object) -> bool:
    """True for text read as a number through its grouping commas (``12,500``, ``1,50,000``)."""
    if not (isinstance(value, str) and "," in value):
        return False
    text = value.strip()
    return bool(_THOUSANDS.fullmatch(text) or _LAKH.fullmatch(text))


#: What a number must be, by which of (minimum, above, maximum) bounds it: one whole
#: sentence each, so that a translator sees the sentence, not its pieces.
_NUMBER_EXPECTED: dict[tuple[bool, bool, bool], str] = {
    (False, False, False): N_("%(field)s must be a number, got %(value)s"),
    (True, False, False): N_("%(field)s must be a number >= %(minimum)s, got %(value)s"),
    (False, True, False): N_("%(field)s must be a number > %(above)s, got %(value)s"),
    (False, False, True): N_("%(field)s must be a number <= %(maximum)s, got %(value)s"),
    (True, True, False): N_(
        "%(field)s must be a number >= %(minimum)s and > %(above)s, got %(value)s"
    ),
    (
        True,
        False,
        True,
    ): N_("%(field)s must be a number >= %(minimum)s and <= %(maximum)s, got %(value)s"),
    (False, True, True): N_(
        "%(field)s must be a number > %(above)s and <= %(maximum)s, got %(value)s"
    ),
    (True, True, True): N_(
        "%(field)s must be a number >= %(minimum)s and > %(above)s and <= %(maximum)s, "
        "got %(value)s"
    ),
}


_DATE_ORDER: ContextVar[DateOrder] = ContextVar("auditor_date_order", default=DateOrder.ISO)


@contextmanager
def dates_read_as(order: DateOrder = DateOrder.ISO) -> Iterator[None]:
    """Read text dates under ``order`` inside the block (a workbook's ``date_order``).

    The readers are called by pydantic without context, so the order a
    workbook declares travels in a context variable that the workbook reader
    sets (:func:`set_date_order`) within this block; datasets stay ISO.
    """
    token = _DATE_ORDER.set(order)
    try:
        yield
    finally:
        _DATE_ORDER.reset(token)


def set_date_order(order: DateOrder) -> None:
    """Change the order of the enclosing :func:`dates_read_as` block (the Audit sheet's field)."""
    _DATE_ORDER.set(order)


def date_order() -> DateOrder:
    """The order text dates are read under now."""
    return _DATE_ORDER.get()


def to_date(value: object) -> dt.date:
    """A date cell (any time of day dropped) or text ``YYYY-MM-DD``.

    Format 1.2: under a ``date_order`` of ``day_first`` or ``month_first`` a
    text date is read in that order; a text ``YYYY-MM-DD`` that is no
    Gregorian date but a Bikram Sambat one says which Gregorian date it is.
    """
    if value.__class__ is dt.date:
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text_of(value)
    if text is not None:
        match = _ISO_DATE.fullmatch(text)
        if match:
            return _iso_date(int(match[1]), int(match[2]), int(match[3]), value)
        order = _DATE_ORDER.get()
        if order is not DateOrder.ISO:
            found, reason = read_in_order(text, order is DateOrder.DAY_FIRST)
            if found is not None:
                return found
            if reason is not None:
                _bikram_in_order(text, order is DateOrder.DAY_FIRST, value)
                raise ValueProblem(
                    "%(field)s %(value)s %(reason)s",
                    Code.DATE_NOT_IN_DATE_ORDER,
                    value=shown(value),
                    reason=reason,
                )
        hint = date_hint(text)
        if hint is not None:
            raise ValueProblem(
                "%(field)s must be a date written YYYY-MM-DD: %(hint)s, got %(value)s",
                Code.NOT_A_DATE,
                hint=hint,
                value=shown(value),
            )
    raise ValueProblem(
        "%(field)s must be a date (a date cell or YYYY-MM-DD), got %(value)s",
        Code.NOT_A_DATE,
        value=shown(value),
    )


def _bikram_in_order(text: str, day_first: bool, value: object) -> None:
    """A day-first or month-first text date that is no Gregorian date may be Bikram Sambat.

    ``32/04/2082`` under ``day_first`` is refused as a Bikram Sambat date,
    as ``2082-04-32`` is, rather than as a date not in the declared order.
    """
    parts = parts_in_order(text, day_first)
    if parts is None:
        return
    from auditor.model.plausible import checking_day  # plausible builds on these readers

    bikram = calendars.not_gregorian(*parts, checking_day())
    if bikram is not None:
        raise ValueProblem(
            "%(field)s %(value)s is not a date of the Gregorian calendar: %(bikram)s",
            Code.BIKRAM_SAMBAT_DATE,
            value=shown(value),
            bikram=bikram,
        )


def _iso_date(year: int, month: int, day: int, value: object) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        pass
    from auditor.model.plausible import checking_day  # plausible builds on these readers

    bikram = calendars.not_gregorian(year, month, day, checking_day())
    if bikram is not None:
        raise ValueProblem(
            "%(field)s %(value)s is not a date of the Gregorian calendar: %(bikram)s",
            Code.BIKRAM_SAMBAT_DATE,
            value=shown(value),
            bikram=bikram,
        )
    raise ValueProblem(
        "%(field)s must be a real date, got %(value)s", Code.NOT_A_DATE, value=shown(value)
    )


@cache
def _country_codes() -> frozenset[str]:
    import pycountry  # loaded on first use: its JSON tables cost ~50 ms

    return frozenset(country.alpha_2 for country in pycountry.countries)


@cache
def _language_codes() -> frozenset[str]:
    import pycountry

    return frozenset(
        language.alpha_2 for language in pycountry.languages if hasattr(language, "alpha_2")
    )


@cache
def currency_minor_units() -> dict[str, int | None]:
    """ISO 4217 codes with their minor unit (``None`` where ISO defines none, e.g. XAU)."""
    import iso4217

    return {currency.code: currency.exponent for currency in iso4217.Currency}


def to_country(value: object) -> str:
    """An ISO 3166-1 alpha-2 code, any case (``ph`` is ``PH``); 1.1: or alpha-3, or a name."""
    text = _text_of(value)
    code = text.upper() if text is not None else None
    if code is not None and code not in _country_codes():
        code = country_code(text) if text is not None else None
    if code is None or code not in _country_codes():
        raise ValueProblem(
            "%(field)s must be a country: its ISO 3166-1 two-letter code (PH, NP, QA...), "
            "three-letter code (PHL) or English name (Nepal), got %(value)s",
            Code.NOT_A_COUNTRY,
            value=shown(value),
        )
    return code


def to_currency(value: object) -> str:
    """An ISO 4217 code, any case (``usd`` is ``USD``)."""
    text = _text_of(value)
    code = text.upper() if text is not None else None
    if code is None or code not in currency_minor_units():
        raise ValueProblem(
            "%(field)s must be an ISO 4217 currency code (USD, PHP, NPR, QAR...), got %(value)s",
            Code.NOT_A_CURRENCY,
            value=shown(value),
        )
    return code


def _languages_expected(value: object) -> ValueProblem:
    return ValueProblem(
        "%(field)s must be languages, as ISO 639-1 codes (en, tl, ne...), ISO 639-2 codes (eng) "
        "or English names (Nepali), separated by commas or semicolons, got %(value)s",
        Code.NOT_A_LANGUAGE,
        value=shown(value),
    )


def to_languages(value: object) -> tuple[str, ...]:
    """ISO 639-1 codes, or 639-2 codes or English names (1.1), separated by , or ;."""
    if isinstance(value, list | tuple):
        parts: Iterable[object] = value
    elif isinstance(value, str):
        parts = re.split(r"[,;]", value)
    else:
        raise _languages_expected(value)
    codes: list[str] = []
    for part in parts:
        text = _text_of(part)
        code = text.lower() if text is not None else None
        if code is not None and text and code not in _language_codes():
            code = language_code(text)
            if code is None and (instead := language_without_code(text)) is not None:
                raise ValueProblem(
                    "%(field)s: %(instead)s, got %(value)s",
                    Code.NOT_A_LANGUAGE,
                    instead=instead,
                    value=shown(value),
                )
        if code is None or code not in _language_codes():
            raise _languages_expected(value)
        if code not in codes:
            codes.append(code)
    if not codes:
        raise ValueProblem(
            "%(field)s must list at least one language, got %(value)s",
            Code.NOT_A_LANGUAGE,
            value=shown(value),
        )
    return tuple(codes)


def enum_reader(enum: type[E], aliases: dict[str, str] | None = None) -> Callable[[object], E]:
    """A reader for one enumeration: any case, spaces and hyphens as underscores."""
    lookup: dict[str, E] = {member.value: member for member in enum}
    for alias, target in (aliases or {}).items():
        lookup[normalise_name(alias)] = enum(target)
    listed = ", ".join(member.value for member in enum)
    if aliases:
        listed += " (or " + ", ".join(aliases) + ")"

    def read(value: object) -> E:
        if isinstance(value, enum):
            return value
        direct = lookup.get(value) if value.__class__ is str else None
        if direct is not None:
            return direct
        text = _text_of(value)
        member = lookup.get(normalise_name(text)) if text is not None else None
        if member is None:
            raise ValueProblem(
                "%(field)s must be one of %(listed)s, got %(value)s",
                Code.NOT_IN_LIST,
                listed=listed,
                value=shown(value),
            )
        return member

    read.__doc__ = f"One of {listed}."
    return read


def decimal_text(number: Decimal) -> str:
    """A decimal in plain notation, never exponent form (``1E+2`` prints as ``100``)."""
    return format(number, "f")


def describe(value: Any) -> str:
    """Short human text of a normalised value, for evidence and the Guide sheet."""
    if isinstance(value, tuple):
        return ", ".join(str(part) for part in value)
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
