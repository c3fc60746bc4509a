"""What changed between two rule packs, in words a director reads.

"rules added: COMP-09", "FEE-06 changed: severity high -> critical",
"NP recruitment-fee cap 10,000 NPR -> 5,000 NPR (destinations MY, SA...)",
"PH weekly hours limit 60 -> 48". Rules are compared by id, key by key of
their files as parsed (a comment does not count); profiles by id, their
caps by the scope they apply to, their other parameters by name.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from auditor.engine.pack import RulePack, rule_pack
from auditor.model.profiles import Cap, FeeAllowance, Profile

#: Rule-file keys worth naming when they change (the rest are wording: "texts").
_RULE_KEYS = (
    "severity",
    "paragraph",
    "subject",
    "over",
    "condition",
    "applies_when",
    "chain",
    "money_owed",
    "norms",
    "norms_by_sector",
    "profile_dependent",
)
_TEXTS = ("title", "rationale", "finding", "remediation", "referral")


def describe(current: str | Path | None, new: str | Path | None) -> list[str]:
    """Each change from the pack at ``current`` to the one at ``new`` (shipped when None)."""
    return pack_changes(rule_pack(current), rule_pack(new))


def pack_changes(before: RulePack, after: RulePack) -> list[str]:
    said: list[str] = []
    old_rules = {r.id: r for r in before.rules}
    new_rules = {r.id: r for r in after.rules}
    added = sorted(set(new_rules) - set(old_rules))
    removed = sorted(set(old_rules) - set(new_rules))
    if added:
        said.append(f"rules added: {', '.join(added)}")
    if removed:
        said.append(f"rules removed: {', '.join(removed)}")
    for rule_id in sorted(set(old_rules) & set(new_rules)):
        old = old_rules[rule_id].data.model_dump(mode="json")
        new = new_rules[rule_id].data.model_dump(mode="json")
        parts = []
        for key in _RULE_KEYS:
            if old.get(key) != new.get(key):
                if key == "severity":
                    parts.append(f"severity {old[key]} -> {new[key]}")
                else:
                    parts.append(key.replace("_", " "))
        if any(old.get(key) != new.get(key) for key in _TEXTS):
            parts.append("wording")
        if old.get("examples") != new.get("examples"):
            parts.append("examples")
        if parts:
            said.append(f"{rule_id} changed: {', '.join(parts)}")
    old_profiles = {p.id: p for p in before.profiles.all()}
    new_profiles = {p.id: p for p in after.profiles.all()}
    for pid in sorted(set(new_profiles) - set(old_profiles)):
        said.append(f"profile {pid} added")
    for pid in sorted(set(old_profiles) - set(new_profiles)):
        said.append(f"profile {pid} removed")
    for pid in sorted(set(old_profiles) & set(new_profiles)):
        said += _profile_changes(old_profiles[pid], new_profiles[pid])
    if before.pack_version != after.pack_version:
        said.append(f"pack version {before.pack_version} -> {after.pack_version}")
    elif before.content_digest != after.content_digest:
        said.append(
            f"both packs say version {after.pack_version} though they differ: raise the "
            "proposed pack's version (auditor rules lint says so)"
        )
    return said


def _amount(cap: Cap) -> str:
    """ "10,000 NPR", or "0.5 month(s) of the reference wage"."""
    if cap.amount is not None and cap.currency is not None:
        whole = cap.amount == cap.amount.to_integral_value()
        return f"{int(cap.amount):,} {cap.currency}" if whole else f"{cap.amount:,} {cap.currency}"
    return f"{cap.months_of_origin_wage} month(s) of the reference wage"


def _scope(allowance: FeeAllowance) -> tuple[Any, ...]:
    return (
        allowance.sectors,
        allowance.except_sectors,
        allowance.destinations,
        allowance.except_destinations,
    )


def _scope_words(allowance: FeeAllowance) -> str:
    parts = []
    if allowance.destinations is not None:
        parts.append("destinations " + ", ".join(allowance.destinations))
    if allowance.except_destinations:
        parts.append("not to " + ", ".join(allowance.except_destinations))
    if allowance.sectors is not None:
        parts.append("sectors " + ", ".join(s.value for s in allowance.sectors))
    if allowance.except_sectors:
        parts.append("not " + ", ".join(s.value for s in allowance.except_sectors))
    return f" ({'; '.join(parts)})" if parts else ""


def _profile_changes(old: Profile, new: Profile) -> Iterable[str]:
    pid = new.id
    old_caps = {_scope(a): a for a in old.recruitment_fee}
    new_caps = {_scope(a): a for a in new.recruitment_fee}
    for scope, allowance in new_caps.items():
        before = old_caps.get(scope)
        if before is None:
            yield f"{pid} recruitment fee allowed: cap {_amount(allowance.cap)}" + _scope_words(
                allowance
            )
        elif before.cap != allowance.cap:
            yield (
                f"{pid} recruitment-fee cap {_amount(before.cap)} -> {_amount(allowance.cap)}"
                + _scope_words(allowance)
            )
    for scope, allowance in old_caps.items():
        if scope not in new_caps:
            yield f"{pid} recruitment fee no longer allowed" + _scope_words(allowance)
    if old.worker_may_pay != new.worker_may_pay:
        yield (f"{pid} costs a worker may pay: {_payable(old)} -> {_payable(new)}")
    for name, label in (
        ("weekly_hours_limit", "weekly hours limit"),
        ("forced_labour_weekly_hours", "forced-labour overtime threshold"),
        ("status", "status"),
    ):
        was, now = getattr(old, name), getattr(new, name)
        if was != now:
            yield f"{pid} {label} {was} -> {now}"
    if old.weights != new.weights:
        changed = [
            f"{s.value} {old.weights[s]} -> {new.weights[s]}"
            for s in new.weights
            if old.weights.get(s) != new.weights[s]
        ]
        yield f"{pid} weights: {', '.join(changed)}"
    if old.severity_overrides != new.severity_overrides:
        yield f"{pid} severity overrides changed"


def _payable(profile: Profile) -> str:
    if not profile.worker_may_pay:
        return "none"
    return "; ".join(
        ", ".join(c.value for c in a.categories)
        + (f" (destinations {', '.join(a.destinations)})" if a.destinations else "")
        for a in profile.worker_may_pay
    )
