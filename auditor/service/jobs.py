"""Audit jobs: the one module that talks to the queue.

The job row is the truth and the queue only a wake-up call (Huey
delivers at most once and loses what a killed process held):

- :func:`enqueue` is called after the row is committed; the message
  carries only the audit's id.
- :func:`run_job` *claims* the row (``queued`` -> ``running`` in one
  conditional UPDATE, so a duplicate message is a no-op), counts the
  attempt, writes a heartbeat while the audit runs, and finishes the row
  as ``done``, ``invalid`` or ``failed``. ``done`` means the result is
  recorded (issue 26): the draft PDFs and findings workbooks are rendered
  after, by :func:`reports_task` (inspector's PDF first, then the rest) or
  by the first download (:mod:`auditor.service.rendered`).
- :func:`reap` finds what a lost process left: a ``running`` row whose
  heartbeat stopped goes back to ``queued`` (or ends ``failed`` after
  :data:`MAX_ATTEMPTS`), and a ``queued`` row whose message is old is
  sent again. Every job worker and every ``serve`` reaps periodically.

A job is idempotent: the same upload under the same rule pack gives the
same files, so running it again after a lost worker is always safe.
"""

from __future__ import annotations

import datetime as dt
import errno
import logging
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import DatabaseError, IntegrityError, close_old_connections, transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from auditor.deployment.config import ServiceConfig
from auditor.deployment.queue import huey
from auditor.errors import AuditorError, EngineError, InvalidInput
from auditor.pipeline.logs import log_event
from auditor.runner.isolation import run_audit_isolated
from auditor.service.models import Audit, IssueRecord, Status
from auditor.service.problems import capped, problem_documents, refusal
from auditor.service.reports import Candidate, JobOrder, JobOutput, audit_and_render
from auditor.service.storage import issued_path, report_path, upload_path, write_atomically

#: A job is tried at most this many times (web.md).
MAX_ATTEMPTS = 3
STOPPED_TOO_OFTEN = f"the audit stopped its worker {MAX_ATTEMPTS} times"
#: How often the job's outcome is written before the database is given up on.
RECORD_TRIES = 5
#: Errors of the data folder itself (full, read-only, no permission): tried again later.
STORAGE_ERRNOS = frozenset({errno.ENOSPC, errno.EROFS, errno.EDQUOT, errno.EACCES, errno.EPERM})
STORAGE_TROUBLE = (
    "the service's data folder is full or read-only, so the reports could not be written; "
    "the audit will be tried again when it can be."
)

CONFIG: ServiceConfig = settings.CONFIG
WORKER_NAME = f"{socket.gethostname()}:{os.getpid()}"
_log = logging.getLogger("auditor.service")


def _priority(value: int) -> int | None:
    """``value`` where the queue orders by priority (the embedded SQLite one), else None
    (Redis takes tasks in order and refuses a priority)."""
    return value if getattr(huey.storage, "priority", False) else None


#: What a job worker takes first: an audit someone waits to see done (priority 0), then the
#: inspector's PDF of a done audit, then its other reports.
FIRST_PRIORITY, LATER_PRIORITY = -1, -2


@huey.task(retries=0)
def audit_task(audit_id: str) -> None:
    """The queue's side of a job: run it, whatever delivered the message."""
    try:
        run_job(audit_id)
    finally:
        close_old_connections()


def enqueue(audit_id: str) -> None:
    """Send the job's wake-up call and note when (the reaper resends an old one)."""
    Audit.objects.filter(pk=audit_id).update(enqueued_at=timezone.now())
    audit_task(audit_id)


def run_job(audit_id: str) -> None:
    """Take the next job fairly and run it to a final status; a no-op when none is queued.

    The message names an audit, but it is only a wake-up call: every queued audit sent one,
    and each message claims at most one audit, so every audit is claimed, in the order of
    :func:`next_fair_job` rather than the order of the messages.
    """
    del audit_id
    for _ in range(20):  # another worker may claim the one chosen first: choose again
        chosen = next_fair_job()
        if chosen is None:
            return
        if _claim(chosen):
            _run_claimed(chosen)
            return


