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
import socket
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
        error = self.request.error
        code = int(error.code)
        api = path.startswith("/api/")
        if code == 413:
            self.channel.linger = True
        elif not api:
            super().execute()
            return
        limit_mb = (self.channel.server.adj.max_request_body_size - 1) // (1024 * 1024)
        message = (
            f"the upload is larger than the limit of {limit_mb} MB; nothing was kept"
            if code == 413
            else f"malformed request: {str(error.reason).lower()}"
        )
        if api:
            kind = "application/json"
            body = json.dumps({"error": message, "code": _CODES.get(code, "bad_request")})
        else:
            kind, body = "text/plain; charset=utf-8", message
        data = body.encode()
        self.status = f"{code} {error.reason}"
        self.response_headers.extend([("Content-Type", kind), ("Cache-Control", "no-store")])
        self.set_close_on_finish()
        self.content_length = len(data)
        self.write(data)


class Channel(HTTPChannel):
    """waitress's connection, which after refusing a body as too large discards what the
    client goes on sending (at most as much as the limit, never stored) before it closes,
    so that a client that sends the whole body before it reads (most do; few send
    ``Expect: 100-continue``) gets the 413 rather than a reset connection."""

    error_task_class = JsonErrorTask
    linger = False
    draining = False
    drained = 0

    def handle_close(self) -> None:
        if self.linger and not self.draining and self.connected:
            self.draining = True
            self.will_close = False
            self.close_when_flushed = False
            try:
                self.socket.shutdown(socket.SHUT_WR)
            except OSError:
                super().handle_close()
            return
        super().handle_close()

    def readable(self) -> bool:
        return True if self.draining else bool(super().readable())

    def received(self, data: bytes) -> bool:
        if not self.draining:
            return bool(super().received(data))
        self.drained += len(data)
        if self.drained > self.server.adj.max_request_body_size:
            self.linger = False
            super().handle_close()
        return False


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
