"""Jurisdiction profiles: which one is in force, and what each lets a worker pay."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import auditor
from auditor.model.enums import FeeCategory, Sector
from auditor.model.profiles import default_profiles
from auditor.testing.baseline import apply_changes, baseline

PROFILES = default_profiles()


def test_selection_explicit_then_origin_country_then_ilo() -> None:
    def chosen(explicit: str | None, origin: str) -> str:
        profile = PROFILES.resolve(explicit=explicit, origin_country=origin)
        assert profile is not None
        return profile.id

    assert chosen("np", "PH") == "NP"  # explicit, any case
    assert chosen(None, "ID") == "ID"  # the origin country's profile
    assert chosen(None, "LK") == "ilo"  # none for Sri Lanka: the baseline
    assert PROFILES.resolve(explicit="XX", origin_country="PH") is None


def test_the_command_line_overrides_the_workbook() -> None:
    data = apply_changes(
        baseline(),
        add={"fees": [{"fee_id": "F2", "worker_id": "W1", "category": "personal_documents",
                       "amount": 60}]},
    )  # fmt: skip
    dataset = auditor.AuditDataset.from_dict(data)  # jurisdiction ilo in the workbook
    assert [f.rule_id for f in auditor.audit(dataset).findings] == ["FEE-02"]
    overridden = auditor.audit(dataset, jurisdiction="ph")
    assert overridden.jurisdiction == "PH"
    # PH lets her pay for her passport: nothing the origin's rules find; Qatar's law puts it
    # on the employer, which DEST-01 (catalogue 1.3) shows, with nothing owed.
    assert [(f.rule_id, f.amount_owed) for f in overridden.findings] == [("DEST-01", 0)]


def test_an_unknown_override_is_a_usage_error() -> None:
    dataset = auditor.AuditDataset.from_dict(baseline())
    with pytest.raises(auditor.UsageError, match="no jurisdiction profile 'XX'"):
        auditor.audit(dataset, jurisdiction="XX")


@pytest.mark.parametrize(
    ("sector", "destination", "cap"),
    [("construction", "QA", "months"), ("domestic_work", "QA", None),
     ("care", "NO", None), ("care", "GB", None), ("care", "HK", "months")],
)  # fmt: skip
def test_ph_recruitment_fee_cap(sector: str, destination: str, cap: str | None) -> None:
    allowance = PROFILES.get("PH").fee_allowance(Sector(sector), destination)  # type: ignore[union-attr]
    if cap is None:
        assert allowance is None
    else:
        assert allowance is not None
        assert allowance.cap.months_of_origin_wage == 1


@pytest.mark.parametrize("destination", ["MY", "SA", "QA", "AE", "KW", "BH", "OM"])
def test_np_free_visa_free_ticket_destinations(destination: str) -> None:
    profile = PROFILES.get("NP")
    assert profile is not None
    allowance = profile.fee_allowance(Sector.CONSTRUCTION, destination)
    assert allowance is not None
    assert (allowance.cap.amount, allowance.cap.currency) == (Decimal(10000), "NPR")
    assert profile.may_pay(FeeCategory.MEDICAL, Sector.CONSTRUCTION, destination)
    assert not profile.may_pay(FeeCategory.TRAVEL, Sector.CONSTRUCTION, destination)


def test_np_other_destinations_follow_the_baseline() -> None:
    profile = PROFILES.get("NP")
    assert profile is not None
    assert profile.fee_allowance(Sector.CONSTRUCTION, "HK") is None
    assert not profile.may_pay(FeeCategory.MEDICAL, Sector.CONSTRUCTION, "HK")


@pytest.mark.parametrize(
    ("profile_id", "sector", "allowed"),
    [("ilo", "construction", False), ("PH", "domestic_work", True), ("PH", "construction", True),
     ("ID", "construction", True), ("ID", "domestic_work", False), ("ID", "fishing", False),
     ("NP", "construction", True)],
)  # fmt: skip
def test_personal_documents_allowed_or_not(profile_id: str, sector: str, allowed: bool) -> None:
    profile = PROFILES.get(profile_id)
    assert profile is not None
    assert profile.may_pay(FeeCategory.PERSONAL_DOCUMENTS, Sector(sector), "QA") is allowed


def test_no_profile_lets_a_worker_pay_deposits_or_bribes() -> None:
    for profile in PROFILES.all():
        for sector in Sector:
            for category in (FeeCategory.DEPOSIT, FeeCategory.ILLEGITIMATE):
                assert not profile.may_pay(category, sector, "QA")


def test_every_profile_cites_sources_and_says_what_is_uncertain() -> None:
    for profile in PROFILES.all():
        assert profile.sources
        assert profile.checked_on
        if profile.id != "ilo":
            assert profile.uncertain
            assert "recheck" in profile.uncertain.lower()


def test_a_bad_profile_file_lists_every_problem(tmp_path: object) -> None:
    from pathlib import Path

    from auditor.model.profiles import ProfileError, load_profile

    path = Path(str(tmp_path)) / "XX.yaml"
    path.write_text(
        "id: XX\nname: Nowhere\nsummary: s\nsources: []\nchecked_on: 2026-01-01\n"
        "recruitment_fee: [{cap: {amount: 5}}]\nworker_may_pay: [{categories: [deposit]}]\n"
    )
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    message = str(caught.value)
    assert "sources" in message
    assert "a fixed amount needs its currency" in message
    assert "deposit cannot be listed here" in message


def test_an_edited_profile_is_read_again_in_the_same_process(tmp_path: Path) -> None:
    """A server that keeps running sees a changed profile file, as it sees changed rules."""
    import shutil

    from auditor.base.resources import default_rules_dir
    from auditor.model.profiles import load_profiles

    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    before = load_profiles(rules).get("ilo")
    assert before is not None
    assert before.weekly_hours_limit == 60
    path = rules / "profiles" / "ilo.yaml"
    text = path.read_text(encoding="utf-8")
    assert "weekly_hours_limit: 60" in text
    path.write_text(text.replace("weekly_hours_limit: 60", "weekly_hours_limit: 48"), "utf-8")
    after = load_profiles(rules).get("ilo")
    assert after is not None
    assert after.weekly_hours_limit == 48
