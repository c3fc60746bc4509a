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
import unicodedata
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from auditor.errors import UsageError
from auditor.ingest.template import write_template
from auditor.service import actions, intake, page_data, permissions, rendered, signoff, throttle
from auditor.service.forms import AuditFilterForm, UploadForm, clean_text
from auditor.service.library_language import in_page_language
from auditor.service.models import (
    REMOVABLE_STATUSES,
    Access,
    Audit,
    IssueState,
    Membership,
    Review,
    Status,
)
from auditor.service.rendered import LANGS
from auditor.service.report_languages import (
    NotIssuedIn,
    UnknownLanguage,
    issued_language,
    office_contact,
    report_language,
)
from auditor.service.review_data import review_context
from auditor.service.templatetags.page_words import word

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
                _("No office"),
                _("Your account belongs to no office yet. Ask an administrator to add you to one."),
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
                _("Too many attempts"),
                _(
                    "Too many failed log-in attempts for this name. Wait %(wait)s seconds, "
                    "then try again."
                )
                % {"wait": wait},
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
@in_page_language
def guide(request: HttpRequest) -> HttpResponse:
    return render(
        request, "service/guide.html", {"sheets": page_data.guide_sheets(), "nav": "guide"}
    )


# -- one audit --------------------------------------------------------------------------------


def audit_context(request: HttpRequest, audit: Audit) -> dict[str, Any]:
    """Everything the audit page shows (also when a form on it is refused)."""
    context: dict[str, Any] = {
        "audit": audit,
        "final": audit.is_final,
        "removable": audit.status in REMOVABLE_STATUSES
        and audit.removed_at is None
        and permissions.may_remove(request.user, audit),
    }
    result = None
    if audit.status == Status.DONE:
        result = page_data.result_of(audit)
        context["result"] = result
        context["summary"] = (
            page_data.summary(result, page_data.identities_of(audit)) if result else None
        )
        comparison = page_data.comparison_of(audit)
        if comparison is not None:
            titles = {rule["id"]: rule["title"] for rule in page_data.rule_catalogue()[1]}
            context["comparison"] = page_data.comparison_summary(comparison, titles)
        context.update(report_languages(request, audit))
        # which reports are rendered already, in the language the links ask for
        context["ready"] = rendered.ready(audit, context["report_lang"])
        context["notices"] = permissions.may_review(request.user, audit)
    context.update(review_context(request, audit, result))
    if permissions.may_supervise(request.user, audit):
        context["supervisor"] = True
        context["accesses"] = Access.objects.filter(audit=audit).select_related("user")
        context["reviews"] = Review.objects.filter(audit=audit).select_related("author")
    return context


def report_languages(request: HttpRequest, audit: Audit) -> dict[str, Any]:
    """The languages the page's download links offer (issue 27), each named in itself, and
    the one chosen with ``?report_lang=`` (the office's default without one, or a wrong one);
    the links name it only when it is not the office's default (which a download without
    ``lang`` gets), so the usual links stay as they were."""
    from auditor.i18n import LANGUAGES

    default = report_language(None, audit.office)
    try:
        chosen = report_language(request.GET.get("report_lang"), audit.office)
    except UnknownLanguage:
        chosen = default
    offered = [(code, LANGUAGES[code].native_name) for code in LANGS]
    return {
        "report_lang": chosen,
        "lang_param": "" if chosen == default else chosen,
        "report_languages": offered,
    }


