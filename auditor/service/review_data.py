"""What the audit page shows of the inspector's review and of the issued report."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext

from auditor.issuing import Review
from auditor.issuing.record import MIN_REASON, PARAGRAPHS
from auditor.model.enums import SubjectType
from auditor.service import permissions, signoff
from auditor.service.models import Audit, Status
from auditor.service.templatetags.page_words import word

SEVERITIES = ("critical", "high", "medium", "low")


def review_context(
    request: HttpRequest, audit: Audit, result: dict[str, Any] | None
) -> dict[str, Any]:
    """What the audit page shows of the review, the issue and the forms the user may use."""
    record = signoff.record_of(audit)
    row = signoff.current_review(audit)
    review = Review.model_validate(row.body) if row is not None else Review()
    context: dict[str, Any] = {
        "review": review.model_dump(mode="json"),
        "review_row": row,
        "record": record,
        "may_review": permissions.may_review(request.user, audit)
        and record is None
        and audit.status == Status.DONE,
        "may_issue": permissions.may_issue(request.user, audit),
        "min_reason": MIN_REASON,
        "paragraphs": PARAGRAPHS,
        "severities": SEVERITIES,
        "subject_types": [t.value for t in SubjectType],
        "findings_to_set_aside": _findings(result, review),
    }
    if record is not None:
        context["issue"] = signoff.issue_document(record)
        context["successor"] = record.successor
        context["predecessor"] = record.supersedes
    return context


def _findings(result: dict[str, Any] | None, review: Review) -> list[dict[str, str]]:
    """The engine's findings not yet set aside, as choices ``RULE|type|id``."""
    if result is None:
        return []
    aside = {(s.rule_id, s.subject.type.value, s.subject.id) for s in review.set_aside}
    choices = []
    for finding in result.get("findings", []):
        subject = finding.get("subject") or {}
        key = (str(finding["rule_id"]), str(subject.get("type", "")), str(subject.get("id", "")))
        if key in aside:
            continue
        # The agency by a word of the page's language, never its audit id; another subject
        # by its type and id (codes); the severity in the page's language.
        about = gettext("the agency") if key[1] == "agency" else f"{key[1]} {key[2]}"
        severity = word(finding.get("severity", ""))
        choices.append({"value": "|".join(key), "label": f"{key[0]} ({severity}): {about}"})
    return choices
