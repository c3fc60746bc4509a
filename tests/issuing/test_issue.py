"""Drafts and issued reports, the issue record, and ``auditor issue`` with bad input."""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

import orjson
import pytest

from auditor.cli.main import main
from auditor.issuing import (
    IssuedBy,
    IssueError,
    IssueRecord,
    Review,
    check_issue_date,
    make_issue_record,
    new_verification_code,
    normalise_code,
    record_for,
)
from auditor.issuing.record import CROCKFORD
from auditor.render import Copy, render_json
from auditor.render.copies import confidential_rules
from auditor.verdict.inspection import Inspection

from .conftest import ISSUED_ON, SAMPLE


def _pages(pdf: bytes) -> list[str]:
    from pypdf import PdfReader

    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def _attachments(pdf: bytes) -> dict[str, bytes]:
    from pypdf import PdfReader

    return {name: data[0] for name, data in PdfReader(io.BytesIO(pdf)).attachments.items()}


def test_the_verification_code_is_80_random_bits_in_four_groups() -> None:
    codes = {new_verification_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", code)
        assert set(code.replace("-", "")) <= set(CROCKFORD)
        assert normalise_code(code.lower().replace("-", " ")) == code
    assert normalise_code("O0O0-IIII-LLLL-0000") == "0000-1111-1111-0000"
    assert normalise_code("too-short") is None


def test_every_page_of_a_draft_says_draft_and_its_orders_run_from_issue(
    draft_pdf: bytes,
) -> None:
    pages = _pages(draft_pdf)
    assert all("DRAFT - not issued" in page for page in pages)
    text = " ".join(pages)
    assert "within 30 days of issue" in text
    assert "immediately on issue" in text or "critical" not in text
    assert not re.search(r"within \d+ days, by \d", text)
    assert "Issued on" not in text
    assert list(_attachments(draft_pdf)) == ["PH-2026-0417.json"]


def test_a_draft_is_the_same_bytes_every_time(inspection: Inspection, draft_pdf: bytes) -> None:
    from auditor.issuing import render_draft_pdf

    assert render_draft_pdf(inspection, Copy.INSPECTOR) == draft_pdf


def test_every_page_of_an_issued_report_says_when_and_by_whom(
    signed_pdf: bytes, signed_record: IssueRecord
) -> None:
    pages = _pages(signed_pdf)
    assert all("Issued on 7 December 2026 by Sita Sharma" in page for page in pages)
    assert all("DRAFT - not issued" not in page for page in pages)
    text = " ".join(pages)
    assert "verify with `auditor verify`" in text
    assert "within 30 days, by 6 January 2027" in text
    assert "Set aside by the inspector" in text
    assert "INSP-1" in text
    assert signed_record.verification_code in text
    assert "http" not in pages[0]  # offline: no URL, no QR code


def test_the_issued_report_attaches_the_result_and_the_record(
    inspection: Inspection, signed_pdf: bytes, signed_record: IssueRecord
) -> None:
    attached = _attachments(signed_pdf)
    result = attached["PH-2026-0417.json"]
    assert result == render_json(inspection, Copy.INSPECTOR)
    assert hashlib.sha256(result).hexdigest() == signed_record.result_sha256["inspector"]
    record = IssueRecord.model_validate(orjson.loads(attached["PH-2026-0417.issue.json"]))
    assert record == signed_record
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(signed_pdf))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp
    assert 'pdfaid:conformance="B"' in xmp
    assert reader.metadata is not None
    assert reader.metadata.creation_date is not None
    assert reader.metadata.creation_date.date() == ISSUED_ON  # the issue date, not the inspection


def test_the_record_is_valid_against_its_schema(signed_record: IssueRecord) -> None:
    import jsonschema

    from auditor.schemas import load

    jsonschema.validate(orjson.loads(signed_record.to_json_bytes()), load("issue"))


def test_the_record_holds_due_dates_from_the_issue_and_the_reviewed_view(
    inspection: Inspection, signed_record: IssueRecord
) -> None:
    import datetime as dt

    record = signed_record
    assert record.issued_on == ISSUED_ON
    limits = {"critical": 0, "high": 30, "medium": 90}
    for due in record.due:
        assert due.due == ISSUED_ON + dt.timedelta(days=limits[due.severity.value])
    assert all(d.severity.value != "low" for d in record.due)
    assert [a.rule_id for a in record.added] == ["INSP-1", "INSP-2"]
    assert record.reviewed.score <= inspection.result.score or record.set_aside
    set_aside = record.set_aside[0]
    assert all(
        not (d.rule_id == set_aside.rule_id and d.subject == set_aside.subject) for d in record.due
    )


