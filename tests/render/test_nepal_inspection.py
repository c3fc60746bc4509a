"""The Nepal inspection of issue 12: Devanagari names, the inspector's own record, two copies.

The report names the agency and the inspector in Devanagari with the
shipped fonts, prints the inspector's address block and record (cover and
an annex of its own) in the inspector's copy, and says only that the record exists in
the agency's copy.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader

import auditor
from auditor.model.plausible import checked_on
from auditor.pipeline import inspect_records
from auditor.render import Copy, render_pdf
from tests.builders import Book

Write = Callable[..., Path]
AGENCY = "श्री कृष्ण वैदेशिक रोजगार प्रा. लि."
INSPECTOR = "सीता शर्मा"


def nepal(book: Book) -> Book:
    """The base book as a Nepali agency's inspection, typed the way a clerk types."""
    audit = book["Audit"]
    audit.update(
        agency_name=AGENCY,
        inspector=INSPECTOR,
        origin_country="Nepal",
        agency_address="वडा नं. ४, काठमाडौं, Nepal",
        case_reference="DoFE/INSP/2083-17",
        follow_up_due=dt.date(2026, 9, 30),
        observations="The register of workers was kept by hand.\nTwo receipts were unsigned.",
    )
    for worker in book["Workers"]:
        worker["nationality"] = "NPL"
        worker["languages"] = "Nepali, English"
    book["Employers"][0]["name"] = "شركة الخليج للتوظيف"
    book["Fees"][1]["amount"] = "1,500"
    book["FX"].append({"currency": "NPR", "rate": 0.0075})
    book["Sources"] = [
        {"source_id": "S1", "kind": "interview", "description": "Interview at the agency office",
         "subject_type": "worker", "subject_id": "W1", "collected_on": dt.date(2026, 6, 29)},
        {"source_id": "S2", "kind": "document", "description": "Licence certificate",
         "subject_type": "agency", "subject_id": "T-2026-001", "collected_on": None},
    ]  # fmt: skip
    return book


def _text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[Copy, bytes]:
    from tests.builders import base_book, write_book

    path = write_book(tmp_path_factory.mktemp("nepal") / "nepal.xlsx", nepal(base_book()))
    with checked_on(dt.date(2026, 7, 1)):
        inspection = inspect_records(path)
    return {copy: render_pdf(inspection, copy) for copy in Copy}


def test_the_inspection_as_typed_is_valid(book: Book, write: Write) -> None:
    with checked_on(dt.date(2026, 7, 1)):
        report = auditor.validate(write(nepal(book)))
    assert report.valid, report.lines()
    assert not [p for p in report.warnings if "font" in p.message]


def test_the_sources_must_name_records_that_exist(book: Book, write: Write) -> None:
    book = nepal(book)
    book["Sources"][0]["subject_id"] = "W9"
    book["Sources"][1]["subject_id"] = "OTHER-1"
    book["Sources"].append(
        {"source_id": "S3", "kind": "video", "description": "x", "subject_type": "employer",
         "subject_id": None, "collected_on": None}
    )  # fmt: skip
    with checked_on(dt.date(2026, 7, 1)):
        errors = [str(p) for p in auditor.validate(write(book)).errors]
    assert errors == [
        "Sources!E2: subject_id W9 does not match any worker_id on the Workers sheet",
        "Sources!E3: subject_id OTHER-1 is not this audit's audit_id (T-2026-001); for the "
        "agency, give the audit_id",
        "Sources!B4: kind must be one of interview, document, photo, site_visit, other, "
        'got "video"',
        "Sources!E4: subject_id is required when subject_type is given: the id of the employer",
    ]


def test_the_inspectors_copy_prints_the_names_and_the_record(pdfs: dict[Copy, bytes]) -> None:
    text = _text(pdfs[Copy.INSPECTOR])
    squashed = re.sub(r"\s+", "", text)
    for name in (AGENCY, INSPECTOR):  # shaped: the text layer may order vowel signs apart
        assert set(name.replace(" ", "")) <= set(text), name
    for value in ("DoFE/INSP/2083-17", "30 September 2026",
                  "The register of workers was kept by hand.",
                  "Two receipts were unsigned.", "Interview at the agency office", "worker W1",
                  "Licence certificate"):  # fmt: skip
        assert re.sub(r"\s+", "", value) in squashed, value
    # The record's annex takes the letter after the annexes printed: none here, so A
    # (an "Annex C" with no A or B sent the reader looking for them).
    printed = [letter for letter in "AB" if f"Annex{letter}:subjects" in squashed]
    record_letter = "ABC"[len(printed)]
    assert f"Annex{record_letter}:theinspector'srecord" in squashed
    assert all(f"Annex{letter}:" in squashed for letter in "ABC"[: len(printed)])


