"""An audit in a worker process: hangs, crashes and errors become exceptions of the caller.

``auditor.runner.isolation`` exists for the failures that do not raise: a spin
inside the C engine, an abort in the Rust reader, a process killed for its
memory. Each is produced here for real in the worker (a function that
never returns, ``os.abort``, ``SIGKILL``, an address-space limit) and must
come back as the documented :class:`~auditor.errors.EngineError` subclass,
with the worker gone; errors raised on purpose must arrive exactly as
raised. Every wait has a hang guard; none is a measure of time.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

import auditor
from auditor.errors import EngineCrash, EngineError, EngineTimeout
from auditor.render import Copy
from auditor.runner.isolation import inspect_isolated, run_isolated
from tests.reliability import workers
from tests.reliability.conftest import HANG_GUARD_S

ROOT = Path(__file__).resolve().parents[2]
INVALID = ROOT / "sample_audits" / "invalid-workbook.xlsx"
#: The limit given to a worker that will never finish: small, so the test is short.
SHORT_TIMEOUT_S = 1.5


def _guarded(function: Any, *arguments: Any, **options: Any) -> Any:
    """Call in a thread and wait at most HANG_GUARD_S: a hang fails the test, never the run."""
    pool = ThreadPoolExecutor(max_workers=1)
    try:
        return pool.submit(function, *arguments, **options).result(timeout=HANG_GUARD_S)
    finally:
        pool.shutdown(wait=False)


def _gone(pid: int) -> bool:
    """The process has ended (it may linger as a zombie until its parent reaps it)."""
    deadline = time.monotonic() + HANG_GUARD_S
    while time.monotonic() < deadline:
        try:
            status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
        except FileNotFoundError:
            return True
        if "\nState:\tZ" in status or "\nState:\tX" in status:
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize(
    "hang",
    [workers.sleep_forever, workers.sleep_forever_ignoring_sigterm],
    ids=lambda f: f.__name__,
)
def test_a_hang_becomes_engine_timeout_and_the_worker_is_stopped(hang: Any, tmp_path: Path) -> None:
    """Also when the worker ignores SIGTERM, as one stuck in C code may: then SIGKILL."""
    pid_file = tmp_path / "pid"
    # The fork server started first (its imports and rule pack take seconds on a busy
    # machine, more than the short limit), so that the limit is the hung worker's own.
    _guarded(run_isolated, workers.resident_bytes, (), timeout_s=HANG_GUARD_S)
    with pytest.raises(EngineTimeout, match=f"within {SHORT_TIMEOUT_S:g} seconds"):
        _guarded(run_isolated, hang, (str(pid_file),), timeout_s=SHORT_TIMEOUT_S)
    pid = int(pid_file.read_text(encoding="utf-8"))
    assert pid != os.getpid()
    assert _gone(pid), f"the hung worker {pid} is still running"


@pytest.mark.parametrize(
    ("crash", "arguments", "cause"),
    [
        (workers.abort, (), "killed by SIGABRT"),
        (workers.kill_self, (), "killed by SIGKILL, perhaps for using too much memory"),
        (workers.exit_abruptly, (7,), "exit status 7"),
        (workers.exit_abruptly, (0,), "exit status 0"),
    ],
    ids=["abort", "sigkill", "exit-7", "exit-0-without-answer"],
)
def test_a_crash_becomes_engine_crash(crash: Any, arguments: tuple[Any, ...], cause: str) -> None:
    with pytest.raises(EngineCrash) as caught:
        _guarded(run_isolated, crash, arguments, timeout_s=HANG_GUARD_S)
    assert f"stopped unexpectedly ({cause})" in str(caught.value)
    assert type(caught.value) is EngineCrash


def test_running_out_of_memory_under_the_limit_becomes_engine_crash() -> None:
    """The address-space limit makes the worker's allocation fail, not the machine's."""
    limit = 1024**3
    with pytest.raises(EngineCrash, match="ran out of memory"):
        _guarded(
            run_isolated, workers.allocate, (2 * limit,), timeout_s=HANG_GUARD_S, memory_bytes=limit
        )
    # The same allocation without the limit succeeds: the limit, not the machine, stopped it.
    small = 64 * 1024**2
    assert _guarded(run_isolated, workers.allocate, (small,), timeout_s=HANG_GUARD_S) == small


@pytest.mark.parametrize("kind", ["invalid", "limit"])
def test_an_input_error_raised_in_the_worker_arrives_intact(kind: str) -> None:
    """Type, every problem (place, text, level, sort key) and every warning."""
    with pytest.raises(auditor.InvalidInput) as here:
        workers.raise_invalid(kind)
    with pytest.raises(auditor.InvalidInput) as there:
        _guarded(run_isolated, workers.raise_invalid, (kind,), timeout_s=HANG_GUARD_S)
    assert type(there.value) is type(here.value)
    assert there.value.problems == here.value.problems
    assert [p.sort_key for p in there.value.problems] == [p.sort_key for p in here.value.problems]
    assert there.value.warnings == here.value.warnings
    assert str(there.value) == str(here.value)


def test_an_invalid_workbook_is_refused_in_isolation_as_in_process() -> None:
    with pytest.raises(auditor.InvalidInput) as here:
        auditor.inspect_records(INVALID)
    with pytest.raises(auditor.InvalidInput) as there:
        _guarded(inspect_isolated, INVALID, timeout_s=HANG_GUARD_S)
    assert type(there.value) is auditor.InvalidInput
    assert len(there.value.problems) > 1
    assert there.value.problems == here.value.problems
    assert there.value.warnings == here.value.warnings


def test_an_over_limit_workbook_raises_limit_exceeded_in_isolation() -> None:
    """The caller's limits reach the worker, and the subclass survives the trip back."""
    limits = auditor.Limits(max_rows_per_sheet=1)
    with pytest.raises(auditor.LimitExceeded) as here:
        auditor.inspect_records(ROOT / "sample_audits" / "agency-with-problems.xlsx", limits=limits)
    with pytest.raises(auditor.LimitExceeded) as there:
        _guarded(
            inspect_isolated,
            ROOT / "sample_audits" / "agency-with-problems.xlsx",
            timeout_s=HANG_GUARD_S,
            limits=limits,
        )
    assert there.value.problems == here.value.problems


