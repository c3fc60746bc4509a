"""A large audit's engine on two cores: the same matches, in the same order, or a clear error;
and its outcome decided part by part as the matches arrive, the same as from all at once.

The split is forced on small workbooks (one worker per shard, a fork from
one worker up), and a spy proves the fork was taken: a test that silently
ran serially would prove nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

import auditor
from auditor.base import forked as forked_module
from auditor.engine import shards
from auditor.engine.encoding import make_encoders
from auditor.engine.pack import CompiledPack, compile_pack
from auditor.enrich.context import Context
from auditor.enrich.facts import Facts, build_facts
from auditor.pipeline import run as pipeline
from auditor.verdict.outcome import Decision, decide


def build_facts_of(path: Path) -> tuple[CompiledPack, Facts]:
    """The compiled pack and the facts of a workbook, as the pipeline makes them."""
    compiled, ctx = context_of(path)
    return compiled, build_facts(ctx)


def context_of(path: Path) -> tuple[CompiledPack, Context]:
    pack = pipeline.rule_pack()
    dataset = auditor.read_workbook(path)
    profile = pack.profiles.resolve(
        explicit=dataset.audit.jurisdiction, origin_country=dataset.audit.origin_country
    )
    assert profile is not None
    return compile_pack(pack), Context(dataset, profile, pack.destinations)


_real_react = CompiledPack.react


@pytest.fixture
def forked(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every audit's shards split with a forked process; the list counts the splits."""
    splits: list[int] = []

    class Spy(forked_module.Stream[Any]):
        def __init__(self, there: Any) -> None:
            splits.append(1)
            super().__init__(there)

    monkeypatch.setattr(shards, "WORKERS_PER_SHARD", 1)
    monkeypatch.setattr(shards, "PARALLEL_FROM_WORKERS", 1)
    monkeypatch.setattr(forked_module, "Stream", Spy)
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


def test_the_outcome_decided_shard_by_shard_is_that_of_all_the_matches(
    variants: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """One part per worker: her employer's and her complaints' channel's matches come in
    parts of their own (the agency-wide shard's, and each of their workers'), and her
    chain's indicators with her; the outcome is the same, in the same order."""
    monkeypatch.setattr(shards, "WORKERS_PER_SHARD", 1)
    for name, path in variants.items():
        compiled, ctx = context_of(path)
        facts = build_facts(ctx)
        encoders = make_encoders(compiled.paths, compiled.read)
        parts = [shards._run(compiled, encoders, [shard]) for shard in shards.plan(facts)]
        at_once = decide(ctx, facts, compiled, [match for part in parts for match in part])
        decision = Decision(ctx, facts, compiled)
        for part in parts:
            decision.add(part)
        in_parts = decision.outcome()
        assert len(parts) > 2, name
        assert in_parts == at_once, name
        for rule_id, found in at_once.findings.items():  # the same order too
            assert list(in_parts.findings[rule_id]) == list(found), (name, rule_id)
            assert list(in_parts.gaps[rule_id]) == list(at_once.gaps[rule_id]), (name, rule_id)
        assert list(in_parts.findings) == list(at_once.findings), name
        warnings: list[str] = []
        assert (
            pipeline.build_result(ctx, compiled, in_parts, warnings).to_json()
            == pipeline.build_result(ctx, compiled, at_once, warnings).to_json()
        ), name


def test_a_subject_met_in_two_parts_is_an_error_not_a_finding_lost(
    variants: dict[str, Path],
) -> None:
    """Each part must hold whole subjects; one given twice is refused, not overwritten."""
    compiled, ctx = context_of(variants["ph_fees"])
    facts = build_facts(ctx)
    matches = pipeline.run_rules(compiled, facts)
    decision = Decision(ctx, facts, compiled)
    decision.add(matches)
    with pytest.raises(AssertionError, match="one subject's matches came in two parts"):
        decision.add(matches)


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
