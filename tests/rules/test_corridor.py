"""Catalogue 1.3, corridor law: DEST-01 beside the origin's rules, through the public ``audit``.

The origin's profile stays the law enforced (its findings and money owed do
not move); the destination profile of the worker's employer's country is
checked beside it. Each test audits a whole inspection (the kit's baseline:
worker W1 of employer E1 in Qatar, construction, wage 500 USD).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from auditor import AuditResult, audit
from auditor.testing.baseline import apply_changes, baseline

NPR = {"currency": "NPR", "rate": 0.0075}


def _audit(**changes: Any) -> AuditResult:
    return audit(apply_changes(baseline(), **changes))


def _ids(result: AuditResult, worker: str = "W1") -> set[str]:
    return {f.rule_id for f in result.findings if f.subject.id == worker}


def test_nepal_agency_took_npr_8000_for_qatar() -> None:
    """Nepal allows NPR 10,000 for Qatar; Qatar's Labour Law allows nothing: DEST-01, owed 0."""
    result = _audit(
        jurisdiction="NP",
        add={
            "fees": [
                {
                    "fee_id": "F2",
                    "worker_id": "W1",
                    "category": "recruitment_fee",
                    "amount": 8000,
                    "currency": "NPR",
                }
            ],
            "fx": [NPR],
        },
    )
    assert _ids(result) == {"DEST-01"}
    finding = next(f for f in result.findings if f.rule_id == "DEST-01")
    assert finding.amount_owed == 0
    assert finding.amount_charged == Decimal("60.00")  # 8,000 x 0.0075
    assert finding.severity.value == "low"  # Qatar's profile is to_be_confirmed
    assert result.money_owed.total == 0
    assert result.money_owed.by_worker == {}
    document = result.to_dict()
    [shown] = [f for f in document["findings"] if f["rule_id"] == "DEST-01"]
    assert shown["amount_owed"] == 0
    assert shown["amount_charged"] == 60.0
    assert document["corridor"] == [
        {"destination": "QA", "workers": 1, "workers_charged": 1, "amount_charged": 60.0}
    ]
    outcome = next(r for r in result.rules if r.rule_id == "DEST-01")
    assert (outcome.applicable, outcome.affected, outcome.paragraph) == (1, 1, 11)


def test_philippine_worker_for_hong_kong_paid_100_on_600() -> None:
    """PH allows one month (600); Hong Kong 10% of the first month's wage (60): 40 charged."""
    result = _audit(
        jurisdiction="PH",
        change={
            "employers": {"E1": {"destination_country": "HK"}},
            "contracts": {"C1": {"monthly_wage": 600}},
            "workers": {"W1": {"monthly_wage_paid": 600}},
        },
        add={
            "fees": [
                {"fee_id": "F2", "worker_id": "W1", "category": "recruitment_fee", "amount": 100}
            ]
        },
    )
    assert _ids(result) == {"DEST-01"}
    finding = next(f for f in result.findings if f.rule_id == "DEST-01")
    assert (finding.amount_owed, finding.amount_charged) == (0, Decimal("40.00"))
    assert result.money_owed.total == 0
    cited = {(e.sheet, e.column, e.record_id) for e in finding.evidence}
    assert ("Fees", "amount", "F2") in cited
    assert ("Workers", "monthly_wage_paid", "W1") in cited


def test_fee_06_and_dest_01_together_owed_only_above_the_origin_cap() -> None:
    """700 on 600: FEE-06 owes 100 back; DEST-01 shows 600 - 60 = 540 charged against HK law."""
    result = _audit(
        jurisdiction="PH",
        change={
            "employers": {"E1": {"destination_country": "HK"}},
            "contracts": {"C1": {"monthly_wage": 600}},
            "workers": {"W1": {"monthly_wage_paid": 600}},
        },
        add={
            "fees": [
                {"fee_id": "F2", "worker_id": "W1", "category": "recruitment_fee", "amount": 700}
            ]
        },
    )
    assert _ids(result) == {"FEE-06", "DEST-01"}
    assert result.money_owed.by_worker == {"W1": Decimal("100.00")}
    finding = next(f for f in result.findings if f.rule_id == "DEST-01")
    assert finding.amount_charged == Decimal("540.00")


