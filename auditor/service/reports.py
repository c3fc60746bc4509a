"""Every report of one audit, made as the command line makes them, where the audit ran.

The job runs :func:`audit_and_render` isolated (a time limit, a crash
turned into a plain sentence), as ``auditor audit`` runs its audit: the
worker audits, chooses the previous audit among the office's candidates,
renders its results (JSON, comparison) and sends back only their bytes and the row's summary,
never the inspection (its records and findings, pickled, cost more than a
large audit's engine: issue 15). So ``result.json`` is byte for byte what
the command line writes. Nothing here touches Django: the worker is a
plain process.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditor import Inspection
from auditor.errors import UsageError
from auditor.model.canonical import canonical_json
from auditor.render import Copy
from auditor.render.comparison import comparison_for
from auditor.render.copies_beside import render_copies
from auditor.service.page_files import facts_document, identities_document
from auditor.verdict.compare import NotComparable, compare


@dataclass(frozen=True)
class Rendered:
    """Every report of one audit, by (kind, copy), and what the service lists audits by."""

    files: dict[tuple[str, str], bytes]
    summary: dict[str, Any]


@dataclass(frozen=True)
class Candidate:
    """A done audit of the same office that the new one may follow up: what the choice reads."""

    pk: str
    audit_code: str
    agency_licence: str
    inspection_date: dt.date | None
    created_at: dt.datetime
    result_path: str  # its inspector's result.json
    #: Its issue record (JSON) and state when it was issued (audit-output.md 1.2).
    issue_record: str | None = None
    issue_state: str | None = None
    superseded_by: str | None = None  # the pk of the audit whose report superseded it


@dataclass(frozen=True)
class JobOrder:
    """What an audit job asks of its isolated worker: picklable, and free of Django."""

    source: str  # the stored upload
    is_dataset: bool  # a JSON dataset rather than a workbook
    jurisdiction: str | None
    day: dt.date  # the upload's day: plausible dates are checked against it
    candidates: tuple[Candidate, ...]


@dataclass(frozen=True)
class JobOutput:
    """The worker's answer: every file, the summary, and the previous audit it compared with."""

    rendered: Rendered
    previous: str | None


def audit_and_render(order: JobOrder) -> JobOutput:
    """In the isolated worker: audit, choose the previous audit, render every report."""
    from auditor.base.gcpause import keep_until_exit
    from auditor.base.limits import DEFAULT_LIMITS
    from auditor.model.plausible import checked_on
    from auditor.pipeline import inspect_records

    # A dataset sent as a JSON body is read as the same bytes sent as a .json file would be
    # (1.1): the request never parsed it, so its problems (no JSON, too many digits) are
    # found here, located, and the audit ends invalid.
    source: Any = Path(order.source)
    with checked_on(order.day):
        inspection = inspect_records(source, jurisdiction=order.jurisdiction, limits=DEFAULT_LIMITS)
    chosen = choose_previous(order.candidates, summary(inspection))
    if chosen is not None:
        previous = json.loads(Path(chosen.result_path).read_bytes())
        record = json.loads(chosen.issue_record) if chosen.issue_record else None
        inspection = with_previous(inspection, previous, record)
    # A previous audit that could not be compared (another licence, not earlier) is not kept.
    previous_id = chosen.pk if chosen is not None and inspection.comparison is not None else None
    keep_until_exit()  # the isolated worker ends once the reports are made
    return JobOutput(render_all(inspection), previous_id)


def choose_previous(candidates: tuple[Candidate, ...], found: dict[str, Any]) -> Candidate | None:
    """The agency's previous audit (web.md): the done audit of the same office that the
    workbook's ``follow_up_of`` names (the latest made, if several), else the office's done
    audit of the same licence with the latest earlier inspection date. Never another
    office's: the candidates are the office's own. An audit whose issued report was withdrawn
    is skipped; one whose report was superseded is replaced by the audit that superseded it
    (audit-output.md 1.2, Settled)."""
    usable = tuple(c for c in candidates if c.issue_state != "withdrawn")
    chosen = _chosen(usable, found)
    by_pk = {c.pk: c for c in usable}
    seen: set[str] = set()
    while chosen is not None and chosen.superseded_by in by_pk and chosen.pk not in seen:
        seen.add(chosen.pk)
        chosen = by_pk[chosen.superseded_by or ""]
    return chosen


