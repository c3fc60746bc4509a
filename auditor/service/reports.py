"""Every report of one audit, made as the command line makes them.

The audit itself runs isolated (:func:`auditor.inspect_isolated`: a time
limit, a crash turned into a plain sentence), exactly as ``auditor audit``
runs it; the reports are rendered from the inspection it returns, in the
job worker, as ``auditor audit`` renders them. So ``result.json`` is byte
for byte what the command line writes.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from auditor import Inspection
from auditor.compare import NotComparable, compare
from auditor.render import Copy, render_json, render_pdf, render_xlsx
from auditor.render.comparison import comparison_for


@dataclass(frozen=True)
class Rendered:
    """Every report of one audit, by (kind, copy), and what the service lists audits by."""

    files: dict[tuple[str, str], bytes]
    summary: dict[str, Any]


def with_previous(inspection: Inspection, previous: dict[str, Any]) -> Inspection:
    """The inspection with its comparison to the agency's previous audit, as
    ``auditor audit --previous`` makes it; unchanged when the two cannot be compared (another
    agency's licence, or a previous inspection that is not earlier)."""
    try:
        comparison = compare(previous, inspection.result)
    except NotComparable:
        return inspection
    return dataclasses.replace(inspection, comparison=comparison)


def render_all(inspection: Inspection) -> Rendered:
    """Both copies of the JSON, the PDF and the findings workbook (with the follow-up section
    when there is a comparison), the inspector's comparison, and the audit's summary."""
    files: dict[tuple[str, str], bytes] = {}
    if inspection.comparison is not None:
        chosen = comparison_for(inspection.comparison, Copy.INSPECTOR, inspection.pack)
        files[("comparison", "inspector")] = chosen.to_json().encode("utf-8")
    for copy in (Copy.INSPECTOR, Copy.AGENCY):
        files[("json", copy.value)] = render_json(inspection, copy)
        files[("pdf", copy.value)] = render_pdf(inspection, copy)
        files[("xlsx", copy.value)] = render_xlsx(inspection, copy)
    return Rendered(files, summary(inspection))


def summary(inspection: Inspection) -> dict[str, Any]:
    """What the service keeps on the audit's row, for lists, filters and follow-ups."""
    result = inspection.result
    audit = inspection.dataset.audit
    return {
        "audit_code": result.audit_id,
        "agency_name": result.agency_name,
        "agency_licence": audit.agency_licence_number or "",
        "inspection_date": result.inspection_date,
        "jurisdiction": result.jurisdiction,
        "score": result.score,
        "rating": str(result.rating),
        "provisional": result.provisional,
        "ruleset_version": result.ruleset_version,
        "engine_version": result.engine_version or "",
        "follow_up_of": audit.follow_up_of or "",
    }
