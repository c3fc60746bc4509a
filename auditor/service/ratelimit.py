"""Who is asking, and how often: the public ``/verify`` page's fair-use limit (web.md 1.1).

The client's address is the connection's, unless the connection comes from a
proxy named in ``AUDITOR_TRUSTED_PROXIES``: then it is the last address in
``X-Forwarded-For`` that is not itself a trusted proxy. A header sent by
anyone else is ignored, so a client cannot pick a fresh address per request.
Requests are counted in the database, so every process of the service
(several ``serve`` on several machines) shares one count.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import math
from functools import cache

from django.http import HttpRequest
from django.utils import timezone

from auditor.service import jobs
from auditor.service.models import VerifyRequest

#: At most this many requests a minute per client address (web.md 1.1, Settled).
PER_MINUTE = 30
WINDOW = dt.timedelta(minutes=1)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@cache
def _trusted() -> tuple[Network, ...]:
    networks: list[Network] = []
    for text in jobs.CONFIG.trusted_proxies:
        try:
            networks.append(ipaddress.ip_network(text, strict=False))
        except ValueError:
            continue  # a misspelt entry trusts nothing rather than everything
    return tuple(networks)


def _is_trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _trusted())


def client_address(request: HttpRequest) -> str:
    """The address requests are counted by (see the module's docstring)."""
    address = str(request.META.get("REMOTE_ADDR", ""))
    if not _is_trusted(address):
        return address[:64]
    forwarded = [
        part.strip()
        for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
        if part.strip()
    ]
    for hop in reversed(forwarded):
        if not _is_trusted(hop):
            return hop[:64]
    return address[:64]


def admit(request: HttpRequest) -> int | None:
    """Count this request; ``None`` when it may go on, else the seconds to wait (Retry-After)."""
    address = client_address(request)
    now = timezone.now()
    since = now - WINDOW
    VerifyRequest.objects.filter(at__lt=since).delete()
    recent = VerifyRequest.objects.filter(address=address, at__gte=since)
    if recent.count() >= PER_MINUTE:
        oldest = recent.order_by("at").values_list("at", flat=True).first() or now
        return max(1, math.ceil((oldest + WINDOW - now).total_seconds()))
    VerifyRequest.objects.create(address=address)
    return None
