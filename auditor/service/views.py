"""The server-rendered pages of ``web.md``: they work without JavaScript.

Every page but the log-in page needs a signed-in member of an office
(:func:`member_required`); every audit is looked up through
:func:`~auditor.service.permissions.audit_for`, so another office's audit
is *not found* (404) on its page, its status, its files and its sign-off.
Uploads and downloads go through the same :mod:`~auditor.service.intake`
and :mod:`~auditor.service.actions` as the API.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from auditor.errors import UsageError
from auditor.ingest.template import write_template
from auditor.service import actions, intake, page_data, permissions, rendered, signoff, throttle
from auditor.service.forms import AuditFilterForm, UploadForm, clean_text
from auditor.service.models import Access, Audit, Review, Status
from auditor.service.review_data import review_context

PER_PAGE = 25

View = Callable[..., HttpResponseBase]


def member_required(view: View) -> View:
    """Signed-in users who belong to an office; anyone else goes to the log-in page."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), "/login")
        if not permissions.may_upload(request.user):
            return message(
                request,
                "No office",
                "Your account belongs to no office yet. Ask an administrator to add you to one.",
                status=403,
            )
        return view(request, *args, **kwargs)

    return guarded


def message(request: HttpRequest, title: str, text: str, *, status: int) -> HttpResponse:
    """A plain page with one sentence (refusals that are not about a form)."""
    return render(request, "service/message.html", {"title": title, "text": text}, status=status)


# -- log in and out ---------------------------------------------------------------------------


class LoginPage(auth_views.LoginView):
    """Django's log-in form, with a growing wait after repeated failures (throttle.py)."""

    template_name = "service/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = clean_text(request.POST.get("username"))[:150]
        self.address = throttle.client_address(request, settings.CONFIG)
        wait = throttle.reserve(username, self.address)
        if wait:
            response = message(
                request,
                "Too many attempts",
                f"Too many failed log-in attempts for this name. Wait {wait} seconds, "
                "then try again.",
                status=429,
            )
            response["Retry-After"] = str(wait)
            return response
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        throttle.succeeded(clean_text(self.request.POST.get("username"))[:150], self.address)
        return super().form_valid(form)


login_page = LoginPage.as_view()
logout_page = auth_views.LogoutView.as_view(next_page="/login")


def home(request: HttpRequest) -> HttpResponse:
    return redirect("/audits" if request.user.is_authenticated else "/login")


# -- upload -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@member_required
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            jurisdiction = intake.checked_jurisdiction(form.cleaned_data["jurisdiction"])
        except UsageError as error:
            form.add_error("jurisdiction", str(error))
        else:
            file = form.cleaned_data["file"]
            accepted = intake.accept_workbook(
                request.user, file.chunks(), file.name or "workbook.xlsx", jurisdiction
            )
            return redirect_see_other(f"/audits/{accepted.audit.pk}")
    status = 400 if request.method == "POST" else 200
    return render(request, "service/upload.html", {"form": form, "nav": "upload"}, status=status)


def redirect_see_other(url: str) -> HttpResponse:
    response = HttpResponse(status=303)
    response["Location"] = url
    return response


@require_GET
@member_required
def template_file(request: HttpRequest) -> FileResponse:
    """The blank workbook, written fresh (it is small) into a temporary file."""
    with tempfile.TemporaryDirectory(prefix="auditor-template-") as folder:
        path = write_template(Path(folder) / "template.xlsx")
        content = path.read_bytes()
    return FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename="inspection-template.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@require_GET
@member_required
def guide(request: HttpRequest) -> HttpResponse:
    return render(
        request, "service/guide.html", {"sheets": page_data.guide_sheets(), "nav": "guide"}
    )


# -- one audit --------------------------------------------------------------------------------


def audit_context(request: HttpRequest, audit: Audit) -> dict[str, Any]:
    """Everything the audit page shows (also when a form on it is refused)."""
    context: dict[str, Any] = {"audit": audit, "final": audit.is_final}
    result = None
    if audit.status == Status.DONE:
        result = page_data.result_of(audit)
        context["result"] = result
        context["summary"] = page_data.summary(result) if result else None
        comparison = page_data.comparison_of(audit)
        if comparison is not None:
            context["comparison"] = page_data.comparison_summary(comparison)
        context["ready"] = rendered.ready(audit)  # which reports are rendered already
    context.update(review_context(request, audit, result))
    if permissions.may_supervise(request.user, audit):
        context["supervisor"] = True
        context["accesses"] = Access.objects.filter(audit=audit).select_related("user")
        context["reviews"] = Review.objects.filter(audit=audit).select_related("author")
    return context