def next_fair_job() -> str | None:
    """Round-robin across offices with queued work (web.md 1.1): the office whose last audit
    started longest ago (or never) goes first, and its oldest queued upload is the job. One
    office's burst of uploads waits behind every other office's next one, not before it."""
    offices = set(
        Audit.objects.filter(status=Status.QUEUED).values_list("office_id", flat=True).distinct()
    )
    if not offices:
        return None
    last_start = dict(
        Audit.objects.filter(office_id__in=offices, started_at__isnull=False)
        .values("office_id")
        .annotate(last=Max("started_at"))
        .values_list("office_id", "last")
    )
    never = dt.datetime.min.replace(tzinfo=dt.UTC)
    office = min(offices, key=lambda office_id: (last_start.get(office_id) or never, office_id))
    chosen = (
        Audit.objects.filter(office_id=office, status=Status.QUEUED)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)
        .first()
    )
    return None if chosen is None else str(chosen)


def _claim(audit_id: str) -> bool:
    """``queued`` -> ``running`` in one conditional UPDATE: of two workers, one wins."""
    now = timezone.now()
    return bool(
        Audit.objects.filter(pk=audit_id, status=Status.QUEUED).update(
            status=Status.RUNNING,
            attempts=F("attempts") + 1,
            started_at=now,
            heartbeat_at=now,
            worker=WORKER_NAME,
        )
    )


def _run_claimed(audit_id: str) -> None:
    audit = Audit.objects.get(pk=audit_id)
    started = time.perf_counter()
    with _heartbeat(audit_id):
        try:
            fields = _run(audit)
        except OSError as error:
            if not storage_trouble(error):
                _log.exception("job failed")
                fields = {"status": Status.FAILED, "error": _defect(error)}
            else:
                fields = _later(error)
        except Exception as error:  # a defect of the service, not of the upload: said plainly
            _log.exception("job failed")
            fields = {"status": Status.FAILED, "error": _defect(error)}
    fields["finished_at"] = None if fields["status"] == Status.QUEUED else timezone.now()
    recorded = _record(audit, fields)
    log_event(
        "job.finished" if recorded else "job.not_recorded",
        {
            "audit": audit_id,
            "status": str(fields["status"]),
            "attempt": audit.attempts,
            "input_sha256": audit.input_sha256,
            "total_ms": round((time.perf_counter() - started) * 1000, 1),
        },
    )
    if recorded and fields["status"] == Status.DONE:
        request_reports(audit_id, "first", FIRST_PRIORITY)
        request_reports(audit_id, "later", LATER_PRIORITY)


@huey.task(retries=0)
def reports_task(audit_id: str, which: str) -> None:
    """The queue's side of rendering a done audit's drafts and workbooks in the background:
    ``first`` (the inspector's PDF) or ``later`` (the others); those kept are skipped."""
    from auditor.service import rendered
    from auditor.service.report_languages import office_language

    try:
        audit = Audit.objects.filter(pk=audit_id, status=Status.DONE).select_related("office")
        found = audit.first()
        if found is not None:  # in the office's language: what its downloads ask for first
            wanted = rendered.FIRST if which == "first" else rendered.LATER
            rendered.render_missing(found, wanted, office_language(found.office))
    finally:
        close_old_connections()


def request_reports(audit_id: str, which: str, priority: int) -> None:
    """Ask a job worker to render these reports of the audit (a no-op for those it has)."""
    try:
        huey.enqueue(reports_task.s(audit_id, which, priority=_priority(priority)))
    except Exception:  # the download renders what the background could not: never fatal
        _log.exception("background rendering not requested")


def _record(audit: Audit, fields: dict[str, Any]) -> bool:
    """Write the job's outcome if this attempt still owns the row; whether it did.

    The row is this attempt's while it is ``running`` with this attempt's number, or back in
    ``queued`` with it (the reaper thought the worker lost, and no other worker has claimed it
    since): the finished result is kept then too. A row another attempt claimed is left to
    that attempt, which makes the same files, and the log says so (``job.not_recorded``).
    """
    mine = Audit.objects.filter(
        pk=audit.pk, attempts=audit.attempts, status__in=(Status.RUNNING, Status.QUEUED)
    )
    for attempt in range(RECORD_TRIES):
        try:
            with transaction.atomic():
                return bool(mine.update(**fields))
        except IntegrityError:
            # Another upload of the same data finished first (the unique index on done
            # audits' canonical keys chose it): this one is its duplicate.
            twin = live_twin(audit, str(fields.get("canonical_key", "")))
            if twin is None or fields.get("status") != Status.DONE:
                raise
            fields.update(_duplicate(twin))
        except DatabaseError:
            _log.warning("job result not recorded yet (database error), trying again")
            close_old_connections()
            time.sleep(min(2.0**attempt, 10.0))
    try:
        return bool(
            mine.update(
                status=Status.FAILED,
                error=_defect(RuntimeError()),
                finished_at=timezone.now(),
            )
        )
    except DatabaseError:
        _log.exception("job result could not be recorded")
        return False


