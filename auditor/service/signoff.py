"""The service's side of issuing (web.md 1.1, audit-output.md 1.2): review, issue, withdraw.

The library (:mod:`auditor.issuing`) checks reviews, computes the reviewed
view and makes the ``audit-issue/1`` record; this module decides who may do
what, keeps the rows, and keeps the promise of "one reference number, one
issued report": the record is written in one transaction whose unique
constraint (one ``issued`` record per office and ``audit_id``) makes two
supervisors issuing at once get one success and one refusal. The issued
PDFs are rendered afterwards, in a job (:func:`auditor.service.jobs.enqueue_render`); drafts
and workbooks are :mod:`auditor.service.rendered`'s.

Every refusal is a :class:`Refused` with the HTTP status, the stable code of
web.md's "Settled" list, a sentence, and the located problems when a body
broke its rules; pages and API show the same refusal their own way.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from pydantic import ValidationError

from auditor.errors import UsageError
from auditor.issuing import IssueRecord as RecordDocument
from auditor.issuing import Review, new_verification_code, validate_review
from auditor.issuing.record import MIN_REASON
from auditor.model.result import AuditResult
from auditor.runner.isolation import run_audit_isolated
from auditor.service import jobs
from auditor.service.issued_reports import (
    RecordOrder,
    Refusal,
    Source,
    make_records,
)
from auditor.service.models import (
    Access,
    Audit,
    IssueRecord,
    IssueState,
    Role,
    Status,
)
from auditor.service.models import Review as ReviewRow
from auditor.service.report_languages import issue_languages, language_problems
from auditor.service.storage import report_path, upload_path

_log = logging.getLogger("auditor.service")

#: The Issue button warns when the inspection is longer ago than this (web.md 1.1).
STALE_INSPECTION_DAYS = 60
#: The title printed after the issuer's name: the service issues as the office's supervisor.
ISSUER_TITLE = "Supervisor"


@dataclass
class Refused(Exception):
    """An action the rules do not allow: HTTP status, stable code, sentence, problems."""

    status: int
    code: str
    message: str
    problems: list[dict[str, str]] = field(default_factory=list)
    #: The issue record's document, for ``already_issued``.
    record: dict[str, Any] | None = None

    def body(self) -> dict[str, Any]:
        found: dict[str, Any] = {"error": self.message, "code": self.code}
        if self.problems:
            found["problems"] = self.problems
        if self.record is not None:
            found["issue"] = self.record
        return found


def _problem(location: str, code: str, message: str) -> dict[str, str]:
    """A problem document, as ``auditor validate`` prints one (the problems schema)."""
    return {"location": location, "code": code, "severity": "error", "message": message}


# -- reading what is stored ------------------------------------------------------------------


def result_bytes(audit: Audit, copy: str = "inspector") -> bytes:
    return report_path(jobs.CONFIG, str(audit.pk), "json", copy).read_bytes()


def engine_result(audit: Audit) -> AuditResult:
    """The engine's own result as the job stored it (never changed by a review)."""
    return AuditResult.model_validate_json(result_bytes(audit))


def current_review(audit: Audit) -> ReviewRow | None:
    """The audit's review in force: the newest saved one."""
    return ReviewRow.objects.filter(audit=audit).select_related("author").first()


def review_of(audit: Audit) -> Review:
    row = current_review(audit)
    return Review.model_validate(row.body) if row is not None else Review()


def record_of(audit: Audit) -> IssueRecord | None:
    return (
        IssueRecord.objects.filter(audit=audit)
        .select_related("office", "issued_by", "supersedes", "superseded_by")
        .first()
    )


def issue_document(record: IssueRecord) -> dict[str, Any]:
    """``issue.json``: the record exactly as attached, plus ``state`` and ``superseded_by``
    (the code of the report that replaced it) from the service (web.md 1.1, Settled)."""
    document: dict[str, Any] = json.loads(record.record)
    successor = record.successor
    document["state"] = record.state
    document["superseded_by"] = successor.verification_code if successor is not None else None
    return document


# -- the review -------------------------------------------------------------------------------


def parse_review(body: object) -> Review:
    """A review from a request body; :class:`Refused` 400 ``invalid_review`` with every
    problem of its shape (missing keys, wrong types, unknown keys)."""
    try:
        return Review.model_validate(body)
    except ValidationError as error:
        problems = [
            _problem(
                ".".join(str(part) for part in item["loc"]) or "body",
                "malformed",
                str(item["msg"]),
            )
            for item in error.errors(include_url=False)
        ]
        raise Refused(400, "invalid_review", "the review breaks its rules", problems) from None


