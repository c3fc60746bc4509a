"""Issue 23's denial-of-service attacks, rerun: ``serve`` stays responsive and bounded.

web.md 1.1 "Settled": a request's memory in ``serve`` grows by at most 200 MB
whatever the body; with 300 idle or slow connections open a log-in page
answers within 5 s; a body over the limit is refused from its
``Content-Length`` before it is read. Each test starts its own service, so
that the jobs these bodies make keep no other module waiting, and stops it
(its workers with it) at once.
"""

from __future__ import annotations

import json
import os
import socket
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from auditor.base.limits import DEFAULT_LIMITS
from tests.service.harness import Service, serving

MB = 1024 * 1024
#: web.md 1.1 "Bounds, as numbers" (the time as CPU seconds of ``serve``: see :func:`_cpu_s`).
MAX_GROWTH_BYTES = 200 * MB
MAX_REQUEST_S = 2.0


@pytest.fixture
def bounded(tmp_path: Path) -> Iterator[Service]:
    with serving(tmp_path, AUDITOR_MAX_QUEUED="500") as running:
        running.account("bea", office="BND-A")
        yield running


def _status(pid: int, field: str) -> int:
    """A ``/proc/PID/status`` size in bytes (``VmRSS``, ``VmHWM``: its peak so far)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise AssertionError(f"no {field} for {pid}")


def _cpu_s(pid: int) -> float:
    """Seconds of CPU ``pid`` has used (all its threads): the request's own work, which the
    other processes sharing this machine's two cores do not stretch as they stretch the
    wall-clock time."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _post_json(service: Service, token: str, body: bytes) -> tuple[int, dict[str, object], float]:
    """Post ``body``; the answer and the CPU seconds ``serve`` spent on it."""
    pid = service.process.pid
    before = _cpu_s(pid)
    code, _, answer = service.api(
        "POST", "/api/v1/audits", token=token, body=body, content_type="application/json"
    )
    return code, json.loads(answer), _cpu_s(pid) - before


def _bodies() -> Iterator[tuple[str, bytes, tuple[int, ...]]]:
    """The shapes of the issue, each about 30 MB or more: what each may be answered."""
    yield "ten million tiny objects", b'{"workers":[' + b"{}," * 9_999_999 + b"{}]}", (202,)
    yield "deep arrays", b'{"a":' + b"[" * (40 * MB) + b"]" * (40 * MB) + b"}", (400,)
    yield "deep objects", b'{"a":' + b'{"a":' * (8 * MB) + b"1" + b"}" * (8 * MB) + b"}", (400,)
    wide = b",".join(b'"k%d":0' % n for n in range(3_000_000))
    yield "three million keys", b"{" + wide + b"}", (202,)
    yield "one long string", b'{"a":"' + b"x\\\\\\u00e9" * (6 * MB) + b'"}', (202,)
    yield "four million emoji", b'{"a":"' + b"\\ud83d\\ude00" * (4 * MB) + b'"}', (202,)
    yield "ten million numbers", b'{"fees":[' + b"1," * 9_999_999 + b"1]}", (202,)


def test_any_body_up_to_the_limit_keeps_serve_within_200_mb_and_2_s(bounded: Service) -> None:
    token = bounded.accounts["bea"].token
    pid = bounded.process.pid
    warm = _post_json(bounded, token, b'{"workers": []}')
    assert warm[0] == 202, warm
    before = _status(pid, "VmRSS")
    for what, body, expected in _bodies():
        code, answer, seconds = _post_json(bounded, token, body)
        assert code in expected, (what, code, answer)
        assert set(answer) >= ({"error", "code"} if code >= 400 else {"id", "status"}), answer
        assert seconds < MAX_REQUEST_S, (what, round(seconds, 2))
        grown = _status(pid, "VmHWM") - before
        assert grown <= MAX_GROWTH_BYTES, (what, grown // MB)


def test_json_bodies_are_refused_for_what_the_request_can_see(bounded: Service) -> None:
    """Depth past 16, no object, not UTF-8, half a surrogate pair: 400 or 422, nothing stored;
    the surrogate split across a chunk boundary and escaped backslashes are no false alarm."""
    token = bounded.accounts["bea"].token
    uploads = bounded.data_dir / "uploads"
    stored_before = sorted(p.name for p in uploads.rglob("*") if p.is_file())
    refused = {
        b'{"a":' + b"[" * 16 + b"]" * 16 + b"}": 400,
        b"[1, 2]": 422,
        b'  "text"': 422,
        b"": 400,
        b'{"a": "\xff"}': 400,
        b'{"audit": {"agency_name": "Agency \\ud83d"}}': 400,
        b'{"audit": {"agency_name": "\\udc00 Agency"}}': 400,
    }
    for body, status in refused.items():
        code, answer, _ = _post_json(bounded, token, body)
        assert (code, answer.get("code")) == (
            status,
            "bad_request" if status == 400 else "unprocessable",
        ), (body[:60], code, answer)
    assert sorted(p.name for p in uploads.rglob("*") if p.is_file()) == stored_before
    accepted = [
        b'{"a":' + b"[" * 15 + b"]" * 15 + b"}",
        b'{"audit": {"agency_name": "Agency \\ud83d\\ude00 \\\\ud800"}}',
        # A pair, with the chunk boundary (1 MiB) falling between its halves.
        b'{"a": "' + b"x" * (MB - 13) + b'\\ud83d\\ude00"}',
    ]
    for body in accepted:
        code, answer, _ = _post_json(bounded, token, body)
        assert code == 202, (body[:60], code, answer)


def _raw(service: Service, request: bytes, *, timeout: float = 10) -> bytes:
    host, port = service.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as connection:
        connection.sendall(request)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
        return answer


def test_a_body_over_the_limit_is_refused_from_its_content_length(bounded: Service) -> None:
    """Headers only, claiming a body one byte over the limit: 413 JSON at once, unread."""
    token = bounded.accounts["bea"].token
    limit = DEFAULT_LIMITS.max_file_bytes
    started = time.perf_counter()
    answer = _raw(
        bounded,
        (
            f"POST /api/v1/audits HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {limit + 1}\r\n\r\n"
        ).encode(),
    )
    assert time.perf_counter() - started < 5
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413"), head
    assert b"application/json" in head
    assert json.loads(body)["code"] == "too_large"


def test_300_slow_connections_leave_the_log_in_page_answering_within_5_s(
    bounded: Service,
) -> None:
    host, port = bounded.url.removeprefix("http://").split(":")
    held: list[socket.socket] = []
    try:
        for number in range(300):
            connection = socket.create_connection((host, int(port)), timeout=10)
            if number % 2:
                # Slow: headers promising a body, then three bytes of it.
                connection.sendall(
                    b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000000\r\n\r\nabc"
                )
            held.append(connection)
        time.sleep(1.0)
        started = time.perf_counter()
        with urllib.request.urlopen(bounded.url + "/login", timeout=30) as response:
            assert response.status == 200
        assert time.perf_counter() - started < 5
    finally:
        for connection in held:
            connection.close()
