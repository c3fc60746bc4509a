"""Accepting an upload: stored and its job row written before the request answers.

Both the upload page and ``POST /api/v1/audits`` come here. The byte size
is checked before anything is stored (413, nothing kept: see
:mod:`auditor.service.middleware`); the upload is stored by content; the
row is committed; then the job is queued. An upload whose key (office,
input digest, jurisdiction, rule pack) matches a live audit of the office
gives that audit back instead, so a retry never makes a second audit.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from auditor.errors import UsageError
from auditor.ingest.load import profiles_for
from auditor.pipeline import rule_pack
from auditor.pipeline.logs import log_event
from auditor.service import jobs
from auditor.service.models import LIVE_STATUSES, Audit, Status
from auditor.service.storage import safe_suffix, store_upload


@dataclass(frozen=True)
class Accepted:
    audit: Audit
    created: bool


def current_ruleset_version() -> str:
    """The version of the rule pack in force, as results record it."""
    return rule_pack().version


def checked_jurisdiction(value: str | None) -> str:
    """An explicit jurisdiction as given (empty: the workbook's own), or :class:`UsageError`."""
    value = (value or "").strip()
    if not value:
        return ""
    profiles = profiles_for(None)
    if value not in profiles:
        raise UsageError(
            f"there is no jurisdiction profile {value!r}; use one of {', '.join(profiles.ids())}, "
            "or leave it empty for the workbook's own"
        )
    profile = profiles.get(value)
    assert profile is not None
    return profile.id


class QueueFull(Exception):
    """The office holds :attr:`ServiceConfig.max_queued` queued uploads already (429)."""


def check_queue(user: Any) -> None:
    """Refuse an upload, before a byte of it is read, while its office's queue is full: one
    office's burst may not grow the queue without bound (web.md 1.1, fair use)."""
    office_id = user.membership.office_id
    queued = Audit.objects.filter(office_id=office_id, status=Status.QUEUED).count()
    if queued >= jobs.CONFIG.max_queued:
        raise QueueFull(
            f"your office has {queued} uploads waiting to be audited, the most it may have; "
            "send this one again when some of them are done"
        )


def accept_workbook(user: Any, chunks: Iterable[bytes], name: str, jurisdiction: str) -> Accepted:
    """A workbook file: stored, and its audit queued (or the live one with the same key)."""
    config = jobs.CONFIG
    suffix = safe_suffix(name)
    sha256, size = store_upload(config, chunks, suffix)
    return _accept(
        user,
        kind="workbook",
        name=_shown_name(name),
        suffix=suffix,
        blob_sha256=sha256,
        size=size,
        input_sha256=sha256,
        jurisdiction=jurisdiction,
    )


def accept_dataset(user: Any, chunks: Iterable[bytes], jurisdiction: str) -> Accepted:
    """A dataset in the dict form, stored as sent and keyed by the digest of its bytes; the job
    parses it, and finds the audit it duplicates, if any (web.md 1.1: the request answers at
    once, whatever the body)."""
    config = jobs.CONFIG
    sha256, size = store_upload(config, chunks, ".json")
    return _accept(
        user,
        kind="dataset",
        name="dataset.json",
        suffix=".json",
        blob_sha256=sha256,
        size=size,
        input_sha256=sha256,
        jurisdiction=jurisdiction,
    )


def _shown_name(name: str) -> str:
    """The file's own name for people to read: no folders, no control characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in base if ch.isprintable())[:200]


def _accept(
    user: Any,
    *,
    kind: str,
    name: str,
    suffix: str,
    blob_sha256: str,
    size: int,
    input_sha256: str,
    jurisdiction: str,
) -> Accepted:
    office = user.membership.office
    version = current_ruleset_version()
    key = hashlib.sha256(f"{input_sha256}\0{jurisdiction}\0{version}".encode()).hexdigest()
    existing = _live(office, key, input_sha256, jurisdiction, version)
    if existing is not None:
        return Accepted(existing, created=False)
    try:
        with transaction.atomic():
            audit = Audit.objects.create(
                office=office,
                uploaded_by=user,
                upload_day=timezone.now().date(),
                source_kind=kind,
                source_name=name,
                source_suffix=suffix,
                blob_sha256=blob_sha256,
                size=size,
                input_sha256=input_sha256,
                jurisdiction_requested=jurisdiction,
                ruleset_version=version,
                idempotency_key=key,
                status=Status.QUEUED,
            )
    except IntegrityError:
        # A concurrent retry committed first: the unique index chose it.
        existing = _live(office, key, input_sha256, jurisdiction, version)
        if existing is None:
            raise
        return Accepted(existing, created=False)
    log_event(
        "upload.accepted",
        {
            "audit": str(audit.pk),
            "user": user.pk,
            "kind": kind,
            "bytes": size,
            "input_sha256": input_sha256,
        },
    )
    jobs.enqueue(str(audit.pk))
    return Accepted(audit, created=True)


def _live(
    office: Any, key: str, input_sha256: str, jurisdiction: str, version: str
) -> Audit | None:
    """The office's live audit with this key; an explicit jurisdiction also matches an audit
    that resolved the workbook's own jurisdiction to the same profile."""
    # A withdrawn report's audit is never a match: the same bytes make a new audit.
    live = Audit.objects.filter(office=office, status__in=LIVE_STATUSES, withdrawn=False)
    found = live.filter(idempotency_key=key).first()
    if found is None and jurisdiction:
        found = live.filter(
            input_sha256=input_sha256,
            ruleset_version=version,
            jurisdiction_requested="",
            jurisdiction__iexact=jurisdiction,
        ).first()
    return found if isinstance(found, Audit) else None
