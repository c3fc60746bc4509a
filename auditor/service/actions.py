"""What both the pages and the API do to an audit: download a report, issue it.

Each records an :class:`~auditor.service.models.Access` row, so a
supervisor sees who took which copy of which audit, and when.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import FileResponse, Http404
from django.utils import timezone

from auditor.render import safe_name
from auditor.service import jobs
from auditor.service.models import Access, Audit, Status
from auditor.service.storage import report_path

#: Content types and file-name endings of the reports, by kind.
_TYPES = {
    "pdf": ("application/pdf", "pdf"),
    "json": ("application/json", "json"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}
COPIES = ("inspector", "agency")


class AlreadyIssued(Exception):
    """The audit was issued before; it cannot be issued twice."""


class NotReady(Exception):
    """The audit has no reports (yet, or ever: it is invalid or failed)."""


def download_name(audit: Audit, kind: str, copy: str) -> str:
    """The file name of ``audit-output.md``: the safe audit id, ``.agency`` for that copy."""
    ending = _TYPES[kind][1]
    middle = ".agency" if copy == "agency" else ""
    return f"{safe_name(audit.audit_code or str(audit.pk))}{middle}.{ending}"


def download(user: Any, audit: Audit, kind: str, copy: str, via: str) -> FileResponse:
    """The report file as an attachment, its download recorded."""
    if audit.status != Status.DONE:
        raise NotReady()
    path = report_path(jobs.CONFIG, str(audit.pk), kind, copy)
    if not path.is_file():
        raise Http404("no such report")
    Access.objects.create(
        audit=audit, user=user, kind=Access.Kind.DOWNLOAD, copy=copy, file=kind, via=via
    )
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=download_name(audit, kind, copy),
        content_type=_TYPES[kind][0],
    )


def issue(user: Any, audit: Audit, via: str) -> Audit:
    """Sign the audit off; only once, and only when its reports exist."""
    if audit.status != Status.DONE:
        raise NotReady()
    with transaction.atomic():
        changed = Audit.objects.filter(pk=audit.pk, issued_at__isnull=True).update(
            issued_at=timezone.now(), issued_by=user
        )
        if not changed:
            raise AlreadyIssued()
        Access.objects.create(audit=audit, user=user, kind=Access.Kind.ISSUE, via=via)
    audit.refresh_from_db()
    return audit
