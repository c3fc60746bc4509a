"""The pages on an office's screens (issue 25): an office in Kathmandu reads its local times;
evidence names its records; a follow-up's comparison comes first, its money in the PDF's
order; the list filters by inspection date, issue state and inspector; agencies are found by
name; the history charts critical findings and money owed; page views and removals are in the
accesses record. Another office's agencies, audits and names never show, not even as counts.

One real ``auditor serve``: the Kathmandu office (``KTM``) audits the Bayanihan agency twice
(the sample and its follow-up), an agency with an accented name, and an invalid workbook; an
office far away (``FAR``) audits Bayanihan too and an agency of its own.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from html import unescape
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from auditor.ingest.load import read_workbook
from auditor.render.identify import Identities
from tests.service.harness import SAMPLES, Account, Service, run_cli, serving
from tests.service.test_pages import Visitor, cells, signed_in

FIRST = SAMPLES / "agency-with-problems.xlsx"
FOLLOW_UP = SAMPLES / "agency-follow-up.xlsx"
INVALID = SAMPLES / "invalid-workbook.xlsx"
KATHMANDU = ZoneInfo("Asia/Kathmandu")
LICENCE = "POEA-088-LB-031122-R"
FIRST_RESULT = json.loads(
    (SAMPLES / "expected" / "PH-2026-0417.json").read_text(encoding="utf-8"), parse_float=Decimal
)
FOLLOW_RESULT = json.loads(
    (SAMPLES / "expected" / "PH-2026-1102.json").read_text(encoding="utf-8"), parse_float=Decimal
)
#: A time as the pages print it, and the zone after it.
TIME = re.compile(r"\b(\d{4}-\d\d-\d\d \d\d:\d\d(?::\d\d)?)(?: ([A-Za-z+\-0-9]+))?")


@dataclass
class Office:
    service: Service
    ines: Account  # inspector, Kathmandu
    sita: Account  # supervisor, Kathmandu
    eve: Account  # inspector of the office far away
    far_boss: Account  # its supervisor
    first: str  # audit ids
    follow_up: str
    pena: str
    invalid: str
    far_bayanihan: str
    far_secret: str


def _dataset(name: str, licence: str, audit_id: str) -> bytes:
    """The compliant sample as a JSON dataset, under another agency's name and licence."""
    data: dict[str, Any] = read_workbook(SAMPLES / "compliant-agency.xlsx").model_dump(mode="json")
    data["audit"].update(agency_name=name, agency_licence_number=licence, audit_id=audit_id)
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def _done(service: Service, token: str, upload: Path | bytes, final: str = "done") -> str:
    if isinstance(upload, Path):
        code, accepted = service.upload(token, upload)
    else:
        code, _, body = service.api(
            "POST", "/api/v1/audits", token=token, body=upload, content_type="application/json"
        )
        accepted = json.loads(body)
    assert code in (200, 202), accepted
    audit = service.wait_final(token, accepted["id"])
    assert audit["status"] == final, audit
    return str(accepted["id"])


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Office]:
    with serving(tmp_path_factory.mktemp("office")) as service:
        made = run_cli(
            service.env,
            *("offices", "create", "KTM", "--name", "Kathmandu office"),
            *("--time-zone", "Asia/Kathmandu"),
        )
        assert made.returncode == 0, made.stderr
        ines = service.account("ktm-ines", office="KTM")
        sita = service.account("ktm-sita", office="KTM", role="supervisor")
        eve = service.account("far-eve", office="FAR")
        far_boss = service.account("far-boss", office="FAR", role="supervisor")
        first = _done(service, ines.token, FIRST)
        follow_up = _done(service, ines.token, FOLLOW_UP)
        pena = _done(service, ines.token, _dataset("Agencia Peña Migración", "ES-PENA-1", "PENA-1"))
        invalid = _done(service, ines.token, INVALID, final="invalid")
        far_bayanihan = _done(service, eve.token, FIRST)
        far_secret = _done(
            service, eve.token, _dataset("Zebulon Secret Recruiters", "FAR-SECRET-1", "ZEB-1")
        )
        yield Office(
            service, ines, sita, eve, far_boss, first, follow_up, pena, invalid,
            far_bayanihan, far_secret,
        )  # fmt: skip


