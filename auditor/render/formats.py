"""How values read in a report: money, dates, shares and cell values.

Rounding happens here and only here, for display: money half up to the
currency's minor unit, shares to one decimal of a percent. Dates are
written out ("17 May 2026") so that no reader confuses day and month.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from auditor.i18n import current, gettext
from auditor.model.result import Evidence, JsonValue
from auditor.verdict.money import minor_unit, round_amount

_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def money(amount: Decimal | float | None, currency: str) -> str:
    """``1,722.50 USD``: rounded half up to the minor unit, thousands separated.

    In the language of the render in progress (:func:`auditor.i18n.using`): English
    is written here, byte for byte as before; another language through Babel.
    """
    if amount is None:
        return "-"
    words = current()
    if not words.english:
        return words.money(amount, currency)
    rounded = round_amount(Decimal(str(amount)), currency)
    return f"{rounded:,.{minor_unit(currency)}f} {currency}"


def day(value: dt.date | None) -> str:
    """``17 May 2026``."""
    if value is None:
        return gettext("not recorded")
    words = current()
    if not words.english:
        return words.day(value)
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def percent(share: Decimal | float | None, places: int = 1) -> str:
    """A share (0.075) as ``7.5 %``, rounded half up; a dash when there is none."""
    if share is None:
        return "-"
    words = current()
    if not words.english:
        return words.percent(share, places)
    scaled = (Decimal(str(share)) * 100).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    return f"{scaled} %"


def number(value: Decimal | float | int | None, places: int) -> str:
    if value is None:
        return "-"
    return f"{Decimal(str(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)}"


def cell_value(value: JsonValue) -> str:
    """A value as the workbook showed it: yes/no, plain numbers, languages joined."""
    if value is None:
        return gettext("(empty)")
    if value is True:
        return gettext("yes")
    if value is False:
        return gettext("no")
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, list):
        return ", ".join(cell_value(item) for item in value)
    return str(value)


def evidence(item: Evidence) -> str:
    """``Fees!E31 amount = 45.5``: where, which column, what it held."""
    return f"{item.where} {item.column} = {cell_value(item.value)}"


def plural(count: int, singular: str, many: str | None = None) -> str:
    """``1 worker``, ``3 workers``."""
    return f"{count:,} {singular if count == 1 else (many or singular + 's')}"
