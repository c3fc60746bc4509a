"""Pausing Python's cyclic garbage collector while records are built in bulk.

Reading a 50,000-worker workbook creates over a million objects that live
on; the collector re-scans them again and again as the heap grows and
costs a fifth of the reading time, while finding nothing: records hold no
reference cycles. The pause is counted, so that audits running in several
threads of one process keep it until the last one leaves, and it restores
whatever state the collector had before.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class _Pause:
    """How many callers want the collector paused, and whether it ran before the first."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.depth = 0
        self.was_enabled = False


_pause = _Pause()


@contextmanager
def paused_gc() -> Iterator[None]:
    """Disable the cyclic collector for the duration; reference counting still frees memory."""
    with _pause.lock:
        if _pause.depth == 0:
            _pause.was_enabled = gc.isenabled()
            gc.disable()
        _pause.depth += 1
    try:
        yield
    finally:
        with _pause.lock:
            _pause.depth -= 1
            if _pause.depth == 0 and _pause.was_enabled:
                _age_survivors()
                gc.enable()


def _age_survivors() -> None:
    """Spare the collector two traversals of everything the pause made and kept.

    The counter of allocations keeps running while the collector is paused,
    so the first allocation after it traverses every object made in the
    pause (the youngest generation's whole list) and moves them up, and ten
    young collections later the middle generation's collection traverses
    them again: 0.29 s and 1.08 s of processor time after a dense
    50,000-worker audit's pause, which profiles showed in
    ``contextlib``'s ``__exit__``. They survived bulk building and hold no
    cycle, so they go straight to the oldest generation instead, which only
    the rare full collection scans. An isolated audit's worker freezes them,
    as :func:`keep_until_exit` freezes all it keeps a moment later; a
    process where nothing is frozen moves them with an empty freeze
    (:func:`gc.freeze` then :func:`gc.unfreeze`, a splice of lists); a
    process that froze what it shares with its forks (the fork server's
    preload) keeps the collector's own course, since unfreezing would undo that.
    """
    from auditor.base.worker import in_isolated_worker

    if in_isolated_worker():
        gc.freeze()
    elif gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()


def keep_until_exit() -> None:
    """Take every object alive now out of the collector's view, for the rest of the process.

    For a process that audits once and ends (an isolated worker, the command
    line): after the audit, its records and findings live until the end,
    and rendering the reports would otherwise have the collector scan those
    millions of objects again and again, finding nothing to free (about four
    seconds of a 50,000-worker audit's PDF; issue 15). Never for a process
    that goes on to other work: frozen objects are never collected. So it
    acts only in an isolated audit's worker (:mod:`auditor.runner.isolation`), and
    does nothing in a caller's process (a test, ``--in-process``).
    """
    from auditor.base.worker import in_isolated_worker

    if in_isolated_worker():
        gc.freeze()
