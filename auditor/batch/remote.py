"""A batch on the service's queue: one job a workbook, and nothing lost with a worker.

Huey delivers a message at most once: a worker killed mid-job takes its
message with it. The job's folder on the shared output folder is the
truth, as the job row is for the service: the client sends every job,
then polls the folders (a bounded loop, ``poll_s`` apart). A job is done
when its row is there. A job in hand has a ``claim`` file its worker
touches every :data:`~auditor.batch.tasks.HEARTBEAT_S`; one whose claim has
not changed for ``stale_after_s`` (measured on the client's clock, so the
machines' clocks need not agree) lost its worker and is sent again, as is
one never claimed while the queue stays empty (its message was lost).
Jobs are idempotent, so a job sent twice costs time, never a wrong file.
After ``max_sends`` sends a job ends ``failed``, without a row on disk, so
the next run of the batch tries it again.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditor.batch.job import CLAIM, FAILED, Job, read_row
from auditor.errors import UsageError

#: Polls in a row with an empty queue before an unclaimed job counts as lost.
_EMPTY_POLLS = 3


@dataclass
class _Sent:
    job: Job
    sends: int = 0
    claim_seen: float | None = None  # the claim's mtime as last seen
    claim_changed: float = 0.0  # when (client's clock) it last changed, or the job was sent
    empty_polls: int = 0


def queue_for(url: str) -> Any:
    """The batch task on the queue at ``url`` (the process's one Huey, set up for it)."""
    if not url.startswith(("redis://", "rediss://", "unix://")):
        scheme = url.partition("://")[0]
        raise UsageError(f"--queue must be a redis:// address, got {scheme}://...")
    already = sys.modules.get("auditor.deployment.queue")
    if already is not None and os.environ.get("AUDITOR_QUEUE_URL") != url:
        raise UsageError("this process's queue is set up already, for another address")
    os.environ["AUDITOR_QUEUE_URL"] = url
    try:
        from auditor.batch import tasks
    except ImportError as error:
        raise UsageError(
            f"--queue needs the service's packages (pip install 'auditor[service]'): {error}"
        ) from None
    return tasks


def run_on_queue(
    pending: list[Job],
    url: str,
    finished: Callable[[Job, dict[str, Any]], None],
    *,
    stale_after_s: float = 30.0,
    poll_s: float = 0.5,
    max_sends: float = 3,
) -> None:
    """Send every job, and call ``finished`` once for each, when its row appears."""
    tasks = queue_for(url)
    from redis.exceptions import RedisError

    try:
        tasks.huey.pending_count()
    except RedisError as error:  # said before anything is sent
        raise UsageError(f"cannot reach the queue at {_shown(url)}: {error}") from None
    outstanding = {job.folder: _Sent(job) for job in pending}
    for sent in outstanding.values():
        _send(tasks, sent)
    while outstanding:
        time.sleep(poll_s)
        queue_empty = tasks.huey.pending_count() == 0
        now = time.monotonic()
        for folder, sent in list(outstanding.items()):
            row = read_row(Path(folder))
            if row is not None:
                del outstanding[folder]
                finished(sent.job, row)
            elif _lost(sent, Path(folder) / CLAIM, now, queue_empty, stale_after_s):
                if sent.sends >= max_sends:
                    del outstanding[folder]
                    finished(sent.job, _given_up(sent))
                else:
                    _send(tasks, sent)


def _shown(url: str) -> str:
    """The queue's address without a password."""
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.rpartition('@')[2]}"


def _send(tasks: Any, sent: _Sent) -> None:
    Path(sent.job.folder).mkdir(parents=True, exist_ok=True)
    (Path(sent.job.folder) / CLAIM).unlink(missing_ok=True)
    sent.sends += 1
    sent.claim_seen, sent.claim_changed, sent.empty_polls = None, time.monotonic(), 0
    tasks.batch_job(sent.job.to_dict())


def _lost(sent: _Sent, claim: Path, now: float, queue_empty: bool, stale_after_s: float) -> bool:
    try:
        mtime: float | None = claim.stat().st_mtime
    except OSError:
        mtime = None
    if mtime is not None:
        if mtime != sent.claim_seen:
            sent.claim_seen, sent.claim_changed = mtime, now
            return False
        return now - sent.claim_changed > stale_after_s  # its worker stopped beating
    sent.empty_polls = sent.empty_polls + 1 if queue_empty else 0
    return sent.empty_polls >= _EMPTY_POLLS and now - sent.claim_changed > stale_after_s


def _given_up(sent: _Sent) -> dict[str, Any]:
    return {
        "source": sent.job.source,
        "status": FAILED,
        "problems": [],
        "message": f"its queue worker was lost {sent.sends} times; run the batch again",
    }
