"""The library's own texts on a page, in the page's language (issue 27).

A page shows two kinds of text: the pages' own (Django's catalogues,
``auditor/service/locale``) and the library's (rule titles, findings,
orders, the follow-up's notes, profile texts: ``auditor/locale``, read
through :func:`auditor.i18n.using`). Django activates the page's language
for the first; this decorator puts the same language in force for the
second while the view builds its page, so an Arabic page does not carry
English rule titles. Only the page views are wrapped: the API's JSON stays
language-free, and a report a page renders names its own language
explicitly (``using(lang)`` inside wins over this one).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec

from django.http import HttpRequest, HttpResponse
from django.utils import translation

from auditor.i18n import DEFAULT_LANGUAGE, shipped_codes, using

P = ParamSpec("P")


def library_language(page_language: str | None) -> str:
    """The page's language when the library ships it, else the library's default."""
    code = (page_language or "").lower()
    return code if code in shipped_codes() else DEFAULT_LANGUAGE


def in_page_language(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """Run ``view`` with the library's texts in the language Django chose for the page."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        with using(library_language(translation.get_language())):
            return view(request, *args, **kwargs)

    return wrapped
