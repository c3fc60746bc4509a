"""The language of the render in progress: a context variable, never a global locale.

A renderer enters :func:`using` with the reader's language; everything it
calls (the view's sentences, the templates' ``{% trans %}``, the formats)
asks :func:`current` for the translator. A context variable is per thread
and per task, so the inspector's copy in Nepali and the agency's in English
rendered side by side, or two service workers' threads, never see each
other's language.
"""

from __future__ import annotations

import datetime as dt
import gettext as _gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from auditor.i18n import formats
from auditor.i18n.catalogue import translations
from auditor.i18n.languages import DEFAULT_LANGUAGE, Language, language


@dataclass(frozen=True)
class Translator:
    """One language's catalogue and formats, passed around or made current by :func:`using`."""

    language: Language
    catalogue: _gettext.NullTranslations = field(repr=False)
    native_digits: bool = False  # Nepali digits (०१२...) instead of 0-9: optional, not default

    @property
    def code(self) -> str:
        return self.language.code

    @property
    def english(self) -> bool:
        return self.language.code == DEFAULT_LANGUAGE

    def gettext(self, message: str, **params: object) -> str:
        text = self.catalogue.gettext(message) if message else message
        return text % params if params else text

    def ngettext(self, singular: str, plural: str, count: int, **params: object) -> str:
        text = self.catalogue.ngettext(singular, plural, count)
        return text % {"num": count, **params}

    def pgettext(self, context: str, message: str, **params: object) -> str:
        text = self.catalogue.pgettext(context, message)
        return text % params if params else text

    def money(self, amount: Decimal | float | None, currency: str) -> str:
        return formats.money(amount, currency, self.code, self.native_digits)

    def number(self, value: int | Decimal) -> str:
        return formats.integer(value, self.code, self.native_digits)

    def day(self, value: dt.date | None) -> str:
        if value is None:
            return self.gettext("not recorded")
        return formats.day(value, self.code, self.native_digits)

    def percent(self, share: Decimal | float | None, places: int = 1) -> str:
        return formats.percent(share, self.code, places, self.native_digits)


@lru_cache(maxsize=32)
def translator(code: str | None = None, native_digits: bool = False) -> Translator:
    """The translator of ``code`` (an unknown code is a :class:`~auditor.errors.UsageError`)."""
    found = language(code)
    return Translator(found, translations(found.code), native_digits)


_CURRENT: ContextVar[Translator | None] = ContextVar("auditor_language", default=None)


def current() -> Translator:
    """The translator of the render in progress; English outside any :func:`using`."""
    return _CURRENT.get() or translator(DEFAULT_LANGUAGE)


@contextmanager
def using(code: str | Translator | None) -> Iterator[Translator]:
    """Render in ``code`` inside the block; the previous language is back after it.

    ``None`` keeps the language in force (English outside any block), so a renderer
    called without a language inside a caller's block renders in the caller's.
    """
    if code is None:
        chosen = current()
    else:
        chosen = code if isinstance(code, Translator) else translator(code)
    token = _CURRENT.set(chosen)
    try:
        yield chosen
    finally:
        _CURRENT.reset(token)


def gettext(message: str, **params: object) -> str:
    """``message`` in the current language, ``%(name)s`` placeholders filled from ``params``."""
    return current().gettext(message, **params)


def ngettext(singular: str, plural: str, count: int, **params: object) -> str:
    """``%(num)s worker`` / ``%(num)s workers`` in the current language."""
    return current().ngettext(singular, plural, count, **params)


def pgettext(context: str, message: str, **params: object) -> str:
    return current().pgettext(context, message, **params)


def N_(message: str) -> str:  # gettext's name: "mark now, translate where shown"
    """Mark ``message`` for the catalogue; it is translated where it is shown."""
    return message
