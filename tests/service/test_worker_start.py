"""The job worker starts its fork server as it starts, not at the first upload (issue 15).

The fork server imports the audit's modules and renders an example report
(three to five seconds) before it forks the first audit; started with the
worker, the first upload after a restart does not wait for that.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from tests.service.harness import descendants, service_env, start_worker, stop


def _fork_servers(root: int) -> list[int]:
    servers = []
    for pid in descendants(root):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"multiprocessing.forkserver" in command:
            servers.append(pid)
    return servers


def test_the_worker_starts_its_fork_server_before_any_job(tmp_path: Path) -> None:
    env = service_env(tmp_path / "data")
    log = tmp_path / "worker.log"
    worker = start_worker(env, log)
    try:
        servers: list[int] = []
        deadline = time.monotonic() + 60
        while not servers and time.monotonic() < deadline and worker.poll() is None:
            servers = _fork_servers(worker.pid)
            time.sleep(0.1)
        assert worker.poll() is None, log.read_text()
        assert len(servers) == 1, f"no fork server under the idle worker:\n{log.read_text()}"
    finally:
        stop(worker)
    # The server goes with its worker: nothing is left running.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and os.path.exists(f"/proc/{servers[0]}"):
        time.sleep(0.1)
    assert not os.path.exists(f"/proc/{servers[0]}")