def _page(audit_id: str) -> str:
    return f"/audits/{audit_id}"


def _api(office: Office, path: str, token: str) -> Any:
    code, _, body = office.service.api("GET", path, token=token)
    assert code == 200, body
    return json.loads(body)


def _local(iso: str) -> str:
    """An API time (UTC, ISO 8601) as a Kathmandu page prints it."""
    moment = dt.datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(KATHMANDU)
    return moment.strftime("%Y-%m-%d %H:%M") + " +0545"


def _text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", html))


# -- 1. the office's time zone ----------------------------------------------------------------


def test_every_time_on_the_pages_is_the_offices_local_time_with_its_zone(office: Office) -> None:
    ines = signed_in(office.service, office.ines)
    sita = signed_in(office.service, office.sita)
    issued = office.service.api(
        "POST",
        f"/api/v1/audits/{office.follow_up}/issue",
        token=office.sita.token,
        body=b"{}",
        content_type="application/json",
    )
    assert issued[0] == 200, issued[2]
    ines.get(_page(office.first))  # a view, so the accesses have a row of ines too
    pages = {
        "list": ines.get("/audits").text,
        "list, removed shown": ines.get("/audits?removed=show").text,
        "audit": ines.get(_page(office.first)).text,
        "issued audit, supervisor": sita.get(_page(office.follow_up)).text,
        "audit, supervisor": sita.get(_page(office.first)).text,
        "invalid": ines.get(_page(office.invalid)).text,
        "agency": ines.get(f"/agency?licence={LICENCE}").text,
    }
    for where, html in pages.items():
        times = TIME.findall(_text(html))
        assert times, where
        for moment, zone in times:
            assert zone == "+0545", (where, moment, zone)  # never a bare or a UTC time
    audit = _api(office, f"/api/v1/audits/{office.first}", office.ines.token)
    assert audit["created_at"].endswith(("+00:00", "Z"))  # the API stays UTC (web.md)
    assert _local(audit["created_at"]) in _text(pages["list"])
    assert _local(audit["created_at"]) in _text(pages["audit"])
    assert "Uploaded (Asia/Kathmandu)" in _text(pages["list"])
    accesses = _api(office, f"/api/v1/audits/{office.first}/accesses", office.sita.token)
    shown = [row[0] for row in cells(pages["audit, supervisor"], "accesses")]
    # The page lists the accesses before its own view (recorded once it is made).
    assert [_local(a["at"])[:16] for a in reversed(accesses[:-1])] == [s[:16] for s in shown]
    assert all(s.endswith(" +0545") for s in shown)
    record = _api(office, f"/api/v1/audits/{office.follow_up}/issue.json", office.sita.token)
    issued_text = _text(pages["issued audit, supervisor"])
    assert "Issued" in issued_text
    assert record["state"] == "issued"
    assert re.search(r"recorded \d{4}-\d\d-\d\d \d\d:\d\d \+0545", issued_text)


# -- 2. evidence a person can act on ----------------------------------------------------------


def test_each_evidence_row_names_its_record_and_the_agency_is_named(office: Office) -> None:
    html = signed_in(office.service, office.ines).get(_page(office.first)).text
    text = _text(html)
    known = Identities.of(read_workbook(FIRST))
    cited = [
        (finding, item)
        for finding in FIRST_RESULT["findings"]
        for item in finding["evidence"]
        if item["sheet"] in ("Fees", "Employers", "Intermediaries", "Channels")
    ]
    assert cited
    for _finding, item in cited[:40]:
        words = known.describe(item["sheet"], item["record_id"])
        assert words
        assert f"{item['sheet']}!{item['cell']} {item['column']} = " in text
        assert f"({words})" in text, words
    fee = next(item for _, item in cited if item["sheet"] == "Fees")
    fee_words = known.describe("Fees", fee["record_id"])
    assert fee_words is not None
    assert fee_words.split(",")[0].replace("_", " ") == fee_words.split(",")[0]  # readable
    agency = "Bayanihan Overseas Placement Inc. (licence POEA-088-LB-031122-R)"
    rows = _finding_rows(html)
    about = {row[2] for row in rows}
    assert agency in about  # COMP-02 and others are about the agency, by name and licence
    assert f"agency {FIRST_RESULT['audit_id']}" not in text
    employer = known.describe("Employers", "E01")
    assert f"employer E01 ({employer})" in about
    # A complaint's record is never described: its evidence is the cell and value alone.
    for row in rows:
        for line in row[4].split("\n"):
            if line.startswith("Complaints!"):
                assert "(" not in line, line