def save_review(user: Any, audit: Audit, review: Review, via: str) -> ReviewRow:
    """Check ``review`` against the audit and make it the audit's review (it replaces the
    previous one); 409 once issued or when not done, 400 ``invalid_review`` with problems."""
    if audit.status != Status.DONE:
        raise Refused(
            409, "conflict", f"the audit is {audit.status}: only a done audit is reviewed"
        )
    if IssueRecord.objects.filter(audit=audit).exists():
        raise Refused(409, "conflict", "the audit was issued: its review can no longer change")
    supervisor = user.membership.role == Role.SUPERVISOR
    problems = validate_review(engine_result(audit), review, supervisor=supervisor)
    if problems:
        raise Refused(
            400,
            "invalid_review",
            "the review breaks its rules",
            [_problem(p.where, p.code, p.message) for p in problems],
        )
    with transaction.atomic():
        if IssueRecord.objects.filter(audit=audit).exists():
            raise Refused(409, "conflict", "the audit was issued: its review can no longer change")
        row = ReviewRow.objects.create(
            audit=audit, author=user, body=review.model_dump(mode="json"), digest=review.digest()
        )
        Access.objects.create(audit=audit, user=user, kind=Access.Kind.REVIEW, via=via)
    return row


def review_document(audit: Audit) -> dict[str, Any]:
    """``GET .../review``: the review in force, who wrote it and when (empty when none)."""
    row = current_review(audit)
    review = Review.model_validate(row.body) if row is not None else Review()
    return {
        **review.model_dump(mode="json"),
        "author": row.author_id if row is not None else None,
        "saved_at": row.at.isoformat() if row is not None else None,
    }


# -- issuing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuePlan:
    """What issuing today would do: for the Issue button's confirmation."""

    issued_on: dt.date
    due: list[dict[str, Any]]
    stale_days: int | None  # days from the inspection to the issue date, when over the limit
    current: IssueRecord | None  # the office's issued report with the same audit_id


def _issuer_name(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())


def source_of(audit: Audit) -> Source:
    """Where the isolated worker makes the audit's inspection again from, with the previous
    audit as it stands now (its issue record; the one that superseded it)."""
    previous_pk, previous_record = _previous_issue(audit)
    return Source(
        upload=str(upload_path(jobs.CONFIG, audit.blob_sha256, audit.source_suffix)),
        is_dataset=audit.source_kind == "dataset",
        jurisdiction=audit.jurisdiction_requested or None,
        day=audit.upload_day,
        previous_result=str(report_path(jobs.CONFIG, previous_pk, "json", "inspector"))
        if previous_pk is not None
        else None,
        previous_issue=previous_record,
        stored_results={
            copy: str(report_path(jobs.CONFIG, str(audit.pk), "json", copy))
            for copy in ("inspector", "agency")
        },
    )


def make_record(
    audit: Audit,
    user: Any,
    *,
    issued_on: dt.date,
    code: str,
    supersedes: IssueRecord | None,
    reason: str | None,
) -> tuple[bytes, bytes]:
    """The inspector's and the agency's ``audit-issue/1`` records, made by the library in an
    isolated worker (it audits the upload again: :mod:`auditor.service.issued_reports`)."""
    order = RecordOrder(
        source=source_of(audit),
        review=review_of(audit).model_dump(mode="json"),
        issued_on=issued_on,
        today=audit.office.today(),
        issuer=(_issuer_name(user), ISSUER_TITLE),
        office_name=audit.office.name,
        office_code=audit.office.code,
        data_dir=str(jobs.CONFIG.data_dir),
        verification_code=code,
        supersedes=None
        if supersedes is None
        else {
            "verification_code": supersedes.verification_code,
            "audit_id": supersedes.audit_code,
            "reason": reason or "",
        },
        verify_url=jobs.CONFIG.public_url,
    )
    try:
        made = run_audit_isolated(make_records, (order,), timeout_s=jobs.CONFIG.audit_timeout_s)
    except UsageError as error:  # the result changed with the rule pack
        raise Refused(409, "conflict", str(error)) from None
    if isinstance(made, Refusal):
        problems = [_problem(*problem) for problem in made.problems] or [
            _problem("issued_on", made.code, made.message)
        ]
        code = "invalid_review" if made.code == "invalid_review" else "invalid_issue"
        raise Refused(400, code, made.message, problems)
    return made


def _previous_issue(audit: Audit) -> tuple[str | None, str | None]:
    """The previous audit the follow-up compares with and its issue record, as they stand
    now: a superseded report is replaced by the one that superseded it (its audit), a
    withdrawn one counts as not issued (audit-output.md 1.2, Settled)."""
    if audit.previous_id is None:
        return None, None
    pk = str(audit.previous_id)
    record = IssueRecord.objects.filter(audit_id=pk).first()
    seen = {pk}
    while record is not None and record.state == IssueState.SUPERSEDED:
        successor = record.successor
        if (
            successor is None
            or successor.state == IssueState.WITHDRAWN
            or str(successor.audit_id) in seen
        ):
            break  # as the job chose it: a withdrawn successor is skipped
        pk = str(successor.audit_id)
        seen.add(pk)
        record = successor
    if record is None or record.state == IssueState.WITHDRAWN:
        return pk, None
    return pk, record.record


