"""Writes the sample inspection workbooks of ``sample_audits/`` reproducibly.

``python sample_audits/generate.py`` (or ``make samples``) rewrites:

- ``compliant-agency.xlsx``: an agency that keeps every rule, every value recorded;
- ``agency-with-problems.xlsx``: 40 workers, three employers, fees in USD and
  PHP, wages in USD and QAR, with problems planted under every paragraph
  (11, 16, 26, 30) and some values left unrecorded (data gaps);
- ``invalid-workbook.xlsx``: the problem agency with typical clerical mistakes
  planted (see ``README.md`` for each one and the cell it is in);
- ``agency-follow-up.xlsx``: the problem agency inspected again, a follow-up
  (some findings fixed, some refunds, one new problem, one worker gone).

Every planted fact is written out below, so the expected results in
``expected/`` can be checked by hand against this file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from decimal import Decimal as D
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from auditor.ingest.template import save_reproducibly, write_workbook
from auditor.model.dataset import AuditDataset
from auditor.model.enums import PassportHolder
from auditor.model.records import (
    AuditInfo,
    Channel,
    Complaint,
    Contract,
    Employer,
    Fee,
    FxRate,
    Intermediary,
    Worker,
)

INSPECTION = dt.date(2026, 6, 30)
PROFILES = ("ID", "ilo", "NP", "PH")


def _worker(worker_id: str, **fields: Any) -> Worker:
    base: dict[str, Any] = {
        "worker_id": worker_id,
        "sex": "female",
        "date_of_birth": dt.date(1994, 5, 17),
        "nationality": "PH",
        "employer_id": "E01",
        "languages": "tl, en",
        "deployment_date": dt.date(2025, 3, 1),
        "monthly_wage_paid": D(500),
        "wage_currency": "USD",
        "briefing_received": True,
        "briefing_languages": "tl",
        "passport_held_by": "worker",
        "wages_withheld": False,
    }
    return Worker.model_validate(base | fields)


def _contract(contract_id: str, worker_id: str, **fields: Any) -> Contract:
    base: dict[str, Any] = {
        "contract_id": contract_id,
        "worker_id": worker_id,
        "stage": "origin",
        "signed_on": dt.date(2025, 2, 1),
        "languages": "tl, en",
        "copy_given_to_worker": True,
        "monthly_wage": D(500),
        "currency": "USD",
        "weekly_hours": D(48),
        "weekly_rest_days": D(1),
        "worker_may_terminate_for_abuse": True,
        "termination_penalty": D(0),
        "passport_retention_clause": False,
    }
    return Contract.model_validate(base | fields)


def _fee(
    fee_id: str, worker_id: str, category: str, amount: str, currency: str, **fields: Any
) -> Fee:
    base: dict[str, Any] = {
        "fee_id": fee_id,
        "worker_id": worker_id,
        "category": category,
        "amount": D(amount),
        "currency": currency,
        "paid_by": "employer",
        "paid_to": "provider",
        "paid_on": dt.date(2025, 2, 10),
        "deducted_from_wages": False,
        "receipt_issued": True,
        "financed_by_loan": False,
    }
    return Fee.model_validate(base | fields)


# -- the compliant agency ------------------------------------------------------------------


def compliant_agency() -> AuditDataset:
    """Twelve workers with two employers; every rule kept and every value recorded."""
    employers = (
        Employer(
            employer_id="E1",
            name="Pearl Bay Hotels",
            destination_country="QA",
            sector="hospitality",
            permit_tied_to_employer=False,
            job_change_requires_consent=False,
            exit_permit_required=False,
            independent_residency_route=True,
        ),
        Employer(
            employer_id="E2",
            name="Harbour View Care",
            destination_country="HK",
            sector="care",
            permit_tied_to_employer=False,
            job_change_requires_consent=False,
            exit_permit_required=False,
            independent_residency_route=True,
        ),
    )
    workers, contracts, fees = [], [], []
    for n in range(1, 13):
        worker_id = f"MF-{n:03d}"
        employer = "E1" if n <= 7 else "E2"
        wage = D(600) if employer == "E1" else D(4800)
        currency = "USD" if employer == "E1" else "HKD"
        workers.append(
            _worker(
                worker_id,
                sex="female" if n % 4 else "male",
                employer_id=employer,
                date_of_birth=dt.date(1985 + n, 1 + n % 12, 10),
                monthly_wage_paid=wage,
                wage_currency=currency,
                briefing_languages="tl, en",
                deployment_date=dt.date(2025, 1 + n % 6, 5),
            )
        )
        contracts.append(
            _contract(
                f"MF-C{n:03d}",
                worker_id,
                monthly_wage=wage,
                currency=currency,
                signed_on=dt.date(2024, 11, 1 + n),
            )
        )
        contracts.append(
            _contract(
                f"MF-D{n:03d}",
                worker_id,
                stage="destination",
                monthly_wage=wage,
                currency=currency,
                signed_on=dt.date(2025, 1 + n % 6, 6),
            )
        )
        fees.append(_fee(f"MF-F{n:03d}a", worker_id, "medical", "3500", "PHP"))
        fees.append(_fee(f"MF-F{n:03d}b", worker_id, "travel", "420", "USD"))
        fees.append(
            _fee(f"MF-F{n:03d}c", worker_id, "administrative", "180", "USD", paid_to="government")
        )
        fees.append(
            _fee(
                f"MF-F{n:03d}d",
                worker_id,
                "personal_documents",
                "950",
                "PHP",
                # The PH profile lets a worker pay for her passport; Qatar's Labour Law puts
                # every cost on the employer (catalogue 1.3, DEST-01), so for E1 it pays.
                paid_by="worker" if employer == "E2" else "employer",
                paid_to="government",
                description="passport renewal",
            )
        )
    channels = (
        Channel(
            channel_id="CH1",
            operated_by="government",
            kind="hotline",
            languages="tl, en",
            free_of_charge=True,
            confidential=True,
            women_staff_available=True,
            open_to_domestic_workers=True,
            response_days=D(15),
        ),
        Channel(
            channel_id="CH2",
            operated_by="ngo",
            kind="in_person",
            languages="tl, en, ar",
            free_of_charge=True,
            confidential=True,
            women_staff_available=True,
            open_to_domestic_workers=True,
            response_days=D(10),
        ),
    )
    complaints = (
        Complaint(
            complaint_id="MF-K1",
            worker_id="MF-003",
            channel_id="CH1",
            category="hours",
            filed_on=dt.date(2026, 2, 2),
            resolved_on=dt.date(2026, 2, 12),
            worker_penalised=False,
        ),
    )
    return AuditDataset(
        audit=AuditInfo(
            audit_id="PH-2026-0101",
            agency_name="Maharlika Fair Recruitment Corp.",
            agency_licence_number="POEA-123-LB-070125-R",
            licence_valid_until=dt.date(2028, 7, 1),
            origin_country="PH",
            jurisdiction="PH",
            inspection_date=INSPECTION,
            inspector="R. Santos",
            currency="USD",
        ),
        employers=employers,
        workers=tuple(workers),
        contracts=tuple(contracts),
        fees=tuple(fees),
        channels=channels,
        complaints=complaints,
        fx=(
            FxRate(currency="PHP", rate=D("0.0175")),
            FxRate(currency="HKD", rate=D("0.1280")),
        ),
    )


# -- the agency with problems ----------------------------------------------------------------


def agency_with_problems() -> AuditDataset:
    """Forty workers; what each planted fact is meant to show is said beside it."""
    employers = (
        # MOB-01 (consent to change employer), MOB-03 (no independent residency route)
        Employer(
            employer_id="E01",
            name="Al Noor Contracting",
            destination_country="QA",
            sector="construction",
            permit_tied_to_employer=True,
            job_change_requires_consent=True,
            exit_permit_required=False,
            independent_residency_route=False,
        ),
        # domestic work: zero PH fee cap; MOB-01 and MOB-02 (exit permit); residency route unknown
        Employer(
            employer_id="E02",
            name="Riyadh Household Staffing",
            destination_country="SA",
            sector="domestic_work",
            permit_tied_to_employer=True,
            job_change_requires_consent=True,
            exit_permit_required=True,
            independent_residency_route=None,
        ),
        Employer(
            employer_id="E03",
            name="Kowloon Elder Care",
            destination_country="HK",
            sector="care",
            permit_tied_to_employer=False,
            job_change_requires_consent=False,
            exit_permit_required=False,
            independent_residency_route=True,
        ),
    )
    employer_of = dict.fromkeys(range(1, 41), "E01")
    employer_of |= dict.fromkeys((12, 15, 16, 18, 20, 21, 26, 30, 31, 32), "E02")
    employer_of |= dict.fromkeys((35, 36, 37, 38, 39, 40), "E03")
    sex_of = dict.fromkeys((2, 9, 13, 22, 25, 29, 33, 37), "male")

    special: dict[int, dict[str, Any]] = {
        3: {"monthly_wage_paid": D(1850), "wage_currency": "QAR"},  # paid as her only contract says
        4: {"languages": "tl"},  # CON-02: contract only in Arabic
        6: {"languages": "tl"},  # COMP-03: no channel offers tl
        15: {"passport_held_by": "employer"},  # DOC-01
        16: {"wages_withheld": True},  # WAGE-02
        17: {"monthly_wage_paid": D(380)},  # WAGE-01: 380 < 0.99 x 500
        18: {
            "passport_held_by": "employer",
            "wages_withheld": True,
        },  # FL-01 (with DEBT-01, MOB-02)
        31: {"briefing_received": None, "briefing_languages": None},  # INFO-01 data gap
        32: {"briefing_received": False, "briefing_languages": None},  # INFO-01
        33: {"languages": "tl", "briefing_languages": "en"},  # INFO-02
        34: {
            "date_of_birth": dt.date(2008, 9, 1),
            "deployment_date": dt.date(2025, 10, 1),
        },  # AGE-01
        35: {"monthly_wage_paid": D(4300), "wage_currency": "HKD"},
        36: {"monthly_wage_paid": D(4300), "wage_currency": "HKD"},
        37: {"monthly_wage_paid": None, "wage_currency": None},  # wage paid not recorded
        38: {"monthly_wage_paid": D(4300), "wage_currency": "HKD", "date_of_birth": None},
        39: {"monthly_wage_paid": D(4300), "wage_currency": "HKD"},
        40: {"monthly_wage_paid": D(4300), "wage_currency": "HKD"},
    }
    workers = [
        _worker(
            f"W{n:02d}",
            **{
                "employer_id": employer_of[n],
                "sex": sex_of.get(n, "female"),
                "date_of_birth": dt.date(1980 + n % 20, 1 + n % 12, 1 + n % 27),
            }
            | special.get(n, {}),
        )
        for n in range(1, 41)
    ]

    contracts: list[Contract] = []
    for n in range(1, 41):
        worker_id = f"W{n:02d}"
        if n == 3:
            continue  # CON-01: no origin contract (only a destination one, below)
        fields: dict[str, Any] = {}
        if 35 <= n <= 40:
            fields |= {"monthly_wage": D(4300), "currency": "HKD"}
        fields |= {
            4: {"languages": "ar"},  # CON-02
            6: {"copy_given_to_worker": False},  # CON-03
            10: {"weekly_rest_days": D("0.5")},  # REST-01
            11: {"worker_may_terminate_for_abuse": False},  # TERM-01
            13: {"termination_penalty": D(500)},  # TERM-02
            14: {"passport_retention_clause": True},  # DOC-02
            24: {"weekly_hours": None},  # hours not recorded
        }.get(n, {})
        contracts.append(_contract(f"C{n:02d}", worker_id, **fields))
    contracts += [
        # CON-01's worker has only a destination contract
        _contract(
            "C03D",
            "W03",
            stage="destination",
            signed_on=dt.date(2025, 3, 20),
            monthly_wage=D(1850),
            currency="QAR",
        ),
        # CON-04 by wage: 1,400 QAR = 384.58 USD, 23% below the origin contract's 500 USD
        _contract(
            "C08D",
            "W08",
            stage="destination",
            signed_on=dt.date(2025, 3, 15),
            monthly_wage=D(1400),
            currency="QAR",
        ),
        # CON-04 by hours, and HOURS-01 (72 > 60)
        _contract(
            "C09D", "W09", stage="destination", signed_on=dt.date(2025, 3, 15), weekly_hours=D(72)
        ),
        # a destination contract paying exactly 1% less (495): not substitution
        _contract(
            "C19D", "W19", stage="destination", signed_on=dt.date(2025, 3, 15), monthly_wage=D(495)
        ),
    ]
    # W08 is paid what the substituted contract says: no WAGE-01 (it compares the latest contract)
    workers[7] = workers[7].model_copy(
        update={"monthly_wage_paid": D(1400), "wage_currency": "QAR"}
    )

    fees: list[Fee] = []
    for n in range(1, 41):
        worker_id = f"W{n:02d}"
        fees.append(_fee(f"F{n:02d}a", worker_id, "medical", "3800", "PHP"))
        fees.append(_fee(f"F{n:02d}b", worker_id, "travel", "380", "USD"))
    fees += [
        # FEE-01: recruitment fee charged to a domestic worker (PH cap is zero for domestic work)
        _fee("F21r", "W21", "recruitment_fee", "15000", "PHP", paid_by="worker", paid_to="agency"),
        # FEE-06: 40,000 PHP = 700 USD against a cap of one month (500 USD): 200 USD over
        _fee("F22r", "W22", "recruitment_fee", "40000", "PHP", paid_by="worker", paid_to="agency"),
        # within the cap (350 USD <= 500 USD), receipted: lawful under PH
        _fee("F23r", "W23", "recruitment_fee", "20000", "PHP", paid_by="worker", paid_to="agency"),
        # FEE-02: training and travel charged to the worker
        _fee("F24t", "W24", "training", "8000", "PHP", paid_by="worker", paid_to="agency"),
        _fee("F25v", "W25", "travel", "300", "USD", paid_by="worker", paid_to="agency"),
        # FEE-03: a deposit (bond) taken from a domestic worker
        _fee("F26d", "W26", "deposit", "10000", "PHP", paid_by="worker", paid_to="agency"),
        # FEE-04 (and FEE-02): insurance paid by the employer, then deducted from wages
        _fee(
            "F27i",
            "W27",
            "insurance",
            "120",
            "USD",
            paid_by="employer",
            paid_to="provider",
            deducted_from_wages=True,
        ),
        # FEE-05: a medical fee the worker may pay under PH, but no receipt
        _fee(
            "F28m",
            "W28",
            "medical",
            "2500",
            "PHP",
            paid_by="worker",
            paid_to="provider",
            receipt_issued=False,
        ),
        # LIC-02: a recruitment fee within the cap, paid to an unlicensed sub-agent
        _fee(
            "F29r",
            "W29",
            "recruitment_fee",
            "9000",
            "PHP",
            paid_by="worker",
            paid_to="intermediary",
            intermediary_id="I02",
        ),
        # who bore it is unknown: a data gap for the fee rules
        _fee(
            "F30o",
            "W30",
            "training",
            "6000",
            "PHP",
            paid_by="other",
            paid_to="agency",
            deducted_from_wages=None,
        ),
        # DEBT-01 for W18: 30,000 PHP (525 USD) borrowed, over one month's wage (500 USD);
        # also FEE-02 (lodging) -- and, with her passport and withheld wages, FL-01
        _fee(
            "F18l",
            "W18",
            "lodging",
            "30000",
            "PHP",
            paid_by="worker",
            paid_to="agency",
            financed_by_loan=True,
        ),
        # W19 borrowed too, for a skills test PH lets her pay, and 200 USD is under one month's
        # wage: neither FEE-02 nor DEBT-01
        _fee(
            "F19l",
            "W19",
            "skills_test",
            "200",
            "USD",
            paid_by="worker",
            paid_to="provider",
            financed_by_loan=True,
        ),
    ]

    channels = (
        # COMP-02: no channel both confidential and staffed by women; COMP-04: none open to
        # domestic workers; COMP-03: neither speaks Tagalog
        Channel(
            channel_id="CH1",
            operated_by="agency",
            kind="hotline",
            languages="en",
            free_of_charge=True,
            confidential=False,
            women_staff_available=True,
            open_to_domestic_workers=False,
            response_days=D(30),
        ),
        # COMP-05: the worker pays to use it
        Channel(
            channel_id="CH2",
            operated_by="employer",
            kind="email",
            languages="ar, en",
            free_of_charge=False,
            confidential=True,
            women_staff_available=False,
            open_to_domestic_workers=False,
            response_days=D(14),
        ),
    )
    complaints = (
        # COMP-07: resolved after 64 days against the channel's 30
        Complaint(
            complaint_id="K01",
            worker_id="W05",
            channel_id="CH1",
            category="wages",
            filed_on=dt.date(2026, 1, 10),
            resolved_on=dt.date(2026, 3, 15),
            worker_penalised=False,
        ),
        # COMP-08: a harassment complaint open 60 days against the channel's 14
        Complaint(
            complaint_id="K02",
            worker_id="W12",
            channel_id="CH2",
            category="harassment",
            filed_on=dt.date(2026, 5, 1),
            worker_penalised=False,
        ),
        # open 30 days, no channel (limit 30): on the last allowed day, not late
        Complaint(
            complaint_id="K03",
            worker_id="W07",
            category="fees",
            filed_on=dt.date(2026, 5, 31),
            worker_penalised=False,
        ),
        # COMP-06: the worker was penalised after complaining
        Complaint(
            complaint_id="K04",
            worker_id="W20",
            channel_id="CH1",
            category="documents",
            filed_on=dt.date(2026, 2, 1),
            resolved_on=dt.date(2026, 2, 20),
            worker_penalised=True,
        ),
        # whether the worker was penalised was not recorded: a COMP-06 data gap
        Complaint(
            complaint_id="K05",
            worker_id="W36",
            channel_id="CH1",
            category="hours",
            filed_on=dt.date(2026, 4, 2),
            resolved_on=dt.date(2026, 4, 20),
            worker_penalised=None,
        ),
    )
    return AuditDataset(
        audit=AuditInfo(
            audit_id="PH-2026-0417",
            agency_name="Bayanihan Overseas Placement Inc.",
            agency_licence_number="POEA-088-LB-031122-R",
            licence_valid_until=dt.date(2026, 3, 31),  # LIC-01: expired before the inspection
            origin_country="PH",
            jurisdiction=None,  # PH by origin country
            inspection_date=INSPECTION,
            inspector="M. Dela Cruz",
            currency="USD",
        ),
        employers=employers,
        workers=tuple(workers),
        contracts=tuple(contracts),
        fees=tuple(fees),
        intermediaries=(
            Intermediary(intermediary_id="I01", name="Tarlac Job Link", licensed=True),
            Intermediary(
                intermediary_id="I02", name="Barangay broker (unregistered)", licensed=False
            ),
        ),
        channels=channels,
        complaints=complaints,
        fx=(
            FxRate(currency="PHP", rate=D("0.0175")),
            FxRate(currency="QAR", rate=D("0.2747")),
            FxRate(currency="HKD", rate=D("0.1280")),
        ),
    )


# -- the follow-up audit -----------------------------------------------------------------------

FOLLOW_UP = dt.date(2026, 11, 2)
REFUNDED_ON = dt.date(2026, 8, 10)


def agency_follow_up() -> AuditDataset:
    """The problem agency inspected again on 2 November 2026 (``auditor audit --previous``).

    Some orders were obeyed, some refunds paid, one new problem found and one
    worker gone; everything else is as in ``agency_with_problems``, so the
    rest persists (and the orders of 30 June are overdue by now).
    """
    previous = agency_with_problems()
    gone = "W18"  # left the employer: her findings cannot be reassessed, her money stays owed
    fixes: dict[str, dict[str, Any]] = {
        "W15": {"passport_held_by": PassportHolder.WORKER},  # DOC-01 resolved: passport returned
        "W16": {"wages_withheld": False},  # WAGE-02 resolved: wages paid on time
        "W17": {"monthly_wage_paid": D(500)},  # WAGE-01 resolved: paid the contract wage
        # DOC-01 new: the agency now keeps her passport
        "W05": {"passport_held_by": PassportHolder.AGENCY},
    }
    workers = tuple(
        w.model_copy(update=fixes.get(w.worker_id, {}))
        for w in previous.workers
        if w.worker_id != gone
    )
    contracts = tuple(
        c.model_copy(update={"weekly_rest_days": D(1)}) if c.contract_id == "C10" else c
        for c in previous.contracts  # REST-01 resolved: a full rest day
        if c.worker_id != gone
    )
    refunds: dict[str, D] = {
        "F21r": D(15000),  # FEE-01 persists (the fee was charged), nothing owed any more
        "F22r": D(20000),  # FEE-06: 700 - 350 refunded = 350 USD, within the cap: nothing owed
        "F24t": D(8000),  # FEE-02: refunded in full
        "F26d": D(5000),  # FEE-03: half the deposit returned, 87.50 USD still owed
    }
    fees = tuple(
        f.model_copy(update={"refunded_amount": refunds[f.fee_id], "refunded_on": REFUNDED_ON})
        if f.fee_id in refunds
        else f
        for f in previous.fees
        if f.worker_id != gone
    )
    return previous.model_copy(
        update={
            "audit": previous.audit.model_copy(
                update={
                    "audit_id": "PH-2026-1102",
                    "inspection_date": FOLLOW_UP,
                    "licence_valid_until": dt.date(2029, 3, 31),  # LIC-01 resolved: renewed
                    "follow_up_of": "PH-2026-0417",
                }
            ),
            "workers": workers,
            "contracts": contracts,
            "fees": fees,
            "complaints": tuple(k for k in previous.complaints if k.worker_id != gone),
        }
    )


# -- the invalid workbook ----------------------------------------------------------------------

#: (sheet, cell, value written, what it shows) -- README.md lists the same.
PLANTED_MISTAKES: tuple[tuple[str, str, object, str], ...] = (
    ("Audit", "B6", "Phillipines", "the origin country misspelt (Philippines, PHL or PH are read)"),
    ("Employers", "D3", "Domestic Helper", "a sector that is not in the list"),
    ("Fees", "A18", None, "a fee_id left empty"),
    ("Workers", "F7", "Tagalog and English", "languages joined by 'and' (tl, en is read)"),
    ("Workers", "H9", "1,2,0000", "a wage with misplaced commas (1,20,000 or 120000 are read)"),
    ("Workers", "B11", "Female worker", "sex written as a phrase"),
    ("Contracts", "D3", "01/02/2025", "a date typed the local way, not YYYY-MM-DD"),
    ("Contracts", "G4", "five hundred", "a wage in words"),
    ("Fees", "B6", "W99", "a fee for a worker who is not on the Workers sheet"),
    ("Fees", "E8", -250, "a negative amount"),
    ("Fees", "E10", "=E9*2", "a formula that was never calculated"),
    ("Fees", "F12", "AED", "a currency with no rate on the FX sheet"),
    ("Fees", "J14", dt.date(2026, 8, 1), "a payment dated after the inspection"),
    ("Fees", "A16", "F01a", "a fee_id used twice"),
    ("Complaints", "F3", dt.date(2026, 1, 1), "resolved before it was filed"),
)


def write_invalid(source: Path, target: Path) -> Path:
    """The problem agency's workbook with the planted mistakes written over it."""
    workbook = load_workbook(source)
    for sheet, cell, value, _ in PLANTED_MISTAKES:
        workbook[sheet][cell].value = value
        if isinstance(value, dt.date):
            workbook[sheet][cell].number_format = "yyyy-mm-dd"
    return save_reproducibly(workbook, target, dt.datetime.combine(INSPECTION, dt.time()))


def write_all(folder: Path) -> list[Path]:
    """Write the three samples into ``folder`` (the committed ones live in this file's folder)."""
    compliant = write_workbook(
        compliant_agency(), folder / "compliant-agency.xlsx", jurisdictions=PROFILES
    )
    problems = write_workbook(
        agency_with_problems(), folder / "agency-with-problems.xlsx", jurisdictions=PROFILES
    )
    invalid = write_invalid(problems, folder / "invalid-workbook.xlsx")
    follow_up = write_workbook(
        agency_follow_up(), folder / "agency-follow-up.xlsx", jurisdictions=PROFILES
    )
    return [compliant, problems, invalid, follow_up]


def main() -> None:
    parser = argparse.ArgumentParser(description="Write the sample inspection workbooks.")
    parser.add_argument("--out", type=Path, default=HERE, help="folder (default: sample_audits/)")
    for path in write_all(parser.parse_args().out):
        print(path)


if __name__ == "__main__":
    main()
