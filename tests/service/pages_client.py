"""Helpers of the attack and permission tests: a browser-like client of the pages (cookies,
CSRF, no JS), and many accounts made in one process.

It keeps its cookies itself (``http.cookiejar`` is unreliable with a bare
``127.0.0.1`` host) and never follows redirects, so a test sees the
service's own answer: a redirect to the log-in page is a redirect, not
the log-in page's 200.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from email.message import Message
from typing import Any

from tests.service.harness import Account, Service, multipart

_TOKEN = re.compile(r'name=["\']csrfmiddlewaretoken["\']\s+value=["\']([^"\']+)["\']')
_TOKEN_REVERSED = re.compile(r'value=["\']([^"\']+)["\']\s+name=["\']csrfmiddlewaretoken["\']')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def set_cookies(headers: Message) -> list[str]:
    """Every ``Set-Cookie`` header of a response, as sent."""
    return list(headers.get_all("Set-Cookie") or [])


class PageSession:
    """One visitor of the pages: a cookie store, the last CSRF token seen."""

    def __init__(self, service: Service) -> None:
        self.service = service
        self.cookies: dict[str, str] = {}
        self.cookie_headers: list[str] = []

    def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        content_type: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> tuple[int, Message, bytes]:
        request = urllib.request.Request(self.service.url + path, data=body, method=method)
        if self.cookies:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if content_type:
            request.add_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with _OPENER.open(request, timeout=60) as response:
                status, answer_headers, data = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, answer_headers, data = error.code, error.headers, error.read()
        self._keep(answer_headers)
        return status, answer_headers, data

    def _keep(self, headers: Message) -> None:
        for header in set_cookies(headers):
            self.cookie_headers.append(header)
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if value in ("", '""') or "max-age=0" in header.lower():
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value

    def get(self, path: str) -> tuple[int, Message, bytes]:
        return self.request("GET", path)

    def csrf_token(self, path: str) -> str | None:
        """The form token of the page at ``path`` (``None`` when it has no form with one)."""
        status, _, body = self.get(path)
        if status != 200:
            return None
        text = body.decode("utf-8", "replace")
        found = _TOKEN.search(text) or _TOKEN_REVERSED.search(text)
        return found.group(1) if found else None

    def post_form(
        self, path: str, fields: Mapping[str, str], *, headers: Mapping[str, str] | None = None
    ) -> tuple[int, Message, bytes]:
        body = urllib.parse.urlencode(dict(fields)).encode()
        return self.request(
            "POST",
            path,
            body=body,
            content_type="application/x-www-form-urlencoded",
            headers=headers,
        )

    def post_file(
        self,
        path: str,
        filename: str,
        content: bytes,
        fields: Mapping[str, str],
        *,
        headers: Mapping[str, str] | None = None,
    ) -> tuple[int, Message, bytes]:
        body, content_type = multipart_fields({"file": (filename, content)}, fields)
        return self.request("POST", path, body=body, content_type=content_type, headers=headers)

    def login(self, name: str, password: str) -> tuple[int, Message, bytes]:
        token = self.csrf_token("/login") or ""
        return self.post_form(
            "/login", {"username": name, "password": password, "csrfmiddlewaretoken": token}
        )

    @property
    def signed_in(self) -> bool:
        return "sessionid" in self.cookies


def multipart_fields(
    files: Mapping[str, tuple[str, bytes]], fields: Mapping[str, str]
) -> tuple[bytes, str]:
    """A ``multipart/form-data`` body with files and plain fields."""
    body, content_type = multipart(files)
    boundary = content_type.split("boundary=", 1)[1]
    closing = f"--{boundary}--\r\n".encode()
    assert body.endswith(closing)
    extra = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    )
    return body[: -len(closing)] + extra + closing, content_type


_ACCOUNTS = """
import json, sys
from auditor.service.bootstrap import start
start()
from auditor.service import accounts
from auditor.service.models import Office
made = {}
for name, office, role in json.loads(sys.stdin.read()):
    if not Office.objects.filter(code=office).exists():
        accounts.create_office(office, "Office " + office)
    password = accounts.create_user(name, role, office)
    made[name] = [password, accounts.new_token(name)]
print(json.dumps(made))
"""


def make_accounts(service: Service, wanted: list[tuple[str, str, str]]) -> dict[str, Account]:
    """Make (name, office, role) accounts with the service's own account functions in one
    process: ``Service.account`` starts three commands per account, which a loaded machine
    feels. The commands themselves are tested in ``test_cli_service``."""
    missing = [entry for entry in wanted if entry[0] not in service.accounts]
    if missing:
        done = subprocess.run(
            [sys.executable, "-c", _ACCOUNTS],
            env=service.env,
            input=json.dumps(missing),
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        made = json.loads(done.stdout.strip().splitlines()[-1])
        for name, office, role in missing:
            password, token = made[name]
            service.accounts[name] = Account(name, office, role, password, token)
    return {name: service.accounts[name] for name, _, _ in wanted}
