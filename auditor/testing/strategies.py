"""Hypothesis strategies for inspection records and whole valid datasets.

Every field's values come from its column kind (``Kind`` metadata on the
pydantic models), so a field added to the format is generated without
touching this module. Values are normalised (trimmed text, exact decimals
that survive a spreadsheet round trip), and datasets are valid: unique
ids, references that resolve, a rate for every currency, no date after
the inspection.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Mapping, Sequence
from decimal import Decimal
from functools import cache
from typing import Any

from hypothesis import strategies as st
from pydantic.fields import FieldInfo

from auditor.model.columns import Kind, bounds_of, enum_of, kind_of, reference_of
from auditor.model.dataset import AuditDataset
from auditor.model.enums import Payee, Sector
from auditor.model.records import (
    AuditInfo,
    Channel,
    Complaint,
    Contract,
    Employer,
    Fee,
    FxRate,
    Intermediary,
    Record,
    Worker,
)
from auditor.model.values import EMPTY_MARKERS

INSPECTION_DATE = dt.date(2026, 6, 30)
_RATES = st.decimals(min_value=Decimal("0.0001"), max_value=500, places=4)
_COUNTRIES = ("PH", "NP", "ID", "QA", "SA", "AE", "KW", "MY", "HK", "SG", "GB", "LB", "JO")
_LANGUAGES = ("en", "tl", "ne", "id", "ar", "hi", "ms", "zh")
_SAFE_TEXT = st.characters(
    codec="utf-8",
    categories=("L", "N", "Zs", "P", "S"),
    exclude_characters="\u00a0\u2028\u2029\u3000\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f",
)


def _clean_text(text: str) -> bool:
    stripped = text.strip()
    return (
        stripped == text
        and text != ""
        and text.lower() not in EMPTY_MARKERS
        and not text.startswith(("=", "+", "-", "@"))
    )


def texts(max_size: int = 30) -> st.SearchStrategy[str]:
    """Free text as a clerk types it: trimmed, never an empty marker, never a formula."""
    return st.text(_SAFE_TEXT, min_size=1, max_size=max_size).filter(_clean_text)


def amounts(
    *, minimum: Decimal = Decimal(0), maximum: Decimal = Decimal(10**7), places: int = 2
) -> st.SearchStrategy[Decimal]:
    """Exact decimals that a spreadsheet stores and gives back unchanged."""
    return st.decimals(
        min_value=minimum, max_value=maximum, places=places, allow_nan=False, allow_infinity=False
    ).map(lambda d: d.normalize() if d == d.to_integral_value() else d)


def dates(
    start: dt.date = dt.date(1960, 1, 1), end: dt.date = INSPECTION_DATE
) -> st.SearchStrategy[dt.date]:
    return st.dates(min_value=start, max_value=end)


def languages() -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(st.sampled_from(_LANGUAGES), min_size=1, max_size=3, unique=True).map(tuple)


_ID_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_ID_ALPHABET = _ID_LETTERS + "0123456789-"


@cache
def _field_strategy(info_key: tuple[type[Record], str], currencies: tuple[str, ...]) -> Any:
    model, name = info_key
    return field_values(model.model_fields[name], currencies=currencies)


def field_values(
    info: FieldInfo, *, currencies: Sequence[str] = ("USD",)
) -> st.SearchStrategy[Any]:
    """Values of one field, from its kind; ``None`` too where the field is optional."""
    kind = kind_of(info)
    strategy: st.SearchStrategy[Any]
    if kind is Kind.ID:
        # A letter first, built rather than filtered: a filter that rejects a third of its
        # draws made hypothesis give up on most generated datasets.
        strategy = st.builds(
            operator.add, st.sampled_from(_ID_LETTERS), st.text(_ID_ALPHABET, max_size=7)
        )
    elif kind is Kind.TEXT:
        strategy = texts()
    elif kind is Kind.ENUM:
        marker = enum_of(info)
        assert marker is not None
        strategy = st.sampled_from(list(marker.enum))
    elif kind is Kind.BOOL:
        strategy = st.booleans()
    elif kind is Kind.AMOUNT:
        strategy = amounts()
    elif kind is Kind.WAGE:
        strategy = amounts(minimum=Decimal("50"), maximum=Decimal(20000))
    elif kind is Kind.RATE:
        strategy = amounts(minimum=Decimal("0.0001"), maximum=Decimal(1000), places=4)
    elif kind is Kind.NUMBER:
        bounds = bounds_of(info)
        top = bounds.maximum if bounds and bounds.maximum is not None else Decimal(1000)
        strategy = st.decimals(min_value=0, max_value=top, places=1).map(
            lambda d: d.normalize() if d == d.to_integral_value() else d
        )
    elif kind is Kind.DATE:
        strategy = dates()
    elif kind is Kind.COUNTRY:
        strategy = st.sampled_from(_COUNTRIES)
    elif kind is Kind.CURRENCY:
        strategy = st.sampled_from(list(currencies))
    elif kind is Kind.LANGUAGES:
        strategy = languages()
    else:  # pragma: no cover - every kind is listed above
        raise AssertionError(kind)
    return strategy if info.is_required() else st.none() | strategy


@cache
def _record_strategy(model: type[Record], currencies: tuple[str, ...]) -> Any:
    return st.fixed_dictionaries(
        {name: _field_strategy((model, name), currencies) for name in model.model_fields}
    )


def record_values(
    model: type[Record],
    fixed: Mapping[str, Any] | None = None,
    *,
    currencies: Sequence[str] = ("USD",),
    overrides: Mapping[str, st.SearchStrategy[Any]] | None = None,
) -> st.SearchStrategy[dict[str, Any]]:
    """Every field of ``model``: ``fixed`` values, ``overrides`` strategies, else by its kind."""
    if overrides:
        parts = {
            name: overrides.get(name, _field_strategy((model, name), tuple(currencies)))
            for name in model.model_fields
        }
        base: st.SearchStrategy[dict[str, Any]] = st.fixed_dictionaries(parts)
    else:
        base = _record_strategy(model, tuple(currencies))
    if not fixed:
        return base
    settled = dict(fixed)
    return base.map(lambda values: {**values, **settled})


def records(model: type[Record], **kwargs: Any) -> st.SearchStrategy[Record]:
    """Valid records of one sheet (references are not resolved: see :func:`datasets`)."""
    return record_values(model, **kwargs).map(model.model_validate)


@cache
def reference_fields(model: type[Record]) -> frozenset[str]:
    return frozenset(n for n, i in model.model_fields.items() if reference_of(i) is not None)


@cache
def _index(size: int) -> st.SearchStrategy[int]:
    return st.integers(0, size - 1)


def _draw_record(
    draw: st.DrawFn, model: type[Record], currencies: tuple[str, ...], **fixed: Any
) -> dict[str, Any]:
    """One record's values from the cached strategy, with ``fixed`` fields set after."""
    values: dict[str, Any] = draw(_record_strategy(model, currencies))
    values.update(fixed)
    return values


