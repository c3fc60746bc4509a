"""What people type for dates, countries and languages, and what the format reads it as.

Workbook format 1.1, "Reading what people type": a clerk writes ``Nepal``
or ``NPL`` for ``NP``, ``Nepali`` or ``nep`` for ``ne``, and ``20/07/2025``
for ``2025-07-20``. Countries and languages by name are read; a date in
another form is still an error (a date read the wrong way round would
change findings silently), but its message says what to type, or names
both readings when the order of day and month cannot be told.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

from auditor.model.messages import Message

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_NUMERIC = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
_YEAR_FIRST = re.compile(r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})")
_DAY_MONTH_NAME = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?[\s\-/.]+([A-Za-z]+)\.?,?[\s\-/.]+(\d{4})")
_MONTH_NAME_DAY = re.compile(r"([A-Za-z]+)\.?[\s\-/.]+(\d{1,2})(?:st|nd|rd|th)?,?[\s\-/.]+(\d{4})")
#: Languages without an ISO 639-1 code that people write for one that has it.
_LANGUAGE_INSTEAD = {"fil": "tl"}
#: Languages read as another's two-letter code (format 1.2: ``tl`` and ``fil`` both name
#: Filipino, the standard form of Tagalog).
_LANGUAGE_READ_AS = {"fil": "tl", "filipino": "tl"}
#: Format 1.2, settled: the closed list of country aliases read besides the English names of
#: ISO 3166 (``U.A.E.`` is compared as written, case aside).
COUNTRY_ALIASES: dict[str, str] = {
    "UAE": "AE",
    "U.A.E.": "AE",
    "KSA": "SA",
    "UK": "GB",
    "U.K.": "GB",
    "USA": "US",
    "U.S.A.": "US",
    "US": "US",
    "Hong Kong": "HK",
    "Macau": "MO",
    "Macao": "MO",
    "South Korea": "KR",
    "Korea": "KR",
    "Russia": "RU",
    "Vietnam": "VN",
    "Iran": "IR",
    "Syria": "SY",
    "Laos": "LA",
    "Taiwan": "TW",
    "Brunei": "BN",
    "Bolivia": "BO",
    "Tanzania": "TZ",
    "Venezuela": "VE",
    "Moldova": "MD",
}
#: Format 1.2: a text date with one- or two-digit day and month, ``/``, ``-`` or ``.``, a
#: two-digit year (refused under every order: ``03/04/25`` could be of any century).
_SHORT_YEAR = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2})")


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def date_hint(text: str) -> str | None:
    """What to write instead of a date typed in another form, or None when none is seen."""
    match = _NUMERIC.fullmatch(text)
    if match:
        first, second, year = int(match[1]), int(match[2]), int(match[3])
        day_first = _day(year, second, first)
        month_first = _day(year, first, second)
        if day_first and month_first and day_first != month_first:
            return Message(
                "it could be %(day_first)s (day first) or %(month_first)s (month first); write "
                "the one meant",
                day_first=day_first.isoformat(),
                month_first=month_first.isoformat(),
            )
        found = day_first or month_first
        return _write_as(found)
    match = _YEAR_FIRST.fullmatch(text)
    if match:
        found = _day(int(match[1]), int(match[2]), int(match[3]))
        return _write_as(found)
    for pattern, day_group, month_group in ((_DAY_MONTH_NAME, 1, 2), (_MONTH_NAME_DAY, 2, 1)):
        match = pattern.fullmatch(text)
        if match:
            month = _MONTHS.get(match[month_group].lower())
            found = _day(int(match[3]), month, int(match[day_group])) if month else None
            return _write_as(found)
    return None


def _write_as(found: dt.date | None) -> str | None:
    return Message("write it as %(day)s", day=found.isoformat()) if found else None


def parts_in_order(text: str, day_first: bool) -> tuple[int, int, int] | None:
    """Year, month and day of a numeric text date read in the declared order, real or not.

    What a Bikram Sambat reading needs of ``32/04/2084`` under ``day_first``.
    """
    match = _NUMERIC.fullmatch(text)
    if not match:
        return None
    first, second = int(match[1]), int(match[2])
    day, month = (first, second) if day_first else (second, first)
    return int(match[3]), month, day


def read_in_order(text: str, day_first: bool) -> tuple[dt.date | None, str | None]:
    """A text date under a declared ``date_order`` (format 1.2): the date, or why not.

    ``(date, None)`` when it reads; ``(None, reason)`` when it has the shape
    of a date but cannot be read in the declared order (the reason names the
    order, and the other reading when there is one); ``(None, None)`` when it
    does not look like a date of these forms at all. English month names read
    under either order.
    """
    order = "day_first" if day_first else "month_first"
    if _SHORT_YEAR.fullmatch(text):
        return None, Message("has a two-digit year; write the year with its four digits")
    match = _NUMERIC.fullmatch(text)
    if match:
        first, second, year = int(match[1]), int(match[2]), int(match[3])
        day, month = (first, second) if day_first else (second, first)
        found = _day(year, month, day)
        if found is not None:
            return found, None
        other = _day(year, day, month)
        if other is None:
            return None, Message("cannot be a date under date_order %(order)s", order=order)
        if day_first:
            return None, Message(
                "cannot be a date under date_order %(order)s; read month first it would be "
                "%(other)s: check the cell, or the Audit field date_order",
                order=order,
                other=other.isoformat(),
            )
        return None, Message(
            "cannot be a date under date_order %(order)s; read day first it would be "
            "%(other)s: check the cell, or the Audit field date_order",
            order=order,
            other=other.isoformat(),
        )
    for pattern, day_group, month_group in ((_DAY_MONTH_NAME, 1, 2), (_MONTH_NAME_DAY, 2, 1)):
        match = pattern.fullmatch(text)
        if match:
            named_month = _MONTHS.get(match[month_group].lower())
            found = _day(int(match[3]), named_month, int(match[day_group])) if named_month else None
            if found is not None:
                return found, None
    return None, None


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


@cache
def country_names() -> dict[str, str]:
    """Alpha-2, alpha-3 and the English short, official and common names -> alpha-2."""
    import pycountry

    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attribute in ("alpha_2", "alpha_3", "name", "official_name", "common_name"):
            value = getattr(country, attribute, None)
            if value:
                names.setdefault(_key(value), country.alpha_2)
    for alias, code in COUNTRY_ALIASES.items():
        names[_key(alias)] = code
    return names


def country_code(text: str) -> str | None:
    """The alpha-2 code a country column's text names, or None."""
    return country_names().get(_key(text))


