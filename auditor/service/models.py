"""What the service keeps: offices, memberships, API tokens, audits, who accessed them,
the inspector's reviews and the issued reports' records.

Every audit belongs to the office its uploader belonged to at upload time
(``web.md``), and every query for audits goes through
:meth:`AuditQuerySet.visible_to`, so no page or API path can forget the
office scope. Ids in URLs are random UUIDs (version 4).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from typing import Any, ClassVar, NoReturn
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from auditor.service.languages import PAGE_LANGUAGES


class Role(models.TextChoices):
    INSPECTOR = "inspector"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class Status(models.TextChoices):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    INVALID = "invalid"
    FAILED = "failed"
    #: 1.1: the job found a live audit of the office with the same canonical dataset.
    DUPLICATE = "duplicate"


#: An upload with the same key as an audit in one of these states gives that audit back.
LIVE_STATUSES = (Status.QUEUED, Status.RUNNING, Status.DONE)
FINAL_STATUSES = (Status.DONE, Status.INVALID, Status.FAILED, Status.DUPLICATE)
#: Issue 25: uploads an inspector may take off the list. Never a done one: it has reports.
REMOVABLE_STATUSES = (Status.INVALID, Status.FAILED)


class Office(models.Model):
    """An inspectorate office: the unit audits are shared within."""

    code = models.CharField(max_length=64, unique=True)
    #: The display name printed on issued reports ("Region IV-A office").
    name = models.CharField(max_length=200)
    #: The IANA zone (``Asia/Kathmandu``) its pages show times in and its issue dates are taken in.
    time_zone = models.CharField(max_length=64, default="UTC")
    #: The pages' language for its members whose browser asks for none the pages have (and
    #: who chose none themselves): web.md, "The pages' language".
    language = models.CharField(max_length=8, default="en", choices=PAGE_LANGUAGES)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.code

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def today(self) -> dt.date:
        """The office's date now: a report is issued on the day it is where the office is."""
        return timezone.now().astimezone(self.zone).date()


class Membership(models.Model):
    """A user's one office and role (Django's own user keeps the name and password)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="members")
    role = models.CharField(max_length=16, choices=Role.choices)
    #: The user's own language for the pages, chosen on /language; empty: not chosen (her
    #: browser's, else her office's). It comes first (web.md, "The pages' language").
    language = models.CharField(max_length=8, blank=True, default="", choices=PAGE_LANGUAGES)

    @property
    def is_supervisor(self) -> bool:
        return self.role in (Role.SUPERVISOR, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def issue(self, user: Any, expires_at: Any = None) -> str:
        """A new token for ``user``: the token itself is returned once and kept only as a digest."""
        token = "aud_" + secrets.token_urlsafe(32)
        self.create(
            user=user, digest=_token_digest(token), prefix=token[:10], expires_at=expires_at
        )
        return token

    def user_for(self, token: str) -> Any | None:
        """The active user a token acts as, or ``None`` (unknown, revoked, or user disabled)."""
        found = (
            self.filter(digest=_token_digest(token), revoked_at__isnull=True)
            .exclude(expires_at__lte=timezone.now())
            .select_related("user", "user__membership")
            .first()
        )
        if found is None or not found.user.is_active:
            return None
        return found.user


class ApiToken(models.Model):
    """An API token, stored as its SHA-256 (a random 256-bit token needs no slow hash)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=16)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    #: Optional: the token stops working then (rotation without downtime).
    expires_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[ApiTokenQuerySet] = ApiTokenQuerySet.as_manager()


class AuditQuerySet(models.QuerySet["Audit"]):
    def visible_to(self, user: Any) -> AuditQuerySet:
        """The audits ``user`` may see: their office's, or every office's for an admin."""
        membership = getattr(user, "membership", None) if user.is_authenticated else None
        if membership is None or not user.is_active:
            return self.none()
        if membership.is_admin:
            return self.all()
        return self.filter(office_id=membership.office_id)

    def listing(self) -> AuditQuerySet:
        """For lists: without the columns only one audit's own page shows (web.md 1.1)."""
        return self.defer(*LIST_DEFERRED)


#: Columns a list never shows, and that may be large: an invalid upload's problems.
LIST_DEFERRED = ("problems", "problem_counts", "error")


