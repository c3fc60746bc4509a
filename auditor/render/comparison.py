"""Files of a comparison: ``audit-comparison/1`` JSON and a PDF of the follow-up section.

``auditor compare`` has two results and no workbook, so its PDF is the
section "Since the previous audit" on its own, with the comparison JSON
attached; ``auditor audit --previous`` prints the same section in the
audit's own report. The agency's copy withholds findings of confidential
rules (counts only) in both.
"""

from __future__ import annotations

from pathlib import Path

from auditor.engine.pack import RulePack, rule_pack
from auditor.render.copies import Copy, confidential_rules
from auditor.render.html import environment
from auditor.render.pdf import PdfAttachment, html_to_pdf
from auditor.render.since import since_view
from auditor.render.wording import worded
from auditor.verdict.compare import Comparison

TEMPLATE = "comparison.html.j2"


def comparison_for(comparison: Comparison, copy: Copy, pack: RulePack) -> Comparison:
    """The comparison as ``copy`` may see it."""
    if copy is Copy.AGENCY:
        return comparison.for_agency(confidential_rules(pack))
    return comparison


def comparison_files(
    comparison: Comparison,
    copy: Copy,
    formats: list[str],
    *,
    currency: str,
    rules_dir: str | Path | None = None,
) -> dict[str, bytes]:
    """``{"comparison.json": ..., "comparison.pdf": ...}`` for the formats asked, as bytes.

    ``currency`` is the current audit's (the comparison states amounts in it).
    """
    pack = rule_pack(rules_dir)
    shown = comparison_for(comparison, copy, pack)
    document = shown.to_json().encode("utf-8")
    files: dict[str, bytes] = {}
    if "json" in formats:
        files["comparison.json"] = document
    if "pdf" in formats:
        files["comparison.pdf"] = comparison_pdf(comparison, copy, pack, document, currency)
    return files


def comparison_pdf(
    comparison: Comparison,
    copy: Copy,
    pack: RulePack,
    document: bytes,
    currency: str,
) -> bytes:
    """The follow-up section alone, as PDF/A-3b, with the comparison JSON attached."""
    html = comparison_html(comparison, copy, pack, currency)
    current = comparison.current.audit_id
    attachment = PdfAttachment(
        name=f"{current}.comparison.json",
        data=document,
        description=f"Comparison of audit {current} with {comparison.previous.audit_id} "
        "(audit-comparison/1)",
    )
    pdf, _ = html_to_pdf(
        html, created=comparison.current.inspection_date, attachments=(attachment,)
    )
    return pdf


def comparison_html(comparison: Comparison, copy: Copy, pack: RulePack, currency: str) -> str:
    """The follow-up section alone as an HTML document, as ``copy`` may see it."""
    since = since_view(
        comparison,
        copy,
        titles={rule.id: worded(rule.data.title, [None]) for rule in pack.rules},
        confidential=confidential_rules(pack),
        currency=currency,
    )
    return (
        environment()
        .get_template(TEMPLATE)
        .render(since=since, comparison=comparison, copy=copy.value, currency=currency)
    )
