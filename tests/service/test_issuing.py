"""Issuing through the service (issue 22; web.md 1.1 and audit-output.md 1.2, "Settled").

One service for the module, behind a "proxy" (``AUDITOR_TRUSTED_PROXIES``
names loopback, so each test's ``X-Forwarded-For`` is its own client for
the rate limit of ``/verify``). An office in Kathmandu's time zone, with
an inspector, two supervisors and an admin; another office with its own.
The tests run in order and build on each other: review, issue, supersede,
withdraw, verify, and the signing key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import stat
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.service.harness import (
    SAMPLES,
    Account,
    Service,
    corrected_workbook,
    multipart,
    run_cli,
    serving,
)
from tests.service.pages_client import PageSession

OFFICE, OTHER = "KTM", "PKR"
ZONE = "Asia/Kathmandu"
REASON = "The worker showed the inspector a receipt for the full refund."


@dataclass
class World:
    service: Service
    inspector: Account
    supervisor: Account
    second: Account  # another supervisor of the office
    admin: Account
    away_admin: Account  # an admin of the other office
    away_supervisor: Account
    audits: dict[str, str] = field(default_factory=dict)
    codes: dict[str, str] = field(default_factory=dict)
    issued: dict[str, tuple[bytes, int]] = field(default_factory=dict)  # bytes, mtime

    def call(
        self, method: str, path: str, account: Account, body: Any = None
    ) -> tuple[int, dict[str, str], Any]:
        data = None if body is None else json.dumps(body).encode()
        code, headers, answer = self.service.api(
            method,
            path,
            token=account.token,
            body=data,
            content_type="application/json" if data is not None else None,
        )
        try:
            parsed = json.loads(answer)
        except ValueError:
            parsed = answer
        return code, headers, parsed

    def verify(self, path: str, client: str, **options: Any) -> tuple[int, dict[str, str], Any]:
        headers = {"Accept": "application/json", "X-Forwarded-For": client}
        code, answer_headers, body = self.service.api("GET", path, headers=headers, **options)
        return code, answer_headers, json.loads(body) if code != 303 else body


def _upload_done(world: World, account: Account, path: Path) -> dict[str, Any]:
    code, accepted = world.service.upload(account.token, path)
    assert code in (200, 202), accepted
    final = world.service.wait_final(account.token, accepted["id"])
    assert final["status"] == "done", final
    return final


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("issuing")
    with serving(
        folder,
        AUDITOR_PUBLIC_URL="https://verify.example.org/",
        AUDITOR_TRUSTED_PROXIES="127.0.0.1",
    ) as service:
        made = run_cli(
            service.env, "offices", "create", OFFICE, "--name", "Kathmandu office",
            "--time-zone", ZONE,
        )  # fmt: skip
        assert made.returncode == 0, made.stderr
        world = World(
            service,
            inspector=service.account("ines", office=OFFICE),
            supervisor=service.account("suda", office=OFFICE, role="supervisor"),
            second=service.account("sita", office=OFFICE, role="supervisor"),
            admin=service.account("ada", office=OFFICE, role="admin"),
            away_admin=service.account("arun", office=OTHER, role="admin"),
            away_supervisor=service.account("parbati", office=OTHER, role="supervisor"),
        )
        world.audits["first"] = _upload_done(
            world, world.inspector, SAMPLES / "agency-with-problems.xlsx"
        )["id"]
        world.audits["corrected"] = _upload_done(
            world, world.inspector, corrected_workbook(folder)
        )["id"]
        yield world


def _base(world: World, name: str) -> str:
    return f"/api/v1/audits/{world.audits[name]}"


# -- offices ----------------------------------------------------------------------------------


def test_an_office_refuses_a_time_zone_that_is_not_iana(world: World) -> None:
    made = run_cli(
        world.service.env, "offices", "create", "X1", "--name", "X", "--time-zone", "Mars/Base"
    )
    assert made.returncode == 2
    assert "IANA" in made.stderr
    assert "Traceback" not in made.stderr
    listed = run_cli(
        world.service.env, "users", "create", "x", "--role", "inspector", "--office", "X1"
    )
    assert listed.returncode == 2  # the office was not made


# -- the review -------------------------------------------------------------------------------


def test_a_review_that_breaks_its_rules_is_400_with_every_problem(world: World) -> None:
    base = _base(world, "first")
    body = {
        "set_aside": [
            {"rule_id": "NOPE-99", "subject": {"type": "worker", "id": "W01"}, "reason": "short"}
        ],
        "added": [
            {"paragraph": 12, "severity": "high", "subject_type": "worker",
             "subjects": ["W999"], "finding": "", "evidence": "seen"}
        ],
    }  # fmt: skip
    code, _, answer = world.call("POST", f"{base}/review", world.inspector, body)
    assert code == 400, answer
    assert answer["code"] == "invalid_review"
    found = {(p["location"], p["code"]) for p in answer["problems"]}
    assert ("set_aside[0].reason", "reason_too_short") in found
    assert ("set_aside[0].rule_id", "unknown_rule") in found
    assert ("added[0].paragraph", "bad_paragraph") in found
    assert ("added[0].finding", "empty_text") in found
    assert ("added[0].subjects[0]", "unknown_subject") in found
    code, _, answer = world.call("POST", f"{base}/review", world.inspector, {"set_aside": "x"})
    assert code == 400
    assert answer["code"] == "invalid_review"
    assert answer["problems"][0]["location"].startswith("set_aside")
    # Nothing was saved.
    code, _, answer = world.call("GET", f"{base}/review", world.inspector)
    assert code == 200
    assert answer["set_aside"] == []
    assert answer["added"] == []
    assert answer["author"] is None


def test_the_inspector_reviews_and_a_new_review_replaces_the_old(world: World) -> None:
    base = _base(world, "first")
    code, _, audit = world.call("GET", base, world.inspector)
    finding = audit["result"]["findings"][0]
    code, _, plain = world.service.api(
        "GET", f"{base}/report.pdf?copy=inspector", token=world.inspector.token
    )
    assert code == 200  # the draft without a review, rendered after the audit was done
    first = {
        "set_aside": [
            {"rule_id": finding["rule_id"], "subject": finding["subject"], "reason": REASON}
        ]
    }
    assert world.call("POST", f"{base}/review", world.inspector, first)[0] == 200
    second = {
        **first,
        "added": [
            {"paragraph": 16, "severity": "high", "subject_type": "agency", "subjects": [],
             "finding": "The office door was locked from outside.",
             "evidence": "Seen by the inspector on arrival.", "confidential": False}
        ],
    }  # fmt: skip
    code, _, answer = world.call("POST", f"{base}/review", world.inspector, second)
    assert code == 200, answer
    code, _, answer = world.call("GET", f"{base}/review", world.admin)  # admins read everything
    assert code == 200
    assert len(answer["added"]) == 1
    assert len(answer["set_aside"]) == 1
    assert answer["author"] is not None
    # Admins never review: not found, as for anything they may not do on an audit they see.
    assert world.call("POST", f"{base}/review", world.admin, second)[0] == 404
    assert world.call("POST", f"{base}/review", world.away_supervisor, second)[0] == 404
    # The accesses record shows the review and its author.
    code, _, rows = world.call("GET", f"{base}/accesses", world.supervisor)
    assert ("ines", "review") in {(row["username"], row["kind"]) for row in rows}
    # The engine's result stays as it was.
    code, _, again = world.call("GET", base, world.inspector)
    assert again["result"] == audit["result"]
    # The draft shows the pending review: made once, kept under the review's digest.
    folder = world.service.data_dir / "audits" / world.audits["first"]

    def draft_now() -> bytes:
        code, _, draft = world.service.api(
            "GET", f"{base}/report.pdf?copy=inspector", token=world.inspector.token
        )
        assert code == 200, draft[:300]
        assert draft.startswith(b"%PDF-")
        return draft

    draft = draft_now()
    assert draft != plain
    kept = {path.read_bytes() for path in folder.glob("rendered/*.report.pdf")}
    assert kept == {plain, draft}
    # A review changed is a new draft, never the one kept for the review before (issue 26);
    # the same review again is the same key, and the draft kept for it.
    assert world.call("POST", f"{base}/review", world.inspector, first)[0] == 200
    with_first = draft_now()
    assert with_first not in (draft, plain)
    assert world.call("POST", f"{base}/review", world.inspector, second)[0] == 200
    assert draft_now() == draft
    assert len(list(folder.glob("rendered/*.report.pdf"))) == 3


# -- issuing ----------------------------------------------------------------------------------


def _today() -> str:
    return dt.datetime.now(ZoneInfo(ZONE)).date().isoformat()


def test_only_the_offices_supervisors_issue_and_only_on_the_offices_today(world: World) -> None:
    base = _base(world, "first")
    for account in (world.inspector, world.admin, world.away_admin, world.away_supervisor):
        code, _, answer = world.call("POST", f"{base}/issue", account, {})
        assert code == 404, (account.name, answer)
        assert answer == {"error": "not found", "code": "not_found"}
    code, _, answer = world.call("GET", f"{base}/issue.json", world.supervisor)
    assert code == 409
    assert answer["code"] == "conflict"
    yesterday = (dt.date.fromisoformat(_today()) - dt.timedelta(days=1)).isoformat()
    code, _, answer = world.call(
        "POST", f"{base}/issue", world.supervisor, {"issued_on": yesterday}
    )
    assert code == 400, answer
    assert answer["code"] == "invalid_issue"
    assert answer["problems"][0]["location"] == "issued_on"
    code, _, answer = world.call("POST", f"{base}/issue", world.supervisor, {"issued_on": "soon"})
    assert code == 400
    assert answer["code"] == "invalid_issue"
    assert world.call("GET", base, world.supervisor)[2]["issue"] is None


def test_the_supervisor_issues_with_the_review_and_due_dates_from_the_issue(world: World) -> None:
    base = _base(world, "first")
    code, _, record = world.call("POST", f"{base}/issue", world.supervisor, {"issued_on": _today()})
    assert code == 200, record
    world.codes["first"] = record["verification_code"]
    assert record["format"] == "audit-issue/1"
    assert record["state"] == "issued"
    assert record["superseded_by"] is None
    assert record["issued_on"] == _today()
    assert record["issued_by"] == {"name": "suda", "title": "Supervisor"}
    assert record["office"] == "Kathmandu office"
    assert (
        record["verify_url"] == f"https://verify.example.org/verify/{record['verification_code']}"
    )
    assert len(record["set_aside"]) == 1
    assert record["added"][0]["rule_id"] == "INSP-1"
    issued_on = dt.date.fromisoformat(_today())
    assert record["due"]
    assert all(dt.date.fromisoformat(item["due"]) >= issued_on for item in record["due"])
    # The digests are those of the stored results, which stay as the engine made them.
    for copy, name in (("inspector", "result.json"), ("agency", "result.agency.json")):
        stored = world.service.data_dir / "audits" / world.audits["first"] / name
        assert record["result_sha256"][copy] == hashlib.sha256(stored.read_bytes()).hexdigest()
    code, _, audit = world.call("GET", base, world.inspector)
    assert audit["issue"]["verification_code"] == record["verification_code"]
    assert audit["issued_at"]
    code, _, again = world.call("GET", f"{base}/issue.json", world.inspector)
    assert again == record
    # Repeated: already issued, with the record.
    code, _, answer = world.call("POST", f"{base}/issue", world.supervisor, {})
    assert code == 409
    assert answer["code"] == "already_issued"
    assert answer["issue"]["verification_code"] == record["verification_code"]
    # The review no longer changes.
    code, _, answer = world.call("POST", f"{base}/review", world.inspector, {"set_aside": []})
    assert code == 409


def test_the_issued_pdf_replaces_the_draft_after_issue(world: World) -> None:
    base = _base(world, "first")
    code, headers, issued = world.service.api(
        "GET", f"{base}/report.pdf?copy=inspector", token=world.inspector.token
    )
    assert code == 200, issued[:300]
    assert headers["Content-Type"] == "application/pdf"
    code, _, draft = world.service.api(
        "GET", f"{base}/report.pdf?copy=inspector&draft=1", token=world.inspector.token
    )
    assert code == 200
    assert issued != draft
    stored = world.service.data_dir / "audits" / world.audits["first"]
    assert (stored / "issued.pdf").read_bytes() == issued
    assert draft in {path.read_bytes() for path in stored.glob("rendered/*.report.pdf")}
    # Rendered once, at issue: downloaded again (and rendered again by a job, a no-op), the
    # same bytes, the same file (audit-output.md 1.2).
    world.issued["first"] = (issued, (stored / "issued.pdf").stat().st_mtime_ns)
    code, _, again = world.service.api(
        "GET", f"{base}/report.pdf?copy=inspector", token=world.inspector.token
    )
    assert code == 200
    assert again == issued
    assert world.codes["first"].encode() in issued or b"/EmbeddedFile" in issued


def test_a_second_report_with_the_same_audit_id_needs_a_reason_and_supersedes(
    world: World,
) -> None:
    base = _base(world, "corrected")
    code, _, answer = world.call("POST", f"{base}/issue", world.supervisor, {})
    assert code == 409, answer
    assert answer["code"] == "conflict"
    assert world.codes["first"] in answer["error"]
    code, _, answer = world.call(
        "POST", f"{base}/issue", world.supervisor, {"supersede_reason": "too short"}
    )
    assert code == 400
    assert answer["code"] == "invalid_issue"
    reason = "The agency produced its ledger after the first report was issued."
    code, _, record = world.call(
        "POST", f"{base}/issue", world.second, {"supersede_reason": reason}
    )
    assert code == 200, record
    world.codes["corrected"] = record["verification_code"]
    assert record["supersedes"] == {
        "verification_code": world.codes["first"],
        "audit_id": "PH-2026-0417",
        "reason": reason,
    }
    code, _, old = world.call("GET", f"{_base(world, 'first')}/issue.json", world.inspector)
    assert old["state"] == "superseded"
    assert old["superseded_by"] == record["verification_code"]


def test_withdrawing_needs_a_reason_and_a_supervisor_of_the_office(world: World) -> None:
    base = _base(world, "corrected")
    for account in (world.inspector, world.admin, world.away_admin):
        assert world.call("POST", f"{base}/withdraw", account, {"reason": REASON})[0] == 404
    code, _, answer = world.call("POST", f"{base}/withdraw", world.supervisor, {"reason": "no"})
    assert code == 400
    assert answer["code"] == "invalid_issue"
    code, _, record = world.call("POST", f"{base}/withdraw", world.supervisor, {"reason": REASON})
    assert code == 200, record
    assert record["state"] == "withdrawn"
    code, _, answer = world.call("POST", f"{base}/withdraw", world.supervisor, {"reason": REASON})
    assert code == 409
    # Still stored and downloadable.
    assert world.call("GET", f"{base}/issue.json", world.inspector)[2]["state"] == "withdrawn"
    # A withdrawn audit is never a match for a new upload of the same bytes.
    code, accepted = world.service.upload(
        world.inspector.token, world.service.data_dir.parent / "corrected.xlsx"
    )
    assert code == 202, accepted
    assert accepted["id"] != world.audits["corrected"]
    world.service.wait_final(world.inspector.token, accepted["id"])


# -- verification ------------------------------------------------------------------------------


def test_verify_by_code_answers_states_and_no_names(world: World) -> None:
    client = "198.51.100.1"
    code, _, answer = world.verify(f"/verify/{world.codes['first']}", client)
    assert code == 200
    assert answer == {
        "state": "superseded",
        "audit_id": "PH-2026-0417",
        "office": "Kathmandu office",
        "issued_on": _today(),
        "result_sha256": answer["result_sha256"],
        "superseded_by": world.codes["corrected"],
    }
    assert set(answer["result_sha256"]) == {"inspector", "agency"}
    code, _, answer = world.verify(f"/verify/{world.codes['corrected'].lower()}", client)
    assert answer["state"] == "withdrawn"
    assert "suda" not in json.dumps(answer)
    assert "sita" not in json.dumps(answer)
    unknown = world.verify(f"/verify/{'0' * 4}-{'1' * 4}-{'2' * 4}-{'3' * 4}", client)
    malformed = world.verify("/verify/not-a-code-at-all", client)
    assert unknown[0] == malformed[0] == 200
    assert unknown[2] == malformed[2]
    assert unknown[2]["state"] == "unknown"
    code, _, page = world.service.api("GET", f"/verify/{world.codes['first']}")
    assert code == 200
    assert b"Superseded" in page
    assert b"suda" not in page


def _post_pdf(world: World, data: bytes, client: str) -> tuple[int, dict[str, str], Any]:
    body, content_type = multipart({"file": ("report.pdf", data)})
    code, headers, answer = world.service.api(
        "POST", "/verify", body=body, content_type=content_type,
        headers={"Accept": "application/json", "X-Forwarded-For": client},
    )  # fmt: skip
    return code, headers, json.loads(answer)


def test_verify_a_pdf_checks_it_against_the_record(world: World) -> None:
    client = "198.51.100.2"
    stored = world.service.data_dir / "audits" / world.audits["first"]
    code, _, answer = _post_pdf(world, (stored / "issued.pdf").read_bytes(), client)
    assert code == 200, answer
    assert answer["state"] == "superseded"
    assert answer["matches"] is True
    issued, written = world.issued["first"]
    assert (stored / "issued.pdf").read_bytes() == issued  # superseded since, never rendered again
    assert (stored / "issued.pdf").stat().st_mtime_ns == written
    plain = next(stored.glob("rendered/*.report.pdf")).read_bytes()  # a draft
    code, _, answer = _post_pdf(world, plain, client)
    assert answer["state"] == "unknown"
    assert answer["matches"] is False
    code, _, answer = _post_pdf(world, b"%PDF-1.7 not really", client)
    assert code == 200
    assert answer["state"] == "unknown"
    assert answer["matches"] is False


def test_verify_is_limited_to_30_requests_a_minute_per_client(world: World) -> None:
    client = "203.0.113.7"
    for _ in range(30):
        assert world.verify("/verify/unknown", client)[0] == 200
    code, headers, answer = world.verify("/verify/unknown", client)
    assert code == 429
    assert answer["code"] == "rate_limited"
    assert 1 <= int(headers["Retry-After"]) <= 60
    # Another client behind the trusted proxy is not held back.
    assert world.verify("/verify/unknown", "203.0.113.8")[0] == 200


def test_without_trusted_proxies_x_forwarded_for_is_ignored(tmp_path: Path) -> None:
    with serving(tmp_path) as service:
        for number in range(30):
            headers = {"Accept": "application/json", "X-Forwarded-For": f"192.0.2.{number}"}
            assert service.api("GET", "/verify/x", headers=headers)[0] == 200
        code, headers, _ = service.api(
            "GET", "/verify/x", headers={"X-Forwarded-For": "192.0.2.200"}
        )
        assert code == 429
        assert headers["Retry-After"]


# -- two supervisors at once, and the office's key --------------------------------------------


def test_two_supervisors_issuing_at_once_get_one_200_and_one_409(world: World) -> None:
    made = run_cli(world.service.env, "offices", "key", OFFICE, "--generate")
    assert made.returncode == 0, made.stderr
    keys = list((world.service.data_dir / "keys").glob("*.p12"))
    assert [path.name for path in keys] == [f"{OFFICE}.p12"]
    assert stat.S_IMODE(os.stat(keys[0]).st_mode) == 0o600  # the certificate beside it is public
    assert "PRIVATE" not in made.stderr
    audit = _upload_done(world, world.inspector, SAMPLES / "compliant-agency.xlsx")
    base = f"/api/v1/audits/{audit['id']}"
    answers: list[tuple[int, Any]] = []
    barrier = threading.Barrier(2)

    def issue(account: Account) -> None:
        barrier.wait()
        code, _, answer = world.call("POST", f"{base}/issue", account, {})
        answers.append((code, answer))

    threads = [threading.Thread(target=issue, args=(a,)) for a in (world.supervisor, world.second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    codes = sorted(code for code, _ in answers)
    assert codes == [200, 409], answers
    record = next(answer for code, answer in answers if code == 200)
    assert record["signed"] is True
    code, _, pdf = world.service.api(
        "GET", f"{base}/report.pdf?copy=agency", token=world.inspector.token
    )
    assert code == 200
    code, _, answer = _post_pdf(world, pdf, "198.51.100.3")
    assert answer["state"] == "issued"
    assert answer["matches"] is True
    # One byte changed: the PDF no longer matches.
    changed = bytearray(pdf)
    spot = pdf.index(b"stream", len(pdf) // 2) + 20
    changed[spot] ^= 0x01
    code, _, answer = _post_pdf(world, bytes(changed), "198.51.100.3")
    assert answer["matches"] is False
    # auditor verify trusts the office's certificate from the data folder, and knows the code:
    # intact and issued is exit 0; once withdrawn, the same file is exit 1 with the reason.
    issued = world.service.data_dir.parent / f"{record['verification_code']}.pdf"
    issued.write_bytes(pdf)
    data = str(world.service.data_dir)
    checked = run_cli(world.service.env, "verify", str(issued), "--data", data)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert record["verification_code"] in checked.stdout
    code, _, _ = world.call("POST", f"{base}/withdraw", world.supervisor, {"reason": REASON})
    assert code == 200
    checked = run_cli(world.service.env, "verify", str(issued), "--data", data)
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert f"withdrawn: {REASON}" in checked.stderr


def test_another_offices_audit_is_not_found_on_every_new_path(world: World) -> None:
    base = _base(world, "first")
    for method, path in (
        ("GET", "/review"),
        ("POST", "/review"),
        ("POST", "/issue"),
        ("POST", "/withdraw"),
        ("GET", "/issue.json"),
    ):
        code, _, answer = world.call(
            method, base + path, world.away_supervisor, {} if method == "POST" else None
        )
        assert code == 404, (path, answer)
        nowhere = f"/api/v1/audits/{uuid.uuid4()}{path}"
        assert (
            world.call(method, nowhere, world.away_supervisor, {} if method == "POST" else None)[0]
            == 404
        )


def test_pages_show_times_in_the_offices_zone(world: World) -> None:
    session = PageSession(world.service)
    session.login(world.inspector.name, world.inspector.password)
    assert session.signed_in
    code, _, body = session.get(f"/audits/{world.audits['first']}")
    assert code == 200
    text = body.decode()
    # Asia/Kathmandu is UTC+05:45: the upload time and the accesses carry its offset.
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d \+0545", text), text[:2000]
    assert " UTC" not in text


def test_a_follow_up_keeps_the_previous_issued_reports_due_dates(world: World) -> None:
    """The follow-up's comparison reads the previous audit's issue record once it is issued
    (the stored comparison is made again: due_basis issue), and its own record keeps the
    previous due date of every persisting order."""
    inspector = world.service.account("fatima", office="FUP")
    supervisor = world.service.account("farida", office="FUP", role="supervisor")
    first = _upload_done(world, inspector, SAMPLES / "agency-with-problems.xlsx")["id"]
    later = _upload_done(world, inspector, SAMPLES / "agency-follow-up.xlsx")["id"]
    path = f"/api/v1/audits/{later}/comparison"
    code, _, comparison = world.call("GET", path, inspector)
    assert code == 200, comparison
    assert comparison["due_basis"] == "inspection"  # the previous audit is not issued yet
    code, _, record = world.call("POST", f"/api/v1/audits/{first}/issue", supervisor, {})
    assert code == 200, record
    deadline = time.monotonic() + 180
    while world.call("GET", path, inspector)[2]["due_basis"] != "issue":
        assert time.monotonic() < deadline, "the follow-up's comparison was not made again"
        time.sleep(1)
    code, _, followed = world.call("POST", f"/api/v1/audits/{later}/issue", supervisor, {})
    assert code == 200, followed
    before = {
        (d["rule_id"], d["subject"]["type"], d["subject"]["id"]): d["due"] for d in record["due"]
    }
    kept = [d for d in followed["due"] if d["basis"] == "previous_issue"]
    assert kept
    matched = 0
    for item in kept:
        key = (item["rule_id"], item["subject"]["type"], item["subject"]["id"])
        if key in before:  # a worker's id may have changed between the two workbooks
            assert item["due"] == before[key], key
            matched += 1
    assert matched
