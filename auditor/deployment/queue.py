"""The one Huey instance of every auditor process: SQLite storage in the data folder, or Redis.

Huey is the wake-up call, not the truth: it delivers a message at most
once, and a message can be lost with the process that took it. The job
row in the database is the truth (see :mod:`auditor.service.jobs`).

This module needs no Django, so that a client which only sends work (a
batch on the shared queue) can use the same queue. Every kind of task is
registered on :data:`huey` by a module named in :data:`TASK_MODULES`, and a
worker imports them all (:func:`load_task_modules`), so one ``auditor
worker`` takes any of them; naming them here keeps the service and the
batch from importing each other.
"""

from __future__ import annotations

import importlib

from huey import Huey, RedisHuey, SqliteHuey

from auditor.deployment.config import ServiceConfig, private_file, read_config


def make_huey(config: ServiceConfig) -> Huey:
    """Redis when ``AUDITOR_QUEUE_URL`` names it, else SQLite beside the database."""
    url = config.queue_url
    if url and url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey("auditor", url=url, results=False)
    if url:
        raise ValueError(
            f"AUDITOR_QUEUE_URL must be a redis:// address, or unset for the embedded queue; "
            f"got {url.split('://')[0]}://..."
        )
    queue = private_file(config.data_dir / "queue.sqlite3")
    return SqliteHuey("auditor", filename=str(queue), results=False, timeout=30)


#: The queue of this process, from the environment it started with.
huey: Huey = make_huey(read_config())


#: Every module that registers tasks on :data:`huey`: the service's audits, and batch jobs.
TASK_MODULES = ("auditor.service.jobs", "auditor.batch.tasks")


def load_task_modules() -> None:
    """Import every task module, so this process's worker takes every kind of job."""
    for name in TASK_MODULES:
        importlib.import_module(name)
