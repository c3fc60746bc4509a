"""Log-in throttling: backoff per name and address, never a lockout (web.md 1.1).

Five failures used to lock a name out from every address for 15 minutes,
so anyone who knew a user's name could keep her out; behind a TLS proxy
every client shared one address. Now:

- the client's address is the peer's, or, only when the peer is one of
  ``AUDITOR_TRUSTED_PROXIES``, the last address in ``X-Forwarded-For`` that
  is not a trusted proxy (:func:`client_address`);
- failures count per *name at an address* (the name as Django normalises
  it, NFKC, so a fullwidth ``victim`` is ``victim``) and per address; after a few free
  failures each further one doubles the wait before the next attempt (up to
  15 minutes). A user at another address is never held back by them;
- an attempt is *reserved* before the password is checked, in one
  transaction, as if it failed: concurrent attempts cannot all pass the
  check before any failure is written (30 at once get a handful of
  password checks, not 30). A success gives the reservation back.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import math
from collections.abc import Sequence

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from auditor.deployment.config import ServiceConfig
from auditor.service.models import LoginThrottle

#: Failures allowed at once before the waits begin: per name at an address, per address.
FREE_PER_NAME = 3
FREE_PER_ADDRESS = 20
MAX_WAIT = dt.timedelta(minutes=15)
#: Rows untouched this long are forgotten.
FORGET_AFTER = dt.timedelta(hours=24)


def normalised_name(name: str) -> str:
    """The user name as Django's log-in form and ``create_user`` make it (NFKC)."""
    return str(get_user_model().normalize_username(name))


def _trusted(address: str, proxies: Sequence[str]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for proxy in proxies:
        try:
            if ip in ipaddress.ip_network(proxy, strict=False):
                return True
        except ValueError:
            continue
    return False


def client_address(request: HttpRequest, config: ServiceConfig) -> str:
    """The client's address: ``X-Forwarded-For`` is believed only from a trusted proxy."""
    peer = str(request.META.get("REMOTE_ADDR", ""))[:64]
    if not config.trusted_proxies or not _trusted(peer, config.trusted_proxies):
        return peer
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    for hop in reversed([part.strip() for part in forwarded.split(",") if part.strip()]):
        if not _trusted(hop, config.trusted_proxies):
            return hop[:64]
    return peer


def _wait(failures: int, free: int) -> dt.timedelta:
    if failures <= free:
        return dt.timedelta(0)
    return min(dt.timedelta(seconds=2 ** min(failures - free - 1, 20)), MAX_WAIT)


def _keys(name: str, address: str) -> list[tuple[str, int]]:
    return [
        (f"name:{address}:{normalised_name(name)}"[:255], FREE_PER_NAME),
        (f"address:{address}", FREE_PER_ADDRESS),
    ]


def reserve(name: str, address: str) -> int:
    """Count an attempt as a failure before its password is checked; 0 when it may go on,
    else the seconds to wait (nothing counted then)."""
    now = timezone.now()
    for attempt in range(2):
        try:
            with transaction.atomic():
                rows = []
                for key, free in _keys(name, address):
                    row, _ = LoginThrottle.objects.select_for_update().get_or_create(
                        key=key, defaults={"next_at": now}
                    )
                    if row.next_at > now:
                        return max(1, math.ceil((row.next_at - now).total_seconds()))
                    rows.append((row, free))
                for row, free in rows:
                    row.failures += 1
                    row.next_at = now + _wait(row.failures, free)
                    row.save(update_fields=["failures", "next_at", "updated_at"])
            return 0
        except IntegrityError:  # two first attempts created the same row: count again
            if attempt:
                raise
    return 0


def succeeded(name: str, address: str) -> None:
    """The password was right: the name's count at this address starts again, and the
    address's reservation is given back."""
    (name_key, _), (address_key, _) = _keys(name, address)
    LoginThrottle.objects.filter(key=name_key).delete()
    LoginThrottle.objects.filter(key=address_key, failures__gt=0).update(failures=F("failures") - 1)
    LoginThrottle.objects.filter(updated_at__lt=timezone.now() - FORGET_AFTER).delete()