def test_the_agency_record_counts_what_is_confidential(
    inspection: Inspection, signed_record: IssueRecord
) -> None:
    agency = record_for(signed_record, Copy.AGENCY, confidential_rules(inspection.pack))
    assert agency.for_copy == "agency"
    assert [a.rule_id for a in agency.added] == ["INSP-1"]
    assert agency.withheld is not None
    assert agency.withheld.added == 1
    hidden = confidential_rules(inspection.pack) | {"INSP-2"}
    assert all(d.subject is None for d in agency.due if d.rule_id in hidden)


@pytest.mark.parametrize(
    ("on", "code"),
    [("2026-06-29", "issue_before_inspection"), ("2026-12-08", "issue_in_future")],
)
def test_an_issue_date_out_of_range_is_refused(inspection: Inspection, on: str, code: str) -> None:
    import datetime as dt

    with pytest.raises(IssueError) as refused:
        check_issue_date(dt.date.fromisoformat(on), inspection.result.inspection_date, ISSUED_ON)
    assert refused.value.code == code


def test_a_review_that_breaks_its_rules_issues_nothing(inspection: Inspection) -> None:
    review = Review.model_validate(
        {"set_aside": [{"rule_id": "NOPE-9", "subject": {"type": "agency", "id": "x"},
                        "reason": "too short"}]}
    )  # fmt: skip
    with pytest.raises(IssueError) as refused:
        make_issue_record(
            inspection, review, issued_on=ISSUED_ON, today=ISSUED_ON, office="KTM",
            issued_by=IssuedBy(name="A", title="B"),
        )  # fmt: skip
    assert refused.value.code == "invalid_review"
    assert {p.code for p in refused.value.problems} == {"reason_too_short", "unknown_rule"}  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def result_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("audit")
    assert main(["audit", str(SAMPLE), "--out", str(folder), "--format", "json",
                 "--in-process"]) == 0  # fmt: skip
    return folder / "PH-2026-0417.json"


