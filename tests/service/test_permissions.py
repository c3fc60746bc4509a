"""Who may see what, as a generated table: every role x every path x own office / other office.

``web.md``: an audit belongs to its uploader's office; anyone else gets
404 for it, never 403, on pages and API alike, including its files;
the access record is for supervisors and admins (404 for inspectors);
web.md 1.1: reviewing is for the office's inspectors and supervisors,
issuing and withdrawing for its supervisors, and admins never do either, in
their own office or another (404, as for anything a user may not do on an
audit she may see); an admin sees every office. The table below is generated from the roles,
the paths and the two offices, not picked by hand, so a path added to
:data:`API_PATHS` or :data:`PAGE_PATHS` is checked for every role at once.

One service for the whole module, with a done and an invalid audit in
each of two offices. Pages are checked where they answer: a page path
that does not exist yet (404 for its own office's admin) is skipped with
that reason, so the table grows with the pages.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.service.harness import SAMPLES, Account, Service, serving
from tests.service.pages_client import PageSession, make_accounts

ROLES = ("inspector", "supervisor", "admin")
RELATIONS = ("own", "other")
TARGETS = ("done", "invalid")
HOME, AWAY = "PERM-A", "PERM-B"
NOT_FOUND = {"error": "not found", "code": "not_found"}


#: Who may do what (web.md 1.1): any role may read what it sees; these act.
READERS = frozenset(ROLES)
ACCESS_READERS = frozenset({"supervisor", "admin"})
REVIEWERS = frozenset({"inspector", "supervisor"})
ISSUERS = frozenset({"supervisor"})


@dataclass(frozen=True)
class PathCase:
    """One path, and what its own office's permitted users get for a done / invalid audit."""

    method: str
    template: str
    done: frozenset[int]
    invalid: frozenset[int]
    roles: frozenset[str] = READERS

    def expected(self, role: str, relation: str, target: str) -> frozenset[int]:
        if role not in self.roles:
            return frozenset({404})
        if relation == "other" and role != "admin":
            return frozenset({404})
        return self.done if target == "done" else self.invalid

    def path(self, audit_id: str) -> str:
        return self.template.format(id=audit_id)


def _case(
    method: str,
    template: str,
    done: set[int],
    invalid: set[int],
    roles: frozenset[str] = READERS,
) -> PathCase:
    return PathCase(method, template, frozenset(done), frozenset(invalid), roles)


BASE = "/api/v1/audits/{id}"
#: Every per-audit API path of web.md (and the copies and files of each).
API_PATHS = (
    _case("GET", BASE, {200}, {200}),
    _case("GET", BASE + "/report.pdf?copy=inspector", {200}, {409}),
    _case("GET", BASE + "/report.pdf?copy=agency", {200}, {409}),
    _case("GET", BASE + "/report.pdf", {400}, {400}),  # copy is required: 400, but only once
    _case("GET", BASE + "/report.pdf?copy=nobody", {400}, {400}),  # the audit is known to be yours
    _case("GET", BASE + "/result.json", {200}, {409}),
    _case("GET", BASE + "/result.json?copy=agency", {200}, {409}),
    _case("GET", BASE + "/findings.xlsx", {200}, {409}),
    _case("GET", BASE + "/findings.xlsx?copy=agency", {200}, {409}),
    # 1.1: no earlier audit of the agency (409 no_previous_audit), or not done (409 not_done).
    _case("GET", BASE + "/comparison", {409}, {409}),
    _case("GET", BASE + "/accesses", {200}, {200}, ACCESS_READERS),
    # 1.1: the review (an empty body is an empty review), issuing, withdrawing, the record.
    _case("GET", BASE + "/review", {200}, {200}),
    _case("POST", BASE + "/review", {200, 409}, {409}, REVIEWERS),
    _case("POST", BASE + "/issue", {200, 409}, {409}, ISSUERS),
    _case("POST", BASE + "/withdraw", {400, 409}, {409}, ISSUERS),
    _case("GET", BASE + "/issue.json", {200, 409}, {409}),
    _case("GET", BASE + "/report.pdf?copy=inspector&draft=1", {200}, {409}),
)

