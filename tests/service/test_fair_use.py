"""Issue 23's fair-use attacks, rerun (web.md 1.1 "fair use and bounded work").

One office's burst of uploads cannot hold another office's audit behind it,
and cannot grow the queue without bound (429 ``queue_full``); log-in
throttling counts the name as Django reads it, holds back only the address
that failed, believes ``X-Forwarded-For`` only from a trusted proxy, and
lets 30 concurrent guesses check a handful of passwords, not 30; user names
are normalised when they are made; tokens expire, are listed and are revoked
one by one.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tests.builders import as_data, base_book
from tests.service.harness import Service, run_cli, serving
from tests.service.pages_client import PageSession


def _dataset(number: int) -> bytes:
    book = base_book()
    book["Audit"]["audit_id"] = f"FAIR-{number:03d}"
    return json.dumps(as_data(book), default=str).encode()


def _post(service: Service, token: str, body: bytes) -> tuple[int, dict[str, str], Any]:
    code, headers, answer = service.api(
        "POST", "/api/v1/audits", token=token, body=body, content_type="application/json"
    )
    return code, headers, json.loads(answer)


@pytest.fixture(scope="module")
def fair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    folder = tmp_path_factory.mktemp("fair")
    with serving(folder, AUDITOR_MAX_QUEUED="30") as running:
        running.account("fay", office="FAIR-A")
        running.account("bob", office="FAIR-B")
        yield running


def test_one_offices_burst_does_not_hold_another_offices_upload_behind_it(fair: Service) -> None:
    fay, bob = fair.accounts["fay"], fair.accounts["bob"]
    burst = []
    for number in range(20):
        code, _, answer = _post(fair, fay.token, _dataset(number))
        assert code == 202, answer
        burst.append(answer["id"])
    code, _, answer = _post(fair, bob.token, _dataset(100))
    assert code == 202, answer
    audit = fair.wait_final(bob.token, answer["id"], timeout_s=600)
    assert audit["status"] == "done", audit
    finished = 0
    for audit_id in burst:
        _status, _, data = fair.api("GET", f"/api/v1/audits/{audit_id}", token=fay.token)
        finished += json.loads(data)["status"] in ("done", "invalid", "failed")
    assert finished < 10, f"{finished} of the burst finished before the other office's one"
    for audit_id in burst:  # and the burst itself is all done in the end
        assert fair.wait_final(fay.token, audit_id, timeout_s=900)["status"] == "done"


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    folder = tmp_path_factory.mktemp("small")
    with serving(folder, AUDITOR_MAX_QUEUED="2", AUDITOR_TRUSTED_PROXIES="127.0.0.1") as running:
        running.account("quinn", office="SMALL")
        running.account("victim", office="SMALL")
        yield running


def test_an_office_over_its_queue_limit_gets_429_queue_full(small: Service) -> None:
    quinn = small.accounts["quinn"]
    answers = [_post(small, quinn.token, _dataset(200 + number)) for number in range(8)]
    refused = [(headers, answer) for code, headers, answer in answers if code == 429]
    assert refused, [code for code, _, _ in answers]
    for headers, answer in refused:
        assert answer["code"] == "queue_full", answer
        assert int(headers["Retry-After"]) > 0
    accepted = [answer["id"] for code, _, answer in answers if code == 202]
    assert len(accepted) <= 4  # two queued, one running, one finished meanwhile at most
    for audit_id in accepted:
        small.wait_final(quinn.token, audit_id, timeout_s=300)
    code, _, answer = _post(small, quinn.token, _dataset(300))
    assert code == 202, answer  # room again once the queue has gone down


def _login(
    service: Service, name: str, password: str, address: str
) -> tuple[PageSession, int, Any]:
    """A log-in through the trusted proxy (the test itself, 127.0.0.1) for ``address``."""
    session = PageSession(service)
    token = session.csrf_token("/login") or ""
    code, headers, _ = session.post_form(
        "/login",
        {"username": name, "password": password, "csrfmiddlewaretoken": token},
        headers={"X-Forwarded-For": address},
    )
    return session, code, headers


def test_failures_hold_back_the_name_at_that_address_only_counted_as_django_reads_it(
    small: Service,
) -> None:
    victim = small.accounts["victim"]
    # Wrong passwords until the wait is long enough that the next request (slow on a loaded
    # machine) surely comes within it; a refused attempt (429) counts nothing, so sit it out.
    wait = 0
    for attempt in range(20):
        # A fullwidth first letter is the same name to Django (NFKC), and to the throttle.
        name = "\uff56ictim" if attempt % 2 else "victim"
        _, code, headers = _login(small, name, f"wrong-{attempt}", "203.0.113.9")
        if code == 429:
            wait = int(headers["Retry-After"])
            if wait >= 8:
                break
            time.sleep(wait)
    assert wait >= 8  # the wait doubles: 1, 2, 4, 8 seconds after the free failures
    held, code, headers = _login(small, "\uff56ictim", victim.password, "203.0.113.9")
    assert code == 429
    assert not held.signed_in
    assert int(headers["Retry-After"]) > 0
    # The victim, from her own address, is not held back by someone else's failures.
    mine, code, _ = _login(small, "victim", victim.password, "203.0.113.10")
    assert mine.signed_in, code


def test_x_forwarded_for_is_believed_only_from_a_trusted_proxy(
    small: Service, tmp_path: Path
) -> None:
    """Without ``AUDITOR_TRUSTED_PROXIES`` the header is ignored: failures 'from' many
    forwarded addresses are one client's, and hold that client back."""
    with serving(tmp_path) as plain:
        walt = plain.account("walt", office="PLAIN")
        for attempt in range(8):
            _login(plain, "walt", f"bad-{attempt}", f"198.51.100.{attempt}")
        held, code, _ = _login(plain, "walt", walt.password, "198.51.100.99")
        assert code == 429
        assert not held.signed_in


