"""The one module that talks to durable-rules; nothing else imports it.

We drive durable-rules' engine core (``durable_rules_engine``, the C
extension the ``durable`` package wraps) directly and synchronously,
because its Python ``Host`` does two things an audit cannot have:

- it starts background threads that take pending actions from any session,
  so ``assert_facts`` may return before this audit's actions have run (we
  saw 241 of 34,935 matches reach the caller), and a session deleted at that
  moment silently loses them;
- its action machinery costs about 40 microseconds a match, six times the
  matching itself on a 50,000-worker audit.

So: every rule pack is registered once per process under its digest (a
ruleset can never be removed); every audit gets its own sessions, deleted
when it ends, success or failure; facts are asserted in shards of whole
workers (no rule joins facts of two workers, and the engine's stores slow
down as a session grows); after each assertion the session's pending
actions are drained here, in the calling thread.

Chaining: an action may derive facts (the forced-labour indicators). They
are asserted into the same session once the actions in hand are drained,
all in one batch (one call instead of one per fact: 47 microseconds
each), and the new actions they cause are drained in turn, until nothing
new is derived. A derived fact with the id of one already asserted is the
same fact, which gives the indicators set semantics.

An action records the match compactly, as the ids of the facts matched;
any error surfaces on the call that caused it. Engine calls hold the GIL,
so audits in threads take turns here.

One defect of the C core is worked around. A session that never started
an action is deleted with two uninitialised pointers (``createStateNode``
does not set ``context.messages`` and ``context.stateFact``;
``deleteStateNode`` frees them), which crashes the process or corrupts its
heap depending on what that memory held before (we saw ``free(): invalid
pointer`` once pycountry had been imported). Starting and completing one
action clears them, so every session first asserts a sentinel fact,
matched by a sentinel rule added to every ruleset, and runs that action.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import durable_rules_engine as _engine
import orjson

from auditor.errors import EngineError

#: assert_fact(s) result codes (durable-rules src/rules/rules.h)
_OK, _NOT_HANDLED, _OBSERVED = 0, 1, 2

#: A match: the durable rule's name and, by alias ("m", or "a", "b"...), the id of each fact.
Match = tuple[str, dict[str, str]]
#: Called for each match; returns facts to derive into the same session.
React = Callable[[str, Mapping[str, Mapping[str, Any]]], list[dict[str, Any]]]

#: The sentinel fact and rule every session starts with (see the module docstring).
SENTINEL_RULE = "auditor-session-start"
_SENTINEL_TYPE = "auditor-session"

_lock = threading.RLock()
_handles: dict[str, int] = {}
_sessions = itertools.count()


def _json(value: Any) -> str:
    return orjson.dumps(value).decode("utf-8")


def register(name: str, rules: Mapping[str, Any]) -> int:
    """Register a ruleset under ``name`` once per process; return its engine handle."""
    with _lock:
        handle = _handles.get(name)
        if handle is None:
            with_sentinel = {**rules, SENTINEL_RULE: {"all": [{"m": {"t": _SENTINEL_TYPE}}]}}
            try:
                handle = _engine.create_ruleset(name, _json(with_sentinel))
            except Exception as error:
                raise EngineError(f"the rule pack could not be compiled: {error}") from error
            _handles[name] = handle
        return handle


def registered() -> list[str]:
    """Names of the rulesets registered in this process (for tests and logs)."""
    with _lock:
        return sorted(_handles)


def run(
    name: str,
    rules: Mapping[str, Any],
    shards: Iterable[list[dict[str, Any]]],
    react: React,
) -> list[Match]:
    """Assert each shard in a fresh session, drain its actions, delete it; return every match."""
    handle = register(name, rules)
    matches: list[Match] = []
    with _lock:
        for shard in shards:
            if not shard:
                continue
            sid = f"s{next(_sessions)}"
            state = _open_session(handle, sid)
            try:
                _assert(handle, sid, shard, derived=False)
                _settle(handle, sid, state, react, matches)
            except EngineError:
                raise
            except Exception as error:
                raise EngineError(f"{type(error).__name__}: {error}") from error
            finally:
                _engine.delete_state(handle, sid)
    return matches


def _open_session(handle: int, sid: str) -> int:
    """Create the session, run its sentinel action (so it can be deleted safely), return it."""
    _, state = _engine.assert_fact(handle, _json({"t": _SENTINEL_TYPE, "id": sid, "sid": sid}))
    if _engine.start_action_for_state(handle, state) is None:  # pragma: no cover
        raise EngineError("the engine did not start a session")
    if _engine.complete_and_start_action(handle, state) is not None:  # pragma: no cover
        raise EngineError("a new session already had work pending")
    state_offset: int = state
    return state_offset


def _assert(handle: int, sid: str, facts: list[dict[str, Any]], *, derived: bool) -> None:
    """Assert a batch into the session; a shard's facts must have an id each of their own.

    The engine knows a fact by its id alone and keeps the first of two, but
    it cannot be trusted to say so: a batch's code is that of its last fact
    not simply stored, and a fact that no rule matched is not stored at all.
    So ids are checked here, before the engine can drop or misplace a fact.
    """
    for fact in facts:
        fact["sid"] = sid
    # One set of a shard's ids, checked against its size, costs a third of a check a fact.
    if not derived and len({fact["id"] for fact in facts}) != len(facts):
        seen: set[str] = set()
        for fact in facts:
            if fact["id"] in seen:
                raise EngineError(f"two facts of one audit had the same id {fact['id']!r}")
            seen.add(fact["id"])
    code, _ = _engine.assert_facts(handle, _json(facts))
    allowed = (_OK, _NOT_HANDLED, _OBSERVED) if derived else (_OK, _NOT_HANDLED)
    if code not in allowed:
        raise EngineError(f"two facts of one audit were identical (code {code})")


def _settle(handle: int, sid: str, state: int, react: React, matches: list[Match]) -> None:
    """Drain the session's actions; assert what they derive; repeat until nothing is new."""
    seen: set[str] = set()
    while True:
        derived = _drain(handle, state, react, matches)
        fresh = {fact["id"]: fact for fact in derived if fact["id"] not in seen}
        if not fresh:
            return
        seen.update(fresh)
        _assert(handle, sid, list(fresh.values()), derived=True)


def _drain(handle: int, state: int, react: React, matches: list[Match]) -> list[dict[str, Any]]:
    started = _engine.start_action_for_state(handle, state)
    derived: list[dict[str, Any]] = []
    if started is None:
        return derived
    messages: str | None = started[1]
    while messages is not None:
        try:
            for rule, matched in orjson.loads(messages).items():
                matches.append((rule, {alias: fact["id"] for alias, fact in matched.items()}))
                derived.extend(react(rule, matched))
        except BaseException:
            _engine.abandon_action(handle, state)
            raise
        messages = _engine.complete_and_start_action(handle, state)
    return derived
