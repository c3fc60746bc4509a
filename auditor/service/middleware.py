"""Request guards that apply to every path: upload size, security headers, the access log."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

Handler = Callable[[HttpRequest], HttpResponse]
_access = logging.getLogger("auditor.access")

#: Scripts and styles only from the service itself; nothing may frame it.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
#: The interactive API docs load Swagger UI from the package's own static files.
_DOCS_POLICY = CONTENT_SECURITY_POLICY.replace(
    "script-src 'self'", "script-src 'self' 'unsafe-inline'"
).replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")

_PERMISSIONS = "camera=(), microphone=(), geolocation=()"


class UploadSizeMiddleware:
    """A body over the library's file limit is refused with 413 before a byte of it is read."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_UPLOAD_BYTES:
            limit_mb = settings.MAX_UPLOAD_BYTES // (1024 * 1024)
            message = f"the upload is larger than the limit of {limit_mb} MB; nothing was kept"
            if request.path.startswith("/api/"):
                return JsonResponse({"error": message, "code": "too_large"}, status=413)
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


#: Codes of the errors Django itself answers under /api/ (web.md 1.1 "Settled").
_API_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "not_found",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    429: "rate_limited",
}
_API_MESSAGES = {
    404: "not found",
    405: "method not allowed on this path",
    413: "the upload is larger than the limit; nothing was kept",
}


class ApiErrorsMiddleware:
    """Every error under ``/api/`` is ``{"error", "code"}`` JSON, including those no API view
    made: an unknown path (Django's 404 page), a wrong method (ninja's plain 405), a broken
    request Django refused, a server error (its 500 page)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not request.path.startswith("/api/")
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        status = response.status_code
        message = _API_MESSAGES.get(status) or (
            "the service could not answer; this is a defect of auditor"
            if status >= 500
            else "malformed request"
        )
        if status == 403:  # no leak that something exists (web.md): as not found
            status, message = 404, "not found"
        replaced = JsonResponse(
            {
                "error": message,
                "code": _API_CODES.get(status, "bad_request" if status < 500 else "internal_error"),
            },
            status=status,
        )
        for header in ("Allow", "Retry-After", "WWW-Authenticate"):
            if header in response:
                replaced[header] = response[header]
        return replaced


class SecurityHeadersMiddleware:
    """Headers Django does not set itself, and one access-log line without the query string."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        docs = request.path == "/api/v1/docs"
        response.headers.setdefault(
            "Content-Security-Policy", _DOCS_POLICY if docs else CONTENT_SECURITY_POLICY
        )
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if request.path.startswith(("/api/", "/audits/")):
            response.headers.setdefault("Cache-Control", "private, no-store")
        # Pages sign in with the session; the API with a bearer token (request.auth).
        user = getattr(request, "auth", None) or getattr(request, "user", None)
        user_id = user.pk if user is not None and user.is_authenticated else None
        # The path only: query strings may carry an agency's licence number.
        _access.info(
            "request method=%s path=%s status=%s user=%s ms=%.1f",
            request.method,
            request.path,
            response.status_code,
            user_id,
            (time.perf_counter() - started) * 1000,
        )
        return response


class OfficeTimeZoneMiddleware:
    """Pages show dates and times in the signed-in user's office's time zone (web.md 1.1)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.utils import timezone

        user = getattr(request, "user", None)
        membership = (
            getattr(user, "membership", None)
            if user is not None and user.is_authenticated
            else None
        )
        if membership is not None:
            timezone.activate(membership.office.zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
