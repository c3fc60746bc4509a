"""Catalogue 1.3, corridor law: DEST-01 beside the origin's rules, through the public ``audit``.

The origin's profile stays the law enforced (its findings and money owed do
not move); the destination profile of the worker's employer's country is
checked beside it. Each test audits a whole inspection (the kit's baseline:
worker W1 of employer E1 in Qatar, construction, wage 500 USD).
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from auditor import AuditDataset, AuditResult, UsageError, audit
from auditor.base.resources import default_rules_dir
from auditor.testing.baseline import apply_changes, baseline
from auditor.testing.strategies import datasets

NPR = {"currency": "NPR", "rate": 0.0075}


@pytest.fixture(scope="module")
def without_destinations(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped rules less DEST-01 and rules/destinations: the pack before 1.3."""
    rules = tmp_path_factory.mktemp("before-1.3") / "rules"
    shutil.copytree(default_rules_dir(), rules)
    shutil.rmtree(rules / "destinations")
    (rules / "DEST-01.yaml").unlink()
    return rules


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
    without_destinations: Path,
) -> None:
    """Removing rules/destinations and DEST-01 changes nothing else the origin's rules find."""
    rules = without_destinations
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


def test_a_destination_cap_in_a_currency_without_a_rate_is_a_data_gap(tmp_path: Any) -> None:
    """A destination profile's fixed cap needs an FX rate; without one, (b) is undecided."""
    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    hk = rules / "destinations" / "HK.yaml"
    hk.write_text(
        hk.read_text().replace(
            "    share_of_destination_wage: 0.1", "    amount: 400\n    currency: HKD"
        )
    )
    data = apply_changes(
        baseline(),
        jurisdiction="PH",
        change={"employers": {"E1": {"destination_country": "HK"}}},
        add={
            "fees": [
                {"fee_id": "F2", "worker_id": "W1", "category": "recruitment_fee", "amount": 100}
            ]
        },
    )
    result = audit(data, rules_dir=rules)
    assert "DEST-01" not in _ids(result)
    [gap] = [g for g in result.data_gaps if g.rule_id == "DEST-01"]
    assert any("no rate for HKD" in missing for missing in gap.missing)
    data["fx"] = [{"currency": "HKD", "rate": 0.128}]  # 400 HKD = 51.20 USD
    result = audit(data, rules_dir=rules)
    finding = next(f for f in result.findings if f.rule_id == "DEST-01")
    assert finding.amount_charged == Decimal("48.80")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    dataset=datasets(profile="ilo", workers=(1, 5), currencies=("USD", "PHP")),
)
def test_under_the_ilo_baseline_dest_01_never_fires_nor_is_a_gap(dataset: AuditDataset) -> None:
    """``ilo`` lets a worker pay nothing: every cost is FEE-01/02/03's, never DEST-01's."""
    result = audit(dataset)
    assert not [f for f in result.findings if f.rule_id == "DEST-01"]
    assert not [g for g in result.data_gaps if g.rule_id == "DEST-01"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dataset=datasets(profile="NP", workers=(1, 5), currencies=("USD", "NPR")))
def test_dest_01_never_changes_what_the_origins_rules_find_or_the_money_owed(
    dataset: AuditDataset, without_destinations: Path
) -> None:
    """The same dataset audited with and without the destination profiles and DEST-01."""
    with_corridor = audit(dataset)
    without = audit(dataset, rules_dir=without_destinations)
    keep = [f for f in with_corridor.findings if f.rule_id != "DEST-01"]
    assert [(f.rule_id, f.subject.id, f.amount_owed) for f in keep] == [
        (f.rule_id, f.subject.id, f.amount_owed) for f in without.findings
    ]
    assert with_corridor.money_owed == without.money_owed
    for finding in with_corridor.findings:
        if finding.rule_id == "DEST-01":
            assert finding.amount_owed == 0


def test_jurisdiction_never_names_a_destination_profile() -> None:
    with pytest.raises(UsageError, match="no jurisdiction profile 'QA'"):
        audit(apply_changes(baseline()), jurisdiction="QA")
