"""Money owed line by line: rounding, undetermined rows, refunds (rule catalogue, "Money owed").

Each test pins one thing a change to the money code could get wrong unnoticed: rounding
below the half, the rounded amount of each finding, an undecided row beside a finding,
the numeric order of cells, workers owed nothing after rounding, and refunds (net of
refunds, never below zero, findings unchanged).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

import auditor
from auditor.model.result import AuditResult
from auditor.testing.baseline import apply_changes, baseline
from auditor.verdict.money import round_amount

REFUNDED_ON = "2026-05-01"


def run(data: dict[str, Any]) -> AuditResult:
    return auditor.audit(auditor.AuditDataset.from_dict(data))


def fee(fee_id: str, amount: object, worker: str = "W1", **fields: Any) -> dict[str, Any]:
    return {"fee_id": fee_id, "worker_id": worker, "category": "training", "amount": amount,
            **fields}  # fmt: skip


def refund(amount: object) -> dict[str, Any]:
    return {"refunded_amount": amount, "refunded_on": REFUNDED_ON}


def amounts(result: AuditResult, rule_id: str) -> dict[str, Decimal | None]:
    return {f.subject.id: f.amount_owed for f in result.findings if f.rule_id == rule_id}


def with_fees(*fees: dict[str, Any], second_worker: bool = False, **changes: Any) -> dict[str, Any]:
    add: dict[str, Any] = {"fees": list(fees)}
    if second_worker:
        add["workers"] = [{"worker_id": "W2"}]
        add["contracts"] = [{"contract_id": "C2", "worker_id": "W2", "stage": "origin"}]
    return apply_changes(baseline(), add=add, **changes)


# -- rounding ---------------------------------------------------------------------------------


def test_rounding_below_the_half_goes_down() -> None:
    assert round_amount(Decimal("0.124"), "USD") == Decimal("0.12")
    assert round_amount(Decimal("0.125"), "USD") == Decimal("0.13")
    assert round_amount(Decimal("0.1244"), "KWD") == Decimal("0.124")


def test_each_findings_amount_is_rounded_half_up_and_below_the_half_down() -> None:
    data = with_fees(fee("F2", "0.124"), fee("F3", "0.125", worker="W2"), second_worker=True)
    result = run(data)
    assert amounts(result, "FEE-02") == {"W1": Decimal("0.12"), "W2": Decimal("0.13")}
    assert result.money_owed.by_worker == {"W1": Decimal("0.12"), "W2": Decimal("0.13")}
    assert result.money_owed.total == Decimal("0.25")


def test_a_finding_over_two_rows_rounds_their_sum_not_each_row() -> None:
    result = run(with_fees(fee("F2", "0.104"), fee("F3", "0.104")))
    assert amounts(result, "FEE-02") == {"W1": Decimal("0.21")}  # 0.208, not 0.10 + 0.10


def test_a_worker_owed_nothing_after_rounding_is_not_listed() -> None:
    data = with_fees(fee("F2", 1, currency="PHP"))
    data["fx"] = [{"currency": "PHP", "rate": "0.004"}]
    result = run(data)
    assert amounts(result, "FEE-02") == {"W1": Decimal("0.00")}  # the finding stays
    assert result.money_owed.by_worker == {}
    assert result.money_owed.total == 0


# -- undetermined rows --------------------------------------------------------------------------


def test_an_undecided_row_is_listed_beside_a_finding_on_her_other_rows() -> None:
    result = run(with_fees(fee("F2", 100), fee("F3", 50, paid_by="other")))
    assert amounts(result, "FEE-02") == {"W1": Decimal("100.00")}
    assert [(u.worker_id, u.path) for u in result.money_owed.undetermined] == [
        ("W1", "fees[2].amount")
    ]


def test_the_fee06_amount_beside_an_undecided_row() -> None:
    data = with_fees(
        fee("F2", 600, category="recruitment_fee"),
        fee("F3", 50, category="recruitment_fee", paid_by="other"),
        jurisdiction="PH",
    )
    result = run(data)
    assert amounts(result, "FEE-06") == {"W1": Decimal("100.00")}
    assert [u.path for u in result.money_owed.undetermined] == ["fees[2].amount"]


def test_undetermined_rows_are_in_numeric_row_order() -> None:
    rows = [fee(f"F{n}", 10, paid_by="other") for n in range(2, 12)]  # rows 3 to 12
    result = run(with_fees(*rows))
    paths = [u.path for u in result.money_owed.undetermined]  # dict input: paths, not cells
    assert paths == [f"fees[{index}].amount" for index in range(1, 11)]
    assert paths.index("fees[9].amount") < paths.index("fees[10].amount")


# -- refunds ------------------------------------------------------------------------------------


def test_a_refund_lowers_what_is_owed_and_is_stated() -> None:
    result = run(with_fees(fee("F2", 120, **refund(100)), fee("F3", 30)))
    assert amounts(result, "FEE-02") == {"W1": Decimal("50.00")}
    assert result.money_owed.by_worker == {"W1": Decimal("50.00")}
    assert result.money_owed.refunded.by_worker == {"W1": Decimal("100.00")}
    assert result.money_owed.refunded.total == Decimal("100.00")
    document = result.to_dict()["money_owed"]
    assert document["refunded"] == {"total": 100.0, "by_worker": {"W1": 100.0}}


def test_a_full_refund_leaves_the_finding_with_nothing_owed() -> None:
    plain = run(with_fees(fee("F2", 120)))
    refunded = run(with_fees(fee("F2", 120, **refund(120))))
    assert amounts(refunded, "FEE-02") == {"W1": Decimal("0.00")}
    assert refunded.money_owed.by_worker == {}
    assert refunded.money_owed.total == 0
    # the fee was charged: the findings, their evidence and the score do not change
    assert [f.model_copy(update={"amount_owed": None}) for f in refunded.findings] == [
        f.model_copy(update={"amount_owed": None}) for f in plain.findings
    ]
    assert (refunded.score, refunded.rating) == (plain.score, plain.rating)


def test_refunds_are_converted_like_amounts() -> None:
    data = with_fees(fee("F2", 1000, currency="PHP", **refund(400)))
    data["fx"] = [{"currency": "PHP", "rate": "0.0175"}]
    result = run(data)
    assert result.money_owed.by_worker == {"W1": Decimal("10.50")}  # 600 PHP
    assert result.money_owed.refunded.by_worker == {"W1": Decimal("7.00")}  # 400 PHP


def test_under_a_cap_refunds_reduce_her_total_above_the_cap() -> None:
    data = with_fees(
        fee("F2", 400, category="recruitment_fee", **refund(50)),
        fee("F3", 300, category="recruitment_fee"),
        jurisdiction="PH",
    )  # 700 - 50 refunded = 650 against a cap of 500
    result = run(data)
    assert amounts(result, "FEE-06") == {"W1": Decimal("150.00")}
    assert result.money_owed.refunded.by_worker == {"W1": Decimal("50.00")}


def test_under_a_cap_a_large_refund_owes_nothing_never_less() -> None:
    data = with_fees(fee("F2", 700, category="recruitment_fee", **refund(600)),
                     jurisdiction="PH")  # fmt: skip
    result = run(data)
    assert amounts(result, "FEE-06") == {"W1": Decimal("0.00")}
    assert result.money_owed.by_worker == {}
    assert result.money_owed.refunded.by_worker == {"W1": Decimal("600.00")}


@pytest.mark.parametrize(
    ("row", "why"),
    [
        (fee("F2", 80, paid_by="employer", **refund(80)), "the worker did not bear this row"),
        (
            fee("F2", 80, category="medical", **refund(20)),
            "no finding shows this row unlawful",
        ),
        (
            fee("F2", 80, paid_by="other", **refund(20)),
            "the amount owed on this row is undetermined",
        ),
    ],
    ids=["employer-paid", "lawful", "undetermined"],
)
def test_a_refund_on_a_row_that_makes_nothing_owed_is_a_warning(
    row: dict[str, Any], why: str
) -> None:
    jurisdiction = "PH" if row["category"] == "medical" else "ilo"
    # Malaysia has no destination profile: in Qatar, Qatar's law would concern the medical
    # fee (DEST-01, catalogue 1.3), whose refund is shown beside that finding instead.
    change = {"employers": {"E1": {"destination_country": "MY"}}}
    result = run(with_fees(row, jurisdiction=jurisdiction, change=change))
    assert result.money_owed.refunded.by_worker == {}
    assert f"fees[1].refunded_amount (F2): refund not counted in the money owed: {why}" in (
        result.warnings
    )


# -- validation ---------------------------------------------------------------------------------


def test_refunds_are_validated_with_every_problem_at_once() -> None:
    data = with_fees(
        fee("F2", 100, refunded_amount=150, refunded_on=REFUNDED_ON),
        fee("F3", 100, refunded_amount=50),
        fee("F4", 100, refunded_amount=50, refunded_on="2026-07-01"),
        fee("F5", 100, refunded_amount=0),
    )
    lines = auditor.validate(data).lines()
    assert lines == [
        "fees[1].refunded_amount: refunded_amount 150 is more than the amount 100 USD of this "
        "record; a refund is at most what was paid, in the record's currency",
        "fees[2].refunded_on: refunded_on is required when refunded_amount is above 0: give "
        "the date of the refund",
        "fees[3].refunded_on: refunded_on 2026-07-01 is after the inspection date 2026-06-30 "
        "(correct it if it is a slip); it also looks like a Bikram Sambat date; in the "
        "Gregorian calendar it is 1969-10-17",
    ]
