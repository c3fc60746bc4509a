"""An audit's line in a batch summary: what an inspectorate ranks agencies by.

- ``workers_affected``: the workers a finding is about or money is owed
  to, each once;
- ``money_owed_per_worker``: money owed over the workers audited (the
  ``worker`` subjects), so a large agency does not outrank a small one by
  size alone; in the audit's currency, rounded half up to its minor unit
  for display only;
- ``critical_findings``: findings of severity ``critical``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from auditor.model.enums import Rating, Severity, SubjectType
from auditor.model.result import AuditResult
from auditor.verdict.money import minor_unit

#: Riskiest first: the order agencies are ranked in.
RATING_RISK = {Rating.CRITICAL: 0, Rating.D: 1, Rating.C: 2, Rating.B: 3, Rating.A: 4}


def audit_row(result: AuditResult) -> dict[str, Any]:
    """The summary's fields of one audit (Decimals as text, so nothing is rounded twice)."""
    affected = {
        f.subject.id for f in result.findings if f.subject.type is SubjectType.WORKER
    } | set(result.money_owed.by_worker)
    audited = len(result.subjects.worker)
    owed = result.money_owed.total
    per_worker = owed / audited if audited else Decimal(0)
    exponent = Decimal(1).scaleb(-minor_unit(result.currency))
    severities = sorted({f.severity.value for f in result.findings})
    return {
        "audit_id": result.audit_id,
        "agency_name": result.agency_name,
        "agency_licence": result.agency_licence,
        "jurisdiction": result.jurisdiction,
        "inspection_date": result.inspection_date.isoformat(),
        "input_sha256": result.input_sha256,
        "ruleset_version": result.ruleset_version,
        "rating": result.rating.value,
        "score": str(result.score),
        "provisional": result.provisional,
        "findings": len(result.findings),
        "critical_findings": sum(f.severity is Severity.CRITICAL for f in result.findings),
        "severities": severities,
        "workers_audited": audited,
        "workers_affected": len(affected),
        "currency": result.currency,
        "money_owed_total": str(owed),
        "money_owed_per_worker": str(per_worker.quantize(exponent, rounding=ROUND_HALF_UP)),
        "coverage": str(result.coverage),
    }


def risk_key(row: dict[str, Any]) -> tuple[Any, ...]:
    """Riskiest first: rating, then lower score, more critical findings, more workers
    affected, more money owed per worker; the file name breaks ties, so the order is stable."""
    return (
        RATING_RISK[Rating(row["rating"])],
        Decimal(row["score"]),
        -row["critical_findings"],
        -row["workers_affected"],
        -Decimal(row["money_owed_per_worker"]),
        row["source"],
    )
