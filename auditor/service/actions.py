"""What both the pages and the API do to an audit's files: download a report (issuing is
:mod:`auditor.service.signoff`).

Each records an :class:`~auditor.service.models.Access` row, so a
supervisor sees who took which copy of which audit, and when.
"""

from __future__ import annotations

import time
from typing import Any

from django.http import FileResponse, Http404

from auditor.render import safe_name
from auditor.service import jobs, rendered, signoff
from auditor.service.models import Access, Audit, IssueState, Status
from auditor.service.storage import issued_path, report_path

#: Content types and file-name endings of the reports, by kind.
_TYPES = {
    "pdf": ("application/pdf", "pdf"),
    "json": ("application/json", "json"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}
COPIES = ("inspector", "agency")


class NotReady(Exception):
    """The audit has no reports (yet, or ever: it is invalid or failed)."""


class Rendering(Exception):
    """The report is still being rendered elsewhere (an issued PDF in its job, a draft or a
    workbook by another process): ask again after ``retry_after_s``."""

    def __init__(self, retry_after_s: int, message: str = "the report is still being made") -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s
        self.message = message


class RenderFailed(Exception):
    """The draft or workbook cannot be made (the rule pack changed since the audit ran)."""


#: A download of an issued copy waits this long for its job (web.md 1.1, Settled).
RENDER_WAIT_S = 60.0
RETRY_AFTER_S = 10


def download_name(audit: Audit, kind: str, copy: str) -> str:
    """The file name of ``audit-output.md``: the safe audit id, ``.agency`` for that copy."""
    ending = _TYPES[kind][1]
    middle = ".agency" if copy == "agency" else ""
    return f"{safe_name(audit.audit_code or str(audit.pk))}{middle}.{ending}"


def download(
    user: Any, audit: Audit, kind: str, copy: str, via: str, *, lang: str = rendered.DEFAULT_LANG
) -> FileResponse:
    """The report file as an attachment, its download recorded.

    The JSON is the job's; a draft PDF (showing the pending review when there is one) or a
    findings workbook is rendered after the audit is done (:mod:`auditor.service.rendered`):
    one not rendered yet is rendered now or waited for, up to a minute, then
    :class:`Rendering`. PDFs and workbooks are in ``lang``; the JSON has no language.
    """
    if audit.status != Status.DONE:
        raise NotReady()
    if kind in rendered.KINDS:
        try:
            path = rendered.report_file(audit, kind, copy, lang)
        except rendered.Pending:
            raise Rendering(rendered.RETRY_AFTER_S, "the report is still being rendered") from None
        except rendered.Failed as failed:
            raise RenderFailed(str(failed)) from None
    else:
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


def download_issued(
    user: Any,
    audit: Audit,
    copy: str,
    via: str,
    *,
    lang: str = rendered.DEFAULT_LANG,
    wait_s: float = RENDER_WAIT_S,
) -> FileResponse:
    """The issued PDF of ``copy`` in ``lang`` (one it was issued in: the caller checks with
    :func:`auditor.service.report_languages.issued_language`), waiting up to ``wait_s`` for
    its job to render it."""
    path = issued_path(jobs.CONFIG, str(audit.pk), copy, lang)
    deadline = time.monotonic() + wait_s
    while not path.is_file():
        if time.monotonic() >= deadline:
            raise Rendering(RETRY_AFTER_S, "the issued report is still being rendered")
        time.sleep(0.5)
    Access.objects.create(
        audit=audit, user=user, kind=Access.Kind.DOWNLOAD, copy=copy, file="issued", via=via
    )
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=download_name(audit, "pdf", copy),
        content_type="application/pdf",
    )


def download_notices(
    user: Any, audit: Audit, *, lang: str, contact: str | None, via: str
) -> FileResponse:
    """The worker notices (issue 27), one page per worker owed money, each in her language
    else ``lang``; with the orders' due dates once the audit is issued. The caller checks
    that ``user`` may have them (inspectors and supervisors of the audit's office)."""
    if audit.status != Status.DONE:
        raise NotReady()
    record = signoff.record_of(audit)
    issued = record.record.encode("utf-8") if record and record.state == IssueState.ISSUED else None
    try:
        path = rendered.notices_file(audit, lang, contact, issued)
    except rendered.Pending:
        raise Rendering(rendered.RETRY_AFTER_S, "the report is still being rendered") from None
    except rendered.Failed as failed:
        raise RenderFailed(str(failed)) from None
    Access.objects.create(
        audit=audit, user=user, kind=Access.Kind.DOWNLOAD, copy="inspector", file="notices", via=via
    )
    name = f"{safe_name(audit.audit_code or str(audit.pk))}.notices.pdf"
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=name, content_type="application/pdf"
    )
