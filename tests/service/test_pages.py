"""The pages of web.md, driven over HTTP against a real ``auditor serve`` (no JavaScript).

A small cookie-keeping client (:class:`Visitor`) logs in as a browser
does: it GETs the form for the CSRF cookie and token, then POSTs. It never
follows redirects, so a test sees the service's own answer.
"""

from __future__ import annotations

import io
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from email.message import Message
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from auditor.model.wording import neutral
from auditor.pipeline import rule_pack
from tests.service.harness import SAMPLES, Account, Service, multipart, run_cli, serving

HOME = "PAGES-A"
AWAY = "PAGES-B"
EXPECTED = json.loads(
    (SAMPLES / "expected" / "PH-2026-0417.json").read_text(encoding="utf-8"), parse_float=Decimal
)
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


@dataclass
class Answer:
    status: int
    headers: Message
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    @property
    def location(self) -> str:
        return str(self.headers.get("Location", ""))


@dataclass
class Visitor:
    """One browser without JavaScript: its cookies and nothing else."""

    service: Service
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        content_type: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Answer:
        request = urllib.request.Request(self.service.url + path, data=body, method=method)
        if self.cookies:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if content_type:
            request.add_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with _OPENER.open(request, timeout=60) as response:
                answer = Answer(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            answer = Answer(error.code, error.headers, error.read())
        for header in answer.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if value in ("", '""') or "max-age=0" in header.lower():
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value
        return answer

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def token(self, path: str) -> str:
        found = _TOKEN.search(self.get(path).text)
        assert found, f"no CSRF token on {path}"
        return found.group(1)

    def post(self, path: str, fields: Mapping[str, str], *, form: str | None = None) -> Answer:
        """POST a form with the token of the page ``form`` (``path`` itself by default)."""
        data = {"csrfmiddlewaretoken": self.token(form or path), **fields}
        body = urllib.parse.urlencode(data).encode()
        return self.request("POST", path, body, "application/x-www-form-urlencoded")

    def upload(self, path: Path, *, jurisdiction: str = "", name: str | None = None) -> Answer:
        token = self.token("/upload")
        body, content_type = multipart({"file": (name or path.name, path.read_bytes())})
        return self.request(
            "POST",
            "/upload",
            _with_fields(
                body,
                content_type,
                {
                    "csrfmiddlewaretoken": token,
                    "jurisdiction": jurisdiction,
                },
            ),
            content_type,
        )

    def login(self, account: Account, password: str | None = None) -> Answer:
        return self.post(
            "/login", {"username": account.name, "password": password or account.password}
        )


def _with_fields(body: bytes, content_type: str, fields: Mapping[str, str]) -> bytes:
    boundary = content_type.split("boundary=", 1)[1]
    closing = f"--{boundary}--\r\n".encode()
    extra = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    )
    return body[: -len(closing)] + extra + closing


def signed_in(service: Service, account: Account) -> Visitor:
    visitor = Visitor(service)
    answer = visitor.login(account)
    assert answer.status == 302, answer.text[:500]
    assert "sessionid" in visitor.cookies
    return visitor


def wait_final(visitor: Visitor, audit_page: str, timeout_s: float = 180) -> str:
    """Poll the page's status endpoint (as its script does) until the audit is final."""
    deadline = time.monotonic() + timeout_s
    while True:
        answer = visitor.get(audit_page + "/status")
        assert answer.status == 200
        assert answer.headers.get_content_type() == "application/json"
        status = str(json.loads(answer.body)["status"])
        if status in ("done", "invalid", "failed"):
            return status
        assert time.monotonic() < deadline, f"{audit_page} still {status}"
        time.sleep(0.3)