def test_any_other_exception_in_the_worker_is_an_engine_error_naming_it() -> None:
    with pytest.raises(
        EngineError, match=r"internal error .*\(ValueError: no such thing\)"
    ) as caught:
        _guarded(run_isolated, workers.raise_defect, ("no such thing",), timeout_s=HANG_GUARD_S)
    assert type(caught.value) is EngineError


def test_an_answer_that_cannot_be_sent_back_is_an_engine_error() -> None:
    with pytest.raises(EngineError, match="could not be sent back") as caught:
        _guarded(run_isolated, workers.unpicklable, (), timeout_s=HANG_GUARD_S)
    assert type(caught.value) is EngineError


def test_a_time_limit_must_be_positive() -> None:
    for timeout in (0, -1.0, float("nan")):
        with pytest.raises(ValueError, match="positive"):
            run_isolated(workers.abort, (), timeout_s=timeout)


def test_the_isolated_audit_equals_the_in_process_audit(
    variants: dict[str, Path], serial: dict[str, str]
) -> None:
    """Result, records, rules and profile; the reports made from them are the same bytes."""
    path = variants["complaints"]
    here = auditor.inspect_records(path)
    there = _guarded(inspect_isolated, path, timeout_s=HANG_GUARD_S)
    assert there.result == here.result
    assert there.result.to_json() == serial["complaints"]
    assert there.dataset == here.dataset
    assert there.pack.version == here.pack.version
    assert there.profile == here.profile
    for copy in Copy:
        assert auditor.render_json(there, copy) == auditor.render_json(here, copy)
    assert auditor.render_xlsx(there) == auditor.render_xlsx(here)


def test_only_an_isolated_worker_freezes_its_objects_for_the_collector() -> None:
    """A worker ends after its reports, so it may; a caller's process (a test) never does."""
    import gc

    assert _guarded(run_isolated, workers.frozen_after_keeping, (), timeout_s=HANG_GUARD_S) > 0
    assert workers.frozen_after_keeping() == 0
    assert gc.get_freeze_count() == 0


def test_an_isolated_worker_freezes_what_a_pause_made_before_the_collector_scans_it() -> None:
    """Ending the pause would otherwise collect every object of the audit, all alive (issue 26)."""
    import gc

    there = _guarded(run_isolated, workers.frozen_by_a_pause, (), timeout_s=HANG_GUARD_S)
    assert there["frozen"] >= 1001
    assert there["enabled"]
    here = workers.frozen_by_a_pause()
    assert here == {"frozen": 0, "enabled": True, "kept": 1000}
    assert gc.get_freeze_count() == 0


def test_after_a_crash_and_a_hang_the_next_isolated_audit_is_unaffected(
    variants: dict[str, Path], serial: dict[str, str], tmp_path: Path
) -> None:
    """Each call has a process of its own; one's death leaves nothing behind for the next."""
    with pytest.raises(EngineCrash):
        _guarded(run_isolated, workers.abort, (), timeout_s=HANG_GUARD_S)
    with pytest.raises(EngineTimeout):
        _guarded(
            run_isolated, workers.sleep_forever, (str(tmp_path / "pid"),), timeout_s=SHORT_TIMEOUT_S
        )
    for name in ("np_free_visa", "forced_labour"):
        there = _guarded(inspect_isolated, variants[name], timeout_s=HANG_GUARD_S)
        assert there.result.to_json() == serial[name]
