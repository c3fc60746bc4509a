"""A second core for one piece of work: run it in a forked copy of this process.

Used where a single audit or its reports have two independent halves: the
engine's shards on a large audit (:mod:`auditor.engine.shards`), and the two
copies of the reports, the inspector's and the agency's, that the service and
``auditor audit --copy inspector,agency`` render (a PDF is seconds of
WeasyPrint, all in Python). The copy starts with everything this process
has loaded (the rule pack, the report's parsed stylesheet and fonts) and sends
back only its answer, pickled.

A fork is taken only where it is safe: the platform forks, there is a second
core, and this process runs no other thread, neither Python's nor a
library's (a fork copies no thread but does copy the locks other threads
hold); on Linux the threads are counted in ``/proc/self/task``.
``AUDITOR_PROCESSES=1`` keeps everything in one process.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import struct
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any, Generic, TypeVar

Here = TypeVar("Here")
There = TypeVar("There")
Item = TypeVar("Item")


class CopyFailed(Exception):
    """The forked copy raised (its exception's type and message) or stopped unexpectedly."""


def can_fork() -> bool:
    """Whether a forked copy may run beside this process now (see the module's docstring)."""
    if os.environ.get("AUDITOR_PROCESSES", "").strip() == "1":
        return False
    return (
        hasattr(os, "fork")
        and (os.cpu_count() or 1) >= 2
        and threading.active_count() == 1
        and _one_native_thread()
    )


def _one_native_thread() -> bool:
    """No thread but this one, a library's included; a thread that Python has joined may
    still be leaving the kernel's list for a moment, so it is given up to 20 ms."""
    for _ in range(20):
        try:
            if len(os.listdir("/proc/self/task")) == 1:
                return True
        except OSError:  # no /proc (macOS): Python's own count is what there is
            return True
        time.sleep(0.001)
    return False


def beside(here: Callable[[], Here], there: Callable[[], There]) -> tuple[Here, There]:
    """``here()`` in this process while ``there()`` runs in a forked copy; both answers.

    The caller checks :func:`can_fork` first. An exception in ``here`` is
    raised once the copy has been stopped; one in ``there`` (or the copy
    dying) raises :class:`CopyFailed` after ``here`` has finished.
    """
    with Copy(there) as copy:
        mine = here()
        return mine, copy.answer()


class Copy(Generic[There]):
    """``there()`` running in a forked copy of this process from now on; :meth:`answer` waits.

    The caller checks :func:`can_fork` first, and may start threads once the
    copy is made. Used as a context manager, so that a copy whose answer is
    no longer wanted (the caller raised) is stopped and waited for, never left
    running.
    """

    def __init__(self, there: Callable[[], There]) -> None:
        parent = os.getpid()
        reading, writing = os.pipe()
        child = os.fork()
        if child == 0:  # the copy: run, send the answer, and leave without any cleanup
            status = 1
            try:
                os.close(reading)
                _die_with(parent)
                try:
                    answer: tuple[str, Any] = ("answer", there())
                except Exception as error:  # said in the parent
                    answer = ("error", f"{type(error).__name__}: {error}"[:500])
                with os.fdopen(writing, "wb") as sending:
                    pickle.dump(answer, sending, protocol=pickle.HIGHEST_PROTOCOL)
                status = 0
            finally:
                os._exit(status)
        os.close(writing)
        self._child: int | None = child
        self._stream = os.fdopen(reading, "rb")

    def answer(self) -> There:
        """The copy's answer, once it has sent it; :class:`CopyFailed` if it raised or died."""
        try:
            kind, payload = pickle.load(self._stream)
        except (EOFError, pickle.UnpicklingError):
            kind, payload = "error", "the second process stopped unexpectedly"
        finally:
            self._end()
        if kind != "answer":
            raise CopyFailed(payload)
        answered: There = payload
        return answered

    def _end(self) -> None:
        """Close the pipe, stop the copy and reap it: its answer is read, or never will be."""
        self._stream.close()
        _stop(self._child)
        self._child = None

    def __enter__(self) -> Copy[There]:
        return self

    def __exit__(self, *_: object) -> None:
        self._end()


class Stream(Generic[Item]):
    """``there()``'s items made one by one in a forked copy, each read here once it is made.

    Unlike :class:`Copy`, the copy never waits for this process: each item is
    written, pickled, to a file in memory that both processes hold (a
    ``memfd``, or an unlinked temporary file), and only its place there goes
    through the pipe, a few bytes an item; so the copy goes on making items
    while this process is busy with earlier ones. Iterate it once, in a
    ``with`` block (a copy whose items are no longer wanted is stopped).
    """

    _HEADER = struct.Struct("<bqq")  # kind, offset, length
    _ITEM, _END, _ERROR = 0, 1, 2

    def __init__(self, there: Callable[[], Iterable[Item]]) -> None:
        self._file = _memory_file()
        parent = os.getpid()
        reading, writing = os.pipe()
        child = os.fork()
        if child == 0:  # the copy: write each item, then the end, and leave without cleanup
            status = 1
            try:
                os.close(reading)
                _die_with(parent)
                self._send_all(there, writing)
                status = 0
            finally:
                os._exit(status)
        os.close(writing)
        self._child: int | None = child
        self._pipe = os.fdopen(reading, "rb")

    def _send_all(self, there: Callable[[], Iterable[Item]], pipe: int) -> None:
        offset = 0

        def send(kind: int, payload: object) -> None:
            nonlocal offset
            data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
            view = memoryview(data)
            written = 0
            while written < len(data):
                written += os.pwrite(self._file.fileno(), view[written:], offset + written)
            os.write(pipe, self._HEADER.pack(kind, offset, len(data)))
            offset += len(data)

        try:
            for item in there():
                send(self._ITEM, item)
        except Exception as error:  # said in the parent
            send(self._ERROR, f"{type(error).__name__}: {error}"[:500])
        else:
            send(self._END, None)

    def __iter__(self) -> Iterator[Item]:
        """Each item as soon as the copy has made it; :class:`CopyFailed` if it raised or died."""
        try:
            while True:
                header = self._pipe.read(self._HEADER.size)
                if len(header) < self._HEADER.size:
                    raise CopyFailed("the second process stopped unexpectedly")
                kind, offset, length = self._HEADER.unpack(header)
                payload = pickle.loads(_read_at(self._file.fileno(), offset, length))
                if kind == self._END:
                    return
                if kind == self._ERROR:
                    raise CopyFailed(payload)
                yield payload
        finally:
            self._end()

    def _end(self) -> None:
        """Close the pipe and the file, stop the copy and reap it."""
        self._pipe.close()
        self._file.close()
        _stop(self._child)
        self._child = None

    def __enter__(self) -> Stream[Item]:
        return self

    def __exit__(self, *_: object) -> None:
        self._end()


def _stop(child: int | None) -> None:
    """Stop a copy and reap it, unless its holder has already (``None``)."""
    if child is not None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)


def _memory_file() -> IO[bytes]:
    """A file both sides of a fork hold, in memory where the platform allows (Linux)."""
    if hasattr(os, "memfd_create"):
        return os.fdopen(os.memfd_create("auditor-stream", os.MFD_CLOEXEC), "w+b")
    return tempfile.TemporaryFile()


def _read_at(descriptor: int, offset: int, length: int) -> bytes:
    chunks: list[bytes] = []
    while length > 0:
        chunk = os.pread(descriptor, length, offset)
        if not chunk:
            raise CopyFailed("the second process stopped unexpectedly")
        chunks.append(chunk)
        offset += len(chunk)
        length -= len(chunk)
    return b"".join(chunks)


def _die_with(parent: int) -> None:
    """Linux: the copy is killed when this process dies (an isolated audit stopped for its
    time limit must not leave a copy running)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass
    if os.getppid() != parent:  # it died before the request took effect
        os._exit(1)