def _run(audit: Audit) -> dict[str, Any]:
    """The audit and its reports in an isolated process, its files written; the row's fields."""
    order = _order(audit)
    try:
        made: JobOutput = run_audit_isolated(
            audit_and_render, (order,), timeout_s=CONFIG.audit_timeout_s
        )
    except InvalidInput as invalid:
        return {
            "status": Status.INVALID,
            **capped(problem_documents(invalid.problems, invalid.warnings)),
        }
    except EngineError as error:
        return {"status": Status.FAILED, "error": _sentence(str(error))}
    except AuditorError as error:
        return {"status": Status.INVALID, **capped(refusal(str(error)))}
    found = made.rendered.summary
    twin = live_twin(audit, found["canonical_key"])
    if twin is None:
        for (kind, copy), data in made.rendered.files.items():
            write_atomically(report_path(CONFIG, str(audit.pk), kind, copy), data)
    return {
        **(_duplicate(twin) if twin is not None else {"status": Status.DONE}),
        "canonical_key": found["canonical_key"],
        "audit_code": found["audit_code"],
        "agency_name": found["agency_name"],
        "agency_licence": found["agency_licence"],
        "inspection_date": found["inspection_date"],
        "jurisdiction": found["jurisdiction"],
        "score": found["score"],
        "rating": found["rating"],
        "provisional": found["provisional"],
        "follow_up_of": found["follow_up_of"],
        # The versions it was made with: a re-run uses the rule pack in force (web.md).
        "ruleset_version": found["ruleset_version"],
        "engine_version": found["engine_version"],
        "previous_id": made.previous,
        "error": "",
        "problems": None,
        "problems_truncated": False,
        "problem_counts": None,
    }


def _order(audit: Audit) -> JobOrder:
    return JobOrder(
        source=str(upload_path(CONFIG, audit.blob_sha256, audit.source_suffix)),
        is_dataset=audit.source_kind == "dataset",
        jurisdiction=audit.jurisdiction_requested or None,
        # Plausible dates are checked against the day of the upload, whenever the job runs.
        day=audit.upload_day,
        candidates=candidates(audit),
    )


def live_twin(audit: Audit, key: str) -> str | None:
    """A done audit of the same office with the same canonical key (web.md 1.1): this upload
    is the same audit again, sent another way (JSON body, .json file, another spelling of its
    jurisdiction). Clients follow ``duplicate_of``."""
    twin = (
        Audit.objects.filter(
            office_id=audit.office_id, canonical_key=key, status=Status.DONE, withdrawn=False
        )
        .exclude(pk=audit.pk)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)
        .first()
    )
    return None if twin is None else str(twin)


def _duplicate(twin: str) -> dict[str, Any]:
    return {"status": Status.DUPLICATE, "duplicate_of_id": twin}


def candidates(audit: Audit) -> tuple[Candidate, ...]:
    """The office's done audits, other than this one, that it may follow up (chosen once, in
    the worker, when this runs: :func:`auditor.service.reports.choose_previous`), with their
    issue records when they were issued."""
    rows = (
        Audit.objects.filter(office_id=audit.office_id, status=Status.DONE)
        .exclude(pk=audit.pk)
        .values_list("pk", "audit_code", "agency_licence", "inspection_date", "created_at")
    )
    records = {
        str(row.audit_id): row
        for row in IssueRecord.objects.filter(office_id=audit.office_id).select_related(
            "superseded_by"
        )
    }
    found = []
    for pk, code, licence, inspected, created in rows:
        record = records.get(str(pk))
        successor = record.successor if record is not None else None
        found.append(
            Candidate(
                pk=str(pk),
                audit_code=code,
                agency_licence=licence,
                inspection_date=inspected,
                created_at=created,
                result_path=str(report_path(CONFIG, str(pk), "json", "inspector")),
                issue_record=record.record if record is not None else None,
                issue_state=record.state if record is not None else None,
                superseded_by=str(successor.audit_id) if successor is not None else None,
            )
        )
    return tuple(found)