class Audit(models.Model):
    """One upload and its audit. The row, not the queue, is the truth about a job."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="audits")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="uploads"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    #: The day of the upload: the service checks plausible dates against it.
    upload_day = models.DateField()

    # What was uploaded: stored content-addressed; the name is shown, never used as a path.
    source_kind = models.CharField(max_length=16)  # "workbook" or "dataset"
    source_name = models.CharField(max_length=255, blank=True)
    source_suffix = models.CharField(max_length=8)
    blob_sha256 = models.CharField(max_length=64)
    size = models.BigIntegerField()

    # The idempotency key of web.md: office, input digest, jurisdiction, rule pack.
    input_sha256 = models.CharField(max_length=64)
    jurisdiction_requested = models.CharField(max_length=32, blank=True)
    ruleset_version = models.CharField(max_length=128)
    idempotency_key = models.CharField(max_length=64)

    # The job.
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    #: ``host:pid`` of the job worker that last claimed the audit (operators' record).
    worker = models.CharField(max_length=128, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    problems = models.JSONField(null=True, blank=True)
    #: 1.1: ``problems`` holds the first 1,000; these say how many of each code there were.
    problems_truncated = models.BooleanField(default=False)
    problem_counts = models.JSONField(null=True, blank=True)
    #: 1.1: the job's key (canonical dataset less jurisdiction, resolved jurisdiction, pack)
    #: and, for a ``duplicate``, the live audit that has it.
    canonical_key = models.CharField(max_length=64, blank=True, db_index=True)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )

    # What the audit found, copied from the result for lists and filters.
    audit_code = models.CharField(max_length=255, blank=True)
    agency_name = models.CharField(max_length=255, blank=True)
    agency_licence = models.CharField(max_length=255, blank=True, db_index=True)
    inspection_date = models.DateField(null=True, blank=True)
    jurisdiction = models.CharField(max_length=32, blank=True)
    score = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    rating = models.CharField(max_length=16, blank=True, db_index=True)
    provisional = models.BooleanField(null=True)
    engine_version = models.CharField(max_length=64, blank=True)
    follow_up_of = models.CharField(max_length=255, blank=True)
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="follow_ups"
    )

    # Sign-off.
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issued_audits",
    )
    #: Its issued report was withdrawn: the upload key no longer finds it (audit-output.md 1.2).
    withdrawn = models.BooleanField(default=False)

    #: Issue 25: an invalid or failed upload an inspector took off the office's list. The row
    #: stays (who and when here, and an Access row ``remove``); "show removed" lists it again.
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="removed_audits",
    )

    objects: ClassVar[AuditQuerySet] = AuditQuerySet.as_manager()

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at", "id"]
        constraints: ClassVar[list[Any]] = [
            # A retry, even one racing the first request, never makes a second live audit.
            models.UniqueConstraint(
                fields=["office", "idempotency_key"],
                condition=Q(status__in=["queued", "running", "done"], withdrawn=False),
                name="one_live_audit_per_upload_key_unwithdrawn",
            ),
            # 1.1: one done audit per canonical dataset in an office; a later one that
            # finishes with the same key ends ``duplicate``, even in a race.
            models.UniqueConstraint(
                fields=["office", "canonical_key"],
                condition=Q(status="done", withdrawn=False) & ~Q(canonical_key=""),
                name="one_done_audit_per_canonical_key",
            ),
        ]
        indexes: ClassVar[list[Any]] = [
            # Fair queueing looks up each office's queued work and its last start.
            models.Index(fields=["status", "office", "created_at"], name="audit_queue_by_office"),
        ]

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES


class Access(models.Model):
    """A report downloaded, an audit page viewed, an audit issued, or an upload removed from
    the list: who, when, which audit, which copy.

    Issue 25: the audit page shows the same worker ids and evidence as the reports, so a view
    of it is recorded as a download is (``view``, file ``page``).
    """

    class Kind(models.TextChoices):
        DOWNLOAD = "download"
        ISSUE = "issue"
        REVIEW = "review"
        WITHDRAW = "withdraw"
        VIEW = "view"
        REMOVE = "remove"

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="accesses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    #: Which copy (``inspector`` or ``agency``) and which file (``pdf``, ``json``, ``xlsx``).
    copy = models.CharField(max_length=16, blank=True)
    file = models.CharField(max_length=16, blank=True)
    via = models.CharField(max_length=8)  # "page" or "api"

    class Meta:
        ordering: ClassVar[list[str]] = ["-at", "-id"]


class LoginThrottle(models.Model):
    """Failed log-ins for one key (a normalised name at an address, or an address): the next
    attempt is allowed from ``next_at``, later after each failure (backoff, never lockout)."""

    key = models.CharField(max_length=255, unique=True)
    failures = models.PositiveIntegerField(default=0)
    next_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True, db_index=True)


class Review(models.Model):
    """One saved review of a done audit (audit-output.md 1.2): set-asides and added findings.

    A new review replaces the previous one by being newer: rows are never updated, so the
    accesses record can show every review and who wrote it.
    """

    audit = models.ForeignKey(Audit, on_delete=models.PROTECT, related_name="reviews")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    at = models.DateTimeField(auto_now_add=True)
    #: ``{"set_aside": [...], "added": [...]}`` as the library validated it.
    body = models.JSONField()
    digest = models.CharField(max_length=64)

    class Meta:
        ordering: ClassVar[list[str]] = ["-at", "-id"]


class IssueState(models.TextChoices):
    ISSUED = "issued"
    SUPERSEDED = "superseded"
    WITHDRAWN = "withdrawn"


class NeverDeleted(Exception):
    """Nothing issued is ever deleted (audit-output.md 1.2)."""


class IssueRecordQuerySet(models.QuerySet["IssueRecord"]):
    def delete(self) -> NoReturn:
        raise NeverDeleted("issued reports are never deleted")


class IssueRecord(models.Model):
    """An issued report: the ``audit-issue/1`` record as attached, and what became of it.

    At most one record per (office, ``audit_id``) is current (``issued``): a unique
    constraint, so two supervisors issuing at once cannot both succeed. A superseded or
    withdrawn record stays, with the reason, for verification.
    """

    audit = models.OneToOneField(Audit, on_delete=models.PROTECT, related_name="issue_record")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="issued")
    #: The workbook's ``audit_id``: the reference number there is one current report of.
    audit_code = models.CharField(max_length=255)
    verification_code = models.CharField(max_length=32, unique=True)
    issued_on = models.DateField()
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="issue_records"
    )
    #: The record's JSON exactly as the inspector's copy attaches it, and the agency's.
    record = models.TextField()
    agency_record = models.TextField()
    review = models.ForeignKey(Review, null=True, blank=True, on_delete=models.PROTECT)
    #: The languages its PDFs were rendered in at issue, each copy in each (issue 27); empty
    #: for a record issued before: English.
    languages = models.JSONField(default=list, blank=True)

    state = models.CharField(
        max_length=16, choices=IssueState.choices, default=IssueState.ISSUED, db_index=True
    )
    supersedes = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    supersede_reason = models.TextField(blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="withdrawn_records",
    )
    withdrawal_reason = models.TextField(blank=True)

    # The issued PDFs, rendered once in a job.
    render_enqueued_at = models.DateTimeField(null=True, blank=True)
    render_claimed_at = models.DateTimeField(null=True, blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    render_error = models.TextField(blank=True)

    objects: ClassVar[IssueRecordQuerySet] = IssueRecordQuerySet.as_manager()

    class Meta:
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(
                fields=["office", "audit_code"],
                condition=Q(state="issued"),
                name="one_current_issued_report_per_reference",
            )
        ]

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise NeverDeleted("issued reports are never deleted")

    @property
    def issued_languages(self) -> tuple[str, ...]:
        """The languages its PDFs were rendered in at issue (English for an older record)."""
        return tuple(str(code) for code in self.languages) or ("en",)

    @property
    def successor(self) -> IssueRecord | None:
        """The record that superseded this one, if any."""
        try:
            found: IssueRecord = self.superseded_by
        except IssueRecord.DoesNotExist:
            return None
        return found


class VerifyRequest(models.Model):
    """A request to the public ``/verify`` page, kept a minute so it can be rate-limited."""

    address = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
