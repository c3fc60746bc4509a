"""One audit and all its reports, made in the isolated worker process (no Django here).

The job worker hands this module's :func:`audit_and_render` to
:func:`auditor.isolation.run_isolated`, so the audit, the two PDFs, the
JSON documents and the findings workbooks are all made in a process that
a hang, a crash or the memory limit can take down without taking the job
worker with it. Only the files' bytes and a few summary fields travel
back, never the records.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from auditor.api import Source
from auditor.limits import Limits
from auditor.render import Copy, render_json, render_pdf, render_xlsx


@dataclass(frozen=True)
class Rendered:
    """Every report of one audit, by (kind, copy), and what the service lists audits by."""

    files: dict[tuple[str, str], bytes]
    summary: dict[str, Any]


def audit_and_render(source: Source, jurisdiction: str | None, limits: Limits) -> Rendered:
    """Audit ``source`` and render every report the service offers for it."""
    from auditor.pipeline import inspect_records

    inspection = inspect_records(source, jurisdiction=jurisdiction, limits=limits)
    files: dict[tuple[str, str], bytes] = {}
    for copy in (Copy.INSPECTOR, Copy.AGENCY):
        files[("json", copy.value)] = render_json(inspection, copy)
        files[("pdf", copy.value)] = render_pdf(inspection, copy)
        files[("xlsx", copy.value)] = render_xlsx(inspection, copy)
    result = inspection.result
    summary: dict[str, Any] = {
        "audit_code": result.audit_id,
        "agency_name": result.agency_name,
        "agency_licence": inspection.dataset.audit.agency_licence_number or "",
        "inspection_date": result.inspection_date,
        "jurisdiction": result.jurisdiction,
        "score": result.score,
        "rating": str(result.rating),
        "provisional": result.provisional,
        "ruleset_version": result.ruleset_version,
        "follow_up_of": inspection.dataset.audit.follow_up_of or "",
    }
    return Rendered(files, summary)
