"""Auditing in a worker process, so that a hang or a crash cannot take the caller with it.

The rule engine and the workbook reader are C and Rust code. A defect
there does not raise: it hangs (durable-rules can spin inside C, see
``docs/durable-rules.md``), aborts the process (a failed Rust allocation)
or segfaults. In a command line that leaves an inspector staring at a
frozen terminal; in a licensing system's server it takes down every audit
in the process. :func:`inspect_isolated` runs one audit in a fresh worker
process with a time limit (and, optionally, a memory limit) and turns each
of those into an :class:`~auditor.errors.EngineError` subclass with a plain
message, raised on the call that caused it:

- the audit ran past ``timeout_s``: the worker is stopped (SIGTERM, then
  SIGKILL) and :class:`~auditor.errors.EngineTimeout` is raised;
- the worker died (a signal, an abort, killed for memory):
  :class:`~auditor.errors.EngineCrash`;
- anything the audit raises on purpose (``InvalidInput``, ``LimitExceeded``,
  ``UsageError``...) is raised in the caller as it was raised in the worker,
  problems and all; any other exception in the worker is a defect, raised
  as :class:`~auditor.errors.EngineError` naming it.

Workers start with the ``forkserver`` method where the platform has it
(Linux, macOS): the fork server imports ``auditor`` once
(:mod:`auditor.runner.preload`), and each worker is a fork of it, never
of the caller, whose threads and locks it would otherwise inherit. Workers
do not re-import the caller's main module, so a plain script may call
:func:`inspect_isolated` at its top level. Elsewhere ``spawn``, where
Python re-runs the caller's script in the worker: there the call must sit
under ``if __name__ == "__main__":``, and a worker that fails that way is
reported as such. Each call has its own process, so
one audit's crash or timeout never touches another's; the price is the
start of a process and the loading of the rule pack, about a second, on
every call. The time limit counts that too. ``auditor audit``, a
single-threaded command, asks for a fork of itself instead (``fork_caller``):
it has imported auditor already, and needs no fork server.
"""

from __future__ import annotations

import datetime as dt
import logging
import multiprocessing
import signal
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection, wait
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import Any, TypeVar

from auditor.base.limits import DEFAULT_LIMITS, Limits
from auditor.base.worker import WORKER_NAME
from auditor.errors import AuditorError, EngineCrash, EngineError, EngineTimeout
from auditor.ingest.load import Source
from auditor.pipeline.logs import LOGGER, Field, log_event
from auditor.verdict.inspection import Inspection

#: The exit status of a worker that failed before running anything of auditor's.
_FAILED_TO_START = 1
#: Seconds a stopped worker gets to exit after SIGTERM before it is killed.
_GRACE_S = 2.0
#: What a worker sends back: ("value" | "error" | "defect", payload, its log events).
_Message = tuple[str, Any, list[tuple[int, str, dict[str, Field]]]]
_Value = TypeVar("_Value")
#: The worker's exit status when Python itself ran out of memory.
_OUT_OF_MEMORY = 75


def inspect_isolated(
    source: Source,
    *,
    timeout_s: float,
    jurisdiction: str | None = None,
    rules_dir: str | Path | None = None,
    limits: Limits = DEFAULT_LIMITS,
    memory_bytes: int | None = None,
) -> Inspection:
    """:func:`auditor.pipeline.inspect_records` in a worker process, within ``timeout_s`` seconds.

    ``memory_bytes`` caps the worker's address space (Linux and macOS);
    an audit that needs more ends as :class:`~auditor.errors.EngineCrash`.
    Raises exactly what the audit raises in-process, or
    :class:`~auditor.errors.EngineTimeout` / :class:`~auditor.errors.EngineCrash`.
    """
    from auditor.model.plausible import checking_day

    result, dataset = run_audit_isolated(
        _inspect,
        # The day of the check is the caller's (a service's upload day, a test's fixed
        # day): a worker process does not inherit the caller's context.
        (source, jurisdiction, rules_dir, limits, checking_day()),
        timeout_s=timeout_s,
        memory_bytes=memory_bytes,
    )
    return Inspection.of(result, dataset, rules_dir=rules_dir)


