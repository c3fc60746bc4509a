"""The HTTP API of ``web.md`` under ``/api/v1/``, with its OpenAPI 3 document.

The result's shape in the OpenAPI document is the library's own pydantic
:class:`~auditor.model.result.AuditResult`: there is no second copy of it
here. The documents themselves are served as the job wrote them, so
``result.json`` is byte for byte what the command line writes.

Authentication is a bearer token only, never the session cookie, so no
page can forge an API call. Every error is ``{"error": "..."}``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from typing import Annotated, Any, Literal

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from ninja import Field, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.params.functions import Query
from ninja.security import HttpBearer

from auditor.errors import UsageError
from auditor.model.result import AuditResult
from auditor.service import actions, comparisons, jobs, signoff
from auditor.service.bodies import BodyRefused, JsonBodyCheck, read_checked
from auditor.service.intake import (
    QueueFull,
    accept_dataset,
    accept_workbook,
    check_queue,
    checked_jurisdiction,
)
from auditor.service.models import Access, ApiToken, Audit, Status
from auditor.service.openapi import ContractAPI
from auditor.service.permissions import (
    audit_for,
    may_issue,
    may_review,
    may_supervise,
    visible_audits,
)
from auditor.service.report_languages import (
    NotIssuedIn,
    UnknownLanguage,
    issued_language,
    office_contact,
    report_language,
)
from auditor.service.storage import report_path

#: ``?copy=inspector|agency``; named ``copy_`` in Python, where ``copy`` is a pydantic method.
CopyParameter = Annotated[str | None, Query(None, alias="copy")]
#: ``?lang=ne``: the report's language, any shipped one; the office's default without it.
LangParameter = Annotated[
    str | None,
    Query(None, description="The report's language (en, ne, id, fil, ar, fr, es); the office's"),
]
MAX_PER_PAGE = 200
_log = logging.getLogger("auditor.service")
DEFAULT_PER_PAGE = 50


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>``: the token's active user, or 401."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = ApiToken.objects.user_for(token)
        if user is None or getattr(user, "membership", None) is None:
            return None
        return user


api = ContractAPI(
    title="auditor inspectorate service",
    version="1",
    description=(
        "Audits of recruitment agencies' inspection workbooks (web.md). Results are "
        "`audit-result/1` documents of audit-output.md."
    ),
    auth=BearerToken(),
    urls_namespace="api-v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


#: The ``code`` of an error by its status, where the error has no more particular one.
ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "unprocessable",
    429: "rate_limited",
    503: "storage_unavailable",
}
#: Seconds a client told ``queue_full`` waits before sending again.
RETRY_QUEUED_S = 60


def _error(status: int, message: str, code: str | None = None) -> JsonResponse:
    return JsonResponse(
        {"error": message, "code": code or ERROR_CODES.get(status, "bad_request")}, status=status
    )


def _storage_error(error: OSError) -> HttpResponse:
    """The data folder full or read-only: a plain sentence and 503, nothing half kept."""
    _log.error("upload not stored: %s (errno %s)", type(error).__name__, error.errno)
    response = _error(
        503,
        "the service cannot store uploads now (its data folder is full or read-only); "
        "nothing was kept: send the upload again later",
    )
    response["Retry-After"] = str(RETRY_QUEUED_S)
    return response


@api.exception_handler(AuthenticationError)
def _unauthorised(request: HttpRequest, exc: Exception) -> HttpResponse:
    response = _error(401, "a valid API token is required: Authorization: Bearer <token>")
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(404, "not found")


@api.exception_handler(ValidationError)
def _malformed(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(400, "malformed request: check the parameters' names and values")


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    assert isinstance(exc, HttpError)
    return _error(exc.status_code, str(exc))


class Problem(Schema):
    """One problem of an invalid input: the problem document of audit-output.md 1.1."""

    location: str
    code: str
    severity: Literal["error", "warning"]
    message: str
    path: str | None = None


AuditStatus = Literal["queued", "running", "done", "invalid", "failed", "duplicate"]


class Accepted(Schema):
    id: uuid.UUID
    status: AuditStatus
    url: str


class AuditOut(Schema):
    """An audit: ``result`` when done, ``problems`` when invalid, ``error`` when failed."""

    id: uuid.UUID
    status: AuditStatus
    agency_licence: str | None
    created_at: dt.datetime
    audit_id: str | None = None
    issued_at: dt.datetime | None = None
    issued_by: int | None = None
    #: The issue record with its state, once issued (audit-output.md 1.2, Settled).
    issue: dict[str, Any] | None = None
    result: AuditResult | None = None
    #: 1.1: a done audit's ``result.warnings`` as problem documents (code, location), in order.
    warnings: list[Problem] | None = None
    problems: list[Problem] | None = None
    #: 1.1: ``problems`` holds the first 1,000; the counts by code cover them all.
    problems_truncated: bool | None = None
    problem_counts: dict[str, int] | None = None
    #: 1.1: a ``duplicate`` names the live audit of the office with the same dataset.
    duplicate_of: uuid.UUID | None = None
    error: str | None = None


class AuditItem(Schema):
    id: uuid.UUID
    status: AuditStatus
    agency_licence: str | None
    agency_name: str | None
    audit_id: str | None
    inspection_date: dt.date | None
    score: float | None
    rating: str | None
    provisional: bool | None
    created_at: dt.datetime
    url: str


class AuditPage(Schema):
    items: list[AuditItem]
    page: int
    per_page: int
    total: int


class AccessOut(Schema):
    at: dt.datetime
    user: int
    username: str
    kind: Literal["download", "issue", "review", "withdraw", "view", "remove"]
    copy_: Literal["inspector", "agency", ""] = Field(alias="copy")
    file: str
    via: str


class Error(Schema):
    error: str
    code: str


class CodedError(Schema):
    """An error with its stable code (web.md 1.1) and, for a body that broke its rules, every
    problem located."""

    error: str
    code: str
    problems: list[dict[str, str]] | None = None


def _url(audit: Audit) -> str:
    return f"/api/v1/audits/{audit.pk}"


def _or_none(value: str) -> str | None:
    return value or None


def _item(audit: Audit) -> dict[str, Any]:
    return {
        "id": str(audit.pk),
        "status": audit.status,
        "agency_licence": _or_none(audit.agency_licence),
        "agency_name": _or_none(audit.agency_name),
        "audit_id": _or_none(audit.audit_code),
        "inspection_date": audit.inspection_date.isoformat() if audit.inspection_date else None,
        "score": float(audit.score) if audit.score is not None else None,
        "rating": _or_none(audit.rating),
        "provisional": audit.provisional,
        "created_at": audit.created_at.isoformat(),
        "url": _url(audit),
    }


_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "jurisdiction": {"type": "string"},
                    },
                }
            },
            "application/json": {
                "schema": {
                    "type": "object",
                    "description": "The dict form of the workbook (auditor schema input).",
                }
            },
        },
    },
    "parameters": [
        {
            "name": "jurisdiction",
            "in": "query",
            "required": False,
            "schema": {"type": "string"},
            "description": "Profile id overriding the workbook's own (for a JSON body).",
        }
    ],
}


@api.post(
    "/audits",
    response={200: Accepted, 202: Accepted, 400: Error, 401: Error, 413: Error, 422: Error},
    openapi_extra=_UPLOAD_BODY,
    summary="Upload a workbook or a dataset to audit",
)
def upload(request: HttpRequest) -> HttpResponse:
    user = request.auth
    content_type = (request.content_type or "").lower()
    try:
        if content_type not in ("application/json", "multipart/form-data"):
            return _error(
                400,
                "malformed request: send multipart/form-data with a field 'file', "
                "or application/json with a dataset",
            )
        check_queue(user)
        if content_type == "application/json":
            jurisdiction = checked_jurisdiction(request.GET.get("jurisdiction"))
            # Streamed to storage and checked on the way, never parsed here (bodies.py).
            chunks = read_checked(request.read, JsonBodyCheck())
            accepted = accept_dataset(user, chunks, jurisdiction)
        else:
            try:
                upload_file = request.FILES.get("file")
            except MultiPartParserError as error:
                return _error(400, f"malformed request: the form cannot be read ({error})")
            if upload_file is None:
                return _error(400, "malformed request: send the workbook in the form field 'file'")
            jurisdiction = checked_jurisdiction(
                request.POST.get("jurisdiction") or request.GET.get("jurisdiction")
            )
            accepted = accept_workbook(
                user, upload_file.chunks(), upload_file.name or "", jurisdiction
            )
    except UsageError as error:
        return _error(400, f"malformed request: {error}")
    except BodyRefused as refused:
        return _error(refused.status, str(refused))
    except QueueFull as full:
        response = _error(429, str(full), "queue_full")
        response["Retry-After"] = str(RETRY_QUEUED_S)
        return response
    except OSError as error:
        return _storage_error(error)
    audit = accepted.audit
    response = JsonResponse(
        {"id": str(audit.pk), "status": audit.status, "url": _url(audit)},
        status=202 if accepted.created else 200,
    )
    response["Location"] = _url(audit)
    return response


@api.get(
    "/audits", response={200: AuditPage, 400: Error, 401: Error}, summary="The office's audits"
)
def list_audits(
    request: HttpRequest, agency_licence: str | None = None, page: int = 1, per_page: int = 50
) -> HttpResponse:
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        return _error(400, f"malformed request: page from 1, per_page from 1 to {MAX_PER_PAGE}")
    if agency_licence is not None and not agency_licence.isprintable():
        # No licence holds a control character; PostgreSQL refuses NUL in a query outright.
        return _error(400, "malformed request: agency_licence holds a control character")
    audits = visible_audits(request.auth).listing().order_by("-created_at", "id")
    if agency_licence:
        audits = audits.filter(agency_licence=agency_licence)
    total = audits.count()
    start = (page - 1) * per_page
    # A page past the end is empty; asking the database for it could overflow its OFFSET.
    items = [_item(audit) for audit in audits[start : start + per_page]] if start < total else []
    return JsonResponse({"items": items, "page": page, "per_page": per_page, "total": total})


@api.get("/audits/{audit_id}", response={200: AuditOut, 401: Error, 404: Error}, summary="An audit")
def get_audit(request: HttpRequest, audit_id: str) -> HttpResponse:
    audit = audit_for(request.auth, audit_id)
    body: dict[str, Any] = {
        "id": str(audit.pk),
        "status": audit.status,
        "agency_licence": _or_none(audit.agency_licence),
        "created_at": audit.created_at.isoformat(),
        "audit_id": _or_none(audit.audit_code),
        "issued_at": audit.issued_at.isoformat() if audit.issued_at else None,
        "issued_by": audit.issued_by_id,
        "result": None,
    }
    if audit.status == Status.DONE:
        path = report_path(jobs.CONFIG, str(audit.pk), "json", "inspector")
        body["result"] = json.loads(path.read_bytes())
        # 1.1: the result's warnings with codes and locations, one for one (none stored for
        # an audit made before: null).
        coded = report_path(jobs.CONFIG, str(audit.pk), "warnings", "inspector")
        body["warnings"] = json.loads(coded.read_bytes()) if coded.is_file() else None
    elif audit.status == Status.INVALID:
        body["problems"] = audit.problems or []
        body["problems_truncated"] = audit.problems_truncated
        body["problem_counts"] = audit.problem_counts or _counts(body["problems"])
    elif audit.status == Status.DUPLICATE:
        body["duplicate_of"] = str(audit.duplicate_of_id) if audit.duplicate_of_id else None
    elif audit.status == Status.FAILED:
        body["error"] = audit.error
    record = signoff.record_of(audit)
    body["issue"] = signoff.issue_document(record) if record is not None else None
    return JsonResponse(body)


def _counts(problems: list[dict[str, Any]]) -> dict[str, int]:
    """Counts by code for a row stored before 1.1 capped problems (they were all kept)."""
    counts: dict[str, int] = {}
    for problem in problems:
        counts[str(problem.get("code", ""))] = counts.get(str(problem.get("code", "")), 0) + 1
    return counts


def _copy(request: HttpRequest, required: bool) -> str:
    copy = request.GET.get("copy")
    if copy is None and not required:
        return "inspector"
    if copy not in actions.COPIES:
        raise HttpError(400, "malformed request: copy must be 'inspector' or 'agency'")
    return str(copy)


def _file(
    request: HttpRequest, audit_id: str, kind: str, copy: str, lang: str | None = None
) -> HttpResponse:
    audit = audit_for(request.auth, audit_id)
    try:
        chosen = report_language(lang, audit.office)
    except UnknownLanguage as unknown:
        return _error(400, str(unknown), "unknown_language")
    try:
        return actions.download(request.auth, audit, kind, copy, via="api", lang=chosen)
    except actions.NotReady:
        return _error(409, f"the audit is {audit.status}: it has no reports")
    except actions.Rendering as waiting:
        return _rendering(f"{waiting.message}: ask again shortly", waiting.retry_after_s)
    except actions.RenderFailed as failed:
        return _error(409, str(failed), "conflict")


def _rendering(message: str, retry_after_s: int) -> HttpResponse:
    """409 ``rendering`` with ``Retry-After`` (web.md 1.1, Settled): a report still being made."""
    response = _error(409, message, "rendering")
    response["Retry-After"] = str(retry_after_s)
    return response


@api.get(
    "/audits/{audit_id}/report.pdf",
    response={200: None, 400: Error, 401: Error, 404: Error, 409: CodedError},
    summary=(
        "The PDF report: copy=inspector or copy=agency; the draft before issue, the issued "
        "(signed) report after; draft=1 gives the draft"
    ),
)
def report_pdf(
    request: HttpRequest,
    audit_id: str,
    copy_: CopyParameter = None,
    draft: int = 0,
    lang: LangParameter = None,
) -> HttpResponse:
    audit = audit_for(request.auth, audit_id)  # 404 before 400
    copy = _copy(request, required=True)
    record = None if draft else signoff.record_of(audit)
    if record is not None:
        try:
            chosen = issued_language(lang, audit.office, record.issued_languages)
        except UnknownLanguage as unknown:
            return _error(400, str(unknown), "unknown_language")
        except NotIssuedIn as missing:
            return _error(409, str(missing), "language_not_issued")
        try:
            return actions.download_issued(request.auth, audit, copy, via="api", lang=chosen)
        except actions.Rendering as waiting:
            return _rendering(f"{waiting.message}: ask again shortly", waiting.retry_after_s)
    return _file(request, audit_id, "pdf", copy, lang)


@api.get(
    "/audits/{audit_id}/result.json",
    response={200: AuditResult, 401: Error, 404: Error, 409: Error},
    summary="The audit-result document, byte for byte as the command line writes it",
)
def result_json(request: HttpRequest, audit_id: str, copy_: CopyParameter = None) -> HttpResponse:
    return _file(request, audit_id, "json", _copy(request, required=False))


@api.get(
    "/audits/{audit_id}/findings.xlsx",
    response={200: None, 400: Error, 401: Error, 404: Error, 409: Error},
    summary="The findings workbook, in lang (the office's language by default)",
)
def findings_xlsx(
    request: HttpRequest, audit_id: str, copy_: CopyParameter = None, lang: LangParameter = None
) -> HttpResponse:
    return _file(request, audit_id, "xlsx", _copy(request, required=False), lang)


@api.get(
    "/audits/{audit_id}/notices.pdf",
    response={200: None, 400: CodedError, 401: Error, 404: Error, 409: CodedError},
    summary=(
        "The worker notices: one page per worker owed money, each in her language, else lang "
        "(the office's by default); inspectors and supervisors of the audit's office"
    ),
)
def notices_pdf(request: HttpRequest, audit_id: str, lang: LangParameter = None) -> HttpResponse:
    user = request.auth
    audit = audit_for(user, audit_id)
    if not may_review(user, audit):  # the office's inspectors and supervisors; admins never
        raise Http404("no such audit")
    try:
        chosen = report_language(lang, audit.office)
    except UnknownLanguage as unknown:
        return _error(400, str(unknown), "unknown_language")
    try:
        return actions.download_notices(
            user, audit, lang=chosen, contact=office_contact(), via="api"
        )
    except actions.NotReady:
        return _error(409, f"the audit is {audit.status}: it has no reports")
    except actions.Rendering as waiting:
        return _rendering(f"{waiting.message}: ask again shortly", waiting.retry_after_s)
    except actions.RenderFailed as failed:
        return _error(409, str(failed), "conflict")


@api.get(
    "/audits/{audit_id}/comparison",
    response={200: dict[str, Any], 401: Error, 404: Error, 409: Error},
    summary="The follow-up comparison (audit-comparison/1): the one chosen when the audit ran, "
    "or with ?previous=<id> any earlier done audit of the office, on demand",
)
def comparison(request: HttpRequest, audit_id: str, previous: str | None = None) -> HttpResponse:
    audit = audit_for(request.auth, audit_id)
    try:
        if previous is None:
            made = comparisons.chosen(audit)
        else:
            made = comparisons.on_demand(audit, audit_for(request.auth, previous))
    except comparisons.NoComparison as none:
        return _error(409, str(none), none.code)
    return HttpResponse(made, content_type="application/json")


def _refused(refusal: signoff.Refused) -> HttpResponse:
    return JsonResponse(refusal.body(), status=refusal.status)


def _json_object(request: HttpRequest, code: str) -> dict[str, Any]:
    """The request's JSON object body (an empty body is ``{}``), else 400 with ``code``."""
    if not request.body.strip():
        return {}
    try:
        found = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        found = None
    if not isinstance(found, dict):
        raise signoff.Refused(400, code, "malformed request: the body must be a JSON object")
    return found