def plan(audit: Audit, user: Any) -> IssuePlan:
    """The due dates an issue today would set, and the warnings, without issuing."""
    today = audit.office.today()
    inspector = RecordDocument.model_validate_json(
        make_record(
            audit, user, issued_on=today, code=new_verification_code(), supersedes=None, reason=None
        )[0]
    )
    stale = (today - audit.inspection_date).days if audit.inspection_date else None
    current = current_issued(audit)
    return IssuePlan(
        issued_on=today,
        due=[item.model_dump(mode="json") for item in inspector.due if item.due is not None],
        stale_days=stale if stale is not None and stale > STALE_INSPECTION_DAYS else None,
        current=current,
    )


def _checked_issue_body(audit: Audit, body: dict[str, Any]) -> tuple[dt.date, str | None]:
    """The issue date (the office's today) and the supersede reason, or 400 ``invalid_issue``."""
    problems = []
    today = audit.office.today()
    unknown = sorted(set(body) - {"issued_on", "supersede_reason", "languages"})
    for key in unknown:
        problems.append(_problem(key, "unknown_key", f"{key!r} is not a key of an issue"))
    problems.extend(_problem(*found) for found in language_problems(body.get("languages")))
    given = body.get("issued_on")
    if given is not None:
        try:
            day = dt.date.fromisoformat(given) if isinstance(given, str) else None
        except ValueError:
            day = None
        if day is None:
            problems.append(_problem("issued_on", "malformed", "issued_on is a date, YYYY-MM-DD"))
        elif day != today:
            problems.append(
                _problem(
                    "issued_on",
                    "not_today",
                    f"the service issues on the office's today, {today.isoformat()} "
                    f"({audit.office.time_zone}); {day.isoformat()} is not today",
                )
            )
    reason = body.get("supersede_reason")
    if reason is not None:
        if not isinstance(reason, str) or len(reason.strip()) < MIN_REASON:
            problems.append(
                _problem(
                    "supersede_reason",
                    "reason_too_short",
                    f"a reason to supersede is at least {MIN_REASON} characters",
                )
            )
        else:
            reason = reason.strip()
    if audit.inspection_date is not None and audit.inspection_date > today:
        problems.append(
            _problem(
                "issued_on",
                "before_inspection",
                f"the inspection date {audit.inspection_date.isoformat()} is after today",
            )
        )
    if problems:
        raise Refused(400, "invalid_issue", "the issue breaks its rules", problems)
    return today, reason


def current_issued(audit: Audit) -> IssueRecord | None:
    """The office's current issued report with the audit's ``audit_id``, other than its own."""
    return (
        IssueRecord.objects.filter(
            office_id=audit.office_id, audit_code=audit.audit_code, state=IssueState.ISSUED
        )
        .exclude(audit=audit)
        .select_related("audit")
        .first()
    )


def _check_supersede(audit: Audit, current: IssueRecord | None, reason: str | None) -> None:
    if current is not None and reason is None:
        raise Refused(
            409,
            "conflict",
            f"the office issued report {current.verification_code} with audit_id "
            f"{audit.audit_code} already: give a supersede_reason to replace it",
        )
    if current is None and reason is not None:
        raise Refused(
            400,
            "invalid_issue",
            "the issue breaks its rules",
            [
                _problem(
                    "supersede_reason",
                    "nothing_to_supersede",
                    f"the office has no issued report with audit_id {audit.audit_code}",
                )
            ],
        )
    earlier = current.audit.inspection_date if current is not None else None
    if (
        earlier is not None
        and audit.inspection_date is not None
        and earlier > audit.inspection_date
    ):
        raise Refused(
            400,
            "invalid_issue",
            "the issue breaks its rules",
            [
                _problem(
                    "supersede_reason",
                    "supersedes_later",
                    "a report may not supersede one with a later inspection date "
                    f"({earlier.isoformat()})",
                )
            ],
        )


def _already_issued(audit: Audit) -> Refused | None:
    done = record_of(audit)
    if done is None:
        return None
    return Refused(
        409, "already_issued", "the audit was issued before", record=issue_document(done)
    )


