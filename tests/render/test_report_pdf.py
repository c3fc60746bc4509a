"""The inspector report as a PDF: what an inspector must find in it, and what it must not leak."""

from __future__ import annotations

import io
import json
import re

import pytest
from pypdf import PdfReader

from auditor.model.enums import Severity
from auditor.render import Copy, render_json, result_for
from auditor.render.view import deadline
from tests.render.conftest import COMPLIANT, PROBLEMS, inspection_of, pdf_of


def _text(pdf: bytes) -> str:
    """All the page text, without whitespace (table cells wrap where they like)."""
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_every_finding_its_evidence_cells_money_and_deadlines_are_in_the_text() -> None:
    result = inspection_of(PROBLEMS).result
    text = _text(pdf_of(PROBLEMS))
    assert len(result.findings) > 30  # the sample breaks every rule but one
    for finding in result.findings:
        assert finding.rule_id in text
        assert _squash(finding.subject.id) in text
        for item in finding.evidence:
            assert f"{item.sheet}!{item.cell}" in text, (finding.rule_id, item)
    assert "1,722.50USD" in text  # the total owed
    for worker, amount in result.money_owed.by_worker.items():
        assert worker in text
        assert f"{amount:,.2f}USD" in text
    for row in result.money_owed.undetermined:
        assert row.cell in text
    for severity in {f.severity for f in result.findings}:
        assert _squash(deadline(severity).text) in text  # a draft: "of issue", no date
    assert "withinthirty" not in text  # deadlines are figures
    assert _squash("within 30 days of issue") in text
    assert _squash("by 30 July 2026") not in text  # never a date counted from the inspection
    assert _squash("immediately on issue") in text


def test_cover_summary_and_referral() -> None:
    result = inspection_of(PROBLEMS).result
    text = _text(pdf_of(PROBLEMS))
    for value in (
        result.agency_name,
        "POEA-088-LB-031122-R",  # licence number
        "31 March 2026",  # licence validity
        "The licence had expired on 31 March 2026",
        result.audit_id,
        "M. Dela Cruz",
        result.input_sha256,
        result.ruleset_version,
        "page 1 of",
        "CONFIDENTIAL: INSPECTOR'S COPY",
        "rating critical (provisional)",
        "Coverage 99.26 %",  # 99.24 before DEST-01 added 30 decided pairs (catalogue 1.3)
        # FL-01's referral and the reminder
        "Refer to the anti-trafficking and forced labour authority",
        "Nothing in this report may be used against the worker",
        "Acknowledgement of receipt by the agency",
        "SDG indicator 10.7.1",
    ):
        assert _squash(value) in text, value
    pages = len(PdfReader(io.BytesIO(pdf_of(PROBLEMS))).pages)
    assert f"page{pages}of{pages}" in text


def test_the_attachment_is_the_json_result_and_metadata_is_set() -> None:
    inspection = inspection_of(PROBLEMS)
    reader = PdfReader(io.BytesIO(pdf_of(PROBLEMS)))
    attachments = reader.attachments
    assert list(attachments) == ["PH-2026-0417.json"]
    assert attachments["PH-2026-0417.json"] == [render_json(inspection)]
    info = reader.metadata
    assert info is not None
    assert info.title == "Inspection report PH-2026-0417: Bayanihan Overseas Placement Inc."
    assert info.author == "M. Dela Cruz"
    assert info.subject is not None
    assert "score 4.9, rating critical" in info.subject
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp
    assert 'pdfaid:conformance="B"' in xmp


def test_every_font_is_embedded() -> None:
    reader = PdfReader(io.BytesIO(pdf_of(PROBLEMS)))
    fonts = {}
    for page in reader.pages:
        for reference in page["/Resources"]["/Font"].values():
            font = reference.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            fonts[font["/BaseFont"]] = "/FontFile2" in descendant["/FontDescriptor"]
    assert fonts
    assert all(fonts.values()), fonts


def test_a_compliant_agency_reads_as_such() -> None:
    text = _text(pdf_of(COMPLIANT))
    assert _squash("No rule was breached on the records inspected.") in text
    assert _squash("No money is owed") in text
    assert _squash("No data gap: every check could be decided.") in text


def test_the_same_inspection_gives_the_same_bytes() -> None:
    from auditor.render import render_pdf

    assert render_pdf(inspection_of(COMPLIANT)) == pdf_of(COMPLIANT)


