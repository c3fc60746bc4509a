"""The processes of the service: job workers, and ``serve`` with the workers it starts.

``auditor serve`` runs the pages and API in waitress (threads) and starts
``AUDITOR_WORKERS`` job workers as child processes, restarting any that
dies. Each job worker is a Huey consumer with one worker thread (an audit
already runs in its own isolated process) and a reaper. A worker started
by ``serve`` stops when ``serve`` is gone, so no orphan keeps auditing.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from typing import Any

from auditor.deployment.queue import huey, load_task_modules
from auditor.pipeline.logs import log_event
from auditor.runner.isolation import start_fork_server, warm_reports_in_workers
from auditor.service import jobs

_log = logging.getLogger("auditor.service")


def run_worker(parent_pid: int | None = None) -> None:
    """Take jobs from the queue until stopped (SIGTERM, SIGINT, or the parent's end)."""
    load_task_modules()  # the service's audits and batch jobs alike
    reaper = jobs.Reaper()
    reaper.start()
    if parent_pid is not None:
        threading.Thread(target=_follow_parent, args=(parent_pid,), daemon=True).start()
    # Every job renders PDFs in a worker forked from this process's fork server: that server
    # renders an example first, once, so no job's PDF is its process's first. It starts now,
    # while no job waits, not at the first job.
    warm_reports_in_workers()
    start_fork_server()
    consumer = huey.create_consumer(
        workers=1, worker_type="thread", periodic=False, initial_delay=0.1, max_delay=1.0
    )
    log_event("worker.started", {"pid": os.getpid()})
    consumer.run()


def _follow_parent(parent_pid: int) -> None:
    """Stop this worker when the ``serve`` that started it is gone (even after ``kill -9``)."""
    while True:
        time.sleep(1.0)
        if os.getppid() != parent_pid:
            os.kill(os.getpid(), signal.SIGTERM)
            return


class _Workers:
    """The job workers ``serve`` keeps running."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.processes: list[subprocess.Popen[bytes]] = []
        self.stopping = threading.Event()

    def _spawn(self) -> subprocess.Popen[bytes]:
        environment = dict(os.environ, AUDITOR_PARENT_PID=str(os.getpid()))
        return subprocess.Popen(
            [sys.executable, "-m", "auditor", "worker"], env=environment, stdin=subprocess.DEVNULL
        )

    def start(self) -> None:
        self.processes = [self._spawn() for _ in range(self.count)]
        threading.Thread(target=self._supervise, name="auditor-workers", daemon=True).start()

    def _supervise(self) -> None:
        while not self.stopping.wait(1.0):
            for index, process in enumerate(self.processes):
                if process.poll() is not None and not self.stopping.is_set():
                    log_event("worker.restarted", {"exit": process.returncode})
                    self.processes[index] = self._spawn()

    def stop(self) -> None:
        self.stopping.set()
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + 10
        for process in self.processes:
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()


def serve(host: str, port: int) -> None:
    """The pages and the API on ``host:port``, with the job workers, until SIGTERM or Ctrl-C."""
    from django.conf import settings

    from auditor.service.front import serve_forever
    from auditor.service.wsgi import application

    workers = _Workers(settings.CONFIG.workers)
    workers.start()
    reaper = jobs.Reaper()
    reaper.start()

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    print(
        f"auditor serving on http://{host}:{port}/ (data in {settings.CONFIG.data_dir})", flush=True
    )
    try:
        # The upload limit itself: a body over it is refused from its Content-Length.
        serve_forever(application, host, port, settings.MAX_UPLOAD_BYTES)
    except KeyboardInterrupt:
        pass
    finally:
        reaper.stop()
        workers.stop()
