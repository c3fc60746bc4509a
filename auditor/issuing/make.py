"""Making the issue record of one audit, and the record each copy attaches.

The record is made whole before anything is rendered or written: a review
that breaks its rules or an issue date out of range raises
:class:`~auditor.issuing.dates.IssueError` and nothing is issued.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict

from auditor.issuing.dates import IssueError, check_issue_date, due_date
from auditor.issuing.record import (
    MIN_REASON,
    Due,
    IssuedBy,
    IssueRecord,
    RecordedSetAside,
    Review,
    ReviewSubject,
    Supersedes,
    WithheldCounts,
    new_verification_code,
)
from auditor.issuing.review import apply_review, validate_review
from auditor.model.enums import Severity
from auditor.render import Copy, render_json
from auditor.render.copies import confidential_rules
from auditor.render.view import persisting_dues
from auditor.verdict.inspection import Inspection


def make_issue_record(
    inspection: Inspection,
    review: Review | None = None,
    *,
    issued_on: dt.date,
    issued_by: IssuedBy,
    office: str,
    today: dt.date | None = None,
    supersedes: Supersedes | None = None,
    verification_code: str | None = None,
    verify_url: str | None = None,
    signer_certificate_sha256: str | None = None,
    supervisor: bool = True,
) -> IssueRecord:
    """The inspector's issue record of ``inspection`` issued on ``issued_on``.

    ``today`` (the office's today; the system's when ``None``) bounds the
    issue date; ``verify_url`` is the base of the service's public page
    (``AUDITOR_PUBLIC_URL``), and the record's URL is ``<base>/verify/<code>``.
    """
    review = review or Review()
    result = inspection.result
    check_issue_date(issued_on, result.inspection_date, today or dt.date.today())
    problems = validate_review(result, review, supervisor=supervisor)
    if problems:
        raise IssueError(
            "invalid_review",
            "the review cannot be issued: " + "; ".join(str(p) for p in problems),
            tuple(problems),
        )
    if not issued_by.name.strip() or not issued_by.title.strip() or not office.strip():
        raise IssueError(
            "missing_issuer", "an issue needs the issuer's name and title and the office"
        )
    if supersedes is not None and len(supersedes.reason.strip()) < MIN_REASON:
        raise IssueError(
            "reason_too_short",
            f"the reason for superseding must be at least {MIN_REASON} characters",
        )
    reviewed = apply_review(result, review, inspection.profile.weights)
    code = verification_code or new_verification_code()
    kept = persisting_dues(inspection)
    dues: list[Due] = []
    for finding in reviewed.result.findings:
        key = (finding.rule_id, finding.subject.type.value, finding.subject.id)
        subject = ReviewSubject(type=finding.subject.type, id=finding.subject.id)
        if key in kept:
            dues.append(Due(rule_id=finding.rule_id, subject=subject, severity=finding.severity,
                            due=kept[key], basis="previous_issue"))  # fmt: skip
        elif finding.severity is not Severity.LOW:
            dues.append(Due(rule_id=finding.rule_id, subject=subject, severity=finding.severity,
                            due=due_date(finding.severity, issued_on)))  # fmt: skip
    for added in reviewed.added:
        if added.severity is Severity.LOW:
            continue
        for subject_id in added.subjects:
            dues.append(
                Due(
                    rule_id=added.rule_id,
                    subject=ReviewSubject(type=added.subject_type, id=subject_id),
                    severity=added.severity,
                    due=due_date(added.severity, issued_on),
                )
            )
    return IssueRecord(
        audit_id=result.audit_id,
        agency_name=result.agency_name,
        inspection_date=result.inspection_date,
        input_sha256=result.input_sha256,
        ruleset_version=result.ruleset_version,
        result_sha256={
            copy.value: hashlib.sha256(render_json(inspection, copy)).hexdigest() for copy in Copy
        },
        issued_on=issued_on,
        issued_by=IssuedBy(name=issued_by.name.strip(), title=issued_by.title.strip()),
        office=office.strip(),
        verification_code=code,
        verify_url=f"{verify_url.rstrip('/')}/verify/{code}" if verify_url else None,
        signed=signer_certificate_sha256 is not None,
        signer_certificate_sha256=signer_certificate_sha256,
        supersedes=supersedes,
        set_aside=tuple(
            RecordedSetAside(rule_id=s.rule_id, subject=s.subject, reason=s.reason.strip())
            for s in review.set_aside
        ),
        added=reviewed.added,
        due=tuple(dues),
        reviewed=reviewed.reviewed,
    )


def record_for(record: IssueRecord, copy: Copy, confidential: frozenset[str]) -> IssueRecord:
    """The record a copy attaches: the agency's counts what concerns confidential rules.

    Set-asides of confidential rules and added findings marked confidential
    appear only as counts (``withheld``), and the due dates of confidential
    orders lose their subjects, one entry per rule and date with a count.
    """
    if copy is Copy.INSPECTOR:
        return record
    set_aside = tuple(s for s in record.set_aside if s.rule_id not in confidential)
    added = tuple(a for a in record.added if not a.confidential)
    hidden_rules = confidential | {a.rule_id for a in record.added if a.confidential}
    dues = [d for d in record.due if d.rule_id not in hidden_rules]
    grouped: dict[tuple[str, Severity, dt.date | None, str], int] = defaultdict(int)
    for item in record.due:
        if item.rule_id in hidden_rules:
            grouped[(item.rule_id, item.severity, item.due, item.basis)] += item.count
    for (rule_id, severity, due, basis), count in sorted(
        grouped.items(), key=lambda pair: (pair[0][0], pair[0][2] or dt.date.max)
    ):
        dues.append(
            Due(rule_id=rule_id, subject=None, severity=severity, due=due, basis=basis, count=count)
        )
    return record.model_copy(
        update={
            "for_copy": "agency",
            "set_aside": set_aside,
            "added": added,
            "due": tuple(dues),
            "withheld": WithheldCounts(
                set_aside=len(record.set_aside) - len(set_aside),
                added=len(record.added) - len(added),
            ),
        }
    )


def confidential_of(inspection: Inspection) -> frozenset[str]:
    return confidential_rules(inspection.pack)