def agency_context(audit: Audit, request: HttpRequest | None = None) -> dict[str, Any]:
    """The done audit's page as the agency's copy shows it: its own result document (no
    finding, gap or complaint warning of a confidential rule), the follow-up with those
    rules' findings counted but not listed, and none of the inspector's review or record."""
    from auditor.pipeline import rule_pack
    from auditor.render.copies import confidential_rules

    result = page_data.agency_result_of(audit)
    context: dict[str, Any] = {"audit": audit, "final": True, "agency_view": True}
    context["summary"] = (
        page_data.summary(result, page_data.identities_of(audit)) if result else None
    )
    comparison = page_data.comparison_of(audit)
    if comparison is not None:
        titles = {rule["id"]: rule["title"] for rule in page_data.rule_catalogue()[1]}
        withheld = confidential_rules(rule_pack())
        context["comparison"] = page_data.comparison_summary(comparison, titles, withheld)
    if request is not None:
        context.update(report_languages(request, audit))
    # which reports are rendered already (issue 26), in the language the links ask for
    ready = rendered.ready(audit, context.get("report_lang", rendered.DEFAULT_LANG))
    if signoff.record_of(audit) is not None:  # its PDFs are the issued ones, not drafts
        ready.update(pdf_inspector=True, pdf_agency=True)
    context["ready"] = ready
    return context


@require_GET
@member_required
@in_page_language
def audit_page(request: HttpRequest, audit_id: str) -> HttpResponse:
    """The audit's page, or with ``?copy=agency`` a done audit as the agency's copy shows it.

    A view of a finished audit is recorded in its accesses, with its copy (issue 25): the
    page shows the worker ids and evidence the reports do. Recorded after the page is made,
    so the page lists the accesses before this one; a queued or running audit's page (which
    refreshes itself and shows nothing of the workbook) is not recorded."""
    audit = permissions.audit_for(request.user, audit_id)
    copy = clean_text(request.GET.get("copy")) or "inspector"
    if copy not in actions.COPIES:
        return message(
            request,
            _("No such copy"),
            _("Choose the inspector's or the agency's copy."),
            status=400,
        )
    if copy == "agency":
        if audit.status != Status.DONE:
            return message(
                request,
                _("No agency's copy"),
                _("Only a done audit has an agency's copy."),
                status=409,
            )
        response = render(request, "service/audit.html", agency_context(audit, request))
    else:
        response = render(request, "service/audit.html", audit_context(request, audit))
    if audit.is_final:
        record_view(request.user, audit, copy)
    return response


def record_view(user: Any, audit: Audit, copy: str = "inspector") -> None:
    """A view of the audit's page, of the inspector's or the agency's copy, in the accesses."""
    Access.objects.create(
        audit=audit, user=user, kind=Access.Kind.VIEW, copy=copy, file="page", via="page"
    )


@require_POST
@member_required
def remove_upload(request: HttpRequest, audit_id: str) -> HttpResponse:
    """Take an invalid or failed upload off the office's list (issue 25). The row stays, with
    who and when, and the removal is in the accesses record; a done audit is never removed
    (409): it has reports. Another office's audit is not found (404), as everywhere, and
    an admin (who may see it) may not remove it: 404 too (web.md 1.1)."""
    audit = permissions.audit_for(request.user, audit_id)
    if not permissions.may_remove(request.user, audit):  # an admin: as for any action, 404
        raise Http404("no such audit")
    if audit.status not in REMOVABLE_STATUSES:
        return message(
            request,
            _("Not removed"),
            _(
                "Only an invalid or failed upload can be removed from the list; this one is "
                "%(status)s."
            )
            % {"status": word(audit.status)},
            status=409,
        )
    with transaction.atomic():
        removed = Audit.objects.filter(
            pk=audit.pk, removed_at__isnull=True, status__in=REMOVABLE_STATUSES
        ).update(removed_at=timezone.now(), removed_by=request.user)
        if removed:
            Access.objects.create(
                audit=audit, user=request.user, kind=Access.Kind.REMOVE, via="page"
            )
    return redirect_see_other("/audits")


@require_GET
@member_required
def audit_status(request: HttpRequest, audit_id: str) -> JsonResponse:
    audit = permissions.audit_for(request.user, audit_id)
    return JsonResponse({"status": audit.status, "final": audit.is_final})


