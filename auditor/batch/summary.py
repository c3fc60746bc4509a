"""The batch's summary: agencies ranked by risk, as ``summary.json`` and ``summary.xlsx``.

``audit-batch-summary/1`` (our choice; the spec names the fields, not the
shape)::

    {"format": "audit-batch-summary/1", "engine_version": ..., "ruleset_version": ...,
     "inputs": 20, "audited": 19, "invalid": 1, "failed": 0,
     "agencies": [{"rank": 1, "file": "in/a.xlsx", "audit_id": ..., "agency_name": ...,
                   "agency_licence": ..., "rating": "critical", "score": 41.2,
                   "provisional": false, "critical_findings": 2, "findings": 9,
                   "workers_affected": 7, "workers_audited": 200,
                   "money_owed_total": 1722.5, "money_owed_per_worker": 8.61,
                   "currency": "PHP", "coverage": 0.9871, "input_sha256": ...,
                   "status": "done", "outputs": ["A-1.pdf", "A-1.json"], "message": null}]}

Audited agencies come first, riskiest first (:func:`auditor.batch.rows.risk_key`),
numbered from 1; inputs that could not be audited follow, in input order,
with ``rank`` null, their ``status`` (``invalid`` or ``failed``) and the
reason in ``message``. Numbers are JSON numbers as in the result document;
nothing in it depends on the machine, the time or the order jobs finished.
"""

from __future__ import annotations

import json
from typing import Any

from auditor.batch.job import DONE
from auditor.batch.rows import risk_key
from auditor.batch.tables import workbook

FORMAT = "audit-batch-summary/1"
COLUMNS = (
    "rank", "file", "audit_id", "agency_name", "agency_licence", "rating", "score",
    "provisional", "critical_findings", "findings", "workers_affected", "workers_audited",
    "money_owed_total", "money_owed_per_worker", "currency", "coverage", "input_sha256",
    "status", "outputs", "message",
)  # fmt: skip
_NUMBERS = ("score", "money_owed_total", "money_owed_per_worker", "coverage")


def build(rows: list[dict[str, Any]], ruleset_version: str) -> dict[str, Any]:
    """The summary document of a batch's rows (each with its ``outputs``)."""
    from auditor import __version__

    audited = sorted((row for row in rows if row["status"] == DONE), key=risk_key)
    others = [row for row in rows if row["status"] != DONE]
    agencies = [_entry(row, rank) for rank, row in enumerate(audited, start=1)]
    agencies += [_entry(row, None) for row in others]
    return {
        "format": FORMAT,
        "engine_version": __version__,
        "ruleset_version": ruleset_version,
        "inputs": len(rows),
        "audited": len(audited),
        "invalid": sum(row["status"] == "invalid" for row in others),
        "failed": sum(row["status"] == "failed" for row in others),
        "agencies": agencies,
    }


def _entry(row: dict[str, Any], rank: int | None) -> dict[str, Any]:
    entry: dict[str, Any] = {name: row.get(name) for name in COLUMNS}
    entry.update(rank=rank, file=row["source"], outputs=row.get("outputs", []))
    for name in _NUMBERS:
        if entry[name] is not None:
            entry[name] = float(entry[name])
    if row["status"] == DONE:
        entry["message"] = None
    return entry


def as_json(document: dict[str, Any]) -> bytes:
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode()


def as_xlsx(document: dict[str, Any]) -> bytes:
    rows = [[entry[name] for name in COLUMNS] for entry in document["agencies"]]
    facts = [[key, document[key]] for key in document if key != "agencies"]
    return workbook([("Ranking", COLUMNS, rows), ("Batch", ("field", "value"), facts)])
