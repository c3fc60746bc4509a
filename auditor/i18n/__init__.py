"""Languages of the reports: the shipped catalogues, the reader's language, locale formats.

Owns the list of shipped languages and their metadata (:mod:`.languages`),
the gettext catalogues under ``auditor/locale`` read through Babel
(:mod:`.catalogue`), the language of the render in progress, held in a
context variable so that two renders in two languages in one process never
bleed into each other (:mod:`.context`), and numbers, dates and money
written with Babel's locale data (:mod:`.formats`).

The result JSON never passes through here: it stays language-free. The
catalogues follow gettext's layout (``locale/<lang>/LC_MESSAGES/<domain>.po``),
the one Django's ``LocaleMiddleware`` reads for its ``django`` domain, so the
pages can gain a ``django.po`` beside ``auditor.po`` later.

May import: :mod:`auditor.verdict` (money's minor units and rounding), the
model, the base and the errors. Imported by render and everything above it.
"""

from __future__ import annotations

from auditor.i18n.context import (
    Translator,
    current,
    gettext,
    ngettext,
    pgettext,
    translator,
    using,
)
from auditor.i18n.languages import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    Language,
    language,
    shipped_codes,
)

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "Language",
    "Translator",
    "current",
    "gettext",
    "language",
    "ngettext",
    "pgettext",
    "shipped_codes",
    "translator",
    "using",
]
