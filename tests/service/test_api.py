"""The HTTP API against a real ``auditor serve`` with a real job worker (web.md)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from auditor.model.codes import WARNING_CODES
from tests.service.harness import Service, run_cli


def test_upload_runs_to_done_and_result_is_the_command_lines_bytes(
    service: Service, sample: Path, tmp_path: Path
) -> None:
    alice = service.account("alice", office="R4A")
    status, accepted = service.upload(alice.token, sample)
    assert status == 202
    assert set(accepted) == {"id", "status", "url"}
    assert accepted["status"] == "queued"
    assert accepted["url"] == f"/api/v1/audits/{accepted['id']}"

    audit = service.wait_final(alice.token, accepted["id"])
    assert audit["status"] == "done", audit
    assert audit["result"]["format"] == "audit-result/1"
    versions = _row_versions(service, accepted["id"])
    assert versions == (audit["result"]["ruleset_version"], audit["result"]["engine_version"])
    assert audit["agency_licence"] == audit["result"].get("agency_licence", audit["agency_licence"])
    # 1.1: the result's warnings again as coded documents, one for one and in order.
    coded = audit["warnings"]
    assert [f"{w['location']}: {w['message']}" for w in coded] == audit["result"]["warnings"]
    assert coded, "the sample leaves optional columns empty where rules need them"
    assert {w["severity"] for w in coded} == {"warning"}
    assert {w["code"] for w in coded} <= {"column_not_recorded", "refund_not_counted"} | {
        code.value for code in WARNING_CODES
    }
    assert {"location": "Workers!briefing_received", "code": "column_not_recorded"}.items() <= (
        next(w for w in coded if w["location"] == "Workers!briefing_received").items()
    )

    code, _headers, served = service.api(
        "GET", f"/api/v1/audits/{accepted['id']}/result.json", token=alice.token
    )
    assert code == 200
    cli = subprocess.run(
        [
            sys.executable,
            "-m",
            "auditor",
            "audit",
            str(sample),
            "--format",
            "json",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    written = next(tmp_path.glob("*.json"))
    assert served == written.read_bytes(), cli.stderr
    assert json.loads(served) == audit["result"]


def test_a_retry_gives_the_same_audit_back(service: Service, sample: Path) -> None:
    alice = service.account("alice", office="R4A")
    first_status, first = service.upload(alice.token, sample)
    again_status, again = service.upload(alice.token, sample)
    assert first_status in (200, 202)
    assert again_status == 200
    assert again["id"] == first["id"]


def test_reports_downloads_and_names(service: Service, sample: Path) -> None:
    alice = service.account("alice", office="R4A")
    _, accepted = service.upload(alice.token, sample)
    audit = service.wait_final(alice.token, accepted["id"])
    base = f"/api/v1/audits/{accepted['id']}"
    code, _, body = service.api("GET", f"{base}/report.pdf", token=alice.token)
    assert code == 400
    assert "copy" in json.loads(body)["error"]
    stem = audit["result"]["audit_id"].replace("/", "_")
    for copy, name in (("inspector", f"{stem}.pdf"), ("agency", f"{stem}.agency.pdf")):
        code, headers, body = service.api(
            "GET", f"{base}/report.pdf?copy={copy}", token=alice.token
        )
        assert code == 200
        assert body.startswith(b"%PDF-")
        assert headers["Content-Type"] == "application/pdf"
        assert f'filename="{name}"' in headers["Content-Disposition"]
    code, headers, body = service.api("GET", f"{base}/findings.xlsx", token=alice.token)
    assert code == 200
    assert body[:2] == b"PK"


def test_listing_is_the_offices_newest_first_and_paged(service: Service, sample: Path) -> None:
    alice = service.account("alice", office="R4A")
    service.upload(alice.token, sample)
    code, _, body = service.api("GET", "/api/v1/audits?per_page=1&page=1", token=alice.token)
    assert code == 200
    page = json.loads(body)
    assert set(page) == {"items", "page", "per_page", "total"}
    assert page["page"] == 1
    assert page["per_page"] == 1
    assert len(page["items"]) == 1
    assert page["total"] >= 1
    code, _, _ = service.api("GET", "/api/v1/audits?per_page=201", token=alice.token)
    assert code == 400


def test_another_offices_audit_is_not_found_everywhere(service: Service, sample: Path) -> None:
    alice = service.account("alice", office="R4A")
    mallory = service.account("mallory", office="NCR")
    _, accepted = service.upload(alice.token, sample)
    service.wait_final(alice.token, accepted["id"])
    base = f"/api/v1/audits/{accepted['id']}"
    for path in (
        base,
        f"{base}/report.pdf?copy=inspector",
        f"{base}/report.pdf",
        f"{base}/result.json",
        f"{base}/findings.xlsx",
        f"{base}/comparison",
        f"{base}/accesses",
    ):
        code, _, body = service.api("GET", path, token=mallory.token)
        assert code == 404, path
        assert json.loads(body) == {"error": "not found", "code": "not_found"}
    code, _, _ = service.api("POST", f"{base}/issue", token=mallory.token)
    assert code == 404
    code, _, body = service.api("GET", "/api/v1/audits", token=mallory.token)
    assert accepted["id"] not in body.decode()


def test_tokens_missing_wrong_revoked_or_of_a_disabled_user_get_401(
    service: Service, sample: Path
) -> None:
    carol = service.account("carol", office="R4A")
    assert service.api("GET", "/api/v1/audits")[0] == 401
    assert service.api("GET", "/api/v1/audits", token="aud_not-a-token")[0] == 401
    assert service.api("GET", "/api/v1/audits", token=carol.token)[0] == 200
    revoked = run_cli(service.env, "users", "token", "carol", "--revoke")
    assert revoked.returncode == 0, revoked.stderr
    code, _headers, body = service.api("GET", "/api/v1/audits", token=carol.token)
    assert code == 401
    assert "error" in json.loads(body)
    dave = service.account("dave", office="R4A")
    assert run_cli(service.env, "users", "disable", "dave").returncode == 0
    assert service.api("GET", "/api/v1/audits", token=dave.token)[0] == 401


def test_json_datasets_malformed_not_an_object_and_invalid(service: Service) -> None:
    alice = service.account("alice", office="R4A")
    post = lambda body: service.api(  # noqa: E731
        "POST", "/api/v1/audits", token=alice.token, body=body, content_type="application/json"
    )
    # 1.1: the request does not parse the body (bounded work); the job finds it is no JSON.
    code, _, body = post(b"{not json")
    assert code == 202
    broken = service.wait_final(alice.token, json.loads(body)["id"])
    assert broken["status"] == "invalid"
    assert broken["problems"][0]["location"]
    code, _, body = post(b"[1, 2]")
    assert code == 422
    code, headers, body = post(json.dumps({"audit": {"audit_id": "X-1"}}).encode())
    assert code == 202
    assert headers["Location"].endswith(json.loads(body)["id"])
    audit = service.wait_final(alice.token, json.loads(body)["id"])
    assert audit["status"] == "invalid"
    assert audit["problems"]
    assert all({"location", "code", "severity", "message"} <= set(p) for p in audit["problems"])
    assert all(p["path"] is not None for p in audit["problems"] if p["severity"] == "error")
    assert audit["result"] is None


def test_an_invalid_workbook_ends_invalid_with_located_problems(
    service: Service, tmp_path: Path
) -> None:
    alice = service.account("alice", office="R4A")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"this is not a workbook")
    status, accepted = service.upload(alice.token, broken)
    assert status == 202
    audit = service.wait_final(alice.token, accepted["id"])
    assert audit["status"] == "invalid"
    assert audit["problems"][0]["location"] == "file"
    code, _, _ = service.api(
        "GET", f"/api/v1/audits/{accepted['id']}/report.pdf?copy=inspector", token=alice.token
    )
    assert code == 409


def test_upload_over_the_file_limit_is_413_and_nothing_is_kept(service: Service) -> None:
    alice = service.account("alice", office="R4A")
    from auditor.base.limits import DEFAULT_LIMITS

    before = sorted(p.name for p in (service.data_dir / "uploads").rglob("*"))
    body = b"0" * (DEFAULT_LIMITS.max_file_bytes + 1)
    code, _, answer = service.api(
        "POST", "/api/v1/audits", token=alice.token, body=body, content_type="application/json"
    )
    assert code == 413
    assert "limit" in json.loads(answer)["error"]
    assert sorted(p.name for p in (service.data_dir / "uploads").rglob("*")) == before


def test_supervisor_issues_once_and_sees_every_access(service: Service, sample: Path) -> None:
    alice = service.account("alice", office="R4A")
    sue = service.account("sue", office="R4A", role="supervisor")
    _, accepted = service.upload(alice.token, sample)
    service.wait_final(alice.token, accepted["id"])
    base = f"/api/v1/audits/{accepted['id']}"
    assert service.api("GET", f"{base}/report.pdf?copy=agency", token=alice.token)[0] == 200
    assert service.api("POST", f"{base}/issue", token=alice.token)[0] == 404
    assert service.api("GET", f"{base}/accesses", token=alice.token)[0] == 404
    code, _, body = service.api("POST", f"{base}/issue", token=sue.token)
    assert code == 200, body
    issued = json.loads(body)
    assert issued["format"] == "audit-issue/1"
    assert issued["state"] == "issued"
    code, _, body = service.api("GET", base, token=alice.token)
    assert json.loads(body)["issued_at"]
    code, _, body = service.api("POST", f"{base}/issue", token=sue.token)
    assert code == 409
    assert json.loads(body)["code"] == "already_issued"
    code, _, body = service.api("GET", f"{base}/accesses", token=sue.token)
    assert code == 200
    kinds = [(row["username"], row["kind"], row["copy"]) for row in json.loads(body)]
    assert ("alice", "download", "agency") in kinds
    assert ("sue", "issue", "") in kinds


def test_openapi_document_describes_the_result_with_the_librarys_model(service: Service) -> None:
    code, _, body = service.api("GET", "/api/v1/openapi.json")
    assert code == 200
    document = json.loads(body)
    assert document["openapi"].startswith("3.")
    assert "/api/v1/audits" in document["paths"]
    assert "AuditResult" in document["components"]["schemas"]


def _row_versions(service: Service, audit_id: str) -> tuple[str, str]:
    """The versions the service recorded on the audit's row, read from its own database."""
    script = (
        "import sys\n"
        "from auditor.service.bootstrap import start\n"
        "start()\n"
        "from auditor.service.models import Audit\n"
        "row = Audit.objects.get(pk=sys.argv[1])\n"
        "print(row.ruleset_version)\n"
        "print(row.engine_version)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, audit_id],
        env=service.env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    ruleset, engine = done.stdout.split()
    return ruleset, engine
