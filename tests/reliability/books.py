"""Eight distinct inspections, each a variation of ``tests.builders.base_book``.

They differ in everything an audit could leak into another: audit id,
agency, worker ids and count, jurisdiction profile (PH, NP, ilo), audit
currency, and which rules fire. ``EXPECTED`` names rules each one must
fire, so a test can tell an audit that lost its own findings, and the
findings are disjoint enough that one audit's finding in another's result
would change its JSON.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from tests.builders import Book, base_book, write_book


def _fee(
    fee_id: str, worker_id: str, category: str, amount: float, currency: str, **more: Any
) -> dict[str, Any]:
    """A worker-paid fee row to the agency, with a receipt, unless ``more`` says otherwise."""
    row: dict[str, Any] = {
        "fee_id": fee_id,
        "worker_id": worker_id,
        "category": category,
        "description": f"{category} {fee_id}",
        "amount": amount,
        "currency": currency,
        "paid_by": "worker",
        "paid_to": "agency",
        "intermediary_id": None,
        "paid_on": dt.date(2024, 12, 10),
        "deducted_from_wages": "no",
        "receipt_issued": "yes",
        "financed_by_loan": "no",
    }
    row.update(more)
    return row


def _renamed(book: Book, prefix: str) -> Book:
    """Give the base book's workers, contracts and fees ids of this variant's own."""
    for worker in book["Workers"]:
        worker["worker_id"] = f"{prefix}{worker['worker_id']}"
    for table in ("Contracts", "Fees"):
        for row in book[table]:
            row["worker_id"] = f"{prefix}{row['worker_id']}"
            key = "contract_id" if table == "Contracts" else "fee_id"
            row[key] = f"{prefix}{row[key]}"
    return book


def _audit(book: Book, audit_id: str, agency: str) -> Book:
    book["Audit"]["audit_id"] = audit_id
    book["Audit"]["agency_name"] = agency
    return book


def clean_ph() -> Book:
    """The base inspection as it is: PH profile, nothing fires."""
    return _audit(_renamed(base_book(), "A-"), "R-PH-CLEAN", "Clean Placement Ltd")


def ph_fees() -> Book:
    """PH: a placement fee over one month's wage, deducted from wages, without a receipt."""
    book = _audit(_renamed(base_book(), "B-"), "R-PH-FEES", "Overcharge Manpower Inc")
    book["Fees"].append(
        _fee("B-F3", "B-W1", "recruitment_fee", 900, "USD", deducted_from_wages="yes")
    )
    book["Fees"].append(_fee("B-F4", "B-W2", "training", 300, "QAR", receipt_issued="no"))
    return book


def np_free_visa() -> Book:
    """NP: Nepali workers in Qatar charged over the NPR 10,000 cap and for their air ticket."""
    book = _audit(_renamed(base_book(), "C-"), "R-NP-01", "Himalaya Foreign Employment")
    book["Audit"].update(origin_country="NP", currency="NPR")
    for worker in book["Workers"]:
        worker.update(nationality="NP", languages="ne", briefing_languages="ne")
        worker["wage_currency"] = "QAR"
        worker["monthly_wage_paid"] = 1800
    for contract in book["Contracts"]:
        contract.update(languages="ne", currency="QAR", monthly_wage=1800)
    book["Fees"] = [
        _fee("C-F1", "C-W1", "recruitment_fee", 25000, "NPR"),
        _fee("C-F2", "C-W2", "travel", 60000, "NPR", paid_to="provider"),
        _fee("C-F3", "C-W2", "medical", 5000, "NPR", paid_to="provider"),
    ]
    book["Channels"][0]["languages"] = "ne, en"
    book["FX"] = [{"currency": "QAR", "rate": 36.5}]
    return book


def ilo_deposit_debt() -> Book:
    """ilo (explicit): a deposit, a borrowed related cost, one more worker."""
    book = _audit(_renamed(base_book(), "D-"), "R-ILO-DEBT", "Baseline Staffing SA")
    book["Audit"]["jurisdiction"] = "ilo"
    book["Workers"].append(
        {
            **book["Workers"][0],
            "worker_id": "D-W3",
            "sex": "male",
            "date_of_birth": dt.date(1988, 11, 20),
        }
    )
    book["Contracts"].append({**book["Contracts"][0], "contract_id": "D-C3", "worker_id": "D-W3"})
    book["Fees"] += [
        _fee("D-F3", "D-W1", "deposit", 200, "USD"),
        _fee("D-F4", "D-W3", "skills_test", 700, "USD", financed_by_loan="yes"),
    ]
    return book


