"""Numbers, dates and money in a language, from Babel's locale data.

English keeps the report's own formats (``auditor.render.formats``: "17 May
2026", "1,722.50 USD"), byte for byte. Other languages use CLDR through
Babel. Money stays :class:`~decimal.Decimal` and is rounded half up to the
currency's minor unit *before* Babel writes it (Babel rounds half even), then
printed with its ISO code, never a symbol that two currencies share. Digits
are Latin unless the native ones are asked for (Nepali: optional, not default).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date
from babel.numbers import format_decimal

from auditor.verdict.money import minor_unit, round_amount

_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def _locale(code: str) -> str:
    return code.replace("-", "_")


#: Native digits by language (Babel writes separators per locale, but always digits 0-9).
NATIVE_DIGITS = {"ne": "०१२३४५६७८९", "ar": "٠١٢٣٤٥٦٧٨٩"}


def _native(text: str, code: str, native: bool) -> str:
    """``text`` with the language's own digits when asked for (Nepali: optional, not default)."""
    digits = NATIVE_DIGITS.get(code)
    if not native or digits is None:
        return text
    return text.translate(str.maketrans("0123456789", digits))


def money(amount: Decimal | float | None, currency: str, code: str, native: bool = False) -> str:
    """``1,722.50 USD`` in English; ``1,722.50 USD`` with the language's separators elsewhere."""
    if amount is None:
        return "-"
    rounded = round_amount(Decimal(str(amount)), currency)
    places = minor_unit(currency)
    if code == "en":
        return f"{rounded:,.{places}f} {currency}"
    pattern = "#,##0" + ("." + "0" * places if places else "")
    text = format_decimal(rounded, format=pattern, locale=_locale(code))
    return f"{_native(text, code, native)} {currency}"


def integer(value: int | Decimal, code: str, native: bool = False) -> str:
    if code == "en":
        return f"{value:,}"
    return _native(format_decimal(value, locale=_locale(code)), code, native)


def percent(share: Decimal | float | None, code: str, places: int = 1, native: bool = False) -> str:
    """A share (0.075) as ``7.5 %``, rounded half up for display only."""
    if share is None:
        return "-"
    scaled = (Decimal(str(share)) * 100).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    if code == "en":
        return f"{scaled} %"
    pattern = "0." + "0" * places if places else "0"
    text = format_decimal(scaled, format=pattern, locale=_locale(code))
    return f"{_native(text, code, native)} %"


def day(value: dt.date, code: str, native: bool = False) -> str:
    """``17 May 2026`` in English; the language's long date otherwise (months by name)."""
    if code == "en":
        return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"
    return _native(format_date(value, format="long", locale=_locale(code)), code, native)