def test_30_concurrent_guesses_check_a_handful_of_passwords(small: Service) -> None:
    small.account("target", office="SMALL")
    sessions = [PageSession(small) for _ in range(30)]
    tokens = [session.csrf_token("/login") or "" for session in sessions]

    def guess(index: int) -> int:
        code, _, _ = sessions[index].post_form(
            "/login",
            {
                "username": "target",
                "password": f"guess-{index}",
                "csrfmiddlewaretoken": tokens[index],
            },
            headers={"X-Forwarded-For": "192.0.2.30"},
        )
        return code

    with ThreadPoolExecutor(30) as pool:
        codes = list(pool.map(guess, range(30)))
    checked = sum(code != 429 for code in codes)
    # Three free failures, then a wait that doubles: a few more only if the machine is slow.
    assert checked <= 6, codes


def test_user_names_are_normalised_when_made(small: Service) -> None:
    made = run_cli(
        small.env, "users", "create", "ins\uff21", "--role", "inspector", "--office", "SMALL"
    )
    assert made.returncode == 0, made.stderr
    assert "user insA created" in made.stderr
    again = run_cli(
        small.env, "users", "create", "\uff49nsA", "--role", "inspector", "--office", "SMALL"
    )
    assert again.returncode == 2, again.stderr
    assert "exists already" in again.stderr
    assert "Traceback" not in again.stderr


def test_tokens_expire_are_listed_and_revoked_one_by_one(small: Service, tmp_path: Path) -> None:
    small.account("tess", office="SMALL")
    first = run_cli(small.env, "users", "token", "tess").stdout.strip()
    second = run_cli(small.env, "users", "token", "tess", "--expires-in-days", "30").stdout.strip()
    listed = run_cli(small.env, "users", "tokens", "tess")
    assert listed.returncode == 0, listed.stderr
    rows = [line.split("\t") for line in listed.stdout.splitlines()]
    assert len(rows) == 3  # the fixture's token and these two
    assert first not in listed.stdout
    assert second not in listed.stdout
    assert rows[2][3].startswith("expires 20")
    assert rows[1][3] == "expires never"
    revoked = run_cli(small.env, "users", "tokens", "tess", "--revoke", rows[1][0])
    assert revoked.returncode == 0, revoked.stderr
    assert small.api("GET", "/api/v1/audits", token=first)[0] == 401
    assert small.api("GET", "/api/v1/audits", token=second)[0] == 200
    assert "revoked" in run_cli(small.env, "users", "tokens", "tess").stdout.splitlines()[1]
    assert run_cli(small.env, "users", "tokens", "tess", "--revoke", "99999").returncode == 2
    assert run_cli(small.env, "users", "token", "tess", "--expires-in-days", "0").returncode == 2
