"""Small files the job writes beside the reports so that pages need not re-read a workbook
or a large result: the identifying words of the records a finding cites, and the few figures
an agency's history charts.

The audit page names each evidence row's record as the PDF and the findings workbook do (a
fee's category, description and payee; an employer's name), from the same source,
:class:`~auditor.render.identify.Identities` (issue 25). Only the agency's own records are
described, which format 1.2 settles the agency's copy may show: a complaint's details never
are. The history page reads, per audit, its critical findings and money owed from
``facts.json`` (a few bytes) rather than its ``result.json`` (megabytes for a dense audit):
list pages never load results (web.md 1.1).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from auditor import Inspection
from auditor.i18n import DEFAULT_LANGUAGE, shipped_codes, using
from auditor.model.enums import Severity, SubjectType
from auditor.render.identify import Identities


def identities_document(inspection: Inspection) -> bytes:
    """``{"agency": ..., "records": {sheet: {record_id: words}}}`` for the records the
    findings cite (and the employers they are about), nothing else."""
    known = Identities.of(inspection.dataset)
    cited: list[tuple[str, str]] = []
    for finding in inspection.result.findings:
        cited += [(e.sheet, e.record_id) for e in finding.evidence if e.record_id is not None]
        if finding.subject.type is SubjectType.EMPLOYER:
            cited.append(("Employers", finding.subject.id))
    records = _described(known, cited)
    # The words in each shipped language too ("paid to agency" is a sentence of the
    # library's catalogue): a page shows the ones of its own language.
    translated = {}
    for code in shipped_codes():
        if code != DEFAULT_LANGUAGE:
            with using(code):
                translated[code] = _described(known, cited)
    document = {"agency": known.agency, "records": records, "translated": translated}
    return json.dumps(document, ensure_ascii=False, sort_keys=True).encode("utf-8")


def _described(known: Identities, cited: list[tuple[str, str]]) -> dict[str, dict[str, str]]:
    """Each cited record's identifying words, by sheet and id, in the language in force."""
    records: dict[str, dict[str, str]] = {}
    for sheet, record_id in cited:
        if sheet == "Audit" or record_id in records.get(sheet, {}):
            continue
        words = known.describe(sheet, record_id)
        if words is not None:
            records.setdefault(sheet, {})[record_id] = words
    return records


def facts_document(inspection: Inspection) -> bytes:
    """What the agency's history charts besides the score: critical findings, money owed."""
    result = inspection.result
    facts = {
        "critical": sum(1 for f in result.findings if f.severity is Severity.CRITICAL),
        "owed": str(result.money_owed.total),
        "currency": result.currency,
    }
    return json.dumps(facts, sort_keys=True).encode("utf-8")


def facts_of(result: dict[str, Any]) -> dict[str, Any]:
    """The history's figures from a result document (also for audits made before the file)."""
    findings = result.get("findings") or []
    owed = (result.get("money_owed") or {}).get("total", 0)
    return {
        "critical": sum(1 for f in findings if f.get("severity") == Severity.CRITICAL.value),
        "owed": str(Decimal(str(owed))),
        "currency": result.get("currency", ""),
    }


def read_document(path: Path) -> dict[str, Any] | None:
    """A page file, or ``None`` when the audit was made before it existed (or it is unreadable)."""
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None
