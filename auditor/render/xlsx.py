"""The findings workbook: the result as sheets, for inspectors who work in spreadsheets.

One table per sheet, a header row, one record per row, so it filters and
pivots: Summary, Findings, Evidence, Money owed, Refunded (what the
agency has paid back, as the records show it), Scoring, Data gaps,
Warnings. Amounts are numbers in the audit currency (rounded as the
result is); dates are dates.

Text from a workbook can hold anything, including ``=HYPERLINK(...)``:
every text cell that begins with ``=``, ``+``, ``-``, ``@`` (or a tab or
carriage return, which some spreadsheets strip first) is written as a
string with Excel's quote prefix, so no spreadsheet evaluates it, and its
value reads back unchanged.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from auditor.base.gcpause import paused_gc
from auditor.i18n import gettext as _
from auditor.model.result import AuditResult, Evidence, Finding
from auditor.render import formats
from auditor.render.identify import Identities
from auditor.render.view import deadline, persisting_dues
from auditor.render.wording import worded
from auditor.render.xlsx_stream import FORMULA_STARTS, TableBook
from auditor.verdict.inspection import Inspection
from auditor.verdict.money import minor_unit

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

__all__ = ["FORMULA_STARTS", "findings_workbook", "inert_text"]


def findings_workbook(inspection: Inspection, result: AuditResult) -> bytes:
    """The workbook's bytes; the same result always gives the same bytes.

    Written by :mod:`auditor.render.xlsx_stream` (issue 26; openpyxl's writer
    took 70 s for the dense 50,000-worker agency), dated the inspection day.
    The cyclic collector is paused meanwhile: the rows are short-lived
    tuples and strings, and each collection would scan the whole result
    again, finding nothing (half the time of a dense workbook otherwise).
    """
    with paused_gc():
        return _workbook(inspection, result)


def _workbook(inspection: Inspection, result: AuditResult) -> bytes:
    places = minor_unit(result.currency)
    money_format = "#,##0" + ("." + "0" * places if places else "")
    when = dt.datetime.combine(result.inspection_date, dt.time(0, 0))
    sheets = TableBook(money_format, when)
    inspector = inspection.dataset.audit.inspector
    kept = persisting_dues(inspection)
    known = Identities.of(inspection.dataset)
    # Issue 27: sheet names and column headers are stable codes (the report and readers'
    # tools name them); the texts in the cells (titles, time limits, the copy) are the
    # report's language, through the catalogue.
    titles = {rule.id: worded(rule.data.title, [None]) for rule in inspection.pack.rules}
    sheets.table("Summary", ("field", "value"), (30, 70), _summary(result, inspector))
    sheets.table(
        "Findings",
        ("rule_id", "title", "severity", "paragraph", "subject_type", "subject_id",
         "amount_owed", "deadline", "evidence"),
        (10, 50, 10, 10, 13, 14, 14, 22, 80),
        (_finding_row(f, kept, known, titles) for f in result.findings),
        money_columns=(6,),
    )  # fmt: skip
    sheets.table(
        "Evidence",
        ("rule_id", "subject_type", "subject_id", "sheet", "cell", "column", "value", "record"),
        (10, 13, 14, 13, 8, 26, 30, 50),
        (
            (f.rule_id, f.subject.type.value, f.subject.id, e.sheet, e.cell, e.column,
             _value(e.value), known.of_evidence(e) or "")
            for f in result.findings
            for e in f.evidence
        ),
    )  # fmt: skip
    owed = result.money_owed
    sheets.table(
        "Money owed",
        ("worker_id", "amount_owed", "currency", "status", "fee_cell"),
        (14, 16, 10, 14, 14),
        (
            *((worker, amount, result.currency, "owed", None)
              for worker, amount in owed.by_worker.items()),
            *((row.worker_id, None, result.currency, "undetermined", row.cell)
              for row in owed.undetermined),
        ),
        money_columns=(1,),
    )  # fmt: skip
    sheets.table(
        "Refunded",
        ("worker_id", "amount_refunded", "currency"),
        (14, 18, 10),
        ((worker, amount, result.currency) for worker, amount in owed.refunded.by_worker.items()),
        money_columns=(1,),
    )
    weights = inspection.profile.weights
    sheets.table(
        "Scoring",
        ("rule_id", "title", "paragraph", "severity", "weight", "applicable", "affected",
         "gaps", "prevalence", "points"),
        (10, 50, 10, 10, 8, 11, 10, 8, 11, 9),
        (
            (r.rule_id, titles[r.rule_id], r.paragraph,
             r.severity.value, weights[r.severity], r.applicable, r.affected, r.gaps,
             r.prevalence, r.points)
            for r in result.rules
        ),
    )  # fmt: skip
    sheets.table(
        "Data gaps",
        ("rule_id", "subject_type", "subject_id", "missing"),
        (10, 13, 14, 80),
        ((g.rule_id, g.subject.type.value, g.subject.id, "; ".join(g.missing))
         for g in result.data_gaps),
    )  # fmt: skip
    sheets.table("Warnings", ("warning",), (120,), ((w,) for w in result.warnings))
    return sheets.close()


def _summary(result: AuditResult, inspector: str | None) -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = [
        ("audit_id", result.audit_id),
        ("agency_name", result.agency_name),
        ("inspector", inspector),
        ("inspection_date", result.inspection_date),
        ("jurisdiction", result.jurisdiction),
        ("currency", result.currency),
        ("input_sha256", result.input_sha256),
        ("ruleset_version", result.ruleset_version),
        ("score", result.score),
        ("rating", result.rating),
        ("provisional", _("yes") if result.provisional else _("no")),
        ("coverage", result.coverage),
        *((f"paragraph_score_{p}", s) for p, s in result.paragraph_scores.items()),
        ("findings", len(result.findings)),
        ("money_owed_total", result.money_owed.total),
        ("workers_owed", len(result.money_owed.by_worker)),
        ("fee_rows_undetermined", len(result.money_owed.undetermined)),
        ("money_refunded_total", result.money_owed.refunded.total),
        ("workers_refunded", len(result.money_owed.refunded.by_worker)),
        ("data_gaps", len(result.data_gaps)),
    ]
    if result.agency_copy is not None:
        rows.append(
            ("copy", _("the agency's: findings of these rules withheld, counts in Scoring"))
        )
        rows.append(("withheld_rules", ", ".join(result.agency_copy.withheld_rules)))
    else:
        rows.append(("copy", _("the inspector's (confidential: ties complaints to workers)")))
    return rows


def _finding_row(
    finding: Finding,
    kept: dict[tuple[str, str, str], dt.date | None],
    known: Identities,
    titles: dict[str, str],
) -> tuple[Any, ...]:
    """A finding's row; the deadline of a draft's order reads "within N days of issue", or the
    date a persisting order keeps from the previous issued report."""
    key = (finding.rule_id, finding.subject.type.value, finding.subject.id)
    due: dt.date | str | None = kept.get(key)
    if due is None:
        due = deadline(finding.severity).text
    return (
        finding.rule_id,
        titles.get(finding.rule_id, finding.title),
        finding.severity.value,
        finding.paragraph,
        finding.subject.type.value,
        finding.subject.id,
        finding.amount_owed,
        due,
        "; ".join(_identified(e, known) for e in finding.evidence),
    )


def _identified(item: Evidence, known: Identities) -> str:
    """``Fees!E5 amount = 38000 (travel, "air ticket", paid to agency)``."""
    about = known.of_evidence(item)
    return f"{formats.evidence(item)} ({about})" if about else formats.evidence(item)


def _value(value: object) -> Any:
    """An evidence value as a cell: lists of languages joined, booleans as yes/no."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return value


def inert_text(sheet: WriteOnlyWorksheet, text: str) -> Cell:
    """For openpyxl's writer (the batch's summary workbook): a text cell no spreadsheet
    evaluates, stored as a string, shown with a quote prefix."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"  # openpyxl takes "=..." for a formula; this is text
    cell.quotePrefix = True
    return cell