@pytest.mark.parametrize(
    ("category", "origin_rule"),
    [("recruitment_fee", "FEE-01"), ("medical", "FEE-02"), ("deposit", "FEE-03")],
)
@pytest.mark.parametrize("destination", ["QA", "AE", "SA", "KW", "HK"])
def test_ilo_baseline_never_adds_dest_01(category: str, origin_rule: str, destination: str) -> None:
    """Under ``ilo`` the origin forbids every cost: FEE-01/02/03 speak, DEST-01 never repeats."""
    result = _audit(
        change={"employers": {"E1": {"destination_country": destination}}},
        add={
            "fees": [
                {"fee_id": "F2", "worker_id": "W1", "category": category, "amount": 300},
                {"fee_id": "F3", "worker_id": "W1", "category": "travel", "amount": 50},
            ]
        },
    )
    assert origin_rule in _ids(result)
    assert "DEST-01" not in _ids(result)
    assert not [g for g in result.data_gaps if g.rule_id == "DEST-01"]


def test_the_origin_findings_and_money_are_those_of_a_pack_without_destinations(
    tmp_path: Any,
) -> None:
    """Removing rules/destinations and DEST-01 changes nothing else the origin's rules find."""
    import shutil

    from auditor.base.resources import default_rules_dir

    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    shutil.rmtree(rules / "destinations")
    (rules / "DEST-01.yaml").unlink()
    data = apply_changes(
        baseline(),
        jurisdiction="NP",
        add={
            "fees": [
                {
                    "fee_id": "F2",
                    "worker_id": "W1",
                    "category": "recruitment_fee",
                    "amount": 12000,
                    "currency": "NPR",
                },
                {"fee_id": "F3", "worker_id": "W1", "category": "medical", "amount": 40},
                {"fee_id": "F4", "worker_id": "W1", "category": "travel", "amount": 90},
            ],
            "fx": [NPR],
        },
    )
    with_corridor = audit(data)
    without = audit(data, rules_dir=rules)
    assert _ids(with_corridor) == _ids(without) | {"DEST-01"}
    assert with_corridor.money_owed == without.money_owed
    assert "corridor" not in without.to_dict()


def test_unknown_payer_that_could_break_the_destinations_law_is_a_data_gap() -> None:
    result = _audit(
        jurisdiction="NP",
        add={
            "fees": [
                {
                    "fee_id": "F2",
                    "worker_id": "W1",
                    "category": "insurance",
                    "amount": 30,
                    "paid_by": "other",
                    "paid_to": "provider",
                }
            ],
            "fx": [NPR],
        },
    )
    assert "DEST-01" not in _ids(result)
    [gap] = [g for g in result.data_gaps if g.rule_id == "DEST-01"]
    assert gap.subject.id == "W1"
    assert any("paid_by" in missing for missing in gap.missing)
    outcome = next(r for r in result.rules if r.rule_id == "DEST-01")
    assert (outcome.applicable, outcome.affected, outcome.gaps) == (1, 0, 1)


def test_workers_without_a_destination_profile_are_outside_prevalence() -> None:
    """Two workers: one for Qatar, one for Malaysia (no profile): DEST-01 applies to one."""
    result = _audit(
        jurisdiction="NP",
        add={
            "employers": [{"employer_id": "E2", "destination_country": "MY"}],
            "workers": [{"worker_id": "W2", "employer_id": "E2"}],
            "fees": [
                {"fee_id": "F2", "worker_id": "W1", "category": "training", "amount": 20},
                {"fee_id": "F3", "worker_id": "W2", "category": "training", "amount": 20},
            ],
            "fx": [NPR],
        },
    )
    outcome = next(r for r in result.rules if r.rule_id == "DEST-01")
    assert (outcome.applicable, outcome.affected) == (1, 1)
    assert outcome.prevalence == 1
    assert [(r.destination, r.workers, r.workers_charged) for r in result.corridor] == [
        ("QA", 1, 1)
    ]


def test_a_refund_on_a_row_only_dest_01_concerns_is_no_warning() -> None:
    result = _audit(
        jurisdiction="NP",
        add={
            "fees": [
                {
                    "fee_id": "F2",
                    "worker_id": "W1",
                    "category": "training",
                    "amount": 20,
                    "refunded_amount": 20,
                    "refunded_on": "2026-06-01",
                }
            ],
            "fx": [NPR],
        },
    )
    assert "DEST-01" in _ids(result)
    assert not [w for w in result.warnings if "refund" in w]


def test_a_stored_result_reads_back_its_corridor() -> None:
    result = _audit(
        jurisdiction="NP",
        add={
            "fees": [{"fee_id": "F2", "worker_id": "W1", "category": "training", "amount": 20}],
            "fx": [NPR],
        },
    )
    again = AuditResult.model_validate_json(result.to_json())
    assert again.to_json() == result.to_json()
    finding = next(f for f in again.findings if f.rule_id == "DEST-01")
    assert finding.corridor
    assert finding.amount_charged == Decimal("20.00")
