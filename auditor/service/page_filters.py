"""The pages' template filters: every time a page shows goes through :func:`when`.

A clerk in Kathmandu reads ``2026-12-07 19:58 +0545``, never a bare UTC time
she must convert (issue 25). The zone is the one
:class:`~auditor.service.middleware.OfficeTimeZoneMiddleware` activates for
the signed-in user's office; the zone is always printed after the time (its
offset when tzdata names it by one), so a time is never ambiguous, even on a
page printed and read elsewhere. The API keeps UTC
ISO-8601 (web.md): it does not use these filters.
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

register = template.Library()

_FORMATS = {"minutes": "%Y-%m-%d %H:%M", "seconds": "%Y-%m-%d %H:%M:%S"}


@register.filter
def when(value: object, precision: str = "minutes") -> str:
    """An aware time in the office's zone with its offset: ``2026-12-07 19:58 +0545``."""
    if not isinstance(value, dt.datetime):
        return "\u2013"  # an en dash, as the templates show a missing value
    if timezone.is_naive(value):  # never stored so (USE_TZ); read as UTC rather than guess
        value = value.replace(tzinfo=dt.UTC)
    local = timezone.localtime(value)
    return f"{local.strftime(_FORMATS.get(precision, _FORMATS['minutes']))} {zone_name(local)}"


def zone_name(local: dt.datetime) -> str:
    """The zone as tzdata names it (``UTC``, ``+0545``), with the offset when the name is a
    letter abbreviation other than UTC, which may be ambiguous (``IST``: India or Ireland)."""
    name = local.tzname() or ""
    if name == "UTC" or not name.isalpha():
        return name or local.strftime("%z")
    return f"{name} {local.strftime('%z')}"


@register.simple_tag
def office_zone() -> str:
    """The zone the page's times are in, by its IANA name (``Asia/Kathmandu``)."""
    return str(timezone.get_current_timezone_name())