def _finding_rows(html: str) -> list[list[str]]:
    rows: list[list[str]] = []
    for table in re.findall(r'<table class="findings">.*?</table>', html, re.S):
        body = re.search(r"<tbody>(.*?)</tbody>", table, re.S)
        assert body
        for row in re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S):
            found = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
            rows.append(
                [
                    unescape(re.sub(r"<[^>]+>", "", cell.replace("<br>", "\n"))).strip()
                    for cell in found
                ]
            )
    return rows


# -- 3. the follow-up comparison near the top -------------------------------------------------


def _money(value: object) -> str:
    return f"{Decimal(str(value)).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"


def test_the_follow_up_comparison_comes_first_its_money_in_the_pdfs_order(
    office: Office,
) -> None:
    html = signed_in(office.service, office.ines).get(_page(office.follow_up)).text
    score = html.index('id="result-heading"')
    since = html.index('id="comparison-heading"')
    assert (
        score < since < html.index('id="downloads-heading"') < html.index('id="findings-heading"')
    )
    expected = json.loads((SAMPLES / "expected" / "PH-2026-1102.comparison.json").read_text())
    owed = expected["money_owed"]
    rows = cells(html, "comparison-money")
    by_worker = owed["by_worker"]
    assert [row[0] for row in rows] == list(by_worker)
    for row in rows:
        line = by_worker[row[0]]
        # Worker, owed at the previous audit, refunded, still owed: the PDF's columns.
        assert row[1:] == [
            _money(line["previous"]),
            "not in this audit" if line["refunded"] is None else _money(line["refunded"]),
            "not in this audit" if line["current"] is None else _money(line["current"]),
        ], row
    terms = cells(html, "comparison-terms")
    assert [label for label, _ in terms] == [
        "Owed at the previous audit",
        "Less refunded since",
        "Less last owed to workers not reassessed (not in this audit)",
        "Plus refunds beyond what was owed at the previous audit (over-refunds)",
        "Plus other changes (new charges, rule pack or rate changes)",
        "Equals still owed now",
    ]
    assert [value for _, value in terms] == [
        _money(owed["previous_total"]),
        "- " + _money(owed["refunded_total"]),
        "- " + _money(owed["not_reassessed_total"]),
        "+ " + _money(owed["over_refunded_total"]),
        "+ " + _money(owed["other_changes_total"]),
        "= " + _money(owed["current_total"]),
    ]
    total = Decimal(str(owed["previous_total"])) - Decimal(str(owed["refunded_total"]))
    total += Decimal(str(owed["over_refunded_total"])) - Decimal(str(owed["not_reassessed_total"]))
    total += Decimal(str(owed["other_changes_total"]))
    assert total == Decimal(str(owed["current_total"]))  # the terms add up, as the PDF says
    persisting = cells(html, "since-persisting")
    assert {row[0] for row in persisting} == {
        item["rule_id"] for item in expected["findings"]["persisting"]
    }
    assert (
        'id="comparison"'
        not in signed_in(office.service, office.ines).get(_page(office.first)).text
    )  # the first audit follows nothing


# -- 4. the audit list's filters --------------------------------------------------------------


def _listed(visitor: Visitor, query: str) -> set[str]:
    answer = visitor.get("/audits?" + query)
    assert answer.status == 200, (query, answer.status)
    return set(re.findall(r'data-audit-id="([^"]+)"', answer.text))


