"""The baseline inspection rule examples start from, and how an example changes it.

The baseline is one compliant worker, ``W1``, of one employer, ``E1``
(construction, Qatar), with an origin contract ``C1`` in her languages, an
employer-paid medical fee ``F1``, and one complaint channel ``CH1`` that
meets every rule. No rule of the shipped pack fires on it under any
profile. An example in a rule file says what to change::

    change: {workers: {W1: {briefing_received: "no"}}}
    add: {fees: [{fee_id: F2, worker_id: W1, category: training, ...}]}
    remove: {contracts: [C1]}

and the result is validated like any input, so an example is always a
workbook an inspector could have filled in.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from auditor.model.sheets import SHEET_BY_KEY, TABLE_SHEETS

#: Field values the examples' rows start from when they do not say.
ROW_DEFAULTS: Mapping[str, Mapping[str, Any]] = {
    "fees": {
        "currency": "USD",
        "paid_by": "worker",
        "paid_to": "agency",
        "paid_on": "2024-12-10",
        "deducted_from_wages": "no",
        "receipt_issued": "yes",
        "financed_by_loan": "no",
    },
    "contracts": {
        "signed_on": "2025-01-20",
        "languages": "tl, en",
        "copy_given_to_worker": "yes",
        "monthly_wage": 500,
        "currency": "USD",
        "weekly_hours": 48,
        "weekly_rest_days": 1,
        "worker_may_terminate_for_abuse": "yes",
        "termination_penalty": 0,
        "passport_retention_clause": "no",
    },
    "workers": {
        "sex": "female",
        "date_of_birth": "1990-01-01",
        "nationality": "PH",
        "employer_id": "E1",
        "languages": "tl, en",
        "deployment_date": "2025-01-01",
        "monthly_wage_paid": 500,
        "wage_currency": "USD",
        "briefing_received": "yes",
        "briefing_languages": "tl",
        "passport_held_by": "worker",
        "wages_withheld": "no",
    },
    "complaints": {"filed_on": "2026-06-01", "worker_penalised": "no"},
    "channels": {
        "operated_by": "government",
        "kind": "hotline",
        "languages": "tl, en",
        "free_of_charge": "yes",
        "confidential": "yes",
        "women_staff_available": "yes",
        "open_to_domestic_workers": "yes",
        "response_days": 14,
    },
    "employers": {
        "name": "Another Employer",
        "destination_country": "QA",
        "sector": "construction",
        "permit_tied_to_employer": "no",
        "job_change_requires_consent": "no",
        "exit_permit_required": "no",
        "independent_residency_route": "yes",
    },
}

INSPECTION_DATE = dt.date(2026, 6, 30)


def baseline() -> dict[str, Any]:
    """A fresh copy of the compliant baseline inspection, as dicts."""
    return copy.deepcopy(
        {
            "audit": {
                "audit_id": "EX-0001",
                "agency_name": "Example Recruitment Ltd",
                "agency_licence_number": "LIC-0001",
                "licence_valid_until": "2030-12-31",
                "origin_country": "PH",
                "jurisdiction": "ilo",
                "inspection_date": INSPECTION_DATE.isoformat(),
                "inspector": "Example Inspector",
                "currency": "USD",
            },
            "employers": [
                {"employer_id": "E1", **ROW_DEFAULTS["employers"], "name": "Example Employer"}
            ],
            "workers": [{"worker_id": "W1", **ROW_DEFAULTS["workers"]}],
            "contracts": [
                {
                    "contract_id": "C1",
                    "worker_id": "W1",
                    "stage": "origin",
                    **ROW_DEFAULTS["contracts"],
                    "signed_on": "2024-12-01",
                }
            ],
            "fees": [
                {
                    "fee_id": "F1",
                    "worker_id": "W1",
                    "category": "medical",
                    "amount": 100,
                    **ROW_DEFAULTS["fees"],
                    "paid_by": "employer",
                    "paid_to": "provider",
                }
            ],
            "intermediaries": [],
            "channels": [{"channel_id": "CH1", **ROW_DEFAULTS["channels"]}],
            "complaints": [],
            "fx": [],
        }
    )


class ExampleError(ValueError):
    """An example names a sheet or record that is not there."""


def apply_changes(
    data: dict[str, Any],
    *,
    change: Mapping[str, Mapping[str, Any]] | None = None,
    add: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
    remove: Mapping[str, list[str]] | None = None,
    jurisdiction: str | None = None,
) -> dict[str, Any]:
    """``data`` with an example's changes made (it is modified and returned)."""
    for key, ids in (remove or {}).items():
        spec = _table(key)
        id_field = spec.model.ID_FIELD or "currency"
        missing = set(ids) - {str(row[id_field]) for row in data[spec.key]}
        if missing:
            raise ExampleError(f"remove: {key} has no {', '.join(sorted(missing))}")
        data[spec.key] = [row for row in data[spec.key] if str(row[id_field]) not in ids]
    for key, changes in (change or {}).items():
        if key == "audit":
            data["audit"].update(changes)
            continue
        spec = _table(key)
        id_field = spec.model.ID_FIELD or "currency"
        for record_id, fields in changes.items():
            rows = [row for row in data[spec.key] if str(row[id_field]) == str(record_id)]
            if not rows:
                raise ExampleError(f"change: {key} has no {record_id}")
            rows[0].update(fields)
    for key, new_rows in (add or {}).items():
        spec = _table(key)
        defaults = ROW_DEFAULTS.get(spec.key, {})
        data[spec.key].extend({**defaults, **row} for row in new_rows)
    if jurisdiction is not None:
        data["audit"]["jurisdiction"] = jurisdiction
    return data


def _table(key: str) -> Any:
    spec = SHEET_BY_KEY.get(key.lower())
    if spec is None or spec not in TABLE_SHEETS:
        sheets = ", ".join(s.key for s in TABLE_SHEETS)
        raise ExampleError(f"{key} is not a sheet; use one of audit, {sheets}")
    return spec