@require_GET
@member_required
def download(request: HttpRequest, audit_id: str, kind: str) -> HttpResponseBase:
    audit = permissions.audit_for(request.user, audit_id)
    if kind == "notices" and permissions.may_review(request.user, audit):
        return notices_download(request, audit)
    if kind not in ("pdf", "json", "xlsx"):
        raise Http404("no such file")
    copy = request.GET.get("copy", "inspector")
    if copy not in actions.COPIES:
        return message(
            request,
            _("No such copy"),
            _("Choose the inspector's or the agency's copy."),
            status=400,
        )
    asked = request.GET.get("lang")
    record = signoff.record_of(audit) if kind == "pdf" and not request.GET.get("draft") else None
    issued = record.issued_languages if record is not None else ()
    try:
        if record is not None:
            lang = issued_language(asked, audit.office, issued)
        else:
            lang = report_language(asked, audit.office)
    except UnknownLanguage:
        return _no_such_language(request)
    except NotIssuedIn:
        return message(
            request,
            _("Not issued in this language"),
            _(
                "The report was issued in %(codes)s. An issued report is never made again: "
                "download the draft for another language."
            )
            % {"codes": ", ".join(issued)},
            status=409,
        )

    def attempt() -> HttpResponseBase:
        if record is not None:
            return actions.download_issued(request.user, audit, copy, via="page", lang=lang)
        return actions.download(request.user, audit, kind, copy, via="page", lang=lang)

    return _download_refused(request, attempt)


def _no_such_language(request: HttpRequest) -> HttpResponseBase:
    """The page's answer to ``?lang=`` naming a language reports are not made in (400)."""
    return message(
        request,
        _("No such language"),
        _("Reports are made in these languages: %(codes)s.") % {"codes": ", ".join(LANGS)},
        status=400,
    )


def notices_download(request: HttpRequest, audit: Audit) -> HttpResponseBase:
    """The worker notices (issue 27): inspectors and supervisors of the audit's office only
    (the caller checks), each page in its worker's language, else ``?lang=``'s."""
    try:
        lang = report_language(request.GET.get("lang"), audit.office)
    except UnknownLanguage:
        return _no_such_language(request)
    contact = office_contact()
    return _download_refused(
        request,
        lambda: actions.download_notices(
            request.user, audit, lang=lang, contact=contact, via="page"
        ),
    )


def _download_refused(
    request: HttpRequest, attempt: Callable[[], HttpResponseBase]
) -> HttpResponseBase:
    """The download ``attempt`` makes, or the page's own words for why it is not there."""
    try:
        return attempt()
    except actions.Rendering as waiting:
        response = message(
            request,
            _("Still being made"),
            # The page's own words for actions' two waits (the API keeps their English).
            _("The issued report is still being made. Try again in a few seconds.")
            if waiting.message.startswith("the issued report")
            else _("The report is still being made. Try again in a few seconds."),
            status=409,
        )
        response["Retry-After"] = str(waiting.retry_after_s)
        return response
    except actions.RenderFailed as failed:
        return message(
            request,
            _("Report not made"),
            _("The report could not be made: %(reason)s") % {"reason": failed},
            status=409,
        )
    except actions.NotReady:
        return message(
            request, _("No reports"), _("This audit has no reports: it is not done."), status=409
        )


# -- lists ------------------------------------------------------------------------------------


#: The list's filters as queries: each a valid value of AuditFilterForm.
_ISSUE_FILTERS: dict[str, Q] = {
    "draft": Q(issue_record__isnull=True),
    "issued": Q(issue_record__state=IssueState.ISSUED),
    "superseded": Q(issue_record__state=IssueState.SUPERSEDED),
    "withdrawn": Q(issue_record__state=IssueState.WITHDRAWN),
}


def office_inspectors(user: Any) -> list[str]:
    """The names the list may be filtered by: the members of the user's office (every office's
    for an admin, who sees every audit), never anyone else's."""
    membership = getattr(user, "membership", None)
    members = Membership.objects.all()
    if membership is None or not membership.is_admin:
        members = members.filter(office_id=getattr(membership, "office_id", None))
    return sorted(members.values_list("user__username", flat=True))


