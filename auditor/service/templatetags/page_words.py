"""``{{ value|word }}``: the words of the service's closed sets (statuses, severities,
roles, copies, access kinds) in the page's language; ``{{ text|number }}``: an amount
or score the pages' data wrote ("1,722.50") in that language's way ("1 722,50").

The stored values and the API keep the English codes and the plain numbers; only
what a person reads on a page is translated. A value outside these sets is shown
as it is.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from babel.numbers import format_decimal
from django import template
from django.utils.translation import get_language, pgettext_lazy, to_locale
from django.utils.translation import gettext_lazy as _

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
    "inspector": pgettext_lazy("copy", "inspector"),
    "agency": pgettext_lazy("copy", "agency"),
    "download": pgettext_lazy("access", "download"),
    "issue": pgettext_lazy("access", "issue"),
    "review": pgettext_lazy("access", "review"),
    "withdraw": pgettext_lazy("access", "withdrawal"),
    "page": pgettext_lazy("access", "page"),
    "api": pgettext_lazy("access", "API"),
    "view": pgettext_lazy("access", "view"),
    "remove": pgettext_lazy("access", "removal"),
    "notices": pgettext_lazy("access", "worker notices"),
}


#: A user's role ("inspector" is also a copy's name: another word in some languages).
_ROLES = {
    "inspector": pgettext_lazy("role", "inspector"),
    "supervisor": _("supervisor"),
    "admin": _("administrator"),
}


@register.filter
def role(value: object) -> object:
    """The translated name of a user's role, or the value unchanged."""
    return _ROLES.get(str(value), value) if isinstance(value, str) else value


@register.filter
def word(value: object) -> object:
    """The translated word of a code of the service, or the value unchanged."""
    return _WORDS.get(str(value), value) if isinstance(value, str) else value


@register.filter
def number(value: object) -> object:
    """``value`` (a number as page_data writes it: "1,722.50", "49.0", "+3.5", a term of the
    follow-up's sum "- 1,722.50") with the page's language's separators (Babel's locale data;
    Latin digits), its decimals and sign kept. The amount is already rounded (half up,
    page_data): only its writing changes here. Any other text is returned unchanged."""
    text = str(value).strip().replace(",", "")
    if text[:2] in ("- ", "+ ", "= "):  # a term of the follow-up's sum: "- 1,722.50"
        written = number(text[2:])
        return value if written == text[2:] else text[:2] + str(written)
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return value
    if not amount.is_finite():
        return value
    exponent = amount.as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    written = format_decimal(amount, format=pattern, locale=to_locale(get_language() or "en"))
    return "+" + written if text.startswith("+") else written
