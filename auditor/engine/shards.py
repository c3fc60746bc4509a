"""The engine's shards, and a second core for a share of them on a large audit.

Facts are asserted in shards of whole workers (no rule joins facts of two
workers), agency-wide facts first. Shards are independent, so on a large
audit the last ones run in a forked copy of this process while this
process runs the first; the copy sends back only its matches (rule names
and fact ids), and the two lists are joined in shard order, so the matches
are exactly, and in the same order as, those of one process alone (a test
compares them). On a 50,000-worker audit with many findings the engine is
a quarter of the audit (issue 15).

:func:`engine_beside` starts the copy before the facts are built: the copy
builds the facts of its own workers only (:func:`~auditor.enrich.facts.build_facts`
with ``workers``) while this process builds everyone's, which the outcome
needs. Building is a third of the work either side, so the copy takes
:data:`SHARE_APART` of the workers' shards, more than half, and both
finish at about the same time. :func:`run_rules`, for facts already built,
splits them in half after the fact.

A fork is taken only where it is safe and worth it (:func:`auditor.base.forked.can_fork`:
the platform forks, a second core, no other thread in this process) and the
audit has at least :data:`PARALLEL_FROM_WORKERS` workers. Otherwise, or with
``AUDITOR_ENGINE_PROCESSES=1`` (or ``AUDITOR_PROCESSES=1``), every shard runs
here, as before.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from auditor.base import forked
from auditor.engine import durable_adapter
from auditor.engine.encoding import Encoder, make_encoders
from auditor.engine.pack import CompiledPack
from auditor.enrich.context import Context
from auditor.enrich.facts import Fact, Facts, build_facts
from auditor.enrich.vocabulary import FactType
from auditor.errors import EngineError

#: Workers (with their contracts, fees and complaints) asserted per engine session.
WORKERS_PER_SHARD = 2000
#: Workers from which the engine's shards are shared with a forked second process.
PARALLEL_FROM_WORKERS = 10_000
#: The share of the workers' shards the copy started by :func:`engine_beside` asserts. It
#: builds their facts while this process builds every fact; 0.6 evens the two out on the
#: typical and the dense 50,000-worker audits (bench/results/issue26.md).
SHARE_APART = 0.6
_AGENCY_WIDE = (FactType.AGENCY, FactType.EMPLOYER, FactType.CHANNEL)
_PER_WORKER = (FactType.WORKER, FactType.CONTRACT, FactType.FEE, FactType.COMPLAINT)


def plan(facts: Facts) -> list[list[Fact]]:
    """The shards, unencoded: agency-wide facts, then whole workers in groups of 2,000."""
    shards = [[fact for kind in _AGENCY_WIDE for fact in facts.of(kind)]]
    buckets: dict[int, list[Fact]] = {}
    for kind in _PER_WORKER:
        for fact in facts.of(kind):
            buckets.setdefault(fact.worker // WORKERS_PER_SHARD, []).append(fact)
    shards += [buckets[number] for number in sorted(buckets)]
    return shards


def run_rules(compiled: CompiledPack, facts: Facts) -> list[durable_adapter.Match]:
    """Every match of the compiled pack on these facts, in shard order."""
    shards = plan(facts)
    encoders = make_encoders(compiled.paths, compiled.read)
    durable_adapter.register(compiled.name, compiled.ruleset)  # before a fork: both have it
    if not _worth_a_fork(len(facts.of(FactType.WORKER))):
        return _run(compiled, encoders, shards)
    middle = 1 + (len(shards) - 1) // 2  # the agency-wide shard is small: it stays here
    return _run_split(compiled, encoders, shards[:middle], shards[middle:])


RunRules = Callable[[Facts], list[durable_adapter.Match]]


@contextmanager
def engine_beside(compiled: CompiledPack, ctx: Context) -> Iterator[RunRules]:
    """What runs the rules on this audit's facts, once built; on a large audit, a forked
    copy has started on its share of the workers already (see the module's docstring).

    Enter it before building the facts (the copy is forked then, with no
    thread running); leaving it stops a copy whose matches were not asked for.
    """
    encoders = make_encoders(compiled.paths, compiled.read)
    durable_adapter.register(compiled.name, compiled.ruleset)  # before a fork: both have it
    workers = len(ctx.dataset.workers)
    first = _first_apart(workers)
    if first is None or not _worth_a_fork(workers):
        yield lambda facts: _run(compiled, encoders, plan(facts))
        return

    def there() -> list[durable_adapter.Match]:
        theirs = plan(build_facts(ctx, workers=range(first, workers)))
        return _run(compiled, encoders, theirs[1:])  # the agency-wide shard is run here

    with forked.Copy(there) as copy:

        def run(facts: Facts) -> list[durable_adapter.Match]:
            shards = plan(facts)
            mine = _run(
                compiled, encoders, [shards[0], *(s for s in shards[1:] if s[0].worker < first)]
            )
            try:
                mine.extend(copy.answer())
            except forked.CopyFailed as error:
                raise EngineError(
                    f"the rule engine failed in its second process: {error}"
                ) from None
            return mine

        yield run


def _first_apart(workers: int) -> int | None:
    """The first worker whose shard the copy takes (a shard's first); None: too few shards."""
    shards = -(-workers // WORKERS_PER_SHARD)
    kept = min(shards - 1, max(1, round(shards * (1 - SHARE_APART))))
    return kept * WORKERS_PER_SHARD if kept >= 1 else None


def _worth_a_fork(workers: int) -> bool:
    if os.environ.get("AUDITOR_ENGINE_PROCESSES", "").strip() == "1":
        return False
    return workers >= PARALLEL_FROM_WORKERS and forked.can_fork()


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


def _run_split(
    compiled: CompiledPack,
    encoders: dict[FactType, Encoder],
    here: list[list[Fact]],
    there: list[list[Fact]],
) -> list[durable_adapter.Match]:
    """``here`` in this process, ``there`` in a forked copy; their matches in that order."""
    try:
        mine, theirs = forked.beside(
            lambda: _run(compiled, encoders, here), lambda: _run(compiled, encoders, there)
        )
    except forked.CopyFailed as error:
        raise _second_process_failed(error) from None
    mine.extend(theirs)
    return mine


def _second_process_failed(error: forked.CopyFailed) -> EngineError:
    return EngineError(f"the rule engine failed in its second process: {error}")
