"""The API as a contract (web.md 1.1): real responses of every endpoint against the OpenAPI.

Every operation in ``/api/v1/openapi.json`` is called for real, its
successes and its errors; each answer's status must be one the document
lists (or its ``default``), its media type the one listed, and its JSON
body valid against the listed schema (jsonschema, draft 2020-12). Then a
TypeScript client's types are generated from the document with
``openapi-typescript`` and every recorded JSON answer is compiled against
its type with ``tsc --strict``, as a licensing system's engineer would.
npm fetches the two tools into the test's own folder (versions pinned by
``tests/service/typescript/package-lock.json``); without npm the test
skips, and under ``CI=true`` fails.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from tests.service.harness import SAMPLES, Service, multipart, require, which

TYPESCRIPT = Path(__file__).parent / "typescript"


@dataclass
class Answer:
    method: str
    path: str  # the template, as the document names it
    status: int
    content_type: str
    body: bytes


@pytest.fixture(scope="module")
def document(service: Service) -> dict[str, Any]:
    code, _, body = service.api("GET", "/api/v1/openapi.json")
    assert code == 200
    return dict(json.loads(body))


def _call(
    service: Service,
    answers: list[Answer],
    method: str,
    template: str,
    path: str,
    *,
    token: str | None,
    body: bytes | None = None,
    content_type: str | None = None,
) -> tuple[int, Any]:
    code, headers, data = service.api(
        method.upper(), path, token=token, body=body, content_type=content_type
    )
    kind = headers.get("Content-Type", "")
    answers.append(Answer(method, template, code, kind, data))
    return code, json.loads(data) if kind.startswith("application/json") else data


@pytest.fixture(scope="module")
def answers(service: Service) -> list[Answer]:
    """Every operation, called for its successes and its errors."""
    ins = service.account("ct-ins", office="CT")
    sup = service.account("ct-sup", office="CT", role="supervisor")
    recorded: list[Answer] = []
    audits, one = "/api/v1/audits", "/api/v1/audits/{audit_id}"

    def upload(path: Path, token: str = ins.token) -> dict[str, Any]:
        body, kind = multipart({"file": (path.name, path.read_bytes())})
        code, answer = _call(
            service, recorded, "post", audits, audits, token=token, body=body, content_type=kind
        )
        assert code in (200, 202), answer
        return dict(answer)

    first = upload(SAMPLES / "agency-with-problems.xlsx")
    _call(service, recorded, "get", one, f"{audits}/{first['id']}", token=ins.token)  # queued
    upload(SAMPLES / "agency-with-problems.xlsx")  # 200: the same upload
    first_done = service.wait_final(ins.token, first["id"])
    follow = upload(SAMPLES / "agency-follow-up.xlsx")
    invalid = upload(SAMPLES / "invalid-workbook.xlsx")
    service.wait_final(ins.token, follow["id"])
    service.wait_final(ins.token, invalid["id"])
    assert first_done["status"] == "done"
    for audit in (first, follow, invalid):
        _call(service, recorded, "get", one, f"{audits}/{audit['id']}", token=ins.token)
    base = f"{audits}/{follow['id']}"
    for suffix, template in (
        ("/report.pdf?copy=inspector", "/report.pdf"),
        ("/report.pdf?copy=agency", "/report.pdf"),
        ("/report.pdf", "/report.pdf"),  # 400: copy is required
        ("/report.pdf?copy=both", "/report.pdf"),
        ("/result.json", "/result.json"),
        ("/result.json?copy=agency", "/result.json"),
        ("/findings.xlsx", "/findings.xlsx"),
        ("/comparison", "/comparison"),
        (f"/comparison?previous={follow['id']}", "/comparison"),  # 409 wrong_order
        ("/report.pdf?copy=agency&lang=fr", "/report.pdf"),  # issue 27: any shipped language
        ("/report.pdf?copy=inspector&lang=xx", "/report.pdf"),  # 400 unknown_language
        ("/findings.xlsx?lang=es", "/findings.xlsx"),
        ("/findings.xlsx?lang=xx", "/findings.xlsx"),
        ("/notices.pdf", "/notices.pdf"),
        ("/notices.pdf?lang=xx", "/notices.pdf"),
    ):
        _call(service, recorded, "get", one + template, base + suffix, token=ins.token)
    for suffix in (
        "/report.pdf?copy=inspector",
        "/result.json",
        "/findings.xlsx",
        "/comparison",
        "/notices.pdf",  # 409: no reports
    ):
        template = one + suffix.split("?")[0]
        _call(
            service, recorded, "get", template, f"{audits}/{invalid['id']}{suffix}", token=ins.token
        )
    _call(
        service,
        recorded,
        "get",
        one + "/comparison",
        f"{audits}/{first['id']}/comparison",
        token=ins.token,
    )
    _call(service, recorded, "get", audits, f"{audits}?per_page=2", token=ins.token)
    _call(service, recorded, "get", audits, f"{audits}?per_page=999", token=ins.token)
    # Issuing (audit-output.md 1.2, web.md 1.1): the review, the issue, its record, withdrawal.
    aside = {"rule_id": "FEE-01", "subject": {"type": "worker", "id": "W1"}, "reason": "short"}
    short = json.dumps({"set_aside": [aside]}).encode()
    for token, body in ((ins.token, None), (ins.token, short), (ins.token, b'{"added": []}')):
        method = "get" if body is None else "post"
        _call(
            service, recorded, method, one + "/review", f"{base}/review", token=token, body=body,
            content_type="application/json" if body else None,
        )  # fmt: skip
    _call(service, recorded, "get", one + "/issue.json", f"{base}/issue.json", token=ins.token)
    _call(service, recorded, "post", one + "/issue", f"{base}/issue", token=ins.token)  # 404
    _call(service, recorded, "post", one + "/issue", f"{base}/issue", token=sup.token)
    _call(service, recorded, "post", one + "/issue", f"{base}/issue", token=sup.token)  # 409
    _call(service, recorded, "get", one + "/issue.json", f"{base}/issue.json", token=ins.token)
    _call(
        service, recorded, "get", one + "/report.pdf", f"{base}/report.pdf?copy=inspector&lang=ne",
        token=ins.token,
    )  # fmt: skip  # 409 language_not_issued
    for reason in ("no", "Issued to the wrong branch of the agency by mistake."):
        _call(
            service, recorded, "post", one + "/withdraw", f"{base}/withdraw", token=sup.token,
            body=json.dumps({"reason": reason}).encode(), content_type="application/json",
        )  # fmt: skip
    _call(service, recorded, "get", one + "/accesses", f"{base}/accesses", token=sup.token)
    _call(service, recorded, "get", one, f"{audits}/not-an-id", token=ins.token)
    _call(service, recorded, "get", one, base, token=None)  # 401
    _call(service, recorded, "get", one, base, token="aud_wrong")
    for body, kind in (
        (b"[1]", "application/json"),  # 422
        (b'{"a": "\\ud800"}', "application/json"),  # 400
        (b"x", "text/plain"),  # 400
        (b"--x--", "multipart/form-data"),  # no boundary: 400
    ):
        _call(
            service, recorded, "post", audits, audits, token=ins.token, body=body, content_type=kind
        )
    _call(service, recorded, "delete", one, base, token=ins.token)  # 405
    _call(service, recorded, "get", "unknown", "/api/v1/no/such/path", token=ins.token)  # 404
    return recorded


def _operation(document: dict[str, Any], answer: Answer) -> dict[str, Any] | None:
    return document["paths"].get(answer.path, {}).get(answer.method)


def _schema(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    return {**schema, "components": document["components"]}


def test_every_operation_of_the_document_was_called(
    document: dict[str, Any], answers: list[Answer]
) -> None:
    called = {(answer.path, answer.method) for answer in answers}
    listed = {(path, method) for path, ops in document["paths"].items() for method in ops}
    assert listed <= called, listed - called


def test_every_real_answer_is_what_the_document_says(
    document: dict[str, Any], answers: list[Answer]
) -> None:
    error_schema = _schema(document, {"$ref": "#/components/schemas/Error"})
    for answer in answers:
        what = (answer.method, answer.path, answer.status)
        if answer.status >= 400:
            # No error under /api/v1/ is HTML, whatever made it.
            assert answer.content_type.startswith("application/json"), (what, answer.body[:200])
            Draft202012Validator(error_schema).validate(json.loads(answer.body))
        operation = _operation(document, answer)
        if operation is None:
            assert answer.status in (404, 405), what
            continue
        responses = operation["responses"]
        response = responses.get(str(answer.status)) or responses.get("default")
        assert response is not None, what
        if answer.status < 400:
            assert str(answer.status) in responses, what
        content = response.get("content", {})
        media = answer.content_type.split(";")[0]
        assert media in content, (what, media, list(content))
        if media == "application/json":
            schema = _schema(document, content[media]["schema"])
            Draft202012Validator(schema).validate(json.loads(answer.body))
        else:
            assert answer.body, what


def _type_name(document: dict[str, Any], answer: Answer) -> str:
    operation = _operation(document, answer)
    if answer.status >= 400 or operation is None:
        return 'components["schemas"]["Error"]'
    operation_id = operation["operationId"]
    return (
        f'operations["{operation_id}"]["responses"]["{answer.status}"]'
        '["content"]["application/json"]'
    )


def test_a_generated_typescript_client_accepts_every_real_answer(
    document: dict[str, Any], answers: list[Answer], tmp_path: Path
) -> None:
    require("npm", which("npm") is not None, "Debian's nodejs and npm (.ci/system-packages)")
    npm = str(which("npm"))
    work = tmp_path / "client"
    work.mkdir()
    for name in ("package.json", "package-lock.json"):
        shutil.copy(TYPESCRIPT / name, work / name)
    installed = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--cache", str(tmp_path / "npm-cache")],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    require("the npm registry", installed.returncode == 0, installed.stderr[-2000:])
    (work / "openapi.json").write_text(json.dumps(document))
    generated = subprocess.run(
        ["node_modules/.bin/openapi-typescript", "openapi.json", "-o", "api.d.ts"],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert generated.returncode == 0, generated.stderr
    lines = ['import type { components, operations } from "./api";', ""]
    typed = 0
    for number, answer in enumerate(answers):
        if not answer.content_type.startswith("application/json"):
            continue
        literal = answer.body.decode("utf-8")
        lines.append(f"export const answer{number}: {_type_name(document, answer)} = {literal};")
        typed += 1
    assert typed >= 20
    (work / "check.ts").write_text("\n".join(lines) + "\n")
    compiled = subprocess.run(
        [
            "node_modules/.bin/tsc",
            "--strict",
            "--noEmit",
            "--target",
            "es2022",
            "--moduleResolution",
            "node",
            "check.ts",
        ],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert compiled.returncode == 0, compiled.stdout[-5000:]
    # The types are no Record<string, never>: a dataset field of the wrong type is refused.
    (work / "wrong.ts").write_text(
        'import type { components } from "./api";\n'
        'export const wrong: components["schemas"]["AuditResult"] = { score: "80" } as never;\n'
        'export const bad: components["schemas"]["Dataset"]["audit"] = { audit_id: true };\n'
    )
    refused = subprocess.run(
        ["node_modules/.bin/tsc", "--strict", "--noEmit", "wrong.ts"],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert refused.returncode != 0
    assert re.search(r"wrong\.ts\(3,", refused.stdout), refused.stdout[-2000:]


def test_the_same_dataset_sent_another_way_ends_duplicate_of_the_first(service: Service) -> None:
    """1.1 idempotency on the canonical dataset: other bytes (spacing, key order), the
    jurisdiction given or left to the workbook, a JSON body or a .json file: one audit."""
    from tests.builders import as_data, base_book

    ins = service.account("ct-dup", office="CT-DUP")
    book = base_book()
    book["Audit"]["audit_id"] = "DUP-1"
    data = as_data(book)
    body = json.dumps(data, default=str).encode()
    code, _, answer = service.api(
        "POST", "/api/v1/audits", token=ins.token, body=body, content_type="application/json"
    )
    assert code == 202, answer
    first = service.wait_final(ins.token, json.loads(answer)["id"])
    assert first["status"] == "done", first
    jurisdiction = first["result"]["jurisdiction"]
    spaced = json.dumps(data, default=str, indent=3, sort_keys=True).encode()
    code, _, answer = service.api(
        "POST",
        f"/api/v1/audits?jurisdiction={jurisdiction}",
        token=ins.token,
        body=spaced,
        content_type="application/json",
    )
    assert code == 202, answer  # other bytes: the request cannot know, the job does
    again = service.wait_final(ins.token, json.loads(answer)["id"])
    assert again["status"] == "duplicate", again
    assert again["duplicate_of"] == first["id"]
    form, kind = multipart({"file": ("dataset.json", json.dumps(data, default=str).encode())})
    code, _, answer = service.api(
        "POST", "/api/v1/audits", token=ins.token, body=form, content_type=kind
    )
    assert code == 200, answer  # the same bytes as the first body: that upload again
    assert json.loads(answer)["id"] == first["id"]


def test_the_interactive_docs_come_from_the_package_not_a_cdn(service: Service) -> None:
    code, headers, page = service.api("GET", "/api/v1/docs")
    assert code == 200
    text = page.decode()
    assert "cdn" not in text.lower()
    scripts = re.findall(r'(?:src|href)="([^"]+)"', text)
    assert any("swagger-ui-bundle.js" in link for link in scripts), scripts
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    for link in scripts:
        assert link.startswith("/"), link  # the service's own files, nothing from elsewhere
        assert service.api("GET", link)[0] == 200, link
