"""One installation's settings and its job queue, shared by the service, its workers and a batch.

:mod:`~auditor.deployment.config` is the only reader of ``AUDITOR_*``
variables (the data folder, database and queue URLs, worker counts), and
:mod:`~auditor.deployment.queue` makes the one Huey queue of every process
from them. Neither needs Django, so a batch client sends work on the same
queue as the service without importing the service; every module that
registers tasks is named in :data:`~auditor.deployment.queue.TASK_MODULES`
and a worker imports them all.
"""
