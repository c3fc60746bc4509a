"""The inspector's review: checking it against the audit, and the reviewed view.

The engine's result is a finding of fact and is never changed; the issued
report prints the **reviewed view** (audit-output.md 1.2, "Settled"):

- a finding set aside counts as a pass for its subject: its rule's
  ``affected`` drops by one, ``applicable`` stays; its money goes;
- FL-01 is never recomputed from its indicators: setting an indicator
  aside leaves FL-01 as the engine found it (the inspector sets FL-01
  aside too, or not);
- an added finding is a rule of its own, ``INSP-1``, ``INSP-2``... in the
  order given, weighted by its severity, prevalence its subjects / the
  audit's subjects of that type; it makes no money owed;
- score, paragraph scores, rating and provisional follow from these counts
  by the catalogue's own scoring (:mod:`auditor.verdict.scoring`); coverage
  is the engine's (a review decides nothing the engine left undecided).

Setting aside the referrals (FL-01, COMP-06, COMP-08, AGE-01) needs a
supervisor: :data:`SUPERVISOR_RULES`, :func:`needs_supervisor`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from auditor.issuing.record import (
    MIN_REASON,
    PARAGRAPHS,
    Added,
    RecordedAdded,
    Review,
    Reviewed,
    ReviewedMoney,
    ReviewedRule,
)
from auditor.model.enums import Severity, SubjectType
from auditor.model.profiles import DEFAULT_WEIGHTS
from auditor.model.result import AuditResult, Finding, MoneyOwed, RuleOutcome
from auditor.verdict.money import round_amount
from auditor.verdict.scoring import RuleCount, round_half_up, score_audit

#: Referrals: only a supervisor may set their findings aside (web.md 1.1, "Who").
SUPERVISOR_RULES = frozenset({"FL-01", "COMP-06", "COMP-08", "AGE-01"})
#: The prefix of the inspector's own rules in the reviewed view.
ADDED_PREFIX = "INSP-"


def needs_supervisor(rule_id: str) -> bool:
    """Whether setting aside a finding of ``rule_id`` is for a supervisor only."""
    return rule_id in SUPERVISOR_RULES


@dataclass(frozen=True)
class ReviewProblem:
    """One thing wrong with a review: where (``set_aside[2].reason``), a stable code, a sentence."""

    where: str
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"

    def to_dict(self) -> dict[str, str]:
        return {"where": self.where, "code": self.code, "message": self.message}


def validate_review(
    result: AuditResult, review: Review, *, supervisor: bool = True
) -> list[ReviewProblem]:
    """Every problem of ``review`` against ``result`` at once, in the order of the review.

    Codes: ``reason_too_short``, ``unknown_rule``, ``not_a_finding`` (the rule
    has no finding for that subject), ``duplicate_set_aside``,
    ``needs_supervisor``, ``bad_paragraph``, ``empty_text``, ``no_subjects``,
    ``unknown_subject``, ``duplicate_subject``.
    """
    problems: list[ReviewProblem] = []
    rules = {outcome.rule_id for outcome in result.rules}
    found = {(f.rule_id, f.subject.type, f.subject.id) for f in result.findings}
    seen: set[tuple[str, SubjectType, str]] = set()
    for index, item in enumerate(review.set_aside):
        where = f"set_aside[{index}]"
        if len(item.reason.strip()) < MIN_REASON:
            problems.append(
                ReviewProblem(
                    f"{where}.reason",
                    "reason_too_short",
                    f"the reason must be at least {MIN_REASON} characters "
                    f"({len(item.reason.strip())} given)",
                )
            )
        key = (item.rule_id, item.subject.type, item.subject.id)
        if item.rule_id not in rules:
            problems.append(
                ReviewProblem(
                    f"{where}.rule_id",
                    "unknown_rule",
                    f"the audit has no rule {item.rule_id!r}",
                )
            )
        elif key not in found:
            problems.append(
                ReviewProblem(
                    f"{where}.subject",
                    "not_a_finding",
                    f"{item.rule_id} has no finding for {item.subject.type.value} "
                    f"{item.subject.id!r} in this audit",
                )
            )
        if key in seen:
            problems.append(
                ReviewProblem(where, "duplicate_set_aside", "this finding is already set aside")
            )
        seen.add(key)
        if not supervisor and needs_supervisor(item.rule_id):
            problems.append(
                ReviewProblem(
                    f"{where}.rule_id",
                    "needs_supervisor",
                    f"only a supervisor may set aside a finding of {item.rule_id} (a referral)",
                )
            )
    for index, added in enumerate(review.added):
        problems.extend(_added_problems(result, added, f"added[{index}]"))
    return problems


def _added_problems(result: AuditResult, added: Added, where: str) -> list[ReviewProblem]:
    problems = []
    if added.paragraph not in PARAGRAPHS:
        problems.append(
            ReviewProblem(
                f"{where}.paragraph",
                "bad_paragraph",
                f"the paragraph must be one of {', '.join(map(str, PARAGRAPHS))}, "
                f"not {added.paragraph}",
            )
        )
    for field in ("finding", "evidence"):
        if not getattr(added, field).strip():
            problems.append(
                ReviewProblem(f"{where}.{field}", "empty_text", f"say the {field} in words")
            )
    subjects = _added_subjects(result, added)
    if not subjects:
        problems.append(
            ReviewProblem(
                f"{where}.subjects", "no_subjects", "name at least one subject of the finding"
            )
        )
    known = set(_subjects_of(result, added.subject_type))
    for position, subject in enumerate(added.subjects):
        if subject not in known:
            problems.append(
                ReviewProblem(
                    f"{where}.subjects[{position}]",
                    "unknown_subject",
                    f"the audit has no {added.subject_type.value} {subject!r}",
                )
            )
    for subject, times in Counter(added.subjects).items():
        if times > 1:
            problems.append(
                ReviewProblem(
                    f"{where}.subjects",
                    "duplicate_subject",
                    f"{subject!r} is named {times} times",
                )
            )
    return problems


def _subjects_of(result: AuditResult, subject_type: SubjectType) -> tuple[str, ...]:
    if subject_type is SubjectType.AGENCY:
        return result.subjects.agency or (result.audit_id,)
    ids: tuple[str, ...] = getattr(result.subjects, subject_type.value)
    return ids


def _added_subjects(result: AuditResult, added: Added) -> tuple[str, ...]:
    """The added finding's subjects; the agency's is the audit itself when none is named."""
    if added.subject_type is SubjectType.AGENCY and not added.subjects:
        return _subjects_of(result, SubjectType.AGENCY)
    return tuple(dict.fromkeys(added.subjects))


def recorded_added(result: AuditResult, review: Review) -> tuple[RecordedAdded, ...]:
    """The added findings as the record keeps them, numbered ``INSP-1``, ``INSP-2``..."""
    return tuple(
        RecordedAdded(
            rule_id=f"{ADDED_PREFIX}{number}",
            paragraph=added.paragraph,
            severity=added.severity,
            subject_type=added.subject_type,
            subjects=_added_subjects(result, added),
            finding=added.finding.strip(),
            evidence=added.evidence.strip(),
            confidential=added.confidential,
        )
        for number, added in enumerate(review.added, start=1)
    )


def weights_of(result: AuditResult) -> dict[Severity, int]:
    """The severity weights the engine scored ``result`` with, read back from its points.

    A fired rule's points are ``weight x (0.5 + 0.5 x prevalence)``, rounded to
    two decimals; the weight is the integer that gives them back. Severities
    with no fired rule take the catalogue's defaults, which no score then
    depends on but an added finding of that severity.
    """
    weights = dict(DEFAULT_WEIGHTS)
    for outcome in result.rules:
        if not outcome.affected or not outcome.applicable:
            continue
        factor = Fraction(1, 2) + Fraction(outcome.affected, 2 * outcome.applicable)
        guess = round(Fraction(outcome.points) / factor)
        if guess > 0 and round_half_up(guess * factor, 2) == outcome.points:
            weights[outcome.severity] = guess
    return weights


@dataclass(frozen=True)
class ReviewedResult:
    """The reviewed view twice: as the record's block, and as a result the reports render."""

    reviewed: Reviewed
    result: AuditResult  # findings set aside removed; scores and money reviewed
    added: tuple[RecordedAdded, ...]
    set_aside: tuple[Finding, ...]  # the engine's findings the review set aside


