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
            return (
                f"it could be {day_first.isoformat()} (day first) or "
                f"{month_first.isoformat()} (month first); write the one meant"
            )
        found = day_first or month_first
        return f"write it as {found.isoformat()}" if found else None
    match = _YEAR_FIRST.fullmatch(text)
    if match:
        found = _day(int(match[1]), int(match[2]), int(match[3]))
        return f"write it as {found.isoformat()}" if found else None
    for pattern, day_group, month_group in ((_DAY_MONTH_NAME, 1, 2), (_MONTH_NAME_DAY, 2, 1)):
        match = pattern.fullmatch(text)
        if match:
            month = _MONTHS.get(match[month_group].lower())
            found = _day(int(match[3]), month, int(match[day_group])) if month else None
            return f"write it as {found.isoformat()}" if found else None
    return None


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
    return names.get(_key(text))


def language_without_code(text: str) -> str | None:
    """For a language ISO 639-1 has no code for, a sentence saying what to write instead."""
    _, without = language_names()
    found = without.get(_key(text))
    if found is None:
        return None
    code = found.rsplit("(", 1)[1].rstrip(")")
    instead = _LANGUAGE_INSTEAD.get(code)
    if instead is not None:
        return f"{found} has no two-letter code; write {instead} ({_name_of(instead)})"
    return f"{found} has no two-letter ISO 639-1 code; write the closest language that has one"


def _name_of(alpha_2: str) -> str:
    import pycountry

    language = pycountry.languages.get(alpha_2=alpha_2)
    return str(language.name) if language is not None else alpha_2