def cells(html: str, table_id: str) -> list[list[str]]:
    """The body rows of one table, each cell as plain text."""
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S)
    assert table, table_id
    body = re.search(r"<tbody>(.*?)</tbody>", table.group(0), re.S)
    assert body
    rows = re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S)
    return [
        [
            unescape(re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in rows
    ]


@dataclass
class World:
    service: Service
    inspector: Account
    supervisor: Account
    stranger: Account
    done_page: str
    invalid_page: str


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """One service; the sample uploaded through the form by an inspector, and an invalid one."""
    with serving(tmp_path_factory.mktemp("pages")) as service:
        inspector = service.account("ines", office=HOME)
        supervisor = service.account("sofia", office=HOME, role="supervisor")
        stranger = service.account("otto", office=AWAY, role="supervisor")
        visitor = signed_in(service, inspector)
        pages = []
        for path in (SAMPLES / "agency-with-problems.xlsx", SAMPLES / "invalid-workbook.xlsx"):
            answer = visitor.upload(path)
            assert answer.status == 303, answer.text[:500]
            assert re.fullmatch(r"/audits/[0-9a-f-]{36}", answer.location)
            assert uuid.UUID(answer.location.rsplit("/", 1)[1]).version == 4
            pages.append(answer.location)
        yield World(service, inspector, supervisor, stranger, *pages)


# -- signing in -------------------------------------------------------------------------------


def test_every_page_but_login_needs_a_signed_in_user(world: World) -> None:
    stranger = Visitor(world.service)
    assert stranger.get("/").location == "/login"
    for path in (
        "/upload",
        "/audits",
        "/agency?licence=X",
        "/rules",
        "/guide",
        "/template.xlsx",
        world.done_page,
        world.done_page + "/status",
        world.done_page + "/download/pdf?copy=inspector",
    ):
        answer = stranger.get(path)
        assert answer.status == 302, path
        assert answer.location.startswith("/login?next="), (path, answer.location)
    login = stranger.get("/login")
    assert login.status == 200
    assert "<title>Log in" in login.text
    assert '<label for="id_username">' in login.text
    assert '<label for="id_password">' in login.text


def test_signing_in_leads_to_the_audits_and_logging_out_needs_a_post(world: World) -> None:
    visitor = signed_in(world.service, world.inspector)
    assert visitor.get("/").location == "/audits"
    page = visitor.get("/audits")
    assert page.status == 200
    assert HOME in page.text
    assert "inspector" in page.text
    assert 'action="/logout"' in page.text
    assert visitor.get("/logout").status == 405  # a link cannot log anyone out
    assert visitor.post("/logout", {}, form="/audits").status == 302
    assert visitor.get("/audits").status == 302


def test_a_wrong_password_says_so_and_failures_make_the_name_wait_longer_each_time(
    tmp_path: Path,
) -> None:
    """web.md 1.1: backoff, never a lockout: after three free failures each one doubles the
    wait for that name from that address; another name from the address is not held back."""
    with serving(tmp_path) as service:
        victim = service.account("victim", office=HOME)
        visitor = Visitor(service)
        for _ in range(3):
            answer = visitor.login(victim, "not-the-password")
            assert answer.status == 200
            assert "do not match" in answer.text
        wait = 0
        while wait < 4:  # fail, waiting as told, until the wait is some seconds long
            answer = visitor.login(victim, "not-the-password")
            if answer.status == 429:
                wait = int(answer.headers["Retry-After"])
                if wait < 4:
                    time.sleep(wait)
            else:
                assert "do not match" in answer.text
        refused = visitor.login(victim)  # the right password, within the wait
        assert refused.status == 429
        assert "Wait" in refused.text
        assert "sessionid" not in visitor.cookies
        # Another name from the same address is not held back by the victim's failures.
        other = service.account("bystander", office=HOME)
        assert Visitor(service).login(other).status == 302
        time.sleep(int(refused.headers["Retry-After"]) + 0.5)
        assert visitor.login(victim).status == 302  # the wait is over: she signs in


# -- uploading and the audit page -------------------------------------------------------------


def test_the_reports_noto_fonts_are_served_as_web_fonts(world: World) -> None:
    """Names in Devanagari, Arabic... are drawn on machines without such fonts (issue 25)."""
    visitor = Visitor(world.service)
    css = visitor.get("/static/service/service.css").text
    faces = re.findall(r"@font-face \{[^}]*\}", css)
    devanagari = [face for face in faces if "U+0900-097F" in face]
    assert devanagari, "a face for the Devanagari block"
    assert '"Auditor Noto"' in css.split("body {", 1)[1].split("}", 1)[0]
    for face in faces:
        url = re.search(r'url\("\.\./fonts/([^"]+)"\)', face)
        assert url, face
        font = visitor.get(f"/static/fonts/{url.group(1)}")
        assert font.status == 200, url.group(1)
        assert font.body[:4] == b"wOF2", url.group(1)


def test_the_upload_form_has_labels_the_template_and_the_guide(world: World) -> None:
    visitor = signed_in(world.service, world.inspector)
    page = visitor.get("/upload").text
    assert '<label for="id_file">' in page
    assert '<label for="id_jurisdiction">' in page
    assert 'enctype="multipart/form-data"' in page
    assert '<option value="" selected>' in page
    for profile, name in (("PH", "Philippines"), ("NP", "Nepal"), ("ilo", "International")):
        assert f'<option value="{profile}">{name}' in page  # the profile's name, not its id
    assert '<option value="NP">Nepal (NP)</option>' in page
    assert 'href="/template.xlsx"' in page
    assert 'href="/guide"' in page
    assert "<script" in page
    assert 'src="/static/service/pages.js"' in page
    assert "<script>" not in page  # no inline script: the CSP allows only the service's files
    template = visitor.get("/template.xlsx")
    assert template.status == 200
    assert "attachment" in template.headers["Content-Disposition"]
    names = zipfile.ZipFile(io.BytesIO(template.body)).namelist()
    assert "xl/workbook.xml" in names
    guide = visitor.get("/guide").text
    for sheet in ("Audit", "Workers", "Contracts", "Fees", "FX"):
        assert f'id="sheet-{sheet}"' in guide
    assert "<code>worker_id</code>" in guide
    assert "<code>date_order</code>" in guide  # format 1.2
    assert "1,50,000" in guide  # lakh grouping, as the template's help says


def test_an_upload_without_a_file_shows_the_form_again_with_the_error_by_the_field(
    world: World,
) -> None:
    visitor = signed_in(world.service, world.inspector)
    answer = visitor.post("/upload", {"jurisdiction": ""})
    assert answer.status == 400
    assert "<title>Error: Upload a workbook" in answer.text
    assert 'id="id_file-error"' in answer.text
    assert "Choose the workbook file to upload." in answer.text


def test_a_done_audit_shows_its_result_and_its_reports(world: World) -> None:
    visitor = signed_in(world.service, world.inspector)
    assert wait_final(visitor, world.done_page) == "done"
    page = visitor.get(world.done_page)
    assert page.status == 200
    html = page.text
    assert 'http-equiv="refresh"' not in html  # final: no more refreshing
    assert "pages.js" not in html
    assert f"<title>Audit {EXPECTED['audit_id']} (done)" in html
    assert f'<span class="score-value">{EXPECTED["score"]:.1f}</span>' in html
    assert f'<span class="score-value">{EXPECTED["rating"]}</span>' in html
    assert ("Provisional:" in html) == EXPECTED["provisional"]
    total = EXPECTED["money_owed"]["total"]
    assert f"{total:,.2f} {EXPECTED['currency']}" in html
    for worker, owed in EXPECTED["money_owed"]["by_worker"].items():
        assert f'<th scope="row">{worker}</th><td class="num">{owed:,.2f}</td>' in html
    for finding in EXPECTED["findings"]:
        assert f'href="/rules#rule-{finding["rule_id"]}"' in html
    for paragraph in EXPECTED["paragraph_scores"]:
        assert f'id="paragraph-{paragraph}"' in html
    for gap in EXPECTED["data_gaps"]:
        assert unescape("; ".join(gap["missing"])) in unescape(html)
    # No follow-up comparison for the agency's first audit here.
    assert "Since the previous audit" not in html
    # Downloads: both PDFs, the JSON and the findings workbook, each recorded.
    for kind, copy, magic in (
        ("pdf", "inspector", b"%PDF-"),
        ("pdf", "agency", b"%PDF-"),
        ("json", "inspector", b"{"),
        ("xlsx", "inspector", b"PK"),
    ):
        link = f"{world.done_page}/download/{kind}?copy={copy}"
        assert f'href="{link}"' in html
        answer = visitor.get(link)
        assert answer.status == 200, link
        assert answer.body.startswith(magic)
        assert "attachment" in answer.headers["Content-Disposition"]
    served = json.loads(visitor.get(f"{world.done_page}/download/json?copy=inspector").body)
    assert served["score"] == float(EXPECTED["score"])
    assert visitor.get(f"{world.done_page}/download/pdf?copy=nobody").status == 400
    assert visitor.get(f"{world.done_page}/download/exe?copy=inspector").status == 404


def test_an_invalid_workbook_shows_every_problem_in_order_and_no_reports(world: World) -> None:
    visitor = signed_in(world.service, world.inspector)
    assert wait_final(visitor, world.invalid_page) == "invalid"
    html = visitor.get(world.invalid_page).text
    assert "Fix the workbook and upload it again" in html
    assert 'href="/upload"' in html
    audit_id = world.invalid_page.rsplit("/", 1)[1]
    code, _, body = world.service.api(
        "GET", f"/api/v1/audits/{audit_id}", token=world.inspector.token
    )
    assert code == 200
    problems = json.loads(body)["problems"]
    assert problems
    shown = cells(html, "problems")
    assert [(row[0], row[1]) for row in shown] == [(p["location"], p["message"]) for p in problems]
    assert "download/pdf" not in html
    assert visitor.get(world.invalid_page + "/download/pdf?copy=inspector").status == 409


def test_the_audit_page_refreshes_itself_only_while_the_audit_runs(world: World) -> None:
    visitor = signed_in(world.service, world.inspector)
    # A copy of the sample under another jurisdiction is a new audit, queued behind nothing.
    answer = visitor.upload(SAMPLES / "compliant-agency.xlsx", jurisdiction="ilo")
    assert answer.status == 303
    page = visitor.get(answer.location).text
    if 'data-status="queued"' in page or 'data-status="running"' in page:
        assert '<meta http-equiv="refresh" content="5">' in page
        assert f'href="{answer.location}">Refresh this page' in page
        assert 'src="/static/service/pages.js"' in page
    assert wait_final(visitor, answer.location) == "done"
    assert 'http-equiv="refresh"' not in visitor.get(answer.location).text


def test_a_follow_up_audit_shows_what_changed_since_the_previous_one(
    world: World, tmp_path: Path
) -> None:
    """The comparison the command line makes (``auditor compare``), where the job keeps it."""
    visitor = signed_in(world.service, world.inspector)
    assert wait_final(visitor, world.done_page) == "done"
    current = visitor.get(world.done_page + "/download/json?copy=inspector").body
    previous = json.loads(current)
    previous["audit_id"] = "PH-2026-0101-EARLIER"
    previous["inspection_date"] = "2026-01-15"
    previous["findings"] = [
        *previous["findings"][3:],
        {
            **previous["findings"][0],
            "rule_id": "FEE-01",
            "subject": {"type": "worker", "id": "W01"},
        },
    ]
    previous["money_owed"]["total"] = 2000.0
    previous["money_owed"]["by_worker"]["W01"] = 277.5
    (tmp_path / "previous.json").write_text(json.dumps(previous), encoding="utf-8")
    (tmp_path / "current.json").write_bytes(current)
    made = run_cli(
        world.service.env,
        "compare",
        str(tmp_path / "previous.json"),
        str(tmp_path / "current.json"),
        "--out",
        str(tmp_path / "out"),
        "--format",
        "json",
    )
    assert made.returncode == 0, made.stderr
    written = next((tmp_path / "out").glob("*.comparison.json"))
    audit_id = world.done_page.rsplit("/", 1)[1]
    stored = world.service.data_dir / "audits" / audit_id / "comparison.json"
    stored.write_bytes(written.read_bytes())
    comparison = json.loads(written.read_bytes(), parse_float=Decimal)
    try:
        html = visitor.get(world.done_page).text
    finally:
        stored.unlink()
    assert "Since the previous audit" in html
    assert "follows up audit <strong>PH-2026-0101-EARLIER</strong> of 2026-01-15" in html
    groups = comparison["findings"]
    counts = cells(html, "comparison-counts")  # issue 25: persisting first, as the PDF
    assert counts == [
        [
            *(str(len(groups[key])) for key in ("persisting", "resolved", "new", "not_reassessed")),
            str(comparison["repeat_critical"]),
        ]
    ]
    assert len(groups["resolved"]) == 1
    resolved = cells(html, "since-resolved")
    assert [(row[0], row[-1]) for row in resolved] == [("FEE-01", "W01")]
    money = comparison["money_owed"]
    terms = cells(html, "comparison-terms")
    assert terms[0] == ["Owed at the previous audit", f"{money['previous_total']:,.2f}"]
    assert terms[-1] == ["Equals still owed now", f"= {money['current_total']:,.2f}"]
    by_worker = {row[0]: row[1:] for row in cells(html, "comparison-money")}
    assert by_worker["W01"][0] == "277.50"  # owed at the previous audit, the PDF's first column


# -- who may see and do what ------------------------------------------------------------------


def test_another_offices_audit_pages_and_files_are_not_found(world: World) -> None:
    visitor = signed_in(world.service, world.stranger)
    for page in (world.done_page, world.invalid_page):
        audit_id = page.rsplit("/", 1)[1]
        for suffix in (
            "",
            "/status",
            "/download/pdf?copy=inspector",
            "/download/pdf?copy=agency",
            "/download/json?copy=inspector",
            "/download/xlsx?copy=agency",
        ):
            answer = visitor.get(page + suffix)
            assert answer.status == 404, (suffix, answer.status)
            assert audit_id.encode() not in answer.body
        issued = visitor.post(page + "/issue", {}, form="/audits")
        assert issued.status == 404
    listing = visitor.get("/audits").text
    assert world.done_page not in listing
    assert world.invalid_page not in listing
    agency = visitor.get(
        "/agency?licence=" + urllib.parse.quote(str(EXPECTED["agency_licence"]))
    ).text
    assert world.done_page not in agency


def test_posts_without_the_csrf_token_are_refused(world: World) -> None:
    visitor = signed_in(world.service, world.supervisor)
    body, content_type = multipart(
        {"file": ("x.xlsx", (SAMPLES / "compliant-agency.xlsx").read_bytes())}
    )
    assert visitor.request("POST", "/upload", body, content_type).status == 403
    forged = urllib.parse.urlencode({"csrfmiddlewaretoken": "f" * 64}).encode()
    answer = visitor.request(
        "POST", world.done_page + "/issue", forged, "application/x-www-form-urlencoded"
    )
    assert answer.status == 403
    audit_id = world.done_page.rsplit("/", 1)[1]
    _, _, data = world.service.api("GET", f"/api/v1/audits/{audit_id}", token=world.inspector.token)
    assert "Issued</strong>" not in visitor.get(world.done_page).text
    assert json.loads(data)["status"] == "done"


def test_only_supervisors_see_the_issue_button_and_the_accesses(world: World) -> None:
    inspector = signed_in(world.service, world.inspector)
    supervisor = signed_in(world.service, world.supervisor)
    assert wait_final(inspector, world.done_page) == "done"
    assert "Issue this audit" not in inspector.get(world.done_page).text
    assert "Who took which report" not in inspector.get(world.done_page).text
    assert inspector.post(world.done_page + "/issue", {}, form=world.done_page).status == 404

    page = supervisor.get(world.done_page).text
    assert f'action="{world.done_page}/issue"' in page
    assert "Who took which report" in page
    # The inspector's downloads (earlier test) are listed: who, copy, file, through the page.
    inspector.get(world.done_page + "/download/pdf?copy=agency")
    rows = cells(supervisor.get(world.done_page).text, "accesses")
    assert any(row[1:] == ["ines", "download", "agency", "pdf", "page"] for row in rows), rows
    # Times in the office's zone, named (the harness's offices are in UTC).
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", row[0]) for row in rows)

    # The Issue button asks for confirmation first, showing the date and the due dates.
    confirm = supervisor.post(world.done_page + "/issue", {}, form=world.done_page)
    assert confirm.status == 200
    assert "Yes, issue the report" in confirm.text
    assert 'id="due-dates"' in confirm.text
    assert "Issued</strong>" not in supervisor.get(world.done_page).text
    issued_on = re.search(r'name="issued_on" value="([0-9-]+)"', confirm.text)
    assert issued_on is not None
    issued = supervisor.post(
        world.done_page + "/issue",
        {"confirm": "yes", "issued_on": issued_on.group(1)},
        form=world.done_page,
    )
    assert issued.status == 303
    assert issued.location == world.done_page
    after = supervisor.get(world.done_page).text
    assert "Issue this audit" not in after
    assert "by sofia" in after
    rows = cells(after, "accesses")
    assert rows[0][1:3] == ["sofia", "issue"]
    assert supervisor.post(world.done_page + "/issue", {}, form="/audits").status == 409


# -- lists, the agency, the rules -------------------------------------------------------------


def test_the_audit_list_filters_by_agency_rating_and_date(world: World) -> None:
    visitor = signed_in(world.service, world.inspector)
    wait_final(visitor, world.done_page)
    everything = visitor.get("/audits").text
    assert world.done_page in everything
    assert world.invalid_page in everything
    assert everything.index(world.invalid_page) < everything.index(world.done_page)  # newest first
    licence_part = str(EXPECTED["agency_licence"])[:8]
    today = time.strftime("%Y-%m-%d", time.gmtime())
    for query, done_shown, invalid_shown in (
        (f"agency={urllib.parse.quote(licence_part)}", True, False),
        ("agency=bayanihan", True, False),
        (f"rating={EXPECTED['rating']}", True, False),
        ("rating=A", False, False),
        (f"uploaded_from={today}&uploaded_to={today}", True, True),
        ("uploaded_from=2999-01-01", False, False),
    ):
        html = visitor.get("/audits?" + query).text
        assert (world.done_page in html) == done_shown, query
        assert (world.invalid_page in html) == invalid_shown, query
    wrong = visitor.get("/audits?uploaded_from=yesterday&page=%00")
    assert wrong.status == 200
    assert "Enter a valid date." in wrong.text
    assert world.done_page in wrong.text  # the wrong filter is said, not applied


def test_the_agency_page_draws_the_score_over_time_with_a_table(world: World) -> None:
    visitor = signed_in(world.service, world.inspector)
    wait_final(visitor, world.done_page)
    licence = urllib.parse.quote(str(EXPECTED["agency_licence"]))
    html = visitor.get(f"/agency?licence={licence}").text
    assert world.done_page in html
    assert world.invalid_page not in html
    assert '<svg viewBox="0 0 640 240"' in html
    assert 'role="img"' in html
    assert "<circle" in html
    rows = cells(html, "chart-table")
    assert [row[0] for row in rows] == [EXPECTED["inspection_date"]]
    assert rows[0][1] == f"{EXPECTED['score']:.1f}"
    assert rows[0][2] == EXPECTED["rating"]
    assert "No audit of this licence" in visitor.get("/agency?licence=NOBODY").text


def test_the_rules_page_lists_the_catalogue_of_the_rule_files(world: World) -> None:
    visitor = signed_in(world.service, world.inspector)
    html = unescape(visitor.get("/rules").text)
    pack = rule_pack()
    assert pack.version in html
    assert not re.search(r"\b(she|her|herself)\b", html, re.IGNORECASE)
    for rule in pack.rules:
        assert f'<tr id="rule-{rule.id}"><th scope="row">{rule.id}</th>' in html
        assert neutral(rule.data.title) in html  # any worker's page: neutral (issue 25)
        for norm in rule.data.norms:
            assert norm in html
    # catalogue 1.2: each profile's caps, payable categories, destinations and status
    nepal = html.split('id="profile-NP"', 1)[1].split("</section>", 1)[0]
    assert "10,000 NPR (destinations MY, SA, QA, AE, KW, BH, OM)" in nepal
    assert "insurance, training, medical, personal_documents" in nepal
    assert "to be confirmed" in nepal
    assert "press reports" in nepal  # its caveat
    baseline = html.split('id="profile-ilo"', 1)[1].split("</section>", 1)[0]
    assert "checked" in baseline
    assert "no recruitment fee may be charged" in baseline
    philippines = html.split('id="profile-PH"', 1)[1].split("</section>", 1)[0]
    assert "1 month(s) of the reference wage (not domestic_work; not to GB, IE, NL, NO)" in (
        philippines
    )


def test_the_rules_page_shows_each_destination_profile_with_its_status(world: World) -> None:
    """Catalogue 1.3: QA, AE, SA, KW and HK with their law, cap, claims office and status."""
    visitor = signed_in(world.service, world.inspector)
    html = unescape(visitor.get("/rules").text)
    destinations = rule_pack().destinations.all()
    assert [d.country for d in destinations] == ["AE", "HK", "KW", "QA", "SA"]
    for profile in destinations:
        assert f'<tr id="destination-{profile.country}">' in html
        assert profile.law in html
        assert profile.claims_to in html
        assert "to_be_confirmed" in html
    assert "at most 10% of the first month&#x27;s wage" in visitor.get("/rules").text
    assert "every sector except domestic_work" in html


def test_every_page_has_a_title_a_skip_link_and_labelled_fields(world: World) -> None:
    visitor = signed_in(world.service, world.supervisor)
    for path in (
        "/upload",
        "/audits",
        "/agency",
        "/rules",
        "/guide",
        world.done_page,
        world.invalid_page,
    ):
        html = visitor.get(path).text
        assert re.search(r"<title>[^<]+</title>", html), path
        assert 'href="#main"' in html, path
        assert 'id="main"' in html, path
        for field_id in re.findall(r'<(?:input|select)[^>]*\bid="([^"]+)"', html):
            assert f'<label for="{field_id}">' in html, (path, field_id)
        assert "<th>" not in html, path  # every header cell says its scope


def test_the_audit_list_pages_by_25_and_its_links_keep_the_filters(world: World) -> None:
    """Last in the module: 26 more uploads (datasets the API takes; they end invalid)."""
    token = world.inspector.token
    for number in range(26):
        body = json.dumps({"audit": {"audit_id": f"PAGING-{number}"}}).encode()
        code, _, answer = world.service.api(
            "POST", "/api/v1/audits", token=token, body=body, content_type="application/json"
        )
        assert code == 202, answer
    visitor = signed_in(world.service, world.inspector)
    today = time.strftime("%Y-%m-%d", time.gmtime())
    # Issue 25's filters are kept too: the uploader (the datasets' and the module's are ines's).
    first = visitor.get(f"/audits?uploaded_from={today}&inspector=ines").text
    assert first.count("data-audit-id=") == 25
    assert "Page 1 of 2" in first
    assert 'rel="prev"' not in first
    link = re.search(r'<a rel="next" href="([^"]+)"', first)
    assert link
    assert unescape(link.group(1)) == f"?inspector=ines&uploaded_from={today}&page=2"
    second = visitor.get("/audits" + unescape(link.group(1))).text
    assert "Page 2 of 2" in second
    assert 'rel="next"' not in second
    shown = set(re.findall(r'data-audit-id="([^"]+)"', first + second))
    assert len(shown) == 26 + 3  # the 26 datasets and the module's other three uploads
    assert world.done_page.rsplit("/", 1)[1] in shown
    back = re.search(r'<a rel="prev" href="([^"]+)"', second)
    assert back
    assert unescape(back.group(1)) == f"?inspector=ines&uploaded_from={today}&page=1"
    assert "Page 2 of 2" in visitor.get("/audits?page=99999999999999999999999").text
