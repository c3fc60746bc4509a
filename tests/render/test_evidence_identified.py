"""Evidence a person can act on: each evidence row says which record it is (issue 25).

A fee's evidence names its category, description and payee; an employer's
finding names the employer; the agency is named by its name and licence,
not by the audit id. In the PDF (both copies) and the findings workbook;
the JSON's evidence stays as it was.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from auditor.model.plausible import checked_on
from auditor.pipeline import Inspection, inspect_records
from auditor.render import Copy, render_json, render_pdf, render_xlsx
from tests.builders import base_book, write_book


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def inspection(tmp_path_factory: pytest.TempPathFactory) -> Inspection:
    book = base_book()
    book["Audit"]["agency_name"] = "Himal Manpower Pvt. Ltd."
    book["Audit"]["agency_licence_number"] = None  # LIC-01: the agency showed no licence
    book["Employers"][0]["name"] = "Al Noor Facilities LLC"
    book["Employers"][0]["exit_permit_required"] = "yes"
    book["Employers"][0]["sector"] = "domestic_work"  # no fee may be charged (PH)
    fee = book["Fees"][1]
    fee.update(category="recruitment_fee", description="service charge", paid_by="worker",
               paid_to="agency")  # fmt: skip
    path = write_book(tmp_path_factory.mktemp("evidence") / "evidence.xlsx", book)
    with checked_on(dt.date(2026, 7, 1)):
        return inspect_records(Path(path))


def test_the_pdf_names_records_employers_and_the_agency(inspection: Inspection) -> None:
    findings = inspection.result.findings
    assert any(e.sheet == "Fees" for f in findings for e in f.evidence), findings
    assert "LIC-01" in {f.rule_id for f in findings}
    assert any(f.subject.type.value == "employer" for f in inspection.result.findings)
    for copy in (Copy.INSPECTOR, Copy.AGENCY):
        reader = PdfReader(io.BytesIO(render_pdf(inspection, copy)))
        text = _squash("".join(page.extract_text() for page in reader.pages))
        assert _squash('recruitment fee, "service charge", paid to agency') in text, copy
        assert _squash("E1 (Al Noor Facilities LLC)") in text, copy
        assert _squash("Himal Manpower Pvt. Ltd. (no licence shown)") in text, copy


def test_the_findings_workbook_names_each_evidence_record(inspection: Inspection) -> None:
    book = load_workbook(io.BytesIO(render_xlsx(inspection)), read_only=True)
    rows = list(book["Evidence"].iter_rows(values_only=True))
    assert rows[0][-1] == "record"
    records = {row[-1] for row in rows[1:]}
    assert 'recruitment fee, "service charge", paid to agency' in records
    assert "Himal Manpower Pvt. Ltd. (no licence shown)" in records
    findings = list(book["Findings"].iter_rows(values_only=True))
    evidence = " ".join(str(row[-1]) for row in findings[1:])
    assert '(recruitment fee, "service charge", paid to agency)' in evidence


def test_the_json_evidence_is_unchanged(inspection: Inspection) -> None:
    data = json.loads(render_json(inspection))
    keys = {key for f in data["findings"] for e in f["evidence"] for key in e}
    assert keys <= {"sheet", "cell", "column", "value", "record_id", "path"}
