"""Money owed: exact until reported, rounded half up to the audit currency's minor unit."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import auditor
from auditor.testing.baseline import apply_changes, baseline
from auditor.verdict.money import round_amount


def owed(data: dict[str, Any]) -> Any:
    return auditor.audit(auditor.AuditDataset.from_dict(data)).money_owed


def fee(fee_id: str, worker: str, amount: object, **fields: Any) -> dict[str, Any]:
    return {"fee_id": fee_id, "worker_id": worker, "category": "training", "amount": amount,
            **fields}  # fmt: skip


def test_rounding_half_up_to_the_minor_unit() -> None:
    assert round_amount(Decimal("0.125"), "USD") == Decimal("0.13")
    assert round_amount(Decimal("0.1245"), "KWD") == Decimal("0.125")
    assert round_amount(Decimal("2.5"), "JPY") == Decimal("3")


def test_conversion_is_exact_and_the_total_sums_rounded_amounts() -> None:
    data = apply_changes(
        baseline(),
        add={
            "workers": [{"worker_id": "W2"}],
            "contracts": [{"contract_id": "C2", "worker_id": "W2", "stage": "origin"}],
            "fees": [fee("F2", "W1", 1, currency="PHP"), fee("F3", "W2", 1, currency="PHP")],
            "fx": [{"currency": "PHP", "rate": "0.0175"}],
        },
    )
    money = owed(data)
    # each worker is owed 0.0175 USD, reported as 0.02; the total is 0.04, not round(0.035)
    assert money.by_worker == {"W1": Decimal("0.02"), "W2": Decimal("0.02")}
    assert money.total == Decimal("0.04")


def test_an_audit_in_yen_has_no_decimals() -> None:
    data = apply_changes(
        baseline(),
        change={"audit": {"currency": "JPY"}, "workers": {"W1": {"wage_currency": "JPY",
                                                               "monthly_wage_paid": 80000}},
                "contracts": {"C1": {"currency": "JPY", "monthly_wage": 80000}},
                "fees": {"F1": {"currency": "JPY"}}},
        add={"fees": [fee("F2", "W1", "1500.5", currency="JPY")]},
    )  # fmt: skip
    money = owed(data)
    assert money.by_worker == {"W1": Decimal("1501")}
    assert str(money.total) == "1501"


def test_the_excess_over_a_cap_is_owed_not_split_across_rows() -> None:
    data = apply_changes(
        baseline(),
        jurisdiction="PH",
        add={"fees": [fee("F2", "W1", 300, category="recruitment_fee"),
                      fee("F3", "W1", 250, category="recruitment_fee")]},
    )  # fmt: skip
    result = auditor.audit(auditor.AuditDataset.from_dict(data))
    finding = next(f for f in result.findings if f.rule_id == "FEE-06")
    assert finding.amount_owed == Decimal("50.00")
    assert result.money_owed.by_worker == {"W1": Decimal("50.00")}


def test_rows_that_may_be_owed_are_undetermined_not_nothing() -> None:
    data = apply_changes(
        baseline(),
        jurisdiction="PH",
        remove={"contracts": ["C1"]},
        change={"workers": {"W1": {"monthly_wage_paid": None, "wage_currency": None}}},
        add={"fees": [fee("F2", "W1", 300, category="recruitment_fee")]},
    )
    money = owed(data)
    assert money.total == 0
    assert [(row.worker_id, row.path) for row in money.undetermined] == [("W1", "fees[1].amount")]


def test_a_known_excess_with_an_uncertain_row_beside_it() -> None:
    data = apply_changes(
        baseline(),
        jurisdiction="PH",
        add={"fees": [fee("F2", "W1", 600, category="recruitment_fee"),
                      fee("F3", "W1", 50, category="recruitment_fee", paid_by="other")]},
    )  # fmt: skip
    money = owed(data)
    assert money.by_worker == {"W1": Decimal("100.00")}  # certainly 100 over; maybe 150
    # F2 is decided (she bore it, the cap is known); F3's payer is not.
    assert [row.path for row in money.undetermined] == ["fees[2].amount"]
