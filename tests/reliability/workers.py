"""Functions run in other processes by the reliability tests.

They live at module level in an importable module because a worker
process (``multiprocessing`` with ``forkserver`` or ``spawn``, and
``auditor.runner.isolation.run_isolated``) finds its function by name. Each one
does one real thing: audit, hang, die, run out of memory, or raise.
"""

from __future__ import annotations

import gc
import json
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

from auditor.errors import InvalidInput, LimitExceeded
from auditor.model.codes import Code
from auditor.model.problems import Level, Problem


def wait_for_all(barrier: Any) -> None:
    """A process pool's initializer: start work only once every worker process is alive."""
    barrier.wait()


def audit_json(path: str) -> str:
    """The result document of one in-process audit, as the library gives it."""
    import auditor

    return auditor.audit(path).to_json()


def audit_pid_and_json(path: str) -> tuple[int, str]:
    """As :func:`audit_json`, with the id of the process that audited."""
    return os.getpid(), audit_json(path)


def _note_pid(pid_file: str) -> None:
    Path(pid_file).write_text(str(os.getpid()), encoding="utf-8")


def sleep_forever(pid_file: str) -> None:
    """A hang: note this process's id, then never return."""
    _note_pid(pid_file)
    while True:
        time.sleep(3600)


def sleep_forever_ignoring_sigterm(pid_file: str) -> None:
    """A hang that SIGTERM cannot end, as a thread stuck in C code would be."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    sleep_forever(pid_file)


def abort() -> None:
    """A crash like a failed Rust allocation or a C assertion: SIGABRT."""
    os.abort()


def exit_abruptly(status: int) -> None:
    """A worker that leaves without answering and without Python's clean-up."""
    os._exit(status)


def kill_self() -> None:
    """A worker killed from outside, as the kernel's out-of-memory killer does."""
    os.kill(os.getpid(), signal.SIGKILL)


def allocate(size: int) -> int:
    """Ask for ``size`` bytes at once; under a lower address-space limit, MemoryError."""
    block = bytearray(size)
    return len(block)


def raise_invalid(kind: str) -> None:
    """Raise an input error with problems and warnings, as a real check would."""
    problems = [
        Problem(
            "Fees!E7",
            'amount must be a number >= 0, got "two hundred"',
            Level.ERROR,
            (4, 7, 5, "000000004"),
            code=Code.NOT_A_NUMBER,
        ),
        Problem(
            "Workers!C3",
            "date_of_birth must be a date",
            Level.ERROR,
            (2, 3, 3, "000000002"),
            code=Code.NOT_A_DATE,
        ),
    ]
    warnings = [
        Problem(
            "Fees!N1", "unknown column notes is ignored", Level.WARNING, code=Code.UNKNOWN_COLUMN
        )
    ]
    if kind == "limit":
        raise LimitExceeded(problems[:1])
    raise InvalidInput(problems, warnings)


def raise_defect(message: str) -> None:
    """An exception that is not an AuditorError: a defect in the worker."""
    raise ValueError(message)


def unpicklable() -> Any:
    """A value that cannot be sent back to the caller."""
    return threading.Lock()


def resident_bytes() -> int:
    """This process's resident set size, from ``/proc/self/statm`` (pages, second field)."""
    pages = int(Path("/proc/self/statm").read_text(encoding="ascii").split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE")


def memory_profile(path: str, audits: int, every: int) -> dict[str, Any]:
    """Audit the workbook's dataset ``audits`` times; RSS after a full collection every ``every``.

    The workbook is read once: the audits under test are the library's
    ``audit(dataset)`` calls (enrichment, engine sessions, outcome, result),
    and reading it 500 times would only add the reader's time.
    """
    import auditor

    dataset = auditor.read_workbook(path)
    first = auditor.audit(dataset).to_json()
    samples: dict[int, int] = {}
    same = True
    for number in range(1, audits + 1):
        result = auditor.audit(dataset)
        if number % every == 0:
            same = same and result.to_json() == first
            del result
            gc.collect()
            samples[number] = resident_bytes()
    return {"samples": samples, "same": same}


def frozen_by_a_pause() -> dict[str, int | bool]:
    """What a collector pause leaves: the objects made in it frozen (in a worker only)."""
    from auditor.base.gcpause import paused_gc

    before = gc.get_freeze_count()
    with paused_gc():
        kept = [[index] for index in range(1000)]  # 1,001 objects the collector tracks
    return {"frozen": gc.get_freeze_count() - before, "enabled": gc.isenabled(), "kept": len(kept)}


def frozen_after_keeping() -> int:
    """Objects the collector no longer scans after :func:`auditor.base.gcpause.keep_until_exit`."""
    from auditor.base.gcpause import keep_until_exit

    keep_until_exit()
    return gc.get_freeze_count()


if __name__ == "__main__":
    # python -m tests.reliability.workers WORKBOOK AUDITS EVERY: the memory profile as JSON.
    workbook, count, step = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    print(json.dumps(memory_profile(workbook, count, step)))


def fork_server_state() -> dict[str, Any]:
    """Whether this worker's fork server rendered the example report, loaded the PDF renderer,
    and froze its objects."""
    return {
        "loaded": "auditor.runner.warm_reports" in sys.modules,
        "pdf": "weasyprint" in sys.modules,
        "frozen": gc.get_freeze_count(),
    }
