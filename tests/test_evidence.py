"""Findings cite exactly the cells they rest on; data gaps name exactly what is missing.

Written as a real workbook, so the cells are those an inspector looks up:
on Workers, J is briefing_received and L passport_held_by; on Fees, E is
amount and K deducted_from_wages; on Contracts, G is monthly_wage.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import auditor
from auditor.model.result import AuditResult
from tests.builders import Book

Write = Callable[..., Path]


def cells(result: AuditResult, rule_id: str, subject: str) -> list[str]:
    finding = next(f for f in result.findings if f.rule_id == rule_id and f.subject.id == subject)
    return [e.where for e in finding.evidence]


def missing(result: AuditResult, rule_id: str, subject: str) -> tuple[str, ...]:
    return next(
        g.missing for g in result.data_gaps if g.rule_id == rule_id and g.subject.id == subject
    )


def test_a_fee_finding_cites_each_supporting_row_once(book: Book, write: Write) -> None:
    book["Fees"] += [
        {"fee_id": "F3", "worker_id": "W1", "category": "training", "amount": 50,
         "currency": "USD", "paid_by": "worker", "deducted_from_wages": "no",
         "receipt_issued": "yes", "financed_by_loan": "no"},
        {"fee_id": "F4", "worker_id": "W1", "category": "travel", "amount": 70,
         "currency": "USD", "paid_by": "worker", "deducted_from_wages": "no",
         "receipt_issued": "yes", "financed_by_loan": "no"},
    ]  # fmt: skip
    result = auditor.audit(write(book))
    assert [(f.rule_id, f.subject.id) for f in result.findings] == [("FEE-02", "W1")]
    finding = result.findings[0]
    assert [(e.where, e.column, e.value) for e in finding.evidence] == [
        ("Fees!E4", "amount", 50.0),
        ("Fees!E5", "amount", 70.0),
    ]
    assert finding.amount_owed == 120


def test_a_deduction_cites_the_amount_and_the_deduction(book: Book, write: Write) -> None:
    book["Fees"][0]["deducted_from_wages"] = "yes"  # a medical fee PH lets the worker pay
    result = auditor.audit(write(book))
    assert cells(result, "FEE-04", "W1") == ["Fees!E2", "Fees!K2"]
    # and DEST-01 (catalogue 1.3): Qatar's law puts the medical fee on the employer
    assert [f.rule_id for f in result.findings] == ["DEST-01", "FEE-04"]
    assert result.money_owed.total == 0


def test_a_row_behind_two_findings_is_owed_once(book: Book, write: Write) -> None:
    book["Audit"]["jurisdiction"] = "ilo"  # no cost at all is the worker's
    book["Fees"][0]["deducted_from_wages"] = "yes"
    result = auditor.audit(write(book))
    assert [(f.rule_id, f.amount_owed) for f in result.findings] == [
        ("FEE-02", 120),
        ("FEE-04", None),
    ]
    assert cells(result, "FEE-02", "W1") == ["Fees!E2"]
    assert result.money_owed.by_worker == {"W1": 120}
    assert result.money_owed.total == 120


def test_something_missing_is_shown_by_its_row(book: Book, write: Write) -> None:
    book["Contracts"] = [book["Contracts"][1]]
    result = auditor.audit(write(book))
    assert cells(result, "CON-01", "W1") == ["Workers!A2"]


def test_values_as_read_before_conversion(book: Book, write: Write) -> None:
    book["Workers"][1]["monthly_wage_paid"] = 1700  # QAR, against a 1800 QAR contract
    result = auditor.audit(write(book))
    finding = next(f for f in result.findings if f.rule_id == "WAGE-01")
    assert [(e.where, e.value) for e in finding.evidence] == [
        ("Workers!H3", 1700.0),
        ("Contracts!G3", 1800.0),
    ]


def test_substitution_cites_the_terms_that_differ(book: Book, write: Write) -> None:
    book["Contracts"].append(
        {**book["Contracts"][0], "contract_id": "C1D", "stage": "destination", "monthly_wage": 450}
    )
    result = auditor.audit(write(book))
    assert cells(result, "CON-04", "W1") == ["Contracts!G2", "Contracts!G4"]


def test_a_passport_finding(book: Book, write: Write) -> None:
    book["Workers"][0]["passport_held_by"] = "Agency"
    result = auditor.audit(write(book))
    finding = next(f for f in result.findings if f.rule_id == "DOC-01")
    assert [(e.where, e.value) for e in finding.evidence] == [("Workers!L2", "agency")]


def test_a_data_gap_names_the_empty_cell(book: Book, write: Write) -> None:
    book["Workers"][1]["briefing_received"] = None
    result = auditor.audit(write(book))
    assert missing(result, "INFO-01", "W2") == ("Workers!J3 (briefing_received)",)
    assert "Workers!briefing_received: not recorded in 1 row where INFO-01 needed it" in (
        result.warnings
    )


def test_a_gap_about_a_payer_names_both_cells(book: Book, write: Write) -> None:
    book["Fees"][1].update(paid_by="other", deducted_from_wages=None)
    result = auditor.audit(write(book))
    assert missing(result, "FEE-02", "W2") == (
        "Fees!G3 (paid_by)",
        "Fees!K3 (deducted_from_wages)",
    )
    assert [(u.worker_id, u.cell) for u in result.money_owed.undetermined] == [("W2", "Fees!E3")]
    # paid_by was recorded ("other"): only the empty deduction cell is "not recorded".
    gap_warnings = [w for w in result.warnings if "not recorded" in w]
    assert gap_warnings == [
        "Fees!deducted_from_wages: not recorded in 1 row where FEE-02, FEE-04 needed it"
    ]


def test_a_gap_for_a_missing_record_says_so(book: Book, write: Write) -> None:
    book["Audit"]["jurisdiction"] = "PH"
    book["Contracts"] = [book["Contracts"][1]]
    book["Workers"][0].update(monthly_wage_paid=None, wage_currency=None)
    book["Fees"][0].update(category="recruitment_fee", paid_by="worker")
    result = auditor.audit(write(book))
    # No contract and no wage paid: the reference wage is unknown, and the empty cell says
    # what the inspector can fill in.
    expected = ("Workers!H2 (monthly_wage_paid)", "Contracts: no contract for worker W1")
    assert missing(result, "FEE-06", "W1") == expected
    assert missing(result, "FEE-01", "W1") == expected


def test_the_reference_wage_cell_is_cited(book: Book, write: Write) -> None:
    """Without an origin contract, DEBT-01 measures against the destination contract's wage."""
    book["Contracts"][0]["stage"] = "destination"
    book["Fees"][0].update(paid_by="worker", financed_by_loan="yes", amount=500)
    result = auditor.audit(write(book))
    debt = next(f for f in result.findings if f.rule_id == "DEBT-01" and f.subject.id == "W1")
    assert [e.where for e in debt.evidence if e.sheet != "Fees"] == ["Contracts!G2"]
    assert not any(g.rule_id == "DEBT-01" for g in result.data_gaps)