def run_audit_isolated(
    function: Callable[..., _Value],
    arguments: tuple[Any, ...],
    *,
    timeout_s: float,
    memory_bytes: int | None = None,
    fork_caller: bool = False,
) -> _Value:
    """:func:`run_isolated` for an audit: the same, and the ``audit.isolated`` log event.

    ``auditor audit`` passes a function that audits and renders the reports
    in the worker, so that only their bytes travel back.
    """
    started = time.perf_counter()
    outcome = "error"
    try:
        value: _Value = run_isolated(
            function,
            arguments,
            timeout_s=timeout_s,
            memory_bytes=memory_bytes,
            fork_caller=fork_caller,
        )
        outcome = "done"
        return value
    except EngineTimeout:
        outcome = "timeout"
        raise
    except EngineCrash:
        outcome = "crash"
        raise
    finally:
        elapsed = round((time.perf_counter() - started) * 1000, 1)
        log_event(
            "audit.isolated", {"outcome": outcome, "timeout_s": timeout_s, "total_ms": elapsed}
        )


def _inspect(
    source: Source,
    jurisdiction: str | None,
    rules_dir: str | Path | None,
    limits: Limits,
    day: dt.date,
) -> tuple[Any, Any]:
    """The worker's side: the audit, and the two parts the caller rebuilds it from."""
    from auditor.model.plausible import checked_on
    from auditor.pipeline import inspect_records

    with checked_on(day):
        inspection = inspect_records(
            source, jurisdiction=jurisdiction, rules_dir=rules_dir, limits=limits
        )
    return inspection.result, inspection.dataset


def run_isolated(
    function: Callable[..., Any],
    arguments: tuple[Any, ...],
    *,
    timeout_s: float,
    memory_bytes: int | None = None,
    fork_caller: bool = False,
) -> Any:
    """``function(*arguments)`` in a fresh worker process; its value, or the error it raised.

    ``function`` must be importable by name (a module-level function), and
    its arguments and value picklable. ``fork_caller``: the worker may be a
    fork of the caller itself, already warm, instead of the fork server's
    (which costs a second interpreter's start and imports, about a second a
    command); taken only where the platform forks and the caller runs no
    other thread, as ``auditor audit`` does.
    """
    if not timeout_s > 0:
        raise ValueError("timeout_s must be a positive number of seconds")
    context = _context(fork_caller)
    receiver, sender = context.Pipe(duplex=False)
    worker = context.Process(  # type: ignore[attr-defined]  # BaseContext lists Process at run time
        target=_work,
        args=(sender, function, arguments, memory_bytes, LOGGER.getEffectiveLevel()),
        name=WORKER_NAME,
        daemon=True,
    )
    worker.start()
    sender.close()  # the worker holds the only writing end: its death reads as end of file
    try:
        message = _await(receiver, worker, timeout_s)
    finally:
        receiver.close()
        _stop(worker)
    kind, payload, events = message
    for level, event, fields in events:  # the worker's log records, in the caller's logging
        log_event(event, fields, level=level)
    if kind == "value":
        return payload
    if kind == "error":
        raise payload
    raise EngineError(
        f"internal error in the audit's worker process ({payload}); this is a defect of "
        "auditor, not of your workbook"
    )


#: What the fork server imports before its first worker: the audit's modules and data, and,
#: for a caller that renders PDFs in its workers, an example report (see below).
_PRELOAD = ["auditor.runner.preload"]
_PDF_PRELOAD = "auditor.runner.warm_pdf"
_REPORTS_PRELOAD = "auditor.runner.warm_reports"


def warm_pdf_in_workers() -> None:
    """Have the fork server load the PDF renderer before its first worker.

    For a caller whose workers render PDFs but which renders no example
    first (a batch asked for ``--format pdf``): each worker then forks with
    WeasyPrint and the report's stylesheet loaded, not paying 0.85 s for
    them every workbook (:mod:`auditor.runner.warm_pdf`). Called before the
    caller's first isolated audit; afterwards it changes nothing.
    """
    if _PDF_PRELOAD not in _PRELOAD:
        _PRELOAD.append(_PDF_PRELOAD)


def warm_reports_in_workers() -> None:
    """Have the fork server render an example report before its first worker.

    For a long-lived caller whose workers render PDFs (the service's job
    worker, ``auditor.service.workers.run_worker``): each worker's first PDF
    is then not its process's first, about 0.2-0.3 s faster
    (:mod:`auditor.runner.warm_reports`), for three seconds once in the fork
    server. Called before the caller's first isolated audit, as the fork
    server starts then; afterwards it changes nothing. A caller that
    wants results only (``inspect_isolated`` for the JSON), or a batch of a
    few workbooks (each pool process has its own fork server), does not pay for it.
    """
    if _REPORTS_PRELOAD not in _PRELOAD:
        _PRELOAD.append(_REPORTS_PRELOAD)


