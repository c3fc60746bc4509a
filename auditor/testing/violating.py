"""Datasets on which a rule must fire for a known subject, from the rule's own examples.

Each of a rule's examples that ``fires`` is a small inspection (the
baseline, changed as the example says) where the author states the rule
must fire for ``subject``. :func:`violating` puts that inspection among
other records drawn at random (more workers with their own employers,
contracts, fees and complaints, whatever they contain) and shuffles every
sheet. Nothing drawn touches the subject's own records, her employer, the
channels or the Audit sheet, which are all a rule's verdict on her may
rest on; so the rule must still fire for her. The stock properties then
change these datasets (blank a value, raise an amount, add a violation)
and watch what the rule does.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from auditor.engine.pack import RulePack
from auditor.engine.rulefile import Example
from auditor.ingest.data import check_data
from auditor.model.columns import reference_of
from auditor.model.dataset import AuditDataset
from auditor.model.sheets import SHEET_BY_KEY, TABLE_SHEETS
from auditor.testing.examples import example_data
from auditor.testing.strategies import datasets

#: Sheets of the drawn surroundings that are added (never channels, FX or the Audit sheet).
_ADDED = ("employers", "workers", "contracts", "fees", "intermediaries", "complaints")
PREFIX = "X"


@dataclass(frozen=True)
class Violation:
    """A dataset, and the subject the rule must fire for ("agency" for the agency)."""

    dataset: AuditDataset
    rule_id: str
    subject: str
    example: str
    others: int  # how many workers were drawn around the example's


def violating(
    rule_id: str, *, rules_dir: str | Path | None = None, others: tuple[int, int] = (0, 2)
) -> st.SearchStrategy[Violation]:
    """Datasets on which ``rule_id`` must fire for a known subject.

    Built from the rule's examples that fire, each among ``others`` (min,
    max) more workers drawn at random, with every sheet shuffled.
    """
    from auditor.pipeline import rule_pack

    pack = rule_pack(rules_dir)
    examples = [e for e in pack.rule(rule_id).data.examples if e.expect == "fires"]
    if not examples:  # pragma: no cover - a rule file cannot load without one
        raise ValueError(f"{rule_id} has no example that fires")
    return st.sampled_from(examples).flatmap(
        lambda example: _around(pack, rule_id, example, others)
    )


def _around(
    pack: RulePack, rule_id: str, example: Example, others: tuple[int, int]
) -> st.SearchStrategy[Violation]:
    data = example_data(example)
    audit = data["audit"]
    currencies = (audit["currency"], *(row["currency"] for row in data["fx"]))
    jurisdiction = example.jurisdiction or audit.get("jurisdiction") or None
    surroundings = (
        datasets(
            workers=(max(others[0], 1), others[1]),
            employers=(1, 2),
            currencies=currencies,
            profile=jurisdiction,
            max_per_worker=2,
        )
        if others[1] > 0
        else st.none()
    )

    @st.composite
    def build(draw: st.DrawFn) -> Violation:
        merged: dict[str, Any] = {
            key: [dict(row) for row in data[key]] for key in data if key != "audit"
        }
        merged["audit"] = dict(audit)
        drawn = 0
        if others[1] > 0 and (others[0] > 0 or draw(st.booleans())):
            extra: AuditDataset | None = draw(surroundings)
            assert extra is not None  # others[1] > 0 draws a dataset
            drawn = len(extra.workers)
            _merge(merged, extra, [row["channel_id"] for row in merged["channels"]], draw)
        for spec in TABLE_SHEETS:
            rows = merged.get(spec.key, [])  # an optional sheet the example does not fill
            merged[spec.key] = [rows[i] for i in draw(st.permutations(range(len(rows))))]
        checked, report = check_data(merged, pack.profiles)
        if checked is None:  # the example itself is broken: lint says where
            raise ValueError(
                f"{rule_id} example {example.name!r} is not a valid inspection: "
                + "; ".join(str(problem) for problem in report.errors)
            )
        return Violation(checked, rule_id, example.subject, example.name, drawn)

    return build()


def _merge(
    merged: dict[str, Any], extra: AuditDataset, channels: list[str], draw: st.DrawFn
) -> None:
    """Add the drawn records under ids of their own; their complaints use existing channels."""
    for key in _ADDED:
        model = SHEET_BY_KEY[key].model
        renamed = {
            name
            for name, info in model.model_fields.items()
            if name == model.ID_FIELD or reference_of(info) is not None
        }
        for record in getattr(extra, key):
            row = record.model_dump()
            for name in renamed:
                if row[name] is not None and name != "channel_id":
                    row[name] = PREFIX + row[name]
            if key == "complaints":
                row["channel_id"] = (
                    None
                    if not channels or draw(st.booleans())
                    else channels[draw(st.integers(0, len(channels) - 1))]
                )
            merged[key].append(row)
    needed = {rate.currency for rate in extra.fx} - {row["currency"] for row in merged["fx"]}
    merged["fx"] += [rate.model_dump() for rate in extra.fx if rate.currency in needed]
