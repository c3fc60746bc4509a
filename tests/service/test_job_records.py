"""Jobs never drop a finished result (issue 23, item 4; web.md "what must never be lost").

A heartbeat that met "database is locked" used to die, the reaper then took
the job back, and the first run's finished result was silently dropped. Here
the job module is driven against a real database in a child process (its
Django is set up from the environment, as ``auditor worker``'s is): the
heartbeat goes on after database errors; the final update is written while
the attempt owns the row (also when the reaper had put it back in the queue)
and not over another attempt's claim; a full or read-only data folder puts
the job back in the queue with a plain sentence, never "a defect".
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.service.harness import ROOT, service_env

SCRIPT = textwrap.dedent(
    """
    import errno, time
    from unittest import mock

    from auditor.service.bootstrap import start
    start()

    from django.db import OperationalError
    from django.db.models.query import QuerySet
    from django.utils import timezone

    from auditor.service import accounts, jobs
    from auditor.service.models import Audit, Status

    accounts.create_office("JR", "Jobs office")
    accounts.create_user("jr", "inspector", "JR")
    from django.contrib.auth import get_user_model
    user = get_user_model().objects.get(username="jr")

    def audit():
        return Audit.objects.create(
            office=user.membership.office, uploaded_by=user, upload_day=timezone.now().date(),
            source_kind="workbook", source_suffix=".xlsx", blob_sha256="0" * 64, size=1,
            input_sha256="0" * 64, ruleset_version="v", idempotency_key=str(time.time_ns()),
        )

    done = {"status": Status.DONE, "finished_at": timezone.now(), "error": ""}

    # 1. The reaper put the row back (queued, same attempt): the finished result is kept.
    row = audit()
    assert jobs._claim(str(row.pk))
    row.refresh_from_db()
    Audit.objects.filter(pk=row.pk).update(status=Status.QUEUED)
    assert jobs._record(row, dict(done)) is True
    row.refresh_from_db()
    assert row.status == Status.DONE, row.status
    print("kept after the reaper")

    # 2. Another attempt claimed it since: this attempt's result is not written over it.
    row = audit()
    assert jobs._claim(str(row.pk))
    row.refresh_from_db()
    Audit.objects.filter(pk=row.pk).update(status=Status.QUEUED)
    assert jobs._claim(str(row.pk))  # the second attempt
    assert jobs._record(row, dict(done)) is False
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.RUNNING, 2), (row.status, row.attempts)
    print("not written over another attempt")

    # 3. The heartbeat survives "database is locked".
    row = audit()
    assert jobs._claim(str(row.pk))
    Audit.objects.filter(pk=row.pk).update(heartbeat_at=None)
    real_update = QuerySet.update
    failures = {"left": 3}

    def flaky(self, **fields):
        if "heartbeat_at" in fields and failures["left"]:
            failures["left"] -= 1
            raise OperationalError("database is locked")
        return real_update(self, **fields)

    with mock.patch.object(QuerySet, "update", flaky), jobs._heartbeat(str(row.pk)):
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if Audit.objects.filter(pk=row.pk, heartbeat_at__isnull=False).exists():
                break
            time.sleep(0.05)
    assert failures["left"] == 0
    row.refresh_from_db()
    assert row.heartbeat_at is not None, "the heartbeat stopped at the first database error"
    print("heartbeat survived")

    # 4. A full data folder: back in the queue, the attempt not counted, a plain sentence.
    row = audit()
    assert jobs._claim(str(row.pk))
    full = OSError(errno.ENOSPC, "No space left on device")
    with mock.patch.object(jobs, "_run", side_effect=full):
        jobs._run_claimed(str(row.pk))
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.QUEUED, 0), (row.status, row.attempts)
    assert row.error == jobs.STORAGE_TROUBLE and "defect" not in row.error
    print("storage trouble retried")
    """
)


def test_jobs_keep_finished_results_and_survive_database_and_storage_errors(
    tmp_path: Path,
) -> None:
    env = service_env(tmp_path / "data", AUDITOR_HEARTBEAT_S="0.05")
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    assert done.stdout.split("\n")[-5:-1] == [
        "kept after the reaper",
        "not written over another attempt",
        "heartbeat survived",
        "storage trouble retried",
    ], done.stdout
    assert "heartbeat not written (database error)" in done.stderr


def test_an_unusable_data_folder_is_one_line_at_serve_and_worker_start(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "data"
    not_a_folder.write_text("a file where the data folder should be")
    env = service_env(not_a_folder)
    for command in ("serve", "worker"):
        done = subprocess.run(
            [sys.executable, "-m", "auditor", command],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 2, (command, done.stderr)
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1, lines
        assert lines[0].startswith(f"auditor: the data folder {not_a_folder} cannot be used"), lines
        assert "internal error" not in done.stderr


def test_a_full_or_read_only_folder_is_said_plainly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from auditor.deployment import config

    for number, why in ((errno.ENOSPC, "it is full"), (errno.EROFS, "read-only file system")):

        def refuse(descriptor: int, number: int = number) -> None:
            raise OSError(number, os.strerror(number))

        monkeypatch.setattr(config.os, "fsync", refuse)
        said = config.check_writable(tmp_path / "data")
        assert said is not None
        assert why in said
        assert not list((tmp_path / "data").iterdir())  # the probe is gone
    monkeypatch.undo()
    assert config.check_writable(tmp_path / "data") is None
