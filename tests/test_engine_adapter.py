"""The engine adapter: chaining is the engine's, sessions are cleaned, errors surface."""

from __future__ import annotations

from typing import Any

import pytest

import auditor
from auditor.engine import durable_adapter
from auditor.engine.pack import compile_pack
from auditor.errors import EngineError
from auditor.pipeline import rule_pack, run_rules
from auditor.testing.baseline import apply_changes, baseline

THREE_INDICATORS = {
    "workers": {"W1": {"passport_held_by": "employer", "wages_withheld": "yes"}},
    "employers": {"E1": {"exit_permit_required": "yes"}},
}


def _dataset(**changes: Any) -> auditor.AuditDataset:
    return auditor.AuditDataset.from_dict(apply_changes(baseline(), **changes))


def test_fl01_is_a_join_over_indicator_facts_asserted_by_other_rules() -> None:
    compiled = compile_pack(rule_pack())
    joins = {
        name: rule["all"] for name, rule in compiled.ruleset.items() if name.startswith("FL-01#")
    }
    assert len(joins) == 2 * 35  # held and possible, one per 3 of the 7 indicator kinds
    first = joins["FL-01#T0"]
    assert [list(alias) for alias in first] == [["a"], ["b"], ["c"]]
    # equality joins only: durable-rules misreads memory on $gt between facts
    assert "$gt" not in str(joins)
    # MOB-02 reads employers; for the chain it is also compiled over workers' facts
    assert any(name.startswith("MOB-02@worker#T") for name in compiled.ruleset)
    from auditor.enrich.context import Context
    from auditor.enrich.facts import build_facts

    dataset = _dataset(change=THREE_INDICATORS)
    profile = rule_pack().profiles.get("ilo")
    assert profile is not None
    matches = run_rules(compiled, build_facts(Context(dataset, profile)))
    held = [m for name, m in matches if name.startswith("FL-01#T")]
    assert [sorted(m.values()) for m in held] == [
        [
            "i:held:0:restriction_of_movement",
            "i:held:0:retention_of_documents",
            "i:held:0:withholding_of_wages",
        ]
    ]


def test_indicators_are_a_set_per_worker_and_kind() -> None:
    compiled = compile_pack(rule_pack())
    name = next(n for n, b in compiled.branches.items() if b.rule_id == "DOC-01" and b.level == "T")
    facts = compiled.react(name, {"m": {"w": 4}})
    assert [(f["id"], f["level"]) for f in facts] == [
        ("i:held:4:retention_of_documents", "held"),
        ("i:possible:4:retention_of_documents", "possible"),
    ]
    undecided = next(
        n for n, b in compiled.branches.items() if b.rule_id == "DOC-01" and b.level == "U"
    )
    assert [f["level"] for f in compiled.react(undecided, {"m": {"w": 4}})] == ["possible"]


def test_an_error_in_an_action_surfaces_and_the_next_run_is_unaffected() -> None:
    rules = {"r": {"all": [{"m": {"t": "x"}}]}}

    def explode(rule: str, matched: Any) -> list[dict[str, Any]]:
        raise RuntimeError("boom")

    with pytest.raises(EngineError, match="boom"):
        durable_adapter.run("adapter-error-test", rules, [[{"t": "x", "id": "1"}]], explode)
    matches = durable_adapter.run(
        "adapter-error-test", rules, [[{"t": "x", "id": "1"}]], lambda r, m: []
    )
    assert [name for name, _ in matches] == ["r"]


def test_sessions_with_nothing_matched_are_safe_to_delete() -> None:
    """The C core frees uninitialised pointers of a session that never ran an action.

    The adapter runs a sentinel action in every session first; this asserts
    many sessions that match nothing, which crashed the process before.
    """
    rules = {"never": {"all": [{"m": {"$and": [{"t": "y"}, {"v": 1}]}}]}}
    for _ in range(200):
        assert durable_adapter.run("adapter-empty-test", rules, [[{"t": "x", "id": "1"}]],
                                   lambda r, m: []) == []  # fmt: skip


def test_each_rule_pack_is_registered_once() -> None:
    compiled = compile_pack(rule_pack())
    for _ in range(3):
        auditor.audit(_dataset())
    assert durable_adapter.registered().count(compiled.name) == 1
