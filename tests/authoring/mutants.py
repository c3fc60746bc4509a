"""Deliberately broken variants of shipped rules, which ``auditor rules test`` must catch.

Each mutant changes one rule file the way an author might get it wrong:
a threshold off by one, the wrong field, an inverted comparison, unknown
values not handled as unknown, the wrong subject. Some also drop the
examples that would have caught the mistake, as an author who wrote the
wrong rule would also have written examples that agree with it: then only
a property can catch it.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

Edit = Callable[[dict[str, Any]], None]


@dataclass(frozen=True)
class Mutant:
    rule_id: str
    kind: str
    change: str
    edit: Edit
    drop: tuple[str, ...] = ()  # names of examples removed with the mistake
    #: The properties that must catch it beside the examples: for a mutant whose revealing
    #: examples were removed, the ones that catch what its author's examples missed.
    caught_by: frozenset[str] = field(default_factory=frozenset)

    @property
    def name(self) -> str:
        suffix = " (its revealing examples removed)" if self.drop else ""
        return f"{self.rule_id} {self.kind}: {self.change}{suffix}"


def _leaf(condition: dict[str, Any], name: str) -> dict[str, Any]:
    """The test of ``name`` in a condition (searched through all/any/not)."""
    found = _find(condition, name)
    assert found is not None, f"no test of {name}"
    return found


def _find(condition: dict[str, Any], name: str) -> dict[str, Any] | None:
    if condition.get("field") == name:
        return condition
    items = [*condition.get("all", []), *condition.get("any", [])]
    items += [condition["not"]] if "not" in condition else []
    for item in items:
        found = _find(item, name)
        if found is not None:
            return found
    return None


def retest(name: str, old: str, new: str, value: Any = None) -> Edit:
    """Replace operator ``old`` of the test on ``name`` by ``new`` (and its value)."""

    def edit(rule: dict[str, Any]) -> None:
        leaf = _leaf(rule["condition"], name)
        constant = leaf.pop(old)
        leaf[new] = constant if value is None else value

    return edit


def refield(name: str, other: str) -> Edit:
    def edit(rule: dict[str, Any]) -> None:
        _leaf(rule["condition"], name)["field"] = other

    return edit


def when_unknown(name: str, policy: str) -> Edit:
    def edit(rule: dict[str, Any]) -> None:
        _leaf(rule["condition"], name)["when_unknown"] = policy

    return edit


def subject(new: str) -> Edit:
    def edit(rule: dict[str, Any]) -> None:
        rule["subject"] = new

    return edit


def per_worker(rule: dict[str, Any]) -> None:
    """A complaint rule made a worker rule that reads her complaints, as an author would
    write it so that it loads: the scope folded into the condition (a worker fact has no
    complaint category to scope by)."""
    rule["subject"], rule["over"] = "worker", "complaint"
    rule["condition"] = {"all": [rule.pop("applies_when"), rule["condition"]]}


def capped_excess(rule: dict[str, Any]) -> None:
    """FEE-06 declares what its author means (more money over the cap never takes the
    finding away) but writes a condition that stops at an excess of 1000; every example
    has a smaller excess, so only the declared property can catch it."""
    rule["properties"] = [
        {"kind": "monotone", "field": "recruitment_fee_excess", "direction": "up",
         "sheet": "Fees", "column": "amount", "description": MONOTONE}
    ]  # fmt: skip
    rule["condition"] = {
        "all": [rule["condition"], {"field": "recruitment_fee_excess", "lt": 1000}]
    }


MONOTONE = "raising a fee never takes FEE-06 away"

MUTANTS: tuple[Mutant, ...] = (
    Mutant("AGE-01", "threshold off by one", "under 19 instead of under 18",
           retest("age_at_deployment", "lt", "lt", 19)),
    Mutant("AGE-01", "threshold off by one", "under 17 instead of under 18",
           retest("age_at_deployment", "lt", "lt", 17)),
    Mutant("HOURS-01", "threshold off by one", "60 hours and more instead of more than 60",
           retest("weekly_hours_over_limit", "gt", "ge"), drop=("exactly 60 hours",),
           caught_by=frozenset({"compliant"})),
    Mutant("WAGE-01", "threshold off by one", "paid below 100% instead of below 99%",
           retest("wage_paid_to_contract_ratio", "lt", "lt", 1),
           drop=("paid exactly 99% (495)",), caught_by=frozenset({"compliant"})),
    Mutant("CON-04", "threshold off by one", "a wage 1% lower counts as substitution",
           retest("wage_to_latest_origin_ratio", "lt", "le"),
           drop=("exactly 1% lower (495) is not substitution",),
           caught_by=frozenset({"compliant"})),
    Mutant("LIC-01", "threshold off by one", "a licence expiring on the inspection day is expired",
           retest("licence_days_left", "lt", "le"),
           drop=("valid until the day of the inspection",), caught_by=frozenset({"compliant"})),
    Mutant("DEBT-01", "threshold off by one", "more than one month instead of at least one",
           retest("worker_paid_total_above_reference_wage", "ge", "gt")),
    Mutant("REST-01", "inverted comparison", "at least one rest day instead of less than one",
           retest("weekly_rest_days", "lt", "ge"), drop=("half a day",),
           caught_by=frozenset({"compliant"})),
    Mutant("FEE-05", "inverted comparison", "a receipt issued instead of none",
           lambda rule: _leaf(rule["condition"], "receipt_issued").update({"is": True}),
           drop=("the worker paid for her passport and got no receipt",),
           caught_by=frozenset({"compliant"})),
    Mutant("TERM-02", "inverted comparison", "a penalty of at least 0 instead of above 0",
           retest("termination_penalty", "gt", "ge"), drop=("no penalty",),
           caught_by=frozenset({"compliant"})),
    Mutant("FEE-04", "wrong field", "financed_by_loan instead of deducted_from_wages",
           refield("deducted_from_wages", "financed_by_loan")),
    Mutant("INFO-02", "wrong field", "the contract's language instead of the briefing's",
           refield("briefing_in_her_language", "origin_contract_in_her_language")),
    # A field the shipped rules judge (MOB-02's): the compliant datasets keep both, so
    # no value keeps the mutant. (A field no shipped rule reads takes its compliant
    # values from the rule itself, as a new rule's must: see test_derived_compliance.)
    Mutant("MOB-03", "wrong field",
           "exit_permit_required instead of independent_residency_route",
           refield("independent_residency_route", "exit_permit_required"),
           drop=("a route exists",), caught_by=frozenset({"compliant"})),
    Mutant("COMP-06", "missing unknown-handling", "an unrecorded penalty counts as a penalty",
           when_unknown("worker_penalised", "true"), drop=("not recorded",),
           caught_by=frozenset({"unknowns"})),
    Mutant("DOC-01", "missing unknown-handling", "an unrecorded holder counts as the worker",
           when_unknown("passport_held_by", "false"), drop=("not recorded",),
           caught_by=frozenset({"unknowns"})),
    Mutant("FEE-03", "missing unknown-handling", "a deposit of unknown payer counts as hers",
           when_unknown("worker_paid", "true"), drop=("who paid the deposit is unknown",),
           caught_by=frozenset({"unknowns"})),
    Mutant("COMP-06", "wrong subject", "one finding per complaint instead of per worker",
           subject("complaint")),
    Mutant("COMP-07", "wrong subject", "one finding per worker instead of per complaint",
           per_worker),
    Mutant("FEE-06", "declared property broken", "no finding above an excess of 1000",
           capped_excess, caught_by=frozenset({f"monotone: {MONOTONE}"})),
)  # fmt: skip


def mutated_pack(rules: Path, target: Path, mutant: Mutant) -> Path:
    """A copy of the rule directory ``rules`` in ``target`` with ``mutant`` made."""
    shutil.copytree(rules, target)
    path = target / f"{mutant.rule_id}.yaml"
    rule = yaml.safe_load(path.read_text(encoding="utf-8"))
    mutant.edit(rule)
    if mutant.drop:
        names = {example["name"] for example in rule["examples"]}
        missing = set(mutant.drop) - names
        assert not missing, f"{mutant.rule_id} has no example {missing}"
        rule["examples"] = [e for e in rule["examples"] if e["name"] not in mutant.drop]
        for expect in ("fires", "passes"):  # a rule file needs one of each to load
            if not any(e["expect"] == expect for e in rule["examples"]):
                subject = rule["examples"][0]["subject"]
                rule["examples"].append(
                    {"name": "the baseline", "expect": expect, "subject": subject}
                )
    path.write_text(yaml.safe_dump(rule, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return target
