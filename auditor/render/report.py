"""The inspector report end to end: view, HTML, PDF with the JSON result attached."""

from __future__ import annotations

from auditor.model.result import AuditResult
from auditor.render.copies import Copy
from auditor.render.html import render_html
from auditor.render.pdf import PdfAttachment, html_to_pdf
from auditor.render.stamp import Stamp
from auditor.render.view import build_view, json_name
from auditor.verdict.inspection import Inspection


def report_html(
    inspection: Inspection, result: AuditResult, copy: Copy, stamp: Stamp | None = None
) -> str:
    return render_html(build_view(inspection, result, copy, stamp))


def report_pdf(
    inspection: Inspection, result: AuditResult, copy: Copy, stamp: Stamp | None = None
) -> bytes:
    """The PDF; its attachment is byte for byte the JSON file of the same copy.

    ``result`` is the engine's result as the copy may see it: it is what is
    attached, whatever the stamp's reviewed view prints. A draft's file
    dates are the inspection date (same input, same bytes); an issued
    report's are its issue date.
    """
    stamp = stamp or Stamp()
    attachment = PdfAttachment(
        name=json_name(result.audit_id, copy),
        data=result.to_json_bytes(),  # the JSON file's bytes, kept: written once, not twice
        description=f"Audit result {result.audit_id} ({result.format}), the machine-readable "
        "evidence of this report",
    )
    extra = tuple(PdfAttachment(a.name, a.data, a.description) for a in stamp.attachments)
    pdf, _ = html_to_pdf(
        report_html(inspection, result, copy, stamp),
        created=stamp.issued_on or result.inspection_date,
        attachments=(attachment, *extra),
    )
    return pdf
