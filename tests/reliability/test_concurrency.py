"""Many audits at once, in threads and in processes, give exactly the serial results.

A licensing system calls the library from a thread pool or a process pool,
each call a different agency. Anything shared between audits (the engine's
sessions, the compiled rule pack, caches, the paused collector) could carry
one audit's finding into another's result, or lose one. The result document
is byte-stable, so comparing it byte for byte with the serial run catches
any finding, gap, amount or warning that crossed over or went missing.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import pytest

import auditor
from tests.reliability import workers
from tests.reliability.books import EXPECTED, JURISDICTION
from tests.reliability.conftest import HANG_GUARD_S

INVALID = Path(__file__).resolve().parents[2] / "sample_audits" / "invalid-workbook.xlsx"
THREADS = 8
PROCESSES = 4


def test_the_variants_are_distinct_and_each_fires_its_own_rules(serial: dict[str, str]) -> None:
    """Without this, a result that took another audit's findings could look right by chance."""
    assert len(set(serial.values())) == len(serial)
    for name, document in serial.items():
        result = auditor.AuditResult.model_validate_json(document)
        fired = {finding.rule_id for finding in result.findings}
        assert EXPECTED[name] <= fired, name
        assert result.jurisdiction == JURISDICTION.get(name, "PH")
        assert bool(fired) == bool(EXPECTED[name])
    owners = [
        {f.subject.id for f in auditor.AuditResult.model_validate_json(d).findings}
        for d in serial.values()
    ]
    assert sum(len(ids) for ids in owners) == len(set().union(*owners))  # no subject id shared


def _refusal(path: Path) -> str:
    with pytest.raises(auditor.InvalidInput) as caught:
        auditor.audit(path)
    return "\n".join(str(problem) for problem in caught.value.problems)


@pytest.fixture
def eager_switching() -> Iterator[None]:
    """Switch threads every few microseconds instead of every 5 ms.

    A small audit's engine stage is shorter than the default switch
    interval, so without this the threads would hardly ever interleave
    inside it. Tried by hand: with one engine session id for every audit
    and the adapter's lock removed, this test passes without it and fails
    at once with it.
    """
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    try:
        yield
    finally:
        sys.setswitchinterval(before)


@pytest.mark.usefixtures("eager_switching")
def test_eight_threads_give_the_serial_results(
    variants: dict[str, Path], serial: dict[str, str]
) -> None:
    """Threads auditing different workbooks, all starting each round together.

    Each variant is audited three times and the refused sample workbook
    eight times, shuffled, in rounds of eight that a barrier releases at
    once, so every stage of one audit overlaps stages of the others.
    """
    refused = _refusal(INVALID)
    jobs = [*list(variants) * 3, *["refused"] * THREADS]
    random.Random(20260630).shuffle(jobs)
    assert len(jobs) % THREADS == 0
    barrier = threading.Barrier(THREADS, timeout=HANG_GUARD_S)
    threads_seen: set[int] = set()

    def run(name: str) -> str:
        barrier.wait()
        threads_seen.add(threading.get_ident())
        try:
            if name == "refused":
                return _refusal(INVALID)
            return auditor.audit(variants[name]).to_json()
        except BaseException:
            barrier.abort()  # the other threads stop waiting for this one's next round
            raise

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        answers = list(pool.map(run, jobs, timeout=HANG_GUARD_S))
    assert len(threads_seen) == THREADS
    for name, answer in zip(jobs, answers, strict=True):
        assert answer == (refused if name == "refused" else serial[name]), name


def test_four_processes_give_the_serial_results(
    variants: dict[str, Path], serial: dict[str, str]
) -> None:
    """Worker processes from ``forkserver``, never forks of this multi-threaded test process.

    Every worker waits at a barrier in its initializer, so all four are
    alive and auditing at the same time; each variant is audited twice.
    """
    context = multiprocessing.get_context("forkserver")
    barrier = context.Barrier(PROCESSES, timeout=HANG_GUARD_S)
    jobs = list(variants) * 2
    random.Random(74127).shuffle(jobs)
    with ProcessPoolExecutor(
        max_workers=PROCESSES,
        mp_context=context,
        initializer=workers.wait_for_all,
        initargs=(barrier,),
    ) as pool:
        answers = list(
            pool.map(
                workers.audit_pid_and_json,
                [str(variants[name]) for name in jobs],
                timeout=HANG_GUARD_S,
            )
        )
    pids = {pid for pid, _ in answers}
    assert os.getpid() not in pids
    assert len(pids) >= 2, "the audits did not run in parallel processes"
    for name, (_, answer) in zip(jobs, answers, strict=True):
        assert answer == serial[name], name