PAGE = "/audits/{id}"
#: The pages of one audit. A page may redirect after a POST (302/303).
PAGE_PATHS = (
    _case("GET", PAGE, {200}, {200}),
    _case("GET", PAGE + "/status", {200}, {200}),
    _case("GET", PAGE + "/download/pdf?copy=inspector", {200}, {404, 409}),
    _case("GET", PAGE + "/download/pdf?copy=agency", {200}, {404, 409}),
    _case("GET", PAGE + "/download/json?copy=inspector", {200}, {404, 409}),
    _case("GET", PAGE + "/download/json?copy=agency", {200}, {404, 409}),
    _case("GET", PAGE + "/download/xlsx?copy=inspector", {200}, {404, 409}),
    _case("GET", PAGE + "/download/xlsx?copy=agency", {200}, {404, 409}),
    # Without confirm=yes the Issue button's POST shows the confirmation page (200).
    _case("POST", PAGE + "/issue", {200, 302, 303, 409}, {302, 303, 409}, ISSUERS),
    _case("POST", PAGE + "/withdraw", {400, 409}, {409}, ISSUERS),
    _case("POST", PAGE + "/review/set-aside", {400, 409}, {400, 409}, REVIEWERS),
    _case("POST", PAGE + "/review/add", {400, 409}, {400, 409}, REVIEWERS),
    _case("POST", PAGE + "/review/remove", {400, 409}, {400, 409}, REVIEWERS),
)


def _table(paths: tuple[PathCase, ...]) -> list[object]:
    return [
        pytest.param(
            role,
            relation,
            target,
            case,
            id=f"{role}-{relation}-{target}-{case.method} {case.template.split('{id}')[-1] or '/'}",
        )
        for case in paths
        for role in ROLES
        for relation in RELATIONS
        for target in TARGETS
    ]


@dataclass
class World:
    """The running service, the home office's three roles, and the audits of both offices."""

    service: Service
    users: dict[str, Account]
    audits: dict[tuple[str, str], str]  # (office, target) -> audit id
    licences: dict[str, str]  # office -> the done audit's agency licence
    sessions: dict[str, PageSession]

    def audit(self, relation: str, target: str) -> str:
        return self.audits[(HOME if relation == "own" else AWAY, target)]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with serving(tmp_path_factory.mktemp("permissions")) as service:
        made = make_accounts(
            service,
            [(f"{role}-a", HOME, role) for role in ROLES] + [("inspector-b", AWAY, "inspector")],
        )
        users = {role: made[f"{role}-a"] for role in ROLES}
        uploader_b = made["inspector-b"]
        uploads = {
            (HOME, "done"): (users["inspector"], SAMPLES / "agency-with-problems.xlsx"),
            (AWAY, "done"): (uploader_b, SAMPLES / "compliant-agency.xlsx"),
            (HOME, "invalid"): (users["inspector"], SAMPLES / "invalid-workbook.xlsx"),
            (AWAY, "invalid"): (uploader_b, SAMPLES / "invalid-workbook.xlsx"),
        }
        audits: dict[tuple[str, str], str] = {}
        for key, (account, path) in uploads.items():
            status, accepted = service.upload(account.token, path)
            assert status == 202, accepted
            audits[key] = accepted["id"]
        licences: dict[str, str] = {}
        for (office, target), audit_id in audits.items():
            account = users["inspector"] if office == HOME else uploader_b
            final = service.wait_final(account.token, audit_id)
            assert final["status"] == target, final
            if target == "done":
                licences[office] = final["agency_licence"]
        sessions = {}
        for role, account in users.items():
            session = PageSession(service)
            session.login(account.name, account.password)
            sessions[role] = session
        yield World(service, users, audits, licences, sessions)


def test_the_two_offices_audits_are_of_different_agencies(world: World) -> None:
    """The agency filters below only mean something if the licences differ."""
    assert world.licences[HOME]
    assert world.licences[AWAY]
    assert world.licences[HOME] != world.licences[AWAY]


@pytest.mark.parametrize(("role", "relation", "target", "case"), _table(API_PATHS))
def test_api(world: World, role: str, relation: str, target: str, case: PathCase) -> None:
    account = world.users[role]
    path = case.path(world.audit(relation, target))
    code, _headers, body = world.service.api(case.method, path, token=account.token)
    expected = case.expected(role, relation, target)
    assert code in expected, (path, code, body[:300])
    if code == 404:
        assert json.loads(body) == NOT_FOUND
        # Indistinguishable from an id that exists nowhere: same status, same body.
        nowhere = case.path(str(uuid.uuid4()))
        assert world.service.api(case.method, nowhere, token=account.token)[::2] == (404, body)
    assert code != 403


@pytest.mark.parametrize("role", ROLES)
def test_api_list_and_agency_filter_show_only_visible_audits(world: World, role: str) -> None:
    token = world.users[role].token
    code, _, body = world.service.api("GET", "/api/v1/audits?per_page=200", token=token)
    assert code == 200
    listed = {item["id"] for item in json.loads(body)["items"]}
    for (office, _target), audit_id in world.audits.items():
        assert (audit_id in listed) == (office == HOME or role == "admin"), (office, audit_id)
    away = world.licences[AWAY]
    code, _, body = world.service.api("GET", f"/api/v1/audits?agency_licence={away}", token=token)
    assert code == 200
    page = json.loads(body)
    assert page["total"] == (1 if role == "admin" else 0)
    assert [item["id"] for item in page["items"]] == (
        [world.audits[(AWAY, "done")]] if role == "admin" else []
    )


