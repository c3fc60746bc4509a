"""Rule texts in the words of the workers they concern: "her", "his", or neutral.

The rule files speak of the worker as "she" (most migrant domestic workers
are women, and one pronoun keeps the texts readable). A report signed about
men must not say "her" of them: a rule's section is worded for the sex its
subjects were recorded with, when they all share one, and neutrally ("the
worker") when they do not, when it is ``other``, or when the subjects are
not workers. Only pronouns change; nothing else of the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from auditor.model.enums import Sex

#: Words after which "her" is the object ("deployed her at once"), not the possessive.
_NOT_NOUNS = frozenset(
    [
        "a",
        "about",
        "after",
        "an",
        "and",
        "as",
        "at",
        "before",
        "but",
        "by",
        "for",
        "from",
        "if",
        "in",
        "into",
        "of",
        "on",
        "or",
        "than",
        "that",
        "the",
        "then",
        "to",
        "until",
        "when",
        "where",
        "whether",
        "which",
        "while",
        "who",
        "with",
        "without",
    ]
)
_HER = re.compile(r"\b([Hh])er\b(?:(\s+)([A-Za-z]+))?")
_SHE = re.compile(r"\b([Ss])he\b")
_HERSELF = re.compile(r"\b([Hh])erself\b")


def worded(text: str, sexes: Iterable[Sex | None]) -> str:
    """``text`` with its pronouns for workers of ``sexes`` (all one sex, or neutral)."""
    found = set(sexes)
    if found == {Sex.FEMALE}:
        return text
    male = found == {Sex.MALE}
    text = _HERSELF.sub(lambda m: _case(m[1], "himself" if male else "the worker"), text)
    text = _SHE.sub(lambda m: _case(m[1], "he" if male else "the worker"), text)

    def her(match: re.Match[str]) -> str:
        follower = match[3]
        possessive = follower is not None and follower.lower() not in _NOT_NOUNS
        if male:
            word = "his" if possessive else "him"
        else:
            word = "the worker's" if possessive else "the worker"
        rest = f"{match[2]}{follower}" if follower is not None else ""
        return _case(match[1], word) + rest

    return _HER.sub(her, text)


def _case(initial: str, word: str) -> str:
    return word[0].upper() + word[1:] if initial.isupper() else word


@lru_cache(maxsize=1024)
def neutral(text: str) -> str:
    """``text`` worded for any worker ("the worker's passport"): the JSON's titles, lists.

    audit-output 1.2: ``title``, ``warnings`` and ``missing`` stay English and
    are sex-neutral, whoever the subjects are.
    """
    return worded(text, (None,))