def apply_review(
    result: AuditResult, review: Review, weights: Mapping[Severity, int] | None = None
) -> ReviewedResult:
    """The engine's ``result`` with ``review`` applied; ``result`` itself is left as it is.

    An empty review gives back the engine's own figures unchanged. Call
    :func:`validate_review` first: set-asides naming no finding change nothing here.
    """
    weights = dict(weights) if weights is not None else weights_of(result)
    aside_keys = {(s.rule_id, s.subject.type, s.subject.id) for s in review.set_aside}
    kept: list[Finding] = []
    removed: list[Finding] = []
    for finding in result.findings:
        key = (finding.rule_id, finding.subject.type, finding.subject.id)
        (removed if key in aside_keys else kept).append(finding)
    dropped = Counter(f.rule_id for f in removed)
    added = recorded_added(result, review)
    if not removed and not added:
        return ReviewedResult(_engine_block(result), result, (), ())
    outcomes = [
        outcome.model_copy(update={"affected": outcome.affected - dropped[outcome.rule_id]})
        for outcome in result.rules
    ]
    counts = [
        RuleCount(o.rule_id, o.severity, o.paragraph, o.applicable, o.affected, o.gaps)
        for o in outcomes
    ]
    for item in added:
        applicable = max(len(_subjects_of(result, item.subject_type)), len(item.subjects))
        counts.append(
            RuleCount(
                item.rule_id, item.severity, item.paragraph, applicable, len(item.subjects), 0
            )
        )
    scores = score_audit(counts, weights)
    rules = tuple(
        ReviewedRule(
            rule_id=s.count.rule_id,
            severity=s.count.severity,
            paragraph=s.count.paragraph,
            applicable=s.count.applicable,
            affected=s.count.affected,
            gaps=s.count.gaps,
            prevalence=None if s.prevalence is None else round_half_up(s.prevalence, 4),
            points=round_half_up(s.points, 2),
            set_aside=dropped[s.count.rule_id],
            added=s.count.rule_id.startswith(ADDED_PREFIX),
        )
        for s in scores.rules
    )
    money = _reviewed_money(result.money_owed, kept, removed, result.currency)
    reviewed = Reviewed(
        score=scores.score,
        rating=scores.rating,
        provisional=scores.provisional,
        coverage=result.coverage,
        paragraph_scores=scores.paragraph_scores,
        rules=rules,
        money_owed=ReviewedMoney(total=money.total, by_worker=dict(money.by_worker)),
    )
    engine_rules = {r.rule_id: r for r in rules}
    rendered = result.model_copy(
        update={
            "score": scores.score,
            "rating": scores.rating,
            "provisional": scores.provisional,
            "paragraph_scores": scores.paragraph_scores,
            "findings": tuple(kept),
            "rules": tuple(
                RuleOutcome(
                    rule_id=o.rule_id,
                    severity=o.severity,
                    paragraph=o.paragraph,
                    applicable=o.applicable,
                    affected=o.affected,
                    gaps=o.gaps,
                    prevalence=engine_rules[o.rule_id].prevalence,
                    points=engine_rules[o.rule_id].points,
                )
                for o in outcomes
            ),
            "money_owed": money,
        }
    )
    return ReviewedResult(reviewed, rendered, added, tuple(removed))


