"""Both copies rendered at once: the agency's in a forked copy, the same files either way."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Sequence
from typing import Any

import pytest

from auditor.base import forked
from auditor.render import Copy, copies_beside
from auditor.render.copies_beside import Files, render_copies
from auditor.verdict.inspection import Inspection
from tests.render.conftest import PROBLEMS, inspection_of

BOTH = (Copy.INSPECTOR, Copy.AGENCY)
FORMATS = ("json", "pdf", "xlsx")


@pytest.fixture(scope="module")
def serial() -> Files:
    """Every file rendered in this process, one copy after the other."""
    previous = os.environ.get("AUDITOR_PROCESSES")
    os.environ["AUDITOR_PROCESSES"] = "1"
    try:
        assert not forked.can_fork()
        return render_copies(inspection_of(PROBLEMS), BOTH, FORMATS)
    finally:
        if previous is None:
            del os.environ["AUDITOR_PROCESSES"]
        else:
            os.environ["AUDITOR_PROCESSES"] = previous


def _count_forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    forks: list[int] = []
    real = forked.beside

    def counted(here: Callable[[], Any], there: Callable[[], Any]) -> tuple[Any, Any]:
        forks.append(os.getpid())
        return real(here, there)

    monkeypatch.setattr(forked, "beside", counted)
    return forks


def test_the_agency_copy_renders_beside_and_every_byte_is_the_same(
    serial: Files, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert forked.can_fork(), "this test needs a second core and no other thread"
    forks = _count_forks(monkeypatch)
    files = render_copies(inspection_of(PROBLEMS), BOTH, FORMATS)
    assert forks == [os.getpid()]
    assert list(files) == [(copy, name) for copy in BOTH for name in FORMATS]
    assert files == serial


def test_no_pdf_or_one_copy_stays_in_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    forks = _count_forks(monkeypatch)
    inspection = inspection_of(PROBLEMS)
    render_copies(inspection, BOTH, ("json", "xlsx"))
    render_copies(inspection, (Copy.AGENCY,), ("json",))
    assert forks == []


def test_another_thread_alive_means_no_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    forks = _count_forks(monkeypatch)
    release = threading.Event()
    other = threading.Thread(target=release.wait, daemon=True)
    other.start()
    try:
        assert not forked.can_fork()
        files = render_copies(inspection_of(PROBLEMS), BOTH, ("json", "pdf"))
    finally:
        release.set()
        other.join()
    assert forks == []
    assert set(files) == {(copy, name) for copy in BOTH for name in ("json", "pdf")}


def test_a_copy_that_fails_beside_is_rendered_again_here(
    serial: Files, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    parent = os.getpid()
    real = copies_beside._render

    def fails_in_the_fork(
        inspection: Inspection, copy: Copy, formats: Sequence[str], lang: str | None = None
    ) -> Files:
        if os.getpid() != parent:
            raise MemoryError("the forked copy ran out of memory")
        return real(inspection, copy, formats, lang)

    monkeypatch.setattr(copies_beside, "_render", fails_in_the_fork)
    with caplog.at_level(logging.WARNING, logger="auditor.render.copies_beside"):
        files = render_copies(inspection_of(PROBLEMS), BOTH, FORMATS)
    assert files == serial
    assert "the agency copy is rendered again in one process: MemoryError" in caplog.text


def test_a_forked_copy_that_dies_is_said_as_such() -> None:
    def dies() -> None:
        os._exit(3)

    with pytest.raises(forked.CopyFailed, match="stopped unexpectedly"):
        forked.beside(lambda: "here", dies)
