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
from collections.abc import Mapping, Sequence
from decimal import Decimal
from functools import cache
from typing import Any

from hypothesis import strategies as st
from pydantic.fields import FieldInfo

from auditor.model.columns import Kind, bounds_of, enum_of, kind_of, reference_of
from auditor.model.dataset import AuditDataset
from auditor.model.enums import ContractStage, FeeCategory, Payee, Sector
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


def field_values(
    info: FieldInfo, *, currencies: Sequence[str] = ("USD",)
) -> st.SearchStrategy[Any]:
    """Values of one field, from its kind; ``None`` too where the field is optional."""
    kind = kind_of(info)
    strategy: st.SearchStrategy[Any]
    if kind is Kind.ID:
        strategy = st.from_regex(r"[A-Z][A-Z0-9\-]{0,7}", fullmatch=True)
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


def record_values(
    model: type[Record],
    fixed: Mapping[str, Any] | None = None,
    *,
    currencies: Sequence[str] = ("USD",),
    overrides: Mapping[str, st.SearchStrategy[Any]] | None = None,
) -> st.SearchStrategy[dict[str, Any]]:
    """Every field of ``model``: ``fixed`` values, ``overrides`` strategies, else by its kind."""
    fixed = dict(fixed or {})
    overrides = dict(overrides or {})
    parts: dict[str, st.SearchStrategy[Any]] = {}
    for name, info in model.model_fields.items():
        if name in fixed:
            parts[name] = st.just(fixed[name])
        elif name in overrides:
            parts[name] = overrides[name]
        else:
            parts[name] = field_values(info, currencies=currencies)
    return st.fixed_dictionaries(parts)


def records(model: type[Record], **kwargs: Any) -> st.SearchStrategy[Record]:
    """Valid records of one sheet (references are not resolved: see :func:`datasets`)."""
    return record_values(model, **kwargs).map(model.model_validate)


@cache
def reference_fields(model: type[Record]) -> frozenset[str]:
    return frozenset(n for n, i in model.model_fields.items() if reference_of(i) is not None)


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
    audit = draw(
        record_values(
            AuditInfo,
            {
                "audit_id": draw(st.from_regex(r"[A-Z]{2}-20[0-9]{2}-[0-9]{3}", fullmatch=True)),
                "origin_country": origin_country,
                "inspection_date": INSPECTION_DATE,
                "currency": audit_currency,
                "jurisdiction": profile,
            },
            overrides={"licence_valid_until": st.none() | dates(end=dt.date(2030, 12, 31))},
        )
    )
    sector_strategy = st.sampled_from(list(sectors or Sector))
    employer_rows = [
        draw(
            record_values(Employer, {"employer_id": f"E{i}"}, overrides={"sector": sector_strategy})
        )
        for i in range(draw(st.integers(*employers)))
    ]
    employer_ids = [row["employer_id"] for row in employer_rows]
    intermediary_rows = [
        draw(record_values(Intermediary, {"intermediary_id": f"I{i}"}))
        for i in range(draw(st.integers(0, 2)))
    ]
    channel_rows = [
        draw(record_values(Channel, {"channel_id": f"CH{i}"}))
        for i in range(draw(st.integers(0, 3)))
    ]
    worker_rows, contract_rows, fee_rows, complaint_rows = [], [], [], []
    for w in range(draw(st.integers(*workers))):
        worker_id = f"W{w}"
        worker = draw(
            record_values(
                Worker,
                {"worker_id": worker_id},
                currencies=currencies,
                overrides={"employer_id": st.sampled_from(employer_ids)},
            )
        )
        if worker["monthly_wage_paid"] is not None and worker["wage_currency"] is None:
            worker["wage_currency"] = audit_currency
        worker_rows.append(worker)
        for c in range(draw(st.integers(0, max_per_worker))):
            contract_rows.append(
                draw(
                    record_values(
                        Contract,
                        {"contract_id": f"{worker_id}-C{c}", "worker_id": worker_id},
                        currencies=currencies,
                        overrides={"stage": st.sampled_from(list(ContractStage))},
                    )
                )
            )
        for f in range(draw(st.integers(0, max_per_worker))):
            fee = draw(
                record_values(
                    Fee,
                    {"fee_id": f"{worker_id}-F{f}", "worker_id": worker_id},
                    currencies=currencies,
                    overrides={"category": st.sampled_from(list(FeeCategory))},
                )
            )
            if fee["paid_to"] is Payee.INTERMEDIARY or fee["intermediary_id"] is not None:
                if intermediary_rows:
                    fee["paid_to"] = Payee.INTERMEDIARY
                    fee["intermediary_id"] = draw(
                        st.sampled_from([r["intermediary_id"] for r in intermediary_rows])
                    )
                else:
                    fee["paid_to"], fee["intermediary_id"] = Payee.AGENCY, None
            fee_rows.append(fee)
        for k in range(draw(st.integers(0, 1))):
            filed = draw(dates(start=dt.date(2024, 1, 1)))
            resolved = draw(st.none() | dates(start=filed))
            channel = (
                st.none() | st.sampled_from([r["channel_id"] for r in channel_rows])
                if channel_rows
                else st.none()
            )
            complaint_rows.append(
                draw(
                    record_values(
                        Complaint,
                        {
                            "complaint_id": f"{worker_id}-K{k}",
                            "worker_id": worker_id,
                            "filed_on": filed,
                            "resolved_on": resolved,
                        },
                        overrides={"channel_id": channel},
                    )
                )
            )
    fx_rows = [
        {
            "currency": code,
            "rate": draw(amounts(minimum=Decimal("0.0001"), maximum=Decimal(500), places=4)),
        }
        for code in currencies[1:]
    ]
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
