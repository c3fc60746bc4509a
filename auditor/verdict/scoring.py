"""The default scoring of the rule catalogue, as pure functions in exact fractions.

- weight by severity: critical 30, high 10, medium 3, low 1 (a profile may
  change them);
- prevalence of a rule = subjects with a finding / applicable subjects;
- points of a rule that fired = weight x (0.5 + 0.5 x prevalence);
- factor of a rule = 1 - points / 100 (catalogue 1.2);
- score = 100 x the product of the factors of the rules that fired, exact,
  rounded half up to one decimal only at the end; a paragraph's score is the
  same over its rules alone. Version 1 subtracted the points and floored at
  0, so most agencies with a few critical findings scored 0.0 on every visit
  and a remedy never showed; a product keeps a share for every rule that
  fired, so the score never saturates and moves when part is remedied;
- rating from the rounded score: ``critical`` whenever a critical finding
  exists, else A (>= 90), B (>= 75), C (>= 50), D;
- provisional when a critical rule has a data gap; coverage is the share of
  (rule, applicable subject) pairs that could be decided.

Unknowns never cost points: coverage and provisional say how much the score
rests on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from auditor.model.enums import Rating, Severity

PARAGRAPHS = (11, 16, 26, 30)
#: The result's ``scoring`` key: how its score was computed (a result without it subtracted).
METHOD = "multiplicative/1"
_HALF = Fraction(1, 2)


@dataclass(frozen=True)
class RuleCount:
    """What scoring needs of one rule."""

    rule_id: str
    severity: Severity
    paragraph: int
    applicable: int
    affected: int
    gaps: int


@dataclass(frozen=True)
class RuleScore:
    count: RuleCount
    prevalence: Fraction | None
    points: Fraction

    @property
    def factor(self) -> Fraction:
        """The share of the score this rule leaves: 1 - points / 100 (1 when it did not fire)."""
        return 1 - self.points / 100


@dataclass(frozen=True)
class Scores:
    rules: tuple[RuleScore, ...]
    score: Decimal
    paragraph_scores: dict[str, Decimal]
    rating: Rating
    provisional: bool
    coverage: Decimal


def round_half_up(value: Fraction, places: int) -> Decimal:
    """``value`` rounded half up to ``places`` decimals, exactly (no float on the way)."""
    scaled = value * 10**places
    whole = int(scaled)  # towards zero
    if abs(scaled - whole) >= _HALF:
        whole += 1 if scaled > 0 else -1
    return Decimal(whole).scaleb(-places)


def rule_score(count: RuleCount, weights: Mapping[Severity, int]) -> RuleScore:
    prevalence = Fraction(count.affected, count.applicable) if count.applicable else None
    points = Fraction(0)
    if count.affected and prevalence is not None:
        points = weights[count.severity] * (_HALF + _HALF * prevalence)
    return RuleScore(count, prevalence, points)


def _score(points: Sequence[Fraction]) -> Fraction:
    """100 x the product of (1 - points / 100), exact (weights are below 100, lint)."""
    product = Fraction(100)
    for value in points:
        product *= 1 - value / 100
    return product


def rating(score: Decimal, *, critical_finding: bool) -> Rating:
    if critical_finding:
        return Rating.CRITICAL
    if score >= 90:
        return Rating.A
    if score >= 75:
        return Rating.B
    if score >= 50:
        return Rating.C
    return Rating.D


def score_audit(counts: Sequence[RuleCount], weights: Mapping[Severity, int]) -> Scores:
    scored = tuple(rule_score(count, weights) for count in counts)
    total = round_half_up(_score([s.points for s in scored]), 1)
    paragraphs = {
        str(p): round_half_up(_score([s.points for s in scored if s.count.paragraph == p]), 1)
        for p in PARAGRAPHS
    }
    pairs = sum(count.applicable for count in counts)
    decided = sum(count.applicable - count.gaps for count in counts)
    coverage = round_half_up(Fraction(decided, pairs), 4) if pairs else Decimal(1)
    critical = any(c.severity is Severity.CRITICAL and c.affected for c in counts)
    return Scores(
        rules=scored,
        score=total,
        paragraph_scores=paragraphs,
        rating=rating(total, critical_finding=critical),
        provisional=any(c.severity is Severity.CRITICAL and c.gaps for c in counts),
        coverage=coverage,
    )
