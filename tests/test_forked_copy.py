"""A forked copy started now and answered later (:class:`auditor.base.forked.Copy`), or
answering item by item (:class:`auditor.base.forked.Stream`).

Its answer comes back pickled; its exception becomes :class:`CopyFailed`; and
a copy whose answer nobody reads any more (the caller raised, or left the
``with`` block) is stopped and reaped, not left running beside the audit.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator

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


def test_a_stream_gives_each_item_before_the_copy_has_made_the_next() -> None:
    """The second item waits for a file this process writes only once it has the first:
    the first must come through while the copy is still making items, and the copy is not
    held up by items not read yet (60 of 100 kB each, well beyond a pipe's 64 kB)."""
    ready = f"/tmp/auditor-stream-{os.getpid()}"

    def items() -> Iterator[tuple[int, int, bytes]]:
        yield 0, os.getpid(), b"x" * 100_000
        for _ in range(600):  # bounded: a minute at most
            if os.path.exists(ready):
                break
            time.sleep(0.1)
        else:
            raise TimeoutError("the first item was not read while the copy went on")
        for number in range(1, 60):
            yield number, os.getpid(), b"x" * 100_000

    try:
        with forked.Stream(items) as stream:
            got = []
            for number, pid, data in stream:
                if number == 0:
                    open(ready, "w").close()
                got.append(number)
                assert pid != os.getpid()
                assert len(data) == 100_000
    finally:
        if os.path.exists(ready):
            os.remove(ready)
    assert got == list(range(60))


def test_an_exception_in_a_stream_comes_after_the_items_made_before_it() -> None:
    def items() -> Iterator[int]:
        yield 1
        yield 2
        raise ValueError("no such sheet")

    got: list[int] = []
    with forked.Stream(items) as stream, pytest.raises(forked.CopyFailed, match="ValueError"):
        got.extend(stream)
    assert got == [1, 2]


def test_a_stream_whose_copy_dies_fails_here() -> None:
    def items() -> Iterator[int]:
        yield 1
        os._exit(9)

    with forked.Stream(items) as stream, pytest.raises(forked.CopyFailed, match="stopped"):
        list(stream)


def test_a_stream_left_early_stops_its_copy() -> None:
    def items() -> Iterator[int]:
        yield 1
        time.sleep(3600)
        yield 2

    stream = forked.Stream(items)
    child = stream._child
    assert child is not None
    leaving = threading.Thread(target=lambda: stream.__exit__(None, None, None))
    with stream:
        assert next(iter(stream)) == 1
        leaving.start()
        leaving.join(timeout=60)  # bounded, as above
    assert not leaving.is_alive()
    with pytest.raises(ChildProcessError):
        os.waitpid(child, os.WNOHANG)
