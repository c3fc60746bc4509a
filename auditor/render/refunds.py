"""Refunds beside the fees they reduce, for the money section of the report.

Every fee row with a refund is listed with the fee as written (amount,
currency, cell), the refund as written (amount, date, cell) and whether it
was counted against money owed: a refund counts only on a row a finding of
FEE-01, FEE-02, FEE-03 or FEE-06 shows to be unlawful (rule catalogue,
"Money owed"); any other refund is listed as not counted, and the result's
warnings name its cell. Money is not confidential: the agency's copy shows
the same lines.
"""

from __future__ import annotations

from dataclasses import dataclass

from auditor.i18n import gettext as _
from auditor.model.result import AuditResult
from auditor.render import formats
from auditor.verdict.inspection import Inspection

#: Rules whose findings make money owed (their rows' refunds count).
MONEY_RULES = frozenset({"FEE-01", "FEE-02", "FEE-03", "FEE-06"})


@dataclass(frozen=True)
class RefundLine:
    worker_id: str
    fee_cell: str  # "Fees!E82"
    fee: str  # "15,000.00 PHP" as written
    refunded: str  # "15,000.00 PHP" as written
    refunded_on: str  # "10 August 2026"
    refund_cell: str  # "Fees!N82"
    counted: bool
    rules: str  # "FEE-01": the findings it reduces; empty when not counted


def refund_lines(inspection: Inspection, result: AuditResult) -> tuple[RefundLine, ...]:
    """One line per fee row with a refund above zero, by worker, then row."""
    dataset = inspection.dataset
    provenance = dataset.provenance
    owed_cells: dict[tuple[str, str | None], set[str]] = {}  # (worker, fee_id): rules
    for finding in inspection.result.findings:  # the whole audit: a copy never hides money
        if finding.rule_id not in MONEY_RULES and not finding.corridor:
            continue
        for item in finding.evidence:
            if item.sheet == "Fees" and item.column == "amount":
                key = (finding.subject.id, item.record_id)  # cells are None for dict input
                owed_cells.setdefault(key, set()).add(finding.rule_id)
    lines = []
    for index, fee in enumerate(dataset.fees):
        if not fee.refunded_amount:
            continue
        cell = provenance.cell("Fees", index, "amount") or ""
        every = owed_cells.get((fee.worker_id, fee.fee_id), set())
        rules = every & MONEY_RULES
        shown = sorted(every - MONEY_RULES)  # DEST-01 (1.3): shown beside it, nothing owed
        lines.append(
            (
                (fee.worker_id, provenance.row("Fees", index)),
                RefundLine(
                    worker_id=fee.worker_id,
                    fee_cell=f"Fees!{cell}",
                    fee=formats.money(fee.amount, fee.currency),
                    refunded=formats.money(fee.refunded_amount, fee.currency),
                    refunded_on=formats.day(fee.refunded_on),
                    refund_cell=f"Fees!{provenance.cell('Fees', index, 'refunded_amount') or ''}",
                    counted=bool(rules),
                    rules=", ".join(
                        [*sorted(rules), *(_("%(rule)s (nothing owed)", rule=r) for r in shown)]
                    ),
                ),
            )
        )
    return tuple(line for _, line in sorted(lines, key=lambda pair: pair[0]))