BASE = ["--by", "Sita Sharma", "--title", "Inspector", "--office", "KTM"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--on", "2026-01-01"], "before the inspection date"),
        (["--on", "2999-01-01"], "after today"),
        (["--on", "yesterday"], "is not a date"),
        (["--supersedes", "AAAA-BBBB-CCCC-DDDD"], "go together"),
        (["--supersedes", "AAAA-BBBB-CCCC-DDDD", "--reason", "short"], "at least 20"),
        (["--supersedes", "nonsense", "--reason", "x" * 30], "not a verification code"),
        (["--time-zone", "Mars/Olympus"], "not an IANA time zone"),
        (["--key-password-stdin"], "needs --key"),
    ],
)
def test_bad_input_exits_2_with_a_sentence_and_writes_nothing(
    result_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    message: str,
) -> None:
    out = tmp_path / "out"
    code = main(["issue", str(result_file), str(SAMPLE), *BASE, *extra, "--out", str(out)])
    assert code == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_another_workbook_or_a_wrong_password_exits_2(
    result_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    other = SAMPLE.parent / "compliant-agency.xlsx"
    out = tmp_path / "out"
    assert main(["issue", str(result_file), str(other), *BASE, "--out", str(out)]) == 2
    assert "not the one this result was made from" in capsys.readouterr().err
    from .test_keys import _p12

    key = tmp_path / "office.p12"
    key.write_bytes(_p12(b"right"))
    monkeypatch.setattr("sys.stdin", io.StringIO("wrong\n"))
    code = main(["issue", str(result_file), str(SAMPLE), *BASE, "--key", str(key),
                 "--key-password-stdin", "--out", str(out)])  # fmt: skip
    assert code == 2
    assert "password does not open" in capsys.readouterr().err
    assert not out.exists()


def test_the_command_issues_signed_copies_that_verify(
    result_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    from .test_keys import _p12

    key = tmp_path / "office.p12"
    key.write_bytes(_p12(b"right"))
    monkeypatch.setattr("sys.stdin", io.StringIO("right\n"))
    out = tmp_path / "out"
    code = main(["issue", str(result_file), str(SAMPLE), *BASE, "--on", "2026-07-01",
                 "--key", str(key), "--key-password-stdin", "--copy", "inspector,agency",
                 "--supersedes", "aaaa bbbb cccc dddd",
                 "--reason", "The first report named the wrong employer.",
                 "--out", str(out)])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    printed = capsys.readouterr().out
    assert sorted(p.name for p in out.iterdir()) == [
        "PH-2026-0417.agency.pdf", "PH-2026-0417.issue.json", "PH-2026-0417.pdf"
    ]  # fmt: skip
    record = IssueRecord.model_validate(
        orjson.loads((out / "PH-2026-0417.issue.json").read_bytes())
    )
    assert record.verification_code in printed
    assert record.signed
    assert record.supersedes is not None
    assert record.supersedes.verification_code == "AAAA-BBBB-CCCC-DDDD"
    text = " ".join(_pages((out / "PH-2026-0417.pdf").read_bytes()))
    assert "Replaces the report of audit PH-2026-0417 issued under code AAAA-BBBB-CCCC-DDDD" in text
    agency = _attachments((out / "PH-2026-0417.agency.pdf").read_bytes())
    assert set(agency) == {"PH-2026-0417.agency.json", "PH-2026-0417.agency.issue.json"}
    assert (
        hashlib.sha256(agency["PH-2026-0417.agency.json"]).hexdigest()
        == record.result_sha256["agency"]
    )
    from cryptography.hazmat.primitives.serialization import Encoding, pkcs12

    _, certificate, _ = pkcs12.load_key_and_certificates(key.read_bytes(), b"right")
    assert certificate is not None
    pem = tmp_path / "office.pem"
    pem.write_bytes(certificate.public_bytes(Encoding.PEM))
    for name in ("PH-2026-0417.pdf", "PH-2026-0417.agency.pdf"):
        assert main(["verify", str(out / name), "--trust", str(pem)]) == 0


def test_the_service_url_gives_the_url_line_and_a_qr_code(inspection: Inspection) -> None:
    from auditor.issuing import render_issued_pdf
    from auditor.issuing.reports import qr_svg

    record = make_issue_record(
        inspection,
        issued_on=ISSUED_ON,
        today=ISSUED_ON,
        office="KTM",
        issued_by=IssuedBy(name="Sita Sharma", title="Inspector"),
        verify_url="https://audit.example.gov.np/",
    )
    url = f"https://audit.example.gov.np/verify/{record.verification_code}"
    assert record.verify_url == url
    svg = qr_svg(url)
    assert svg.startswith("<svg")
    assert 'xmlns="http://www.w3.org/2000/svg"' in svg
    pdf = render_issued_pdf(inspection, record, Copy.AGENCY)
    pages = _pages(pdf)
    squashed = ["".join(page.split()) for page in pages]
    assert all(f"verifyat{url}withcode{record.verification_code}" in p for p in squashed)
    assert "notsignedelectronically" in squashed[0]
    from pypdf import PdfReader

    first = PdfReader(io.BytesIO(pdf)).pages[0].get_contents()
    assert first is not None
    assert first.get_data().count(b" l\n") > 100  # the QR code's modules, stroked as lines


def test_a_draft_shows_a_pending_review_marked_as_such(
    inspection: Inspection, review: Review
) -> None:
    from auditor.issuing import render_draft_pdf, reviewed_view

    pdf = render_draft_pdf(inspection, Copy.AGENCY, review)
    text = " ".join(_pages(pdf))
    assert "The inspector's review (pending: not issued)" in text
    assert "INSP-1" in text
    assert "INSP-2" not in text  # confidential: counted only in the agency's copy
    assert "1 confidential finding(s) added by the inspector" in text
    reviewed = reviewed_view(inspection.result, review, inspection.profile.weights)
    assert f"{reviewed.score:.1f} / 100" in text
    assert all("DRAFT - not issued" in page for page in _pages(pdf))
    assert render_draft_pdf(inspection, Copy.AGENCY, review) == pdf  # drafts are reproducible
    # the engine's own result is what is attached, unchanged
    assert _attachments(pdf)["PH-2026-0417.agency.json"] == render_json(inspection, Copy.AGENCY)


def test_the_findings_workbook_deadlines_read_of_issue(inspection: Inspection) -> None:
    from openpyxl import load_workbook

    from auditor.render import render_xlsx

    book = load_workbook(io.BytesIO(render_xlsx(inspection)), read_only=True)
    rows = list(book["Findings"].iter_rows(values_only=True))
    column = rows[0].index("deadline")
    deadlines = {row[column] for row in rows[1:]}
    assert deadlines <= {
        "immediately on issue", "within 30 days of issue", "within 90 days of issue",
        "advice: no deadline",
    }  # fmt: skip
    assert "within 30 days of issue" in deadlines


def test_the_issue_schema_is_printed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "issue"]) == 0
    schema = orjson.loads(capsys.readouterr().out)
    assert schema["title"] == "audit-issue/1"
    assert "result_sha256" in schema["required"]
