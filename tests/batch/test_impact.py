"""``auditor impact``: a proposed rule change shown across a folder before it goes live."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from auditor.cli import main
from tests.batch.books import ROOT, SAMPLES, agencies


def _proposed(tmp_path: Path) -> Path:
    """The shipped rules with PH's fee cap halved, its weekly hours cut to 40 and long
    hours made critical: a policy analyst's draft."""
    rules = tmp_path / "proposed"
    shutil.copytree(ROOT / "rules", rules)
    profile = rules / "profiles" / "PH.yaml"
    text = profile.read_text()
    assert "months_of_origin_wage: 1\n" in text
    assert "weekly_hours_limit: 60\n" in text
    text = text.replace("months_of_origin_wage: 1\n", "months_of_origin_wage: 0.5\n")
    profile.write_text(text.replace("weekly_hours_limit: 60\n", "weekly_hours_limit: 40\n"))
    hours = rules / "HOURS-01.yaml"
    assert "\nseverity: medium\n" in hours.read_text()
    hours.write_text(hours.read_text().replace("\nseverity: medium\n", "\nseverity: critical\n"))
    return rules


def test_impact_of_a_changed_rule_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox = tmp_path / "inbox"
    agencies(inbox, 1, start=2)  # rated B, with long hours under 60 a week
    shutil.copy(SAMPLES / "agency-with-problems.xlsx", inbox / "problems.xlsx")
    shutil.copy(SAMPLES / "invalid-workbook.xlsx", inbox / "zz-invalid.xlsx")
    out = tmp_path / "impact"
    status = main(["impact", "--rules", str(_proposed(tmp_path)), str(inbox), "--out", str(out)])
    assert status == 2  # the invalid workbook; the others are compared all the same
    document = json.loads((out / "impact.json").read_text())
    assert document["format"] == "audit-impact/1"
    assert document["current_ruleset"] != document["new_ruleset"]
    totals = document["totals"]
    assert (totals["inputs"], totals["compared"]) == (3, 2)
    assert totals["transitions"] == {"B -> critical": 1}
    assert (totals["rating_changed"], totals["worse"], totals["better"]) == (1, 1, 0)
    assert totals["ratings"]["current"]["B"] == 1
    assert totals["ratings"]["new"]["B"] == 0
    by_file = {Path(a["file"]).name: a for a in document["agencies"]}
    bench = by_file["agency-002.xlsx"]
    assert bench["current"]["rating"] == "B"
    assert bench["new"]["rating"] == "critical"
    assert bench["findings_by_rule"]["HOURS-01"]["gained"] > 0
    assert bench["score_change"] < 0
    # The halved cap: the problem agency owes more, FEE-06 found for more workers.
    problems = by_file["problems.xlsx"]
    assert problems["findings_by_rule"]["FEE-06"]["gained"] >= 1
    assert problems["new"]["money_owed"] > problems["current"]["money_owed"]
    assert totals["money_owed"]["USD"]["new"] > totals["money_owed"]["USD"]["current"]
    assert by_file["zz-invalid.xlsx"]["status"] == "invalid"
    # Each side is exactly what auditor audit says under that rule directory.
    alone = tmp_path / "alone"
    assert (
        main(["audit", str(inbox / "problems.xlsx"), "--out", str(alone), "--format", "json"]) == 0
    )
    result = json.loads((alone / "PH-2026-0417.json").read_text())
    assert problems["current"]["score"] == result["score"]
    assert problems["current"]["findings"] == len(result["findings"])
    book = load_workbook(out / "impact.xlsx", read_only=True)
    assert book.sheetnames == ["Agencies", "Findings by rule", "Totals"]
    page = (out / "impact.html").read_text()
    assert "<svg" in page
    assert "1</strong> of 2 agencies change rating" in page
    assert "Synthetic Manpower Services-A0002" in page
    capsys.readouterr()


def test_impact_names_the_destinations_a_destination_profile_changes(tmp_path: Path) -> None:
    """Catalogue 1.3: the same pack without Qatar's destination profile; only QA changes."""
    rules = tmp_path / "without-qa"
    shutil.copytree(ROOT / "rules", rules)
    (rules / "destinations" / "QA.yaml").unlink()
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SAMPLES / "agency-with-problems.xlsx", inbox / "problems.xlsx")
    out = tmp_path / "impact"
    assert main(["impact", "--rules", str(rules), str(inbox), "--out", str(out)]) == 0
    document = json.loads((out / "impact.json").read_text())
    totals = document["totals"]
    assert totals["destinations_changed"] == ["QA"]
    assert totals["corridor"]["QA"]["current"]["workers_charged"] == 5
    assert totals["corridor"]["QA"]["new"] == {
        "workers": 0,
        "workers_charged": 0,
        "amount_charged": {},
    }
    assert totals["corridor"]["HK"]["current"] == totals["corridor"]["HK"]["new"]
    [agency] = document["agencies"]
    assert agency["destinations_changed"] == ["QA"]
    assert agency["findings_by_rule"] == {"DEST-01": {"gained": 0, "lost": 5}}
    # the origin's findings and the money owed do not move
    assert totals["money_owed"]["USD"]["current"] == totals["money_owed"]["USD"]["new"]
    assert "Destinations whose figures change: QA." in (out / "impact.html").read_text()