def test_the_agencys_copy_says_the_record_exists_and_no_more(pdfs: dict[Copy, bytes]) -> None:
    text = _text(pdfs[Copy.AGENCY])
    assert "not reproduced in the agency" in re.sub(r"\s+", " ", text)
    for private in ("register of workers", "Interview at the agency office", "S1"):
        assert private not in text


def test_findings_name_the_profiles_law_the_cap_the_rate_and_the_workers_sex(
    book: Book, write: Write
) -> None:
    from auditor.render.view import build_view

    book = nepal(book)
    book["Workers"][0]["sex"] = "male"
    book["Fees"].append(
        {"fee_id": "F3", "worker_id": "W1", "category": "recruitment_fee", "amount": "20,000",
         "currency": "NPR", "paid_by": "worker", "paid_to": "agency",
         "paid_on": dt.date(2024, 12, 1), "receipt_issued": "yes"}
    )  # fmt: skip
    with checked_on(dt.date(2026, 7, 1)):
        inspection = inspect_records(write(book))
    view = build_view(inspection, inspection.result, Copy.INSPECTOR)
    sections = {s.rule_id: s for p in view.paragraphs for s in p.rules}
    fee06 = sections["FEE-06"]
    assert fee06.norms[0].startswith("Nepal (profile NP): Government of Nepal, Ministry of Labour")
    assert not any("e.g." in norm for norm in fee06.norms)
    assert fee06.cap == "10,000.00 NPR (at 0.0075: 75.00 USD), under the NP profile (Nepal)"
    assert fee06.finding == (
        "The recruitment fees the worker bore exceed the cap the law in force allows for him."
    )
    (line,) = fee06.lines
    assert (
        "Fees!E4 amount = 20000 NPR at 0.0075 = 150.00 USD (recruitment fee, paid to agency)"
        in line.cells
    )
    assert [(f.currency, f.rate, f.meaning) for f in view.fx] == [
        ("NPR", "0.0075", "1 NPR = 0.0075 USD"),
        ("QAR", "0.2747", "1 QAR = 0.2747 USD"),
    ]
    (money,) = [m for m in view.money if m.worker_id == "W1"]
    assert "Fees!E4 (20000 NPR at 0.0075 = 150.00 USD)" in money.rows


def test_the_clerks_mistakes_are_all_named_at_once_with_what_to_type(
    book: Book, write: Write
) -> None:
    """The issue's Nepal workbook as first typed: one run names every problem and its fix."""
    book = nepal(book)
    book["Audit"]["inspection_date"] = "2083-03-16"  # Bikram Sambat
    book["Workers"][0]["date_of_birth"] = dt.date(2025, 6, 1)  # after deployment
    book["Workers"][1]["nationality"] = "NA"  # Namibia, not empty
    book["Fees"][0]["paid_on"] = "20/07/2024"
    book["Fees"][0]["amount"] = "5,000"  # read
    book["FX"][1]["rate"] = 134.1  # NPR per USD: inverted
    book["Fees"].append(
        {"fee_id": "F3", "worker_id": "W9", "category": "medical", "amount": "NPR 5,000",
         "currency": "AED", "paid_by": "worker"}
    )  # fmt: skip
    with checked_on(dt.date(2026, 7, 1)):
        report = auditor.validate(write(book))
    assert [str(p) for p in report.errors] == [
        "Audit!B8: inspection_date 2083-03-16 is 57 years after today (2026-07-01): it looks "
        "like a Bikram Sambat or other non-Gregorian date; convert it to the Gregorian "
        "calendar and write it as YYYY-MM-DD",
        "Workers!C2: date_of_birth 2025-06-01 is on or after deployment_date 2025-01-10; a "
        "worker is born before leaving: check both dates",
        "Fees!J2: paid_on must be a date written YYYY-MM-DD: write it as 2024-07-20, got "
        '"20/07/2024"',
        "Fees!B4: worker_id W9 does not match any worker_id on the Workers sheet",
        "Fees!E4: amount must be the number alone (5,000), with the currency in its own column, "
        'got "NPR 5,000"',
        "Fees!F4: currency AED has no rate on the FX sheet; add a row with currency AED and its "
        "rate in USD",
    ]
    assert [p.where for p in report.warnings if "inverted" in p.message] == ["FX!B3"]