_REVIEW_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "set_aside": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["rule_id", "subject", "reason"],
                                "properties": {
                                    "rule_id": {"type": "string"},
                                    "subject": {
                                        "type": "object",
                                        "required": ["type", "id"],
                                        "properties": {
                                            "type": {"type": "string"},
                                            "id": {"type": "string"},
                                        },
                                    },
                                    "reason": {"type": "string", "minLength": 20},
                                },
                            },
                        },
                        "added": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["paragraph", "severity", "finding", "evidence"],
                                "properties": {
                                    "paragraph": {"type": "integer", "enum": [11, 16, 26, 30]},
                                    "severity": {
                                        "type": "string",
                                        "enum": ["critical", "high", "medium", "low"],
                                    },
                                    "subject_type": {"type": "string"},
                                    "subjects": {"type": "array", "items": {"type": "string"}},
                                    "finding": {"type": "string"},
                                    "evidence": {"type": "string"},
                                    "confidential": {"type": "boolean"},
                                },
                            },
                        },
                    },
                }
            }
        },
    }
}

_ISSUE_BODY = {
    "requestBody": {
        "required": False,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "issued_on": {"type": "string", "format": "date"},
                        "supersede_reason": {"type": "string", "minLength": 20},
                        # Issue 27: each copy is rendered once in each; the office's default.
                        "languages": {
                            "type": "array",
                            "minItems": 1,
                            "uniqueItems": True,
                            "items": {"type": "string", "examples": ["en", "ne"]},
                        },
                    },
                }
            }
        },
    }
}

