"""A failure inside the engine raises on the audit that caused it, and only there.

durable-rules' own host swallows an exception raised in an action (it is
stored in the session state and the call returns normally, see
``docs/durable-rules.md``), and a session left behind by a failed audit
would keep its facts and matches. The adapter drives the engine core
itself, so each failure below must come out of ``auditor.audit`` as
:class:`auditor.EngineError`, and the very next audit in the same process,
of the same workbook or another, must give exactly its serial result.

Each failure is real: the adapter's own code path raises, inside a live
engine session with actions pending or facts asserted, in the middle of
an audit that has already finished other sessions.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import auditor
from auditor.engine import durable_adapter, shards
from auditor.engine.pack import CompiledPack, compile_pack
from auditor.pipeline import run as pipeline
from tests.reliability.conftest import HANG_GUARD_S

React = Callable[[CompiledPack, str, Mapping[str, Any]], list[dict[str, Any]]]
_real_react: React = CompiledPack.react


def _rule_of(compiled: CompiledPack, name: str) -> str:
    return compiled.branches[name].rule_id if name in compiled.branches else name


class ActionFailed(RuntimeError):
    """What the patched action raises; the test looks for it as the EngineError's cause."""


def _failing_on(rule_id: str) -> React:
    """An action that raises when the engine hands it a match of ``rule_id``."""

    def react(self: CompiledPack, name: str, matched: Mapping[str, Any]) -> list[dict[str, Any]]:
        if _rule_of(self, name) == rule_id:
            raise ActionFailed(f"action failed on {rule_id}")
        return _real_react(self, name, matched)

    return react


def _deriving_unencodable(self: CompiledPack, name: str, matched: Mapping[str, Any]) -> Any:
    """An action deriving indicator facts with an exact amount, which JSON cannot carry."""
    return [{**fact, "amount": Decimal("1.10")} for fact in _real_react(self, name, matched)]


@pytest.fixture
def one_worker_per_shard(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every worker in its own engine session, so a failure comes after finished sessions."""
    monkeypatch.setattr(shards, "WORKERS_PER_SHARD", 1)


def _after_failure(variants: dict[str, Path], serial: dict[str, str]) -> None:
    """The process is as good as new: every variant gives its serial result, once registered."""
    for name, path in variants.items():
        assert auditor.audit(path).to_json() == serial[name], name
    compiled = compile_pack(pipeline.rule_pack())
    assert durable_adapter.registered().count(compiled.name) == 1


@pytest.mark.usefixtures("one_worker_per_shard")
def test_sharding_does_not_change_the_result(
    variants: dict[str, Path], serial: dict[str, str]
) -> None:
    """The premise of the next tests: one session per worker gives the same results."""
    for name, path in variants.items():
        assert auditor.audit(path).to_json() == serial[name], name


@pytest.mark.usefixtures("one_worker_per_shard")
def test_an_action_that_raises_fails_that_audit_only(
    monkeypatch: pytest.MonkeyPatch, variants: dict[str, Path], serial: dict[str, str]
) -> None:
    """AGE-01 fires for the sixth worker only: five sessions of this audit have already ended."""
    with monkeypatch.context() as patch:
        patch.setattr(CompiledPack, "react", _failing_on("AGE-01"))
        with pytest.raises(
            auditor.EngineError, match="ActionFailed: action failed on AGE-01"
        ) as caught:
            auditor.audit(variants["many_young"])
        assert isinstance(caught.value.__cause__, ActionFailed)
        # The same patched action, on a workbook where AGE-01 does not fire, audits as ever.
        assert auditor.audit(variants["ph_fees"]).to_json() == serial["ph_fees"]
    _after_failure(variants, serial)


def test_a_derived_fact_the_engine_cannot_take_fails_that_audit_only(
    monkeypatch: pytest.MonkeyPatch, variants: dict[str, Path], serial: dict[str, str]
) -> None:
    """The forced-labour indicators are asserted back into the session they came from."""
    with monkeypatch.context() as patch:
        patch.setattr(CompiledPack, "react", _deriving_unencodable)
        with pytest.raises(auditor.EngineError, match="TypeError") as caught:
            auditor.audit(variants["forced_labour"])
        assert isinstance(caught.value.__cause__, TypeError)
    _after_failure(variants, serial)


Shards = Callable[[Any, Any], Iterator[list[dict[str, Any]]]]
_real_shards: Shards = shards._encoded


def _one_id_twice(holder: str, taker: str, *, last: bool) -> Shards:
    """Shards as the pipeline makes them, except that fact ``taker`` has ``holder``'s id.

    The engine knows a fact by its id alone, so this stands for an encoder
    that ever gave two records one id: one of the two facts, and its
    findings, would be dropped or credited to the other record's subject.
    """

    def encoded(encoders: Any, planned: Any) -> Iterator[list[dict[str, Any]]]:
        for shard in _real_shards(encoders, planned):
            ids = [fact["id"] for fact in shard]
            if holder in ids and taker in ids:
                fact = shard[ids.index(taker)]
                fact["id"] = holder
                if last:
                    shard.remove(fact)
                    shard.append(fact)
            yield shard

    return encoded


@pytest.mark.parametrize(
    "case",
    [
        # The minor's fact (AGE-01) takes the id of a fact no rule matched: the engine
        # stores it without a word, and AGE-01 would be credited to the first worker.
        ("worker:0", "worker:5", False),
        # The fact of the worker never briefed (INFO-01) takes the minor's id: the engine
        # drops it as "observed", but facts no rule matches follow it in the batch, and
        # the engine answers a batch with the code of its last fact not simply stored.
        ("worker:5", "worker:2", False),
        # The same, last in its batch: the engine's answer is "observed".
        ("worker:5", "worker:2", True),
    ],
    ids=["first-unmatched", "masked-by-later-facts", "last-in-batch"],
)
def test_two_facts_with_one_id_fail_the_audit(
    case: tuple[str, str, bool],
    monkeypatch: pytest.MonkeyPatch,
    variants: dict[str, Path],
    serial: dict[str, str],
) -> None:
    """Never a result with a finding lost or on the wrong worker: an EngineError instead."""
    holder, taker, last = case
    with monkeypatch.context() as patch:
        patch.setattr(shards, "_encoded", _one_id_twice(holder, taker, last=last))
        with pytest.raises(auditor.EngineError, match=f"same id '{holder}'"):
            auditor.audit(variants["many_young"])
    _after_failure(variants, serial)


def test_a_failing_audit_among_threads_fails_alone(
    monkeypatch: pytest.MonkeyPatch, variants: dict[str, Path], serial: dict[str, str]
) -> None:
    """Eight threads; the action fails only on FEE-03, which only one workbook fires.

    The error must come out of that workbook's call, never another
    thread's, and the seven others must give their serial results.
    """
    monkeypatch.setattr(CompiledPack, "react", _failing_on("FEE-03"))
    names = list(variants)
    barrier = threading.Barrier(len(names), timeout=HANG_GUARD_S)

    def run(name: str) -> str | BaseException:
        barrier.wait()
        try:
            return auditor.audit(variants[name]).to_json()
        except auditor.AuditorError as error:
            return error

    with ThreadPoolExecutor(max_workers=len(names)) as pool:
        answers = dict(zip(names, pool.map(run, names, timeout=HANG_GUARD_S), strict=True))
    failed = answers.pop("ilo_deposit_debt")
    assert isinstance(failed, auditor.EngineError)
    assert isinstance(failed.__cause__, ActionFailed)
    assert answers == {name: serial[name] for name in answers}
    monkeypatch.undo()
    _after_failure(variants, serial)
