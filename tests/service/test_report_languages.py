"""Reports in the reader's language and the worker notices, through the service (issue 27).

Against a real ``auditor serve`` with one job worker: ``?lang=`` renders a draft
or workbook in any shipped language (the result JSON stays the same bytes), an
unknown one is 400 ``unknown_language``, the office's language is the default,
an issued report is never rendered again in a language it was not issued in
(409 ``language_not_issued``), and the worker notices give one page per worker
owed money, to the office's inspectors and supervisors only, recorded in the
accesses like every download.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from auditor.i18n import translator
from tests.service.harness import Service, run_cli, serving
from tests.service.test_pages import signed_in

CONTACT = "Department of Foreign Employment, hotline 1141"
DEVANAGARI = re.compile(r"[\u0900-\u097F]")


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    with serving(
        tmp_path_factory.mktemp("report-languages"), AUDITOR_OFFICE_CONTACT=CONTACT
    ) as running:
        yield running


@pytest.fixture(scope="module")
def audit_id(service: Service) -> str:
    sample = Path(__file__).resolve().parents[2] / "sample_audits" / "agency-with-problems.xlsx"
    nima = service.account("nima", office="LNG")
    _, accepted = service.upload(nima.token, sample)
    audit = service.wait_final(nima.token, accepted["id"])
    assert audit["status"] == "done", audit
    return str(accepted["id"])


def _get(service: Service, path: str, token: str) -> tuple[int, dict[str, str], bytes]:
    return service.api("GET", path, token=token)


def _text(pdf: bytes, tmp_path: Path) -> str:
    """The PDF's text as ``pdftotext`` reads it (Poppler: what an inspector's viewer shows)."""
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    made = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return made.stdout.decode("utf-8")


def _pdf_text(pdf: bytes) -> str:
    """The PDF's text, its lines joined (a sentence may be wrapped on the page)."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.split())


def _draft_marks() -> tuple[str, ...]:
    """What a draft's notice says of the due date, in Filipino (the sample's workers')."""
    words = translator("fil")
    within = words.gettext("within %(days)s days of the report's issue", days="@")
    return (words.gettext("at once when the report is issued"), within.split("@")[-1].strip())


def test_a_nepali_draft_differs_from_the_english_one_and_the_result_is_the_same(
    service: Service, audit_id: str, tmp_path: Path
) -> None:
    token = service.account("nima", office="LNG").token
    base = f"/api/v1/audits/{audit_id}"
    code, _, before = _get(service, f"{base}/result.json", token)
    assert code == 200
    code, _, english = _get(service, f"{base}/report.pdf?copy=inspector&lang=en", token)
    assert code == 200, english[:300]
    code, headers, nepali = _get(service, f"{base}/report.pdf?copy=inspector&lang=ne", token)
    assert code == 200, nepali[:300]
    assert headers["Content-Type"] == "application/pdf"
    assert nepali != english
    title = PdfReader(io.BytesIO(nepali)).metadata.title
    assert title.startswith("निरीक्षण प्रतिवेदन")
    assert PdfReader(io.BytesIO(english)).metadata.title.startswith("Inspection report")
    nepali_text = _text(nepali, tmp_path)
    assert len(DEVANAGARI.findall(nepali_text)) > 200
    assert "Findings and orders to remedy" not in nepali_text
    english_text = _text(english, tmp_path)
    assert not DEVANAGARI.search(english_text)
    assert "Findings and orders to remedy" in english_text
    # Kept under its language's key: asked again, the same bytes.
    assert _get(service, f"{base}/report.pdf?copy=inspector&lang=ne", token)[2] == nepali
    # The agency's copy and the workbook in another language too.
    code, _, agency = _get(service, f"{base}/report.pdf?copy=agency&lang=id", token)
    assert code == 200
    assert PdfReader(io.BytesIO(agency)).metadata.title != title
    code, _, workbook_ne = _get(service, f"{base}/findings.xlsx?lang=ne", token)
    code_en, _, workbook_en = _get(service, f"{base}/findings.xlsx?lang=en", token)
    assert (code, code_en) == (200, 200)
    assert workbook_ne != workbook_en
    # The result document has no language: the same bytes after every render.
    assert _get(service, f"{base}/result.json", token)[2] == before


def test_an_unknown_language_is_400_with_its_code(service: Service, audit_id: str) -> None:
    token = service.account("nima", office="LNG").token
    base = f"/api/v1/audits/{audit_id}"
    for path in (
        f"{base}/report.pdf?copy=inspector&lang=xx",
        f"{base}/report.pdf?copy=agency&lang=EN-us",
        f"{base}/findings.xlsx?lang=klingon",
        f"{base}/notices.pdf?lang=zz",
    ):
        code, _, body = _get(service, path, token)
        assert code == 400, path
        answer = json.loads(body)
        assert answer["code"] == "unknown_language", path
        assert "en, ne, id, fil, ar, fr, es" in answer["error"]
    visitor = signed_in(service, service.account("nima", office="LNG"))
    for page in ("pdf?copy=inspector&lang=xx", "notices?lang=xx"):
        answer = visitor.get(f"/audits/{audit_id}/download/{page}")
        assert answer.status == 400, page
        assert "en, ne" in answer.text, page