def start_fork_server() -> None:
    """Start the fork server now, rather than at the first isolated audit.

    The server imports the audit's modules and, when asked
    (:func:`warm_reports_in_workers`), renders the example report: three to
    five seconds, in a process of its own. Started as a long-lived caller
    starts (the service's job worker), that happens while nobody waits,
    and the first upload after a restart costs what every other one does.
    The server is not awaited: an audit that comes sooner queues at its
    socket until it is ready. Without a ``forkserver`` start method (not
    Linux) there is nothing to start.
    """
    if _context().get_start_method() != "forkserver":
        return
    from multiprocessing import forkserver

    forkserver.ensure_running()


def _context(fork_caller: bool = False) -> BaseContext:
    methods = multiprocessing.get_all_start_methods()
    if fork_caller and "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        # Imported once in the fork server: workers start warm, without the caller's script.
        context.set_forkserver_preload(list(_PRELOAD))
        return context
    return multiprocessing.get_context("spawn")


def _await(receiver: Connection, worker: Any, timeout_s: float) -> _Message:
    """The worker's one message, or the error its silence means."""
    ready = wait([receiver, worker.sentinel], timeout=timeout_s)
    if receiver in ready:
        try:
            message: _Message = receiver.recv()
        except (EOFError, OSError):
            pass  # it died while answering: fall through to how it died
        else:
            return message
    if not ready:
        raise EngineTimeout(
            f"the audit did not finish within {timeout_s:g} seconds and was stopped; no report "
            "was made. A workbook this size may need a longer time limit; otherwise this is a "
            "defect of auditor"
        )
    worker.join(_GRACE_S)
    if worker.exitcode == _FAILED_TO_START:
        raise EngineCrash(
            "the audit's worker process failed before the audit began (exit status 1; its "
            "error is on standard error); no report was made. The usual cause: Python re-ran "
            "the calling script in the worker, where inspect_isolated may not start another "
            'process. Put the script\'s audit under  if __name__ == "__main__":'
        )
    raise EngineCrash(
        f"the audit's worker process stopped unexpectedly ({_death(worker.exitcode)}); no "
        "report was made. This is a defect of auditor, though this workbook may have set it off"
    )


def _death(code: int | None) -> str:
    if code is None:
        return "it stopped answering"
    if code == _OUT_OF_MEMORY:
        return "it ran out of memory"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        if name == "SIGKILL":
            return "killed by SIGKILL, perhaps for using too much memory"
        return f"killed by {name}"
    return f"exit status {code}"


def _stop(worker: Any) -> None:
    """Make sure the worker is gone: it has answered, or it must not go on."""
    if worker.is_alive():
        worker.terminate()
        worker.join(_GRACE_S)
    if worker.is_alive():
        worker.kill()
        worker.join()
    worker.close()


class _Events(logging.Handler):
    """Keeps the worker's ``auditor`` log events, to be logged again by the caller.

    A worker started by the fork server has none of the caller's logging
    set-up, so its records (``audit.done`` with the input's digest, or
    ``audit.refused``) would be lost; they travel back with the answer as
    the plain fields :func:`~auditor.pipeline.logs.log_event` takes.
    """

    def __init__(self) -> None:
        super().__init__()
        self.kept: list[tuple[int, str, dict[str, Field]]] = []

    def emit(self, record: logging.LogRecord) -> None:
        event, fields = getattr(record, "event", None), getattr(record, "fields", None)
        if isinstance(event, str) and isinstance(fields, dict):
            self.kept.append((record.levelno, event, fields))


def _work(
    sender: Connection,
    function: Callable[..., Any],
    arguments: tuple[Any, ...],
    memory_bytes: int | None,
    log_level: int,
) -> None:
    """Run in the worker: answer with ("value", v), ("error", AuditorError) or ("defect", text),
    and the log events the work made."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the caller's: it stops the worker
    if memory_bytes is not None:
        _limit_memory(memory_bytes)
    events = _Events()
    # Only the caller logs: a forked worker would otherwise also write through the handlers
    # it inherited, and every event would appear twice.
    LOGGER.handlers = [events]
    LOGGER.propagate = False
    LOGGER.setLevel(log_level)
    try:
        message: _Message = ("value", function(*arguments), events.kept)
    except AuditorError as error:
        message = ("error", error, events.kept)
    except MemoryError:
        raise SystemExit(_OUT_OF_MEMORY) from None
    except Exception as error:
        message = ("defect", f"{type(error).__name__}: {error}"[:500], events.kept)
    try:
        sender.send(message)
    except Exception as error:  # an unpicklable value: a defect, said plainly
        failed = f"the answer could not be sent back ({type(error).__name__})"
        sender.send(("defect", failed, events.kept))
    finally:
        sender.close()


def _limit_memory(memory_bytes: int) -> None:
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows has no address-space limit
        return
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
