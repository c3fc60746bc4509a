"""The audit result: typed, frozen, and written as the JSON of ``audit-output.md``.

Amounts and scores are exact decimals already rounded as reported (half up,
to the audit currency's minor unit; scores to one decimal, prevalence to
four, points to two). :meth:`AuditResult.to_json` writes them as JSON
numbers in a fixed key order, so the same input gives byte-identical text.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict

from auditor.model.enums import Severity, SubjectType

FORMAT = "audit-result/1"
JsonValue = str | int | float | bool | None | list[Any]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Subject(_Frozen):
    type: SubjectType
    id: str


class Evidence(_Frozen):
    """A cell a finding rests on, with its value as read (normalised, not converted)."""

    sheet: str
    cell: str
    column: str
    value: JsonValue

    @property
    def where(self) -> str:
        return f"{self.sheet}!{self.cell}"


class Finding(_Frozen):
    rule_id: str
    title: str
    severity: Severity
    paragraph: int
    subject: Subject
    evidence: tuple[Evidence, ...]
    amount_owed: Decimal | None = None


class DataGap(_Frozen):
    """A rule that could not be decided for a subject, and the values it lacked."""

    rule_id: str
    subject: Subject
    missing: tuple[str, ...]


class RuleOutcome(_Frozen):
    """How one rule of the pack scored: enough to recompute the score by hand."""

    rule_id: str
    severity: Severity
    paragraph: int
    applicable: int
    affected: int
    gaps: int
    prevalence: Decimal | None
    points: Decimal


class UndeterminedRow(_Frozen):
    worker_id: str
    cell: str


class MoneyOwed(_Frozen):
    total: Decimal
    by_worker: dict[str, Decimal]
    undetermined: tuple[UndeterminedRow, ...]


class AuditResult(_Frozen):
    """Everything one audit found; ``to_json()`` is the result document."""

    format: str = FORMAT
    audit_id: str
    agency_name: str
    inspection_date: dt.date
    jurisdiction: str
    currency: str
    input_sha256: str
    ruleset_version: str
    score: Decimal
    rating: str
    provisional: bool
    coverage: Decimal
    paragraph_scores: dict[str, Decimal]
    findings: tuple[Finding, ...]
    rules: tuple[RuleOutcome, ...]
    money_owed: MoneyOwed
    data_gaps: tuple[DataGap, ...]
    warnings: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """The JSON document as Python values (decimals as floats), keys in spec order."""
        document: dict[str, Any] = _plain(self.model_dump(mode="python"))
        return document

    def to_json(self) -> str:
        """The result document: fixed key order, two-space indent, UTF-8, trailing newline."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    def findings_by_severity(self) -> dict[Severity, int]:
        counts = dict.fromkeys(Severity, 0)
        for finding in self.findings:
            counts[finding.severity] += 1
        return counts


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items() if not _omit(key, item)}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "value") and isinstance(value.value, str):  # enums
        return value.value
    return value


def _omit(key: object, value: object) -> bool:
    # amount_owed appears only on findings that make money owed
    return key == "amount_owed" and value is None
