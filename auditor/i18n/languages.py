"""The languages auditor ships, with what a report must say of each.

A language is shipped when its catalogue is in ``auditor/locale``; this
table says what the catalogue cannot: its English and native names, its
direction, and who reviewed the translation and when. A translation no
person has reviewed is ``machine/unreviewed``, and every report in it says
so in its footer (issue 27: legal honesty).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from auditor.errors import UsageError

#: The catalogues: ``<code>/LC_MESSAGES/auditor.po`` (and its compiled ``.mo``).
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
#: The source language: the msgids are English, and English needs no catalogue.
DEFAULT_LANGUAGE = "en"
UNREVIEWED = "machine/unreviewed"  # a msgid too: printed through the catalogue


@dataclass(frozen=True)
class Language:
    """One shipped language."""

    code: str  # the catalogue's folder: BCP 47 / gettext code (fil, not tl)
    english_name: str
    native_name: str
    direction: str = "ltr"  # "rtl" for Arabic: the report's <html dir>
    reviewed_by: str | None = None
    reviewed_on: str | None = None  # ISO date of the review
    #: Codes a workbook may record for this language (``Workers.languages``, ISO 639-1/-2).
    aliases: tuple[str, ...] = ()

    @property
    def review_status(self) -> str:
        """``reviewed by NAME on DATE``, or ``machine/unreviewed`` (printed in every footer)."""
        if self.code == DEFAULT_LANGUAGE:
            return "source text"  # never printed: an English report has no review line
        if self.reviewed_by and self.reviewed_on:
            return f"reviewed by {self.reviewed_by} on {self.reviewed_on}"
        return UNREVIEWED

    @property
    def rtl(self) -> bool:
        return self.direction == "rtl"

    @property
    def catalogue(self) -> str:
        """The catalogue file, relative to ``auditor/locale``."""
        return f"{self.code}/LC_MESSAGES/auditor.po"


def N_(message: str) -> str:  # gettext's name: "mark now, translate where shown"
    return message


LANGUAGES: dict[str, Language] = {
    item.code: item
    for item in (
        Language("en", N_("English"), "English", aliases=("eng",)),
        Language("ne", N_("Nepali"), "नेपाली", aliases=("nep",)),
        Language("id", N_("Indonesian"), "Bahasa Indonesia", aliases=("ind", "in")),
        Language("fil", N_("Filipino"), "Filipino", aliases=("tl", "tgl")),
        Language("ar", N_("Arabic"), "العربية", direction="rtl", aliases=("ara",)),
        Language("fr", N_("French"), "Français", aliases=("fra", "fre")),
        Language("es", N_("Spanish"), "Español", aliases=("spa",)),
    )
}
_BY_ALIAS = {alias: item for item in LANGUAGES.values() for alias in (item.code, *item.aliases)}


def shipped_codes() -> tuple[str, ...]:
    """The languages a report can be printed in: English and each one whose catalogue is in
    ``auditor/locale`` (the table above also names languages whose translation is on its way)."""
    return tuple(code for code in LANGUAGES if code == DEFAULT_LANGUAGE or _has_catalogue(code))


def _has_catalogue(code: str) -> bool:
    folder = LOCALE_DIR / code / "LC_MESSAGES"
    return (folder / "auditor.po").is_file() or (folder / "auditor.mo").is_file()


def shipped(code: str) -> Language | None:
    """The shipped language a workbook's code names (``tl`` is Filipino), or ``None``."""
    found = _BY_ALIAS.get(code.strip().lower().replace("_", "-"))
    return found if found is not None and found.code in shipped_codes() else None


def language(code: str | None) -> Language:
    """The shipped language ``code`` names; an unknown one is the caller's misuse (exit 2)."""
    if code is None or code == "":
        return LANGUAGES[DEFAULT_LANGUAGE]
    found = shipped(code)
    if found is None:
        raise UsageError(
            f"unknown language {code!r}; the shipped languages are {', '.join(shipped_codes())}"
        )
    return found


def first_shipped(codes: tuple[str, ...] | list[str], fallback: str) -> Language:
    """The first of a worker's languages that is shipped, else ``fallback``'s."""
    for code in codes:
        found = shipped(code)
        if found is not None:
            return found
    return language(fallback)


#: The setting naming the language whose text prevails (issue 27: legal honesty).
AUTHORITATIVE_SETTING = "AUDITOR_AUTHORITATIVE_LANGUAGE"


def authoritative_language() -> str:
    """The language whose text prevails: English unless ``AUDITOR_AUTHORITATIVE_LANGUAGE``
    names a shipped one (an office whose law makes its own language authoritative)."""
    return language(os.environ.get(AUTHORITATIVE_SETTING) or DEFAULT_LANGUAGE).code
