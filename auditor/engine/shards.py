"""The engine's shards, and a second core for the second half of them on a large audit.

Facts are asserted in shards of whole workers (no rule joins facts of two
workers), agency-wide facts first. Shards are independent, so on a large
audit the later shards run in a forked copy of this process while this
process runs the first ones; the copy sends back only its matches (rule
names and fact ids), and the two parts follow each other in shard order, so the
matches are exactly, and in the same order as, those of one process alone
(a test compares them). On a 50,000-worker audit with many findings the
engine is a quarter of the audit (issue 15).

The audit itself takes the matches part by part (:func:`rule_parts`): this
process's shards' first, then each of the copy's shards' as soon as the copy
has run it (:class:`auditor.base.forked.Stream`); meanwhile this process
decides the outcome of the subjects it has the matches of
(:class:`auditor.verdict.outcome.Decision`). So this process is given fewer
shards than the copy (:data:`HERE_SHARE`): about as many as it takes the
copy to run the rest, while this process runs its own and decides them.

A fork is taken only where it is safe and worth it (:func:`auditor.base.forked.can_fork`:
the platform forks, a second core, no other thread in this process) and the
audit has at least :data:`PARALLEL_FROM_WORKERS` workers. Otherwise, or with
``AUDITOR_ENGINE_PROCESSES=1`` (or ``AUDITOR_PROCESSES=1``), every shard runs
here, as before.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterator
from itertools import chain
from typing import Any

from auditor.base import forked
from auditor.engine import durable_adapter
from auditor.engine.encoding import Encoder, make_encoders
from auditor.engine.pack import CompiledPack
from auditor.enrich.facts import Fact, Facts
from auditor.enrich.vocabulary import FactType
from auditor.errors import EngineError

#: Workers (with their contracts, fees and complaints) asserted per engine session. A session's
#: cost per fact grows with its size where many facts match: pending actions queue up, and
#: each indicator fact is joined against every other of its session. The dense 50,000-worker
#: audit's engine took 7.2-9.4 s of processor time in sessions of 2,000 workers, 5.4-6.3 s in
#: sessions of 500; the typical one's, with few matches, was the same either way (2.5-3.4 s,
#: this machine's noise). From 200 down, a session's own cost begins to tell.
WORKERS_PER_SHARD = 500
#: Workers from which the engine's shards are shared with a forked second process.
PARALLEL_FROM_WORKERS = 10_000
#: The share of the workers' shards this process runs while the copy runs the others; it then
#: decides its part's outcome, and the copy's shards' as they come (see the module's
#: docstring). At 0.3 this process waited for the copy's shards 0.01 s on the dense
#: 50,000-worker audit, 0.08 s on the typical one (0.31 and 0.82 s at 0.2); at 0.44 the copy
#: had finished long before this process had decided its own part.
HERE_SHARE = 0.3
_AGENCY_WIDE = (FactType.AGENCY, FactType.EMPLOYER, FactType.CHANNEL)
_PER_WORKER = (FactType.WORKER, FactType.CONTRACT, FactType.FEE, FactType.COMPLAINT)


def plan(facts: Facts) -> list[list[Fact]]:
    """The shards, unencoded: agency-wide facts, then whole workers in groups of
    :data:`WORKERS_PER_SHARD`."""
    shards = [[fact for kind in _AGENCY_WIDE for fact in facts.of(kind)]]
    buckets: dict[int, list[Fact]] = {}
    for kind in _PER_WORKER:
        for fact in facts.of(kind):
            buckets.setdefault(fact.worker // WORKERS_PER_SHARD, []).append(fact)
    shards += [buckets[number] for number in sorted(buckets)]
    return shards


def run_rules(compiled: CompiledPack, facts: Facts) -> list[durable_adapter.Match]:
    """Every match of the compiled pack on these facts, in shard order, at once (each process
    runs half the workers' shards)."""
    return list(chain.from_iterable(rule_parts(compiled, facts, here_share=0.5)))


def rule_parts(
    compiled: CompiledPack, facts: Facts, *, here_share: float | None = None
) -> Generator[list[durable_adapter.Match], None, None]:
    """Every match of the compiled pack on these facts, in shard order, in parts of whole
    workers: one part, or on a large audit this process's shards' then each of the copy's.

    The copy starts before this process runs its shards, and runs on while
    the caller works on the parts. Close the iterator (``contextlib.closing``)
    when leaving it early: the copy is then stopped.
    """
    shards = plan(facts)
    encoders = make_encoders(compiled.paths, compiled.read)
    durable_adapter.register(compiled.name, compiled.ruleset)  # before a fork: both have it
    if not _worth_a_fork(facts):
        yield _run(compiled, encoders, shards)
        return
    # the agency-wide shard is small: it stays here, with ``here_share`` of the workers' shards
    share = HERE_SHARE if here_share is None else here_share
    middle = 1 + round((len(shards) - 1) * share)
    theirs = shards[middle:]
    with forked.Stream(lambda: (_run(compiled, encoders, [shard]) for shard in theirs)) as copy:
        yield _run(compiled, encoders, shards[:middle])
        try:
            yield from copy
        except forked.CopyFailed as error:
            raise EngineError(f"the rule engine failed in its second process: {error}") from None


def _worth_a_fork(facts: Facts) -> bool:
    if os.environ.get("AUDITOR_ENGINE_PROCESSES", "").strip() == "1":
        return False
    return len(facts.of(FactType.WORKER)) >= PARALLEL_FROM_WORKERS and forked.can_fork()


def _encoded(encoders: dict[FactType, Encoder], shards: list[list[Fact]]) -> Iterator[Any]:
    """Each shard encoded only when the engine takes it, so one shard's encoding is alive."""
    for shard in shards:
        yield [encoders[fact.type](fact) for fact in shard if fact.type in encoders]


def _run(
    compiled: CompiledPack, encoders: dict[FactType, Encoder], shards: list[list[Fact]]
) -> list[durable_adapter.Match]:
    return durable_adapter.run(
        compiled.name, compiled.ruleset, _encoded(encoders, shards), compiled.react
    )