def issue(user: Any, audit: Audit, body: dict[str, Any], via: str) -> IssueRecord:
    """Issue the audit (see the module's docstring); the record, or :class:`Refused`.

    The record is made (seconds: the upload is audited again) before the transaction, so
    the database is locked only to write it; the transaction checks again that nothing
    changed meanwhile, and the unique constraints settle a race.
    """
    if audit.status != Status.DONE:
        raise Refused(409, "conflict", f"the audit is {audit.status}: only a done audit is issued")
    refusal = _already_issued(audit)
    if refusal is not None:
        raise refusal
    issued_on, reason = _checked_issue_body(audit, body)
    current = current_issued(audit)
    _check_supersede(audit, current, reason)
    code = new_verification_code()
    inspector, agency = make_record(
        audit, user, issued_on=issued_on, code=code, supersedes=current, reason=reason
    )
    try:
        with transaction.atomic():
            row = _record_issue(
                user,
                audit,
                via=via,
                issued_on=issued_on,
                reason=reason,
                code=code,
                planned=current,
                records=(inspector, agency),
                languages=issue_languages(body.get("languages"), audit.office),
            )
    except IntegrityError:
        # Another supervisor issued it (or another audit with its audit_id) at the same moment.
        refusal = _already_issued(audit)
        raise refusal or Refused(
            409,
            "conflict",
            f"another report of the office with audit_id {audit.audit_code} was issued at the "
            "same moment",
        ) from None
    transaction.on_commit(lambda: _after_issue(row, current))
    return row


def _after_issue(row: IssueRecord, superseded: IssueRecord | None) -> None:
    """The jobs an issue starts: its PDFs, and the follow-ups whose comparison changes."""
    jobs.enqueue_render(row.pk)
    jobs.enqueue_refresh(str(row.audit_id))
    if superseded is not None:
        jobs.enqueue_refresh(str(superseded.audit_id))


def _record_issue(
    user: Any,
    audit: Audit,
    *,
    via: str,
    issued_on: dt.date,
    reason: str | None,
    code: str,
    planned: IssueRecord | None,
    records: tuple[bytes, bytes],
    languages: tuple[str, ...] = ("en",),
) -> IssueRecord:
    if IssueRecord.objects.filter(audit=audit).exists():
        raise IntegrityError("issued meanwhile")
    current = (
        IssueRecord.objects.select_for_update()
        .filter(office_id=audit.office_id, audit_code=audit.audit_code, state=IssueState.ISSUED)
        .first()
    )
    if (current.pk if current else None) != (planned.pk if planned else None):
        raise IntegrityError("the current report changed meanwhile")
    if current is not None:
        IssueRecord.objects.filter(pk=current.pk).update(state=IssueState.SUPERSEDED)
    row = IssueRecord.objects.create(
        audit=audit,
        office_id=audit.office_id,
        audit_code=audit.audit_code,
        verification_code=code,
        issued_on=issued_on,
        issued_by=user,
        record=records[0].decode("utf-8"),
        agency_record=records[1].decode("utf-8"),
        review=current_review(audit),
        supersedes=current,
        supersede_reason=reason or "",
        languages=list(languages),
    )
    changed = Audit.objects.filter(pk=audit.pk, issued_at__isnull=True).update(
        issued_at=row.issued_at, issued_by=user
    )
    if not changed:
        raise IntegrityError("issued meanwhile")
    Access.objects.create(audit=audit, user=user, kind=Access.Kind.ISSUE, via=via)
    return row


def withdraw(user: Any, audit: Audit, reason: object, via: str) -> IssueRecord:
    """Withdraw the audit's issued report with a reason: it stays stored, its verification
    says withdrawn. 409 when not issued or no longer current; 400 for a short reason."""
    record = record_of(audit)
    if record is None:
        raise Refused(409, "conflict", "the audit is not issued: there is nothing to withdraw")
    if not isinstance(reason, str) or len(reason.strip()) < MIN_REASON:
        raise Refused(
            400,
            "invalid_issue",
            "the withdrawal breaks its rules",
            [
                _problem(
                    "reason",
                    "reason_too_short",
                    f"a reason to withdraw is at least {MIN_REASON} characters",
                )
            ],
        )
    with transaction.atomic():
        changed = IssueRecord.objects.filter(pk=record.pk, state=IssueState.ISSUED).update(
            state=IssueState.WITHDRAWN,
            withdrawn_at=timezone.now(),
            withdrawn_by=user,
            withdrawal_reason=reason.strip(),
        )
        if not changed:
            raise Refused(
                409, "conflict", f"the report is {record.state}: only a current one is withdrawn"
            )
        Audit.objects.filter(pk=audit.pk).update(withdrawn=True)
        transaction.on_commit(lambda: jobs.enqueue_refresh(str(audit.pk)))
        Access.objects.create(audit=audit, user=user, kind=Access.Kind.WITHDRAW, via=via)
    record.refresh_from_db()
    return record
