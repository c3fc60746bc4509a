"""The batch's task on the service's queue: one workbook a message.

Registered on :data:`auditor.deployment.queue.huey`, the one queue of the
process, which every ``auditor worker`` consumes (its module imports this
one), so the workers that run the service's audits take batch jobs too.
This module needs no Django: the client that sends a batch imports it.
"""

from __future__ import annotations

from typing import Any

from auditor.batch.job import Job, execute
from auditor.deployment.queue import huey

#: How often a worker touches a running job's claim; the client's ``--stale-after``
#: must be several times this.
HEARTBEAT_S = 2.0


@huey.task(retries=0)
def batch_job(job: dict[str, Any]) -> None:
    """Do one workbook of a batch unless it is done (idempotent: a resent job is harmless)."""
    execute(Job.from_dict(job), heartbeat_s=HEARTBEAT_S)
