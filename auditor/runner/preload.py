"""What the fork server of :mod:`auditor.runner.isolation` imports once, before any worker forks.

Two things. What every audit loads, so that each worker starts warm: the
audit's modules, the shipped rule pack parsed, compiled and registered in
the engine (each was about half a second to three seconds of every
isolated audit, on every upload of a service and every workbook of a
batch; issue 15), then one small example audit, and everything frozen out of the collector's reach
(issue 26: each worker of a batch is a fork of a process that has audited).
The PDF renderer is not among them: WeasyPrint's import and the report's
stylesheet cost the server 0.85 s, which a batch of JSON or a library's
``inspect_isolated`` would pay at every start for nothing; a caller whose
workers render PDFs asks for it (:mod:`auditor.runner.warm_pdf`). And a
guard against re-running the caller's script: a ``forkserver`` or
``spawn`` child normally re-imports the parent's main module before it
unpickles its target, which runs a plain script's top level, and with it
the script's own call of :func:`auditor.inspect_isolated`, in the worker
(Python refuses; the worker dies). An auditor worker needs nothing from the
caller's main module (its target and arguments are importable auditor
code and data), so for processes named ``WORKER_NAME`` the fork
server skips that step; every other process the same fork server starts
(the caller's own) is prepared exactly as multiprocessing prepares it.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Mapping
from multiprocessing import spawn
from typing import Any

import auditor.pipeline  # noqa: F401  # imported for its side effect: workers start warm
from auditor.base.worker import WORKER_NAME

_MAIN_KEYS = ("init_main_from_path", "init_main_from_name")


def _without_main(prepare: Callable[[Mapping[str, Any]], None]) -> Callable[..., None]:
    def prepare_worker(data: Mapping[str, Any]) -> None:
        if data.get("name") == WORKER_NAME:
            data = {key: value for key, value in data.items() if key not in _MAIN_KEYS}
        prepare(data)

    prepare_worker.__wrapped__ = prepare  # type: ignore[attr-defined]
    return prepare_worker


if not hasattr(spawn.prepare, "__wrapped__"):  # once, however often this is imported
    spawn.prepare = _without_main(spawn.prepare)


def _warm() -> None:
    """Load once here what every worker would load again; a failure is left to the audit.

    A broken rule directory or a missing font must be reported by the audit
    that meets it, located, as ever, not take the fork server down: so
    anything raised here is dropped, and the worker simply starts cold.
    """
    try:
        from auditor.engine import durable_adapter
        from auditor.engine.pack import compile_pack, rule_pack

        compiled = compile_pack(rule_pack())
        durable_adapter.register(compiled.name, compiled.ruleset)
    except Exception:  # the audit itself will say what is wrong
        pass
    try:
        # One small audit, its JSON rendered: what a process's first audit fills lazily
        # (validators, caches, the engine's session) is filled here, once. Measured on
        # bench/batch.py's 200-worker workbooks (issue 26): a worker's processor time per
        # audit 0.135-0.141 s without it, 0.083-0.097 s with it, at a load of 8.
        from auditor.render import Copy, render_json
        from auditor.runner.example_report import example_inspection

        render_json(example_inspection(), Copy.INSPECTOR)
    except Exception:  # the audit that meets the problem says it, located
        pass
    # Everything loaded so far lives as long as the server: out of the collector's reach, so
    # a worker's collections neither scan it nor copy its pages (copy on write).
    gc.collect()
    gc.freeze()


_warm()
