"""Real service processes for tests: ``auditor serve`` and ``auditor worker`` on loopback.

Everything here starts the real command line in a subprocess with its own
data folder (and, when the suite runs against PostgreSQL, its own
database URL), waits for it with bounded loops, and stops it at the end.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_audits"
AUDITOR = [sys.executable, "-m", "auditor"]
#: Settings that make lost workers visible within seconds rather than half a minute.
FAST_JOBS = {
    "AUDITOR_HEARTBEAT_S": "0.5",
    "AUDITOR_STALE_AFTER_S": "4",
    "AUDITOR_REQUEUE_AFTER_S": "6",
}


def in_ci() -> bool:
    return os.environ.get("CI") == "true"


def require(what: str, available: bool, why: str) -> None:
    """Skip with a visible reason when a real component is missing; under CI=true, fail."""
    import pytest

    if available:
        return
    if in_ci():
        pytest.fail(f"{what} is required under CI=true: {why}")
    pytest.skip(f"{what} is not available here: {why}")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def service_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a service under test: its data folder, fast jobs, the test database."""
    env = dict(os.environ)
    for name in list(env):
        if name.startswith("AUDITOR_"):
            del env[name]
    env.update(FAST_JOBS)
    env["AUDITOR_DATA_DIR"] = str(data_dir)
    database = os.environ.get("AUDITOR_TEST_DATABASE_URL")
    if database:
        env["AUDITOR_DATABASE_URL"] = fresh_database(database)
    env.update(extra)
    return env


def fresh_database(url: str) -> str:
    """A new, empty PostgreSQL database on the test server, so each service starts clean."""
    import psycopg

    name = f"auditor_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = url.rpartition("/")
    return f"{base}/{name}"


def run_cli(
    env: Mapping[str, str], *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*AUDITOR, *args],
        env=dict(env),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@dataclass
class Account:
    name: str
    office: str
    role: str
    password: str
    token: str


@dataclass
class Service:
    """A running ``auditor serve`` and the accounts made for it."""

    url: str
    env: dict[str, str]
    data_dir: Path
    process: subprocess.Popen[bytes]
    log: Path
    accounts: dict[str, Account] = field(default_factory=dict)

    def account(self, name: str, *, office: str, role: str = "inspector") -> Account:
        """Create (once) an office and a user in it, with a password and an API token."""
        if name in self.accounts:
            return self.accounts[name]
        run_cli(self.env, "offices", "create", office, "--name", f"Office {office}")
        made = run_cli(self.env, "users", "create", name, "--role", role, "--office", office)
        assert made.returncode == 0, made.stderr
        password = made.stdout.strip()
        token = run_cli(self.env, "users", "token", name)
        assert token.returncode == 0, token.stderr
        account = Account(name, office, role, password, token.stdout.strip())
        self.accounts[name] = account
        return account

    def api(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        body: bytes | None = None,
        content_type: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        request = urllib.request.Request(self.url + path, data=body, method=method)
        if token is not None:
            request.add_header("Authorization", f"Bearer {token}")
        if content_type:
            request.add_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def upload(self, token: str, path: Path, *, jurisdiction: str | None = None) -> tuple[int, Any]:
        body, content_type = multipart({"file": (path.name, path.read_bytes())}, jurisdiction)
        status, _, data = self.api(
            "POST", "/api/v1/audits", token=token, body=body, content_type=content_type
        )
        return status, json.loads(data)

    def wait_final(self, token: str, audit_id: str, *, timeout_s: float = 180) -> dict[str, Any]:
        """Poll the audit until it is done, invalid, failed or duplicate (bounded)."""
        deadline = time.monotonic() + timeout_s
        while True:
            status, _, data = self.api("GET", f"/api/v1/audits/{audit_id}", token=token)
            assert status == 200, data
            audit: dict[str, Any] = json.loads(data)
            if audit["status"] in ("done", "invalid", "failed", "duplicate"):
                return audit
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"audit {audit_id} still {audit['status']} after {timeout_s} s"
                )
            time.sleep(0.3)