def test_the_offices_language_is_the_default(service: Service, audit_id: str) -> None:
    token = service.account("nima", office="LNG").token
    base = f"/api/v1/audits/{audit_id}"
    english = _get(service, f"{base}/findings.xlsx", token)[2]
    assert english == _get(service, f"{base}/findings.xlsx?lang=en", token)[2]
    assert run_cli(service.env, "offices", "language", "LNG", "fil").returncode == 0
    try:
        filipino = _get(service, f"{base}/findings.xlsx", token)[2]
        assert filipino == _get(service, f"{base}/findings.xlsx?lang=fil", token)[2]
        assert filipino != english
    finally:
        assert run_cli(service.env, "offices", "language", "LNG", "en").returncode == 0


def test_the_notices_give_one_page_per_worker_owed_money(
    service: Service, audit_id: str, tmp_path: Path
) -> None:
    nima = service.account("nima", office="LNG")
    base = f"/api/v1/audits/{audit_id}"
    result = json.loads(_get(service, f"{base}/result.json", nima.token)[2])
    owed = list(result["money_owed"]["by_worker"])
    assert len(owed) == 7
    code, headers, pdf = _get(service, f"{base}/notices.pdf?lang=en", nima.token)
    assert code == 200, pdf[:300]
    assert headers["Content-Type"] == "application/pdf"
    assert "notices.pdf" in headers["Content-Disposition"]
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) == len(owed)
    for page, worker in zip(pages, owed, strict=True):
        assert worker in page
        assert "hotline 1141" in page  # the office's contact, from AUDITOR_OFFICE_CONTACT
        assert not any(other in page for other in owed if other != worker)
        # Each worker of the sample reads Filipino (``tl``): her page is in it, whatever the
        # office's language (the fallback, for a worker whose language is not shipped).
        assert "Para sa manggagawang" in page
    code, _, nepali = _get(service, f"{base}/notices.pdf?lang=ne", nima.token)
    assert code == 200
    assert "Para sa manggagawang W18" in _text(nepali, tmp_path)
    # From the audit page too; each download in the accesses record.
    visitor = signed_in(service, nima)
    page = visitor.get(f"/audits/{audit_id}")
    assert 'id="download-notices"' in page.text
    answer = visitor.get(f"/audits/{audit_id}/download/notices?lang=en")
    assert answer.status == 200
    assert answer.body == pdf
    boss = service.account("bina", office="LNG", role="supervisor")
    code, _, body = _get(service, f"{base}/accesses", boss.token)
    assert code == 200
    rows = [(row["username"], row["file"], row["via"]) for row in json.loads(body)]
    assert ("nima", "notices", "api") in rows
    assert ("nima", "notices", "page") in rows
    # The supervisor of the office has them too.
    assert _get(service, f"{base}/notices.pdf", boss.token)[0] == 200


def test_no_one_else_has_the_notices(service: Service, audit_id: str) -> None:
    base = f"/api/v1/audits/{audit_id}"
    mallory = service.account("mallory", office="OTHER")
    code, _, body = _get(service, f"{base}/notices.pdf", mallory.token)
    assert code == 404
    assert json.loads(body) == {"error": "not found", "code": "not_found"}
    assert signed_in(service, mallory).get(f"/audits/{audit_id}/download/notices").status == 404
    # The agency's copy of the page never links them (it is what the agency sees).
    visitor = signed_in(service, service.account("nima", office="LNG"))
    agency = visitor.get(f"/audits/{audit_id}?copy=agency")
    assert agency.status == 200
    assert "download-notices" not in agency.text
    assert "/download/notices" not in agency.text


def test_the_page_offers_the_languages_in_its_own_words(service: Service, audit_id: str) -> None:
    visitor = signed_in(service, service.account("nima", office="LNG"))
    page = visitor.get(f"/audits/{audit_id}?report_lang=ne").text
    assert 'id="report-lang"' in page
    assert '<option value="ne" lang="ne" selected>नेपाली</option>' in page
    assert f"/audits/{audit_id}/download/pdf?copy=inspector&amp;lang=ne" in page
    assert f"/audits/{audit_id}/download/notices?lang=ne" in page
    assert visitor.get(f"/audits/{audit_id}/download/xlsx?copy=inspector&lang=ne").status == 200
    assert run_cli(service.env, "offices", "language", "LNG", "es").returncode == 0
    try:
        spanish = visitor.get(f"/audits/{audit_id}").text
    finally:
        assert run_cli(service.env, "offices", "language", "LNG", "en").returncode == 0
    assert "Language of the reports" not in spanish  # the page's own language: Spanish
    assert '<option value="es" lang="es" selected>' in spanish