# -- pages ------------------------------------------------------------------------------------


def _page_exists(world: World, case: PathCase) -> bool:
    """Whether the page answers at all: its own office's admin gets something other than 404."""
    session = world.sessions["admin"]
    if not session.signed_in:
        return False
    if case.method != "GET":
        # A POST page is there if its audit page is (posting to test would change the audit).
        return _page_exists(world, PAGE_PATHS[0])
    code, _, _ = session.get(case.path(world.audit("own", "done")))
    return code != 404


def _page_post(session: PageSession, path: str, audit_page: str) -> tuple[int, bytes]:
    token = session.csrf_token(audit_page) or session.csrf_token("/upload") or ""
    code, _, body = session.post_form(path, {"csrfmiddlewaretoken": token})
    return code, body


@pytest.mark.parametrize(("role", "relation", "target", "case"), _table(PAGE_PATHS))
def test_pages(world: World, role: str, relation: str, target: str, case: PathCase) -> None:
    if not world.sessions["admin"].signed_in:
        pytest.skip("the log-in page does not sign in yet (pages not built)")
    if not _page_exists(world, case):
        pytest.skip(f"page {case.template} does not exist yet")
    session = world.sessions[role]
    audit_id = world.audit(relation, target)
    path = case.path(audit_id)
    if case.method == "POST":
        code, body = _page_post(session, path, PAGE.format(id=world.audit("own", target)))
    else:
        code, _, body = session.get(path)
    expected = case.expected(role, relation, target)
    assert code != 403, (path, body[:300])
    assert code < 500, (path, body[:300])
    assert code in expected, (path, code, body[:300])
    if code == 404:
        assert audit_id.encode() not in body


@pytest.mark.parametrize("role", ROLES)
def test_pages_listing_and_agency_history_show_only_visible_audits(world: World, role: str) -> None:
    session = world.sessions[role]
    if not session.signed_in:
        pytest.skip("the log-in page does not sign in yet (pages not built)")
    visible = {key: role == "admin" or key[0] == HOME for key in world.audits}
    checked = 0
    code, _, body = session.get("/audits")
    if code != 404:
        assert code == 200
        text = body.decode()
        # The list may page, but these four are the service's only audits.
        for key, audit_id in world.audits.items():
            assert (audit_id in text) == visible[key], (key, role)
        checked += 1
    for office in (HOME, AWAY):
        code, _, body = session.get(f"/agency?licence={world.licences[office]}")
        if code == 404 and office == HOME:
            break  # the agency page is not there yet
        assert code in (200, 404), code
        assert code != 403
        shown = world.audits[(office, "done")] in body.decode()
        assert shown == visible[(office, "done")], (office, role)
        checked += 1
    if not checked:
        pytest.skip("neither /audits nor /agency exists yet")


def test_pages_for_anyone_signed_out_say_nothing_about_which_ids_exist(world: World) -> None:
    """Signed out, an existing audit's pages answer exactly as a made-up id's do."""
    stranger = PageSession(world.service)
    real = world.audit("own", "done")
    made_up = str(uuid.uuid4())
    for case in PAGE_PATHS:
        if case.method != "GET":
            continue
        first = stranger.get(case.path(real))
        second = stranger.get(case.path(made_up))
        assert first[0] == second[0], case.template
        assert first[0] in (302, 303, 401, 404), (case.template, first[0])
        location = first[1].get("Location", "")
        assert real not in location.split("next=")[0]
        code, _, body = world.service.api("GET", f"/api/v1/audits/{real}")
        assert code == 401
        assert real.encode() not in body


def test_every_test_above_ran_against_the_files(world: World) -> None:
    """Sanity of the fixture: the done audit's files are really there to be refused."""
    folder = world.service.data_dir / "audits" / world.audit("other", "done")
    assert "result.json" in {path.name for path in folder.iterdir()}
    # The PDFs and workbooks are rendered after the audit is done, in the background (issue 26).
    deadline = time.monotonic() + 120
    while True:
        names = {path.name.split(".", 1)[1] for path in folder.glob("rendered/*.*")}
        if names >= {"report.pdf", "findings.xlsx"} or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert names >= {"report.pdf", "report.agency.pdf", "findings.xlsx", "findings.agency.xlsx"}
    assert Path(world.service.log).is_file()