def test_the_list_filters_by_inspection_date_issue_state_and_inspector(office: Office) -> None:
    ines = signed_in(office.service, office.ines)
    mine = {office.first, office.follow_up, office.pena, office.invalid}
    assert _listed(ines, "removed=show") >= mine
    assert not _listed(ines, "removed=show") & {office.far_bayanihan, office.far_secret}
    assert _listed(ines, "inspected_from=2026-07-01") == {office.follow_up}
    assert _listed(ines, "inspected_to=2026-06-30") == {office.first, office.pena}
    both = "inspected_from=2026-06-30&inspected_to=2026-06-30"
    assert _listed(ines, both) == {office.first, office.pena}
    office.service.api(  # issued by the first test, or here when run alone
        "POST",
        f"/api/v1/audits/{office.follow_up}/issue",
        token=office.sita.token,
        body=b"{}",
        content_type="application/json",
    )
    assert _listed(ines, "issued=issued") == {office.follow_up}
    assert _listed(ines, "issued=draft") == {office.first, office.pena}
    assert _listed(ines, "issued=withdrawn") == set()
    assert _listed(ines, "issued=superseded") == set()
    assert office.invalid in _listed(ines, "inspector=ktm-ines&removed=show")
    assert _listed(ines, "inspector=ktm-sita") == set()
    # Another office's inspector is no choice here: said, not applied, and never offered.
    page = ines.get("/audits?inspector=far-eve").text
    assert "Select a valid choice" in page
    assert '<option value="far-eve"' not in page
    assert '<option value="ktm-sita"' in page
    assert office.first in page  # the wrong filter is not applied
    for query, said in (
        ("inspected_from=1200-01-01", "Give a date from 1900 to 2999."),
        ("inspected_from=2026-12-01&inspected_to=2026-01-01", "The end date is before"),
        ("inspected_to=30/06/2026", "Enter a valid date."),
        ("issued=maybe", "Select a valid choice"),
        ("inspected_from=2026-02-30", "Enter a valid date."),
        ("inspector=" + "x" * 5000, "Select a valid choice"),
    ):
        answer = ines.get("/audits?" + query)
        assert answer.status == 200, query
        assert said in unescape(answer.text), query
    # The pager's links keep every filter (here one page: the links are checked on the form).
    kept = ines.get("/audits?inspected_from=2026-06-01&issued=draft&inspector=ktm-ines").text
    assert 'value="2026-06-01"' in kept
    assert '<option value="draft" selected>' in kept


# -- 5. agencies by name ----------------------------------------------------------------------