@require_GET
@member_required
def audit_list(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(
        request.GET if request.GET else None, inspectors=office_inspectors(request.user)
    )
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
    if "inspected_from" in chosen:
        audits = audits.filter(inspection_date__gte=chosen["inspected_from"])
    if "inspected_to" in chosen:
        audits = audits.filter(inspection_date__lte=chosen["inspected_to"])
    if "issued" in chosen:
        audits = audits.filter(_ISSUE_FILTERS[chosen["issued"]])
        if chosen["issued"] == "draft":  # only a done audit is a draft: others have no report
            audits = audits.filter(status=Status.DONE)
    if "inspector" in chosen:
        audits = audits.filter(uploaded_by__username=chosen["inspector"])
    if chosen.get("removed") != "show":
        audits = audits.filter(removed_at__isnull=True)
    audits = audits.select_related("issue_record").order_by("-created_at", "id")
    page = Paginator(audits, PER_PAGE).get_page(clean_text(request.GET.get("page")) or 1)
    kept = urlencode({key: form.data.get(key, "") for key in chosen} if form.is_bound else {})
    return render(
        request,
        "service/audits.html",
        {
            "form": form,
            "page": page,
            "kept": kept,
            "filtered": bool(chosen),
            "show_removed": chosen.get("removed") == "show",
            "nav": "audits",
        },
    )


#: At most this many agencies answer a search by name: a name is narrowed, not paged.
AGENCY_MATCHES = 50


def folded(text: str) -> str:
    """Text as a search compares it: case folded, and Latin letters without their accents
    (``Agencia Peña`` finds ``agencia pena``); other scripts' marks (Devanagari vowel signs)
    are kept, since they are letters of the word, not accents."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept: list[str] = []
    for char in decomposed:
        if unicodedata.combining(char) and kept and kept[-1] < "\u0250":
            continue
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def agencies_named(user: Any, text: str) -> list[dict[str, Any]]:
    """The agencies of the user's own office (every office's for an admin) whose name or licence
    contains ``text``, case- and accent-insensitively, in any database: the office's distinct
    (licence, name) pairs are few, so they are compared here, where folding is the same on
    SQLite and PostgreSQL. Another office's agencies are never read, so never counted."""
    wanted = folded(text)
    pairs = (
        permissions.visible_audits(user)
        .exclude(agency_licence="")
        .values("agency_licence", "agency_name")
        .annotate(audits=Count("id"))
        .order_by("agency_name", "agency_licence")
    )
    found: dict[str, dict[str, Any]] = {}
    for pair in pairs:
        name, licence = pair["agency_name"] or "", pair["agency_licence"]
        if wanted not in folded(name) and wanted not in folded(licence):
            continue
        entry = found.setdefault(licence, {"licence": licence, "names": [], "audits": 0})
        if name and name not in entry["names"]:
            entry["names"].append(name)
        entry["audits"] += pair["audits"]
    return sorted(found.values(), key=lambda e: (folded(" ".join(e["names"])), e["licence"]))


@require_GET
@member_required
@in_page_language
def agency(request: HttpRequest) -> HttpResponse:
    licence = clean_text(request.GET.get("licence"))
    name = clean_text(request.GET.get("name"))
    matches = agencies_named(request.user, name) if name and not licence else []
    audits = list(
        permissions.visible_audits(request.user)
        .listing()
        .filter(agency_licence=licence)
        .select_related("issue_record")
        .order_by("-created_at", "id")
        if licence
        else []
    )
    scored = sorted(
        (a for a in audits if a.score is not None),
        key=lambda a: (a.inspection_date or a.upload_day, a.created_at),
    )
    points = [((a.inspection_date or a.upload_day).isoformat(), a.score) for a in scored]
    history = page_data.history_rows(scored)
    context = {
        "licence": licence,
        "search": name,
        "matches": matches[:AGENCY_MATCHES],
        "more_matches": len(matches) > AGENCY_MATCHES,
        "audits": audits,
        "name": next((a.agency_name for a in audits if a.agency_name), ""),
        "chart": page_data.score_chart(points) if points else None,
        "charts": page_data.history_charts(history) if history else None,
        "history": history,
        "scored": scored,
        "nav": "agency",
    }
    return render(request, "service/agency.html", context)


@require_GET
@member_required
@in_page_language
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
