"""The inspector report end to end: view, HTML, PDF with the JSON result attached."""

from __future__ import annotations

from auditor.model.result import AuditResult
from auditor.render.copies import Copy
from auditor.render.html import render_html
from auditor.render.pdf import PdfAttachment, html_to_pdf
from auditor.render.view import build_view, json_name
from auditor.verdict.inspection import Inspection


def report_html(inspection: Inspection, result: AuditResult, copy: Copy) -> str:
    return render_html(build_view(inspection, result, copy))


def report_pdf(inspection: Inspection, result: AuditResult, copy: Copy) -> bytes:
    """The PDF; its attachment is byte for byte the JSON file of the same copy."""
    attachment = PdfAttachment(
        name=json_name(result.audit_id, copy),
        data=result.to_json_bytes(),  # the JSON file's bytes, kept: written once, not twice
        description=f"Audit result {result.audit_id} ({result.format}), the machine-readable "
        "evidence of this report",
    )
    pdf, _ = html_to_pdf(
        report_html(inspection, result, copy),
        created=result.inspection_date,
        attachments=(attachment,),
    )
    return pdf
