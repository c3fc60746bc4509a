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
ruleset can never be removed); every audit gets its own sessions, which are
deleted when it ends, success or failure; facts are asserted in shards of
whole workers (no rule joins facts of two workers, and the engine's stores
slow down as a session grows); after each assertion the pending actions of
that session are drained here, in the calling thread. An action records
the match and may assert derived facts into the same session (chaining:
the forced-labour rule matches indicator facts asserted by other rules'
actions). A derived fact identical to one already asserted is the same
fact (durable-rules says "observed"), which gives the indicators set
semantics. Any error surfaces on the call that caused it; engine calls
hold the GIL anyway, so audits in threads take turns here.

One defect of the C core is worked around here. A session that never
started an action is deleted with two uninitialised pointers
(``createStateNode`` does not set ``context.messages`` and
``context.stateFact``; ``deleteStateNode`` frees them), which crashes the
process or corrupts its heap depending on what the memory held before
(we saw ``free(): invalid pointer`` once pycountry had been imported).
Starting and completing one action clears them. So every session first
asserts a sentinel fact, matched by a sentinel rule added to every
ruleset, and runs that action before anything else.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import durable_rules_engine as _engine

from auditor.errors import EngineError

#: assert_fact(s) result codes (durable-rules src/rules/rules.h)
_OK, _NOT_HANDLED, _OBSERVED = 0, 1, 2

#: A match: the durable rule's name and the facts it matched, by alias ("m", or "a", "b"...).
Match = tuple[str, dict[str, Any]]
#: Called for each match; returns derived facts to assert into the same session.
React = Callable[[str, Mapping[str, Any]], list[dict[str, Any]]]

#: The sentinel fact and rule every session starts with (see the module docstring).
SENTINEL_RULE = "auditor-session-start"
_SENTINEL_TYPE = "auditor-session"

_lock = threading.RLock()
_handles: dict[str, int] = {}
_sessions = itertools.count()


def register(name: str, rules: Mapping[str, Any]) -> int:
    """Register a ruleset under ``name`` once per process; return its engine handle."""
    with _lock:
        handle = _handles.get(name)
        if handle is None:
            with_sentinel = {**rules, SENTINEL_RULE: {"all": [{"m": {"t": _SENTINEL_TYPE}}]}}
            try:
                handle = _engine.create_ruleset(name, json.dumps(with_sentinel, sort_keys=True))
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
            _open_session(handle, sid)
            try:
                for fact in shard:
                    fact["sid"] = sid
                code, state = _engine.assert_facts(handle, json.dumps(shard))
                if code not in (_OK, _NOT_HANDLED):
                    raise EngineError(f"two facts of one audit were identical (code {code})")
                _drain(handle, state, sid, react, matches)
            except EngineError:
                raise
            except Exception as error:
                raise EngineError(f"{type(error).__name__}: {error}") from error
            finally:
                _engine.delete_state(handle, sid)
    return matches


def _open_session(handle: int, sid: str) -> None:
    """Create the session and run its sentinel action, so it can be deleted safely."""
    _, state = _engine.assert_fact(handle, json.dumps({"t": _SENTINEL_TYPE, "id": sid, "sid": sid}))
    started = _engine.start_action_for_state(handle, state)
    if started is None:  # pragma: no cover - the sentinel rule always matches
        raise EngineError("the engine did not start a session")
    if _engine.complete_and_start_action(handle, state) is not None:  # pragma: no cover
        raise EngineError("a new session already had work pending")


def _drain(handle: int, state: int, sid: str, react: React, matches: list[Match]) -> None:
    started = _engine.start_action_for_state(handle, state)
    if started is None:
        return
    messages: str | None = started[1]
    while messages is not None:
        try:
            for rule, matched in json.loads(messages).items():
                matches.append((rule, matched))
                for derived in react(rule, matched):
                    derived["sid"] = sid
                    code, _ = _engine.assert_fact(handle, json.dumps(derived))
                    if code not in (_OK, _NOT_HANDLED, _OBSERVED):
                        raise EngineError(f"a derived fact was refused (code {code})")
        except BaseException:
            _engine.abandon_action(handle, state)
            raise
        messages = _engine.complete_and_start_action(handle, state)