def test_an_issued_report_is_never_rendered_again_in_another_language(
    service: Service, tmp_path: Path
) -> None:
    sample = Path(__file__).resolve().parents[2] / "sample_audits" / "agency-with-problems.xlsx"
    ines = service.account("ines", office="ISS")
    sue = service.account("sue", office="ISS", role="supervisor")
    _, accepted = service.upload(ines.token, sample)
    assert service.wait_final(ines.token, accepted["id"])["status"] == "done"
    base = f"/api/v1/audits/{accepted['id']}"
    code, _, draft_notices = _get(service, f"{base}/notices.pdf?lang=en", ines.token)
    assert code == 200
    assert any(mark in _pdf_text(draft_notices) for mark in _draft_marks())
    code, _, body = service.api("POST", f"{base}/issue", token=sue.token, body=b"{}",
                                content_type="application/json")  # fmt: skip
    assert code == 200, body
    issued_on = dt.date.fromisoformat(json.loads(body)["issued_on"])
    code, _, issued = _get(service, f"{base}/report.pdf?copy=inspector", ines.token)
    assert code == 200
    assert _get(service, f"{base}/report.pdf?copy=inspector&lang=en", ines.token)[2] == issued
    code, _, body = _get(service, f"{base}/report.pdf?copy=inspector&lang=ne", ines.token)
    assert code == 409
    assert json.loads(body)["code"] == "language_not_issued"
    code, _, body = _get(service, f"{base}/report.pdf?copy=inspector&lang=xx", ines.token)
    assert code == 400
    assert json.loads(body)["code"] == "unknown_language"
    # The draft is offered in any language.
    code, _, draft = _get(service, f"{base}/report.pdf?copy=inspector&draft=1&lang=ne", ines.token)
    assert code == 200
    assert PdfReader(io.BytesIO(draft)).metadata.title.startswith("निरीक्षण प्रतिवेदन")
    # Once issued, the notices give the orders' due dates as dates.
    code, _, pdf = _get(service, f"{base}/notices.pdf?lang=en", ines.token)
    assert code == 200
    assert pdf != draft_notices
    text = _pdf_text(pdf)
    assert not any(mark in text for mark in _draft_marks())
    words = translator("fil")  # the sample's workers read Filipino: a due date is a date
    dates = {words.day(issued_on + dt.timedelta(days=days)) for days in range(366)}
    assert any(date in text for date in dates)
    visitor = signed_in(service, ines)
    answer = visitor.get(f"/audits/{accepted['id']}/download/pdf?copy=inspector&lang=ne")
    assert answer.status == 409


def test_an_issue_renders_each_copy_in_each_language_asked_for(service: Service) -> None:
    sample = Path(__file__).resolve().parents[2] / "sample_audits" / "agency-with-problems.xlsx"
    ira = service.account("ira", office="ISN")
    sam = service.account("sam", office="ISN", role="supervisor")
    _, accepted = service.upload(ira.token, sample)
    assert service.wait_final(ira.token, accepted["id"])["status"] == "done"
    base = f"/api/v1/audits/{accepted['id']}"

    def issue(body: dict[str, object]) -> tuple[int, dict[str, object]]:
        code, _, answer = service.api("POST", f"{base}/issue", token=sam.token,
                                      body=json.dumps(body).encode(),
                                      content_type="application/json")  # fmt: skip
        return code, json.loads(answer)

    code, answer = issue({"languages": ["ne", "xx", "ne"]})
    assert code == 400
    assert answer["code"] == "invalid_issue"
    found = {(p["location"], p["code"]) for p in answer["problems"]}  # type: ignore[union-attr]
    assert found == {("languages[1]", "unknown_language"), ("languages", "duplicate_language")}
    code, answer = issue({"languages": ["en", "ne"]})
    assert code == 200, answer
    code, _, english = _get(service, f"{base}/report.pdf?copy=inspector&lang=en", ira.token)
    assert code == 200
    code, _, nepali = _get(service, f"{base}/report.pdf?copy=inspector&lang=ne", ira.token)
    assert code == 200
    assert PdfReader(io.BytesIO(nepali)).metadata.title.startswith("निरीक्षण प्रतिवेदन")
    assert PdfReader(io.BytesIO(english)).metadata.title.startswith("Inspection report")
    code, _, agency = _get(service, f"{base}/report.pdf?copy=agency&lang=ne", ira.token)
    assert code == 200
    assert agency != nepali
    # Stored once, at issue: asked again, the same bytes; the default is the office's (en).
    assert _get(service, f"{base}/report.pdf?copy=inspector&lang=ne", ira.token)[2] == nepali
    assert _get(service, f"{base}/report.pdf?copy=inspector", ira.token)[2] == english
    code, _, body = _get(service, f"{base}/report.pdf?copy=inspector&lang=fr", ira.token)
    assert code == 409
    assert json.loads(body)["code"] == "language_not_issued"
    issued = service.data_dir / "audits" / accepted["id"]
    assert {p.name for p in issued.glob("issued*.pdf")} == {
        "issued.pdf", "issued.agency.pdf", "issued.ne.pdf", "issued.agency.ne.pdf",
    }  # fmt: skip
