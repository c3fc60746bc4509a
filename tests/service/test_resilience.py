"""Nothing lost: killed processes, lost workers, and workers sharing a Redis queue (web.md)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.service.harness import (
    AUDITOR,
    SAMPLES,
    Service,
    descendants,
    redis_server,
    require,
    service_env,
    start_serve,
    start_worker,
    stop,
    which,
)

FINAL = {"done", "invalid", "failed"}


def _variants(tmp_path: Path, count: int) -> list[Path]:
    """Distinct workbooks (distinct datasets, so distinct audits, never one another's
    ``duplicate``, web.md 1.1): the sample under other audit ids."""
    from openpyxl import load_workbook

    paths = []
    for index in range(count):
        book = load_workbook(SAMPLES / "agency-with-problems.xlsx")
        for row in book["Audit"].iter_rows(min_row=2):
            if row[0].value == "audit_id":
                row[1].value = f"{row[1].value}-V{index}"
        path = tmp_path / f"variant-{index}.xlsx"
        book.save(path)
        paths.append(path)
    return paths


def test_kill_9_of_every_service_process_mid_audit_loses_no_upload(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    env = service_env(data_dir)
    service = start_serve(env, data_dir, workers=1)
    alice = service.account("alice", office="R4A")
    accepted = []
    try:
        for workbook in _variants(tmp_path, 3):
            status, answer = service.upload(alice.token, workbook)
            assert status == 202
            accepted.append(answer["id"])
        # Wait until an audit is running, so the kill lands mid-audit.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            states = [
                service.api("GET", f"/api/v1/audits/{i}", token=alice.token) for i in accepted[:1]
            ]
            if b'"running"' in states[0][2]:
                break
            time.sleep(0.1)
        victims = [service.process.pid, *descendants(service.process.pid)]
        assert len(victims) >= 2, "serve should have started a job worker"
        for pid in victims:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        service.process.wait(10)
    finally:
        stop(service.process, hard=True)
    restarted = start_serve(env, data_dir, workers=1)
    try:
        finals = [
            restarted.wait_final(alice.token, audit_id, timeout_s=240) for audit_id in accepted
        ]
    finally:
        stop(restarted.process)
    assert {audit["status"] for audit in finals} == {"done"}


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """A real redis-server on a free loopback port, stopped at the end."""
    require("redis-server", which("redis-server") is not None, "install Debian's redis-server")
    with redis_server(tmp_path) as url:
        yield url


def test_two_workers_share_a_redis_queue_and_a_killed_one_loses_nothing(
    tmp_path: Path, redis_url: str
) -> None:
    data_dir = tmp_path / "data"
    env = service_env(data_dir, AUDITOR_QUEUE_URL=redis_url)
    service: Service = start_serve(env, data_dir, workers=1)
    # serve's own worker stays, plus two separate `auditor worker` processes on the queue.
    workers = [start_worker(env, tmp_path / f"worker-{n}.log") for n in range(2)]
    try:
        alice = service.account("alice", office="R4A")
        accepted = []
        for workbook in _variants(tmp_path, 6):
            status, answer = service.upload(alice.token, workbook)
            assert status == 202
            accepted.append(answer["id"])
        # Kill one of the extra workers while audits are under way.
        time.sleep(2.0)
        os.killpg(workers[0].pid, signal.SIGKILL)
        finals = [service.wait_final(alice.token, audit_id, timeout_s=300) for audit_id in accepted]
        assert {audit["status"] for audit in finals} == {"done"}
        results = {audit["result"]["input_sha256"] for audit in finals}
        assert len(results) == len(accepted)
    finally:
        for worker in workers:
            stop(worker)
        stop(service.process)
    claimed_by = _claimants(env, accepted)
    assert len(claimed_by) >= 2, f"one worker took every job: {claimed_by}"


def _claimants(env: dict[str, str], audit_ids: list[str]) -> set[str]:
    """Which worker processes finished the audits, from the service's own database."""
    script = (
        "import sys\n"
        "from auditor.service.bootstrap import start\n"
        "start()\n"
        "from auditor.service.models import Audit\n"
        "rows = Audit.objects.filter(pk__in=sys.argv[1:]).values_list('worker', flat=True)\n"
        "print('\\n'.join(rows))\n"
    )
    done = subprocess.run(
        [AUDITOR[0], "-c", script, *audit_ids],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return {line for line in done.stdout.split() if line}