def _without_tokens(html: str, word: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return html.replace(word, "WORD")


def test_an_agency_is_found_by_name_regardless_of_case_and_accents(office: Office) -> None:
    ines = signed_in(office.service, office.ines)
    for typed in ("pena", "PEÑA", "migracion", "Agencia Peña", "es-pena"):
        rows = cells(ines.get("/agency?name=" + urllib.parse.quote(typed)).text, "agency-matches")
        assert rows == [["Agencia Peña Migración", "ES-PENA-1", "1"]], typed
    rows = cells(ines.get("/agency?name=bayanihan").text, "agency-matches")
    # Two audits of the Kathmandu office: the far office's audit of it is not counted.
    assert rows == [["Bayanihan Overseas Placement Inc.", LICENCE, "2"]]
    link = f'href="/agency?licence={LICENCE}"'
    assert link in ines.get("/agency?name=bayanihan").text


def test_another_offices_agency_never_leaks_through_the_search(office: Office) -> None:
    """As an attacker of the Kathmandu office: the far office's agency answers exactly as a
    name nobody has, and its licence has no history here."""
    ines = signed_in(office.service, office.ines)
    for typed in ("zebulon", "Secret Recruiters", "FAR-SECRET", "e"):
        html = ines.get("/agency?name=" + urllib.parse.quote(typed)).text
        shown = html.replace(typed, "")
        assert "Zebulon" not in shown, typed
        assert "FAR-SECRET-1" not in shown, typed
    secret = _without_tokens(ines.get("/agency?name=zebulon").text, "zebulon")
    nobody = _without_tokens(ines.get("/agency?name=qxqxqxq").text, "qxqxqxq")
    assert secret == nobody  # not even a count
    listing = ines.get("/agency?licence=FAR-SECRET-1").text
    assert "No audit of this licence in your office." in listing
    assert "Zebulon" not in listing
    # The far office finds its own, and Bayanihan only once (its own audit).
    eve = signed_in(office.service, office.eve)
    assert cells(eve.get("/agency?name=ZEBULON").text, "agency-matches") == [
        ["Zebulon Secret Recruiters", "FAR-SECRET-1", "1"]
    ]
    assert cells(eve.get("/agency?name=bayanihan").text, "agency-matches")[0][2] == "1"
    assert "Migración" not in eve.get("/agency?name=pena").text
    assert "ES-PENA-1" not in eve.get("/agency?name=pena").text


# -- 6. the history's charts ------------------------------------------------------------------


def test_the_history_charts_critical_findings_and_money_owed_with_a_table(office: Office) -> None:
    html = signed_in(office.service, office.ines).get(f"/agency?licence={LICENCE}").text
    for chart in ("critical-chart", "owed-chart"):
        figure = re.search(rf'<figure class="chart" id="{chart}">.*?</figure>', html, re.S)
        assert figure, chart
        assert 'role="img"' in figure.group(0)
        assert len(re.findall(r"<circle ", figure.group(0))) == 2
        assert "<polyline" in figure.group(0)
        assert "<script" not in html
    rows = cells(html, "chart-table")
    expected = []
    for result in (FIRST_RESULT, FOLLOW_RESULT):  # oldest first
        critical = sum(1 for f in result["findings"] if f["severity"] == "critical")
        expected.append(
            [
                result["inspection_date"],
                f"{result['score']:.1f}",
                result["rating"],
                str(critical),
                f"{_money(result['money_owed']['total'])} {result['currency']}",
            ]
        )
    assert rows == expected


# -- 7. views in the accesses record ----------------------------------------------------------


def test_views_of_an_audit_page_are_recorded_and_other_offices_get_404(office: Office) -> None:
    ines = signed_in(office.service, office.ines)
    path = f"/api/v1/audits/{office.pena}/accesses"
    before = _api(office, path, office.sita.token)
    assert ines.get(_page(office.pena)).status == 200
    after = _api(office, path, office.sita.token)
    assert len(after) == len(before) + 1
    view = after[-1]
    assert (view["username"], view["kind"], view["copy"], view["file"], view["via"]) == (
        "ktm-ines",
        "view",
        "inspector",
        "page",
        "page",
    )
    rows = cells(signed_in(office.service, office.sita).get(_page(office.pena)).text, "accesses")
    assert rows[0][1:] == ["ktm-ines", "view", "inspector", "page", "page"]
    # The far office: not found, and nothing recorded in its name.
    eve = signed_in(office.service, office.eve)
    boss = signed_in(office.service, office.far_boss)
    for visitor in (eve, boss):
        assert visitor.get(_page(office.pena)).status == 404
    assert office.service.api("GET", path, token=office.far_boss.token)[0] == 404
    names = {row["username"] for row in _api(office, path, office.sita.token)}
    assert names <= {"ktm-ines", "ktm-sita"}
    # The inspector does not see the record: only supervisors do (web.md).
    assert 'id="accesses"' not in ines.get(_page(office.pena)).text


# -- 8. removing invalid uploads from the list ------------------------------------------------


def test_an_invalid_upload_is_removed_from_the_list_kept_and_recorded(office: Office) -> None:
    ines = signed_in(office.service, office.ines)
    page = _page(office.invalid)
    assert 'id="remove-form"' in ines.get(page).text
    assert 'id="remove-form"' not in ines.get(_page(office.first)).text  # done: not removable
    # Without the form's token: refused, nothing removed.
    bare = ines.request("POST", page + "/remove", b"", "application/x-www-form-urlencoded")
    assert bare.status == 403
    assert office.invalid in _listed(ines, "")
    assert ines.get(page + "/remove").status == 405
    # Another office, with a valid token of its own: not found.
    for account in (office.eve, office.far_boss):
        stranger = signed_in(office.service, account)
        assert stranger.post(page + "/remove", {}, form="/audits").status == 404
    # An admin reads every office's audits but tidies no office's list (web.md 1.1: 404).
    admin = signed_in(
        office.service, office.service.account("far-admin", office="FAR", role="admin")
    )
    assert admin.get(page).status == 200
    assert 'id="remove-form"' not in admin.get(page).text
    assert admin.post(page + "/remove", {}, form="/audits").status == 404
    assert office.invalid in _listed(ines, "")
    # A done audit is never removed.
    refused = ines.post(_page(office.first) + "/remove", {}, form="/audits")
    assert refused.status == 409
    assert "Only an invalid or failed upload" in refused.text
    assert office.first in _listed(ines, "")

    removed = ines.post(page + "/remove", {}, form=page)
    assert (removed.status, removed.location) == (303, "/audits")
    assert office.invalid not in _listed(ines, "")
    shown = ines.get("/audits?removed=show").text
    assert office.invalid in shown
    assert re.search(r"removed \d{4}-\d\d-\d\d \d\d:\d\d \+0545", _text(shown))
    again = ines.post(page + "/remove", {}, form=page)  # twice: one record, the first
    assert again.status == 303
    text = _text(ines.get(page).text)
    assert re.search(r"Removed from the list\s+\d{4}-\d\d-\d\d \d\d:\d\d \+0545 by ktm-ines", text)
    accesses = _api(office, f"/api/v1/audits/{office.invalid}/accesses", office.sita.token)
    removals = [a for a in accesses if a["kind"] == "remove"]
    assert [(a["username"], a["via"]) for a in removals] == [("ktm-ines", "page")]
    # The row stays: the API still has the audit and its problems.
    kept = _api(office, f"/api/v1/audits/{office.invalid}", office.ines.token)
    assert kept["status"] == "invalid"
    assert kept["problems"]


# -- 7b. the agency's copy, viewed on a page --------------------------------------------------


def test_the_agency_copy_page_withholds_complaints_and_its_views_are_recorded(
    office: Office,
) -> None:
    from auditor.pipeline import rule_pack
    from auditor.render.copies import confidential_rules

    confidential = confidential_rules(rule_pack())
    sita = signed_in(office.service, office.sita)
    path = f"/api/v1/audits/{office.follow_up}/accesses"
    before = len(_api(office, path, office.sita.token))
    inspector_page = sita.get(_page(office.follow_up)).text
    assert f'href="/audits/{office.follow_up}?copy=agency"' in inspector_page
    answer = sita.get(_page(office.follow_up) + "?copy=agency")
    assert answer.status == 200
    html = answer.text
    assert 'id="agency-view"' in html
    listed = {row[0] for row in _finding_rows(html)}
    assert listed
    assert not listed & confidential
    for key in ("persisting", "resolved", "new", "not_reassessed"):
        if f'id="since-{key}"' in html:
            assert not {row[0] for row in cells(html, f"since-{key}")} & confidential, key
    # Counted, not listed: the counts are the inspector's page's.
    assert cells(html, "comparison-counts") == cells(inspector_page, "comparison-counts")
    assert 'id="comparison-withheld"' in html
    assert 'id="withheld-note"' in html
    # No complaint's cell, value or details (a column-level count, as the agency's PDF has, may be).
    assert not re.search(r"Complaints![A-Z]+[0-9]", html)
    for inspector_only in ('id="accesses"', 'id="reviews"', 'id="review', "Issue this audit"):
        assert inspector_only not in html, inspector_only
    rows = _api(office, path, office.sita.token)
    assert len(rows) == before + 2
    assert (rows[-1]["username"], rows[-1]["kind"], rows[-1]["copy"], rows[-1]["file"]) == (
        "ktm-sita",
        "view",
        "agency",
        "page",
    )
    shown = cells(sita.get(_page(office.follow_up)).text, "accesses")
    assert shown[0][1:] == ["ktm-sita", "view", "agency", "page", "page"]
    # Only a done audit has one; a copy that is none is said; another office: not found.
    ines = signed_in(office.service, office.ines)
    assert ines.get(_page(office.invalid) + "?copy=agency").status == 409
    assert ines.get(_page(office.first) + "?copy=everyone").status == 400
    eve = signed_in(office.service, office.eve)
    assert eve.get(_page(office.follow_up) + "?copy=agency").status == 404
