"""Datasets on which no rule may fire: an agency that keeps every norm of the rule pack.

What a compliant value of a column is comes from the rule files
(:mod:`auditor.testing.derived`): every column a rule's condition reads as
written (an employer's ``exit_permit_required``, a channel's
``response_days``, a complaint's ``worker_penalised``) is set, record by
record, to a value that no rule's condition fires on. So a rule over any
field of the vocabulary is kept here without a line of Python, and the
stock property "never fires on a compliant dataset" still catches a rule
whose condition fires on what another rule's keeps (or on what the
structure below keeps).

What rests on derived values is kept by the structure of the records drawn
here, from the catalogue's definitions: fees borne by others, nothing or
what the profile allows; contracts no worse than the origin one; wages
paid as agreed; complaints answered within their limit; adults.

Values that no rule judges come from the column kinds of the pydantic
models (as :func:`~auditor.testing.strategies.datasets`), so they stay in
step with the format. Values that rules judge are drawn on the compliant
side, often exactly at the boundary, where an off-by-one threshold shows:
a worker who turned 18 on the day she left, 60 weekly hours under a limit
of 60, a wage paid of exactly 0.99 times the contract's, a complaint
answered on the channel's last day, a fee equal to the cap.

``unknowns=True`` also blanks some values where empty means "not
recorded": those may give data gaps, never findings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from auditor.base.resources import default_rules_dir
from auditor.engine.pack import rule_pack
from auditor.ingest.data import check_data
from auditor.model.dataset import AuditDataset
from auditor.model.destinations import NO_DESTINATIONS, DestinationSet, load_destinations
from auditor.model.enums import FeeCategory, Payee, Payer, Sector
from auditor.model.profiles import NEVER_PAYABLE, Profile, ProfileSet, load_profiles
from auditor.model.records import (
    AuditInfo,
    Channel,
    Complaint,
    Contract,
    Employer,
    Fee,
    Intermediary,
    Record,
    Worker,
)
from auditor.model.sheets import TABLE_SHEETS
from auditor.testing.cells import blankable
from auditor.testing.derived import keep_rules
from auditor.testing.strategies import INSPECTION_DATE, amounts, dates, field_values, texts

#: Destinations to draw from: the ones the shipped profiles single out, and others.
DESTINATIONS = ("QA", "SA", "AE", "KW", "BH", "OM", "MY", "HK", "SG", "GB", "NO", "JO", "LB")
LANGUAGES = ("en", "tl", "ne", "id", "ar", "hi")
#: Related costs a profile may let a worker pay (never recruitment fees, deposits, bribes).
RELATED_COSTS = tuple(
    c for c in FeeCategory if c not in NEVER_PAYABLE and c is not FeeCategory.RECRUITMENT_FEE
)
_BORNE_BY_OTHERS = (Payer.EMPLOYER, Payer.AGENCY, Payer.GOVERNMENT)
_DEFAULT_LIMIT = Decimal(30)
_PAYEES = st.sampled_from([p for p in Payee if p is not Payee.INTERMEDIARY])
_COMMON_LANGUAGES = st.lists(st.sampled_from(LANGUAGES), min_size=1, max_size=2, unique=True)
_EXTRA_LANGUAGES = st.lists(st.sampled_from(LANGUAGES), max_size=2)
_LICENCE_DAYS = st.decimals(0, 3000, places=0)
_REST = st.decimals(1, 7, places=1)
_RAISE = st.decimals(1, 3, places=2)
_COST = amounts(minimum=Decimal("0.01"), maximum=Decimal(5000))


def profiles_of(rules_dir: str | Path | None) -> ProfileSet:
    return load_profiles(Path(rules_dir).resolve() if rules_dir else default_rules_dir())


def _record(draw: st.DrawFn, model: type[Record], **values: Any) -> dict[str, Any]:
    """Every field of ``model``: the given values (or strategies), the rest by column kind."""
    record: dict[str, Any] = draw(_free_fields(model, frozenset(values)))
    for name, value in values.items():
        record[name] = draw(value) if isinstance(value, st.SearchStrategy) else value
    return record


@cache
def _free_fields(model: type[Record], given: frozenset[str]) -> st.SearchStrategy[dict[str, Any]]:
    """The fields a caller does not set, each by its column kind (built once: strategies
    are costly to build and check, cheap to draw from)."""
    return st.fixed_dictionaries(
        {name: field_values(info) for name, info in model.model_fields.items() if name not in given}
    )


def _boundary(draw: st.DrawFn, edge: Decimal, other: st.SearchStrategy[Decimal]) -> Decimal:
    """Exactly ``edge`` about half the time: an off-by-one threshold shows there."""
    return edge if draw(st.booleans()) else draw(other)


def _pick(draw: st.DrawFn, items: Sequence[Any]) -> Any:
    """One of ``items`` (drawing an index: cheaper than building a strategy per call)."""
    return items[draw(st.integers(0, len(items) - 1))]


def _maybe(draw: st.DrawFn, strategy: st.SearchStrategy[Any]) -> Any:
    return None if draw(st.booleans()) else draw(strategy)


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February: born on the 28th she is that age on the 29th
        return dt.date(day.year - years, 2, 28)


@st.composite
def compliant_datasets(
    draw: st.DrawFn,
    profile: str = "ilo",
    *,
    workers: tuple[int, int] = (1, 3),
    sectors: Sequence[Sector] | None = None,
    currencies: Sequence[str] = ("USD", "PHP"),
    unknowns: bool = False,
    rules_dir: str | Path | None = None,
) -> AuditDataset:
    """Valid datasets that break no norm of the catalogue under ``profile``.

    Knobs as :func:`~auditor.testing.strategies.datasets`: the number of
    ``workers`` (min, max), the ``sectors`` employers may be in, the
    ``currencies`` (the first is the audit currency), the jurisdiction
    ``profile`` (read from ``rules_dir``'s profiles, the shipped ones by
    default); ``unknowns`` blanks some recorded values.
    """
    profiles = profiles_of(rules_dir)
    found = profiles.get(profile)
    if found is None:
        raise ValueError(f"no profile {profile!r}; choose one of {', '.join(profiles.ids())}")
    law: Profile = found
    rates = {
        code: draw(amounts(minimum=Decimal("0.0001"), maximum=Decimal(500), places=4))
        for code in currencies[1:]
    }
    for code in sorted(law.cap_currencies() - {currencies[0]} - set(rates)):
        rates[code] = draw(amounts(minimum=Decimal("0.0001"), maximum=Decimal(1), places=4))
    data: dict[str, Any] = {
        "audit": _record(
            draw,
            AuditInfo,
            audit_id="CP-0001",
            agency_licence_number=texts(),
            licence_valid_until=INSPECTION_DATE
            + dt.timedelta(days=int(_boundary(draw, Decimal(0), _LICENCE_DAYS))),
            jurisdiction=law.id,
            inspection_date=INSPECTION_DATE,
            currency=currencies[0],
        ),
        "fx": [{"currency": code, "rate": rate} for code, rate in rates.items()],
        "intermediaries": [],
    }
    common: list[str] = draw(_COMMON_LANGUAGES)
    data["employers"] = [
        _record(
            draw,
            Employer,
            employer_id=f"E{n}",
            sector=_pick(draw, list(sectors or Sector)),
            destination_country=_pick(draw, DESTINATIONS),
        )
        for n in range(1, draw(st.integers(1, 2)) + 1)
    ]
    data["channels"] = [
        _record(
            draw,
            Channel,
            channel_id=f"CH{n}",
            languages=tuple(dict.fromkeys([*common, *draw(_EXTRA_LANGUAGES)])),
            confidential=True,
            women_staff_available=True,
            open_to_domestic_workers=True,
        )
        for n in range(1, draw(st.integers(1, 2)) + 1)
    ]
    for key in ("workers", "contracts", "fees", "complaints"):
        data[key] = []
    for n in range(1, draw(st.integers(*workers)) + 1):
        _worker(
            draw,
            data,
            law,
            worker_id=f"W{n}",
            common=common,
            currencies=tuple(currencies),
            destinations=load_destinations(
                Path(rules_dir).resolve() if rules_dir else default_rules_dir()
            ),
        )
    if unknowns:
        _blank_some(draw, data)
    keep_rules(data, rule_pack(rules_dir))
    dataset, report = check_data(data, profiles)
    if dataset is None:  # pragma: no cover - a defect of this generator, shown in full
        raise AssertionError(
            "compliant_datasets made an invalid dataset:\n"
            + "\n".join(str(problem) for problem in report.errors)
        )
    return dataset


def _worker(
    draw: st.DrawFn,
    data: dict[str, Any],
    law: Profile,
    *,
    worker_id: str,
    common: list[str],
    currencies: tuple[str, ...],
    destinations: DestinationSet = NO_DESTINATIONS,
) -> None:
    """One compliant worker with her contracts, fees and complaints, appended to ``data``."""
    employer = _pick(draw, data["employers"])
    languages = tuple(dict.fromkeys([_pick(draw, common), *draw(_EXTRA_LANGUAGES)]))
    deployed = draw(dates(dt.date(2010, 1, 1)))
    born = _years_before(deployed, 18 + draw(st.integers(0, 40))) - dt.timedelta(
        days=draw(st.one_of(st.just(0), st.integers(0, 364)))
    )
    currency = _pick(draw, currencies)
    wage = draw(amounts(minimum=Decimal(50), maximum=Decimal(20000)))
    limit = law.weekly_hours_limit
    hours = _boundary(draw, limit, st.decimals(0, limit, places=1))
    rest = _boundary(draw, Decimal(1), _REST)
    terms = {
        "worker_id": worker_id,
        "languages": languages[:1],
        "termination_penalty": Decimal(0),
        "currency": currency,
    }
    wages = [wage]
    number = 0
    for number in range(1, draw(st.integers(1, 2)) + 1):
        data["contracts"].append(
            _record(
                draw,
                Contract,
                contract_id=f"{worker_id}-C{number}",
                stage="origin",
                signed_on=_maybe(draw, dates(end=deployed)),
                monthly_wage=wage,
                weekly_hours=hours,
                weekly_rest_days=rest,
                **terms,
            )
        )
    if draw(st.booleans()):  # a destination contract no worse than the origin one
        better = _boundary(draw, Decimal("0.99"), _RAISE)
        wages.append(wage * better)
        data["contracts"].append(
            _record(
                draw,
                Contract,
                contract_id=f"{worker_id}-C{number + 1}",
                stage="destination",
                signed_on=_maybe(draw, dates(start=deployed)),
                monthly_wage=wage * better,
                weekly_hours=hours - _boundary(draw, Decimal(0), st.decimals(0, hours, places=1)),
                weekly_rest_days=rest
                + _boundary(draw, Decimal(0), st.decimals(0, 7 - rest, places=1)),
                **terms,
            )
        )
    paid = max(wages) * _boundary(draw, Decimal("0.99"), _RAISE)
    data["workers"].append(
        _record(
            draw,
            Worker,
            worker_id=worker_id,
            employer_id=employer["employer_id"],
            languages=languages,
            date_of_birth=born,
            deployment_date=deployed,
            monthly_wage_paid=paid,
            wage_currency=currency,
            briefing_languages=languages[:1],
        )
    )
    _fees(
        draw,
        data,
        law,
        worker_id=worker_id,
        employer=employer,
        origin_wage=wage,
        wage_currency=currency,
        currencies=currencies,
        destinations=destinations,
    )
    if draw(st.booleans()):
        _complaint(draw, data, worker_id)


def _fees(
    draw: st.DrawFn,
    data: dict[str, Any],
    law: Profile,
    *,
    worker_id: str,
    employer: dict[str, Any],
    origin_wage: Decimal,
    wage_currency: str,
    currencies: tuple[str, ...],
    destinations: DestinationSet = NO_DESTINATIONS,
) -> None:
    """Fees nobody may object to: borne by others, zero, or what the profile lets her pay.

    About half the workers whom the profile lets pay some costs pay every one of them, a
    row each: a rule that forgets what the profile allows (and fires on a cost she may
    lawfully pay) shows on any such worker, not only on the few a random draw would give.
    """
    sector, destination = Sector(employer["sector"]), employer["destination_country"]
    payable = [c for c in RELATED_COSTS if law.may_pay(c, sector, destination)]
    allowance = law.fee_allowance(sector, destination)
    corridor = destinations.for_worker(destination, sector)
    if corridor is not None:  # catalogue 1.3: the destination's law too (DEST-01)
        payable = [c for c in payable if corridor.may_bear(c, sector, origin_allows=True)]
        allowance = None  # a fee within both caps is possible, but not drawn here
    kinds = ["others", "zero"] + ["payable"] * bool(payable) + ["capped"] * bool(allowance)
    planned: list[tuple[str, FeeCategory | None]] = []
    for _ in range(draw(st.integers(0, 3))):
        kind = _pick(draw, kinds)
        if kind == "capped":  # one fee up to the cap; two could exceed it together
            kinds.remove("capped")
        planned.append((kind, None))
    if bool(payable) and draw(st.booleans()):
        planned += [("payable", category) for category in payable]
    for number, (kind, category) in enumerate(planned, start=1):
        row: dict[str, Any] = {
            "fee_id": f"{worker_id}-F{number}",
            "worker_id": worker_id,
            "currency": _pick(draw, currencies),
            "paid_to": _maybe(draw, _PAYEES),
            "intermediary_id": None,
            "refunded_amount": None,  # refunds change money owed only; none here
            "refunded_on": None,
        }
        if kind == "others":
            row |= {"paid_by": _pick(draw, _BORNE_BY_OTHERS), "deducted_from_wages": False}
        elif kind == "zero":  # a zero row is no charge, whoever paid it
            row |= {"paid_by": Payer.WORKER, "amount": Decimal(0)}
        else:
            row |= {
                "paid_by": Payer.WORKER,
                "deducted_from_wages": False,
                "receipt_issued": True,
                "financed_by_loan": False,
            }
            if kind == "payable":
                row |= {"category": category or _pick(draw, payable), "amount": draw(_COST)}
            else:
                assert allowance is not None
                cap = allowance.cap
                top = (
                    cap.amount
                    if cap.amount is not None
                    else origin_wage * (cap.months_of_origin_wage or 0)
                )
                row |= {
                    "category": FeeCategory.RECRUITMENT_FEE,
                    "currency": cap.currency or wage_currency,
                    "amount": _boundary(draw, top, st.decimals(Decimal("0.01"), top, places=2)),
                }
        if draw(st.integers(0, 3)) == 0:  # through a licensed sub-agent
            intermediary_id = f"I{len(data['intermediaries']) + 1}"
            data["intermediaries"].append(
                _record(draw, Intermediary, intermediary_id=intermediary_id, licensed=True)
            )
            row |= {"paid_to": Payee.INTERMEDIARY, "intermediary_id": intermediary_id}
        data["fees"].append(_record(draw, Fee, **row))


def _complaint(draw: st.DrawFn, data: dict[str, Any], worker_id: str) -> None:
    """A complaint answered within its channel's time, and no penalty for making it."""
    channel = None if draw(st.booleans()) else _pick(draw, data["channels"])
    days = channel["response_days"] if channel is not None else None
    limit = int(min(days, 90) if days is not None else _DEFAULT_LIMIT)  # at most 90 (1.2)
    taken = _boundary(draw, Decimal(limit), st.decimals(0, limit, places=0))
    if draw(st.booleans()):  # still open, filed no longer ago than the limit
        filed, resolved = INSPECTION_DATE - dt.timedelta(days=int(taken)), None
    else:
        resolved = draw(dates(dt.date(2024, 1, 1)))
        filed = resolved - dt.timedelta(days=int(taken))
    data["complaints"].append(
        _record(
            draw,
            Complaint,
            complaint_id=f"{worker_id}-K1",
            worker_id=worker_id,
            channel_id=channel["channel_id"] if channel is not None else None,
            filed_on=filed,
            resolved_on=resolved,
        )
    )


def _blank_some(draw: st.DrawFn, data: dict[str, Any]) -> None:
    """Blank about one in four recorded values where empty means "not recorded"."""
    columns = blankable()
    targets: list[tuple[dict[str, Any], str]] = [
        (data["audit"], name) for name in sorted(columns["Audit"]) if data["audit"].get(name)
    ]
    for spec in TABLE_SHEETS:
        for row in data.get(spec.key, []):
            targets += [
                (row, name) for name in sorted(columns[spec.name]) if row.get(name) is not None
            ]
    for row, name in targets:
        if draw(st.integers(0, 3)) == 0:
            row[name] = None
