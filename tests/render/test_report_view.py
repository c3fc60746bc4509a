"""What the report says before it is laid out: annexes for long lists, sentences, statistics."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from auditor.model.enums import Severity
from auditor.pipeline import Inspection, inspect_records
from auditor.render import Copy, view
from auditor.render.html import render_html
from auditor.render.view import INLINE_SUBJECTS, build_view
from tests.builders import Book
from tests.render.conftest import PROBLEMS, inspection_of

Write = Callable[..., Path]


def _crowd(book: Book, workers: int) -> Book:
    """``workers`` women whose employer keeps their passports (DOC-01), each paid 100 USD."""
    template, contract, fee = book["Workers"][0], book["Contracts"][0], book["Fees"][0]
    book["Workers"], book["Contracts"], book["Fees"] = [], [], []
    for n in range(1, workers + 1):
        book["Workers"].append({**template, "worker_id": f"W{n}", "passport_held_by": "employer"})
        book["Contracts"].append({**contract, "contract_id": f"C{n}", "worker_id": f"W{n}"})
        book["Fees"].append(
            {**fee, "fee_id": f"F{n}", "worker_id": f"W{n}", "category": "travel",
             "amount": 100, "currency": "USD", "paid_by": "worker", "paid_to": "agency"}
        )  # fmt: skip
    book["FX"] = []
    return book


@pytest.fixture
def crowd(book: Book, write: Write) -> Inspection:
    return inspect_records(write(_crowd(book, INLINE_SUBJECTS + 2)))


def test_a_long_subject_list_moves_to_an_annex_with_its_evidence(crowd: Inspection) -> None:
    report = build_view(crowd, crowd.result, Copy.INSPECTOR)
    section = next(s for p in report.paragraphs for s in p.rules if s.rule_id == "DOC-01")
    assert section.lines == ()
    assert section.annex is not None
    listing = next(a for a in report.annex_findings if a.number == section.annex)
    assert [line.subject for line in listing.lines] == sorted(
        (f"W{n}" for n in range(1, INLINE_SUBJECTS + 3)), key=str
    )
    assert listing.lines[0].cells == ("Workers!L2 passport_held_by = employer",)
    assert section.count == f"{INLINE_SUBJECTS + 2} of {INLINE_SUBJECTS + 2} workers (100.0 %)"
    assert section.by_sex == f"women {INLINE_SUBJECTS + 2}"
    html = render_html(report)
    assert f'href="#annex-{section.annex}"' in html
    assert f'id="annex-{section.annex}"' in html


def test_beyond_the_listing_limit_annexes_give_ids_only(
    crowd: Inspection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(view, "DETAILED_LISTING_LIMIT", 5)
    report = build_view(crowd, crowd.result, Copy.INSPECTOR)
    assert not report.listing_detailed
    assert all(line.cells == () for a in report.annex_findings for line in a.lines)
    html = render_html(report)
    assert "in the JSON result attached to this PDF" in html
    assert 'class="ids"' in html


def test_a_short_list_stays_in_the_section() -> None:
    inspection = inspection_of(PROBLEMS)
    report = build_view(inspection, inspection.result, Copy.INSPECTOR)
    fee02 = next(s for p in report.paragraphs for s in p.rules if s.rule_id == "FEE-02")
    assert fee02.annex is None
    assert [line.subject for line in fee02.lines] == sorted(
        (f.subject.id for f in inspection.result.findings if f.rule_id == "FEE-02"), key=str
    )
    assert fee02.owed is not None
    assert fee02.deadline.severity is Severity.HIGH


def test_the_three_most_serious_findings_come_first_by_severity_then_weight() -> None:
    inspection = inspection_of(PROBLEMS)
    report = build_view(inspection, inspection.result, Copy.INSPECTOR)
    assert len(report.most_serious) == 3
    assert report.most_serious[0] == (
        "The agency had no valid licence (LIC-01, critical; to remedy immediately on issue)."
    )
    assert report.most_serious[1].startswith(
        "The worker's contract was substituted with worse terms: 2 of 40 workers (5.0 %) (CON-04"
    )
    assert all("critical" in sentence for sentence in report.most_serious)


def test_statistics_count_by_sex_and_age(crowd: Inspection) -> None:
    stats = build_view(crowd, crowd.result, Copy.INSPECTOR).statistics
    (women,) = stats.by_sex
    assert (women.label, women.workers, women.affected) == ("women", 12, 12)
    assert women.paid == Decimal(1200)
    assert women.paying == 12
    assert [g.label for g in stats.by_age] == ["25 to 34"]  # born 1995, inspected 2026
    everyone = stats.indicator[-1]
    assert everyone.counted == 12
    assert everyone.mean == Decimal("0.2")


def test_the_licence_note(book: Book, write: Write) -> None:
    book["Audit"]["agency_licence_number"] = None
    inspection = inspect_records(write(book))
    assert build_view(inspection, inspection.result, Copy.INSPECTOR).licence_note == (
        "The agency showed no licence."
    )
    book["Audit"]["agency_licence_number"] = "L-1"
    book["Audit"]["licence_valid_until"] = dt.date(2027, 1, 1)
    inspection = inspect_records(write(book))
    assert build_view(inspection, inspection.result, Copy.INSPECTOR).licence_note is None


def test_a_long_money_schedule_is_compact_text_listing_every_worker(
    crowd: Inspection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(view, "DETAILED_MONEY_LIMIT", 3)
    report = build_view(crowd, crowd.result, Copy.INSPECTOR)
    assert not report.money_detailed
    assert not report.money_summarised
    assert report.money_count == len(report.money) == INLINE_SUBJECTS + 2
    header, *rows = report.money_schedule
    assert header.split()[:2] == ["Worker", "Owed"]
    listed = re.findall(r"(W\d+) +(\S+ USD)", "\n".join(rows))
    assert sorted(worker for worker, _ in listed) == sorted(crowd.result.money_owed.by_worker)
    assert {amount for _, amount in listed} == {"100.00 USD"}
    assert all(len(line) <= view.SCHEDULE_WIDTH for line in report.money_schedule)
    html = render_html(report)
    assert 'class="schedule"' in html
    assert re.search(r"W12 +100\.00 USD", html)
    assert f"Total owed to {INLINE_SUBJECTS + 2} workers: 1,200.00 USD." in html


def test_a_huge_money_list_prints_the_largest_amounts_and_the_exact_total(
    crowd: Inspection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(view, "DETAILED_MONEY_LIMIT", 3)
    monkeypatch.setattr(view, "PRINTED_MONEY_LIMIT", 5)
    monkeypatch.setattr(view, "LARGEST_PRINTED", 4)
    report = build_view(crowd, crowd.result, Copy.INSPECTOR)
    assert report.money_summarised
    assert report.money_count == INLINE_SUBJECTS + 2
    # equal amounts: the largest first, then by worker id, so the same input prints the same
    assert [line.worker_id for line in report.money] == ["W1", "W10", "W11", "W12"]
    assert report.money_total == "1,200.00 USD"  # all of them, not the four printed
    assert sum(crowd.result.money_owed.by_worker.values()) == 1200
    html = " ".join(render_html(report).split())
    assert "12 workers are owed 1,200.00 USD in all." in html
    assert "the 4 largest amounts are below" in html
    assert "money_owed.by_worker" in html
    assert 'sheet "Money owed"' in html


def test_beyond_the_printing_limit_annexes_give_counts_and_say_where_the_list_is(
    crowd: Inspection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(view, "DETAILED_LISTING_LIMIT", 2)
    monkeypatch.setattr(view, "PRINTED_LISTING_LIMIT", 5)
    report = build_view(crowd, crowd.result, Copy.INSPECTOR)
    assert not report.listing_printed
    doc01 = next(a for a in report.annex_findings if a.rule_id == "DOC-01")
    assert doc01.lines == ()
    assert doc01.count == INLINE_SUBJECTS + 2
    html = " ".join(render_html(report).split())
    assert "too many subjects to print them: the annexes give each rule's count only" in html
    row = html.split(f'<tr id="annex-{doc01.number}">')[1].split("</tr>")[0]
    assert "<td>DOC-01</td>" in row
    assert f'<td class="num">{INLINE_SUBJECTS + 2}</td>' in row
    assert f'href="#annex-{doc01.number}"' in html  # the finding points at its row
    assert "W11" not in html.split('id="annexes"')[1]


def test_past_the_printed_warnings_the_report_counts_the_rest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inspection = inspection_of(PROBLEMS)
    warnings = inspection.result.warnings
    assert len(warnings) > 2
    monkeypatch.setattr(view, "PRINTED_WARNINGS", 2)
    report = build_view(inspection, inspection.result, Copy.INSPECTOR)
    assert report.warnings == tuple(warnings[:2])
    html = " ".join(render_html(report).split())
    assert f"The first 2 of {len(warnings)} warnings: every one is in the JSON result" in html