_WITHDRAW_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["reason"],
                    "properties": {"reason": {"type": "string", "minLength": 20}},
                }
            }
        },
    }
}


@api.get(
    "/audits/{audit_id}/review",
    response={200: dict[str, Any], 401: Error, 404: Error},
    summary="The inspector's review in force (empty when none)",
)
def get_review(request: HttpRequest, audit_id: str) -> HttpResponse:
    audit = audit_for(request.auth, audit_id)
    return JsonResponse(signoff.review_document(audit))


@api.post(
    "/audits/{audit_id}/review",
    response={200: dict[str, Any], 400: CodedError, 401: Error, 404: Error, 409: CodedError},
    openapi_extra=_REVIEW_BODY,
    summary="Replace the review of a done, unissued audit: inspectors and supervisors",
)
def post_review(request: HttpRequest, audit_id: str) -> HttpResponse:
    user = request.auth
    audit = audit_for(user, audit_id)
    if not may_review(user, audit):
        raise Http404("no such audit")
    try:
        review = signoff.parse_review(_json_object(request, "invalid_review"))
        signoff.save_review(user, audit, review, via="api")
    except signoff.Refused as refusal:
        return _refused(refusal)
    return JsonResponse(signoff.review_document(audit))


@api.post(
    "/audits/{audit_id}/issue",
    response={200: dict[str, Any], 400: CodedError, 401: Error, 404: Error, 409: CodedError},
    openapi_extra=_ISSUE_BODY,
    summary="Issue (sign off) the audit on the office's today: supervisors of its office",
)
def issue(request: HttpRequest, audit_id: str) -> HttpResponse:
    user = request.auth
    audit = audit_for(user, audit_id)
    if not may_issue(user, audit):
        raise Http404("no such audit")
    try:
        record = signoff.issue(user, audit, _json_object(request, "invalid_issue"), via="api")
    except signoff.Refused as refusal:
        return _refused(refusal)
    return JsonResponse(signoff.issue_document(record))


