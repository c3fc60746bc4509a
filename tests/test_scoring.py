"""The default scoring, worked by hand, and the rating, provisional and coverage rules."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

import auditor
from auditor.model.enums import Severity
from auditor.model.profiles import DEFAULT_WEIGHTS
from auditor.testing.baseline import ROW_DEFAULTS, apply_changes, baseline
from auditor.verdict.scoring import RuleCount, rating, round_half_up, score_audit


def count(
    rule: str, severity: str, applicable: int, affected: int, gaps: int = 0, *, paragraph: int = 11
) -> RuleCount:
    return RuleCount(rule, Severity(severity), paragraph, applicable, affected, gaps)


def test_the_output_spec_example() -> None:
    scores = score_audit([count("FEE-02", "high", 40, 3)], DEFAULT_WEIGHTS)
    assert scores.rules[0].points == Fraction(43, 8)  # 10 x (0.5 + 0.5 x 3/40) = 5.375
    assert round_half_up(scores.rules[0].points, 2) == Decimal("5.38")
    assert round_half_up(scores.rules[0].prevalence or Fraction(0), 4) == Decimal("0.0750")
    assert scores.score == Decimal("94.6")  # 94.625, rounded half up only at the end
    assert scores.rating == "A"


def test_the_same_example_audited_end_to_end() -> None:
    data = baseline()
    data["workers"] = [{"worker_id": f"W{n}", **ROW_DEFAULTS["workers"]} for n in range(1, 41)]
    data["contracts"] = [
        {
            "contract_id": f"C{n}",
            "worker_id": f"W{n}",
            "stage": "origin",
            **ROW_DEFAULTS["contracts"],
        }
        for n in range(1, 41)
    ]
    data["fees"] = [
        {
            "fee_id": f"F{n}",
            "worker_id": w,
            "category": "medical",
            "amount": a,
            **ROW_DEFAULTS["fees"],
        }
        for n, (w, a) in enumerate([("W12", 45.5), ("W3", 120), ("W7", 80)])
    ]
    result = auditor.audit(auditor.AuditDataset.from_dict(data))
    assert [(f.rule_id, f.subject.id, f.amount_owed) for f in result.findings] == [
        ("FEE-02", "W12", Decimal("45.50")),
        ("FEE-02", "W3", Decimal("120.00")),
        ("FEE-02", "W7", Decimal("80.00")),
    ]
    assert result.score == Decimal("94.6")
    assert result.paragraph_scores == {
        "11": Decimal("94.6"), "16": Decimal("100.0"), "26": Decimal("100.0"),
        "30": Decimal("100.0"),
    }  # fmt: skip
    fee02 = next(r for r in result.rules if r.rule_id == "FEE-02")
    assert (fee02.applicable, fee02.affected, fee02.prevalence, fee02.points) == (
        40,
        3,
        Decimal("0.0750"),
        Decimal("5.38"),
    )
    assert result.money_owed.total == Decimal("245.50")
    document: dict[str, Any] = result.to_dict()
    assert document["money_owed"] == {
        "total": 245.5,
        "by_worker": {"W12": 45.5, "W3": 120.0, "W7": 80.0},
        "undetermined": [],
        "refunded": {"total": 0.0, "by_worker": {}},  # version 1.1
    }
    assert list(document)[:4] == ["format", "audit_id", "agency_name", "inspection_date"]


def test_the_score_multiplies_the_factors_and_never_saturates() -> None:
    counts = [
        count("LIC-01", "critical", 1, 1, paragraph=16),   # 30, factor 0.7
        count("COMP-01", "critical", 1, 1, paragraph=26),  # 30, factor 0.7
        count("AGE-01", "critical", 10, 5, paragraph=30),  # 30 x 0.75 = 22.5, factor 0.775
        count("MOB-01", "high", 4, 1, paragraph=30),       # 10 x 0.625 = 6.25, factor 0.9375
        count("FEE-05", "medium", 10, 2),                  # 3 x 0.6 = 1.8, factor 0.982
    ]  # fmt: skip
    scores = score_audit(counts, DEFAULT_WEIGHTS)
    assert [s.factor for s in scores.rules] == [
        Fraction(7, 10), Fraction(7, 10), Fraction(31, 40), Fraction(15, 16), Fraction(491, 500)
    ]  # fmt: skip
    # 100 x 0.7 x 0.7 x 0.775 x 0.9375 x 0.982 = 34.960734375 (version 1: 100 - 90.55 = 9.45)
    assert scores.score == Decimal("35.0")
    assert scores.paragraph_scores["30"] == Decimal("72.7")  # 100 x 0.775 x 0.9375 = 72.65625
    assert scores.rating == "critical"
    many = [count(f"X-{n:02d}", "critical", 1, 1) for n in range(5)]
    assert score_audit(many, DEFAULT_WEIGHTS).score == Decimal("16.8")  # 100 x 0.7^5 = 16.807
    # version 1 floored this at 0; the product keeps a share for every rule that fired
    thirty = [count(f"X-{n:02d}", "critical", 1, 1) for n in range(30)]
    exact = Fraction(100) * Fraction(7, 10) ** 30
    assert exact > 0
    assert score_audit(thirty, DEFAULT_WEIGHTS).score == round_half_up(exact, 1)


def test_remedying_part_of_the_findings_moves_the_score() -> None:
    """Fewer workers affected by a fired rule raises the score, however many rules fired."""
    before = [count(f"X-{n:02d}", "critical", 10, 6) for n in range(8)]
    after = [*before[:-1], count("X-07", "critical", 10, 2)]
    assert score_audit(after, DEFAULT_WEIGHTS).score > score_audit(before, DEFAULT_WEIGHTS).score


def test_the_factor_is_in_the_result_rounded_to_four_decimals() -> None:
    data = apply_changes(
        baseline(), add={"fees": [{"fee_id": "F2", "worker_id": "W1", "category": "training",
                                   "amount": 10}]})  # fmt: skip
    document = auditor.audit(auditor.AuditDataset.from_dict(data)).to_dict()
    assert document["scoring"] == "multiplicative/1"
    fee02 = next(r for r in document["rules"] if r["rule_id"] == "FEE-02")
    assert (fee02["points"], fee02["factor"]) == (10.0, 0.9)
    untouched = next(r for r in document["rules"] if r["rule_id"] == "LIC-01")
    assert untouched["factor"] == 1.0


@pytest.mark.parametrize(
    ("score", "expected"),
    [("100.0", "A"), ("90.0", "A"), ("89.9", "B"), ("75.0", "B"), ("74.9", "C"),
     ("50.0", "C"), ("49.9", "D"), ("0.0", "D")],
)  # fmt: skip
def test_rating_bands_from_the_rounded_score(score: str, expected: str) -> None:
    assert rating(Decimal(score), critical_finding=False) == expected


def test_the_rating_uses_the_rounded_score() -> None:
    # a weight of 10.05 makes the exact score 89.95: rounded to 90.0, that is an A
    exact = score_audit(
        [count("R-01", "high", 1, 1)],
        {**DEFAULT_WEIGHTS, Severity.HIGH: Fraction(1005, 100)},  # type: ignore[dict-item]
    )
    assert exact.score == Decimal("90.0")  # 100 - 10.05 = 89.95 -> 90.0
    assert exact.rating == "A"


def test_a_critical_finding_rates_critical_whatever_the_score() -> None:
    scores = score_audit([count("AGE-01", "critical", 1000, 1)], DEFAULT_WEIGHTS)
    assert scores.score == Decimal("85.0")
    assert scores.rating == "critical"


def test_provisional_and_coverage() -> None:
    scores = score_audit(
        [count("AGE-01", "critical", 40, 0, gaps=2), count("INFO-01", "high", 40, 0, gaps=6)],
        DEFAULT_WEIGHTS,
    )
    assert scores.score == Decimal("100.0")
    assert scores.provisional
    assert scores.coverage == Decimal("0.9000")  # 72 of 80 pairs decided
    assert not score_audit([count("INFO-01", "high", 40, 0, gaps=6)], DEFAULT_WEIGHTS).provisional


def test_a_rule_with_nothing_applicable_costs_nothing() -> None:
    scores = score_audit([count("COMP-04", "high", 0, 0)], DEFAULT_WEIGHTS)
    assert scores.rules[0].prevalence is None
    assert scores.score == Decimal("100.0")


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [(Fraction(94625, 1000), 1, "94.6"), (Fraction(9465, 100), 1, "94.7"),
     (Fraction(1, 3), 4, "0.3333"), (Fraction(2, 3), 4, "0.6667"), (Fraction(5, 1000), 2, "0.01"),
     (Fraction(43, 8), 2, "5.38")],
)  # fmt: skip
def test_round_half_up(value: Fraction, places: int, expected: str) -> None:
    assert round_half_up(value, places) == Decimal(expected)


def test_a_profile_can_override_severity_and_weights(tmp_path: Any) -> None:
    import shutil

    from auditor.base.resources import default_rules_dir

    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    profile = rules / "profiles" / "ilo.yaml"
    profile.write_text(
        profile.read_text() + "severity_overrides: {FEE-02: critical}\nweights: {critical: 40}\n"
    )
    data = apply_changes(
        baseline(), add={"fees": [{"fee_id": "F2", "worker_id": "W1", "category": "training",
                                   "amount": 10}]})  # fmt: skip
    result = auditor.audit(auditor.AuditDataset.from_dict(data), rules_dir=rules)
    assert result.findings[0].severity is Severity.CRITICAL
    assert result.score == Decimal("60.0")  # 40 x (0.5 + 0.5 x 1/1)
    assert result.rating == "critical"
