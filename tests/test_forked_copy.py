"""A forked copy started now and answered later (:class:`auditor.base.forked.Copy`).

Its answer comes back pickled; its exception becomes :class:`CopyFailed`; and
a copy whose answer nobody reads any more (the caller raised, or left the
``with`` block) is stopped and reaped, not left running beside the audit.
"""

from __future__ import annotations

import os
import threading
import time

import pytest

from auditor.base import forked


def test_the_answer_comes_back_once_asked_for() -> None:
    with forked.Copy(lambda: {"pid": os.getpid(), "sum": sum(range(1000))}) as copy:
        here = sum(range(10))
        answer = copy.answer()
    assert here == 45
    assert answer["sum"] == 499500
    assert answer["pid"] != os.getpid()


def test_an_exception_in_the_copy_is_said_here() -> None:
    def fails() -> int:
        raise ValueError("no such sheet")

    with forked.Copy(fails) as copy, pytest.raises(forked.CopyFailed, match="ValueError: no such"):
        copy.answer()


def test_a_copy_nobody_waits_for_is_stopped_and_reaped() -> None:
    copy = forked.Copy(lambda: time.sleep(3600))
    child = copy._child
    assert child is not None
    leaving = threading.Thread(target=copy.__exit__, args=(None, None, None))
    leaving.start()
    leaving.join(timeout=60)  # bounded: a copy left to sleep would hold this for an hour
    assert not leaving.is_alive()
    with pytest.raises(ChildProcessError):  # reaped: no longer this process's child
        os.waitpid(child, os.WNOHANG)
