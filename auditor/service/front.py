"""The HTTP front of ``auditor serve``: waitress, set for hostile clients (web.md 1.1).

Why waitress with these settings rather than a front of our own: waitress
reads requests in one asynchronous loop and hands a request to a thread only
once it has arrived whole, so a slow or idle connection costs a socket and a
small buffer, never a thread. What let about 100 slow connections stop the
service was its defaults, not its design:

- ``connection_limit`` 100 -> :data:`CONNECTION_LIMIT`, with ``poll()``
  rather than ``select()`` (which cannot watch more than 1,024 sockets);
- ``channel_timeout`` 120 s -> :data:`CHANNEL_TIMEOUT_S`: a connection that
  sends nothing for that long is closed;
- ``max_request_body_size`` is the upload limit itself, so a body over it is
  refused from its ``Content-Length`` before a byte of it is read (and a
  chunked one as soon as it passes the limit), with the JSON error of the
  API under ``/api/`` (:class:`JsonErrorTask`);
- ``inbuf_overflow`` (512 kB): a body larger than that waits in a temporary
  file, not in memory, until its request is complete.

A TLS proxy in front (as the README recommends) adds its own limits; these
hold without one.
"""

from __future__ import annotations

import json
import resource
from typing import Any

from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer, create_server
from waitress.task import ErrorTask

#: Open connections served at once; more wait in the listen backlog.
CONNECTION_LIMIT = 2000
#: Seconds of silence after which a connection is closed.
CHANNEL_TIMEOUT_S = 30
THREADS = 8
#: waitress's own errors, by status, as the API's ``code`` names them.
_CODES = {400: "bad_request", 413: "too_large", 431: "bad_request", 501: "bad_request"}


class JsonErrorTask(ErrorTask):
    """waitress's own error answers (413 from ``Content-Length``, a malformed request line),
    as ``{"error", "code"}`` JSON under ``/api/`` and plain text elsewhere."""

    def execute(self) -> None:
        path = str(getattr(self.request, "path", "") or "")
        if not path.startswith("/api/"):
            super().execute()
            return
        error = self.request.error
        code = int(error.code)
        message = (
            "the upload is larger than the limit; nothing was kept"
            if code == 413
            else f"malformed request: {error.reason.lower()}"
        )
        body = json.dumps({"error": message, "code": _CODES.get(code, "bad_request")}).encode()
        self.status = f"{code} {error.reason}"
        self.response_headers.extend(
            [("Content-Type", "application/json"), ("Cache-Control", "no-store")]
        )
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


class Channel(HTTPChannel):
    error_task_class = JsonErrorTask


def _enough_descriptors() -> None:
    """Raise the soft limit of open files towards :data:`CONNECTION_LIMIT` and some spare."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = CONNECTION_LIMIT + 256
    if soft != resource.RLIM_INFINITY and soft < wanted:
        ceiling = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, ceiling), hard))


def serve_forever(application: Any, host: str, port: int, max_body_bytes: int) -> None:
    """Serve ``application`` until interrupted (KeyboardInterrupt)."""
    _enough_descriptors()
    server = create_server(
        application,
        host=host,
        port=port,
        threads=THREADS,
        connection_limit=CONNECTION_LIMIT,
        channel_timeout=CHANNEL_TIMEOUT_S,
        cleanup_interval=10,
        asyncore_use_poll=True,
        # X-Forwarded-For reaches the service, which believes it only from a peer in
        # AUDITOR_TRUSTED_PROXIES (throttle.client_address); waitress would drop it.
        clear_untrusted_proxy_headers=False,
        # waitress refuses Content-Length >= this value: one more than the limit allows it.
        max_request_body_size=max_body_bytes + 1,
        ident="auditor",
    )
    # One listening socket gives the server itself; several (a name with IPv4 and IPv6
    # addresses) give one server per socket in its map.
    for each in [server, *getattr(server, "map", {}).values()]:
        if isinstance(each, BaseWSGIServer):
            each.channel_class = Channel
    server.run()
