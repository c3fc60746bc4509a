"""A large audit's engine on two cores: the same matches, in the same order, or a clear error.

The split is forced on small workbooks (one worker per shard, a fork from
one worker up), and a spy proves the fork was taken: a test that silently
ran serially would prove nothing. An audit forks its copy before the facts
are built, and the copy builds the facts of its own workers
(:func:`auditor.engine.shards.engine_beside`); :func:`run_rules` on facts
already built splits them after the fact. Both fork through
:class:`auditor.base.forked.Copy`, which the spy counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

import auditor
from auditor.base import forked as forked_module
from auditor.engine import shards
from auditor.engine.pack import CompiledPack, compile_pack
from auditor.enrich.context import Context
from auditor.enrich.facts import Fact, Facts, build_facts
from auditor.enrich.vocabulary import FactType
from auditor.pipeline import run as pipeline

_real_copy = forked_module.Copy


def build_facts_of(path: Path) -> tuple[CompiledPack, Facts]:
    """The compiled pack and the facts of a workbook, as the pipeline makes them."""
    pack = pipeline.rule_pack()
    dataset = auditor.read_workbook(path)
    profile = pack.profiles.resolve(
        explicit=dataset.audit.jurisdiction, origin_country=dataset.audit.origin_country
    )
    assert profile is not None
    return compile_pack(pack), build_facts(Context(dataset, profile, pack.destinations))


_real_react = CompiledPack.react


@pytest.fixture
def forked(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every audit's shards split with a forked process; the list counts the splits."""
    splits: list[int] = []

    def copy_spy(there: Any) -> Any:
        # Both ways fork through a Copy (run_rules' split by forked.beside). The only copies
        # an audit of these small workbooks makes are the engine's: a sheet's survey is
        # forked only from 16 MB of XML.
        splits.append(1)
        return _real_copy(there)

    monkeypatch.setattr(shards, "WORKERS_PER_SHARD", 1)
    monkeypatch.setattr(shards, "PARALLEL_FROM_WORKERS", 1)
    monkeypatch.setattr(forked_module, "Copy", copy_spy)
    monkeypatch.delenv("AUDITOR_ENGINE_PROCESSES", raising=False)
    return splits


def test_the_split_engine_finds_the_same_matches_in_the_same_order(
    forked: list[int], variants: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, path in variants.items():
        compiled, facts = build_facts_of(path)
        split = pipeline.run_rules(compiled, facts)
        with monkeypatch.context() as serial_only:
            serial_only.setenv("AUDITOR_ENGINE_PROCESSES", "1")
            alone = pipeline.run_rules(compiled, facts)
        assert split == alone, name
    assert len(forked) == len(variants)


def test_the_split_audit_writes_the_serial_bytes(
    forked: list[int], variants: dict[str, Path], serial: dict[str, str]
) -> None:
    for name, path in variants.items():
        assert auditor.audit(path).to_json() == serial[name], name
    assert forked


def _failing_on(rule_id: str) -> Any:
    def react(self: CompiledPack, name: str, matched: Mapping[str, Any]) -> Any:
        if self.branches[name].rule_id == rule_id:
            raise RuntimeError(f"action failed on {rule_id}")
        return _real_react(self, name, matched)

    return react


def test_a_failure_in_the_second_process_fails_the_audit_with_its_reason(
    forked: list[int],
    variants: dict[str, Path],
    serial: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """AGE-01 fires only for the sixth worker, in the forked half: its error comes back."""
    with monkeypatch.context() as patch:
        patch.setattr(CompiledPack, "react", _failing_on("AGE-01"))
        with pytest.raises(auditor.EngineError, match=r"second process.*action failed on AGE-01"):
            auditor.audit(variants["many_young"])
    assert forked
    assert auditor.audit(variants["many_young"]).to_json() == serial["many_young"]
    compiled = compile_pack(pipeline.rule_pack())
    assert compiled.name in auditor.engine.durable_adapter.registered()


def test_no_fork_with_another_thread_running(
    forked: list[int], variants: dict[str, Path], serial: dict[str, str]
) -> None:
    """A fork copies no thread but every lock another thread holds: never with threads."""
    import threading

    release = threading.Event()
    other = threading.Thread(target=release.wait, daemon=True)
    other.start()
    try:
        assert auditor.audit(variants["ph_fees"]).to_json() == serial["ph_fees"]
    finally:
        release.set()
        other.join()
    assert forked == []


def _described(fact: Fact) -> tuple[Any, ...]:
    parent = fact.parent
    return (
        fact.type,
        fact.index,
        fact.worker,
        fact.id,
        dict(fact.subjects),
        dict(fact.values),
        (parent.id, dict(parent.values)) if parent is not None else None,
    )


def test_the_facts_of_some_workers_are_those_of_the_whole_build(
    variants: dict[str, Path],
) -> None:
    """What the engine's copy builds for its share: each fact as the whole build makes it,
    and every fact of those workers, in the same order (the order the engine asserts)."""
    checked = corridors = 0
    samples = Path(__file__).resolve().parents[2] / "sample_audits"
    # The samples have workers under destination profiles (DEST-01's corridors).
    books = {**variants, **{p.name: p for p in samples.glob("agency-*.xlsx")}}
    assert len(books) > len(variants)
    for name, path in books.items():
        whole = build_facts_of(path)[1]
        dataset = auditor.read_workbook(path)
        pack = pipeline.rule_pack()
        profile = pack.profiles.resolve(
            explicit=dataset.audit.jurisdiction, origin_country=dataset.audit.origin_country
        )
        assert profile is not None
        count = len(dataset.workers)
        for workers in (range(count), range(1, count), range(count // 2, count), range(1)):
            part = build_facts(Context(dataset, profile, pack.destinations), workers=workers)
            for kind in (FactType.WORKER, FactType.CONTRACT, FactType.FEE, FactType.COMPLAINT):
                expected = [_described(f) for f in whole.of(kind) if f.worker in workers]
                corridors += sum(
                    1 for f in part.of(kind) if f.values.get("destination_profile_applies") is True
                )
                assert [_described(f) for f in part.of(kind)] == expected, (name, kind, workers)
                checked += len(expected)
            for kind in (FactType.AGENCY, FactType.EMPLOYER, FactType.CHANNEL):
                assert [_described(f) for f in part.of(kind)] == [
                    _described(f) for f in whole.of(kind)
                ], (name, kind)
    assert checked > 100
    assert corridors > 0
