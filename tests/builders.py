"""Writing real test workbooks with openpyxl, from plain rows.

``base_book()`` is a small valid inspection (two workers, one employer,
fees in USD and QAR); a test changes what it needs and writes it with
``write_book``. Columns follow the template's order unless a test gives
its own header, so cells are predictable: on ``Fees``, ``amount`` is
column E; on ``Workers``, ``briefing_received`` is column J.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from auditor.model.sheets import AUDIT_SHEET, TABLE_SHEETS
from auditor.model.values import normalise_name

INSPECTION = dt.date(2026, 6, 30)

Book = dict[str, Any]


def base_book() -> Book:
    """A valid inspection: {"Audit": {field: value}, "<Sheet>": [ {column: value}, ... ]}."""
    return copy.deepcopy(
        {
            "Audit": {
                "audit_id": "T-2026-001",
                "agency_name": "Test Recruitment Ltd",
                "agency_licence_number": "LIC-77",
                "licence_valid_until": dt.date(2027, 12, 31),
                "origin_country": "PH",
                "jurisdiction": None,
                "inspection_date": INSPECTION,
                "inspector": "A. Inspector",
                "currency": "USD",
            },
            "Employers": [
                {
                    "employer_id": "E1",
                    "name": "Gulf Homes",
                    "destination_country": "QA",
                    "sector": "construction",
                    "permit_tied_to_employer": "yes",
                    "job_change_requires_consent": "no",
                    "exit_permit_required": "no",
                    "independent_residency_route": "yes",
                }
            ],
            "Workers": [
                {
                    "worker_id": "W1",
                    "sex": "female",
                    "date_of_birth": dt.date(1995, 3, 4),
                    "nationality": "PH",
                    "employer_id": "E1",
                    "languages": "tl, en",
                    "deployment_date": dt.date(2025, 1, 10),
                    "monthly_wage_paid": 500,
                    "wage_currency": "USD",
                    "briefing_received": "yes",
                    "briefing_languages": "tl",
                    "passport_held_by": "worker",
                    "wages_withheld": "no",
                },
                {
                    "worker_id": "W2",
                    "sex": "F",
                    "date_of_birth": dt.date(1990, 7, 1),
                    "nationality": "PH",
                    "employer_id": "E1",
                    "languages": "tl",
                    "deployment_date": dt.date(2025, 2, 1),
                    "monthly_wage_paid": 1800,
                    "wage_currency": "QAR",
                    "briefing_received": "yes",
                    "briefing_languages": "tl, en",
                    "passport_held_by": "worker",
                    "wages_withheld": "no",
                },
            ],
            "Contracts": [
                {
                    "contract_id": "C1",
                    "worker_id": "W1",
                    "stage": "origin",
                    "signed_on": dt.date(2024, 12, 1),
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
                {
                    "contract_id": "C2",
                    "worker_id": "W2",
                    "stage": "origin",
                    "signed_on": dt.date(2025, 1, 5),
                    "languages": "tl",
                    "copy_given_to_worker": "yes",
                    "monthly_wage": 1800,
                    "currency": "QAR",
                    "weekly_hours": 48,
                    "weekly_rest_days": 1,
                    "worker_may_terminate_for_abuse": "yes",
                    "termination_penalty": 0,
                    "passport_retention_clause": "no",
                },
            ],
            "Fees": [
                {
                    "fee_id": "F1",
                    "worker_id": "W1",
                    "category": "medical",
                    "description": "pre-departure medical",
                    "amount": 120,
                    "currency": "USD",
                    "paid_by": "employer",
                    "paid_to": "provider",
                    "intermediary_id": None,
                    "paid_on": dt.date(2024, 12, 3),
                    "deducted_from_wages": "no",
                    "receipt_issued": "yes",
                    "financed_by_loan": "no",
                },
                {
                    "fee_id": "F2",
                    "worker_id": "W2",
                    "category": "travel",
                    "description": "air ticket",
                    "amount": 1500,
                    "currency": "QAR",
                    "paid_by": "employer",
                    "paid_to": "provider",
                    "intermediary_id": None,
                    "paid_on": dt.date(2025, 1, 20),
                    "deducted_from_wages": "no",
                    "receipt_issued": "yes",
                    "financed_by_loan": "no",
                },
            ],
            "Intermediaries": [],
            "Channels": [
                {
                    "channel_id": "CH1",
                    "operated_by": "government",
                    "kind": "hotline",
                    "languages": "tl, en",
                    "free_of_charge": "yes",
                    "confidential": "yes",
                    "women_staff_available": "yes",
                    "open_to_domestic_workers": "yes",
                    "response_days": 14,
                }
            ],
            "Complaints": [],
            "FX": [{"currency": "QAR", "rate": 0.2747}],
        }
    )


def as_data(book: Book) -> dict[str, Any]:
    """The builder's workbook content as the dict a licensing system would send."""
    data: dict[str, Any] = {"audit": {k: v for k, v in book["Audit"].items() if v is not None}}
    for sheet, rows in book.items():
        if sheet != "Audit":
            data[sheet.lower()] = [{k: v for k, v in row.items() if v is not None} for row in rows]
    return data


def write_book(
    path: Path,
    book: Book,
    *,
    headers: Mapping[str, list[str]] | None = None,
    sheet_names: Mapping[str, str] | None = None,
    omit: tuple[str, ...] = (),
) -> Path:
    """Write ``book`` as a real xlsx: header row then one row per record.

    ``headers`` replaces a sheet's header texts (same order as its
    columns); ``sheet_names`` renames sheets as written; ``omit`` leaves
    sheets out. Extra keys in a record become extra columns.
    """
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    names = dict(sheet_names or {})
    if "Audit" not in omit:
        sheet = workbook.create_sheet(names.get("Audit", "Audit"))
        sheet.append(["field", "value"])
        for field, value in book["Audit"].items():
            sheet.append([field, value])
    for spec in TABLE_SHEETS:
        if spec.name in omit or spec.name not in book:
            continue
        rows: list[dict[str, Any]] = book[spec.name]
        columns = list(spec.fields)
        for row in rows:
            columns.extend(key for key in row if key not in columns)
        sheet = workbook.create_sheet(names.get(spec.name, spec.name))
        written = list((headers or {}).get(spec.name, columns))
        sheet.append(written)
        # A custom header is matched back to its field the way the reader matches it.
        keys = [normalise_name(str(text)) if text is not None else None for text in written]
        for row in rows:
            sheet.append([row.get(key) if key else None for key in keys])
    for extra in [key for key in book if key not in {s.name for s in TABLE_SHEETS} | {"Audit"}]:
        sheet = workbook.create_sheet(extra)
        for row in book[extra]:
            sheet.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


AUDIT_ROWS = {name: row for row, name in enumerate(AUDIT_SHEET.fields, start=2)}