def multipart(
    files: Mapping[str, tuple[str, bytes]], jurisdiction: str | None = None
) -> tuple[bytes, str]:
    boundary = f"----auditor{uuid.uuid4().hex}"
    parts: list[bytes] = []
    for name, (filename, content) in files.items():
        parts.append(
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
    if jurisdiction is not None:
        parts.append(
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="jurisdiction"\r\n\r\n'
            f"{jurisdiction}\r\n".encode()
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def wait_until_serving(
    url: str, process: subprocess.Popen[bytes], log: Path, timeout_s: float = 60
) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"auditor serve exited ({process.returncode}):\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url + "/login", timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise AssertionError(f"auditor serve did not answer within {timeout_s} s:\n{log.read_text()}")


def start_serve(env: dict[str, str], data_dir: Path, *, workers: int | None = 1) -> Service:
    """``auditor serve`` on a free port; ``workers=None`` leaves ``AUDITOR_WORKERS`` as ``env``
    has it (the service's default when unset)."""
    port = free_port()
    env = dict(env) if workers is None else dict(env, AUDITOR_WORKERS=str(workers))
    log = data_dir.parent / f"serve-{port}.log"
    data_dir.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as sink:
        process = subprocess.Popen(
            [*AUDITOR, "serve", "--port", str(port)],
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(url, process, log)
    except BaseException:
        stop(process, hard=True)
        raise
    return Service(url, env, data_dir, process, log)


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """A separate ``auditor worker`` in its own process group, its output appended to ``log``."""
    with log.open("ab") as sink:
        return subprocess.Popen(
            [*AUDITOR, "worker"],
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )


def descendants(root: int) -> list[int]:
    """Every descendant of ``root`` (job workers, their isolated audits, the fork server)."""
    found: list[int] = []
    frontier = [root]
    while frontier:
        parent = frontier.pop()
        children = Path(f"/proc/{parent}/task/{parent}/children")
        try:
            pids = [int(pid) for pid in children.read_text().split()]
        except OSError:
            continue
        found.extend(pids)
        frontier.extend(pids)
    return found


def stop(process: subprocess.Popen[Any], *, hard: bool = False) -> None:
    """Stop a process group started with ``start_new_session`` (SIGKILL when ``hard``)."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGKILL if hard else signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(15)


@contextmanager
def serving(tmp_path: Path, *, workers: int = 1, **extra: str) -> Iterator[Service]:
    data_dir = tmp_path / "data"
    service = start_serve(service_env(data_dir, **extra), data_dir, workers=workers)
    try:
        yield service
    finally:
        stop(service.process)


def which(program: str) -> str | None:
    return shutil.which(program)


@contextmanager
def redis_server(folder: Path) -> Iterator[str]:
    """A real ``redis-server`` on a free loopback port, without persistence; its URL.

    Raises :class:`FileNotFoundError` when Debian's ``redis-server`` is not installed.
    """
    import redis

    server = which("redis-server")
    if server is None:
        raise FileNotFoundError("redis-server is not installed (Debian's redis-server)")
    port = free_port()
    process = subprocess.Popen(
        [
            server,
            *("--bind", "127.0.0.1", "--port", str(port)),
            *("--save", "", "--appendonly", "no", "--dir", str(folder)),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        client = redis.Redis(host="127.0.0.1", port=port)
        deadline = time.monotonic() + 20
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        client.close()
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        stop(process)


def corrected_workbook(folder: Path) -> Path:
    """The sample workbook with the same ``audit_id`` and other content (an observation): a
    second report with one reference number (issue 22)."""
    import openpyxl

    book = openpyxl.load_workbook(SAMPLES / "agency-with-problems.xlsx")
    book["Audit"]["B15"] = "Corrected after the agency produced its ledger."
    path = folder / "corrected.xlsx"
    book.save(path)
    return path
