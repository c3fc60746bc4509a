"""``{{ value|word }}``: the words of the service's closed sets (statuses, severities,
roles, copies, access kinds) in the page's language.

The stored values and the API keep the English codes; only what a person reads
on a page is translated. A value outside these sets is shown as it is.
"""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

register = template.Library()

_WORDS = {
    "queued": _("queued"),
    "running": _("running"),
    "done": _("done"),
    "invalid": _("invalid"),
    "failed": _("failed"),
    "duplicate": _("duplicate"),
    "issued": pgettext_lazy("report state", "issued"),
    "superseded": pgettext_lazy("report state", "superseded"),
    "withdrawn": pgettext_lazy("report state", "withdrawn"),
    "unknown": pgettext_lazy("report state", "unknown"),
    "critical": pgettext_lazy("severity", "critical"),
    "high": pgettext_lazy("severity", "high"),
    "medium": pgettext_lazy("severity", "medium"),
    "low": pgettext_lazy("severity", "low"),
    "error": pgettext_lazy("problem kind", "error"),
    "warning": pgettext_lazy("problem kind", "warning"),
    "inspector": pgettext_lazy("role or copy", "inspector"),
    "supervisor": _("supervisor"),
    "admin": _("administrator"),
    "agency": pgettext_lazy("copy", "agency"),
    "download": pgettext_lazy("access", "download"),
    "issue": pgettext_lazy("access", "issue"),
    "review": pgettext_lazy("access", "review"),
    "withdraw": pgettext_lazy("access", "withdrawal"),
    "page": pgettext_lazy("access", "page"),
    "api": pgettext_lazy("access", "API"),
}


@register.filter
def word(value: object) -> object:
    """The translated word of a code of the service, or the value unchanged."""
    return _WORDS.get(str(value), value) if isinstance(value, str) else value
