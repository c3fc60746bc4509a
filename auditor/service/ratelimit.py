"""Who is asking, and how often: the public ``/verify`` page's fair-use limit (web.md 1.1).

The client's address is the log-in throttle's (:func:`auditor.service.throttle.client_address`):
the connection's, unless it comes from a proxy named in ``AUDITOR_TRUSTED_PROXIES``, so a
client cannot pick a fresh address per request.
Requests are counted in the database, so every process of the service
(several ``serve`` on several machines) shares one count.
"""

from __future__ import annotations

import datetime as dt
import math

from django.http import HttpRequest
from django.utils import timezone

from auditor.service import jobs
from auditor.service.models import VerifyRequest
from auditor.service.throttle import client_address

#: At most this many requests a minute per client address (web.md 1.1, Settled).
PER_MINUTE = 30
WINDOW = dt.timedelta(minutes=1)


def admit(request: HttpRequest) -> int | None:
    """Count this request; ``None`` when it may go on, else the seconds to wait (Retry-After)."""
    address = client_address(request, jobs.CONFIG)
    now = timezone.now()
    since = now - WINDOW
    VerifyRequest.objects.filter(at__lt=since).delete()
    recent = VerifyRequest.objects.filter(address=address, at__gte=since)
    if recent.count() >= PER_MINUTE:
        oldest = recent.order_by("at").values_list("at", flat=True).first() or now
        return max(1, math.ceil((oldest + WINDOW - now).total_seconds()))
    VerifyRequest.objects.create(address=address)
    return None
