"""The language a report download is rendered in, and the office's contact on notices (issue 27).

A download names its language with ``?lang=`` (any shipped language:
:func:`auditor.i18n.shipped_codes`); without one it is the office's default
language (:attr:`Office.language`) when reports are shipped in it, else
English. An unknown language is refused (400 ``unknown_language``), never
silently rendered in English: a reader who asked for Nepali must not take an
English report for hers.

Issued PDFs are rendered once, at issue (audit-output.md 1.2), in each
language the issue asked for (``languages``, the office's by default): a
download of an issued copy in another language is refused (409
``language_not_issued``), never answered with a fresh render presented as
issued.

This module may import Django's settings-free parts only and the library's
:mod:`auditor.i18n`.
"""

from __future__ import annotations

import os
from typing import Any

from auditor.i18n import DEFAULT_LANGUAGE, shipped_codes

#: The setting naming where a worker complains (the command line reads the same one).
CONTACT_SETTING = "AUDITOR_OFFICE_CONTACT"


class UnknownLanguage(Exception):
    """``?lang=`` names no shipped language: the message lists those that are."""

    def __init__(self, asked: str) -> None:
        super().__init__(
            f"unknown language {asked!r}: reports are rendered in {', '.join(shipped_codes())}"
        )


class NotIssuedIn(Exception):
    """The issued report was not rendered in the language asked for at issue."""

    def __init__(self, asked: str, issued: tuple[str, ...]) -> None:
        self.issued = issued
        super().__init__(
            f"the report was issued in {', '.join(issued)}, not {asked!r}: "
            "an issued report is never rendered again (ask for draft=1 for a draft in "
            f"{asked!r})"
        )


def office_language(office: Any) -> str:
    """The office's default language when reports are shipped in it, else English."""
    code = str(getattr(office, "language", "") or "")
    return code if code in shipped_codes() else DEFAULT_LANGUAGE


def report_language(asked: str | None, office: Any) -> str:
    """The language of a draft, workbook or notices download: ``asked`` if shipped (else
    :class:`UnknownLanguage`), the office's default when none is asked for."""
    if asked is None or asked == "":
        return office_language(office)
    if asked not in shipped_codes():
        raise UnknownLanguage(asked)
    return asked


def issued_language(asked: str | None, office: Any, issued: tuple[str, ...]) -> str:
    """The language of an issued copy's download: ``asked`` if the report was issued in it
    (else :class:`NotIssuedIn`); without one, the office's default if issued in it, else the
    first language it was issued in."""
    if asked is None or asked == "":
        default = office_language(office)
        return default if default in issued else issued[0]
    report_language(asked, office)  # an unknown language is 400 before a 409
    if asked not in issued:
        raise NotIssuedIn(asked, issued)
    return asked


def language_problems(given: object) -> list[tuple[str, str, str]]:
    """What is wrong with an issue's ``languages`` (location, code, message): a list of
    shipped languages, none twice; absent is the office's language."""
    if given is None:
        return []
    if not isinstance(given, list) or not given or not all(isinstance(c, str) for c in given):
        return [("languages", "malformed", "languages is a non-empty list of language codes")]
    problems = []
    for index, code in enumerate(given):
        if code not in shipped_codes():
            problems.append(
                (
                    f"languages[{index}]",
                    "unknown_language",
                    f"unknown language {code!r}: reports are rendered in "
                    f"{', '.join(shipped_codes())}",
                )
            )
    if len(set(given)) != len(given):
        problems.append(("languages", "duplicate_language", "a language is named twice"))
    return problems


def issue_languages(given: object, office: Any) -> tuple[str, ...]:
    """The languages an issue renders its PDFs in (checked by :func:`language_problems`)."""
    if isinstance(given, list) and given:
        return tuple(str(code) for code in given)
    return (office_language(office),)


def office_contact() -> str | None:
    """Where a worker complains, printed on her notice: ``AUDITOR_OFFICE_CONTACT`` (the
    command line's setting too); without it, the notice names the inspectorate."""
    return os.environ.get(CONTACT_SETTING) or None