_REFUND_SHARES = (Decimal(0), Decimal("0.25"), Decimal("0.5"), Decimal(1))


def _valid_refund(draw: st.DrawFn, fee: dict[str, Any]) -> None:
    """A refund as the format allows: at most the row's amount, dated when above zero."""
    refund = fee["refunded_amount"]
    if refund is None:
        return
    if refund > fee["amount"]:
        share = draw(st.sampled_from(_REFUND_SHARES))
        refund = fee["refunded_amount"] = (fee["amount"] * share).quantize(Decimal("0.01"))
    if refund > 0 and fee["refunded_on"] is None:
        fee["refunded_on"] = fee["paid_on"] or INSPECTION_DATE


@st.composite
def datasets(
    draw: st.DrawFn,
    *,
    workers: tuple[int, int] = (1, 6),
    employers: tuple[int, int] = (1, 3),
    sectors: Sequence[Sector] | None = None,
    currencies: Sequence[str] = ("USD", "QAR"),
    profile: str | None = None,
    origin_country: str = "PH",
    max_per_worker: int = 3,
) -> AuditDataset:
    """Whole valid datasets: every sheet, consistent ids, references, rates and dates.

    Knobs: how many ``workers`` and ``employers`` (min, max), which
    ``sectors`` employers may be in, which ``currencies`` appear (the first
    is the audit currency), the jurisdiction ``profile`` (``None``: the
    origin country's), and how many contracts, fees and complaints a worker
    may have at most.
    """
    audit_currency = currencies[0]
    money = tuple(currencies)
    audit = _draw_record(
        draw,
        AuditInfo,
        money,
        audit_id=f"AU-{draw(_index(1000)):03d}",
        origin_country=origin_country,
        inspection_date=INSPECTION_DATE,
        currency=audit_currency,
        jurisdiction=profile,
    )
    if audit["licence_valid_until"] is not None and draw(st.booleans()):
        audit["licence_valid_until"] = INSPECTION_DATE + dt.timedelta(days=draw(_index(2000)))
    allowed_sectors = list(sectors or Sector)
    employer_rows = [
        _draw_record(
            draw,
            Employer,
            money,
            employer_id=f"E{i}",
            sector=allowed_sectors[draw(_index(len(allowed_sectors)))],
        )
        for i in range(draw(st.integers(*employers)))
    ]
    employer_ids = [row["employer_id"] for row in employer_rows]
    intermediary_rows = [
        _draw_record(draw, Intermediary, money, intermediary_id=f"I{i}")
        for i in range(draw(_index(3)))
    ]
    channel_rows = [
        _draw_record(draw, Channel, money, channel_id=f"CH{i}") for i in range(draw(_index(4)))
    ]
    worker_rows, contract_rows, fee_rows, complaint_rows = [], [], [], []
    for w in range(draw(st.integers(*workers))):
        worker_id = f"W{w}"
        worker = _draw_record(
            draw,
            Worker,
            money,
            worker_id=worker_id,
            employer_id=employer_ids[draw(_index(len(employer_ids)))],
        )
        if worker["monthly_wage_paid"] is not None and worker["wage_currency"] is None:
            worker["wage_currency"] = audit_currency
        born, left = worker["date_of_birth"], worker["deployment_date"]
        if born is not None and left is not None and born >= left:
            worker["deployment_date"] = None  # format 1.1: born before she leaves
        worker_rows.append(worker)
        for c in range(draw(_index(max_per_worker + 1))):
            contract_rows.append(
                _draw_record(
                    draw, Contract, money, contract_id=f"{worker_id}-C{c}", worker_id=worker_id
                )
            )
        for f in range(draw(_index(max_per_worker + 1))):
            fee = _draw_record(draw, Fee, money, fee_id=f"{worker_id}-F{f}", worker_id=worker_id)
            if fee["paid_to"] is Payee.INTERMEDIARY or fee["intermediary_id"] is not None:
                if intermediary_rows:
                    fee["paid_to"] = Payee.INTERMEDIARY
                    pick = draw(_index(len(intermediary_rows)))
                    fee["intermediary_id"] = intermediary_rows[pick]["intermediary_id"]
                else:
                    fee["paid_to"], fee["intermediary_id"] = Payee.AGENCY, None
            _valid_refund(draw, fee)
            fee_rows.append(fee)
        for k in range(draw(_index(2))):
            filed = draw(dates(start=dt.date(2024, 1, 1)))
            resolved = draw(st.none() | dates(start=filed))
            channel = None
            named: bool = draw(st.booleans())
            if channel_rows and named:
                channel = channel_rows[draw(_index(len(channel_rows)))]["channel_id"]
            complaint_rows.append(
                _draw_record(
                    draw,
                    Complaint,
                    money,
                    complaint_id=f"{worker_id}-K{k}",
                    worker_id=worker_id,
                    filed_on=filed,
                    resolved_on=resolved,
                    channel_id=channel,
                )
            )
    fx_rows = [{"currency": code, "rate": draw(_RATES)} for code in currencies[1:]]
    if profile and profile.upper() == "NP" and "NPR" not in currencies:
        fx_rows.append({"currency": "NPR", "rate": Decimal("0.0075")})
    return AuditDataset(
        audit=AuditInfo.model_validate(audit),
        employers=tuple(Employer.model_validate(r) for r in employer_rows),
        workers=tuple(Worker.model_validate(r) for r in worker_rows),
        contracts=tuple(Contract.model_validate(r) for r in contract_rows),
        fees=tuple(Fee.model_validate(r) for r in fee_rows),
        intermediaries=tuple(Intermediary.model_validate(r) for r in intermediary_rows),
        channels=tuple(Channel.model_validate(r) for r in channel_rows),
        complaints=tuple(Complaint.model_validate(r) for r in complaint_rows),
        fx=tuple(FxRate.model_validate(r) for r in fx_rows),
    )
