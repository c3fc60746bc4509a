"""Reference exchange rates, only to catch an FX rate typed wrong (workbook format 1.1).

Units of each currency for one US dollar: approximate annual averages for
2024, rounded to three significant figures, from the central banks' and
the IMF's published averages. They are never used to convert anything:
the inspector's own rate is always the one used. A rate more than
:data:`TOLERANCE` times away from the one these imply is only a warning,
so a year's drift, rounding or a devaluation up to that size stays quiet
while an inverted rate (NPR per USD typed as USD per NPR: a factor of
about 18,000) or a slipped decimal point is said.
"""

from __future__ import annotations

from decimal import Decimal

from auditor.model.messages import N_

#: What the figures are, for the warning's wording.
REFERENCE_LABEL = N_("2024 annual average")
#: How far a rate may be from the reference before a warning.
TOLERANCE = Decimal(20)

#: Units of the currency for one USD.
PER_USD: dict[str, Decimal] = {
    code: Decimal(value)
    for code, value in {
        "USD": "1",
        "EUR": "0.924",
        "GBP": "0.783",
        "CHF": "0.880",
        "JPY": "151",
        "CNY": "7.19",
        "HKD": "7.80",
        "KRW": "1360",
        "TWD": "32.1",
        "SGD": "1.34",
        "MYR": "4.58",
        "THB": "35.3",
        "VND": "24900",
        "KHR": "4080",
        "LAK": "21100",
        "MMK": "2100",
        "IDR": "15800",
        "PHP": "57.3",
        "BND": "1.34",
        "INR": "83.7",
        "NPR": "134",
        "BDT": "115",
        "LKR": "301",
        "PKR": "279",
        "AFN": "71.0",
        "MVR": "15.4",
        "BTN": "83.7",
        "SAR": "3.75",
        "AED": "3.67",
        "QAR": "3.64",
        "KWD": "0.307",
        "BHD": "0.376",
        "OMR": "0.385",
        "JOD": "0.709",
        "LBP": "89500",
        "ILS": "3.70",
        "IQD": "1310",
        "EGP": "45.6",
        "TND": "3.11",
        "LYD": "4.82",
        "MAD": "9.92",
        "DZD": "134",
        "TRY": "32.8",
        "ETB": "73.0",
        "KES": "135",
        "UGX": "3760",
        "TZS": "2600",
        "RWF": "1320",
        "NGN": "1480",
        "GHS": "14.3",
        "ZAR": "18.3",
        "RUB": "92.5",
        "UAH": "40.2",
        "KZT": "470",
        "UZS": "12600",
        "KGS": "87.0",
        "TJS": "10.8",
        "CAD": "1.37",
        "AUD": "1.52",
        "NZD": "1.65",
        "MXN": "18.3",
        "BRL": "5.39",
        "GTQ": "7.76",
        "HNL": "24.7",
    }.items()
}


def reference_rate(currency: str, audit_currency: str) -> Decimal | None:
    """Units of ``audit_currency`` for one ``currency`` by the reference, or None if unknown."""
    per_usd = PER_USD.get(currency)
    audit_per_usd = PER_USD.get(audit_currency)
    if per_usd is None or audit_per_usd is None:
        return None
    return audit_per_usd / per_usd
