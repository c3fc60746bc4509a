"""Rounding money for reporting: half up, to the currency's ISO 4217 minor unit.

Only reported amounts are rounded (2 places for USD, 3 for KWD, 0 for JPY);
every comparison and sum before that is exact.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from auditor.model.values import currency_minor_units


def minor_unit(currency: str) -> int:
    return currency_minor_units().get(currency) or 0


def round_amount(amount: Decimal, currency: str) -> Decimal:
    """``amount`` rounded half up to the minor unit of ``currency``."""
    return amount.quantize(_quantum(currency), rounding=ROUND_HALF_UP)


@cache
def _quantum(currency: str) -> Decimal:
    """``0.01`` for USD: kept per currency (ISO 4217's table does not change), since a large
    audit rounds a few hundred thousand amounts and making it anew cost 0.1 s of those."""
    return Decimal(1).scaleb(-minor_unit(currency))
