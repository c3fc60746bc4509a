"""Catalogue 1.3 in the report: DEST-01 names the destination's law, its status, the amounts
charged against it and where the worker can claim; the statistics chapter has a "Corridor"
table per destination; the agency's copy shows both."""

from __future__ import annotations

from html import unescape

import pytest

from auditor.pipeline import inspect_records
from auditor.render import Copy
from auditor.render.copies import confidential_rules, for_agency
from auditor.render.html import render_html
from auditor.render.view import build_view
from auditor.testing.baseline import apply_changes, baseline
from tests.render.conftest import COMPLIANT, PROBLEMS, inspection_of


@pytest.mark.parametrize("copy", [Copy.INSPECTOR, Copy.AGENCY])
def test_dest_01_names_the_law_its_status_the_amounts_and_where_to_claim(copy: Copy) -> None:
    inspection = inspection_of(PROBLEMS)
    result = inspection.result
    if copy is Copy.AGENCY:
        result = for_agency(result, confidential_rules(inspection.pack))
        assert result.to_dict()["corridor"] == inspection.result.to_dict()["corridor"]
    report = build_view(inspection, result, copy)
    [section] = [r for p in report.paragraphs for r in p.rules if r.rule_id == "DEST-01"]
    assert not section.withheld
    assert section.owed is None  # nothing is owed under the destination's law
    [law] = section.corridor
    assert (law.country, law.name, law.status, law.workers) == ("QA", "Qatar", "to_be_confirmed", 5)
    assert law.law == "Labour Law No. 14 of 2004, Art. 33"
    assert law.charged == "1,251.25 USD"
    assert law.caveat is not None
    assert "not yet checked against the official text" in law.caveat
    assert "Ministry of Labour of Qatar" in law.claims_to
    assert section.norms[0] == "Qatar: Labour Law No. 14 of 2004, Art. 33 (to be confirmed)"
    assert section.advice
    assert section.deadline.date is None
    # each worker's line: what was charged, the amount as written and converted
    lines = {line.subject: line.cells for line in section.lines}
    assert lines["W22"][0] == "charged against the law of QA: 500.00 USD; nothing owed"
    assert (
        "Fees!E83 amount = 40000 PHP at 0.0175 = 700.00 USD (recruitment fee, paid to agency)"
        in (lines["W22"])
    )  # the evidence with its record identified (issue 25)
    # DEST-01 makes no line of the money schedule of its own
    assert all("DEST-01" not in line.rules for line in report.money)

    html = unescape(render_html(report))
    assert "Law of the destination" in html
    assert "the worker can claim them at the Ministry of Labour of Qatar" in html
    assert "advice: no deadline. No order while the destination's law is to be confirmed" in html
    assert "Corridor: the law of the destination" in html
    table = html.split('id="corridor"', 1)[1]
    assert "<td>HK</td>" in table
    assert "<td>QA</td>" in table
    assert "1,251.25 USD" in table


def test_a_report_without_a_corridor_finding_still_has_the_corridor_table() -> None:
    """The compliant agency: workers for Qatar and Hong Kong, none charged against their law."""
    inspection = inspection_of(COMPLIANT)
    report = build_view(inspection, inspection.result, Copy.INSPECTOR)
    assert not [r for p in report.paragraphs for r in p.rules if r.rule_id == "DEST-01"]
    assert [(r.destination, r.workers, r.workers_charged) for r in report.result.corridor] == [
        ("HK", 5, 0),
        ("QA", 7, 0),
    ]
    assert "Corridor: the law of the destination" in unescape(render_html(report))


def test_a_refund_on_a_row_only_dest_01_concerns_is_shown_beside_its_finding() -> None:
    data = apply_changes(
        baseline(),
        jurisdiction="NP",
        add={
            "fees": [
                {
                    "fee_id": "F2",
                    "worker_id": "W1",
                    "category": "training",
                    "amount": 20,
                    "refunded_amount": 5,
                    "refunded_on": "2026-06-01",
                }
            ],
            "fx": [{"currency": "NPR", "rate": 0.0075}],
        },
    )
    inspection = inspect_records(data)
    assert not [w for w in inspection.result.warnings if "refund" in w]
    report = build_view(inspection, inspection.result, Copy.INSPECTOR)
    [section] = [r for p in report.paragraphs for r in p.rules if r.rule_id == "DEST-01"]
    [line] = section.lines
    assert line.cells[0] == "charged against the law of QA: 20.00 USD; nothing owed"
    assert "fees[1].amount refunded 5.00 USD on 1 June 2026" in line.cells
    [refund] = report.refunds
    assert (refund.rules, refund.counted) == ("DEST-01 (nothing owed)", False)