@api.post(
    "/audits/{audit_id}/withdraw",
    response={200: dict[str, Any], 400: CodedError, 401: Error, 404: Error, 409: CodedError},
    openapi_extra=_WITHDRAW_BODY,
    summary="Withdraw the audit's issued report with a reason: supervisors of its office",
)
def withdraw(request: HttpRequest, audit_id: str) -> HttpResponse:
    user = request.auth
    audit = audit_for(user, audit_id)
    if not may_issue(user, audit):
        raise Http404("no such audit")
    try:
        body = _json_object(request, "invalid_issue")
        record = signoff.withdraw(user, audit, body.get("reason"), via="api")
    except signoff.Refused as refusal:
        return _refused(refusal)
    return JsonResponse(signoff.issue_document(record))


@api.get(
    "/audits/{audit_id}/issue.json",
    response={200: dict[str, Any], 401: Error, 404: Error, 409: CodedError},
    summary="The issue record (audit-issue/1) with its state and superseded_by",
)
def issue_json(request: HttpRequest, audit_id: str) -> HttpResponse:
    audit = audit_for(request.auth, audit_id)
    record = signoff.record_of(audit)
    if record is None:
        return JsonResponse(
            {"error": "the audit is not issued: it has no issue record", "code": "conflict"},
            status=409,
        )
    return JsonResponse(signoff.issue_document(record))


@api.get(
    "/audits/{audit_id}/accesses",
    response={200: list[AccessOut], 401: Error, 404: Error},
    by_alias=True,
    summary="Who downloaded, viewed, issued or removed the audit: supervisors of its office",
)
def accesses(request: HttpRequest, audit_id: str) -> HttpResponse:
    user = request.auth
    audit = audit_for(user, audit_id)
    if not may_supervise(user, audit):
        raise Http404("no such audit")
    rows = Access.objects.filter(audit=audit).select_related("user").order_by("at", "id")
    return JsonResponse(
        [
            {
                "at": row.at.isoformat(),
                "user": row.user_id,
                "username": row.user.get_username(),
                "kind": row.kind,
                "copy": row.copy,
                "file": row.file,
                "via": row.via,
            }
            for row in rows
        ],
        safe=False,
    )
