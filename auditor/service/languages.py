"""The pages' language (web.md, "The pages' language"; issue 27).

Who reads a page decides its language, in this order: the user's own setting
(:attr:`Membership.language`, chosen on ``/language``), else the browser's
``Accept-Language`` as Django's ``LocaleMiddleware`` reads it, else her office's
default (:attr:`Office.language`), else English. Only the pages are translated:
the API's JSON bodies carry codes, never sentences that depend on a language.

This module may import Django only (the settings import :data:`PAGE_LANGUAGES`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext_noop
from django.utils.translation.trans_real import (
    get_supported_language_variant,
    parse_accept_lang_header,
)

#: English is the source; each language is named in itself, so that a reader finds her own
#: whatever language the page is in now (the picker does not translate them).
PAGE_LANGUAGES = [
    ("en", "English"),
    ("ne", "नेपाली"),
    ("id", "Bahasa Indonesia"),
    ("fil", "Filipino"),
    ("ar", "العربية"),
    ("fr", "Français"),
    ("es", "Español"),
]
CODES = frozenset(code for code, _ in PAGE_LANGUAGES)
SOURCE = "en"

#: Django's own texts that the pages show (month names of dates written "j F Y", the forms'
#: errors), listed so that the pages' catalogues carry them: Django ships no Filipino one,
#: and a catalogue in LOCALE_PATHS comes before Django's own for the other languages.
DJANGO_TEXTS = (
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
    gettext_noop("This field is required."),
    gettext_noop("Enter a valid date."),
    gettext_noop("Select a valid choice. %(value)s is not one of the available choices."),
    gettext_noop("The submitted file is empty."),
)

Handler = Callable[[HttpRequest], HttpResponse]


def browser_language(request: HttpRequest) -> str | None:
    """The first language of ``Accept-Language`` the pages have, or ``None`` if none is."""
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _quality in parse_accept_lang_header(header):
        if code == "*":
            break
        try:
            return get_supported_language_variant(code)
        except LookupError:
            continue
    return None


def page_language(request: HttpRequest) -> str:
    """The language of the page ``request`` asks for, in web.md's order."""
    user: Any = getattr(request, "user", None)
    membership = (
        getattr(user, "membership", None) if user is not None and user.is_authenticated else None
    )
    own = getattr(membership, "language", "") if membership is not None else ""
    if own in CODES:
        return str(own)
    browser = browser_language(request)
    if browser is not None:
        return browser
    office = getattr(membership.office, "language", "") if membership is not None else ""
    return str(office) if office in CODES else SOURCE


class PageLanguageMiddleware:
    """After authentication: the user's setting and her office's default, which Django's
    ``LocaleMiddleware`` (it runs before the user is known) cannot see."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = page_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers["Content-Language"] = language
        return response