def _chosen(candidates: tuple[Candidate, ...], found: dict[str, Any]) -> Candidate | None:
    if found["follow_up_of"]:
        named = [c for c in candidates if c.audit_code == found["follow_up_of"]]
        if named:
            return max(named, key=lambda c: c.created_at)
    if not found["agency_licence"]:
        return None
    earlier = [
        c
        for c in candidates
        if c.agency_licence == found["agency_licence"]
        and c.inspection_date is not None
        and c.inspection_date < found["inspection_date"]
    ]
    if not earlier:
        return None
    return max(earlier, key=lambda c: (c.inspection_date or dt.date.min, c.created_at))


def with_previous(
    inspection: Inspection,
    previous: dict[str, Any],
    previous_issue: dict[str, Any] | None = None,
) -> Inspection:
    """The inspection with its comparison to the agency's previous audit, as
    ``auditor audit --previous [--previous-issue]`` makes it: with the previous audit's issue
    record, persisting orders keep its due dates (``due_basis`` ``issue``), and the current
    workbook's refund dates say when a fee was refunded in full. Unchanged when the two
    cannot be compared (another agency's licence, or a previous inspection that is not
    earlier)."""
    refunded_on = refund_dates(inspection)
    try:
        comparison = compare(previous, inspection.result, previous_issue, refunded_on=refunded_on)
    except NotComparable:
        return inspection
    except UsageError:
        if previous_issue is None:
            raise
        # A record that is not the previous audit's own (it cannot be, but a follow-up must
        # not fail for it): compared as 1.1 did, from the inspection date.
        return with_previous(inspection, previous)
    return dataclasses.replace(inspection, comparison=comparison)


def refund_dates(inspection: Inspection) -> dict[str, dt.date]:
    """Each refunded fee's refund date, from the workbook: a comparison made later, on demand,
    from the stored results alone says "refunded in full on DATE" with them too."""
    return {
        fee.fee_id: fee.refunded_on
        for fee in inspection.dataset.fees
        if fee.refunded_on is not None and (fee.refunded_amount or 0) > 0
    }


def render_all(inspection: Inspection) -> Rendered:
    """Both copies of the JSON, the inspector's comparison, the result's warnings as coded
    documents, and the audit's summary: what makes the audit ``done``. The PDFs and findings
    workbooks (with the follow-up section when there is a comparison) are rendered after
    (issue 26: a user waited ten seconds and more for files nobody had asked for yet)."""
    files: dict[tuple[str, str], bytes] = {}
    if inspection.comparison is not None:
        chosen = comparison_for(inspection.comparison, Copy.INSPECTOR, inspection.pack)
        files[("comparison", "inspector")] = chosen.to_json().encode("utf-8")
    refunds = {fee: day.isoformat() for fee, day in sorted(refund_dates(inspection).items())}
    files[("refunds", "inspector")] = json.dumps(refunds).encode("utf-8")
    files[("identities", "inspector")] = identities_document(inspection)  # for the pages
    files[("facts", "inspector")] = facts_document(inspection)
    warnings = [warning.to_dict() for warning in inspection.warnings]
    files[("warnings", "inspector")] = json.dumps(warnings, ensure_ascii=False).encode("utf-8")
    # The PDFs and workbooks come after the audit is done (auditor.service.rendered).
    both = render_copies(inspection, (Copy.INSPECTOR, Copy.AGENCY), ("json",))
    for (copy, file_format), data in both.items():
        files[(file_format, copy.value)] = data
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
        "canonical_key": canonical_key(inspection),
    }


def canonical_key(inspection: Inspection) -> str:
    """The job's idempotency key (web.md 1.1): the canonical dataset less its jurisdiction,
    the jurisdiction as resolved, and the rule pack; the same data however it came (a JSON
    body, a .json file, a workbook) and however the jurisdiction was given."""
    data = inspection.dataset.model_dump(mode="python")
    data["audit"]["jurisdiction"] = None
    text = canonical_json(data)
    result = inspection.result
    return hashlib.sha256(
        f"{text}\0{result.jurisdiction}\0{result.ruleset_version}".encode()
    ).hexdigest()
