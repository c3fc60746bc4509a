"""A batch on the service's queue: a real redis-server, two ``auditor worker`` processes.

The results must equal the local run's byte for byte, and a worker killed
in the middle of a job must lose no workbook (the client sends it again).
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from auditor.cli import main
from tests.batch.books import agencies
from tests.service.harness import AUDITOR, service_env, start_worker, stop
from tests.service.test_resilience import redis_url  # noqa: F401  (the fixture)

WORK = ".auditor-batch"


def _files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in folder.iterdir() if path.is_file()}


def _logs(tmp_path: Path) -> str:
    return "\n".join(log.read_text()[-3000:] for log in sorted(tmp_path.glob("worker-*.log")))


def _job_in_hand(work: Path, pid: int) -> Path | None:
    """A job folder the worker ``pid`` has claimed and not finished."""
    for claim in work.glob("*/claim"):
        try:
            holder = int(claim.read_text().strip() or 0)
        except (OSError, ValueError):
            continue
        if holder == pid and not (claim.parent / "row.json").exists():
            return claim.parent
    return None


def test_twenty_workbooks_on_two_queue_workers_equal_the_local_run(
    tmp_path: Path,
    redis_url: str,  # noqa: F811
) -> None:
    inbox = tmp_path / "shared" / "inbox"
    agencies(inbox, 20, workers=8)
    local = tmp_path / "local"
    assert main(["batch", str(inbox), "--out", str(local), "--format", "json", "--jobs", "2"]) == 0

    # Each worker its own data folder, as on two machines; only the queue and the batch's
    # folders are shared.
    workers = [
        start_worker(
            service_env(tmp_path / f"data-{n}", AUDITOR_QUEUE_URL=redis_url),
            tmp_path / f"worker-{n}.log",
        )
        for n in range(2)
    ]
    shared = tmp_path / "shared" / "out"
    client_env = {k: v for k, v in os.environ.items() if not k.startswith("AUDITOR_")}
    client = subprocess.Popen(
        [*AUDITOR, "batch", str(inbox), "--out", str(shared), "--format", "json",
         "--queue", redis_url, "--stale-after", "5"],
        env=client_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    killed: Path | None = None
    try:
        deadline = time.monotonic() + 90
        while killed is None and time.monotonic() < deadline and client.poll() is None:
            killed = _job_in_hand(shared / WORK, workers[0].pid)
            time.sleep(0.05)
        assert killed is not None, "worker 0 never held a job"
        assert workers[1].poll() is None, _logs(tmp_path)
        os.killpg(workers[0].pid, signal.SIGKILL)  # the worker and its audit, mid-job
        try:
            out, err = client.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"the batch did not finish\n{_logs(tmp_path)}") from None
    finally:
        stop(client, hard=True)
        for worker in workers:
            stop(worker)
    assert client.returncode == 0, err.decode()
    assert b"20 of 20 workbook(s) audited (0 invalid, 0 failed)" in out
    assert (killed / "row.json").is_file()  # the lost job was sent again and done
    produced = _files(shared)
    assert len(produced) == 22  # 20 results, summary.json, summary.xlsx
    assert produced == _files(local)


def test_a_queue_that_cannot_be_reached_is_said_before_anything_is_sent(tmp_path: Path) -> None:
    from tests.service.harness import free_port

    url = f"redis://:hunter2@127.0.0.1:{free_port()}/0"
    inbox = tmp_path / "inbox"
    agencies(inbox, 1, workers=4)
    done = subprocess.run(
        [*AUDITOR, "batch", str(inbox), "--out", str(tmp_path / "out"), "--queue", url],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 2
    assert f"cannot reach the queue at redis://127.0.0.1:{url.rsplit(':', 1)[1]}" in done.stderr
    assert "hunter2" not in done.stderr
