"""Running a batch's jobs: a local pool of ``--jobs`` threads, or the service's queue.

Each local thread only waits: its job runs in its own isolated process
(:func:`auditor.runner.isolation.run_isolated`), so ``--jobs 2`` uses two cores,
one workbook's crash or hang touches no other, and a bad workbook is that
workbook's row, never the batch's end. Jobs already done (their row is
there) are counted at once and not run again.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any

from auditor.batch.inputs import Input
from auditor.batch.job import FAILED, INVALID, ROW, Job, execute, read_row

Row = dict[str, Any]


class Progress:
    """A progress bar on a terminal (tqdm), one plain line per workbook otherwise."""

    def __init__(self, total: int, verb: str) -> None:
        self.total, self.count, self.verb = total, 0, verb
        self.bar: Any = None
        if sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="workbook", desc=verb, file=sys.stderr)

    def done(self, row: Row) -> None:
        self.count += 1
        if self.bar is not None:
            self.bar.update(1)
            return
        print(f"auditor: [{self.count}/{self.total}] {_said(row)}", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _said(row: Row) -> str:
    status = row["status"]
    if status == "done":
        return f"{row['source']}: rating {row['rating']}, score {row['score']}"
    if status in (INVALID, FAILED):
        return f"{row['source']}: {status} ({row.get('message', '')})"
    return f"{row['source']}: {status}"


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def start_local_workers(*, pdf: bool) -> None:
    """Start the workers' fork server now, so that it loads while the batch plans.

    Its start (an interpreter, the audit's modules, an example audit: about
    1.8 s) is the one cost a batch pays whatever ``--jobs`` says, so the less
    of it the pool waits for, the nearer ``--jobs 2`` comes to halving a
    serial run (issue 26). The PDF renderer is loaded there only when the
    batch renders PDFs. Not for ``--queue``: its workers are other processes.
    """
    from auditor.runner.isolation import start_fork_server, warm_pdf_in_workers

    if pdf:
        warm_pdf_in_workers()
    start_fork_server()


def run(
    inputs: list[Input],
    *,
    jobs: int,
    verb: str,
    queue: str | None = None,
    options: dict[str, float] | None = None,
) -> list[Row]:
    """Every input's row, in input order; identical inputs are done once."""
    unique: dict[str, Job] = {}
    for entry in inputs:
        if entry.job is not None:
            unique.setdefault(entry.job.folder, entry.job)
    progress = Progress(len(inputs), verb)
    rows: dict[str, Row] = {}
    try:
        pending = []
        for folder, job in unique.items():
            done = read_row(Path(folder))
            if done is not None and done["status"] == FAILED:  # a crash or timeout: try again
                (Path(folder) / ROW).unlink(missing_ok=True)
                done = None
            if done is None:
                pending.append(job)
            else:
                rows[folder] = done
        for entry in inputs:  # what needs no work is counted first
            if entry.job is None or entry.job.folder in rows:
                progress.done(_row_of(entry, rows))

        def finished(job: Job, row: Row) -> None:
            rows[job.folder] = row
            for entry in inputs:
                if entry.job is not None and entry.job.folder == job.folder:
                    progress.done(_row_of(entry, rows))

        if queue is not None:
            from auditor.batch.remote import run_on_queue

            run_on_queue(pending, queue, finished, **(options or {}))
        else:
            _run_locally(pending, jobs, finished)
    finally:
        progress.close()
    return [_row_of(entry, rows) for entry in inputs]


def _row_of(entry: Input, rows: dict[str, Row]) -> Row:
    if entry.job is None:
        return {"source": entry.source, "status": INVALID, "problems": [],
                "message": entry.problem or "not read"}  # fmt: skip
    return dict(rows[entry.job.folder], source=entry.source, folder=entry.job.folder)


def _run_locally(pending: list[Job], jobs: int, finished: Callable[[Job, Row], None]) -> None:
    pool = ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="auditor-batch")
    try:
        running: dict[Future[Row], Job] = {pool.submit(execute, job): job for job in pending}
        while running:
            ready, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in ready:
                finished(running.pop(future), future.result())
    finally:  # on Ctrl-C: start nothing more; what runs ends with its row, or without one
        pool.shutdown(wait=False, cancel_futures=True)
