"""Whose copy a report is: the inspector's, or the agency's (complainants protected).

The inspector's copy shows everything. Whatever goes to the agency or the
employer must never tie a complaint to the worker behind it (C81 Art
15(c); rule-catalogue "Complainant confidentiality"), nor name the workers
referred as possible victims of forced labour: findings
of rules marked ``confidential`` in their rule file (COMP-06, COMP-07,
COMP-08 and FL-01 as shipped) appear there only as counts, without
subject ids, evidence cells, dates or categories. Their data gaps go too,
and so do input warnings that point at a single row of ``Complaints``.
"""

from __future__ import annotations

import re
from enum import StrEnum

from auditor.engine.pack import RulePack
from auditor.model.result import AgencyCopy, AuditResult


class Copy(StrEnum):
    """Whose copy: the inspector's shows everything; the agency's protects complainants."""

    INSPECTOR = "inspector"
    AGENCY = "agency"


_COMPLAINT_CELL = re.compile(r"^Complaints![A-Z]+\d+\b")


def confidential_rules(pack: RulePack) -> frozenset[str]:
    """Ids of the rules whose findings the agency may see only as counts."""
    return frozenset(rule.id for rule in pack.rules if rule.data.confidential)


def for_agency(result: AuditResult, confidential: frozenset[str]) -> AuditResult:
    """The result as the agency may see it; ``rules`` keeps every count, so the score adds up."""
    warnings = [w for w in result.warnings if not _COMPLAINT_CELL.match(w)]
    withheld = len(result.warnings) - len(warnings)
    if withheld:
        warnings.append(
            f"Complaints: {withheld} warning{'s' if withheld != 1 else ''} about single rows "
            "withheld in the agency's copy"
        )
    return result.model_copy(
        update={
            "findings": tuple(f for f in result.findings if f.rule_id not in confidential),
            "data_gaps": tuple(g for g in result.data_gaps if g.rule_id not in confidential),
            "warnings": tuple(warnings),
            "agency_copy": AgencyCopy(
                withheld_rules=tuple(
                    r.rule_id for r in result.rules if r.rule_id in confidential and r.affected
                )
            ),
        }
    )