def reviewed_view(
    result: AuditResult, review: Review, weights: Mapping[Severity, int] | None = None
) -> Reviewed:
    """The ``reviewed`` block of the issue record: what the issued report says."""
    return apply_review(result, review, weights).reviewed


def _engine_block(result: AuditResult) -> Reviewed:
    return Reviewed(
        score=result.score,
        rating=result.rating,
        provisional=result.provisional,
        coverage=result.coverage,
        paragraph_scores=dict(result.paragraph_scores),
        rules=tuple(
            ReviewedRule(
                rule_id=o.rule_id,
                severity=o.severity,
                paragraph=o.paragraph,
                applicable=o.applicable,
                affected=o.affected,
                gaps=o.gaps,
                prevalence=o.prevalence,
                points=o.points,
            )
            for o in result.rules
        ),
        money_owed=ReviewedMoney(
            total=result.money_owed.total, by_worker=dict(result.money_owed.by_worker)
        ),
    )


def _reviewed_money(
    money: MoneyOwed, kept: list[Finding], removed: list[Finding], currency: str
) -> MoneyOwed:
    """Money owed once findings are set aside: a worker keeps what her other findings show.

    A worker none of whose money-making findings remain is owed nothing; one
    with some remaining is owed the engine's amount, at most the sum of the
    remaining findings' amounts (the engine's amount counts each fee row
    once, net of refunds, so it is never exceeded).
    """
    touched = {f.subject.id for f in removed if f.amount_owed is not None}
    if not touched:
        return money
    remaining: dict[str, Decimal] = defaultdict(Decimal)
    for finding in kept:
        if finding.amount_owed is not None and finding.subject.id in touched:
            remaining[finding.subject.id] += finding.amount_owed
    by_worker: dict[str, Decimal] = {}
    for worker, engine_amount in money.by_worker.items():
        amount = engine_amount
        if worker in touched:
            amount = min(amount, round_amount(remaining.get(worker, Decimal(0)), currency))
        if amount > 0:
            by_worker[worker] = amount
    return money.model_copy(
        update={"by_worker": by_worker, "total": sum(by_worker.values(), Decimal(0))}
    )
