"""Catalogue 1.2 beyond the score: FL-01's own overtime threshold, COMP-07's ceiling,
REST-01's norm by sector, FEE-05's basis per profile, and profile status with its caveat."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

import auditor
from auditor.base.resources import default_rules_dir
from auditor.errors import RulePackError
from auditor.model.profiles import ProfileError, load_profile
from auditor.pipeline import inspect_records
from auditor.render import Copy
from auditor.render.view import build_view
from auditor.testing.baseline import apply_changes, baseline


def _rules_with(tmp_path: Path, profile: str, extra: str) -> Path:
    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    path = rules / "profiles" / f"{profile}.yaml"
    text = path.read_text()
    for key in ("weekly_hours_limit", "forced_labour_weekly_hours"):
        text = "\n".join(line for line in text.splitlines() if not line.startswith(key)) + "\n"
    path.write_text(text + extra)
    return rules


def _found(data: dict[str, Any], **options: Any) -> set[tuple[str, str]]:
    result = auditor.audit(auditor.AuditDataset.from_dict(data), **options)
    return {(f.rule_id, f.subject.id) for f in result.findings}


def _two_indicators_and(hours: int) -> dict[str, Any]:
    """Passport kept and wages withheld (two indicators), and a contract of ``hours``."""
    return apply_changes(
        baseline(),
        change={
            "workers": {"W1": {"passport_held_by": "employer", "wages_withheld": "yes"}},
            "contracts": {"C1": {"weekly_hours": hours}},
        },
    )


def test_a_lower_legal_hours_limit_does_not_make_fl01_fire(tmp_path: Path) -> None:
    """A 48-hour legal limit: 49 hours is HOURS-01, not the forced-labour indicator."""
    rules = _rules_with(tmp_path, "ilo", "weekly_hours_limit: 48\nforced_labour_weekly_hours: 60\n")
    found = _found(_two_indicators_and(49), rules_dir=rules)
    assert ("HOURS-01", "W1") in found
    assert ("FL-01", "W1") not in found
    found = _found(_two_indicators_and(61), rules_dir=rules)
    assert {("HOURS-01", "W1"), ("FL-01", "W1")} <= found


def test_fl01_cites_the_hours_cell_of_its_own_overtime_indicator() -> None:
    result = auditor.audit(auditor.AuditDataset.from_dict(_two_indicators_and(72)))
    fl01 = next(f for f in result.findings if f.rule_id == "FL-01")
    assert "weekly_hours" in {e.column for e in fl01.evidence}


def test_the_forced_labour_threshold_is_at_least_the_hours_limit(tmp_path: Path) -> None:
    rules = _rules_with(tmp_path, "ilo", "weekly_hours_limit: 60\nforced_labour_weekly_hours: 50\n")
    with pytest.raises(RulePackError, match="must be at least weekly_hours_limit"):
        auditor.audit(auditor.AuditDataset.from_dict(baseline()), rules_dir=rules)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("weights: {critical: 100}\n", "below 100"),
        ("weights: {high: -1}\n", "at least 0"),
    ],
)
def test_profile_weights_stay_below_100(tmp_path: Path, extra: str, message: str) -> None:
    path = tmp_path / "ilo.yaml"
    path.write_text((default_rules_dir() / "profiles" / "ilo.yaml").read_text() + extra)
    with pytest.raises(ProfileError, match=message):
        load_profile(path)


def test_a_profile_to_be_confirmed_needs_its_caveat(tmp_path: Path) -> None:
    text = (default_rules_dir() / "profiles" / "NP.yaml").read_text()
    path = tmp_path / "NP.yaml"
    path.write_text(text.split("caveat:", 1)[0])
    with pytest.raises(ProfileError, match="to_be_confirmed needs caveat"):
        load_profile(path)


def test_comp07_limit_is_at_most_90_days_and_comp08_too() -> None:
    complaints = [
        {"complaint_id": "K1", "worker_id": "W1", "channel_id": "CH1", "category": "wages",
         "filed_on": "2026-03-22"},
        {"complaint_id": "K2", "worker_id": "W1", "channel_id": "CH1", "category": "harassment",
         "filed_on": "2026-03-22"},
        {"complaint_id": "K3", "worker_id": "W1", "channel_id": "CH1", "category": "wages",
         "filed_on": "2026-04-01"},
    ]  # fmt: skip
    data = apply_changes(
        baseline(),
        change={"channels": {"CH1": {"response_days": 365}}},
        add={"complaints": complaints},
    )
    found = _found(data)
    assert {("COMP-07", "K1"), ("COMP-08", "K2")} <= found
    assert ("COMP-07", "K3") not in found  # exactly 90 days


def _view(data: dict[str, Any], jurisdiction: str | None = None) -> Any:
    inspection = inspect_records(auditor.AuditDataset.from_dict(data), jurisdiction=jurisdiction)
    return build_view(inspection, inspection.result, Copy.INSPECTOR)


def _section(view: Any, rule_id: str) -> Any:
    return next(s for p in view.paragraphs for s in p.rules if s.rule_id == rule_id)


@pytest.mark.parametrize(
    ("sector", "norm"),
    [
        ("domestic_work", "C189), Art 10(2)"),
        ("care", "C189), Art 10(2)"),
        ("construction", "(C14), Art 2"),
        ("manufacturing", "(C14), Art 2"),
        ("hospitality", "(C106), Art 6"),
        ("other", "(C106), Art 6"),
        ("fishing", "national law in force on weekly rest"),
    ],
)
def test_rest01_cites_the_norm_of_her_sector(sector: str, norm: str) -> None:
    data = apply_changes(
        baseline(),
        change={
            "employers": {"E1": {"sector": sector}},
            "contracts": {"C1": {"weekly_rest_days": 0}},
        },
    )
    norms = _section(_view(data), "REST-01").norms
    assert any(norm in n for n in norms), norms
    assert len([n for n in norms if "Convention" in n]) <= 1  # the one that fits, not all


def test_mob01_no_longer_cites_c143() -> None:
    data = apply_changes(
        baseline(), change={"employers": {"E1": {"job_change_requires_consent": "yes"}}}
    )
    norms = _section(_view(data), "MOB-01").norms
    assert not any("C143" in n for n in norms)
    assert any("principle 12" in n for n in norms)


def _unreceipted(destination: str = "SA") -> dict[str, Any]:
    data = apply_changes(
        baseline(),
        change={"employers": {"E1": {"destination_country": destination}}},
        add={"fees": [{"fee_id": "F2", "worker_id": "W1", "category": "personal_documents",
                       "amount": 60, "paid_to": "government", "receipt_issued": "no"}]},
    )  # fmt: skip
    data["fx"] = [*data.get("fx", []), {"currency": "NPR", "rate": 0.0075}]
    return data


def test_fee05_cites_the_profile_s_own_law_never_another_country_s() -> None:
    ph = _section(_view(_unreceipted(), "PH"), "FEE-05")
    assert any("Philippines (profile PH): 2016 Revised POEA Rules" in n for n in ph.norms)
    nepal = _section(_view(_unreceipted(), "NP"), "FEE-05")
    assert not any("Philippines" in n or "POEA" in n or "e.g." in n for n in nepal.norms)
    assert any("Nepal (profile NP)" in n for n in nepal.norms)


def test_the_caveat_stands_beside_profile_dependent_findings_only() -> None:
    data = apply_changes(
        _unreceipted(), change={"workers": {"W1": {"passport_held_by": "employer"}}}
    )
    view = _view(data, "NP")
    fee05 = _section(view, "FEE-05")
    assert fee05.caveat is not None
    assert "NPR 10,000" in fee05.caveat
    assert _section(view, "DOC-01").caveat is None  # not profile-dependent
    assert _section(_view(data, "ilo"), "FEE-05").caveat is None  # ilo is checked


def test_the_scoring_chapter_shows_the_factors_and_their_product() -> None:
    data = apply_changes(
        baseline(), add={"fees": [{"fee_id": "F2", "worker_id": "W1", "category": "training",
                                   "amount": 10}]})  # fmt: skip
    view = _view(data)
    fee02 = next(row for row in view.scoring if row.outcome.rule_id == "FEE-02")
    assert (fee02.points, fee02.factor) == ("10.00", "0.9000")
    assert view.score_product == "100 \N{MULTIPLICATION SIGN} 0.9000 = 90.0000"
    assert view.score == "90.0"
