"""Rounding money for reporting: half up, to the currency's ISO 4217 minor unit.

Only reported amounts are rounded (2 places for USD, 3 for KWD, 0 for JPY);
every comparison and sum before that is exact.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from auditor.model.values import currency_minor_units


def minor_unit(currency: str) -> int:
    return currency_minor_units().get(currency) or 0


def round_amount(amount: Decimal, currency: str) -> Decimal:
    """``amount`` rounded half up to the minor unit of ``currency``."""
    return amount.quantize(Decimal(1).scaleb(-minor_unit(currency)), rounding=ROUND_HALF_UP)