@require_GET
@member_required
def audit_page(request: HttpRequest, audit_id: str) -> HttpResponse:
    audit = permissions.audit_for(request.user, audit_id)
    return render(request, "service/audit.html", audit_context(request, audit))


@require_GET
@member_required
def audit_status(request: HttpRequest, audit_id: str) -> JsonResponse:
    audit = permissions.audit_for(request.user, audit_id)
    return JsonResponse({"status": audit.status, "final": audit.is_final})


@require_GET
@member_required
def download(request: HttpRequest, audit_id: str, kind: str) -> HttpResponseBase:
    audit = permissions.audit_for(request.user, audit_id)
    if kind not in ("pdf", "json", "xlsx"):
        raise Http404("no such file")
    copy = request.GET.get("copy", "inspector")
    if copy not in actions.COPIES:
        return message(
            request, "No such copy", "Choose the inspector's or the agency's copy.", status=400
        )
    try:
        if kind == "pdf" and not request.GET.get("draft") and signoff.record_of(audit) is not None:
            return actions.download_issued(request.user, audit, copy, via="page")
        return actions.download(request.user, audit, kind, copy, via="page")
    except actions.Rendering as waiting:
        response = message(
            request,
            "Still being made",
            f"{waiting.message[0].upper()}{waiting.message[1:]}. Try again in a few seconds.",
            status=409,
        )
        response["Retry-After"] = str(waiting.retry_after_s)
        return response
    except actions.RenderFailed as failed:
        return message(request, "Report not made", str(failed), status=409)
    except actions.NotReady:
        return message(
            request, "No reports", "This audit has no reports: it is not done.", status=409
        )


# -- lists ------------------------------------------------------------------------------------


@require_GET
@member_required
def audit_list(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET if request.GET else None)
    chosen = form.filters()
    audits = permissions.visible_audits(request.user).listing().select_related("uploaded_by")
    if "agency" in chosen:
        text = chosen["agency"]
        audits = audits.filter(Q(agency_licence__icontains=text) | Q(agency_name__icontains=text))
    if "rating" in chosen:
        audits = audits.filter(rating=chosen["rating"])
    if "uploaded_from" in chosen:
        audits = audits.filter(upload_day__gte=chosen["uploaded_from"])
    if "uploaded_to" in chosen:
        audits = audits.filter(upload_day__lte=chosen["uploaded_to"])
    audits = audits.order_by("-created_at", "id")
    page = Paginator(audits, PER_PAGE).get_page(clean_text(request.GET.get("page")) or 1)
    kept = urlencode({key: form.data.get(key, "") for key in chosen} if form.is_bound else {})
    return render(
        request,
        "service/audits.html",
        {"form": form, "page": page, "kept": kept, "filtered": bool(chosen), "nav": "audits"},
    )


@require_GET
@member_required
def agency(request: HttpRequest) -> HttpResponse:
    licence = clean_text(request.GET.get("licence"))
    audits = list(
        permissions.visible_audits(request.user)
        .listing()
        .filter(agency_licence=licence)
        .order_by("-created_at", "id")
        if licence
        else []
    )
    scored = sorted(
        (a for a in audits if a.score is not None),
        key=lambda a: (a.inspection_date or a.upload_day, a.created_at),
    )
    points = [((a.inspection_date or a.upload_day).isoformat(), a.score) for a in scored]
    context = {
        "licence": licence,
        "audits": audits,
        "name": next((a.agency_name for a in audits if a.agency_name), ""),
        "chart": page_data.score_chart(points) if points else None,
        "scored": scored,
        "nav": "agency",
    }
    return render(request, "service/agency.html", context)


@require_GET
@member_required
def rules(request: HttpRequest) -> HttpResponse:
    version, catalogue = page_data.rule_catalogue()
    context = {
        "version": version,
        "rules": catalogue,
        "profiles": page_data.profile_catalogue(),
        "destinations": page_data.destination_profiles(),  # catalogue 1.3
        "nav": "rules",
    }
    return render(request, "service/rules.html", context)
