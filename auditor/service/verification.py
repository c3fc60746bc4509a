"""The public verification page ``/verify`` (web.md 1.1, Settled): no log-in, no names.

Anyone holding a report may ask whether it was issued: by its code
(``GET /verify/{code}``) or by the PDF itself (``POST /verify``, field
``file``, at most 20 MB). The answer is the state (``issued``,
``superseded``, ``withdrawn`` or ``unknown``), the audit id, the office,
the issue date and the result digests, and the code of the report that
superseded it; for a PDF also ``matches``: its attached result's digest and
its signature agree with the record the service keeps. Nothing else: no
issuer's name, no withdrawal reason, no agency. Unknown and malformed codes
get the same answer, so codes cannot be probed for their form. HTML, or
JSON for ``Accept: application/json``. At most 30 requests a minute per
client address (:mod:`auditor.service.ratelimit`), then 429.

The form posts without a CSRF token: the page has no session and changes
nothing, so there is nothing to forge; a script must be able to post a PDF.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from auditor.issuing import CodeState, normalise_code, trusted_certificates, verify_pdf
from auditor.service import jobs, ratelimit
from auditor.service.library_language import in_page_language
from auditor.service.models import IssueRecord, IssueState

#: The largest PDF ``POST /verify`` reads (web.md 1.1, Settled).
MAX_PDF_BYTES = 20 * 1024 * 1024
UNKNOWN: dict[str, Any] = {
    "state": "unknown",
    "audit_id": None,
    "office": None,
    "issued_on": None,
    "result_sha256": None,
    "superseded_by": None,
}


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _record(code: str | None) -> IssueRecord | None:
    if code is None:
        return None
    return (
        IssueRecord.objects.filter(verification_code=code)
        .select_related("office", "superseded_by")
        .first()
    )


def answer_for(record: IssueRecord | None) -> dict[str, Any]:
    """What verification says of a record: the state and the facts, never a name."""
    if record is None:
        return dict(UNKNOWN)
    document = json.loads(record.record)
    successor = record.successor
    return {
        "state": record.state,
        "audit_id": record.audit_code,
        "office": record.office.name,
        "issued_on": record.issued_on.isoformat(),
        "result_sha256": document.get("result_sha256"),
        "superseded_by": successor.verification_code if successor is not None else None,
    }


def _respond(request: HttpRequest, answer: dict[str, Any], code: str | None) -> HttpResponse:
    """JSON with exactly the keys of web.md; the page also repeats the code it checked."""
    if _wants_json(request):
        return JsonResponse(answer)
    context = {"answer": answer, "code": code, "max_mb": MAX_PDF_BYTES // (1024 * 1024)}
    return render(request, "service/verify.html", context)


def _limited(request: HttpRequest) -> HttpResponse | None:
    wait = ratelimit.admit(request)
    if wait is None:
        return None
    text = f"too many requests: at most {ratelimit.PER_MINUTE} a minute; wait {wait} s"
    if _wants_json(request):
        response: HttpResponse = JsonResponse({"error": text, "code": "rate_limited"}, status=429)
    else:
        response = render(
            request,
            "service/message.html",
            {
                "title": _("Too many requests"),
                "text": _("Too many requests: at most %(limit)s a minute; wait %(wait)s s.")
                % {"limit": ratelimit.PER_MINUTE, "wait": wait},
            },
            status=429,
        )
    response["Retry-After"] = str(wait)
    return response


@csrf_exempt
@require_http_methods(["GET", "POST"])
@in_page_language
def verify(request: HttpRequest) -> HttpResponse:
    """``GET /verify``: the form (``?code=`` goes to the code's page); ``POST``: a PDF."""
    limited = _limited(request)
    if limited is not None:
        return limited
    if request.method == "GET":
        typed = request.GET.get("code")
        if typed is not None:
            shown = normalise_code(typed)
            response = HttpResponse(status=303)
            response["Location"] = f"/verify/{shown or 'unknown'}"
            return response
        if _wants_json(request):
            return JsonResponse(
                {"error": "send a code (GET /verify/CODE) or a PDF (POST)", "code": "bad_request"},
                status=400,
            )
        return render(request, "service/verify.html", {"answer": None, "max_mb": 20})
    return _verify_file(request)


@require_GET
@in_page_language
def verify_code(request: HttpRequest, code: str) -> HttpResponse:
    limited = _limited(request)
    if limited is not None:
        return limited
    record = _record(normalise_code(code))
    return _respond(request, answer_for(record), record.verification_code if record else None)


#: The page's words for the refusals (the JSON keeps the English sentence and its code).
_PAGE_REFUSALS = {
    "too_large": gettext_lazy("the PDF is larger than 20 MB"),
    "bad_request": gettext_lazy("choose the report's PDF file to send"),
}


def _refuse(request: HttpRequest, status: int, code: str, text: str) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"error": text, "code": code}, status=status)
    return render(
        request,
        "service/verify.html",
        {"answer": None, "max_mb": 20, "error": _PAGE_REFUSALS.get(code, text)},
        status=status,
    )


def _verify_file(request: HttpRequest) -> HttpResponse:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_PDF_BYTES + 64 * 1024:
        return _refuse(request, 413, "too_large", "the PDF is larger than 20 MB")
    upload = request.FILES.get("file")
    if upload is None:
        return _refuse(request, 400, "bad_request", "send the PDF in the form field 'file'")
    if upload.size is not None and upload.size > MAX_PDF_BYTES:
        return _refuse(request, 413, "too_large", "the PDF is larger than 20 MB")
    data = b"".join(upload.chunks())
    checked = verify_pdf(data, trusted_certificates(jobs.CONFIG.data_dir), _state_of)
    record = _record(checked.record.verification_code) if checked.record is not None else None
    answer = answer_for(record)
    answer["matches"] = record is not None and _matches(record, checked)
    return _respond(request, answer, record.verification_code if record is not None else None)


def _state_of(code: str) -> CodeState | None:
    found = _record(code)
    if found is None:
        return None
    successor = found.successor
    return CodeState(
        state=found.state,
        superseded_by=successor.verification_code if successor is not None else None,
    )


def _matches(record: IssueRecord, checked: Any) -> bool:
    """The PDF's attachments and signature agree with the record kept here: the attached
    record is the one issued for that copy, its result digest matches, and the signature is
    valid and trusted (or the record says the report was issued unsigned)."""
    embedded = checked.record
    stored = json.loads(record.agency_record if embedded.for_copy == "agency" else record.record)
    if embedded.to_dict() != stored or checked.result_matches is not True:
        return False
    if checked.status == 0:
        return True
    if record.state != IssueState.ISSUED and checked.signer_fingerprint is not None:
        return bool(checked.state is not None)  # intact; refused only for its state
    return not embedded.signed and checked.reason.startswith("unsigned")
