"""The inspector's review: every problem at once, and the reviewed view's properties."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.issuing import (
    SUPERVISOR_RULES,
    Review,
    apply_review,
    needs_supervisor,
    reviewed_view,
    validate_review,
)
from auditor.issuing.review import weights_of
from auditor.model.enums import Severity
from auditor.model.result import AuditResult
from auditor.verdict.inspection import Inspection
from auditor.verdict.scoring import RuleCount, round_half_up, score_audit


def test_an_empty_review_changes_nothing(inspection: Inspection) -> None:
    result = inspection.result
    reviewed = reviewed_view(result, Review())
    assert reviewed.score == result.score
    assert reviewed.rating == result.rating
    assert reviewed.paragraph_scores == result.paragraph_scores
    assert reviewed.money_owed.total == result.money_owed.total
    assert [r.points for r in reviewed.rules] == [r.points for r in result.rules]


def test_weights_read_back_from_the_result_are_the_profiles(inspection: Inspection) -> None:
    weights = weights_of(inspection.result)
    fired = {r.severity for r in inspection.result.rules if r.affected}
    for severity in fired:
        assert weights[severity] == inspection.profile.weights[severity]


def test_setting_aside_every_finding_of_a_rule_counts_them_as_passes(
    inspection: Inspection,
) -> None:
    result = inspection.result
    outcome = next(r for r in result.rules if r.affected and r.rule_id.startswith("FEE"))
    found = [f for f in result.findings if f.rule_id == outcome.rule_id]
    review = Review.model_validate(
        {
            "set_aside": [
                {
                    "rule_id": f.rule_id,
                    "subject": {"type": f.subject.type.value, "id": f.subject.id},
                    "reason": "Checked against the receipts: not charged at all.",
                }
                for f in found
            ]
        }
    )
    assert validate_review(result, review) == []
    applied = apply_review(result, review, inspection.profile.weights)
    rule = next(r for r in applied.reviewed.rules if r.rule_id == outcome.rule_id)
    assert (rule.affected, rule.applicable, rule.points) == (0, outcome.applicable, Decimal(0))
    assert rule.set_aside == len(found)
    assert applied.reviewed.score >= result.score
    assert all(f.rule_id != outcome.rule_id for f in applied.result.findings)
    # the engine's result is untouched
    assert sum(1 for f in result.findings if f.rule_id == outcome.rule_id) == len(found)
    # money of workers owed only through this rule's findings goes
    owed_elsewhere = {
        f.subject.id
        for f in result.findings
        if f.amount_owed is not None and f.rule_id != outcome.rule_id
    }
    for worker in {f.subject.id for f in found if f.amount_owed is not None} - owed_elsewhere:
        assert worker not in applied.reviewed.money_owed.by_worker
    assert applied.reviewed.money_owed.total <= result.money_owed.total


def test_every_problem_of_a_review_at_once_with_codes(inspection: Inspection) -> None:
    result = inspection.result
    finding = result.findings[0]
    review = Review.model_validate(
        {
            "set_aside": [
                {"rule_id": "NOPE-01", "subject": {"type": "worker", "id": "W1"},
                 "reason": "short"},
                {"rule_id": finding.rule_id, "subject": {"type": "worker", "id": "NOBODY"},
                 "reason": "A reason that is long enough to count."},
            ],
            "added": [
                {"paragraph": 12, "severity": "high", "subject_type": "worker",
                 "subjects": ["NOBODY", "NOBODY"], "finding": " ", "evidence": "seen"},
                {"paragraph": 11, "severity": "low", "subject_type": "worker",
                 "subjects": [], "finding": "x", "evidence": "y"},
            ],
        }
    )  # fmt: skip
    codes = [(p.where, p.code) for p in validate_review(result, review)]
    assert ("set_aside[0].reason", "reason_too_short") in codes
    assert ("set_aside[0].rule_id", "unknown_rule") in codes
    assert ("set_aside[1].subject", "not_a_finding") in codes
    assert ("added[0].paragraph", "bad_paragraph") in codes
    assert ("added[0].finding", "empty_text") in codes
    assert ("added[0].subjects[0]", "unknown_subject") in codes
    assert ("added[0].subjects", "duplicate_subject") in codes
    assert ("added[1].subjects", "no_subjects") in codes


def test_referrals_are_set_aside_by_supervisors_only(inspection: Inspection) -> None:
    assert {"FL-01", "COMP-06", "COMP-08", "AGE-01"} == SUPERVISOR_RULES
    assert needs_supervisor("FL-01")
    assert not needs_supervisor("FEE-02")
    result = inspection.result
    referral = next((f for f in result.findings if f.rule_id in SUPERVISOR_RULES), None)
    if referral is None:  # the sample has none: the check is on the rule id alone
        return
    review = Review.model_validate(
        {"set_aside": [{"rule_id": referral.rule_id,
                        "subject": {"type": referral.subject.type.value, "id": referral.subject.id},
                        "reason": "The supervisor checked this referral herself."}]}
    )  # fmt: skip
    assert [p.code for p in validate_review(result, review, supervisor=False)] == [
        "needs_supervisor"
    ]
    assert validate_review(result, review, supervisor=True) == []


def _result_keeping(inspection: Inspection, keep: list[int]) -> AuditResult:
    """The sample's result as if only the findings at ``keep`` had been found, scored again:
    a consistent result with any score between 0 and 100 for the properties below."""
    result = inspection.result
    kept = [result.findings[i] for i in sorted(keep)]
    affected = Counter(f.rule_id for f in kept)
    counts = [
        RuleCount(r.rule_id, r.severity, r.paragraph, r.applicable, affected[r.rule_id], r.gaps)
        for r in result.rules
    ]
    scores = score_audit(counts, inspection.profile.weights)
    return result.model_copy(
        update={
            "findings": tuple(kept),
            "score": scores.score,
            "rating": scores.rating,
            "paragraph_scores": scores.paragraph_scores,
            "rules": tuple(
                r.model_copy(
                    update={
                        "affected": affected[r.rule_id],
                        "points": round_half_up(s.points, 2),
                        "prevalence": None
                        if s.prevalence is None
                        else round_half_up(s.prevalence, 4),
                    }
                )
                for r, s in zip(result.rules, scores.rules, strict=True)
            ),
        }
    )


def _results(inspection: Inspection) -> st.SearchStrategy[AuditResult]:
    size = len(inspection.result.findings)
    return st.lists(st.integers(0, size - 1), unique=True, max_size=min(size, 8)).map(
        lambda keep: _result_keeping(inspection, keep)
    )


def _set_asides(result: AuditResult) -> st.SearchStrategy[Review]:
    if not result.findings:
        return st.just(Review())
    size = len(result.findings)
    return st.lists(st.integers(0, size - 1), unique=True, max_size=size).map(
        lambda chosen: Review.model_validate(
            {
                "set_aside": [
                    {
                        "rule_id": result.findings[i].rule_id,
                        "subject": {
                            "type": result.findings[i].subject.type.value,
                            "id": result.findings[i].subject.id,
                        },
                        "reason": "The inspector knows this finding to be wrong.",
                    }
                    for i in chosen
                ]
            }
        )
    )


def _added(inspection: Inspection) -> st.SearchStrategy[Review]:
    workers = inspection.result.subjects.worker
    one = st.builds(
        lambda paragraph, severity, subjects: {
            "paragraph": paragraph,
            "severity": severity.value,
            "subject_type": "worker",
            "subjects": subjects,
            "finding": "Something the rules cannot see.",
            "evidence": "Seen at the visit.",
        },
        st.sampled_from([11, 16, 26, 30]),
        st.sampled_from(list(Severity)),
        st.lists(st.sampled_from(workers), unique=True, min_size=1, max_size=5),
    )
    return st.lists(one, max_size=4).map(lambda added: Review.model_validate({"added": added}))


_SETTINGS = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@_SETTINGS
@given(data=st.data())
def test_setting_aside_never_lowers_the_score(inspection: Inspection, data: st.DataObject) -> None:
    result = data.draw(_results(inspection))
    review = data.draw(_set_asides(result))
    assert validate_review(result, review) == []
    weights = inspection.profile.weights
    assert reviewed_view(result, Review(), weights).score == result.score
    reviewed = reviewed_view(result, review, weights)
    assert reviewed.score >= result.score
    for p, score in reviewed.paragraph_scores.items():
        assert score >= result.paragraph_scores[p]
    assert reviewed.money_owed.total <= result.money_owed.total
    if len(review.set_aside) == len(result.findings):
        assert reviewed.score == Decimal(100)


@_SETTINGS
@given(data=st.data())
def test_adding_never_raises_the_score(inspection: Inspection, data: st.DataObject) -> None:
    result = data.draw(_results(inspection))
    review = data.draw(_added(inspection))
    assert validate_review(result, review) == []
    reviewed = reviewed_view(result, review, inspection.profile.weights)
    assert reviewed.score <= result.score
    if review.added:
        assert reviewed.score < result.score or result.score == 0
    assert reviewed.money_owed.total == result.money_owed.total  # added findings make no money
    assert sum(1 for r in reviewed.rules if r.added) == len(review.added)
    if any(a.severity is Severity.CRITICAL for a in review.added):
        assert reviewed.rating.value == "critical"


@_SETTINGS
@given(data=st.data())
def test_an_empty_review_changes_nothing_whatever_the_result(
    inspection: Inspection, data: st.DataObject
) -> None:
    result = data.draw(_results(inspection))
    applied = apply_review(result, Review())
    assert applied.result is result
    assert applied.reviewed.score == result.score
    assert applied.reviewed.rating == result.rating
