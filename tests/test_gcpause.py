"""The cyclic collector is paused while bulk objects are built, and left as it was found."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from auditor.base.gcpause import paused_gc
from tests.render.conftest import PROBLEMS, inspection_of


@pytest.fixture
def collections() -> Iterator[list[str]]:
    """Each collection the collector starts, with a threshold that makes one per allocation."""
    seen: list[str] = []

    def record(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            seen.append(f"generation {info['generation']}")

    threshold = gc.get_threshold()
    gc.callbacks.append(record)
    gc.set_threshold(1)
    try:
        yield seen
    finally:
        gc.set_threshold(*threshold)
        gc.callbacks.remove(record)


def test_a_results_json_is_built_with_the_collector_paused(collections: list[str]) -> None:
    result = inspection_of(PROBLEMS).result
    assert gc.isenabled()
    collections.clear()
    result.to_dict()  # hundreds of dicts, unpaused: a collection for each
    unpaused = len(collections)
    assert unpaused > 100
    copy = result.model_copy()  # a copy: its JSON is not kept yet
    collections.clear()
    data = copy.to_json_bytes()
    # only the few objects made around the pause (the kept bytes' weak reference) start any
    assert len(collections) < 10, collections
    assert gc.isenabled()
    assert data == result.to_json_bytes()


def test_a_pause_restores_what_it_found_and_nests() -> None:
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still holds
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()  # disabled before: left disabled
    finally:
        gc.enable()


def test_what_a_pause_keeps_goes_to_the_oldest_generation() -> None:
    """Issue 26: not traversed by the next young collections (1.3 s after a dense audit)."""
    if gc.get_freeze_count():  # a process that froze what it shares keeps the collector's course
        pytest.skip("objects are frozen in this process")
    with paused_gc():
        kept = [[index] for index in range(1000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0  # moved, not frozen: a full collection still sees them
    mine = {id(item) for item in kept}
    assert not mine & {id(item) for item in gc.get_objects(generation=0)}
    assert not mine & {id(item) for item in gc.get_objects(generation=1)}
    assert len(mine & {id(item) for item in gc.get_objects(generation=2)}) == 1000