def test_the_agencys_copy_shows_complainants_findings_only_as_counts() -> None:
    inspection = inspection_of(PROBLEMS)
    full = inspection.result
    pdf = pdf_of(PROBLEMS, Copy.AGENCY)
    text = _text(pdf)
    withheld = [f for f in full.findings if f.rule_id in {"COMP-06", "COMP-07", "COMP-08"}]
    assert {f.subject.id for f in withheld} == {"W20", "K01", "K02"}
    for finding in withheld:
        for item in finding.evidence:
            if item.sheet == "Complaints":
                assert f"{item.sheet}!{item.cell}" not in text
    for complaint in inspection.dataset.complaints:
        assert complaint.complaint_id not in text
    assert "Complaints!G6" not in text  # COMP-06's data gap, withheld too
    assert _squash("AGENCY'S COPY: COMPLAINANTS' IDENTITIES WITHHELD") in text
    assert _squash("Withheld in the agency's copy") in text
    attached = json.loads(PdfReader(io.BytesIO(pdf)).attachments["PH-2026-0417.agency.json"][0])
    assert attached == json.loads(render_json(inspection, Copy.AGENCY))
    assert attached["agency_copy"]["withheld_rules"] == ["COMP-06", "COMP-07", "COMP-08", "FL-01"]
    assert not {f["rule_id"] for f in attached["findings"]} & {"COMP-06", "COMP-07", "FL-01"}
    # the counts stay, so the score still adds up
    assert attached["rules"] == json.loads(full.to_json())["rules"]
    assert attached["score"] == float(full.score)


def test_the_agency_copys_counts_are_those_of_the_findings_it_lists() -> None:
    """Summary counts agree with the copy's JSON and the command line; withheld ones said apart."""
    from auditor.render.view import WITHHELD_ORDER, build_view

    inspection = inspection_of(PROBLEMS)
    agency = result_for(inspection, Copy.AGENCY)
    view = build_view(inspection, agency, Copy.AGENCY)
    listed = agency.findings_by_severity()
    assert dict(view.severity_counts) == {s: listed[s] for s, _ in view.severity_counts}
    assert sum(count for _, _, count, _ in view.paragraph_counts) == len(agency.findings)
    full = inspection.result
    assert view.withheld_count == len(full.findings) - len(agency.findings) > 0
    assert view.withheld_rules == ("COMP-06", "COMP-07", "COMP-08", "FL-01")
    sections = {s.rule_id: s for p in view.paragraphs for s in p.rules}
    for rule_id in view.withheld_rules:
        assert sections[rule_id].remediation == WITHHELD_ORDER  # nothing points at a hidden case
        assert sections[rule_id].referral is None
        assert not any(rule_id in sentence for sentence in view.most_serious)
    text = _text(pdf_of(PROBLEMS, Copy.AGENCY))
    assert _squash("Resolve the complaint listed") not in text
    assert _squash(f"{view.withheld_count} more, of COMP-06, COMP-07, COMP-08, FL-01") in text


def test_the_agency_copy_keeps_findings_that_name_no_complainant() -> None:
    agency = result_for(inspection_of(PROBLEMS), Copy.AGENCY)
    assert {f.rule_id for f in agency.findings} >= {"FEE-02", "DOC-01", "COMP-02", "COMP-05"}


@pytest.mark.parametrize(
    ("severity", "due", "text"),
    [
        (Severity.CRITICAL, "2026-06-30", "immediately, from the issue date 30 June 2026"),
        (Severity.HIGH, "2026-07-30", "within 30 days, by 30 July 2026"),
        (Severity.MEDIUM, "2026-09-28", "within 90 days, by 28 September 2026"),
        (Severity.LOW, None, "advice: no deadline"),
    ],
)
def test_deadlines_count_from_the_issue_date(
    severity: Severity, due: str | None, text: str
) -> None:
    import datetime as dt

    limit = deadline(severity, dt.date(2026, 6, 30))  # issued on 30 June 2026
    assert (limit.date.isoformat() if limit.date else None) == due
    assert limit.text == text


@pytest.mark.parametrize(
    ("severity", "text"),
    [
        (Severity.CRITICAL, "immediately on issue"),
        (Severity.HIGH, "within 30 days of issue"),
        (Severity.MEDIUM, "within 90 days of issue"),
        (Severity.LOW, "advice: no deadline"),
    ],
)
def test_a_drafts_deadlines_have_no_date(severity: Severity, text: str) -> None:
    limit = deadline(severity)
    assert (limit.date, limit.text) == (None, text)


def test_deadlines_cross_the_year() -> None:
    import datetime as dt

    assert deadline(Severity.MEDIUM, dt.date(2026, 12, 1)).date == dt.date(2027, 3, 1)


@pytest.mark.parametrize(("count", "said"), [(1, "1 more, of FL-01, is shown"), (3, "3 more")])
def test_the_agency_copy_says_one_withheld_finding_in_the_singular(count: int, said: str) -> None:
    """'1 more ... are shown' read wrong to the clerk: the sentence takes the count's number."""
    import dataclasses

    from auditor.render.html import render_html
    from auditor.render.view import build_view

    inspection = inspection_of(PROBLEMS)
    view = build_view(inspection, result_for(inspection, Copy.AGENCY), Copy.AGENCY)
    one = dataclasses.replace(view, withheld_count=count, withheld_rules=("FL-01",))
    text = re.sub(r"<[^>]+>", "", render_html(one))
    assert said in text
    assert ("only as a count," in text) == (count == 1)
