"""Follow-up audits in the service: the agency's previous audit in the office is found and
compared when the job runs (web.md, GET /api/v1/audits/{id}/comparison)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.service.harness import SAMPLES, Service

FIRST = SAMPLES / "agency-with-problems.xlsx"
FOLLOW_UP = SAMPLES / "agency-follow-up.xlsx"


def _done(service: Service, token: str, path: Path) -> dict[str, Any]:
    status, accepted = service.upload(token, path)
    assert status in (200, 202)
    audit = service.wait_final(token, accepted["id"])
    assert audit["status"] == "done", audit
    return audit


def test_a_follow_up_is_compared_with_the_offices_previous_audit_and_no_other(
    service: Service,
) -> None:
    # Another office audited the agency first: its audit is never the previous one here.
    stranger = service.account("fu-stranger", office="FU-AWAY")
    _done(service, stranger.token, FIRST)
    alone = service.account("fu-alone", office="FU-ALONE")
    lonely = _done(service, alone.token, FOLLOW_UP)
    path = f"/api/v1/audits/{lonely['id']}/comparison"
    code, _, body = service.api("GET", path, token=alone.token)
    assert (code, json.loads(body)["code"]) == (409, "no_previous_audit")  # 1.1: named why

    inspector = service.account("fu-inspector", office="FU-HOME")
    first = _done(service, inspector.token, FIRST)
    assert (
        service.api("GET", f"/api/v1/audits/{first['id']}/comparison", token=inspector.token)[0]
        == 409
    )
    follow_up = _done(service, inspector.token, FOLLOW_UP)
    path = f"/api/v1/audits/{follow_up['id']}/comparison"
    code, _, body = service.api("GET", path, token=inspector.token)
    assert code == 200, body
    comparison = json.loads(body)
    assert comparison["format"] == "audit-comparison/1"
    assert comparison["previous"]["audit_id"] == first["result"]["audit_id"]
    assert comparison["previous"]["input_sha256"] == first["result"]["input_sha256"]
    expected = json.loads((SAMPLES / "expected" / "PH-2026-1102.comparison.json").read_text())
    assert comparison["findings"] == expected["findings"]
    assert comparison["money_owed"] == expected["money_owed"]
    assert service.api("GET", path, token=stranger.token)[0] == 404
    pdf = service.api(
        "GET", f"/api/v1/audits/{follow_up['id']}/report.pdf?copy=inspector", token=inspector.token
    )[2]
    assert "Since the previous audit" in _text(pdf)
    lonely_pdf = service.api(
        "GET", f"/api/v1/audits/{lonely['id']}/report.pdf?copy=inspector", token=alone.token
    )[2]
    assert "Since the previous audit" not in _text(lonely_pdf)


def _text(pdf: bytes) -> str:
    import io

    from pypdf import PdfReader

    return " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def _comparison(service: Service, token: str, audit_id: str, previous: str) -> tuple[int, Any]:
    path = f"/api/v1/audits/{audit_id}/comparison?previous={previous}"
    code, _, body = service.api("GET", path, token=token)
    return code, json.loads(body)


def test_a_comparison_on_demand_with_any_earlier_audit_or_a_409_naming_why(
    service: Service,
) -> None:
    """1.1: a follow-up uploaded before its previous audit is compared all the same, on
    demand; each reason there is none has its own code; another office's audit is 404."""
    inspector = service.account("od-inspector", office="OD-HOME")
    follow_up = _done(service, inspector.token, FOLLOW_UP)  # uploaded first: nothing chosen
    first = _done(service, inspector.token, FIRST)
    other = _done(service, inspector.token, SAMPLES / "compliant-agency.xlsx")
    code, _, body = service.api(
        "GET", f"/api/v1/audits/{follow_up['id']}/comparison", token=inspector.token
    )
    assert (code, json.loads(body)["code"]) == (409, "no_previous_audit")
    code, made = _comparison(service, inspector.token, follow_up["id"], first["id"])
    assert code == 200, made
    assert made["format"] == "audit-comparison/1"
    assert made["previous"]["audit_id"] == first["result"]["audit_id"]
    expected = json.loads((SAMPLES / "expected" / "PH-2026-1102.comparison.json").read_text())
    assert made["findings"] == expected["findings"]
    code, why = _comparison(service, inspector.token, first["id"], follow_up["id"])
    assert (code, why["code"]) == (409, "wrong_order"), why
    assert first["agency_licence"] != other["agency_licence"]
    code, why = _comparison(service, inspector.token, follow_up["id"], other["id"])
    assert (code, why["code"]) == (409, "other_licence"), why
    stranger = service.account("od-stranger", office="OD-AWAY")
    theirs = _done(service, stranger.token, FIRST)
    code, why = _comparison(service, inspector.token, follow_up["id"], theirs["id"])
    assert (code, why["code"]) == (404, "not_found")