def forced_labour() -> Book:
    """Domestic work with documents kept, wages withheld and an exit permit: FL-01 by chaining."""
    book = _audit(_renamed(base_book(), "E-"), "R-FL-01", "Household Helpers Agency")
    book["Employers"][0].update(
        sector="domestic_work", exit_permit_required="yes", job_change_requires_consent="yes"
    )
    book["Workers"][0].update(passport_held_by="employer", wages_withheld="yes")
    book["Channels"][0]["open_to_domestic_workers"] = "no"
    return book


def complaints() -> Book:
    """Complaints: a penalised complainant, an unanswered harassment complaint, a broker."""
    book = _audit(_renamed(base_book(), "F-"), "R-COMP-01", "Quiet Channels Ltd")
    book["Intermediaries"] = [{"intermediary_id": "I1", "name": "Sub-agent One", "licensed": "no"}]
    book["Fees"].append(
        _fee(
            "F-F3",
            "F-W2",
            "personal_documents",
            40,
            "USD",
            paid_to="intermediary",
            intermediary_id="I1",
        )
    )
    book["Complaints"] = [
        {
            "complaint_id": "K1",
            "worker_id": "F-W1",
            "channel_id": "CH1",
            "category": "wages",
            "filed_on": dt.date(2026, 1, 5),
            "resolved_on": dt.date(2026, 1, 12),
            "worker_penalised": "yes",
        },
        {
            "complaint_id": "K2",
            "worker_id": "F-W2",
            "channel_id": "CH1",
            "category": "harassment",
            "filed_on": dt.date(2026, 2, 1),
            "resolved_on": None,
            "worker_penalised": "no",
        },
    ]
    return book


def substitution() -> Book:
    """Contract substitution at destination, long hours, no rest day, no licence."""
    book = _audit(_renamed(base_book(), "G-"), "R-CON-04", "Swapped Contracts Co")
    book["Audit"]["agency_licence_number"] = None
    book["Contracts"].append(
        {
            **book["Contracts"][0],
            "contract_id": "G-C3",
            "stage": "destination",
            "signed_on": dt.date(2025, 1, 15),
            "monthly_wage": 350,
            "weekly_hours": 72,
            "weekly_rest_days": 0,
        }
    )
    return book


def many_young() -> Book:
    """Six workers, one under 18 at deployment, one never briefed, and no complaint channel."""
    book = _audit(base_book(), "R-AGE-01", "Youth Abroad Recruiters")
    template_worker, template_contract = book["Workers"][0], book["Contracts"][0]
    book["Workers"], book["Contracts"], book["Fees"] = [], [], []
    for number in range(1, 7):
        book["Workers"].append(
            {
                **template_worker,
                "worker_id": f"H-{number:03d}",
                "date_of_birth": dt.date(1990 + number, number, 10 + number),
            }
        )
        book["Contracts"].append(
            {**template_contract, "contract_id": f"H-C{number}", "worker_id": f"H-{number:03d}"}
        )
    book["Workers"][5]["date_of_birth"] = dt.date(2008, 6, 1)
    book["Workers"][2]["briefing_received"] = "no"
    book["Channels"] = []
    book["FX"] = []
    return book


VARIANTS = {
    "clean_ph": clean_ph,
    "ph_fees": ph_fees,
    "np_free_visa": np_free_visa,
    "ilo_deposit_debt": ilo_deposit_debt,
    "forced_labour": forced_labour,
    "complaints": complaints,
    "substitution": substitution,
    "many_young": many_young,
}

#: Rules each variant must fire (it may fire more); the clean one fires none.
EXPECTED: dict[str, set[str]] = {
    "clean_ph": set(),
    "ph_fees": {"FEE-06", "FEE-04", "FEE-05", "FEE-02"},
    "np_free_visa": {"FEE-06", "FEE-02"},
    "ilo_deposit_debt": {"FEE-03", "FEE-02", "DEBT-01"},
    "forced_labour": {"DOC-01", "WAGE-02", "MOB-01", "MOB-02", "COMP-04", "FL-01"},
    "complaints": {"COMP-06", "COMP-08", "LIC-02"},
    "substitution": {"CON-04", "HOURS-01", "REST-01", "LIC-01"},
    "many_young": {"AGE-01", "INFO-01", "COMP-01"},
}

#: The jurisdiction profile each variant must be audited under.
JURISDICTION = {
    "np_free_visa": "NP",
    "ilo_deposit_debt": "ilo",
}


def write_variants(folder: Path) -> dict[str, Path]:
    """Every variant as a real xlsx in ``folder``, by name."""
    return {name: write_book(folder / f"{name}.xlsx", make()) for name, make in VARIANTS.items()}
