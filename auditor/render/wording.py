"""Rule texts in the words of the workers they concern, in the report's language.

The one source of the English wording is in the model (:mod:`auditor.model.wording`),
so that the verdict (the JSON's neutral ``title``) and every renderer word
texts the same way. A report in another language prints the rule text's
translation from the catalogue instead (issue 27): the msgid is the rule
file's text, and translations word the worker neutrally, which fits every
subject; a text with no translation yet keeps the English wording.
"""

from __future__ import annotations

from collections.abc import Iterable

from auditor.i18n import current
from auditor.model.enums import Sex
from auditor.model.wording import neutral
from auditor.model.wording import worded as worded_english


def worded(text: str, sexes: Iterable[Sex | None]) -> str:
    """``text`` for workers of ``sexes``: English pronouns fitted, or the translation."""
    words = current()
    if not words.english:
        translated = words.gettext(text)
        if translated != text:
            return translated
    return worded_english(text, sexes)


__all__ = ["neutral", "worded"]
