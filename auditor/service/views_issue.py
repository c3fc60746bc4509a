"""The audit page's review, issue and withdrawal forms (web.md 1.1); no JavaScript needed.

The Issue button asks for confirmation on a page of its own: it shows the
date the report will be issued on (the office's today), the due dates the
issue will set, a warning when the inspection is more than 60 days before
that date, and, when the office issued a report with the same ``audit_id``
before, a field for the reason to supersede it. Only the confirmation's own
form issues. Everything goes through :mod:`auditor.service.signoff`, as the
API does; what a user may not do on an audit she may see is *not found*.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from auditor.issuing import Review
from auditor.issuing.record import MIN_REASON
from auditor.service import permissions, signoff
from auditor.service.models import Audit, Status
from auditor.service.views import audit_context, member_required, message, redirect_see_other


def _page_with_problems(
    request: HttpRequest, audit: Audit, refusal: signoff.Refused
) -> HttpResponse:
    context = audit_context(request, audit)
    context["refusal"] = refusal
    return render(request, "service/audit.html", context, status=refusal.status)


def _save(request: HttpRequest, audit: Audit, review: Review) -> HttpResponse:
    try:
        signoff.save_review(request.user, audit, review, via="page")
    except signoff.Refused as refusal:
        return _page_with_problems(request, audit, refusal)
    return redirect_see_other(f"/audits/{audit.pk}#review")


def _reviewer_audit(request: HttpRequest, audit_id: str) -> Audit:
    audit = permissions.audit_for(request.user, audit_id)
    if not permissions.may_review(request.user, audit):
        raise Http404("no such audit")
    return audit


@require_POST
@member_required
def set_aside(request: HttpRequest, audit_id: str) -> HttpResponse:
    audit = _reviewer_audit(request, audit_id)
    rule_id, _, rest = str(request.POST.get("finding", "")).partition("|")
    subject_type, _, subject_id = rest.partition("|")
    current = signoff.review_of(audit).model_dump(mode="json")
    current["set_aside"].append(
        {
            "rule_id": rule_id,
            "subject": {"type": subject_type, "id": subject_id},
            "reason": str(request.POST.get("reason", "")),
        }
    )
    try:
        review = signoff.parse_review(current)
    except signoff.Refused as refusal:
        return _page_with_problems(request, audit, refusal)
    return _save(request, audit, review)


@require_POST
@member_required
def add_finding(request: HttpRequest, audit_id: str) -> HttpResponse:
    audit = _reviewer_audit(request, audit_id)
    post = request.POST
    subjects = [part for part in str(post.get("subjects", "")).replace(",", " ").split() if part]
    current = signoff.review_of(audit).model_dump(mode="json")
    paragraph = str(post.get("paragraph", ""))
    current["added"].append(
        {
            "paragraph": int(paragraph) if paragraph.isdigit() else paragraph,
            "severity": str(post.get("severity", "")),
            "subject_type": str(post.get("subject_type", "agency")),
            "subjects": subjects,
            "finding": str(post.get("finding", "")),
            "evidence": str(post.get("evidence", "")),
            "confidential": post.get("confidential") == "on",
        }
    )
    try:
        review = signoff.parse_review(current)
    except signoff.Refused as refusal:
        return _page_with_problems(request, audit, refusal)
    return _save(request, audit, review)


@require_POST
@member_required
def remove_item(request: HttpRequest, audit_id: str) -> HttpResponse:
    """Take one set-aside or added finding out of the review (a new review without it)."""
    audit = _reviewer_audit(request, audit_id)
    kind = str(request.POST.get("kind", ""))
    index = str(request.POST.get("index", ""))
    current = signoff.review_of(audit).model_dump(mode="json")
    items = current.get(kind) if kind in ("set_aside", "added") else None
    if items is None or not index.isdigit() or int(index) >= len(items):
        return message(request, _("Nothing removed"), _("The review has no such item."), status=400)
    del items[int(index)]
    return _save(request, audit, Review.model_validate(current))


def _issuer_audit(request: HttpRequest, audit_id: str) -> Audit:
    audit = permissions.audit_for(request.user, audit_id)
    if not permissions.may_issue(request.user, audit):
        raise Http404("no such audit")
    return audit


def _due_summary(due: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The due dates an issue sets, grouped: how many orders of which severity fall due when."""
    counted = Counter((item["due"], item["severity"], item.get("basis", "issue")) for item in due)
    return [
        {"due": day, "severity": severity, "count": count, "kept": basis != "issue"}
        for (day, severity, basis), count in sorted(counted.items())
    ]


@require_POST
@member_required
def issue(request: HttpRequest, audit_id: str) -> HttpResponse:
    audit = _issuer_audit(request, audit_id)
    if audit.status != Status.DONE:
        return message(request, _("Not issued"), _("Only a done audit can be issued."), status=409)
    done = signoff.record_of(audit)
    if done is not None:
        return message(request, _("Already issued"), _("This audit was issued before."), status=409)
    reason = str(request.POST.get("supersede_reason", "")).strip()
    if request.POST.get("confirm") == "yes":
        body: dict[str, Any] = {"issued_on": str(request.POST.get("issued_on", "")) or None}
        if reason:
            body["supersede_reason"] = reason
        body = {key: value for key, value in body.items() if value is not None}
        try:
            signoff.issue(request.user, audit, body, via="page")
        except signoff.Refused as refusal:
            return _confirm_page(request, audit, refusal, reason)
        return redirect_see_other(f"/audits/{audit.pk}")
    return _confirm_page(request, audit, None, reason)


def _confirm_page(
    request: HttpRequest, audit: Audit, refusal: signoff.Refused | None, reason: str
) -> HttpResponse:
    try:
        plan = signoff.plan(audit, request.user)
    except signoff.Refused as problem:
        return _page_with_problems(request, audit, problem)
    context = {
        "audit": audit,
        "plan": plan,
        "due_groups": _due_summary(plan.due),
        "refusal": refusal,
        "reason": reason,
        "min_reason": MIN_REASON,
        "review": signoff.review_of(audit).model_dump(mode="json"),
    }
    status = refusal.status if refusal is not None else 200
    return render(request, "service/issue_confirm.html", context, status=status)


@require_POST
@member_required
def withdraw(request: HttpRequest, audit_id: str) -> HttpResponse:
    audit = _issuer_audit(request, audit_id)
    try:
        signoff.withdraw(request.user, audit, request.POST.get("reason", ""), via="page")
    except signoff.Refused as refusal:
        return _page_with_problems(request, audit, refusal)
    return redirect_see_other(f"/audits/{audit.pk}")
