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
    assert book.sheetnames == [
        "Agencies", "Findings by rule", "Total per rule", "Totals", "What changed", "Ratings"
    ]  # fmt: skip
    header = next(book["Agencies"].iter_rows(values_only=True))
    assert header[:8] == ("File", "Audit", "Agency", "Licence", "Status", "Currency",
                          "Rating now", "Rating under the new rules")  # fmt: skip
    page = (out / "impact.html").read_text()
    assert "<svg" in page
    assert "<strong>2</strong> of 2 agencies change (rating 1," in page
    assert "Synthetic Manpower Services-A0002" in page
    assert "PH recruitment-fee cap 1 month(s) of the reference wage -&gt; 0.5 month(s)" in page
    assert "PH weekly hours limit 60 -&gt; 40" in page
    assert "HOURS-01 changed: severity medium -&gt; critical" in page
    assert "What the ratings mean" in page
    assert document["pack_changes"]
    err = capsys.readouterr().err
    assert f"auditing under the current rules {document['current_ruleset']}" in err
    assert f"auditing under the new rules {document['new_ruleset']}" in err


def test_the_nepal_cap_halved_on_generated_agencies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Nepal's cap 10,000 -> 5,000 NPR across generated Nepal agencies (issue 24): FEE-06
    findings and money owed rise, and the headline and the changes say so."""
    from bench.generate import write

    inbox = tmp_path / "nepal"
    for number, mix in enumerate(("clean", "typical", "typical", "stress")):
        write(15, inbox / f"np-{number}.xlsx", seed=40 + number, mix=mix, agency=number,
              origin="NP")  # fmt: skip
    rules = tmp_path / "proposed"
    shutil.copytree(ROOT / "rules", rules)
    profile = rules / "profiles" / "NP.yaml"
    assert "amount: 10000\n" in profile.read_text()
    profile.write_text(profile.read_text().replace("amount: 10000\n", "amount: 5000\n"))
    out = tmp_path / "impact"
    assert main(["impact", "--rules", str(rules), str(inbox), "--out", str(out)]) == 0
    document = json.loads((out / "impact.json").read_text())
    totals = document["totals"]
    fee06 = totals["findings_by_rule"]["FEE-06"]
    assert fee06["gained"] > 0
    assert fee06["lost"] == 0
    money = totals["money_owed"]["USD"]
    assert money["new"] > money["current"]
    assert totals["changed_by"]["findings"] > 0
    assert totals["changed_by"]["money owed"] > 0
    assert totals["workers_affected"] >= fee06["gained"]
    change = (
        "NP recruitment-fee cap 10,000 NPR -> 5,000 NPR (destinations MY, SA, QA, AE, KW, BH, OM)"
    )
    assert change in document["pack_changes"]
    assert any("both packs say version 1.3.0" in line for line in document["pack_changes"])
    page = (out / "impact.html").read_text()
    headline = page.split('<p class="headline">', 1)[1].split("</p>", 1)[0]
    assert f"<strong>{totals['changed']}</strong> of 4 agencies change" in headline
    assert f"FEE-06 +{fee06['gained']}" in headline
    assert f"money owed {money['current']:,.2f} -> {money['new']:,.2f} USD" in headline
    assert change.replace("->", "-&gt;") in page
    for agency in document["agencies"]:
        if "FEE-06" in agency["findings_by_rule"]:
            assert agency["new"]["money_owed"] > agency["current"]["money_owed"]
            assert agency["agency_name"] in page
    book = load_workbook(out / "impact.xlsx", read_only=True)
    per_rule = {row[0]: row[1:] for row in book["Total per rule"].iter_rows(values_only=True)}
    assert per_rule["FEE-06"] == (fee06["gained"], 0)
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