def _defect(error: Exception) -> str:
    return (
        f"the service could not finish the audit ({type(error).__name__}); this is a defect of "
        "auditor, not of the workbook."
    )


def storage_trouble(error: OSError) -> bool:
    """Whether ``error`` is the data folder's (full, read-only), not a defect of auditor."""
    return error.errno in STORAGE_ERRNOS


def _later(error: OSError) -> dict[str, Any]:
    """Back to ``queued`` (this attempt not counted), with a plain sentence: the reaper sends
    the job again after ``requeue_after_s``, when space may have come back."""
    _log.error("job put back: the data folder refused a write (errno %s)", error.errno)
    return {
        "status": Status.QUEUED,
        "attempts": F("attempts") - 1,
        "enqueued_at": timezone.now(),
        "error": STORAGE_TROUBLE,
    }


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith(".") else f"{text}."


@contextmanager
def _heartbeat(audit_id: str) -> Iterator[None]:
    """Write the job's heartbeat every few seconds while the body runs."""
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(CONFIG.heartbeat_s):
                try:
                    Audit.objects.filter(pk=audit_id, status=Status.RUNNING).update(
                        heartbeat_at=timezone.now()
                    )
                except DatabaseError:
                    # "database is locked" and the like: one missed beat, not the last one.
                    _log.warning("heartbeat not written (database error); trying again")
                    close_old_connections()
        finally:
            close_old_connections()

    thread = threading.Thread(target=beat, name="auditor-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


# -- the issued PDFs ----------------------------------------------------------------------------

#: A render claimed longer ago than this without finishing lost its worker: claimed again.
RENDER_STALE = dt.timedelta(minutes=15)
#: A record issued this long ago and still not rendered (its message lost) is sent again.
RENDER_RESEND = dt.timedelta(minutes=1)


@huey.task(retries=0)
def render_task(record_pk: int) -> None:
    """The queue's side of rendering an issue's PDFs."""
    try:
        render_issue(record_pk)
    finally:
        close_old_connections()


def enqueue_render(record_pk: int) -> None:
    """Send the render's wake-up call and note when (the reaper resends an old one)."""
    IssueRecord.objects.filter(pk=record_pk).update(render_enqueued_at=timezone.now())
    render_task(record_pk)


def render_issue(record_pk: int) -> None:
    """Render both issued PDFs of a record once: claimed in one conditional UPDATE, written
    beside the audit's other files, never overwritten (audit-output.md 1.2: rendered once)."""
    from auditor.service.issued_reports import RenderOrder, render_issued
    from auditor.service.signoff import source_of

    now = timezone.now()
    claimed = (
        IssueRecord.objects.filter(pk=record_pk, rendered_at__isnull=True)
        .filter(Q(render_claimed_at__isnull=True) | Q(render_claimed_at__lt=now - RENDER_STALE))
        .update(render_claimed_at=now)
    )
    if not claimed:
        return
    record = IssueRecord.objects.select_related("audit", "office").get(pk=record_pk)
    audit_id = str(record.audit_id)
    paths = {
        (copy, lang): issued_path(CONFIG, audit_id, copy, lang)
        for lang in record.issued_languages
        for copy in ("inspector", "agency")
    }
    started = time.perf_counter()
    if not all(path.is_file() for path in paths.values()):
        order = RenderOrder(
            source=source_of(record.audit),
            record=record.record.encode("utf-8"),
            office_code=record.office.code,
            data_dir=str(CONFIG.data_dir),
            languages=record.issued_languages,
        )
        try:
            made = run_audit_isolated(render_issued, (order,), timeout_s=CONFIG.audit_timeout_s)
        except Exception as error:
            _log.exception("issued report not rendered")
            # Claimed still: tried again once the claim is stale, not on every reaper pass.
            IssueRecord.objects.filter(pk=record_pk).update(render_error=_defect(error))
            return
        for which, path in paths.items():
            if not path.is_file():
                write_atomically(path, made[which])
    IssueRecord.objects.filter(pk=record_pk).update(rendered_at=timezone.now(), render_error="")
    log_event(
        "issue.rendered",
        {"audit": audit_id, "total_ms": round((time.perf_counter() - started) * 1000, 1)},
    )


@huey.task(retries=0)
def refresh_task(previous_pk: str) -> None:
    """The queue's side of :func:`refresh_follow_ups`."""
    try:
        refresh_follow_ups(previous_pk)
    finally:
        close_old_connections()


def enqueue_refresh(previous_pk: str) -> None:
    refresh_task(previous_pk)


def refresh_follow_ups(previous_pk: str) -> int:
    """Make again the reports of the unissued follow-ups of an audit whose issue state
    changed (issued, superseded, withdrawn): their comparison reads the previous issued
    report (audit-output.md 1.2, Settled), and the previous audit is chosen again (a
    withdrawn one is skipped, a superseded one replaced). The results' bytes do not change;
    the comparison and the drafts do. Issued follow-ups keep what they were issued with."""
    count = 0
    for audit in Audit.objects.filter(
        previous_id=previous_pk, status=Status.DONE, issue_record__isnull=True
    ):
        try:
            made: JobOutput = run_audit_isolated(
                audit_and_render, (_order(audit),), timeout_s=CONFIG.audit_timeout_s
            )
        except AuditorError:
            _log.exception("follow-up not refreshed")
            continue
        for (kind, copy), data in made.rendered.files.items():
            write_atomically(report_path(CONFIG, str(audit.pk), kind, copy), data)
        for kind in ("pdf", "xlsx"):  # made before issue 26, with the old comparison
            for copy in ("inspector", "agency"):
                report_path(CONFIG, str(audit.pk), kind, copy).unlink(missing_ok=True)
        if ("comparison", "inspector") not in made.rendered.files:
            report_path(CONFIG, str(audit.pk), "comparison", "inspector").unlink(missing_ok=True)
        Audit.objects.filter(pk=audit.pk).update(previous_id=made.previous)
        log_event("follow_up.refreshed", {"audit": str(audit.pk), "previous": previous_pk})
        count += 1
    return count


def _resend_renders(now: dt.datetime) -> int:
    """Issues whose PDFs are not rendered and not being rendered: their message is sent again."""
    waiting = (
        IssueRecord.objects.filter(rendered_at__isnull=True)
        .filter(Q(render_enqueued_at__isnull=True) | Q(render_enqueued_at__lt=now - RENDER_RESEND))
        .filter(Q(render_claimed_at__isnull=True) | Q(render_claimed_at__lt=now - RENDER_STALE))
        .values_list("pk", flat=True)
    )
    count = 0
    for record_pk in waiting:
        enqueue_render(record_pk)
        count += 1
    return count


def reap(now: dt.datetime | None = None) -> int:
    """Put back what lost workers left; returns how many jobs it touched."""
    now = now or timezone.now()
    touched = 0
    stale = now - dt.timedelta(seconds=CONFIG.stale_after_s)
    for audit_id, attempts in Audit.objects.filter(
        status=Status.RUNNING, heartbeat_at__lt=stale
    ).values_list("pk", "attempts"):
        with transaction.atomic():
            still = Audit.objects.filter(pk=audit_id, status=Status.RUNNING, heartbeat_at__lt=stale)
            if attempts >= MAX_ATTEMPTS:
                changed = still.update(
                    status=Status.FAILED, error=_sentence(STOPPED_TOO_OFTEN), finished_at=now
                )
            else:
                changed = still.update(status=Status.QUEUED, enqueued_at=None)
        if changed:
            touched += 1
            log_event("job.reaped", {"audit": str(audit_id), "attempts": attempts})
            if attempts < MAX_ATTEMPTS:
                enqueue(str(audit_id))
    lost = now - dt.timedelta(seconds=CONFIG.requeue_after_s)
    for audit_id in (
        Audit.objects.filter(status=Status.QUEUED)
        .exclude(enqueued_at__gte=lost)
        .values_list("pk", flat=True)
    ):
        touched += 1
        enqueue(str(audit_id))
    return touched + _resend_renders(now)


class Reaper(threading.Thread):
    """Reaps every few seconds until stopped; each job worker and each server runs one."""

    def __init__(self, interval_s: float | None = None) -> None:
        super().__init__(name="auditor-reaper", daemon=True)
        self.interval_s = interval_s or max(1.0, CONFIG.heartbeat_s)
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            try:
                reap()
            except Exception:  # a database hiccup must not end the reaping for good
                _log.exception("reaper pass failed")
            finally:
                close_old_connections()
            self._stop_event.wait(self.interval_s)

    def stop(self) -> None:
        self._stop_event.set()