@cache
def language_names() -> tuple[dict[str, str], dict[str, str]]:
    """(codes and names of languages with a two-letter code -> it; others -> their name)."""
    import pycountry

    names: dict[str, str] = {}
    without: dict[str, str] = {}
    for language in pycountry.languages:
        alpha_2 = getattr(language, "alpha_2", None)
        spellings = [
            getattr(language, attribute, None)
            for attribute in ("alpha_2", "alpha_3", "bibliographic", "common_name")
        ]
        name = language.name.removesuffix(" (macrolanguage)")
        spellings += [name, language.name]
        for value in spellings:
            if not value:
                continue
            if alpha_2:
                names.setdefault(_key(value), alpha_2)
            else:
                without.setdefault(_key(value), f"{language.name} ({language.alpha_3})")
    return names, without


def language_code(text: str) -> str | None:
    """The ISO 639-1 code a language's code, ISO 639-2 code or English name stands for."""
    names, _ = language_names()
    key = _key(text)
    return _LANGUAGE_READ_AS.get(key) or names.get(key)


def language_without_code(text: str) -> str | None:
    """For a language ISO 639-1 has no code for, a sentence saying what to write instead."""
    _, without = language_names()
    found = without.get(_key(text))
    if found is None:
        return None
    code = found.rsplit("(", 1)[1].rstrip(")")
    instead = _LANGUAGE_INSTEAD.get(code)
    if instead is not None:
        return Message(
            "%(found)s has no two-letter code; write %(instead)s (%(name)s)",
            found=found,
            instead=instead,
            name=_name_of(instead),
        )
    return Message(
        "%(found)s has no two-letter ISO 639-1 code; write the closest language that has one",
        found=found,
    )


def _name_of(alpha_2: str) -> str:
    import pycountry

    language = pycountry.languages.get(alpha_2=alpha_2)
    return str(language.name) if language is not None else alpha_2
