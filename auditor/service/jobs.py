"""Audit jobs: the one module that talks to the queue.

The job row is the truth and the queue only a wake-up call (Huey
delivers at most once and loses what a killed process held):

- :func:`enqueue` is called after the row is committed; the message
  carries only the audit's id.
- :func:`run_job` *claims* the row (``queued`` -> ``running`` in one
  conditional UPDATE, so a duplicate message is a no-op), counts the
  attempt, writes a heartbeat while the audit runs, and finishes the row
  as ``done``, ``invalid`` or ``failed``.
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
from django.db.models import F, Max
from django.utils import timezone

from auditor.deployment.config import ServiceConfig
from auditor.deployment.queue import huey
from auditor.errors import AuditorError, EngineError, InvalidInput
from auditor.pipeline.logs import log_event
from auditor.runner.isolation import run_audit_isolated
from auditor.service.models import Audit, Status
from auditor.service.problems import capped, problem_documents, refusal
from auditor.service.reports import Candidate, JobOrder, JobOutput, audit_and_render
from auditor.service.storage import report_path, upload_path, write_atomically

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
    order = JobOrder(
        source=str(upload_path(CONFIG, audit.blob_sha256, audit.source_suffix)),
        is_dataset=audit.source_kind == "dataset",
        jurisdiction=audit.jurisdiction_requested or None,
        # Plausible dates are checked against the day of the upload, whenever the job runs.
        day=audit.upload_day,
        candidates=candidates(audit),
    )
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


def live_twin(audit: Audit, key: str) -> str | None:
    """A done audit of the same office with the same canonical key (web.md 1.1): this upload
    is the same audit again, sent another way (JSON body, .json file, another spelling of its
    jurisdiction). Clients follow ``duplicate_of``."""
    twin = (
        Audit.objects.filter(office_id=audit.office_id, canonical_key=key, status=Status.DONE)
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
    the worker, when this runs: :func:`auditor.service.reports.choose_previous`)."""
    rows = (
        Audit.objects.filter(office_id=audit.office_id, status=Status.DONE)
        .exclude(pk=audit.pk)
        .values_list("pk", "audit_code", "agency_licence", "inspection_date", "created_at")
    )
    return tuple(
        Candidate(
            pk=str(pk),
            audit_code=code,
            agency_licence=licence,
            inspection_date=inspected,
            created_at=created,
            result_path=str(report_path(CONFIG, str(pk), "json", "inspector")),
        )
        for pk, code, licence, inspected, created in rows
    )


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
    return touched


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
